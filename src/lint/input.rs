//! Linting one input of `rolesmith lint` as a whole: whatever [`crate::role::import`]
//! recognised in it (a policy document, a role file, roles and policies in AWS's shapes),
//! each document with the rules of its kind, each finding placed in the input's text.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::policy::SourceMap;
use crate::policy::json::{JsonError, parse_value};
use crate::role::import::{
    DocumentUse, Expect, ImportedDocument, LintInput, YamlPositions, recognise_json, recognise_text,
};
use crate::role::{IgnoreEntry, RoleSpec};

use super::locate::RoleTextIndex;
use super::report::FileReport;
use super::role::lint_role_in;
use super::{
    DocumentText, Finding, LintContext, LintOptions, PolicyKind, apply_ignores, json_syntax,
    lint_document_text_in, sort_findings,
};

/// What the input is asked to be (`lint --kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// Recognise it, and tell a document's kind from its shape.
    Auto,
    /// A policy document of this kind.
    Policy(PolicyKind),
    /// A role file, or roles in AWS's shapes.
    Role,
}

impl Want {
    fn expect(self) -> Expect {
        match self {
            Want::Auto => Expect::Any,
            Want::Policy(_) => Expect::Document,
            Want::Role => Expect::Role,
        }
    }
}

/// Does the text look like JSON (rather than TOML or YAML)?
pub fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// One input to lint: its text, where it came from, and its JSON parsed ahead when known.
pub struct Input<'a> {
    /// The name findings carry (a path, `<stdin>`).
    pub origin: &'a str,
    pub text: &'a str,
    /// `parse_value(text)` when the caller already did it.
    pub parsed: Option<std::result::Result<Value, JsonError>>,
    /// The file name without extension (names the policy of `get-policy-version` output).
    pub stem: Option<&'a str>,
    /// The folder a role file's relative paths start from (`None` for standard input).
    pub base: Option<&'a Path>,
}

/// Lints one input; an input that cannot be read as what it is gives the report's error.
pub fn lint_input_in(
    cx: &LintContext<'_>,
    input: Input<'_>,
    want: Want,
    options: &LintOptions,
) -> FileReport {
    let mut report = FileReport {
        path: input.origin.to_string(),
        kind: match want {
            Want::Policy(k) => k.as_str(),
            Want::Role => "role",
            Want::Auto => PolicyKind::Identity.as_str(),
        },
        findings: Vec::new(),
        error: None,
    };
    let recognised = if looks_like_json(input.text) || matches!(want, Want::Policy(_)) {
        let parsed = input.parsed.unwrap_or_else(|| parse_value(input.text));
        match parsed {
            Ok(value) => recognise_json(
                input.origin,
                input.text,
                value,
                want.expect(),
                input.stem,
                input.base,
            ),
            Err(e) if want == Want::Role => Err(e.into_error(input.origin)),
            Err(e) => {
                // Not JSON at all: a json-syntax finding with its position (and exit 2).
                let mut findings = super::grammar::check_characters(input.text);
                findings.push(json_syntax(e));
                report.findings = finish(findings, input.origin, options);
                return report;
            }
        }
    } else {
        recognise_text(input.origin, input.text, input.base)
    };
    match recognised {
        Ok(LintInput::Document(doc)) => {
            let kind = document_kind(&doc, want);
            report.kind = kind.as_str();
            let source = SourceMap::deferred(input.text);
            let findings = lint_document_text_in(
                cx,
                DocumentText {
                    text: input.text,
                    source: &source,
                    value: Cow::Owned(doc.value),
                    pointer: &doc.pointer,
                    kind,
                    aws_managed: doc.aws_managed,
                },
                options,
            );
            report.findings = finish(findings, input.origin, options);
        }
        Ok(LintInput::RoleFile(spec)) => {
            report.kind = "role";
            match check_ignore_codes(input.origin, input.text, &spec) {
                Ok(()) => {
                    report.findings = lint_role_file(cx, input.origin, input.text, &spec, options)
                }
                Err(e) => report.error = Some(e),
            }
        }
        Ok(LintInput::Roles {
            roles, documents, ..
        }) => {
            report.kind = "role";
            // Positions come from the JSON text, or from a second look at the YAML.
            let json = looks_like_json(input.text);
            let source = json.then(|| SourceMap::deferred(input.text));
            let yaml = (!json).then(|| YamlPositions::of(input.text));
            let mut findings = Vec::new();
            for role in &roles {
                for mut f in lint_role_in(cx, &role.spec, options) {
                    f.location.pointer = role.pointers.to_text(&f.location.pointer);
                    findings.push(f);
                }
            }
            let empty = SourceMap::default();
            for doc in documents {
                let kind = document_kind(&doc, want);
                findings.extend(lint_document_text_in(
                    cx,
                    DocumentText {
                        text: input.text,
                        source: source.as_ref().unwrap_or(&empty),
                        value: Cow::Owned(doc.value),
                        pointer: &doc.pointer,
                        kind,
                        aws_managed: doc.aws_managed,
                    },
                    options,
                ));
            }
            for f in &mut findings {
                let pos = match (&source, &yaml) {
                    (Some(source), _) => source
                        .nearest_pos(&f.location.pointer)
                        .map(|p| (p.line, p.column)),
                    (None, Some(yaml)) => yaml.nearest(&f.location.pointer),
                    (None, None) => None,
                };
                if let Some((line, column)) = pos {
                    f.location.line = Some(line);
                    f.location.column = Some(column);
                }
            }
            report.findings = finish(findings, input.origin, options);
        }
        Err(e) => report.error = Some(e),
    }
    report
}

