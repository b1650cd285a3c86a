//! `tamga sensitivity`: uncertainty and sensitivity analysis of the ranking (src/sensitivity/).
//!
//! - an additive index whose sensitivity indices are known in closed form: the estimates
//!   converge to them, first order equal to total;
//! - the same seed gives the same analysis on 1, 2 and 3 threads, and the same as before;
//! - re-evaluating only the areas and the index from cached scores gives exactly what a full
//!   evaluation of every sample gives (COINr's ASEM, every kind of factor);
//! - the nominal ranks are the evaluator's (COINr's ranks of ASEM);
//! - the command's text, JSON and errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use tamga::check::{check, check_text, Methodology};
use tamga::data::{load, load_text, Dataset};
use tamga::diagnostics::{has_errors, render, Style};
use tamga::sensitivity::{analyse, engine::Path as Reeval, Error, Mode, Options, Target};

fn style() -> Style {
    Style { color: false, width: 100 }
}

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn methodology_of(c: tamga::check::Checked) -> Methodology {
    match c.methodology() {
        Ok((m, _)) => m,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, style())),
    }
}

/// The ASEM example with its uncertainty block, and COINr's data.
fn asem() -> (Methodology, Dataset) {
    let meth = methodology_of(check(&path("examples/asem/sensitivity.tamga")));
    let mut sources = meth.sources.clone();
    let (data, diags) = load(&meth.model, &[path("examples/asem/asem.csv")], &mut sources);
    assert!(!has_errors(&diags));
    (meth, data)
}

fn from_text(rules: &str, subs: &[(&str, &str)]) -> (Methodology, Dataset) {
    let meth = methodology_of(check_text("case.tamga", rules));
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    for (unit, answers) in subs {
        let json = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {answers}}}"#);
        let (s, d) = load_text(&meth.model, &format!("{unit}.json"), &json, &mut sources);
        assert!(!has_errors(&d), "{}", render(&d, &sources, style()));
        data.submissions.push(s.expect("a submission"));
    }
    data.submissions.sort_by(|a, b| a.unit.cmp(&b.unit));
    (meth, data)
}

/// An index of three areas, each an indicator `x` of weight w ~ U[lo, hi] beside an indicator of
/// score 0 and weight 1: area i scores Sᵢ·w/(w + 1), and the index, their mean, is additive in
/// the three weights. For an additive output the first-order and total indices are equal, and
/// each is its term's share of the variance: Vᵢ / ΣV with
/// Vᵢ = (Sᵢ/3)² · Var(1/(W + 1)), W ~ U[lo, hi], and for L = lo + 1, H = hi + 1,
/// E[1/(W + 1)] = ln(H/L)/(H − L), E[1/(W + 1)²] = (1/L − 1/H)/(H − L). The scores of the unit
/// analysed (90, −100 and 40) make the index's mean near 0: the error of Saltelli's first-order
/// estimator grows with |mean(y)| / sd(y), so a centred output converges with fewer samples.
const ADDITIVE: &str = r#"
methodology additive { en "Additive" ru "Аддитивная" version "1" }
question a1 : number { en "a1" ru "a1" }
question a2 : number { en "a2" ru "a2" }
question a3 : number { en "a3" ru "a3" }
index idx { en "Index" ru "Индекс" aggregate mean }
area g1 {
  en "G1" ru "G1"
  indicator x1 = a1 { en "x1" ru "x1" score value }
  indicator z1 = a1 * 0 { en "z1" ru "z1" score value }
}
area g2 {
  en "G2" ru "G2"
  indicator x2 = a2 { en "x2" ru "x2" score value }
  indicator z2 = a2 * 0 { en "z2" ru "z2" score value }
}
area g3 {
  en "G3" ru "G3"
  indicator x3 = a3 { en "x3" ru "x3" score value }
  indicator z3 = a3 * 0 { en "z3" ru "z3" score value }
}
uncertainty {
  vary weight x1 in 0..=2
  vary weight x2 in 1..=3
  vary weight x3 in 0.5..=4
}
"#;

