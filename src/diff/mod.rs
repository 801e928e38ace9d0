//! `diff OLD NEW`: what NEW grants that OLD does not, and what it takes away, by meaning, not
//! by text: reordering or splitting statements changes nothing.
//!
//! Every Allow statement of one side is taken apart into (action, resource) grants: its action
//! patterns expanded against the catalog (`s3:Get*` is each `s3:Get...` action), each paired
//! with the statement's resources that fit the action's resource types. A grant is *added* when
//! NEW's policies allow it and OLD's do not, as the evaluation engine decides (matching,
//! wildcards, Deny statements: a removed Deny shows up as the grants it blocked); *removed* the
//! other way round. A grant both allow is *widened* when NEW's statement drops a condition that
//! every OLD statement allowing it has. Trust principals are compared the same way, each as a
//! request to assume the role.
//!
//! Conditions are read favourably on both sides ("could this ever be allowed?"), so the diff
//! is about what may be granted, not about one particular request.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde::Serialize;

use crate::catalog::{ActionExpansion, Catalog};
use crate::error::{Error, Result};
use crate::eval::{ConditionMode, Decision, Policy, PolicyKind, PolicySet, Request, StatementRef};
use crate::policy::arn::{pattern_fits_template_with, slash_free_placeholders};
use crate::policy::{ConditionBlock, Effect, OneOrMany, PolicyDocument, Statement};

/// Where a grant comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Via {
    pub file: String,
    pub policy: String,
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One (action, resource) that one side grants and the other does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub action: String,
    pub resource: String,
    pub via: Via,
}

/// A grant both sides allow, NEW with fewer conditions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Widened {
    pub action: String,
    pub resource: String,
    /// The condition keys OLD requires and NEW's statement does not.
    pub dropped: Vec<String>,
    pub via: Via,
}

/// A principal one trust policy admits and the other does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrustChange {
    pub principal: String,
    pub via: Via,
}

/// The answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<Grant>,
    pub removed: Vec<Grant>,
    pub conditions_widened: Vec<Widened>,
    pub trust_added: Vec<TrustChange>,
    pub trust_removed: Vec<TrustChange>,
}

impl Diff {
    /// Whether NEW grants anything OLD did not (the pull-request check fails on it).
    pub fn grants_more(&self) -> bool {
        !self.added.is_empty()
            || !self.conditions_widened.is_empty()
            || !self.trust_added.is_empty()
    }
}

/// One statement of a side, where it is written.
#[derive(Clone, Debug)]
pub struct Located {
    pub via: Via,
    pub kind: PolicyKind,
    pub statement: Statement,
}

/// One side of the comparison: its policies for the engine, and its statements with places.
#[derive(Debug)]
pub struct Side {
    pub origin: String,
    pub set: PolicySet,
    pub statements: Vec<Located>,
}

impl Side {
    /// A side from a role file's text (TOML or JSON).
    pub fn from_role_text(origin: &str, text: &str) -> Result<Side> {
        let role = crate::role::parse_role_text(origin, text)?;
        let set = PolicySet::from_role(&role, Some((origin, text)));
        let docs = role.to_documents();
        let mut statements = Vec::new();
        for (i, p) in docs.policies.iter().enumerate() {
            if p.is_boundary_only() {
                continue;
            }
            for (j, s) in p.document.statements().iter().enumerate() {
                let path = crate::role::FieldPath::key("policy")
                    .at(i)
                    .then("statement")
                    .at(j);
                statements.push(Located {
                    via: Via {
                        file: origin.to_string(),
                        policy: p.name.clone(),
                        statement: j,
                        line: crate::role::field_position(text, &path).map(|(l, _)| l),
                    },
                    kind: PolicyKind::Inline,
                    statement: s.clone(),
                });
            }
        }
        for arn in &docs.managed_policy_arns {
            if let Ok((name, doc)) = crate::eval::managed_document(arn) {
                for (j, s) in doc.statements().iter().enumerate() {
                    statements.push(Located {
                        via: Via {
                            file: origin.to_string(),
                            policy: name.clone(),
                            statement: j,
                            line: None,
                        },
                        kind: PolicyKind::Managed,
                        statement: s.clone(),
                    });
                }
            }
        }
        let trust_line = crate::role::field_position(text, &crate::role::FieldPath::key("trust"))
            .map(|(l, _)| l);
        for (j, s) in docs.trust.statements().iter().enumerate() {
            statements.push(Located {
                via: Via {
                    file: origin.to_string(),
                    policy: "trust".into(),
                    statement: j,
                    line: trust_line,
                },
                kind: PolicyKind::Trust,
                statement: s.clone(),
            });
        }
        Ok(Side {
            origin: origin.to_string(),
            set,
            statements,
        })
    }

