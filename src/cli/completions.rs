//! `tamga completions <shell>`: the shell's completion script, generated from the command-line
//! definition (clap_complete), written to stdout.

use super::{Cli, Env, EXIT_OK};
use clap::CommandFactory;
use clap_complete::Shell;

/// Arguments of `tamga completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga completions bash > ~/.local/share/bash-completion/completions/tamga
  tamga completions zsh > ~/.zfunc/_tamga        # with fpath+=~/.zfunc in ~/.zshrc
  tamga completions fish > ~/.config/fish/completions/tamga.fish
  tamga completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell to complete tamga's commands, options and values in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Runs the command.
pub fn run(args: &Args, _env: &Env) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "tamga", &mut script);
    super::out(&String::from_utf8_lossy(&script));
    EXIT_OK
}
