//! `tamga schema <methodology> | --result | --diagnostics [--out FILE]`: a JSON Schema (draft
//! 2020-12) of a methodology's JSON submission (labels in the language of `--lang`), of the
//! result (`eval --format json`) or of the diagnostics (`check --format json`).

use super::{exit_for, out, Env, EXIT_OK, EXIT_USAGE};
use crate::check::check;
use crate::diagnostics::{Code, Diag};
use crate::source::SourceMap;
use std::path::PathBuf;

/// Arguments of `tamga schema`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["methodology", "result", "diagnostics"])))]
#[command(after_help = "\
Examples:
  tamga schema rules/eaeu --out eaeu.schema.json
  tamga schema rules/eaeu --lang ru
  tamga schema --result
  tamga schema --diagnostics")]
pub struct Args {
    /// The methodology whose submissions the schema describes: a folder with
    /// `methodology.tamga`, or a rule file.
    pub methodology: Option<PathBuf>,
    /// The schema of the result (`tamga eval --format json`, `result.json` of `tamga report`).
    #[arg(long)]
    pub result: bool,
    /// The schema of the diagnostics (`tamga check --format json`).
    #[arg(long)]
    pub diagnostics: bool,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let (schema, inputs, what) = if args.result {
        (crate::schema::result(), vec![], "the schema of results".to_string())
    } else if args.diagnostics {
        (crate::schema::diagnostics(), vec![], "the schema of diagnostics".to_string())
    } else {
        let Some(path) = &args.methodology else { return EXIT_USAGE };
        let checked = check(path);
        let (meth, warnings) = match checked.methodology() {
            Ok(x) => x,
            Err((sources, diags)) => {
                env.report(&diags, &sources);
                return exit_for(&diags);
            }
        };
        env.report(&warnings, &meth.sources);
        let h = &meth.model.header;
        let what = format!("the schema of submissions to {} {} ({})", h.id, h.version, env.lang.code());
        (crate::schema::submission(&meth.model, env.lang), super::methodology_inputs(&meth), what)
    };
    let text = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default());
    match &args.out {
        Some(path) => {
            if let Some(d) = super::refusal(path, &inputs) {
                env.report(&[d], &SourceMap::new());
                return EXIT_USAGE;
            }
            if let Err(e) = crate::fsutil::write_atomic(path, text.as_bytes()) {
                let d = Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
                    .help("check that the folder exists and is writable");
                env.report(&[d], &SourceMap::new());
                return EXIT_USAGE;
            }
            out(&format!("{}: {what}\n", path.display()));
        }
        None => out(&text),
    }
    EXIT_OK
}
