//! What the TUI's Export step offers beside the formats of `render`: console JSON of one
//! document or both, each console document on its own (the IAM console takes them in
//! different boxes), and the file name an export goes to. Pure text, like the writers.

use super::ExportFormat;
use crate::role::{RoleDocuments, RoleSpec};

/// Which documents a console export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Documents {
    Both,
    Trust,
    Permissions,
}

/// The file an export goes to unless the user types another: `<role name>.<extension>`,
/// the extension saying what the file holds (`.txt` for console JSON of both documents
/// with their headings, `.json` for one document, `.sh`, `.yaml`, `.tf`, …), so exports of
/// two roles or two formats do not land in the same file.
pub fn default_file(role: &RoleSpec, format: ExportFormat, documents: Documents) -> String {
    // A name still being typed may hold characters a role name cannot: never a path.
    let name: String = role
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = if name.is_empty() || name.chars().all(|c| c == '.') {
        "role".to_string()
    } else {
        name
    };
    let suffix = match (format, documents) {
        (ExportFormat::Console, Documents::Both) => ".txt",
        (ExportFormat::Console, Documents::Trust) => "-trust.json",
        (ExportFormat::Console, Documents::Permissions) => "-permissions.json",
        (ExportFormat::Json, _) => ".json",
        (ExportFormat::Cli, _) => ".sh",
        (ExportFormat::CloudFormationYaml, _) => ".yaml",
        (ExportFormat::CloudFormationJson, _) => ".cfn.json",
        (ExportFormat::Terraform, _) => ".tf",
    };
    format!("{name}{suffix}")
}

/// The documents of a console "Both" export one by one, each pasteable JSON on its own:
/// (what it is, its JSON).
pub fn parts(docs: &RoleDocuments) -> Vec<(String, String)> {
    let mut out = vec![(
        "the trust policy".to_string(),
        format!("{}\n", docs.trust.to_pretty_json()),
    )];
    for p in &docs.policies {
        out.push((
            format!("inline policy {}", p.name),
            format!("{}\n", p.document.to_pretty_json()),
        ));
    }
    out
}

/// The export text for the current choices.
pub fn render(docs: &RoleDocuments, format: ExportFormat, documents: Documents) -> String {
    match (format, documents) {
        (ExportFormat::Console, Documents::Trust) => format!("{}\n", docs.trust.to_pretty_json()),
        (ExportFormat::Console, Documents::Permissions) => {
            if let [only] = docs.policies.as_slice() {
                return format!("{}\n", only.document.to_pretty_json());
            }
            let mut out = String::new();
            for (i, p) in docs.policies.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&format!("# Inline policy {}\n", p.name));
                out.push_str(&p.document.to_pretty_json());
                out.push('\n');
            }
            out
        }
        (f, _) => f.render(docs),
    }
}
