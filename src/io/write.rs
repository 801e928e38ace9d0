//! Atomic, link-safe writes: one file, or a set of files written completely or not at all.
//!
//! Every file rolesmith writes (role files, exports, the user catalog, autosaves) goes
//! through here. A write creates a temporary file with a random name in the target's own
//! folder (`O_CREAT|O_EXCL`, so a link planted under that name is never followed), writes and
//! syncs it, gives it the mode of the file it replaces, and renames it over the target: an
//! interrupted write leaves the old file or the new one, never half of one.
//!
//! Symlinks: when the target is a symlink to a file, that file is replaced and the link stays
//! a link (people keep role files in a dotfiles repository and link them). A dangling link is
//! never replaced unless the caller allows overwriting (`--force`); then the link itself is
//! replaced by a file, rather than creating a file wherever it points.
//!
//! Error messages name the file the user asked for, never a temporary name.

use std::fs::Permissions;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// How a write treats what is already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace an existing file (or a dangling link); otherwise that is an error.
    pub overwrite: bool,
    /// A new file is readable by its owner only (autosaves); otherwise `0666` less the umask,
    /// like any file a program creates. A replaced file always keeps its own mode.
    pub private: bool,
}

/// Writes `bytes` to `path` atomically (see the module doc). With `overwrite == false` an
/// existing file (or link) is an error and is left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    write_atomic_with(
        path,
        bytes,
        WriteOptions {
            overwrite,
            private: false,
        },
    )
}

/// [`write_atomic`] with all options.
pub fn write_atomic_with(path: &Path, bytes: &[u8], options: WriteOptions) -> Result<()> {
    let target = match resolve(path, options.overwrite)? {
        Resolved::Target(t) => t,
        Resolved::Refused(message) => return Err(Error::Other(message)),
    };
    stage(target, bytes, options.private)?.commit()
}

/// Whether something (a file, a folder, a link, even a dangling one) is at `path`: what a
/// "replace it?" question must ask about. `Path::exists` says no for a dangling link.
pub fn occupied(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Writes each `(name, text)` into `dir`, all or nothing: every target is checked first
/// (without `overwrite`, any existing one refuses the whole set before anything is written),
/// then every file is staged beside its target, then all are renamed into place; if one
/// rename fails, the files already replaced get their old contents back and new ones are
/// removed. Returns the paths written, in order.
pub fn write_files_all_or_nothing(
    dir: &Path,
    files: &[(String, String)],
    overwrite: bool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create the folder", e))?;
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let mut targets = Vec::new();
    let mut refused = Vec::new();
    for path in &paths {
        match resolve(path, overwrite)? {
            Resolved::Target(t) => targets.push(t),
            Resolved::Refused(_) => refused.push(path.display().to_string()),
        }
    }
    if !refused.is_empty() {
        return Err(Error::Other(format!(
            "not overwriting {}; pass --force to replace",
            refused.join(", ")
        )));
    }
    let staged = targets
        .into_iter()
        .zip(files)
        .map(|(t, (_, text))| stage(t, text.as_bytes(), false))
        .collect::<Result<Vec<_>>>()?;
    commit_all(staged, Staged::commit)?;
    Ok(paths)
}

/// Writes each `(path, bytes)`, overwriting, all or nothing: like
/// [`write_files_all_or_nothing`] for files in different folders (a role file and the trust
/// document it names). Every file is staged before any is put in place.
pub fn write_paths_all_or_nothing(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        match resolve(path, true)? {
            Resolved::Target(t) => staged.push(stage(t, bytes, false)?),
            Resolved::Refused(message) => return Err(Error::Other(message)),
        }
    }
    commit_all(staged, Staged::commit)
}

/// Where a write goes, once links are followed.
#[derive(Debug)]
pub struct Target {
    /// The file the user named (for messages).
    shown: PathBuf,
    /// The file that is replaced or created (a symlink's destination, or `shown`).
    real: PathBuf,
    /// Mode bits of the file being replaced.
    mode: Option<u32>,
    /// Something is at `real` and will be replaced.
    replaces: bool,
}

enum Resolved {
    Target(Target),
    /// Something is there and overwriting was not allowed: why, in words.
    Refused(String),
}

