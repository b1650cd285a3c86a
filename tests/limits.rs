//! Limits: every input too large or too deep for tamga is a diagnostic, never a stack overflow, a
//! panic or a hang (docs/reliability.md, "Limits").
//!
//! Each test runs in a thread of the test harness (2 MiB of stack in a debug build, much less than
//! a command-line run has), so a limit that holds here holds everywhere.

use std::time::{Duration, Instant};
use tamga::check::{check, check_text};
use tamga::diagnostics::{has_errors, render, Diag, Style};
use tamga::load::MAX_FILE_BYTES;
use tamga::source::{FileId, SourceMap};
use tamga::syntax::{parse_expr, parse_file, print, MAX_DEPTH, MAX_EXPR_DEPTH};

const STYLE: Style = Style { color: false, width: 100 };

/// A time budget in seconds for an optimised build; a debug build (as `cargo test` makes) is
/// about ten times slower, and a loaded machine slower still.
fn budget(release_secs: u64) -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) { release_secs * 12 } else { release_secs })
}

const HEAD: &str = "methodology m { en \"M\" ru \"M\" version \"1\" }\n\
                    question q : number { en \"Q\" ru \"Q\" }\n";

fn methodology(formula: &str) -> String {
    format!("{HEAD}indicator x = {formula} {{ en \"X\" ru \"X\" }}\n")
}

/// A formula whose tree is `n` levels deep, built with one construct.
fn deep(kind: &str, n: usize) -> String {
    match kind {
        "chain" => vec!["q"; n + 1].join(" + "),
        "power" => vec!["q"; n + 1].join("^"),
        "if" => format!("{}q", "if q > 1 then 1 else ".repeat(n)),
        "not" => format!("if {}q > 1 then 1 else 0", "not ".repeat(n - 2)),
        "minus" => format!("{}q", "-".repeat(n)),
        "call" => format!("{}q{}", "abs(".repeat(n), ")".repeat(n)),
        "nested_sum" => format!("{}q{}", "(".repeat(n), " + 1)".repeat(n)),
        "bands" => format!("{}q{}", "bands(".repeat(n), ") { ..0 => 1, 0.. => 2 }".repeat(n)),
        "match" => format!("{}1{}", "match(missing_reason(q)) { \"present\" => ".repeat(n), ", else => 0 }".repeat(n)),
        other => panic!("no construct {other}"),
    }
}

const KINDS: [&str; 9] = ["chain", "power", "if", "not", "minus", "call", "nested_sum", "bands", "match"];

fn rendered(diags: &[Diag], sources: &SourceMap) -> String {
    render(diags, sources, STYLE)
}

/// Checks, evaluates, formats and explains a methodology: nothing may overflow the stack.
fn everything(text: &str) -> Result<(), String> {
    let checked = check_text("deep.tamga", text);
    if has_errors(&checked.diags) {
        return Err(rendered(&checked.diags, &checked.sources));
    }
    let (meth, _) = checked.methodology().map_err(|_| "no model".to_string())?;
    let mut sources = meth.sources.clone();
    let sub = r#"{ "unit": "AM", "period": "2023", "answers": { "q": 2 } }"#;
    let (sub, diags) = tamga::data::load_text(&meth.model, "am.json", sub, &mut sources);
    assert!(!has_errors(&diags), "{}", rendered(&diags, &sources));
    let data = tamga::data::Dataset { submissions: sub.into_iter().collect() };
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let period = &outcome.periods[0];
    let target = tamga::explain::Target::resolve(&meth.model, "x").map_err(|_| "no x".to_string())?;
    let lang = tamga::report::Lang::En;
    let e = tamga::explain::explain(
        &meth.model,
        &sources,
        Some(&data),
        period,
        0,
        &target,
        tamga::explain::Options { lang, max_depth: None },
    );
    let _ = tamga::explain::text::render(&e, "deep", lang);
    let ast = parse_file(FileId(0), text).map_err(|d| rendered(&d, &sources))?;
    let formatted = print::format_file(&ast, text);
    let again = parse_file(FileId(0), &formatted).map_err(|_| format!("fmt output does not parse:\n{formatted}"))?;
    assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]));
    Ok(())
}

#[test]
fn formulas_as_deep_as_allowed_go_through_every_stage() {
    for kind in KINDS {
        let text = methodology(&deep(kind, MAX_EXPR_DEPTH - 2));
        if let Err(e) = everything(&text) {
            panic!("{kind} at depth {}: {e}", MAX_EXPR_DEPTH - 2);
        }
    }
}

