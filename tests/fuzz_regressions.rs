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
