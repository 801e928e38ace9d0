//! From what a person types to the API operation it names.
//!
//! Accepted forms, any case: an SDK call (`s3.put_object`, `s3_client.put_object(...)`,
//! `S3Client.putObject`), an IAM-style name (`s3:CopyObject`), an AWS CLI command
//! (`aws s3api put-object --bucket b`), or a bare name (`put_object`, `PutObject`,
//! `PutObjectCommand`). Names compare [`squash`]ed, so `_`, `-` and case do not matter.
//!
//! A bare name several services share is resolved to the one in a commonly used service (guide
//! §11) when exactly one is; otherwise it is ambiguous and the answer lists the qualified names.
//! Resolution is a few hash lookups, cheap enough for every keystroke; the nearest names of an
//! unresolved call are computed only when asked for ([`Unresolved::describe`]).

use super::notes::notes;
use super::{OperationRef, Operations, squash, squashes_to};
use crate::catalog::EMBEDDED_SERVICES;

/// A call resolved to its operation.
#[derive(Clone, Debug)]
pub struct Resolved<'a> {
    /// The call as given (trimmed).
    pub call: String,
    pub operation: OperationRef<'a>,
    /// Operations of other services with the same name (a bare name was resolved to the one
    /// in a commonly used service); empty when the call named one operation.
    pub also: Vec<OperationRef<'a>>,
    /// A qualifier that names no service or SDK client (`client.put_object`): it was read as
    /// a variable name and the method looked up alone.
    pub ignored_qualifier: Option<String>,
}

/// Why a call did not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// Nothing was given.
    Empty { call: String },
    /// `aws s3 cp` and friends: the CLI's own commands, not API operations.
    HighLevelCli { call: String, command: String },
    /// The qualifier (`s3x.` or `aws s3x`) is not a service or SDK client.
    UnknownService { call: String, service: String },
    /// No operation by that name (in the service, when one was named).
    NotFound {
        call: String,
        /// The squashed name looked for.
        name: String,
        /// Service indices the search was limited to (empty: every service).
        services: Vec<u32>,
    },
    /// Several services have an operation of that name.
    Ambiguous {
        call: String,
        candidates: Vec<String>,
    },
}

/// How the call was written, after taking it apart.
#[derive(Debug, PartialEq, Eq)]
struct Query {
    /// Service prefix, SDK client or CLI service name, as written.
    qualifier: Option<String>,
    /// Whether an unknown qualifier may be a variable name (`client.put_object`) and ignored.
    loose_qualifier: bool,
    name: String,
}

/// Resolves `call` against `ops`.
pub fn resolve<'a>(ops: &'a Operations, call: &str) -> Result<Resolved<'a>, Unresolved> {
    let call = call.trim();
    let owned = call.to_string();
    let query = parse(call).map_err(|e| match e {
        NotACall::Empty => Unresolved::Empty {
            call: owned.clone(),
        },
        NotACall::HighLevelCli(command) => Unresolved::HighLevelCli {
            call: owned.clone(),
            command,
        },
    })?;
    let names = name_variants(&query.name);
    if names.is_empty() {
        return Err(Unresolved::Empty { call: owned });
    }
    let mut qualifier = query.qualifier.as_deref().map(qualifier_key);
    let mut ignored_qualifier = None;
    if let Some(q) = &qualifier
        && ops.qualifier_services(q).is_empty()
    {
        if query.loose_qualifier {
            qualifier = None;
            ignored_qualifier = query.qualifier.clone();
        } else {
            return Err(Unresolved::UnknownService {
                call: owned,
                service: query.qualifier.unwrap_or_default(),
            });
        }
    }
    for name in &names {
        let mut found: Vec<OperationRef<'a>> = ops
            .named_squashed(name)
            .filter(|o| qualifier.as_deref().is_none_or(|q| matches_qualifier(o, q)))
            .collect();
        if found.is_empty() {
            continue;
        }
        rank(&mut found, qualifier.as_deref());
        let best = rank_of(&found[0], qualifier.as_deref());
        let tied = found
            .iter()
            .take_while(|o| rank_of(o, qualifier.as_deref()) == best)
            .count();
        if tied > 1 || (best == 2 && found.len() > 1) {
            return Err(Unresolved::Ambiguous {
                call: owned,
                candidates: found.iter().map(|o| candidate_label(o)).collect(),
            });
        }
        let operation = found.remove(0);
        return Ok(Resolved {
            call: owned,
            operation,
            also: found,
            ignored_qualifier,
        });
    }
    let services = match &qualifier {
        Some(q) => ops.qualifier_services(q).to_vec(),
        None => Vec::new(),
    };
    Err(Unresolved::NotFound {
        call: owned,
        name: names[0].clone(),
        services,
    })
}

