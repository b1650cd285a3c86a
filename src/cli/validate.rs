//! `tamga validate <methodology> <submissions…>`: check filled questionnaires (JSON, TOML, CSV,
//! Excel) without evaluating; report every problem of every file with its place and a hint.

use super::{exit_for, out, DiagFormat, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::check;
use crate::data::{Answer, Loading};
use crate::diagnostics::{self, Code, Diag};
use crate::i18n::{self, nouns, Lang};
use std::path::PathBuf;

/// Arguments of `tamga validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga validate rules/eaeu filled/
  tamga --lang ru validate rules/eaeu anketa-am.xlsx
  tamga validate rules/demo examples/demo --format json")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
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

/// `n` of a noun in Russian (`2 ошибки`).
fn ru(n: usize, noun: &i18n::Noun) -> String {
    i18n::count(Lang::Ru, n as f64, noun)
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
    let loading = crate::data::load_files_with(&meth.model, &args.submissions, &args.read.options(), &mut sources);
    let all: Vec<Diag> = loading.diags.iter().map(|(_, d)| d.clone()).collect();
    let code = if all.iter().any(|d| d.is_error() && d.code == Code::Io) {
        EXIT_USAGE
    } else if diagnostics::has_errors(&all) || loading.files.is_empty() {
        EXIT_INPUT
    } else {
        EXIT_OK
    };
    // per submission: the required questions it leaves unanswered or declares not submitted (a
    // blank is not "ok": it is `not_submitted`, and the methodology's policy decides what it costs)
    let unanswered = |unit: &str, period: &str| -> usize {
        loading
            .dataset
            .submissions
            .iter()
            .find(|s| s.unit == unit && s.period == period)
            .map(|s| {
                let blank =
                    |q: usize| matches!(s.answer(q), None | Some(Answer::Missing(crate::model::Reason::NotSubmitted)));
                meth.model.questions.values().enumerate().filter(|(q, d)| d.required && blank(*q)).count()
            })
            .unwrap_or(0)
    };
    let status = |diags: &[Diag], subs: usize, blank: usize| -> &'static str {
        if diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
            "unreadable"
        } else if diagnostics::has_errors(diags) {
            "errors"
        } else if subs == 0 {
            "empty"
        } else if blank > 0 {
            "incomplete"
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
                    let blank = f.submissions.iter().map(|(u, p)| unanswered(u, p)).sum();
                    serde_json::json!({
                        "file": f.file,
                        "status": status(&diags, f.submissions.len(), blank),
                        "submissions": f.submissions.iter().map(|(u, p)| serde_json::json!({
                            "unit": u,
                            "period": p,
                            "required_unanswered": unanswered(u, p),
                        })).collect::<Vec<_>>(),
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
            let mut incomplete = 0;
            for (i, f) in loading.files.iter().enumerate() {
                let diags = of(&loading, Some(i));
                env.report(&diags, &sources);
                let (errors, warnings) = count(diags.iter());
                let blanks: Vec<usize> = f.submissions.iter().map(|(u, p)| unanswered(u, p)).collect();
                let subs = f
                    .submissions
                    .iter()
                    .zip(&blanks)
                    .map(|((u, p), b)| match (b, env.lang) {
                        (0, _) => format!("{u} {p}"),
                        (b, Lang::Ru) => format!("{u} {p}: нет {}", ru(*b, &nouns::REQUIRED_ANSWER_GENITIVE)),
                        (b, Lang::En) => format!("{u} {p}: {} missing", plural(*b, "required answer")),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let blank: usize = blanks.iter().sum();
                let line = match (status(&diags, f.submissions.len(), blank), env.lang) {
                    ("unreadable", Lang::Ru) => "не читается".to_string(),
                    ("ok", Lang::Ru) => format!("без ошибок ({subs})"),
                    ("empty", Lang::Ru) => "нет представленных данных".to_string(),
                    ("incomplete", Lang::Ru) if warnings == 0 => format!("неполные данные ({subs})"),
                    ("incomplete", Lang::Ru) => {
                        format!("неполные данные, {} ({subs})", ru(warnings, &nouns::WARNING))
                    }
                    ("warnings", Lang::Ru) => format!("без ошибок, {} ({subs})", ru(warnings, &nouns::WARNING)),
                    (_, Lang::Ru) => {
                        format!("{}, {} ({subs})", ru(errors, &nouns::ERROR), ru(warnings, &nouns::WARNING))
                    }
                    (st, Lang::En) => match st {
                        "unreadable" => "cannot be read".to_string(),
                        "ok" => format!("ok ({subs})"),
                        "empty" => "no submission".to_string(),
                        "incomplete" if warnings == 0 => format!("incomplete ({subs})"),
                        "incomplete" => format!("incomplete, {} ({subs})", plural(warnings, "warning")),
                        "warnings" => format!("ok with {} ({subs})", plural(warnings, "warning")),
                        _ => format!("{}, {} ({subs})", plural(errors, "error"), plural(warnings, "warning")),
                    },
                };
                if blank > 0 && errors == 0 {
                    incomplete += 1;
                }
                if errors == 0 && !f.submissions.is_empty() {
                    ok += 1;
                }
                lines.push_str(&format!("{}: {line}\n", f.file));
            }
            let n = loading.files.len();
            match env.lang {
                Lang::Ru => lines.push_str(&format!(
                    "{}: без ошибок — {ok} (из них неполных, без обязательных ответов, — {incomplete}), с ошибками — {}\n",
                    ru(n, &nouns::FILE),
                    n - ok
                )),
                Lang::En => lines.push_str(&format!(
                    "{}: {ok} valid ({incomplete} of them incomplete: required answers missing), {} with errors\n",
                    plural(n, "file"),
                    n - ok
                )),
            }
            out(&lines);
        }
    }
    code
}
