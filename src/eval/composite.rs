//! The building blocks of composite indicators, exactly as COINr computes them.
//!
//! [COINr](https://github.com/bluefoxr/COINr) is the JRC's R package for composite indicators; its
//! reference pipeline (`build_example_coin()`) is: denominate → impute → screen → treat →
//! normalise → aggregate. Every function here is one of COINr's, named in its documentation
//! with the formula and its edge cases, so that tamga's results can be checked against COINr's
//! (`tests/asem.rs` reproduces COINr's whole ASEM example with these functions; `docs/composite.md`
//! maps them to the language).
//!
//! All functions are pure and deterministic. A column is a slice of `Option<f64>`, `None` being
//! a missing value; missing values are left out of every statistic and stay missing in every
//! result (COINr's `na.rm = TRUE`). No function returns NaN or an infinity: where COINr would
//! produce one (or stop with an error), the function says why instead, with [`Why`].
//!
//! Sums are compensated (Neumaier), and means take R's second pass (`mean.default` adds the mean
//! of the residuals), so results agree with R's extended-precision arithmetic to the last bit or
//! two; `ln`, `exp` and `pow` come from the pure-Rust `libm`, as everywhere in tamga.
//!
//! The COINr source read is the package's repository (github.com/bluefoxr/COINr, the 1.1 series
//! whose release 1.1.14 ships the ASEM data of the tests: `R/treat.R`, `R/impute.R`,
//! `R/screen_units.R`, `R/normalise.R`, `R/aggregate.R`, `R/denominate.R`); where COINr's code and
//! its documentation disagree, the function says which it follows.

use crate::model::{Direction, Ties};
use std::collections::BTreeMap;
use std::fmt;

/// Why a value cannot be computed (where COINr returns NaN, an infinity or stops).
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// Fewer values present than the method needs.
    TooFew {
        /// How many it needs.
        needed: usize,
        /// How many are present.
        present: usize,
    },
    /// Every value present is the same (min-max, z-scores, skewness need a spread).
    NoSpread,
    /// A value outside the method's domain (a zero or negative value in a geometric mean, a zero
    /// in a harmonic mean), at its position in the input.
    Domain {
        /// Position in the input.
        index: usize,
        /// The value.
        value: f64,
        /// What the method needs.
        needs: &'static str,
    },
    /// The weights cannot be used: not one per value, not finite, or summing to zero over the
    /// values present.
    Weights(&'static str),
    /// A parameter out of range (`p = 0` for a power mean, a target equal to the minimum).
    Parameter(&'static str),
    /// The result would be infinite or not a number (an overflow).
    NotFinite,
    /// More values than an exact method can take in reasonable time and memory (Kemeny–Young).
    TooMany {
        /// The most it takes.
        max: usize,
        /// How many were given.
        present: usize,
    },
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Why::TooFew { needed, present } => write!(f, "needs {needed} values, {present} present"),
            Why::NoSpread => write!(f, "every value present is the same"),
            Why::Domain { index, value, needs } => write!(f, "value {value} at position {index}: {needs}"),
            Why::Weights(why) => write!(f, "weights: {why}"),
            Why::Parameter(why) => write!(f, "parameter: {why}"),
            Why::NotFinite => write!(f, "the result is not a finite number"),
            Why::TooMany { max, present } => write!(f, "{present} units: exact for at most {max}"),
        }
    }
}

impl std::error::Error for Why {}

// ───────────────────────────── arithmetic ─────────────────────────────

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

/// R's `mean()` of values (non-empty): the sum over n, corrected by the mean of the residuals.
fn r_mean(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let m = sum(xs.iter().copied()) / n;
    if !m.is_finite() {
        return m;
    }
    m + sum(xs.iter().map(|x| x - m)) / n
}

/// R's `median()` of values (non-empty).
fn r_median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        let (a, b) = (v[n / 2 - 1], v[n / 2]);
        let m = (a + b) / 2.0;
        if m.is_finite() {
            m
        } else {
            a / 2.0 + b / 2.0
        }
    }
}

/// The values present, in order.
fn present(xs: &[Option<f64>]) -> Vec<f64> {
    xs.iter().flatten().copied().collect()
}

/// `x` if finite, else [`Why::NotFinite`].
fn finite(x: f64) -> Result<f64, Why> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Why::NotFinite)
    }
}

/// Applies `f` to every value present; missing values stay missing.
fn map_present(xs: &[Option<f64>], f: impl Fn(f64) -> f64) -> Result<Vec<Option<f64>>, Why> {
    xs.iter().map(|x| x.map(|x| finite(f(x))).transpose()).collect()
}

/// The sign COINr multiplies a column by before normalising it (`Direction` in iMeta: 1 or −1).
fn sign(direction: Direction) -> f64 {
    match direction {
        Direction::HigherIsBetter => 1.0,
        Direction::LowerIsBetter => -1.0,
    }
}

// ───────────────────────────── skewness and kurtosis ─────────────────────────────

/// Sample skewness as COINr's `skew()` (`R/treat.R`), taken from `e1071::skewness(type = 2)`,
/// the same as Excel's `SKEW`: with d = x − mean over the n values present,
///
/// g₁ = √n · Σd³ / (Σd²)^{3/2},  skew = g₁ · √(n(n−1)) / (n − 2).
///
/// At least 3 values are needed (COINr returns NA); `None` also when they are all equal (0/0).
pub fn skew(xs: &[Option<f64>]) -> Option<f64> {
    let v = present(xs);
    let n = v.len();
    if n < 3 {
        return None;
    }
    let m = r_mean(&v);
    let d: Vec<f64> = v.iter().map(|x| x - m).collect();
    let s2 = sum(d.iter().map(|d| d * d));
    // as R: `x^2` is x·x, other powers are pow()
    let s3 = sum(d.iter().map(|d| libm::pow(*d, 3.0)));
    let nf = n as f64;
    let g1 = nf.sqrt() * s3 / libm::pow(s2, 1.5);
    let y = g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0);
    y.is_finite().then_some(y)
}

/// Sample excess kurtosis as COINr's `kurt()` (`R/treat.R`), taken from
/// `e1071::kurtosis(type = 2)`, the same as Excel's `KURT` (so a normal distribution scores about
/// 0, not 3): with d = x − mean over the n values present,
///
/// r = n · Σd⁴ / (Σd²)²,  kurt = ((n + 1)(r − 3) + 6)(n − 1) / ((n − 2)(n − 3)).
///
/// At least 4 values are needed (COINr returns NA); `None` also when they are all equal.
pub fn kurt(xs: &[Option<f64>]) -> Option<f64> {
    let v = present(xs);
    let n = v.len();
    if n < 4 {
        return None;
    }
    let m = r_mean(&v);
    let d: Vec<f64> = v.iter().map(|x| x - m).collect();
    let s2 = sum(d.iter().map(|d| d * d));
    let s4 = sum(d.iter().map(|d| libm::pow(*d, 4.0)));
    let nf = n as f64;
    let r = nf * s4 / (s2 * s2);
    let y = ((nf + 1.0) * (r - 3.0) + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0));
    y.is_finite().then_some(y)
}

/// The outcome of COINr's `check_SkewKurt()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkewKurt {
    /// Skewness ([`skew`]).
    pub skew: Option<f64>,
    /// Excess kurtosis ([`kurt`]).
    pub kurt: Option<f64>,
    /// Whether the column passes: `|skew| < skew_thresh` **or** `kurt < kurt_thresh`, in R's
    /// three-valued logic (an unknown operand makes the test unknown, `None`, unless the other
    /// operand passes). A column fails only when |skewness| ≥ 2 **and** kurtosis ≥ 3.5.
    pub pass: Option<bool>,
}

/// COINr's `check_SkewKurt(x, skew_thresh, kurt_thresh)` (`R/treat.R`): a column passes when
/// `abs(skew) < skew_thresh | kurt < kurt_thresh` (defaults 2 and 3.5; strict inequalities).
pub fn check_skew_kurt(xs: &[Option<f64>], skew_thresh: f64, kurt_thresh: f64) -> SkewKurt {
    let s = skew(xs);
    let k = kurt(xs);
    let a = s.map(|s| s.abs() < skew_thresh);
    let b = k.map(|k| k < kurt_thresh);
    let pass = match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    SkewKurt { skew: s, kurt: k, pass }
}

// ───────────────────────────── outlier treatment ─────────────────────────────

/// The parameters of COINr's `winsorise()` and `check_SkewKurt()` (the defaults of `Treat()`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WinsoriseSpec {
    /// `winmax`: the most points winsorised (default 5); `None` for no limit.
    pub points: Option<usize>,
    /// `skew_thresh` (default 2).
    pub skew: f64,
    /// `kurt_thresh` (default 3.5), on excess kurtosis.
    pub kurtosis: f64,
}

impl Default for WinsoriseSpec {
    fn default() -> Self {
        WinsoriseSpec { points: Some(5), skew: 2.0, kurtosis: 3.5 }
    }
}

