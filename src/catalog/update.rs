//! `catalog update`: download AWS's service reference (the index, then every service file)
//! into the user catalog.
//!
//! Every file is downloaded and parsed first, then the new catalog is staged (written beside
//! the user catalog under a temporary name), read back and validated, and only then swapped in
//! with one rename. Validation: the index lists services, every listed service was served and
//! parsed (a few that answer 404 are tolerated and named, [`max_not_found`]), and the result
//! is not much smaller than the user catalog it replaces ([`check_not_shrunk`]). Redirects are
//! followed only on the same host. On any failure the catalog in use stays as it was, the
//! error says what failed, and the command exits non-zero.

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
    /// Accept a download with far fewer services or actions than the catalog it replaces.
    pub allow_shrink: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: None,
            max_file_bytes: import::MAX_FILE_BYTES,
            workers: 4,
            allow_shrink: false,
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
    if dest.exists() && !options.allow_shrink {
        // A user catalog that cannot be read is replaced (there is nothing to keep safe).
        if let Ok(current) = Catalog::read_user_file(dest) {
            check_not_shrunk(&set, &current)?;
        }
    }
    let catalog = import::write_user_catalog(&set, "updated", dest)?;
    Ok((set, catalog))
}

/// How many listed services may answer 404 before the download counts as broken: AWS has
/// listed a service it no longer served, but an index whose files mostly 404 is a wrong URL
/// or a broken mirror, not a catalog.
pub fn max_not_found(listed: usize) -> usize {
    (listed / 50).max(1)
}

/// Refuses a download with less than half the services or actions of the catalog in use
/// (a broken mirror, a partial index): replacing the catalog would silently lose most of it.
pub fn check_not_shrunk(new: &ImportSet, current: &Catalog) -> Result<()> {
    let new_services = new.services.len();
    let new_actions: usize = new.services.iter().map(|s| s.actions.len()).sum();
    let old_services = current.services().len();
    let old_actions = current.action_count();
    if new_services * 2 < old_services || new_actions * 2 < old_actions {
        return Err(Error::Other(format!(
            "the download has {new_services} services ({new_actions} actions), the catalog in use {old_services} ({old_actions}); \
             refusing to replace it with one less than half its size (pass --allow-shrink to accept); the catalog in use was left as it was"
        )));
    }
    Ok(())
}

/// Downloads the index and every service file, without writing anything.
pub fn download(options: &Options) -> Result<ImportSet> {
    let timeout = options.effective_timeout();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_per_call(Some(timeout * 8))
        .user_agent(concat!("rolesmith/", env!("CARGO_PKG_VERSION")))
        // Redirects are followed by hand, on the same host only (see `fetch`).
        .max_redirects(0)
        .build()
        .into();
    let home = origin_of(&options.base_url).ok_or_else(|| {
        Error::Usage(format!(
            "--url {:?} is not an http(s) URL",
            options.base_url
        ))
    })?;
    let index_url = options.base_url.clone();
    let index_text = match fetch(&agent, &home, &index_url, options.max_file_bytes, timeout) {
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
                    let r = fetch(&agent, &home, &url, options.max_file_bytes, timeout);
                    if matches!(r, Err(Fetch::Failed(_))) {
                        failed.store(true, Ordering::Relaxed);
                    }
                    // The index was checked: names are service prefixes, nothing a terminal acts on.
                    progress.set_message(
                        crate::io::sanitize_for_display(&entries[i].service).into_owned(),
                    );
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
    let not_found = results
        .iter()
        .filter(|r| matches!(r, Some(Err(Fetch::NotFound))))
        .count();
    if not_found > max_not_found(entries.len()) {
        return Err(Error::Other(format!(
            "{index_url}: {not_found} of the {} services the index lists answered 404 (not found); \
             this is not a complete service reference (check --url); the catalog in use was left as it was",
            entries.len()
        )));
    }
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
    if set.services.is_empty() {
        return Err(Error::Invalid {
            origin: index_url,
            message: "no service file could be read; the catalog in use was left as it was".into(),
        });
    }
    Ok(set)
}

enum Fetch {
    NotFound,
    Failed(Error),
}

/// The scheme and host (with port) of an http(s) URL, lowercased: what "same host" compares.
fn origin_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    (!host.is_empty()).then_some((scheme, host))
}

/// Where a `Location` header sends a request for `from`.
fn redirect_target(from: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let Some((scheme, host)) = origin_of(from) else {
        return location.to_string();
    };
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{host}{location}");
    }
    let path = import::url_path(from);
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    format!("{scheme}://{host}{dir}{location}")
}

/// How many same-host redirects one file may take.
const MAX_REDIRECTS: usize = 5;

fn fetch(
    agent: &ureq::Agent,
    home: &(String, String),
    url: &str,
    cap: u64,
    timeout: Duration,
) -> std::result::Result<String, Fetch> {
    let fail = |e: ureq::Error| Fetch::Failed(describe(url, &e, cap, timeout));
    let refuse = |message: String| {
        Fetch::Failed(Error::Other(format!(
            "{url}: {message}; the catalog in use was left as it was"
        )))
    };
    let mut current = url.to_string();
    let mut response = None;
    for _ in 0..=MAX_REDIRECTS {
        let r = match agent.get(&current).call() {
            Ok(r) => r,
            Err(ureq::Error::StatusCode(404)) => return Err(Fetch::NotFound),
            Err(e) => return Err(fail(e)),
        };
        if !r.status().is_redirection() {
            response = Some(r);
            break;
        }
        let Some(location) = r.headers().get("location").and_then(|v| v.to_str().ok()) else {
            return Err(refuse(format!(
                "the server answered HTTP {} without saying where to",
                r.status().as_u16()
            )));
        };
        let next = redirect_target(&current, location);
        if origin_of(&next).as_ref() != Some(home) {
            return Err(refuse(format!(
                "the server redirected to another host ({}); only redirects on {} are followed",
                crate::io::sanitize_for_display(&next),
                home.1
            )));
        }
        current = next;
    }
    let Some(mut response) = response else {
        return Err(refuse(format!("more than {MAX_REDIRECTS} redirects")));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_resolve_and_hosts_compare() {
        let from = "http://127.0.0.1:8080/v1/s3/s3.json";
        assert_eq!(
            redirect_target(from, "/v2/s3.json"),
            "http://127.0.0.1:8080/v2/s3.json"
        );
        assert_eq!(
            redirect_target(from, "s3-new.json"),
            "http://127.0.0.1:8080/v1/s3/s3-new.json"
        );
        assert_eq!(
            redirect_target(from, "//evil.example/x"),
            "http://evil.example/x"
        );
        assert_eq!(
            origin_of("HTTPS://Host.Example:443/a"),
            Some(("https".into(), "host.example:443".into()))
        );
        assert_eq!(origin_of("file:///etc/passwd"), None);
        assert_ne!(
            origin_of("http://127.0.0.1:1/"),
            origin_of("http://127.0.0.1:2/")
        );
    }

    #[test]
    fn a_few_404s_are_tolerated_not_many() {
        assert_eq!(max_not_found(3), 1);
        assert_eq!(max_not_found(464), 9);
    }
}
