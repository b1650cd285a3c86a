"""Independent figures for tests/handbook.rs (issue 19, item 4): Copeland scores and the
Kemeny–Young ranking of units from their indicators' scores, computed with numpy and plain
Python (brute force over every permutation), not with tamga.

Run: python3 tests/independent/noncompensatory.py
The printed figures are pasted into tests/handbook.rs, each test naming the function here.

Definitions (OECD/JRC Handbook 2008, part 2, section 6.3, the non-compensatory multi-criteria
approach; COINr's outrankMatrix and a_copeland):
- the outranking matrix m[a][b]: the (normalised) weight of the indicators on which unit a scores
  higher than unit b, plus half the weight of those on which they are equal;
- Copeland: each unit's sum over the other units of +1 (m > 0.5), -1 (m < 0.5) or 0;
- Kemeny-Young: the order of the units maximising the sum of m[a][b] over the pairs placed a
  before b; among equally good orders, the first in lexicographic order of the units' positions
  in the input (itertools.permutations yields them in that order).
"""

import itertools
import numpy as np

# units U0 … U5 (rows), three indicators' scores (columns), weights 1, 2, 1
X = np.array([
    [80.0, 20.0, 50.0],
    [60.0, 70.0, 10.0],
    [30.0, 40.0, 90.0],
    [50.0, 50.0, 50.0],
    [90.0, 10.0, 20.0],
    [20.0, 90.0, 30.0],
])
W = np.array([1.0, 2.0, 1.0])


def outranking(x, w):
    w = w / w.sum()
    n = len(x)
    m = np.zeros((n, n))
    for a in range(n):
        for b in range(n):
            if a != b:
                m[a, b] = w[x[a] > x[b]].sum() + w[x[a] == x[b]].sum() / 2
    return m


def copeland(x=X, w=W):
    m = outranking(x, w)
    n = len(x)
    return [sum(np.sign(m[a, b] - 0.5) for b in range(n) if b != a) for a in range(n)]


def kemeny(x=X, w=W):
    """Each unit's place (1 = first), by brute force over all n! orders."""
    m = outranking(x, w)
    n = len(x)
    def agreement(order):
        return sum(m[order[i], order[j]] for i in range(n) for j in range(i + 1, n))
    best = max(agreement(p) for p in itertools.permutations(range(n)))
    first = next(p for p in itertools.permutations(range(n)) if agreement(p) >= best - 1e-9)
    place = [0] * n
    for k, u in enumerate(first):
        place[u] = k + 1
    return place, best


if __name__ == "__main__":
    print("copeland", copeland())
    place, best = kemeny()
    print("kemeny places", place, "agreement", best)
    print("kemeny values n + 1 - place", [len(X) + 1 - p for p in place])
    # the same with U3 left out (its area not assessable)
    keep = [0, 1, 2, 4, 5]
    print("copeland without U3", copeland(X[keep]))
    place, _ = kemeny(X[keep])
    print("kemeny places without U3", place, "values", [len(keep) + 1 - p for p in place])
