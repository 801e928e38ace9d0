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
mod arn_facts;
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
pub mod input;
pub mod kind;
pub mod locate;
pub mod report;
pub mod resources;
pub mod risk;
pub mod role;
pub mod size;
#[doc(hidden)]
pub mod testing;
pub mod trust;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::policy::json::JsonError;
use crate::policy::{OneOrMany, PolicyDocument, SourceMap, Statement};
use crate::role::IgnoreEntry;

pub use context::{CatalogView, LintContext, ManagedPolicyInfo};
pub use finding::{DocumentRef, Edit, Finding, Fix, FixError, Location, Severity, StatementPart};
pub use role::{lint_role, lint_role_in, lint_role_with};

/// Which kind of policy a document is; the checks differ (guide §7, [`kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A permission (identity) policy: Action + Resource, no Principal. Standing alone it is
    /// held to the managed policy quota (6,144).
    Identity,
    /// A role's trust policy: Principal, no Resource.
    Trust,
    /// A resource-based policy (bucket, queue, topic, key, VPC endpoint, repository):
    /// Principal and usually Resource, any action. Its grantees and quotas are the
    /// service's, so the grant-breadth warnings of identity policies do not apply.
    Resource,
    /// A service or resource control policy: the ceiling of what accounts may do, written
    /// in the identity grammar (an RCP names `"*"` principals). Its Allow statements grant
    /// nothing by themselves, so no grant-breadth warnings; quota 5,120.
    Scp,
    /// An inline policy of a role: as `Identity`, but sized together with the role's other
    /// inline policies (10,240), and escalation paths are looked for across the role.
    Inline,
}

impl PolicyKind {
    /// The name of the kind in reports (`kind` in the JSON report).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity | PolicyKind::Inline => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
            PolicyKind::Scp => "scp",
        }
    }

    /// Does an Allow of this kind grant the actions to whoever holds the policy (so broad
    /// grants deserve a warning)? Not for trust, resource or control policies.
    pub fn grants_to_holder(self) -> bool {
        matches!(self, PolicyKind::Identity | PolicyKind::Inline)
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
    lint_policy_parsed_in(
        cx,
        origin,
        text,
        crate::policy::json::parse_value(text),
        kind,
        options,
    )
}

/// [`lint_policy_text_in`] with `text` already parsed strictly
/// ([`crate::policy::json::parse_value`]), so a caller that parsed it to tell what the file
/// is does not parse it twice.
pub fn lint_policy_parsed_in(
    cx: &LintContext<'_>,
    origin: &str,
    text: &str,
    parsed: Result<serde_json::Value, JsonError>,
    kind: PolicyKind,
    options: &LintOptions,
) -> Vec<Finding> {
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            let mut findings = grammar::check_characters(text);
            findings.push(json_syntax(e));
            return finish(findings, Some(origin), options);
        }
    };
    // Scanned only if a finding needs a position: most files have none.
    let source = SourceMap::deferred(text);
    let document = DocumentText {
        text,
        source: &source,
        value: Cow::Owned(value),
        pointer: "",
        kind,
        aws_managed: false,
    };
    let findings = lint_document_text_in(cx, document, options);
    finish(findings, Some(origin), options)
}

/// A `json-syntax` finding for text that is not (strict) JSON.
pub fn json_syntax(e: JsonError) -> Finding {
    let mut f = Finding::new("json-syntax", e.message, "");
    f.location.line = Some(e.line);
    f.location.column = Some(e.column);
    f
}

/// A policy document inside a text: the whole text (a policy file) or part of it (the
/// `PolicyDocument` of `aws iam get-role-policy` output) at `pointer`.
pub struct DocumentText<'a> {
    /// The whole text, for the character checks and positions.
    pub text: &'a str,
    pub source: &'a SourceMap,
    /// The document's JSON value. Handed over (`Cow::Owned`) when the caller has no more
    /// use for it: its strings then move into the typed document instead of being copied,
    /// and its memory is free again before the checks run (a tenth of linting a policy of
    /// 10,000 statements went to copying and dropping the tree).
    pub value: Cow<'a, serde_json::Value>,
    /// Where the document sits in the text (empty for a whole policy file).
    pub pointer: &'a str,
    pub kind: PolicyKind,
    /// An AWS managed policy: AWS's quotas apply to it, not a customer's.
    pub aws_managed: bool,
}

