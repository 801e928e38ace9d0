//! Autosave to `$XDG_STATE_HOME/rolesmith/autosave/`, and finding work to resume.
//!
//! An autosave exists exactly while there is work not saved to its role file: the editor
//! writes one (debounced, atomically) after changes and deletes it on a successful save.
//! So "an autosave exists at start-up" means "offer to resume".

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::write::{WriteOptions, write_atomic_with};
use crate::io::{InputKind, XdgDir, xdg_dir};
use crate::role::RoleSpec;

/// What one autosave file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Autosave {
    /// The role file this work belongs to, if it has one yet.
    pub role_file: Option<PathBuf>,
    /// Seconds since the Unix epoch when it was written.
    pub saved_at: u64,
    pub role: RoleSpec,
}

/// Names an autosave: one per role file, or one per untitled session.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AutosaveKey(String);

impl AutosaveKey {
    /// The key for work on `role_file` (its absolute path, hashed).
    pub fn for_file(role_file: &Path) -> Self {
        let absolute = std::fs::canonicalize(role_file).unwrap_or_else(|_| role_file.to_path_buf());
        AutosaveKey(format!(
            "file-{:016x}",
            fnv1a(absolute.to_string_lossy().as_bytes())
        ))
    }

    /// The key for a role built from policy documents (`edit --trust T --policy P`): their
    /// absolute paths, in the order given, hashed — so opening the same documents again
    /// offers this work, and opening anything else never does.
    pub fn for_documents(documents: &[PathBuf]) -> Self {
        let joined: Vec<String> = documents
            .iter()
            .map(|d| {
                std::fs::canonicalize(d)
                    .unwrap_or_else(|_| d.clone())
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        AutosaveKey(format!("docs-{:016x}", fnv1a(joined.join("\n").as_bytes())))
    }

    /// Work on a role without a file or documents (a blank or template start).
    pub fn is_untitled(&self) -> bool {
        self.0.starts_with("untitled-")
    }

    /// A fresh key for a role that has no file yet.
    pub fn untitled() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        AutosaveKey(format!("untitled-{nanos}-{}", std::process::id()))
    }

    fn file_name(&self) -> String {
        format!("{}.json", self.0)
    }
}

/// FNV-1a: a stable hash (std's hasher may change between releases, and keys must not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The folder of autosaves.
#[derive(Clone, Debug)]
pub struct AutosaveStore {
    dir: PathBuf,
}

impl AutosaveStore {
    /// The store in the XDG state folder; `None` when no home folder can be found.
    pub fn from_env() -> Option<Self> {
        xdg_dir(XdgDir::State).map(|d| AutosaveStore {
            dir: d.join("autosave"),
        })
    }

    /// A store in `dir` (tests).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        AutosaveStore { dir: dir.into() }
    }

