//! `rolesmith lint FILE...`: check policy documents and role files (guide §5, §7).
//!
//! Files are read (while the catalog loads), linted in parallel by [`crate::lint::input`]
//! (which recognises what each one is through [`crate::role::import`]), and the report is
//! written by [`crate::lint::report`] on stdout in every format; problems with the run
//! itself (an unreadable file) go to stderr. The exit code says whether any finding
//! reached `--fail-on`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, mpsc};

use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::lint::explain;
use crate::lint::input::{Input, Want, lint_input_in, lint_role_file, looks_like_json};
use crate::lint::report::{Format, ReportWriter, make_printable, text_line};
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
    let options = LintOptions {
        assumed_by: args.assumed_by.clone(),
        ignore,
        own_account: None,
    };
    let format = match args.format {
        LintFormat::Text => Format::Text,
        LintFormat::Json => Format::Json,
        LintFormat::Sarif => Format::Sarif,
    };
    // Every report is the command's result: stdout, whatever its format (so `lint > out`
    // and pipes get it); errors about the run itself go to stderr below. Each file's part
    // is written as soon as it and the files before it are done.
    let stdout = std::io::stdout().lock();
    let mut writer = ReportWriter::new(format, std::io::BufWriter::new(stdout), true);
    let mut write_error: Option<std::io::Error> = None;
    let mut errors: Vec<(String, Error)> = Vec::new();
    let mut last_syntax_error: Option<String> = None;
    let mut failed = false;
    let loaded: OnceLock<LoadedCatalog> = OnceLock::new();
    let mut load_error = None;
    lint_in_order(
        &args.files,
        args.kind,
        &options,
        Caches::LeftToExit,
        || match LoadedCatalog::load() {
            Ok(c) => Some(loaded.get_or_init(|| c).get() as &dyn CatalogSync),
            Err(e) => {
                load_error = Some(e);
                None
            }
        },
        |mut r| {
            failed |= r
                .findings
                .iter()
                .any(|f| !f.is_ignored() && args.fail_on.fails(f.severity));
            if r.findings
                .iter()
                .any(|f| f.code == "json-syntax" && f.ignored.is_none())
            {
                last_syntax_error = Some(r.path.clone());
            }
            if let Some(e) = r.error.take() {
                errors.push((r.path.clone(), e));
            }
            if format == Format::Text {
                make_printable(&mut r.path, &mut r.findings);
            }
            if write_error.is_none()
                && let Err(e) = writer.file(&r)
            {
                write_error = Some(e);
            }
        },
    );
    if let Some(e) = load_error {
        return Err(e);
    }
    // The process ends after this command: freeing an imported catalog's tens of thousands
    // of strings one by one would only cost time (several ms with the full catalog).
    std::mem::forget(loaded);
    let written = match write_error {
        Some(e) => Err(e),
        None => writer.finish(),
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::Other(format!("cannot write the report: {e}")));
        }
        _ => {}
    }
    let mut failed_input = None;
    for (path, e) in &errors {
        super::report_error(e);
        failed_input = Some(path.clone());
    }
    // A file that is not JSON at all is unparsable input (exit 2), even though the report
    // also lists it as a `json-syntax` finding with its line and column.
    if failed_input.is_none() {
        failed_input = last_syntax_error;
    }
    if let Some(path) = failed_input {
        return Err(Error::Other(format!(
            "could not lint every file (last failure: {path})"
        )));
    }
    Ok(if failed {
        Outcome::FindingsFailed
    } else {
        Outcome::Clean
    })
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
    let mut reports = Vec::with_capacity(files.len());
    lint_in_order(
        files,
        kind,
        options,
        Caches::Freed,
        || Some(catalog),
        |r| reports.push(r),
    );
    reports
}

/// What becomes of the workers' lint caches (resolved actions, prepared services) when
/// the files are done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caches {
    /// Dropped, as usual.
    Freed,
    /// Left for the process's exit to reclaim: `lint` ends right after, and freeing tens of
    /// thousands of cached strings one by one cost ~2% of a run over AWS's managed policies.
    LeftToExit,
}

impl Caches {
    fn finish<T>(self, caches: T) {
        match self {
            Caches::Freed => drop(caches),
            Caches::LeftToExit => std::mem::forget(caches),
        }
    }
}

/// How many files the workers may run ahead of the oldest report not yet handed on: the
/// reports waiting for their turn are all a run holds, whatever the number of files.
const AHEAD: usize = 64;

