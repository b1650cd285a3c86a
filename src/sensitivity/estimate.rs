//! The numbers of a sensitivity analysis, as pure functions: the counter-based random numbers,
//! the Saltelli sample design, the first-order and total sensitivity indices with their bootstrap
//! intervals, and the quantiles of ranks. Each is COINr's (`R/sensitivity.R`: `SA_sample`,
//! `SA_estimate`, `get_sensitivity`'s `RankStats`), written out in its documentation.

/// The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijection of 64-bit words whose
/// output bits all depend on every input bit.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// A uniform number in [0, 1) that depends only on its coordinates: `seed`, a `stream` (which
/// matrix or which use), a `row` and a `col`. Each coordinate goes through the SplitMix64
/// finaliser in turn; the top 53 bits of the last word are the number's mantissa. No state is
/// carried from one draw to the next, so a sample's numbers do not depend on which thread draws
/// them, or in which order.
#[inline]
pub fn uniform(seed: u64, stream: u64, row: u64, col: u64) -> f64 {
    let mut h = mix(seed.wrapping_add(GOLDEN));
    h = mix(h ^ stream.wrapping_mul(GOLDEN).wrapping_add(1));
    h = mix(h ^ row.wrapping_mul(GOLDEN).wrapping_add(2));
    h = mix(h ^ col.wrapping_mul(GOLDEN).wrapping_add(3));
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The stream of the sample matrix A.
pub const STREAM_A: u64 = 1;
/// The stream of the sample matrix B.
pub const STREAM_B: u64 = 2;
/// The stream of the noisy weight sets (`vary weights by …`).
pub const STREAM_WEIGHTS: u64 = 3;
/// The stream of the bootstrap resamples.
pub const STREAM_BOOT: u64 = 4;

/// The sample design: which rows a run evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    /// N, the base sample count.
    pub n: usize,
    /// k, the number of uncertain factors.
    pub k: usize,
    /// The Saltelli design (N·(k + 2) rows) rather than N random rows.
    pub saltelli: bool,
    /// The seed.
    pub seed: u64,
}

impl Design {
    /// The number of rows (evaluations): N for an uncertainty analysis, N·(k + 2) for a
    /// sensitivity analysis.
    pub fn rows(&self) -> usize {
        if self.saltelli {
            self.n * (self.k + 2)
        } else {
            self.n
        }
    }

    /// The rows whose ranks make the rank statistics: all N of an uncertainty analysis; the 2N
    /// rows of A and B of a sensitivity analysis (COINr: "only keep first 2N cols, which
    /// correspond to random sampling").
    pub fn stats_rows(&self) -> usize {
        if self.saltelli {
            2 * self.n
        } else {
            self.n
        }
    }

    /// Row `row` of the design, written into `u` (length k). COINr's `SA_sample(N, d)`: rows
    /// 0..N are A, rows N..2N are B, and block i (rows (2 + i)·N … (3 + i)·N) is A with its
    /// column i taken from B. `A[j][c] = uniform(seed, STREAM_A, j, c)`,
    /// `B[j][c] = uniform(seed, STREAM_B, j, c)`. An uncertainty analysis uses A alone, so its
    /// rows are the first N rows of the sensitivity analysis with the same seed.
    pub fn row(&self, row: usize, u: &mut [f64]) {
        let (n, seed) = (self.n, self.seed);
        let a = |j: usize, c: usize| uniform(seed, STREAM_A, j as u64, c as u64);
        let b = |j: usize, c: usize| uniform(seed, STREAM_B, j as u64, c as u64);
        if row < n {
            for (c, x) in u.iter_mut().enumerate() {
                *x = a(row, c);
            }
        } else if row < 2 * n {
            for (c, x) in u.iter_mut().enumerate() {
                *x = b(row - n, c);
            }
        } else {
            let (i, j) = ((row - 2 * n) / n, (row - 2 * n) % n);
            for (c, x) in u.iter_mut().enumerate() {
                *x = if c == i { b(j, c) } else { a(j, c) };
            }
        }
    }
}

/// The alternative a uniform number picks among `n` equally likely ones: ⌊u·n⌋ (COINr's
/// `cut(x, n)`, which splits the sample's range rather than [0, 1] into n intervals).
#[inline]
pub fn pick(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n.saturating_sub(1))
}

/// R's `quantile(x, p)` (type 7) of sorted values: with h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// R's `median` of sorted values (the mean of the two middle ones for an even count).
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        None
    } else if n % 2 == 1 {
        Some(sorted[n / 2])
    } else {
        Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0)
    }
}

