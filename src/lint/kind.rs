//! Telling the kind of a policy document from its shape (guide §7), so each kind gets the
//! rules that fit it: no trust rules on a bucket policy, no grant-breadth warnings on the
//! ceilings an SCP sets.
//!
//! - a statement with `Principal` whose actions are all role-assumption actions
//!   (`sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`): **trust**;
//! - other statements with `Principal`: **resource** (bucket, queue, key, endpoint, repository
//!   policies), unless every statement is a `Deny` of `"*"` principals with some statement on
//!   `"*"` resources: a resource control policy (**scp**);
//! - no `Principal` anywhere and every statement a `Deny`: a guardrail (**scp**);
//! - otherwise: a permission policy (**identity**).
//!
//! `lint --kind` overrides the guess.

use serde_json::Value;

use super::PolicyKind;

/// Actions that appear in role trust policies (the assume actions and their companions).
const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

/// Is `action` one a role trust policy uses (ignoring case)?
pub fn is_trust_action(action: &str) -> bool {
    TRUST_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(action))
}

type Object = serde_json::Map<String, Value>;

fn has_principal(s: &Object) -> bool {
    s.contains_key("Principal") || s.contains_key("NotPrincipal")
}

fn is_deny(s: &Object) -> bool {
    s.get("Effect").and_then(Value::as_str) == Some("Deny")
}

/// `"Principal": "*"` or `{"AWS": "*"}`: everyone.
fn names_everyone(s: &Object) -> bool {
    match s.get("Principal") {
        Some(Value::String(p)) => p == "*",
        Some(Value::Object(m)) => m.len() == 1 && strings(m.get("AWS")) == ["*"],
        _ => false,
    }
}

/// The kind of a policy document, from its shape.
pub fn detect(value: &Value) -> PolicyKind {
    let statements: Vec<&Object> = match value.get("Statement") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    };
    if statements.is_empty() {
        return PolicyKind::Identity;
    }
    if !statements.iter().any(|s| has_principal(s)) {
        return if statements.iter().all(|s| is_deny(s)) {
            PolicyKind::Scp
        } else {
            PolicyKind::Identity
        };
    }
    let trust = statements.iter().filter(|s| has_principal(s)).all(|s| {
        let actions = strings(s.get("Action"));
        !actions.is_empty() && actions.iter().all(|a| is_trust_action(a))
    });
    if trust {
        return PolicyKind::Trust;
    }
    let on_everything = |s: &&Object| strings(s.get("Resource")).contains(&"*");
    if statements.iter().all(|s| names_everyone(s) && is_deny(s))
        && statements.iter().any(on_everything)
    {
        return PolicyKind::Scp;
    }
    PolicyKind::Resource
}

/// The strings of a string-or-array element (others ignored).
fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(statements: &str) -> PolicyKind {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        detect(&serde_json::from_str(&text).unwrap())
    }

    #[test]
    fn kinds_are_told_from_the_shape() {
        use PolicyKind::*;
        assert_eq!(
            kind(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#),
            Identity
        );
        assert_eq!(
            kind(
                r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}"#
            ),
            Trust
        );
        // A trust policy with a stray Resource is still a trust policy (trust-has-resource).
        assert_eq!(
            kind(
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}"#
            ),
            Trust
        );
        // Bucket policy: Principal and Resource, any action.
        assert_eq!(
            kind(
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#
            ),
            Resource
        );
        // Repository policy: Principal, no Resource.
        assert_eq!(
            kind(
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:BatchGetImage"}"#
            ),
            Resource
        );
        // A bucket policy that only denies insecure transport names its bucket: resource.
        assert_eq!(
            kind(
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
            ),
            Resource
        );
        // A resource control policy denies everyone on every resource.
        assert_eq!(
            kind(
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
            ),
            Scp
        );
        assert_eq!(
            kind(
                r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}"#
            ),
            Scp
        );
        assert_eq!(
            detect(&serde_json::json!({"Version": "2012-10-17"})),
            Identity
        );
    }
}