#[test]
fn formulas_deeper_than_allowed_are_one_syntax_error() {
    for kind in KINDS {
        for n in [MAX_EXPR_DEPTH + 4, 20_000] {
            let text = methodology(&deep(kind, n));
            let checked = check_text("deep.tamga", &text);
            let report = rendered(&checked.diags, &checked.sources);
            assert_eq!(checked.diags.len(), 1, "{kind} {n}: {report}");
            // the builder's limit, or pest's own stack guard for constructs pest nests too
            assert!(report.contains("nest"), "{kind} {n}: {report}");
        }
    }
}

#[test]
fn deep_expressions_are_bounded_in_eval_expr_too() {
    assert!(parse_expr(FileId(0), &deep("chain", MAX_EXPR_DEPTH - 2)).is_ok());
    let errs = parse_expr(FileId(0), &deep("chain", 100_000)).expect_err("too deep");
    assert!(errs[0].message.contains("nested more than"), "{}", errs[0].message);
}

/// A snapshot of the diagnostic for a formula too deep.
#[test]
fn too_deep_diagnostic() {
    let checked = check_text("deep.tamga", &methodology(&deep("chain", 300)));
    let report = rendered(&checked.diags, &checked.sources);
    // the line is long: keep its start
    let report: String = report.lines().map(|l| l.chars().take(100).collect::<String>() + "\n").collect();
    insta::assert_snapshot!(report);
}

