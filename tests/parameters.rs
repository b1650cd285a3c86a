//! Named constants and lookup tables (`const`, `table … from "file.csv"`, issue 19 item 7),
//! through the public API on methodology folders written to a temporary directory: the values
//! reach the model and the scores, the table's content is in the fingerprint and the lock, `diff`
//! shows a change of either, and every mistake in a table is a diagnostic with its file and line.

use tamga::check::{check, check_text};
use tamga::diagnostics::{has_errors, render, Style};

const STYLE: Style = Style { color: false, width: 120 };

const RULES: &str = r#"methodology p { en "Parameters" ru "Параметры" version "1" }

const release_weight = 2
const aeo_cap = 100
table goalposts from "goalposts.csv"

question q05_release : hours { en "Release" ru "Выпуск" }
question q11_aeo : count { en "AEO" ru "УЭО" }

area facilitation {
  en "Facilitation" ru "Упрощение"
  indicator release = q05_release {
    en "Release" ru "Выпуск"
    weight release_weight
    score goalposts(best: goalposts("release", "best"), worst: goalposts("release", "worst"))
  }
  indicator aeo = q11_aeo {
    en "AEO" ru "УЭО"
    score formula(min(aeo_cap, value / goalposts(aeo, best) * 100))
  }
}
"#;

const TABLE: &str = "indicator,best,worst\nrelease,2,72\naeo,1000,\n";

/// A methodology folder with the given rule file and table.
fn folder(rules: &str, table: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("methodology.tamga"), rules).expect("written");
    if let Some(t) = table {
        std::fs::write(dir.path().join("goalposts.csv"), t).expect("written");
    }
    dir
}

