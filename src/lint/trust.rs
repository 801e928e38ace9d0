//! Checks of a role's trust policy: who may assume the role, and how.
//!
//! Codes: `trust-any-principal`, `trust-action-mismatch`, `trust-has-resource`,
//! `trust-cross-account`, `trust-oidc-unrestricted`, `trust-principal-missing`,
//! `trust-confused-deputy`.

use super::context::glob_ignore_case as wildcard_match_ignore_case;
use crate::policy::arn::{Arn, is_account_id};
use crate::policy::{ConditionBlock, Effect, Principal, Statement};
/// GitHub Actions' OIDC provider host.
const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";

use super::context::LintContext;
use super::kind::is_trust_action;
use super::{Doc, Edit, Finding, Fix, LintOptions};

/// Keys that restrict who may use an otherwise open principal.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:userid",
    "sts:ExternalId",
];

/// The assume action each kind of principal needs.
const ASSUME_ROLE: &str = "sts:AssumeRole";
const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";
const SAML: &str = "sts:AssumeRoleWithSAML";

/// Does the condition block test `key` (case-insensitive) with a positive operator?
fn tests_key(cond: Option<&ConditionBlock>, key: &str) -> bool {
    cond.is_some_and(|c| {
        c.iter().any(|(op, keys)| {
            !op.contains("Not") && keys.keys().any(|k| k.eq_ignore_ascii_case(key))
        })
    })
}

/// The values a condition gives `key` (any positive operator).
fn key_values(cond: Option<&ConditionBlock>, key: &str) -> Vec<String> {
    let Some(c) = cond else { return Vec::new() };
    c.iter()
        .filter(|(op, _)| !op.contains("Not"))
        .flat_map(|(_, keys)| keys.iter())
        .filter(|(k, _)| k.eq_ignore_ascii_case(key))
        .flat_map(|(_, v)| v.iter().map(|x| x.as_text()))
        .collect()
}

/// The account id an AWS principal names (`123456789012` or an ARN in that account).
fn principal_account(p: &str) -> Option<String> {
    if is_account_id(p) {
        return Some(p.to_string());
    }
    let arn = Arn::parse(p).ok()?;
    (arn.service == "iam" && is_account_id(&arn.account)).then_some(arn.account)
}

/// The required assume action for a Federated principal.
fn federated_action(p: &str) -> &'static str {
    if p.contains(":saml-provider/") {
        SAML
    } else {
        WEB_IDENTITY
    }
}

/// The provider host of an OIDC provider ARN (`token.actions.githubusercontent.com`).
fn oidc_host(p: &str) -> Option<&str> {
    p.split_once(":oidc-provider/").map(|(_, h)| h)
}