/// Operations whose squashed name starts with what was typed so far (for completion as one
/// types), common services first, at most `limit`.
pub fn complete<'a>(ops: &'a Operations, typed: &str, limit: usize) -> Vec<OperationRef<'a>> {
    let Ok(query) = parse(typed.trim()) else {
        return Vec::new();
    };
    let prefix = squash(&query.name);
    if prefix.is_empty() {
        return Vec::new();
    }
    let qualifier = query
        .qualifier
        .as_deref()
        .map(qualifier_key)
        .filter(|q| !ops.qualifier_services(q).is_empty());
    let mut hits: Vec<(u8, usize, OperationRef<'a>)> = ops
        .with_squashed_prefix(&prefix)
        .filter(|(_, o)| qualifier.as_deref().is_none_or(|q| matches_qualifier(o, q)))
        .map(|(name, o)| (rank_of(&o, qualifier.as_deref()), name.len(), o))
        .collect();
    hits.sort_by(|a, b| {
        (a.0, a.1, a.2.service, &a.2.operation.name).cmp(&(
            b.0,
            b.1,
            b.2.service,
            &b.2.operation.name,
        ))
    });
    hits.into_iter().take(limit).map(|(_, _, o)| o).collect()
}

impl Unresolved {
    /// The call this is about.
    pub fn call(&self) -> &str {
        match self {
            Unresolved::Empty { call }
            | Unresolved::HighLevelCli { call, .. }
            | Unresolved::UnknownService { call, .. }
            | Unresolved::NotFound { call, .. }
            | Unresolved::Ambiguous { call, .. } => call,
        }
    }

    /// The names it could have meant (nearest by edit distance, or the ambiguous candidates).
    pub fn nearest(&self, ops: &Operations) -> Vec<String> {
        match self {
            Unresolved::NotFound { name, services, .. } => {
                let pool: Vec<OperationRef<'_>> = if services.is_empty() {
                    ops.iter().collect()
                } else {
                    services
                        .iter()
                        .filter_map(|&i| ops.service_at(i))
                        .flat_map(|s| {
                            s.operations.iter().map(move |op| OperationRef {
                                service: &s.prefix,
                                operation: op,
                            })
                        })
                        .collect()
                };
                nearest_operations(name, &pool, 5)
            }
            Unresolved::UnknownService { service, .. } => {
                let wanted = squash(service);
                let mut names: Vec<&str> = ops
                    .services()
                    .map(|s| s.prefix.as_str())
                    .chain(notes().cli.keys().map(String::as_str))
                    .collect();
                names.sort_unstable();
                names.dedup();
                nearest_words(&wanted, names.into_iter(), 3)
            }
            Unresolved::Ambiguous { candidates, .. } => candidates.clone(),
            Unresolved::Empty { .. } | Unresolved::HighLevelCli { .. } => Vec::new(),
        }
    }

    /// One sentence for the user, with the nearest names.
    pub fn describe(&self, ops: &Operations) -> String {
        let call = crate::catalog::operations::display(self.call());
        let list = |names: Vec<String>| names.join(", ");
        match self {
            Unresolved::Empty { .. } => format!(
                "{call}: not a call; give an SDK method (s3.put_object), an operation (s3:CopyObject) or a CLI command (aws s3api put-object)"
            ),
            Unresolved::HighLevelCli { command, .. } => format!(
                "{call}: `aws s3 {}` is the AWS CLI's own command, not one API operation; name the operations it makes (aws s3api get-object, put-object, copy-object, list-objects-v2, delete-object)",
                crate::catalog::operations::display(command)
            ),
            Unresolved::UnknownService { service, .. } => {
                let near = self.nearest(ops);
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", list(near))
                };
                format!(
                    "{call}: {:?} is not a service or SDK client with operations in the catalog{hint}",
                    crate::catalog::operations::display(service)
                )
            }
            Unresolved::NotFound { .. } => {
                let near = self.nearest(ops);
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!("; nearest: {}", list(near))
                };
                format!("{call}: no API operation by that name in the catalog{hint}")
            }
            Unresolved::Ambiguous { candidates, .. } => format!(
                "{call}: several services have this operation; name one: {}",
                list(candidates.clone())
            ),
        }
    }
}

