//! API operations: what code calls (`s3.copy_object`, `aws s3api copy-object`) and the IAM
//! actions AWS says such a call can be authorized against.
//!
//! AWS's service reference lists, per service, its API operations with their SDK method names
//! and `AuthorizedActions` (some with a `Context`, e.g. `iam:PassedToService`). rolesmith keeps
//! them apart from the rest of the catalog, in their own stored form ([`wire`]): most commands
//! never need them, so the catalog's load does not pay for them. They are decoded on the first
//! [`Catalog::operations`](super::Catalog::operations) call.
//!
//! - [`reference`]: reading AWS's `Operations[]` (used by `catalog import` / `update`).
//! - [`wire`]: the stored form, embedded for the curated services and written beside the user
//!   catalog.
//! - [`resolve`]: from text a person types (`put_object`, `s3:CopyObject`, ...) to operations.
//! - [`permissions`]: which actions a call always needs and which only in some requests, with
//!   why ([`notes`] holds our curated reasons).

pub mod notes;
pub mod permissions;
pub mod reference;
pub mod resolve;
pub mod wire;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use permissions::{CallPermissions, Need, Source, TouchedResource, permissions};
pub use resolve::{Resolved, Unresolved, resolve};

/// One API operation of a service, as AWS's service reference lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The API name (`CopyObject`), unique within its service.
    pub name: String,
    /// The SDK methods that call it (`s3.copy_object`; some operations have several clients,
    /// e.g. `s3` and `s3control`).
    pub sdk: Vec<SdkMethod>,
    /// Every action the call can be authorized against, in AWS's order. Empty when AWS lists
    /// none for it.
    pub actions: Vec<AuthorizedAction>,
}

/// An SDK method that calls an operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SdkMethod {
    /// The SDK's client name (`s3`, `stepfunctions`, `elbv2`): not always the IAM prefix.
    pub client: String,
    /// The method, snake case as in Boto3 (`copy_object`).
    pub method: String,
    /// The SDK AWS names the method for (`Boto3`, the only one so far: shared, not copied).
    pub package: std::borrow::Cow<'static, str>,
}

/// An action an operation can be authorized against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedAction {
    /// The IAM prefix of the action (`iam` for `iam:PassRole`, often another service's).
    pub service: String,
    /// The action name (`PassRole`).
    pub name: String,
    /// Request context AWS states for this authorization (`iam:PassedToService` →
    /// `["lambda.amazonaws.com"]`), usable as a condition. Usually empty.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub context: IndexMap<String, Vec<String>>,
}

impl AuthorizedAction {
    /// `service:Name`, as a policy writes it.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

/// The operations of one service (keyed by the service's IAM prefix, as the reference files are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOperations {
    pub prefix: String,
    pub operations: Vec<Operation>,
}

/// One operation with the service it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct OperationRef<'a> {
    /// The IAM prefix of the service file that lists the operation.
    pub service: &'a str,
    pub operation: &'a Operation,
}

impl OperationRef<'_> {
    /// `s3:CopyObject`.
    pub fn label(&self) -> String {
        format!("{}:{}", self.service, self.operation.name)
    }

    /// The first SDK method as `client.method` (`s3.copy_object`), else the label.
    pub fn sdk_label(&self) -> String {
        self.operation
            .sdk
            .first()
            .map_or_else(|| self.label(), |m| format!("{}.{}", m.client, m.method))
    }

    /// Every SDK method as `client.method`.
    pub fn sdk_labels(&self) -> Vec<String> {
        self.operation
            .sdk
            .iter()
            .map(|m| format!("{}.{}", m.client, m.method))
            .collect()
    }

    /// Every AWS CLI form (`aws s3api copy-object`).
    pub fn cli_labels(&self) -> Vec<String> {
        self.operation
            .sdk
            .iter()
            .map(|m| {
                format!(
                    "aws {} {}",
                    resolve::cli_service_name(&m.client),
                    m.method.replace('_', "-")
                )
            })
            .collect()
    }
}

/// Identifies an operation inside [`Operations`]: (service index, operation index).
type OperationId = (u32, u32);

