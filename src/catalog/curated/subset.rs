//! Checking that a shortened ("abbreviated") managed policy document never grants more
//! than AWS's own: the simulator and the lints read it, and an overgrant there would tell
//! users a policy allows what it does not.

use crate::policy::arn::{wildcard_match, wildcard_match_ignore_case};
use crate::policy::{Effect, PolicyDocument, Statement};

/// What `subset` grants that `aws` does not, one line each (empty: a strict subset).
///
/// Every action and resource of an Allow statement of `subset` must be covered by an Allow
/// statement of `aws` that has no condition or the same one (a pattern covers another when
/// it matches it as text: `s3:*` covers `s3:Get*`, not the other way round); every Deny of
/// `aws` must be kept, since dropping one grants more.
pub fn overgrants(aws: &PolicyDocument, subset: &PolicyDocument) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in subset.statements().iter().enumerate() {
        if s.effect != Effect::Allow {
            continue;
        }
        if s.not_action.is_some() || s.not_resource.is_some() {
            if !aws.statements().contains(s) {
                out.push(format!(
                    "statement {i}: NotAction/NotResource that AWS's document does not have as such"
                ));
            }
            continue;
        }
        for a in s.actions() {
            for r in s.resources() {
                let covered = aws.statements().iter().any(|t| allows(t, s, a, r));
                if !covered {
                    out.push(format!("statement {i}: {a} on {r} is not granted by AWS"));
                }
            }
        }
    }
    for d in aws.statements().iter().filter(|t| t.effect == Effect::Deny) {
        if !subset.statements().contains(d) {
            out.push(format!(
                "AWS's Deny of {} is missing",
                d.actions().join(", ")
            ));
        }
    }
    out
}

/// Does AWS's statement `t` grant `action` on `resource` at least as widely as `s` does?
fn allows(t: &Statement, s: &Statement, action: &str, resource: &str) -> bool {
    if t.effect != Effect::Allow || (t.condition.is_some() && t.condition != s.condition) {
        return false;
    }
    let action_ok = match (&t.action, &t.not_action) {
        (Some(list), _) => list.iter().any(|p| wildcard_match_ignore_case(p, action)),
        (None, Some(not)) => {
            !action.contains(['*', '?'])
                && !not.iter().any(|p| wildcard_match_ignore_case(p, action))
        }
        (None, None) => false,
    };
    let resource_ok = match (&t.resource, &t.not_resource) {
        (Some(list), _) => list.iter().any(|p| wildcard_match(p, resource)),
        (None, Some(not)) => {
            !resource.contains(['*', '?']) && !not.iter().any(|p| wildcard_match(p, resource))
        }
        (None, None) => false,
    };
    action_ok && resource_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(statements: &str) -> PolicyDocument {
        serde_json::from_str(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_subset_passes_and_every_overgrant_is_named() {
        let aws = doc(
            r#"{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"},
               {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#,
        );
        let ok = doc(
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"arn:aws:s3:::b/*"}"#,
        );
        assert!(overgrants(&aws, &ok).is_empty());
        let more = doc(
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:*"],"Resource":"*"},
               {"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
        );
        let found = overgrants(&aws, &more);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("s3:PutObject"));
        // A Deny of AWS's dropped from the subset grants more.
        let with_deny = doc(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#,
        );
        let without = doc(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#);
        assert_eq!(overgrants(&with_deny, &without).len(), 1);
    }
}
