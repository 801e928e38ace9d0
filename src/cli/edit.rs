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

/// `rolesmith edit [ROLE_FILE] [--trust T.json] [--policy P.json]...`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(true).args(["role_file", "trust", "policy"])))]
pub struct EditArgs {
    /// The role file to open (TOML or JSON). A file that does not exist yet is created on save.
    pub role_file: Option<PathBuf>,
    /// A trust policy document (JSON) to start from.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// A permission policy (JSON, or `aws iam get-role-policy` output) to add as an inline
    /// policy, named after the file or its PolicyName (repeatable).
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
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

/// Opens the wizard; `documents` are the policy documents the role was built from (they
/// mark it as not saved yet, and key its autosave when there is no role file).
fn open(role: RoleSpec, path: Option<PathBuf>, documents: &[PathBuf]) -> Result<Outcome> {
    require_terminal()?;
    let catalog = Arc::new(Catalog::load()?);
    Catalog::decode_all_in_background(&catalog);
    let mut role = role;
    let last_used = crate::session::last_used::default_path();
    // A new role (no file, no documents) starts with the account and region last saved.
    let new_role = documents.is_empty() && path.as_ref().is_none_or(|p| !p.exists());
    if new_role && let Some(file) = &last_used {
        crate::session::last_used::LastUsed::load(file).prefill(&mut role);
    }
    let mut app = App::new(role, path, catalog, Theme::from_env());
    app.session.last_used = last_used;
    app.dirty = !documents.is_empty();
    let (keymap, problems) = crate::tui::config::load_keymap();
    app.keymap = keymap;
    if let Some(store) = crate::session::AutosaveStore::from_env() {
        crate::tui::session::enable_autosave_for(&mut app, store, documents);
    }
    if let Some(first) = problems.first() {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        app.error(format!("{first}{more}"));
    }
    if let Some(text) = crate::tui::event_loop::run(app)? {
        print!("{text}");
    }
    Ok(Outcome::Clean)
}

/// `rolesmith` with no subcommand: a new, empty role.
pub fn run_blank() -> Result<Outcome> {
    open(RoleSpec::default(), None, &[])
}

/// `rolesmith edit [ROLE_FILE] [--trust T] [--policy P]...`.
pub fn run_edit(args: EditArgs) -> Result<Outcome> {
    // Inputs are read first: a broken one is reported with its position, terminal or not.
    let role = edit_start_role(&args)?;
    let documents: Vec<PathBuf> = args.trust.iter().chain(&args.policy).cloned().collect();
    open(role, args.role_file, &documents)
}

/// The role `edit` opens: the role file (if it exists), with `--trust` and each `--policy`
/// applied over it. Any input that does not read is an error before the screen opens.
pub fn edit_start_role(args: &EditArgs) -> Result<RoleSpec> {
    use crate::role::import::{Opened, open_file};
    let mut role = match &args.role_file {
        Some(p) if p.exists() => load_role_file(p)?,
        _ => RoleSpec::default(),
    };
    if let Some(t) = &args.trust {
        let input = open_file(t)?;
        if !matches!(input.opened, Opened::Trust(_)) {
            return Err(Error::Invalid {
                origin: t.display().to_string(),
                message: format!("--trust needs a trust policy, and this is {}", input.shape),
            });
        }
        input.opened.apply_to(&mut role);
    }
    for p in &args.policy {
        let input = open_file(p)?;
        if !matches!(input.opened, Opened::Policy(_)) {
            return Err(Error::Invalid {
                origin: p.display().to_string(),
                message: format!(
                    "--policy needs a permission policy, and this is {}",
                    input.shape
                ),
            });
        }
        input.opened.apply_to(&mut role);
    }
    Ok(role)
}

/// `rolesmith new --template NAME`.
pub fn run_new(args: NewArgs) -> Result<Outcome> {
    require_terminal()?;
    let role = match &args.template {
        Some(name) => load_template(name)?,
        None => RoleSpec::default(),
    };
    open(role, None, &[])
}

/// `rolesmith templates`: one template a line, name and what it is for.
pub fn run_templates(_args: TemplatesArgs) -> Result<Outcome> {
    for t in TEMPLATES {
        println!("{:<22} {}", t.name, t.summary);
    }
    Ok(Outcome::Clean)
}