/// `s3.copy_object (s3:CopyObject)`: how an ambiguous or near candidate is listed.
fn candidate_label(o: &OperationRef<'_>) -> String {
    format!("{} ({})", o.sdk_label(), o.label())
}

/// Why text is not a call at all.
enum NotACall {
    Empty,
    /// `aws s3 COMMAND`.
    HighLevelCli(String),
}

/// Takes the call apart (see the module documentation for the forms).
fn parse(call: &str) -> Result<Query, NotACall> {
    // `s3.put_object(Bucket="b")`: the arguments do not matter.
    let call = call.split('(').next().unwrap_or_default().trim();
    let words: Vec<&str> = call.split_whitespace().collect();
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("aws")) {
        return parse_cli(&words[1..]);
    }
    if words.len() > 1 {
        return Err(NotACall::Empty);
    }
    if let Some((service, name)) = call.split_once(':') {
        return Ok(Query {
            qualifier: Some(service.to_string()),
            loose_qualifier: false,
            name: name.to_string(),
        });
    }
    if let Some((head, name)) = call.rsplit_once('.') {
        // `self.s3.put_object`: the client is the last part before the method.
        let qualifier = head.rsplit('.').next().unwrap_or_default();
        return Ok(Query {
            qualifier: (!qualifier.is_empty()).then(|| qualifier.to_string()),
            loose_qualifier: true,
            name: name.to_string(),
        });
    }
    Ok(Query {
        qualifier: None,
        loose_qualifier: false,
        name: call.to_string(),
    })
}

/// The AWS CLI's global options that take a value (the value is not the service).
const CLI_VALUED_OPTIONS: [&str; 9] = [
    "--region",
    "--profile",
    "--output",
    "--endpoint-url",
    "--query",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
];

/// `aws [global options] SERVICE COMMAND [options]`.
fn parse_cli(words: &[&str]) -> Result<Query, NotACall> {
    let mut positional = Vec::new();
    let mut skip_value = false;
    for w in words {
        if skip_value {
            skip_value = false;
            continue;
        }
        if w.starts_with('-') {
            skip_value =
                !w.contains('=') && CLI_VALUED_OPTIONS.iter().any(|o| o.eq_ignore_ascii_case(w));
            continue;
        }
        positional.push(*w);
        if positional.len() == 2 {
            break;
        }
    }
    let [service, command] = positional[..] else {
        return Err(NotACall::Empty);
    };
    if service.eq_ignore_ascii_case("s3") {
        return Err(NotACall::HighLevelCli(command.to_string()));
    }
    let client = notes()
        .cli
        .iter()
        .find(|(cli, _)| cli.eq_ignore_ascii_case(service))
        .map_or(service, |(_, client)| client.as_str());
    Ok(Query {
        qualifier: Some(client.to_string()),
        loose_qualifier: false,
        name: command.to_string(),
    })
}