#[test]
fn an_additive_index_has_first_order_equal_to_total_equal_to_its_share_of_variance() {
    let (meth, data) = from_text(
        ADDITIVE,
        &[("U", r#"{"a1": 90, "a2": -100, "a3": 40}"#), ("V", r#"{"a1": 50, "a2": 50, "a3": 50}"#)],
    );
    let opts = Options {
        samples: 20_000,
        seed: 7,
        target: Target::Score("U".into()),
        bootstrap: 200,
        threads: 2,
        ..Options::default()
    };
    let a = analyse(&meth.model, &data, &opts).expect("analysis");
    assert_eq!(a.design.evaluations, 20_000 * 5);
    assert_eq!(a.design.reevaluation, Reeval::Aggregates);
    let var_term = |s: f64, lo: f64, hi: f64| {
        let (l, h) = (lo + 1.0, hi + 1.0);
        let e1 = (h / l).ln() / (h - l);
        let e2 = (1.0 / l - 1.0 / h) / (h - l);
        (s / 3.0).powi(2) * (e2 - e1 * e1)
    };
    let v = [var_term(90.0, 0.0, 2.0), var_term(-100.0, 1.0, 3.0), var_term(40.0, 0.5, 4.0)];
    let total: f64 = v.iter().sum();
    let ix = a.indices.as_ref().expect("indices");
    let var = ix.variance.expect("the index varies");
    assert!((var - total).abs() / total < 0.03, "Var(y) = {var}, analytically {total}");
    for (i, f) in ix.factors.iter().enumerate() {
        let want = v[i] / total;
        let (s, t) = (f.indices.first_order.unwrap(), f.indices.total.unwrap());
        assert!((s - want).abs() < 0.02, "S{} = {s}, analytically {want}", i + 1);
        assert!((t - want).abs() < 0.02, "ST{} = {t}, analytically {want}", i + 1);
        let [lo, hi] = f.indices.total_interval.unwrap();
        assert!(lo <= t && t <= hi);
    }
    // the nominal index of U: every weight 1, so each area is S/2
    let u = a.units.iter().find(|u| u.unit == "U").unwrap();
    assert!((u.nominal_score.unwrap() - (90.0 - 100.0 + 40.0) / 6.0).abs() < 1e-12);
}

/// The same analysis, whatever the number of threads: every sample's numbers depend only on the
/// seed and the sample's position.
#[test]
fn the_same_seed_gives_the_same_analysis_on_any_number_of_threads() {
    let (meth, data) = asem();
    let run = |threads: usize, seed: u64| {
        let opts = Options { samples: 300, seed, threads, bootstrap: 50, ..Options::default() };
        serde_json::to_string(&analyse(&meth.model, &data, &opts).expect("analysis")).unwrap()
    };
    let one = run(1, 11);
    assert_eq!(one, run(2, 11), "1 and 2 threads");
    assert_eq!(one, run(3, 11), "1 and 3 threads (blocks of unequal length)");
    assert_eq!(one, run(1, 11), "run again");
    assert_ne!(one, run(2, 12), "another seed");
    // an uncertainty analysis draws the first N rows of the sensitivity analysis's design
    let ua = |threads| {
        let opts = Options { samples: 200, seed: 11, threads, mode: Mode::Uncertainty, ..Options::default() };
        serde_json::to_string(&analyse(&meth.model, &data, &opts).expect("analysis")).unwrap()
    };
    assert_eq!(ua(1), ua(2));
}

/// Reusing the scores of each imputation × normalisation and recomputing only the areas and the
/// index gives, to the bit, what a full evaluation of the period with the sample's choices gives.
#[test]
fn recomputing_only_the_aggregates_gives_what_a_full_evaluation_gives() {
    let (meth, data) = asem();
    let opts = Options { samples: 6, seed: 3, bootstrap: 20, threads: 2, ..Options::default() };
    let fast = analyse(&meth.model, &data, &opts).expect("analysis");
    let full = analyse(&meth.model, &data, &Options { full: true, ..opts }).expect("analysis");
    assert_eq!(fast.design.reevaluation, Reeval::Aggregates);
    assert_eq!(full.design.reevaluation, Reeval::Full);
    let strip = |a: &tamga::sensitivity::Analysis| {
        let mut a = a.clone();
        a.design.reevaluation = Reeval::Aggregates;
        serde_json::to_string(&a).unwrap()
    };
    assert_eq!(strip(&fast), strip(&full));
    // every kind of factor is declared, and the imputation alternative `none` screens units out
    assert_eq!(fast.factors.len(), 5);
    assert!(fast.units.iter().any(|u| u.ranked < 2 * 6), "some units are screened out in some samples");
}

/// Only the imputation and the normalisation vary: each sample's index is its combination's, and
/// still what a full evaluation gives.
#[test]
fn with_only_scores_varying_the_samples_are_the_combinations() {
    let rules = r#"
methodology s { en "S" ru "S" version "1" }
question a : number { en "a" ru "a" }
question b : number { en "b" ru "b" }
index idx { en "Index" ru "Индекс" }
area g1 {
  en "G1" ru "G1"
  indicator x = a { en "x" ru "x" score minmax }
  indicator y = b { en "y" ru "y" lower_is_better score goalposts(best: 0, worst: 100) }
}
area g2 { en "G2" ru "G2" weight 2 indicator z = a + b { en "z" ru "z" score minmax } }
uncertainty {
  vary impute among declared, mean, median
  vary score among declared, rank, zscore(center: 50, scale: 10)
}
"#;
    let subs = [
        ("A", r#"{"a": 10, "b": 20}"#),
        ("B", r#"{"a": 30}"#),
        ("C", r#"{"a": 20, "b": 90}"#),
        ("D", r#"{"b": 50}"#),
        ("E", r#"{"a": 5, "b": 5}"#),
    ];
    let (meth, data) = from_text(rules, &subs);
    let opts = Options { samples: 40, seed: 2, bootstrap: 0, ..Options::default() };
    let fast = analyse(&meth.model, &data, &opts).expect("analysis");
    let full = analyse(&meth.model, &data, &Options { full: true, ..opts }).expect("analysis");
    assert_eq!(fast.design.reevaluation, Reeval::Aggregates);
    let json = |a: &tamga::sensitivity::Analysis| {
        let mut a = a.clone();
        a.design.reevaluation = Reeval::Aggregates;
        serde_json::to_string(&a).unwrap()
    };
    assert_eq!(json(&fast), json(&full));
    let ix = fast.indices.as_ref().unwrap();
    assert!(ix.variance.is_some(), "the ranking moves");
}

/// A scoring formula that reads an area's score depends on the weights a sample draws: every
/// sample is then evaluated in full.
#[test]
fn a_score_that_reads_an_area_makes_every_sample_a_full_evaluation() {
    let rules = r#"
methodology s { en "S" ru "S" version "1" }
question a : number { en "a" ru "a" }
question b : number { en "b" ru "b" }
index idx { en "Index" ru "Индекс" }
area g1 {
  en "G1" ru "G1"
  indicator x = a { en "x" ru "x" score minmax }
  indicator x2 = b { en "x2" ru "x2" score minmax }
}
area g2 { en "G2" ru "G2" indicator y = b { en "y" ru "y" score formula(score(g1) / 2 + value / 2) } }
uncertainty {
  vary weight x in 0.5..=3
  vary aggregate among mean, geometric
}
"#;
    let subs = [
        ("A", r#"{"a": 10, "b": 20}"#),
        ("B", r#"{"a": 30, "b": 60}"#),
        ("C", r#"{"a": 20, "b": 90}"#),
        ("D", r#"{"a": 1, "b": 50}"#),
    ];
    let (meth, data) = from_text(rules, &subs);
    let a = analyse(&meth.model, &data, &Options { samples: 20, bootstrap: 10, threads: 2, ..Options::default() })
        .expect("analysis");
    assert_eq!(a.design.reevaluation, Reeval::Full);
    assert!(a.units.iter().all(|u| u.ranked == 40));
}

/// The nominal ranking is the evaluator's: COINr's `Rank_Index` of ASEM.
#[test]
fn the_nominal_ranks_are_coinr_ranks_of_asem() {
    let (meth, data) = asem();
    let a = analyse(&meth.model, &data, &Options { samples: 4, mode: Mode::Uncertainty, ..Options::default() })
        .expect("analysis");
    let mut r = csv::Reader::from_path(path("data/coinr-asem/coinr_asem_expected_full_pipeline.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let (ucol, rcol, icol) =
        (0, header.iter().position(|h| h == "Rank_Index").unwrap(), header.iter().position(|h| h == "Index").unwrap());
    let mut seen = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let u = a.units.iter().find(|u| u.unit == rec[ucol]).expect("unit");
        assert_eq!(u.nominal_rank.unwrap().to_string(), rec[rcol].to_string(), "{}", &rec[ucol]);
        let want: f64 = rec[icol].parse().unwrap();
        assert!((u.nominal_score.unwrap() - want).abs() <= 1e-9 * want.abs());
        seen += 1;
    }
    assert_eq!(seen, 51);
    // the nominal index is the evaluator's, to the bit
    let out = tamga::eval::evaluate(&meth.model, &data);
    let p = &out.periods[0];
    let slot = meth.model.areas[&meth.model.index].slot;
    for u in &a.units {
        assert_eq!(u.nominal_score, p.get(slot, p.unit_index(&u.unit).unwrap()).ok());
    }
}

#[test]
fn rank_statistics_follow_their_definitions() {
    let (meth, data) = asem();
    let a = analyse(&meth.model, &data, &Options { samples: 400, mode: Mode::Uncertainty, ..Options::default() })
        .expect("analysis");
    assert_eq!(a.design.evaluations, 400);
    assert!(a.indices.is_none());
    for u in &a.units {
        let (q05, med, q95) = (u.rank_q05.unwrap(), u.median_rank.unwrap(), u.rank_q95.unwrap());
        assert!(1.0 <= q05 && q05 <= med && med <= q95 && q95 <= 51.0, "{}: {q05} {med} {q95}", u.unit);
        assert!(u.mean_abs_shift.unwrap() >= 0.0);
    }
    // listed by nominal rank
    let ranks: Vec<u32> = a.units.iter().filter_map(|u| u.nominal_rank).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn an_analysis_needs_uncertain_choices_a_known_period_and_a_known_unit() {
    let plain = ADDITIVE.split("uncertainty {").next().unwrap();
    let (meth, data) = from_text(plain, &[("U", r#"{"a1": 1, "a2": 2, "a3": 3}"#)]);
    assert_eq!(analyse(&meth.model, &data, &Options::default()).unwrap_err(), Error::NoUncertainty);
    let (meth, data) = from_text(ADDITIVE, &[("U", r#"{"a1": 1, "a2": 2, "a3": 3}"#)]);
    let err = analyse(&meth.model, &data, &Options { period: Some("1999".into()), ..Options::default() });
    assert!(matches!(err, Err(Error::UnknownPeriod { .. })));
    let err = analyse(&meth.model, &data, &Options { target: Target::Score("XX".into()), ..Options::default() });
    assert_eq!(err.unwrap_err(), Error::UnknownUnit("XX".into()));
    let err = analyse(&meth.model, &data, &Options { samples: 1, ..Options::default() });
    assert_eq!(err.unwrap_err(), Error::TooFewSamples);
}

fn tamga(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("tamga runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_prints_text_in_english_and_russian_and_json() {
    let base = ["sensitivity", "examples/asem/sensitivity.tamga", "examples/asem/asem.csv", "--samples", "50"];
    let (code, text, _) = tamga(&base);
    assert_eq!(code, 0);
    for s in ["Sensitivity analysis · asem 1.1.14 · period 2018", "50 base samples × (5 factors + 2) = 350 evaluations"]
    {
        assert!(text.contains(s), "{s} in\n{text}");
    }
    assert!(text.contains("CHE   Switzerland"), "{text}");
    let (code, ru, _) = tamga(&[&base[..], &["--lang", "ru", "--uncertainty-only"]].concat());
    assert_eq!(code, 0);
    assert!(ru.contains("Анализ неопределённости") && ru.contains("медиана"), "{ru}");
    let (code, json, _) = tamga(&[&base[..], &["--format", "json", "--threads", "2"]].concat());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["schema"], "tamga.sensitivity/1");
    assert_eq!(v["analysis"], "sensitivity");
    assert_eq!(v["design"]["evaluations"], 350);
    assert_eq!(v["target"]["kind"], "rank_shift");
    assert_eq!(v["units"].as_array().unwrap().len(), 51);
    assert_eq!(v["indices"]["factors"].as_array().unwrap().len(), 5);
    // errors: no uncertainty block (1), a period without submissions (2)
    let (code, _, err) = tamga(&["sensitivity", "examples/asem", "examples/asem/asem.csv", "--samples", "10"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("declares nothing uncertain"), "{err}");
    let (code, _, err) = tamga(&[&base[..], &["--period", "1990"]].concat());
    assert_eq!(code, 2);
    assert!(err.contains("no submission is for the period `1990`"), "{err}");
    let (code, _, err) = tamga(&[&base[..], &["--target", "mean"]].concat());
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_report_gets_a_section_with_the_rank_interval_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (code, _, err) = tamga(&[
        "report",
        "examples/asem/sensitivity.tamga",
        "examples/asem/asem.csv",
        "--sensitivity",
        "20",
        "--seed",
        "5",
        "--out",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains(r#"<section id="sensitivity">"#));
    assert!(html.contains(r##"<a href="#sensitivity">Sensitivity analysis · 2018</a>"##));
    assert!(html.contains("<title>Ranks · period 2018</title>"), "the chart");
    assert!(html.contains("<td>CHE</td><td>Switzerland</td>"));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("## Sensitivity analysis · 2018") && md.contains("| 1 | CHE | Switzerland |"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("sensitivity.json")).unwrap()).unwrap();
    assert_eq!(json["design"]["seed"], 5);
    assert_eq!(json["design"]["evaluations"], 20 * 7);
    // the same analysis as the command's
    let (_, cmd, _) = tamga(&[
        "sensitivity",
        "examples/asem/sensitivity.tamga",
        "examples/asem/asem.csv",
        "--samples",
        "20",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    // (the command's JSON adds the diagnostics that would go to stderr)
    let mut cmd = serde_json::from_str::<serde_json::Value>(&cmd).unwrap();
    assert!(cmd.as_object_mut().unwrap().shift_remove("diagnostics").is_some_and(|d| d.is_array()));
    assert_eq!(cmd, json);
    // without an uncertainty block there is nothing to analyse
    let (code, _, err) =
        tamga(&["report", "examples/asem", "examples/asem/asem.csv", "--sensitivity", "20", "--out", out]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("declares nothing uncertain"));
}

/// Sample counts that would overflow or exhaust memory are refused before anything is allocated
/// (issue #15: `--samples 18446744073709551615` panicked on capacity overflow, a trillion
/// aborted), through `sensitivity` and `report --sensitivity` alike.
#[test]
fn sample_counts_are_bounded_before_anything_is_allocated() {
    let (meth, data) = from_text(ADDITIVE, &[("U", r#"{"a1": 1, "a2": 2, "a3": 3}"#)]);
    let err = analyse(&meth.model, &data, &Options { samples: usize::MAX, ..Options::default() });
    assert_eq!(err.unwrap_err(), Error::TooManySamples(usize::MAX));
    let err = analyse(&meth.model, &data, &Options { samples: 1_000_000_000_000, ..Options::default() });
    assert_eq!(err.unwrap_err(), Error::TooManySamples(1_000_000_000_000));
    let err = analyse(&meth.model, &data, &Options { bootstrap: usize::MAX, ..Options::default() });
    assert_eq!(err.unwrap_err(), Error::TooManyResamples(usize::MAX));
    // within the sample limit, but not the values: N·(k + 2) evaluations × units
    let opts = Options { samples: tamga::sensitivity::MAX_SAMPLES, ..Options::default() };
    let subs: Vec<(String, String)> =
        (0..200).map(|i| (format!("U{i:03}"), r#"{"a1": 1, "a2": 2, "a3": 3}"#.to_string())).collect();
    let subs: Vec<(&str, &str)> = subs.iter().map(|(u, s)| (u.as_str(), s.as_str())).collect();
    let (meth, data) = from_text(ADDITIVE, &subs);
    assert!(matches!(analyse(&meth.model, &data, &opts), Err(Error::TooLarge { units: 200, .. })));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    for args in [
        vec![
            "sensitivity",
            "examples/asem/sensitivity.tamga",
            "examples/asem/asem.csv",
            "--samples",
            "18446744073709551615",
        ],
        vec!["sensitivity", "examples/asem/sensitivity.tamga", "examples/asem/asem.csv", "--samples", "1000000000000"],
        vec![
            "report",
            "examples/asem/sensitivity.tamga",
            "examples/asem/asem.csv",
            "--sensitivity",
            "18446744073709551615",
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let (code, _, err) = tamga(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("samples are more than the 100000 an analysis draws"), "{args:?}: {err}");
    }
    assert!(!out.join("report.html").exists());
}

/// An area weighted by principal components and one aggregated by the benefit of the doubt.
const DERIVED: &str = r#"
methodology d { en "Derived weights" ru "Веса по данным" version "1" }
question a : number { en "a" ru "a" }
question b : number { en "b" ru "b" }
question c : number { en "c" ru "c" }
index idx { en "Index" ru "Индекс" }
area from_data {
  en "PCA" ru "ГК"
  weights pca
  indicator x = a { en "x" ru "x" score minmax }
  indicator y = b { en "y" ru "y" score minmax }
  indicator z = c { en "z" ru "z" score minmax }
}
area doubt {
  en "BOD" ru "BOD"
  aggregate bod
  indicator u = a { en "u" ru "u" score minmax }
  indicator v = c { en "v" ru "v" score minmax }
}
uncertainty {
  vary score among declared, rank
}
"#;

const DERIVED_DATA: [(&str, &str); 7] = [
    ("A", r#"{"a": 10, "b": 20, "c": 7}"#),
    ("B", r#"{"a": 30, "b": 25, "c": 2}"#),
    ("C", r#"{"a": 20, "b": 90, "c": 9}"#),
    ("D", r#"{"a": 45, "b": 50, "c": 1}"#),
    ("E", r#"{"a": 5, "b": 5, "c": 4}"#),
    ("F", r#"{"a": 60, "b": 35, "c": 3}"#),
    ("G", r#"{"a": 15, "b": 70, "c": 8}"#),
];

/// Each unit's rank when the methodology is evaluated with `rules` (every index equal counts once).
fn ranks_of(rules: &str) -> Vec<(String, u32)> {
    let (meth, data) = from_text(rules, &DERIVED_DATA);
    let out = tamga::eval::evaluate(&meth.model, &data);
    let p = &out.periods[0];
    let slot = meth.model.areas[&meth.model.index].slot;
    let xs: Vec<f64> = (0..p.units.len()).map(|u| p.get(slot, u).expect("an index")).collect();
    p.units.iter().zip(&xs).map(|(u, x)| (u.clone(), 1 + xs.iter().filter(|y| *y > x).count() as u32)).collect()
}

/// Weights from the data are derived again in every sample, from the sample's scores: with only
/// the normalisation varying, a unit's ranks over the samples are its rank under the declared
/// scores and its rank under `score rank`, each computed by evaluating a version of the
/// methodology written with that normalisation (PCA weights and BOD optima derived there).
#[test]
fn areas_with_weights_from_the_data_are_derived_again_in_every_sample() {
    let (meth, data) = from_text(DERIVED, &DERIVED_DATA);
    let opts = Options { samples: 60, seed: 5, bootstrap: 0, ..Options::default() };
    let a = analyse(&meth.model, &data, &opts).expect("an analysis");
    assert_eq!(a.design.reevaluation, Reeval::Full);
    let declared = ranks_of(DERIVED);
    let by_rank = ranks_of(&DERIVED.replace("score minmax", "score rank"));
    let mut moved = 0;
    for u in &a.units {
        let r0 = declared.iter().find(|(c, _)| *c == u.unit).expect("ranked").1;
        let r1 = by_rank.iter().find(|(c, _)| *c == u.unit).expect("ranked").1;
        assert_eq!(u.nominal_rank, Some(r0), "{}", u.unit);
        let (lo, hi) = (r0.min(r1) as f64, r0.max(r1) as f64);
        assert_eq!((u.rank_q05, u.rank_q95), (Some(lo), Some(hi)), "{}: {r0} and {r1}", u.unit);
        moved += usize::from(r0 != r1);
    }
    assert!(moved > 0, "the normalisation moves some ranks");
    assert_eq!(a.design.pca_equal_weights, 0, "seven states give principal components in every sample");
}

/// With two states the principal components cannot be computed: every sample weights the area
/// equally, as the methodology's evaluation does, and the analysis counts and says so.
#[test]
fn samples_that_weight_a_pca_area_equally_are_counted_and_said() {
    let (meth, data) = from_text(DERIVED, &DERIVED_DATA[..2]);
    let opts = Options { samples: 10, seed: 5, bootstrap: 0, ..Options::default() };
    let a = analyse(&meth.model, &data, &opts).expect("an analysis");
    assert_eq!(a.design.pca_equal_weights, a.design.evaluations);
    let en = tamga::sensitivity::text::design(&a, tamga::i18n::Lang::En);
    assert!(en.contains(&format!("In {} of {} evaluations", a.design.evaluations, a.design.evaluations)), "{en}");
    let ru = tamga::sensitivity::text::design(&a, tamga::i18n::Lang::Ru);
    assert!(ru.contains("взвешены поровну"), "{ru}");
}

/// A factor that would set a weight the area derives from the data is refused, naming both.
#[test]
fn a_weight_an_area_derives_from_the_data_cannot_be_varied() {
    for (factor, area, child) in [("vary weight y in 0..=2", "from_data", "y"), ("vary drop_one", "from_data", "x")] {
        let rules = DERIVED.replace("vary score among declared, rank", factor);
        let (meth, data) = from_text(&rules, &DERIVED_DATA);
        let err = analyse(&meth.model, &data, &Options::default()).unwrap_err();
        assert!(matches!(&err, Error::DerivedWeights { area: a, child: c, .. } if a == area && c == child), "{err:?}");
        assert!(err.message().contains("derives its weights from the data"), "{}", err.message());
    }
    // noise on the declared weights leaves the derived ones be
    let rules = DERIVED.replace("vary score among declared, rank", "vary weights by 25%");
    let (meth, data) = from_text(&rules, &DERIVED_DATA);
    assert!(analyse(&meth.model, &data, &Options { samples: 20, bootstrap: 0, ..Options::default() }).is_ok());
}
