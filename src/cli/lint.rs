//! `rolesmith lint FILE...`: check policy documents and role files (guide §5, §7).
//!
//! Each file is read, its kind detected (or forced with `--kind`), and linted; files are
//! linted in parallel. A text report goes to stderr, JSON and SARIF reports to stdout; the exit code says
//! whether any finding reached `--fail-on`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::terminal;
use crate::lint::explain::{self, CODES};
use crate::lint::locate::locate_in_role_text;
use crate::lint::role::lint_role_in;
use crate::lint::{
    CatalogView, DetectedKind, Finding, LintContext, LintOptions, PolicyKind, Severity,
    detect_json_kind, lint_policy_parsed_in,
};
use crate::role::{IgnoreEntry, RoleSpec, TrustDocument, load_role_file, parse_role_text};

use super::Outcome;

/// Output formats of `lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// One finding a line, then a summary.
    Text,
    /// The guide's JSON report.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// The lowest severity that fails a run (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Suggestion,
    /// Never fail on findings.
    Never,
}

impl FailOn {
    /// Does a finding of `severity` fail the run?
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Suggestion => true,
            FailOn::Never => false,
        }
    }
}

/// What the files are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Detect: role file when TOML or shaped like AWS::IAM::Role properties, trust policy
    /// when a statement has a Principal, else identity policy.
    Auto,
    /// A permission policy (Action + Resource).
    Identity,
    /// A role's trust policy (Principal, no Resource).
    Trust,
    /// A role file (TOML or JSON) or AWS::IAM::Role properties.
    Role,
}

/// Check IAM policy documents or role files.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Policy documents (JSON) or role files (TOML/JSON); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// How to print the report (on standard output).
    #[arg(long, value_enum, default_value = "text")]
    pub format: LintFormat,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "warning", value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// What the files are.
    #[arg(long, value_enum, default_value = "auto")]
    pub kind: KindArg,
    /// A principal that must be able to assume the role (e.g. lambda.amazonaws.com).
    #[arg(long, value_name = "PRINCIPAL")]
    pub assumed_by: Vec<String>,
    /// Accept findings of this code (`CODE` or `CODE=reason`); may be repeated.
    #[arg(long, value_name = "CODE")]
    pub ignore: Vec<String>,
}

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// `identity`, `trust` or `role`.
    pub kind: &'static str,
    pub findings: Vec<Finding>,
    /// The file could not be read or parsed (exit 2).
    pub error: Option<Error>,
}

/// Parses `--ignore` values, rejecting codes that do not exist.
pub fn parse_ignores(values: &[String]) -> Result<Vec<IgnoreEntry>> {
    values
        .iter()
        .map(|v| {
            let (code, reason) = match v.split_once('=') {
                Some((c, r)) => (c.trim(), Some(r.trim().to_string())),
                None => (v.trim(), None),
            };
            if explain::lookup(code).is_none() {
                return Err(Error::Usage(format!(
                    "--ignore {code}: no such finding code (see `rolesmith explain`)"
                )));
            }
            Ok(match reason {
                Some(reason) => IgnoreEntry::WithReason {
                    code: code.to_string(),
                    reason: Some(reason),
                },
                None => IgnoreEntry::Code(code.to_string()),
            })
        })
        .collect()
}

/// The catalog lint uses: the user catalog when one was imported, else the embedded one
/// (borrowed, so a plain run does not copy it).
pub enum LoadedCatalog {
    Embedded(&'static Catalog),
    Owned(Box<Catalog>),
}

impl LoadedCatalog {
    pub fn load() -> Result<LoadedCatalog> {
        match Catalog::user_catalog_path().filter(|p| p.exists()) {
            Some(_) => Ok(LoadedCatalog::Owned(Box::new(Catalog::load()?))),
            None => Ok(LoadedCatalog::Embedded(Catalog::embedded())),
        }
    }

