//! The statistics of the audit, as R and COINr compute them: Pearson's and Spearman's
//! correlation over pairwise-complete observations (`stats::cor(use = "pairwise.complete.obs")`,
//! what COINr's `get_corr()` calls), the two-sided p-value of Pearson's r (`stats::cor.test()`),
//! sample covariances, and Cronbach's alpha as COINr's `get_cronbach()`.
//!
//! Pure functions of columns (`Option<f64>` per unit, `None` missing). None returns NaN or an
//! infinity: a figure that cannot be computed says why ([`Why`]). Every figure needs at least
//! [`MIN_PAIRS`] units with both values present; R computes a correlation from 2 points (always
//! ±1) and a covariance from 2, which says nothing about a methodology.

use std::fmt;

/// The fewest units with both values present for a correlation or a covariance.
pub const MIN_PAIRS: usize = 3;

/// Why a figure cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Fewer than [`MIN_PAIRS`] units have both values.
    TooFewPairs {
        /// Units with both values.
        pairs: usize,
    },
    /// Every value of a column is the same (in the units used): its standard deviation is 0.
    NoVariance {
        /// The first column has no variance.
        x: bool,
        /// The second column has no variance.
        y: bool,
    },
    /// Cronbach's alpha of fewer than two columns.
    TooFewColumns {
        /// How many there are.
        columns: usize,
    },
    /// Cronbach's alpha when the covariances sum to 0 (every column constant).
    ZeroTotalVariance,
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Why::TooFewPairs { pairs } => write!(f, "{pairs} units with both values, {MIN_PAIRS} needed"),
            Why::NoVariance { .. } => write!(f, "a column has no variance"),
            Why::TooFewColumns { columns } => write!(f, "{columns} column(s), 2 needed"),
            Why::ZeroTotalVariance => write!(f, "the covariances sum to 0"),
        }
    }
}

/// Neumaier-compensated sum.
fn sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut comp) = (0.0f64, 0.0f64);
    for x in xs {
        let t = s + x;
        if s.abs() >= x.abs() {
            comp += (s - t) + x;
        } else {
            comp += (x - t) + s;
        }
        s = t;
    }
    s + comp
}

/// The mean as R's `mean()` (and `cor()`'s C code): the sum over n, corrected by the mean of the
/// residuals.
fn mean(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let m = sum(xs.iter().copied()) / n;
    m + sum(xs.iter().map(|x| x - m)) / n
}

fn constant(xs: &[f64]) -> bool {
    xs.iter().all(|x| *x == xs[0])
}

/// The units with both values present: the two columns of pairwise-complete observations.
pub fn pairwise(x: &[Option<f64>], y: &[Option<f64>]) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter_map(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => Some((*a, *b)),
            _ => None,
        })
        .unzip()
}

/// Pearson's r of two columns of equal length (complete observations):
/// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²), kept within [−1, 1] (as R does).
pub fn pearson(x: &[f64], y: &[f64]) -> Result<f64, Why> {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    if n < MIN_PAIRS {
        return Err(Why::TooFewPairs { pairs: n });
    }
    let (cx, cy) = (constant(x), constant(y));
    if cx || cy {
        return Err(Why::NoVariance { x: cx, y: cy });
    }
    let (mx, my) = (mean(x), mean(y));
    let sxy = sum(x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)));
    let sxx = sum(x.iter().map(|a| (a - mx) * (a - mx)));
    let syy = sum(y.iter().map(|b| (b - my) * (b - my)));
    // one square root of the product (exact for exact inputs: 8/√100 = 0.8, where √10·√10 is
    // not 10); the two roots only if the product leaves the range of binary64
    let prod = sxx * syy;
    let r = if prod.is_normal() { sxy / prod.sqrt() } else { sxy / (sxx.sqrt() * syy.sqrt()) };
    if r.is_finite() {
        // no negative zero in the results
        Ok(if r == 0.0 { 0.0 } else { r.clamp(-1.0, 1.0) })
    } else {
        // a spread too small for binary64 (values equal but for the last bits)
        Err(Why::NoVariance { x: sxx == 0.0 || !sxx.is_finite(), y: syy == 0.0 || !syy.is_finite() })
    }
}

/// Ranks 1…n, ties given the mean of the ranks they span (R's `rank(ties.method = "average")`).
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        // positions i..=j (0-based) hold ranks i+1..=j+1; their mean
        let r = (i + j) as f64 / 2.0 + 1.0;
        for k in &order[i..=j] {
            ranks[*k] = r;
        }
        i = j + 1;
    }
    ranks
}

