//! What a check reports: a [`Finding`] with its [`Severity`], [`Location`] and, when one
//! exists, a machine-applicable [`Fix`].
//!
//! Codes are the guide's §7 contract: other tools (CI, SARIF consumers, role files that
//! ignore codes) rely on them, so they are `&'static str` taken from [`super::explain::CODES`].

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::policy::document::ConditionBlock;
use crate::policy::{ConditionScalar, OneOrMany, PolicyDocument, Statement};
use crate::role::{RoleSpec, StatementSpec};

/// How bad a finding is. Ordered: `Suggestion < Warning < Error`, so `--fail-on` compares.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::EnumString,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    Suggestion,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which document of a role a finding is about (plain policy files have one document).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentRef {
    /// The document that was linted (a policy file, or a document linted on its own).
    #[default]
    Policy,
    /// A role's trust policy.
    Trust,
    /// A role's inline policy, by index in the role file.
    Inline(usize),
    /// The role as a whole (managed policies, sizes across documents).
    Role,
}

/// Where a finding points.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file the document came from, when it came from one. Shared by the file's
    /// findings (one string per finding was 42,000 allocations on a 10,000-statement policy).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_file"
    )]
    pub file: Option<Arc<str>>,
    /// Which document of a role (always `Policy` for a lone policy).
    pub document: DocumentRef,
    /// Index of the statement in its document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    /// JSON pointer to the element at fault. For a role, into `render --format json`'s output
    /// (`/Policies/0/PolicyDocument/Statement/1/Resource/0`).
    pub pointer: String,
    /// 1-based line and column in the source text, when linted from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// [`Location::file`] as the string it is.
fn serialize_file<S: serde::Serializer>(file: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&file.as_deref(), s)
}

/// One problem found in a policy or role.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The stable kebab-case code of guide §7.
    pub code: &'static str,
    pub severity: Severity,
    /// One line naming the action, ARN or key at fault.
    pub message: String,
    pub location: Location,
    /// A concrete edit that resolves the finding, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Set when the author accepted this finding (role `[lint] ignore`, statement `ignore`,
    /// `--ignore`): the reason they gave, or an empty string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<String>,
}

impl Finding {
    /// A finding with the severity the guide gives `code`.
    pub fn new(code: &'static str, message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Finding {
            code,
            severity: super::explain::default_severity(code),
            message: message.into(),
            location: Location {
                pointer: pointer.into(),
                ..Default::default()
            },
            fix: None,
            ignored: None,
        }
    }

    pub fn with_statement(mut self, index: usize) -> Self {
        self.location.statement = Some(index);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// What `rolesmith explain` says about this finding's code (what, why, how, examples).
    pub fn explanation(&self) -> Option<&'static super::explain::CodeInfo> {
        super::explain::lookup(self.code)
    }

    /// True when the author accepted it; accepted findings never fail a run.
    pub fn is_ignored(&self) -> bool {
        self.ignored.is_some()
    }
}

/// A machine-applicable fix: edits on the policy model, with a one-line description.
///
/// Edits are applied in order; a statement index refers to the document as the previous
/// edits left it (after a split, the parts sit at the split statement's index onwards).
/// Removals are applied last, so their indexes refer to the document before them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

/// One edit of a statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "edit", rename_all = "kebab-case")]
pub enum Edit {
    /// Replace `Resource[index]` of the statement.
    ReplaceResource {
        statement: usize,
        index: usize,
        with: String,
    },
    /// Replace `Action[index]` of the statement with one or more actions.
    ReplaceAction {
        statement: usize,
        index: usize,
        with: Vec<String>,
    },
    /// Remove `Action[index]` of the statement (an entry already covered by another).
    RemoveAction { statement: usize, index: usize },
    /// Remove the whole statement (a duplicate).
    RemoveStatement { statement: usize },
    /// Add a condition (operator, key, values), merging into an existing operator block.
    AddCondition {
        statement: usize,
        operator: String,
        key: String,
        values: Vec<String>,
    },
    /// Set the document's `Version`.
    SetVersion { version: String },
    /// Replace the statement by one statement per part, each keeping the original's
    /// effect and condition, with its own actions and resources (Sid suffixed by the part).
    SplitStatement {
        statement: usize,
        parts: Vec<StatementPart>,
    },
}

/// The actions and resources of one statement after a split.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementPart {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// Why a fix could not be applied: the document changed since it was linted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the fix no longer applies: {0}")]
pub struct FixError(pub String);

