//! Which actions a call needs: always ("needed") or only for some requests ("conditional",
//! with why), and the resources they act on.
//!
//! AWS's reference lists every action an operation *can* be authorized against: PutObject lists
//! PutObjectAcl, PutObjectTagging, object-lock and S3 Object Lambda actions besides PutObject.
//! Granting them all would give away Permissions-management actions nobody asked for, so the list
//! is split. The rule, in order:
//!
//! 1. A curated note for the operation ([`super::notes`]) names the needed actions.
//! 2. An operation with one authorized action needs it.
//! 3. The action of the operation's own service with the operation's name is needed
//!    (`s3:PutObject` for PutObject).
//! 4. The only action of the operation's own service is needed (apigateway:CreateApi needs
//!    `apigateway:POST`; `iam:PassRole` is conditional).
//! 5. Otherwise nothing is marked needed: AWS does not say, and which apply depends on the
//!    request.
//!
//! Every other action is conditional, with the curated reason for the operation, else the
//! curated reason for the action wherever it appears (`iam:PassRole`: "the request passes an
//! IAM role"), else "depends on the request". Curated notes may add actions the reference leaves
//! out (SSE-KMS: `kms:GenerateDataKey` on the key); they are marked [`Source::Curated`].

use indexmap::IndexMap;

use super::OperationRef;
use super::notes::{OperationNote, notes};
use crate::catalog::Catalog;

/// Where an action in the answer comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// AWS's service reference lists it for the operation.
    Reference,
    /// rolesmith's curated notes add it (the reference does not list it).
    Curated,
}

impl Source {
    /// `reference` or `curated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Reference => "reference",
            Source::Curated => "curated",
        }
    }
}

/// One action of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    /// `service:Action`, spelled as AWS does.
    pub action: String,
    /// For a conditional action, when it applies (completes "only when ...").
    pub when: Option<String>,
    /// Request context AWS states for the authorization (`iam:PassedToService`).
    pub context: IndexMap<String, Vec<String>>,
    pub source: Source,
    /// Whether the loaded catalog knows the action (its service may not be imported).
    pub in_catalog: bool,
}

/// A resource the call touches, with the actions that act on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TouchedResource {
    /// What it is in the call ("source object"), else the resource type's name; `*` for
    /// actions that take no resource.
    pub name: String,
    /// `service:type` (`s3:object`); `None` for `*`.
    pub resource_type: Option<String>,
    /// The catalog's ARN template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`), or `*`.
    pub arn: String,
    /// The actions of the call that act on it (needed first).
    pub actions: Vec<String>,
}

/// Everything rolesmith can say about what one call needs.
#[derive(Clone, Debug)]
pub struct CallPermissions<'a> {
    pub operation: OperationRef<'a>,
    pub needed: Vec<Need>,
    pub conditional: Vec<Need>,
    pub resources: Vec<TouchedResource>,
    /// A remark on the answer (no action listed by AWS, nothing known to be needed, curated note).
    pub notes: Vec<String>,
}

/// What every conditional action without a better reason says.
pub const DEPENDS: &str = "depends on the request";