/// R's `var`: the sample variance (n − 1) of the finite values.
pub fn variance(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = xs.filter(|x| x.is_finite()).collect();
    if v.len() < 2 {
        return None;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    Some(v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64)
}

/// The sensitivity indices of one factor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Indices {
    /// First-order index Sᵢ (Saltelli 2010), `None` when the output does not vary.
    pub first_order: Option<f64>,
    /// Total index Sᴛᵢ (Jansen 1999).
    pub total: Option<f64>,
    /// The bootstrap 5 % and 95 % quantiles of Sᵢ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_order_interval: Option<[f64; 2]>,
    /// The bootstrap 5 % and 95 % quantiles of Sᴛᵢ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_interval: Option<[f64; 2]>,
}

/// The estimates of a sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimates {
    /// Var(y) over the rows of A and B (R's `var(c(yA, yB))`).
    pub variance: Option<f64>,
    /// Per factor, in declaration order.
    pub factors: Vec<Indices>,
}

/// COINr's `SA_estimate(y, N, d, Nboot)`: `y` holds the N·(k + 2) outputs of [`Design::row`]'s
/// rows. With yA, yB and yABᵢ the blocks of A, B and A-with-column-i-from-B, and V = var(yA ∪ yB):
///
/// - Sᵢ = mean_j(yB_j · (yABᵢ_j − yA_j)) / V (Saltelli et al. 2010);
/// - Sᴛᵢ = Σ_j (yA_j − yABᵢ_j)² / (2N · V) (Jansen 1999).
///
/// A row whose output is not a number (no unit could be ranked) is left out of V and of the
/// indices it takes part in (N counting the rows kept); COINr would give NA. With `boot` > 0,
/// each index is re-estimated on `boot` resamples (with replacement) of its N terms, V fixed,
/// and the 5 % and 95 % quantiles (type 7) of the resampled indices are its interval, as COINr's
/// `Nboot`. Resample b of factor i draws its N positions as ⌊N·uniform(seed, STREAM_BOOT, b,
/// i·N + t)⌋.
pub fn estimate(y: &[f64], n: usize, k: usize, boot: usize, seed: u64) -> Estimates {
    assert_eq!(y.len(), n * (k + 2), "the outputs of a Saltelli design");
    let (ya, yb) = (&y[..n], &y[n..2 * n]);
    let variance = variance(ya.iter().chain(yb).copied()).filter(|v| *v > 0.0);
    let factors = (0..k)
        .map(|i| {
            let yab = &y[(2 + i) * n..(3 + i) * n];
            let Some(v) = variance else {
                return Indices { first_order: None, total: None, first_order_interval: None, total_interval: None };
            };
            // the terms of the two estimators, over the rows where all three outputs are numbers
            let mut s_terms = Vec::with_capacity(n);
            let mut t_terms = Vec::with_capacity(n);
            for j in 0..n {
                if ya[j].is_finite() && yb[j].is_finite() && yab[j].is_finite() {
                    s_terms.push(yb[j] * (yab[j] - ya[j]));
                    t_terms.push(ya[j] - yab[j]);
                }
            }
            let m = s_terms.len();
            if m == 0 {
                return Indices { first_order: None, total: None, first_order_interval: None, total_interval: None };
            }
            let si = |terms: &mut dyn Iterator<Item = f64>| terms.sum::<f64>() / m as f64 / v;
            let sti = |terms: &mut dyn Iterator<Item = f64>| terms.map(|d| d * d).sum::<f64>() / (2.0 * m as f64 * v);
            let first = si(&mut s_terms.iter().copied());
            let total = sti(&mut t_terms.iter().copied());
            let (mut first_order_interval, mut total_interval) = (None, None);
            if boot > 0 {
                let mut bs = Vec::with_capacity(boot);
                let mut bt = Vec::with_capacity(boot);
                for b in 0..boot {
                    let at = |t: usize| pick(uniform(seed, STREAM_BOOT, b as u64, (i * m + t) as u64), m);
                    bs.push(si(&mut (0..m).map(|t| s_terms[at(t)])));
                    // an independent resample for the total index, as COINr draws one per estimator
                    let at2 = |t: usize| pick(uniform(seed, STREAM_BOOT, b as u64, ((k + i) * m + t) as u64), m);
                    bt.push(sti(&mut (0..m).map(|t| t_terms[at2(t)])));
                }
                bs.sort_by(f64::total_cmp);
                bt.sort_by(f64::total_cmp);
                first_order_interval =
                    Some([quantile(&bs, 0.05).unwrap_or(first), quantile(&bs, 0.95).unwrap_or(first)]);
                total_interval = Some([quantile(&bt, 0.05).unwrap_or(total), quantile(&bt, 0.95).unwrap_or(total)]);
            }
            Indices { first_order: Some(first), total: Some(total), first_order_interval, total_interval }
        })
        .collect();
    Estimates { variance, factors }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_are_in_range_and_depend_on_every_coordinate() {
        let x = uniform(1, 2, 3, 4);
        assert!((0.0..1.0).contains(&x));
        for other in [uniform(2, 2, 3, 4), uniform(1, 3, 3, 4), uniform(1, 2, 4, 4), uniform(1, 2, 3, 5)] {
            assert_ne!(x, other);
        }
        assert_eq!(x, uniform(1, 2, 3, 4));
        // roughly uniform: the mean of many draws is near 1/2, the variance near 1/12
        let xs: Vec<f64> = (0..100_000).map(|j| uniform(7, STREAM_A, j, 0)).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let v = variance(xs.iter().copied()).unwrap();
        assert!((m - 0.5).abs() < 0.005, "{m}");
        assert!((v - 1.0 / 12.0).abs() < 0.002, "{v}");
    }

    #[test]
    fn saltelli_rows_are_a_b_and_a_with_one_column_of_b() {
        let d = Design { n: 4, k: 3, saltelli: true, seed: 9 };
        assert_eq!(d.rows(), 20);
        assert_eq!(d.stats_rows(), 8);
        let row = |r: usize| {
            let mut u = vec![0.0; 3];
            d.row(r, &mut u);
            u
        };
        for j in 0..4 {
            let (a, b) = (row(j), row(4 + j));
            for i in 0..3 {
                let ab = row(8 + i * 4 + j);
                for c in 0..3 {
                    assert_eq!(ab[c], if c == i { b[c] } else { a[c] });
                }
            }
        }
        // an uncertainty analysis draws the rows of A
        let ua = Design { saltelli: false, ..d };
        let mut u = vec![0.0; 3];
        ua.row(2, &mut u);
        assert_eq!(u, row(2));
    }

    #[test]
    fn quantiles_are_r_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&x, 0.05), Some(1.2));
        assert_eq!(quantile(&x, 0.95), Some(8.799999999999999));
        assert_eq!(quantile(&x, 0.5), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        assert_eq!(quantile(&[5.0], 0.95), Some(5.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(pick(0.0, 3), 0);
        assert_eq!(pick(0.999_999, 3), 2);
        assert_eq!(pick(0.5, 2), 1);
    }

    /// COINr's own example of `SA_estimate`: y = x₁ + 2x₂ + 3x₃ with independent uniform
    /// inputs, so Sᵢ = Sᴛᵢ = aᵢ² / Σa² = 1/14, 4/14, 9/14.
    #[test]
    fn a_linear_function_has_first_order_equal_to_total_equal_to_its_share_of_variance() {
        let (n, k) = (20_000, 3);
        let d = Design { n, k, saltelli: true, seed: 42 };
        let mut u = vec![0.0; k];
        let y: Vec<f64> = (0..d.rows())
            .map(|r| {
                d.row(r, &mut u);
                u[0] + 2.0 * u[1] + 3.0 * u[2]
            })
            .collect();
        let e = estimate(&y, n, k, 200, 42);
        let want = [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0];
        for (i, f) in e.factors.iter().enumerate() {
            let (s, t) = (f.first_order.unwrap(), f.total.unwrap());
            assert!((s - want[i]).abs() < 0.03, "S{i} = {s}, want {}", want[i]);
            assert!((t - want[i]).abs() < 0.02, "ST{i} = {t}, want {}", want[i]);
            let [lo, hi] = f.total_interval.unwrap();
            assert!(lo <= t && t <= hi, "{lo} {t} {hi}");
            let [lo, hi] = f.first_order_interval.unwrap();
            assert!(lo < hi);
        }
        // Var(y) = (1 + 4 + 9) / 12
        assert!((e.variance.unwrap() - 14.0 / 12.0).abs() < 0.03);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let e = estimate(&[3.0; 12], 3, 2, 10, 1);
        assert_eq!(e.variance, None);
        assert!(e.factors.iter().all(|f| f.first_order.is_none() && f.total.is_none()));
    }
}
