//! Weights derived from a period's data, computed as the period is evaluated: principal
//! components / factor analysis weights (`weights pca`, the OECD/JRC Handbook's procedure) and
//! benefit-of-the-doubt weights (`aggregate bod`, one set per unit by linear programming).
//!
//! Pure functions of the children's score columns; what they derive is kept in
//! [`super::PeriodOutcome::derived`] for `explain`, the report and the result JSON.

use serde::Serialize;

/// The eigenvalues (largest first) and unit eigenvectors of a symmetric matrix, by cyclic Jacobi
/// rotations; each vector signed so that its largest element in absolute value is positive.
pub fn symmetric_eigen(m: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    let mut v = vec![vec![0.0; k]; k];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..k).map(|i| a[i][i] * a[i][i]).sum::<f64>().max(f64::MIN_POSITIVE);
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (arp, arq) = (row[p], row[q]);
                    row[p] = c * arp - s * arq;
                    row[q] = s * arp + c * arq;
                }
                let (rp, rq) = (a[p].clone(), a[q].clone());
                for (r, (apr, aqr)) in rp.iter().zip(&rq).enumerate() {
                    a[p][r] = c * apr - s * aqr;
                    a[q][r] = s * apr + c * aqr;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|x, y| a[*y][*y].total_cmp(&a[*x][*x]));
    let values = order.iter().map(|i| a[*i][*i]).collect();
    let vectors = order
        .iter()
        .map(|c| {
            let mut e: Vec<f64> = (0..k).map(|r| v[r][*c]).collect();
            let big = e.iter().copied().fold(0.0f64, |b, x| if x.abs() > b.abs() { x } else { b });
            if big < 0.0 {
                e.iter_mut().for_each(|x| *x = -*x);
            }
            e
        })
        .collect();
    (values, vectors)
}

/// The fewest complete cases for PCA weights.
pub const PCA_MIN_CASES: usize = 3;

/// Principal components / factor analysis weights of an area's children in one period, as the
/// OECD/JRC Handbook (2008), section 6.1.2 computes them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PcaWeights {
    /// Units with every child's score (the observations used).
    pub complete_cases: usize,
    /// Eigenvalues of the children's correlation matrix, largest first.
    pub eigenvalues: Vec<f64>,
    /// Components retained: the leading ones with eigenvalue > 1 and at least 10 % of the
    /// variance each (at least one).
    pub retained: usize,
    /// The share of the variance the retained components explain together (the Handbook asks
    /// for at least 60 %).
    pub cumulative: f64,
    /// Loadings after varimax rotation (R's `varimax()`, Kaiser normalisation, eps 1e-5), one row
    /// per child, one column per retained component (unrotated when one is retained).
    pub loadings: Vec<Vec<f64>>,
    /// Squared loadings scaled to unity sum within each factor, one row per child.
    pub squared: Vec<Vec<f64>>,
    /// Each factor's explained variance after rotation (Σ of its squared loadings) over the total
    /// of the retained factors.
    pub factor_shares: Vec<f64>,
    /// The factor each child is assigned to: where its scaled squared loading is largest.
    pub factor: Vec<usize>,
    /// The weights, summing to 1: scaled squared loading × the factor's share, normalised.
    pub weights: Vec<f64>,
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    let (mx, my) = (mean(x), mean(y));
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let syy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
    let r = sxy / (sxx * syy).sqrt();
    r.is_finite().then_some(r.clamp(-1.0, 1.0))
}

/// Why PCA weights cannot be computed in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum PcaFailure {
    /// Fewer than [`PCA_MIN_CASES`] units have every child's score.
    TooFewCases {
        /// Units with every score.
        cases: usize,
    },
    /// A child's score is the same in every complete case.
    NoVariance,
    /// Fewer than two children.
    TooFewChildren,
}

