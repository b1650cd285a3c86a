//! Union statistics and change over time: [`Model`] × the periods of an [`Outcome`] → [`Summary`].
//!
//! Part of stage 3, so that reports render figures and compute none. For every period: the mean,
//! smallest and largest score over the units evaluated together (the index, every area and
//! sub-area, every scored indicator, every chapter and the Code), how many units have a score and
//! how many do not, and which units hold the best score; per standard, how many units meet it, do
//! not meet it, or cannot be assessed; per recommendation, how many units it applies to. Between
//! each period and the one before: every unit's change in the index and area scores, and the
//! change in the union mean.
//!
//! Missing values are left out of every statistic and counted. Means use the same compensated sum
//! as `union_mean` in formulas, so a recommendation that compares a score with the union mean and
//! the report's mean agree to the last bit. Scores are higher-is-better (an indicator's direction
//! is applied when it is scored), so the best score is the largest; the units holding it are
//! those whose published (rounded) score equals the published largest score.
//!
//! [`Outcome`]: super::Outcome

use super::stats;
use super::PeriodOutcome;
use crate::model::*;
use crate::number::round;
use indexmap::IndexMap;
use serde::Serialize;

/// Statistics of one column of scores over the units of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stat {
    /// Units with a score.
    pub count: usize,
    /// Units without one.
    pub missing: usize,
    /// Mean of the scores present (`None` when none is).
    pub mean: Option<f64>,
    /// Smallest score.
    pub min: Option<f64>,
    /// Largest score.
    pub max: Option<f64>,
    /// Units whose published score equals the published largest one, in unit order: indices into
    /// the period's [`units`](super::PeriodOutcome::units) (at 100,000 units, tens of thousands
    /// can share a saturated best score: indices, not copies of their codes).
    pub best: Vec<u32>,
}

/// How the units of a period fare on one standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct Tally {
    /// Units that meet it.
    pub met: usize,
    /// Units that do not.
    pub not_met: usize,
    /// Units for which it cannot be assessed.
    pub not_assessable: usize,
}

/// How many units a recommendation concerns in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct RecTally {
    /// Units to which it applies.
    pub applies: usize,
    /// Units for which its condition cannot be assessed.
    pub not_assessable: usize,
}

/// The union-level figures of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSummary {
    /// The period.
    pub period: String,
    /// The index.
    pub index: Stat,
    /// Every area and sub-area (the index excluded), in declaration order.
    pub areas: IndexMap<String, Stat>,
    /// The score of every scored indicator, in declaration order.
    pub indicators: IndexMap<String, Stat>,
    /// Every chapter's score.
    pub chapters: IndexMap<String, Stat>,
    /// The whole Code's score.
    pub code: Stat,
    /// Every standard.
    pub standards: IndexMap<String, Tally>,
    /// Every recommendation.
    pub recommendations: IndexMap<String, RecTally>,
}

/// Differences (later − earlier) of the index and area scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deltas {
    /// The index.
    pub index: Val,
    /// Every area and sub-area (the index excluded), in declaration order.
    pub areas: IndexMap<String, Val>,
}

/// One unit's change between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitChange {
    /// Unit code.
    pub unit: String,
    /// Its differences; missing (with the reason) where either score is.
    pub deltas: Deltas,
}

/// The change from one period to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The earlier period.
    pub from: String,
    /// The later period.
    pub to: String,
    /// Units evaluated in both periods, in code order.
    pub units: Vec<UnitChange>,
    /// The change of the union mean (later mean − earlier mean; the units may differ).
    pub union: Deltas,
}

/// Everything [`summarize`] computes.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Summary {
    /// One per period, in the outcome's order.
    pub periods: Vec<PeriodSummary>,
    /// One per pair of consecutive periods.
    pub changes: Vec<Change>,
}

/// Computes the union statistics of every period and the changes between consecutive periods.
pub fn summarize(model: &Model, periods: &[PeriodOutcome]) -> Summary {
    let per: Vec<PeriodSummary> = periods.iter().map(|p| period_summary(model, p)).collect();
    let changes =
        periods.windows(2).zip(per.windows(2)).map(|(p, s)| change(model, &p[0], &p[1], &s[0], &s[1])).collect();
    Summary { periods: per, changes }
}

/// A slot's values over the units of a period, in unit order (read through
/// [`PeriodOutcome::get`], whatever the columns' representation; a column never computed reads
/// as not assessable for every unit).
fn values(p: &PeriodOutcome, slot: Slot) -> impl Iterator<Item = Val> + '_ {
    (0..p.units.len()).map(move |u| p.get(slot, u))
}