/// Lints one document of a text: grammar with positions, then the typed checks; findings
/// get positions but no file, ignores or order (the caller finishes them).
pub fn lint_document_text_in(
    cx: &LintContext<'_>,
    d: DocumentText<'_>,
    options: &LintOptions,
) -> Vec<Finding> {
    let mut findings = if d.pointer.is_empty() {
        grammar::check_characters(d.text)
    } else {
        let mut out = Vec::new();
        grammar::check_value_characters(&d.value, d.pointer, &mut out);
        out
    };
    // Shape errors stop the typed checks (they would only repeat them); a bad Sid, an
    // unknown Version or a stray character do not.
    let shape = grammar::check_at(&d.value, d.kind, Some(d.source), d.pointer);
    let shape_ok = !shape.iter().any(|f| {
        f.severity == Severity::Error
            && !matches!(f.code, "duplicate-sid" | "invalid-sid" | "invalid-version")
    });
    findings.extend(shape);
    if shape_ok {
        match typed_document(d.value) {
            Ok(doc) => {
                let typed = check_document_as(
                    cx,
                    &doc,
                    d.kind,
                    d.aws_managed,
                    d.pointer,
                    DocumentRef::Policy,
                    options,
                );
                // Most documents have no shape findings: the typed ones are taken as they
                // are, not copied (40,000 findings copied into fresh pages were most of
                // the page faults of linting a 10,000-statement policy).
                if findings.is_empty() {
                    findings = typed;
                } else {
                    findings.extend(typed);
                }
            }
            Err(e) => findings.push(Finding::new(
                "invalid-element",
                e.to_string(),
                d.pointer.to_string(),
            )),
        }
    }
    attach_positions(&mut findings, d.source);
    findings
}

/// The typed document of a JSON value: an owned value is taken apart (its strings moved),
/// a borrowed one copied; both give the same document or the same error.
fn typed_document(value: Cow<'_, serde_json::Value>) -> Result<PolicyDocument, serde_json::Error> {
    match value {
        Cow::Owned(v) => serde_json::from_value(v),
        Cow::Borrowed(v) => <PolicyDocument as serde::Deserialize>::deserialize(v),
    }
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
    check_document_as(cx, doc, kind, false, prefix, document, options)
}

