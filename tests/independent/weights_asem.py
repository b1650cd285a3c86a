#!/usr/bin/env python3
"""Independent figures for tests/weights.rs: weights from data and from judgements.

Computed with numpy and scipy only, not with tamga:

- PCA / factor-analysis weights (OECD/JRC Handbook 2008, section 6.1.2) of the eight raw
  indicators of ASEM's Physical pillar (examples/asem/asem.csv), over the complete cases:
  eigenvalues of the correlation matrix (numpy.linalg.eigh), the leading components with
  eigenvalue > 1 and >= 10 % of the variance, loadings = eigenvector * sqrt(eigenvalue), varimax
  as R's stats::varimax (Kaiser normalisation, eps = 1e-5, written out below), squared loadings
  scaled to unity per factor, each indicator's largest scaled squared loading times its factor's
  share of the rotated variance, normalised to sum 1;
- benefit of the doubt (Cherchye et al. 2007) by scipy.optimize.linprog (HiGHS) on five of
  those indicators, over the units with all five, without and with share bounds 10 %-40 %;
- AHP weights (Saaty): the principal eigenvector of a pairwise comparison matrix by
  numpy.linalg.eig, lambda_max, CI = (lambda_max - n)/(n - 1), CR = CI/RI (RI(4) = 0.90).

Run from the repository's root: python3 tests/independent/weights_asem.py
"""
import csv
import numpy as np
from scipy.optimize import linprog

PHYS = ["LPI", "Flights", "Ship", "Bord", "Elec", "Gas", "ConSpeed", "Cov4G"]
BOD = ["LPI", "Flights", "Ship", "Bord", "Cov4G"]


def load(cols):
    with open("examples/asem/asem.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    units = [r["unit"] for r in rows]
    x = np.array([[float(r[c]) if r[c] != "" else np.nan for c in cols] for r in rows])
    return units, x


def varimax(x, eps=1e-5):
    # R's stats::varimax(x, normalize = TRUE, eps = 1e-5)
    nc = x.shape[1]
    if nc < 2:
        return x
    sc = np.sqrt((x ** 2).sum(axis=1))
    x = x / sc[:, None]
    p = x.shape[0]
    tt = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ tt
        b = x.T @ (z ** 3 - z @ np.diag((z ** 2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        tt = u @ vt
        dpast = d
        d = s.sum()
        if d < dpast * (1 + eps):
            break
    return (x @ tt) * sc[:, None]


def pca_weights(x):
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    r = np.corrcoef(x, rowvar=False)
    vals, vecs = np.linalg.eigh(r)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    m = 0
    while m < k and vals[m] > 1 and vals[m] / k >= 0.10:
        m += 1
    m = max(m, 1)
    loadings = varimax(vecs[:, :m] * np.sqrt(vals[:m]))
    var = (loadings ** 2).sum(axis=0)
    share = var / var.sum()
    sq = loadings ** 2 / var
    factor = sq.argmax(axis=1)
    w = np.array([sq[i, factor[i]] * share[factor[i]] for i in range(k)])
    return x.shape[0], vals, m, vals[:m].sum() / k, w / w.sum()


def bod(y, lo=None, hi=None):
    out = []
    k = y.shape[1]
    for c in range(y.shape[0]):
        a_ub, b_ub = [list(row) for row in y], [1.0] * y.shape[0]
        own = y[c]
        for bound, sign in ((lo, -1.0), (hi, 1.0)):
            if bound is None:
                continue
            for i in range(k):
                # sign * (w_i y_ci - bound * sum_j w_j y_cj) <= 0
                a_ub.append([sign * ((own[j] if i == j else 0.0) - bound * own[j]) for j in range(k)])
                b_ub.append(0.0)
        res = linprog(-own, A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * k, method="highs")
        out.append(-res.fun)
    return np.array(out)


def ahp(a):
    vals, vecs = np.linalg.eig(a)
    i = np.argmax(vals.real)
    w = np.abs(vecs[:, i].real)
    w = w / w.sum()
    n = a.shape[0]
    lmax = vals[i].real
    ci = (lmax - n) / (n - 1)
    return w, lmax, ci, ci / 0.90


def main():
    _, x = load(PHYS)
    n, vals, m, cum, w = pca_weights(x)
    print("PCA complete cases", n, "retained", m, "cumulative", repr(cum))
    print("eigenvalues", [repr(v) for v in vals])
    print("weights", [repr(v) for v in w])
    units, y = load(BOD)
    keep = ~np.isnan(y).any(axis=1)
    ku = [u for u, k in zip(units, keep) if k]
    y = y[keep]
    s = bod(y)
    sb = bod(y, 0.10, 0.40)
    print("BOD units", len(ku))
    for u in ["AUS", "AUT", "BEL", "CHN", "IND", "SGP", "VNM"]:
        i = ku.index(u)
        print(u, "bod", repr(s[i]), "bounded", repr(sb[i]))
    # every unit, in the order of their codes: (unit, bod, bounded)
    for u, a, b in sorted(zip(ku, s, sb)):
        print(f'("{u}", {float(a)!r}, {float(b) + 0.0!r}),')
    # a 4 x 4 comparison matrix: a vs b 3, a vs c 5, a vs d 1/2, b vs c 2, b vs d 1/4, c vs d 1/7
    a = np.array([
        [1, 3, 5, 1 / 2],
        [1 / 3, 1, 2, 1 / 4],
        [1 / 5, 1 / 2, 1, 1 / 7],
        [2, 4, 7, 1],
    ])
    w, lmax, ci, cr = ahp(a)
    print("AHP weights", [repr(v) for v in w], "lambda_max", repr(lmax), "CI", repr(ci), "CR", repr(cr))


if __name__ == "__main__":
    main()
