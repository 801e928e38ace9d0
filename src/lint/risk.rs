//! Risk checks driven by data (`assets/lint/*.toml`): privilege escalation paths, sensitive
//! reads on every resource, and actions that return credentials.
//!
//! These match action names as IAM does (case-insensitive wildcards), so they work for
//! services the loaded catalog lacks too.
//!
//! Codes: `privilege-escalation`, `data-exfiltration`, `credentials-exposure`.

use super::context::glob_ignore_case as wildcard_match_ignore_case;
use crate::policy::{Effect, Statement};
use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::actions::list_names;
use super::context::LintContext;
use super::data::EscalationPath;
use super::resources::{any_role, passed_to_services};
use super::{Doc, Finding};

/// Does the statement's Action/NotAction select `action` (`service:Name`)?
fn selects(s: &Statement, action: &str) -> bool {
    if let Some(list) = &s.action {
        return list.iter().any(|p| wildcard_match_ignore_case(p, action));
    }
    if let Some(list) = &s.not_action {
        return !list.iter().any(|p| wildcard_match_ignore_case(p, action));
    }
    false
}

/// Can one of the statement's resources name a resource of `action`'s service? (An action
/// allowed only on another service's ARNs grants nothing.)
fn could_apply(s: &Statement, action: &str) -> bool {
    let prefix = action.split_once(':').map_or(action, |(p, _)| p);
    s.not_resource.is_some()
        || s.resources().iter().any(|r| {
            r == "*"
                || crate::policy::Arn::parse(r).is_ok_and(|a| {
                    a.service.contains(['*', '?']) || a.service.eq_ignore_ascii_case(prefix)
                })
        })
}

/// Resource `*` (or an ARN pattern whose every part is a wildcard).
fn all_resources(r: &str) -> bool {
    r == "*"
        || r.strip_prefix("arn:").is_some_and(|rest| {
            rest.split(':')
                .all(|p| p.is_empty() || p.chars().all(|c| c == '*' || c == '/'))
        })
}

/// Does the statement apply to every resource?
fn on_everything(s: &Statement) -> bool {
    s.not_resource.is_some() || s.resources().iter().any(|r| all_resources(r))
}

/// The service parts (before the first `:`) of a statement's Action patterns, so the data
/// actions of other services are ruled out without matching each against every pattern;
/// `None` when there is no such shortcut (NotAction, or a wildcard in a service part).
fn action_services(s: &Statement) -> Option<Vec<&str>> {
    let list = match (&s.action, &s.not_action) {
        (Some(list), _) => list,
        (None, Some(_)) => return None,
        (None, None) => return Some(Vec::new()),
    };
    let mut services: Vec<&str> = Vec::new();
    for p in list.iter() {
        let service = p.split_once(':').map(|(service, _)| service)?;
        if service.contains(['*', '?']) {
            return None;
        }
        if !services.iter().any(|s| s.eq_ignore_ascii_case(service)) {
            services.push(service);
        }
    }
    Some(services)
}

/// Is `action` (`service:Name`) of `service`, ignoring case? (No search for the `:`.)
fn of_service(action: &str, service: &str) -> bool {
    let (a, n) = (action.as_bytes(), service.len());
    a.len() > n && a[n] == b':' && a[..n].eq_ignore_ascii_case(service.as_bytes())
}

pub(crate) fn check(cx: &LintContext<'_>, d: &Doc<'_>, out: &mut Vec<Finding>) {
    let exfil = &cx.data.exfiltration;
    let creds = &cx.data.credentials;
    for (i, s) in d.statements().iter().enumerate() {
        if s.effect != Effect::Allow {
            continue;
        }
        let services = action_services(s);
        // A pattern without a wildcard in its service part matches only that service.
        let selects = |a: &str| {
            services
                .as_ref()
                .is_none_or(|services| services.iter().any(|s| of_service(a, s)))
                && selects(s, a)
        };
        if on_everything(s) {
            let hits: Vec<String> = exfil.iter().filter(|a| selects(a)).cloned().collect();
            if !hits.is_empty() {
                let pointer = match &s.resource {
                    Some(list) => {
                        let j = list.iter().position(|r| all_resources(r)).unwrap_or(0);
                        d.item(i, "Resource", list, j)
                    }
                    None => d.field(i, "NotResource"),
                };
                out.push(
                    Finding::new(
                        "data-exfiltration",
                        format!(
                            "reads sensitive data on every resource: {}",
                            list_names(hits)
                        ),
                        pointer,
                    )
                    .with_statement(i),
                );
            }
        }
        let hits: Vec<String> = creds
            .iter()
            .filter(|a| selects(a) && could_apply(s, a))
            .cloned()
            .collect();
        if !hits.is_empty() {
            let field = if s.action.is_some() {
                "Action"
            } else {
                "NotAction"
            };
            out.push(
                Finding::new(
                    "credentials-exposure",
                    format!(
                        "allows actions that return credentials: {}",
                        list_names(hits)
                    ),
                    d.field(i, field),
                )
                .with_statement(i),
            );
        }
    }
}