/// A set of operations by service, with the lookups resolution needs. Built once (on the first
/// use of a catalog's operations) and read-only afterwards.
#[derive(Debug, Default)]
pub struct Operations {
    services: IndexMap<String, ServiceOperations>,
    /// Every operation by [`squash`]ed name, sorted: exact lookups and completion by prefix are
    /// binary searches.
    names: Vec<(Box<str>, OperationId)>,
    /// [`squash`]ed SDK client names and IAM prefixes → service indices.
    by_qualifier: HashMap<String, Vec<u32>>,
}

impl Operations {
    /// Builds the lookups over `services` (later entries for a prefix replace earlier ones).
    pub fn from_services(services: impl IntoIterator<Item = ServiceOperations>) -> Operations {
        let mut map: IndexMap<String, ServiceOperations> = IndexMap::new();
        for s in services {
            map.insert(s.prefix.clone(), s);
        }
        map.sort_unstable_keys();
        let mut names: Vec<(Box<str>, OperationId)> =
            Vec::with_capacity(map.values().map(|s| s.operations.len()).sum());
        let mut by_qualifier: HashMap<String, Vec<u32>> = HashMap::new();
        for (si, s) in map.values().enumerate() {
            let si = si as u32;
            let mut add_qualifier = |q: &str| {
                let ids = by_qualifier.entry(squash(q)).or_default();
                if !ids.contains(&si) {
                    ids.push(si);
                }
            };
            add_qualifier(&s.prefix);
            let mut last_client = "";
            for (oi, op) in s.operations.iter().enumerate() {
                names.push((squash(&op.name).into_boxed_str(), (si, oi as u32)));
                for m in &op.sdk {
                    if m.client != last_client {
                        add_qualifier(&m.client);
                        last_client = &m.client;
                    }
                }
            }
        }
        names.sort_unstable();
        Operations {
            services: map,
            names,
            by_qualifier,
        }
    }

    /// The services, sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = &ServiceOperations> + '_ {
        self.services.values()
    }

    /// The operations of one service, by IAM prefix (ignoring case).
    pub fn service(&self, prefix: &str) -> Option<&ServiceOperations> {
        self.services.get(prefix).or_else(|| {
            self.services
                .values()
                .find(|s| s.prefix.eq_ignore_ascii_case(prefix))
        })
    }

    /// Number of operations over all services.
    pub fn len(&self) -> usize {
        self.services.values().map(|s| s.operations.len()).sum()
    }

    /// Whether there are no operations at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every operation, by service then in AWS's order.
    pub fn iter(&self) -> impl Iterator<Item = OperationRef<'_>> + '_ {
        self.services.values().flat_map(|s| {
            s.operations.iter().map(move |op| OperationRef {
                service: &s.prefix,
                operation: op,
            })
        })
    }

    /// One operation by service prefix and name (ignoring case and `_`/`-`).
    pub fn get(&self, prefix: &str, name: &str) -> Option<OperationRef<'_>> {
        let wanted = squash(name);
        self.named_squashed(&wanted)
            .find(|o| o.service.eq_ignore_ascii_case(prefix))
    }

    /// Operations whose name, squashed, is `squashed` (`copyobject`), in service order.
    pub(crate) fn named_squashed<'a>(
        &'a self,
        squashed: &str,
    ) -> impl Iterator<Item = OperationRef<'a>> + 'a {
        let len = squashed.len();
        self.with_squashed_prefix(squashed)
            .filter(move |(name, _)| name.len() == len)
            .map(|(_, o)| o)
    }

    /// Operations whose squashed name starts with `prefix`, with that name, by name.
    pub(crate) fn with_squashed_prefix<'a>(
        &'a self,
        prefix: &str,
    ) -> impl Iterator<Item = (&'a str, OperationRef<'a>)> + 'a {
        let start = self.names.partition_point(|(n, _)| &**n < prefix);
        let prefix = prefix.to_string();
        self.names[start..]
            .iter()
            .take_while(move |(n, _)| n.starts_with(&prefix))
            .filter_map(|(n, id)| Some((&**n, self.by_id(*id)?)))
    }

    /// Whether `qualifier` (squashed) names a service prefix or an SDK client.
    pub(crate) fn qualifier_services(&self, squashed: &str) -> &[u32] {
        self.by_qualifier.get(squashed).map_or(&[], Vec::as_slice)
    }

    /// The prefix of the service at `index`.
    pub(crate) fn service_at(&self, index: u32) -> Option<&ServiceOperations> {
        self.services.get_index(index as usize).map(|(_, s)| s)
    }

    fn by_id(&self, (si, oi): OperationId) -> Option<OperationRef<'_>> {
        let (_, s) = self.services.get_index(si as usize)?;
        Some(OperationRef {
            service: &s.prefix,
            operation: s.operations.get(oi as usize)?,
        })
    }

    /// Operations that list `action` (`s3:GetObject`, ignoring case) among their authorized
    /// actions: "which calls need this action".
    pub fn authorizing(&self, action: &str) -> Vec<OperationRef<'_>> {
        let Some((service, name)) = action.split_once(':') else {
            return Vec::new();
        };
        self.iter()
            .filter(|o| {
                o.operation.actions.iter().any(|a| {
                    a.service.eq_ignore_ascii_case(service) && a.name.eq_ignore_ascii_case(name)
                })
            })
            .collect()
    }
}

