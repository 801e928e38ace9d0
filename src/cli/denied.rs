//! `rolesmith denied`: read an AccessDenied message, say who was denied what on what and
//! which kind of policy is to blame, propose the least statement that fixes a missing
//! allow, confirm it with the simulator (`--role`) and add it to the role file (`--apply`).
//! Exit 0 when the message was understood, 2 when it is not an AccessDenied message, 1 when
//! `--apply` could not add the statement.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::eval::denied::{Cause, Denial, parse_denial};
use crate::eval::propose::{Proposal, propose};
use crate::eval::{Decision, PolicySet, Request, ServiceFacts};
use crate::io::sanitize_for_display as clean;
use crate::policy::{Effect, OneOrMany, Principal, PrincipalMap, Statement};

use super::Outcome;
use super::simulate::{Input, SimulateFormat, load_input};

/// Read an AccessDenied message and propose the least statement that fixes it.
#[derive(Debug, Args)]
pub struct DeniedArgs {
    /// The message as AWS, the CLI or an SDK printed it (quote it), or `-` to read stdin.
    #[arg(value_name = "MESSAGE|-")]
    pub message: String,
    /// The role file of the denied role: simulate the proposed statement against it.
    #[arg(long, value_name = "FILE")]
    pub role: Option<PathBuf>,
    /// Add the proposed statement to the role file (needs --role).
    #[arg(long, requires = "role")]
    pub apply: bool,
    /// With --apply, add the wider statement (e.g. bucket/* instead of one object).
    #[arg(long, requires = "apply")]
    pub wider: bool,
    /// The inline policy to add it to (default: the first one).
    #[arg(long, value_name = "NAME", requires = "apply")]
    pub policy: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: SimulateFormat,
}

/// What `denied` worked out, before printing.
struct Report {
    denial: Denial,
    proposal: Option<Proposal>,
    /// A statement for the resource's own policy (for `no-resource-allow`).
    resource_statement: Option<Statement>,
    /// The role's decision before and after adding the statement.
    before: Option<Decision>,
    after: Option<Decision>,
    after_reasons: Vec<String>,
    notes: Vec<String>,
    applied: Option<String>,
}

