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

// ───────────── constants where a number is written: ranges, scale, bands, baseline, vary ─────────────

/// Every literal position written with constants (and a negated one, `-floor`).
const NAMED: &str = r#"methodology p { en "Parameters" ru "Параметры" version "1" scale 0..=top }

const top = 100
const max_hours = 720
const fast = 24
const slow = 72
const floor = 10
const base = 168
const spread = 25%
const w_lo = 0.5
const w_hi = 2

question q05_release : hours in 0..=max_hours { en "Release" ru "Выпуск" }
question q11_balance : number { en "Balance" ru "Сальдо" range -floor<..top }

area facilitation {
  en "Facilitation" ru "Упрощение"
  indicator release = q05_release {
    en "Release" ru "Выпуск"
    score bands { ..=fast => top, fast<..slow => 50, slow.. => 0 }
  }
  indicator balance = bands(q11_balance) { ..-floor => 0, -floor..floor => 50, floor.. => top } {
    en "Balance" ru "Сальдо"
    score formula(value)
  }
}

chapter TF {
  en "Trade facilitation" ru "Упрощение процедур торговли"
  standard TF-1 {
    en "Release within 24 hours" ru "Выпуск в течение 24 часов"
    kind standard
    requires release <= fast
    baseline base
  }
}

uncertainty {
  vary weights by spread
  vary weight balance in w_lo..=w_hi
}
"#;

/// The same methodology with the numbers written out.
const LITERAL: &str = r#"methodology p { en "Parameters" ru "Параметры" version "1" scale 0..=100 }

question q05_release : hours in 0..=720 { en "Release" ru "Выпуск" }
question q11_balance : number { en "Balance" ru "Сальдо" range -10<..100 }

area facilitation {
  en "Facilitation" ru "Упрощение"
  indicator release = q05_release {
    en "Release" ru "Выпуск"
    score bands { ..=24 => 100, 24<..72 => 50, 72.. => 0 }
  }
  indicator balance = bands(q11_balance) { ..-10 => 0, -10..10 => 50, 10.. => 100 } {
    en "Balance" ru "Сальдо"
    score formula(value)
  }
}

chapter TF {
  en "Trade facilitation" ru "Упрощение процедур торговли"
  standard TF-1 {
    en "Release within 24 hours" ru "Выпуск в течение 24 часов"
    kind standard
    requires release <= 24
    baseline 168
  }
}

uncertainty {
  vary weights by 25%
  vary weight balance in 0.5..=2
}
"#;