/// The rendered diagnostics of checking a folder (they must hold an error).
fn errors(rules: &str, table: Option<&str>) -> String {
    let dir = folder(rules, table);
    let c = check(dir.path());
    assert!(has_errors(&c.diags), "expected errors");
    render(&c.diags, &c.sources, STYLE).replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn constants_and_table_cells_reach_the_model_and_the_scores() {
    let dir = folder(RULES, Some(TABLE));
    let c = check(dir.path());
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    let (meth, _) = c.methodology().unwrap_or_else(|_| panic!("it does not check"));
    let m = &meth.model;
    assert_eq!(m.parameters.get("release_weight"), Some(&2.0));
    assert_eq!(m.tables["goalposts"].file, "goalposts.csv");
    assert_eq!(m.indicators["release"].weight, 2.0);
    match &m.indicators["release"].score {
        Some(tamga::model::ScoreRule::Goalposts { best, worst, log: false }) => {
            assert_eq!((*best, *worst), (2.0, 72.0))
        }
        other => panic!("{other:?}"),
    }
    // the table's file is listed with the rule files (the lock records its hash)
    assert!(meth.files.contains_key("goalposts.csv"), "{:?}", meth.files.keys().collect::<Vec<_>>());
    // scores by hand: release 30 h → (30 − 72)/(2 − 72) × 100 = 60; aeo 400 → min(100, 400/1000 × 100) = 40;
    // the area (2 × 60 + 1 × 40) / 3 = 53.33…
    let mut sources = meth.sources.clone();
    let sub = r#"{ "unit": "AM", "period": "2024", "answers": { "q05_release": 30, "q11_aeo": 400 } }"#;
    let (sub, diags) = tamga::data::load_text(m, "am.json", sub, &mut sources);
    let sub = sub.unwrap_or_else(|| panic!("{diags:?}"));
    let outcome = tamga::eval::evaluate(m, &tamga::data::Dataset { submissions: vec![sub] });
    let p = &outcome.periods[0];
    assert_eq!(p.get(m.indicators["release"].score_slot, 0), Ok(60.0));
    assert_eq!(p.get(m.indicators["aeo"].score_slot, 0), Ok(40.0));
    let area = p.get(m.areas["facilitation"].slot, 0).expect("a score");
    assert!((area - 160.0 / 3.0).abs() < 1e-12, "{area}");
}

#[test]
fn the_table_is_in_the_fingerprint_and_diff_shows_a_change() {
    let fingerprint = |rules: &str, table: &str| {
        let dir = folder(rules, Some(table));
        let c = check(dir.path());
        assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
        c.fingerprint.expect("a fingerprint")
    };
    let base = fingerprint(RULES, TABLE);
    // a cell no rule reads still changes the fingerprint: the file is part of the methodology
    assert_ne!(base, fingerprint(RULES, "indicator,best,worst\nrelease,2,72\naeo,1000,5\n"));
    assert_ne!(base, fingerprint(&RULES.replace("release_weight = 2", "release_weight = 3"), TABLE));
    // layout is not meaning
    assert_eq!(base, fingerprint(&RULES.replace("const aeo_cap = 100", "const   aeo_cap =   100  # a cap"), TABLE));

    let (a, b) = (
        folder(RULES, Some(TABLE)),
        folder(
            &RULES.replace("release_weight = 2", "release_weight = 3"),
            Some("indicator,best,worst\nrelease,4,72\naeo,1000,\n"),
        ),
    );
    let (old, _) = check(a.path()).methodology().unwrap_or_else(|_| panic!("it does not check"));
    let (new, _) = check(b.path()).methodology().unwrap_or_else(|_| panic!("it does not check"));
    let d = tamga::version::diff::diff("a", &old, "b", &new);
    let text = tamga::version::diff::to_text(&d, tamga::i18n::Lang::En);
    for want in [
        "## Parameters (constants)",
        "`release_weight`",
        "value: 2 → 3",
        "## Parameter tables",
        "`goalposts`",
        "sha256:",
        "`goalposts(best: 2, worst: 72)` → `goalposts(best: 4, worst: 72)`",
    ] {
        assert!(text.contains(want), "`{want}` not in:\n{text}");
    }
}

#[test]
fn mistakes_in_a_table_are_diagnostics_with_the_file_and_the_line() {
    // a decimal comma (with `;` as the delimiter): said so, at the table file's line 3
    let e = errors(RULES, Some("indicator;best;worst\nrelease;2;72\naeo;1000,5;\n"));
    assert!(e.contains("`1000,5` in the table `goalposts` (row `aeo`, column `best`) is not a number"), "{e}");
    assert!(e.contains("decimal comma: write `1000.5`") && e.contains("goalposts.csv:3:1"), "{e}");
    // a decimal comma with `,` as the delimiter: a row with too many cells, and the hint
    let e = errors(RULES, Some("indicator,best,worst\nrelease,2,72\naeo,0,5,1\n"));
    assert!(e.contains("has 4 cells, the header 3") && e.contains("decimal comma"), "{e}");
    // no cascade: the goalposts read from a broken table are not reported as equal
    assert!(!e.contains("equal"), "{e}");
    // an unknown key, with the keys and a suggestion
    let e = errors(&RULES.replace("goalposts(aeo, best)", "goalposts(aoe, best)"), Some(TABLE));
    assert!(e.contains("the table `goalposts` has no row `aoe`") && e.contains("did you mean `aeo`?"), "{e}");
    // an unknown column
    let e = errors(&RULES.replace("goalposts(aeo, best)", "goalposts(aeo, bset)"), Some(TABLE));
    assert!(e.contains("has no column `bset`") && e.contains("did you mean `best`?"), "{e}");
    // an empty cell read
    let e = errors(&RULES.replace("goalposts(aeo, best)", "goalposts(aeo, worst)"), Some(TABLE));
    assert!(e.contains("has no value for `aeo`, `worst`") && e.contains("goalposts.csv:3:1"), "{e}");
    // two rows with one key
    let e = errors(RULES, Some("indicator,best,worst\nrelease,2,72\nrelease,3,70\naeo,1000,\n"));
    assert!(e.contains("has two rows `release`"), "{e}");
    // a missing file
    let e = errors(RULES, None);
    assert!(e.contains("goalposts.csv` does not exist"), "{e}");
    // an unknown constant as a weight
    let e = errors(&RULES.replace("weight release_weight", "weight release_wieght"), Some(TABLE));
    assert!(e.contains("unknown constant `release_wieght`") && e.contains("did you mean `release_weight`?"), "{e}");
    // a constant named as an indicator
    let e = errors(&RULES.replace("const aeo_cap = 100", "const aeo_cap = 100\nconst release = 1"), Some(TABLE));
    assert!(e.contains("`release` is already declared as an indicator"), "{e}");
    // a table declared twice: the first declaration is the one pointed at
    let e = errors(&format!("{RULES}\ntable goalposts from \"goalposts.csv\"\n"), Some(TABLE));
    assert!(e.contains("`goalposts` is already declared as a table"), "{e}");
    let first = e.lines().position(|l| l.contains("first declared here")).expect("the first place is labelled");
    assert!(e.lines().take(first).any(|l| l.trim_start().starts_with("5 │ table goalposts")), "{e}");
}

#[test]
fn a_table_stays_inside_the_methodology_folder_and_small() {
    let outer = tempfile::tempdir().expect("a temporary folder");
    let inner = outer.path().join("m");
    std::fs::create_dir(&inner).expect("created");
    std::fs::write(outer.path().join("goalposts.csv"), TABLE).expect("written");
    std::fs::write(inner.join("methodology.tamga"), RULES.replace("\"goalposts.csv\"", "\"../goalposts.csv\""))
        .expect("written");
    let c = check(&inner);
    let e = render(&c.diags, &c.sources, STYLE);
    assert!(e.contains("is outside the methodology's folder"), "{e}");
    // nothing of the file outside is quoted
    assert!(!e.contains("release,2,72"), "{e}");

    let big = format!("indicator,best,worst\n{}", "x,1,2\n".repeat(tamga::load::MAX_TABLE_BYTES / 6 + 10));
    let e = errors(RULES, Some(&big));
    assert!(e.contains("too large for a table"), "{e}");
    let many: String = (0..tamga::check::MAX_TABLE_ROWS + 1).map(|i| format!("k{i},1,2\n")).collect();
    let e = errors(RULES, Some(&format!("indicator,best,worst\n{many}")));
    assert!(e.contains(&format!("more than {} rows", tamga::check::MAX_TABLE_ROWS)), "{e}");
}

#[test]
fn a_table_needs_files_and_a_constant_needs_a_number() {
    let c = check_text("p.tamga", RULES);
    let e = render(&c.diags, &c.sources, STYLE);
    assert!(e.contains("`table` needs a methodology read from files"), "{e}");
    let c = check_text(
        "p.tamga",
        "methodology p { en \"P\" version \"1\" }\nconst a = 1/4\nconst b = a * 2\nconst c = q\n",
    );
    let e = render(&c.diags, &c.sources, STYLE);
    assert!(e.contains("the constant `c` must be a number"), "{e}");
    assert!(!e.contains("`a`") && !e.contains("the constant `b`"), "a and b are numbers: {e}");
}

/// The example of docs/language.md ("Lookup tables"): the rule file and the table, written to a
/// folder, check; the scores are the goalposts' by hand.
#[test]
fn the_documented_table_example_runs() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).expect("docs");
    let section = &doc[doc.find("### Lookup tables").expect("the section")..];
    let block = |info: &str| {
        let start = section.find(&format!("```{info}\n")).expect("a block") + info.len() + 4;
        section[start..start + section[start..].find("```").expect("its end")].to_string()
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("methodology.tamga"), block("text")).expect("written");
    std::fs::write(dir.path().join("goalposts.csv"), block("csv")).expect("written");
    let c = check(dir.path());
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    let (meth, _) = c.methodology().unwrap_or_else(|_| panic!("it does not check"));
    let m = &meth.model;
    let mut sources = meth.sources.clone();
    let sub = r#"{ "unit": "AM", "period": "2024", "answers": { "q05_release": 16, "q11_aeo": 10 } }"#;
    let (sub, diags) = tamga::data::load_text(m, "am.json", sub, &mut sources);
    let sub = sub.unwrap_or_else(|| panic!("{diags:?}"));
    let outcome = tamga::eval::evaluate(m, &tamga::data::Dataset { submissions: vec![sub] });
    let p = &outcome.periods[0];
    // release: (16 − 72)/(2 − 72) × 100 = 80; aeo: ln(10/1)/ln(1000/1) × 100 = 33.33…
    assert_eq!(p.get(m.indicators["release"].score_slot, 0), Ok(80.0));
    let aeo = p.get(m.indicators["aeo"].score_slot, 0).expect("a score");
    assert!((aeo - 100.0 / 3.0).abs() < 1e-9, "{aeo}");
}
