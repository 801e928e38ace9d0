//! The stored form of operations: `assets/catalog/operations.json` (embedded, for the curated
//! services) and `operations.json` beside the user catalog.
//!
//! Positional JSON arrays like the catalog's own stored form (`catalog::wire`), kept in a file of
//! their own so that loading the catalog never reads them. A user catalog (`catalog.json`) names
//! its operations file by a stamp: `operations-STAMP.json` beside it, which repeats the stamp
//! inside. An import writes the new operations file first and swaps the catalog in after, so an
//! interrupted import leaves the old catalog with its old operations; the files of other stamps
//! are removed once the new catalog is in place.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{AuthorizedAction, Operation, SdkMethod, ServiceOperations};
use crate::error::{Error, Result};

/// Bumped when the layout changes; an older file is then refused with a hint.
pub const FORMAT: u32 = 1;

/// How the user files' names start (`operations-STAMP.json`).
pub const USER_FILE_PREFIX: &str = "operations-";

/// Where the operations of the user catalog at `catalog` with `stamp` live: beside it. `None`
/// for a stamp that is not one this module makes (the stamp comes from a file, so it could
/// name anything).
pub fn beside(catalog: &std::path::Path, stamp: &str) -> Option<std::path::PathBuf> {
    is_stamp(stamp).then(|| catalog.with_file_name(format!("{USER_FILE_PREFIX}{stamp}.json")))
}

/// Stamps are lower-case hex digits and `-`, at most 64 of them.
fn is_stamp(stamp: &str) -> bool {
    !stamp.is_empty()
        && stamp.len() <= 64
        && stamp
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
}

