//! Checks of `Action`/`NotAction`: format, catalog membership, wildcards, Permissions
//! management, redundant entries, and duplicate statements.
//!
//! Codes: `action-format`, `unknown-action`, `unknown-service`, `action-wildcard`,
//! `action-wildcard-partial`, `permissions-management`, `allow-not-action`,
//! `redundant-action`, `duplicate-statement`.

use std::collections::HashSet;

use super::context::glob_ignore_case as wildcard_match_ignore_case;
use crate::catalog::AccessLevel;
use crate::policy::{Effect, Statement};

use super::context::{LintContext, Resolved, count_permissions_management};
use super::{Doc, Edit, Finding, Fix, Severity};

/// How many expanded names a message lists before "and N more".
const LIST_LIMIT: usize = 8;

/// A service prefix the catalog lacks: reported once per document, with what it holds.
struct UnknownService {
    prefix: String,
    statement: usize,
    pointer: String,
    actions: Vec<String>,
}

pub(crate) fn check(cx: &LintContext<'_>, d: &Doc<'_>, out: &mut Vec<Finding>) {
    let mut unknown: Vec<UnknownService> = Vec::new();
    for (i, s) in d.statements().iter().enumerate() {
        let allow = s.effect == Effect::Allow;
        // Allow statements of trust, resource and control policies do not hand the actions
        // to the policy's holder: no breadth warnings there.
        let grants = allow && d.kind.grants_to_holder();
        for (field, list) in [("Action", &s.action), ("NotAction", &s.not_action)] {
            let Some(list) = list else { continue };
            for (j, action) in list.iter().enumerate() {
                // Built only for a finding: most entries have none.
                let pointer = || d.item(i, field, list, j);
                if let Some(prefix) = check_entry(cx, action, field, grants, i, j, pointer, out) {
                    match unknown.iter_mut().find(|u| u.prefix == prefix) {
                        Some(u) => u.actions.push(action.clone()),
                        None => unknown.push(UnknownService {
                            prefix,
                            statement: i,
                            pointer: pointer(),
                            actions: vec![action.clone()],
                        }),
                    }
                }
            }
            if field == "Action" {
                redundant(cx, d, i, list.as_slice(), out);
            }
        }
        if allow && d.kind != super::PolicyKind::Scp && s.not_action.is_some() {
            out.push(
                Finding::new(
                    "allow-not-action",
                    format!(
                        "Allow with NotAction grants every action except {}, including actions AWS adds later",
                        list_names(s.not_action.iter().flatten().cloned().collect())
                    ),
                    d.field(i, "NotAction"),
                )
                .with_statement(i),
            );
        }
    }
    for u in unknown {
        let n = u.actions.len();
        let what = if n == 1 {
            u.actions[0].clone()
        } else {
            format!("{n} actions ({})", list_names(u.actions))
        };
        out.push(
            Finding::new(
                "unknown-service",
                format!(
                    "service \"{}\" is not in the loaded catalog, so {what} could not be checked (check the prefix, or run `rolesmith catalog update`)",
                    u.prefix
                ),
                u.pointer,
            )
            .with_statement(u.statement),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn check_entry(
    cx: &LintContext<'_>,
    action: &str,
    field: &str,
    grants: bool,
    i: usize,
    j: usize,
    pointer: impl Fn() -> String,
    out: &mut Vec<Finding>,
) -> Option<String> {
    let grants = grants && field == "Action";
    match cx.resolve(action) {
        Resolved::Malformed => out.push(
            Finding::new(
                "action-format",
                format!("\"{action}\" is not an action: write service:Action, e.g. s3:GetObject (wildcards only in the action part)"),
                pointer(),
            )
            .with_statement(i),
        ),
        Resolved::UnknownService(prefix) => return Some(prefix),
        Resolved::Known { index, actions } if actions.is_empty() => {
            let prefix = &index.service.prefix;
            let name = action.split_once(':').map_or(action, |(_, n)| n);
            let closest = index.closest(name);
            let mut f = Finding::new(
                "unknown-action",
                match closest {
                    Some(c) => format!("{action}: {prefix} has no such action; did you mean {prefix}:{c}?"),
                    None => format!("{action}: {prefix} has no such action"),
                },
                pointer(),
            )
            .with_statement(i);
            if let Some(c) = closest
                && field == "Action"
                && !name.contains(['*', '?'])
            {
                f = f.with_fix(Fix::new(
                    format!("replace with {prefix}:{c}"),
                    vec![Edit::ReplaceAction {
                        statement: i,
                        index: j,
                        with: vec![format!("{prefix}:{c}")],
                    }],
                ));
            }
            out.push(f);
        }
        Resolved::Known { index, actions } => {
            if !grants {
                return None;
            }
            let prefix = &index.service.prefix;
            let name = action.split_once(':').map_or(action, |(_, n)| n);
            let pm = count_permissions_management(actions.iter().copied());
            if name == "*" {
                out.push(
                    Finding::new(
                        "action-wildcard",
                        format!(
                            "{action} grants all {} actions of {prefix}, {pm} of them Permissions management",
                            actions.len()
                        ),
                        pointer(),
                    )
                    .with_statement(i),
                );
            } else if name.contains(['*', '?']) {
                let names: Vec<String> = actions.iter().map(|a| format!("{prefix}:{}", a.name)).collect();
                let pm_names: Vec<String> = actions
                    .iter()
                    .filter(|a| a.access == AccessLevel::PermissionsManagement)
                    .map(|a| format!("{prefix}:{}", a.name))
                    .collect();
                let mut message = format!(
                    "{action} expands to {} action{}: {}",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    list_names(names.clone())
                );
                let mut f = Finding::new("action-wildcard-partial", String::new(), pointer()).with_statement(i);
                if !pm_names.is_empty() {
                    message.push_str(&format!(
                        "; Permissions management among them: {}",
                        list_names(pm_names)
                    ));
                    f = f.with_severity(Severity::Warning);
                }
                f.message = message;
                if names.len() <= 20 {
                    f = f.with_fix(Fix::new(
                        format!("list the {} actions instead of {action}", names.len()),
                        vec![Edit::ReplaceAction {
                            statement: i,
                            index: j,
                            with: names,
                        }],
                    ));
                }
                out.push(f);
            } else if let Some(a) = actions.first()
                && a.access == AccessLevel::PermissionsManagement
            {
                out.push(
                    Finding::new(
                        "permissions-management",
                        format!(
                            "{prefix}:{} is a Permissions management action: it changes who may access the resource",
                            a.name
                        ),
                        pointer(),
                    )
                    .with_statement(i),
                );
            }
        }
        Resolved::Everything => {
            if !grants {
                return None;
            }
            let all = cx.every_action();
            let pm = count_permissions_management(all.iter().map(|(_, a)| *a));
            out.push(
                Finding::new(
                    "action-wildcard",
                    format!(
                        "\"*\" grants every action of every service: {} actions in the loaded catalog, {pm} of them Permissions management",
                        all.len()
                    ),
                    pointer(),
                )
                .with_statement(i),
            );
        }
    }
    None
}

/// What one entry of an action list covers, for redundancy.
enum Cover {
    Everything,
    Names(HashSet<String>),
    /// Unknown to the catalog: compared as text.
    Text(String),
}

fn cover(cx: &LintContext<'_>, action: &str) -> Cover {
    match cx.resolve(action) {
        Resolved::Everything => Cover::Everything,
        Resolved::Known { index, actions } if !actions.is_empty() => Cover::Names(
            actions
                .iter()
                .map(|a| format!("{}:{}", index.service.prefix, a.name.to_ascii_lowercase()))
                .collect(),
        ),
        _ => Cover::Text(action.to_ascii_lowercase()),
    }
}

fn redundant(cx: &LintContext<'_>, d: &Doc<'_>, i: usize, list: &[String], out: &mut Vec<Finding>) {
    if list.len() < 2 {
        return;
    }
    let covers: Vec<Cover> = list.iter().map(|a| cover(cx, a)).collect();
    let Some(field) = d.statements()[i].action.as_ref() else {
        return;
    };
    for (j, cj) in covers.iter().enumerate() {
        let by = covers.iter().enumerate().find(|(k, ck)| {
            *k != j
                && match (cj, ck) {
                    (Cover::Everything, Cover::Everything) => *k < j,
                    (_, Cover::Everything) => true,
                    (Cover::Names(a), Cover::Names(b)) => a.is_subset(b) && (a != b || *k < j),
                    (Cover::Text(a), Cover::Text(b)) => {
                        (a == b && *k < j)
                            || (b != a
                                && !a.contains(['*', '?'])
                                && wildcard_match_ignore_case(b, a))
                    }
                    _ => false,
                }
        });
        if let Some((k, _)) = by {
            out.push(
                Finding::new(
                    "redundant-action",
                    format!(
                        "{} is already covered by {} in the same statement",
                        list[j], list[k]
                    ),
                    d.item(i, "Action", field, j),
                )
                .with_statement(i)
                .with_fix(Fix::new(
                    format!("remove {}", list[j]),
                    vec![Edit::RemoveAction {
                        statement: i,
                        index: j,
                    }],
                )),
            );
        }
    }
}

/// `duplicate-statement`: a later statement that grants exactly what an earlier one does.
pub(crate) fn check_duplicate_statements(d: &Doc<'_>, out: &mut Vec<Finding>) {
    if d.statements().len() < 2 {
        return;
    }
    let normal: Vec<Normal<'_>> = d.statements().iter().map(Normal::of).collect();
    for (j, nj) in normal.iter().enumerate() {
        if let Some(k) = normal[..j].iter().position(|nk| nk == nj) {
            out.push(
                Finding::new(
                    "duplicate-statement",
                    format!("statement {j} grants the same as statement {k}"),
                    d.stmt(j),
                )
                .with_statement(j)
                .with_fix(Fix::new(
                    format!("remove statement {j}"),
                    vec![Edit::RemoveStatement { statement: j }],
                )),
            );
        }
    }
}

/// A statement without its Sid, lists sorted (actions ignoring case), for comparison.
#[derive(PartialEq)]
struct Normal<'a> {
    effect: Effect,
    principal: Option<&'a crate::policy::Principal>,
    not_principal: Option<&'a crate::policy::Principal>,
    action: Option<Vec<String>>,
    not_action: Option<Vec<String>>,
    resource: Option<Vec<&'a str>>,
    not_resource: Option<Vec<&'a str>>,
    condition: Option<&'a crate::policy::ConditionBlock>,
}

impl<'a> Normal<'a> {
    fn of(s: &'a Statement) -> Self {
        let lower = |l: &Option<crate::policy::OneOrMany<String>>| {
            l.as_ref().map(|l| {
                let mut v: Vec<String> = l.iter().map(|a| a.to_ascii_lowercase()).collect();
                v.sort();
                v.dedup();
                v
            })
        };
        let sorted = |l: &'a Option<crate::policy::OneOrMany<String>>| {
            l.as_ref().map(|l| {
                let mut v: Vec<&str> = l.iter().map(String::as_str).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
        };
        Normal {
            effect: s.effect,
            principal: s.principal.as_ref(),
            not_principal: s.not_principal.as_ref(),
            action: lower(&s.action),
            not_action: lower(&s.not_action),
            resource: sorted(&s.resource),
            not_resource: sorted(&s.not_resource),
            condition: s.condition.as_ref(),
        }
    }
}

/// `a, b, c and 12 more`.
pub(crate) fn list_names(names: Vec<String>) -> String {
    if names.len() <= LIST_LIMIT {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..LIST_LIMIT].join(", "),
        names.len() - LIST_LIMIT
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::mini_catalog;
    use crate::lint::{Finding, PolicyKind, lint_document};
    use crate::policy::PolicyDocument;

    fn lint(statements: &str) -> Vec<Finding> {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let doc: PolicyDocument = serde_json::from_str(&text).unwrap();
        lint_document(&doc, PolicyKind::Identity, &mini_catalog(), None)
    }

    #[test]
    fn partial_wildcards_list_their_expansion_and_warn_on_permissions_management() {
        let f =
            lint(r#"{"Effect":"Allow","Action":"s3:PutObject*","Resource":"arn:aws:s3:::b/*"}"#);
        let partial = f
            .iter()
            .find(|f| f.code == "action-wildcard-partial")
            .unwrap();
        assert_eq!(partial.severity, crate::lint::Severity::Warning);
        assert!(
            partial.message.contains("s3:PutObjectAcl"),
            "{}",
            partial.message
        );
        let fix = partial.fix.as_ref().unwrap();
        assert!(
            matches!(&fix.edits[0], crate::lint::Edit::ReplaceAction { with, .. } if with.len() == 3)
        );
    }

    #[test]
    fn unknown_actions_suggest_the_closest_and_deny_is_not_over_broad() {
        let f = lint(r#"{"Effect":"Deny","Action":["s3:*","s3:GetObjekt"],"Resource":"*"}"#);
        let codes: Vec<_> = f.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["unknown-action"]);
        assert!(f[0].message.contains("did you mean s3:GetObject?"));
    }

    #[test]
    fn duplicates_and_redundancy() {
        let f = lint(
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"arn:aws:s3:::b/*"},
               {"Effect":"Allow","Action":["s3:Get*","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}"#,
        );
        assert!(
            f.iter()
                .any(|f| f.code == "redundant-action"
                    && f.location.pointer == "/Statement/0/Action/0")
        );
        assert!(
            f.iter()
                .any(|f| f.code == "duplicate-statement" && f.location.statement == Some(1))
        );
    }
}
