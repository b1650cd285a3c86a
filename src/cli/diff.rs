//! `tamga diff <old> <new>`: what changed between two versions, for a Board paper.

use super::{exit_for, out, Env, EXIT_OK};
use crate::check::check;
use crate::version::diff;
use std::path::{Path, PathBuf};

/// Output format of `diff` and `impact`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Readable text (Markdown).
    Text,
    /// Markdown (the same as text).
    Md,
    /// JSON.
    Json,
}

/// Arguments of `tamga diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga diff rules/eaeu rules/eaeu-2025
  tamga --lang ru diff rules/eaeu rules/eaeu-2025 > changes.md
  tamga diff git:HEAD~1:rules/eaeu rules/eaeu --format json")]
pub struct Args {
    /// The older version: a folder, a file, or `git:REV:path`.
    pub old: PathBuf,
    /// The newer version: a folder, a file, or `git:REV:path`.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Checks a methodology for comparison; reports and returns the exit code on failure.
pub(crate) fn load(spec: &Path, env: &Env) -> Result<crate::check::Methodology, i32> {
    let checked = check(spec);
    match checked.methodology() {
        Ok((m, warnings)) => {
            let _ = warnings;
            Ok(m)
        }
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            Err(exit_for(&diags).max(1))
        }
    }
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let old = match load(&args.old, env) {
        Ok(m) => m,
        Err(c) => return c,
    };
    let new = match load(&args.new, env) {
        Ok(m) => m,
        Err(c) => return c,
    };
    let d = diff::diff(&args.old.to_string_lossy(), &old, &args.new.to_string_lossy(), &new);
    match args.format {
        Format::Json => out(&format!("{}\n", serde_json::to_string_pretty(&d).unwrap_or_default())),
        Format::Text | Format::Md => out(&diff::to_text_in_words(&d, &old.model, &new.model, env.lang)),
    }
    EXIT_OK
}
