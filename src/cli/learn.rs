//! `rolesmith learn`: the workshop front end of [`crate::lessons`].
//!
//! No arguments: the lessons with each one's progress. `learn NAME` opens a lesson in the
//! editor; `--check LESSON ROLE...` grades learners' role files offline for the facilitator
//! (exit 0 only when every learner is done); `--handout`, `--new` and `--reset` do what
//! they say. `--dir FOLDER` swaps the built-in lessons for a folder of lesson files.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde_json::json;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::sanitize_for_display;
use crate::io::terminal::json_for_terminal;
use crate::lessons::{self, Grade, Lesson, Progress, Status};
use crate::role::load_role_file;

use super::{Outcome, print_stdout};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LearnFormat {
    Text,
    Json,
}

/// Lessons for onboarding workshops: list them, open one, or grade learners' roles.
///
/// Without arguments, lists the lessons with your progress (done, started, new).
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The lesson to open in the editor.
    #[arg(value_name = "NAME", conflicts_with_all = ["new", "check", "handout", "reset"])]
    pub lesson: Option<String>,
    /// Use the lesson files (*.toml) of this folder instead of the built-in lessons.
    #[arg(long, value_name = "FOLDER")]
    pub dir: Option<PathBuf>,
    /// Write a commented skeleton lesson NAME.toml (into --dir when given); never
    /// overwrites.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["check", "handout", "reset"])]
    pub new: Option<String>,
    /// Grade learners' role files against a lesson: a table of learners × tasks. Exit 0
    /// only when every learner is done.
    #[arg(long, num_args = 2.., value_names = ["LESSON", "ROLE"], conflicts_with_all = ["handout", "reset"])]
    pub check: Vec<String>,
    /// Print a lesson as Markdown (story, tasks, calls; no hints or answers).
    #[arg(long, value_name = "LESSON", conflicts_with = "reset")]
    pub handout: Option<String>,
    /// Forget your progress in a lesson.
    #[arg(long, value_name = "NAME")]
    pub reset: Option<String>,
    /// Output of --check.
    #[arg(long, value_enum, default_value = "text")]
    pub format: LearnFormat,
}

pub fn run(args: LearnArgs) -> Result<Outcome> {
    if let Some(name) = &args.new {
        return write_skeleton(name, args.dir.as_deref());
    }
    let set = LessonSet::load(args.dir.as_deref())?;
    if let Some((lesson, files)) = args.check.split_first() {
        let lesson = set.get(lesson)?;
        return check(lesson, files, args.format);
    }
    if let Some(name) = &args.handout {
        let lesson = set.get(name)?;
        print_stdout(sanitize_lines(&lessons::handout(lesson)).as_bytes())?;
        return Ok(Outcome::Clean);
    }
    if let Some(name) = &args.reset {
        let lesson = set.get(name)?;
        let store = progress_store()?;
        let had = store.reset(&lesson.name)?;
        eprintln!(
            "{}",
            if had {
                format!("progress in {} forgotten", lesson.name)
            } else {
                format!("no progress in {} to forget", lesson.name)
            }
        );
        return Ok(Outcome::Clean);
    }
    if let Some(name) = &args.lesson {
        let lesson = set.get(name)?;
        return open_lesson(lesson);
    }
    list(&set)
}

/// Text made of lines, each line made safe for a terminal (the line breaks kept).
fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| crate::io::terminal::safe_line_start(&sanitize_for_display(line)).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lessons in use: the built-ins, or a folder's.
struct LessonSet {
    lessons: Vec<Lesson>,
    from: Option<PathBuf>,
}

impl LessonSet {
    fn load(dir: Option<&Path>) -> Result<LessonSet> {
        Ok(match dir {
            Some(d) => LessonSet {
                lessons: lessons::load_dir(d)?,
                from: Some(d.to_path_buf()),
            },
            None => LessonSet {
                lessons: lessons::builtin().to_vec(),
                from: None,
            },
        })
    }