/// Removes the operations files beside `catalog` other than `keep`'s (left by earlier imports
/// or an interrupted one). Failing to remove one is harmless: it is never read.
pub fn remove_others(catalog: &std::path::Path, keep: &str) {
    let Some(dir) = catalog.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let keep = format!("{USER_FILE_PREFIX}{keep}.json");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(USER_FILE_PREFIX) && name.ends_with(".json") && name != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A whole stored file.
#[derive(Debug, Serialize, Deserialize)]
struct StoredOperations {
    format: u32,
    /// `embedded`, `imported` or `updated`.
    kind: String,
    /// The day the facts were taken (YYYY-MM-DD).
    date: String,
    /// Matches the `operations` stamp of the user catalog written with it (empty: embedded).
    #[serde(default)]
    stamp: String,
    /// SDK package names (`Boto3`), referred to by index.
    packages: Vec<String>,
    services: Vec<StoredService>,
}

/// `[prefix, operations]`
#[derive(Debug, Serialize, Deserialize)]
struct StoredService(String, Vec<StoredOperation>);

/// `[name, sdk methods, authorized actions]`
#[derive(Debug, Serialize, Deserialize)]
struct StoredOperation(String, Vec<StoredSdk>, Vec<StoredAction>);

/// `[client, method, package index]`
#[derive(Debug, Serialize, Deserialize)]
struct StoredSdk(String, String, u16);

/// `[service, action, context]` (context `{}` when AWS gives none)
#[derive(Debug, Serialize, Deserialize)]
struct StoredAction(
    String,
    String,
    #[serde(default)] IndexMap<String, Vec<String>>,
);

/// A decoded file.
#[derive(Debug)]
pub struct Decoded {
    pub kind: String,
    pub date: String,
    pub stamp: String,
    pub services: Vec<ServiceOperations>,
}

/// Encodes `services` (sorted by prefix by the caller, for stable output).
pub fn encode<'a>(
    kind: &str,
    date: &str,
    stamp: &str,
    services: impl IntoIterator<Item = &'a ServiceOperations>,
) -> Vec<u8> {
    let mut packages: Vec<String> = Vec::new();
    let mut package_index = |name: &str| -> u16 {
        match packages.iter().position(|p| p == name) {
            Some(i) => i as u16,
            None => {
                packages.push(name.to_string());
                (packages.len() - 1) as u16
            }
        }
    };
    let services: Vec<StoredService> = services
        .into_iter()
        .map(|s| {
            StoredService(
                s.prefix.clone(),
                s.operations
                    .iter()
                    .map(|op| {
                        StoredOperation(
                            op.name.clone(),
                            op.sdk
                                .iter()
                                .map(|m| {
                                    StoredSdk(
                                        m.client.clone(),
                                        m.method.clone(),
                                        package_index(&m.package),
                                    )
                                })
                                .collect(),
                            op.actions
                                .iter()
                                .map(|a| {
                                    StoredAction(
                                        a.service.clone(),
                                        a.name.clone(),
                                        a.context.clone(),
                                    )
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let stored = StoredOperations {
        format: FORMAT,
        kind: kind.to_string(),
        date: date.to_string(),
        stamp: stamp.to_string(),
        packages,
        services,
    };
    // Plain strings, numbers, arrays and maps with string keys always serialize.
    serde_json::to_vec(&stored).unwrap_or_default()
}

/// Decodes the stored form; `origin` names the file in errors.
pub fn decode(origin: &str, bytes: &[u8]) -> Result<Decoded> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Invalid {
        origin: origin.to_string(),
        message: format!(
            "not UTF-8 text (byte {}), so not an operations file",
            e.valid_up_to()
        ),
    })?;
    let stored: StoredOperations = serde_json::from_str(text)
        .map_err(|e| crate::catalog::reference::json_error(origin, text, &e))?;
    if stored.format != FORMAT {
        return Err(Error::Invalid {
            origin: origin.to_string(),
            message: format!(
                "operations format {} is not the one this rolesmith reads ({FORMAT}); run `rolesmith catalog update` or import again",
                stored.format
            ),
        });
    }
    let packages = stored.packages;
    let mut services = Vec::with_capacity(stored.services.len());
    for StoredService(prefix, ops) in stored.services {
        let mut operations = Vec::with_capacity(ops.len());
        for StoredOperation(name, sdk, actions) in ops {
            let sdk = sdk
                .into_iter()
                .map(|StoredSdk(client, method, package)| {
                    let package = packages.get(usize::from(package)).map(|p| match p.as_str() {
                        "Boto3" => std::borrow::Cow::Borrowed("Boto3"),
                        other => std::borrow::Cow::Owned(other.to_string()),
                    }).ok_or_else(|| {
                        Error::Invalid {
                            origin: origin.to_string(),
                            message: format!(
                                "{prefix}:{name} names SDK package {package}, which the file does not list"
                            ),
                        }
                    })?;
                    Ok(SdkMethod {
                        client,
                        method,
                        package,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let actions = actions
                .into_iter()
                .map(|StoredAction(service, name, context)| AuthorizedAction {
                    service,
                    name,
                    context,
                })
                .collect();
            operations.push(Operation { name, sdk, actions });
        }
        services.push(ServiceOperations { prefix, operations });
    }
    Ok(Decoded {
        kind: stored.kind,
        date: stored.date,
        stamp: stored.stamp,
        services,
    })
}

/// A fresh stamp tying an operations file to the user catalog written with it.
pub fn new_stamp() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_operations_with_context() {
        let mut pass = AuthorizedAction {
            service: "iam".into(),
            name: "PassRole".into(),
            context: IndexMap::new(),
        };
        pass.context.insert(
            "iam:PassedToService".into(),
            vec!["lambda.amazonaws.com".into()],
        );
        let s = ServiceOperations {
            prefix: "lambda".into(),
            operations: vec![Operation {
                name: "CreateFunction".into(),
                sdk: vec![
                    SdkMethod {
                        client: "lambda".into(),
                        method: "create_function".into(),
                        package: "Boto3".into(),
                    },
                    SdkMethod {
                        client: "lambda".into(),
                        method: "create_function".into(),
                        package: "Other".into(),
                    },
                ],
                actions: vec![
                    AuthorizedAction {
                        service: "lambda".into(),
                        name: "CreateFunction".into(),
                        context: IndexMap::new(),
                    },
                    pass,
                ],
            }],
        };
        let bytes = encode("imported", "2026-11-29", "abc", [&s]);
        let d = decode("x", &bytes).unwrap();
        assert_eq!((d.kind.as_str(), d.stamp.as_str()), ("imported", "abc"));
        assert_eq!(d.services, vec![s]);
    }

    #[test]
    fn file_names_come_only_from_stamps_we_make() {
        let c = std::path::Path::new("/d/catalog.json");
        let stamp = new_stamp();
        assert_eq!(
            beside(c, &stamp),
            Some(std::path::PathBuf::from(format!(
                "/d/operations-{stamp}.json"
            )))
        );
        for bad in ["", "../../etc/passwd", "a/b", "ABC", &"a".repeat(65)] {
            assert_eq!(beside(c, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn refuses_other_formats_and_bad_package_indices() {
        let e = decode(
            "o.json",
            br#"{"format":7,"kind":"x","date":"d","packages":[],"services":[]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("o.json") && e.contains("format 7"), "{e}");
        let e = decode(
            "o.json",
            br#"{"format":1,"kind":"x","date":"d","packages":[],"services":[["s",[["Op",[["s","op",3]],[["s","Op"]]]]]]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("s:Op") && e.contains("package 3"), "{e}");
        let e = decode("o.json", b"{\"format\":1,").unwrap_err().to_string();
        assert!(e.starts_with("o.json:1:"), "{e}");
    }
}
