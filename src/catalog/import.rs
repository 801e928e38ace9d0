//! `catalog import`: AWS service reference files (one file, a folder, or AWS's index file) into
//! the user catalog.
//!
//! Everything is read and checked before anything is written, and the user catalog is replaced
//! with one atomic write: a broken input leaves the catalog in use as it was.

use std::path::{Path, PathBuf};

use super::model::Service;
use super::reference::{self, Parsed};
use super::store::Catalog;
use super::wire;
use crate::error::{Error, Result};

/// The biggest service file we download (AWS's largest, ec2, is about 1 MB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Services AWS has retired and no longer lists in its index. They are imported when given,
/// but flagged, so nobody builds a new role on them unknowingly.
pub const RETIRED_SERVICES: [&str; 10] = [
    "application-cost-profiler",
    "awsbillingconsole-deprecated",
    "deepcomposer",
    "deeplens",
    "deepracer",
    "diode",
    "diode-messaging",
    "iot1click",
    "sagemaker-groundtruth-synthetic",
    "supportrecommendations",
];

/// What an import read.
#[derive(Debug, Default)]
pub struct ImportSet {
    /// Services read, in the order found.
    pub services: Vec<Service>,
    /// Services left out, each `prefix: reason`.
    pub skipped: Vec<String>,
    /// Imported services that AWS has retired.
    pub retired: Vec<String>,
    /// Files read.
    pub files: usize,
    /// How old AWS's data is, when known (`catalog import --data-date`, or the newest
    /// modification time of the files read).
    pub data_date: Option<String>,
}

impl ImportSet {
    /// Adds the result of parsing one file or download.
    pub fn add(&mut self, parsed: Parsed) {
        self.files += 1;
        match parsed {
            Parsed::Service(s) => {
                let s = *s;
                if RETIRED_SERVICES.contains(&s.prefix.as_str()) {
                    self.retired.push(s.prefix.clone());
                }
                if let Some(i) = self.services.iter().position(|o| o.prefix == s.prefix) {
                    self.services[i] = s;
                } else {
                    self.services.push(s);
                }
            }
            Parsed::OldLayout(prefix) => self
                .skipped
                .push(format!("{prefix}: older layout without access levels")),
        }
    }

    /// Adds the services (and skip notes) of a previous user catalog that this import does not
    /// replace, so importing one file adds to the catalog instead of shrinking it. Returns how
    /// many services were kept.
    pub fn keep_previous(&mut self, previous: &Catalog) -> usize {
        let mut kept = 0;
        for s in previous.services() {
            if !self.services.iter().any(|o| o.prefix == s.prefix) {
                if RETIRED_SERVICES.contains(&s.prefix.as_str()) {
                    self.retired.push(s.prefix.clone());
                }
                self.services.push(s.clone());
                kept += 1;
            }
        }
        let prefix_of = |line: &str| line.split(':').next().unwrap_or_default().to_string();
        for line in previous.skipped() {
            let p = prefix_of(line);
            let replaced = self.services.iter().any(|o| o.prefix == p);
            let known = self.skipped.iter().any(|l| prefix_of(l) == p);
            if !replaced && !known {
                self.skipped.push(line.clone());
            }
        }
        kept
    }

    /// Keeps only the services in `only` (for generating the embedded asset).
    pub fn retain_only(&mut self, only: &[String]) {
        self.services
            .retain(|s| only.iter().any(|o| o.eq_ignore_ascii_case(&s.prefix)));
        self.retired
            .retain(|p| only.iter().any(|o| o.eq_ignore_ascii_case(p)));
        self.skipped.retain(|line| {
            only.iter().any(|o| {
                line.split(':')
                    .next()
                    .is_some_and(|p| o.eq_ignore_ascii_case(p))
            })
        });
    }

    /// The stored form of these services.
    pub fn encode(&self, kind: &str, date: &str) -> Vec<u8> {
        let mut services: Vec<&Service> = self.services.iter().collect();
        services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        wire::encode(
            kind,
            date,
            self.data_date.as_deref(),
            &self.skipped,
            services,
        )
    }
}

/// Adds one parsed file to `set`, refusing a second file for a service already read.
fn add_file(
    set: &mut ImportSet,
    seen: &mut Vec<(String, String)>,
    origin: &str,
    parsed: Parsed,
) -> Result<()> {
    let prefix = match &parsed {
        Parsed::Service(s) => s.prefix.clone(),
        Parsed::OldLayout(p) => p.clone(),
    };
    if let Some((_, first)) = seen.iter().find(|(p, _)| *p == prefix) {
        return Err(Error::Invalid {
            origin: origin.to_string(),
            message: format!(
                "describes service {prefix} again (already read from {first}); keep one file per service"
            ),
        });
    }
    seen.push((prefix, origin.to_string()));
    set.add(parsed);
    Ok(())
}

