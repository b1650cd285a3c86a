//! `tamga eval <methodology> <submissions…>`: evaluate and print a table or the JSON result.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
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
#[command(after_help = "\
Examples:
  tamga eval rules/demo examples/demo
  tamga eval rules/eaeu examples/eaeu --format json --out result.json
  tamga eval rules/demo answers-am.xlsx answers-by.csv
  tamga eval --official rules/eaeu examples/eaeu
  tamga eval rules/demo examples/demo --expr \"import_release <= 24\" --explain")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file instead of stdout (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Refuse a methodology that is not approved (for published results).
    #[arg(long)]
    pub official: bool,
    /// With `--official`: evaluate periods that start before the methodology's `effective_from`
    /// (or cannot be placed in time) on purpose; each is a warning carried in the output.
    #[arg(long, requires = "official")]
    pub allow_earlier_periods: bool,
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
    if args.format == Format::Json {
        env.json_output();
    }
    if let Some(expr) = &args.expr {
        let json = args.format == Format::Json;
        return super::explain::run_expr(
            &args.methodology,
            &args.submissions,
            &args.read.options(),
            expr,
            json,
            args.explain,
            env,
        );
    }
    let super::Prepared { meth, sources, data, data_diags, inputs } = match super::prepare(
        &args.methodology,
        &args.submissions,
        &args.read.options(),
        args.official.then_some("results"),
        env,
    ) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let earlier = if args.official {
        match super::official_periods(&args.methodology, &meth, &data, args.allow_earlier_periods, env) {
            Ok(d) => d,
            Err(exit) => return exit,
        }
    } else {
        vec![]
    };
    if let Some(path) = &args.out {
        if let Err(exit) = super::refuse_overwriting_inputs(std::slice::from_ref(path), &inputs, &sources, env) {
            return exit;
        }
    }
    let outcome = crate::eval::evaluate(&meth.model, &data);
    // evaluation warnings, with the place in the rules
    super::report_events(env, &meth.model, &outcome.events, |_| true, &sources);
    let text = match args.format {
        Format::Json => {
            let mut doc = json::build(&meth, &sources, &data, &outcome);
            doc.warnings.splice(0..0, super::official_warnings(&earlier, &meth));
            env.with_diagnostics(&json::to_string(&doc))
        }
        Format::Table => {
            let status = crate::report::status::build(&meth, &data);
            // a table written to a file (--out) is whole, as when stdout is not a terminal
            let width = match args.out {
                Some(_) => super::terminal::TABLE_WIDTH,
                None => super::terminal::width(false, super::terminal::TABLE_WIDTH),
            };
            let mut t = table::render_fit(&meth.model, &outcome, &status, env.lang, width);
            for d in &earlier {
                t.push_str(&format!("note: {}\n", d.message));
            }
            t
        }
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
