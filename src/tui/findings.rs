//! The findings the wizard shows: counted in the status line, marked in the preview gutter,
//! listed on the Review step and before an export.
//!
//! [`compute`] is the TUI's one call into checking: the role file rules (`role::validate`)
//! and the linter (`lint::lint_role`), mapped to the document and pointer the preview marks.

use crate::catalog::Catalog;
use crate::lint::{DocumentRef, Severity as LintSeverity};
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiFinding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub doc: DocRef,
    /// JSON pointer inside `doc`, e.g. `/Statement/0/Resource`.
    pub pointer: Option<String>,
    /// What the linter's fix would do, when it has one.
    pub fix: Option<String>,
}

/// Every finding for `role`, errors first: the role file's own rules (`role::validate`:
/// names, paths, ids) and then the linter's findings, minus those the author accepted.
pub fn compute(role: &RoleSpec, catalog: &Catalog) -> Vec<UiFinding> {
    let mut out = Vec::new();
    let lint = crate::lint::lint_role(role, catalog);
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
    for f in lint.into_iter().filter(|f| f.ignored.is_none()) {
        let (doc, prefix) = match f.location.document {
            DocumentRef::Trust => (DocRef::Trust, "/AssumeRolePolicyDocument".to_string()),
            DocumentRef::Inline(i) => (DocRef::Policy(i), format!("/Policies/{i}/PolicyDocument")),
            DocumentRef::Policy | DocumentRef::Role => (DocRef::Role, String::new()),
        };
        let pointer = match doc {
            DocRef::Role => None,
            _ => f.location.pointer.strip_prefix(&prefix).map(|p| {
                if p.is_empty() {
                    "/".to_string()
                } else {
                    p.to_string()
                }
            }),
        };
        out.push(UiFinding {
            code: f.code.to_string(),
            severity: match f.severity {
                LintSeverity::Error => Severity::Error,
                LintSeverity::Warning => Severity::Warning,
                LintSeverity::Suggestion => Severity::Suggestion,
            },
            message: f.message,
            doc,
            pointer,
            fix: f.fix.map(|x| x.description),
        });
    }
    out.sort_by_key(|f| f.severity);
    out
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
            }],
            ..Default::default()
        };
        let f = compute(&role, Catalog::embedded());
        let wildcard = f
            .iter()
            .find(|f| f.code == "action-wildcard")
            .expect("s3:* is reported");
        assert_eq!(wildcard.severity, Severity::Warning);
        assert_eq!(wildcard.doc, DocRef::Policy(0));
        assert_eq!(wildcard.pointer.as_deref(), Some("/Statement/0/Action"));
        // Errors sort first.
        assert_eq!(f[0].severity, Severity::Error, "{f:?}");
    }
}
