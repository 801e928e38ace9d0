//! `rolesmith completions SHELL`: shell completion scripts, generated from the clap
//! definitions, that also complete the names rolesmith knows: templates, AWS managed
//! policies, finding codes and the loaded catalog's services.
//!
//! The names are written into the script when it is generated (so completing costs the
//! shell nothing); regenerate it after `catalog update` or `catalog import` to complete the
//! services they added.

use clap::builder::PossibleValuesParser;
use clap::{Args, Command, CommandFactory};
use clap_complete::Shell;

use crate::catalog::Catalog;
use crate::error::Result;

use super::{Cli, Outcome};

/// Print a completion script for a shell.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// An argument whose values are names rolesmith knows.
struct NamedValues {
    /// Subcommands leading to the argument (`["catalog", "actions"]`).
    path: &'static [&'static str],
    /// The argument's id (its field name).
    arg: &'static str,
    names: fn() -> Vec<String>,
}

/// Every argument completed with names, one entry per argument.
const NAMED: &[NamedValues] = &[
    NamedValues {
        path: &["new"],
        arg: "template",
        names: template_names,
    },
    NamedValues {
        path: &["catalog", "managed"],
        arg: "query",
        names: managed_policy_names,
    },
    NamedValues {
        path: &["catalog", "actions"],
        arg: "service",
        names: service_names,
    },
    NamedValues {
        path: &["learn"],
        arg: "lesson",
        names: lesson_names,
    },
    NamedValues {
        path: &["explain"],
        arg: "code",
        names: finding_codes,
    },
];

fn template_names() -> Vec<String> {
    crate::tui::templates::TEMPLATES
        .iter()
        .map(|t| t.name.to_string())
        .collect()
}

fn managed_policy_names() -> Vec<String> {
    crate::catalog::curated::curated()
        .managed_policies
        .iter()
        .map(|p| p.name.clone())
        .collect()
}

/// The loaded catalog's services (the embedded ones when the user catalog is unreadable).
fn service_names() -> Vec<String> {
    let prefixes =
        |c: &Catalog| -> Vec<String> { c.service_prefixes().map(str::to_string).collect() };
    match Catalog::load() {
        Ok(c) => prefixes(&c),
        Err(_) => prefixes(Catalog::embedded()),
    }
}

fn lesson_names() -> Vec<String> {
    crate::lessons::builtin()
        .iter()
        .map(|l| l.name.clone())
        .collect()
}

fn finding_codes() -> Vec<String> {
    crate::lint::explain::CODES
        .iter()
        .map(|c| c.code.to_string())
        .collect()
}

/// The command line with the named values attached, for generating completions only (the
/// parser that runs commands keeps its own checks and messages).
pub fn command_with_names() -> Command {
    let mut command = Cli::command();
    for named in NAMED {
        let values = (named.names)();
        command = with_values(command, named.path, named.arg, values);
    }
    command
}

fn with_values(command: Command, path: &[&str], arg: &'static str, values: Vec<String>) -> Command {
    match path.split_first() {
        Some((first, rest)) => {
            let rest: Vec<&str> = rest.to_vec();
            command.mut_subcommand(*first, move |sub| with_values(sub, &rest, arg, values))
        }
        None => command.mut_arg(arg, |a| a.value_parser(PossibleValuesParser::new(values))),
    }
}

pub fn run(args: CompletionsArgs) -> Result<Outcome> {
    let mut command = command_with_names();
    clap_complete::generate(
        args.shell,
        &mut command,
        "rolesmith",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_argument_exists_and_gets_its_names() {
        let command = command_with_names();
        for named in NAMED {
            let mut sub = &command;
            for name in named.path {
                sub = sub
                    .find_subcommand(name)
                    .unwrap_or_else(|| panic!("no subcommand {name}"));
            }
            let arg = sub
                .get_arguments()
                .find(|a| a.get_id() == named.arg)
                .unwrap_or_else(|| panic!("no argument {}", named.arg));
            assert!(!arg.get_possible_values().is_empty(), "{}", named.arg);
        }
    }

    #[test]
    fn bash_completes_templates_policies_and_codes() {
        let mut out = Vec::new();
        clap_complete::generate(
            Shell::Bash,
            &mut command_with_names(),
            "rolesmith",
            &mut out,
        );
        let script = String::from_utf8(out).unwrap();
        for name in [
            "lambda-s3-writer",
            "AWSLambdaBasicExecutionRole",
            "resource-mismatch",
            "dynamodb",
            "wildcard-not-wild",
        ] {
            assert!(script.contains(name), "{name} not completed");
        }
    }
}
