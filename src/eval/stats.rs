//! Cross-unit statistics and scoring rules: computed once per column.

use crate::model::*;
use crate::number::{round, Rounding};

fn insufficient(origin: u32) -> Miss {
    Miss { reason: Reason::InsufficientData, origin }
}

/// Present values with their unit index.
pub(crate) fn present(col: &[Val]) -> Vec<(usize, f64)> {
    col.iter().enumerate().filter_map(|(u, v)| v.as_ref().ok().map(|x| (u, *x))).collect()
}

/// A running Neumaier-compensated sum, so that a mean does not depend on the order of small and
/// large values: [`mean`] of a slice, or a mean computed in one pass over a column (the summary)
/// — the same operations in the same order, hence the same bits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    s: f64,
    comp: f64,
    n: usize,
}

impl Sum {
    /// Adds a value.
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.comp += (self.s - t) + x;
        } else {
            self.comp += (x - t) + self.s;
        }
        self.s = t;
        self.n += 1;
    }

    /// The mean of the values added (NaN when none was: callers check).
    pub(crate) fn mean(&self) -> f64 {
        (self.s + self.comp) / self.n as f64
    }
}

/// Mean of values (callers ensure non-empty).
pub(crate) fn mean(xs: &[f64]) -> f64 {
    let mut sum = Sum::default();
    for &x in xs {
        sum.add(x);
    }
    sum.mean()
}

/// Sample standard deviation (n − 1), `None` for fewer than two values.
pub(crate) fn sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs);
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// Ranks of `xs` where the largest value gets rank 1, with a tie rule.
///
/// The rank of `x` is defined by two counts over `xs`: the values above it (`y > x`) and the
/// values equal to it (`y == x`, so −0 and 0 are equal), which give rank `above + 1` (min),
/// `above + equal` (max) or `above + (equal + 1) / 2` (average). Both counts come from one sort:
/// in descending order, the values above `x` are those before its run of equal values, and the
/// run's length is `equal`. A NaN (never in a column) is above nothing, below nothing and equal to
/// nothing, as with the comparisons: it is left out of the sort and gets the counts 0 and 0.
/// O(n log n).
pub fn ranks_desc(xs: &[f64], ties: Ties) -> Vec<f64> {
    let rank = |above: usize, equal: usize| {
        let (above, equal) = (above as f64, equal as f64);
        match ties {
            Ties::Min => above + 1.0,
            Ties::Max => above + equal,
            Ties::Average => above + (equal + 1.0) / 2.0,
        }
    };
    let mut out = vec![rank(0, 0); xs.len()];
    for_runs(xs, true, |before, run| {
        let r = rank(before, run.len());
        for &(_, u) in run {
            out[u] = r;
        }
    });
    out
}

/// Percentile ranks 0–100: the smallest value 0, the largest 100, ties averaged.
///
/// `x`'s ascending average rank `below + (equal + 1) / 2` (counts as in [`ranks_desc`], from one
/// ascending sort), mapped to `(rank − 1) / (n − 1) · 100`; `None` for fewer than two values.
fn percentiles(xs: &[f64]) -> Option<Vec<f64>> {
    let n = xs.len();
    if n < 2 {
        return None;
    }
    let pct = |below: usize, equal: usize| {
        let r = below as f64 + (equal as f64 + 1.0) / 2.0; // ascending average rank
        (r - 1.0) / (n as f64 - 1.0) * 100.0
    };
    let mut out = vec![pct(0, 0); n];
    for_runs(xs, false, |before, run| {
        let p = pct(before, run.len());
        for &(_, u) in run {
            out[u] = p;
        }
    });
    Some(out)
}

/// Percentile ranks 0–100 by a chosen definition: r the ascending rank of `xs` with the tie rule
/// `ties` (as R's `rank(x, ties.method = …)`), mapped to `r / n · 100` (`over_n`, the OECD/JRC
/// Handbook's definition) or `(r − 1) / (n − 1) · 100`; `None` for no value (`over_n`) or fewer
/// than two.
fn percentiles_by(xs: &[f64], ties: Ties, over_n: bool) -> Option<Vec<f64>> {
    let n = xs.len();
    if n < if over_n { 1 } else { 2 } {
        return None;
    }
    let neg: Vec<f64> = xs.iter().map(|x| -x).collect();
    let nf = n as f64;
    Some(
        ranks_desc(&neg, ties)
            .into_iter()
            .map(|r| if over_n { r / nf * 100.0 } else { (r - 1.0) / (nf - 1.0) * 100.0 })
            .collect(),
    )
}