/// The statistics of one column of scores.
///
/// One pass gives the count, the mean (the same compensated sum as `union_mean`, in the same
/// order), the smallest and the largest value (the same folds from ±∞ as `union_min` and
/// `union_max`); a second pass finds the best units. Those are the units whose published score
/// `round(x)` equals the published largest one `round(max)`, and only the units above a cut-off
/// `lo` are rounded:
///
/// - `round` is monotone (it rounds the shortest decimal of `x`, which grows with `x`, and reads
///   the result back: both steps keep the order), so every `x ≤ lo` has
///   `round(x) ≤ round(lo)`. When `round(lo) < round(max)`, which is checked here, no unit at or
///   below `lo` can be among the best, and leaving them out changes nothing: the result is the
///   same as rounding every unit, whatever the margin (when the check fails, every unit is
///   rounded, as before).
/// - The margin only decides how rarely the check fails. The values rounding to one published
///   value have shortest decimals in one cell of width `h = 10^-precision`; a value is within
///   half an ulp of its shortest decimal, so two such values are less than `h` plus an ulp apart.
///   `lo = max − (2h + |max|·2^-40)` leaves a further `h` and thousands of ulps to spare, so the
///   check holds for every score of ordinary size (it can fail only where `h` is below the
///   spacing of doubles near `max`, and then every unit is rounded).
fn stat(model: &Model, p: &PeriodOutcome, slot: Slot) -> Stat {
    let (mut count, mut missing) = (0, 0);
    let mut sum = stats::Sum::default();
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values(p, slot) {
        match v {
            Ok(x) => {
                count += 1;
                sum.add(x);
                min = f64::min(min, x);
                max = f64::max(max, x);
            }
            Err(_) => missing += 1,
        }
    }
    if count == 0 {
        return Stat { count, missing, mean: None, min: None, max: None, best: vec![] };
    }
    let (sp, mode) = (model.header.score_precision, model.header.rounding);
    let top = round(max, sp, mode);
    let h = 10f64.powi(-(sp.min(400) as i32));
    let lo = max - (2.0 * h + max.abs() * f64::powi(2.0, -40));
    // every unit at or below `cut` publishes below `top` (see above); −∞: round every unit
    let cut = if round(lo, sp, mode) < top { lo } else { f64::NEG_INFINITY };
    let best = values(p, slot)
        .enumerate()
        .filter(|(_, v)| matches!(v, Ok(x) if *x > cut && round(*x, sp, mode) == top))
        .map(|(u, _)| u as u32)
        .collect();
    Stat { count, missing, mean: Some(sum.mean()), min: Some(min), max: Some(max), best }
}

fn period_summary(model: &Model, p: &PeriodOutcome) -> PeriodSummary {
    let areas =
        model.areas.values().filter(|a| a.id != model.index).map(|a| (a.id.clone(), stat(model, p, a.slot))).collect();
    let indicators = model
        .indicators
        .values()
        .filter(|i| i.score.is_some())
        .map(|i| (i.id.clone(), stat(model, p, i.score_slot)))
        .collect();
    let chapters = model.chapters.values().map(|c| (c.code.clone(), stat(model, p, c.score))).collect();
    let standards = model
        .standards
        .values()
        .map(|s| {
            let mut t = Tally::default();
            for v in values(p, s.met) {
                match v {
                    Ok(x) if x != 0.0 => t.met += 1,
                    Ok(_) => t.not_met += 1,
                    Err(_) => t.not_assessable += 1,
                }
            }
            (s.code.clone(), t)
        })
        .collect();
    let recommendations = model
        .recommendations
        .values()
        .map(|r| {
            let mut t = RecTally::default();
            for v in values(p, r.slot) {
                match v {
                    Ok(x) if x != 0.0 => t.applies += 1,
                    Ok(_) => {}
                    Err(_) => t.not_assessable += 1,
                }
            }
            (r.id.clone(), t)
        })
        .collect();
    PeriodSummary {
        period: p.period.clone(),
        index: stat(model, p, model.areas[&model.index].slot),
        areas,
        indicators,
        chapters,
        code: stat(model, p, model.code_score),
        standards,
        recommendations,
    }
}

/// `b − a`; missing with the later value's reason if it is missing, else the earlier's.
fn delta(a: Val, b: Val) -> Val {
    match (a, b) {
        (Ok(x), Ok(y)) => super::compile::fin(y - x, 0),
        (_, Err(m)) | (Err(m), _) => Err(m),
    }
}

fn mean_delta(a: &Stat, b: &Stat) -> Val {
    match (a.mean, b.mean) {
        (Some(x), Some(y)) => super::compile::fin(y - x, 0),
        _ => Err(Miss { reason: Reason::InsufficientData, origin: 0 }),
    }
}