/// [`check_document`] for a document that may be an AWS managed policy.
pub(crate) fn check_document_as(
    cx: &LintContext<'_>,
    doc: &PolicyDocument,
    kind: PolicyKind,
    aws_managed: bool,
    prefix: &str,
    document: DocumentRef,
    options: &LintOptions,
) -> Vec<Finding> {
    let d = Doc {
        doc,
        prefix,
        kind,
        aws_managed,
    };
    let mut out = Vec::new();
    match kind {
        PolicyKind::Trust => trust::check(cx, &d, options, &mut out),
        PolicyKind::Identity | PolicyKind::Inline | PolicyKind::Resource | PolicyKind::Scp => {
            actions::check(cx, &d, &mut out);
            resources::check(cx, &d, &mut out);
        }
    }
    conditions::check(cx, &d, &mut out);
    if kind.grants_to_holder() {
        risk::check(cx, &d, &mut out);
    }
    if kind == PolicyKind::Identity {
        risk::check_escalation(cx, &[&d], &mut out);
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
    /// An AWS managed policy (its quota is not a customer's).
    pub aws_managed: bool,
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
        // Built in one buffer: findings of a large policy ask for hundreds of thousands.
        let mut p = String::with_capacity(self.prefix.len() + field.len() + 24);
        self.push_field(&mut p, i, field);
        p
    }

    /// Pointer to entry `j` of a list field (the field itself when written as one string).
    pub fn item<T>(&self, i: usize, field: &str, list: &OneOrMany<T>, j: usize) -> String {
        let mut p = String::with_capacity(self.prefix.len() + field.len() + 32);
        self.push_field(&mut p, i, field);
        if let OneOrMany::Many(_) = list {
            let _ = write!(p, "/{j}");
        }
        p
    }

    /// Appends the pointer of statement `i`'s `field` to `p` (as [`Doc::field`] spells it).
    fn push_field(&self, p: &mut String, i: usize, field: &str) {
        p.push_str(self.prefix);
        match &self.doc.statement {
            OneOrMany::One(_) => p.push_str("/Statement"),
            OneOrMany::Many(_) => {
                let _ = write!(p, "/Statement/{i}");
            }
        }
        p.push('/');
        p.push_str(field);
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
    if let Some(o) = origin {
        let file: Arc<str> = Arc::from(o);
        for f in &mut findings {
            f.location.file = Some(Arc::clone(&file));
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

/// Orders findings by line, then column (stable for equal positions).
///
/// The small keys are sorted with each finding's place, then every finding is moved once:
/// sorting the findings themselves moved each large value about log n times (a tenth of
/// linting a policy of 10,000 statements).
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    let key = |f: &Finding| (f.location.line.unwrap_or(0), f.location.column.unwrap_or(0));
    if findings.is_sorted_by_key(key) {
        return;
    }
    // The place breaks ties, so the unstable sort keeps equal positions in order.
    let mut order: Vec<(usize, usize, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (line, column) = key(f);
            (line, column, i)
        })
        .collect();
    order.sort_unstable();
    // `from[k]`: the place of the finding that goes to `k`. Each cycle of the permutation
    // is walked once, swapping along it; a place is marked done by `from[k] = k`.
    let mut from: Vec<usize> = order.into_iter().map(|(_, _, i)| i).collect();
    for start in 0..from.len() {
        let mut k = start;
        loop {
            let src = from[k];
            from[k] = k;
            if src == start || src == k {
                break;
            }
            findings.swap(k, src);
            k = src;
        }
    }
}

/// The worst severity among findings not accepted, if any.
pub fn worst_severity(findings: &[Finding]) -> Option<Severity> {
    findings
        .iter()
        .filter(|f| !f.is_ignored())
        .map(|f| f.severity)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed document taken apart from an owned value is the one copied from a
    /// borrowed value, and so are the errors (the messages are the invalid-element text).
    #[test]
    fn owned_and_borrowed_values_give_the_same_typed_document() {
        let texts = [
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["x",1,true,2.5]},"Bool":{"aws:SecureTransport":false}}}]}"#,
            r#"{"Version":"2012-10-17","Id":"i","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["*"],"Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"ec2.amazonaws.com"}}}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#,
            // Errors: unknown keys, wrong types, a bad effect, a missing statement.
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":"s3:GetObject"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":3}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"k":{"x":1}}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Nobody":"x"}}]}"#,
            r#"{"Version":"2012-10-17"}"#,
            r#"[1, 2]"#,
        ];
        for text in texts {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let borrowed = typed_document(Cow::Borrowed(&value)).map_err(|e| e.to_string());
            let owned = typed_document(Cow::Owned(value.clone())).map_err(|e| e.to_string());
            assert_eq!(owned, borrowed, "{text}");
        }
    }

    /// The key sort with one move per finding orders as the stable sort of the findings.
    #[test]
    fn sorting_findings_is_the_stable_sort_by_position() {
        let mut findings: Vec<Finding> = (0..500usize)
            .map(|i| {
                let mut f = Finding::new("resource-wildcard", format!("{i}"), "/Statement");
                // Scrambled lines and columns with many ties, some without a position.
                f.location.line = (i % 7 != 3).then_some(i * 7919 % 37);
                f.location.column = (i % 11 != 5).then_some(i * 104_729 % 5);
                f
            })
            .collect();
        let mut want = findings.clone();
        want.sort_by_key(|f| (f.location.line.unwrap_or(0), f.location.column.unwrap_or(0)));
        sort_findings(&mut findings);
        assert_eq!(findings, want);
        // Already in order: left as it is.
        sort_findings(&mut findings);
        assert_eq!(findings, want);
    }
}