/// Reads one service file, a folder of them, or AWS's index file (its entries resolved beside it).
pub fn read_path(path: &Path) -> Result<ImportSet> {
    let mut seen = Vec::new();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "cannot read", e))?;
    let mut set = ImportSet::default();
    if meta.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, "cannot list", e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                    && p.is_file()
            })
            .collect();
        files.sort();
        for file in &files {
            if confined(path, file).is_none() {
                return Err(Error::Invalid {
                    origin: file.display().to_string(),
                    message: "a link to a file outside the import folder; refusing to read it"
                        .into(),
                });
            }
        }
        for file in files {
            let text = read_capped(&file)?;
            // AWS's index beside its files: the files are read anyway.
            if reference::looks_like_index(&text) {
                continue;
            }
            let origin = file.display().to_string();
            add_file(
                &mut set,
                &mut seen,
                &origin,
                reference::parse_service(&origin, &text)?,
            )?;
        }
    } else {
        let text = read_capped(path)?;
        let origin = path.display().to_string();
        if reference::looks_like_index(&text) {
            let dir = path.parent().unwrap_or(Path::new("."));
            for entry in reference::parse_index(&origin, &text)? {
                let file = resolve_beside(dir, &entry)?;
                let text = read_capped(&file)?;
                let origin = file.display().to_string();
                add_file(
                    &mut set,
                    &mut seen,
                    &origin,
                    reference::parse_service(&origin, &text)?,
                )?;
            }
        } else {
            add_file(
                &mut set,
                &mut seen,
                &origin,
                reference::parse_service(&origin, &text)?,
            )?;
        }
    }
    if set.services.is_empty() {
        return Err(Error::Invalid {
            origin: path.display().to_string(),
            message: "no AWS service reference file found here".into(),
        });
    }
    Ok(set)
}

/// Finds the file of an index entry beside the index: the url's path
/// (`/v1/s3/s3.json` or `s3.json`), else `<service>.json`. Only files inside `dir` count: an
/// index naming `/etc/passwd` or `../../x` (directly or through a symlink) is refused.
fn resolve_beside(dir: &Path, entry: &reference::IndexEntry) -> Result<PathBuf> {
    let url_path = url_path(&entry.url);
    let candidates = [
        dir.join(url_path.trim_start_matches('/')),
        dir.join(url_path.rsplit('/').next().unwrap_or_default()),
        dir.join(format!("{}.json", entry.service)),
    ];
    let mut outside = None;
    for c in &candidates {
        if !c.is_file() {
            continue;
        }
        match confined(dir, c) {
            Some(real) => return Ok(real),
            None => outside = Some(c),
        }
    }
    let message = match outside {
        Some(c) => format!(
            "the index lists {} ({}), whose file {} is outside the import folder; refusing to read it",
            entry.service,
            entry.url,
            c.display()
        ),
        None => format!(
            "the index lists {} ({}), but its file is not beside the index",
            entry.service, entry.url
        ),
    };
    Err(Error::Invalid {
        origin: dir.display().to_string(),
        message,
    })
}

/// `path` with links resolved, when it lies inside `dir` (also resolved); else `None`.
fn confined(dir: &Path, path: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let real = std::fs::canonicalize(path).ok()?;
    real.starts_with(&dir).then_some(real)
}

/// The path part of a URL (`https://host/v1/s3/s3.json` → `/v1/s3/s3.json`); other text unchanged.
pub fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

/// Reads a service reference (or index) file as UTF-8 text, with the size cap of one.
pub fn read_capped(path: &Path) -> Result<String> {
    crate::io::read_text(path, crate::io::InputKind::ServiceReference)
}

/// Writes `set` as the user catalog at `dest`: staged beside it, read back and checked (it
/// decodes and holds every service of `set`), then renamed into place. Any failure leaves the
/// catalog at `dest` as it was.
pub fn write_user_catalog(set: &ImportSet, kind: &str, dest: &Path) -> Result<Catalog> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create", e))?;
    }
    let staged = crate::io::write::stage_file(dest, &set.encode(kind, &today()))?;
    let broken = |message: String| Error::Invalid {
        origin: dest.display().to_string(),
        message: format!("{message}; the catalog in use was left as it was"),
    };
    let back = Catalog::read_user_file(staged.path())
        .map_err(|e| broken(format!("the new catalog does not read back ({e})")))?;
    if back.services().len() != set.services.len() {
        return Err(broken(format!(
            "the new catalog reads back with {} services instead of {}",
            back.services().len(),
            set.services.len()
        )));
    }
    staged.commit()?;
    Catalog::load_with(Some(dest))
}

/// The user catalog's path, or an error saying why there is none.
pub fn user_catalog_dest() -> Result<PathBuf> {
    Catalog::user_catalog_path().ok_or_else(|| {
        Error::Other("cannot tell where to keep the catalog: set XDG_DATA_HOME or HOME".into())
    })
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    date_of(std::time::SystemTime::now())
}

/// A point in time's date (UTC) as YYYY-MM-DD.
pub fn date_of(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_687), (2026, 8, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn byte_order_mark_is_accepted_and_binary_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bom = dir.path().join("bom.json");
        let text = r#"{"Name":"demo","Actions":[{"Name":"Do","Annotations":{"Properties":{}}}]}"#;
        std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
        let set = read_path(&bom).unwrap();
        assert_eq!(set.services[0].prefix, "demo");
        let binary = dir.path().join("bin.json");
        std::fs::write(&binary, [0x7b, 0xff, 0x00, 0x7b]).unwrap();
        let e = read_path(&binary).unwrap_err().to_string();
        assert!(e.contains("bin.json:1:2") && e.contains("not UTF-8"), "{e}");
    }

    #[test]
    fn url_paths() {
        assert_eq!(
            url_path("https://h.example/v1/s3/s3.json"),
            "/v1/s3/s3.json"
        );
        assert_eq!(url_path("v1/s3/s3.json"), "v1/s3/s3.json");
        assert_eq!(url_path("http://h"), "/");
    }
}
