//! `rolesmith calls CALL...`: from what code calls to the IAM actions it needs.
//!
//! Each call (`s3.copy_object`, `aws s3api copy-object`, `s3:CopyObject`, `put_object`) is
//! resolved to its API operation; the answer splits AWS's authorized actions into the ones every
//! call needs and the ones only some requests need, with why, and names the resources they act
//! on with the catalog's ARN templates. Any call that does not resolve is an error (exit 2) with
//! the nearest names, and nothing is printed on stdout.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::Outcome;
use crate::catalog::Catalog;
use crate::catalog::operations::{self, CallPermissions, Operations, Resolved, Source};
use crate::error::{Error, Result};
use crate::io::sanitize_for_display as visible;

/// The IAM actions an API call needs: always, and only for some requests (with why).
#[derive(Debug, Args)]
pub struct CallsArgs {
    /// Calls as code or a shell writes them: s3.copy_object, s3:CopyObject, put_object,
    /// PutObjectCommand, "aws s3api put-object"; `-` reads one call per line from stdin
    #[arg(required = true, value_name = "CALL")]
    pub calls: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CallsFormat::Text)]
    pub format: CallsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CallsFormat {
    Text,
    Json,
}

/// Runs `calls`.
pub fn run(args: CallsArgs) -> Result<Outcome> {
    let calls = expand_stdin(&args.calls)?;
    let catalog = Catalog::load()?;
    let ops = catalog.operations()?;
    let answers = answer(&catalog, ops, &calls)?;
    let text = match args.format {
        CallsFormat::Json => {
            serde_json::to_string_pretty(&to_json(&answers)).unwrap_or_default() + "\n"
        }
        CallsFormat::Text => answers.iter().map(text_of).collect::<Vec<_>>().join("\n"),
    };
    super::print_stdout(text.as_bytes())?;
    Ok(Outcome::Clean)
}

/// The calls given, with `-` replaced by the lines of stdin (blank lines and `#` comments
/// skipped).
fn expand_stdin(calls: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in calls {
        if c == "-" {
            let text = crate::io::read_stdin_text()?;
            out.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string),
            );
        } else {
            out.push(c.clone());
        }
    }
    if out.is_empty() {
        return Err(Error::Usage("no call given".into()));
    }
    Ok(out)
}

/// One resolved call and what it needs.
pub struct Answer<'a> {
    pub resolved: Resolved<'a>,
    pub permissions: CallPermissions<'a>,
}

/// Resolves every call; the error lists each one that did not resolve, with the nearest names.
pub fn answer<'a>(
    catalog: &Catalog,
    ops: &'a Operations,
    calls: &[String],
) -> Result<Vec<Answer<'a>>> {
    let mut answers = Vec::new();
    let mut failures = Vec::new();
    for call in calls {
        match operations::resolve(ops, call) {
            Ok(resolved) => {
                let permissions = operations::permissions(catalog, resolved.operation);
                answers.push(Answer {
                    resolved,
                    permissions,
                });
            }
            Err(e) => failures.push(e.describe(ops)),
        }
    }
    if !failures.is_empty() {
        let hint = if catalog.user_file().is_none() {
            format!(
                " (the catalog in use, {}, has the operations of {} services; `rolesmith catalog update` gets every AWS service)",
                catalog.source(),
                ops.services().len()
            )
        } else {
            String::new()
        };
        return Err(Error::Usage(format!("{}{hint}", failures.join("\n"))));
    }
    Ok(answers)
}

/// Sentences about a call beyond the split: curated needed actions, curated notes, other
/// services with the same operation name.
fn remarks(a: &Answer<'_>) -> Vec<String> {
    let p = &a.permissions;
    let mut out = p.notes.clone();
    let curated: Vec<&str> = p
        .needed
        .iter()
        .filter(|n| n.source == Source::Curated)
        .map(|n| n.action.as_str())
        .collect();
    if !curated.is_empty() {
        out.push(format!(
            "{} needed by rolesmith's notes; AWS's reference does not list {} for this call",
            curated.join(", "),
            if curated.len() == 1 { "it" } else { "them" }
        ));
    }
    if let Some(q) = &a.resolved.ignored_qualifier {
        out.push(format!(
            "{:?} is no service or SDK client: read as a variable, the method looked up alone",
            visible(q)
        ));
    }
    if !a.resolved.also.is_empty() {
        let others: Vec<String> = a
            .resolved
            .also
            .iter()
            .map(|o| format!("{} ({})", o.label(), o.sdk_label()))
            .collect();
        out.push(format!(
            "other services have an operation of this name: {}; qualify the call to pick one",
            others.join(", ")
        ));
    }
    out
}

