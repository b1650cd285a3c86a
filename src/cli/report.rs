//! `tamga report <methodology> <submissions…> --out <dir>`: evaluate once and write the full
//! report: `report.html`, `report.md`, `matrix.csv`, `standards.csv`, `result.json` (and
//! `report.docx` with `--format docx`; with
//! `--audit`, the statistical audit too: a section of the HTML and Markdown, and `audit.json`;
//! with `--sensitivity N`, the uncertainty and sensitivity analysis: a section with the
//! rank-interval chart, and `sensitivity.json`).
//!
//! Checks, loads and evaluates exactly as `tamga eval` does (same diagnostics, same exit codes);
//! then renders the one result in every format asked for. Every file is written atomically.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Code, Diag};
use crate::report::{self, json};
use std::path::PathBuf;

/// A format of the report.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// `report.html`: one self-contained page with charts, printable on A4.
    Html,
    /// `report.md`: Markdown tables, for a Board paper.
    Md,
    /// `matrix.csv` and `standards.csv`: UTF-8 with BOM, for Excel.
    Csv,
    /// `result.json`: the full result (schema in docs/results.md).
    Json,
    /// `report.docx`: the Board paper as a Word document (A4, numbered tables).
    Docx,
}

impl From<FormatArg> for report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Html => report::Format::Html,
            FormatArg::Md => report::Format::Markdown,
            FormatArg::Csv => report::Format::Csv,
            FormatArg::Json => report::Format::Json,
            FormatArg::Docx => report::Format::Docx,
        }
    }
}

/// Arguments of `tamga report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga report rules/eaeu examples/eaeu --out report
  tamga --lang ru report rules/eaeu examples/eaeu --out doklad --format html,docx
  tamga report rules/eaeu examples/eaeu --out report --audit
  tamga report examples/asem/sensitivity.tamga examples/asem/asem.csv --out asem --sensitivity 1000")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// The folder to write the report into (created if needed).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [FormatArg::Html, FormatArg::Md, FormatArg::Csv, FormatArg::Json])]
    pub format: Vec<FormatArg>,
    /// Refuse a methodology that is not approved (for published reports).
    #[arg(long)]
    pub official: bool,
    /// With `--official`: evaluate periods that start before the methodology's `effective_from`
    /// (or cannot be placed in time) on purpose; each is a warning carried in the output.
    #[arg(long, requires = "official")]
    pub allow_earlier_periods: bool,
    /// Add the statistical audit (as `tamga audit`): a section of the HTML and Markdown reports,
    /// and `audit.json`.
    #[arg(long)]
    pub audit: bool,
    /// Add the uncertainty and sensitivity analysis of the latest period (as `tamga sensitivity`)
    /// with N base samples: a section of the HTML report with the rank-interval chart, of the
    /// Markdown report, and `sensitivity.json`. The methodology must declare `uncertainty { … }`.
    #[arg(long, value_name = "N")]
    pub sensitivity: Option<usize>,
    /// The seed of the sensitivity analysis.
    #[arg(long, default_value_t = 1, requires = "sensitivity")]
    pub seed: u64,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let super::Prepared { meth, sources, data, data_diags, inputs } =
        match super::prepare(&args.methodology, &args.submissions, args.official.then_some("reports"), env) {
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
    let outcome = crate::eval::evaluate(&meth.model, &data);
    let mut doc = json::build(&meth, &sources, &data, &outcome);
    doc.warnings.splice(0..0, super::official_warnings(&earlier, &meth));
    let eval_diags = super::event_diags(&meth.model, &outcome.events, |_| true);
    env.report(&eval_diags, &sources);
    let formats: Vec<report::Format> = args.format.iter().map(|f| (*f).into()).collect();
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        let d = Diag::error(Code::Io, format!("cannot create the folder `{}`: {e}", args.out.display()))
            .help("give a folder you can write to");
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    let mut written = vec![];
    let audit = args.audit.then(|| crate::audit::audit(&meth.model, &outcome));
    let sensitivity = match args.sensitivity {
        None => None,
        Some(n) => {
            let opts = crate::sensitivity::Options {
                samples: n,
                seed: args.seed,
                threads: super::sensitivity::default_threads(),
                ..crate::sensitivity::Options::default()
            };
            match crate::sensitivity::analyse(&meth.model, &data, &opts) {
                Ok(a) => Some(a),
                Err(e) => {
                    let (exit, d) = super::sensitivity::error_diag(&e);
                    env.report(&[d], &sources);
                    return exit;
                }
            }
        }
    };
    let files = report::render_with(&meth.model, &doc, audit.as_ref(), sensitivity.as_ref(), env.lang, &formats);
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| args.out.join(name)).collect();
    // all or nothing: no file is written when one of them would replace an input
    if let Err(exit) = super::refuse_overwriting_inputs(&paths, &inputs, &sources, env) {
        return exit;
    }
    for ((_, bytes), path) in files.iter().zip(paths) {
        if let Err(e) = crate::fsutil::write_atomic(&path, bytes) {
            let d = Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
                .help("check that the folder is writable");
            env.report(&[d], &sources);
            return EXIT_USAGE;
        }
        written.push(path.display().to_string());
    }
    out(&written.iter().map(|p| format!("{p}\n")).collect::<String>());
    if diagnostics::has_errors(&data_diags) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}
