//! `tamga explain <methodology> <submissions…> --state AM --period 2023 <id>`: the derivation of
//! one number, down to the answers. Also home of `tamga eval --expr`, which evaluates an
//! expression typed on the command line (and can explain it).

use super::{exit_for, out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::{check, Methodology};
use crate::data::Dataset;
use crate::diagnostics::{Code, Diag};
use crate::eval::{Outcome, PeriodOutcome};
use crate::explain::{self, Explanation, Target};
use crate::i18n::Lang;
use crate::model::{Model, Val};
use crate::source::SourceMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A readable tree (in the language of `--lang`).
    Text,
    /// The tree as JSON (schema `tamga.explain/1`).
    Json,
}

/// Arguments of `tamga explain`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The id is an indicator (its value and score), `score(indicator)`, an area, the index, a standard's
or a chapter's code, a recommendation or a question.

Examples:
  tamga explain rules/demo examples/demo --state KG --period 2023 facilitation
  tamga explain rules/demo examples/demo --state BY --period 2023 TF-1 --lang ru")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them, then the id to explain.
    #[arg(required = true, num_args = 1.., value_name = "SUBMISSIONS… ID")]
    pub inputs: Vec<OsString>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// The state (unit) whose value to explain; may be left out when there is one.
    #[arg(long, visible_alias = "unit", value_name = "CODE")]
    pub state: Option<String>,
    /// The period; may be left out when there is one.
    #[arg(long)]
    pub period: Option<String>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Expand at most this many levels below the id (default: down to the answers).
    #[arg(long)]
    pub depth: Option<usize>,
}

/// Checks the methodology (reporting problems); `Err` is the exit code.
pub(super) fn load_methodology(path: &std::path::Path, env: &Env) -> Result<Methodology, i32> {
    let checked = check(path);
    match checked.methodology() {
        Ok((meth, warnings)) => {
            env.report(&warnings, &meth.sources);
            Ok(meth)
        }
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            Err(exit_for(&diags))
        }
    }
}

/// Loads submissions for `model` (reporting problems); `Err` is the exit code.
pub(super) fn load_data(
    model: &Model,
    paths: &[PathBuf],
    read: &crate::data::ReadOptions,
    sources: &mut SourceMap,
    env: &Env,
) -> Result<Dataset, i32> {
    let loading = crate::data::load_files_with(model, paths, read, sources);
    let units: Vec<Option<String>> = loading.diags.iter().map(|(f, d)| super::unit_of(&loading.files, *f, d)).collect();
    let (data, diags): (Dataset, Vec<Diag>) = (loading.dataset, loading.diags.into_iter().map(|(_, d)| d).collect());
    env.report_for(&diags, &units, sources);
    if diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
        return Err(EXIT_USAGE);
    }
    if data.submissions.is_empty() {
        let d = crate::data::no_submission();
        env.report(&[d], sources);
        return Err(EXIT_INPUT);
    }
    Ok(data)
}

/// The period and unit asked for, or a usage error listing what exists.
pub(super) fn pick<'o>(
    outcome: &'o Outcome,
    period: Option<&str>,
    unit: Option<&str>,
    env: &Env,
    sources: &SourceMap,
) -> Result<(&'o PeriodOutcome, usize), i32> {
    let periods: Vec<&str> = outcome.periods.iter().map(|p| p.period.as_str()).collect();
    let p = match period {
        Some(want) => outcome.periods.iter().find(|p| p.period == want).ok_or_else(|| {
            (format!("no submissions for the period `{want}`"), format!("the periods are {}", list(&periods)))
        }),
        None if outcome.periods.len() == 1 => Ok(&outcome.periods[0]),
        None => Err(("which period?".to_string(), format!("give `--period`: the periods are {}", list(&periods)))),
    };
    let p = match p {
        Ok(p) => p,
        Err((msg, help)) => {
            env.report(&[Diag::error(Code::Usage, msg).help(help)], sources);
            return Err(EXIT_USAGE);
        }
    };
    let units: Vec<&str> = p.units.iter().map(String::as_str).collect();
    let u = match unit {
        Some(want) => {
            p.unit_index(want).or_else(|| p.units.iter().position(|u| u.eq_ignore_ascii_case(want))).ok_or_else(|| {
                (
                    format!("no submission of `{want}` for the period `{}`", p.period),
                    format!("the units of {} are {}", p.period, list(&units)),
                )
            })
        }
        None if p.units.len() == 1 => Ok(0),
        None => {
            Err(("which state?".to_string(), format!("give `--state`: the units of {} are {}", p.period, list(&units))))
        }
    };
    match u {
        Ok(u) => Ok((p, u)),
        Err((msg, help)) => {
            env.report(&[Diag::error(Code::Usage, msg).help(help)], sources);
            Err(EXIT_USAGE)
        }
    }
}

