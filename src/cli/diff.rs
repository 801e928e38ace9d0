//! `rolesmith diff OLD NEW`: what NEW grants that OLD does not, and what it takes away, for
//! pull-request checks: exit 1 when NEW grants anything new, 0 otherwise.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::Outcome;
use crate::catalog::Catalog;
use crate::diff::{Diff, Via, by_action, diff, read_side};
use crate::error::Result;
use crate::io::sanitize_for_display as visible;

/// What a change to a role grants: newly reachable actions and resources, new trust
/// principals, dropped conditions (exit 1 when anything is new)
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The role file or policy document before: a file, `-`, or git:REV:PATH
    pub old: String,
    /// The role file or policy document after: a file, `-`, or git:REV:PATH
    pub new: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Sarif,
}

pub fn run(args: DiffArgs) -> Result<Outcome> {
    let catalog = Catalog::load()?;
    let old = read_side(&args.old)?;
    let new = read_side(&args.new)?;
    let d = diff(&catalog, &old, &new);
    let text = match args.format {
        DiffFormat::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        DiffFormat::Sarif => serde_json::to_string_pretty(&sarif(&d)).unwrap_or_default() + "\n",
        DiffFormat::Text => text(&d),
    };
    super::print_stdout(crate::io::terminal::json_for_terminal(&text).as_bytes())?;
    Ok(if d.grants_more() {
        Outcome::FindingsFailed
    } else {
        Outcome::Clean
    })
}

fn at(via: &Via) -> String {
    let line = via.line.map_or(String::new(), |l| format!(":{l}"));
    format!(
        "{}{line}, {} statement {}",
        visible(&via.file),
        visible(&via.policy),
        via.statement
    )
}

/// One line per change, grouped by action, then a summary line.
pub fn text(d: &Diff) -> String {
    let mut out = String::new();
    for (sign, grants) in [("+", &d.added), ("-", &d.removed)] {
        for (action, list) in by_action(grants) {
            for g in list {
                let _ = writeln!(
                    out,
                    "{sign} {} on {}  ({})",
                    visible(action),
                    visible(&g.resource),
                    at(&g.via)
                );
            }
        }
    }
    for w in &d.conditions_widened {
        let _ = writeln!(
            out,
            "+ {} on {} without {}  ({})",
            visible(&w.action),
            visible(&w.resource),
            visible(&w.dropped.join(", ")),
            at(&w.via)
        );
    }
    for (sign, list) in [("+", &d.trust_added), ("-", &d.trust_removed)] {
        for t in list {
            let _ = writeln!(
                out,
                "{sign} trust {}  ({})",
                visible(&t.principal),
                at(&t.via)
            );
        }
    }
    let _ = writeln!(
        out,
        "{} added, {} removed, {} with conditions dropped, {} trust principals added, {} removed",
        d.added.len(),
        d.removed.len(),
        d.conditions_widened.len(),
        d.trust_added.len(),
        d.trust_removed.len()
    );
    out
}

/// SARIF 2.1.0: one result per new grant, widened grant or new trust principal.
pub fn sarif(d: &Diff) -> Value {
    let result = |rule: &str, message: String, via: &Via| {
        let mut region = json!({});
        if let Some(l) = via.line {
            region = json!({"startLine": l});
        }
        json!({
            "ruleId": rule,
            "level": "warning",
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": via.file},
                "region": region,
            }}],
        })
    };
    let mut results = Vec::new();
    for g in &d.added {
        results.push(result(
            "grant-added",
            format!(
                "grants {} on {}, which the old version did not",
                g.action, g.resource
            ),
            &g.via,
        ));
    }
    for w in &d.conditions_widened {
        results.push(result(
            "condition-dropped",
            format!(
                "grants {} on {} without {}, which the old version required",
                w.action,
                w.resource,
                w.dropped.join(", ")
            ),
            &w.via,
        ));
    }
    for t in &d.trust_added {
        results.push(result(
            "trust-added",
            format!(
                "lets {} assume the role, which the old version did not",
                t.principal
            ),
            &t.via,
        ));
    }
    let rules = vec![
        json!({"id": "grant-added", "shortDescription": {"text": "The change grants an action on a resource the old version did not"}}),
        json!({"id": "condition-dropped", "shortDescription": {"text": "The change grants without a condition the old version required"}}),
        json!({"id": "trust-added", "shortDescription": {"text": "The change lets a new principal assume the role"}}),
    ];
    crate::lint::report::sarif_log_of(rules, results)
}
