//! The compact stored form of a catalog: the embedded asset and the user catalog share it.
//!
//! Positional JSON arrays (no field names, access level as a digit) keep the file small and
//! the parse fast without a binary format crate. Measured on the 2-core dev machine: a
//! postcard encoding of the same structs decoded no faster (embedded 3.1 vs 3.7 ms, full
//! 17.7 vs 16.5 ms, fastest runs), because the time goes into allocating the model's strings,
//! not into parsing. Only AWS's facts are stored here; the curation is applied after loading.
//!
//! Since format 2 a file is two lines, so that a run decodes only the services it asks for:
//! the first line is a small header (kind, date, skipped services, the operations stamp and an
//! index of each service's byte range), the second the JSON array of the services themselves.
//! [`open`] reads the header alone; [`decode_service`] decodes one service from its range on
//! first use. Format 1 files (one JSON document, written before the index existed) are still
//! read, decoded whole.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::model::{
    AccessLevel, Action, ActionResource, ConditionKey, ConditionType, ResourceType, Service,
};
use crate::error::{Error, Result};

/// Bumped when the layout changes; an unknown one is then refused with a hint.
pub const FORMAT: u32 = 2;

/// The format before the index: one JSON document, still read (decoded whole).
const FORMAT_WHOLE: u32 = 1;

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
    /// The stamp of the operations file written with this catalog (`operations::wire`);
    /// absent in catalogs written before operations were stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<String>,
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
    encode_stamped(kind, date, data_date, skipped, services, None)
}

/// The first line of a format 2 file: everything but the services, and where each one is.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: u32,
    kind: String,
    date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data_date: Option<String>,
    #[serde(default)]
    skipped: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operations: Option<String>,
    /// `[prefix, start, end]` per service: its byte range in the second line, in file order.
    index: Vec<(String, usize, usize)>,
}

/// [`encode`], naming the operations file written with the catalog.
pub fn encode_stamped<'a>(
    kind: &str,
    date: &str,
    data_date: Option<&str>,
    skipped: &[String],
    services: impl IntoIterator<Item = &'a Service>,
    operations: Option<&str>,
) -> Vec<u8> {
    let mut body = vec![b'['];
    let mut index = Vec::new();
    for (i, s) in services.into_iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let start = body.len();
        // Serializing plain strings, numbers and arrays cannot fail.
        body.extend(serde_json::to_vec(&stored_service(s)).unwrap_or_default());
        index.push((s.prefix.clone(), start, body.len()));
    }
    body.push(b']');
    let header = Header {
        format: FORMAT,
        kind: kind.to_string(),
        date: date.to_string(),
        data_date: data_date.map(str::to_string),
        skipped: skipped.to_vec(),
        operations: operations.map(str::to_string),
        index,
    };
    let mut out = serde_json::to_vec(&header).unwrap_or_default();
    out.push(b'\n');
    out.extend(body);
    out
}

fn stored_service(s: &Service) -> StoredService {
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
                        .map(|r| StoredActionResource(r.type_name.clone(), r.conditions.clone()))
                        .collect(),
                    a.conditions.clone(),
                )
            })
            .collect(),
        s.resources
            .values()
            .map(|r| StoredResource(r.name.clone(), r.arn_formats.clone(), r.conditions.clone()))
            .collect(),
        s.conditions
            .values()
            .map(|c| StoredCondition(c.name.clone(), c.types.clone()))
            .collect(),
    )
}

/// A decoded stored catalog.
#[derive(Debug)]
pub struct Decoded {
    pub kind: String,
    pub date: String,
    pub data_date: Option<String>,
    pub skipped: Vec<String>,
    pub services: Vec<Service>,
    /// The stamp of the operations file written with it, if any.
    pub operations: Option<String>,
}

/// A stored catalog with its header read and its services not yet decoded (see [`open`]).
#[derive(Debug)]
pub struct Opened {
    pub kind: String,
    pub date: String,
    pub data_date: Option<String>,
    pub skipped: Vec<String>,
    /// The services in file order (sorted by prefix when written by [`encode`]).
    pub services: Vec<OpenedService>,
    /// The stamp of the operations file written with it, if any.
    pub operations: Option<String>,
}

/// One service of an [`Opened`] catalog.
#[derive(Debug)]
pub enum OpenedService {
    /// Not decoded yet: [`decode_service`] reads it from this byte range of the file.
    Stored {
        prefix: String,
        range: std::ops::Range<usize>,
    },
    /// Decoded already (a format 1 file is decoded whole).
    Decoded(Box<Service>),
}

impl OpenedService {
    /// The service's IAM prefix.
    pub fn prefix(&self) -> &str {
        match self {
            OpenedService::Stored { prefix, .. } => prefix,
            OpenedService::Decoded(s) => &s.prefix,
        }
    }
}