/// Lints `files` on one worker per core and hands each report to `each` in the files'
/// order, as soon as it and the ones before it are done.
///
/// Workers take the next file from a shared counter (not fixed halves, so a slow file
/// does not leave a core idle) and read and parse it themselves; the catalog comes from
/// `catalog`, called on this thread while the workers read their first files. When it
/// gives none, nothing is linted.
pub fn lint_in_order<'c>(
    files: &[PathBuf],
    kind: KindArg,
    options: &LintOptions,
    caches: Caches,
    catalog: impl FnOnce() -> Option<&'c dyn CatalogSync>,
    mut each: impl FnMut(FileReport),
) {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if workers <= 1 {
        let Some(catalog) = catalog() else { return };
        let mut cx = LintContext::new(catalog.view());
        for f in files {
            let input = read_guarded(f);
            each(lint_guarded(&mut cx, catalog, f, input, kind, options));
        }
        caches.finish(cx);
        return;
    }
    let next = AtomicUsize::new(0);
    // How many reports were handed on, for the workers' look-ahead limit.
    let handed = (Mutex::new(Handed::default()), Condvar::new());
    let shared: OnceLock<Option<&'c dyn CatalogSync>> = OnceLock::new();
    let (tx, rx) = mpsc::channel::<Vec<(usize, FileReport)>>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, handed, shared) = (&next, &handed, &shared);
            scope.spawn(move || {
                let mut cx = None;
                // Reports not yet sent: sending each one woke the receiving thread once per
                // file (a system call on each side); a batch is sent when full, before this
                // worker waits for its turn (the reports it holds may be the ones waited
                // for) and when the files run out.
                let mut batch = Vec::with_capacity(BATCH);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    {
                        let (count, turn) = handed;
                        let mut count = count.lock().unwrap_or_else(|p| p.into_inner());
                        if i >= count.reports + AHEAD && !batch.is_empty() {
                            drop(count);
                            if tx.send(std::mem::take(&mut batch)).is_err() {
                                break;
                            }
                            count = handed.0.lock().unwrap_or_else(|p| p.into_inner());
                        }
                        while i >= count.reports + AHEAD {
                            count.waiting += 1;
                            count = turn.wait(count).unwrap_or_else(|p| p.into_inner());
                            count.waiting -= 1;
                        }
                    }
                    let input = read_guarded(path);
                    let Some(catalog) = *shared.wait() else { break };
                    let cx = cx.get_or_insert_with(|| LintContext::new(catalog.view()));
                    batch.push((i, lint_guarded(cx, catalog, path, input, kind, options)));
                    if batch.len() >= BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
                        break;
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                if let Some(cx) = cx {
                    caches.finish(cx);
                }
            });
        }
        drop(tx);
        let loaded = catalog();
        let _ = shared.set(loaded);
        if loaded.is_none() {
            return;
        }
        let mut waiting = std::collections::BTreeMap::new();
        let mut turn = 0;
        for batch in rx {
            waiting.extend(batch);
            let before = turn;
            while let Some(report) = waiting.remove(&turn) {
                each(report);
                turn += 1;
            }
            if turn == before {
                continue;
            }
            let (count, wake) = &handed;
            let mut count = count.lock().unwrap_or_else(|p| p.into_inner());
            count.reports = turn;
            // Waking costs a system call: only when a worker waits for its turn.
            if count.waiting > 0 {
                wake.notify_all();
            }
        }
    });
}

/// How many reports a worker sends at once (see `lint_in_order`).
const BATCH: usize = 16;

/// The look-ahead limit's state, shared by the workers and the thread handing reports on.
#[derive(Default)]
struct Handed {
    /// Reports handed on so far.
    reports: usize,
    /// Workers waiting until `reports` grows.
    waiting: usize,
}

/// [`read_ahead`], `None` if it panicked (see [`lint_guarded`]).
fn read_guarded(path: &Path) -> Option<ReadAhead> {
    std::panic::catch_unwind(|| read_ahead(path)).ok()
}

/// Lints one file; a panic in a check becomes the file's error instead of ending the run
/// (a missing report would stall the files after it), and the worker's caches, maybe half
/// updated, are started afresh.
fn lint_guarded<'c>(
    cx: &mut LintContext<'c>,
    catalog: &'c dyn CatalogSync,
    path: &Path,
    input: Option<ReadAhead>,
    kind: KindArg,
    options: &LintOptions,
) -> FileReport {
    let run = input.and_then(|input| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lint_read_in(cx, path, input, kind, options)
        }))
        .ok()
    });
    run.unwrap_or_else(|| {
        *cx = LintContext::new(catalog.view());
        FileReport {
            path: path.display().to_string(),
            kind: "identity",
            findings: Vec::new(),
            error: Some(Error::Other("a lint worker failed".into())),
        }
    })
}

/// A file read before linting (so reading can overlap the catalog's loading), with its
/// JSON already parsed when it is JSON.
struct ReadAhead {
    read: Result<(String, String)>,
    parsed: Option<std::result::Result<Value, JsonError>>,
}

/// Reads one file (or standard input for `-`) ahead of linting it.
fn read_ahead(path: &Path) -> ReadAhead {
    let read = read_input(path);
    let parsed = match &read {
        Ok((_, text)) if looks_like_json(text) => Some(crate::policy::json::parse_value(text)),
        _ => None,
    };
    ReadAhead { read, parsed }
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
