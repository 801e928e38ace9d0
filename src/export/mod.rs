//! Writing a role out: the formats of `render` and the TUI's Export step.
//!
//! Every writer takes [`RoleDocuments`] and returns text, so output is deterministic and
//! testable; writing to files goes through [`crate::fsutil::write_atomic`].

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::write_atomic;
use crate::role::RoleDocuments;

/// `render --format json`: the role as CloudFormation `AWS::IAM::Role` properties.
pub fn to_json(docs: &RoleDocuments) -> String {
    let mut out = docs.to_pretty_json();
    out.push('\n');
    out
}

/// `render --format console`: each document as a person pastes it into the IAM console,
/// under a heading that says where it goes.
pub fn to_console(docs: &RoleDocuments) -> String {
    let mut out = String::new();
    out.push_str(&format!("# Trust policy of role {}\n", docs.role_name));
    out.push_str(&docs.trust.to_pretty_json());
    out.push('\n');
    for p in &docs.policies {
        out.push_str(&format!("\n# Inline policy {}\n", p.name));
        out.push_str(&p.document.to_pretty_json());
        out.push('\n');
    }
    if !docs.managed_policy_arns.is_empty() {
        out.push_str("\n# Managed policies to attach\n");
        for arn in &docs.managed_policy_arns {
            out.push_str(arn);
            out.push('\n');
        }
    }
    out
}

/// The files `render --out-dir` writes: `role.json`, `trust-policy.json` and
/// `policy-NAME.json` per inline policy.
pub fn out_dir_files(docs: &RoleDocuments) -> Vec<(String, String)> {
    let mut files = vec![
        ("role.json".to_string(), to_json(docs)),
        (
            "trust-policy.json".to_string(),
            format!("{}\n", docs.trust.to_pretty_json()),
        ),
    ];
    for p in &docs.policies {
        files.push((
            format!("policy-{}.json", p.name),
            format!("{}\n", p.document.to_pretty_json()),
        ));
    }
    files
}

/// Writes `files` into `dir`, each atomically. Without `force`, refuses before writing
/// anything if one of them exists, so a refused run changes nothing.
pub fn write_files(dir: &Path, files: &[(String, String)], force: bool) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create the folder", e))?;
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    if !force {
        let existing: Vec<String> = paths
            .iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Other(format!(
                "not overwriting {}; pass --force to replace",
                existing.join(", ")
            )));
        }
    }
    for (path, (_, text)) in paths.iter().zip(files) {
        write_atomic(path, text.as_bytes(), true)?;
    }
    Ok(paths)
}