    pub fn get(&self) -> &Catalog {
        match self {
            LoadedCatalog::Embedded(c) => c,
            LoadedCatalog::Owned(c) => c,
        }
    }
}

pub fn run(args: LintArgs) -> Result<Outcome> {
    let ignore = parse_ignores(&args.ignore)?;
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage(
            "`-` (standard input) may be given only once".into(),
        ));
    }
    // The files are read (and their JSON parsed) while the catalog loads on a second
    // thread: neither needs the other, and the catalog is most of the start-up time.
    let (catalog, inputs) = std::thread::scope(|scope| {
        let loading = scope.spawn(LoadedCatalog::load);
        let inputs = read_ahead_all(&args.files, args.kind);
        (loading.join(), inputs)
    });
    let catalog = catalog.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let options = LintOptions {
        assumed_by: args.assumed_by.clone(),
        ignore,
        own_account: None,
    };
    let mut reports = lint_read_files(&args.files, inputs, args.kind, catalog.get(), &options);
    // The process ends after this command: freeing an imported catalog's tens of thousands
    // of strings one by one would only cost time (several ms with the full catalog).
    std::mem::forget(catalog);
    let text = match args.format {
        LintFormat::Text => {
            for r in &mut reports {
                make_printable(&mut r.path, &mut r.findings);
            }
            text_report(&reports)
        }
        LintFormat::Json => terminal::json_for_terminal(&json_report(&reports)).into_owned(),
        LintFormat::Sarif => terminal::json_for_terminal(&sarif_report(&reports)).into_owned(),
    };
    // Guide §5: findings are messages (stderr); the JSON and SARIF reports are documents
    // meant for a pipe or a file (stdout).
    let written = match args.format {
        LintFormat::Text => {
            let mut stderr = std::io::stderr().lock();
            stderr
                .write_all(text.as_bytes())
                .and_then(|_| stderr.flush())
        }
        LintFormat::Json | LintFormat::Sarif => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
        }
    };
    written.map_err(|e| Error::Other(format!("cannot write the report: {e}")))?;
    let mut failed_input = None;
    for r in &reports {
        if let Some(e) = &r.error {
            super::report_error(e);
            failed_input = Some(r.path.clone());
        }
    }
    // A file that is not JSON at all is unparsable input (exit 2), even though the report
    // also lists it as a `json-syntax` finding with its line and column.
    if failed_input.is_none() {
        failed_input = reports
            .iter()
            .rev()
            .find(|r| {
                r.findings
                    .iter()
                    .any(|f| f.code == "json-syntax" && f.ignored.is_none())
            })
            .map(|r| r.path.clone());
    }
    if let Some(path) = failed_input {
        return Err(Error::Other(format!(
            "could not lint every file (last failure: {path})"
        )));
    }
    Ok(outcome(
        reports.iter().flat_map(|r| &r.findings),
        args.fail_on,
    ))
}

/// Exit 1 when a finding that is not ignored reaches `fail_on`.
pub fn outcome<'a>(findings: impl IntoIterator<Item = &'a Finding>, fail_on: FailOn) -> Outcome {
    let failed = findings
        .into_iter()
        .any(|f| !f.is_ignored() && fail_on.fails(f.severity));
    if failed {
        Outcome::FindingsFailed
    } else {
        Outcome::Clean
    }
}

/// Lints files in parallel (one worker per core), keeping the given order.
pub fn lint_files(
    files: &[PathBuf],
    kind: KindArg,
    catalog: &dyn CatalogSync,
    options: &LintOptions,
) -> Vec<FileReport> {
    lint_read_files(files, read_ahead_all(files, kind), kind, catalog, options)
}

/// A file read before linting (so reading can overlap the catalog's loading), with its
/// JSON already parsed when the kind of file has to be detected from it.
pub struct ReadAhead {
    read: Result<(String, String)>,
    parsed: Option<serde_json::Result<Value>>,
}

/// Reads one file (or standard input for `-`) ahead of linting it as `kind`.
pub fn read_ahead(path: &Path, kind: KindArg) -> ReadAhead {
    let read = read_input(path);
    let parsed = match (&read, kind) {
        (Ok((_, text)), KindArg::Auto) if looks_like_json(text) => {
            Some(serde_json::from_str::<Value>(text))
        }
        _ => None,
    };
    ReadAhead { read, parsed }
}

fn read_ahead_all(files: &[PathBuf], kind: KindArg) -> Vec<ReadAhead> {
    files.iter().map(|f| read_ahead(f, kind)).collect()
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{') || text.trim_start().starts_with('[')
}

/// [`lint_files`] for files already read (`inputs[i]` is `files[i]` read ahead).
pub fn lint_read_files(
    files: &[PathBuf],
    inputs: Vec<ReadAhead>,
    kind: KindArg,
    catalog: &dyn CatalogSync,
    options: &LintOptions,
) -> Vec<FileReport> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    if workers == 1 {
        let cx = LintContext::new(catalog.view());
        return files
            .iter()
            .zip(inputs)
            .map(|(f, input)| lint_read_in(&cx, f, input, kind, options))
            .collect();
    }
    let chunk = files.len().div_ceil(workers);
    let mut input_parts = Vec::with_capacity(workers);
    let mut rest = inputs;
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        input_parts.push(rest);
        rest = tail;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .zip(input_parts)
            .map(|(part, inputs)| {
                scope.spawn(move || {
                    // One context per worker: each service is prepared once per thread.
                    let cx = LintContext::new(catalog.view());
                    part.iter()
                        .zip(inputs)
                        .map(|(f, input)| lint_read_in(&cx, f, input, kind, options))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![FileReport {
                        path: String::new(),
                        kind: "identity",
                        findings: Vec::new(),
                        error: Some(Error::Other("a lint worker failed".into())),
                    }]
                })
            })
            .collect()
    })
}

