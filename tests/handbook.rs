//! The OECD/JRC Handbook's definitions and methods (issue 19), end to end through the public API,
//! against figures computed independently with numpy and scipy by the scripts in
//! `tests/independent/` (each test names the script and function its figures come from). The
//! figures are never tamga's own output.

use tamga::data::Dataset;
use tamga::eval::PeriodOutcome;
use tamga::model::{Model, Slot, Val};
use tamga::source::SourceMap;

/// Checks `text` and evaluates it on one period, unit `U{i}` answering `answers[i]` to each
/// question named in `questions` (one column per question; NaN: left out as not applicable).
fn evaluate(text: &str, questions: &[&str], answers: &[&[f64]]) -> (Model, tamga::eval::Outcome) {
    let checked = tamga::check::check_text("handbook.tamga", text);
    let model = match checked.model {
        Some(m) => m,
        None => panic!("the rules do not check: {:?}", checked.diags),
    };
    let mut sources = SourceMap::new();
    let submissions = answers
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let fields: Vec<String> = questions
                .iter()
                .zip(row.iter())
                .map(|(q, x)| match x.is_nan() {
                    true => format!(r#""{q}": {{"missing": "not_applicable"}}"#),
                    false => format!("\"{q}\": {x:?}"),
                })
                .collect();
            let text = format!(r#"{{"unit": "U{i}", "period": "2024", "answers": {{{}}}}}"#, fields.join(", "));
            let (sub, diags) = tamga::data::load_text(&model, &format!("U{i}.json"), &text, &mut sources);
            sub.unwrap_or_else(|| panic!("a submission: {diags:?}"))
        })
        .collect();
    let outcome = tamga::eval::evaluate(&model, &Dataset { submissions });
    (model, outcome)
}

fn column(p: &PeriodOutcome, slot: Slot) -> Vec<Val> {
    (0..p.units.len()).map(|u| p.get(slot, u)).collect()
}

/// The largest absolute difference between a column and the expected figures (every value must
/// be present).
fn largest_difference(got: &[Val], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    got.iter()
        .zip(want)
        .map(|(g, w)| match g {
            Ok(g) => (g - w).abs(),
            Err(m) => panic!("missing ({m:?}) where {w} was expected"),
        })
        .fold(0.0, f64::max)
}

/// The answers of tests/independent/handbook_definitions.py (`X`), units U0 … U6.
const X: [f64; 7] = [3.0, 7.0, 7.0, 1.0, 9.0, 7.0, 4.0];

const DEFINITIONS: &str = r#"
methodology h { en "Handbook definitions" version "1" outside_scale allow }
question q : number { en "Q" }
question r : number { en "R" }
indicator other = r { en "Another indicator" }
area a {
  en "A"
  indicator p_min = q { en "r/n, min" score percentile(definition: rank_over_n, ties: min) }
  indicator p_max = q { en "r/n, max" score percentile(definition: rank_over_n, ties: max) }
  indicator p_avg = q { en "r/n, average" score percentile(definition: rank_over_n, ties: average) }
  indicator p_coinr = q { en "(r-1)/(n-1), min" score percentile(ties: min) }
  indicator r_asc = q { en "ascending" score rank }
  indicator r_desc = q { en "descending" score rank(order: descending) }
  indicator r_desc_avg = q { en "descending, average" score rank(order: descending, ties: average) }
  indicator r_low = q { en "lower is better" lower_is_better score rank(order: ascending) }
  indicator d_mean = q { en "relative to the mean" score distance(to: mean, as: relative) }
  indicator d_low = q { en "relative, lower" lower_is_better score distance(to: mean, as: relative) }
  indicator d_target = q { en "relative to 5" score distance(to: 5, as: relative) }
  indicator cat = q { en "categorical" score categorical { ..25 => 0, 25..50 => 33, 50..75 => 67, 75.. => 100 } }
  indicator cat_formula = q {
    en "categorical by hand"
    score formula(bands(union_percentile(value)) { ..25 => 0, 25..50 => 33, 50..75 => 67, 75.. => 100 })
  }
  indicator cat_other = q {
    en "categorical on another indicator"
    score formula(bands(union_percentile(other)) { ..25 => 0, 25..50 => 33, 50..75 => 67, 75.. => 100 })
  }
  indicator centred = q { en "value minus the union mean" score formula(value - union_mean(value)) }
}
"#;

