//! Lessons for onboarding workshops: a story, a starting role, tasks that say when they are
//! done, graded hints, and the workload's calls played against the learner's role.
//!
//! Pure, like `eval`: it depends on `policy`, `catalog`, `role` and `eval`, and calls `lint`
//! only for findings. The TUI's lesson mode and `rolesmith learn` are front ends of it.
//!
//! - [`Lesson`]: one lesson, read from TOML ([`parse_lesson`], [`load_file`], [`load_dir`]) or
//!   built in ([`builtin`], [`find`]), the built-ins embedded from `assets/lessons/*.toml`;
//! - [`grade`]: each task ✓/✗ with the simulator's reason, and whether the lesson is done;
//! - [`play_calls`]: the scripted calls as they would happen at run time: allowed, or the
//!   AccessDenied message AWS would print and why;
//! - [`Progress`]: what each learner has done, kept in the XDG state folder so a lesson
//!   resumes where it was left;
//! - [`handout`] (the lesson as Markdown, no answers) and [`skeleton`] (a commented lesson
//!   file to start from).

mod grade;
mod markdown;
mod parse;
mod progress;

use std::path::Path;
use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::error::{Error, Result};
use crate::policy::{ConditionScalar, OneOrMany};
use crate::role::{ExpectSpec, RoleSpec};

pub use grade::{CallOutcome, Grade, TaskResult, grade, play_calls};
pub use markdown::{handout, skeleton};
pub use parse::{is_valid_lesson_name, parse_lesson};
pub use progress::{LessonProgress, Progress, Status};

/// The account lesson messages use when the start role names none (AWS's documentation
/// account).
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// One lesson: what the learner reads, the role they start from, what they must achieve.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Stable identifier (`wildcard-not-wild`): 1-64 of `[a-z0-9-]`; keys progress and the CLI.
    pub name: String,
    /// One line for lists and headings.
    pub title: String,
    /// The situation, in a few paragraphs.
    pub story: String,
    /// What "done" means, in one or two sentences.
    pub goal: String,
    /// Shown when the lesson is done: what the learner should take away.
    pub learned: String,
    /// AccessDenied messages the learner is given to work from (may be empty).
    pub messages: Vec<String>,
    /// The role session name in simulated messages (a Lambda function's name); the role's
    /// name when the lesson gives none.
    pub session: Option<String>,
    /// The role the learner starts from.
    pub start: RoleSpec,
    pub tasks: Vec<Task>,
    /// The workload's calls, in the order it makes them.
    pub calls: Vec<ScriptedCall>,
    /// Where it came from: `builtin` or the lesson file's path (for messages).
    pub origin: String,
}

/// Something the learner's role must achieve.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// One line naming the goal ("the function can save its output").
    pub title: String,
    pub check: Check,
    /// Graded hints, in the order they are revealed: nudge, pointer, answer.
    pub hints: Vec<Hint>,
}

/// How a task is checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// A request that must be allowed or denied (the keys of a role file's `[[expect]]`).
    Expect(ExpectSpec),
    /// Finding codes that must not be reported for the role (ignored or not).
    Absent(Vec<String>),
    /// A principal that must be able to assume the role (`assumed_by`).
    AssumedBy(String),
}

/// How much a hint gives away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HintLevel {
    /// Where to look.
    Nudge,
    /// What to change.
    Pointer,
    /// The change itself, and why it is right.
    Answer,
}

impl HintLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            HintLevel::Nudge => "nudge",
            HintLevel::Pointer => "pointer",
            HintLevel::Answer => "answer",
        }
    }

    /// The level of the `i`-th hint of a task (a fourth and later are answers too).
    pub fn of_index(i: usize) -> HintLevel {
        match i {
            0 => HintLevel::Nudge,
            1 => HintLevel::Pointer,
            _ => HintLevel::Answer,
        }
    }
}

/// One hint of a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub level: HintLevel,
    pub text: String,
}