/// A catalog that can be shared between lint workers.
pub trait CatalogSync: Sync {
    fn view(&self) -> &dyn CatalogView;
}

impl<T: CatalogView + Sync> CatalogSync for T {
    fn view(&self) -> &dyn CatalogView {
        self
    }
}

fn read_input(path: &Path) -> Result<(String, String)> {
    if path.as_os_str() == "-" {
        return Ok(("<stdin>".into(), crate::io::read_stdin_text()?));
    }
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    Ok((path.display().to_string(), text))
}

/// Lints one file (or standard input for `-`).
pub fn lint_file(
    path: &Path,
    kind: KindArg,
    catalog: &dyn CatalogView,
    options: &LintOptions,
) -> FileReport {
    lint_file_in(&LintContext::new(catalog), path, kind, options)
}

/// [`lint_file`] in an existing lint context.
pub fn lint_file_in(
    cx: &LintContext<'_>,
    path: &Path,
    kind: KindArg,
    options: &LintOptions,
) -> FileReport {
    lint_read_in(cx, path, read_ahead(path, kind), kind, options)
}

/// [`lint_file_in`] for a file already read.
fn lint_read_in(
    cx: &LintContext<'_>,
    path: &Path,
    input: ReadAhead,
    kind: KindArg,
    options: &LintOptions,
) -> FileReport {
    let (origin, text) = match input.read {
        Ok(x) => x,
        Err(e) => {
            return FileReport {
                path: path.display().to_string(),
                kind: "identity",
                findings: Vec::new(),
                error: Some(e),
            };
        }
    };
    let is_json = looks_like_json(&text);
    let mut parsed = None;
    let detected = match kind {
        KindArg::Identity => DetectedKind::Identity,
        KindArg::Trust => DetectedKind::Trust,
        KindArg::Role | KindArg::Auto if !is_json => DetectedKind::RoleFile,
        KindArg::Role => match serde_json::from_str::<Value>(&text).map(|v| detect_json_kind(&v)) {
            Ok(DetectedKind::CloudFormationRole) => DetectedKind::CloudFormationRole,
            _ => DetectedKind::RoleFile,
        },
        KindArg::Auto => {
            let value = input
                .parsed
                .unwrap_or_else(|| serde_json::from_str::<Value>(&text));
            let detected = value
                .as_ref()
                .map_or(DetectedKind::Identity, detect_json_kind);
            // Kept for the policy lint, which would otherwise parse the text again.
            parsed = Some(value);
            detected
        }
    };
    let mut report = FileReport {
        path: origin.clone(),
        kind: "role",
        findings: Vec::new(),
        error: None,
    };
    match detected {
        DetectedKind::Identity | DetectedKind::Trust => {
            let pk = if detected == DetectedKind::Trust {
                PolicyKind::Trust
            } else {
                PolicyKind::Identity
            };
            report.kind = pk.as_str();
            let parsed = parsed.unwrap_or_else(|| serde_json::from_str(&text));
            report.findings = lint_policy_parsed_in(cx, &origin, &text, parsed, pk, options);
        }
        DetectedKind::RoleFile => {
            let spec = if path.as_os_str() == "-" {
                parse_role_text(&origin, &text).and_then(|s| match &s.trust.document {
                    Some(TrustDocument::Path(p)) => Err(Error::Invalid {
                        origin: origin.clone(),
                        message: format!("the trust document {p:?} is a path, which cannot be resolved for standard input"),
                    }),
                    _ => Ok(s),
                })
            } else {
                load_role_file(path)
            };
            match spec {
                Ok(spec) => {
                    report.findings = lint_role_text(cx, &origin, &text, &spec, options, false)
                }
                Err(e) => report.error = Some(e),
            }
        }
        DetectedKind::CloudFormationRole => match role_from_cloudformation(&origin, &text) {
            Ok(spec) => report.findings = lint_role_text(cx, &origin, &text, &spec, options, true),
            Err(e) => report.error = Some(e),
        },
    }
    report
}

