//! Findings: pure functions from policy documents or a role (and the catalog) to
//! [`Finding`]s, one module per family of checks (guide §7).
//!
//! - [`lint_policy_text`]: a policy file's text; the [`grammar`] pass reports every shape
//!   problem with its position first, then the typed checks run if the shape is sound.
//! - [`lint_document`]: a typed document (the TUI's live preview).
//! - [`lint_role`]: a role as a whole: its trust policy, each inline policy, and the
//!   role-level checks, with the role file's accepted findings applied.
//!
//! The catalog is seen through [`CatalogView`], which the real [`crate::catalog::Catalog`]
//! implements; tests use small hand-made catalogs ([`testing`]).

pub mod actions;
pub mod conditions;
pub mod context;
#[doc(hidden)]
pub mod corpus;
pub mod data;
pub mod deployment;
pub mod expectations;
pub mod explain;
pub mod finding;
pub mod grammar;
pub mod locate;
pub mod resources;
pub mod risk;
pub mod role;
pub mod size;
#[doc(hidden)]
pub mod testing;
pub mod trust;

use crate::policy::{OneOrMany, PolicyDocument, SourceMap, Statement};
use crate::role::IgnoreEntry;

pub use context::{CatalogView, LintContext, ManagedPolicyInfo};
pub use finding::{DocumentRef, Edit, Finding, Fix, FixError, Location, Severity, StatementPart};
pub use role::{lint_role, lint_role_in, lint_role_with};

/// Which kind of policy a document is; the checks differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A permission (identity) policy: Action + Resource, no Principal. Standing alone it is
    /// held to the managed policy quota (6,144).
    Identity,
    /// A role's trust policy: Principal, no Resource.
    Trust,
    /// An inline policy of a role: as `Identity`, but sized together with the role's other
    /// inline policies (10,240), and escalation paths are looked for across the role.
    Inline,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity | PolicyKind::Inline => "identity",
            PolicyKind::Trust => "trust",
        }
    }
}

/// Settings of a lint run that are not in the documents.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// `--assumed-by`: principals that must be able to assume the role.
    pub assumed_by: Vec<String>,
    /// `--ignore`: codes accepted for every document of the run.
    pub ignore: Vec<IgnoreEntry>,
    /// The account the role lives in, when known (cross-account checks skip it).
    pub own_account: Option<String>,
}

/// Lints policy text: grammar with positions first, then the typed checks.
///
/// `origin` names the text (its path) in the findings' locations.
pub fn lint_policy_text(
    origin: &str,
    text: &str,
    kind: PolicyKind,
    catalog: &dyn CatalogView,
    options: &LintOptions,
) -> Vec<Finding> {
    lint_policy_text_in(&LintContext::new(catalog), origin, text, kind, options)
}

/// [`lint_policy_text`] in an existing context, so a run over many files prepares each
/// service of the catalog once.
pub fn lint_policy_text_in(
    cx: &LintContext<'_>,
    origin: &str,
    text: &str,
    kind: PolicyKind,
    options: &LintOptions,
) -> Vec<Finding> {
    lint_policy_parsed_in(cx, origin, text, serde_json::from_str(text), kind, options)
}

