//! `tamga lsp`: the language server for editors, on stdin and stdout (see `docs/editor.md`).

use super::Env;

/// Arguments of `tamga lsp`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The editor starts it and speaks the Language Server Protocol with it on stdin and stdout:
diagnostics as you type, hover, go to definition, references, outline, completion,
formatting and rename. Set-up for VS Code, Neovim, Helix and Emacs: docs/editor.md.

Examples:
  tamga lsp                      # started by the editor, not by hand")]
pub struct Args {
    /// Accepted for editors that pass it (stdio is the only transport).
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the command.
pub fn run(_args: &Args, _env: &Env) -> i32 {
    crate::lsp::serve_stdio()
}
