//! `rolesmith simulate`: evaluate requests against a role file or policy documents, offline
//! (guide §13). Exit 0 when every request is allowed (or every expectation holds), 1 when
//! one is denied or unknown, 2 on bad input.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::eval::{
    Decision, Evaluation, Expectation, Policy, PolicyKind, PolicySet, Request, ServiceFacts,
    check_expectations,
};
use crate::io::sanitize_for_display as clean;
use crate::policy::arn::Arn;
use crate::policy::source::parse_policy;
use crate::policy::{OneOrMany, SourcePos};
use crate::role::{RoleSpec, load_role_file};

use super::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Text,
    Json,
}

/// Evaluate requests against a role or policy documents, offline, and say why.
///
/// Without --action, --principal or --requests, checks the role file's [[expect]] entries.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Role files (TOML or JSON) or policy documents: identity policies, and a trust policy
    /// for --principal questions.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The action to ask about (service:Action).
    #[arg(long)]
    pub action: Option<String>,
    /// The resource ARN (default `*`, for actions that name no resource).
    #[arg(long, value_name = "ARN")]
    pub resource: Option<String>,
    /// A request context key; repeat it for more keys, or for several values of one key.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Ask the trust side: may this principal (a service, an ARN, an account id, an OIDC or
    /// SAML provider ARN) assume the role? The action defaults to the one it uses.
    #[arg(long)]
    pub principal: Option<String>,
    /// A JSON array of {"action", "resource", "context": {KEY: VALUE or [VALUES]}, "principal"}.
    #[arg(long, value_name = "REQUESTS.json")]
    pub requests: Option<PathBuf>,
    /// A permissions boundary (a policy document) that must allow too.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// A service control policy; repeatable. Taken as one level: one must allow, and a
    /// Deny in any denies.
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: SimulateFormat,
}

/// Reads a file (`-` is standard input) with the shared size cap and checks.
pub(crate) fn read_input(path: &Path) -> Result<(String, String)> {
    if path.as_os_str() == "-" {
        return Ok(("<stdin>".to_string(), crate::io::read_stdin_text()?));
    }
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    Ok((path.display().to_string(), text))
}

/// A role file or a policy document, as `simulate` and `denied --role` read them.
pub(crate) enum Input {
    Role {
        origin: String,
        text: String,
        role: Box<RoleSpec>,
    },
    Policy {
        origin: String,
        policy: Box<Policy>,
        trust: bool,
    },
}

/// Is this JSON a role file (`name` with `trust` or `policy`) rather than a policy?
fn is_role_json(text: &str) -> bool {
    serde_json::from_str::<Value>(text).ok().is_some_and(|v| {
        v.get("name").is_some() && (v.get("trust").is_some() || v.get("policy").is_some())
    })
}

pub(crate) fn load_input(path: &Path, kind: PolicyKind) -> Result<Input> {
    let (origin, text) = read_input(path)?;
    let json = text.trim_start().starts_with('{');
    if !json || is_role_json(&text) {
        let role = if path.as_os_str() == "-" {
            crate::role::parse_role_text(&origin, &text)?
        } else {
            load_role_file(path)?
        };
        return Ok(Input::Role {
            origin,
            text,
            role: Box::new(role),
        });
    }
    let parsed = parse_policy(&origin, &text)?;
    let doc = &parsed.document;
    let single = matches!(doc.statement, OneOrMany::One(_));
    let positions = (0..doc.statements().len())
        .map(|i| {
            let pointer = if single {
                "/Statement".to_string()
            } else {
                format!("/Statement/{i}")
            };
            parsed.source.value_pos(&pointer)
        })
        .collect::<Vec<Option<SourcePos>>>();
    let trust = doc
        .statements()
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| origin.clone());
    let kind = match kind {
        PolicyKind::Identity if trust => PolicyKind::Trust,
        k => k,
    };
    Ok(Input::Policy {
        origin: origin.clone(),
        policy: Box::new(Policy {
            kind,
            name,
            file: Some(origin),
            document: parsed.document,
            positions,
        }),
        trust,
    })
}