fn change(model: &Model, a: &PeriodOutcome, b: &PeriodOutcome, sa: &PeriodSummary, sb: &PeriodSummary) -> Change {
    let index = &model.areas[&model.index];
    let areas: Vec<&Area> = model.areas.values().filter(|x| x.id != model.index).collect();
    // each unit of `b` found in `a` by a map, not by a search per unit (quadratic in units)
    let in_a: std::collections::HashMap<&str, usize> =
        a.units.iter().enumerate().map(|(k, code)| (code.as_str(), k)).collect();
    let units = b
        .units
        .iter()
        .enumerate()
        .filter_map(|(ub, code)| {
            let ua = *in_a.get(code.as_str())?;
            let d = |slot: Slot| delta(a.get(slot, ua), b.get(slot, ub));
            Some(UnitChange {
                unit: code.clone(),
                deltas: Deltas {
                    index: d(index.slot),
                    areas: areas.iter().map(|x| (x.id.clone(), d(x.slot))).collect(),
                },
            })
        })
        .collect();
    let union = Deltas {
        index: mean_delta(&sa.index, &sb.index),
        areas: areas.iter().map(|x| (x.id.clone(), mean_delta(&sa.areas[&x.id], &sb.areas[&x.id]))).collect(),
    };
    Change { from: a.period.clone(), to: b.period.clone(), units, union }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    const RULES: &str = r#"
methodology s { en "Summary" ru "Сводка" version "1" score_precision 1 }
question q1 : percent { en "Q1" ru "В1" }
question q2 : percent { en "Q2" ru "В2" }
area a {
  en "A" ru "А"
  missing not_assessable
  indicator i1 = q1 { en "I1" ru "П1" score value }
}
area b {
  en "B" ru "Б"
  indicator i2 = q2 { en "I2" ru "П2" score value }
}
standard S-1 { en "S" ru "С" requires i1 >= 50 }
recommend r when not met(S-1) { en "R" ru "Р" }
"#;

    /// Evaluates RULES on `(unit, period, q1, q2)` rows; `None` is a missing answer.
    fn run(rows: &[(&str, &str, Option<f64>, f64)]) -> (Model, Summary) {
        let model = crate::check::check_text("s.tamga", RULES).model.expect("the rules check");
        let mut sources = crate::source::SourceMap::new();
        let mut submissions = vec![];
        for (unit, period, q1, q2) in rows {
            let q1 = q1.map(|x| x.to_string()).unwrap_or(r#"{"missing": "confidential"}"#.into());
            let text = format!(r#"{{"unit": "{unit}", "period": "{period}", "answers": {{"q1": {q1}, "q2": {q2}}}}}"#);
            let (sub, _) = crate::data::load_text(&model, &format!("{unit}-{period}.json"), &text, &mut sources);
            submissions.push(sub.expect("a submission"));
        }
        let outcome = crate::eval::evaluate(&model, &Dataset { submissions });
        let summary = outcome.summary.clone();
        (model, summary)
    }

    #[test]
    fn statistics_leave_out_missing_values_and_count_them() {
        let (_, s) =
            run(&[("AM", "2023", Some(40.0), 10.0), ("BY", "2023", None, 20.0), ("KZ", "2023", Some(80.0), 30.0)]);
        let p = &s.periods[0];
        let a = &p.areas["a"];
        assert_eq!((a.count, a.missing), (2, 1));
        assert_eq!((a.mean, a.min, a.max), (Some(60.0), Some(40.0), Some(80.0)));
        assert_eq!(a.best, [2], "KZ");
        assert_eq!(p.areas["b"].mean, Some(20.0));
        assert_eq!(p.indicators["i1"].count, 2);
        assert_eq!(p.standards["S-1"], Tally { met: 1, not_met: 1, not_assessable: 1 });
        assert_eq!(p.recommendations["r"], RecTally { applies: 1, not_assessable: 1 });
        assert!(s.changes.is_empty(), "one period, no change");
    }

    #[test]
    fn the_best_are_those_tied_on_the_published_score() {
        // 70.04 and 70.0 both publish as 70.0
        let (_, s) =
            run(&[("AM", "2023", Some(70.04), 1.0), ("BY", "2023", Some(70.0), 1.0), ("KZ", "2023", Some(69.9), 1.0)]);
        assert_eq!(s.periods[0].areas["a"].best, [0, 1], "AM, BY");
        assert_eq!(s.periods[0].areas["a"].max, Some(70.04));
    }

    #[test]
    fn no_value_present_gives_no_statistic() {
        let (_, s) = run(&[("AM", "2023", None, 1.0)]);
        let a = &s.periods[0].areas["a"];
        assert_eq!((a.count, a.missing, a.mean, a.max), (0, 1, None, None));
        assert!(a.best.is_empty());
    }

    #[test]
    fn changes_are_later_minus_earlier_for_units_in_both_periods() {
        let (_, s) = run(&[
            ("AM", "2022", Some(40.0), 10.0),
            ("BY", "2022", Some(50.0), 10.0),
            ("AM", "2023", Some(55.5), 10.0),
            ("BY", "2023", None, 10.0),
            ("KZ", "2023", Some(90.0), 10.0),
        ]);
        assert_eq!(s.changes.len(), 1);
        let c = &s.changes[0];
        assert_eq!((c.from.as_str(), c.to.as_str()), ("2022", "2023"));
        assert_eq!(c.units.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>(), ["AM", "BY"], "KZ is new in 2023");
        assert_eq!(c.units[0].deltas.areas["a"], Ok(15.5));
        assert_eq!(c.units[0].deltas.areas["b"], Ok(0.0));
        let by = c.units[1].deltas.areas["a"];
        assert_eq!(by.map_err(|m| m.reason), Err(Reason::NotAssessable), "a missing score gives a missing change");
        // the union mean of `a` moves from 45 to (55.5 + 90) / 2 = 72.75
        assert_eq!(c.union.areas["a"], Ok(27.75));
    }
}
