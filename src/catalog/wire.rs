//! The compact stored form of a catalog: the embedded asset and the user catalog share it.
//!
//! Positional JSON arrays (no field names, access level as a digit) keep the file small and
//! the parse fast without a binary format crate. Measured on the 2-core dev machine: a
//! postcard encoding of the same structs decoded no faster (embedded 3.1 vs 3.7 ms, full
//! 17.7 vs 16.5 ms, fastest runs), because the time goes into allocating the model's strings,
//! not into parsing. Only AWS's facts are stored here; the curation is applied after loading.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::model::{
    AccessLevel, Action, ActionResource, ConditionKey, ConditionType, ResourceType, Service,
};
use crate::error::{Error, Result};

/// Bumped when the layout changes; an older user catalog is then refused with a hint.
pub const FORMAT: u32 = 1;

/// A whole stored catalog.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredCatalog {
    pub format: u32,
    /// `embedded`, `imported` or `updated`.
    pub kind: String,
    /// The day the facts were taken (YYYY-MM-DD).
    pub date: String,
    /// How old AWS's data is, when known and not the same day (`2026-08-22 (given at
    /// import)`): an import of old files records the day it ran in `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_date: Option<String>,
    /// Services the import skipped, with why (`deeplens: older layout without access levels`).
    #[serde(default)]
    pub skipped: Vec<String>,
    pub services: Vec<StoredService>,
}

/// `[prefix, actions, resources, conditions]`
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredService(
    pub String,
    pub Vec<StoredAction>,
    pub Vec<StoredResource>,
    pub Vec<StoredCondition>,
);

/// `[name, access (0 List, 1 Read, 2 Write, 3 Permissions management, 4 Tagging), resources, conditions]`
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredAction(
    pub String,
    pub u8,
    pub Vec<StoredActionResource>,
    pub Vec<String>,
);

/// `[type, conditions]`
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredActionResource(pub String, pub Vec<String>);

/// `[name, arn_formats, conditions]`
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredResource(pub String, pub Vec<String>, pub Vec<String>);

/// `[name, types]`
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredCondition(pub String, pub Vec<ConditionType>);

fn access_code(a: AccessLevel) -> u8 {
    match a {
        AccessLevel::List => 0,
        AccessLevel::Read => 1,
        AccessLevel::Write => 2,
        AccessLevel::PermissionsManagement => 3,
        AccessLevel::Tagging => 4,
    }
}

fn access_from_code(c: u8) -> Option<AccessLevel> {
    Some(match c {
        0 => AccessLevel::List,
        1 => AccessLevel::Read,
        2 => AccessLevel::Write,
        3 => AccessLevel::PermissionsManagement,
        4 => AccessLevel::Tagging,
        _ => return None,
    })
}

/// Encodes services (facts only) into the stored form.
pub fn encode<'a>(
    kind: &str,
    date: &str,
    data_date: Option<&str>,
    skipped: &[String],
    services: impl IntoIterator<Item = &'a Service>,
) -> Vec<u8> {
    let stored = StoredCatalog {
        format: FORMAT,
        kind: kind.to_string(),
        date: date.to_string(),
        data_date: data_date.map(str::to_string),
        skipped: skipped.to_vec(),
        services: services
            .into_iter()
            .map(|s| {
                StoredService(
                    s.prefix.clone(),
                    s.actions
                        .values()
                        .map(|a| {
                            StoredAction(
                                a.name.clone(),
                                access_code(a.access),
                                a.resources
                                    .iter()
                                    .map(|r| {
                                        StoredActionResource(
                                            r.type_name.clone(),
                                            r.conditions.clone(),
                                        )
                                    })
                                    .collect(),
                                a.conditions.clone(),
                            )
                        })
                        .collect(),
                    s.resources
                        .values()
                        .map(|r| {
                            StoredResource(
                                r.name.clone(),
                                r.arn_formats.clone(),
                                r.conditions.clone(),
                            )
                        })
                        .collect(),
                    s.conditions
                        .values()
                        .map(|c| StoredCondition(c.name.clone(), c.types.clone()))
                        .collect(),
                )
            })
            .collect(),
    };
    // Serializing plain strings, numbers and arrays cannot fail.
    serde_json::to_vec(&stored).unwrap_or_default()
}