/// One request to run, and the expectation it comes from (when it does).
struct Job {
    request: Request,
    expectation: Option<Expectation>,
}

pub fn run(args: SimulateArgs) -> Result<Outcome> {
    let mut set = PolicySet::new();
    let mut roles: Vec<RoleSpec> = Vec::new();
    for path in &args.files {
        match load_input(path, PolicyKind::Identity)? {
            Input::Role { origin, text, role } => {
                set.add_role(&role, Some((&origin, &text)));
                roles.push(*role);
            }
            Input::Policy {
                origin,
                policy,
                trust,
            } => {
                if trust {
                    if set.has_trust() {
                        return Err(Error::Invalid {
                            origin,
                            message:
                                "a second trust policy: give one role file or one trust policy"
                                    .into(),
                        });
                    }
                    set.set_trust(*policy);
                } else {
                    set.add_identity(*policy);
                }
            }
        }
    }
    if let Some(path) = &args.boundary {
        set.set_boundary(Ok(policy_file(path, PolicyKind::Boundary)?));
    }
    for path in &args.scps {
        set.add_scp(policy_file(path, PolicyKind::Scp)?);
    }

    let mut jobs = Vec::new();
    if args.action.is_some() || args.principal.is_some() {
        jobs.push(Job {
            request: request_from_flags(&args)?,
            expectation: None,
        });
    } else if args.resource.is_some() || !args.context.is_empty() {
        return Err(Error::Usage(
            "--resource and --context describe a request: give its --action too".into(),
        ));
    }
    if let Some(path) = &args.requests {
        jobs.extend(requests_file(path)?.into_iter().map(|request| Job {
            request,
            expectation: None,
        }));
    }
    let expectations_mode = jobs.is_empty();
    if expectations_mode {
        for role in &roles {
            jobs.extend(Expectation::from_role(role).into_iter().map(|e| Job {
                request: e.request.clone(),
                expectation: Some(e),
            }));
        }
        if jobs.is_empty() {
            return Err(Error::Usage(
                "nothing to simulate: give --action (with --resource), --principal or --requests, or add [[expect]] entries to the role file".into(),
            ));
        }
    }
    for job in &jobs {
        if job.request.principal.is_some() && !set.has_trust() {
            return Err(Error::Usage(format!(
                "{} asks the trust side (a principal), but no trust policy was given: pass a role file or a trust policy document",
                job.request.action
            )));
        }
    }

    let catalog = Catalog::embedded();
    let facts: &dyn ServiceFacts = catalog;
    let mut results = Vec::new();
    for job in &jobs {
        let evaluation = match &job.expectation {
            Some(e) => check_expectations(&set, std::slice::from_ref(e), Some(facts))
                .pop()
                .map(|r| r.evaluation)
                .unwrap_or_else(|| set.evaluate(&job.request, Some(facts))),
            None => set.evaluate(&job.request, Some(facts)),
        };
        results.push((job, evaluation));
    }

    let failed = results.iter().any(|(job, ev)| match &job.expectation {
        Some(e) => !passes(e, ev.decision),
        None => ev.decision != Decision::Allowed,
    });
    let out = match args.format {
        SimulateFormat::Json => json_report(&results),
        SimulateFormat::Text => text_report(&results),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::Other(format!("cannot write to standard output: {e}")))?;
    Ok(if failed {
        Outcome::FindingsFailed
    } else {
        Outcome::Clean
    })
}

fn passes(e: &Expectation, d: Decision) -> bool {
    if e.allow {
        d == Decision::Allowed
    } else {
        d.is_denied()
    }
}

fn policy_file(path: &Path, kind: PolicyKind) -> Result<Policy> {
    match load_input(path, kind)? {
        Input::Policy { policy, .. } => Ok(*policy),
        Input::Role { origin, .. } => Err(Error::Invalid {
            origin,
            message: format!(
                "a {} must be a policy document, not a role file",
                kind.describe()
            ),
        }),
    }
}