    fn get(&self, name: &str) -> Result<&Lesson> {
        self.lessons.iter().find(|l| l.name == name).ok_or_else(|| {
            let names: Vec<&str> = self.lessons.iter().map(|l| l.name.as_str()).collect();
            let whose = match &self.from {
                Some(d) => format!("in {}", d.display()),
                None => "built in".to_string(),
            };
            Error::Usage(format!(
                "no lesson {:?} {whose}; the lessons are: {}",
                name,
                names.join(", ")
            ))
        })
    }
}

fn progress_store() -> Result<Progress> {
    Progress::from_env().ok_or_else(|| {
        Error::Other("no state folder: set XDG_STATE_HOME or HOME to keep lesson progress".into())
    })
}

/// `rolesmith learn`: one lesson a line with its progress.
fn list(set: &LessonSet) -> Result<Outcome> {
    let store = Progress::from_env();
    let mut out = format!("{:<22} {:<9} {}\n", "LESSON", "PROGRESS", "TITLE");
    for l in &set.lessons {
        let status = store
            .as_ref()
            .map_or(Status::New, |s| s.load(&l.name).status);
        out.push_str(&format!(
            "{:<22} {:<9} {}\n",
            l.name,
            status.as_str(),
            sanitize_for_display(&l.title)
        ));
    }
    let dir = match &set.from {
        Some(d) => format!("--dir {} ", sanitize_for_display(&d.display().to_string())),
        None => String::new(),
    };
    out.push_str(&format!(
        "\nOpen one with `rolesmith learn {dir}NAME`; `--handout NAME` prints it for a slide.\n"
    ));
    print_stdout(out.as_bytes())?;
    Ok(Outcome::Clean)
}

/// `rolesmith learn NAME`: the lesson in the editor's lesson mode (`tui::run_lesson`),
/// resumed from the learner's progress (role, hints, done), which it saves as they work.
fn open_lesson(lesson: &Lesson) -> Result<Outcome> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::Usage(
            "a lesson opens in the interactive editor, which needs a terminal (stdin and stderr must be a tty); \
             use `rolesmith learn --handout NAME` or `--check` in scripts"
                .into(),
        ));
    }
    let catalog = Arc::new(Catalog::load()?);
    Catalog::decode_all_in_background(&catalog);
    crate::tui::run_lesson(lesson, Progress::from_env(), catalog)?;
    Ok(Outcome::Clean)
}

/// `rolesmith learn --new NAME`.
fn write_skeleton(name: &str, dir: Option<&Path>) -> Result<Outcome> {
    if !lessons::is_valid_lesson_name(name) {
        return Err(Error::Usage(format!(
            "{:?} is not a lesson name: use 1-64 lower-case letters, digits and -",
            sanitize_for_display(name)
        )));
    }
    let path = dir
        .unwrap_or_else(|| Path::new("."))
        .join(format!("{name}.toml"));
    if crate::io::write::occupied(&path) {
        return Err(Error::Usage(format!(
            "{} already exists; pick another name or move it away (--new never overwrites)",
            path.display()
        )));
    }
    crate::io::write_atomic(&path, lessons::skeleton(name).as_bytes(), false)?;
    eprintln!(
        "wrote {}; edit it, then try it with `rolesmith learn --dir {} {name}`",
        sanitize_for_display(&path.display().to_string()),
        sanitize_for_display(
            &path
                .parent()
                .unwrap_or(Path::new("."))
                .display()
                .to_string()
        )
    );
    Ok(Outcome::Clean)
}

/// One learner's file, graded (or why it could not be).
struct Learner {
    file: String,
    result: std::result::Result<Grade, String>,
}

impl Learner {
    fn done(&self) -> bool {
        self.result.as_ref().is_ok_and(|g| g.done)
    }
}