/// Sorts the values of `xs` that are not NaN (descending or ascending) and calls `f` for every run
/// of equal values, in order, with the number of values before the run and the run itself
/// (`(value, index in xs)` pairs). Values are compared with `total_cmp` after −0 is made 0, so
/// that runs are exactly the classes of `==`.
fn for_runs(xs: &[f64], descending: bool, mut f: impl FnMut(usize, &[(f64, usize)])) {
    // x + 0.0 is x for every x but −0, which becomes +0
    let mut v: Vec<(f64, usize)> =
        xs.iter().enumerate().filter(|(_, x)| !x.is_nan()).map(|(u, x)| (x + 0.0, u)).collect();
    if descending {
        v.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    } else {
        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }
    let mut start = 0;
    while start < v.len() {
        let x = v[start].0;
        let len = v[start..].iter().take_while(|(y, _)| *y == x).count();
        f(start, &v[start..start + len]);
        start += len;
    }
}

pub(crate) fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A cross-unit function over a column: the result column and how many values were present.
pub fn column(op: ColumnOp, col: &[Val], origin: u32) -> (Vec<Val>, usize) {
    let p = present(col);
    let xs: Vec<f64> = p.iter().map(|(_, x)| *x).collect();
    let n = col.len();
    let broadcast = |v: Val| vec![v; n];
    let out = match op {
        ColumnOp::Count => broadcast(Ok(xs.len() as f64)),
        _ if xs.is_empty() => broadcast(Err(insufficient(origin))),
        ColumnOp::Mean => broadcast(Ok(mean(&xs))),
        ColumnOp::Median => broadcast(Ok(median(&xs))),
        ColumnOp::Min => broadcast(Ok(xs.iter().copied().fold(f64::INFINITY, f64::min))),
        ColumnOp::Max => broadcast(Ok(xs.iter().copied().fold(f64::NEG_INFINITY, f64::max))),
        ColumnOp::Sum => broadcast(super::compile::fin(xs.iter().sum(), origin)),
        ColumnOp::Sd => broadcast(sd(&xs).map(Ok).unwrap_or(Err(insufficient(origin)))),
        ColumnOp::Rank(ties) => per_unit(col, &p, ranks_desc(&xs, ties)),
        ColumnOp::Percentile => match percentiles(&xs) {
            Some(ps) => per_unit(col, &p, ps),
            None => broadcast(Err(insufficient(origin))),
        },
    };
    (out, xs.len())
}

/// Spreads per-present-value results back to the units; missing units keep their reason.
fn per_unit(col: &[Val], p: &[(usize, f64)], values: Vec<f64>) -> Vec<Val> {
    let mut out: Vec<Val> = col.to_vec();
    for ((u, _), v) in p.iter().zip(values) {
        out[*u] = Ok(v);
    }
    out
}

/// Where a unit's value fell under its scoring rule: what an explanation shows beside the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Nothing to add (the value or the statistic is missing, or the rule needs no detail).
    None,
    /// Goalposts: how far the value lies from worst (0) to best (1), before clamping to 0..1
    /// (on logarithms for log goalposts).
    Goalposts {
        /// The fraction.
        fraction: f64,
    },
    /// Min-max over the units evaluated together.
    MinMax {
        /// Smallest value present.
        min: f64,
        /// Largest value present.
        max: f64,
    },
    /// z-score.
    ZScore {
        /// Mean of the values present.
        mean: f64,
        /// Their sample standard deviation.
        sd: f64,
        /// (x − mean) / sd, before the direction.
        z: f64,
    },
    /// Rank by quality (worst 1, best n).
    Rank {
        /// The rank.
        rank: f64,
        /// Values present.
        n: usize,
    },
    /// Percentile rank by quality, 0–100 (worst 0, best 100).
    Percentile {
        /// The percentile rank.
        percentile: f64,
        /// Values present.
        n: usize,
    },
    /// Distance to a reference.
    Distance {
        /// The reference value (a target, or the mean, best or worst value present).
        reference: f64,
    },
    /// Threshold around the mean.
    Threshold {
        /// Mean of the values present.
        mean: f64,
        /// Half the width of the band around the mean (|mean| · p / 100).
        half: f64,
        /// 0 below, 1 within, 2 above (by quality).
        class: u8,
    },
    /// Percentile classes.
    Categorical {
        /// The percentile rank by quality, 0–100.
        percentile: f64,
        /// The class holding it, by position.
        class: Option<usize>,
    },
    /// Bands.
    Bands {
        /// The value rounded to its display precision (what the bands judge).
        rounded: f64,
        /// The band holding it, by position (`None`: the `else` score, or outside every band).
        band: Option<usize>,
    },
}

