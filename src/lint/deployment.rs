//! Checks of what a role is deployed with: its tags (IAM's tag rules), the size of each
//! policy it creates as a customer managed policy, and a permissions boundary that does not
//! allow what the role's own policies grant (that grant is dead: IAM allows only what both
//! the policies and the boundary allow).
//!
//! Codes: `invalid-tag`, `boundary-blocks-grant`, and `policy-too-large` for created policies.
//!
//! The boundary check is deliberately simple and never guesses: actions are expanded with the
//! catalog, resources compared as IAM wildcard patterns, a boundary `Allow` with a condition
//! counts as allowing, a `Deny` only blocks when it has no condition, and a boundary whose
//! document is not known (a customer managed ARN, an abbreviated curated policy) is not
//! judged. The evaluation engine (`crate::eval`) answers exact questions about single requests.

use crate::policy::size::{iam_size, quota};
use crate::policy::{Effect, OneOrMany, PolicyDocument, Statement};
use crate::role::deployment::{TagPart, tag_problems};
use crate::role::{RoleDocuments, RoleSpec};

use super::context::{LintContext, Resolved, glob_ignore_case};
use super::{DocumentRef, Finding};

/// Every finding of this family for `role`, whose documents are `docs`.
pub(crate) fn check(cx: &LintContext<'_>, role: &RoleSpec, docs: &RoleDocuments) -> Vec<Finding> {
    let mut out = Vec::new();
    tags(role, &mut out);
    created_sizes(docs, &mut out);
    boundary(cx, docs, &mut out);
    out
}

fn tags(role: &RoleSpec, out: &mut Vec<Finding>) {
    let tags = role.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    for p in tag_problems(tags) {
        let pointer = match p.part {
            TagPart::All => "/Tags".to_string(),
            TagPart::Key => format!("/Tags/{}/Key", p.index),
            TagPart::Value => format!("/Tags/{}/Value", p.index),
        };
        let mut f = Finding::new("invalid-tag", p.message, pointer);
        f.location.document = DocumentRef::Role;
        out.push(f);
    }
}

fn created_sizes(docs: &RoleDocuments, out: &mut Vec<Finding>) {
    for (i, p) in docs.policies.iter().enumerate() {
        if p.created.is_none() {
            continue;
        }
        let size = iam_size(&p.document);
        if size > quota::MANAGED_POLICY {
            let mut f = Finding::new(
                "policy-too-large",
                format!(
                    "managed policy {} is {size} characters without whitespace, over the {} IAM allows a managed policy",
                    p.name,
                    quota::MANAGED_POLICY
                ),
                format!("/Policies/{i}/PolicyDocument"),
            );
            f.location.document = DocumentRef::Inline(i);
            out.push(f);
        }
    }
}

/// The boundary's document, when rolesmith knows it exactly, with a name for messages.
fn boundary_document(
    cx: &LintContext<'_>,
    docs: &RoleDocuments,
) -> Option<(String, PolicyDocument)> {
    let arn = docs.permissions_boundary.as_deref()?;
    if let Some((policy, _)) = docs.created_policy_by_arn(arn) {
        return Some((policy.name.clone(), policy.document.clone()));
    }
    let info = cx.managed_policy(arn);
    info.document.map(|d| (info.name, d))
}