/// How a point was treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatMethod {
    /// Winsorised at the high end (COINr's `"winhi"`).
    WinsoriseHigh,
    /// Winsorised at the low end (`"winlo"`).
    WinsoriseLow,
    /// Log-transformed by `log_CT` (`"log_CT"`): every value present of the column is.
    LogCt,
}

impl TreatMethod {
    /// COINr's name for the treatment, as in `Treated_Points`.
    pub fn coinr_name(self) -> &'static str {
        match self {
            TreatMethod::WinsoriseHigh => "winhi",
            TreatMethod::WinsoriseLow => "winlo",
            TreatMethod::LogCt => "log_CT",
        }
    }
}

/// One treated value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreatedPoint {
    /// Position in the column.
    pub index: usize,
    /// The value before treatment.
    pub old: f64,
    /// The value after.
    pub new: f64,
    /// How.
    pub method: TreatMethod,
}

/// What [`winsorise`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Winsorised {
    /// The column after winsorisation (missing values stay missing).
    pub values: Vec<Option<f64>>,
    /// COINr's `nwin`: points winsorised (tied extremes count each).
    pub count: usize,
    /// The points changed, by position.
    pub points: Vec<TreatedPoint>,
    /// Whether the column passes [`check_skew_kurt`] at the end.
    pub passes: bool,
}

/// COINr's `winsorise(x, winmax, skew_thresh, kurt_thresh)` (`R/treat.R`, `force_win = FALSE`).
///
/// While the column fails [`check_skew_kurt`] and fewer than `winmax` points have been
/// winsorised: if its skewness is ≥ 0, every value equal to the maximum is replaced by the largest
/// value below it; otherwise every value equal to the minimum by the smallest value above it. The
/// side is chosen again at each step from the current skewness. The count is the number of points
/// at the extreme(s) treated, so tied extremes are treated together and may take the count past
/// `winmax` (4 treated, then a tie of 2: 6).
///
/// COINr stops with an error (and `Treat()` then leaves the column untreated) when the test
/// cannot be computed during the loop (fewer than 4 values, or every value equal after a step);
/// this returns the reason instead.
pub fn winsorise(xs: &[Option<f64>], spec: &WinsoriseSpec) -> Result<Winsorised, Why> {
    let mut x = xs.to_vec();
    let n = x.iter().flatten().count();
    let check = |x: &[Option<f64>]| -> Result<bool, Why> {
        check_skew_kurt(x, spec.skew, spec.kurtosis).pass.ok_or(if n < 4 {
            Why::TooFew { needed: 4, present: n }
        } else {
            Why::NoSpread
        })
    };
    let mut passing = check(&x)?;
    // the positions at the high and low extremes at the last step on each side (COINr's imax,
    // imin): the points treated, since every earlier one is still at the extreme
    let (mut imax, mut imin): (Vec<usize>, Vec<usize>) = (vec![], vec![]);
    let mut count = 0;
    let below = |count: usize| spec.points.is_none_or(|m| count < m);
    while !passing && below(count) {
        let s = skew(&x).ok_or(Why::NoSpread)?;
        let high = s >= 0.0;
        let present: Vec<(usize, f64)> = x.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
        let extreme = if high {
            present.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max)
        } else {
            present.iter().map(|p| p.1).fold(f64::INFINITY, f64::min)
        };
        let at: Vec<usize> = present.iter().filter(|p| p.1 == extreme).map(|p| p.0).collect();
        let others = present.iter().filter(|p| p.1 != extreme).map(|p| p.1);
        let next = if high {
            others.fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
        } else {
            others.fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))))
        };
        let next = next.ok_or(Why::NoSpread)?;
        for &i in &at {
            x[i] = Some(next);
        }
        if high {
            imax = at;
        } else {
            imin = at;
        }
        count = imax.len() + imin.len();
        passing = check(&x)?;
    }
    let mut sides: BTreeMap<usize, TreatMethod> = BTreeMap::new();
    for &i in &imax {
        sides.insert(i, TreatMethod::WinsoriseHigh);
    }
    for &i in &imin {
        sides.insert(i, TreatMethod::WinsoriseLow);
    }
    let points = sides
        .into_iter()
        .filter_map(|(index, method)| match (xs[index], x[index]) {
            (Some(old), Some(new)) if old != new => Some(TreatedPoint { index, old, new, method }),
            _ => None,
        })
        .collect();
    Ok(Winsorised { values: x, count, points, passes: passing })
}

/// COINr's `log_CT(x)` (`R/treat.R`), the "COIN Tool log" transformation:
///
/// y = ln(x − min + 0.01 · (max − min)),
///
/// over the values present. Every value present must not all be equal (the smallest would be
/// ln 0).
pub fn log_ct(xs: &[Option<f64>]) -> Result<Vec<Option<f64>>, Why> {
    let v = present(xs);
    if v.is_empty() {
        return Err(Why::TooFew { needed: 1, present: 0 });
    }
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if min == max {
        return Err(Why::NoSpread);
    }
    let a = 0.01 * (max - min);
    map_present(xs, |x| libm::log(x - min + a))
}

/// What [`treat`] did to a column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TreatOutcome {
    /// The column passed the skewness–kurtosis test: left as it is.
    Passed,
    /// Winsorisation brought it within the thresholds.
    Winsorised {
        /// COINr's `nwin`.
        count: usize,
    },
    /// Winsorisation up to the limit did not; `log_CT` was applied to the **original** values
    /// (COINr's `combine_treat = FALSE`).
    Log {
        /// Whether the log-transformed column passes the test (it is kept either way).
        passes: bool,
    },
    /// The test could not be computed (too few values, no spread): left as it is, as COINr
    /// does with a warning.
    Untreated(UntreatedWhy),
}

/// Why [`treat`] left a column untreated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UntreatedWhy {
    /// Fewer than 4 values present (kurtosis needs 4).
    TooFew,
    /// Every value is the same, before or during winsorisation.
    NoSpread,
}

/// A treated column.
#[derive(Debug, Clone, PartialEq)]
pub struct Treatment {
    /// The column after treatment.
    pub values: Vec<Option<f64>>,
    /// Every value changed, by position.
    pub points: Vec<TreatedPoint>,
    /// What was done.
    pub outcome: TreatOutcome,
    /// The test before treatment.
    pub before: SkewKurt,
    /// The test after treatment (the same as `before` when nothing was done).
    pub after: SkewKurt,
}

/// COINr's `Treat()` with its default specification (`R/treat.R`, `Treat.numeric`):
/// `f_pass = check_SkewKurt`, `f1 = winsorise`, `f2 = log_CT`, `combine_treat = FALSE`.
///
/// 1. If the column passes [`check_skew_kurt`], it is returned as it is.
/// 2. Otherwise it is [`winsorise`]d; if that makes it pass, the winsorised column is returned.
/// 3. Otherwise [`log_ct`] is applied to the original column (not the winsorised one), and the
///    result is returned whether it passes or not.
///
/// When the test cannot be computed (an NA in COINr: fewer than 4 values, all values equal, or
/// all equal after a step of winsorisation), the column is returned untreated.
///
/// COINr's own record of treated points (`Treated_Points`) marks a point "winhi+log_CT" when
/// winsorisation was tried and then discarded for the log; [`Treatment::points`] records what
/// was finally done to each value.
pub fn treat(xs: &[Option<f64>], spec: &WinsoriseSpec) -> Treatment {
    let before = check_skew_kurt(xs, spec.skew, spec.kurtosis);
    let n = xs.iter().flatten().count();
    let untreated = |why: UntreatedWhy| Treatment {
        values: xs.to_vec(),
        points: vec![],
        outcome: TreatOutcome::Untreated(why),
        before,
        after: before,
    };
    let too_few_or_flat = || if n < 4 { UntreatedWhy::TooFew } else { UntreatedWhy::NoSpread };
    match before.pass {
        None => return untreated(too_few_or_flat()),
        Some(true) => {
            return Treatment {
                values: xs.to_vec(),
                points: vec![],
                outcome: TreatOutcome::Passed,
                before,
                after: before,
            }
        }
        Some(false) => {}
    }
    let w = match winsorise(xs, spec) {
        Ok(w) => w,
        Err(Why::TooFew { .. }) => return untreated(UntreatedWhy::TooFew),
        Err(_) => return untreated(UntreatedWhy::NoSpread),
    };
    if w.passes {
        let after = check_skew_kurt(&w.values, spec.skew, spec.kurtosis);
        return Treatment {
            values: w.values,
            points: w.points,
            outcome: TreatOutcome::Winsorised { count: w.count },
            before,
            after,
        };
    }
    let Ok(logged) = log_ct(xs) else {
        return untreated(too_few_or_flat());
    };
    let after = check_skew_kurt(&logged, spec.skew, spec.kurtosis);
    let Some(passes) = after.pass else {
        return untreated(too_few_or_flat());
    };
    let points = xs
        .iter()
        .zip(&logged)
        .enumerate()
        .filter_map(|(index, (old, new))| {
            Some(TreatedPoint { index, old: (*old)?, new: (*new)?, method: TreatMethod::LogCt })
        })
        .collect();
    Treatment { values: logged, points, outcome: TreatOutcome::Log { passes }, before, after }
}