/// The kind a recognised document is linted as: `--kind`, else what its wrapper says,
/// else its shape.
fn document_kind(doc: &ImportedDocument, want: Want) -> PolicyKind {
    if let Want::Policy(k) = want {
        return k;
    }
    let shape = super::kind::detect(&doc.value);
    match (doc.use_, shape) {
        (DocumentUse::Inline, PolicyKind::Identity) => PolicyKind::Inline,
        (DocumentUse::Resource, PolicyKind::Identity | PolicyKind::Trust) => PolicyKind::Resource,
        (DocumentUse::Managed, _) => PolicyKind::Identity,
        (_, shape) => shape,
    }
}

/// Lints a role file (TOML, or JSON with the role file's keys) and places its findings in
/// the file's own keys.
pub fn lint_role_file(
    cx: &LintContext<'_>,
    origin: &str,
    text: &str,
    spec: &RoleSpec,
    options: &LintOptions,
) -> Vec<Finding> {
    let mut findings = lint_role_in(cx, spec, options);
    if findings.is_empty() {
        return findings;
    }
    // One parse of the text places every finding.
    let index = RoleTextIndex::new(text);
    let file: Arc<str> = Arc::from(origin);
    for f in &mut findings {
        f.location.file = Some(Arc::clone(&file));
        if let Some((line, column)) = index.locate(&f.location.pointer) {
            f.location.line = Some(line);
            f.location.column = Some(column);
        }
    }
    findings
}

/// A role file's accepted findings must name codes that exist: a typo would silently
/// accept nothing. The error names the entry's line and column.
pub fn check_ignore_codes(origin: &str, text: &str, spec: &RoleSpec) -> Result<()> {
    let unknown = |entries: &[IgnoreEntry]| {
        entries
            .iter()
            .position(|e| super::explain::lookup(e.code()).is_none())
            .map(|i| (i, entries[i].code().to_string()))
    };
    let mut problem =
        unknown(&spec.lint.ignore).map(|(i, code)| (format!("/lint/ignore/{i}"), code));
    if problem.is_none() {
        'policies: for (pi, p) in spec.policies.iter().enumerate() {
            for (si, s) in p.statements.iter().enumerate() {
                if let Some((i, code)) = unknown(&s.ignore) {
                    problem = Some((format!("/policy/{pi}/statement/{si}/ignore/{i}"), code));
                    break 'policies;
                }
            }
        }
    }
    let Some((pointer, code)) = problem else {
        return Ok(());
    };
    let message = format!(
        "ignore: {code:?} is not a finding code (see `rolesmith explain`; write \"CODE\" or \"CODE=reason\")"
    );
    Err(match super::locate::locate_role_file_key(text, &pointer) {
        Some((line, column)) => Error::Parse {
            origin: origin.to_string(),
            line,
            column,
            message,
        },
        None => Error::Invalid {
            origin: origin.to_string(),
            message,
        },
    })
}

/// Sets the file, marks `--ignore`d findings and sorts by position.
fn finish(mut findings: Vec<Finding>, origin: &str, options: &LintOptions) -> Vec<Finding> {
    let file: Arc<str> = Arc::from(origin);
    for f in &mut findings {
        f.location.file = Some(Arc::clone(&file));
    }
    apply_ignores(&mut findings, &options.ignore, |_| true);
    sort_findings(&mut findings);
    findings
}