fn boundary(cx: &LintContext<'_>, docs: &RoleDocuments, out: &mut Vec<Finding>) {
    let Some((boundary_name, boundary)) = boundary_document(cx, docs) else {
        return;
    };
    for (pi, policy) in docs.policies.iter().enumerate() {
        if policy.is_boundary_only() {
            continue;
        }
        let prefix = format!("/Policies/{pi}/PolicyDocument");
        for (si, s) in policy.document.statements().iter().enumerate() {
            if s.effect != Effect::Allow {
                continue;
            }
            let (Some(actions), Some(resources)) = (&s.action, &s.resource) else {
                continue; // NotAction / NotResource grants: too open-ended to call dead
            };
            let statement = match &policy.document.statement {
                OneOrMany::One(_) => format!("{prefix}/Statement"),
                OneOrMany::Many(_) => format!("{prefix}/Statement/{si}"),
            };
            for (k, pattern) in actions.iter().enumerate() {
                let concrete: Vec<String> = match cx.resolve(pattern) {
                    Resolved::Known { index, actions } if !actions.is_empty() => actions
                        .iter()
                        .map(|a| format!("{}:{}", index.service.prefix, a.name))
                        .collect(),
                    // `*`, unknown services and typos: other checks speak to those.
                    _ => continue,
                };
                let dead = concrete
                    .iter()
                    .all(|a| resources.iter().all(|r| !boundary_allows(&boundary, a, r)));
                if !dead {
                    continue;
                }
                let pointer = match actions {
                    OneOrMany::One(_) => format!("{statement}/Action"),
                    OneOrMany::Many(_) => format!("{statement}/Action/{k}"),
                };
                let what = if concrete.len() == 1 {
                    pattern.to_string()
                } else {
                    format!("{pattern} ({} actions)", concrete.len())
                };
                let mut f = Finding::new(
                    "boundary-blocks-grant",
                    format!(
                        "{what} is granted but the permissions boundary {boundary_name} does not allow it on these resources: the grant has no effect"
                    ),
                    pointer,
                )
                .with_statement(si);
                f.location.document = DocumentRef::Inline(pi);
                out.push(f);
            }
        }
    }
}

/// Might the boundary allow `action` on some resource `grant` stands for?
fn boundary_allows(boundary: &PolicyDocument, action: &str, grant: &str) -> bool {
    let statements = boundary.statements();
    let denied = statements.iter().any(|s| {
        s.effect == Effect::Deny
            && s.condition.is_none()
            && action_applies(s, action)
            && s.resource
                .as_ref()
                .is_some_and(|rs| rs.iter().any(|b| covers(b, grant)))
    });
    !denied
        && statements.iter().any(|s| {
            s.effect == Effect::Allow
                && action_applies(s, action)
                && match (&s.resource, &s.not_resource) {
                    (Some(rs), _) => rs.iter().any(|b| overlaps(b, grant)),
                    (None, Some(nrs)) => !nrs.iter().any(|b| covers(b, grant)),
                    (None, None) => false,
                }
        })
}

/// Does statement `s` name `action` (through `Action`, or by leaving it out of `NotAction`)?
fn action_applies(s: &Statement, action: &str) -> bool {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|p| glob_ignore_case(p, action)),
        (None, Some(na)) => !na.iter().any(|p| glob_ignore_case(p, action)),
        (None, None) => false,
    }
}

/// One element of an IAM resource pattern: a character, `?` or `*`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    One,
    Any,
}