pub fn run(args: DeniedArgs) -> Result<Outcome> {
    let message = if args.message == "-" {
        crate::io::read_stdin_text()?
    } else {
        args.message.clone()
    };
    let Some(denial) = parse_denial(&message) else {
        return Err(Error::Usage(
            "this is not an AccessDenied message: paste the whole error, e.g. \"User: arn:aws:sts::123456789012:assumed-role/ROLE/SESSION is not authorized to perform: s3:PutObject on resource: ...\"".into(),
        ));
    };
    let catalog = Catalog::embedded();
    let facts: &dyn ServiceFacts = catalog;
    let cause = denial.cause();
    let mut report = Report {
        proposal: None,
        resource_statement: None,
        before: None,
        after: None,
        after_reasons: Vec::new(),
        notes: Vec::new(),
        applied: None,
        denial,
    };
    let action = report.denial.action.clone();
    if let Some(action) = &action
        && (cause.role_can_fix() || cause == Cause::NoResourceAllow)
    {
        let p = propose(
            action,
            report.denial.resource.as_deref(),
            report.denial.account.as_deref(),
            Some(facts),
        );
        report.notes.extend(p.notes.iter().cloned());
        if cause == Cause::NoResourceAllow {
            report.resource_statement = resource_policy_statement(&report.denial, &p);
            if report.denial.role.is_some() {
                report.notes.push("the principal is the role's ARN; if the role has a path (/service-role/...), its ARN includes it".into());
            }
        } else {
            report.proposal = Some(p);
        }
    }

    let mut outcome = Outcome::Clean;
    if let Some(path) = &args.role {
        let (origin, text, role) = match load_input(path, crate::eval::PolicyKind::Identity)? {
            Input::Role { origin, text, role } => (origin, text, *role),
            Input::Policy { origin, .. } => {
                return Err(Error::Invalid {
                    origin,
                    message: "--role takes a role file, not a policy document".into(),
                });
            }
        };
        if let Some(name) = &report.denial.role
            && name != &role.name
        {
            report.notes.push(format!(
                "the message is about role {name}, but {origin} describes role {}",
                role.name
            ));
        }
        if let (Some(p), Some(action)) = (&report.proposal, &action) {
            let request = Request::new(
                action,
                Some(report.denial.resource.as_deref().unwrap_or(&p.resource)),
            );
            let before =
                PolicySet::from_role(&role, Some((&origin, &text))).evaluate(&request, Some(facts));
            report.before = Some(before.decision);
            let mut changed = role.clone();
            crate::eval::propose::add_to_role(
                &mut changed,
                args.policy.as_deref(),
                p.statement_spec(args.wider),
            );
            let after = PolicySet::from_role(&changed, None).evaluate(&request, Some(facts));
            report.after = Some(after.decision);
            report.after_reasons = after.reasons.clone();
            if before.decision == Decision::Allowed {
                report.notes.push(format!(
                    "{origin} already allows this: the denial comes from something rolesmith cannot see (a permissions boundary, an SCP, a resource or session policy), or the deployed role differs from the file"
                ));
            }
            if args.apply {
                if before.decision == Decision::Allowed {
                    report
                        .notes
                        .push("nothing applied: the role already allows it".into());
                    outcome = Outcome::FindingsFailed;
                } else if after.decision != Decision::Allowed {
                    report.notes.push(format!(
                        "nothing applied: the role would still not allow it ({})",
                        after.decision.as_str()
                    ));
                    outcome = Outcome::FindingsFailed;
                } else {
                    let comment = format!("Added by `rolesmith denied` for {action}");
                    let (new_text, policy) = crate::role::patch::add_statement(
                        &origin,
                        &text,
                        args.policy.as_deref(),
                        &p.statement_spec(args.wider),
                        &comment,
                    )?;
                    crate::io::write_atomic(Path::new(path), new_text.as_bytes(), true)?;
                    report.applied = Some(policy);
                }
            }
        } else if args.apply {
            report
                .notes
                .push(format!("nothing applied: {}", cause.advice()));
            outcome = Outcome::FindingsFailed;
        }
    }

    let out = match args.format {
        SimulateFormat::Json => json_report(&report, args.role.is_some()),
        SimulateFormat::Text => text_report(&report, args.role.as_deref(), args.wider),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::Other(format!("cannot write to standard output: {e}")))?;
    Ok(outcome)
}

/// The statement the resource's policy needs: the role (or user) as principal.
fn resource_policy_statement(d: &Denial, p: &Proposal) -> Option<Statement> {
    let who = match (&d.role, &d.account, &d.principal) {
        (Some(role), Some(account), Some(arn)) => {
            let partition = arn.split(':').nth(1).unwrap_or("aws");
            format!("arn:{partition}:iam::{account}:role/{role}")
        }
        (_, _, Some(arn)) => arn.clone(),
        _ => return None,
    };
    let mut s = p.statement(false);
    s.principal = Some(Principal::Map(PrincipalMap {
        aws: Some(OneOrMany::One(who)),
        ..Default::default()
    }));
    s.effect = Effect::Allow;
    Some(s)
}

fn statement_json(s: &Statement) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

