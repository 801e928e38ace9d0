//! Building a role's statements from choices: actions, resources, conditions, effect and the
//! inline policy that holds them.
//!
//! The statement editor of the TUI collects the choices; the rules of what they make live
//! here so they hold for any front end: actions that work only on `*` get a statement of
//! their own, each action's narrowest resource type is offered first, an existing resource
//! is loaded back into the type and ARN format it fits, and a saved statement takes the
//! place of the one edited (or joins the named policy, or makes a new one).

use std::collections::HashSet;

use indexmap::{IndexMap, IndexSet};

use crate::catalog::{Catalog, ConditionType};
use crate::policy::arn::slash_free_placeholders;
use crate::policy::arn_template::{decompose_arn, fill_template, placeholders};
use crate::policy::{ConditionBlock, ConditionScalar, Effect, OneOrMany};
use crate::role::{InlinePolicySpec, RoleSpec, StatementSpec};

/// (policy index, statement index) of every statement of the role, in order.
pub fn statement_refs(role: &RoleSpec) -> Vec<(usize, usize)> {
    role.policies
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| (0..p.statements.len()).map(move |si| (pi, si)))
        .collect()
}

/// The name a new statement's policy gets: the edited statement's policy, else the role's
/// first policy, else one named after the role.
pub fn default_policy_name(role: &RoleSpec, target: Option<(usize, usize)>) -> String {
    target
        .and_then(|(pi, _)| role.policies.get(pi).map(|p| p.name.clone()))
        .or_else(|| role.policies.first().map(|p| p.name.clone()))
        .unwrap_or_else(|| {
            if role.name.is_empty() {
                "inline-policy".to_string()
            } else {
                format!("{}-policy", role.name)
            }
        })
}

/// The placeholders that no ARN template of `service` lets hold a `/` (a bucket name, a
/// table name): filling one with a `/` would name a different resource type.
pub fn slash_free_placeholders_of(catalog: &Catalog, service: &str) -> HashSet<String> {
    catalog
        .service(service)
        .map(|s| {
            slash_free_placeholders(
                s.resources
                    .values()
                    .flat_map(|r| r.arn_formats.iter().map(String::as_str)),
            )
        })
        .unwrap_or_default()
}

/// `key` of a resource type as the editor remembers it: `service:type`.
pub fn type_key(service: &str, type_name: &str) -> String {
    format!("{service}:{type_name}")
}

/// (service, resource type) of every type the actions (`service:Action`) take, first seen
/// first.
pub fn resource_types_of<'a>(
    catalog: &Catalog,
    actions: impl IntoIterator<Item = &'a String>,
) -> IndexSet<(String, String)> {
    let mut types = IndexSet::new();
    for a in actions {
        let Some((svc, name)) = a.split_once(':') else {
            continue;
        };
        if let Some(act) = catalog.action(svc, name) {
            for r in &act.resources {
                types.insert((svc.to_ascii_lowercase(), r.type_name.clone()));
            }
        }
    }
    types
}

/// The resource types to offer for the actions, each with whether it is some action's
/// narrowest type (fewest placeholders in its first ARN format): those come first, as the
/// ones most statements need; otherwise first seen first.
pub fn resource_types_to_offer<'a>(
    catalog: &Catalog,
    actions: impl IntoIterator<Item = &'a String>,
) -> Vec<((String, String), bool)> {
    let mut types: IndexMap<(String, String), bool> = IndexMap::new();
    for a in actions {
        let Some((svc, name)) = a.split_once(':') else {
            continue;
        };
        let Some(act) = catalog.action(svc, name) else {
            continue;
        };
        let primary = act
            .resources
            .iter()
            .filter_map(|r| {
                let t = catalog.resource_type(svc, &r.type_name)?;
                Some((
                    r.type_name.clone(),
                    placeholders(t.arn_formats.first()?).len(),
                ))
            })
            .min_by_key(|(_, n)| *n)
            .map(|(t, _)| t);
        for r in &act.resources {
            let key = (svc.to_ascii_lowercase(), r.type_name.clone());
            let is_primary = primary.as_deref() == Some(r.type_name.as_str());
            let e = types.entry(key).or_insert(false);
            *e |= is_primary;
        }
    }
    let mut types: Vec<((String, String), bool)> = types.into_iter().collect();
    types.sort_by_key(|(_, primary)| !*primary);
    types
}

