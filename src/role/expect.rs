//! `assumed_by` and `[[expect]]`: what the author says the role must and must not allow
//! (guide §13). The evaluation engine checks them; here they are only read and validated.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::policy::arn::{Arn, is_account_id};
use crate::policy::{ConditionScalar, OneOrMany};

use super::spec::RoleSpec;
use super::validate::{FieldPath, RoleProblem};

/// One `[[expect]]` entry: a request that must be allowed (`allow = ACTION`) or denied
/// (`deny = ACTION`), on a resource, with optional context keys, or by a principal for the
/// trust side ("only lambda.amazonaws.com may assume it").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny: Option<String>,
    /// The resource ARN (`${Account}`-style placeholders are filled); `*` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Who asks, for an expectation on the trust policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// Context keys of the request; an array makes a key multi-valued.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub context: IndexMap<String, OneOrMany<ConditionScalar>>,
    /// Why the author expects it (shown when it fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl ExpectSpec {
    /// The action, and whether it must be allowed.
    pub fn action(&self) -> Option<(&str, bool)> {
        match (&self.allow, &self.deny) {
            (Some(a), None) => Some((a, true)),
            (None, Some(d)) => Some((d, false)),
            _ => None,
        }
    }

    /// The context as (key, values) pairs, values as IAM compares them (text).
    pub fn context_values(&self) -> impl Iterator<Item = (&str, Vec<String>)> {
        self.context
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(|x| x.as_text()).collect()))
    }
}

/// `service:Action` with no wildcard: a request names one action.
fn is_request_action(a: &str) -> bool {
    match a.split_once(':') {
        Some((svc, name)) => {
            !svc.is_empty()
                && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        None => false,
    }
}

/// A principal a request can come from: a service, an account id or an ARN.
pub fn is_request_principal(p: &str) -> bool {
    is_account_id(p)
        || Arn::parse_strict(p).is_ok_and(|a| !a.resource.contains(['*', '?']))
        || (p.contains('.')
            && !p.starts_with('.')
            && !p.ends_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
}

/// Problems with `assumed_by` and `[[expect]]`, each tied to its field.
pub(super) fn validate_expectations(spec: &RoleSpec, out: &mut Vec<RoleProblem>) {
    let mut problem = |path: FieldPath, message: String| out.push(RoleProblem { path, message });
    for (i, p) in spec.assumed_by.iter().enumerate() {
        if !is_request_principal(p) {
            problem(
                FieldPath::key("assumed_by").at(i),
                format!(
                    "{p:?} is not a principal: give a service (\"lambda.amazonaws.com\"), an account id or an ARN"
                ),
            );
        }
    }
    for (i, e) in spec.expectations.iter().enumerate() {
        let ep = FieldPath::key("expect").at(i);
        match (&e.allow, &e.deny) {
            (None, None) => problem(
                ep.clone(),
                "an [[expect]] entry needs `allow = \"service:Action\"` or `deny = \"service:Action\"`".into(),
            ),
            (Some(_), Some(_)) => problem(
                ep.then("deny"),
                "an [[expect]] entry is either `allow` or `deny`, not both".into(),
            ),
            _ => {}
        }
        for (key, value) in [("allow", &e.allow), ("deny", &e.deny)] {
            if let Some(a) = value
                && !is_request_action(a)
            {
                problem(
                    ep.then(key),
                    format!(
                        "{a:?} is not one action: write service:Action without wildcards (a request names one action)"
                    ),
                );
            }
        }
        if let Some(r) = &e.resource {
            let filled = spec.fill_placeholders(r);
            if filled.contains("${Account}") || filled.contains("${Region}") {
                problem(
                    ep.then("resource"),
                    format!(
                        "{r:?} uses a placeholder the role file sets no default for (`account`, `region`)"
                    ),
                );
            } else if filled != "*"
                && let Err(why) = Arn::parse_strict(&filled)
            {
                problem(
                    ep.then("resource"),
                    format!("{r:?} is not a resource ARN: {why}"),
                );
            }
        }
        if let Some(p) = &e.principal
            && !is_request_principal(p)
        {
            problem(
                ep.then("principal"),
                format!(
                    "{p:?} is not a principal: give a service (\"lambda.amazonaws.com\"), an account id or an ARN"
                ),
            );
        }
        for key in e.context.keys() {
            let ok = key
                .split_once(':')
                .is_some_and(|(svc, name)| !svc.is_empty() && !name.is_empty())
                && !key.contains(char::is_whitespace);
            if !ok {
                problem(
                    ep.then("context"),
                    format!("{key:?} is not a condition key: write service:key (\"aws:SourceIp\")"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::role::parse_role_text;

    const BASE: &str = "name = \"r\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n";

    fn error_of(extra: &str) -> (usize, String) {
        match parse_role_text("r.toml", &format!("{BASE}{extra}")) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn bad_expectations_are_positioned() {
        let (line, m) =
            error_of("\n[[expect]]\nallow = \"s3:*\"\nresource = \"arn:aws:s3:::b/k\"\n");
        assert_eq!(line, 6);
        assert!(m.contains("one action"), "{m}");
        let (line, m) = error_of("\n[[expect]]\nresource = \"arn:aws:s3:::b/k\"\n");
        assert_eq!(line, 5);
        assert!(m.contains("allow"), "{m}");
        let (_, m) = error_of("\n[[expect]]\nallow = \"s3:GetObject\"\ndeny = \"s3:GetObject\"\n");
        assert!(m.contains("not both"), "{m}");
        let (line, m) =
            error_of("\n[[expect]]\nallow = \"s3:GetObject\"\nresource = \"bucket/k\"\n");
        assert_eq!(line, 7);
        assert!(m.contains("not a resource ARN"), "{m}");
        let (_, m) = error_of(
            "\n[[expect]]\nallow = \"s3:GetObject\"\nresource = \"arn:aws:sqs:${Region}:${Account}:q\"\n",
        );
        assert!(m.contains("placeholder"), "{m}");
        let (_, m) = error_of("\n[[expect]]\nallow = \"s3:GetObject\"\nkind = \"x\"\n");
        assert!(m.contains("unknown field"), "{m}");
        let (line, m) = match parse_role_text(
            "r.toml",
            &format!("assumed_by = [\"not a principal\"]\n{BASE}"),
        ) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(line, 1);
        assert!(m.contains("not a principal"), "{m}");
    }

    #[test]
    fn expectations_survive_saving() {
        let text = format!(
            "assumed_by = [\"lambda.amazonaws.com\"]\n{BASE}\n[[expect]]\ndeny = \"s3:DeleteObject\"\nresource = \"arn:aws:s3:::b/k\"\ncontext = {{ \"aws:SourceIp\" = \"203.0.113.7\", \"aws:TagKeys\" = [\"a\", \"b\"] }}\nwhy = \"keep\"\n"
        );
        let role = parse_role_text("r.toml", &text).unwrap();
        assert_eq!(role.expectations.len(), 1);
        let saved = role.to_toml().unwrap();
        assert_eq!(parse_role_text("saved.toml", &saved).unwrap(), role);
        // assumed_by written after [trust] lands in the trust table; it still counts.
        let late = format!("{BASE}assumed_by = [\"lambda.amazonaws.com\"]\n");
        assert_eq!(
            parse_role_text("r.toml", &late).unwrap().assumed_by,
            ["lambda.amazonaws.com"]
        );
    }
}
