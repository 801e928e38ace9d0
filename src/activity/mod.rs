//! `from-activity`: from what a workload actually called (CloudTrail) to a role that allows
//! exactly that, with `[[expect]]` entries for the observed calls so that `simulate` and `lint`
//! prove it.
//!
//! - [`trail`]: the event shapes people have, streamed (bounded memory, any file size).
//! - [`event`]: one event: who called, which service and operation, which resources.
//! - [`Activity`]: what was observed, per principal and operation; memory is bounded by the
//!   distinct resources seen, which are generalised as they pile up.
//! - [`build_role`]: the role: each call's *needed* actions (catalog operations), on the
//!   resources observed, generalised by [`generalise`]'s stated rule.

pub mod event;
pub mod trail;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::catalog::Catalog;
use crate::catalog::operations::{Operations, permissions};
use crate::policy::arn::{pattern_fits_template_with, slash_free_placeholders, wildcard_match};
use crate::role::{ExpectSpec, InlinePolicySpec, RoleSpec, StatementSpec};
pub use event::Event;

/// How many distinct resources one call keeps before they are generalised on the spot.
pub const MAX_RESOURCES_PER_CALL: usize = 1_000;

/// The generalisation threshold: this many distinct keys under one path become `path/*`.
pub const GENERALISE_AT: usize = 3;

/// The data of `assets/activity/event_sources.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sources {
    /// eventSource → IAM prefix, where they differ beyond `.amazonaws.com`.
    exceptions: IndexMap<String, String>,
}

fn sources() -> &'static Sources {
    static S: OnceLock<Sources> = OnceLock::new();
    S.get_or_init(|| {
        // Compiled in and parsed by a unit test: failing here is a build defect.
        toml::from_str(include_str!("../../assets/activity/event_sources.toml"))
            .unwrap_or_else(|e| panic!("bug: assets/activity/event_sources.toml: {e}"))
    })
}

/// One operation as a principal called it.
#[derive(Clone, Debug, Default)]
pub struct Call {
    /// Calls seen, denied ones included.
    pub count: u64,
    /// Calls IAM refused (AccessDenied, UnauthorizedOperation).
    pub denied: u64,
    /// Resources the allowed calls named (possibly generalised), with how often.
    pub resources: IndexMap<String, u64>,
    /// Resources the denied calls named.
    pub denied_resources: IndexMap<String, u64>,
    /// Region and account of the calls (for the role's defaults).
    pub regions: BTreeSet<String>,
}

/// What one principal did.
#[derive(Clone, Debug, Default)]
pub struct PrincipalActivity {
    /// By operation label (`s3:PutObject`).
    pub calls: IndexMap<String, Call>,
    pub accounts: BTreeSet<String>,
    pub events: u64,
}

/// How many principals are followed in full; the calls of any more are only counted (a trail
/// of a whole account must not hold every principal's calls in memory).
pub const MAX_PRINCIPALS: usize = 1_000;

/// Everything read from the trails.
#[derive(Clone, Debug, Default)]
pub struct Activity {
    pub principals: IndexMap<String, PrincipalActivity>,
    /// Events of principals not followed (another principal was asked for, or past
    /// [`MAX_PRINCIPALS`]), by principal, at most [`MAX_PRINCIPALS`] of them.
    pub others: IndexMap<String, u64>,
    /// Only this principal's calls are kept (its ARN or role name, any case).
    pub only: Option<String>,
    pub events: u64,
    /// `eventSource eventName` of events the catalog has no operation for, with counts.
    pub unknown: BTreeMap<String, u64>,
}

impl Activity {
    /// Adds one event.
    pub fn record(&mut self, event: &Event, ops: &Operations) {
        self.events += 1;
        let Some(principal) = event.principal() else {
            *self.unknown.entry("(no principal)".into()).or_default() += 1;
            return;
        };
        let followed = match &self.only {
            Some(wanted) => names_principal(wanted, &principal),
            None => {
                self.principals.contains_key(&principal) || self.principals.len() < MAX_PRINCIPALS
            }
        };
        if !followed {
            if self.others.contains_key(&principal) || self.others.len() < MAX_PRINCIPALS {
                *self.others.entry(principal).or_default() += 1;
            }
            return;
        }
        let prefix = event::service_prefix(&event.event_source, &sources().exceptions);
        let Some(op) = event
            .operation_names()
            .iter()
            .find_map(|n| ops.get(&prefix, n).filter(|o| o.service == prefix))
        else {
            *self
                .unknown
                .entry(format!("{} {}", event.event_source, event.event_name))
                .or_default() += 1;
            return;
        };
        let p = self.principals.entry(principal).or_default();
        p.events += 1;
        if let Some(a) = event.account()
            && p.accounts.len() < 16
        {
            p.accounts.insert(a.to_string());
        }
        let call = p.calls.entry(op.label()).or_default();
        call.count += 1;
        if let Some(r) = &event.aws_region
            && call.regions.len() < 32
        {
            call.regions.insert(r.clone());
        }
        let partition = partition_of(event);
        let arns = event.resource_arns(partition);
        let target = if event.denied() {
            call.denied += 1;
            &mut call.denied_resources
        } else {
            &mut call.resources
        };
        for arn in arns {
            *target.entry(arn).or_default() += 1;
        }
        if target.len() > MAX_RESOURCES_PER_CALL {
            shrink(target);
        }
    }
}