/// [`lint_policy_text_in`] with `text` already parsed (`parsed` must be
/// `serde_json::from_str(text)`), so a caller that parsed it to detect the kind of file
/// does not parse it twice.
pub fn lint_policy_parsed_in(
    cx: &LintContext<'_>,
    origin: &str,
    text: &str,
    parsed: serde_json::Result<serde_json::Value>,
    kind: PolicyKind,
    options: &LintOptions,
) -> Vec<Finding> {
    let mut findings = grammar::check_characters(text);
    let value: serde_json::Value = match parsed {
        Ok(v) => v,
        Err(e) => {
            let mut f = Finding::new(
                "json-syntax",
                crate::policy::source::json_error_message(&e),
                "",
            );
            f.location.line = Some(e.line().max(1));
            f.location.column = Some(e.column().max(1));
            findings.push(f);
            return finish(findings, Some(origin), options);
        }
    };
    // Scanned only if a finding needs a position: most files have none.
    let source = SourceMap::deferred(text);
    // Shape errors stop the typed checks (they would only repeat them); a bad Sid, an
    // unknown Version or a stray character do not.
    let shape = grammar::check(&value, kind, &source);
    let shape_ok = !shape.iter().any(|f| {
        f.severity == Severity::Error
            && !matches!(f.code, "duplicate-sid" | "invalid-sid" | "invalid-version")
    });
    findings.extend(shape);
    if shape_ok {
        match serde_json::from_value::<PolicyDocument>(value) {
            Ok(doc) => {
                findings.extend(check_document(
                    cx,
                    &doc,
                    kind,
                    "",
                    DocumentRef::Policy,
                    options,
                ));
            }
            Err(e) => findings.push(Finding::new("invalid-element", e.to_string(), "")),
        }
    }
    attach_positions(&mut findings, &source);
    finish(findings, Some(origin), options)
}

/// Lints a typed document; positions are filled in when its source map is given.
pub fn lint_document(
    doc: &PolicyDocument,
    kind: PolicyKind,
    catalog: &dyn CatalogView,
    source: Option<&SourceMap>,
) -> Vec<Finding> {
    lint_document_with(doc, kind, catalog, source, &LintOptions::default())
}

/// [`lint_document`] with options (`--assumed-by`, `--ignore`).
pub fn lint_document_with(
    doc: &PolicyDocument,
    kind: PolicyKind,
    catalog: &dyn CatalogView,
    source: Option<&SourceMap>,
    options: &LintOptions,
) -> Vec<Finding> {
    let cx = LintContext::new(catalog);
    let mut findings = grammar::check_typed(doc, kind);
    findings.extend(check_document(
        &cx,
        doc,
        kind,
        "",
        DocumentRef::Policy,
        options,
    ));
    if let Some(source) = source {
        attach_positions(&mut findings, source);
    }
    finish(findings, None, options)
}

/// All typed checks of one document. `prefix` is the JSON pointer of the document inside
/// what is reported (empty for a policy file, `/Policies/0/PolicyDocument` in a role).
pub(crate) fn check_document(
    cx: &LintContext<'_>,
    doc: &PolicyDocument,
    kind: PolicyKind,
    prefix: &str,
    document: DocumentRef,
    options: &LintOptions,
) -> Vec<Finding> {
    let d = Doc { doc, prefix, kind };
    let mut out = Vec::new();
    match kind {
        PolicyKind::Trust => trust::check(cx, &d, options, &mut out),
        PolicyKind::Identity | PolicyKind::Inline => {
            actions::check(cx, &d, &mut out);
            resources::check(cx, &d, &mut out);
            conditions::check(cx, &d, &mut out);
            risk::check(cx, &d, &mut out);
            if kind == PolicyKind::Identity {
                risk::check_escalation(cx, &[&d], &mut out);
            }
        }
    }
    if kind == PolicyKind::Trust {
        conditions::check(cx, &d, &mut out);
    }
    actions::check_duplicate_statements(&d, &mut out);
    size::check(&d, &mut out);
    for f in &mut out {
        f.location.document = document;
    }
    out
}

/// A document being checked, with the pointer helpers every family uses.
pub(crate) struct Doc<'a> {
    pub doc: &'a PolicyDocument,
    pub prefix: &'a str,
    pub kind: PolicyKind,
}

