//! Our curated knowledge about calls, in our own words: which actions a call always needs when
//! AWS's list does not say, why the others apply ("only when the request sets tags"), actions
//! AWS's list leaves out (SSE-KMS keys), and which resource each action is about (CopyObject:
//! the source object and the target object).
//!
//! The data is `assets/catalog/curated/operations.toml`, parsed on first use (it is only needed
//! by commands that deal with calls). Its invariants (every name exists in the embedded facts,
//! `needed` names listed or extra actions, ...) are checked by the unit tests below and by
//! `tests/it/operation_permissions.rs`.

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::policy::arn::wildcard_match_ignore_case;

const ASSET: &str = include_str!("../../../assets/catalog/curated/operations.toml");

/// The parsed notes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// AWS CLI service names that differ from the SDK client's (`s3api` → `s3`).
    #[serde(default)]
    pub cli: IndexMap<String, String>,
    /// Why an action applies, wherever it shows up as conditional (`iam:PassRole`, `*:TagResource`).
    #[serde(default, rename = "action")]
    pub actions: Vec<ActionNote>,
    /// Notes on single operations.
    #[serde(default, rename = "operation")]
    pub operations: Vec<OperationNote>,
}

/// A reason that holds for an action in any call that can need it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionNote {
    /// Action patterns (`iam:PassRole`, `s3-object-lambda:*`, `*:TagResource`).
    pub actions: Vec<String>,
    /// Completes "only when ...".
    pub when: String,
}

/// What we know about one operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationNote {
    /// `service:Operation` as the reference names it (`s3:CopyObject`).
    pub operation: String,
    /// The actions every call needs, when the general rule would pick others (or none).
    #[serde(default)]
    pub needed: Option<Vec<String>>,
    /// Why each other action applies, by action.
    #[serde(default)]
    pub when: IndexMap<String, String>,
    /// Actions AWS's list for the operation leaves out, with when they apply.
    #[serde(default, rename = "extra")]
    pub extras: Vec<ExtraAction>,
    /// Named resources the call touches, with the actions that act on each.
    #[serde(default, rename = "resource")]
    pub resources: Vec<ResourceNote>,
    /// One more sentence about the call, shown with it.
    #[serde(default)]
    pub note: Option<String>,
}

/// An action the reference does not list for an operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraAction {
    pub action: String,
    /// Completes "only when ..."; absent for an action every call needs.
    #[serde(default)]
    pub when: Option<String>,
}

/// A resource a call touches, named for what it is in the call ("source object").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceNote {
    pub name: String,
    /// `service:type` (`s3:object`).
    #[serde(rename = "type")]
    pub resource_type: String,
    pub actions: Vec<String>,
}

impl Notes {
    /// The note on `service:Operation`, ignoring case.
    pub fn operation(&self, label: &str) -> Option<&OperationNote> {
        self.operations
            .iter()
            .find(|o| o.operation.eq_ignore_ascii_case(label))
    }

    /// The general reason for `action` (`iam:PassRole`), if one is curated.
    pub fn action_reason(&self, action: &str) -> Option<&str> {
        self.actions
            .iter()
            .find(|n| {
                n.actions
                    .iter()
                    .any(|p| wildcard_match_ignore_case(p, action))
            })
            .map(|n| n.when.as_str())
    }
}

/// The embedded notes, parsed once.
pub fn notes() -> &'static Notes {
    static NOTES: OnceLock<Notes> = OnceLock::new();
    NOTES.get_or_init(|| {
        // Compiled in and parsed by the unit tests below: failing here is a build defect.
        toml::from_str(ASSET)
            .unwrap_or_else(|e| panic!("bug: assets/catalog/curated/operations.toml: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_parses_and_names_each_operation_once() {
        let notes: Notes = toml::from_str(ASSET).expect("operations.toml parses");
        let mut seen = std::collections::HashSet::new();
        for op in &notes.operations {
            assert!(
                seen.insert(op.operation.to_ascii_lowercase()),
                "{} twice",
                op.operation
            );
            assert!(op.operation.contains(':'), "{}", op.operation);
            for r in &op.resources {
                assert!(
                    r.resource_type.contains(':'),
                    "{}: {}",
                    op.operation,
                    r.name
                );
            }
        }
        assert_eq!(notes.cli.get("s3api").map(String::as_str), Some("s3"));
    }

    #[test]
    fn action_reasons_match_patterns() {
        let n = notes();
        assert!(n.action_reason("iam:PassRole").is_some());
        assert!(n.action_reason("IAM:passrole").is_some());
        assert!(n.action_reason("s3-object-lambda:PutObject").is_some());
        assert!(n.action_reason("lambda:TagResource").is_some());
        assert!(n.action_reason("s3:GetObject").is_none());
    }
}