fn not_regular(path: &Path, what: &str) -> Error {
    Error::Invalid {
        origin: path.display().to_string(),
        message: format!("{what}; rolesmith writes only regular files"),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> Option<u32> {
    None
}

fn resolve(path: &Path, overwrite: bool) -> Result<Resolved> {
    let exists = || {
        Resolved::Refused(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        ))
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Resolved::Target(Target {
                shown: path.to_path_buf(),
                real: path.to_path_buf(),
                mode: None,
                replaces: false,
            }));
        }
        Err(e) => return Err(Error::io(path, "cannot write", e)),
    };
    if meta.file_type().is_symlink() {
        return match std::fs::canonicalize(path) {
            Ok(real) => {
                let m = std::fs::metadata(&real).map_err(|e| Error::io(path, "cannot write", e))?;
                if !m.is_file() {
                    return Err(not_regular(
                        path,
                        &format!("a symlink to {}, which is not a file", real.display()),
                    ));
                }
                if !overwrite {
                    return Ok(exists());
                }
                Ok(Resolved::Target(Target {
                    shown: path.to_path_buf(),
                    real,
                    mode: mode_of(&m),
                    replaces: true,
                }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !overwrite {
                    let dest = std::fs::read_link(path).unwrap_or_default();
                    return Ok(Resolved::Refused(format!(
                        "{} is a symlink to {}, which does not exist; pass --force to replace the link with a file",
                        path.display(),
                        dest.display()
                    )));
                }
                // Replace the link itself: never create a file wherever a stray link points.
                Ok(Resolved::Target(Target {
                    shown: path.to_path_buf(),
                    real: path.to_path_buf(),
                    mode: None,
                    replaces: true,
                }))
            }
            Err(e) => Err(Error::io(path, "cannot write", e)),
        };
    }
    if meta.is_dir() {
        return Err(not_regular(path, "this is a folder"));
    }
    if !meta.is_file() {
        return Err(not_regular(
            path,
            "not a regular file (a FIFO, device or socket)",
        ));
    }
    if !overwrite {
        return Ok(exists());
    }
    Ok(Resolved::Target(Target {
        shown: path.to_path_buf(),
        real: path.to_path_buf(),
        mode: mode_of(&meta),
        replaces: true,
    }))
}

/// An I/O error without the temporary file's name that `tempfile` adds to its messages
/// (`... at path "/dir/.rolesmith-XXXX.tmp"`).
fn plain(e: std::io::Error) -> std::io::Error {
    if let Some(code) = e.raw_os_error() {
        return std::io::Error::from_raw_os_error(code);
    }
    match e.get_ref().map(ToString::to_string) {
        Some(text) => {
            let text = text
                .rsplit_once(" at path ")
                .map_or(text.as_str(), |(m, _)| m);
            std::io::Error::new(e.kind(), text.to_string())
        }
        None => std::io::Error::from(e.kind()),
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn permissions(mode: u32) -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    Permissions::from_mode(mode)
}

/// A file written and synced under a temporary name beside its target, not yet in place.
/// Dropping it removes the temporary file.
#[derive(Debug)]
pub struct Staged {
    file: NamedTempFile,
    target: Target,
}

/// Writes `bytes` to a new temporary file beside `target`.
fn stage(target: Target, bytes: &[u8], private: bool) -> Result<Staged> {
    use std::io::Write;
    let shown = &target.shown;
    let fail = |action: &'static str| move |e: std::io::Error| Error::io(shown, action, plain(e));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rolesmith-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(permissions(if private { 0o600 } else { 0o666 }));
    #[cfg(not(unix))]
    let _ = private;
    let mut file = builder
        .tempfile_in(folder_of(&target.real))
        .map_err(fail("cannot write"))?;
    #[cfg(unix)]
    if let Some(mode) = target.mode {
        file.as_file()
            .set_permissions(permissions(mode))
            .map_err(fail("cannot set the mode of"))?;
    }
    file.write_all(bytes).map_err(fail("cannot write"))?;
    file.as_file().sync_all().map_err(fail("cannot write"))?;
    Ok(Staged { file, target })
}

/// Stages `bytes` for `path` (overwriting allowed): the caller can read the staged file back
/// ([`Staged::path`]) and check it before [`Staged::commit`] puts it in place.
pub fn stage_file(path: &Path, bytes: &[u8]) -> Result<Staged> {
    match resolve(path, true)? {
        Resolved::Target(t) => stage(t, bytes, false),
        Resolved::Refused(message) => Err(Error::Other(message)),
    }
}

impl Staged {
    /// The temporary file, to read back before committing.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Renames the staged file over its target.
    pub fn commit(self) -> Result<()> {
        let Staged { file, target } = self;
        let result = if target.replaces {
            file.persist(&target.real)
        } else {
            // Something may have appeared since the check: never clobber it.
            file.persist_noclobber(&target.real)
        };
        result.map_err(|e| {
            let message = if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                "cannot write (it appeared meanwhile; pass --force to overwrite it)"
            } else {
                "cannot write"
            };
            Error::io(&target.shown, message, plain(e.error))
        })?;
        // The rename is durable once the folder is synced; failing that is not worth an error.
        if let Ok(dir) = std::fs::File::open(folder_of(&target.real)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Commits every staged file; when one fails, undoes the ones already committed.
fn commit_all(staged: Vec<Staged>, mut commit: impl FnMut(Staged) -> Result<()>) -> Result<()> {
    // (target, backup of what it replaced)
    let mut done: Vec<(PathBuf, Option<NamedTempFile<()>>)> = Vec::new();
    let mut failure = None;
    for s in staged {
        let real = s.target.real.clone();
        let backup = if s.target.replaces && std::fs::metadata(&real).is_ok() {
            match backup_of(&real) {
                Ok(b) => Some(b),
                Err(e) => {
                    failure = Some(Error::io(
                        &s.target.shown,
                        "cannot keep a copy of",
                        plain(e),
                    ));
                    break;
                }
            }
        } else {
            None
        };
        match commit(s) {
            Ok(()) => done.push((real, backup)),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let Some(failure) = failure else {
        return Ok(());
    };
    for (real, backup) in done.into_iter().rev() {
        let _ = match backup {
            Some(b) => b.persist(&real).map(drop).map_err(|e| e.error),
            None => std::fs::remove_file(&real),
        };
    }
    Err(failure)
}

/// A second name for `real`'s current contents (a hard link, or a copy where links are not
/// supported) under a random name beside it; removed when dropped.
fn backup_of(real: &Path) -> std::io::Result<NamedTempFile<()>> {
    let dir = folder_of(real);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rolesmith-backup-");
    builder
        .make_in(dir, |p| std::fs::hard_link(real, p))
        .or_else(|_| builder.make_in(dir, |p| std::fs::copy(real, p).map(drop)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn atomic_write_refuses_to_overwrite_without_permission() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one", false).unwrap();
        assert!(write_atomic(&path, b"two", false).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn temp_file_symlink_attack_is_not_followed() {
        use std::os::unix::fs::symlink;
        // The old writer used `.NAME.tmp-PID`: plant links under every such name of this
        // process and the predictable names of the new one; none may be written through.
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("role.toml");
        symlink(
            &victim,
            dir.path()
                .join(format!(".role.toml.tmp-{}", std::process::id())),
        )
        .unwrap();
        write_atomic(&path, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_stays_a_link_and_mode_is_kept() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("dotfiles");
        std::fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("role.toml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("role.toml");
        symlink(&real, &link).unwrap();
        write_atomic(&link, b"new", true).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(names(&real_dir), ["role.toml"]);
    }

    #[cfg(unix)]
    #[test]
    fn dangling_link_needs_force_and_is_then_replaced_not_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let nowhere = dir.path().join("elsewhere").join("created-by-link");
        let link = dir.path().join("out.json");
        symlink(&nowhere, &link).unwrap();
        let e = write_atomic(&link, b"x", false).unwrap_err().to_string();
        assert!(e.contains("does not exist") && e.contains("--force"), "{e}");
        assert!(occupied(&link) && !link.exists());
        write_atomic(&link, b"x", true).unwrap();
        assert!(
            !std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(!nowhere.exists());
    }

    #[test]
    fn errors_name_the_target_never_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("a.json");
        let e = write_atomic(&path, b"x", true).unwrap_err().to_string();
        assert!(e.contains("missing-folder/a.json"), "{e}");
        assert!(e.contains("No such file or directory"), "{e}");
        assert!(!e.contains(".rolesmith-") && !e.contains("at path"), "{e}");
        let e = write_atomic(dir.path(), b"x", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("folder"), "{e}");
    }

    #[test]
    fn a_set_is_refused_whole_when_one_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.json"), "old").unwrap();
        let files = vec![
            ("a.json".to_string(), "A".to_string()),
            ("b.json".to_string(), "B".to_string()),
        ];
        let e = write_files_all_or_nothing(dir.path(), &files, false).unwrap_err();
        assert!(e.to_string().contains("b.json"), "{e}");
        assert_eq!(names(dir.path()), ["b.json"]);
        write_files_all_or_nothing(dir.path(), &files, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.json")).unwrap(),
            "B"
        );
        assert_eq!(names(dir.path()), ["a.json", "b.json"]);
    }

    #[test]
    fn a_failed_rename_rolls_back_the_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "old A").unwrap();
        let staged: Vec<Staged> = ["a.json", "b.json", "c.json"]
            .iter()
            .map(|n| {
                let Resolved::Target(t) = resolve(&dir.path().join(n), true).unwrap() else {
                    panic!("refused")
                };
                stage(t, n.as_bytes(), false).unwrap()
            })
            .collect();
        let mut n = 0;
        let e = commit_all(staged, |s| {
            n += 1;
            if n == 3 {
                Err(Error::Other("disk full".into()))
            } else {
                s.commit()
            }
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        assert_eq!(names(dir.path()), ["a.json"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.json")).unwrap(),
            "old A"
        );
    }
}