#[test]
fn handbook_definitions_equal_scipy() {
    // the second question (`r`, read by `other`) carries the same figures in reverse order
    let rows: Vec<[f64; 2]> = X.iter().zip(X.iter().rev()).map(|(a, b)| [*a, *b]).collect();
    let rows: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(DEFINITIONS, &["q", "r"], &rows);
    let p = &outcome.periods[0];
    assert_eq!(p.units, ["U0", "U1", "U2", "U3", "U4", "U5", "U6"]);
    let score = |id: &str| column(p, model.indicators[id].score_slot);
    let mut worst: f64 = 0.0;
    let mut check = |id: &str, want: &[f64], tol: f64| {
        let d = largest_difference(&score(id), want);
        assert!(d <= tol, "{id}: largest difference {d}");
        worst = worst.max(d);
    };
    // handbook_definitions.py, percentile_rank_over_n()
    check(
        "p_min",
        &[
            28.57142857142857,
            57.14285714285714,
            57.14285714285714,
            14.285714285714285,
            100.0,
            57.14285714285714,
            42.857142857142854,
        ],
        1e-12,
    );
    check(
        "p_max",
        &[
            28.57142857142857,
            85.71428571428571,
            85.71428571428571,
            14.285714285714285,
            100.0,
            85.71428571428571,
            42.857142857142854,
        ],
        1e-12,
    );
    check(
        "p_avg",
        &[
            28.57142857142857,
            71.42857142857143,
            71.42857142857143,
            14.285714285714285,
            100.0,
            71.42857142857143,
            42.857142857142854,
        ],
        1e-12,
    );
    // handbook_definitions.py, percentile_interpolated_min() (COINr's n_prank)
    check("p_coinr", &[16.666666666666664, 50.0, 50.0, 0.0, 100.0, 50.0, 33.33333333333333], 1e-12);
    // handbook_definitions.py, ranks()
    check("r_asc", &[2.0, 4.0, 4.0, 1.0, 7.0, 4.0, 3.0], 0.0);
    check("r_desc", &[6.0, 2.0, 2.0, 7.0, 1.0, 2.0, 5.0], 0.0);
    check("r_desc_avg", &[6.0, 3.0, 3.0, 7.0, 1.0, 3.0, 5.0], 0.0);
    check("r_low", &[6.0, 2.0, 2.0, 7.0, 1.0, 2.0, 5.0], 0.0);
    // handbook_definitions.py, relative_distance()
    check(
        "d_mean",
        &[
            -44.73684210526316,
            28.947368421052627,
            28.947368421052627,
            -81.57894736842105,
            65.78947368421052,
            28.947368421052627,
            -26.315789473684216,
        ],
        1e-12,
    );
    check(
        "d_low",
        &[
            44.73684210526316,
            -28.947368421052627,
            -28.947368421052627,
            81.57894736842105,
            -65.78947368421052,
            -28.947368421052627,
            26.315789473684216,
        ],
        1e-12,
    );
    check("d_target", &[-40.0, 40.0, 40.0, -80.0, 80.0, 40.0, -20.0], 1e-12);
    // handbook_definitions.py, categorical_on_percentile(): the rule, by hand, and on another
    // indicator holding the figures reversed (so the classes come reversed)
    let classes = [0.0, 67.0, 67.0, 0.0, 100.0, 67.0, 33.0];
    check("cat", &classes, 0.0);
    check("cat_formula", &classes, 0.0);
    let reversed: Vec<f64> = classes.iter().rev().copied().collect();
    check("cat_other", &reversed, 0.0);
    // `value` inside `union_mean` in a score formula: x − mean(X), mean 38/7
    let mean = 38.0 / 7.0;
    check("centred", &X.map(|x| x - mean), 1e-12);
    eprintln!("largest difference from scipy: {worst:e}");
}

/// tests/independent/noncompensatory.py's `X` (units U0 … U5, three indicators) and weights.
const NC_X: [[f64; 3]; 6] = [
    [80.0, 20.0, 50.0],
    [60.0, 70.0, 10.0],
    [30.0, 40.0, 90.0],
    [50.0, 50.0, 50.0],
    [90.0, 10.0, 20.0],
    [20.0, 90.0, 30.0],
];

