//! Command-line front end: clap definitions and one module per subcommand.
//!
//! Every subcommand returns an [`Outcome`] or an [`Error`]; [`run`] maps them to the exit
//! codes of the contract: 0 success, 1 findings at or above `--fail-on`, 2 anything else.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Error;

pub mod activity;
pub mod calls;
pub mod catalog;
pub mod completions;
pub mod denied;
pub mod diff;
pub mod edit;
pub mod explain;
pub mod learn;
pub mod lint;
pub mod man;
pub mod render;
pub mod simulate;

/// What a successful command found, mapped to exit 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Clean,
    /// Exit 1: findings at or above the `--fail-on` level.
    FindingsFailed,
}

/// rolesmith: write least-privilege AWS IAM roles, in a terminal wizard or from scripts.
#[derive(Debug, Parser)]
#[command(name = "rolesmith", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a role file's trust and permission documents.
    Render(render::RenderArgs),
    /// Browse, search, import, update or dump the catalog of AWS services and actions
    Catalog(catalog::CatalogArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Check policy documents or role files and report findings.
    Lint(lint::LintArgs),
    /// Explain a finding code, with a bad and a fixed example.
    Explain(explain::ExplainArgs),
    /// Evaluate requests against a role or policies offline: allowed or denied, and why.
    Simulate(simulate::SimulateArgs),
    /// Read an AccessDenied message and propose the least statement that fixes it.
    Denied(denied::DeniedArgs),
    /// Open a role file in the interactive editor.
    Edit(edit::EditArgs),
    /// Start a new role in the interactive editor, optionally from a template.
    New(edit::NewArgs),
    /// List the starter roles `new --template` accepts.
    Templates(edit::TemplatesArgs),
    /// The IAM actions API calls need (s3.copy_object, aws s3api put-object, s3:CopyObject).
    Calls(calls::CallsArgs),
    /// Build a role from CloudTrail events: what a workload called, and nothing more.
    FromActivity(activity::FromActivityArgs),
    /// What a change to a role grants that the old version did not (exit 1 when anything).
    Diff(diff::DiffArgs),
    /// Lessons for onboarding workshops: list, open, grade learners' roles, print handouts.
    Learn(learn::LearnArgs),
    /// Print the manual page (roff), or write one page per command with --out-dir.
    Man(man::ManArgs),
    /// Internal: keeps a copy on the X11/Wayland clipboard after the editor quits (the
    /// text comes on stdin; see `export::clipboard`).
    #[command(name = "__clipboard-keeper", hide = true)]
    ClipboardKeeper,
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match dispatch(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::FindingsFailed) => ExitCode::from(1),
        Err(e) => {
            report_error(&e);
            ExitCode::from(2)
        }
    }
}

/// Writes a document to stdout; a closed pipe (`| head`) is not an error worth reporting.
pub fn print_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("<stdout>", "cannot write", e))
        }
        _ => Ok(()),
    }
}

/// Prints an error the way every command does: `rolesmith: error: ...` on stderr, as one
/// line whatever file names or snippets it quotes (control characters made visible).
pub fn report_error(e: &Error) {
    eprintln!(
        "rolesmith: error: {}",
        crate::io::sanitize_for_display(&e.to_string())
    );
}

fn dispatch(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Some(Command::Render(args)) => render::run(args),
        Some(Command::Catalog(args)) => catalog::run(args),
        Some(Command::Completions(args)) => completions::run(args),
        Some(Command::Lint(args)) => lint::run(args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Simulate(args)) => simulate::run(args),
        Some(Command::Denied(args)) => denied::run(args),
        Some(Command::Edit(args)) => edit::run_edit(args),
        Some(Command::New(args)) => edit::run_new(args),
        Some(Command::Templates(args)) => edit::run_templates(args),
        Some(Command::Man(args)) => man::run(args),
        Some(Command::Calls(args)) => calls::run(args),
        Some(Command::FromActivity(args)) => activity::run(args),
        Some(Command::Diff(args)) => diff::run(args),
        Some(Command::Learn(args)) => learn::run(args),
        Some(Command::ClipboardKeeper) => {
            crate::export::clipboard::run_keeper().map(|()| Outcome::Clean)
        }
        None => edit::run_blank(),
    }
}
