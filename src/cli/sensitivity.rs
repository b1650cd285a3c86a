//! `tamga sensitivity <methodology> <submissions…>`: how robust the ranking is to the
//! methodology's uncertain choices (its `uncertainty { vary … }` block): rank intervals per unit
//! and, with the Saltelli design, sensitivity indices per choice, as COINr's `get_sensitivity`.
//!
//! Checks and loads exactly as `tamga eval` does (same diagnostics, same exit codes); then runs
//! [`crate::sensitivity::analyse`] and prints its text or JSON.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Code, Diag};
use crate::sensitivity::{self, Error, Mode, Options, Target};
use std::path::PathBuf;

/// Output format of `sensitivity`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Tables for reading.
    Text,
    /// The whole analysis (schema in docs/composite.md).
    Json,
}

/// Arguments of `tamga sensitivity`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga sensitivity examples/asem/sensitivity.tamga examples/asem/asem.csv --samples 1000 --seed 1
  tamga sensitivity examples/asem/sensitivity.tamga examples/asem/asem.csv --uncertainty-only
  tamga sensitivity examples/asem/sensitivity.tamga examples/asem/asem.csv --format json --out s.json")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file; it must declare an
    /// `uncertainty { vary … }` block.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// N, the base sample count: N evaluations for --uncertainty-only, N·(k + 2) for k factors
    /// otherwise (Saltelli's design).
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// The seed of every random number: the same seed gives the same result on any number of
    /// threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The period to analyse (default: the latest).
    #[arg(long)]
    pub period: Option<String>,
    /// Only the rank intervals (N random samples), no sensitivity indices.
    #[arg(long)]
    pub uncertainty_only: bool,
    /// What the sensitivity indices apportion: `rank-shift` (the mean absolute rank change against
    /// the nominal ranking, COINr's), `score:UNIT` (a unit's index) or `rank:UNIT`.
    #[arg(long, default_value = "rank-shift", value_parser = parse_target)]
    pub target: Target,
    /// Bootstrap resamples for the 5–95 % intervals of the indices (0: none).
    #[arg(long, default_value_t = 100)]
    pub bootstrap: usize,
    /// Threads evaluating samples (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to this file instead of stdout (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse()
}

/// The number of threads to use when none is given: the machine's.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// The exit code and diagnostic of an analysis that cannot be made.
pub fn error_diag(e: &Error) -> (i32, Diag) {
    let code = match e {
        Error::NoUncertainty | Error::NoIndex => Code::MissingProperty,
        _ => Code::Invalid,
    };
    let exit = match e {
        Error::UnknownPeriod { .. }
        | Error::UnknownUnit(_)
        | Error::TooFewSamples
        | Error::TooManySamples(_)
        | Error::TooManyResamples(_)
        | Error::TooLarge { .. } => EXIT_USAGE,
        _ => EXIT_INPUT,
    };
    let (ru, ru_help) = e.russian();
    (exit, Diag::error(code, e.message()).help(e.help()).ru(ru, None, Some(ru_help.to_string())))
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
    let opts = Options {
        samples: args.samples,
        seed: args.seed,
        period: args.period.clone(),
        mode: if args.uncertainty_only { Mode::Uncertainty } else { Mode::Sensitivity },
        target: args.target.clone(),
        bootstrap: args.bootstrap,
        threads: args.threads.unwrap_or_else(default_threads).max(1),
        full: false,
    };
    if let Some(path) = &args.out {
        if let Err(exit) = super::refuse_overwriting_inputs(std::slice::from_ref(path), &inputs, &sources, env) {
            return exit;
        }
    }
    let progress = env.progress(if env.lang == crate::i18n::Lang::Ru { "выборки:" } else { "samples:" });
    let analysed =
        sensitivity::analyse_with_progress(&meth.model, &data, &opts, &|done, total| progress.tick(done, total));
    progress.finish();
    let analysis = match analysed {
        Ok(a) => a,
        Err(e) => {
            let (exit, d) = error_diag(&e);
            env.report(&[d], &sources);
            return exit;
        }
    };
    let text = match args.format {
        Format::Json => env.with_diagnostics(&sensitivity::to_json(&analysis)),
        Format::Text => {
            format!(
                "{}{}",
                super::status_header(&meth, &data, env.lang),
                sensitivity::text::render(&analysis, env.lang)
            )
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
