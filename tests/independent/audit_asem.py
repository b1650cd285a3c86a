#!/usr/bin/env python3
"""Independent figures for tests/audit.rs (`set_of_raw_asem_indicators_matches_numpy`).

Reads COINr's ASEM data (examples/asem/asem.csv, the raw values) and computes with numpy only,
not with tamga:

- Cronbach's alpha over pairwise-complete covariances (COINr's get_cronbach), alpha if each item
  is deleted, and the corrected item-total (item-rest) correlation from the same covariance matrix
  (psych::alpha's alpha.drop and r.drop);
- the eigenvalues of the correlation matrix over complete cases (R's prcomp(scale = TRUE),
  COINr's get_PCA) and the share of variance each explains;
- Pearson's r of two indicators over pairwise-complete observations (the matrix).

Run from the repository's root: python3 tests/independent/audit_asem.py
"""
import csv
import numpy as np

SET = ["LPI", "Flights", "Ship", "Elec", "ConSpeed"]


def load(cols):
    with open("examples/asem/asem.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return np.array([[float(r[c]) if r[c] != "" else np.nan for c in cols] for r in rows])


def pairwise_cov(x):
    k = x.shape[1]
    c = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            m = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            c[i, j] = np.cov(x[m, i], x[m, j], ddof=1)[0, 1]
    return c


def alpha(c):
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def main():
    x = load(SET)
    c = pairwise_cov(x)
    print("alpha", repr(alpha(c)))
    k = len(SET)
    for i in range(k):
        keep = [j for j in range(k) if j != i]
        drop = alpha(c[np.ix_(keep, keep)])
        rest = c[i, keep].sum() / np.sqrt(c[i, i] * c[np.ix_(keep, keep)].sum())
        print(SET[i], "alpha_if_deleted", repr(drop), "item_rest", repr(rest))
    cc = x[~np.isnan(x).any(axis=1)]
    r = np.corrcoef(cc, rowvar=False)
    ev = np.sort(np.linalg.eigvalsh(r))[::-1]
    print("complete cases", cc.shape[0])
    print("eigenvalues", [repr(v) for v in ev])
    print("shares", [repr(v / k) for v in ev])
    # one cell of the correlation matrix of all indicators: Flights x ConSpeed, pairwise complete
    y = load(["Flights", "ConSpeed"])
    m = ~np.isnan(y).any(axis=1)
    print("r Flights x ConSpeed", repr(np.corrcoef(y[m, 0], y[m, 1])[0, 1]), "n", int(m.sum()))
    # and on complete data, the item-rest correlation is Pearson's r with the sum of the others
    full = cc
    i = 0
    print("item_rest LPI on complete cases, direct", repr(np.corrcoef(full[:, 0], full[:, 1:].sum(axis=1))[0, 1]))


if __name__ == "__main__":
    main()
