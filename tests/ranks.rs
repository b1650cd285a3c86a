//! Cross-unit ranks and the union summary, end to end over hundreds of units with many ties:
//! `union_rank` (three tie rules), `union_percentile`, and the `rank`, `percentile` and
//! `categorical` scoring rules equal the counting definitions of docs/language.md (the values above
//! and equal to each one); the summary's best units are those whose published score equals the
//! published largest one, its mean is `union_mean`'s to the bit, its min and max `union_min`'s and
//! `union_max`'s. The rank functions are sorted (O(n log n)) and the summary rounds only the
//! units near the largest score: these tests hold them to the plain definitions.

use tamga::data::Dataset;
use tamga::eval::PeriodOutcome;
use tamga::model::{Model, Slot, Val};
use tamga::number::{round, Rounding};
use tamga::source::SourceMap;

/// A deterministic generator (xorshift), so the tests need no seed file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Checks `text` and evaluates it on one period of units, `q` answered as given (`None`: left out
/// as not applicable).
fn evaluate(text: &str, answers: &[Option<f64>]) -> (Model, tamga::eval::Outcome) {
    let checked = tamga::check::check_text("ranks.tamga", text);
    let model = checked.model.expect("the rules check");
    let mut sources = SourceMap::new();
    let submissions = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let q = match a {
                Some(x) => format!("{x:?}"),
                None => r#"{"missing": "not_applicable"}"#.into(),
            };
            let text = format!(r#"{{"unit": "U{i:04}", "period": "2024", "answers": {{"q": {q}}}}}"#);
            let (sub, diags) = tamga::data::load_text(&model, &format!("U{i:04}.json"), &text, &mut sources);
            sub.unwrap_or_else(|| panic!("a submission: {diags:?}"))
        })
        .collect();
    let outcome = tamga::eval::evaluate(&model, &Dataset { submissions });
    (model, outcome)
}

fn column(p: &PeriodOutcome, slot: Slot) -> Vec<Val> {
    (0..p.units.len()).map(|u| p.get(slot, u)).collect()
}

/// The answers in unit order: units are sorted by code, and codes are `U0000`, `U0001`, …
fn answers_in_unit_order(p: &PeriodOutcome, answers: &[Option<f64>]) -> Vec<Option<f64>> {
    p.units.iter().map(|u| answers[u[1..].parse::<usize>().expect("a unit number")]).collect()
}

/// `(above, equal)` counts of `x` among the values present.
fn counts(xs: &[f64], x: f64) -> (f64, f64, f64) {
    let above = xs.iter().filter(|y| **y > x).count() as f64;
    let below = xs.iter().filter(|y| **y < x).count() as f64;
    let equal = xs.iter().filter(|y| **y == x).count() as f64;
    (above, below, equal)
}

/// Values with many ties: 0–10 in steps of ½, a few left out.
fn tied_answers(rng: &mut Rng, n: usize) -> Vec<Option<f64>> {
    (0..n).map(|_| if rng.below(20) == 0 { None } else { Some(rng.below(21) as f64 / 2.0) }).collect()
}

const RANKS: &str = r#"
methodology ranks { en "Ranks" version "1" }
question q : number in 0..=10 { en "Q" }
indicator r_min = union_rank(q) { en "min" }
indicator r_max = union_rank(q, ties: max) { en "max" }
indicator r_avg = union_rank(q, ties: average) { en "average" }
indicator pct = union_percentile(q) { en "percentile" }
area a {
  en "A"
  indicator s_min = q { en "rank min" weight 0 score rank(ties: min) }
  indicator s_max = q { en "rank max" weight 0 score rank(ties: max) }
  indicator s_avg = q { en "rank average" lower_is_better weight 0 score rank(ties: average) }
  indicator s_pct = q { en "percentile" score percentile }
  indicator s_low = q { en "percentile, lower is better" lower_is_better score percentile }
  indicator s_cat = q { en "categorical" score categorical { ..25 => 0, 25..50 => 33, 50..75 => 67, 75..=100 => 100 } }
}
"#;