#[test]
fn a_hundred_thousand_parentheses() {
    let n = 100_000;
    let text = methodology(&format!("{}q{}", "(".repeat(n), ")".repeat(n)));
    let t = Instant::now();
    let checked = check_text("parens.tamga", &text);
    let report = rendered(&checked.diags, &checked.sources);
    assert!(report.contains(&format!("nesting deeper than {MAX_DEPTH} levels")), "{report}");
    assert!(t.elapsed() < Duration::from_secs(5), "took {:?}", t.elapsed());
    // as deep as allowed, parentheses cost nothing: they make no node
    let text = methodology(&format!("{}q{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH)));
    everything(&text).expect("200 parentheses");
    // braces count too: areas in areas
    let mut nested = String::from(HEAD);
    for i in 0..MAX_DEPTH - 1 {
        nested.push_str(&format!("area a{i} {{ en \"A\" ru \"A\"\n"));
    }
    nested.push_str("indicator x = q { en \"X\" ru \"X\" score value }\n");
    nested.push_str(&"}\n".repeat(MAX_DEPTH - 1));
    everything(&nested).expect("areas 199 deep");
    nested.insert_str(HEAD.len(), "area top { en \"A\" ru \"A\"\n area more { en \"A\" ru \"A\"\n");
    nested.push_str("}\n}\n");
    let checked = check_text("areas.tamga", &nested);
    assert!(rendered(&checked.diags, &checked.sources).contains("nesting deeper than"));
}

/// A formula of one megabyte on one line: a clean diagnostic, quickly.
#[test]
fn a_one_megabyte_formula() {
    for (what, formula) in [
        ("a sum", vec!["q"; 500_000].join("+")),
        ("a comparison chain", vec!["q"; 500_000].join("<")),
        ("a power tower", vec!["q"; 500_000].join("^")),
        ("nested ifs", format!("{}0", "if q then 1 else ".repeat(60_000))),
    ] {
        let text = methodology(&formula);
        assert!(text.len() >= 1_000_000, "{what}: {} bytes", text.len());
        let t = Instant::now();
        let checked = check_text("big.tamga", &text);
        let report = rendered(&checked.diags, &checked.sources);
        assert!(has_errors(&checked.diags), "{what}");
        // one short diagnostic: a line this long is not printed back
        assert!(report.lines().count() < 20 && report.len() < 2000, "{what}: one short diagnostic:\n{report}");
        assert!(t.elapsed() < budget(10), "{what} took {:?}", t.elapsed());
    }
    // long but flat: a sum of 20,000 terms written with `sum(…)` is fine
    let text = methodology(&format!("sum({})", vec!["q"; 20_000].join(", ")));
    let t = Instant::now();
    everything(&text).expect("a sum(…) of 20,000 terms");
    assert!(t.elapsed() < budget(5), "took {:?}", t.elapsed());
}

/// Files larger than [`MAX_FILE_BYTES`] are refused before they are read; 50 MB is.
#[test]
fn a_fifty_megabyte_rule_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("methodology.tamga");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(50_000_000).expect("a sparse 50 MB file");
    let t = Instant::now();
    let checked = check(&path);
    let report = rendered(&checked.diags, &checked.sources);
    assert!(report.contains(&format!("is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024)), "{report}");
    assert!(t.elapsed() < Duration::from_secs(1), "took {:?}", t.elapsed());
    // an included file too
    std::fs::write(dir.path().join("main.tamga"), format!("{HEAD}include \"methodology.tamga\"\n")).expect("write");
    let checked = check(&dir.path().join("main.tamga"));
    let report = rendered(&checked.diags, &checked.sources);
    assert!(report.contains("is larger than") && report.contains("included here"), "{report}");
}

/// A large rule file (4 MB of ordinary declarations, a quarter of the limit) parses in reasonable
/// time.
#[test]
fn a_four_megabyte_rule_file_parses() {
    let mut text = String::from(HEAD);
    let mut i = 0;
    while text.len() < 4_000_000 {
        text.push_str(&format!(
            "indicator x{i} = q * {i} + 1 {{ en \"Indicator {i}, a label of some length\" ru \"Индикатор {i}\" }}\n"
        ));
        i += 1;
    }
    let t = Instant::now();
    let ast = parse_file(FileId(0), &text).expect("parses");
    assert_eq!(ast.decls.len(), i + 2);
    assert!(t.elapsed() < Duration::from_secs(60), "took {:?}", t.elapsed());
}

/// Pathological backtracking: an unclosed `if` nested 40 deep used to take 2^40 steps.
#[test]
fn nested_failing_ifs_do_not_backtrack_exponentially() {
    let text = methodology(&"if ".repeat(40));
    let t = Instant::now();
    let checked = check_text("if.tamga", &text);
    assert!(has_errors(&checked.diags));
    assert!(t.elapsed() < Duration::from_secs(2), "took {:?}", t.elapsed());
}

/// A diagnostic far to the right on a long line is drawn without its snippet (miette cannot pad
/// past 65,535 columns) but still says where.
#[test]
fn a_diagnostic_at_column_one_hundred_thousand() {
    let text = methodology(&format!("{} + ", vec!["q"; 50_000].join(" * ")));
    let checked = check_text("long.tamga", &text);
    let report = rendered(&checked.diags, &checked.sources);
    assert!(report.contains("at long.tamga:3:"), "{report}");
}

/// Submissions: a JSON file nested beyond the scanner's depth, a CSV file of 200,000 rows.
#[test]
fn large_and_deep_submissions() {
    let checked = check_text("m.tamga", HEAD);
    let (meth, _) = checked.methodology().unwrap_or_else(|_| panic!("checks"));
    let mut sources = meth.sources.clone();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (sub, diags) = tamga::data::load_text(&meth.model, "deep.json", &deep, &mut sources);
    assert!(sub.is_none() && has_errors(&diags));
    let deep = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (sub, diags) = tamga::data::load_text(&meth.model, "deep.toml", &deep, &mut sources);
    assert!(sub.is_none() && has_errors(&diags));

    let mut csv = String::from("unit,period,question,answer\n");
    for i in 0..200_000 {
        csv.push_str(&format!("U{i},2023,q,{i}\n"));
    }
    let t = Instant::now();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, "big.csv", csv.as_bytes(), &mut sources);
    assert!(!has_errors(&diags), "{}", rendered(&diags, &sources));
    assert_eq!(subs.len(), 200_000);
    assert!(t.elapsed() < Duration::from_secs(30), "took {:?}", t.elapsed());
}

/// Submission files larger than the limit are refused before they are read.
#[test]
fn a_submission_file_too_large() {
    let checked = check_text("m.tamga", HEAD);
    let (meth, _) = checked.methodology().unwrap_or_else(|_| panic!("checks"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("big.json");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(tamga::data::MAX_SUBMISSION_BYTES + 1).expect("a sparse file");
    let mut sources = meth.sources.clone();
    let t = Instant::now();
    let (data, diags) = tamga::data::load(&meth.model, &[path], &mut sources);
    assert!(data.submissions.is_empty());
    let report = rendered(&diags, &sources);
    assert!(report.contains("is larger than"), "{report}");
    assert!(t.elapsed() < Duration::from_secs(1), "took {:?}", t.elapsed());
}

/// Units per period: a dataset above the limit is refused by the loader with one diagnostic.
#[test]
fn too_many_units_in_one_period() {
    let checked = check_text("m.tamga", HEAD);
    let (meth, _) = checked.methodology().unwrap_or_else(|_| panic!("checks"));
    let mut sources = meth.sources.clone();
    let n = tamga::data::MAX_UNITS_PER_PERIOD + 1;
    let mut csv = String::with_capacity(n * 20);
    csv.push_str("unit,period,q\n");
    for i in 0..n {
        csv.push_str(&format!("U{i},2023,1\n"));
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("wide.csv");
    std::fs::write(&path, csv).expect("write");
    let (data, diags) = tamga::data::load(&meth.model, &[path], &mut sources);
    let report = rendered(&diags, &sources);
    assert!(data.submissions.is_empty(), "nothing is evaluated");
    assert!(report.contains("more than"), "{report}");
}

/// Did-you-mean is bounded (issue #15): a 200,000-character unknown identifier and a 10 MB
/// unknown key of a submission took over a minute of edit distances; no suggestion is looked for
/// beyond 128 bytes.
#[test]
fn suggestions_for_huge_names_are_not_looked_for() {
    let long = "q".repeat(200_000);
    let started = Instant::now();
    let checked = check_text("long.tamga", &methodology(&format!("{long} + 1")));
    let text = rendered(&checked.diags, &checked.sources);
    assert!(has_errors(&checked.diags));
    assert!(!text.contains("did you mean"), "{}", &text[..text.len().min(2000)]);
    assert!(started.elapsed() < budget(1), "{:?}", started.elapsed());
    assert_eq!(tamga::diagnostics::suggest(&long, ["q", "qq"]), None);
    assert_eq!(tamga::diagnostics::suggest("q_nmu", ["q_num", long.as_str()]), Some("q_num"));

    let checked = check_text("m.tamga", HEAD);
    let (meth, _) = checked.methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
    let key = "q".repeat(10 * 1024 * 1024);
    let json = format!(r#"{{"unit": "AM", "period": "2023", "answers": {{"q": 1, "{key}": 2}}}}"#);
    let started = Instant::now();
    let mut sources = meth.sources.clone();
    let (_, diags) = tamga::data::load_text(&meth.model, "big-key.json", &json, &mut sources);
    let text = render(&diags, &sources, STYLE);
    assert!(has_errors(&diags));
    // the key is quoted by its beginning, not whole
    assert!(text.len() < 4_000, "{}", &text[..text.len().min(2000)]);
    assert!(text.contains(&format!("`{}…`", "q".repeat(tamga::diagnostics::MAX_QUOTED_CHARS / 2))), "{text}");
    assert!(started.elapsed() < budget(2), "{:?}", started.elapsed());
}

/// Diagnostics share their file's text instead of copying it, and find their lines by an index
/// built once (issue #15: a CSV file with 15,000 rows of warnings took over 20 s, each warning
/// copying and scanning the whole file): 15,000 warnings into one file render in linear time.
#[test]
fn many_warnings_into_one_large_file_render_in_linear_time() {
    let checked = check_text(
        "m.tamga",
        "methodology m { en \"M\" ru \"M\" version \"1\" }\n\
         question q : number { en \"Q\" ru \"Q\" }\n\
         question r : number optional { en \"R\" ru \"R\" }\n",
    );
    let (meth, _) = checked.methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
    let time = |rows: usize| {
        let mut csv = String::from("unit,period,r\n");
        for i in 0..rows {
            csv.push_str(&format!("U{i:05},2023,{i}\n"));
        }
        let mut sources = meth.sources.clone();
        let (subs, diags) = tamga::data::load_bytes(&meth.model, "wide.csv", csv.as_bytes(), &mut sources);
        assert_eq!(subs.len(), rows);
        assert_eq!(diags.len(), rows, "one warning per row: `q` is required");
        let started = Instant::now();
        let text = render(&diags, &sources, STYLE);
        let json = tamga::diagnostics::to_json(&diags, &sources);
        assert_eq!(json.last().and_then(|d| d.line), Some(rows + 1));
        assert!(text.contains(&format!("wide.csv:{}:", rows + 1)), "the last warning points at the last line");
        started.elapsed()
    };
    let small = time(1_500);
    let large = time(15_000);
    assert!(large < budget(3), "15,000 warnings: {large:?}");
    // ten times the rows: well under a hundred times the time (quadratic), allowing for noise
    assert!(large < small * 30 + Duration::from_millis(500), "1,500: {small:?}, 15,000: {large:?}");
}