/// Spearman's ρ of two columns (complete observations): Pearson's r of their average ranks, the
/// ranks taken within these observations (as R's `cor(method = "spearman", use =
/// "pairwise.complete.obs")` ranks each pair's complete observations).
pub fn spearman(x: &[f64], y: &[f64]) -> Result<f64, Why> {
    let n = x.len().min(y.len());
    if n < MIN_PAIRS {
        return Err(Why::TooFewPairs { pairs: n });
    }
    pearson(&average_ranks(&x[..n]), &average_ranks(&y[..n]))
}

/// The two-sided p-value of Pearson's r from n pairs, as R's `cor.test()`: t = r·√(n − 2)/√(1 − r²)
/// on n − 2 degrees of freedom, p = P(|T| ≥ |t|) = I_{df/(df + t²)}(df/2, 1/2). `None` for
/// n < 3; 0 for |r| = 1.
pub fn pearson_p_value(r: f64, n: usize) -> Option<f64> {
    if n < MIN_PAIRS || !r.is_finite() {
        return None;
    }
    let df = (n - 2) as f64;
    let r2 = r * r;
    if r2 >= 1.0 {
        return Some(0.0);
    }
    // df/(df + t²) with t² = r²·df/(1 − r²) is 1 − r²
    let x = 1.0 - r2;
    let p = incomplete_beta(df / 2.0, 0.5, x)?;
    Some(p.clamp(0.0, 1.0))
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction (modified
/// Lentz's method), on the side where it converges fast.
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&x) || a <= 0.0 || b <= 0.0 {
        return None;
    }
    if x == 0.0 || x == 1.0 {
        return Some(x);
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b) + a * libm::log(x) + b * libm::log1p(-x);
    let front = libm::exp(ln_front);
    let v = if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x)? / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x)? / b
    };
    v.is_finite().then_some(v)
}

fn beta_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=1000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            return Some(h);
        }
    }
    None
}

/// The sample covariance (n − 1) of two columns of complete observations.
pub fn covariance(x: &[f64], y: &[f64]) -> Result<f64, Why> {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    if n < MIN_PAIRS {
        return Err(Why::TooFewPairs { pairs: n });
    }
    let (mx, my) = (mean(x), mean(y));
    Ok(sum(x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my))) / (n - 1) as f64)
}

/// Cronbach's alpha and the figures it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alpha {
    /// The value.
    pub alpha: f64,
    /// The number of columns k.
    pub k: usize,
    /// The smallest number of units behind a covariance.
    pub min_pairs: usize,
}

/// Where a covariance of Cronbach's alpha could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlphaWhy {
    /// Why.
    pub why: Why,
    /// The pair of columns (positions) concerned, if one pair is the cause.
    pub pair: Option<(usize, usize)>,
}

/// The sample covariance matrix of k columns over pairwise-complete observations (R's
/// `cov(use = "pairwise.complete.obs")`), row by row; every covariance needs [`MIN_PAIRS`] units.
pub fn covariance_matrix(columns: &[Vec<Option<f64>>]) -> Result<Vec<Vec<f64>>, AlphaWhy> {
    let k = columns.len();
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in i..k {
            let (x, y) = pairwise(&columns[i], &columns[j]);
            let v = covariance(&x, &y).map_err(|why| AlphaWhy { why, pair: Some((i, j)) })?;
            c[i][j] = v;
            c[j][i] = v;
        }
    }
    Ok(c)
}

/// Cronbach's alpha of the columns `keep` of a covariance matrix (the formula of
/// [`cronbach_pairwise`]).
pub fn alpha_of_matrix(c: &[Vec<f64>], keep: &[usize]) -> Result<f64, Why> {
    let k = keep.len();
    if k < 2 {
        return Err(Why::TooFewColumns { columns: k });
    }
    let all: Vec<f64> = keep.iter().flat_map(|i| keep.iter().map(move |j| c[*i][*j])).collect();
    let diag: Vec<f64> = keep.iter().map(|i| c[*i][*i]).collect();
    alpha_of(k, &all, &diag, 0).map(|a| a.alpha).map_err(|w| w.why)
}

/// Cronbach's alpha if each column is deleted in turn: alpha of the k − 1 others, from the
/// covariance matrix over pairwise-complete observations (R's `psych::alpha()` `alpha.drop`,
/// `raw_alpha`, with COINr's pairwise covariances). Not computable for k < 3.
pub fn alpha_if_deleted(c: &[Vec<f64>]) -> Vec<Result<f64, Why>> {
    let k = c.len();
    (0..k)
        .map(|i| {
            let keep: Vec<usize> = (0..k).filter(|j| *j != i).collect();
            alpha_of_matrix(c, &keep)
        })
        .collect()
}