/// Checks an action named in a request: one `service:Action`, no wildcards.
fn check_action(origin: &str, action: &str) -> Result<()> {
    let ok = action.split_once(':').is_some_and(|(s, a)| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            origin: origin.into(),
            message: format!(
                "{action:?} is not one action: write service:Action (a request names one action, no wildcards)"
            ),
        })
    }
}

fn check_resource(origin: &str, resource: &str) -> Result<()> {
    if resource == "*" {
        return Ok(());
    }
    Arn::parse_strict(resource)
        .map(|_| ())
        .map_err(|e| Error::Invalid {
            origin: origin.into(),
            message: format!("{resource:?} is not a resource ARN: {e}"),
        })
}

fn check_key(origin: &str, key: &str) -> Result<()> {
    if key
        .split_once(':')
        .is_some_and(|(s, k)| !s.is_empty() && !k.is_empty())
    {
        Ok(())
    } else {
        Err(Error::Invalid {
            origin: origin.into(),
            message: format!("{key:?} is not a condition key: write service:key (aws:SourceIp)"),
        })
    }
}

fn request_from_flags(args: &SimulateArgs) -> Result<Request> {
    let mut request = match &args.principal {
        Some(p) => {
            if !crate::role::expect::is_request_principal(p) {
                return Err(Error::Usage(format!(
                    "--principal {p:?} is not a principal: give a service (lambda.amazonaws.com), an account id or an ARN"
                )));
            }
            Request::assume(p)
        }
        None => Request::default(),
    };
    if let Some(a) = &args.action {
        check_action("--action", a)?;
        request.action = a.clone();
    }
    if let Some(r) = &args.resource {
        check_resource("--resource", r)?;
        request.resource = Some(r.clone());
    }
    for kv in &args.context {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Error::Usage(format!("--context {kv:?}: write KEY=VALUE")));
        };
        check_key("--context", k)?;
        request.context.insert(k, vec![v.to_string()]);
    }
    Ok(request)
}

fn requests_file(path: &Path) -> Result<Vec<Request>> {
    let (origin, text) = read_input(path)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| Error::Parse {
        origin: origin.clone(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: crate::policy::source::json_error_message(&e),
    })?;
    let Value::Array(items) = value else {
        return Err(Error::Invalid {
            origin,
            message: "expected a JSON array of requests".into(),
        });
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{origin}: request {i}");
        let Value::Object(obj) = item else {
            return Err(Error::Invalid {
                origin: at,
                message: "expected an object".into(),
            });
        };
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "action" | "resource" | "context" | "principal"
            ) {
                return Err(Error::Invalid {
                    origin: at,
                    message: format!(
                        "unknown key {key:?} (expected action, resource, context, principal)"
                    ),
                });
            }
        }
        let text_of = |k: &str| -> Result<Option<String>> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(Error::Invalid {
                    origin: at.clone(),
                    message: format!("{k} must be a string"),
                }),
            }
        };
        let principal = text_of("principal")?;
        let mut request = match &principal {
            Some(p) => Request::assume(p),
            None => Request::default(),
        };
        match text_of("action")? {
            Some(a) => {
                check_action(&at, &a)?;
                request.action = a;
            }
            None if principal.is_some() => {}
            None => {
                return Err(Error::Invalid {
                    origin: at,
                    message: "missing \"action\"".into(),
                });
            }
        }
        if let Some(r) = text_of("resource")? {
            check_resource(&at, &r)?;
            request.resource = Some(r);
        }
        match obj.get("context") {
            None | Some(Value::Null) => {}
            Some(Value::Object(cx)) => {
                for (k, v) in cx {
                    check_key(&at, k)?;
                    let values = match v {
                        Value::Array(vs) => vs.iter().map(scalar_text).collect::<Option<Vec<_>>>(),
                        v => scalar_text(v).map(|s| vec![s]),
                    };
                    let Some(values) = values else {
                        return Err(Error::Invalid {
                            origin: at,
                            message: format!(
                                "context {k}: values are strings, numbers or booleans"
                            ),
                        });
                    };
                    request.context.insert(k, values);
                }
            }
            Some(_) => {
                return Err(Error::Invalid {
                    origin: at,
                    message: "context must be an object".into(),
                });
            }
        }
        out.push(request);
    }
    Ok(out)
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The request as JSON: action, resource, context (one value or an array), principal.
pub(crate) fn request_json(r: &Request) -> Value {
    let mut cx = serde_json::Map::new();
    for (k, v) in r.context.iter() {
        cx.insert(
            k.to_string(),
            match v {
                [one] => Value::String(one.clone()),
                many => Value::Array(many.iter().cloned().map(Value::String).collect()),
            },
        );
    }
    let mut out = json!({"action": r.action, "resource": r.resource_or_star(), "context": cx});
    if let Some(p) = &r.principal {
        out["principal"] = Value::String(p.clone());
    }
    out
}