/// The JSON answer (issue 19's shape, plus `sdk`, `cli`, `context`, `resources`, `notes`).
pub fn to_json(answers: &[Answer<'_>]) -> Value {
    let calls: Vec<Value> = answers
        .iter()
        .map(|a| {
            let p = &a.permissions;
            let op = p.operation;
            let conditional: Vec<Value> = p
                .conditional
                .iter()
                .map(|n| {
                    let mut o = json!({
                        "action": n.action,
                        "when": n.when,
                        "source": n.source.as_str(),
                    });
                    if !n.in_catalog {
                        o["in_catalog"] = json!(false);
                    }
                    o
                })
                .collect();
            let context: Vec<Value> = p
                .needed
                .iter()
                .chain(&p.conditional)
                .flat_map(|n| {
                    n.context.iter().map(move |(key, values)| {
                        json!({"action": n.action, "key": key, "values": values})
                    })
                })
                .collect();
            let resources: Vec<Value> = p
                .resources
                .iter()
                .map(|r| {
                    json!({
                        "name": r.name,
                        "type": r.resource_type,
                        "arn": r.arn,
                        "actions": r.actions,
                    })
                })
                .collect();
            let mut o = json!({
                "call": a.resolved.call,
                "operation": op.label(),
                "sdk": op.sdk_labels(),
                "cli": op.cli_labels(),
                "needed": p.needed.iter().map(|n| n.action.as_str()).collect::<Vec<_>>(),
                "conditional": conditional,
                "resources": resources,
            });
            if !context.is_empty() {
                o["context"] = Value::Array(context);
            }
            let notes = remarks(a);
            if !notes.is_empty() {
                o["notes"] = json!(notes);
            }
            o
        })
        .collect();
    json!({ "calls": calls })
}

/// The text answer for one call.
pub fn text_of(a: &Answer<'_>) -> String {
    let p = &a.permissions;
    let op = p.operation;
    let mut out = String::new();
    let _ = writeln!(out, "{} → {}", visible(&a.resolved.call), op.label());
    let cli = op.cli_labels();
    let _ = writeln!(
        out,
        "  called as: {}",
        op.sdk_labels()
            .into_iter()
            .chain(cli)
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str(&permissions_text(p));
    for r in remarks(a) {
        let _ = writeln!(out, "  note: {r}");
    }
    out
}

/// The needed / only-when / resources block shared by `calls` and `catalog show`.
pub fn permissions_text(p: &CallPermissions<'_>) -> String {
    let mut out = String::new();
    let width = p
        .needed
        .iter()
        .chain(&p.conditional)
        .map(|n| n.action.len())
        .max()
        .unwrap_or(0);
    let context_text = |n: &operations::Need| -> String {
        n.context
            .iter()
            .map(|(k, v)| format!(" [{k} = {}]", v.join(", ")))
            .collect()
    };
    if p.needed.is_empty() {
        let _ = writeln!(out, "  needed:     none known");
    } else {
        let _ = writeln!(out, "  needed:");
        for n in &p.needed {
            let tag = if n.source == Source::Curated {
                "  (rolesmith's notes)"
            } else {
                ""
            };
            let _ = writeln!(out, "    {}{}{tag}", n.action, context_text(n));
        }
    }
    if !p.conditional.is_empty() {
        let _ = writeln!(out, "  only when:");
        for n in &p.conditional {
            let mut extra = String::new();
            if n.source == Source::Curated {
                extra.push_str("  (rolesmith's notes)");
            }
            if !n.in_catalog {
                extra.push_str("  (not in the catalog in use)");
            }
            let _ = writeln!(
                out,
                "    {:width$}  {}{}{extra}",
                n.action,
                n.when
                    .as_deref()
                    .unwrap_or(operations::permissions::DEPENDS),
                context_text(n),
            );
        }
    }
    if !p.resources.is_empty() {
        let _ = writeln!(out, "  resources:");
        let name_w = p.resources.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in &p.resources {
            let _ = writeln!(
                out,
                "    {:name_w$}  {}  ({})",
                r.name,
                r.arn,
                r.actions.join(", ")
            );
        }
    }
    out
}