/// A resource pattern as tokens; a policy variable (`${aws:username}`) may become anything
/// at request time, so it counts as `*`.
fn tokens(pattern: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            out.push(Tok::Any);
            rest = &rest[end + 1..];
            continue;
        }
        out.push(match c {
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Char(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Is there a resource both patterns match? (Breadth-first over pairs of positions.)
fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (tokens(a), tokens(b));
    let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        let slot = i * (b.len() + 1) + j;
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x == Some(Tok::Any) {
            todo.push((i + 1, j)); // a's `*` ends
            if j < b.len() {
                todo.push((i, j + 1)); // a's `*` takes b's next element
            }
        }
        if y == Some(Tok::Any) {
            todo.push((i, j + 1));
            if i < a.len() {
                todo.push((i + 1, j));
            }
        }
        if let (Some(x), Some(y)) = (x, y)
            && x != Tok::Any
            && y != Tok::Any
            && (x == Tok::One || y == Tok::One || x == y)
        {
            todo.push((i + 1, j + 1));
        }
    }
    false
}

/// Does pattern `outer` match every resource pattern `inner` matches? A wildcard of
/// `inner` is only covered by a `*` of `outer` (or `?` by `?`).
fn covers(outer: &str, inner: &str) -> bool {
    let (a, b) = (tokens(outer), tokens(inner));
    let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        let slot = i * (b.len() + 1) + j;
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        match a.get(i) {
            Some(Tok::Any) => {
                todo.push((i + 1, j));
                if j < b.len() {
                    todo.push((i, j + 1));
                }
            }
            Some(Tok::One) if matches!(b.get(j), Some(Tok::Char(_) | Tok::One)) => {
                todo.push((i + 1, j + 1));
            }
            Some(Tok::Char(c)) if b.get(j) == Some(&Tok::Char(*c)) => todo.push((i + 1, j + 1)),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint_role;
    use crate::lint::testing::mini_catalog;
    use crate::role::parse_role_text;

    #[test]
    fn wildcard_patterns_overlap_and_cover() {
        assert!(overlaps("arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/*"));
        assert!(overlaps("arn:aws:s3:::a*c", "arn:aws:s3:::ab*"));
        assert!(overlaps("*", "arn:aws:sqs:eu-west-1:1:q"));
        assert!(!overlaps("arn:aws:s3:::b/*", "arn:aws:s3:::other/*"));
        assert!(!overlaps("arn:aws:s3:::b", "arn:aws:s3:::b/*x"));
        assert!(overlaps(
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::b/alice/x"
        ));
        assert!(covers("arn:aws:s3:::*", "arn:aws:s3:::b/*"));
        assert!(!covers("arn:aws:s3:::b/x*", "arn:aws:s3:::b/*"));
        assert!(!covers("arn:aws:s3:::b/?", "arn:aws:s3:::b/*"));
        assert!(covers("arn:aws:s3:::b/?", "arn:aws:s3:::b/?"));
    }

    fn findings(boundary: &str, grant: &str) -> Vec<Finding> {
        let text = format!(
            "name = \"r\"\naccount = \"123456789012\"\npermissions_boundary = \"cap\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n[[policy]]\nname = \"cap\"\n{boundary}\n[[policy]]\nname = \"work\"\n{grant}\n"
        );
        lint_role(&parse_role_text("r.toml", &text).unwrap(), &mini_catalog())
            .into_iter()
            .filter(|f| f.code == "boundary-blocks-grant")
            .collect()
    }

    #[test]
    fn grants_outside_the_boundary_are_dead() {
        let cap = "[[policy.statement]]\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::b/*\"]\n";
        let inside = "[[policy.statement]]\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::b/reports/*\"]\n";
        assert!(findings(cap, inside).is_empty());
        let other_action = "[[policy.statement]]\nactions = [\"s3:GetObject\", \"s3:PutObject\"]\nresources = [\"arn:aws:s3:::b/*\"]\n";
        let f = findings(cap, other_action);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].location.pointer,
            "/Policies/1/PolicyDocument/Statement/0/Action/1"
        );
        assert!(f[0].message.contains("s3:PutObject"), "{}", f[0].message);
        let other_bucket = "[[policy.statement]]\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::c/*\"]\n";
        assert_eq!(findings(cap, other_bucket).len(), 1);
    }

    #[test]
    fn denies_conditions_and_not_action_are_read_carefully() {
        let grant = "[[policy.statement]]\nactions = [\"s3:PutObject\"]\nresources = [\"arn:aws:s3:::b/*\"]\n";
        let deny_all = "[[policy.statement]]\nactions = [\"s3:*\"]\nresources = [\"*\"]\n[[policy.statement]]\neffect = \"Deny\"\nactions = [\"s3:Put*\"]\nresources = [\"*\"]\n";
        assert_eq!(findings(deny_all, grant).len(), 1);
        let deny_if = "[[policy.statement]]\nactions = [\"s3:*\"]\nresources = [\"*\"]\n[[policy.statement]]\neffect = \"Deny\"\nactions = [\"s3:Put*\"]\nresources = [\"*\"]\n[policy.statement.condition.Bool]\n\"aws:SecureTransport\" = [\"false\"]\n";
        assert!(
            findings(deny_if, grant).is_empty(),
            "a conditional deny may not apply"
        );
        let not_action = "[[policy.statement]]\nnot_actions = [\"iam:*\"]\nresources = [\"*\"]\n";
        assert!(findings(not_action, grant).is_empty());
        let not_s3 = "[[policy.statement]]\nnot_actions = [\"s3:*\"]\nresources = [\"*\"]\n";
        assert_eq!(findings(not_s3, grant).len(), 1);
    }

    #[test]
    fn tags_break_iams_rules_as_findings() {
        let mut role = parse_role_text(
            "r.toml",
            "name = \"r\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n",
        )
        .unwrap();
        role.tags.insert("aws:team".into(), "x".into());
        let f: Vec<Finding> = lint_role(&role, &mini_catalog())
            .into_iter()
            .filter(|f| f.code == "invalid-tag")
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.pointer, "/Tags/0/Key");
    }
}