pub(crate) fn check(
    cx: &LintContext<'_>,
    d: &Doc<'_>,
    options: &LintOptions,
    out: &mut Vec<Finding>,
) {
    for (i, s) in d.statements().iter().enumerate() {
        for field in ["Resource", "NotResource"] {
            let present = if field == "Resource" {
                s.resource.is_some()
            } else {
                s.not_resource.is_some()
            };
            if present {
                out.push(
                    Finding::new(
                        "trust-has-resource",
                        format!("a trust policy has no {field}: the role itself is the resource"),
                        d.field(i, field),
                    )
                    .with_statement(i),
                );
            }
        }
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(principal) = &s.principal else {
            continue;
        };
        let cond = s.condition.as_ref();
        match principal {
            Principal::Any => any_principal(d, i, s, "\"*\"", out),
            Principal::Map(m) => {
                if m.aws.iter().flatten().any(|a| a == "*") {
                    any_principal(d, i, s, "{\"AWS\": \"*\"}", out);
                }
                actions_match(d, i, s, out);

                for a in m.aws.iter().flatten() {
                    let Some(account) = principal_account(a) else {
                        continue;
                    };
                    if options.own_account.as_deref() == Some(account.as_str()) {
                        continue;
                    }
                    if !tests_key(cond, "sts:ExternalId")
                        && !tests_key(cond, "aws:MultiFactorAuthPresent")
                    {
                        // Without the role's own account we cannot know the account is
                        // another one: say what the finding depends on.
                        let message = if options.own_account.is_some() {
                            format!(
                                "account {account} ({a}), another account, may assume the role with no sts:ExternalId or MFA condition"
                            )
                        } else {
                            format!(
                                "account {account} ({a}) may assume the role with no sts:ExternalId or MFA condition, if it is not the role's own account (set `account` in the role file so rolesmith can tell)"
                            )
                        };
                        out.push(
                            Finding::new("trust-cross-account", message, d.field(i, "Principal"))
                                .with_statement(i),
                        );
                    }
                }
                for f in m.federated.iter().flatten() {
                    if let Some(host) = oidc_host(f) {
                        oidc(d, i, cond, host, out);
                    }
                }
                for svc in m.service.iter().flatten() {
                    let sends = cx.catalog.principal_sends_source(svc).unwrap_or_else(|| {
                        cx.data.source_sending_principals.iter().any(|p| p == svc)
                    });
                    let pinned = [
                        "aws:SourceAccount",
                        "aws:SourceArn",
                        "aws:SourceOrgID",
                        "aws:SourceOrgPaths",
                    ]
                    .iter()
                    .any(|k| tests_key(cond, k));
                    if sends && !pinned {
                        out.push(
                            Finding::new(
                                "trust-confused-deputy",
                                format!("{svc} sends aws:SourceAccount and aws:SourceArn: pin them so the service cannot assume the role for another account's resources"),
                                d.field(i, "Principal"),
                            )
                            .with_statement(i)
                            .with_fix(Fix::new(
                                "add an aws:SourceAccount condition",
                                vec![Edit::AddCondition {
                                    statement: i,
                                    operator: "StringEquals".into(),
                                    key: "aws:SourceAccount".into(),
                                    values: vec![options.own_account.clone().unwrap_or_else(|| "${Account}".into())],
                                }],
                            )),
                        );
                    }
                }
            }
        }
    }
    for who in &options.assumed_by {
        if !trusts(d, who) {
            let trusted: Vec<String> = d
                .statements()
                .iter()
                .filter(|s| s.effect == Effect::Allow)
                .filter_map(|s| match &s.principal {
                    Some(Principal::Map(m)) => {
                        Some(m.entries().map(|(_, v)| v.to_string()).collect::<Vec<_>>())
                    }
                    Some(Principal::Any) => Some(vec!["*".to_string()]),
                    None => None,
                })
                .flatten()
                .collect();
            out.push(Finding::new(
                "trust-principal-missing",
                format!(
                    "{who} cannot assume this role: the trust policy trusts {}",
                    if trusted.is_empty() {
                        "nobody".to_string()
                    } else {
                        trusted.join(", ")
                    }
                ),
                format!("{}/Statement", d.prefix),
            ));
        }
    }
}

fn any_principal(d: &Doc<'_>, i: usize, s: &Statement, what: &str, out: &mut Vec<Finding>) {
    let restricted = RESTRICTING_KEYS
        .iter()
        .any(|k| tests_key(s.condition.as_ref(), k));
    if !restricted {
        out.push(
            Finding::new(
                "trust-any-principal",
                format!("Principal {what} lets any AWS account assume the role: name the principal or add an aws:PrincipalOrgID condition"),
                d.field(i, "Principal"),
            )
            .with_statement(i),
        );
    }
}

/// Does the statement's Action list allow `action`?
fn allows(s: &Statement, action: &str) -> bool {
    s.actions()
        .iter()
        .any(|p| wildcard_match_ignore_case(p, action))
}