/// A model as text without the places (the two files differ in layout), the source texts the
/// explanations quote (the names as written) and the constants.
fn model_text(rules: &str) -> (tamga::model::Model, String) {
    let c = check_text("p.tamga", rules);
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    assert!(c.diags.is_empty(), "no warning: {}", render(&c.diags, &c.sources, STYLE));
    let mut m = c.model.expect("a model");
    let params = std::mem::take(&mut m.parameters);
    let spans = regex::Regex::new(r"Span \{ file: FileId\(\d+\), start: \d+, end: \d+ \}").expect("a pattern");
    let text = spans.replace_all(&format!("{m:?}"), "Span").into_owned();
    let quoted = regex::Regex::new(r#"span: Span, text: "(?:[^"\\]|\\.)*""#).expect("a pattern");
    let text = quoted.replace_all(&text, "span: Span").into_owned();
    m.parameters = params;
    (m, text)
}

#[test]
fn constants_in_ranges_scale_bands_baseline_and_vary_are_the_numbers() {
    let (named, named_text) = model_text(NAMED);
    let (_, literal_text) = model_text(LITERAL);
    // the whole model is the same, the constants aside
    assert_eq!(named_text, literal_text);
    assert_eq!(named.parameters.get("floor"), Some(&10.0));
    assert_eq!(named.parameters.get("spread"), Some(&25.0));
    assert_eq!(named.header.scale, (0.0, 100.0));
    let r = &named.questions["q11_balance"].range;
    assert_eq!(
        (r.lo.map(|b| (b.value, b.inclusive)), r.hi.map(|b| (b.value, b.inclusive))),
        (Some((-10.0, false)), Some((100.0, false)))
    );
    // scores by hand, the same from both: release 30 h is in 24<..72 → 50; 20 h → 100; balance −5 → 50, 12 → 100
    for rules in [NAMED, LITERAL] {
        let c = check_text("p.tamga", rules);
        let m = c.model.as_ref().expect("a model");
        let mut sources = c.sources.clone();
        let scores = |answers: &str, sources: &mut tamga::source::SourceMap| {
            let sub = format!(r#"{{ "unit": "AM", "period": "2024", "answers": {answers} }}"#);
            let (sub, diags) = tamga::data::load_text(m, "am.json", &sub, sources);
            let sub = sub.unwrap_or_else(|| panic!("{diags:?}"));
            let outcome = tamga::eval::evaluate(m, &tamga::data::Dataset { submissions: vec![sub] });
            let p = &outcome.periods[0];
            (p.get(m.indicators["release"].score_slot, 0), p.get(m.indicators["balance"].score_slot, 0))
        };
        assert_eq!(scores(r#"{ "q05_release": 30, "q11_balance": -5 }"#, &mut sources), (Ok(50.0), Ok(50.0)));
        assert_eq!(scores(r#"{ "q05_release": 20, "q11_balance": 12 }"#, &mut sources), (Ok(100.0), Ok(100.0)));
    }
}

#[test]
fn a_table_cell_may_bound_a_range() {
    let rules = RULES.replace(r#"ru "УЭО" }"#, r#"ru "УЭО" range 0..=goalposts("aeo", "best") }"#).replace(
        r#"score formula(min(aeo_cap, value / goalposts(aeo, best) * 100))"#,
        r#"score bands { ..goalposts( "release" , "best" ) => 0, goalposts("release", "best")..aeo_cap => 50, aeo_cap.. => 100 }"#,
    );
    let dir = folder(&rules, Some(TABLE));
    let c = check(dir.path());
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    let (meth, _) = c.methodology().unwrap_or_else(|_| panic!("it does not check"));
    let m = &meth.model;
    match &m.indicators["aeo"].score {
        Some(tamga::model::ScoreRule::Bands { bands, .. }) => {
            let bounds: Vec<_> =
                bands.iter().map(|(r, s)| (r.lo.map(|b| b.value), r.hi.map(|b| b.value), *s)).collect();
            assert_eq!(bounds, [(None, Some(2.0), 0.0), (Some(2.0), Some(100.0), 50.0), (Some(100.0), None, 100.0)]);
        }
        other => panic!("{other:?}"),
    }
    let r = &m.questions["q11_aeo"].range;
    assert_eq!((r.lo.map(|b| b.value), r.hi.map(|b| (b.value, b.inclusive))), (Some(0.0), Some((1000.0, true))));
}

#[test]
fn fmt_keeps_the_names_and_the_fingerprint_follows_the_values() {
    use tamga::source::FileId;
    use tamga::syntax::{parse_file, print};
    let ast = parse_file(FileId(0), NAMED).unwrap_or_else(|d| panic!("{d:?}"));
    let once = print::format_file(&ast, NAMED);
    for kept in [
        "scale 0..=top",
        "in 0..=max_hours",
        "range -floor<..top",
        "score bands { ..=fast => top, fast<..slow => 50, slow.. => 0 }",
        "bands(q11_balance) { ..-floor => 0, -floor..floor => 50, floor.. => top }",
        "baseline base",
        "vary weights by spread",
        "vary weight balance in w_lo..=w_hi",
    ] {
        assert!(once.contains(kept), "`{kept}` not in:\n{once}");
    }
    let again = parse_file(FileId(0), &once).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(print::format_file(&again, &once), once, "fmt is idempotent");
    // a table's cell too
    let text = "methodology p { version \"1\" scale 0..=t(\"a\",  \"b\") }\n";
    let ast = parse_file(FileId(0), text).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(print::format_file(&ast, text).contains("scale 0..=t(\"a\", \"b\")"));

    // the constant's value is in the fingerprint; its name where it is used is too
    let fp = |rules: &str| check_text("p.tamga", rules).fingerprint.expect("a fingerprint");
    assert_ne!(fp(NAMED), fp(&NAMED.replace("const max_hours = 720", "const max_hours = 1000")));
    assert_ne!(fp(NAMED), fp(LITERAL));
}

#[test]
fn diff_shows_a_changed_constant_and_the_range_it_bounds() {
    let model = |rules: &str| {
        let dir = folder(rules, None);
        check(dir.path()).methodology().unwrap_or_else(|_| panic!("it does not check")).0
    };
    let old = model(NAMED);
    let new = model(
        &NAMED.replace("const max_hours = 720", "const max_hours = 1000").replace("const fast = 24", "const fast = 12"),
    );
    let d = tamga::version::diff::diff("a", &old, "b", &new);
    let text = tamga::version::diff::to_text(&d, tamga::i18n::Lang::En);
    for want in ["`max_hours`", "value: 720 → 1000", "`fast`", "value: 24 → 12", "0..=720", "0..=1000"] {
        assert!(text.contains(want), "`{want}` not in:\n{text}");
    }
}

#[test]
fn an_unknown_constant_in_a_range_is_named_with_the_constants_near_it() {
    let rules = NAMED.replace("scale 0..=top", "scale 0..=tpo").replace("in 0..=max_hours", "in 0..=q11_balance");
    let c = check_text("p.tamga", &rules);
    insta::assert_snapshot!(render(&c.diags, &c.sources, STYLE));
    let ru: Vec<_> = c.diags.iter().map(|d| d.localized(tamga::i18n::Lang::Ru)).collect();
    insta::assert_snapshot!("an_unknown_constant_in_a_range_in_russian", render(&ru, &c.sources, STYLE));
    // a space after the operator ends the range: the syntax error says how to write it
    let c = check_text("p.tamga", &NAMED.replace("in 0..=max_hours", "in 0..= max_hours"));
    let e = render(&c.diags, &c.sources, STYLE);
    assert!(e.contains("without a space: `0..=max_hours`"), "{e}");
}

#[test]
fn a_constant_or_table_never_used_is_a_warning() {
    let rules = RULES
        .replace("const aeo_cap = 100", "const aeo_cap = 100\nconst spare = 3\ntable unread from \"goalposts.csv\"");
    let dir = folder(&rules, Some(TABLE));
    let c = check(dir.path());
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    assert_eq!(c.diags.len(), 2, "{}", render(&c.diags, &c.sources, STYLE));
    insta::assert_snapshot!(render(&c.diags, &c.sources, STYLE).replace(&dir.path().display().to_string(), "DIR"));
    let ru: Vec<_> = c.diags.iter().map(|d| d.localized(tamga::i18n::Lang::Ru)).collect();
    let ru = render(&ru, &c.sources, STYLE).replace(&dir.path().display().to_string(), "DIR");
    assert!(
        ru.contains("константа `spare` не используется") && ru.contains("таблица `unread` не используется"),
        "{ru}"
    );
    // with an error elsewhere, no warning about unused constants (a misspelt name would cause it)
    let c = check(folder(&rules.replace("weight release_weight", "weight release_wieght"), Some(TABLE)).path());
    assert!(
        c.diags.iter().all(|d| d.code != tamga::diagnostics::Code::Unused),
        "{}",
        render(&c.diags, &c.sources, STYLE)
    );
    // the methodology of the tests above uses every constant and table it declares
    let c = check(folder(RULES, Some(TABLE)).path());
    assert!(c.diags.is_empty(), "{}", render(&c.diags, &c.sources, STYLE));
}

#[test]
fn a_budget_of_weights_may_be_written_with_constants() {
    let rules = |budget: &str| {
        format!(
            r#"methodology p {{ en "P" ru "П" version "1" }}
const points = 100
const release_points = 75
const aeo_points = points - release_points
question q05_release : hours {{ en "Release" ru "Выпуск" }}
question q11_aeo : count {{ en "AEO" ru "УЭО" }}
area facilitation {{
  en "Facilitation" ru "Упрощение"
  {budget}
  indicator release = q05_release {{ en "Release" ru "Выпуск" score goalposts(best: 2, worst: 72) }}
  indicator aeo = q11_aeo {{ en "AEO" ru "УЭО" score goalposts(best: 1000, worst: 0) }}
}}
"#
        )
    };
    let weights = |budget: &str| {
        let c = check_text("p.tamga", &rules(budget));
        assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
        let m = c.model.expect("a model");
        m.areas["facilitation"].children.iter().map(|ch| ch.weight).collect::<Vec<_>>()
    };
    let named = weights("weights budget(points) { release: release_points, aeo: aeo_points }");
    assert_eq!(named, weights("weights budget(100) { release: 75, aeo: 25 }"));
    assert_eq!(named, [0.75, 0.25]);
}

/// Published weights read from a table: `weight goalposts("release", "weight")` is the cell's
/// number, as `weight 3` would be; a negative weight written with a constant is refused as a
/// negative number is.
#[test]
fn a_weight_may_be_a_table_cell() {
    let table = "indicator,best,worst,weight\nrelease,2,72,3\naeo,1000,,0.5\n";
    let rules = RULES
        .replace("weight release_weight", r#"weight goalposts("release", "weight")"#)
        .replace("    score formula(min(aeo_cap", "    weight goalposts(aeo, weight)\n    score formula(min(aeo_cap");
    let dir = folder(&rules, Some(table));
    let c = check(dir.path());
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    let (meth, _) = c.methodology().unwrap_or_else(|_| panic!("it does not check"));
    let weights: Vec<(String, f64)> =
        meth.model.areas["facilitation"].children.iter().map(|c| (c.id.clone(), c.weight)).collect();
    assert_eq!(weights, [("release".to_string(), 3.0), ("aeo".to_string(), 0.5)]);
    // the name is printed back
    let ast = tamga::syntax::parse_file(tamga::source::FileId(0), &rules).expect("parses");
    let printed = tamga::syntax::print::format_file(&ast, &rules);
    assert!(printed.contains(r#"weight goalposts("release", "weight")"#), "{printed}");
    let negative = RULES.replace("weight release_weight", "weight -release_weight");
    let text = errors(&negative, Some(TABLE));
    assert!(text.contains("`release` has a negative weight (-2)"), "{text}");
}