/// Whether `wanted` (an ARN or a role name) names `principal`.
pub fn names_principal(wanted: &str, principal: &str) -> bool {
    principal.eq_ignore_ascii_case(wanted)
        || principal
            .rsplit('/')
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
}

fn partition_of(event: &Event) -> &'static str {
    let arn = event.user_identity.arn.as_deref().unwrap_or("");
    if arn.starts_with("arn:aws-cn:") {
        "aws-cn"
    } else if arn.starts_with("arn:aws-us-gov:") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Generalises a call's resources in place when there are too many to keep: first by the
/// path rule, then (if that was not enough) every path resource to its first level.
fn shrink(resources: &mut IndexMap<String, u64>) {
    let arns: Vec<String> = resources.keys().cloned().collect();
    let mut general = generalise(&arns, GENERALISE_AT);
    if general.len() > MAX_RESOURCES_PER_CALL {
        general = generalise(&general, 2);
    }
    let mut out: IndexMap<String, u64> = IndexMap::new();
    for (arn, n) in resources.drain(..) {
        let key = general
            .iter()
            .find(|g| wildcard_match(g, &arn))
            .cloned()
            .unwrap_or(arn);
        *out.entry(key).or_default() += n;
    }
    *resources = out;
}

/// The stated rule: among ARNs whose resource is a path (S3 objects `bucket/key`, SSM
/// parameters `parameter/...`), `at_least` or more distinct ones under one path become that
/// path followed by `/*`, taking the deepest such path first; ARNs already covered are
/// dropped. Other ARNs (tables, functions, queues) are kept as they are: three tables are
/// three grants, not every table.
pub fn generalise(arns: &[String], at_least: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Path ARNs grouped by their root (`arn:aws:s3:::bucket`, `arn:...:parameter`).
    let mut groups: IndexMap<String, Vec<Vec<String>>> = IndexMap::new();
    for arn in arns {
        match split_path(arn) {
            Some((root, path)) => groups
                .entry(root)
                .or_default()
                .push(path.split('/').map(str::to_string).collect()),
            None => {
                if !out.contains(arn) {
                    out.push(arn.clone());
                }
            }
        }
    }
    for (root, mut paths) in groups {
        paths.sort();
        paths.dedup();
        let mut covered: Vec<Vec<String>> = Vec::new();
        loop {
            // Count distinct paths under each directory not yet covered.
            let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
            for p in paths
                .iter()
                .filter(|p| !covered.iter().any(|c| is_under(p, c)))
            {
                for depth in 0..p.len().saturating_sub(1) {
                    *counts.entry(p[..=depth].to_vec()).or_default() += 1;
                }
                // Keys at the root count for the root itself.
                *counts.entry(Vec::new()).or_default() += 1;
            }
            let best = counts
                .iter()
                .filter(|(_, n)| **n >= at_least)
                .max_by_key(|(dir, _)| dir.len())
                .map(|(dir, _)| dir.clone());
            match best {
                Some(dir) => covered.push(dir),
                None => break,
            }
        }
        for c in &covered {
            let dir = c.join("/");
            out.push(if dir.is_empty() {
                format!("{root}/*")
            } else {
                format!("{root}/{dir}/*")
            });
        }
        for p in paths {
            if !covered.iter().any(|c| is_under(&p, c)) {
                let arn = format!("{root}/{}", p.join("/"));
                if !out.contains(&arn) {
                    out.push(arn);
                }
            }
        }
    }
    out.sort();
    out
}

fn is_under(path: &[String], dir: &[String]) -> bool {
    path.len() > dir.len() && path[..dir.len()] == *dir
}

/// `(root, path)` for ARNs whose resource is a path of keys: S3 objects and SSM parameters.
fn split_path(arn: &str) -> Option<(String, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || arn.contains('*') {
        return None;
    }
    let (service, resource) = (parts[2], parts[5]);
    let head = parts[..5].join(":");
    match service {
        "s3" => {
            let (bucket, key) = resource.split_once('/')?;
            (!key.is_empty()).then(|| (format!("{head}:{bucket}"), key))
        }
        "ssm" => {
            let rest = resource.strip_prefix("parameter/")?;
            (!rest.is_empty()).then(|| (format!("{head}:parameter"), rest))
        }
        _ => None,
    }
}