/// R's `varimax(x, normalize = TRUE, eps = 1e-5)`, rows = variables, columns = factors.
pub fn varimax(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let p = x.len();
    let nc = x.first().map(Vec::len).unwrap_or(0);
    if nc < 2 {
        return x.to_vec();
    }
    let sc: Vec<f64> = x.iter().map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt()).collect();
    let xn: Vec<Vec<f64>> =
        x.iter().zip(&sc).map(|(r, s)| r.iter().map(|v| if *s > 0.0 { v / s } else { 0.0 }).collect()).collect();
    let mut tt: Vec<Vec<f64>> = (0..nc).map(|i| (0..nc).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
    let mut d = 0.0;
    let mul = |a: &[Vec<f64>], b: &[Vec<f64>]| -> Vec<Vec<f64>> {
        a.iter().map(|r| (0..b[0].len()).map(|j| r.iter().zip(b).map(|(x, row)| x * row[j]).sum()).collect()).collect()
    };
    for _ in 0..1000 {
        let z = mul(&xn, &tt);
        // column sums of z²
        let cs: Vec<f64> = (0..nc).map(|j| z.iter().map(|r| r[j] * r[j]).sum()).collect();
        // B = xᵀ (z³ − z·diag(cs)/p)
        let inner: Vec<Vec<f64>> =
            z.iter().map(|r| (0..nc).map(|j| r[j].powi(3) - r[j] * cs[j] / p as f64).collect()).collect();
        let b: Vec<Vec<f64>> =
            (0..nc).map(|i| (0..nc).map(|j| (0..p).map(|r| xn[r][i] * inner[r][j]).sum()).collect()).collect();
        // the polar factor U·Vᵀ of B = U S Vᵀ: B · V S⁻¹ Vᵀ, with BᵀB = V S² Vᵀ
        let btb: Vec<Vec<f64>> =
            (0..nc).map(|i| (0..nc).map(|j| (0..nc).map(|r| b[r][i] * b[r][j]).sum()).collect()).collect();
        let (s2, vecs) = symmetric_eigen(&btb);
        let s: Vec<f64> = s2.iter().map(|x| x.max(0.0).sqrt()).collect();
        if s.iter().any(|x| *x <= 0.0) {
            break;
        }
        // V S⁻¹ Vᵀ
        let inv_sqrt: Vec<Vec<f64>> =
            (0..nc).map(|i| (0..nc).map(|j| (0..nc).map(|c| vecs[c][i] * vecs[c][j] / s[c]).sum()).collect()).collect();
        tt = mul(&b, &inv_sqrt);
        let dpast = d;
        d = s.iter().sum();
        if d < dpast * (1.0 + 1e-5) {
            break;
        }
    }
    let z = mul(&xn, &tt);
    z.iter().zip(&sc).map(|(r, s)| r.iter().map(|v| v * s).collect()).collect()
}

/// PCA weights of k children from their score columns (`None` missing), over complete cases.
pub fn pca_weights(columns: &[Vec<Option<f64>>]) -> Result<PcaWeights, PcaFailure> {
    let k = columns.len();
    if k < 2 {
        return Err(PcaFailure::TooFewChildren);
    }
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let rows: Vec<usize> = (0..n).filter(|u| columns.iter().all(|c| c[*u].is_some())).collect();
    if rows.len() < PCA_MIN_CASES {
        return Err(PcaFailure::TooFewCases { cases: rows.len() });
    }
    let cols: Vec<Vec<f64>> = columns.iter().map(|c| rows.iter().map(|u| c[*u].unwrap_or(0.0)).collect()).collect();
    let mut r = vec![vec![0.0; k]; k];
    for i in 0..k {
        r[i][i] = 1.0;
        for j in i + 1..k {
            let v = correlation(&cols[i], &cols[j]).ok_or(PcaFailure::NoVariance)?;
            r[i][j] = v;
            r[j][i] = v;
        }
    }
    let (eigenvalues, vectors) = symmetric_eigen(&r);
    let eigenvalues: Vec<f64> = eigenvalues.into_iter().map(|l| l.max(0.0)).collect();
    let kf = k as f64;
    let retained = eigenvalues.iter().take_while(|l| **l > 1.0 && **l / kf >= 0.10).count().max(1);
    let cumulative = eigenvalues[..retained].iter().sum::<f64>() / kf;
    // loadings: eigenvector × √eigenvalue
    let raw: Vec<Vec<f64>> =
        (0..k).map(|i| (0..retained).map(|c| vectors[c][i] * eigenvalues[c].sqrt()).collect()).collect();
    let loadings = varimax(&raw);
    let variance: Vec<f64> = (0..retained).map(|c| loadings.iter().map(|r| r[c] * r[c]).sum()).collect();
    let total: f64 = variance.iter().sum();
    let factor_shares: Vec<f64> = variance.iter().map(|v| v / total).collect();
    let squared: Vec<Vec<f64>> =
        loadings.iter().map(|r| r.iter().zip(&variance).map(|(l, v)| l * l / v).collect()).collect();
    let factor: Vec<usize> =
        squared.iter().map(|r| (0..retained).fold(0, |best, c| if r[c] > r[best] { c } else { best })).collect();
    let raw_w: Vec<f64> = (0..k).map(|i| squared[i][factor[i]] * factor_shares[factor[i]]).collect();
    let sum: f64 = raw_w.iter().sum();
    let weights = raw_w.iter().map(|w| w / sum).collect();
    Ok(PcaWeights {
        complete_cases: rows.len(),
        eigenvalues,
        retained,
        cumulative,
        loadings,
        squared,
        factor_shares,
        factor,
        weights,
    })
}