// ───────────────────────────── imputation ─────────────────────────────

/// COINr's `i_mean(x)` (`R/impute.R`): every missing value replaced by the mean of the values
/// present. With no value present, the column stays as it is (R's mean of nothing is NaN, which
/// R counts as missing).
pub fn impute_mean(xs: &[Option<f64>]) -> Vec<Option<f64>> {
    let v = present(xs);
    if v.is_empty() {
        return xs.to_vec();
    }
    let m = r_mean(&v);
    xs.iter().map(|x| x.or(Some(m))).collect()
}

/// COINr's `i_median(x)`: every missing value replaced by the median of the values present
/// (the mean of the two middle values for an even count). With none present, unchanged.
pub fn impute_median(xs: &[Option<f64>]) -> Vec<Option<f64>> {
    let v = present(xs);
    if v.is_empty() {
        return xs.to_vec();
    }
    let m = r_median(&v);
    xs.iter().map(|x| x.or(Some(m))).collect()
}

/// Replaces missing values group by group with `fill` of the group's values present.
fn impute_by_group(
    xs: &[Option<f64>],
    groups: &[Option<&str>],
    fill: fn(&[Option<f64>]) -> Vec<Option<f64>>,
) -> Result<Vec<Option<f64>>, Why> {
    if groups.len() != xs.len() {
        return Err(Why::Parameter("one group label per value is needed"));
    }
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(g) = g {
            members.entry(g).or_default().push(i);
        }
    }
    let mut out = xs.to_vec();
    for idx in members.values() {
        let col: Vec<Option<f64>> = idx.iter().map(|&i| xs[i]).collect();
        for (&i, v) in idx.iter().zip(fill(&col)) {
            out[i] = v;
        }
    }
    Ok(out)
}

/// COINr's `i_mean_grp(x, f)` (`R/impute.R`, `skip_f_na = TRUE`): every missing value replaced
/// by the mean of the values present **in its unit's group** (`groups[i]`, e.g. the unit's
/// `EurAsia_group`). A unit without a group (`None`) is left as it is and its value is not used
/// for any group; a group with no value present leaves its units' missing values missing.
/// `groups` must have one entry per value.
pub fn impute_group_mean(xs: &[Option<f64>], groups: &[Option<&str>]) -> Result<Vec<Option<f64>>, Why> {
    impute_by_group(xs, groups, impute_mean)
}

/// COINr's `i_median_grp(x, f)`: as [`impute_group_mean`], with the group's median.
pub fn impute_group_median(xs: &[Option<f64>], groups: &[Option<&str>]) -> Result<Vec<Option<f64>>, Why> {
    impute_by_group(xs, groups, impute_median)
}

/// COINr's `impute_panel(iData, max_time)` (`R/impute.R`) for one unit's series of one indicator,
/// ordered from the oldest period to the latest: a missing value is replaced by the value of the
/// latest earlier period that has one, looking back at most `max_back` periods (`None`: all).
/// Values are only ever carried forward, from the original series (a value carried forward is
/// never carried again, which gives the same result). Returns each value and the position of the
/// period it comes from (its own for a value present).
pub fn impute_previous(series: &[Option<f64>], max_back: Option<usize>) -> Vec<(Option<f64>, Option<usize>)> {
    series
        .iter()
        .enumerate()
        .map(|(t, x)| {
            if x.is_some() {
                return (*x, Some(t));
            }
            let limit = max_back.unwrap_or(t).min(t);
            (1..=limit).map(|back| t - back).find_map(|s| series[s].map(|v| (Some(v), Some(s)))).unwrap_or((None, None))
        })
        .collect()
}

// ───────────────────────────── screening ─────────────────────────────

/// Data availability of one unit, as COINr's `get_data_avail()` (`R/screen_units.R`):
/// `1 − (number missing) / (number of indicators)`, computed exactly so (so 45 of 50 present is
/// `1 − 5/50`). `None` for an empty row.
pub fn data_availability(row: &[Option<f64>]) -> Option<f64> {
    if row.is_empty() {
        return None;
    }
    let missing = row.iter().filter(|x| x.is_none()).count();
    Some(1.0 - missing as f64 / row.len() as f64)
}

/// The share of non-zero values among those present, as COINr's `get_data_avail()`:
/// `1 − zeros / present`. `None` when no value is present.
pub fn non_zero_share(row: &[Option<f64>]) -> Option<f64> {
    let v = present(row);
    if v.is_empty() {
        return None;
    }
    let zeros = v.iter().filter(|x| **x == 0.0).count();
    Some(1.0 - zeros as f64 / v.len() as f64)
}

/// COINr's `Screen(unit_screen = "byNA", dat_thresh)` (`R/screen_units.R`) for one unit: the unit
/// is **kept** unless its [`data_availability`] is strictly below `dat_thresh`, i.e. kept when
/// availability ≥ threshold (`LowData = Dat_Avail < dat_thresh`, `Included = !LowData`). With 49
/// indicators and a threshold of 0.9, a unit may miss 4 (availability 0.918…) but not 5 (0.897…).
/// `None` for an empty row.
pub fn screen_by_na(row: &[Option<f64>], dat_thresh: f64) -> Option<bool> {
    // COINr: `Included = !(Dat_Avail < dat_thresh)`; the availability is never NaN here
    data_availability(row).map(|a| a >= dat_thresh)
}

// ───────────────────────────── normalisation ─────────────────────────────

/// The minimum and maximum of the values present, after the direction is applied.
fn range(xs: &[Option<f64>]) -> Result<(f64, f64), Why> {
    let v = present(xs);
    if v.is_empty() {
        return Err(Why::TooFew { needed: 1, present: 0 });
    }
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok((min, max))
}

/// COINr's `Normalise()` with `n_minmax(x, l_u = c(l, u))` (`R/normalise.R`): the column is first
/// multiplied by its direction (1 or −1, COINr's `Normalise.numeric`), then
///
/// y = (x − min) / (max − min) · (u − l) + l,
///
/// computed in that order. COINr returns NaN (with a warning) when every value is the same; this
/// returns [`Why::NoSpread`].
pub fn minmax(xs: &[Option<f64>], lower: f64, upper: f64, direction: Direction) -> Result<Vec<Option<f64>>, Why> {
    let d = sign(direction);
    let x: Vec<Option<f64>> = xs.iter().map(|x| x.map(|x| x * d)).collect();
    let (min, max) = range(&x)?;
    if min == max {
        return Err(Why::NoSpread);
    }
    map_present(&x, |x| (x - min) / (max - min) * (upper - lower) + lower)
}

/// COINr's `n_zscore(x, m_sd = c(m, s))` after the direction: (x − mean) / sd · s + m, with the
/// sample standard deviation (n − 1). Needs 2 values and a spread.
pub fn zscore(xs: &[Option<f64>], mean: f64, sd: f64, direction: Direction) -> Result<Vec<Option<f64>>, Why> {
    let d = sign(direction);
    let x: Vec<Option<f64>> = xs.iter().map(|x| x.map(|x| x * d)).collect();
    let v = present(&x);
    if v.len() < 2 {
        return Err(Why::TooFew { needed: 2, present: v.len() });
    }
    let m = r_mean(&v);
    let var = sum(v.iter().map(|x| (x - m) * (x - m))) / (v.len() as f64 - 1.0);
    let s = var.sqrt();
    if s == 0.0 {
        return Err(Why::NoSpread);
    }
    map_present(&x, |x| (x - m) / s * sd + mean)
}

/// COINr's `n_goalposts(x, gposts = c(l, u, a), direction, trunc2posts)` (`R/normalise.R`) on
/// raw values: y = (x − l)/(u − l), or for `direction = −1` y = (x − u)/(l − u); clamped to
/// [0, 1] when `truncate`; times `a`. (Used through `Normalise()` on a coin, COINr negates the
/// column and the goalposts instead, which gives the same numbers.)
pub fn goalposts(
    xs: &[Option<f64>],
    lower: f64,
    upper: f64,
    scale: f64,
    direction: Direction,
    truncate: bool,
) -> Result<Vec<Option<f64>>, Why> {
    if lower == upper {
        return Err(Why::Parameter("the goalposts are equal"));
    }
    map_present(xs, |x| {
        let y = match direction {
            Direction::HigherIsBetter => (x - lower) / (upper - lower),
            Direction::LowerIsBetter => (x - upper) / (lower - upper),
        };
        let y = if truncate { y.clamp(0.0, 1.0) } else { y };
        y * scale
    })
}