/// The split for `operation`, with resources from `catalog`.
pub fn permissions<'a>(catalog: &Catalog, operation: OperationRef<'a>) -> CallPermissions<'a> {
    let all = notes();
    let note = all.operation(&operation.label());
    let listed = &operation.operation.actions;
    let needed_names: Vec<String> = match note.and_then(|n| n.needed.as_ref()) {
        Some(names) => names.clone(),
        None => default_needed(operation),
    };
    let is_needed = |action: &str| needed_names.iter().any(|n| n.eq_ignore_ascii_case(action));
    let reason = |action: &str| -> String {
        note.and_then(|n| find_ci(&n.when, action))
            .or_else(|| all.action_reason(action))
            .unwrap_or(DEPENDS)
            .to_string()
    };
    let in_catalog = |action: &str| {
        action
            .split_once(':')
            .is_some_and(|(s, a)| catalog.action(s, a).is_some())
    };
    let spelled = |action: &str| -> String {
        action
            .split_once(':')
            .and_then(|(s, a)| {
                let service = catalog.service(s)?;
                let found = catalog.action(s, a)?;
                Some(format!("{}:{}", service.prefix, found.name))
            })
            .unwrap_or_else(|| action.to_string())
    };

    let mut needed = Vec::new();
    let mut conditional = Vec::new();
    for a in listed {
        let action = a.full_name();
        let need = Need {
            in_catalog: in_catalog(&action),
            when: None,
            context: a.context.clone(),
            source: Source::Reference,
            action: spelled(&action),
        };
        if is_needed(&action) {
            needed.push(need);
        } else {
            conditional.push(Need {
                when: Some(reason(&action)),
                ..need
            });
        }
    }
    // Needed actions the curated note names beyond AWS's list.
    for name in &needed_names {
        if !needed.iter().any(|n| n.action.eq_ignore_ascii_case(name)) {
            needed.push(Need {
                action: spelled(name),
                when: None,
                context: IndexMap::new(),
                source: Source::Curated,
                in_catalog: in_catalog(name),
            });
        }
    }
    for extra in note.map_or(&[][..], |n| &n.extras[..]) {
        if needed
            .iter()
            .chain(&conditional)
            .any(|n| n.action.eq_ignore_ascii_case(&extra.action))
        {
            continue;
        }
        let need = Need {
            action: spelled(&extra.action),
            when: extra.when.clone(),
            context: IndexMap::new(),
            source: Source::Curated,
            in_catalog: in_catalog(&extra.action),
        };
        if need.when.is_none() {
            needed.push(need);
        } else {
            conditional.push(need);
        }
    }

    // Needed in the order the curated note gives them (the extras after).
    needed.sort_by_key(|n| {
        needed_names
            .iter()
            .position(|m| m.eq_ignore_ascii_case(&n.action))
            .unwrap_or(usize::MAX)
    });
    let mut remarks = Vec::new();
    if listed.is_empty() {
        remarks.push(
            "AWS's service reference lists no IAM action for this call (it may need none, or the list is incomplete)"
                .to_string(),
        );
    } else if needed.is_empty() && note.and_then(|n| n.needed.as_ref()).is_none() {
        remarks.push(
            "AWS does not say which of these every call needs: which apply depends on the request"
                .to_string(),
        );
    }
    if let Some(text) = note.and_then(|n| n.note.clone()) {
        remarks.push(text);
    }
    let resources = touched_resources(catalog, note, &needed, &conditional);
    CallPermissions {
        operation,
        needed,
        conditional,
        resources,
        notes: remarks,
    }
}

/// Rules 2-5 of the module documentation.
fn default_needed(op: OperationRef<'_>) -> Vec<String> {
    let listed = &op.operation.actions;
    if listed.len() == 1 {
        return vec![listed[0].full_name()];
    }
    if let Some(a) = listed.iter().find(|a| {
        a.service.eq_ignore_ascii_case(op.service)
            && a.name.eq_ignore_ascii_case(&op.operation.name)
    }) {
        return vec![a.full_name()];
    }
    let own: Vec<_> = listed
        .iter()
        .filter(|a| a.service.eq_ignore_ascii_case(op.service))
        .collect();
    if own.len() == 1 {
        return vec![own[0].full_name()];
    }
    Vec::new()
}

