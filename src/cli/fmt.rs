//! `tamga fmt [--check] <methodology>`: the canonical layout of rule files.
//!
//! Never changes meaning: each formatted file is parsed again and must have the same canonical
//! form before it is written; a file with syntax errors is left alone.

use super::{Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{Code, Diag};
use crate::load::{entry_in, parse_spec, Store};
use crate::source::{FileId, SourceMap};
use crate::syntax::{parse_file, print};
use std::path::PathBuf;

/// Arguments of `tamga fmt`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga fmt rules/eaeu-2025
  tamga fmt --check rules/eaeu       # in CI: exit code 1 if a file would change")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file (with its includes).
    pub methodology: PathBuf,
    /// Write nothing; list the files that are not in the canonical layout and exit with 1 if any.
    #[arg(long)]
    pub check: bool,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let (store, path) = parse_spec(&args.methodology);
    if store != Store::Disk {
        let d = Diag::error(Code::Usage, "`fmt` rewrites files on disk, not at a git revision")
            .help("give a folder or a file");
        env.report(&[d], &SourceMap::new());
        return EXIT_USAGE;
    }
    let mut sources = SourceMap::new();
    let mut diags = vec![];
    let entry = match entry_in(&store, &path) {
        Ok(e) => e,
        Err(d) => {
            env.report(&[d], &sources);
            return EXIT_USAGE;
        }
    };
    let loaded = crate::load::load_files(&store, &entry, &mut sources, &mut diags);
    if diags.iter().any(|d| d.is_error()) {
        env.report(&diags, &sources);
        eprintln!("nothing was formatted: fix the syntax errors first");
        return if diags.iter().any(|d| d.code == Code::Io) { EXIT_USAGE } else { EXIT_INPUT };
    }
    let mut unformatted = vec![];
    let mut written = 0;
    // every file is formatted and verified before any is written: all or nothing
    let mut outputs = vec![];
    for (id, ast) in &loaded.files {
        let text = &sources.get(*id).text;
        let formatted = print::format_file(ast, text);
        // the formatted text must mean exactly the same
        let again = parse_file(FileId(0), &formatted);
        let same = again.as_ref().is_ok_and(|again| print::canonical(&[again]) == print::canonical(&[ast]));
        if !same {
            let too_deep = again.as_ref().err().is_some_and(|d| d.iter().any(|d| d.message.contains("nest")));
            let help = if too_deep {
                "its formatted form would be nested too deeply to be read again (parentheses around formulas deep inside nested areas): no file was changed; simplify the deepest formula"
            } else {
                "this is a bug in tamga: please report it with the file; no file was changed"
            };
            let d = Diag::error(
                Code::Unformatted,
                format!("`{}` could not be formatted without changing its meaning", sources.get(*id).name),
            )
            .help(help);
            env.report(&[d], &sources);
            return EXIT_INPUT;
        }
        outputs.push(formatted);
    }
    for (((id, _), file_path), formatted) in loaded.files.iter().zip(&loaded.paths).zip(outputs) {
        let on_disk = std::fs::read_to_string(file_path).unwrap_or_default();
        if formatted == on_disk {
            continue;
        }
        if args.check {
            unformatted.push(sources.get(*id).name.clone());
        } else {
            if let Err(e) = crate::fsutil::write_atomic(file_path, formatted.as_bytes()) {
                let d = Diag::error(Code::Io, format!("cannot write `{}`: {e}", sources.get(*id).name));
                env.report(&[d], &sources);
                return EXIT_USAGE;
            }
            super::out(&format!("formatted {}\n", sources.get(*id).name));
            written += 1;
        }
    }
    if args.check {
        if unformatted.is_empty() {
            super::out(&format!("{} file(s) in the canonical layout\n", loaded.files.len()));
            EXIT_OK
        } else {
            let diags: Vec<Diag> = unformatted
                .iter()
                .map(|f| {
                    Diag::error(Code::Unformatted, format!("`{f}` is not in the canonical layout"))
                        .help(format!("run `tamga fmt {}`", args.methodology.display()))
                })
                .collect();
            env.report(&diags, &sources);
            EXIT_INPUT
        }
    } else {
        if written == 0 {
            super::out(&format!("{} file(s) already in the canonical layout\n", loaded.files.len()));
        }
        EXIT_OK
    }
}