/// One unit's benefit-of-the-doubt result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BodUnit {
    /// Unit code.
    pub unit: String,
    /// The BOD score (0–1): the unit's weighted sum under its own optimal weights; null when it
    /// lacks a child's score.
    pub score: Option<f64>,
    /// Its optimal weights, one per child (empty when not computed).
    pub weights: Vec<f64>,
}

/// Benefit-of-the-doubt scores and weights (Cherchye, Moesen, Rogge and Van Puyenbroeck 2007;
/// the Handbook, section 6.1.3): for each unit c, maximise Σᵢ wᵢ·y_ci subject to Σᵢ wᵢ·y_di ≤ 1
/// for every unit d, wᵢ ≥ 0 and, when given, each child's share wᵢ·y_ci / Σⱼ wⱼ·y_cj of the
/// unit's own sum within [min_share, max_share]. `rows` are the units with every child's score
/// (non-negative); the result is one (score, weights) per row, or `None` if the solver fails.
pub fn bod(rows: &[Vec<f64>], min_share: Option<f64>, max_share: Option<f64>) -> Vec<Option<(f64, Vec<f64>)>> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem};
    let k = rows.first().map(Vec::len).unwrap_or(0);
    let max_of: Vec<f64> = (0..k).map(|i| rows.iter().map(|r| r[i]).fold(0.0, f64::max)).collect();
    rows.iter()
        .map(|own| {
            let mut p = Problem::new(OptimizationDirection::Maximize);
            // wᵢ ≤ 1/maxᵢ is implied by the constraints; it keeps the problem bounded when a child
            // is 0 everywhere (then its weight is 0)
            let w: Vec<_> =
                (0..k).map(|i| p.add_var(own[i], (0.0, if max_of[i] > 0.0 { 1.0 / max_of[i] } else { 0.0 }))).collect();
            for r in rows {
                let terms: Vec<_> = w.iter().zip(r).map(|(v, y)| (*v, *y)).collect();
                p.add_constraint(terms.as_slice(), ComparisonOp::Le, 1.0);
            }
            for (bound, op) in [(min_share, ComparisonOp::Ge), (max_share, ComparisonOp::Le)] {
                let Some(b) = bound else { continue };
                for i in 0..k {
                    // wᵢ·y_ci − b·Σⱼ wⱼ·y_cj (≥ or ≤) 0
                    let terms: Vec<_> =
                        (0..k).map(|j| (w[j], if i == j { own[j] - b * own[j] } else { -b * own[j] })).collect();
                    p.add_constraint(terms.as_slice(), op, 0.0);
                }
            }
            let solution = p.solve().ok()?.into_solution().ok()?;
            let weights: Vec<f64> = w.iter().map(|v| solution.var_value(*v).max(0.0)).collect();
            let score: f64 = weights.iter().zip(own).map(|(a, b)| a * b).sum();
            Some((score.clamp(0.0, 1.0), weights))
        })
        .collect()
}