/// The actions that the catalog says work only on `*`, and those with resource types.
pub fn split_star_only<'a>(
    catalog: &Catalog,
    actions: impl IntoIterator<Item = &'a String>,
) -> (Vec<String>, Vec<String>) {
    let mut star = Vec::new();
    let mut scoped = Vec::new();
    for a in actions {
        let only_star = a
            .split_once(':')
            .and_then(|(s, n)| catalog.action(s, n))
            .is_some_and(|act| act.resources.is_empty());
        if only_star {
            star.push(a.clone());
        } else {
            scoped.push(a.clone());
        }
    }
    (star, scoped)
}

/// Where an existing resource fits among resource types: the type (`service:type`), the
/// index of the ARN format it fits, and the placeholder values it decomposes into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceFit {
    pub type_key: String,
    pub format: usize,
    pub values: Vec<(String, String)>,
}

/// The first of `types` (not in `taken`) whose ARN format `resource` decomposes into, such
/// that filling the format back in gives exactly `resource` (so nothing is lost by editing).
pub fn fit_resource(
    catalog: &Catalog,
    types: &IndexSet<(String, String)>,
    resource: &str,
    taken: &HashSet<String>,
) -> Option<ResourceFit> {
    types.iter().find_map(|(svc, type_name)| {
        let key = type_key(svc, type_name);
        if taken.contains(&key) {
            return None;
        }
        let formats = &catalog.resource_type(svc, type_name)?.arn_formats;
        let slash_free = slash_free_placeholders_of(catalog, svc);
        formats.iter().enumerate().find_map(|(fi, template)| {
            let values = decompose_arn(resource, template, &slash_free)?;
            let again = fill_template(type_name, template, &values, &slash_free).ok()?;
            (again == resource).then(|| ResourceFit {
                type_key: key.clone(),
                format: fi,
                values,
            })
        })
    })
}

/// One condition of a statement: operator, key, values (as typed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionEntry {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// A statement's condition block as a flat list, one entry per operator and key.
pub fn condition_entries(block: Option<&ConditionBlock>) -> Vec<ConditionEntry> {
    let mut out = Vec::new();
    for (op, keys) in block.into_iter().flatten() {
        for (key, values) in keys {
            out.push(ConditionEntry {
                operator: op.clone(),
                key: key.clone(),
                values: values.iter().map(scalar_text).collect(),
            });
        }
    }
    out
}

/// The condition block of the entries; `None` when there are none.
pub fn condition_block(entries: &[ConditionEntry]) -> Option<ConditionBlock> {
    let mut block: ConditionBlock = IndexMap::new();
    for c in entries {
        let values: Vec<ConditionScalar> = c
            .values
            .iter()
            .map(|v| ConditionScalar::from(v.as_str()))
            .collect();
        block
            .entry(c.operator.clone())
            .or_default()
            .insert(c.key.clone(), OneOrMany::from_vec(values));
    }
    (!block.is_empty()).then_some(block)
}

fn scalar_text(v: &ConditionScalar) -> String {
    match v {
        ConditionScalar::String(s) => s.clone(),
        ConditionScalar::Bool(b) => b.to_string(),
        ConditionScalar::Number(n) => n.to_string(),
    }
}

