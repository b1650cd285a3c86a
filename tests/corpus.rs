//! The corpus: every methodology in `tests/cases/ok/` goes through every stage (parse and check,
//! load its submissions, evaluate, build the JSON result) and each stage's output is snapshotted.
//!
//! Beside `tests/cases/ok/x.tamga`, the folder `tests/cases/ok/x/` holds its submissions. Each
//! file starts with a few numbers computed by hand; a snapshot that disagrees with them is a bug
//! in tamga, not a snapshot to accept.
//!
//! Snapshots: `corpus__check@x.tamga.snap` (the model's summary and the checker's warnings) and
//! `corpus__eval@x.tamga.snap` (the JSON result, with the tamga version and file hashes redacted
//! so that a release or a comment edit does not touch every snapshot).

use std::path::{Path, PathBuf};
use tamga::diagnostics::{has_errors, render, Style};

const STYLE: Style = Style { color: false, width: 100 };

/// The path relative to the crate root, as a user would type it (file names appear in output).
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().expect("crate root");
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).expect("current dir");
    assert_eq!(cwd, root, "the cases run from the crate root, as `cargo test` does");
    path.canonicalize().expect("a case file").strip_prefix(&root).expect("a case inside the crate").to_path_buf()
}

/// Replaces the tamga version and every SHA-256 in a JSON result.
fn redact(json: &str) -> String {
    let version = format!("\"tamga\": \"{}\"", tamga::VERSION);
    json.lines()
        .map(|line| {
            if line.trim_start() == format!("{version},") {
                line.replace(tamga::VERSION, "[version]")
            } else if let Some(at) = line.find("\"sha256\": \"") {
                format!("{}\"sha256\": \"[sha256]\"{}", &line[..at], trailing_comma(line))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn trailing_comma(line: &str) -> &'static str {
    if line.trim_end().ends_with(',') {
        ","
    } else {
        ""
    }
}

#[test]
fn ok_cases() {
    insta::glob!("cases/ok/*.tamga", |path| {
        let rel = relative(path);
        let shown = rel.display().to_string();

        // parse and check
        let checked = tamga::check::check(&rel);
        let report = render(&checked.diags, &checked.sources, STYLE);
        assert!(!has_errors(&checked.diags), "{shown} has errors:\n{report}");
        let (meth, warnings) = match checked.methodology() {
            Ok(x) => x,
            Err(_) => panic!("{shown}: no model although there are no errors"),
        };
        let m = &meth.model;
        let summary = format!(
            "{} {}: {} questions, {} indicators, {} areas (index `{}`), {} chapters, {} standards, {} recommendations",
            m.header.id,
            m.header.version,
            m.questions.len(),
            m.indicators.len(),
            m.areas.len() - 1,
            m.index,
            m.chapters.len(),
            m.standards.len(),
            m.recommendations.len(),
        );
        let warnings =
            if warnings.is_empty() { "no warnings\n".to_string() } else { render(&warnings, &meth.sources, STYLE) };
        insta::assert_snapshot!("check", format!("{summary}\n\n{warnings}"));

        // load the submissions beside it
        let folder = rel.with_extension("");
        assert!(folder.is_dir(), "{shown}: no folder of submissions");
        let mut sources = meth.sources.clone();
        let (data, data_diags) = tamga::data::load(m, &[folder], &mut sources);
        assert!(
            data_diags.is_empty(),
            "{shown}: the submissions are not clean:\n{}",
            render(&data_diags, &sources, STYLE)
        );
        assert!(!data.submissions.is_empty(), "{shown}: no submissions");

        // evaluate and report
        let outcome = tamga::eval::evaluate(m, &data);
        let doc = tamga::report::json::build(&meth, &sources, &data, &outcome);
        let json = tamga::report::json::to_string(&doc);
        insta::assert_snapshot!("eval", redact(&json));
    });
}

#[test]
fn redaction_keeps_the_json_valid() {
    let json = "{\n  \"tamga\": \"VERSION\",\n  \"files\": [\n    {\n      \"file\": \"a.tamga\",\n      \"sha256\": \"00ff\"\n    }\n  ]\n}\n"
        .replace("VERSION", tamga::VERSION);
    let redacted = redact(&json);
    let v: serde_json::Value = serde_json::from_str(&redacted).expect("valid JSON");
    assert_eq!(v["tamga"], "[version]");
    assert_eq!(v["files"][0]["sha256"], "[sha256]");
}
