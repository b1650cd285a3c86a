//! `tamga eval <methodology> <submissions…>`: evaluate and print a table or the JSON result.

use super::{exit_for, out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::check;
use crate::diagnostics::{self, Code, Diag};
use crate::report::{json, table};
use std::path::PathBuf;

/// Output format of `eval`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A table of units × areas.
    Table,
    /// The full result (schema in docs/results.md).
    Json,
}

/// Arguments of `tamga eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file instead of stdout (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Refuse a methodology that is not approved (for published results).
    #[arg(long)]
    pub official: bool,
    /// Evaluate this expression over the methodology's names (`"import_release <= 24"`) for every
    /// state and period, instead of printing the whole result.
    #[arg(long, value_name = "EXPR")]
    pub expr: Option<String>,
    /// With `--expr`: show how each value was computed.
    #[arg(long, requires = "expr")]
    pub explain: bool,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if let Some(expr) = &args.expr {
        let json = args.format == Format::Json;
        return super::explain::run_expr(&args.methodology, &args.submissions, expr, json, args.explain, env);
    }
    let checked = check(&args.methodology);
    let (meth, warnings) = match checked.methodology() {
        Ok(x) => x,
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            super::summary(&diags);
            return exit_for(&diags);
        }
    };
    env.report(&warnings, &meth.sources);
    if args.official && !meth.is_approved() {
        let status = meth.manifest.as_ref().map(|m| m.status.as_str()).unwrap_or("without a manifest");
        let d = Diag::error(Code::NotApproved, format!("`{}` {} is {status}: --official needs an approved methodology", meth.model.header.id, meth.model.header.version))
            .help("official results come only from an approved, locked methodology: run `tamga approve` after the Board's decision, or drop --official");
        env.report(&[d], &meth.sources);
        return EXIT_INPUT;
    }
    let mut sources = meth.sources.clone();
    let (data, data_diags) = crate::data::load(&meth.model, &args.submissions, &mut sources);
    env.report(&data_diags, &sources);
    if data_diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
        return EXIT_USAGE;
    }
    if data.submissions.is_empty() {
        let d = Diag::error(Code::DataFormat, "no submission could be read")
            .help("give JSON or TOML submission files, or folders that hold them");
        env.report(&[d], &sources);
        return EXIT_INPUT;
    }
    if let Some(path) = &args.out {
        if let Err(exit) =
            super::refuse_overwriting_inputs(std::slice::from_ref(path), &args.submissions, &data, &sources, env)
        {
            return exit;
        }
    }
    let outcome = crate::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    // evaluation warnings, with the place in the rules
    let eval_diags: Vec<Diag> = outcome
        .events
        .iter()
        .map(|e| {
            let origin = &meth.model.origins[e.origin as usize];
            let (code, message) = json::event_message(&e.kind);
            let who = match &e.unit {
                Some(u) => format!("{u} {}", e.period),
                None => format!("all units, {}", e.period),
            };
            let c = Code::ALL.iter().copied().find(|c| c.as_str() == code).unwrap_or(Code::EvalDomain);
            Diag::warning(c, format!("{who}: {}: {message}", json::slot_label(&meth.model, e.slot)))
                .at(origin.span, "here")
        })
        .collect();
    env.report(&eval_diags, &sources);
    let text = match args.format {
        Format::Json => json::to_string(&doc),
        Format::Table => table::render(&meth.model, &outcome, env.lang),
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = crate::fsutil::write_atomic(path, text.as_bytes()) {
                let d = Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
                    .help("check that the folder exists and is writable");
                env.report(&[d], &sources);
                return EXIT_USAGE;
            }
        }
        None => out(&text),
    }
    if diagnostics::has_errors(&data_diags) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}
