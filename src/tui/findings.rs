//! The findings the wizard shows: counted in the status line, marked in the preview gutter,
//! listed on the Review step and before an export.
//!
//! [`compute`] is the TUI's one call into checking. It reports the role file problems
//! (`role::validate`) and a few checks of its own; the full `lint` engine plugs in here.

use crate::catalog::Catalog;
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
}

/// Every finding for `role`, errors first.
pub fn compute(role: &RoleSpec, catalog: &Catalog) -> Vec<UiFinding> {
    let mut out = Vec::new();
    for p in validate(role) {
        let path = p.path.to_string();
        let (doc, pointer) = locate_problem(&path);
        out.push(UiFinding {
            code: "invalid-role".into(),
            severity: Severity::Error,
            message: p.message,
            doc,
            pointer,
        });
    }
    for (pi, policy) in role.policies.iter().enumerate() {
        for (si, s) in policy.statements.iter().enumerate() {
            for (ai, a) in s.actions.iter().enumerate() {
                if a == "*" || a.ends_with(":*") {
                    let n = catalog.expand_actions(a).matched().len();
                    out.push(UiFinding {
                        code: "action-wildcard".into(),
                        severity: Severity::Warning,
                        message: format!("{a} grants all {n} actions it matches"),
                        doc: DocRef::Policy(pi),
                        pointer: Some(format!("/Statement/{si}/Action/{ai}")),
                    });
                }
            }
            let supports_arns = s.actions.iter().any(|a| {
                catalog
                    .expand_actions(a)
                    .matched()
                    .iter()
                    .any(|r| !r.action.resources.is_empty())
            });
            if s.effect == crate::policy::Effect::Allow
                && supports_arns
                && s.resources.iter().any(|r| r == "*")
            {
                out.push(UiFinding {
                    code: "resource-wildcard".into(),
                    severity: Severity::Warning,
                    message: "\"*\" as resource for actions that can be scoped to ARNs".into(),
                    doc: DocRef::Policy(pi),
                    pointer: Some(format!("/Statement/{si}/Resource")),
                });
            }
        }
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
        let w: Vec<_> = f
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect();
        assert_eq!(w.len(), 2, "{f:?}");
        assert_eq!(w[0].pointer.as_deref(), Some("/Statement/0/Action/0"));
        assert_eq!(w[1].doc, DocRef::Policy(0));
    }
}