/// The corrected item-total (item–rest) correlation of each column: the correlation of the column
/// with the sum of the others, from the covariance matrix:
/// r = Σ_{j≠i} C_ij / √(C_ii · Σ_{j,l≠i} C_jl) (`psych::alpha()` `r.drop`). Over complete
/// observations this is Pearson's r of the column and the sum of the others.
pub fn item_rest(c: &[Vec<f64>]) -> Vec<Result<f64, Why>> {
    let k = c.len();
    (0..k)
        .map(|i| {
            if k < 2 {
                return Err(Why::TooFewColumns { columns: k });
            }
            let cov = sum((0..k).filter(|j| *j != i).map(|j| c[i][j]));
            let var_rest = sum((0..k)
                .filter(|j| *j != i)
                .flat_map(|j| (0..k).filter(|l| *l != i).map(move |l| (j, l)))
                .map(|(j, l)| c[j][l]));
            let (vi, vr) = (c[i][i], var_rest);
            if vi <= 0.0 || vr <= 0.0 {
                return Err(Why::NoVariance { x: vi <= 0.0, y: vr <= 0.0 });
            }
            let r = cov / (vi * vr).sqrt();
            if r.is_finite() {
                Ok(r.clamp(-1.0, 1.0))
            } else {
                Err(Why::NoVariance { x: true, y: true })
            }
        })
        .collect()
}

/// The principal components of k columns, as R's `prcomp(scale = TRUE)` on the complete cases
/// (what COINr's `get_PCA()` runs): the eigenvalues of the correlation matrix, largest first, with
/// their unit eigenvectors (loadings of `prcomp`'s `rotation`, each signed so that its largest
/// element in absolute value is positive).
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    /// Units with every column present (the observations used).
    pub complete_cases: usize,
    /// Eigenvalues of the correlation matrix, largest first (they sum to k).
    pub eigenvalues: Vec<f64>,
    /// `vectors[c][i]`: column i's element of component c's unit eigenvector.
    pub vectors: Vec<Vec<f64>>,
    /// The correlation matrix.
    pub correlations: Vec<Vec<f64>>,
}

/// The complete cases of k columns, column by column.
pub fn complete_cases(columns: &[Vec<Option<f64>>]) -> Vec<Vec<f64>> {
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let rows: Vec<usize> = (0..n).filter(|u| columns.iter().all(|c| c[*u].is_some())).collect();
    columns.iter().map(|c| rows.iter().map(|u| c[*u].unwrap_or(0.0)).collect()).collect()
}

/// Principal components of the columns over complete cases; see [`Components`].
pub fn components(columns: &[Vec<Option<f64>>]) -> Result<Components, Why> {
    let k = columns.len();
    if k < 2 {
        return Err(Why::TooFewColumns { columns: k });
    }
    let cols = complete_cases(columns);
    let n = cols.first().map(Vec::len).unwrap_or(0);
    if n < MIN_PAIRS {
        return Err(Why::TooFewPairs { pairs: n });
    }
    let mut r = vec![vec![0.0; k]; k];
    for i in 0..k {
        r[i][i] = 1.0;
        for j in i + 1..k {
            let v = pearson(&cols[i], &cols[j])?;
            r[i][j] = v;
            r[j][i] = v;
        }
    }
    let (values, vectors) = crate::eval::weights::symmetric_eigen(&r);
    // a correlation matrix over complete cases is positive semi-definite: a negative eigenvalue
    // is rounding
    let values = values.into_iter().map(|l| l.max(0.0)).collect();
    Ok(Components { complete_cases: n, eigenvalues: values, vectors, correlations: r })
}

/// Cronbach's alpha of k columns as COINr's `get_cronbach()` (`R/correlations.R`): the covariance
/// matrix C with pairwise-complete observations (`stats::cov(use = "pairwise.complete.obs")`,
/// COINr's default), Σ = the sum of all its elements, σ̄ = (Σ − tr C)/(k(k − 1)) the mean
/// covariance off the diagonal, and α = k²·σ̄/Σ — the same as k/(k − 1)·(1 − tr C/Σ).
///
/// COINr drops a covariance that R cannot compute (`na.rm = TRUE`); here every covariance needs
/// [`MIN_PAIRS`] units, or alpha is not computed.
pub fn cronbach_pairwise(columns: &[Vec<Option<f64>>]) -> Result<Alpha, AlphaWhy> {
    let k = columns.len();
    if k < 2 {
        return Err(AlphaWhy { why: Why::TooFewColumns { columns: k }, pair: None });
    }
    let mut all = vec![];
    let mut diag = vec![];
    let mut min_pairs = usize::MAX;
    for i in 0..k {
        for j in 0..k {
            let (x, y) = pairwise(&columns[i], &columns[j]);
            min_pairs = min_pairs.min(x.len());
            let c = covariance(&x, &y).map_err(|why| AlphaWhy { why, pair: Some((i.min(j), i.max(j))) })?;
            all.push(c);
            if i == j {
                diag.push(c);
            }
        }
    }
    alpha_of(k, &all, &diag, min_pairs)
}

