//! Reading AWS's service reference format (one JSON file per service prefix).
//!
//! This is the only place that knows AWS's spelling of the schema; everything after it works
//! on the catalog model. The access level is not stored by AWS as text, so it is derived here
//! from the `Annotations.Properties` flags (see [`access_level`]).

use indexmap::IndexMap;
use serde::Deserialize;

use super::model::{
    AccessLevel, Action, ActionResource, ConditionKey, ConditionType, ResourceType, Service,
};
use crate::error::{Error, Result, line_col};

/// A service file as AWS publishes it. Unknown fields (`Operations`, `SupportedBy`, ...) are ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ServiceFile {
    name: String,
    #[serde(default)]
    actions: Vec<ActionEntry>,
    #[serde(default)]
    resources: Vec<ResourceEntry>,
    #[serde(default)]
    condition_keys: Vec<ConditionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ActionEntry {
    name: String,
    #[serde(default)]
    action_condition_keys: Vec<String>,
    annotations: Option<Annotations>,
    #[serde(default)]
    resources: Vec<ActionResourceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Annotations {
    properties: Flags,
}

/// AWS's access-level flags of one action.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Flags {
    #[serde(default)]
    pub is_list: bool,
    #[serde(default)]
    pub is_write: bool,
    #[serde(default)]
    pub is_permission_management: bool,
    #[serde(default)]
    pub is_tagging_only: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ActionResourceEntry {
    name: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceEntry {
    name: String,
    #[serde(default, rename = "ARNFormats")]
    arn_formats: Vec<String>,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConditionEntry {
    name: String,
    #[serde(default)]
    types: Vec<String>,
}

/// IAM's access level from AWS's flags.
///
/// Permissions-management and tagging actions also carry `IsWrite`, so they are tested first.
pub fn access_level(flags: Flags) -> AccessLevel {
    if flags.is_permission_management {
        AccessLevel::PermissionsManagement
    } else if flags.is_tagging_only {
        AccessLevel::Tagging
    } else if flags.is_write {
        AccessLevel::Write
    } else if flags.is_list {
        AccessLevel::List
    } else {
        AccessLevel::Read
    }
}

/// What reading one service file gave.
#[derive(Debug)]
pub enum Parsed {
    /// A service in the current layout.
    Service(Box<Service>),
    /// A service in the older layout without access levels (`Annotations`); its prefix.
    /// We cannot state its access levels correctly, so it is skipped, and the caller says so.
    OldLayout(String),
}

/// Parses one service reference file. `origin` names the file in errors.
pub fn parse_service(origin: &str, text: &str) -> Result<Parsed> {
    let file: ServiceFile = serde_json::from_str(text).map_err(|e| json_error(origin, text, &e))?;
    let prefix = file.name.trim().to_string();
    if !is_service_prefix(&prefix) {
        return Err(Error::Invalid {
            origin: origin.to_string(),
            message: format!(
                "{:?} is not a service prefix (field Name): IAM prefixes are lowercase letters, digits and -",
                file.name
            ),
        });
    }
    check_names(origin, &file)?;
    if !file.actions.is_empty() && file.actions.iter().all(|a| a.annotations.is_none()) {
        return Ok(Parsed::OldLayout(prefix));
    }
    let mut service = Service {
        name: prefix.clone(),
        prefix: prefix.clone(),
        ..Service::default()
    };
    for a in file.actions {
        let Some(annotations) = a.annotations else {
            return Err(Error::Invalid {
                origin: origin.to_string(),
                message: format!("action {} has no Annotations (access level)", a.name),
            });
        };
        let action = Action {
            access: access_level(annotations.properties),
            resources: a
                .resources
                .into_iter()
                .map(|r| ActionResource {
                    type_name: r.name,
                    conditions: r.condition_keys,
                })
                .collect(),
            conditions: a.action_condition_keys,
            name: a.name,
            summary: None,
            featured: false,
            risks: Vec::new(),
        };
        service.actions.insert(action.name.clone(), action);
    }
    for r in file.resources {
        service.resources.insert(
            r.name.clone(),
            ResourceType {
                name: r.name,
                arn_formats: r.arn_formats,
                conditions: r.condition_keys,
            },
        );
    }
    let mut conditions = IndexMap::new();
    for c in file.condition_keys {
        let types = c
            .types
            .iter()
            .map(|t| {
                t.parse::<ConditionType>().map_err(|_| Error::Invalid {
                    origin: origin.to_string(),
                    message: format!("condition key {} has an unknown type {t:?}", c.name),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        conditions.insert(
            c.name.clone(),
            ConditionKey {
                name: c.name,
                types,
            },
        );
    }
    service.conditions = conditions;
    Ok(Parsed::Service(Box::new(service)))
}

/// IAM's grammar for a service prefix: `[a-z0-9-]+` (every prefix in AWS's reference fits).
pub fn is_service_prefix(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// IAM's grammar for an action name: letters and digits. AWS's reference has one real
/// exception with a hyphen inside (`vpc-lattice:AssociateViaAWSService-EventsAndStates`), so a
/// hyphen is allowed after the first character.
pub fn is_action_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Resource type names, condition keys and ARN formats: printable ASCII, not empty
/// (resource type names hold spaces and slashes, e.g. `function alias`, `listener/app`;
/// condition keys `${TagKey}`; none holds anything outside U+0020-U+007E).
fn is_printable_name(name: &str, spaces: bool) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() || (spaces && b == b' '))
}

/// Rejects names a policy could not hold or a terminal could be fooled by, and names that
/// differ only in case (IAM compares actions and condition keys case-insensitively, so
/// `GetObject` and `getobject` in one file cannot both be true).
fn check_names(origin: &str, file: &ServiceFile) -> Result<()> {
    let invalid = |message: String| Error::Invalid {
        origin: origin.to_string(),
        message,
    };
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for a in &file.actions {
        if !is_action_name(&a.name) {
            return Err(invalid(format!(
                "{:?} is not an IAM action name (letters and digits)",
                a.name
            )));
        }
        if let Some(other) = seen.insert(a.name.to_ascii_lowercase(), &a.name) {
            return Err(invalid(format!(
                "actions {other:?} and {:?} differ only in case; IAM cannot tell them apart",
                a.name
            )));
        }
        for k in a
            .action_condition_keys
            .iter()
            .chain(a.resources.iter().flat_map(|r| &r.condition_keys))
        {
            if !is_printable_name(k, false) {
                return Err(invalid(format!(
                    "action {}: {k:?} is not a condition key name",
                    a.name
                )));
            }
        }
        for r in &a.resources {
            if !is_printable_name(&r.name, true) {
                return Err(invalid(format!(
                    "action {}: {:?} is not a resource type name",
                    a.name, r.name
                )));
            }
        }
    }
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for r in &file.resources {
        if !is_printable_name(&r.name, true) {
            return Err(invalid(format!("{:?} is not a resource type name", r.name)));
        }
        if let Some(other) = seen.insert(r.name.to_ascii_lowercase(), &r.name) {
            return Err(invalid(format!(
                "resource types {other:?} and {:?} differ only in case",
                r.name
            )));
        }
        for f in r.arn_formats.iter().chain(&r.condition_keys) {
            if !is_printable_name(f, false) {
                return Err(invalid(format!(
                    "resource type {}: {f:?} is not an ARN format or condition key",
                    r.name
                )));
            }
        }
    }
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for k in &file.condition_keys {
        if !is_printable_name(&k.name, false) {
            return Err(invalid(format!("{:?} is not a condition key name", k.name)));
        }
        if let Some(other) = seen.insert(k.name.to_ascii_lowercase(), &k.name) {
            return Err(invalid(format!(
                "condition keys {other:?} and {:?} differ only in case; IAM cannot tell them apart",
                k.name
            )));
        }
    }
    Ok(())
}

/// One entry of AWS's index file: `{"service": "s3", "url": ".../v1/s3/s3.json"}`.
#[derive(Clone, Debug, Deserialize)]
pub struct IndexEntry {
    pub service: String,
    pub url: String,
}

/// Parses AWS's index file (a JSON array of [`IndexEntry`]); every `service` must be a
/// service prefix, listed once.
pub fn parse_index(origin: &str, text: &str) -> Result<Vec<IndexEntry>> {
    let entries: Vec<IndexEntry> =
        serde_json::from_str(text).map_err(|e| json_error(origin, text, &e))?;
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        if !is_service_prefix(&e.service) {
            return Err(Error::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "the index lists {:?}, which is not a service prefix (lowercase letters, digits and -)",
                    e.service
                ),
            });
        }
        if !seen.insert(e.service.as_str()) {
            return Err(Error::Invalid {
                origin: origin.to_string(),
                message: format!("the index lists {} twice", e.service),
            });
        }
    }
    Ok(entries)
}

/// Whether `text` looks like an index (a JSON array) rather than a service file (an object).
pub fn looks_like_index(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[')
}

/// Turns a serde_json error into a parse error with the file and position.
pub fn json_error(origin: &str, text: &str, e: &serde_json::Error) -> Error {
    let (line, column) = if e.line() == 0 {
        line_col(text, text.len())
    } else {
        (e.line(), e.column())
    };
    // serde_json's text ends in " at line L column C"; the position is printed by Error::Parse.
    let text_of_e = e.to_string();
    let bare = text_of_e
        .rfind(" at line ")
        .map_or(text_of_e.as_str(), |i| &text_of_e[..i]);
    let message = match e.classify() {
        serde_json::error::Category::Eof => {
            format!("the file ends too early ({bare}); is it truncated?")
        }
        serde_json::error::Category::Syntax => format!("not valid JSON: {bare}"),
        serde_json::error::Category::Data => {
            format!("not in AWS's service reference format: {bare}")
        }
        serde_json::error::Category::Io => bare.to_string(),
    };
    Error::Parse {
        origin: origin.to_string(),
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(list: bool, write: bool, perm: bool, tag: bool) -> Flags {
        Flags {
            is_list: list,
            is_write: write,
            is_permission_management: perm,
            is_tagging_only: tag,
        }
    }

    #[test]
    fn access_level_follows_the_reference_rule() {
        assert_eq!(
            access_level(flags(false, true, true, false)),
            AccessLevel::PermissionsManagement
        );
        assert_eq!(
            access_level(flags(false, true, true, true)),
            AccessLevel::PermissionsManagement
        );
        assert_eq!(
            access_level(flags(false, true, false, true)),
            AccessLevel::Tagging
        );
        assert_eq!(
            access_level(flags(true, true, false, false)),
            AccessLevel::Write
        );
        assert_eq!(
            access_level(flags(true, false, false, false)),
            AccessLevel::List
        );
        assert_eq!(
            access_level(flags(false, false, false, false)),
            AccessLevel::Read
        );
    }

    const SAMPLE: &str = r#"{"Name":"demo","Version":"v1.4",
      "Actions":[{"Name":"GetThing","ActionConditionKeys":["demo:Color"],
        "Annotations":{"Properties":{"IsList":false,"IsWrite":false,"IsPermissionManagement":false,"IsTaggingOnly":false}},
        "Resources":[{"Name":"thing","ConditionKeys":["demo:Size"]}],"SupportedBy":{}},
        {"Name":"TagThing","Annotations":{"Properties":{"IsList":false,"IsWrite":true,"IsPermissionManagement":false,"IsTaggingOnly":true}}}],
      "Resources":[{"Name":"thing","ARNFormats":["arn:${Partition}:demo:${Region}:${Account}:thing/${ThingId}"],"ConditionKeys":["aws:ResourceTag/${TagKey}"]}],
      "ConditionKeys":[{"Name":"demo:Color","Types":["String"]},{"Name":"demo:Size","Types":["Numeric"]}],
      "Operations":[]}"#;

    #[test]
    fn parses_a_service_file() {
        let Parsed::Service(s) = parse_service("demo.json", SAMPLE).unwrap() else {
            panic!("expected a service")
        };
        assert_eq!(s.prefix, "demo");
        let get = &s.actions["GetThing"];
        assert_eq!(get.access, AccessLevel::Read);
        assert_eq!(get.resources[0].type_name, "thing");
        assert_eq!(get.resources[0].conditions, ["demo:Size"]);
        assert_eq!(get.conditions, ["demo:Color"]);
        assert_eq!(s.actions["TagThing"].access, AccessLevel::Tagging);
        assert!(s.actions["TagThing"].resources.is_empty());
        assert_eq!(s.resources["thing"].arn_formats.len(), 1);
        assert_eq!(s.conditions["demo:Size"].types, [ConditionType::Numeric]);
    }

    #[test]
    fn old_layout_is_recognised_not_guessed() {
        let text = r#"{"Name":"old","Actions":[{"Name":"Do"}],"Version":"v1.1"}"#;
        assert!(
            matches!(parse_service("old.json", text).unwrap(), Parsed::OldLayout(p) if p == "old")
        );
    }

    #[test]
    fn broken_files_name_the_file() {
        let truncated = &SAMPLE[..SAMPLE.len() / 2];
        let e = parse_service("demo.json", truncated)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("demo.json:"), "{e}");
        assert!(e.contains("truncated"), "{e}");
        let e = parse_service("x.json", r#"{"Name": 3, "Actions": []}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.json:1:") && e.contains("format"), "{e}");
        let e = parse_service("y.json", "hello").unwrap_err().to_string();
        assert!(
            e.contains("y.json:1:") && e.contains("not valid JSON"),
            "{e}"
        );
    }
}