fn list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Renders an explanation in the chosen format.
pub(super) fn render(e: &Explanation, model: &Model, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(e).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => explain::text::render(e, lang.pick(&model.header.title, &model.header.id), lang),
    }
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if args.format == Format::Json {
        env.json_output();
    }
    let (id, paths) = match args.inputs.split_last() {
        Some((id, paths)) if !paths.is_empty() => (id.to_string_lossy().into_owned(), paths),
        _ => {
            let d = Diag::error(Code::Usage, "give the submissions and then the id to explain")
                .help("write `tamga explain rules/demo examples/demo --state AM --period 2023 facilitation`");
            env.report(&[d], &SourceMap::new());
            return EXIT_USAGE;
        }
    };
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let meth = match load_methodology(&args.methodology, env) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let target = match Target::resolve(&meth.model, &id) {
        Ok(t) => t,
        Err(suggestion) => {
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "give the id of an indicator, an area, the index, a standard, a chapter, a recommendation or a question".into(),
            };
            let d = Diag::error(Code::Usage, format!("`{id}` is not an id of `{}`", meth.model.header.id)).help(help);
            env.report(&[d], &meth.sources);
            return EXIT_USAGE;
        }
    };
    let mut sources = meth.sources.clone();
    let data = match load_data(&meth.model, &paths, &args.read.options(), &mut sources, env) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let outcome = crate::eval::evaluate(&meth.model, &data);
    let (period, unit) = match pick(&outcome, args.period.as_deref(), args.state.as_deref(), env, &sources) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opts = explain::Options { lang: env.lang, max_depth: args.depth };
    let e = explain::explain(&meth.model, &sources, Some(&data), period, unit, &target, opts);
    let text = render(&e, &meth.model, args.format, env.lang);
    match args.format {
        Format::Text => out(&format!("{}{text}", super::status_header(&meth, &data, env.lang))),
        Format::Json => out(&env.with_diagnostics(&text)),
    }
    if e.mismatches > 0 {
        // the explanation disagrees with the evaluation: a bug, never a silent one
        return EXIT_INPUT;
    }
    EXIT_OK
}

/// `tamga eval --expr EXPR`: evaluates the expression for every unit and period, and with
/// `explain` shows each derivation.
pub(super) fn run_expr(
    methodology: &std::path::Path,
    submissions: &[PathBuf],
    read: &crate::data::ReadOptions,
    text: &str,
    json: bool,
    with_explanation: bool,
    env: &Env,
) -> i32 {
    let meth = match load_methodology(methodology, env) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let adhoc = match crate::check::check_expr(&meth, text) {
        Ok(a) => a,
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            return EXIT_INPUT;
        }
    };
    env.report(&adhoc.warnings, &adhoc.sources);
    let mut sources = adhoc.sources.clone();
    let data = match load_data(&adhoc.model, submissions, read, &mut sources, env) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let outcome = crate::eval::evaluate(&adhoc.model, &data);
    let model = &adhoc.model;
    let shown = |v: Val| -> explain::Value {
        match v {
            Ok(x) if adhoc.boolean => explain::Value {
                value: Some(x),
                display: None,
                text: Some(if x != 0.0 { "yes" } else { "no" }.into()),
                label: None,
                missing: None,
            },
            Ok(x) => explain::Value {
                value: Some(x),
                display: Some(crate::number::shortest(x)),
                text: None,
                label: None,
                missing: None,
            },
            Err(m) => explain::Value { value: None, display: None, text: None, label: None, missing: Some(m.reason) },
        }
    };
    let target = Target::Indicator(adhoc.id.clone());
    let opts = explain::Options { lang: env.lang, max_depth: None };
    let mut rows = vec![];
    let mut text_out = format!("{text}\n");
    for p in &outcome.periods {
        text_out.push_str(&format!("{} {}\n", if env.lang == Lang::Ru { "период" } else { "period" }, p.period));
        let width = p.units.iter().map(|u| u.chars().count()).max().unwrap_or(0);
        for (u, code) in p.units.iter().enumerate() {
            let v = shown(p.get(adhoc.slot, u));
            let mut e = with_explanation.then(|| explain::explain(model, &sources, Some(&data), p, u, &target, opts));
            if let Some(e) = &mut e {
                e.root.id = text.to_string();
                e.root.kind = explain::Kind::Intermediate;
            }
            let shown_text = match (&v.text, &v.display, v.missing) {
                (_, _, Some(r)) => format!("missing ({})", r.as_str()),
                (Some(t), _, _) => t.clone(),
                (_, Some(d), _) => d.clone(),
                _ => String::new(),
            };
            text_out.push_str(&format!("  {code:<width$}  {shown_text}\n"));
            if let Some(e) = &e {
                text_out.push_str(&explain::text::render_node(&e.root, "      ", env.lang, code));
            }
            let mut row = serde_json::json!({ "period": p.period, "unit": code, "value": v });
            if let Some(e) = e {
                row["explanation"] = serde_json::to_value(e.root).unwrap_or_default();
            }
            rows.push(row);
        }
    }
    if json {
        let doc = serde_json::json!({ "expression": text, "results": rows });
        out(&env.with_diagnostics(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())));
    } else {
        out(&text_out);
    }
    EXIT_OK
}
