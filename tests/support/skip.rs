//! A test that cannot run here (no browser, no LibreOffice, not a git checkout) says so instead of
//! passing silently: [`skip`] writes the reason on stderr, past the test harness's capture, and
//! appends it to the file named by `TAMGA_SKIPPED`, which `.ci/run` sets and prints as
//! `SKIPPED: <test>: <reason>` lines after `cargo test`.
//!
//! Included by the test files that may skip (`#[path = "support/skip.rs"] mod skip;`).

use std::io::Write;

/// Reports that `test` (a test function's name) is skipped, and why (with what to install).
pub fn skip(test: &str, reason: &str) {
    let line = format!("{}::{test}: {reason}\n", env!("CARGO_CRATE_NAME"));
    let _ = write!(std::io::stderr(), "skipped: {line}");
    if let Some(path) = std::env::var_os("TAMGA_SKIPPED").filter(|p| !p.is_empty()) {
        // one write of the whole line, appended: test threads and test binaries may share the file
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = f.write_all(line.as_bytes());
        }
    }
}
