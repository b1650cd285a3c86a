//! `tamga audit <methodology> <submissions…> [--period P] [--format text|json]`: the statistical
//! audit of the results — correlations within every area and with its score, Cronbach's alpha,
//! flags, data availability (see docs/composite.md).
//!
//! Checks, loads and evaluates exactly as `tamga eval` does (same diagnostics, same exit codes);
//! the audit is computed by the library ([`crate::audit::audit`]) and only rendered here.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::audit;
use crate::diagnostics::{self, Code, Diag};
use std::path::PathBuf;

/// Output format of `audit`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Readable text, for the terminal and a Board paper.
    Text,
    /// The audit as JSON (schema `tamga.audit/1`, docs/composite.md).
    Json,
    /// The correlation matrix of every scored indicator as CSV (implies `--matrix`): one row per
    /// period and indicator, Pearson's r (pairwise-complete observations).
    Csv,
}

/// Arguments of `tamga audit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga audit rules/eaeu examples/eaeu --period 2023
  tamga audit rules/eaeu examples/eaeu --format json --out audit.json
  tamga --lang ru audit rules/eaeu examples/eaeu --period 2023
  tamga audit examples/asem examples/asem --set goods,services,fdi,premit,forport
  tamga audit examples/asem examples/asem --format csv --out correlations.csv")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// Audit this period only (default: every period).
    #[arg(long)]
    pub period: Option<String>,
    /// Audit these indicators or areas together (ids, comma-separated): Cronbach's alpha, alpha
    /// if each is deleted, corrected item-total correlations, eigenvalues and explained variance.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub set: Vec<String>,
    /// Add the correlation matrix of every scored indicator.
    #[arg(long)]
    pub matrix: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to this file instead of stdout (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if args.format == Format::Json {
        env.json_output();
    }
    let super::Prepared { meth, sources, data, data_diags, inputs } =
        match super::prepare(&args.methodology, &args.submissions, &args.read.options(), None, env) {
            Ok(p) => p,
            Err(exit) => return exit,
        };
    let outcome = crate::eval::evaluate(&meth.model, &data);
    let keep = |p: &str| args.period.as_ref().is_none_or(|want| want == p);
    super::report_events(env, &meth.model, &outcome.events, keep, &sources);
    let unknown = audit::unknown_members(&meth.model, &args.set);
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
        let d = Diag::error(Code::Usage, format!("`--set` names no scored indicator or area {}", names.join(", ")))
            .help("name indicators that have a `score` or areas by their ids, separated by commas");
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    let options = audit::Options { set: args.set.clone(), matrix: args.matrix || args.format == Format::Csv };
    let mut result = audit::audit_with(&meth.model, &outcome, &options);
    if let Some(want) = &args.period {
        if !result.periods.iter().any(|p| p.period == *want) {
            let periods: Vec<String> = result.periods.iter().map(|p| format!("`{}`", p.period)).collect();
            let d = Diag::error(Code::Usage, format!("no submissions for the period `{want}`"))
                .help(format!("the periods are {}", periods.join(", ")));
            env.report(&[d], &sources);
            return EXIT_USAGE;
        }
        result.periods.retain(|p| p.period == *want);
    }
    let text = match args.format {
        Format::Json => env.with_diagnostics(&audit::to_json(&result)),
        Format::Csv => audit::matrix_csv(&result),
        Format::Text => format!(
            "{}{}",
            super::status_header(&meth, &data, env.lang),
            audit::text::render(&audit::view::build(&meth.model, &result, env.lang))
        ),
    };
    match &args.out {
        Some(path) => {
            if let Err(exit) = super::refuse_overwriting_inputs(std::slice::from_ref(path), &inputs, &sources, env) {
                return exit;
            }
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
