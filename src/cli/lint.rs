//! `rolesmith lint FILE...`: check policy documents and role files (guide §5, §7).
//!
//! Files are read (while the catalog loads), linted in parallel by [`crate::lint::input`]
//! (which recognises what each one is through [`crate::role::import`]), and the report is
//! written by [`crate::lint::report`] on stdout in every format; problems with the run
//! itself (an unreadable file) go to stderr. The exit code says whether any finding
//! reached `--fail-on`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::terminal;
use crate::lint::explain;
use crate::lint::input::{Input, Want, lint_input_in, lint_role_file, looks_like_json};
use crate::lint::report::{json_report, make_printable, sarif_report, text_line, text_report};
use crate::lint::{CatalogView, Finding, LintContext, LintOptions, PolicyKind, Severity};
use crate::policy::json::JsonError;
use crate::role::{IgnoreEntry, RoleSpec};

pub use crate::lint::report::FileReport;

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
    /// Tell from the shape: a role (role file, AWS::IAM::Role properties, `aws iam get-role`
    /// output, CloudFormation template) or a policy whose kind its statements show.
    Auto,
    /// A permission policy (Action + Resource).
    Identity,
    /// A role's trust policy (Principal, assume actions, no Resource).
    Trust,
    /// A resource-based policy (bucket, queue, key, endpoint...: Principal and Resource).
    Resource,
    /// A service or resource control policy of AWS Organizations.
    Scp,
    /// A role file, AWS::IAM::Role properties, get-role output or a CloudFormation template.
    Role,
}

impl KindArg {
    fn want(self) -> Want {
        match self {
            KindArg::Auto => Want::Auto,
            KindArg::Identity => Want::Policy(PolicyKind::Identity),
            KindArg::Trust => Want::Policy(PolicyKind::Trust),
            KindArg::Resource => Want::Policy(PolicyKind::Resource),
            KindArg::Scp => Want::Policy(PolicyKind::Scp),
            KindArg::Role => Want::Role,
        }
    }
}

/// Check IAM policy documents or role files.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Policy documents (JSON), role files (TOML/JSON), `aws iam` output or CloudFormation
    /// templates; `-` reads standard input.
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
        let inputs = read_ahead_all(&args.files);
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
    // Every report is the command's result: stdout, whatever its format (so `lint > out`
    // and pipes get it); errors about the run itself go to stderr below.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::Other(format!("cannot write the report: {e}")));
        }
        _ => {}
    }
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
    lint_read_files(files, read_ahead_all(files), kind, catalog, options)
}

/// A file read before linting (so reading can overlap the catalog's loading), with its
/// JSON already parsed when it is JSON.
pub struct ReadAhead {
    read: Result<(String, String)>,
    parsed: Option<std::result::Result<Value, JsonError>>,
}

/// Reads one file (or standard input for `-`) ahead of linting it.
pub fn read_ahead(path: &Path) -> ReadAhead {
    let read = read_input(path);
    let parsed = match &read {
        Ok((_, text)) if looks_like_json(text) => Some(crate::policy::json::parse_value(text)),
        _ => None,
    };
    ReadAhead { read, parsed }
}

fn read_ahead_all(files: &[PathBuf]) -> Vec<ReadAhead> {
    files.iter().map(|f| read_ahead(f)).collect()
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
    lint_read_in(cx, path, read_ahead(path), kind, options)
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
    let stdin = path.as_os_str() == "-";
    let stem = path.file_stem().and_then(|s| s.to_str()).filter(|_| !stdin);
    let base = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .filter(|_| !stdin);
    lint_input_in(
        cx,
        Input {
            origin: &origin,
            text: &text,
            parsed: input.parsed,
            stem,
            base,
        },
        kind.want(),
        options,
    )
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
    crate::lint::input::check_ignore_codes(origin, text, spec)?;
    let catalog = LoadedCatalog::load()?;
    let cx = LintContext::new(catalog.get());
    let findings = lint_role_file(&cx, origin, text, spec, &LintOptions::default());
    Ok(report_to_stderr(origin, &findings, fail_on))
}