/// COINr's `n_dist2targ(x, targ, direction, cap_max)` (`R/normalise.R`) on raw values:
/// (x − min)/(targ − min), or for `direction = −1` (max − x)/(max − targ); values beyond the
/// target are capped at 1 when `cap`. A target equal to the minimum (maximum) is
/// [`Why::Parameter`].
pub fn distance_to_target(
    xs: &[Option<f64>],
    target: f64,
    direction: Direction,
    cap: bool,
) -> Result<Vec<Option<f64>>, Why> {
    let (min, max) = range(xs)?;
    let f = |x: f64| match direction {
        Direction::HigherIsBetter => (x - min) / (target - min),
        Direction::LowerIsBetter => (max - x) / (max - target),
    };
    let degenerate = match direction {
        Direction::HigherIsBetter => target == min,
        Direction::LowerIsBetter => target == max,
    };
    if degenerate {
        return Err(Why::Parameter("the target equals the worst value"));
    }
    map_present(xs, |x| {
        let y = f(x);
        if cap && y > 1.0 {
            1.0
        } else {
            y
        }
    })
}

/// Whether [`rank`] gives rank 1 to the smallest or the largest value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The smallest value is ranked 1 (R's `rank(x)`; COINr's `n_rank`, `n_borda`).
    Ascending,
    /// The largest value is ranked 1 (R's `rank(-x)`; COINr's ranking of results).
    Descending,
}

/// R's `rank(x, ties.method, na.last = "keep")`: ranks of the values present, missing values
/// stay missing. Ties: `Min` (1, 1, 3: COINr's default, "sport" ranking), `Max` (2, 2, 3),
/// `Average` (1.5, 1.5, 3).
pub fn rank(xs: &[Option<f64>], ties: Ties, order: Order) -> Vec<Option<f64>> {
    let v = present(xs);
    xs.iter()
        .map(|x| {
            x.map(|x| {
                let better = |y: &&f64| match order {
                    Order::Ascending => **y < x,
                    Order::Descending => **y > x,
                };
                let before = v.iter().filter(better).count() as f64;
                let equal = v.iter().filter(|y| **y == x).count() as f64;
                match ties {
                    Ties::Min => before + 1.0,
                    Ties::Max => before + equal,
                    Ties::Average => before + (equal + 1.0) / 2.0,
                }
            })
        })
        .collect()
}

/// COINr's `n_borda(x)`: `rank(x, ties.method = "min") − 1` (0 for the smallest).
pub fn borda(xs: &[Option<f64>]) -> Vec<Option<f64>> {
    rank(xs, Ties::Min, Order::Ascending).into_iter().map(|r| r.map(|r| r - 1.0)).collect()
}

/// COINr's `n_prank(x)`: percentile ranks `(rank(x, "min") − 1) / (n − 1)`, 0 to 1, over the n
/// values present. Needs 2 values.
pub fn percentile_rank(xs: &[Option<f64>]) -> Result<Vec<Option<f64>>, Why> {
    let n = xs.iter().flatten().count();
    if n < 2 {
        return Err(Why::TooFew { needed: 2, present: n });
    }
    Ok(rank(xs, Ties::Min, Order::Ascending).into_iter().map(|r| r.map(|r| (r - 1.0) / (n as f64 - 1.0))).collect())
}

// ───────────────────────────── aggregation ─────────────────────────────

/// The values present with their weights, checked: one weight per value, every weight finite.
fn weighted(xs: &[Option<f64>], w: &[f64]) -> Result<Vec<(usize, f64, f64)>, Why> {
    if w.len() != xs.len() {
        return Err(Why::Weights("one weight per value is needed"));
    }
    if w.iter().any(|w| !w.is_finite()) {
        return Err(Why::Weights("a weight is not a finite number"));
    }
    Ok(xs.iter().zip(w).enumerate().filter_map(|(i, (x, w))| x.map(|x| (i, x, *w))).collect())
}

/// The sum of the weights present, which must not be zero.
fn weight_sum(p: &[(usize, f64, f64)]) -> Result<f64, Why> {
    let s = sum(p.iter().map(|p| p.2));
    if s == 0.0 {
        return Err(Why::Weights("the weights of the values present sum to zero"));
    }
    Ok(s)
}

/// COINr's `a_amean(x, w)` (`R/aggregate.R`), the weighted arithmetic mean of the values present:
/// the weights of the values present are first scaled to sum to 1, then y = Σ wᵢxᵢ.
/// `Ok(None)` when no value is present.
pub fn arithmetic_mean(xs: &[Option<f64>], w: &[f64]) -> Result<Option<f64>, Why> {
    let p = weighted(xs, w)?;
    if p.is_empty() {
        return Ok(None);
    }
    let total = weight_sum(&p)?;
    finite(sum(p.iter().map(|(_, x, w)| (w / total) * x))).map(Some)
}

/// COINr's `a_gmean(x, w)`, the weighted geometric mean of the values present:
/// y = exp(Σ wᵢ ln xᵢ / Σ wᵢ). COINr stops when a value present is zero or negative; this
/// returns [`Why::Domain`] for the first. `Ok(None)` when no value is present.
pub fn geometric_mean(xs: &[Option<f64>], w: &[f64]) -> Result<Option<f64>, Why> {
    let p = weighted(xs, w)?;
    if p.is_empty() {
        return Ok(None);
    }
    if let Some(&(index, value, _)) = p.iter().find(|p| p.1 <= 0.0) {
        return Err(Why::Domain { index, value, needs: "the geometric mean needs positive values" });
    }
    let total = weight_sum(&p)?;
    finite(libm::exp(sum(p.iter().map(|(_, x, w)| w * libm::log(*x))) / total)).map(Some)
}

/// COINr's `a_hmean(x, w)`, the weighted harmonic mean of the values present:
/// y = Σ wᵢ / Σ (wᵢ / xᵢ). COINr stops on a zero value (negative values are allowed); this returns
/// [`Why::Domain`]. `Ok(None)` when no value is present.
pub fn harmonic_mean(xs: &[Option<f64>], w: &[f64]) -> Result<Option<f64>, Why> {
    let p = weighted(xs, w)?;
    if p.is_empty() {
        return Ok(None);
    }
    if let Some(&(index, value, _)) = p.iter().find(|p| p.1 == 0.0) {
        return Err(Why::Domain { index, value, needs: "the harmonic mean needs non-zero values" });
    }
    let total = weight_sum(&p)?;
    let den = sum(p.iter().map(|(_, x, w)| w / x));
    if den == 0.0 {
        return Err(Why::NotFinite);
    }
    finite(total / den).map(Some)
}

/// COINr's `a_genmean(x, w, p)`, the weighted generalised (power) mean:
/// y = (Σ wᵢ xᵢᵖ / Σ wᵢ)^{1/p}. p = 1 is the arithmetic mean, p = −1 the harmonic, p → 0 the
/// geometric (COINr refuses p = 0: [`Why::Parameter`]). With p < 0 every value must be positive
/// (COINr stops); a negative value with a fractional p has no real power ([`Why::Domain`]).
///
/// Missing values are left out, as COINr's documentation says ("NA are skipped"); COINr's code in
/// fact returns NA when any value is missing (its `sum(w*x^p)` has no `na.rm`).
/// `Ok(None)` when no value is present.
pub fn power_mean(xs: &[Option<f64>], w: &[f64], p: f64) -> Result<Option<f64>, Why> {
    if p == 0.0 || !p.is_finite() {
        return Err(Why::Parameter("p = 0 is the geometric mean: use it instead"));
    }
    let v = weighted(xs, w)?;
    if v.is_empty() {
        return Ok(None);
    }
    if p < 0.0 {
        if let Some(&(index, value, _)) = v.iter().find(|v| v.1 <= 0.0) {
            return Err(Why::Domain { index, value, needs: "a power mean with p < 0 needs positive values" });
        }
    }
    if p.fract() != 0.0 {
        if let Some(&(index, value, _)) = v.iter().find(|v| v.1 < 0.0) {
            return Err(Why::Domain { index, value, needs: "a fractional power of a negative value" });
        }
    }
    let total = weight_sum(&v)?;
    let m = sum(v.iter().map(|(_, x, w)| w * libm::pow(*x, p))) / total;
    if m < 0.0 && (1.0 / p).fract() != 0.0 {
        return Err(Why::Domain { index: 0, value: m, needs: "a fractional root of a negative mean" });
    }
    finite(libm::pow(m, 1.0 / p)).map(Some)
}

/// An aggregation function of COINr's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mean {
    /// `a_amean` ([`arithmetic_mean`]).
    Arithmetic,
    /// `a_gmean` ([`geometric_mean`]).
    Geometric,
    /// `a_hmean` ([`harmonic_mean`]).
    Harmonic,
    /// `a_genmean` with this p ([`power_mean`]).
    Power(f64),
}

