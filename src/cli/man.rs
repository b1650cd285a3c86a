//! `tamga man [--out DIR]`: the manual page in roff, generated from the command-line definition
//! (clap_mangen): tamga(1) to stdout, or into a folder with a page per sub-command
//! (`tamga.1`, `tamga-check.1`, …).

use super::{Cli, Env, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{Code, Diag};
use crate::source::SourceMap;
use clap::CommandFactory;
use std::path::PathBuf;

/// Arguments of `tamga man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga man | man -l -
  tamga man --out ~/.local/share/man/man1     # tamga.1 and tamga-<command>.1; then `man tamga-eval`")]
pub struct Args {
    /// Write the pages of tamga and of every sub-command into this folder (created if needed)
    /// instead of tamga(1) alone to stdout.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let mut cmd = Cli::command();
    cmd.build();
    let Some(dir) = &args.out else {
        return match page(cmd) {
            Ok((_, roff)) => {
                super::out(&roff);
                EXIT_OK
            }
            Err(e) => fail(env, &format!("could not render the manual page: {e}"), "report this as a bug"),
        };
    };
    let mut pages = vec![];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        match page(sub.clone()) {
            Ok(p) => pages.push(p),
            Err(e) => return fail(env, &format!("could not render the manual page: {e}"), "report this as a bug"),
        }
    }
    match page(cmd) {
        Ok(p) => pages.push(p),
        Err(e) => return fail(env, &format!("could not render the manual page: {e}"), "report this as a bug"),
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(env, &format!("cannot create `{}`: {e}", dir.display()), "give --out a folder you can write to");
    }
    for (name, roff) in &pages {
        let path = dir.join(name);
        if let Err(e) = crate::fsutil::write_atomic(&path, roff.as_bytes()) {
            return fail(
                env,
                &format!("cannot write `{}`: {e}", path.display()),
                "give --out a folder you can write to",
            );
        }
    }
    eprintln!("wrote {} manual pages into {}", pages.len(), dir.display());
    EXIT_OK
}

/// The file name and the roff text of one command's page.
fn page(cmd: clap::Command) -> std::io::Result<(String, String)> {
    let man = clap_mangen::Man::new(cmd);
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    Ok((man.get_filename(), String::from_utf8_lossy(&roff).into_owned()))
}

/// Reports an error that stops the command; returns the exit code.
fn fail(env: &Env, message: &str, help: &str) -> i32 {
    env.report(&[Diag::error(Code::Io, message).help(help)], &SourceMap::new());
    EXIT_USAGE
}