/// Reads the header of the stored form and checks the index, decoding no service (a format 1
/// file is decoded whole). `origin` names the file in errors.
///
/// A range that is out of the file, out of order or does not start with its service's prefix
/// is an error here; a service whose bytes are broken inside fails only in [`decode_service`].
pub fn open(origin: &str, bytes: &[u8]) -> Result<Opened> {
    let header_end = bytes.iter().position(|&b| b == b'\n');
    let header = header_end.and_then(|end| serde_json::from_slice::<Header>(&bytes[..end]).ok());
    let (Some(header_end), Some(header)) = (header_end, header) else {
        // No header line: a format 1 document, or no catalog (the whole parse says why).
        let d = decode_whole(origin, bytes)?;
        return Ok(Opened {
            kind: d.kind,
            date: d.date,
            data_date: d.data_date,
            skipped: d.skipped,
            services: d
                .services
                .into_iter()
                .map(|s| OpenedService::Decoded(Box::new(s)))
                .collect(),
            operations: d.operations,
        });
    };
    check_format(origin, header.format, FORMAT)?;
    let body = header_end + 1;
    let mut services = Vec::with_capacity(header.index.len());
    let mut last_end = body;
    for (prefix, start, end) in header.index {
        let range = body.saturating_add(start)..body.saturating_add(end);
        // `["prefix",` opens each service's bytes, as `encode` writes them.
        let quoted = serde_json::to_vec(&prefix).unwrap_or_default();
        let opens_with_prefix = bytes
            .get(range.clone())
            .and_then(|b| b.strip_prefix(b"["))
            .is_some_and(|b| b.starts_with(&quoted));
        if range.start < last_end || !opens_with_prefix {
            return Err(Error::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "the index does not match the stored services (at {prefix:?}); import or update the catalog again"
                ),
            });
        }
        last_end = range.end;
        services.push(OpenedService::Stored { prefix, range });
    }
    Ok(Opened {
        kind: header.kind,
        date: header.date,
        data_date: header.data_date,
        skipped: header.skipped,
        services,
        operations: header.operations,
    })
}

/// Decodes one service of an [`open`]ed file from its byte range in `bytes`.
pub fn decode_service(
    origin: &str,
    bytes: &[u8],
    prefix: &str,
    range: std::ops::Range<usize>,
) -> Result<Service> {
    let invalid = |message: String| Error::Invalid {
        origin: origin.to_string(),
        message,
    };
    let raw = bytes
        .get(range)
        .ok_or_else(|| invalid(format!("service {prefix} lies outside the file")))?;
    let stored: StoredService = serde_json::from_slice(raw)
        .map_err(|e| invalid(format!("service {prefix} is broken: {e}")))?;
    if stored.0 != prefix {
        return Err(invalid(format!(
            "the index names {prefix} where {} is stored",
            stored.0
        )));
    }
    service_from_stored(origin, stored)
}

/// Decodes the stored form whole, every service at once; `origin` names the file in errors.
pub fn decode(origin: &str, bytes: &[u8]) -> Result<Decoded> {
    let opened = open(origin, bytes)?;
    let services = opened
        .services
        .into_iter()
        .map(|s| match s {
            OpenedService::Decoded(s) => Ok(*s),
            OpenedService::Stored { prefix, range } => {
                decode_service(origin, bytes, &prefix, range)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Decoded {
        kind: opened.kind,
        date: opened.date,
        data_date: opened.data_date,
        skipped: opened.skipped,
        services,
        operations: opened.operations,
    })
}

fn check_format(origin: &str, found: u32, expected: u32) -> Result<()> {
    if found == expected {
        return Ok(());
    }
    Err(Error::Invalid {
        origin: origin.to_string(),
        message: format!(
            "catalog format {found} is not the one this rolesmith reads ({FORMAT}); run `rolesmith catalog update` or import again"
        ),
    })
}

/// A format 1 file: one JSON document holding everything.
fn decode_whole(origin: &str, bytes: &[u8]) -> Result<Decoded> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Invalid {
        origin: origin.to_string(),
        message: format!(
            "not UTF-8 text (byte {}), so not a catalog",
            e.valid_up_to()
        ),
    })?;
    let stored: StoredCatalog =
        serde_json::from_str(text).map_err(|e| super::reference::json_error(origin, text, &e))?;
    check_format(origin, stored.format, FORMAT_WHOLE)?;
    let services = stored
        .services
        .into_iter()
        .map(|s| service_from_stored(origin, s))
        .collect::<Result<Vec<_>>>()?;
    Ok(Decoded {
        kind: stored.kind,
        date: stored.date,
        data_date: stored.data_date,
        skipped: stored.skipped,
        services,
        operations: stored.operations,
    })
}

fn service_from_stored(origin: &str, stored: StoredService) -> Result<Service> {
    let StoredService(prefix, actions, resources, conditions) = stored;
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
    Ok(service)
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