#[test]
fn ranks_and_percentiles_over_many_tied_units_follow_the_counting_definition() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for n in [0, 1, 2, 3, 17, 400] {
        let answers = tied_answers(&mut rng, n);
        let (model, outcome) = evaluate(RANKS, &answers);
        let Some(p) = outcome.periods.first() else {
            assert_eq!(n, 0);
            continue;
        };
        let answers = answers_in_unit_order(p, &answers);
        let xs: Vec<f64> = answers.iter().flatten().copied().collect();
        let m = xs.len() as f64;
        let (bottom, top) = model.header.scale;
        let value = |id: &str| column(p, model.indicators[id].value);
        let score = |id: &str| column(p, model.indicators[id].score_slot);
        let (r_min, r_max, r_avg, pct) = (value("r_min"), value("r_max"), value("r_avg"), value("pct"));
        let (s_min, s_max, s_avg, s_pct, s_low, s_cat) =
            (score("s_min"), score("s_max"), score("s_avg"), score("s_pct"), score("s_low"), score("s_cat"));
        for (u, a) in answers.iter().enumerate() {
            let Some(x) = *a else {
                assert!(r_min[u].is_err() && pct[u].is_err() && s_pct[u].is_err(), "a unit left out has no rank");
                continue;
            };
            let (above, below, equal) = counts(&xs, x);
            let bits = |v: Val| v.map(f64::to_bits);
            // union_rank: the largest value is 1
            assert_eq!(bits(r_min[u]), Ok((above + 1.0).to_bits()), "union_rank min, n = {n}, x = {x}");
            assert_eq!(bits(r_max[u]), Ok((above + equal).to_bits()), "union_rank max, n = {n}, x = {x}");
            assert_eq!(bits(r_avg[u]), Ok((above + (equal + 1.0) / 2.0).to_bits()), "union_rank average, x = {x}");
            // union_percentile: the smallest 0, the largest 100, ties averaged; fewer than two: missing
            let p_asc = |below: f64| (below + (equal + 1.0) / 2.0 - 1.0) / (m - 1.0) * 100.0;
            if xs.len() < 2 {
                assert!(pct[u].is_err() && s_pct[u].is_err() && s_cat[u].is_err(), "one value has no percentile");
            } else {
                assert_eq!(bits(pct[u]), Ok(p_asc(below).to_bits()), "union_percentile, n = {n}, x = {x}");
            }
            // rank scores: the worst 1, the best n (higher is better: the worst is the smallest)
            assert_eq!(bits(s_min[u]), Ok((below + 1.0).to_bits()), "rank(ties: min), x = {x}");
            assert_eq!(bits(s_max[u]), Ok((below + equal).to_bits()), "rank(ties: max), x = {x}");
            // lower is better: the worst is the largest
            assert_eq!(bits(s_avg[u]), Ok((above + (equal + 1.0) / 2.0).to_bits()), "rank(ties: average), x = {x}");
            if xs.len() >= 2 {
                let good = p_asc(below);
                assert_eq!(bits(s_pct[u]), Ok((bottom + good / 100.0 * (top - bottom)).to_bits()), "percentile");
                let bad = p_asc(above);
                assert_eq!(bits(s_low[u]), Ok((bottom + bad / 100.0 * (top - bottom)).to_bits()), "lower is better");
                let class = if good < 25.0 {
                    0.0
                } else if good < 50.0 {
                    33.0
                } else if good < 75.0 {
                    67.0
                } else {
                    100.0
                };
                assert_eq!(s_cat[u], Ok(class), "categorical, percentile {good}");
            }
        }
    }
}

/// A methodology whose area score is the answer itself, with its union mean, min and max.
fn summary_rules(precision: u32, rounding: &str) -> String {
    format!(
        r#"
methodology best {{ en "Best" version "1" score_precision {precision} rounding {rounding} }}
question q : number in 0..=100 {{ en "Q" }}
indicator mean = union_mean(q) {{ en "mean" }}
indicator low = union_min(q) {{ en "min" }}
indicator high = union_max(q) {{ en "max" }}
area a {{
  en "A"
  indicator s = q {{ en "S" score value }}
}}
"#
    )
}

/// Scores at and around the rounding boundaries of `precision` near the top: `k·10^-p`, the
/// half-way points between them, and their neighbouring doubles.
fn near_ties(rng: &mut Rng, n: usize, precision: u32) -> Vec<Option<f64>> {
    let h = 10f64.powi(-(precision as i32));
    (0..n)
        .map(|_| {
            if rng.below(25) == 0 {
                return None;
            }
            // within a few cells of 97
            let k = 97.0 / h - 3.0 + rng.below(7) as f64;
            let mut x = (k + [0.0, 0.5, -0.5, 0.25][rng.below(4) as usize]) * h;
            for _ in 0..rng.below(3) {
                x = if rng.below(2) == 0 { x.next_up() } else { x.next_down() };
            }
            if rng.below(4) == 0 {
                x = rng.below(9000) as f64 / 100.0; // far below
            }
            Some(x.clamp(0.0, 100.0))
        })
        .collect()
}

#[test]
fn the_summary_best_are_the_units_tied_on_the_published_largest_score() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for precision in [0, 1, 2, 3] {
        for (rounding, mode) in [("half_away_from_zero", Rounding::HalfAwayFromZero), ("half_even", Rounding::HalfEven)]
        {
            let rules = summary_rules(precision, rounding);
            for n in [1, 2, 50, 300] {
                let answers = near_ties(&mut rng, n, precision);
                let (model, outcome) = evaluate(&rules, &answers);
                let p = &outcome.periods[0];
                let stat = &outcome.summary.periods[0].indicators["s"];
                let answers = answers_in_unit_order(p, &answers);
                let xs: Vec<f64> = answers.iter().flatten().copied().collect();
                assert_eq!((stat.count, stat.missing), (xs.len(), n - xs.len()));
                if xs.is_empty() {
                    assert!(stat.best.is_empty() && stat.mean.is_none() && stat.max.is_none());
                    continue;
                }
                let at = |id: &str| p.get(model.indicators[id].value, 0).expect("present").to_bits();
                assert_eq!(stat.mean.map(f64::to_bits), Some(at("mean")), "the mean is union_mean's");
                assert_eq!(stat.min.map(f64::to_bits), Some(at("low")), "the min is union_min's");
                assert_eq!(stat.max.map(f64::to_bits), Some(at("high")), "the max is union_max's");
                // the definition: round every unit's score
                let top = round(xs.iter().copied().fold(f64::NEG_INFINITY, f64::max), precision, mode);
                let best: Vec<&str> = p
                    .units
                    .iter()
                    .zip(&answers)
                    .filter(|(_, a)| matches!(a, Some(x) if round(*x, precision, mode) == top))
                    .map(|(u, _)| u.as_str())
                    .collect();
                let named: Vec<&str> = stat.best.iter().map(|u| p.units[*u as usize].as_str()).collect();
                assert_eq!(named, best, "precision {precision}, {rounding}, n = {n}");
            }
        }
    }
}
