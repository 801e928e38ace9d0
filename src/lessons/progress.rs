//! What each learner has done, per lesson, in the XDG state folder
//! (`$XDG_STATE_HOME/rolesmith/lessons/NAME.json`), so `rolesmith learn NAME` resumes where
//! it was left and `rolesmith learn` can say done / started / new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::write::{WriteOptions, write_atomic_with};
use crate::io::{InputKind, XdgDir, read_text, xdg_dir};
use crate::role::RoleSpec;

use super::is_valid_lesson_name;

/// Where a learner is in a lesson.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Never opened.
    #[default]
    New,
    /// Opened, not done yet.
    Started,
    /// Every task passed once (stays done when the role is changed later).
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Started => "started",
            Status::Done => "done",
        }
    }
}

/// One learner's state in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    #[serde(default)]
    pub status: Status,
    /// Hints revealed, per task index.
    #[serde(default)]
    pub hints: BTreeMap<usize, usize>,
    /// The learner's role as last saved (the lesson's start role when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleSpec>,
}

impl LessonProgress {
    /// Hints revealed of task `task`.
    pub fn hints_revealed(&self, task: usize) -> usize {
        self.hints.get(&task).copied().unwrap_or(0)
    }

    /// Reveals one more hint of task `task`, up to `available`; returns how many are shown.
    pub fn reveal_hint(&mut self, task: usize, available: usize) -> usize {
        let n = self.hints.entry(task).or_insert(0);
        if *n < available {
            *n += 1;
        }
        *n
    }
}

/// The progress folder of this user.
#[derive(Clone, Debug)]
pub struct Progress {
    dir: PathBuf,
}

impl Progress {
    /// The user's progress folder (`None` without `$XDG_STATE_HOME` or `$HOME`).
    pub fn from_env() -> Option<Progress> {
        xdg_dir(XdgDir::State).map(|d| Progress::at(d.join("lessons")))
    }

    /// Progress kept in `dir` (tests).
    pub fn at(dir: impl Into<PathBuf>) -> Progress {
        Progress { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, lesson: &str) -> Result<PathBuf> {
        if !is_valid_lesson_name(lesson) {
            return Err(Error::Usage(format!("{lesson:?} is not a lesson name")));
        }
        Ok(self.dir.join(format!("{lesson}.json")))
    }

    /// The progress of `lesson`; `New` when there is none. A file that does not read (edited
    /// by hand, from another version) counts as none rather than blocking the lesson.
    pub fn load(&self, lesson: &str) -> LessonProgress {
        let Ok(path) = self.path(lesson) else {
            return LessonProgress::default();
        };
        if !path.exists() {
            return LessonProgress::default();
        }
        read_text(&path, InputKind::Autosave)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Saves the progress of `lesson` (atomically, readable by the user only).
    pub fn save(&self, lesson: &str, progress: &LessonProgress) -> Result<()> {
        let path = self.path(lesson)?;
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::io(&self.dir, "cannot create the progress folder", e))?;
        let json = serde_json::to_vec_pretty(progress)
            .map_err(|e| Error::Other(format!("cannot encode the lesson progress: {e}")))?;
        write_atomic_with(
            &path,
            &json,
            WriteOptions {
                overwrite: true,
                private: true,
            },
        )
    }

    /// Forgets the progress of `lesson`; `true` when there was some.
    pub fn reset(&self, lesson: &str) -> Result<bool> {
        let path = self.path(lesson)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io(path, "cannot delete the lesson progress", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_resets() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Progress::at(tmp.path().join("lessons"));
        assert_eq!(store.load("tiny").status, Status::New);
        let mut p = LessonProgress {
            status: Status::Started,
            ..Default::default()
        };
        assert_eq!(p.reveal_hint(0, 3), 1);
        assert_eq!(p.reveal_hint(0, 1), 1, "no more hints than the task has");
        p.role = Some(RoleSpec {
            name: "r".into(),
            ..Default::default()
        });
        store.save("tiny", &p).unwrap();
        assert_eq!(store.load("tiny"), p);
        assert!(store.reset("tiny").unwrap());
        assert!(!store.reset("tiny").unwrap());
        assert_eq!(store.load("tiny").status, Status::New);
        assert!(store.save("../evil", &p).is_err());
    }
}
