//! The findings the wizard shows: counted in the status line, marked in the preview gutter,
//! listed on the Review step and before an export.
//!
//! [`compute`] is the TUI's one call into checking. It reports the role file problems
//! (`role::validate`) and everything the `lint` engine finds in the role, with its fixes.

use crate::catalog::Catalog;
use crate::lint;
use crate::role::{RoleSpec, validate};

/// How bad a finding is (guide §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::Display)]
pub enum Severity {
    #[strum(serialize = "error")]
    Error,
    #[strum(serialize = "warning")]
    Warning,
    #[strum(serialize = "suggestion")]
    Suggestion,
}

impl Severity {
    /// One letter for the gutter and monochrome screens.
    pub fn letter(self) -> char {
        match self {
            Severity::Error => 'E',
            Severity::Warning => 'W',
            Severity::Suggestion => 'S',
        }
    }
}

/// Which document a finding is about, for the preview gutter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocRef {
    /// The role itself (name, path, ...): no document line.
    Role,
    Trust,
    /// Inline policy n.
    Policy(usize),
}

/// One finding, as the TUI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct UiFinding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub doc: DocRef,
    /// JSON pointer inside `doc`, e.g. `/Statement/0/Resource`.
    pub pointer: Option<String>,
    /// The edit that resolves it, when the lint engine knows one (Review applies it).
    pub fix: Option<lint::Fix>,
}

/// Every finding for `role`, errors first: the role file's own rules (`role::validate`:
/// names, paths, ids) and then the linter's findings, minus those the author accepted.
pub fn compute(role: &RoleSpec, catalog: &Catalog) -> Vec<UiFinding> {
    let mut out = Vec::new();
    let lint = lint::lint_role(role, catalog);
    for p in validate(role) {
        let path = p.path.to_string();
        // The linter says "trusts nobody" itself, with a pointer.
        if path == "trust" && lint.iter().any(|f| f.code == "missing-element") {
            continue;
        }
        let (doc, pointer) = locate_problem(&path);
        out.push(UiFinding {
            code: "invalid-role".into(),
            severity: Severity::Error,
            message: p.message,
            doc,
            pointer,
            fix: None,
        });
    }
    out.extend(lint.into_iter().filter(|f| !f.is_ignored()).map(from_lint));
    out.sort_by_key(|f| f.severity);
    out
}

/// A lint finding as the TUI shows it: its role-wide pointer split into document + pointer.
fn from_lint(f: lint::Finding) -> UiFinding {
    let severity = match f.severity {
        lint::Severity::Error => Severity::Error,
        lint::Severity::Warning => Severity::Warning,
        lint::Severity::Suggestion => Severity::Suggestion,
    };
    let (doc, pointer) = split_role_pointer(&f.location.pointer, f.location.document);
    UiFinding {
        code: f.code.to_string(),
        severity,
        message: f.message,
        doc,
        pointer,
        fix: f.fix,
    }
}

/// `/Policies/1/PolicyDocument/Statement/0` → (Policy(1), `/Statement/0`);
/// `/AssumeRolePolicyDocument/...` → Trust; anything else is about the role.
fn split_role_pointer(pointer: &str, document: lint::DocumentRef) -> (DocRef, Option<String>) {
    if let Some(rest) = pointer.strip_prefix("/AssumeRolePolicyDocument") {
        return (DocRef::Trust, Some(rest.to_string()));
    }
    if let Some(rest) = pointer.strip_prefix("/Policies/")
        && let Some((n, rest)) = rest.split_once('/')
        && let Ok(i) = n.parse::<usize>()
    {
        let inner = rest.strip_prefix("PolicyDocument").unwrap_or("");
        return (DocRef::Policy(i), Some(inner.to_string()));
    }
    match document {
        lint::DocumentRef::Trust => (DocRef::Trust, None),
        lint::DocumentRef::Inline(i) => (DocRef::Policy(i), None),
        _ => (DocRef::Role, None),
    }
}

/// Maps a role file path (`policy[0].statement[1].resources[0]`) to a document and pointer.
fn locate_problem(path: &str) -> (DocRef, Option<String>) {
    if path.starts_with("trust") {
        return (DocRef::Trust, Some("/Statement".into()));
    }
    if let Some(rest) = path.strip_prefix("policy[")
        && let Some((n, rest)) = rest.split_once(']')
        && let Ok(pi) = n.parse::<usize>()
    {
        let pointer = rest
            .strip_prefix(".statement[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(s, _)| s.parse::<usize>().ok())
            .map(|si| format!("/Statement/{si}"));
        return (DocRef::Policy(pi), pointer);
    }
    (DocRef::Role, None)
}

/// Counts by severity: (errors, warnings, suggestions).
pub fn counts(findings: &[UiFinding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Suggestion),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::{InlinePolicySpec, StatementSpec};

    #[test]
    fn empty_role_has_errors_for_name_and_trust() {
        let f = compute(&RoleSpec::default(), Catalog::embedded());
        assert!(f.iter().any(|f| f.message.contains("role name")));
        assert!(f.iter().any(|f| f.doc == DocRef::Trust));
    }

    #[test]
    fn wildcards_are_flagged_with_pointers() {
        let role = RoleSpec {
            name: "r".into(),
            policies: vec![InlinePolicySpec {
                name: "p".into(),
                statements: vec![StatementSpec {
                    actions: vec!["s3:*".into()],
                    resources: vec!["*".into()],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let f = compute(&role, Catalog::embedded());
        let wildcard = f
            .iter()
            .find(|f| f.code == "action-wildcard")
            .expect("s3:* is flagged");
        assert_eq!(wildcard.doc, DocRef::Policy(0));
        assert!(
            wildcard
                .pointer
                .as_deref()
                .is_some_and(|p| p.starts_with("/Statement/0/Action")),
            "{wildcard:?}"
        );
        assert!(f.iter().any(|f| f.code == "resource-wildcard"), "{f:?}");
    }
}