    /// A side from a policy document (a permission policy, or a trust policy when its
    /// statements name principals).
    pub fn from_policy_text(origin: &str, text: &str) -> Result<Side> {
        let parsed = crate::policy::source::parse_policy(origin, text)?;
        let doc: PolicyDocument = parsed.document;
        let single = matches!(doc.statement, OneOrMany::One(_));
        let trust = doc
            .statements()
            .iter()
            .any(|s| s.principal.is_some() || s.not_principal.is_some());
        let kind = if trust {
            PolicyKind::Trust
        } else {
            PolicyKind::Identity
        };
        let name = std::path::Path::new(origin)
            .file_stem()
            .map_or_else(|| origin.to_string(), |s| s.to_string_lossy().into_owned());
        let statements = doc
            .statements()
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let pointer = if single {
                    "/Statement".to_string()
                } else {
                    format!("/Statement/{j}")
                };
                Located {
                    via: Via {
                        file: origin.to_string(),
                        policy: name.clone(),
                        statement: j,
                        line: parsed.source.value_pos(&pointer).map(|p| p.line),
                    },
                    kind,
                    statement: s.clone(),
                }
            })
            .collect();
        let mut set = PolicySet::new();
        let policy = Policy::new(kind, &name, doc);
        if trust {
            set.set_trust(policy);
        } else {
            set.add_identity(policy);
        }
        Ok(Side {
            origin: origin.to_string(),
            set,
            statements,
        })
    }

    /// A side from text: a policy document when it is JSON with a `Statement`, else a role file.
    pub fn from_text(origin: &str, text: &str) -> Result<Side> {
        let json: Option<serde_json::Value> = text
            .trim_start()
            .starts_with('{')
            .then(|| serde_json::from_str(text).ok())
            .flatten();
        match json {
            Some(v) if v.get("Statement").is_some() => Side::from_policy_text(origin, text),
            _ => Side::from_role_text(origin, text),
        }
    }
}

/// Compares OLD and NEW.
pub fn diff(catalog: &Catalog, old: &Side, new: &Side) -> Diff {
    let (added, widened) = grants_missing(catalog, new, old, true);
    let (removed, _) = grants_missing(catalog, old, new, false);
    Diff {
        added,
        removed,
        conditions_widened: widened,
        trust_added: trust_missing(new, old),
        trust_removed: trust_missing(old, new),
    }
}

/// The grants of `from` that `to` does not allow (and, with `widening`, those `to` allows
/// only under conditions `from` drops).
fn grants_missing(
    catalog: &Catalog,
    from: &Side,
    to: &Side,
    widening: bool,
) -> (Vec<Grant>, Vec<Widened>) {
    let mut out = Vec::new();
    let mut widened = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for located in from
        .statements
        .iter()
        .filter(|l| l.kind != PolicyKind::Trust && l.statement.effect == Effect::Allow)
    {
        let s = &located.statement;
        let resources: Vec<String> = if s.not_resource.is_some() {
            vec!["*".into()]
        } else {
            s.resources().to_vec()
        };
        for action in expand(catalog, s) {
            for resource in resources.iter().filter(|r| fits(catalog, &action, r)) {
                if !seen.insert((action.to_ascii_lowercase(), resource.clone())) {
                    continue;
                }
                let request = Request::new(&action, Some(resource));
                let here =
                    from.set
                        .evaluate_with(&request, Some(catalog), ConditionMode::Favourable);
                if here.decision != Decision::Allowed {
                    continue;
                }
                let there =
                    to.set
                        .evaluate_with(&request, Some(catalog), ConditionMode::Favourable);
                if there.decision != Decision::Allowed {
                    out.push(Grant {
                        action: action.clone(),
                        resource: resource.clone(),
                        via: located.via.clone(),
                    });
                } else if widening
                    && let Some(dropped) = dropped_conditions(s, to, &there.statements)
                {
                    widened.push(Widened {
                        action: action.clone(),
                        resource: resource.clone(),
                        dropped,
                        via: located.via.clone(),
                    });
                }
            }
        }
    }
    (out, widened)
}

/// The action names a statement's `Action` (or `NotAction`) stands for in the catalog; a
/// pattern the catalog cannot expand (an unknown service) stands for itself.
fn expand(catalog: &Catalog, s: &Statement) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |a: String| {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
            out.push(a);
        }
    };
    if let Some(not) = &s.not_action {
        for r in catalog.expand_actions("*").matched() {
            let name = r.full_name();
            let excluded = not
                .iter()
                .any(|p| crate::policy::arn::wildcard_match_ignore_case(p, &name));
            if !excluded {
                push(name);
            }
        }
        return out;
    }
    for pattern in s.actions() {
        match catalog.expand_actions(pattern) {
            ActionExpansion::Matched(found) => {
                for r in found {
                    push(r.full_name());
                }
            }
            _ => push(pattern.clone()),
        }
    }
    out
}

