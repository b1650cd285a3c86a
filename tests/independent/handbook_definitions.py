"""Independent figures for tests/handbook.rs (issue 19, item 1): the OECD/JRC Handbook's
definitions of percentile ranks, ranks and relative distances, computed with numpy and scipy,
not with tamga.

Run: python3 tests/independent/handbook_definitions.py
The printed figures are pasted into tests/handbook.rs, each test naming the function here.
"""

import numpy as np
from scipy.stats import rankdata

# the answers of units U0 … U6 (their order in tamga's result: sorted by code)
X = np.array([3.0, 7.0, 7.0, 1.0, 9.0, 7.0, 4.0])
N = len(X)


def percentile_rank_over_n():
    """Handbook 2008 table 14 "percentile": r / n × 100, r the ascending rank with a tie rule."""
    return {t: rankdata(X, method=t) / N * 100 for t in ("min", "max", "average")}


def percentile_interpolated_min():
    """COINr n_prank: (rank(x, ties.method = "min") − 1) / (n − 1), × 100."""
    return (rankdata(X, method="min") - 1) / (N - 1) * 100


def ranks():
    """Handbook 2008 table 14 "ranking" (COINr n_rank): ascending rank, the worst 1; descending,
    the best 1; ties "min" (R's rank(ties.method = "min"))."""
    return {
        "ascending_min": rankdata(X, method="min"),
        "descending_min": rankdata(-X, method="min"),
        "descending_average": rankdata(-X, method="average"),
        # lower is better: the largest value is the worst
        "lower_ascending_min": rankdata(-X, method="min"),
    }


def relative_distance():
    """Handbook 2008 table 14 "distance to a reference": (x − ref) / ref, here × 100 (the top of
    the scale), ref the mean; and (ref − x) / ref for lower is better; ref a target of 5."""
    m = X.mean()
    return {
        "to_mean": (X - m) / m * 100,
        "to_mean_lower": (m - X) / m * 100,
        "to_target_5": (X - 5.0) / 5.0 * 100,
    }


def categorical_on_percentile():
    """Handbook 2008 table 14 "categorical scale" on the default percentile rank
    ((r − 1)/(n − 1) × 100, ties averaged): classes ..25 → 0, 25..50 → 33, 50..75 → 67, 75.. → 100."""
    p = (rankdata(X, method="average") - 1) / (N - 1) * 100
    return np.select([p < 25, p < 50, p < 75], [0.0, 33.0, 67.0], 100.0)


if __name__ == "__main__":
    np.set_printoptions(precision=17, floatmode="unique")
    for f in (percentile_rank_over_n, percentile_interpolated_min, ranks, relative_distance,
              categorical_on_percentile):
        print(f.__name__, repr(f()))
