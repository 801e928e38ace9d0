//! The account and region last saved in a role, remembered in the user's config folder
//! (`$XDG_CONFIG_HOME/rolesmith/last-used.toml`) so a new role starts with them instead of
//! asking again in every ARN. A file of its own: the user's `config.toml` is theirs to edit,
//! and this one is rewritten by the program.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::write::{WriteOptions, write_atomic_with};
use crate::io::{InputKind, XdgDir, xdg_dir};
use crate::role::RoleSpec;

/// The remembered ARN defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastUsed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The file, in the XDG config folder; `None` without a home folder.
pub fn default_path() -> Option<PathBuf> {
    xdg_dir(XdgDir::Config).map(|d| d.join("last-used.toml"))
}

impl LastUsed {
    /// What `path` remembers; nothing when it is missing or unreadable (never fatal).
    pub fn load(path: &Path) -> LastUsed {
        crate::io::read_text(path, InputKind::Document)
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Fills the account and region a new role lacks (they stay editable on the Role step).
    pub fn prefill(&self, role: &mut RoleSpec) {
        if role.account.is_none() {
            role.account = self.account.clone();
        }
        if role.region.is_none() {
            role.region = self.region.clone();
        }
    }

    /// After `role` was saved: remembers its account and region (those it has), writing
    /// the file only when something changed.
    pub fn remember(path: &Path, role: &RoleSpec) -> Result<()> {
        let old = LastUsed::load(path);
        let new = LastUsed {
            account: role.account.clone().or(old.account.clone()),
            region: role.region.clone().or(old.region.clone()),
        };
        if new == old {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(dir, "cannot create the config folder", e))?;
        }
        let text = toml::to_string(&new)
            .map_err(|e| Error::Other(format!("cannot write the last-used values: {e}")))?;
        let text = format!(
            "# Written by rolesmith: the account and region of the last role saved, offered to new roles.\n{text}"
        );
        write_atomic_with(
            path,
            text.as_bytes(),
            WriteOptions {
                overwrite: true,
                private: false,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_after_a_save_and_offered_to_a_new_role() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rolesmith/last-used.toml");
        assert_eq!(LastUsed::load(&path), LastUsed::default());
        let saved = RoleSpec {
            name: "r".into(),
            account: Some("123456789012".into()),
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        LastUsed::remember(&path, &saved).unwrap();
        // A role without a region keeps the remembered one.
        let partial = RoleSpec {
            account: Some("210987654321".into()),
            ..Default::default()
        };
        LastUsed::remember(&path, &partial).unwrap();
        let mut fresh = RoleSpec::default();
        LastUsed::load(&path).prefill(&mut fresh);
        assert_eq!(fresh.account.as_deref(), Some("210987654321"));
        assert_eq!(fresh.region.as_deref(), Some("eu-west-1"));
        // A role's own values win.
        let mut own = RoleSpec {
            region: Some("us-east-1".into()),
            ..Default::default()
        };
        LastUsed::load(&path).prefill(&mut own);
        assert_eq!(own.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn a_broken_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("last-used.toml");
        std::fs::write(&path, "account = [").unwrap();
        assert_eq!(LastUsed::load(&path), LastUsed::default());
    }
}
