//! The trust document file a role file points at (`document = "trust.json"`) when the
//! role is saved: loading inlined its document, and saving writes an edited document back
//! to that file instead of copying it into the role file.
//!
//! The role file keeps pointing at the file either way, so a team that keeps its trust
//! policy beside the role file (reviewed as JSON, used by other tools) keeps it there. The
//! document is written only when it changed, as pretty JSON that reads back (through the
//! strict reader) as exactly the document saved, and together with the role file: both
//! or neither ([`write_role_and_trust`]).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::policy::PolicyDocument;
use crate::policy::source::parse_policy;

use super::spec::{RoleSpec, RoleSyntax, TrustDocument};

/// What saving does with the trust document file the role file names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustFile {
    /// The path as the role file writes it (relative to the role file's folder).
    pub rel: String,
    /// The file's path.
    pub path: PathBuf,
    /// The text to write, when the document changed; `None` leaves the file as it is.
    pub write: Option<String>,
}

/// The trust document path a role file's text names, if any (TOML or JSON role files).
pub fn named_document_path(role_text: &str) -> Option<String> {
    let raw: RoleSpec = match RoleSyntax::sniff(role_text) {
        RoleSyntax::Toml => toml::from_str(role_text).ok()?,
        RoleSyntax::Json => crate::policy::json::parse_typed("role", role_text).ok()?,
    };
    match raw.trust.document {
        Some(TrustDocument::Path(p)) => Some(p),
        _ => None,
    }
}

/// The document file the role file at `role_path` names, read from that file; `None` when
/// it names none or cannot be read (for display: saving reads it again).
pub fn named_document_file(role_path: &Path) -> Option<String> {
    let text = crate::io::read_text(role_path, crate::io::InputKind::Document).ok()?;
    named_document_path(&text)
}

/// The trust file to keep (and maybe write) when `role` is saved over `old`, the text of
/// the role file it was opened from; `base` is that file's folder. `None` when the file
/// names no trust document or the role's trust is no longer a document (converted to the
/// structured form, or removed): then the role file drops the key and the file is left.
pub fn plan(old: &str, base: &Path, role: &RoleSpec) -> Result<Option<TrustFile>> {
    let Some(rel) = named_document_path(old) else {
        return Ok(None);
    };
    let Some(TrustDocument::Inline(doc)) = &role.trust.document else {
        return Ok(None);
    };
    let path = base.join(&rel);
    let on_disk = crate::io::read_text(&path, crate::io::InputKind::Document)
        .ok()
        .and_then(|t| parse_policy(&rel, &t).ok())
        .map(|p| p.document);
    let write = if on_disk.as_ref() == Some(&**doc) {
        None
    } else {
        Some(document_text(&rel, doc)?)
    };
    Ok(Some(TrustFile { rel, path, write }))
}

/// The text written for `doc`: pretty JSON with a final newline, proven to read back (as
/// `render` will read it) as `doc` itself.
pub fn document_text(rel: &str, doc: &PolicyDocument) -> Result<String> {
    let text = format!("{}\n", doc.to_pretty_json());
    match parse_policy(rel, &text) {
        Ok(back) if back.document == *doc => Ok(text),
        _ => Err(Error::Other(format!(
            "the trust document for {rel} would not read back as written; not saved"
        ))),
    }
}

/// Writes the role file and, when it changed, its trust document file: both or neither
/// (`io::write`'s set of files), then reads the trust file back. Returns the trust file's
/// path as the role file names it when it was written.
pub fn write_role_and_trust(
    role_path: &Path,
    role_text: &str,
    trust: Option<&TrustFile>,
) -> Result<Option<String>> {
    let Some((file, text)) = trust.and_then(|t| t.write.as_ref().map(|w| (t, w))) else {
        crate::io::write_atomic(role_path, role_text.as_bytes(), true)?;
        return Ok(None);
    };
    crate::io::write::write_paths_all_or_nothing(&[
        (file.path.as_path(), text.as_bytes()),
        (role_path, role_text.as_bytes()),
    ])?;
    let back = crate::io::read_text(&file.path, crate::io::InputKind::Document)?;
    if back != *text {
        return Err(Error::Other(format!(
            "{} reads back differently from what was written",
            file.path.display()
        )));
    }
    Ok(Some(file.rel.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const ROLE: &str = "# r\nname = \"r\"\n\n[trust]\ndocument = \"trust.json\"  # ours\n";

    fn setup() -> (tempfile::TempDir, RoleSpec) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("trust.json"), TRUST).unwrap();
        std::fs::write(dir.path().join("r.toml"), ROLE).unwrap();
        let role = crate::role::load_role_file(&dir.path().join("r.toml")).unwrap();
        (dir, role)
    }

    #[test]
    fn an_unchanged_document_is_not_written() {
        let (dir, role) = setup();
        let plan = plan(ROLE, dir.path(), &role)
            .unwrap()
            .expect("names a file");
        assert_eq!(plan.rel, "trust.json");
        assert_eq!(plan.write, None);
    }

    #[test]
    fn an_edited_document_is_written_back_and_reads_as_saved() {
        let (dir, mut role) = setup();
        let Some(TrustDocument::Inline(doc)) = &mut role.trust.document else {
            panic!("inlined on loading");
        };
        doc.id = Some("edited".into());
        let edited = (**doc).clone();
        let plan = plan(ROLE, dir.path(), &role)
            .unwrap()
            .expect("names a file");
        let text = plan.write.clone().expect("changed");
        assert_eq!(parse_policy("t", &text).unwrap().document, edited);
        let written = write_role_and_trust(&dir.path().join("r.toml"), ROLE, Some(&plan)).unwrap();
        assert_eq!(written.as_deref(), Some("trust.json"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("trust.json")).unwrap(),
            text
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("r.toml")).unwrap(),
            ROLE
        );
    }

    #[test]
    fn no_plan_when_the_trust_is_no_longer_a_document() {
        let (dir, mut role) = setup();
        role.trust.document = None;
        role.trust.services = vec!["ec2.amazonaws.com".into()];
        assert_eq!(plan(ROLE, dir.path(), &role).unwrap(), None);
        assert_eq!(plan("name = \"r\"\n", dir.path(), &role).unwrap(), None);
    }
}