const NONCOMPENSATORY: &str = r#"
methodology nc { en "Non-compensatory aggregation" version "1" }
question a : number { en "A" }
question b : number { en "B" }
question c : number { en "C" }
area by_copeland {
  en "Copeland"
  aggregate copeland
  indicator ca = a { en "A" weight 1 score value }
  indicator cb = b { en "B" weight 2 score value }
  indicator cc = c { en "C" weight 1 score value }
}
area by_kemeny {
  en "Kemeny-Young"
  aggregate kemeny
  indicator ka = a { en "A" weight 1 score value }
  indicator kb = b { en "B" weight 2 score value }
  indicator kc = c { en "C" weight 1 score value }
}
"#;

#[test]
fn copeland_and_kemeny_equal_brute_force() {
    let rows: Vec<&[f64]> = NC_X.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(NONCOMPENSATORY, &["a", "b", "c"], &rows);
    let p = &outcome.periods[0];
    let area = |id: &str| column(p, model.areas[id].slot);
    // noncompensatory.py, copeland(): U3 and U5 tie on 2
    assert_eq!(largest_difference(&area("by_copeland"), &[-1.0, 1.0, 0.0, 2.0, -4.0, 2.0]), 0.0);
    // noncompensatory.py, kemeny(): places [5, 2, 4, 3, 6, 1], values n + 1 − place; the
    // Condorcet-consistent order separates U3 and U5, which Copeland ties
    assert_eq!(largest_difference(&area("by_kemeny"), &[2.0, 5.0, 3.0, 4.0, 1.0, 6.0]), 0.0);

    // U3 left out (an answer not applicable: the area is not assessable for it); the others are
    // ranked among themselves — noncompensatory.py, "without U3"
    let mut rows = NC_X;
    rows[3][1] = f64::NAN;
    let rows: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(NONCOMPENSATORY, &["a", "b", "c"], &rows);
    let p = &outcome.periods[0];
    let area = |id: &str| column(p, model.areas[id].slot);
    let (cop, kem) = (area("by_copeland"), area("by_kemeny"));
    assert!(cop[3].is_err() && kem[3].is_err(), "U3 is not assessable");
    let without = |c: &[Val]| -> Vec<Val> { c.iter().enumerate().filter(|(u, _)| *u != 3).map(|(_, v)| *v).collect() };
    assert_eq!(largest_difference(&without(&cop), &[0.0, 0.0, 1.0, -3.0, 2.0]), 0.0);
    assert_eq!(largest_difference(&without(&kem), &[2.0, 4.0, 3.0, 1.0, 5.0]), 0.0);
}

#[test]
fn kemeny_above_its_limit_says_so_at_once() {
    let max = tamga::eval::composite::KEMENY_MAX_UNITS;
    // at the limit: ranked, and quickly (a dynamic programme over subsets, not n! orders); the
    // values 1..=n once each
    let rows: Vec<[f64; 3]> = (0..max).map(|i| [(i * 7 % 20) as f64, (i * 3 % 20) as f64, i as f64]).collect();
    let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let started = std::time::Instant::now();
    let (model, outcome) = evaluate(NONCOMPENSATORY, &["a", "b", "c"], &refs);
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    let p = &outcome.periods[0];
    let mut values: Vec<f64> =
        column(p, model.areas["by_kemeny"].slot).into_iter().map(|v| v.expect("ranked")).collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, (1..=max).map(|k| k as f64).collect::<Vec<_>>());
    // one more: not assessable, with a warning that says why and what to do
    let rows: Vec<[f64; 3]> = (0..=max).map(|i| [i as f64, (i * 3 % 20) as f64, 1.0]).collect();
    let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(NONCOMPENSATORY, &["a", "b", "c"], &refs);
    let p = &outcome.periods[0];
    let kem = column(p, model.areas["by_kemeny"].slot);
    assert!(kem.iter().all(|v| matches!(v, Err(m) if m.reason == tamga::model::Reason::NotAssessable)));
    assert!(column(p, model.areas["by_copeland"].slot).iter().all(|v| v.is_ok()), "Copeland has no limit");
    let event = outcome
        .events
        .iter()
        .find(|e| matches!(e.kind, tamga::eval::EventKind::TooManyUnits { .. }))
        .expect("a warning");
    let (code, message) = tamga::report::json::event_message(&event.kind);
    assert_eq!(code, "tamga::eval::too_many_units");
    assert!(
        message.contains(&format!("{} units to rank", max + 1)) && message.contains("aggregate copeland"),
        "{message}"
    );
}

