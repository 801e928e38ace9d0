//! `catalog update`: download AWS's service reference (the index, then every service file)
//! into the user catalog.
//!
//! Every file is downloaded and checked first; only then is the user catalog replaced, in one
//! atomic write. So an interrupted, offline or failed update leaves the catalog in use as it was.
//! A service whose file answers 404 (AWS lists it but no longer serves it) is skipped and named
//! in the output; any other failure (timeout, garbage, a file over the size cap) stops the update.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::import::{self, ImportSet};
use super::reference;
use super::store::Catalog;
use crate::error::{Error, Result};

/// Where AWS serves its service reference: the index at the root, one file per service below.
pub const DEFAULT_BASE_URL: &str = "https://servicereference.us-east-1.amazonaws.com/";

/// Environment variable overriding the network timeout, in milliseconds (tests use it).
pub const TIMEOUT_ENV: &str = "ROLESMITH_HTTP_TIMEOUT_MS";

/// How to download.
#[derive(Clone, Debug)]
pub struct Options {
    /// Base URL; the index is fetched from it and service files are resolved against it.
    pub base_url: String,
    /// Connect timeout and the longest wait for any single read; `None`: [`TIMEOUT_ENV`] or 15 s.
    pub timeout: Option<Duration>,
    /// Biggest file accepted.
    pub max_file_bytes: u64,
    /// Parallel downloads.
    pub workers: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: None,
            max_file_bytes: import::MAX_FILE_BYTES,
            workers: 4,
        }
    }
}

impl Options {
    fn effective_timeout(&self) -> Duration {
        self.timeout
            .or_else(|| {
                std::env::var(TIMEOUT_ENV)
                    .ok()
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_millis)
            })
            .unwrap_or(Duration::from_secs(15))
    }

    /// `base` joined with the path part of `url` (AWS's index lists absolute URLs on its own host).
    fn resolve(&self, url: &str) -> String {
        let path = import::url_path(url);
        format!(
            "{}/{}",
            self.base_url.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

/// Downloads everything and replaces the user catalog at `dest`. Returns what was read and the
/// catalog now in use.
pub fn update(options: &Options, dest: &Path) -> Result<(ImportSet, Catalog)> {
    let set = download(options)?;
    let catalog = import::write_user_catalog(&set, "updated", dest)?;
    Ok((set, catalog))
}

/// Downloads the index and every service file, without writing anything.
pub fn download(options: &Options) -> Result<ImportSet> {
    let timeout = options.effective_timeout();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_per_call(Some(timeout * 8))
        .user_agent(concat!("rolesmith/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let index_url = options.base_url.clone();
    let index_text = match fetch(&agent, &index_url, options.max_file_bytes, timeout) {
        Ok(text) => text,
        Err(Fetch::NotFound) => {
            return Err(Error::Other(format!(
                "{index_url}: no service reference index there (HTTP 404); check --url"
            )));
        }
        Err(Fetch::Failed(e)) => return Err(e),
    };
    if !reference::looks_like_index(&index_text) {
        return Err(Error::Invalid {
            origin: index_url,
            message: "this is not AWS's service reference index (a JSON list of {service, url}); check --url".into(),
        });
    }
    let entries = reference::parse_index(&index_url, &index_text)?;
    if entries.is_empty() {
        return Err(Error::Invalid {
            origin: index_url,
            message: "the index lists no services".into(),
        });
    }

    let progress = indicatif::ProgressBar::new(entries.len() as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} downloading {pos}/{len} services {wide_bar} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<std::result::Result<String, Fetch>>>> =
        Mutex::new((0..entries.len()).map(|_| None).collect());
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..options.workers.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= entries.len() || failed.load(Ordering::Relaxed) {
                        break;
                    }
                    let url = options.resolve(&entries[i].url);
                    let r = fetch(&agent, &url, options.max_file_bytes, timeout);
                    if matches!(r, Err(Fetch::Failed(_))) {
                        failed.store(true, Ordering::Relaxed);
                    }
                    progress.set_message(entries[i].service.clone());
                    progress.inc(1);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    progress.finish_and_clear();

    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut set = ImportSet::default();
    for (entry, result) in entries.iter().zip(results) {
        let url = options.resolve(&entry.url);
        match result {
            Some(Ok(text)) => set.add(reference::parse_service(&url, &text)?),
            Some(Err(Fetch::NotFound)) => set
                .skipped
                .push(format!("{}: {url} answered 404 (not found)", entry.service)),
            Some(Err(Fetch::Failed(e))) => return Err(e),
            // Not fetched because another download failed first; that failure is reported.
            None => {}
        }
    }
    Ok(set)
}

enum Fetch {
    NotFound,
    Failed(Error),
}

fn fetch(
    agent: &ureq::Agent,
    url: &str,
    cap: u64,
    timeout: Duration,
) -> std::result::Result<String, Fetch> {
    let fail = |e: ureq::Error| Fetch::Failed(describe(url, &e, cap, timeout));
    let mut response = match agent.get(url).call() {
        Ok(r) => r,
        Err(ureq::Error::StatusCode(404)) => return Err(Fetch::NotFound),
        Err(e) => return Err(fail(e)),
    };
    let bytes = response
        .body_mut()
        .with_config()
        .limit(cap)
        .read_to_vec()
        .map_err(fail)?;
    String::from_utf8(bytes).map_err(|_| {
        Fetch::Failed(Error::Invalid {
            origin: url.to_string(),
            message: "the server sent something that is not UTF-8 text, so not JSON".into(),
        })
    })
}

/// Words a network failure for people, offline and timeouts in particular.
fn describe(url: &str, e: &ureq::Error, cap: u64, timeout: Duration) -> Error {
    let untouched = "the catalog in use was left as it was";
    let message = match e {
        ureq::Error::Timeout(_) => format!(
            "no answer within {:.1} s (timed out); {untouched}",
            timeout.as_secs_f64()
        ),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            format!("cannot connect ({e}); are you offline? {untouched}")
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::NetworkUnreachable
                    | std::io::ErrorKind::HostUnreachable
            ) =>
        {
            format!("cannot connect ({io}); are you offline? {untouched}")
        }
        ureq::Error::BodyExceedsLimit(_) => format!(
            "the file is over {} MB, more than a service reference file can be; {untouched}",
            cap / (1024 * 1024)
        ),
        ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}; {untouched}"),
        other => format!("download failed: {other}; {untouched}"),
    };
    Error::Other(format!("{url}: {message}"))
}