/// One call the workload makes at run time.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptedCall {
    /// How the call is shown (`PutObject reversed/abc.txt`).
    pub label: String,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN; `None` for actions that name no resource.
    pub resource: Option<String>,
    /// Set for an assume call (`lambda.amazonaws.com` assuming the role): then the trust
    /// policy answers.
    pub principal: Option<String>,
    /// Context keys of the request; an array makes a key multi-valued.
    pub context: IndexMap<String, OneOrMany<ConditionScalar>>,
}

impl Lesson {
    /// The session name in simulated messages.
    pub fn session_name(&self, role: &RoleSpec) -> String {
        self.session
            .clone()
            .unwrap_or_else(|| non_empty(&role.name, "function"))
    }

    /// The number of hints of task `task` (0 for a task that does not exist).
    pub fn hint_count(&self, task: usize) -> usize {
        self.tasks.get(task).map_or(0, |t| t.hints.len())
    }
}

fn non_empty(s: &str, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_string()
    } else {
        s.to_string()
    }
}

/// The built-in lessons, in teaching order: (file name, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "01-execution-role.toml",
        include_str!("../../assets/lessons/01-execution-role.toml"),
    ),
    (
        "02-string-reverser.toml",
        include_str!("../../assets/lessons/02-string-reverser.toml"),
    ),
    (
        "03-grenade.toml",
        include_str!("../../assets/lessons/03-grenade.toml"),
    ),
    (
        "04-wildcard-not-wild.toml",
        include_str!("../../assets/lessons/04-wildcard-not-wild.toml"),
    ),
    (
        "05-wrong-dropdown.toml",
        include_str!("../../assets/lessons/05-wrong-dropdown.toml"),
    ),
    (
        "06-debug-from-message.toml",
        include_str!("../../assets/lessons/06-debug-from-message.toml"),
    ),
    (
        "07-github-oidc.toml",
        include_str!("../../assets/lessons/07-github-oidc.toml"),
    ),
    (
        "08-pass-role.toml",
        include_str!("../../assets/lessons/08-pass-role.toml"),
    ),
];

/// The built-in lessons, in teaching order. Parsed once; a built-in that does not parse is
/// a bug the tests catch, and is left out rather than stopping the program.
pub fn builtin() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(file, text)| parse_lesson(&format!("builtin:{file}"), text, None).ok())
            .collect()
    })
}

/// The built-in lesson files as they are embedded: (file name, text), for tests and
/// `--new` examples.
pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

/// A built-in lesson by name.
pub fn find(name: &str) -> Option<&'static Lesson> {
    builtin().iter().find(|l| l.name == name)
}

/// Reads one lesson file; a `start = "FILE"` role is read relative to its folder.
pub fn load_file(path: &Path) -> Result<Lesson> {
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    parse_lesson(
        &path.display().to_string(),
        &text,
        Some(path.parent().unwrap_or_else(|| Path::new("."))),
    )
}

/// Reads every `*.toml` lesson in `dir`, in file name order. Any lesson that does not read
/// is an error (a workshop should not start with a lesson silently missing); two lessons
/// with one name are too.
pub fn load_dir(dir: &Path) -> Result<Vec<Lesson>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "cannot read folder", e))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut lessons: Vec<Lesson> = Vec::new();
    for p in paths {
        let lesson = load_file(&p)?;
        if let Some(other) = lessons.iter().find(|l| l.name == lesson.name) {
            return Err(Error::Invalid {
                origin: lesson.origin.clone(),
                message: format!(
                    "the lesson name {:?} is also used by {}; names must differ",
                    lesson.name, other.origin
                ),
            });
        }
        lessons.push(lesson);
    }
    if lessons.is_empty() {
        return Err(Error::Invalid {
            origin: dir.display().to_string(),
            message: "no lesson files (*.toml) in this folder".into(),
        });
    }
    Ok(lessons)
}
