//! `rolesmith man`: the manual page, generated from the same clap definitions as `--help`
//! (so the two never disagree), in roff for `man`.

use std::path::PathBuf;

use clap::{Args, Command, CommandFactory};

use crate::error::{Error, Result};
use crate::io::write_atomic;

use super::{Cli, Outcome};

/// Print the manual page, or write one page per command into a folder.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write rolesmith.1 and one rolesmith-COMMAND.1 per subcommand here (for a man path)
    /// instead of printing rolesmith.1; existing pages are replaced.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> Result<Outcome> {
    let command = Cli::command();
    match args.out_dir {
        None => super::print_stdout(&whole_page(&command)?)?,
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::io(&dir, "cannot create the folder", e))?;
            for (name, page) in pages(&command)? {
                let path = dir.join(format!("{name}.1"));
                write_atomic(&path, &page, true)?;
                eprintln!(
                    "wrote {}",
                    crate::io::sanitize_for_display(&path.display().to_string())
                );
            }
        }
    }
    Ok(Outcome::Clean)
}

/// `rolesmith.1` with every command in it: the top page, then one section per command
/// (synopsis, what it does, options), so `man rolesmith` alone is the whole reference.
fn whole_page(command: &Command) -> Result<Vec<u8>> {
    let mut command = command.clone();
    command.build();
    let mut out = render(&command)?;
    let mut commands = Vec::new();
    collect_commands(&command, "rolesmith", &mut commands);
    for (name, sub) in commands.into_iter().skip(1) {
        let man = clap_mangen::Man::new(sub.name(name.clone()));
        let mut section = Vec::new();
        let fail = |e: std::io::Error| Error::Other(format!("cannot write the manual page: {e}"));
        man.render_synopsis_section(&mut section).map_err(fail)?;
        man.render_description_section(&mut section).map_err(fail)?;
        man.render_options_section(&mut section).map_err(fail)?;
        // The command's own sections become subsections of its section here.
        let section = String::from_utf8_lossy(&section)
            .replace(".SH SYNOPSIS\n", "")
            .replace(".SH ", ".SS ");
        out.extend_from_slice(
            format!(".SH \"{}\"\n", name.replace('-', " ").to_uppercase()).as_bytes(),
        );
        out.extend_from_slice(section.as_bytes());
    }
    Ok(out)
}

/// Every command with the name its page has (`rolesmith-catalog-managed`), parents first.
fn collect_commands(command: &Command, name: &str, out: &mut Vec<(String, Command)>) {
    out.push((name.to_string(), command.clone()));
    for sub in command
        .get_subcommands()
        .filter(|s| s.get_name() != "help" && !s.is_hide_set())
    {
        collect_commands(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

/// One command's page in roff.
fn render(command: &Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .map_err(|e| Error::Other(format!("cannot write the manual page: {e}")))?;
    Ok(out)
}

/// `rolesmith` and every subcommand, nested ones included, as (page name, roff).
fn pages(command: &Command) -> Result<Vec<(String, Vec<u8>)>> {
    let mut command = command.clone();
    command.build();
    let mut commands = Vec::new();
    collect_commands(&command, "rolesmith", &mut commands);
    commands
        .into_iter()
        .map(|(name, sub)| Ok((name.clone(), render(&sub.name(name))?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_command() {
        let page = String::from_utf8(whole_page(&Cli::command()).unwrap()).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
        assert!(page.contains(".TH rolesmith 1"), "{page}");
        for section in [
            ".SH \"ROLESMITH RENDER\"",
            ".SH \"ROLESMITH CATALOG MANAGED\"",
            "\\-\\-fail\\-on",
        ] {
            assert!(page.contains(section), "{section} missing");
        }
        let names: Vec<String> = pages(&Cli::command())
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert!(
            names.contains(&"rolesmith-catalog-managed".to_string()),
            "{names:?}"
        );
    }
}
