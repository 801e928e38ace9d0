//! `rolesmith completions SHELL`: shell completion scripts, generated from the clap definitions.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::error::Result;

use super::{Cli, Outcome};

/// Print a completion script for a shell.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "rolesmith",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Clean)
}