impl Fix {
    pub fn new(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            description: description.into(),
            edits,
        }
    }

    /// Applies the fix to a policy document in place.
    pub fn apply(&self, doc: &mut PolicyDocument) -> Result<(), FixError> {
        let mut statements = std::mem::take(&mut doc.statement).into_vec();
        let single = statements.len() == 1;
        let result = self.apply_to_statements(&mut statements, Some(&mut doc.version));
        doc.statement = if single && statements.len() == 1 {
            // Keep the author's single-object form when there still is one statement.
            OneOrMany::from_vec(statements)
        } else {
            OneOrMany::Many(statements)
        };
        result
    }

    /// Applies the fix to the statements of a role's inline policy (`location.document` must
    /// be `Inline(i)`): the TUI edits the role, not rendered documents. Resources are edited
    /// as written in the role file (placeholders like `${Account}` stay).
    pub fn apply_to_role(
        &self,
        role: &mut RoleSpec,
        document: DocumentRef,
    ) -> Result<(), FixError> {
        let DocumentRef::Inline(i) = document else {
            return Err(FixError(
                "only inline policy statements can be fixed in a role".into(),
            ));
        };
        let policy = role
            .policies
            .get_mut(i)
            .ok_or_else(|| FixError(format!("the role has no inline policy #{i}")))?;
        let ignores: Vec<_> = policy.statements.iter().map(|s| s.ignore.clone()).collect();
        let mut statements: Vec<Statement> = policy
            .statements
            .iter()
            .map(StatementSpec::to_statement)
            .collect();
        // A split keeps the original's ignores on every part.
        let split_at = self.edits.iter().find_map(|e| match e {
            Edit::SplitStatement { statement, parts } => Some((*statement, parts.len())),
            _ => None,
        });
        self.apply_to_statements(&mut statements, None)?;
        let mut specs = Vec::with_capacity(statements.len());
        let mut source = 0usize;
        let mut produced = 0usize;
        for s in statements {
            let ignore = ignores.get(source).cloned().unwrap_or_default();
            specs.push(StatementSpec::from_statement(s, ignore));
            produced += 1;
            let width = match split_at {
                Some((at, n)) if at == source => n,
                _ => 1,
            };
            if produced >= width {
                source += 1;
                produced = 0;
            }
        }
        policy.statements = specs;
        Ok(())
    }

    fn apply_to_statements(
        &self,
        statements: &mut Vec<Statement>,
        mut version: Option<&mut Option<String>>,
    ) -> Result<(), FixError> {
        // Removals shift indexes: they are applied after the other edits, highest index
        // first. Splits are applied in order, so later edits see the split statements.
        let mut remove_actions: Vec<(usize, usize)> = Vec::new();
        let mut remove_statements: Vec<usize> = Vec::new();
        for edit in &self.edits {
            match edit {
                Edit::ReplaceResource {
                    statement,
                    index,
                    with,
                } => {
                    let s = get(statements, *statement)?;
                    let list = s
                        .resource
                        .as_mut()
                        .ok_or_else(|| FixError("the statement has no Resource".into()))?;
                    set_item(list, *index, vec![with.clone()])?;
                }
                Edit::ReplaceAction {
                    statement,
                    index,
                    with,
                } => {
                    let s = get(statements, *statement)?;
                    let list = s
                        .action
                        .as_mut()
                        .ok_or_else(|| FixError("the statement has no Action".into()))?;
                    set_item(list, *index, with.clone())?;
                }
                Edit::RemoveAction { statement, index } => {
                    remove_actions.push((*statement, *index));
                }
                Edit::RemoveStatement { statement } => remove_statements.push(*statement),
                Edit::AddCondition {
                    statement,
                    operator,
                    key,
                    values,
                } => {
                    let s = get(statements, *statement)?;
                    let block: &mut ConditionBlock =
                        s.condition.get_or_insert_with(Default::default);
                    let vals: Vec<ConditionScalar> = values
                        .iter()
                        .map(|v| ConditionScalar::from(v.as_str()))
                        .collect();
                    block
                        .entry(operator.clone())
                        .or_default()
                        .insert(key.clone(), OneOrMany::from_vec(vals));
                }
                Edit::SetVersion { version: v } => {
                    if let Some(slot) = version.as_deref_mut() {
                        *slot = Some(v.clone());
                    }
                }
                Edit::SplitStatement { statement, parts } => {
                    let original = get(statements, *statement)?.clone();
                    let replacement: Vec<Statement> = parts
                        .iter()
                        .enumerate()
                        .map(|(n, part)| Statement {
                            sid: original.sid.as_ref().map(|s| format!("{s}{}", n + 1)),
                            action: Some(OneOrMany::from_vec(part.actions.clone())),
                            resource: Some(OneOrMany::from_vec(part.resources.clone())),
                            ..original.clone()
                        })
                        .collect();
                    statements.splice(*statement..=*statement, replacement);
                }
            }
        }
        remove_actions.sort_unstable();
        for (s, i) in remove_actions.into_iter().rev() {
            let st = get(statements, s)?;
            let list = st
                .action
                .take()
                .ok_or_else(|| FixError("the statement has no Action".into()))?;
            let mut v = list.into_vec();
            if i >= v.len() {
                return Err(FixError(format!("the statement has no action #{i}")));
            }
            v.remove(i);
            st.action = Some(OneOrMany::from_vec(v));
        }
        remove_statements.sort_unstable();
        remove_statements.dedup();
        for s in remove_statements.into_iter().rev() {
            if s >= statements.len() {
                return Err(FixError(format!("there is no statement #{s}")));
            }
            statements.remove(s);
        }
        Ok(())
    }
}