/// One row of COINr's `Aggregate(x, f_ag, f_ag_para = list(w), dat_thresh)` (`R/aggregate.R`,
/// `Aggregate.data.frame`): missing (`Ok(None)`) when the share of values present,
/// `present / n`, is strictly below `dat_thresh` (COINr: `sum(!is.na(x_row))/lx < dat_thresh`;
/// so 2 of 3 present meet a threshold of 2/3), otherwise the mean over the values present.
/// Without a threshold any row with a value is aggregated.
pub fn aggregate(xs: &[Option<f64>], w: &[f64], mean: Mean, dat_thresh: Option<f64>) -> Result<Option<f64>, Why> {
    if let Some(t) = dat_thresh {
        let share = xs.iter().flatten().count() as f64 / xs.len() as f64;
        if xs.is_empty() || share < t {
            return Ok(None);
        }
    }
    match mean {
        Mean::Arithmetic => arithmetic_mean(xs, w),
        Mean::Geometric => geometric_mean(xs, w),
        Mean::Harmonic => harmonic_mean(xs, w),
        Mean::Power(p) => power_mean(xs, w, p),
    }
}

/// COINr's `outrankMatrix(X, w)` (`R/aggregate.R`).
#[derive(Debug, Clone, PartialEq)]
pub struct Outranking {
    /// `matrix[a][b]`: the sum of the (normalised) weights of the indicators on which unit a
    /// scores higher than unit b, plus half the weights of those where they are equal; the
    /// diagonal is 0 and `matrix[b][a] = 1 − matrix[a][b]`.
    pub matrix: Vec<Vec<f64>>,
    /// Pairs where one unit dominates (an entry equal to 1).
    pub dominant: usize,
    /// `dominant` over the number of pairs, n(n − 1)/2.
    pub fraction_dominant: f64,
}

/// COINr's `outrankMatrix(X, w)`: the outranking matrix of the units (rows of `x`, one value per
/// indicator) with weights `w` (scaled to sum to 1). A comparison with a missing value counts for
/// neither unit (R's `na.rm`).
pub fn outrank_matrix(x: &[Vec<Option<f64>>], w: &[f64]) -> Result<Outranking, Why> {
    let k = w.len();
    if x.iter().any(|r| r.len() != k) {
        return Err(Why::Weights("one weight per indicator is needed"));
    }
    if w.iter().any(|w| !w.is_finite()) {
        return Err(Why::Weights("a weight is not a finite number"));
    }
    let total = sum(w.iter().copied());
    if total == 0.0 {
        return Err(Why::Weights("the weights sum to zero"));
    }
    let w: Vec<f64> = w.iter().map(|w| w / total).collect();
    let n = x.len();
    let mut m = vec![vec![0.0; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let (mut higher, mut equal) = (vec![], vec![]);
            for j in 0..k {
                if let (Some(p), Some(q)) = (x[a][j], x[b][j]) {
                    if p > q {
                        higher.push(w[j]);
                    } else if p == q {
                        equal.push(w[j]);
                    }
                }
            }
            m[a][b] = sum(higher) + sum(equal) / 2.0;
            m[b][a] = 1.0 - m[a][b];
        }
    }
    let dominant = m.iter().flatten().filter(|v| **v == 1.0).count();
    let pairs = (n * n.saturating_sub(1)) as f64 / 2.0;
    let fraction_dominant = if pairs > 0.0 { dominant as f64 / pairs } else { 0.0 };
    Ok(Outranking { matrix: m, dominant, fraction_dominant })
}

/// COINr's `a_copeland(X, w)`: each unit's row of the [`outrank_matrix`] with entries > 0.5
/// counted +1, < 0.5 counted −1 and 0.5 counted 0 (the diagonal 0), summed.
pub fn copeland(x: &[Vec<Option<f64>>], w: &[f64]) -> Result<Vec<f64>, Why> {
    let o = outrank_matrix(x, w)?;
    Ok(o.matrix
        .iter()
        .enumerate()
        .map(|(a, row)| {
            row.iter()
                .enumerate()
                .filter(|(b, _)| *b != a)
                .map(|(_, v)| {
                    if *v > 0.5 {
                        1.0
                    } else if *v < 0.5 {
                        -1.0
                    } else {
                        0.0
                    }
                })
                .sum()
        })
        .collect())
}

/// The most units [`kemeny`] ranks: its search over subsets takes about 2ⁿ·n/2 steps and 2ⁿ
/// numbers (20 units: 10 million steps and 8 MB, well under a second).
pub const KEMENY_MAX_UNITS: usize = 20;

