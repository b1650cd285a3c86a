//! `tamga template <methodology> --format xlsx|csv|json|md [--out FILE]`: the blank questionnaire
//! a state's customs service fills in, in the language of `--lang`.

use super::{exit_for, out, Env, EXIT_OK, EXIT_USAGE};
use crate::check::check;
use crate::diagnostics::{Code, Diag};
use crate::source::SourceMap;
use crate::template;
use std::path::PathBuf;

/// The form of the questionnaire.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook: one sheet per area, with data validation (needs --out).
    Xlsx,
    /// CSV in the long format of CSV submissions, one row per question.
    Csv,
    /// A JSON submission with every answer to be filled in.
    Json,
    /// A readable Markdown document, per area a table of the questions.
    Md,
}

impl From<Format> for template::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Xlsx => template::Format::Xlsx,
            Format::Csv => template::Format::Csv,
            Format::Json => template::Format::Json,
            Format::Md => template::Format::Md,
        }
    }
}

/// Arguments of `tamga template`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga template rules/eaeu --lang ru --out anketa.xlsx
  tamga template rules/eaeu --format csv > questionnaire.csv
  tamga template rules/demo --format md")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// The form to write; by default the extension of --out (.xlsx, .csv, .json, .md).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file (atomically) instead of stdout; required for xlsx.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

fn usage(env: &Env, message: &str, help: &str) -> i32 {
    env.report(&[Diag::error(Code::Usage, message).help(help)], &SourceMap::new());
    EXIT_USAGE
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let format = match (args.format, &args.out) {
        (Some(f), _) => template::Format::from(f),
        (None, Some(path)) => match template::Format::of_path(path) {
            Some(f) => f,
            None => {
                return usage(
                    env,
                    &format!("cannot tell the questionnaire's form from `{}`", path.display()),
                    "give --format xlsx, csv, json or md, or an --out file ending in one of these",
                )
            }
        },
        (None, None) => return usage(env, "which form of questionnaire?", "give --format xlsx, csv, json or md"),
    };
    if format == template::Format::Xlsx && args.out.is_none() {
        return usage(
            env,
            "an Excel questionnaire is written to a file, not to the terminal",
            "give --out questionnaire.xlsx",
        );
    }
    let checked = check(&args.methodology);
    let (meth, warnings) = match checked.methodology() {
        Ok(x) => x,
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            return exit_for(&diags);
        }
    };
    env.report(&warnings, &meth.sources);
    let bytes = match template::render(&meth.model, format, env.lang) {
        Ok(b) => b,
        Err(e) => return usage(env, &format!("cannot write the questionnaire: {e}"), "report this as a bug of tamga"),
    };
    match &args.out {
        Some(path) => {
            if let Some(d) = super::refusal(path, &super::methodology_inputs(&meth)) {
                env.report(&[d], &SourceMap::new());
                return EXIT_USAGE;
            }
            if let Err(e) = crate::fsutil::write_atomic(path, &bytes) {
                let d = Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
                    .help("check that the folder exists and is writable");
                env.report(&[d], &SourceMap::new());
                return EXIT_USAGE;
            }
            let model = &meth.model;
            let sheets = template::sections(model, env.lang).len();
            let what = match format {
                template::Format::Xlsx => format!(" on {} sheet{}", sheets + 1, if sheets == 0 { "" } else { "s" }),
                _ => String::new(),
            };
            out(&format!(
                "{}: the questionnaire of {} {} ({}), {} question{}{what}\n",
                path.display(),
                model.header.id,
                model.header.version,
                env.lang.code(),
                model.questions.len(),
                if model.questions.len() == 1 { "" } else { "s" },
            ));
        }
        None => out(&String::from_utf8_lossy(&bytes)),
    }
    EXIT_OK
}