/// A decoded stored catalog.
#[derive(Debug)]
pub struct Decoded {
    pub kind: String,
    pub date: String,
    pub data_date: Option<String>,
    pub skipped: Vec<String>,
    pub services: Vec<Service>,
}

/// Decodes the stored form; `origin` names the file in errors.
pub fn decode(origin: &str, bytes: &[u8]) -> Result<Decoded> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Invalid {
        origin: origin.to_string(),
        message: format!(
            "not UTF-8 text (byte {}), so not a catalog",
            e.valid_up_to()
        ),
    })?;
    let stored: StoredCatalog =
        serde_json::from_str(text).map_err(|e| super::reference::json_error(origin, text, &e))?;
    if stored.format != FORMAT {
        return Err(Error::Invalid {
            origin: origin.to_string(),
            message: format!(
                "catalog format {} is not the one this rolesmith reads ({FORMAT}); run `rolesmith catalog update` or import again",
                stored.format
            ),
        });
    }
    let mut services = Vec::with_capacity(stored.services.len());
    for StoredService(prefix, actions, resources, conditions) in stored.services {
        let mut service = Service {
            name: prefix.clone(),
            prefix,
            actions: IndexMap::with_capacity(actions.len()),
            resources: IndexMap::with_capacity(resources.len()),
            conditions: IndexMap::with_capacity(conditions.len()),
        };
        for StoredAction(name, access, res, conds) in actions {
            let access = access_from_code(access).ok_or_else(|| Error::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "{}:{name} has an unknown access level code {access}",
                    service.prefix
                ),
            })?;
            let action = Action {
                name: name.clone(),
                access,
                resources: res
                    .into_iter()
                    .map(
                        |StoredActionResource(type_name, conditions)| ActionResource {
                            type_name,
                            conditions,
                        },
                    )
                    .collect(),
                conditions: conds,
                summary: None,
                featured: false,
                risks: Vec::new(),
            };
            service.actions.insert(name, action);
        }
        for StoredResource(name, arn_formats, conditions) in resources {
            service.resources.insert(
                name.clone(),
                ResourceType {
                    name,
                    arn_formats,
                    conditions,
                },
            );
        }
        for StoredCondition(name, types) in conditions {
            service
                .conditions
                .insert(name.clone(), ConditionKey { name, types });
        }
        services.push(service);
    }
    Ok(Decoded {
        kind: stored.kind,
        date: stored.date,
        data_date: stored.data_date,
        skipped: stored.skipped,
        services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_facts() {
        let mut s = Service {
            prefix: "demo".into(),
            name: "demo".into(),
            ..Service::default()
        };
        s.actions.insert(
            "PutThing".into(),
            Action {
                name: "PutThing".into(),
                access: AccessLevel::PermissionsManagement,
                resources: vec![ActionResource {
                    type_name: "thing".into(),
                    conditions: vec!["demo:Size".into()],
                }],
                conditions: vec!["demo:Color".into()],
                summary: None,
                featured: false,
                risks: vec![],
            },
        );
        s.resources.insert(
            "thing".into(),
            ResourceType {
                name: "thing".into(),
                arn_formats: vec!["arn:${Partition}:demo:::${Name}".into()],
                conditions: vec![],
            },
        );
        s.conditions.insert(
            "demo:Color".into(),
            ConditionKey {
                name: "demo:Color".into(),
                types: vec![ConditionType::ArrayOfString, ConditionType::String],
            },
        );
        let bytes = encode(
            "imported",
            "2026-11-29",
            None,
            &["old: skipped".into()],
            [&s],
        );
        let d = decode("x", &bytes).unwrap();
        assert_eq!(d.kind, "imported");
        assert_eq!(d.skipped, ["old: skipped"]);
        assert_eq!(d.services, vec![s]);
    }

    #[test]
    fn refuses_other_formats_and_bad_codes() {
        let e = decode(
            "c.json",
            br#"{"format":99,"kind":"x","date":"d","services":[]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("c.json") && e.to_string().contains("format 99"));
        let e = decode(
            "c.json",
            br#"{"format":1,"kind":"x","date":"d","services":[["s",[["A",9,[],[]]],[],[]]]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("s:A"));
    }
}