/// The AWS CLI's name for an SDK client (`s3` → `s3api`); most are the same.
pub fn cli_service_name(client: &str) -> &str {
    notes()
        .cli
        .iter()
        .find(|(_, c)| c.as_str() == client)
        .map_or(client, |(cli, _)| cli.as_str())
}

/// The squashed names to look for, best first: the name, then without an SDK's suffix
/// (`PutObjectCommand` in JavaScript v3, `PutObjectAsync` in .NET and Java).
fn name_variants(name: &str) -> Vec<String> {
    let full = squash(name);
    if full.is_empty() {
        return Vec::new();
    }
    let mut out = vec![full.clone()];
    for suffix in ["command", "async", "request"] {
        if let Some(stem) = full.strip_suffix(suffix)
            && !stem.is_empty()
        {
            out.push(stem.to_string());
        }
    }
    out
}

/// A qualifier as the index keys it: squashed, and `S3Client` / `s3_client` read as `s3`.
fn qualifier_key(q: &str) -> String {
    let s = squash(q);
    match s.strip_suffix("client") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => s,
    }
}

fn matches_qualifier(o: &OperationRef<'_>, q: &str) -> bool {
    squashes_to(o.service, q) || o.operation.sdk.iter().any(|m| squashes_to(&m.client, q))
}

/// 0: the qualifier is the service's IAM prefix; 1: a commonly used service; 2: other.
fn rank_of(o: &OperationRef<'_>, qualifier: Option<&str>) -> u8 {
    if qualifier.is_some_and(|q| squashes_to(o.service, q)) {
        0
    } else if EMBEDDED_SERVICES.contains(&o.service) {
        1
    } else {
        2
    }
}

