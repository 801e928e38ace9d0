//! Lesson mode inside the app: the grade of every role revision (in place, or on the
//! lesson's worker thread when the preview has one), the progress saved (debounced, and on
//! every way out), and the status line told when a task turns ✓. The lesson's own keys and
//! state are the component `tui::lesson`; this is where the app drives it.

use std::sync::Arc;
use std::time::Instant;

use crate::role::RoleSpec;

use super::app::App;
use super::lesson::{GradeJob, Graded, LessonMode, LessonView, ProgressSnapshot};

/// Puts `app` in lesson mode and grades its role at once.
pub(crate) fn start(app: &mut App, mode: LessonMode) {
    app.lesson = Some(Box::new(mode));
    regrade(app);
}

/// The role the lesson is graded on: the statement being edited counts, as in the preview.
fn graded_role(app: &App) -> RoleSpec {
    match &app.steps.permissions.editor {
        Some(ed) => ed.apply_to(&app.role, &app.catalog),
        None => app.role.clone(),
    }
}

/// Asks for the grade of the role as it is now: in place without a preview worker (tests),
/// on the lesson's own thread otherwise.
fn regrade(app: &mut App) {
    let revision = app.revision;
    let role = graded_role(app);
    let background = app.background.is_some();
    let catalog = Arc::clone(&app.catalog);
    let Some(lesson) = app.lesson.as_mut() else {
        return;
    };
    lesson.requested = Some(revision);
    let job = GradeJob {
        revision,
        role,
        catalog,
        grader: Arc::clone(&lesson.grader),
    };
    if background {
        lesson.request(job);
    } else {
        let (rev, graded) = job.run();
        install(app, rev, graded);
    }
}

/// A finished grade on screen; says when a task turned ✓ and when the lesson is done.
fn install(app: &mut App, revision: u64, graded: Graded) {
    let Some(lesson) = app.lesson.as_mut() else {
        return;
    };
    let first = lesson.graded_revision.is_none();
    let newly: Vec<String> = graded
        .tasks
        .iter()
        .filter(|t| t.passed)
        .filter(|t| {
            !lesson
                .graded
                .tasks
                .iter()
                .any(|old| old.passed && old.text == t.text)
        })
        .map(|t| t.text.clone())
        .collect();
    lesson.graded = graded;
    lesson.graded_revision = Some(revision);
    if lesson.graded.done && !lesson.completed {
        lesson.completed = true;
        lesson.view = LessonView::Tasks;
        lesson.show_panel = true;
        lesson.scroll = 0;
        save_now(app);
        app.info("lesson complete: well done!");
        return;
    }
    if !lesson.graded.done && lesson.completed && !first {
        // Undone after finishing: the panel shows the tasks again; the progress keeps "done".
        lesson.completed = false;
    }
    if !first && let Some(t) = newly.first() {
        let (p, n) = lesson.graded.counts();
        app.info(format!("✓ task done ({p}/{n}): {t}"));
    }
}

/// After every action (from `update`): a new role revision is graded, and the progress is
/// scheduled to be saved.
pub(crate) fn after_update(app: &mut App) {
    let revision = app.revision;
    let Some(lesson) = app.lesson.as_mut() else {
        return;
    };
    if lesson.requested == Some(revision) {
        return;
    }
    lesson.debouncer.changed(Instant::now());
    regrade(app);
}

/// Installs a grade the worker finished; true when the screen needs a redraw.
pub(crate) fn catch_up(app: &mut App) -> bool {
    let Some(done) = app.lesson.as_mut().and_then(|l| l.poll()) else {
        return false;
    };
    install(app, done.0, done.1);
    true
}

/// Waits for the worker and installs the newest grade (tests).
pub(crate) fn wait(app: &mut App) {
    if let Some((rev, graded)) = app.lesson.as_mut().and_then(|l| l.finish()) {
        install(app, rev, graded);
    }
}

/// Whether the lesson worker has work (the event loop then wakes more often).
pub(crate) fn busy(app: &App) -> bool {
    app.lesson.as_ref().is_some_and(|l| l.busy())
}

/// Writes the progress once the role has been left alone long enough (event loop ticks).
pub(crate) fn tick(app: &mut App, now: Instant) {
    if app.lesson.as_mut().is_some_and(|l| l.debouncer.due(now)) {
        save_now(app);
    }
}

/// Writes the progress now: the role, the hints revealed, done. Called on quit, on every
/// way out of the event loop, after a hint and when the lesson is completed.
pub(crate) fn save_now(app: &mut App) {
    let Some(lesson) = app.lesson.as_mut() else {
        return;
    };
    let Some(saver) = lesson.saver.as_mut() else {
        return;
    };
    let snap = ProgressSnapshot {
        role: &app.role,
        hints_revealed: &lesson.hints_revealed,
        done: lesson.completed,
    };
    match saver(snap) {
        Ok(()) => {
            lesson.save_failed = false;
            // The progress holds the role: quitting loses nothing.
            app.dirty = false;
        }
        Err(e) => {
            if !lesson.save_failed {
                lesson.save_failed = true;
                app.error(format!("progress not saved: {e}"));
            }
        }
    }
}
