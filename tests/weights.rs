//! Weights from data and from judgements (issue 19, item 2) and the benefit of the doubt (item 3):
//! `weights pca`, `weights ahp { … }`, `weights budget(…) { … }`, `weights equal`, `aggregate bod`.
//!
//! Every expected figure comes from an independent computation, not from tamga:
//! `python3 tests/independent/weights_asem.py` (numpy, scipy), pasted below with the script named.

use insta_cmd::get_cargo_bin;
use std::path::Path;
use std::process::Command;

fn tamga(args: &[&str]) -> std::process::Output {
    Command::new(get_cargo_bin("tamga"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("tamga runs")
}

fn eval_json(meth: &str, data: &str) -> serde_json::Value {
    let out = tamga(&["eval", meth, data, "--ignore-unknown-columns", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn f(x: &serde_json::Value) -> f64 {
    x.as_f64().unwrap_or_else(|| panic!("a number: {x}"))
}

fn weights_of<'a>(period: &'a serde_json::Value, area: &str) -> &'a serde_json::Value {
    period["weights"].as_array().expect("weights").iter().find(|w| w["area"] == area).expect("the area's weights")
}

/// A methodology in a temp dir, checked by `tamga check`: its exit code and stderr.
fn check(dir: &Path, text: &str) -> (i32, String) {
    std::fs::create_dir_all(dir).expect("dir");
    let file = dir.join("methodology.tamga");
    std::fs::write(&file, text).expect("write");
    let out = tamga(&["--color", "never", "check", file.to_str().expect("path")]);
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

// ───────────── principal components / factor analysis weights ─────────────

/// `weights pca` on the eight raw indicators of ASEM's Physical pillar (43 complete cases), as
/// the Handbook's procedure in `tests/independent/weights_asem.py` (numpy, R's varimax).
#[test]
fn pca_weights_are_the_handbooks_on_asem() {
    let v = eval_json("tests/independent/asem_weights.tamga", "examples/asem/asem.csv");
    let p = &v["periods"][0];
    let w = weights_of(p, "pca");
    assert_eq!(w["how"]["method"], "pca");
    let d = &w["data"];
    assert_eq!(d["method"], "pca");
    assert_eq!(d["pca"]["complete_cases"], 43);
    assert_eq!(d["pca"]["retained"], 3);
    // weights_asem.py
    let eig = [
        2.8747529698804506,
        1.7301876082929166,
        1.2856053460457404,
        0.7856148080795728,
        0.4841388806106278,
        0.39682534904519273,
        0.2620957329537762,
        0.180779305091724,
    ];
    let weights = [
        0.12179585052076215,
        0.12330834314104491,
        0.1414655707607987,
        0.15342833097876962,
        0.1384766835503523,
        0.0707881867361889,
        0.12030617652140259,
        0.13043085779068084,
    ];
    let mut worst: f64 = (f(&d["pca"]["cumulative"]) - 0.7363182405273885).abs();
    for (x, want) in d["pca"]["eigenvalues"].as_array().expect("eigenvalues").iter().zip(eig) {
        worst = worst.max((f(x) - want).abs());
    }
    for (x, want) in w["weights"].as_array().expect("weights").iter().zip(weights) {
        worst = worst.max((f(x) - want).abs());
    }
    eprintln!("largest difference from numpy: {worst:e}");
    assert!(worst < 1e-12, "largest difference from numpy: {worst:e}");
    // the area's score is the weighted mean with those weights: Australia's raw values
    // in examples/asem/asem.csv
    let aus = p["results"].as_array().expect("results").iter().find(|r| r["unit"] == "AUS").expect("AUS");
    let raw = [3.793385, 36.05498, 14.004197599999998, 0.0, 0.0, 1.14, 11.1, 94.0];
    let want: f64 = raw.iter().zip(weights).map(|(x, w)| x * w).sum();
    let got = f(&aus["areas"]["pca"]["value"]);
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
}

// ───────────── benefit of the doubt ─────────────

/// `aggregate bod` and `aggregate bod(min_share: 10%, max_share: 40%)` on five raw ASEM
/// indicators of the 51 units, against scipy.optimize.linprog (`weights_asem.py`): the BOD score of
/// every unit, × 100 on the methodology's scale.
#[test]
fn bod_scores_are_scipys_linear_programmes() {
    let v = eval_json("tests/independent/asem_weights.tamga", "examples/asem/asem.csv");
    let p = &v["periods"][0];
    // weights_asem.py: (unit, BOD score, BOD score with shares in [10 %, 40 %])
    let want: &[(&str, f64, f64)] = &[
        ("AUS", 0.9400000000000001, 0.0),
        ("AUT", 0.9832421411077972, 0.0),
        ("BEL", 1.0, 0.6448710519222929),
        ("BGD", 0.650071679639686, 0.16006176825363083),
        ("BGR", 0.6643887659321523, 0.26053956123279987),
        ("BRN", 0.8, 0.06631439427310334),
        ("CHE", 0.982930491455945, 0.0),
        ("CHN", 0.9999999999999999, 0.7568165803368738),
        ("CYP", 0.7096744958017893, 0.0),
        ("CZE", 0.9870000000000001, 0.0),
        ("DEU", 1.0, 1.0),
        ("DNK", 0.9999, 0.20452212854644225),
        ("ESP", 0.9331273481624058, 0.7431128517206325),
        ("EST", 0.9999999999999999, 0.12041262304295415),
        ("FIN", 0.9990000000000001, 0.41346792421764045),
        ("FRA", 0.9463332872112116, 0.8453344537330282),
        ("GBR", 1.0, 0.6118205384048296),
        ("GRC", 0.8300000000000001, 0.42394690316918526),
        ("HRV", 0.98, 0.31336111642527836),
        ("HUN", 0.973, 0.0),
        ("IDN", 0.7062376492764851, 0.11445759711778328),
        ("IND", 0.8092924057381423, 0.23534123008656335),
        ("IRL", 0.9022959100382674, 0.42763648030261303),
        ("ITA", 0.9392321555017453, 0.6876115225375272),
        ("JPN", 0.9902781629036701, 0.0),
        ("KAZ", 0.6658507570527472, 0.0),
        ("KHM", 0.6627098602521033, 0.23564925588068894),
        ("KOR", 0.9943856674651613, 0.07878260059230766),
        ("LAO", 0.48917892638536936, 0.0),
        ("LTU", 0.9100405048582347, 0.20257317892180887),
        ("LUX", 0.9989233339189275, 0.0),
        ("LVA", 0.9, 0.23491188309591104),
        ("MLT", 1.0, 0.0),
        ("MMR", 0.5817771411844911, 0.0),
        ("MNG", 0.9, 0.0),
        ("MYS", 0.9706858208667637, 0.4171220459469794),
        ("NLD", 1.0, 0.7197854043927944),
        ("NOR", 0.99, 0.4588238858552909),
        ("NZL", 0.88, 0.0),
        ("PAK", 0.7357155522267006, 0.09248994889069503),
        ("PHL", 0.6758829399283052, 0.0),
        ("POL", 1.0, 0.6343207007288609),
        ("PRT", 0.943, 0.4367215810913042),
        ("ROU", 0.7204380474292941, 0.40293595203068044),
        ("RUS", 1.0, 0.6246592904419856),
        ("SGP", 1.0, 0.15170467202121335),
        ("SVK", 0.7896169089820153, 0.0),
        ("SVN", 0.9770000000000001, 0.06785310901385236),
        ("SWE", 1.0, 0.5132001285244929),
        ("THA", 0.7702615756346417, 0.44394912885435034),
        ("VNM", 0.7861878319232927, 0.0),
    ];
    let units = &weights_of(p, "bod")["data"]["units"];
    let bounded = &weights_of(p, "bod_bounded")["data"]["units"];
    let results = p["results"].as_array().expect("results");
    let mut worst: f64 = 0.0;
    for (i, (unit, free, within)) in want.iter().enumerate() {
        assert_eq!(units[i]["unit"], *unit);
        worst = worst.max((f(&units[i]["score"]) - free).abs());
        worst = worst.max((f(&bounded[i]["score"]) - within).abs());
        let r = &results[i];
        assert_eq!(r["unit"], *unit);
        worst = worst.max((f(&r["areas"]["bod"]["value"]) - 100.0 * free).abs() / 100.0);
        // the unit's own weights give its score, and no unit's sum exceeds 1 under them
        let w: Vec<f64> = units[i]["weights"].as_array().expect("weights").iter().map(f).collect();
        assert_eq!(w.len(), 5);
        assert!(w.iter().all(|x| *x >= 0.0));
    }
    eprintln!("largest difference from scipy: {worst:e}");
    assert!(worst < 1e-9, "largest difference from scipy: {worst:e}");
}

// ───────────── AHP, budget, equal ─────────────

const HEAD: &str = r#"
methodology w { en "Weights" ru "Веса" version "1" }
question q1 : number in 0..=100 { en "Q1" ru "В1" }
question q2 : number in 0..=100 { en "Q2" ru "В2" }
question q3 : number in 0..=100 { en "Q3" ru "В3" }
question q4 : number in 0..=100 { en "Q4" ru "В4" }
"#;

fn four(weights: &str) -> String {
    format!(
        r#"{HEAD}
area a {{
  en "A" ru "А"
  {weights}
  indicator a1 = q1 {{ en "A1" ru "А1" score value }}
  indicator a2 = q2 {{ en "A2" ru "А2" score value }}
  indicator a3 = q3 {{ en "A3" ru "А3" score value }}
  indicator a4 = q4 {{ en "A4" ru "А4" score value }}
}}
"#
    )
}

fn run_four(name: &str, weights: &str) -> serde_json::Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join(name);
    let (code, err) = check(&dir, &four(weights));
    assert_eq!(code, 0, "{err}");
    let data = dir.join("data.csv");
    std::fs::write(&data, "unit,period,q1,q2,q3,q4\nAM,2024,10,20,30,40\nBY,2024,50,40,30,20\nKZ,2024,80,60,70,90\n")
        .expect("write");
    let out = tamga(&[
        "eval",
        dir.join("methodology.tamga").to_str().expect("p"),
        data.to_str().expect("p"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Saaty's principal eigenvector, λmax, CI and CR of a 4 × 4 matrix, against numpy.linalg.eig
/// (`weights_asem.py`); the area's score uses those weights.
#[test]
fn ahp_weights_are_the_principal_eigenvector() {
    let v = run_four(
        "ahp",
        "weights ahp { a1 vs a2: 3, a1 vs a3: 5, a1 vs a4: 1/2, a2 vs a3: 2, a2 vs a4: 1/4, a4 vs a3: 7 }",
    );
    let p = &v["periods"][0];
    let w = weights_of(p, "a");
    assert_eq!(w["how"]["method"], "ahp");
    // weights_asem.py
    let want = [0.30804359972041817, 0.11854757507297137, 0.06408871659081859, 0.5093201086157919];
    let mut worst: f64 = 0.0;
    for (x, y) in w["weights"].as_array().expect("weights").iter().zip(want) {
        worst = worst.max((f(x) - y).abs());
    }
    for (key, y) in [("lambda_max", 4.021476061588862), ("ci", 0.007158687196287279), ("cr", 0.007954096884763643)] {
        worst = worst.max((f(&w["how"][key]) - y).abs());
    }
    eprintln!("largest difference from numpy: {worst:e}");
    assert!(worst < 1e-12, "largest difference from numpy: {worst:e}");
    assert_eq!(w["how"]["ri"], 0.9);
    // AM: 10, 20, 30, 40 under those weights
    let am: f64 = [10.0, 20.0, 30.0, 40.0].iter().zip(want).map(|(x, w)| x * w).sum();
    let got = f(&p["results"][0]["areas"]["a"]["value"]);
    assert!((got - am).abs() < 1e-9, "{got} vs {am}");
}

#[test]
fn inconsistent_comparisons_are_a_warning() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("ahp-inconsistent");
    // a > b > c > d strongly, yet d > a: CR far above 0.1
    let (code, err) = check(
        &dir,
        &four("weights ahp { a1 vs a2: 5, a1 vs a3: 5, a1 vs a4: 1/5, a2 vs a3: 5, a2 vs a4: 5, a3 vs a4: 5 }"),
    );
    assert_eq!(code, 0, "a warning only: {err}");
    assert!(err.contains("tamga::check::ahp"), "{err}");
    assert!(err.contains("the comparisons in `a` are inconsistent: consistency ratio"), "{err}");
}

#[test]
fn ahp_needs_every_pair_once() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("ahp-missing");
    let (code, err) = check(&dir, &four("weights ahp { a1 vs a2: 3, a1 vs a3: 5, a2 vs a3: 10, a1 vs a5: 1 }"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a comparison is a number from 1/9 to 9 (Saaty's scale)"), "{err}");
    assert!(err.contains("`a5` is not a scored child of `a`"), "{err}");
    let (code, err) = check(&dir, &four("weights ahp { a1 vs a2: 3, a1 vs a3: 5 }"));
    assert_eq!(code, 1);
    assert!(err.contains("lacks `a1 vs a4`, `a2 vs a3`, `a2 vs a4`, `a3 vs a4`"), "{err}");
}

#[test]
fn a_budget_shares_out_points_and_must_add_up() {
    let v = run_four("budget", "weights budget(100) { a1: 40, a2: 30, a3: 20, a4: 10 }");
    let p = &v["periods"][0];
    let w = weights_of(p, "a");
    assert_eq!(w["how"]["method"], "budget");
    assert_eq!(w["weights"], serde_json::json!([0.4, 0.3, 0.2, 0.1]));
    // AM: 0.4·10 + 0.3·20 + 0.2·30 + 0.1·40 = 20
    assert!((f(&p["results"][0]["areas"]["a"]["value"]) - 20.0).abs() < 1e-12);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("budget-bad");
    let (code, err) = check(&dir, &four("weights budget(100) { a1: 40, a2: 30, a3: 20, a4: 5 }"));
    assert_eq!(code, 1);
    assert!(err.contains("the points in `a` sum to 95, not to the budget 100"), "{err}");
    let (code, err) = check(&dir, &four("weights budget(100) { a1: 40, a2: 60 }"));
    assert_eq!(code, 1);
    assert!(err.contains("the budget of `a` gives no points to `a3`, `a4`"), "{err}");
}

#[test]
fn equal_weights_override_nothing_silently() {
    let v = run_four("equal", "weights equal");
    let w = weights_of(&v["periods"][0], "a");
    assert_eq!(w["how"]["method"], "equal");
    assert_eq!(w["weights"], serde_json::json!([0.25, 0.25, 0.25, 0.25]));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("equal-bad");
    let text =
        four("weights equal").replace("score value }}\n  indicator a2", "score value weight 3 }}\n  indicator a2");
    let text = text.replace(
        r#"indicator a1 = q1 { en "A1" ru "А1" score value }"#,
        r#"indicator a1 = q1 { en "A1" ru "А1" score value weight 3 }"#,
    );
    let (code, err) = check(&dir, &text);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`a1` has its own weight, but `a` declares `weights equal`"), "{err}");
}

/// `tamga explain` says where the weights come from.
#[test]
fn explain_names_the_weights_source() {
    let out = tamga(&[
        "explain",
        "tests/independent/asem_weights.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--unit",
        "AUS",
        "pca",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("weights from principal components of the data of period 2018 over 43"), "{text}");
    let out = tamga(&[
        "explain",
        "tests/independent/asem_weights.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--unit",
        "AUS",
        "bod",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("benefit of the doubt"), "{text}");
}

#[test]
fn bod_shares_must_be_possible_and_weights_not_declared() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("bod-bad");
    // four children cannot each carry at least 30 %
    let (code, err) = check(&dir, &four("aggregate bod(min_share: 30%)"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("4 children cannot each carry the shares `aggregate bod` asks for"), "{err}");
    let (code, err) = check(&dir, &four("aggregate bod\n  weights equal"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`a` aggregates by `bod`, which finds its own weights"), "{err}");
    let (code, err) = check(&dir, &four("aggregate geometric\n  weights pca"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`weights pca` in `a` needs `aggregate mean`"), "{err}");
}

/// A sensitivity analysis re-aggregates with declared weights: it refuses derived ones.
/// `tamga sensitivity` derives the weights again in every sample; a factor that would set one
/// of them (`vary weight a2 …`, `vary drop_one`) is refused, naming the area and the child.
#[test]
fn sensitivity_derives_weights_again_and_refuses_to_set_them() {
    for (name, factor, code, says) in [
        ("noise", "vary weights by 25%", 0, ""),
        (
            "one",
            "vary weight a2 in 0..=2",
            1,
            "`vary weight a2` would set the weight of `a2`, but `a` derives its weights",
        ),
        ("drop", "vary drop_one", 1, "`vary drop_one` would set the weight of `a1`, but `a` derives its weights"),
    ] {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("sensitivity").join(name);
        let text = format!("{}\nuncertainty {{ {factor} }}\n", four("weights pca"));
        let (c, err) = check(&dir, &text);
        assert_eq!(c, 0, "{err}");
        let data = dir.join("data.csv");
        std::fs::write(
            &data,
            "unit,period,q1,q2,q3,q4\nAM,2024,10,20,30,40\nBY,2024,50,40,30,20\nKZ,2024,80,60,70,90\nKG,2024,30,35,20,60\n",
        )
        .expect("write");
        let out = tamga(&[
            "--color",
            "never",
            "sensitivity",
            dir.join("methodology.tamga").to_str().expect("p"),
            data.to_str().expect("p"),
            "--samples",
            "4",
        ]);
        let err: Vec<String> =
            String::from_utf8_lossy(&out.stderr).split_whitespace().filter(|w| *w != "│").map(String::from).collect();
        let err = err.join(" ");
        assert_eq!(out.status.code(), Some(code), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
    }
    // in Russian too
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("sensitivity").join("drop");
    let out = tamga(&[
        "--color",
        "never",
        "--lang",
        "ru",
        "sensitivity",
        dir.join("methodology.tamga").to_str().expect("p"),
        dir.join("data.csv").to_str().expect("p"),
        "--samples",
        "4",
    ]);
    let err: Vec<String> =
        String::from_utf8_lossy(&out.stderr).split_whitespace().filter(|w| *w != "│").map(String::from).collect();
    let err = err.join(" ");
    assert!(err.contains("`vary drop_one` задаёт вес `a1`, но веса `a` в каждой выборке выводятся из данных"), "{err}");
}

/// The report lists the weights not declared one by one under the matrix (Markdown and HTML).
#[test]
fn the_report_shows_derived_weights() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weights").join("report");
    let _ = std::fs::remove_dir_all(&dir);
    let out = tamga(&[
        "report",
        "tests/independent/asem_weights.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--out",
        dir.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    assert!(md.contains("Weights not declared one by one"), "{md}");
    assert!(md.contains(
        "- Principal components — principal components of the data of 2018 (43 states, 3 factor(s)): LPI 0.122,"
    ));
    assert!(md.contains("- Benefit of the doubt — benefit of the doubt: each state's own most favourable weights; its score before scaling: AUS 0.940,"));
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    assert!(html.contains("Weights not declared one by one"));
}