/// Text from a file or the user, made safe to print on a terminal.
pub(crate) fn display(text: &str) -> std::borrow::Cow<'_, str> {
    crate::io::sanitize_for_display(text)
}

/// Whether `text` [`squash`]es to `squashed`, without allocating.
pub(crate) fn squashes_to(text: &str, squashed: &str) -> bool {
    let mut a = text
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase());
    let mut b = squashed.bytes();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// Lower-case ASCII letters and digits only: `put_object`, `PutObject`, `put-object` and
/// `putObject` all become `putobject`. AWS's operation names and SDK method names agree under
/// this (checked over the whole reference), so one key finds both.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A tiny set of operations in the reference's shape, for unit tests.
    use super::*;

    pub fn op(name: &str, sdk: &[(&str, &str)], actions: &[&str]) -> Operation {
        Operation {
            name: name.into(),
            sdk: sdk
                .iter()
                .map(|(c, m)| SdkMethod {
                    client: (*c).into(),
                    method: (*m).into(),
                    package: "Boto3".into(),
                })
                .collect(),
            actions: actions
                .iter()
                .map(|a| {
                    let (service, name) = a.split_once(':').unwrap();
                    AuthorizedAction {
                        service: service.into(),
                        name: name.into(),
                        context: IndexMap::new(),
                    }
                })
                .collect(),
        }
    }

    pub fn operations() -> Operations {
        Operations::from_services([
            ServiceOperations {
                prefix: "s3".into(),
                operations: vec![
                    op(
                        "CopyObject",
                        &[("s3", "copy_object")],
                        &["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"],
                    ),
                    op("PutObject", &[("s3", "put_object")], &["s3:PutObject"]),
                    op(
                        "CreateBucket",
                        &[("s3", "create_bucket"), ("s3control", "create_bucket")],
                        &["s3:CreateBucket"],
                    ),
                ],
            },
            ServiceOperations {
                prefix: "mediastore".into(),
                operations: vec![op(
                    "PutObject",
                    &[("mediastore-data", "put_object")],
                    &["mediastore:PutObject"],
                )],
            },
            ServiceOperations {
                prefix: "states".into(),
                operations: vec![op(
                    "StartExecution",
                    &[("stepfunctions", "start_execution")],
                    &["states:StartExecution"],
                )],
            },
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_unifies_the_spellings() {
        for s in [
            "put_object",
            "PutObject",
            "put-object",
            "putObject",
            "PUT_OBJECT",
        ] {
            assert_eq!(squash(s), "putobject");
        }
        assert_eq!(squash("list_objects_v2"), squash("ListObjectsV2"));
    }

    #[test]
    fn lookups() {
        let ops = fixture::operations();
        assert_eq!(ops.len(), 5);
        assert_eq!(
            ops.get("S3", "copy_object").map(|o| o.label()),
            Some("s3:CopyObject".into())
        );
        assert_eq!(ops.named_squashed("putobject").count(), 2);
        assert!(!ops.qualifier_services("stepfunctions").is_empty());
        assert!(!ops.qualifier_services("s3control").is_empty());
        assert!(ops.qualifier_services("nope").is_empty());
        let needing: Vec<String> = ops
            .authorizing("s3:putobject")
            .iter()
            .map(|o| o.label())
            .collect();
        assert_eq!(needing, ["s3:CopyObject", "s3:PutObject"]);
        let copy = ops.get("s3", "CopyObject").unwrap();
        assert_eq!(copy.sdk_label(), "s3.copy_object");
        assert_eq!(copy.cli_labels(), ["aws s3api copy-object"]);
    }
}