/// How an escalation path's action must be allowed to count.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum PassRoleNeed<'a> {
    /// Anywhere it applies.
    No,
    /// iam:PassRole on any role (a role ARN of one named role, or a name prefix, cannot
    /// hand over an administrator's role), passable to `service` (the path's receiving
    /// service, when known).
    AnyRole { service: Option<&'a str> },
    /// On someone other than the caller: not only on `user/${aws:username}`.
    OtherPrincipal,
}

/// Does the statement name only the calling user (`arn:aws:iam::*:user/${aws:username}`)?
fn only_the_caller(s: &Statement) -> bool {
    s.not_resource.is_none()
        && !s.resources().is_empty()
        && s.resources()
            .iter()
            .all(|r| r.contains("${aws:username}") || r.contains("${aws:userid}"))
}

/// Where an action is allowed: (document index, statement index), unless an unconditional
/// Deny on every resource takes it away.
fn allowed_at(
    docs: &[&Doc<'_>],
    action: &str,
    pass_role: PassRoleNeed<'_>,
) -> Option<(usize, usize)> {
    let denied = docs.iter().any(|d| {
        d.statements().iter().any(|s| {
            s.effect == Effect::Deny
                && s.condition.is_none()
                && on_everything(s)
                && selects(s, action)
        })
    });
    if denied {
        return None;
    }
    let passes = |s: &Statement| match pass_role {
        PassRoleNeed::No => true,
        PassRoleNeed::OtherPrincipal => !only_the_caller(s),
        PassRoleNeed::AnyRole { service } => {
            let any = s.not_resource.is_some() || s.resources().iter().any(|r| any_role(r));
            let services = passed_to_services(s);
            let to_service = services.is_empty()
                || service
                    .is_none_or(|svc| services.iter().any(|p| wildcard_match_ignore_case(p, svc)));
            any && to_service
        }
    };
    docs.iter().enumerate().find_map(|(n, d)| {
        d.statements()
            .iter()
            .position(|s| {
                s.effect == Effect::Allow
                    && selects(s, action)
                    && could_apply(s, action)
                    && passes(s)
            })
            .map(|i| (n, i))
    })
}

/// The distinct action patterns the documents' Allow statements write, to rule out at once
/// the escalation actions nothing allows (most documents grant none of them): a
/// 10,000-statement policy was scanned whole for each of the paths' actions.
///
/// Patterns are kept by their service part: a pattern whose text before its first `:`
/// holds no wildcard can only match actions of that service, so an action is compared
/// with its own service's patterns and the few wildcard ones, not with every pattern of
/// the document (that comparison was ~8% of linting AWS's managed policies).
struct AllowedPatterns<'a> {
    /// Patterns by their service part in lower case.
    by_service: FxHashMap<Cow<'a, str>, Vec<&'a str>>,
    /// Patterns with a wildcard in their service part (`*`, `s3*:Get*`) or no `:` at all.
    wild: Vec<&'a str>,
    /// An Allow with NotAction may allow anything.
    not_action: bool,
}

impl<'a> AllowedPatterns<'a> {
    fn of(docs: &[&'a Doc<'a>]) -> Self {
        let mut distinct = FxHashSet::default();
        let mut not_action = false;
        for s in docs.iter().flat_map(|d| d.statements()) {
            if s.effect != Effect::Allow {
                continue;
            }
            not_action |= s.not_action.is_some();
            distinct.extend(s.action.iter().flatten().map(String::as_str));
        }
        let mut by_service: FxHashMap<Cow<'a, str>, Vec<&'a str>> = FxHashMap::default();
        let mut wild = Vec::new();
        for p in distinct {
            match p.split_once(':') {
                Some((service, _)) if !service.contains(['*', '?']) => {
                    by_service.entry(lower(service)).or_default().push(p);
                }
                _ => wild.push(p),
            }
        }
        AllowedPatterns {
            by_service,
            wild,
            not_action,
        }
    }