/// Condition operators that fit a condition key's type, most used first (`Null` always).
pub fn operators_for(t: Option<ConditionType>) -> Vec<&'static str> {
    use ConditionType as T;
    let mut ops = match t {
        Some(T::Arn) => vec!["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
        Some(T::ArrayOfArn) => vec![
            "ForAnyValue:ArnEquals",
            "ForAllValues:ArnEquals",
            "ForAnyValue:ArnLike",
        ],
        Some(T::Bool | T::ArrayOfBool) => vec!["Bool"],
        Some(T::Numeric | T::ArrayOfNumeric) => vec![
            "NumericEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        Some(T::Date | T::ArrayOfDate) => vec!["DateLessThan", "DateGreaterThan", "DateEquals"],
        Some(T::IpAddress | T::ArrayOfIpAddress) => vec!["IpAddress", "NotIpAddress"],
        Some(T::ArrayOfString) => vec![
            "ForAnyValue:StringEquals",
            "ForAllValues:StringEquals",
            "ForAnyValue:StringLike",
            "ForAllValues:StringLike",
        ],
        Some(T::String) | None => vec![
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringNotLike",
        ],
    };
    ops.push("Null");
    ops
}

/// The choices for one statement, before they become statements.
#[derive(Clone, Debug, Default)]
pub struct StatementDraft<'a> {
    /// `service:Action`, in the order chosen.
    pub actions: Vec<String>,
    /// Resources for the actions that take resource types.
    pub resources: Vec<String>,
    pub conditions: &'a [ConditionEntry],
    pub effect: Effect,
    pub sid: Option<String>,
}

impl StatementDraft<'_> {
    /// The statements the draft stands for: none without actions; one; or two when some
    /// actions work only on `*` (they get their own statement on `*`, without the
    /// conditions, Sid suffixed `AnyResource`). Elements the draft does not choose
    /// (`NotAction`, `Principal` …) come from `original`, the statement being edited.
    pub fn statements(&self, catalog: &Catalog, original: &StatementSpec) -> Vec<StatementSpec> {
        if self.actions.is_empty() {
            return Vec::new();
        }
        let base = StatementSpec {
            sid: self.sid.clone(),
            effect: self.effect,
            condition: condition_block(self.conditions),
            ..original.clone()
        };
        let (star, scoped) = split_star_only(catalog, &self.actions);
        if scoped.is_empty() {
            return vec![StatementSpec {
                actions: star,
                resources: vec!["*".into()],
                ..base
            }];
        }
        let mut out = vec![StatementSpec {
            actions: scoped,
            resources: self.resources.clone(),
            ..base.clone()
        }];
        if !star.is_empty() {
            out.push(StatementSpec {
                sid: self.sid.as_ref().map(|s| format!("{s}AnyResource")),
                actions: star,
                resources: vec!["*".into()],
                condition: None,
                ..base
            });
        }
        out
    }
}