impl Doc<'_> {
    pub fn statements(&self) -> &[Statement] {
        self.doc.statements()
    }

    /// Pointer to statement `i` (`/Statement` when the document has a single statement object).
    pub fn stmt(&self, i: usize) -> String {
        match &self.doc.statement {
            OneOrMany::One(_) => format!("{}/Statement", self.prefix),
            OneOrMany::Many(_) => format!("{}/Statement/{i}", self.prefix),
        }
    }

    /// Pointer to a field of statement `i`.
    pub fn field(&self, i: usize, field: &str) -> String {
        format!("{}/{field}", self.stmt(i))
    }

    /// Pointer to entry `j` of a list field (the field itself when written as one string).
    pub fn item<T>(&self, i: usize, field: &str, list: &OneOrMany<T>, j: usize) -> String {
        match list {
            OneOrMany::One(_) => self.field(i, field),
            OneOrMany::Many(_) => format!("{}/{j}", self.field(i, field)),
        }
    }

    /// The document root pointer (for document-wide findings).
    pub fn root(&self) -> String {
        self.prefix.to_string()
    }
}

/// Fills line/column from the source map where a check did not set them.
pub(crate) fn attach_positions(findings: &mut [Finding], source: &SourceMap) {
    for f in findings {
        if f.location.line.is_none()
            && let Some(pos) = source.nearest_pos(&f.location.pointer)
        {
            f.location.line = Some(pos.line);
            f.location.column = Some(pos.column);
        }
    }
}

/// Sets the file, marks `--ignore`d findings and sorts by position.
fn finish(mut findings: Vec<Finding>, origin: Option<&str>, options: &LintOptions) -> Vec<Finding> {
    for f in &mut findings {
        if let Some(o) = origin {
            f.location.file = Some(o.to_string());
        }
    }
    apply_ignores(&mut findings, &options.ignore, |_| true);
    sort_findings(&mut findings);
    findings
}

/// Marks the findings whose code is listed in `ignores` (and that `applies` selects) as
/// accepted, with the reason given.
pub(crate) fn apply_ignores(
    findings: &mut [Finding],
    ignores: &[IgnoreEntry],
    applies: impl Fn(&Finding) -> bool,
) {
    for f in findings.iter_mut().filter(|f| f.ignored.is_none()) {
        if let Some(entry) = ignores.iter().find(|e| e.code() == f.code)
            && applies(f)
        {
            f.ignored = Some(entry.reason().unwrap_or_default().to_string());
        }
    }
}

/// Orders findings by document, line, column, then pointer (stable for equal positions).
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.location.line.unwrap_or(0), f.location.column.unwrap_or(0));
        key(a).cmp(&key(b))
    });
}

/// The worst severity among findings not accepted, if any.
pub fn worst_severity(findings: &[Finding]) -> Option<Severity> {
    findings
        .iter()
        .filter(|f| !f.is_ignored())
        .map(|f| f.severity)
        .max()
}

/// Guesses what a JSON document is: a role shaped like `AWS::IAM::Role` properties, a trust
/// policy (some statement has a Principal), or else an identity policy.
pub fn detect_json_kind(value: &serde_json::Value) -> DetectedKind {
    let Some(obj) = value.as_object() else {
        return DetectedKind::Identity;
    };
    if obj.contains_key("RoleName") || obj.contains_key("AssumeRolePolicyDocument") {
        return DetectedKind::CloudFormationRole;
    }
    if obj.contains_key("name") && (obj.contains_key("trust") || obj.contains_key("policy")) {
        return DetectedKind::RoleFile;
    }
    let has_principal = |s: &serde_json::Value| {
        s.as_object()
            .is_some_and(|o| o.contains_key("Principal") || o.contains_key("NotPrincipal"))
    };
    let trust = match obj.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter().any(has_principal),
        Some(s) => has_principal(s),
        None => false,
    };
    if trust {
        DetectedKind::Trust
    } else {
        DetectedKind::Identity
    }
}

/// What [`detect_json_kind`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetectedKind {
    Identity,
    Trust,
    /// A rolesmith role file written in JSON.
    RoleFile,
    /// `AWS::IAM::Role` properties (`render --format json` output, or a CloudFormation role).
    CloudFormationRole,
}