    fn path(&self, key: &AutosaveKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// Writes the autosave for `key` atomically, replacing the previous one.
    pub fn write(
        &self,
        key: &AutosaveKey,
        role_file: Option<&Path>,
        role: &RoleSpec,
    ) -> Result<()> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::io(&self.dir, "cannot create the autosave folder", e))?;
        let save = Autosave {
            role_file: role_file.map(Path::to_path_buf),
            saved_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            role: role.clone(),
        };
        let json = serde_json::to_vec_pretty(&save)
            .map_err(|e| Error::Other(format!("cannot encode the autosave: {e}")))?;
        // Autosaves are the user's work in progress: readable by them only.
        let options = WriteOptions {
            overwrite: true,
            private: true,
        };
        write_atomic_with(&self.path(key), &json, options)
    }

    /// Deletes the autosave for `key` (after a save, or when the user discards it).
    pub fn discard(&self, key: &AutosaveKey) -> Result<()> {
        let path = self.path(key);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path, "cannot delete the autosave", e)),
        }
    }

    /// The autosave to offer for work keyed `key`: exactly that one for a role file or a
    /// set of documents, the newest untitled one for a new role. Unreadable autosaves are
    /// skipped, never fatal.
    pub fn find_resumable(&self, key: &AutosaveKey) -> Option<(AutosaveKey, Autosave)> {
        if !key.is_untitled() {
            let save = self.read(key)?;
            return Some((key.clone(), save));
        }
        let entries = std::fs::read_dir(&self.dir).ok()?;
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".json")?;
                stem.starts_with("untitled-")
                    .then(|| AutosaveKey(stem.to_string()))
            })
            .filter_map(|key| self.read(&key).map(|s| (key, s)))
            .max_by_key(|(_, s)| s.saved_at)
    }

    /// Whether an autosave for `key` exists (tests, and the status after a discard).
    pub fn exists(&self, key: &AutosaveKey) -> bool {
        self.path(key).is_file()
    }

    fn read(&self, key: &AutosaveKey) -> Option<Autosave> {
        let bytes = crate::io::read::read_bytes(&self.path(key), InputKind::Autosave).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// The longest unsaved work waits for an autosave while changes keep coming.
pub const AUTOSAVE_MAX_WAIT: Duration = Duration::from_secs(5);

/// Waits for a quiet moment before autosaving, so typing does not write on every key, but
/// never longer than a maximum after the first unsaved change: someone who keeps typing is
/// still saved every few seconds.
#[derive(Clone, Debug)]
pub struct Debouncer {
    delay: Duration,
    max_wait: Duration,
    dirty_since: Option<Instant>,
    first_change: Option<Instant>,
}

impl Debouncer {
    /// Due after `delay` of quiet, or [`AUTOSAVE_MAX_WAIT`] after the first change.
    pub fn new(delay: Duration) -> Self {
        Self::with_max_wait(delay, AUTOSAVE_MAX_WAIT.max(delay))
    }

    /// Due after `delay` of quiet, or `max_wait` after the first change.
    pub fn with_max_wait(delay: Duration, max_wait: Duration) -> Self {
        Debouncer {
            delay,
            max_wait,
            dirty_since: None,
            first_change: None,
        }
    }

    /// Notes a change at `now` (the quiet period restarts; the maximum wait does not).
    pub fn changed(&mut self, now: Instant) {
        self.dirty_since = Some(now);
        self.first_change.get_or_insert(now);
    }

    /// True once, when changes have been quiet for the delay or waited the maximum; the
    /// caller then saves.
    pub fn due(&mut self, now: Instant) -> bool {
        if self.time_left(now).is_some_and(|left| left.is_zero()) {
            self.dirty_since = None;
            self.first_change = None;
            true
        } else {
            false
        }
    }

    /// How long until [`Debouncer::due`] can be true, for the event loop's poll timeout.
    pub fn time_left(&self, now: Instant) -> Option<Duration> {
        let quiet = self
            .dirty_since
            .map(|t| self.delay.saturating_sub(now.duration_since(t)))?;
        let cap = self.first_change.map_or(quiet, |t| {
            self.max_wait.saturating_sub(now.duration_since(t))
        });
        Some(quiet.min(cap))
    }

    /// Whether changes are waiting to be saved.
    pub fn is_pending(&self) -> bool {
        self.dirty_since.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> RoleSpec {
        RoleSpec {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn autosave_fires_while_typing_never_saved() {
        // v1 was a pure trailing debounce: a key every 0.5 s postponed the save forever.
        let start = Instant::now();
        let mut d = Debouncer::with_max_wait(Duration::from_secs(1), Duration::from_secs(5));
        let mut saved_at = None;
        for i in 0..20u64 {
            let now = start + Duration::from_millis(500 * i);
            d.changed(now);
            if d.due(now) {
                saved_at = Some(i);
                break;
            }
        }
        assert_eq!(saved_at, Some(10), "saved 5 s after the first change");
        // After a save the next change starts a new wait.
        let now = start + Duration::from_millis(5_100);
        d.changed(now);
        assert!(!d.due(now));
        assert_eq!(d.time_left(now), Some(Duration::from_secs(1)));
        assert!(d.due(now + Duration::from_secs(1)));
    }

    #[test]
    fn write_find_and_discard_for_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = AutosaveStore::in_dir(dir.path().join("autosave"));
        let file = dir.path().join("role.toml");
        std::fs::write(&file, "").unwrap();
        let key = AutosaveKey::for_file(&file);
        assert!(store.find_resumable(&key).is_none());
        store.write(&key, Some(&file), &role("a")).unwrap();
        store.write(&key, Some(&file), &role("b")).unwrap();
        let (found, save) = store.find_resumable(&key).unwrap();
        assert_eq!(found, key);
        assert_eq!(save.role.name, "b");
        store.discard(&key).unwrap();
        assert!(store.find_resumable(&key).is_none());
        store.discard(&key).unwrap();
    }

    #[test]
    fn the_newest_untitled_autosave_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let store = AutosaveStore::in_dir(dir.path());
        let old = AutosaveKey("untitled-1".into());
        let new = AutosaveKey("untitled-2".into());
        store.write(&old, None, &role("old")).unwrap();
        store.write(&new, None, &role("new")).unwrap();
        // Make the first one older.
        let mut save: Autosave =
            serde_json::from_slice(&std::fs::read(dir.path().join("untitled-1.json")).unwrap())
                .unwrap();
        save.saved_at -= 100;
        std::fs::write(
            dir.path().join("untitled-1.json"),
            serde_json::to_vec(&save).unwrap(),
        )
        .unwrap();
        std::fs::write(dir.path().join("untitled-3.json"), "not json").unwrap();
        let (key, save) = store.find_resumable(&AutosaveKey::untitled()).unwrap();
        assert_eq!(key, new);
        assert_eq!(save.role.name, "new");
        // Opening documents never offers an untitled autosave (or another set's).
        let docs = AutosaveKey::for_documents(&[dir.path().join("trust.json")]);
        assert!(store.find_resumable(&docs).is_none());
        store.write(&docs, None, &role("docs")).unwrap();
        assert_eq!(store.find_resumable(&docs).unwrap().1.role.name, "docs");
        let other = AutosaveKey::for_documents(&[dir.path().join("other.json")]);
        assert!(store.find_resumable(&other).is_none());
    }

    #[test]
    fn debouncer_waits_for_quiet() {
        let mut d = Debouncer::new(Duration::from_millis(500));
        let t0 = Instant::now();
        assert!(!d.due(t0));
        d.changed(t0);
        assert!(!d.due(t0 + Duration::from_millis(100)));
        d.changed(t0 + Duration::from_millis(300));
        assert!(!d.due(t0 + Duration::from_millis(700)));
        assert_eq!(
            d.time_left(t0 + Duration::from_millis(700)),
            Some(Duration::from_millis(100))
        );
        assert!(d.due(t0 + Duration::from_millis(800)));
        assert!(!d.due(t0 + Duration::from_millis(900)));
        assert!(!d.is_pending());
    }

    #[test]
    fn file_keys_are_stable() {
        let a = AutosaveKey::for_file(Path::new("/nonexistent/x.toml"));
        let b = AutosaveKey::for_file(Path::new("/nonexistent/x.toml"));
        assert_eq!(a, b);
        assert_ne!(a, AutosaveKey::for_file(Path::new("/nonexistent/y.toml")));
    }
}