/// `role` with `new` in place of the statement at `target` (or appended): in the same place
/// when the policy name stays, else at the end of the policy named `policy_name` (made when
/// missing; an empty name means `inline-policy`). Policies left empty are dropped.
pub fn place_statements(
    role: &RoleSpec,
    target: Option<(usize, usize)>,
    policy_name: &str,
    new: Vec<StatementSpec>,
) -> RoleSpec {
    let mut r = role.clone();
    let policy_name = match policy_name.trim() {
        "" => "inline-policy".to_string(),
        name => name.to_string(),
    };
    let mut insert_at: Option<(usize, usize)> = None;
    if let Some((pi, si)) = target
        && let Some(p) = r.policies.get_mut(pi)
        && si < p.statements.len()
    {
        p.statements.remove(si);
        if p.name == policy_name {
            insert_at = Some((pi, si));
        }
    }
    if !new.is_empty() {
        let (pi, si) = match insert_at {
            Some(x) => x,
            None => match r.policies.iter().position(|p| p.name == policy_name) {
                Some(pi) => (pi, r.policies[pi].statements.len()),
                None => {
                    r.policies.push(InlinePolicySpec {
                        name: policy_name,
                        statements: Vec::new(),
                        ..Default::default()
                    });
                    (r.policies.len() - 1, 0)
                }
            },
        };
        for (k, s) in new.into_iter().enumerate() {
            r.policies[pi].statements.insert(si + k, s);
        }
    }
    r.policies.retain(|p| !p.statements.is_empty());
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values `resource` decomposes into for the catalog's first format of `svc:type_name`.
    fn decomposed(svc: &str, type_name: &str, resource: &str) -> Option<Vec<(String, String)>> {
        let c = Catalog::embedded();
        let t = c.resource_type(svc, type_name).expect("type in catalog");
        let template = t.arn_formats.first().expect("a format");
        let slash_free = slash_free_placeholders_of(c, svc);
        let values = decompose_arn(resource, template, &slash_free)?;
        // Filling the template back in gives the same resource.
        assert_eq!(
            fill_template(type_name, template, &values, &slash_free).as_deref(),
            Ok(resource)
        );
        Some(values)
    }

    fn pairs(v: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn decomposes_s3_objects_and_buckets() {
        assert_eq!(
            decomposed("s3", "object", "arn:aws:s3:::my-bucket/*"),
            pairs(&[
                ("Partition", "aws"),
                ("BucketName", "my-bucket"),
                ("ObjectName", "*")
            ])
        );
        assert_eq!(
            decomposed("s3", "object", "arn:aws:s3:::b/logs/2024/*.json"),
            pairs(&[
                ("Partition", "aws"),
                ("BucketName", "b"),
                ("ObjectName", "logs/2024/*.json")
            ])
        );
        assert_eq!(
            decomposed("s3", "bucket", "arn:aws:s3:::my-bucket"),
            pairs(&[("Partition", "aws"), ("BucketName", "my-bucket")])
        );
        assert_eq!(decomposed("s3", "bucket", "arn:aws:s3:::my-bucket/*"), None);
        assert_eq!(decomposed("s3", "object", "arn:aws:s3:::my-bucket"), None);
    }

    #[test]
    fn decomposes_dynamodb_tables_and_indexes() {
        let table = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
        let index = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/ByDate";
        assert_eq!(
            decomposed("dynamodb", "table", table),
            pairs(&[
                ("Partition", "aws"),
                ("Region", "eu-west-1"),
                ("Account", "123456789012"),
                ("TableName", "Orders")
            ])
        );
        assert_eq!(decomposed("dynamodb", "table", index), None);
        let values = decomposed("dynamodb", "index", index).expect("an index");
        assert!(values.contains(&("TableName".into(), "Orders".into())));
        assert!(values.contains(&("IndexName".into(), "ByDate".into())));
        assert_eq!(decomposed("dynamodb", "index", table), None);
    }

    #[test]
    fn decomposes_log_groups_secrets_and_policy_variables() {
        let values = decomposed(
            "logs",
            "log-group",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/reverser:*",
        )
        .expect("a log group");
        assert!(values.contains(&("LogGroupName".into(), "/aws/lambda/reverser:*".into())));
        let values = decomposed(
            "secretsmanager",
            "Secret",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????",
        )
        .expect("a secret");
        assert!(values.contains(&("SecretId".into(), "prod/db-??????".into())));
        let values = decomposed("s3", "object", "arn:aws:s3:::home/${aws:username}/*")
            .expect("a policy variable is text");
        assert!(values.contains(&("ObjectName".into(), "${aws:username}/*".into())));
    }

    #[test]
    fn an_arn_that_fits_nothing_does_not_decompose() {
        let c = Catalog::embedded();
        let slash_free = slash_free_placeholders_of(c, "s3");
        for t in c.service("s3").expect("s3").resources.values() {
            for f in &t.arn_formats {
                assert_eq!(
                    decompose_arn("arn:aws:sqs:us-east-1:1:q", f, &slash_free),
                    None
                );
            }
        }
        assert_eq!(decomposed("s3", "object", "*"), None);
    }

    #[test]
    fn a_resource_fits_the_first_free_type() {
        let c = Catalog::embedded();
        let types = resource_types_of(c, &["s3:GetObject".to_string()]);
        let fit = fit_resource(c, &types, "arn:aws:s3:::b/k", &HashSet::new()).expect("fits");
        assert_eq!(fit.type_key, "s3:object");
        let taken: HashSet<String> = ["s3:object".to_string()].into();
        assert_eq!(
            fit_resource(c, &types, "arn:aws:s3:::b/k", &taken).map(|f| f.type_key),
            None
        );
    }

    #[test]
    fn narrowest_types_are_offered_first() {
        let c = Catalog::embedded();
        let offered = resource_types_to_offer(c, &["s3:PutObject".to_string()]);
        assert_eq!(offered[0], (("s3".into(), "object".into()), true));
        assert!(offered[1..].iter().all(|(_, primary)| !primary));
    }

    #[test]
    fn operators_fit_types() {
        assert!(operators_for(Some(ConditionType::Bool)).contains(&"Bool"));
        assert!(operators_for(Some(ConditionType::IpAddress)).contains(&"IpAddress"));
        assert_eq!(operators_for(None)[0], "StringEquals");
        assert_eq!(operators_for(None).last(), Some(&"Null"));
    }

    #[test]
    fn conditions_round_trip_through_entries() {
        let entries = vec![ConditionEntry {
            operator: "StringEquals".into(),
            key: "aws:PrincipalTag/team".into(),
            values: vec!["a".into(), "b".into()],
        }];
        let block = condition_block(&entries);
        assert_eq!(condition_entries(block.as_ref()), entries);
        assert_eq!(condition_block(&[]), None);
    }

    #[test]
    fn star_only_actions_get_their_own_statement() {
        let c = Catalog::embedded();
        let draft = StatementDraft {
            actions: vec!["s3:GetObject".into(), "s3:ListAllMyBuckets".into()],
            resources: vec!["arn:aws:s3:::b/*".into()],
            sid: Some("Read".into()),
            ..Default::default()
        };
        let s = draft.statements(c, &StatementSpec::default());
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].resources, vec!["arn:aws:s3:::b/*"]);
        assert_eq!(s[1].actions, vec!["s3:ListAllMyBuckets"]);
        assert_eq!(s[1].resources, vec!["*"]);
        assert_eq!(s[1].sid.as_deref(), Some("ReadAnyResource"));
    }

    #[test]
    fn a_saved_statement_takes_the_edited_place_or_moves_policy() {
        let stmt = |a: &str| StatementSpec {
            actions: vec![a.into()],
            resources: vec!["*".into()],
            ..Default::default()
        };
        let role = RoleSpec {
            name: "r".into(),
            policies: vec![InlinePolicySpec {
                name: "p".into(),
                statements: vec![stmt("s3:A"), stmt("s3:B")],
                ..Default::default()
            }],
            ..Default::default()
        };
        let same = place_statements(&role, Some((0, 0)), "p", vec![stmt("s3:C")]);
        assert_eq!(same.policies[0].statements[0], stmt("s3:C"));
        let moved = place_statements(&role, Some((0, 0)), "q", vec![stmt("s3:C")]);
        assert_eq!(moved.policies[0].statements, vec![stmt("s3:B")]);
        assert_eq!(moved.policies[1].name, "q");
        let emptied = place_statements(&moved, Some((1, 0)), "q", Vec::new());
        assert_eq!(emptied.policies.len(), 1);
        assert_eq!(
            default_policy_name(&RoleSpec::default(), None),
            "inline-policy"
        );
        assert_eq!(default_policy_name(&role, None), "p");
        assert_eq!(statement_refs(&role), vec![(0, 0), (0, 1)]);
    }
}