/// How to build the role.
#[derive(Clone, Debug, Default)]
pub struct RoleOptions {
    /// Service principals that assume the role (its trust and `assumed_by`).
    pub trust: Vec<String>,
}

/// What building the role found worth telling.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// `action on resource: N calls` that IAM denied: what the role was missing.
    pub denied: Vec<String>,
    /// Actions granted on `*` because no observed resource fits them.
    pub on_star: Vec<String>,
}

/// The role for `principal`'s activity: one inline policy of the needed actions on the
/// resources observed (generalised), `[[expect]]` entries for the observed calls.
pub fn build_role(
    catalog: &Catalog,
    ops: &Operations,
    principal: &str,
    activity: &PrincipalActivity,
    options: &RoleOptions,
) -> (RoleSpec, Report) {
    let mut report = Report::default();
    // action → (resource patterns, concrete examples, calls)
    let mut grants: IndexMap<String, (BTreeSet<String>, Vec<String>, u64, String)> =
        IndexMap::new();
    let mut regions = BTreeSet::new();
    for (label, call) in &activity.calls {
        regions.extend(call.regions.iter().cloned());
        let Some((service, name)) = label.split_once(':') else {
            continue;
        };
        let Some(op) = ops.get(service, name) else {
            continue;
        };
        let split = permissions(catalog, op);
        for need in &split.needed {
            if call.count > call.denied {
                let fitting = fitting_resources(catalog, &need.action, call.resources.keys());
                let entry = grants
                    .entry(need.action.clone())
                    .or_insert_with(|| (BTreeSet::new(), Vec::new(), 0, op.sdk_label()));
                entry.2 += call.count - call.denied;
                match fitting {
                    Some(list) if !list.is_empty() => {
                        for arn in list {
                            entry.1.push(arn.clone());
                            entry.0.insert(arn);
                        }
                    }
                    Some(_) => {
                        report.on_star.push(need.action.clone());
                        entry.0.insert("*".into());
                    }
                    None => {
                        entry.0.insert("*".into());
                    }
                }
            }
            if call.denied > 0 {
                let resources: Vec<String> =
                    fitting_resources(catalog, &need.action, call.denied_resources.keys())
                        .unwrap_or_default();
                let on = if resources.is_empty() {
                    String::new()
                } else {
                    format!(
                        " on {}",
                        resources
                            .iter()
                            .take(3)
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                report.denied.push(format!(
                    "{}{on}: {} call(s) denied ({})",
                    need.action,
                    call.denied,
                    op.sdk_label()
                ));
            }
        }
    }
    report.on_star.sort();
    report.on_star.dedup();

    // Generalise per action, then one statement per identical resource set.
    let mut by_resources: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut expects = Vec::new();
    for (action, (resources, examples, count, sdk)) in &grants {
        let concrete: Vec<String> = resources.iter().filter(|r| *r != "*").cloned().collect();
        let mut general = generalise(&concrete, GENERALISE_AT);
        if resources.contains("*") {
            general = vec!["*".to_string()];
        }
        for pattern in &general {
            // A secret named without its ARN stands for any of its versions' ARNs, which end in
            // six random characters: the expectation asks about one such ARN.
            let example = examples
                .iter()
                .find(|e| wildcard_match(pattern, e))
                .map(|e| e.replace("-??????", "-AbCdEf"));
            expects.push(ExpectSpec {
                allow: Some(action.clone()),
                resource: example.or_else(|| (pattern != "*").then(|| pattern.clone())),
                why: Some(format!("observed: {sdk}, {count} call(s)")),
                ..ExpectSpec::default()
            });
        }
        by_resources
            .entry(general)
            .or_default()
            .push(action.clone());
    }
    let statements: Vec<StatementSpec> = by_resources
        .into_iter()
        .map(|(resources, mut actions)| {
            actions.sort();
            StatementSpec {
                actions,
                resources,
                ..StatementSpec::default()
            }
        })
        .collect();

    let role_name = role_name_of(principal);
    let mut role = RoleSpec {
        name: role_name,
        description: Some(format!(
            "Built by rolesmith from-activity: what {} called ({} events)",
            principal, activity.events
        )),
        ..RoleSpec::default()
    };
    if activity.accounts.len() == 1 {
        role.account = activity.accounts.iter().next().cloned();
    }
    if regions.len() == 1 {
        role.region = regions.into_iter().next();
    }
    role.trust.services = options.trust.clone();
    role.assumed_by = options.trust.clone();
    if !statements.is_empty() {
        role.policies.push(InlinePolicySpec {
            name: "observed".into(),
            statements,
            ..InlinePolicySpec::default()
        });
    }
    role.expectations = expects;
    (role, report)
}

/// Which of `observed` fit the resource types of `action`: `None` when the action takes no
/// resource (granted on `*`), `Some(empty)` when none of them fits.
fn fitting_resources<'a>(
    catalog: &Catalog,
    action: &str,
    observed: impl Iterator<Item = &'a String>,
) -> Option<Vec<String>> {
    let (service, name) = action.split_once(':')?;
    let a = catalog.action(service, name)?;
    if a.resources.is_empty() {
        return None;
    }
    let s = catalog.service(service)?;
    let templates: Vec<&str> = a
        .resources
        .iter()
        .filter_map(|r| s.resources.get(&r.type_name))
        .flat_map(|t| t.arn_formats.iter().map(String::as_str))
        .collect();
    let slash_free: HashSet<String> = slash_free_placeholders(
        s.resources
            .values()
            .flat_map(|t| t.arn_formats.iter().map(String::as_str)),
    );
    Some(
        observed
            .filter(|arn| {
                templates
                    .iter()
                    .any(|t| pattern_fits_template_with(arn, t, &slash_free))
            })
            .cloned()
            .collect(),
    )
}

/// A role name from the principal: the role's own name, kept to IAM's characters.
fn role_name_of(principal: &str) -> String {
    let last = principal
        .rsplit(['/', ':'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("observed-role");
    let name: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c))
        .take(64)
        .collect();
    if name.is_empty() {
        "observed-role".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(arns: &[&str]) -> Vec<String> {
        generalise(
            &arns.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            GENERALISE_AT,
        )
    }

    #[test]
    fn the_event_sources_asset_parses() {
        assert_eq!(
            sources()
                .exceptions
                .get("monitoring.amazonaws.com")
                .map(String::as_str),
            Some("cloudwatch")
        );
    }

    #[test]
    fn three_keys_under_one_path_become_path_star() {
        assert_eq!(
            g(&[
                "arn:aws:s3:::b/logs/2024/01/a",
                "arn:aws:s3:::b/logs/2024/01/b",
                "arn:aws:s3:::b/logs/2024/02/c",
                "arn:aws:s3:::b/other",
            ]),
            ["arn:aws:s3:::b/logs/2024/*", "arn:aws:s3:::b/other"]
        );
        // The deepest path first.
        assert_eq!(
            g(&[
                "arn:aws:s3:::b/in/x/1",
                "arn:aws:s3:::b/in/x/2",
                "arn:aws:s3:::b/in/x/3",
                "arn:aws:s3:::b/in/y",
            ]),
            ["arn:aws:s3:::b/in/x/*", "arn:aws:s3:::b/in/y"]
        );
        // Two keys stay two grants.
        assert_eq!(
            g(&["arn:aws:s3:::b/a", "arn:aws:s3:::b/c"]),
            ["arn:aws:s3:::b/a", "arn:aws:s3:::b/c"]
        );
        // Root keys of a bucket become bucket/*.
        assert_eq!(
            g(&["arn:aws:s3:::b/1", "arn:aws:s3:::b/2", "arn:aws:s3:::b/3"]),
            ["arn:aws:s3:::b/*"]
        );
    }

    #[test]
    fn tables_and_buckets_are_never_generalised() {
        let tables = [
            "arn:aws:dynamodb:eu-west-1:111122223333:table/a",
            "arn:aws:dynamodb:eu-west-1:111122223333:table/b",
            "arn:aws:dynamodb:eu-west-1:111122223333:table/c",
        ];
        assert_eq!(g(&tables).len(), 3);
        assert_eq!(
            g(&["arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::c"]).len(),
            3
        );
        assert_eq!(
            g(&[
                "arn:aws:ssm:eu-west-1:1:parameter/app/prod/a",
                "arn:aws:ssm:eu-west-1:1:parameter/app/prod/b",
                "arn:aws:ssm:eu-west-1:1:parameter/app/prod/c",
            ]),
            ["arn:aws:ssm:eu-west-1:1:parameter/app/prod/*"]
        );
    }

    #[test]
    fn too_many_resources_shrink_as_they_come() {
        let mut r: IndexMap<String, u64> = (0..(MAX_RESOURCES_PER_CALL + 1))
            .map(|i| (format!("arn:aws:s3:::b/d{}/k{i}", i % 10), 1))
            .collect();
        shrink(&mut r);
        assert_eq!(r.len(), 10, "{:?}", r.keys().take(3).collect::<Vec<_>>());
        assert_eq!(r.values().sum::<u64>(), MAX_RESOURCES_PER_CALL as u64 + 1);
    }

    #[test]
    fn role_names_from_principals() {
        assert_eq!(
            role_name_of("arn:aws:iam::1:role/service-role/app-fn"),
            "app-fn"
        );
        assert_eq!(role_name_of("arn:aws:iam::1:user/bob"), "bob");
        assert_eq!(role_name_of("///"), "observed-role");
    }
}
