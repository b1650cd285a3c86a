//! The fuzzers' findings, kept: every input in `tests/cases/fuzz-regressions/<target>/` once
//! crashed, hung or broke a property of that fuzz target, and is run here through the target's
//! own code (`fuzz/src/lib.rs`, included below), so that `cargo test` keeps them fixed. How the
//! targets are run and what they found: docs/reliability.md.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from("tests/cases/fuzz-regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

/// Runs every saved input of a target; each must pass, and quickly (a hang is a finding too).
fn run(target: &str, f: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for {target}");
    for path in files {
        let data = std::fs::read(&path).expect("read");
        let t = Instant::now();
        let name = path.display().to_string();
        let result = std::panic::catch_unwind(|| f(&data));
        assert!(result.is_ok(), "{name} fails again");
        assert!(t.elapsed() < Duration::from_secs(20), "{name} took {:?}", t.elapsed());
    }
}

#[test]
fn parse_check() {
    run("parse_check", targets::parse_check);
}

#[test]
fn fmt_roundtrip() {
    run("fmt_roundtrip", targets::fmt_roundtrip);
}

#[test]
fn eval_expr() {
    run("eval_expr", targets::eval_expr);
}

#[test]
fn load_submission() {
    run("load_submission", targets::load_submission);
}

/// The methodologies the targets use check without errors (otherwise two targets test nothing).
#[test]
fn the_targets_methodologies_check() {
    for (name, text) in [("eval", targets::EVAL_RULES), ("load", targets::LOAD_RULES)] {
        let checked = tamga::check::check_text(name, text);
        assert!(checked.model.is_some(), "{name}: {:?}", checked.diags);
    }
}

/// The workbooks the `load_submission` target builds from XML parts (format byte ≥ 0x80) are
/// read as workbooks: an answer in the rows given reaches the submission, and a percent-formatted
/// cell is read as the percentage it shows (otherwise the mode would test nothing past the zip).
#[test]
fn the_workbooks_built_from_parts_are_read() {
    use tamga::data::Answer;
    let checked = tamga::check::check_text("load.tamga", targets::LOAD_RULES);
    let Ok((meth, _)) = checked.methodology() else { panic!("checks") };
    let q = |id: &str| meth.model.questions.get_index_of(id).expect("a question");
    let rows = br#"<row r="3"><c r="A3" t="inlineStr"><is><t>q_num</t></is></c><c r="E3"><v>12.5</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>q_pct</t></is></c><c r="E4" s="1"><v>0.2</v></c></row>"#;
    let styles = br#"<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="9"/></cellXfs></styleSheet>"#;
    let mut bytes = rows.to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(styles);
    let book = targets::workbook_of_parts(&bytes);
    let mut sources = meth.sources.clone();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, "s.xlsx", &book, &mut sources);
    let shown = tamga::diagnostics::render(&diags, &sources, tamga::diagnostics::Style { color: false, width: 100 });
    assert_eq!(subs.len(), 1, "{shown}");
    assert_eq!(subs[0].answer(q("q_num")), Some(Answer::Number(12.5)), "{shown}");
    assert_eq!(subs[0].answer(q("q_pct")), Some(Answer::Number(20.0)), "{shown}");
    assert!(shown.contains("formatted as a percentage"), "{shown}");
}