const SCENARIOS: &str = r#"
methodology s { en "Scenarios" version "1" }
question a : number { en "A" }
question b : number { en "B" }
question c : number { en "C" }
area one {
  en "One"
  weight 2
  indicator ia = a { en "A" score value }
  indicator ib = b { en "B" score minmax }
}
area two {
  en "Two"
  indicator ic = c { en "C" score value }
}
scenario equal {
  en "Equal weights"
  area one { weight 1 }
}
scenario geo {
  en "Geometric index, B by rank"
  area index { aggregate geometric }
  indicator ib { score rank }
}
"#;

#[test]
fn scenarios_side_by_side_equal_numpy() {
    let x: [[f64; 3]; 5] =
        [[80.0, 20.0, 50.0], [60.0, 70.0, 10.0], [30.0, 40.0, 90.0], [50.0, 50.0, 50.0], [90.0, 10.0, 20.0]];
    let rows: Vec<&[f64]> = x.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(SCENARIOS, &["a", "b", "c"], &rows);
    let p = &outcome.periods[0];
    let mut worst: f64 = 0.0;
    // scenarios.py, base(): the methodology's own index; ranks [4 1 1 3 5]
    let base = column(p, model.areas["index"].slot);
    worst = worst.max(largest_difference(
        &base,
        &[48.888888888888886, 56.666666666666664, 56.666666666666664, 55.55555555555555, 36.666666666666664],
    ));
    let ranks = |r: &[Option<f64>]| r.iter().map(|x| x.expect("ranked")).collect::<Vec<f64>>();
    assert_eq!(outcome.scenarios.len(), 2);
    for (sc, want, want_ranks) in [
        // scenarios.py, equal()
        ("equal", [49.166666666666664, 45.0, 65.0, 54.166666666666664, 32.5], [3.0, 4.0, 1.0, 2.0, 5.0]),
        // scenarios.py, geo()
        (
            "geo",
            [43.803879197440246, 21.940957388322825, 29.04491652294895, 33.15628348776348, 34.59533945490288],
            [1.0, 5.0, 4.0, 3.0, 2.0],
        ),
    ] {
        let s = outcome.scenarios.iter().find(|s| s.id == sc).expect("evaluated");
        let sp = &s.periods[0];
        let d = largest_difference(&sp.index, &want);
        assert!(d < 1e-12, "{sc}: {d}");
        worst = worst.max(d);
        assert_eq!(ranks(&sp.rank), want_ranks, "{sc}");
        assert_eq!(ranks(&sp.base_rank), [4.0, 1.0, 1.0, 3.0, 5.0], "{sc}");
    }
    eprintln!("largest difference from numpy: {worst:e}");
    // the methodology itself is unchanged by its scenarios
    assert!(
        largest_difference(
            &base,
            &[48.888888888888886, 56.666666666666664, 56.666666666666664, 55.55555555555555, 36.666666666666664]
        ) < 1e-12
    );
}