fn rank(found: &mut [OperationRef<'_>], qualifier: Option<&str>) {
    found.sort_by(|a, b| {
        (rank_of(a, qualifier), a.service).cmp(&(rank_of(b, qualifier), b.service))
    });
}

/// The `limit` operations nearest to `wanted` (squashed) by edit distance, common services
/// first among equals; none farther than a third of the word (plus one).
fn nearest_operations(wanted: &str, pool: &[OperationRef<'_>], limit: usize) -> Vec<String> {
    let max = wanted.len() / 3 + 1;
    let mut row = Vec::new();
    let mut scored: Vec<(usize, u8, String)> = pool
        .iter()
        .filter_map(|o| {
            let name = squash(&o.operation.name);
            let d = edit_distance(wanted.as_bytes(), name.as_bytes(), &mut row);
            (d <= max).then(|| (d, rank_of(o, None), candidate_label(o)))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(limit).map(|(_, _, s)| s).collect()
}

fn nearest_words<'a>(
    wanted: &str,
    names: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let max = wanted.len().max(3) / 2 + 1;
    let mut row = Vec::new();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let d = edit_distance(wanted.as_bytes(), squash(n).as_bytes(), &mut row);
            (d <= max).then_some((d, n))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, n)| n.to_string())
        .collect()
}

fn edit_distance(a: &[u8], b: &[u8], row: &mut Vec<usize>) -> usize {
    row.clear();
    row.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    fn label(ops: &Operations, call: &str) -> String {
        resolve(ops, call)
            .map(|r| r.operation.label())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn every_written_form_resolves() {
        let ops = fixture::operations();
        for call in [
            "s3.copy_object",
            "S3:CopyObject",
            "s3:copyobject",
            "copy_object",
            "CopyObject",
            "copyObject",
            "CopyObjectCommand",
            "aws s3api copy-object --bucket b --key k --copy-source s/k",
            "aws --region eu-west-1 --output json s3api copy-object",
            "s3_client.copy_object(Bucket='b')",
            "self.s3.copy_object",
            "S3Client.copyObject",
            "client.copy_object",
            "my_s3.copy_object",
            "  s3.copy_object  ",
        ] {
            assert_eq!(label(&ops, call), "s3:CopyObject", "{call}");
        }
        assert_eq!(
            label(&ops, "stepfunctions.start_execution"),
            "states:StartExecution"
        );
        assert_eq!(
            label(&ops, "states:StartExecution"),
            "states:StartExecution"
        );
        assert_eq!(
            label(&ops, "aws stepfunctions start-execution"),
            "states:StartExecution"
        );
        assert_eq!(label(&ops, "s3control.create_bucket"), "s3:CreateBucket");
    }

    #[test]
    fn a_shared_name_prefers_the_common_service_and_says_so() {
        let ops = fixture::operations();
        let r = resolve(&ops, "put_object").unwrap();
        assert_eq!(r.operation.label(), "s3:PutObject");
        assert_eq!(r.also.len(), 1);
        assert_eq!(r.also[0].label(), "mediastore:PutObject");
        let r = resolve(&ops, "mediastore-data.put_object").unwrap();
        assert_eq!(r.operation.label(), "mediastore:PutObject");
        assert!(r.also.is_empty());
    }

    #[test]
    fn failures_say_why_with_the_nearest_names() {
        let ops = fixture::operations();
        let e = resolve(&ops, "s3.copy_objekt").unwrap_err();
        assert!(matches!(e, Unresolved::NotFound { .. }));
        assert_eq!(e.nearest(&ops), ["s3.copy_object (s3:CopyObject)"]);
        assert!(e.describe(&ops).contains("nearest: s3.copy_object"));
        let e = resolve(&ops, "s4:CopyObject").unwrap_err();
        assert!(matches!(e, Unresolved::UnknownService { .. }), "{e:?}");
        assert!(
            e.describe(&ops).contains("did you mean s3"),
            "{}",
            e.describe(&ops)
        );
        let e = resolve(&ops, "aws s3 cp a s3://b/a").unwrap_err();
        assert!(matches!(e, Unresolved::HighLevelCli { .. }));
        assert!(e.describe(&ops).contains("aws s3api"));
        for empty in ["", "   ", "aws", "aws s3api", "two words", "::"] {
            assert!(resolve(&ops, empty).is_err(), "{empty:?}");
        }
    }

    #[test]
    fn ambiguity_among_uncommon_services_lists_the_candidates() {
        let mut services: Vec<_> = fixture::operations().services().cloned().collect();
        services.push(super::super::ServiceOperations {
            prefix: "other".into(),
            operations: vec![fixture::op("PutObject", &[("other", "put_object")], &[])],
        });
        // Neither `mediastore` nor `other` is common: a bare name without s3 is ambiguous.
        services.retain(|s| s.prefix != "s3");
        let ops = Operations::from_services(services);
        let e = resolve(&ops, "put_object").unwrap_err();
        let Unresolved::Ambiguous { candidates, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(candidates.len(), 2);
        assert!(e.describe(&ops).contains("name one"));
    }

    #[test]
    fn completion_lists_prefix_matches() {
        let ops = fixture::operations();
        let labels: Vec<String> = complete(&ops, "s3.c", 10)
            .iter()
            .map(|o| o.label())
            .collect();
        assert_eq!(labels, ["s3:CopyObject", "s3:CreateBucket"]);
        let labels: Vec<String> = complete(&ops, "put", 10)
            .iter()
            .map(|o| o.label())
            .collect();
        assert_eq!(labels, ["s3:PutObject", "mediastore:PutObject"]);
        assert!(complete(&ops, "", 10).is_empty());
    }

    #[test]
    fn cli_names_map_both_ways() {
        assert_eq!(cli_service_name("s3"), "s3api");
        assert_eq!(cli_service_name("lambda"), "lambda");
    }
}