/// The Kemeny–Young ranking (Condorcet-consistent; the OECD/JRC Handbook 2008, part 2, section
/// 6.3, the non-compensatory multi-criteria approach, "Condorcet–Kemeny–Young–Levenglick"): the order of the units that maximises the sum,
/// over every pair placed `a` before `b`, of the [`outrank_matrix`] entry `m[a][b]` (the weight of
/// the indicators that prefer `a`, ties counting half). Exact, by a dynamic programme over the
/// subsets of units: the best order of a set puts first the unit `a` that maximises
/// `Σ_{b in the set} m[a][b]` plus the best order of the rest. Among equally good orders (to
/// 1e-9 of the total weight) the one that lists units earlier in their given order first is
/// chosen. Returns each unit's place, 1 = first; more than [`KEMENY_MAX_UNITS`] units is
/// [`Why::TooMany`], never a long search.
pub fn kemeny(x: &[Vec<Option<f64>>], w: &[f64]) -> Result<Vec<usize>, Why> {
    let n = x.len();
    if n > KEMENY_MAX_UNITS {
        return Err(Why::TooMany { max: KEMENY_MAX_UNITS, present: n });
    }
    let o = outrank_matrix(x, w)?;
    let m = &o.matrix;
    // Σ_{b in set} m[a][b] from two half tables: the set's low bits and its high bits
    let h = n / 2;
    let half = |a: usize, lo: usize, bits: usize| -> Vec<f64> {
        let mut t = vec![0.0; 1 << bits];
        for s in 1..t.len() {
            let b = s.trailing_zeros() as usize;
            t[s] = t[s & (s - 1)] + m[a][lo + b];
        }
        t
    };
    let low: Vec<Vec<f64>> = (0..n).map(|a| half(a, 0, h)).collect();
    let high: Vec<Vec<f64>> = (0..n).map(|a| half(a, h, n - h)).collect();
    let lo_mask = (1usize << h) - 1;
    let row = |a: usize, set: usize| low[a][set & lo_mask] + high[a][set >> h];
    let full = (1usize << n) - 1;
    let mut best = vec![0.0f64; full + 1];
    for set in 1..=full {
        let mut top = f64::NEG_INFINITY;
        let mut rest = set;
        while rest != 0 {
            let a = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let others = set & !(1 << a);
            top = top.max(row(a, others) + best[others]);
        }
        best[set] = top;
    }
    let tol = 1e-9 * (n.max(1) as f64);
    let mut place = vec![0; n];
    let mut set = full;
    for p in 1..=n {
        let mut rest = set;
        while rest != 0 {
            let a = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let others = set & !(1 << a);
            if row(a, others) + best[others] >= best[set] - tol {
                place[a] = p;
                set = others;
                break;
            }
        }
    }
    Ok(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(xs: &[f64]) -> Vec<Option<f64>> {
        xs.iter().map(|x| Some(*x)).collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    fn assert_col(got: &[Option<f64>], want: &[Option<f64>], tol: f64) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            match (g, w) {
                (Some(g), Some(w)) => assert!(close(*g, *w, tol), "{got:?} vs {want:?}"),
                (None, None) => {}
                _ => panic!("{got:?} vs {want:?}"),
            }
        }
    }

    fn one_to(n: usize) -> Vec<Option<f64>> {
        (1..=n).map(|i| Some(i as f64)).collect()
    }

    // ─────────────── COINr's own unit tests (data/coinr-asem/coinr_unit_test_goldens.csv) ───────────────

    /// A golden row's case: it asserts and returns nothing, or panics.
    type Case = fn();

    /// A row of the goldens file: (test file, function, input, params).
    type Key = (&'static str, &'static str, &'static str, &'static str);

    /// One case per row of the goldens file, keyed by (test file, function, input, params).
    fn cases() -> Vec<(Key, Case)> {
        use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
        vec![
            (("test-normalise.R", "n_dist2targ", "x=c(0,5,11)", "targ=10,direction=1,cap_max=FALSE"), || {
                let y = distance_to_target(&col(&[0.0, 5.0, 11.0]), 10.0, Up, false).unwrap();
                assert_col(&y, &col(&[0.0, 0.5, 1.1]), 1e-15);
            }),
            (("test-normalise.R", "n_dist2targ", "x=c(0,5,11)", "targ=10,direction=1,cap_max=TRUE"), || {
                let y = distance_to_target(&col(&[0.0, 5.0, 11.0]), 10.0, Up, true).unwrap();
                assert_col(&y, &col(&[0.0, 0.5, 1.0]), 1e-15);
            }),
            (("test-normalise.R", "n_dist2targ", "x=c(-1,1,10)", "targ=0,direction=-1,cap_max=FALSE"), || {
                let y = distance_to_target(&col(&[-1.0, 1.0, 10.0]), 0.0, Down, false).unwrap();
                assert_col(&y, &col(&[1.1, 0.9, 0.0]), 1e-15);
            }),
            (("test-normalise.R", "n_dist2targ", "x=c(-1,1,10)", "targ=0,direction=-1,cap_max=TRUE"), || {
                let y = distance_to_target(&col(&[-1.0, 1.0, 10.0]), 0.0, Down, true).unwrap();
                assert_col(&y, &col(&[1.0, 0.9, 0.0]), 1e-15);
            }),
            (("test-normalise.R", "n_goalposts", "x=1", "gposts=c(0,10,1)"), || {
                assert_eq!(goalposts(&[Some(1.0)], 0.0, 10.0, 1.0, Up, true).unwrap(), [Some(0.1)]);
            }),
            (("test-normalise.R", "n_goalposts", "x=11", "gposts=c(0,10,1)"), || {
                assert_eq!(goalposts(&[Some(11.0)], 0.0, 10.0, 1.0, Up, true).unwrap(), [Some(1.0)]);
            }),
            (("test-normalise.R", "n_goalposts", "x=-1", "gposts=c(0,10,1)"), || {
                assert_eq!(goalposts(&[Some(-1.0)], 0.0, 10.0, 1.0, Up, true).unwrap(), [Some(0.0)]);
            }),
            (("test-normalise.R", "n_goalposts", "x=1", "gposts=c(0,10,1),direction=-1"), || {
                assert_eq!(goalposts(&[Some(1.0)], 0.0, 10.0, 1.0, Down, true).unwrap(), [Some(0.9)]);
            }),
            (("test-normalise.R", "n_goalposts", "x=-1", "gposts=c(0,10,1),direction=-1"), || {
                assert_eq!(goalposts(&[Some(-1.0)], 0.0, 10.0, 1.0, Down, true).unwrap(), [Some(1.0)]);
            }),
            (("test-normalise.R", "n_goalposts", "x=11", "gposts=c(0,10,1),direction=-1"), || {
                assert_eq!(goalposts(&[Some(11.0)], 0.0, 10.0, 1.0, Down, true).unwrap(), [Some(0.0)]);
            }),
            (("test-normalise.R", "Normalise (n_minmax)", "x=1:10", "l_u=c(2,7)"), || {
                let y: Vec<f64> = minmax(&one_to(10), 2.0, 7.0, Up).unwrap().into_iter().flatten().collect();
                assert_eq!(y.iter().copied().fold(f64::INFINITY, f64::min), 2.0);
                assert_eq!(y.iter().copied().fold(f64::NEG_INFINITY, f64::max), 7.0);
            }),
            (("test-normalise.R", "Normalise (n_zscore)", "x=1:10", "m_sd=c(5,2)"), || {
                let y: Vec<f64> = zscore(&one_to(10), 5.0, 2.0, Up).unwrap().into_iter().flatten().collect();
                let m = r_mean(&y);
                let sd = (sum(y.iter().map(|x| (x - m) * (x - m))) / 9.0).sqrt();
                assert!(close(m, 5.0, 1e-14) && close(sd, 2.0, 1e-14), "{m} {sd}");
            }),
            (("test-normalise.R", "n_borda", "10 random values", "ties min"), || {
                let x = col(&[0.37, 0.91, 0.12, 0.55, 0.08, 0.73, 0.26, 0.64, 0.99, 0.41]);
                let mut b: Vec<f64> = borda(&x).into_iter().flatten().collect();
                b.sort_by(f64::total_cmp);
                assert_eq!(b, (0..10).map(f64::from).collect::<Vec<_>>());
            }),
            (("test-aggregate.R", "a_gmean", "c(1,2,3)", "w=NULL"), || {
                let y = geometric_mean(&col(&[1.0, 2.0, 3.0]), &[1.0; 3]).unwrap().unwrap();
                assert!(close(y, libm::pow(6.0, 1.0 / 3.0), 1e-15), "{y}");
            }),
            (("test-aggregate.R", "a_gmean", "c(1,2,3)", "w=c(1,1,2)"), || {
                let y = geometric_mean(&col(&[1.0, 2.0, 3.0]), &[1.0, 1.0, 2.0]).unwrap().unwrap();
                assert!(close(y, libm::pow(18.0, 0.25), 1e-15), "{y}");
            }),
            (("test-aggregate.R", "a_gmean", "c(1,2,-1) or c(1,2,0)", ""), || {
                for bad in [-1.0, 0.0] {
                    let e = geometric_mean(&col(&[1.0, 2.0, bad]), &[1.0; 3]).unwrap_err();
                    assert!(matches!(e, Why::Domain { index: 2, .. }), "{e:?}");
                }
            }),
            (("test-aggregate.R", "a_hmean", "c(1,2,3)", "w=c(2,1,1)"), || {
                let y = harmonic_mean(&col(&[1.0, 2.0, 3.0]), &[2.0, 1.0, 1.0]).unwrap().unwrap();
                assert!(close(y, 4.0 / (2.0 / 1.0 + 1.0 / 2.0 + 1.0 / 3.0), 1e-15), "{y}");
            }),
            (("test-aggregate.R", "a_genmean", "c(1,2,3)", "w=c(2,1,1),p=-1"), || {
                let x = col(&[1.0, 2.0, 3.0]);
                let w = [2.0, 1.0, 1.0];
                let y = power_mean(&x, &w, -1.0).unwrap().unwrap();
                assert!(close(y, harmonic_mean(&x, &w).unwrap().unwrap(), 1e-15), "{y}");
            }),
            (("test-aggregate.R", "a_genmean", "c(1,2,3)", "p=1"), || {
                assert_eq!(power_mean(&col(&[1.0, 2.0, 3.0]), &[1.0; 3], 1.0).unwrap(), Some(2.0));
            }),
            (("test-aggregate.R", "Aggregate(data.frame)", "row with 4/5 NA", "a_amean,w=1:5,dat_thresh=0.5"), || {
                let w = [1.0, 2.0, 3.0, 4.0, 5.0];
                let rows = [
                    vec![None, None, None, None, Some(0.3)],
                    col(&[0.1, 0.5, 0.2, 0.9, 0.4]),
                    col(&[0.6, 0.3, 0.8, 0.1, 0.7]),
                ];
                assert_eq!(aggregate(&rows[0], &w, Mean::Arithmetic, Some(0.5)).unwrap(), None);
                for r in &rows[1..] {
                    let with = aggregate(r, &w, Mean::Arithmetic, Some(0.5)).unwrap();
                    // R's weighted.mean(x, w) = sum(x * w) / sum(w)
                    let manual = sum(r.iter().flatten().zip(w).map(|(x, w)| x * w)) / 15.0;
                    assert!(close(with.unwrap(), manual, 1e-15));
                    assert_eq!(with, aggregate(r, &w, Mean::Arithmetic, None).unwrap());
                }
            }),
            (
                (
                    "test-aggregate.R",
                    "outrankMatrix",
                    "X=data.frame(x1=1:4,x2=c(3,2,1,5),x3=c(2,3,1,4))",
                    "equal weights",
                ),
                || {
                    let x: Vec<Vec<Option<f64>>> = vec![
                        col(&[1.0, 3.0, 2.0]),
                        col(&[2.0, 2.0, 3.0]),
                        col(&[3.0, 1.0, 1.0]),
                        col(&[4.0, 5.0, 4.0]),
                    ];
                    let o = outrank_matrix(&x, &[1.0; 3]).unwrap();
                    assert!(close(o.matrix[1][0], 2.0 / 3.0, 1e-15));
                    assert!(close(o.matrix[2][0], 1.0 / 3.0, 1e-15));
                    assert_eq!(o.matrix[3][0], 1.0);
                    assert!((0..4).all(|i| o.matrix[i][i] == 0.0));
                    assert_eq!(o.dominant, 3);
                    assert_eq!(o.fraction_dominant, 0.5);
                },
            ),
            (("test-aggregate.R", "a_copeland", "X=data.frame(x1=c(1,2),x2=c(2,1))", "equal weights"), || {
                let x = vec![col(&[1.0, 2.0]), col(&[2.0, 1.0])];
                assert_eq!(copeland(&x, &[1.0; 2]).unwrap(), [0.0, 0.0]);
                let o = outrank_matrix(&x, &[1.0; 2]).unwrap();
                assert_eq!((o.matrix[0][1], o.matrix[1][0]), (0.5, 0.5));
            }),
            (
                (
                    "aggregate vignette",
                    "Aggregate(data.frame)",
                    "df1=data.frame(i1=c(1,2,3),i2=c(3,NA,NA),i3=c(1,NA,1))",
                    "a_amean,w=c(1,1,1),dat_thresh=2/3",
                ),
                || {
                    let rows = [col(&[1.0, 3.0, 1.0]), vec![Some(2.0), None, None], vec![Some(3.0), None, Some(1.0)]];
                    let y: Vec<Option<f64>> = rows
                        .iter()
                        .map(|r| aggregate(r, &[1.0; 3], Mean::Arithmetic, Some(2.0 / 3.0)).unwrap())
                        .collect();
                    // printed by COINr as c(1.666667, NA, 2.000000)
                    assert_eq!(y[1], None);
                    assert_eq!(format!("{:.6}", y[0].unwrap()), "1.666667");
                    assert_eq!(y[2], Some(2.0));
                },
            ),
        ]
    }

    /// Splits a CSV line (quotes as in the goldens file).
    fn fields(line: &str) -> Vec<String> {
        let mut out = vec![];
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        out.push(cur);
        out
    }

    #[test]
    fn every_golden_of_coinr_unit_tests() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/coinr-asem/coinr_unit_test_goldens.csv");
        let text = std::fs::read_to_string(path).expect("the goldens file");
        let cases = cases();
        let mut run = 0;
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f = fields(line);
            let key = (f[0].as_str(), f[1].as_str(), f[2].as_str(), f[3].as_str());
            let case =
                cases.iter().find(|(k, _)| *k == key).unwrap_or_else(|| panic!("no case for golden row {key:?}"));
            (case.1)();
            run += 1;
        }
        assert_eq!(run, cases.len(), "every case matches a row of the goldens file");
        assert_eq!(run, 23);
    }

    // ─────────────── hand-computed cases ───────────────

    #[test]
    fn skewness_and_kurtosis_by_hand() {
        // x = 1, 2, 3, 4, 10: mean 4, d = −3, −2, −1, 0, 6; Σd² = 50, Σd³ = 180, Σd⁴ = 1394.
        // g1 = √5·180/50^1.5 = 0.72·√2.5; skew = g1·√20/3 = 1.2·√2 (Excel SKEW: 1.697056)
        // r = 5·1394/2500 = 2.788; kurt = (6·(−0.212) + 6)·4/6 = 3.152 (Excel KURT)
        let x = col(&[1.0, 2.0, 3.0, 4.0, 10.0]);
        assert!(close(skew(&x).unwrap(), 1.2 * 2f64.sqrt(), 1e-15), "{:?}", skew(&x));
        assert!(close(kurt(&x).unwrap(), 3.152, 1e-14), "{:?}", kurt(&x));
        // symmetric: skew 0; missing values are left out
        let y = vec![Some(1.0), None, Some(2.0), Some(3.0)];
        assert_eq!(skew(&y), Some(0.0));
        // too few, or no spread
        assert_eq!(skew(&col(&[1.0, 2.0])), None);
        assert_eq!(kurt(&col(&[1.0, 2.0, 3.0])), None);
        assert_eq!(skew(&col(&[5.0; 6])), None);
        assert_eq!(kurt(&col(&[5.0; 6])), None);
    }

    #[test]
    fn the_test_is_an_or_of_strict_inequalities() {
        let x = col(&[1.0, 2.0, 3.0, 4.0, 10.0]); // skew 1.697, kurt 3.152
        assert_eq!(check_skew_kurt(&x, 2.0, 3.5).pass, Some(true));
        assert_eq!(check_skew_kurt(&x, 1.0, 3.5).pass, Some(true)); // kurt < 3.5 alone
        assert_eq!(check_skew_kurt(&x, 2.0, 3.0).pass, Some(true)); // |skew| < 2 alone
        assert_eq!(check_skew_kurt(&x, 1.0, 3.0).pass, Some(false)); // both fail
        let (s, k) = (skew(&x).unwrap(), kurt(&x).unwrap());
        assert_eq!(check_skew_kurt(&x, s, k).pass, Some(false)); // equal to both thresholds fails
                                                                 // 3 values: skewness known (|skew| < 2 always), kurtosis not → passes (TRUE | NA)
        assert_eq!(check_skew_kurt(&col(&[1.0, 2.0, 9.0]), 2.0, 3.5).pass, Some(true));
        assert_eq!(check_skew_kurt(&col(&[1.0, 2.0, 9.0]), 0.5, 3.5).pass, None);
        // FALSE | NA
    }

    #[test]
    fn winsorise_as_coinr_documents_it() {
        // COINr's `winsorise()` example (pkgdown reference page): x = c(1:10, 30, 100) →
        // x = 1..10, 30, 30; nwin = 1; treated[12] = "winhi"
        let mut x = one_to(10);
        x.extend([Some(30.0), Some(100.0)]);
        let w = winsorise(&x, &WinsoriseSpec::default()).unwrap();
        let mut want = one_to(10);
        want.extend([Some(30.0), Some(30.0)]);
        assert_eq!(w.values, want);
        assert_eq!(w.count, 1);
        assert_eq!(w.points, [TreatedPoint { index: 11, old: 100.0, new: 30.0, method: TreatMethod::WinsoriseHigh }]);
        assert!(w.passes);
    }

    #[test]
    fn winsorise_treats_ties_together_and_counts_them() {
        // 20 ones and two values of 50: both maxima are replaced at once by 1 → all equal → the
        // test cannot be computed (COINr: error, column left untreated)
        let mut x = vec![Some(1.0); 20];
        x.extend([Some(50.0), Some(50.0)]);
        assert_eq!(winsorise(&x, &WinsoriseSpec::default()).unwrap_err(), Why::NoSpread);
        let t = treat(&x, &WinsoriseSpec::default());
        assert_eq!(t.outcome, TreatOutcome::Untreated(UntreatedWhy::NoSpread));
        assert_eq!(t.values, x);
        // 1..=20 with 60, 60, 200: the 200 first (count 1), then both 60s at once (count 3)
        let mut x = one_to(20);
        x.extend([Some(60.0), Some(60.0), Some(200.0)]);
        let w = winsorise(&x, &WinsoriseSpec { points: Some(5), skew: 0.5, kurtosis: -5.0 }).unwrap();
        assert!(w.count >= 3, "{w:?}");
        assert_eq!(w.values[22], Some(20.0));
        assert_eq!(w.values[20], Some(20.0));
    }

    #[test]
    fn winsorise_low_side_when_skewness_is_negative() {
        let mut x: Vec<Option<f64>> = one_to(10).into_iter().map(|v| v.map(|v| -v)).collect();
        x.extend([Some(-30.0), Some(-100.0), None]);
        let w = winsorise(&x, &WinsoriseSpec::default()).unwrap();
        assert_eq!(w.values[11], Some(-30.0));
        assert_eq!(w.values[12], None);
        assert_eq!(w.points[0].method, TreatMethod::WinsoriseLow);
    }

    #[test]
    fn treat_falls_back_to_log_ct_on_the_original_values() {
        // twenty 1s and 100, 200, 300 (skew 3.03, kurt 8.89); one point of winsorisation (300 →
        // 200) leaves skew 2.68, kurt 6.08: log_CT of the original values, which still fails
        // (skew 2.41, kurt 4.31) and is kept all the same
        let mut x = vec![Some(1.0); 20];
        x.extend([Some(100.0), Some(200.0), Some(300.0)]);
        let spec = WinsoriseSpec { points: Some(1), ..WinsoriseSpec::default() };
        let t = treat(&x, &spec);
        assert_eq!(t.outcome, TreatOutcome::Log { passes: false }, "{t:?}");
        assert!(close(t.after.skew.unwrap(), 2.4129281609677546, 1e-12));
        let (min, max) = (1.0, 300.0);
        let a = 0.01 * (max - min);
        for (v, o) in t.values.iter().zip(&x) {
            assert_eq!(*v, Some(libm::log(o.unwrap() - min + a)));
        }
        assert_eq!(t.points.len(), 23);
        assert!(t.points.iter().all(|p| p.method == TreatMethod::LogCt));
        // a column that passes is left alone
        let ok = one_to(10);
        let t = treat(&ok, &WinsoriseSpec::default());
        assert_eq!((t.outcome, t.values), (TreatOutcome::Passed, ok));
        // too few values
        let t = treat(&col(&[1.0, 2.0, 100.0]), &WinsoriseSpec::default());
        assert_eq!(t.outcome, TreatOutcome::Passed); // 3 values: |skew| < 2 always passes
        let t = treat(&[Some(1.0), Some(2.0)], &WinsoriseSpec::default());
        assert_eq!(t.outcome, TreatOutcome::Untreated(UntreatedWhy::TooFew));
    }

    #[test]
    fn log_ct_by_hand() {
        // min 0, max 100, a = 1: ln(x + 1)
        let y = log_ct(&[Some(0.0), None, Some(100.0), Some(9.0)]).unwrap();
        assert_eq!(y, [Some(0.0), None, Some(libm::log(101.0)), Some(libm::log(10.0))]);
        assert_eq!(log_ct(&col(&[3.0, 3.0])).unwrap_err(), Why::NoSpread);
    }

    #[test]
    fn imputation_by_mean_median_and_group() {
        let x = [Some(1.0), None, Some(3.0), Some(10.0), None];
        assert_eq!(impute_mean(&x), [Some(1.0), Some(14.0 / 3.0), Some(3.0), Some(10.0), Some(14.0 / 3.0)]);
        assert_eq!(impute_median(&x), [Some(1.0), Some(3.0), Some(3.0), Some(10.0), Some(3.0)]);
        assert_eq!(impute_median(&[Some(1.0), Some(4.0), None]), [Some(1.0), Some(4.0), Some(2.5)]);
        assert_eq!(impute_mean(&[None, None]), [None, None]);
        // groups: A = {1, _, 3}, B = {10, _}; a unit without a group stays missing; a group
        // with no value present stays missing
        let x = [Some(1.0), None, Some(3.0), Some(10.0), None, None, None];
        let g = [Some("A"), Some("A"), Some("A"), Some("B"), Some("B"), None, Some("C")];
        assert_eq!(
            impute_group_mean(&x, &g).unwrap(),
            [Some(1.0), Some(2.0), Some(3.0), Some(10.0), Some(10.0), None, None]
        );
        let x = [Some(1.0), None, Some(3.0), Some(8.0), Some(10.0), None];
        let g = [Some("A"), Some("A"), Some("A"), Some("A"), Some("B"), Some("B")];
        assert_eq!(impute_group_median(&x, &g).unwrap()[1], Some(3.0));
        assert!(impute_group_mean(&x, &g[..2]).is_err());
    }

    #[test]
    fn carrying_forward() {
        let s = [Some(1.0), None, None, Some(4.0), None];
        let y = impute_previous(&s, None);
        assert_eq!(
            y,
            [
                (Some(1.0), Some(0)),
                (Some(1.0), Some(0)),
                (Some(1.0), Some(0)),
                (Some(4.0), Some(3)),
                (Some(4.0), Some(3))
            ]
        );
        let y = impute_previous(&s, Some(1));
        assert_eq!(y[2], (None, None));
        assert_eq!(y[1], (Some(1.0), Some(0)));
        assert_eq!(impute_previous(&[None, Some(2.0)], None)[0], (None, None));
    }

    #[test]
    fn screening_keeps_availability_at_the_threshold() {
        let mut row = vec![Some(1.0); 9];
        row.push(None); // 1 − 1/10 = 0.9
        assert_eq!(data_availability(&row), Some(0.9));
        assert_eq!(screen_by_na(&row, 0.9), Some(true));
        row[0] = None;
        assert_eq!(screen_by_na(&row, 0.9), Some(false));
        // 49 indicators: 4 missing kept, 5 dropped
        let mut row = vec![Some(1.0); 49];
        for r in row.iter_mut().take(4) {
            *r = None;
        }
        assert_eq!(screen_by_na(&row, 0.9), Some(true));
        row[4] = None;
        assert_eq!(screen_by_na(&row, 0.9), Some(false));
        assert_eq!(screen_by_na(&[], 0.9), None);
        assert_eq!(non_zero_share(&[Some(0.0), Some(2.0), None, Some(0.0)]), Some(1.0 - 2.0 / 3.0));
    }

    #[test]
    fn minmax_with_direction() {
        let x = [Some(2.0), Some(4.0), None, Some(12.0)];
        assert_eq!(
            minmax(&x, 0.0, 100.0, Direction::HigherIsBetter).unwrap(),
            [Some(0.0), Some(20.0), None, Some(100.0)]
        );
        assert_eq!(
            minmax(&x, 0.0, 100.0, Direction::LowerIsBetter).unwrap(),
            [Some(100.0), Some(80.0), None, Some(0.0)]
        );
        assert_eq!(minmax(&col(&[3.0, 3.0]), 0.0, 100.0, Direction::HigherIsBetter).unwrap_err(), Why::NoSpread);
        assert!(minmax(&[None], 0.0, 100.0, Direction::HigherIsBetter).is_err());
    }

    #[test]
    fn ranks_with_ties_as_r() {
        let x = [Some(10.0), Some(20.0), Some(20.0), None, Some(5.0)];
        assert_eq!(rank(&x, Ties::Min, Order::Ascending), [Some(2.0), Some(3.0), Some(3.0), None, Some(1.0)]);
        assert_eq!(rank(&x, Ties::Max, Order::Ascending), [Some(2.0), Some(4.0), Some(4.0), None, Some(1.0)]);
        assert_eq!(rank(&x, Ties::Average, Order::Ascending), [Some(2.0), Some(3.5), Some(3.5), None, Some(1.0)]);
        assert_eq!(rank(&x, Ties::Min, Order::Descending), [Some(3.0), Some(1.0), Some(1.0), None, Some(4.0)]);
        assert_eq!(percentile_rank(&x).unwrap(), [Some(1.0 / 3.0), Some(2.0 / 3.0), Some(2.0 / 3.0), None, Some(0.0)]);
    }

    #[test]
    fn means_by_hand_and_their_domains() {
        let x = [Some(1.0), Some(4.0), None, Some(16.0)];
        let w = [1.0, 1.0, 5.0, 2.0];
        // present weights 1, 1, 2 → (1 + 4 + 32) / 4
        assert_eq!(arithmetic_mean(&x, &w).unwrap(), Some(37.0 / 4.0));
        // exp((0 + ln 4 + 2 ln 16)/4) = (4 · 256)^(1/4) = 1024^(1/4)
        assert!(close(geometric_mean(&x, &w).unwrap().unwrap(), libm::pow(1024.0, 0.25), 1e-15));
        // 4 / (1 + 1/4 + 2/16)
        assert!(close(harmonic_mean(&x, &w).unwrap().unwrap(), 4.0 / 1.375, 1e-15));
        // quadratic mean: sqrt((1 + 16 + 2·256)/4)
        assert!(close(power_mean(&x, &w, 2.0).unwrap().unwrap(), (529.0f64 / 4.0).sqrt(), 1e-15));
        assert_eq!(arithmetic_mean(&[None, None], &[1.0, 1.0]).unwrap(), None);
        assert!(matches!(harmonic_mean(&col(&[1.0, 0.0]), &[1.0; 2]), Err(Why::Domain { index: 1, .. })));
        assert_eq!(harmonic_mean(&col(&[-2.0, 4.0]), &[1.0; 2]).unwrap(), Some(-8.0)); // allowed by COINr
        assert!(matches!(power_mean(&col(&[1.0]), &[1.0], 0.0), Err(Why::Parameter(_))));
        assert!(matches!(power_mean(&col(&[1.0, 0.0]), &[1.0; 2], -2.0), Err(Why::Domain { .. })));
        assert!(matches!(arithmetic_mean(&col(&[1.0]), &[1.0, 2.0]), Err(Why::Weights(_))));
        assert!(matches!(arithmetic_mean(&col(&[1.0, 2.0]), &[1.0, -1.0]), Err(Why::Weights(_))));
        assert!(matches!(arithmetic_mean(&col(&[1.0]), &[f64::NAN]), Err(Why::Weights(_))));
        assert_eq!(arithmetic_mean(&col(&[f64::MAX, f64::MAX]), &[1.0; 2]).unwrap(), Some(f64::MAX));
    }

    #[test]
    fn nothing_returns_nan_or_infinity() {
        let nasty = [Some(f64::MAX), Some(-f64::MAX), Some(0.0), None, Some(1e-300)];
        let ok = |r: &Result<Vec<Option<f64>>, Why>| {
            if let Ok(v) = r {
                assert!(v.iter().flatten().all(|x| x.is_finite()), "{v:?}");
            }
        };
        ok(&minmax(&nasty, 0.0, 100.0, Direction::HigherIsBetter));
        ok(&zscore(&nasty, 0.0, 1.0, Direction::HigherIsBetter));
        ok(&log_ct(&nasty));
        ok(&goalposts(&nasty, 0.0, 1.0, 1.0, Direction::HigherIsBetter, false));
        ok(&distance_to_target(&nasty, 1.0, Direction::HigherIsBetter, false));
        for m in [Mean::Arithmetic, Mean::Geometric, Mean::Harmonic, Mean::Power(3.0), Mean::Power(0.5)] {
            if let Ok(Some(v)) = aggregate(&nasty, &[1.0; 5], m, None) {
                assert!(v.is_finite(), "{m:?}");
            }
        }
        assert!(skew(&nasty).is_none_or(f64::is_finite));
        assert!(kurt(&nasty).is_none_or(f64::is_finite));
        let t = treat(&nasty, &WinsoriseSpec::default());
        assert!(t.values.iter().flatten().all(|x| x.is_finite()));
    }
}