/// Lints a role and places its findings in the file's text.
fn lint_role_text(
    cx: &LintContext<'_>,
    origin: &str,
    text: &str,
    spec: &RoleSpec,
    options: &LintOptions,
    cloudformation_shape: bool,
) -> Vec<Finding> {
    let mut findings = lint_role_in(cx, spec, options);
    let source = if cloudformation_shape {
        crate::policy::SourceMap::build(text)
    } else {
        None
    };
    for f in &mut findings {
        f.location.file = Some(origin.to_string());
        let pos = match &source {
            Some(map) => map
                .nearest_pos(&f.location.pointer)
                .map(|p| (p.line, p.column)),
            None => locate_in_role_text(text, &f.location.pointer),
        };
        if let Some((line, column)) = pos {
            f.location.line = Some(line);
            f.location.column = Some(column);
        }
    }
    findings
}

/// A role from `AWS::IAM::Role` properties (what `render --format json` prints).
fn role_from_cloudformation(origin: &str, text: &str) -> Result<RoleSpec> {
    let invalid = |message: String| Error::Invalid {
        origin: origin.to_string(),
        message,
    };
    let value: Value = serde_json::from_str(text).map_err(|e| Error::Parse {
        origin: origin.to_string(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: crate::policy::source::json_error_message(&e),
    })?;
    let trust = value
        .get("AssumeRolePolicyDocument")
        .ok_or_else(|| invalid("the role has no AssumeRolePolicyDocument".into()))?;
    let trust = serde_json::from_value(trust.clone())
        .map_err(|e| invalid(format!("AssumeRolePolicyDocument: {e}")))?;
    let mut spec = RoleSpec {
        name: value
            .get("RoleName")
            .and_then(Value::as_str)
            .unwrap_or("role")
            .to_string(),
        ..Default::default()
    };
    spec.trust.document = Some(TrustDocument::Inline(Box::new(trust)));
    if let Some(props) = value.as_object() {
        let (boundary, tags) = crate::role::import::boundary_and_tags(props)
            .map_err(|(key, message)| invalid(format!("{key}: {message}")))?;
        spec.permissions_boundary = boundary;
        spec.tags = tags;
    }
    if let Some(arns) = value.get("ManagedPolicyArns").and_then(Value::as_array) {
        spec.managed_policies = arns
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(policies) = value.get("Policies").and_then(Value::as_array) {
        for (i, p) in policies.iter().enumerate() {
            let doc: crate::policy::PolicyDocument = p
                .get("PolicyDocument")
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| invalid(format!("Policies/{i}/PolicyDocument: {e}")))?
                .ok_or_else(|| invalid(format!("Policies/{i} has no PolicyDocument")))?;
            spec.policies.push(crate::role::InlinePolicySpec {
                name: p
                    .get("PolicyName")
                    .and_then(Value::as_str)
                    .unwrap_or("policy")
                    .to_string(),
                statements: doc
                    .statement
                    .into_vec()
                    .into_iter()
                    .map(|s| crate::role::StatementSpec::from_statement(s, Vec::new()))
                    .collect(),
                ..Default::default()
            });
        }
    }
    Ok(spec)
}

fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize, usize) {
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

/// Prints findings to stderr as text lines (`render` uses this) and says whether they fail.
pub fn report_to_stderr(path: &str, findings: &[Finding], fail_on: FailOn) -> Outcome {
    let mut printable = (path.to_string(), findings.to_vec());
    make_printable(&mut printable.0, &mut printable.1);
    let mut err = std::io::stderr().lock();
    for f in &printable.1 {
        let _ = writeln!(err, "{}", text_line(&printable.0, f));
    }
    outcome(findings, fail_on)
}

/// A file name and findings as a text report may print them: control characters made visible
/// (a CR or LF from a file name or a policy cannot forge a report line), and no line that
/// starts with a GitHub workflow command (`::error ...::`).
fn make_printable(path: &mut String, findings: &mut [Finding]) {
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

/// Lints a loaded role file and prints its findings on stderr (for `render`); the outcome
/// says whether one reached `fail_on`.
pub fn report_role_findings(path: &Path, spec: &RoleSpec, fail_on: FailOn) -> Result<Outcome> {
    let origin = path.display().to_string();
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    report_role_text_findings(&origin, &text, spec, fail_on)
}

/// [`report_role_findings`] for a role whose text is already read (`render -`).
pub fn report_role_text_findings(
    origin: &str,
    text: &str,
    spec: &RoleSpec,
    fail_on: FailOn,
) -> Result<Outcome> {
    let (origin, text) = (origin.to_string(), text.to_string());
    let catalog = LoadedCatalog::load()?;
    let cx = LintContext::new(catalog.get());
    let findings = lint_role_text(&cx, &origin, &text, spec, &LintOptions::default(), false);
    Ok(report_to_stderr(&origin, &findings, fail_on))
}