/// Whether `resource` can name something `action` acts on (`*` always can; an action the
/// catalog does not know is given the benefit of the doubt).
fn fits(catalog: &Catalog, action: &str, resource: &str) -> bool {
    if resource == "*" || resource.contains("${") {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else {
        return true;
    };
    let (Some(s), Some(a)) = (catalog.service(service), catalog.action(service, name)) else {
        return true;
    };
    if a.resources.is_empty() {
        // Granted only on "*"; a narrower resource grants it nothing.
        return false;
    }
    let slash_free = slash_free_placeholders(
        s.resources
            .values()
            .flat_map(|t| t.arn_formats.iter().map(String::as_str)),
    );
    a.resources
        .iter()
        .filter_map(|r| s.resources.get(&r.type_name))
        .flat_map(|t| t.arn_formats.iter())
        .any(|t| pattern_fits_template_with(resource, t, &slash_free))
}

/// The condition keys every allowing statement of `to` requires and `statement` does not;
/// `None` when some allowing statement asks no more than `statement` does.
fn dropped_conditions(
    statement: &Statement,
    to: &Side,
    allowing: &[StatementRef],
) -> Option<Vec<String>> {
    let ours = keys(statement.condition.as_ref());
    let mut dropped: Option<Vec<String>> = None;
    for r in allowing.iter().filter(|r| r.effect == Effect::Allow) {
        let theirs = to
            .statements
            .iter()
            .find(|l| l.via.policy == r.policy && l.via.statement == r.statement)?;
        let missing: Vec<String> = keys(theirs.statement.condition.as_ref())
            .into_iter()
            .filter(|k| !ours.contains(k))
            .collect();
        if missing.is_empty() {
            return None;
        }
        let d = dropped.get_or_insert_with(Vec::new);
        for k in missing {
            if !d.contains(&k) {
                d.push(k);
            }
        }
    }
    dropped
}

/// `Operator:key` pairs of a condition block, lower-cased.
fn keys(block: Option<&ConditionBlock>) -> Vec<String> {
    block.map_or_else(Vec::new, |b| {
        b.iter()
            .flat_map(|(op, m)| {
                m.keys()
                    .map(move |k| format!("{op}:{k}").to_ascii_lowercase())
            })
            .collect()
    })
}

/// Principals `from`'s trust admits and `to`'s does not.
fn trust_missing(from: &Side, to: &Side) -> Vec<TrustChange> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for located in from
        .statements
        .iter()
        .filter(|l| l.kind == PolicyKind::Trust && l.statement.effect == Effect::Allow)
    {
        let principals: Vec<String> = match &located.statement.principal {
            Some(crate::policy::Principal::Any) => vec!["*".into()],
            Some(crate::policy::Principal::Map(m)) => {
                m.entries().map(|(_, v)| v.to_string()).collect()
            }
            None => Vec::new(),
        };
        for p in principals {
            if !seen.insert(p.clone()) {
                continue;
            }
            let request = Request::assume(&p);
            let here = from
                .set
                .evaluate_with(&request, None, ConditionMode::Favourable);
            if here.decision != Decision::Allowed {
                continue;
            }
            let there = to
                .set
                .evaluate_with(&request, None, ConditionMode::Favourable);
            if there.decision != Decision::Allowed {
                out.push(TrustChange {
                    principal: p,
                    via: located.via.clone(),
                });
            }
        }
    }
    out
}

/// Reads one side: a file, `-` (stdin) or `git:REV:path` (the committed version).
pub fn read_side(arg: &str) -> Result<Side> {
    let (origin, text) = if let Some(spec) = arg.strip_prefix("git:") {
        git_show(spec)?
    } else if arg == "-" {
        ("<stdin>".to_string(), crate::io::read_stdin_text()?)
    } else {
        let path = std::path::Path::new(arg);
        (
            arg.to_string(),
            crate::io::read_text(path, crate::io::InputKind::Document)?,
        )
    };
    Side::from_text(&origin, &text)
}

/// `git show REV:PATH` (the path as git reads it: from the repository's top, or `./x` from
/// here), with the size cap of any document.
fn git_show(spec: &str) -> Result<(String, String)> {
    let Some((rev, path)) = spec
        .split_once(':')
        .filter(|(r, p)| !r.is_empty() && !p.is_empty())
    else {
        return Err(Error::Usage(format!(
            "git:{spec}: write git:REV:PATH (e.g. git:origin/main:roles/app.toml)"
        )));
    };
    if rev.starts_with('-') {
        return Err(Error::Usage(format!(
            "git:{spec}: a revision cannot start with -"
        )));
    }
    let output = std::process::Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::Other(format!("git:{spec}: cannot run git ({e})")))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Invalid {
            origin: format!("git:{spec}"),
            message: format!("git cannot show it: {}", why.trim()),
        });
    }
    let limit = crate::io::InputKind::Document.limit()?;
    if output.stdout.len() as u64 > limit {
        return Err(Error::Invalid {
            origin: format!("git:{spec}"),
            message: format!("bigger than the {limit}-byte limit of a document"),
        });
    }
    let origin = format!("git:{spec}");
    let text = crate::io::read::decode_utf8(&origin, output.stdout)?;
    Ok((origin, text))
}

/// Groups grants by action for the text report.
pub fn by_action(grants: &[Grant]) -> IndexMap<&str, Vec<&Grant>> {
    let mut out: IndexMap<&str, Vec<&Grant>> = IndexMap::new();
    for g in grants {
        out.entry(g.action.as_str()).or_default().push(g);
    }
    out
}