fn get(statements: &mut [Statement], index: usize) -> Result<&mut Statement, FixError> {
    statements
        .get_mut(index)
        .ok_or_else(|| FixError(format!("there is no statement #{index}")))
}

fn set_item(list: &mut OneOrMany<String>, index: usize, with: Vec<String>) -> Result<(), FixError> {
    let mut v = std::mem::take(list).into_vec();
    if index >= v.len() {
        return Err(FixError(format!("there is no entry #{index}")));
    }
    let was_one = v.len() == 1;
    v.splice(index..=index, with);
    *list = if was_one {
        OneOrMany::from_vec(v)
    } else {
        OneOrMany::Many(v)
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> PolicyDocument {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn severities_order_for_fail_on() {
        assert!(Severity::Error > Severity::Warning);
        assert!(Severity::Warning > Severity::Suggestion);
        assert_eq!("warning".parse::<Severity>().unwrap(), Severity::Warning);
    }

    #[test]
    fn replace_resource_keeps_the_single_form() {
        let mut d = doc(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b"}}"#,
        );
        let fix = Fix::new(
            "objects",
            vec![Edit::ReplaceResource {
                statement: 0,
                index: 0,
                with: "arn:aws:s3:::b/*".into(),
            }],
        );
        fix.apply(&mut d).unwrap();
        assert_eq!(
            d.to_compact_json(),
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}"#
        );
    }

    #[test]
    fn split_and_condition_and_stale_fix() {
        let mut d = doc(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":"arn:aws:s3:::b"}]}"#,
        );
        let fix = Fix::new(
            "split",
            vec![Edit::SplitStatement {
                statement: 0,
                parts: vec![
                    StatementPart {
                        actions: vec!["s3:ListBucket".into()],
                        resources: vec!["arn:aws:s3:::b".into()],
                    },
                    StatementPart {
                        actions: vec!["s3:GetObject".into()],
                        resources: vec!["arn:aws:s3:::b/*".into()],
                    },
                ],
            }],
        );
        fix.apply(&mut d).unwrap();
        assert_eq!(
            d.to_compact_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"},{"Sid":"S2","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
        );
        let cond = Fix::new(
            "c",
            vec![Edit::AddCondition {
                statement: 1,
                operator: "StringEquals".into(),
                key: "iam:PassedToService".into(),
                values: vec!["lambda.amazonaws.com".into()],
            }],
        );
        cond.apply(&mut d).unwrap();
        assert!(d.to_compact_json().contains(
            r#""Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}"#
        ));
        let stale = Fix::new(
            "x",
            vec![Edit::RemoveAction {
                statement: 9,
                index: 0,
            }],
        );
        assert!(stale.apply(&mut d).is_err());
    }

    #[test]
    fn fixes_apply_to_role_statements_and_keep_ignores() {
        let mut role = crate::role::parse_role_text(
            "r.toml",
            r#"
name = "r"
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "p"
[[policy.statement]]
actions = ["s3:PutObject", "s3:ListBucket"]
resources = ["arn:aws:s3:::b"]
ignore = ["permissions-management"]
"#,
        )
        .unwrap();
        let fix = Fix::new(
            "split",
            vec![Edit::SplitStatement {
                statement: 0,
                parts: vec![
                    StatementPart {
                        actions: vec!["s3:ListBucket".into()],
                        resources: vec!["arn:aws:s3:::b".into()],
                    },
                    StatementPart {
                        actions: vec!["s3:PutObject".into()],
                        resources: vec!["arn:aws:s3:::b/*".into()],
                    },
                ],
            }],
        );
        fix.apply_to_role(&mut role, DocumentRef::Inline(0))
            .unwrap();
        let st = &role.policies[0].statements;
        assert_eq!(st.len(), 2);
        assert_eq!(st[1].resources, vec!["arn:aws:s3:::b/*".to_string()]);
        assert_eq!(st[0].ignore.len(), 1);
        assert_eq!(st[1].ignore.len(), 1);
        assert!(fix.apply_to_role(&mut role, DocumentRef::Trust).is_err());
    }
}
