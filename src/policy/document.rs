//! The typed model of an IAM policy document (identity or trust policy).
//!
//! Field order is AWS's usual key order, so serializing a document renders it canonically:
//! `Version`, `Id`, `Statement`; in a statement `Sid`, `Effect`, `Principal`, `NotPrincipal`,
//! `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`. Unknown keys are rejected
//! here; the lint grammar pass reports them (and every other shape problem) with positions.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::one_or_many::OneOrMany;

/// The current policy language version; the only one new documents should carry.
pub const POLICY_VERSION: &str = "2012-10-17";

/// A whole policy document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    #[serde(rename = "Version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(rename = "Id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "Statement")]
    pub statement: OneOrMany<Statement>,
}

impl PolicyDocument {
    /// An empty document with the current version, ready for statements.
    pub fn new(statements: Vec<Statement>) -> Self {
        PolicyDocument {
            version: Some(POLICY_VERSION.to_string()),
            id: None,
            statement: OneOrMany::Many(statements),
        }
    }

    /// The statements, whichever form they were written in.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }

    /// Pretty JSON with two-space indent, as a person pastes it into the console.
    pub fn to_pretty_json(&self) -> String {
        // Serializing plain data into a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Compact JSON, the form IAM's size quotas are measured on.
    pub fn to_compact_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `Allow` or `Deny`, spelled exactly so (IAM is case-sensitive here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    #[default]
    Allow,
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// One statement of a policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    #[serde(rename = "Sid", default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(rename = "Effect")]
    pub effect: Effect,
    #[serde(rename = "Principal", default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    #[serde(
        rename = "NotPrincipal",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub not_principal: Option<Principal>,
    #[serde(rename = "Action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<OneOrMany<String>>,
    #[serde(rename = "NotAction", default, skip_serializing_if = "Option::is_none")]
    pub not_action: Option<OneOrMany<String>>,
    #[serde(rename = "Resource", default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany<String>>,
    #[serde(
        rename = "NotResource",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub not_resource: Option<OneOrMany<String>>,
    #[serde(rename = "Condition", default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionBlock>,
}

impl Statement {
    /// The actions of `Action` (empty when the statement uses `NotAction`).
    pub fn actions(&self) -> &[String] {
        self.action.as_ref().map_or(&[], |a| a.as_slice())
    }

    /// The ARNs of `Resource` (empty when the statement uses `NotResource`).
    pub fn resources(&self) -> &[String] {
        self.resource.as_ref().map_or(&[], |r| r.as_slice())
    }
}

/// `Condition`: operator → condition key → value(s), in the order the author wrote them.
pub type ConditionBlock = IndexMap<String, IndexMap<String, OneOrMany<ConditionScalar>>>;

/// One condition value. IAM compares strings, but authors write booleans and numbers too,
/// and rendering must give back what they wrote.
#[derive(Clone, Debug, PartialEq)]
pub enum ConditionScalar {
    String(String),
    Bool(bool),
    Number(serde_json::Number),
}

impl ConditionScalar {
    /// The value as IAM compares it: as text.
    pub fn as_text(&self) -> String {
        match self {
            ConditionScalar::String(s) => s.clone(),
            ConditionScalar::Bool(b) => b.to_string(),
            ConditionScalar::Number(n) => n.to_string(),
        }
    }
}

impl From<&str> for ConditionScalar {
    fn from(s: &str) -> Self {
        ConditionScalar::String(s.to_string())
    }
}

impl Serialize for ConditionScalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ConditionScalar::String(v) => s.serialize_str(v),
            ConditionScalar::Bool(v) => s.serialize_bool(*v),
            ConditionScalar::Number(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ConditionScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = ConditionScalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, boolean or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ConditionScalar::String(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(ConditionScalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ConditionScalar::Number(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ConditionScalar::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                serde_json::Number::from_f64(v)
                    .map(ConditionScalar::Number)
                    .ok_or_else(|| E::custom("condition numbers must be finite"))
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

/// Who a statement is about: `"*"` (anyone) or principals by type.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// `"Principal": "*"`.
    Any,
    Map(PrincipalMap),
}

/// Principals by type, rendered in this order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipalMap {
    #[serde(rename = "AWS", default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<OneOrMany<String>>,
    #[serde(rename = "Service", default, skip_serializing_if = "Option::is_none")]
    pub service: Option<OneOrMany<String>>,
    #[serde(rename = "Federated", default, skip_serializing_if = "Option::is_none")]
    pub federated: Option<OneOrMany<String>>,
    #[serde(
        rename = "CanonicalUser",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canonical_user: Option<OneOrMany<String>>,
}

impl PrincipalMap {
    /// Every (type, value) pair, types in rendering order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("AWS", &self.aws),
            ("Service", &self.service),
            ("Federated", &self.federated),
            ("CanonicalUser", &self.canonical_user),
        ]
        .into_iter()
        .flat_map(|(kind, values)| {
            values
                .iter()
                .flat_map(|v| v.iter())
                .map(move |v| (kind, v.as_str()))
        })
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Principal::Any => s.serialize_str("*"),
            Principal::Map(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Principal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PrincipalVisitor;
        impl<'de> Visitor<'de> for PrincipalVisitor {
            type Value = Principal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"*\" or an object of AWS/Service/Federated/CanonicalUser")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == "*" {
                    Ok(Principal::Any)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                PrincipalMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Principal::Map)
            }
        }
        d.deserialize_any(PrincipalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    #[test]
    fn renders_in_aws_key_order_whatever_the_input_order() {
        let shuffled = r#"{"Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"},"Effect":"Allow"}],"Version":"2012-10-17"}"#;
        let doc: PolicyDocument = serde_json::from_str(shuffled).unwrap();
        assert_eq!(doc.to_compact_json(), SEED_TRUST);
    }

    #[test]
    fn single_statement_object_is_kept() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}}"#;
        let doc: PolicyDocument = serde_json::from_str(text).unwrap();
        assert_eq!(doc.statements().len(), 1);
        assert_eq!(doc.to_compact_json(), text);
    }

    #[test]
    fn conditions_keep_types_and_order() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"StringEquals":{"aws:SourceAccount":["111122223333","444455556666"]}}}]}"#;
        let doc: PolicyDocument = serde_json::from_str(text).unwrap();
        assert_eq!(doc.to_compact_json(), text);
    }

    #[test]
    fn rejects_lower_case_effect_and_unknown_keys() {
        let bad_effect = r#"{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}"#;
        assert!(serde_json::from_str::<PolicyDocument>(bad_effect).is_err());
        let bad_key = r#"{"Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}"#;
        let err = serde_json::from_str::<PolicyDocument>(bad_key).unwrap_err();
        assert!(err.to_string().contains("Actions"), "{err}");
    }

    #[test]
    fn principal_forms() {
        let any: Principal = serde_json::from_str(r#""*""#).unwrap();
        assert_eq!(any, Principal::Any);
        assert!(serde_json::from_str::<Principal>(r#""lambda.amazonaws.com""#).is_err());
        let map: Principal = serde_json::from_str(
            r#"{"AWS":["arn:aws:iam::111122223333:root"],"Service":"ec2.amazonaws.com"}"#,
        )
        .unwrap();
        let Principal::Map(m) = map else {
            panic!("map expected")
        };
        let entries: Vec<_> = m.entries().collect();
        assert_eq!(
            entries,
            vec![
                ("AWS", "arn:aws:iam::111122223333:root"),
                ("Service", "ec2.amazonaws.com")
            ]
        );
    }
}