fn actions_match(d: &Doc<'_>, i: usize, s: &Statement, out: &mut Vec<Finding>) {
    let Some(Principal::Map(m)) = &s.principal else {
        return;
    };
    if s.action.is_none() {
        return;
    }
    let mut needed: Vec<(&str, String)> = Vec::new();
    for (kind, p) in m.entries() {
        let action = match kind {
            "Federated" => federated_action(p),
            _ => ASSUME_ROLE,
        };
        needed.push((action, format!("{kind} principal {p}")));
    }
    // Assume actions written out that no principal of the statement uses.
    let wrong: Vec<&str> = s
        .actions()
        .iter()
        .filter_map(|a| {
            [ASSUME_ROLE, WEB_IDENTITY, SAML]
                .into_iter()
                .find(|x| x.eq_ignore_ascii_case(a))
        })
        .filter(|x| !needed.iter().any(|(n, _)| n == x))
        .collect();
    // A statement of companion actions only (sts:TagSession, sts:SetSourceIdentity,
    // sts:SetContext) beside the statement that lets the same principal assume the role
    // is how AWS writes session tags and source identity: nothing is missing.
    let companion_only = [ASSUME_ROLE, WEB_IDENTITY, SAML]
        .iter()
        .all(|a| !allows(s, a))
        && s.actions().iter().all(|a| is_trust_action(a));
    let missing: Vec<&(&str, String)> = needed
        .iter()
        .filter(|(a, _)| !allows(s, a))
        .filter(|(a, who)| !(companion_only && assumable_elsewhere(d, i, who, a)))
        .collect();
    for (action, who) in &missing {
        let instead = if wrong.is_empty() {
            String::new()
        } else {
            format!(", not {}", wrong.join(", "))
        };
        out.push(
            Finding::new(
                "trust-action-mismatch",
                format!("{who} assumes roles with {action}{instead}"),
                d.field(i, "Action"),
            )
            .with_statement(i),
        );
    }
    if missing.is_empty() && !wrong.is_empty() {
        out.push(
            Finding::new(
                "trust-action-mismatch",
                format!(
                    "{} does not fit the statement's principals ({})",
                    wrong.join(", "),
                    needed
                        .iter()
                        .map(|(_, w)| w.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                d.field(i, "Action"),
            )
            .with_statement(i),
        );
    }
}

/// Does another Allow statement let the principal `who` ("KIND principal VALUE", as
/// [`actions_match`] names them) assume the role with `action`?
fn assumable_elsewhere(d: &Doc<'_>, here: usize, who: &str, action: &str) -> bool {
    d.statements().iter().enumerate().any(|(j, s)| {
        j != here
            && s.effect == Effect::Allow
            && allows(s, action)
            && matches!(&s.principal, Some(Principal::Map(m))
                if m.entries().any(|(kind, p)| format!("{kind} principal {p}") == who))
    })
}

/// A GitHub `sub` pattern that matches any repository (the owner is a wildcard).
fn github_sub_unrestricted(sub: &str) -> bool {
    let Some(rest) = sub.strip_prefix("repo:") else {
        // Not GitHub's `repo:` form (or just "*"): a wildcard at the start matches anything.
        return sub.starts_with(['*', '?']);
    };
    let owner = rest.split('/').next().unwrap_or("");
    owner.is_empty() || owner.contains(['*', '?'])
}

fn oidc(d: &Doc<'_>, i: usize, cond: Option<&ConditionBlock>, host: &str, out: &mut Vec<Finding>) {
    let key = format!("{host}:sub");
    let subs = key_values(cond, &key);
    let github = host == GITHUB_OIDC_HOST;
    let example = if github {
        "repo:OWNER/REPO:ref:refs/heads/main".to_string()
    } else if host.starts_with("oidc.eks.") {
        "system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT".to_string()
    } else {
        "SUBJECT".to_string()
    };
    let fix = Fix::new(
        format!("add a {key} condition naming the subject"),
        vec![Edit::AddCondition {
            statement: i,
            operator: "StringEquals".into(),
            key: key.clone(),
            values: vec![example],
        }],
    );
    if subs.is_empty() {
        out.push(
            Finding::new(
                "trust-oidc-unrestricted",
                format!("OIDC trust of {host} without a {key} condition: every identity of the provider may assume the role"),
                d.field(i, "Principal"),
            )
            .with_statement(i)
            .with_fix(fix),
        );
    } else if github && let Some(bad) = subs.iter().find(|s| github_sub_unrestricted(s)) {
        out.push(
            Finding::new(
                "trust-oidc-unrestricted",
                format!("{key} \"{bad}\" matches workflows of any GitHub repository: name the owner and repository"),
                d.field(i, "Condition"),
            )
            .with_statement(i),
        );
    }
}

/// Does the trust policy let `who` (a service principal, account id or principal ARN)
/// assume the role?
fn trusts(d: &Doc<'_>, who: &str) -> bool {
    let who_account = principal_account(who);
    d.statements().iter().any(|s| {
        if s.effect != Effect::Allow {
            return false;
        }
        match &s.principal {
            Some(Principal::Any) => true,
            Some(Principal::Map(m)) => m.entries().any(|(kind, p)| match kind {
                "Service" => p.eq_ignore_ascii_case(who),
                "AWS" => {
                    p == "*"
                        || p == who
                        || (principal_account(p).is_some()
                            && principal_account(p) == who_account
                            && (p.ends_with(":root") || is_account_id(p)))
                }
                _ => p == who,
            }),
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_subjects_that_match_any_repository() {
        assert!(github_sub_unrestricted("*"));
        assert!(github_sub_unrestricted("repo:*"));
        assert!(github_sub_unrestricted("repo:*/app:*"));
        assert!(!github_sub_unrestricted("repo:octo-org/*"));
        assert!(!github_sub_unrestricted(
            "repo:octo-org/app:ref:refs/heads/main"
        ));
    }

    #[test]
    fn accounts_of_principals() {
        assert_eq!(
            principal_account("111122223333").as_deref(),
            Some("111122223333")
        );
        assert_eq!(
            principal_account("arn:aws:iam::111122223333:role/x").as_deref(),
            Some("111122223333")
        );
        assert_eq!(principal_account("lambda.amazonaws.com"), None);
    }
}