#[test]
fn scenarios_in_the_result_json_with_rank_shifts() {
    let (meth, _) = tamga::check::check_text("s.tamga", SCENARIOS)
        .methodology()
        .unwrap_or_else(|_| panic!("the rules do not check"));
    let mut sources = meth.sources.clone();
    let x: [[f64; 3]; 5] =
        [[80.0, 20.0, 50.0], [60.0, 70.0, 10.0], [30.0, 40.0, 90.0], [50.0, 50.0, 50.0], [90.0, 10.0, 20.0]];
    let submissions = x
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let text = format!(
                r#"{{"unit": "U{i}", "period": "2024", "answers": {{"a": {:?}, "b": {:?}, "c": {:?}}}}}"#,
                r[0], r[1], r[2]
            );
            tamga::data::load_text(&meth.model, &format!("U{i}.json"), &text, &mut sources).0.expect("a submission")
        })
        .collect();
    let data = Dataset { submissions };
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = serde_json::to_value(tamga::report::json::build(&meth, &sources, &data, &outcome)).expect("json");
    let equal = &doc["scenarios"][0];
    assert_eq!(equal["id"], "equal");
    assert_eq!(equal["changes"][0], "weight one 1");
    // scenarios.py: U1 is first (tied) under the methodology, fourth with equal weights
    let u1 = &equal["periods"][0]["results"][1];
    assert_eq!(
        (u1["unit"].as_str(), u1["base_rank"].as_f64(), u1["rank"].as_f64(), u1["shift"].as_f64()),
        (Some("U1"), Some(1.0), Some(4.0), Some(-3.0))
    );
    let geo = &doc["scenarios"][1];
    assert_eq!(geo["changes"], serde_json::json!(["aggregate index geometric", "score ib rank(ties: min)"]));
    // U4 last under the methodology, second under geo: +3
    assert_eq!(geo["periods"][0]["results"][4]["shift"].as_f64(), Some(3.0));
}

#[test]
fn a_scenario_names_what_exists_and_changes_only_weights_aggregations_and_scores() {
    let bad = SCENARIOS.replace(
        "area one { weight 1 }",
        "area onee { weight 1 }\n  indicator ia { precision 2 }\n  indicator ic = c * 2 { }",
    );
    let c = tamga::check::check_text("s.tamga", &bad);
    let text = tamga::diagnostics::render(&c.diags, &c.sources, tamga::diagnostics::Style { color: false, width: 120 });
    assert!(
        text.contains("the scenario `equal` names an unknown area `onee`") && text.contains("did you mean `one`?"),
        "{text}"
    );
    assert!(text.contains("a scenario does not change `precision`"), "{text}");
    assert!(text.contains("a scenario does not change an indicator's formula"), "{text}");
}

#[test]
fn a_ranked_area_averaged_with_scores_is_warned() {
    let c = tamga::check::check_text("nc.tamga", NONCOMPENSATORY);
    let text = tamga::diagnostics::render(&c.diags, &c.sources, tamga::diagnostics::Style { color: false, width: 200 });
    assert!(text.contains("the value of `by_copeland` is a Copeland score (wins minus losses), not a score on the scale, and `index` averages it with scores"), "{text}");
    assert!(text.contains("the value of `by_kemeny` is a Kemeny–Young place"), "{text}");
    // at weight 0 the area is reported, not averaged: no warning
    let quiet = NONCOMPENSATORY
        .replace("aggregate copeland\n", "aggregate copeland\n  weight 0\n")
        .replace("aggregate kemeny\n", "aggregate kemeny\n  weight 0\n");
    let c = tamga::check::check_text("nc.tamga", &quiet);
    let text = tamga::diagnostics::render(&c.diags, &c.sources, tamga::diagnostics::Style { color: false, width: 200 });
    assert!(!text.contains("not a score on the scale"), "{text}");
}

const PCA_SCENARIO: &str = r#"
methodology s { en "Scenarios" version "1" }
question a : number { en "A" }
question b : number { en "B" }
question c : number { en "C" }
question d : number { en "D" }
area pca {
  en "PCA"
  weights pca
  indicator ia = a { en "A" score value }
  indicator ib = b { en "B" score value }
  indicator ic = c { en "C" score value }
}
area other {
  en "Other"
  indicator id = d { en "D" score value }
}
scenario geo {
  en "Geometric index"
  area index { aggregate geometric }
}
"#;

/// The answers a, b, c, d of six units for [`PCA_SCENARIO`] (unequal PCA weights).
const PCA_DATA: [[f64; 4]; 6] = [
    [80.0, 20.0, 50.0, 40.0],
    [60.0, 70.0, 10.0, 55.0],
    [30.0, 45.0, 90.0, 35.0],
    [50.0, 50.0, 45.0, 70.0],
    [90.0, 10.0, 20.0, 25.0],
    [20.0, 65.0, 75.0, 60.0],
];

