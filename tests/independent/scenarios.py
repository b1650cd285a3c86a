"""Independent figures for tests/handbook.rs (issue 19, item 5): a methodology and two scenarios
evaluated side by side, each unit's index and rank under each, computed with numpy and scipy,
not with tamga.

Run: python3 tests/independent/scenarios.py
The printed figures are pasted into tests/handbook.rs (`scenarios_side_by_side_equal_numpy`).

The methodology (tests/handbook.rs, SCENARIOS): area `one` (weight 2) = mean of a (the value) and
b (min-max to 0-100); area `two` (weight 1) = c (the value); the index their weighted mean.
Scenario `equal`: area `one` weight 1. Scenario `geo`: the index a weighted geometric mean, and b
scored by rank (ascending, ties min). Ranks: the largest index 1, ties min.
"""

import numpy as np
from scipy.stats import rankdata

X = np.array([[80, 20, 50], [60, 70, 10], [30, 40, 90], [50, 50, 50], [90, 10, 20]], dtype=float)
a, b, c = X.T


def minmax(x):
    return (x - x.min()) / (x.max() - x.min()) * 100


def rank_desc(x):
    return rankdata(-x, method="min")


def base():
    one = (a + minmax(b)) / 2
    return (2 * one + c) / 3


def equal():
    one = (a + minmax(b)) / 2
    return (one + c) / 2


def geo():
    one = (a + rankdata(b, method="min")) / 2
    return np.exp((2 * np.log(one) + np.log(c)) / 3)


if __name__ == "__main__":
    np.set_printoptions(precision=17, floatmode="unique")
    for f in (base, equal, geo):
        x = f()
        print(f.__name__, repr(x), "ranks", rank_desc(x))
