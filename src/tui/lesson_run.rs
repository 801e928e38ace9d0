//! Opening the editor in lesson mode: `rolesmith learn NAME`.
//!
//! The bridge between `crate::lessons` (what a lesson says, how a role is graded, where
//! progress is kept) and `tui::lesson` (the panel, which only knows [`Graded`] and
//! [`ProgressSnapshot`]). [`lesson_app`] builds the app a test drives; [`run_lesson`] runs it
//! on the terminal.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::lessons::{self, Lesson, LessonProgress, Progress, Status};
use crate::role::RoleSpec;

use super::app::{App, Pane};
use super::lesson::{
    CallRow, Graded, Grader, HintText, LessonInfo, LessonMode, ProgressSaver, ProgressSnapshot,
    TaskInfo, TaskRow,
};
use super::theme::Theme;

/// What the panel shows of `lesson` (the same for every role).
pub fn info(lesson: &Lesson) -> LessonInfo {
    LessonInfo {
        name: lesson.name.clone(),
        title: lesson.title.clone(),
        story: lesson.story.clone(),
        goal: lesson.goal.clone(),
        messages: lesson.messages.clone(),
        tasks: lesson
            .tasks
            .iter()
            .map(|t| TaskInfo {
                title: t.title.clone(),
                hints: t
                    .hints
                    .iter()
                    .map(|h| HintText {
                        level: h.level.as_str().to_string(),
                        text: h.text.clone(),
                    })
                    .collect(),
            })
            .collect(),
        learned: lesson.learned.clone(),
    }
}

/// Grades a role for the panel: the lesson's tasks and its scripted calls.
pub fn grade(lesson: &Lesson, role: &RoleSpec, catalog: &Catalog) -> Graded {
    let g = lessons::grade(lesson, role, catalog);
    let tasks = g
        .tasks
        .iter()
        .map(|t| TaskRow {
            text: lesson
                .tasks
                .get(t.index)
                .map_or_else(|| format!("task {}", t.index + 1), |x| x.title.clone()),
            passed: t.passed,
            why: vec![t.reason.clone()],
        })
        .collect();
    let calls = lessons::play_calls(lesson, role, catalog)
        .into_iter()
        .map(|c| {
            let request = match &c.resource {
                Some(r) => format!("{} on {r}", c.action),
                None => c.action.clone(),
            };
            let mut why = c.why;
            if !c.allowed && c.message.is_none() {
                why.insert(
                    0,
                    format!(
                        "{}: rolesmith cannot decide this call offline",
                        c.decision.as_str()
                    ),
                );
            }
            CallRow {
                label: c.label,
                request,
                allowed: c.allowed,
                message: c.message,
                why,
            }
        })
        .collect();
    Graded {
        tasks,
        calls,
        done: g.done,
        errors: g
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect(),
    }
}

/// The grader the panel runs (on a worker thread in the real program).
pub fn grader(lesson: Arc<Lesson>) -> Grader {
    Arc::new(move |role: &RoleSpec, catalog: &Catalog| grade(&lesson, role, catalog))
}

/// Saves progress for `name` in `progress`: the role, the hints per task, and the status
/// (done stays done once reached, as `learn` lists it).
pub fn saver(progress: Progress, name: String) -> ProgressSaver {
    Box::new(move |snap: ProgressSnapshot<'_>| {
        let old = progress.load(&name);
        let status = if snap.done || old.status == Status::Done {
            Status::Done
        } else {
            Status::Started
        };
        let entry = LessonProgress {
            status,
            hints: snap
                .hints_revealed
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (i, *n))
                .collect(),
            role: Some(snap.role.clone()),
        };
        progress.save(&name, &entry)
    })
}

/// The editor in lesson mode on `lesson`: the learner's saved role and hints when
/// `progress` holds some, the lesson's start role otherwise. Focus starts on the step list
/// (never inside a text field), so the lesson keys work at once.
pub fn lesson_app(
    lesson: &Lesson,
    progress: Option<Progress>,
    catalog: Arc<Catalog>,
    theme: Theme,
) -> App {
    let saved = progress
        .as_ref()
        .map(|p| p.load(&lesson.name))
        .unwrap_or_default();
    let role = saved.role.clone().unwrap_or_else(|| lesson.start.clone());
    let mut app = App::new(role, None, catalog, theme);
    app.focus = Pane::Steps;
    let saver = progress.map(|p| saver(p, lesson.name.clone()));
    let mut mode = LessonMode::new(info(lesson), grader(Arc::new(lesson.clone())), saver);
    for (i, n) in mode.hints_revealed.iter_mut().enumerate() {
        *n = saved.hints_revealed(i).min(lesson.hint_count(i));
    }
    // Done before: the complete view is not announced again, and the status stays done.
    mode.completed = saved.status == Status::Done;
    super::lesson_host::start(&mut app, mode);
    if saved.status == Status::New {
        // Opened: `learn` lists it as started from now on.
        super::lesson_host::save_now(&mut app);
    } else if saved.role.is_some() {
        app.info("resumed where you left this lesson");
    }
    app
}

/// `rolesmith learn NAME`: the lesson in the editor, on the terminal, until the learner
/// quits; the progress is saved as they work and on every way out.
pub fn run_lesson(
    lesson: &Lesson,
    progress: Option<Progress>,
    catalog: Arc<Catalog>,
) -> Result<()> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(crate::Error::Usage(
            "lesson mode needs a terminal (stdin and stderr must be a tty); \
             `rolesmith learn --check LESSON ROLE.toml` grades role files in scripts"
                .into(),
        ));
    }
    let mut app = lesson_app(lesson, progress, catalog, Theme::from_env());
    let (keymap, problems) = super::config::load_keymap();
    app.keymap = keymap;
    if let Some(first) = problems.first() {
        app.error(first.clone());
    }
    if let Some(text) = super::event_loop::run(app)? {
        print!("{text}");
    }
    Ok(())
}
