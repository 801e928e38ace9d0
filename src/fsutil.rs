//! Atomic file writes and the XDG folders rolesmith keeps its data in.
//!
//! Everything rolesmith writes (exports, imported catalogs, autosaves) goes through
//! [`write_atomic`], so an interrupted write never leaves a half-written file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
///
/// With `overwrite == false` an existing file is an error and is left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    if !overwrite && path.exists() {
        return Err(Error::Other(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, "cannot create", e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io(&tmp, "cannot write", e))?;
        f.sync_all()
            .map_err(|e| Error::io(&tmp, "cannot sync", e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, "cannot replace", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_refuses_to_overwrite_without_permission() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one", false).unwrap();
        assert!(write_atomic(&path, b"two", false).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