/// Scores a column of values with a rule (all rules but `formula`, which is compiled).
pub fn score(
    rule: &ScoreRule,
    ind: &Indicator,
    col: &[Val],
    scale: (f64, f64),
    mode: Rounding,
    origin: u32,
) -> Vec<Val> {
    score_detailed(rule, ind, col, scale, mode, origin).into_iter().map(|(v, _)| v).collect()
}

/// Scores a column of values with a rule, saying for each unit where its value fell: the one
/// computation behind both the evaluation ([`score`]) and its explanation.
pub fn score_detailed(
    rule: &ScoreRule,
    ind: &Indicator,
    col: &[Val],
    scale: (f64, f64),
    mode: Rounding,
    origin: u32,
) -> Vec<(Val, Placement)> {
    let (bottom, top) = scale;
    let span = top - bottom;
    let lower = ind.direction == Direction::LowerIsBetter;
    let p = present(col);
    let xs: Vec<f64> = p.iter().map(|(_, x)| *x).collect();
    // goodness: a value that grows with quality
    let good: Vec<f64> = xs.iter().map(|x| if lower { -x } else { *x }).collect();
    let fill = |f: &dyn Fn(f64) -> (Val, Placement)| -> Vec<(Val, Placement)> {
        col.iter()
            .map(|v| match v {
                Ok(x) => f(*x),
                Err(m) => (Err(*m), Placement::None),
            })
            .collect()
    };
    let plain = |v: &Val| (*v, Placement::None);
    let all_insufficient =
        || col.iter().map(|v| (v.and(Err(insufficient(origin))), Placement::None)).collect::<Vec<_>>();
    let fin = |x: f64| super::compile::fin(x, origin);
    // per present unit: (value, placement); missing units keep their reason
    let spread = |values: Vec<(Val, Placement)>| -> Vec<(Val, Placement)> {
        let mut out: Vec<(Val, Placement)> = col.iter().map(plain).collect();
        for ((u, _), v) in p.iter().zip(values) {
            out[*u] = v;
        }
        out
    };
    match rule {
        ScoreRule::Goalposts { best, worst, log } => {
            let (b, w, log) = (*best, *worst, *log);
            fill(&|x| {
                let t = if log {
                    if x <= 0.0 {
                        return (Err(Miss { reason: Reason::Domain, origin }), Placement::None);
                    }
                    (libm::log(x) - libm::log(w)) / (libm::log(b) - libm::log(w))
                } else {
                    (x - w) / (b - w)
                };
                (fin(bottom + t.clamp(0.0, 1.0) * span), Placement::Goalposts { fraction: t })
            })
        }
        ScoreRule::MinMax => {
            if xs.is_empty() {
                return all_insufficient();
            }
            let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if max == min {
                return all_insufficient();
            }
            fill(&|x| {
                let t = if lower { (max - x) / (max - min) } else { (x - min) / (max - min) };
                (fin(bottom + t * span), Placement::MinMax { min, max })
            })
        }
        ScoreRule::ZScore { center, scale } => {
            let Some(s) = sd(&xs).filter(|s| *s > 0.0) else {
                return all_insufficient();
            };
            let m = mean(&xs);
            fill(&|x| {
                let z = (x - m) / s;
                (fin(center + if lower { -z } else { z } * scale), Placement::ZScore { mean: m, sd: s, z })
            })
        }
        ScoreRule::Rank { ties, descending } => {
            // ascending: worst = 1, best = n (the descending rank of badness); descending: best = 1
            let key: Vec<f64> = if *descending { good.clone() } else { good.iter().map(|g| -g).collect() };
            let n = xs.len();
            spread(ranks_desc(&key, *ties).into_iter().map(|r| (Ok(r), Placement::Rank { rank: r, n })).collect())
        }
        ScoreRule::Percentile { over_n, ties } => {
            let ps = if !*over_n && *ties == Ties::Average {
                percentiles(&good)
            } else {
                percentiles_by(&good, *ties, *over_n)
            };
            match ps {
                Some(ps) => {
                    let n = xs.len();
                    spread(
                        ps.into_iter()
                            .map(|q| (Ok(bottom + q / 100.0 * span), Placement::Percentile { percentile: q, n }))
                            .collect(),
                    )
                }
                None => all_insufficient(),
            }
        }
        ScoreRule::Distance { to, how } => {
            let reference = match to {
                Reference::Target(t) => *t,
                _ if xs.is_empty() => return all_insufficient(),
                Reference::Mean => mean(&xs),
                Reference::Best => {
                    if lower {
                        xs.iter().copied().fold(f64::INFINITY, f64::min)
                    } else {
                        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    }
                }
                Reference::Worst => {
                    if lower {
                        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    } else {
                        xs.iter().copied().fold(f64::INFINITY, f64::min)
                    }
                }
            };
            let how = *how;
            let at = Placement::Distance { reference };
            fill(&|x| match how {
                DistanceKind::Ratio => {
                    let (num, den) = if lower { (reference, x) } else { (x, reference) };
                    if den == 0.0 {
                        return (Err(Miss { reason: Reason::DivisionByZero, origin }), at);
                    }
                    (fin(num / den * top), at)
                }
                DistanceKind::Relative => {
                    if reference == 0.0 {
                        return (Err(Miss { reason: Reason::DivisionByZero, origin }), at);
                    }
                    let d = if lower { reference - x } else { x - reference };
                    (fin(d / reference * top), at)
                }
                DistanceKind::Difference => (fin(if lower { reference - x } else { x - reference }), at),
            })
        }
        ScoreRule::Threshold { p: pct, above, within, below } => {
            if xs.is_empty() {
                return all_insufficient();
            }
            let m = mean(&xs);
            let half = m.abs() * pct / 100.0;
            let (above, within, below) = (*above, *within, *below);
            fill(&|x| {
                let (hi, lo) = if lower { (x < m - half, x > m + half) } else { (x > m + half, x < m - half) };
                let (score, class) = if hi {
                    (above, 2)
                } else if lo {
                    (below, 0)
                } else {
                    (within, 1)
                };
                (Ok(score), Placement::Threshold { mean: m, half, class })
            })
        }
        ScoreRule::Categorical { classes } => match percentiles(&good) {
            Some(ps) => spread(
                ps.into_iter()
                    .map(|q| {
                        let class = classes.iter().position(|(r, _)| r.contains(q));
                        let v = class.map(|k| Ok(classes[k].1)).unwrap_or(Err(Miss { reason: Reason::Domain, origin }));
                        (v, Placement::Categorical { percentile: q, class })
                    })
                    .collect(),
            ),
            None => all_insufficient(),
        },
        ScoreRule::Bands { bands, otherwise } => {
            let prec = ind.precision;
            fill(&|x| {
                let x = round(x, prec, mode);
                let band = super::compile::band_of(bands, x);
                let v = match band {
                    Some(k) => Ok(bands[k].1),
                    None => otherwise.map(Ok).unwrap_or(Err(Miss { reason: Reason::Domain, origin })),
                };
                (v, Placement::Bands { rounded: x, band })
            })
        }
        ScoreRule::YesNo { yes, no } => fill(&|x| (Ok(if x != 0.0 { *yes } else { *no }), Placement::None)),
        ScoreRule::Value => fill(&|x| (Ok(x), Placement::None)),
        ScoreRule::Formula { .. } => {
            col.iter().map(|v| (v.and(Err(Miss { reason: Reason::NotAssessable, origin })), Placement::None)).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties() {
        let xs = [10.0, 20.0, 20.0, 5.0];
        assert_eq!(ranks_desc(&xs, Ties::Min), vec![3.0, 1.0, 1.0, 4.0]);
        assert_eq!(ranks_desc(&xs, Ties::Max), vec![3.0, 2.0, 2.0, 4.0]);
        assert_eq!(ranks_desc(&xs, Ties::Average), vec![3.0, 1.5, 1.5, 4.0]);
    }

    #[test]
    fn sample_sd() {
        assert_eq!(sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), Some((32.0f64 / 7.0).sqrt()));
        assert_eq!(sd(&[1.0]), None);
    }

    #[test]
    fn percentile_ranks() {
        assert_eq!(percentiles(&[1.0, 2.0, 3.0]), Some(vec![0.0, 50.0, 100.0]));
        assert_eq!(percentiles(&[1.0, 1.0, 3.0]), Some(vec![25.0, 25.0, 100.0]));
    }

    /// The O(n²) definitions the sorted versions replace: the oracles they must equal bit for bit.
    mod oracle {
        use super::*;

        pub fn ranks_desc(xs: &[f64], ties: Ties) -> Vec<f64> {
            xs.iter()
                .map(|x| {
                    let above = xs.iter().filter(|y| *y > x).count() as f64;
                    let equal = xs.iter().filter(|y| *y == x).count() as f64;
                    match ties {
                        Ties::Min => above + 1.0,
                        Ties::Max => above + equal,
                        Ties::Average => above + (equal + 1.0) / 2.0,
                    }
                })
                .collect()
        }

        pub fn percentiles(xs: &[f64]) -> Option<Vec<f64>> {
            let n = xs.len();
            if n < 2 {
                return None;
            }
            Some(
                xs.iter()
                    .map(|x| {
                        let below = xs.iter().filter(|y| *y < x).count() as f64;
                        let equal = xs.iter().filter(|y| *y == x).count() as f64;
                        let r = below + (equal + 1.0) / 2.0; // ascending average rank
                        (r - 1.0) / (n as f64 - 1.0) * 100.0
                    })
                    .collect(),
            )
        }
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn same(xs: &[f64]) {
        for ties in [Ties::Min, Ties::Max, Ties::Average] {
            assert_eq!(bits(&ranks_desc(xs, ties)), bits(&oracle::ranks_desc(xs, ties)), "{ties:?} of {xs:?}");
        }
        assert_eq!(
            percentiles(xs).map(|p| bits(&p)),
            oracle::percentiles(xs).map(|p| bits(&p)),
            "percentiles of {xs:?}"
        );
    }

    #[test]
    fn sorted_ranks_equal_the_counting_definition_on_edge_cases() {
        same(&[]);
        same(&[1.0]);
        same(&[0.0, -0.0, 0.0, -0.0]);
        same(&[-0.0, 1.0, 0.0, -1.0]);
        same(&[f64::INFINITY, f64::NEG_INFINITY, 1.0, f64::INFINITY]);
        // never in a column, but the counting definition says what a NaN gets, and so do we
        same(&[f64::NAN, 1.0, -f64::NAN, 1.0, 2.0]);
        same(&[f64::NAN, f64::NAN]);
        same(&[f64::MIN_POSITIVE / 2.0, 0.0, -f64::MIN_POSITIVE / 2.0, f64::MAX, f64::MIN]);
    }

    use proptest::prelude::*;

    /// Values from a small set (many ties, −0 beside 0), or any finite value.
    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => prop::sample::select(vec![0.0, -0.0, 1.0, -1.0, 2.5, 100.0, -3.25, 1e-300, 7.0]),
            1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn sorted_ranks_and_percentiles_equal_the_counting_definition(
            xs in prop::collection::vec(value(), 0..200),
        ) {
            same(&xs);
        }

        #[test]
        fn sorted_ranks_equal_the_counting_definition_with_few_distinct_values(
            xs in prop::collection::vec(0u8..4, 0..200),
        ) {
            let xs: Vec<f64> = xs.into_iter().map(|k| [0.0, -0.0, 1.5, -2.0][k as usize]).collect();
            same(&xs);
        }
    }
}
