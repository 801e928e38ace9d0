//! The reports `rolesmith lint` writes: text (one finding a line, then a summary), the
//! guide's JSON report, and SARIF 2.1.0 for code scanning (guide §7).
//!
//! Each writer is a pure function from the files' reports to the text to print, so the
//! command decides where it goes and a later change can make them stream.

use serde_json::{Value, json};

use crate::error::Error;
use crate::io::terminal;

use super::explain::CODES;
use super::{Finding, Severity};

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// `identity`, `trust`, `resource`, `scp` or `role` (guide §7).
    pub kind: &'static str,
    pub findings: Vec<Finding>,
    /// The file could not be read or parsed (exit 2).
    pub error: Option<Error>,
}

pub fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize, usize) {
    let (mut e, mut w, mut s, mut ignored) = (0, 0, 0, 0);
    for f in findings {
        if f.is_ignored() {
            ignored += 1;
            continue;
        }
        match f.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
            Severity::Suggestion => s += 1,
        }
    }
    (e, w, s, ignored)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One finding as a text line: `path:line:col: severity[code] message`.
pub fn text_line(path: &str, f: &Finding) -> String {
    let at = match (f.location.line, f.location.column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        _ => path.to_string(),
    };
    let mut line = format!("{at}: {}[{}] {}", f.severity, f.code, f.message);
    if let Some(reason) = &f.ignored {
        if reason.is_empty() {
            line.push_str(" (ignored)");
        } else {
            line.push_str(&format!(" (ignored: {reason})"));
        }
    }
    line
}

/// The text report: one line per finding, then a summary.
pub fn text_report(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for f in &r.findings {
            out.push_str(&text_line(&r.path, f));
            out.push('\n');
        }
    }
    let (e, w, s, ignored) = counts(reports.iter().flat_map(|r| &r.findings));
    out.push_str(&format!(
        "{}, {}, {} in {}",
        plural(e, "error"),
        plural(w, "warning"),
        plural(s, "suggestion"),
        plural(reports.len(), "file")
    ));
    if ignored > 0 {
        out.push_str(&format!(" ({ignored} ignored)"));
    }
    out.push('\n');
    out
}

/// The JSON report of guide §7 (ignored findings carry an extra `ignored` reason).
pub fn json_report(reports: &[FileReport]) -> String {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            let findings: Vec<Value> = r
                .findings
                .iter()
                .map(|f| {
                    let mut v = json!({
                        "code": f.code,
                        "severity": f.severity.as_str(),
                        "message": f.message,
                        "statement": f.location.statement,
                        "pointer": f.location.pointer,
                        "line": f.location.line,
                        "column": f.location.column,
                    });
                    if let (Some(reason), Some(obj)) = (&f.ignored, v.as_object_mut()) {
                        obj.insert("ignored".into(), json!(reason));
                    }
                    v
                })
                .collect();
            json!({"path": r.path, "kind": r.kind, "findings": findings})
        })
        .collect();
    let (e, w, s, _) = counts(reports.iter().flat_map(|r| &r.findings));
    let report = json!({
        "files": files,
        "summary": {"error": e, "warning": w, "suggestion": s},
    });
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// SARIF 2.1.0: one run, a rule per finding code, a result per finding.
pub fn sarif_report(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = CODES
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.code,
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": c.why},
                "help": {
                    "text": format!("{}\n\nBad: {}\nGood: {}", c.fix, c.bad, c.good),
                },
                "defaultConfiguration": {"level": sarif_level(c.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for f in &r.findings {
            let mut region = serde_json::Map::new();
            if let Some(l) = f.location.line {
                region.insert("startLine".into(), json!(l));
            }
            if let Some(c) = f.location.column {
                region.insert("startColumn".into(), json!(c));
            }
            let mut physical = json!({"artifactLocation": {"uri": sarif_uri(&r.path)}});
            if !region.is_empty()
                && let Some(obj) = physical.as_object_mut()
            {
                obj.insert("region".into(), Value::Object(region));
            }
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": CODES.iter().position(|c| c.code == f.code).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": physical}],
                "properties": {"pointer": f.location.pointer},
            });
            if let (Some(reason), Some(obj)) = (&f.ignored, result.as_object_mut()) {
                let mut s = json!({"kind": "inSource"});
                if !reason.is_empty()
                    && let Some(so) = s.as_object_mut()
                {
                    so.insert("justification".into(), json!(reason));
                }
                obj.insert("suppressions".into(), json!([s]));
            }
            results.push(result);
        }
    }
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rolesmith",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/rolesmith/rolesmith",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn sarif_uri(path: &str) -> String {
    let mut out = String::new();
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// A file name and findings as a text report may print them: control characters made visible
/// (a CR or LF from a file name or a policy cannot forge a report line), and no line that
/// starts with a GitHub workflow command (`::error ...::`).
pub fn make_printable(path: &mut String, findings: &mut [Finding]) {
    let visible = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = terminal::sanitize_for_display(s) {
            *s = o;
        }
    };
    visible(path);
    if let std::borrow::Cow::Owned(o) = terminal::safe_line_start(path) {
        *path = o;
    }
    for f in findings {
        visible(&mut f.message);
        if let Some(reason) = &mut f.ignored {
            visible(reason);
        }
    }
}