    /// Could some Allow statement select `action`?
    fn may_allow(&self, action: &str) -> bool {
        if self.not_action {
            return true;
        }
        let matches = |patterns: &[&str]| {
            patterns
                .iter()
                .any(|p| wildcard_match_ignore_case(p, action))
        };
        if matches(&self.wild) {
            return true;
        }
        match action.split_once(':') {
            Some((service, _)) => self
                .by_service
                .get(lower(service).as_ref())
                .is_some_and(|patterns| matches(patterns)),
            // Not `service:Name`: no shortcut, ask every pattern.
            None => self.by_service.values().any(|patterns| matches(patterns)),
        }
    }
}

/// `s` in ASCII lower case, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Above this many completed paths, one finding lists them all (a broad grant completes
/// most of them; one line each would drown every other finding).
const GROUP_ABOVE: usize = 3;

/// `privilege-escalation` over one or more documents (all inline policies of a role).
/// Returns each finding with the index of the document it points into.
pub(crate) fn escalation_findings<'a>(
    cx: &LintContext<'_>,
    docs: &[&'a Doc<'a>],
) -> Vec<(usize, Finding)> {
    let allowed = AllowedPatterns::of(docs);
    // Where each action is allowed, by (action, what it needs): paths share actions.
    let mut seen: FxHashMap<(&str, PassRoleNeed<'_>), Option<(usize, usize)>> =
        FxHashMap::default();
    // (path, its actions, where the first action is allowed)
    let mut completed: Vec<(&EscalationPath, Vec<String>, (usize, usize))> = Vec::new();
    for path in &cx.data.escalation_paths {
        // The service a passed role goes to: the prefix of the path's other actions.
        let service = path.receiver;
        let mut at = |a: &'static String| {
            let need = if a.eq_ignore_ascii_case("iam:PassRole") {
                PassRoleNeed::AnyRole { service }
            } else if path.other_principal {
                PassRoleNeed::OtherPrincipal
            } else {
                PassRoleNeed::No
            };
            if !allowed.may_allow(a) {
                return None;
            }
            *seen
                .entry((a.as_str(), need))
                .or_insert_with(|| allowed_at(docs, a, need))
        };
        let Some(all) = path
            .all
            .iter()
            .map(|a| at(a).map(|p| (a.clone(), p)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let any = if path.any.is_empty() {
            None
        } else {
            match path.any.iter().find_map(|a| at(a).map(|p| (a.clone(), p))) {
                Some(hit) => Some(hit),
                None => continue,
            }
        };
        let mut actions = all;
        actions.extend(any);
        let Some(&(_, first)) = actions.first() else {
            continue;
        };
        completed.push((path, actions.into_iter().map(|(a, _)| a).collect(), first));
    }
    let finding = |message: String, (doc, stmt): (usize, usize)| {
        let d = docs[doc];
        (
            doc,
            Finding::new("privilege-escalation", message, d.stmt(stmt)).with_statement(stmt),
        )
    };
    if completed.len() > GROUP_ABOVE {
        let first = completed[0].2;
        let names: Vec<String> = completed
            .iter()
            .map(|(p, actions, _)| format!("{} ({})", p.name, actions.join(" + ")))
            .collect();
        return vec![finding(
            format!(
                "the allowed actions complete {} privilege escalation paths: {}",
                completed.len(),
                names.join(", ")
            ),
            first,
        )];
    }
    completed
        .into_iter()
        .map(|(path, actions, at)| {
            finding(
                format!(
                    "privilege escalation path {} ({}): {}",
                    path.name,
                    path.summary,
                    actions.join(" + ")
                ),
                at,
            )
        })
        .collect()
}

/// `privilege-escalation` for the documents given, pushed into `out`.
pub(crate) fn check_escalation(cx: &LintContext<'_>, docs: &[&Doc<'_>], out: &mut Vec<Finding>) {
    out.extend(escalation_findings(cx, docs).into_iter().map(|(_, f)| f));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_breadth() {
        assert!(all_resources("*"));
        assert!(all_resources("arn:*:*:*:*:*"));
        assert!(!all_resources("arn:aws:s3:::b/*"));
    }
}