fn find_ci<'a>(map: &'a IndexMap<String, String>, key: &str) -> Option<&'a str> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Groups the call's actions by the resource they act on: the curated named resources first,
/// then one entry per catalog resource type, then `*` for actions that take no resource.
fn touched_resources(
    catalog: &Catalog,
    note: Option<&OperationNote>,
    needed: &[Need],
    conditional: &[Need],
) -> Vec<TouchedResource> {
    let mut out: Vec<TouchedResource> = Vec::new();
    let arn_of = |resource_type: &str| -> String {
        resource_type
            .split_once(':')
            .and_then(|(s, t)| catalog.resource_type(s, t))
            .and_then(|t| t.arn_formats.first().cloned())
            .unwrap_or_else(|| "*".into())
    };
    let curated = note.map_or(&[][..], |n| &n.resources[..]);
    for r in curated {
        out.push(TouchedResource {
            name: r.name.clone(),
            resource_type: Some(r.resource_type.clone()),
            arn: arn_of(&r.resource_type),
            actions: Vec::new(),
        });
    }
    for need in needed.iter().chain(conditional) {
        let mut placed = false;
        for (i, r) in curated.iter().enumerate() {
            if r.actions
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&need.action))
            {
                out[i].actions.push(need.action.clone());
                placed = true;
            }
        }
        if placed || !need.in_catalog {
            continue;
        }
        let Some((service, name)) = need.action.split_once(':') else {
            continue;
        };
        let Some(action) = catalog.action(service, name) else {
            continue;
        };
        let types: Vec<Option<String>> = if action.resources.is_empty() {
            vec![None]
        } else {
            action
                .resources
                .iter()
                .map(|r| Some(format!("{service}:{}", r.type_name)))
                .collect()
        };
        for t in types {
            let at = out
                .iter()
                .skip(curated.len())
                .position(|r| r.resource_type == t)
                .map(|p| p + curated.len());
            let entry = match at {
                Some(i) => &mut out[i],
                None => {
                    out.push(TouchedResource {
                        name: t
                            .as_deref()
                            .and_then(|t| t.split_once(':'))
                            .map_or("*".to_string(), |(_, n)| n.to_string()),
                        arn: t.as_deref().map_or("*".to_string(), &arn_of),
                        resource_type: t,
                        actions: Vec::new(),
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            if !entry.actions.contains(&need.action) {
                entry.actions.push(need.action.clone());
            }
        }
    }
    out.retain(|r| !r.actions.is_empty());
    // `*` last: it is what is left when nothing narrower exists.
    out.sort_by_key(|r| r.resource_type.is_none());
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Operations, ServiceOperations, fixture};
    use super::*;

    fn split(ops: &Operations, label: &str) -> (Vec<String>, Vec<String>) {
        let (s, n) = label.split_once(':').unwrap();
        let p = permissions(Catalog::embedded(), ops.get(s, n).unwrap());
        (
            p.needed.iter().map(|n| n.action.clone()).collect(),
            p.conditional.iter().map(|n| n.action.clone()).collect(),
        )
    }

    #[test]
    fn the_general_rule_picks_the_same_named_action() {
        let ops = Operations::from_services([ServiceOperations {
            prefix: "sqs".into(),
            operations: vec![
                fixture::op(
                    "CreateQueue",
                    &[("sqs", "create_queue")],
                    &["sqs:CreateQueue", "sqs:TagQueue"],
                ),
                fixture::op(
                    "SendMessageBatch",
                    &[("sqs", "send_message_batch")],
                    &["sqs:SendMessage"],
                ),
                fixture::op(
                    "Frobnicate",
                    &[("sqs", "frobnicate")],
                    &["sqs:SendMessage", "sqs:ReceiveMessage"],
                ),
                fixture::op("Ping", &[("sqs", "ping")], &[]),
            ],
        }]);
        assert_eq!(
            split(&ops, "sqs:CreateQueue"),
            (vec!["sqs:CreateQueue".into()], vec!["sqs:TagQueue".into()])
        );
        assert_eq!(split(&ops, "sqs:SendMessageBatch").0, ["sqs:SendMessage"]);
        let p = permissions(Catalog::embedded(), ops.get("sqs", "Frobnicate").unwrap());
        assert!(p.needed.is_empty());
        assert!(
            p.conditional
                .iter()
                .all(|n| n.when.as_deref() == Some(DEPENDS))
        );
        assert!(p.notes[0].contains("does not say"));
        let p = permissions(Catalog::embedded(), ops.get("sqs", "Ping").unwrap());
        assert!(p.needed.is_empty() && p.conditional.is_empty());
        assert!(p.notes[0].contains("lists no IAM action"));
    }

    #[test]
    fn resources_group_the_actions_with_their_arn_templates() {
        let ops = Operations::from_services([ServiceOperations {
            prefix: "s3".into(),
            operations: vec![
                fixture::op(
                    "GetThing",
                    &[("s3", "get_thing")],
                    &["s3:GetObject", "s3:ListBucket"],
                ),
                fixture::op(
                    "Everything",
                    &[("s3", "everything")],
                    &["s3:ListAllMyBuckets"],
                ),
            ],
        }]);
        let p = permissions(Catalog::embedded(), ops.get("s3", "GetThing").unwrap());
        // Every resource type the catalog gives the actions, each once, with its ARN template.
        let names: Vec<&str> = p.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["accesspointobject", "object", "accesspoint", "bucket"]
        );
        let object = &p.resources[1];
        assert_eq!(object.resource_type.as_deref(), Some("s3:object"));
        assert!(object.arn.contains("${BucketName}/${ObjectName}"));
        assert_eq!(object.actions, ["s3:GetObject"]);
        assert_eq!(p.resources[3].actions, ["s3:ListBucket"]);
        let p = permissions(Catalog::embedded(), ops.get("s3", "Everything").unwrap());
        assert_eq!(p.resources.len(), 1);
        assert_eq!(
            (p.resources[0].name.as_str(), p.resources[0].arn.as_str()),
            ("*", "*")
        );
    }
}