fn json_report(r: &Report, with_role: bool) -> String {
    let d = &r.denial;
    let mut out = json!({
        "principal": d.principal,
        "role": d.role,
        "action": d.action,
        "resource": d.resource,
        "cause": d.cause().as_str(),
        "advice": d.cause().advice(),
    });
    if let Some(o) = out.as_object_mut() {
        o.retain(|_, v| !v.is_null());
        for (k, v) in [
            ("account", d.account.clone()),
            ("operation", d.operation.clone()),
            ("policy_arn", d.policy_arn.clone()),
            ("encoded_message", d.encoded_message.clone()),
        ] {
            if let Some(v) = v {
                o.insert(k.into(), Value::String(v));
            }
        }
        if let Some(p) = &r.proposal {
            o.insert("statement".into(), statement_json(&p.statement(false)));
            o.insert("wider".into(), statement_json(&p.statement(true)));
            if let Some(t) = &p.resource_type {
                o.insert("resource_type".into(), Value::String(t.clone()));
            }
        }
        if let Some(s) = &r.resource_statement {
            o.insert("resource_policy_statement".into(), statement_json(s));
        }
        if with_role {
            if let Some(a) = r.after {
                o.insert("simulated".into(), Value::String(a.as_str().into()));
            }
            if let Some(b) = r.before {
                o.insert("simulated_before".into(), Value::String(b.as_str().into()));
            }
        }
        if let Some(p) = &r.applied {
            o.insert("applied".into(), json!({"policy": p}));
        }
        if !r.notes.is_empty() {
            o.insert("notes".into(), json!(r.notes));
        }
    }
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

fn text_report(r: &Report, role: Option<&Path>, wider: bool) -> String {
    let d = &r.denial;
    let mut lines: Vec<String> = Vec::new();
    let who = match (&d.principal, &d.role) {
        (Some(p), Some(role)) => format!("{p} (role {role})"),
        (Some(p), None) => p.clone(),
        _ => "(the message does not say)".into(),
    };
    lines.push(format!("denied:   {who}"));
    lines.push(format!(
        "action:   {}",
        d.action.as_deref().unwrap_or("(the message does not say)")
    ));
    if let Some(res) = &d.resource {
        lines.push(format!("resource: {res}"));
    }
    if let Some(op) = &d.operation {
        lines.push(format!("call:     {op}"));
    }
    lines.push(format!("cause:    {}", d.cause().as_str()));
    if let Some(arn) = &d.policy_arn {
        lines.push(format!("policy:   {arn}"));
    }
    lines.push(String::new());
    lines.push(d.cause().advice().to_string());
    if let Some(m) = &d.encoded_message {
        lines.push(format!(
            "  aws sts decode-authorization-message --encoded-message {m}"
        ));
    }
    let pretty = |s: &Statement| serde_json::to_string_pretty(s).unwrap_or_default();
    if let Some(p) = &r.proposal {
        lines.push(String::new());
        lines.push("statement:".into());
        lines.extend(
            pretty(&p.statement(false))
                .lines()
                .map(|l| format!("  {l}")),
        );
        if p.wider != p.resource {
            lines.push(format!(
                "wider (--wider), any name in the same {}:",
                container_word(p)
            ));
            lines.extend(pretty(&p.statement(true)).lines().map(|l| format!("  {l}")));
        }
    }
    if let Some(s) = &r.resource_statement {
        lines.push(String::new());
        lines.push("statement for the resource's policy:".into());
        lines.extend(pretty(s).lines().map(|l| format!("  {l}")));
    }
    if let (Some(path), Some(after)) = (role, r.after) {
        lines.push(String::new());
        let which = if wider {
            "the wider statement"
        } else {
            "the statement"
        };
        lines.push(format!(
            "simulated against {}: {} now, {} with {which}",
            path.display(),
            r.before.map_or("?", |b| b.as_str()),
            after.as_str()
        ));
        for reason in &r.after_reasons {
            lines.push(format!("  - {reason}"));
        }
    }
    if let (Some(policy), Some(path)) = (&r.applied, role) {
        lines.push(format!(
            "added to {} (inline policy {policy})",
            path.display()
        ));
    } else if role.is_some()
        && r.proposal.is_some()
        && r.notes.iter().all(|n| !n.starts_with("nothing applied"))
    {
        lines.push("add it with --apply (or --apply --wider)".into());
    }
    for n in &r.notes {
        lines.push(format!("note: {n}"));
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(&clean(&l));
        out.push('\n');
    }
    out
}

fn container_word(p: &Proposal) -> &'static str {
    match p.resource_type.as_deref() {
        Some("object") => "bucket",
        Some("secret") => "secret (its random suffix)",
        Some("log-stream") => "log group",
        _ => "container",
    }
}