fn json_report(results: &[(&Job, Evaluation)]) -> String {
    let mut summary = json!({"allowed": 0, "denied": 0, "unknown": 0});
    let mut expectations = (0, 0);
    let items: Vec<Value> = results
        .iter()
        .map(|(job, ev)| {
            let bucket = match ev.decision {
                Decision::Allowed => "allowed",
                Decision::ExplicitDeny | Decision::ImplicitDeny => "denied",
                Decision::Unknown => "unknown",
            };
            summary[bucket] = json!(summary[bucket].as_u64().unwrap_or(0) + 1);
            let mut item = json!({
                "request": request_json(&job.request),
                "decision": ev.decision.as_str(),
                "statements": ev.statements,
                "reasons": ev.reasons,
            });
            if let Some(e) = &job.expectation {
                let passed = passes(e, ev.decision);
                if passed {
                    expectations.0 += 1
                } else {
                    expectations.1 += 1
                }
                item["expectation"] = json!({
                    "index": e.index,
                    "expected": if e.allow { "allowed" } else { "denied" },
                    "passed": passed,
                    "why": e.why,
                });
            }
            item
        })
        .collect();
    if expectations != (0, 0) {
        summary["expectations"] = json!({"passed": expectations.0, "failed": expectations.1});
    }
    let doc = json!({"results": items, "summary": summary});
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn text_report(results: &[(&Job, Evaluation)]) -> String {
    let mut out = String::new();
    let (mut allowed, mut denied, mut unknown) = (0, 0, 0);
    let (mut passed, mut failed) = (0, 0);
    for (job, ev) in results {
        match ev.decision {
            Decision::Allowed => allowed += 1,
            Decision::Unknown => unknown += 1,
            _ => denied += 1,
        }
        let r = &job.request;
        let what = match &r.principal {
            Some(p) => format!("{} by {p}", r.action),
            None => format!("{} on {}", r.action, r.resource_or_star()),
        };
        let mut line = format!("{:<14} {}", ev.decision.as_str(), what);
        if !r.context.is_empty() {
            let cx: Vec<String> = r
                .context
                .iter()
                .map(|(k, v)| format!("{k}={}", v.join(",")))
                .collect();
            line.push_str(&format!(" [{}]", cx.join(" ")));
        }
        if let Some(e) = &job.expectation {
            let ok = passes(e, ev.decision);
            if ok {
                passed += 1
            } else {
                failed += 1
            }
            let want = if e.allow { "allowed" } else { "denied" };
            line = format!(
                "{} expect[{}] {line} (expected {want})",
                if ok { "ok  " } else { "FAIL" },
                e.index
            );
        }
        out.push_str(&clean(&line));
        out.push('\n');
        let label = match ev.decision {
            Decision::Allowed => "by",
            Decision::ExplicitDeny => "denied by",
            _ => "nearest:",
        };
        for s in &ev.statements {
            out.push_str(&clean(&format!("    {label} {}", s.describe())));
            out.push('\n');
        }
        if ev.decision != Decision::ExplicitDeny {
            for reason in &ev.reasons {
                out.push_str(&clean(&format!("    - {reason}")));
                out.push('\n');
            }
        }
    }
    out.push_str(&format!(
        "{allowed} allowed, {denied} denied, {unknown} unknown"
    ));
    if passed + failed > 0 {
        out.push_str(&format!("; expectations: {passed} passed, {failed} failed"));
    }
    out.push('\n');
    out
}
