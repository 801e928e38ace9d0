//! `rolesmith` (no subcommand), `rolesmith edit ROLE_FILE`, `rolesmith new --template NAME`
//! and `rolesmith templates`: the commands that open the wizard, and the starter roles.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::role::{RoleSpec, load_role_file};
use crate::tui::app::App;
use crate::tui::templates::{TEMPLATES, load_template};
use crate::tui::theme::Theme;

use super::Outcome;

/// `rolesmith edit ROLE_FILE`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The role file to open (TOML or JSON). A file that does not exist yet is created on save.
    pub role_file: PathBuf,
}

/// `rolesmith new [--template NAME]`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Start from a template (see `rolesmith templates`).
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
}

/// `rolesmith templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {}

/// The TUI needs a terminal on stdin (keys) and stderr (screen).
fn require_terminal() -> Result<()> {
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        Ok(())
    } else {
        Err(Error::Usage(
            "the interactive editor needs a terminal (stdin and stderr must be a tty); \
             use `rolesmith render ROLE_FILE` in scripts"
                .into(),
        ))
    }
}

fn open(role: RoleSpec, path: Option<PathBuf>) -> Result<Outcome> {
    require_terminal()?;
    let catalog = Arc::new(Catalog::load()?);
    let app = App::new(role, path, catalog, Theme::from_env());
    if let Some(text) = crate::tui::event_loop::run(app)? {
        print!("{text}");
    }
    Ok(Outcome::Clean)
}

/// `rolesmith` with no subcommand: a new, empty role.
pub fn run_blank() -> Result<Outcome> {
    open(RoleSpec::default(), None)
}

/// `rolesmith edit ROLE_FILE`.
pub fn run_edit(args: EditArgs) -> Result<Outcome> {
    require_terminal()?;
    let role = if args.role_file.exists() {
        load_role_file(&args.role_file)?
    } else {
        RoleSpec::default()
    };
    open(role, Some(args.role_file))
}

/// `rolesmith new --template NAME`.
pub fn run_new(args: NewArgs) -> Result<Outcome> {
    require_terminal()?;
    let role = match &args.template {
        Some(name) => load_template(name)?,
        None => RoleSpec::default(),
    };
    open(role, None)
}

/// `rolesmith templates`: one template a line, name and what it is for.
pub fn run_templates(_args: TemplatesArgs) -> Result<Outcome> {
    for t in TEMPLATES {
        println!("{:<22} {}", t.name, t.summary);
    }
    Ok(Outcome::Clean)
}
