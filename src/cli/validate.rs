//! `tamga validate <methodology> <submissions…>`: check filled questionnaires (JSON, TOML, CSV,
//! Excel) without evaluating; report every problem of every file with its place and a hint.

use super::{exit_for, out, DiagFormat, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::check;
use crate::data::{load_files, Loading};
use crate::diagnostics::{self, Code, Diag};
use crate::i18n::{self, nouns, Lang};
use std::path::PathBuf;

/// Arguments of `tamga validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How to print the diagnostics and the summary.
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    pub format: DiagFormat,
}

/// Errors and warnings among diagnostics.
fn count<'a>(diags: impl Iterator<Item = &'a Diag>) -> (usize, usize) {
    diags.fold((0, 0), |(e, w), d| if d.is_error() { (e + 1, w) } else { (e, w + 1) })
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The diagnostics of file `i` (`None`: of no file).
fn of(loading: &Loading, i: Option<usize>) -> Vec<Diag> {
    loading.diags.iter().filter(|(f, _)| *f == i).map(|(_, d)| d.clone()).collect()
}

/// Diagnostics in the chosen language, for the JSON report (the text goes through `Env::report`).
fn localized(diags: &[Diag], lang: Lang) -> Vec<Diag> {
    diags.iter().map(|d| d.localized(lang)).collect()
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let checked = check(&args.methodology);
    let (meth, _warnings) = match checked.methodology() {
        Ok(x) => x,
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            return exit_for(&diags);
        }
    };
    let mut sources = meth.sources.clone();
    let loading = load_files(&meth.model, &args.submissions, &mut sources);
    let all: Vec<Diag> = loading.diags.iter().map(|(_, d)| d.clone()).collect();
    let code = if all.iter().any(|d| d.is_error() && d.code == Code::Io) {
        EXIT_USAGE
    } else if diagnostics::has_errors(&all) || loading.files.is_empty() {
        EXIT_INPUT
    } else {
        EXIT_OK
    };
    let status = |diags: &[Diag], subs: usize| -> &'static str {
        if diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
            "unreadable"
        } else if diagnostics::has_errors(diags) {
            "errors"
        } else if subs == 0 {
            "empty"
        } else if diags.is_empty() {
            "ok"
        } else {
            "warnings"
        }
    };
    match args.format {
        DiagFormat::Json => {
            let files: Vec<serde_json::Value> = loading
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let diags = of(&loading, Some(i));
                    let (errors, warnings) = count(diags.iter());
                    serde_json::json!({
                        "file": f.file,
                        "status": status(&diags, f.submissions.len()),
                        "submissions": f.submissions.iter().map(|(u, p)| serde_json::json!({"unit": u, "period": p})).collect::<Vec<_>>(),
                        "errors": errors,
                        "warnings": warnings,
                        "diagnostics": diagnostics::to_json(&localized(&diags, env.lang), &sources),
                    })
                })
                .collect();
            let (errors, warnings) = count(all.iter());
            let doc = serde_json::json!({
                "methodology": {"id": meth.model.header.id, "version": meth.model.header.version},
                "files": files,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diagnostics::to_json(&localized(&of(&loading, None), env.lang), &sources),
            });
            out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
        }
        DiagFormat::Text => {
            env.report(&of(&loading, None), &sources);
            let mut lines = String::new();
            let mut ok = 0;
            for (i, f) in loading.files.iter().enumerate() {
                let diags = of(&loading, Some(i));
                env.report(&diags, &sources);
                let (errors, warnings) = count(diags.iter());
                let subs = f.submissions.iter().map(|(u, p)| format!("{u} {p}")).collect::<Vec<_>>().join(", ");
                let line = match (status(&diags, f.submissions.len()), env.lang) {
                    ("unreadable", Lang::Ru) => "не читается".to_string(),
                    ("ok", Lang::Ru) => format!("без ошибок ({subs})"),
                    ("empty", Lang::Ru) => "нет представленных данных".to_string(),
                    ("warnings", Lang::Ru) => {
                        format!("без ошибок, {} ({subs})", i18n::count(Lang::Ru, warnings as f64, &nouns::WARNING))
                    }
                    (_, Lang::Ru) => format!(
                        "{}, {}",
                        i18n::count(Lang::Ru, errors as f64, &nouns::ERROR),
                        i18n::count(Lang::Ru, warnings as f64, &nouns::WARNING)
                    ),
                    ("unreadable", _) => "cannot be read".to_string(),
                    ("ok", _) => format!("ok ({subs})"),
                    ("empty", _) => "no submission".to_string(),
                    ("warnings", _) => format!("ok with {} ({subs})", plural(warnings, "warning")),
                    _ => format!("{}, {}", plural(errors, "error"), plural(warnings, "warning")),
                };
                if errors == 0 && !f.submissions.is_empty() {
                    ok += 1;
                }
                lines.push_str(&format!("{}: {line}\n", f.file));
            }
            let n = loading.files.len();
            match env.lang {
                Lang::Ru => lines.push_str(&format!(
                    "{}: без ошибок — {ok}, с ошибками — {}\n",
                    i18n::count(Lang::Ru, n as f64, &nouns::FILE),
                    n - ok
                )),
                Lang::En => lines.push_str(&format!("{}: {ok} valid, {} with errors\n", plural(n, "file"), n - ok)),
            }
            out(&lines);
        }
    }
    code
}
