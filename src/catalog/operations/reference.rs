//! AWS's spelling of `Operations[]` in a service reference file, and its checks.
//!
//! `catalog::reference` parses the whole file and hands the entries here; this module turns
//! them into [`Operation`]s and refuses names a policy could not hold or a terminal could be
//! fooled by (every name in AWS's reference fits these rules; checked over all 466 files).

use indexmap::IndexMap;
use serde::Deserialize;

use super::{AuthorizedAction, Operation, SdkMethod};
use crate::error::{Error, Result};

/// One entry of `Operations[]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationEntry {
    name: String,
    #[serde(default)]
    authorized_actions: Vec<AuthorizedActionEntry>,
    #[serde(default, rename = "SDK")]
    sdk: Vec<SdkEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AuthorizedActionEntry {
    name: String,
    service: String,
    #[serde(default)]
    context: IndexMap<String, ContextValue>,
}

/// A context value: AWS writes a list; a single string is accepted too.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ContextValue {
    Many(Vec<String>),
    One(String),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SdkEntry {
    name: String,
    method: String,
    #[serde(default)]
    package: String,
}

/// Turns the entries of one service file into operations; `origin` names the file in errors.
pub fn convert(origin: &str, entries: Vec<OperationEntry>) -> Result<Vec<Operation>> {
    let invalid = |message: String| Error::Invalid {
        origin: origin.to_string(),
        message,
    };
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut operations = Vec::with_capacity(entries.len());
    for e in entries {
        if !is_api_name(&e.name) {
            return Err(invalid(format!(
                "{:?} is not an API operation name (letters and digits)",
                e.name
            )));
        }
        if let Some(other) = seen.insert(e.name.to_ascii_lowercase(), e.name.clone()) {
            return Err(invalid(format!(
                "operations {other:?} and {:?} differ at most in case; keep one",
                e.name
            )));
        }
        let mut sdk = Vec::with_capacity(e.sdk.len());
        for s in e.sdk {
            if !is_lower_name(&s.name, b'-') || !is_lower_name(&s.method, b'_') {
                return Err(invalid(format!(
                    "operation {}: {:?}.{:?} is not an SDK client and method name",
                    e.name, s.name, s.method
                )));
            }
            if !s.package.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(invalid(format!(
                    "operation {}: {:?} is not an SDK package name",
                    e.name, s.package
                )));
            }
            sdk.push(SdkMethod {
                client: s.name,
                method: s.method,
                package: if s.package.is_empty() || s.package == "Boto3" {
                    "Boto3".into()
                } else {
                    s.package.into()
                },
            });
        }
        let mut actions: Vec<AuthorizedAction> = Vec::with_capacity(e.authorized_actions.len());
        for a in e.authorized_actions {
            if !is_lower_name(&a.service, b'-') || !is_action_name(&a.name) {
                return Err(invalid(format!(
                    "operation {}: {:?}:{:?} is not an IAM action",
                    e.name, a.service, a.name
                )));
            }
            let mut context = IndexMap::new();
            for (key, value) in a.context {
                let values = match value {
                    ContextValue::Many(v) => v,
                    ContextValue::One(v) => vec![v],
                };
                if !is_printable(&key) || !values.iter().all(|v| is_printable(v)) {
                    return Err(invalid(format!(
                        "operation {}: the context of {}:{} holds text that is not printable ASCII",
                        e.name, a.service, a.name
                    )));
                }
                context.insert(key, values);
            }
            let action = AuthorizedAction {
                service: a.service,
                name: a.name,
                context,
            };
            if !actions.contains(&action) {
                actions.push(action);
            }
        }
        operations.push(Operation {
            name: e.name,
            sdk,
            actions,
        });
    }
    Ok(operations)
}

/// API operation names: ASCII letters and digits, starting with a letter.
fn is_api_name(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// IAM action names: letters and digits (one action in AWS's reference has a `-` inside).
fn is_action_name(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// IAM prefixes and SDK client names (`s3control`, `bedrock-runtime`) and SDK methods
/// (`copy_object`): lower-case letters, digits and one separator.
fn is_lower_name(name: &str, separator: u8) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == separator)
}

fn is_printable(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Vec<Operation>> {
        let entries: Vec<OperationEntry> = serde_json::from_str(json).unwrap();
        convert("demo.json", entries)
    }

    #[test]
    fn converts_entries_with_context_and_several_sdks() {
        let ops = parse(
            r#"[{"Name":"CreateThing","AuthorizedActions":[
                  {"Name":"CreateThing","Service":"demo"},
                  {"Name":"PassRole","Service":"iam","Context":{"iam:PassedToService":["demo.amazonaws.com"]}},
                  {"Name":"CreateThing","Service":"demo"}],
                "SDK":[{"Name":"demo","Method":"create_thing","Package":"Boto3"},
                       {"Name":"demo-v2","Method":"create_thing","Package":"Boto3"}]},
                {"Name":"Ping","SDK":[{"Name":"demo","Method":"ping","Package":"Boto3"}]}]"#,
        )
        .unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].actions.len(), 2, "a repeated action is kept once");
        assert_eq!(
            ops[0].actions[1].context["iam:PassedToService"],
            ["demo.amazonaws.com"]
        );
        assert_eq!(ops[0].sdk[1].client, "demo-v2");
        assert!(ops[1].actions.is_empty());
    }

    #[test]
    fn refuses_names_a_terminal_or_policy_cannot_take() {
        for bad in [
            r#"[{"Name":"Do\u001b[2J","SDK":[]}]"#,
            r#"[{"Name":"Do","SDK":[{"Name":"Demo","Method":"do","Package":"Boto3"}]}]"#,
            r#"[{"Name":"Do","SDK":[{"Name":"demo","Method":"do it","Package":"Boto3"}]}]"#,
            r#"[{"Name":"Do","AuthorizedActions":[{"Name":"Do","Service":"de mo"}],"SDK":[]}]"#,
            r#"[{"Name":"Do","AuthorizedActions":[{"Name":"Do","Service":"demo","Context":{"k":["\u0007"]}}],"SDK":[]}]"#,
            r#"[{"Name":"Do","SDK":[]},{"Name":"DO","SDK":[]}]"#,
        ] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("demo.json: "), "{e}");
        }
    }
}