/// `rolesmith learn --check LESSON ROLE...`: exit 0 only if every learner is done. A file
/// that does not read is a learner who is not done (its row says why); only a bad lesson or
/// command line is exit 2.
fn check(lesson: &Lesson, files: &[String], format: LearnFormat) -> Result<Outcome> {
    let catalog = Catalog::load()?;
    let learners: Vec<Learner> = files
        .iter()
        .map(|f| Learner {
            file: f.clone(),
            result: load_role_file(Path::new(f))
                .map(|role| lessons::grade(lesson, &role, &catalog))
                .map_err(|e| e.to_string()),
        })
        .collect();
    let text = match format {
        LearnFormat::Text => sanitize_lines(&check_text(lesson, &learners)),
        LearnFormat::Json => json_for_terminal(&check_json(lesson, &learners)).into_owned(),
    };
    print_stdout(text.as_bytes())?;
    Ok(if learners.iter().all(Learner::done) {
        Outcome::Clean
    } else {
        Outcome::FindingsFailed
    })
}

fn check_text(lesson: &Lesson, learners: &[Learner]) -> String {
    let width = learners
        .iter()
        .map(|l| l.file.chars().count())
        .max()
        .unwrap_or(0)
        .max("learner".len());
    let mut out = format!("{}: {}\n\n", lesson.name, lesson.title);
    out.push_str(&format!("{:<width$}", "learner"));
    for i in 1..=lesson.tasks.len() {
        out.push_str(&format!(" {i:>2}"));
    }
    out.push_str("  errors  done\n");
    for l in learners {
        out.push_str(&format!("{:<width$}", l.file));
        match &l.result {
            Ok(g) => {
                for t in &g.tasks {
                    out.push_str(if t.passed { "  ✓" } else { "  ✗" });
                }
                out.push_str(&format!(
                    "  {:<6}  {}\n",
                    g.errors.len(),
                    if g.done { "yes" } else { "no" }
                ));
            }
            Err(_) => {
                for _ in &lesson.tasks {
                    out.push_str("  -");
                }
                out.push_str("  -       unreadable\n");
            }
        }
    }
    out.push_str("\ntasks:\n");
    for (i, t) in lesson.tasks.iter().enumerate() {
        out.push_str(&format!("  {:>2}  {}\n", i + 1, t.title));
    }
    let stuck: Vec<&Learner> = learners.iter().filter(|l| !l.done()).collect();
    if !stuck.is_empty() {
        out.push_str("\nwhere they are stuck:\n");
        for l in stuck {
            match &l.result {
                Ok(g) => match g.tasks.iter().find(|t| !t.passed) {
                    Some(t) => out.push_str(&format!(
                        "  {}: task {}: {}\n",
                        l.file,
                        t.index + 1,
                        t.reason
                    )),
                    None => {
                        if let Some(f) = g.errors.first() {
                            out.push_str(&format!(
                                "  {}: error {}: {}\n",
                                l.file, f.code, f.message
                            ))
                        }
                    }
                },
                Err(e) => out.push_str(&format!("  {}: {e}\n", l.file)),
            }
        }
    }
    let done = learners.iter().filter(|l| l.done()).count();
    out.push_str(&format!("\n{done} of {} done\n", learners.len()));
    out
}

fn check_json(lesson: &Lesson, learners: &[Learner]) -> String {
    let tasks: Vec<_> = lesson
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| json!({"task": i + 1, "title": t.title}))
        .collect();
    let rows: Vec<_> = learners
        .iter()
        .map(|l| match &l.result {
            Ok(g) => json!({
                "file": l.file,
                "done": g.done,
                "tasks": g.tasks.iter().map(|t| json!({
                    "task": t.index + 1, "passed": t.passed, "reason": t.reason,
                })).collect::<Vec<_>>(),
                "errors": g.errors.iter().map(|f| json!({
                    "code": f.code, "message": f.message,
                })).collect::<Vec<_>>(),
            }),
            Err(e) => json!({"file": l.file, "done": false, "error": e, "tasks": [], "errors": []}),
        })
        .collect();
    let done = learners.iter().filter(|l| l.done()).count();
    let doc = json!({
        "lesson": lesson.name,
        "title": lesson.title,
        "tasks": tasks,
        "learners": rows,
        "summary": {"learners": learners.len(), "done": done, "not_done": learners.len() - done},
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
