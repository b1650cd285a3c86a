//! The runner's report: PASS or FAIL per case, the expected and actual values and the derivation
//! of the actual one, and the closing line `N passed, N failed`; or the same as JSON.

use super::{Coverage, Run};
use crate::check::Methodology;
use crate::diagnostics::{render, Style};
use crate::i18n::Lang;
use crate::source::SourceMap;
use std::fmt::Write;

/// The report as text. With `coverage`, what no test touches is listed before the closing line.
pub fn render_text(run: &Run, sources: &SourceMap, lang: Lang, coverage: bool, style: Style) -> String {
    let mut out = String::new();
    for c in &run.cases {
        if c.passed {
            let _ = writeln!(out, "PASS {}", c.name);
            continue;
        }
        let _ = writeln!(out, "FAIL {}", c.name);
        let (line, _) = sources.line_col(c.span);
        let _ = writeln!(out, "  at {}:{line}", c.file);
        if c.broken {
            let _ = writeln!(out, "  the case has errors in its test file (reported above)");
        }
        for (code, span) in &c.missing_errors {
            let (line, _) = sources.line_col(*span);
            let _ = writeln!(out, "  expected the diagnostic `{code}` (line {line}), but the answers gave none");
        }
        if !c.problems.is_empty() {
            let _ = writeln!(out, "  the answers have errors the case does not expect:");
            for l in render(&c.problems, sources, style).lines() {
                let _ = writeln!(out, "    {l}");
            }
        }
        for f in &c.failures {
            let (line, _) = sources.line_col(f.span);
            let _ =
                writeln!(out, "  {} {}: expected {}, got {} (line {line})", f.unit, f.subject, f.expected, f.actual);
            if let Some(e) = &f.explanation {
                out.push_str(&crate::explain::text::render_node(&e.root, "      ", lang, &e.unit));
            }
        }
    }
    if coverage {
        out.push('\n');
        out.push_str(&coverage_text(&run.coverage));
    }
    let _ = writeln!(out, "{} passed, {} failed", run.passed(), run.failed());
    out
}

fn coverage_text(c: &Coverage) -> String {
    let mut out = String::new();
    let of = |missing: usize, total: usize| format!("{} of {total}", total - missing);
    let _ = writeln!(
        out,
        "coverage: {} indicators, {} areas, {} bands, {} standards, {} recommendations",
        of(c.untested_indicators.len(), c.indicators),
        of(c.untested_areas.len(), c.areas),
        of(c.bands_not_hit.len(), c.bands),
        of(c.unasserted_standards.len(), c.standards),
        of(c.unasserted_recommendations.len(), c.recommendations)
    );
    let list = |items: &[String]| items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    if !c.untested_indicators.is_empty() {
        let _ = writeln!(out, "  indicators no test touches: {}", list(&c.untested_indicators));
    }
    if !c.untested_areas.is_empty() {
        let _ = writeln!(out, "  areas no test touches: {}", list(&c.untested_areas));
    }
    if !c.bands_not_hit.is_empty() {
        let bands: Vec<String> = c.bands_not_hit.iter().map(|(i, b)| format!("`{i}` {b}")).collect();
        let _ = writeln!(out, "  bands no case's value falls in: {}", bands.join(", "));
    }
    if !c.unasserted_standards.is_empty() {
        let _ = writeln!(out, "  standards no test asserts: {}", list(&c.unasserted_standards));
    }
    if !c.unasserted_recommendations.is_empty() {
        let _ = writeln!(out, "  recommendations no test asserts: {}", list(&c.unasserted_recommendations));
    }
    out
}

/// The report as JSON (schema `tamga.test/1`).
pub fn render_json(run: &Run, meth: &Methodology, sources: &SourceMap, coverage: bool) -> String {
    let cases: Vec<serde_json::Value> = run
        .cases
        .iter()
        .map(|c| {
            let (line, _) = sources.line_col(c.span);
            serde_json::json!({
                "name": c.name,
                "file": c.file,
                "line": line,
                "status": if c.passed { "pass" } else { "fail" },
                "broken": c.broken,
                "failures": c.failures.iter().map(|f| {
                    let (line, _) = sources.line_col(f.span);
                    serde_json::json!({
                        "unit": f.unit,
                        "subject": f.subject,
                        "expected": f.expected,
                        "actual": f.actual,
                        "line": line,
                        "explanation": f.explanation.as_ref().map(|e| &e.root),
                    })
                }).collect::<Vec<_>>(),
                "missing_errors": c.missing_errors.iter().map(|(code, _)| code).collect::<Vec<_>>(),
                "problems": crate::diagnostics::to_json(&c.problems, sources),
            })
        })
        .collect();
    let mut doc = serde_json::json!({
        "schema": "tamga.test/1",
        "methodology": { "id": meth.model.header.id, "version": meth.model.header.version },
        "cases": cases,
        "passed": run.passed(),
        "failed": run.failed(),
    });
    if coverage {
        doc["coverage"] = serde_json::to_value(&run.coverage).unwrap_or_default();
    }
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