/// Cronbach's alpha over complete cases only (the units with every column present), by the same
/// formula: `get_cronbach(use = "complete.obs")`.
pub fn cronbach_complete(columns: &[Vec<Option<f64>>]) -> Result<Alpha, AlphaWhy> {
    let k = columns.len();
    if k < 2 {
        return Err(AlphaWhy { why: Why::TooFewColumns { columns: k }, pair: None });
    }
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let rows: Vec<usize> = (0..n).filter(|u| columns.iter().all(|c| c[*u].is_some())).collect();
    if rows.len() < MIN_PAIRS {
        return Err(AlphaWhy { why: Why::TooFewPairs { pairs: rows.len() }, pair: None });
    }
    let cols: Vec<Vec<f64>> = columns.iter().map(|c| rows.iter().map(|u| c[*u].unwrap_or(0.0)).collect()).collect();
    let mut all = vec![];
    let mut diag = vec![];
    for i in 0..k {
        for j in 0..k {
            let c = covariance(&cols[i], &cols[j]).map_err(|why| AlphaWhy { why, pair: None })?;
            all.push(c);
            if i == j {
                diag.push(c);
            }
        }
    }
    alpha_of(k, &all, &diag, rows.len())
}

fn alpha_of(k: usize, all: &[f64], diag: &[f64], min_pairs: usize) -> Result<Alpha, AlphaWhy> {
    let sigall = sum(all.iter().copied());
    if sigall == 0.0 || !sigall.is_finite() {
        return Err(AlphaWhy { why: Why::ZeroTotalVariance, pair: None });
    }
    let kf = k as f64;
    let sigav = (sigall - sum(diag.iter().copied())) / (kf * (kf - 1.0));
    let alpha = kf * kf * sigav / sigall;
    if alpha.is_finite() {
        Ok(Alpha { alpha, k, min_pairs })
    } else {
        Err(AlphaWhy { why: Why::ZeroTotalVariance, pair: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn average_ranks_share_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 20.0, 5.0, 20.0]), [2.0, 4.0, 4.0, 1.0, 4.0]);
        assert_eq!(average_ranks(&[3.0, 1.0, 2.0]), [3.0, 1.0, 2.0]);
        assert_eq!(average_ranks(&[1.0, 1.0]), [1.5, 1.5]);
    }

    #[test]
    fn p_values_are_those_of_r() {
        // R: cor.test(c(1,2,3,4,5), c(2,1,4,3,5))$p.value = 0.1041 (r = 0.8)
        let p = pearson_p_value(0.8, 5).expect("p");
        assert!(close(p, 0.104088039, 1e-8), "{p}");
        // n = 3: p = 1 − 2·asin(|r|)/π... for df = 1, p = 1 − (2/π)·atan(|t|)
        let r: f64 = 0.5;
        let t = r / (1.0 - r * r).sqrt();
        let want = 1.0 - 2.0 / std::f64::consts::PI * t.atan();
        assert!(close(pearson_p_value(r, 3).expect("p"), want, 1e-13));
        assert_eq!(pearson_p_value(1.0, 4), Some(0.0));
        assert_eq!(pearson_p_value(0.0, 10), Some(1.0));
        assert_eq!(pearson_p_value(0.3, 2), None);
        // df = 2: p = 1 − |t|/√(2 + t²) exactly
        let r: f64 = -0.7;
        let t2 = r * r * 2.0 / (1.0 - r * r);
        let want = 1.0 - (t2 / (2.0 + t2)).sqrt();
        assert!(close(pearson_p_value(r, 4).expect("p"), want, 1e-13));
    }

    #[test]
    fn incomplete_beta_at_known_points() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b
        assert!(close(incomplete_beta(1.0, 1.0, 0.3).expect("I"), 0.3, 1e-14));
        assert!(close(incomplete_beta(2.5, 1.0, 0.6).expect("I"), 0.6f64.powf(2.5), 1e-14));
        assert!(close(incomplete_beta(1.0, 3.0, 0.2).expect("I"), 1.0 - 0.8f64.powi(3), 1e-14));
        assert_eq!(incomplete_beta(2.0, 2.0, 1.5), None);
    }

    #[test]
    fn covariance_is_sample_covariance() {
        assert_eq!(covariance(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Ok(2.0));
        assert_eq!(covariance(&[1.0, 2.0], &[1.0, 2.0]), Err(Why::TooFewPairs { pairs: 2 }));
    }
}
