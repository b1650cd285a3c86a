//! `tamga lsp` on a keystroke: a `textDocument/didChange` of one file of the bundled EAEU
//! methodology (`rules/eaeu`) → the whole methodology checked again with the unsaved text → the
//! diagnostics of its files, published. The target is 50 ms (issue 18).
//!
//! ```sh
//! cargo bench --bench lsp
//! ```
//!
//! Times are the benchmark thread's CPU time (`common::CpuTime`), not wall time.
//!
//! - `lsp/did_change_eaeu`: the session has `rules/eaeu/facilitation.tamga` open; each iteration
//!   sends a change of its whole text (a comment line added or removed, alternately) and takes
//!   the messages it answers (10 `publishDiagnostics`, one per rule file);
//! - `lsp/did_change_eaeu_typo`: the same change with a misspelt name in a formula, so that the
//!   check fails and an error with "did you mean" is published (the model of the last good check
//!   is kept for hovers).

mod common;

use common::{human, median_ns};
use serde_json::json;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};
use tamga::lsp::Session;

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn change(file: &Path, version: i64, text: &str) -> String {
    json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri(file), "version": version},
        "contentChanges": [{"text": text}],
    }})
    .to_string()
}

fn main() {
    let since = SystemTime::now();
    let mut c = common::criterion();
    let root = std::fs::canonicalize("rules/eaeu").expect("rules/eaeu");
    let file = root.join("facilitation.tamga");
    let text = std::fs::read_to_string(&file).expect("facilitation.tamga");
    let mut s = Session::new();
    s.message(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}).to_string());
    let opened = s.message(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri(&file), "languageId": "tamga", "version": 1, "text": text,
        }}})
        .to_string(),
    );
    assert!(opened.len() >= 10, "diagnostics of every file of rules/eaeu: {}", opened.len());
    assert!(opened.iter().all(|m| !m.contains("\"severity\":1")), "rules/eaeu checks without errors");

    let edited = format!("{text}\n# a comment typed\n");
    let typo_at = text.find("= q").map(|k| k + 2).expect("a formula over a question");
    let typo = format!("{}qq{}", &text[..typo_at], &text[typo_at + 1..]);
    let mut g = c.benchmark_group("lsp");
    g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    let mut version = 1;
    g.bench_function("did_change_eaeu", |b| {
        b.iter(|| {
            version += 1;
            let t = if version % 2 == 0 { &edited } else { &text };
            let out = s.message(&change(&file, version, black_box(t)));
            assert!(out.len() >= 10);
            black_box(out)
        })
    });
    let probe = s.message(&change(&file, 10_000, &typo));
    assert!(probe.iter().any(|m| m.contains("did you mean")), "the typo is reported: {probe:?}");
    g.bench_function("did_change_eaeu_typo", |b| {
        b.iter(|| {
            version += 1;
            let t = if version % 2 == 0 { &typo } else { &text };
            black_box(s.message(&change(&file, version, black_box(t))))
        })
    });
    g.finish();
    c.final_summary();
    println!("\n| benchmark | median (CPU) | target |\n| --- | ---: | --- |");
    for id in ["did_change_eaeu", "did_change_eaeu_typo"] {
        if let Some(ns) = median_ns("lsp", id, since) {
            let verdict = if ns < 50e6 { "< 50 ms: met" } else { "< 50 ms: NOT met" };
            println!("| `lsp/{id}` | {} | {verdict} |", human(ns));
        }
    }
}
