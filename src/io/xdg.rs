//! The XDG folders rolesmith keeps its data in (guide §5).

use std::path::PathBuf;

/// Which XDG base folder a piece of user data belongs in.
#[derive(Clone, Copy, Debug)]
pub enum XdgDir {
    /// `$XDG_DATA_HOME/rolesmith` (imported catalog).
    Data,
    /// `$XDG_STATE_HOME/rolesmith` (autosaves).
    State,
    /// `$XDG_CONFIG_HOME/rolesmith` (config, keymap).
    Config,
}

/// The rolesmith folder for `kind`, following the XDG base directory rules.
///
/// Returns `None` only when neither the XDG variable nor `$HOME` is set.
pub fn xdg_dir(kind: XdgDir) -> Option<PathBuf> {
    let (var, fallback) = match kind {
        XdgDir::Data => ("XDG_DATA_HOME", ".local/share"),
        XdgDir::State => ("XDG_STATE_HOME", ".local/state"),
        XdgDir::Config => ("XDG_CONFIG_HOME", ".config"),
    };
    let base = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))?;
    Some(base.join("rolesmith"))
}
