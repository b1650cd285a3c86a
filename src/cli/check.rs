//! `tamga check <methodology>`: parse and check; report every problem.

use super::{exit_for, out, DiagFormat, Env};
use crate::check::check;
use crate::diagnostics;
use std::path::PathBuf;

/// Arguments of `tamga check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga check rules/demo
  tamga check rules/eaeu --untested --explain-defaults
  tamga check rules/demo/methodology.tamga --format json")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    pub format: DiagFormat,
    /// Also warn about each indicator that no test case (in `tests/` beside the rules) checks.
    #[arg(long, visible_alias = "warn-untested")]
    pub untested: bool,
    /// Also print which defaults the methodology relies on: every property left unwritten whose
    /// default changes a number, grouped, with where (in the `--lang` language).
    #[arg(long)]
    pub explain_defaults: bool,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let mut checked = check(&args.methodology);
    if args.untested && checked.model.is_some() {
        checked.diags.extend(super::test::untested(&args.methodology));
    }
    let code = exit_for(&checked.diags);
    // an approved methodology: the decision and the test count its lock records
    let lock = checked
        .manifest
        .as_ref()
        .filter(|m| m.status == crate::version::Status::Approved)
        .and_then(|_| crate::version::lock_of(&args.methodology));
    match args.format {
        DiagFormat::Json => {
            use crate::diagnostics::{ApprovalDoc, CheckDoc, CheckedRef, DefaultDoc, TestCount};
            let errors = checked.diags.iter().filter(|d| d.is_error()).count();
            let defaults = args.explain_defaults.then(|| {
                checked
                    .defaults
                    .iter()
                    .map(|d| {
                        let (line, _) = checked.sources.line_col(d.span);
                        DefaultDoc {
                            property: d.property.to_string(),
                            value: d.value.clone(),
                            what: d.what.to_string(),
                            id: d.id.clone(),
                            file: checked.sources.get(d.span.file).name.clone(),
                            line,
                        }
                    })
                    .collect()
            });
            let doc = CheckDoc {
                methodology: checked.model.as_ref().map(|m| CheckedRef {
                    id: m.header.id.clone(),
                    version: m.header.version.clone(),
                    fingerprint: checked.fingerprint.clone(),
                }),
                errors,
                warnings: checked.diags.len() - errors,
                diagnostics: diagnostics::to_json(&checked.diags, &checked.sources),
                defaults,
                approval: lock.as_ref().map(|l| ApprovalDoc {
                    decision: l.decision.clone(),
                    date: l.date.clone(),
                    tests: TestCount { passed: l.tests_passed, total: l.tests_total },
                }),
            };
            out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
        }
        DiagFormat::Text => {
            env.report(&checked.diags, &checked.sources);
            let errors = checked.diags.iter().filter(|d| d.is_error()).count();
            let warnings = checked.diags.len() - errors;
            match &checked.model {
                Some(m) => {
                    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
                    // consistency rules are named only when there are some
                    let rules = if m.rules.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", n(m.rules.len(), "consistency rule", "consistency rules"))
                    };
                    out(&format!(
                        "{} {}: {}, {}, {}, {}, {}{rules}; {}\nfingerprint {}\n",
                        m.header.id,
                        m.header.version,
                        n(m.questions.len(), "question", "questions"),
                        n(m.indicators.len(), "indicator", "indicators"),
                        n(m.areas.len() - 1, "area", "areas"),
                        n(m.standards.len(), "standard", "standards"),
                        n(m.recommendations.len(), "recommendation", "recommendations"),
                        n(warnings, "warning", "warnings"),
                        checked.fingerprint.as_deref().unwrap_or("-"),
                    ));
                    if let Some(l) = &lock {
                        out(&format!(
                            "approved by {} ({}); {}\n",
                            l.decision,
                            l.date,
                            super::approve::tests_line(l.tests_passed, l.tests_total)
                        ));
                    }
                    if args.explain_defaults {
                        out(&format!(
                            "\n{}",
                            crate::check::defaults_text(&checked.defaults, &checked.sources, env.lang)
                        ));
                    }
                }
                None => eprintln!(
                    "{errors} error{}, {warnings} warning{}",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                ),
            }
        }
    }
    code
}