/// A scenario that changes only the index's aggregation leaves an area weighted by principal
/// components as the methodology weights it (derived from the data, not its declared weights):
/// under `geo` each unit's index is √(pca · other) of the methodology's own area scores,
/// computed here by hand.
#[test]
fn a_scenario_keeps_the_weights_an_area_derives_from_the_data() {
    let text = PCA_SCENARIO;
    let x = PCA_DATA;
    let rows: Vec<&[f64]> = x.iter().map(|r| r.as_slice()).collect();
    let (model, outcome) = evaluate(text, &["a", "b", "c", "d"], &rows);
    let p = &outcome.periods[0];
    let derived = p.derived.iter().find(|d| d.area == "pca").expect("derived weights");
    let tamga::eval::DerivedKind::Pca { weights, .. } = &derived.kind else { panic!("PCA") };
    assert!(weights.iter().any(|w| (w - 1.0 / 3.0).abs() > 1e-3), "the data give unequal weights: {weights:?}");
    let (pca, other) = (column(p, model.areas["pca"].slot), column(p, model.areas["other"].slot));
    let want: Vec<f64> = pca.iter().zip(&other).map(|(a, b)| (a.expect("pca") * b.expect("other")).sqrt()).collect();
    let geo = &outcome.scenarios[0].periods[0];
    let d = largest_difference(&geo.index, &want);
    assert!(d < 1e-12, "{d}: {:?} against {want:?}", geo.index);
}

/// A scenario replaces an area's derived weights by giving it weights of its own: with
/// `weights equal`, the area is the plain mean of its three scores (computed here by hand).
#[test]
fn a_scenario_replaces_derived_weights_by_weights_of_its_own() {
    let text = format!("{PCA_SCENARIO}\nscenario equal {{\n  en \"Equal\"\n  area pca {{ weights equal }}\n}}\n");
    let x = PCA_DATA;
    let rows: Vec<&[f64]> = x.iter().map(|r| r.as_slice()).collect();
    let (_, outcome) = evaluate(&text, &["a", "b", "c", "d"], &rows);
    let want: Vec<f64> = x.iter().map(|r| ((r[0] + r[1] + r[2]) / 3.0 + r[3]) / 2.0).collect();
    let equal = outcome.scenarios.iter().find(|s| s.id == "equal").expect("evaluated");
    let d = largest_difference(&equal.periods[0].index, &want);
    assert!(d < 1e-12, "{d}: {:?} against {want:?}", equal.periods[0].index);
}

/// A scenario's weight that would not be used is an error, as is an aggregation a `weights pca`
/// area cannot have and a scenario deriving weights itself.
#[test]
fn a_scenario_cannot_set_a_weight_the_data_or_bod_decide() {
    for (change, says) in [
        (
            "indicator ia { weight 2 }",
            "the scenario `x` sets the weight of `ia`, but `pca` is weighted by `weights pca`",
        ),
        ("area pca { aggregate geometric }", "`weights pca` in `pca` needs `aggregate mean`"),
        ("area other { weights pca }", "a scenario cannot derive weights from the data"),
        (
            "area pca { aggregate bod }\n  indicator ib { weight 3 }",
            "the scenario `x` sets the weight of `ib`, but `pca` is aggregated by `bod`",
        ),
    ] {
        let text = format!("{PCA_SCENARIO}\nscenario x {{\n  en \"X\"\n  {change}\n}}\n");
        let checked = tamga::check::check_text("s.tamga", &text);
        let messages: Vec<String> = checked.diags.iter().map(|d| d.message.clone()).collect();
        assert!(messages.iter().any(|m| m.contains(says)), "{change}: {messages:?}");
        // each says it in Russian too
        let ru: Vec<String> =
            checked.diags.iter().map(|d| d.localized(tamga::i18n::Lang::Ru).message.clone()).collect();
        assert!(ru.iter().any(|m| m.contains("сценари") || m.contains("нужен `aggregate mean`")), "{change}: {ru:?}");
    }
    // weights for the whole area with another aggregation are the scenario's to choose
    let text =
        format!("{PCA_SCENARIO}\nscenario x {{\n  en \"X\"\n  area pca {{ weights equal aggregate geometric }}\n}}\n");
    let checked = tamga::check::check_text("s.tamga", &text);
    assert!(checked.model.is_some(), "{:?}", checked.diags);
}
