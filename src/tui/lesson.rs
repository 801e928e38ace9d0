//! Lesson mode: the editor with a panel that teaches (issue 15, guide §8).
//!
//! `rolesmith learn NAME` opens the ordinary wizard on the lesson's start role and adds
//! [`LessonMode`] to the [`App`]: a panel with the story and the goal, the tasks ✓/✗ as the
//! role changes, the hints revealed one by one (`h`: nudge, then pointer, then the answer
//! with its explanation), and the "run the function" view (`r`) that plays the lesson's
//! scripted calls against the learner's role as they would happen at run time. When every
//! task holds and no error finding is left, the panel says what was learned.
//!
//! This module knows nothing of how lessons are written or graded: it draws a [`Graded`]
//! that a [`Grader`] computes for a role, and hands a [`ProgressSnapshot`] to a
//! [`ProgressSaver`]. `tui::lesson_run` builds both from `crate::lessons`. Grading runs on a
//! worker thread when the preview does (the event loop), so a large role never costs a
//! keystroke; tests that drive `update` directly grade in place.
//!
//! Layout: wide terminals split the right column, the panel above the preview; narrow ones
//! (80x24) show the panel instead of the step pane and preview, toggled with `L`.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::catalog::Catalog;
use crate::role::RoleSpec;
use crate::session::Debouncer;

use super::action::Action;
use super::app::App;
use super::findings::Severity;
use super::sanitize::sanitize_for_display;
use super::widgets::list::list_move;

/// How long the role must be left alone before the progress file is written again.
pub const PROGRESS_DELAY: Duration = Duration::from_secs(1);

/// What the panel says about the lesson itself (it does not change while it runs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonInfo {
    /// The lesson's name (`learn NAME`).
    pub name: String,
    pub title: String,
    pub story: String,
    pub goal: String,
    /// AccessDenied messages the learner is given to work from (may be empty).
    pub messages: Vec<String>,
    /// The tasks, in order, each with its graded hints.
    pub tasks: Vec<TaskInfo>,
    /// What the complete view explains.
    pub learned: String,
}

/// A task as the lesson states it; [`Graded::tasks`] says whether it holds (same index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskInfo {
    pub title: String,
    /// In the order `h` reveals them: nudge, pointer, answer.
    pub hints: Vec<HintText>,
}

/// One hint, with how much it gives away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HintText {
    /// `nudge`, `pointer` or `answer`.
    pub level: String,
    pub text: String,
}

/// One task of the lesson, graded against the role as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRow {
    pub text: String,
    pub passed: bool,
    /// Why it fails (or holds), from the evaluation engine or the linter.
    pub why: Vec<String>,
}

/// One scripted call of the function, played against the role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRow {
    /// A short name, e.g. `PutObject reversed/abc.txt`.
    pub label: String,
    /// `s3:PutObject on arn:aws:s3:::bucket/key`.
    pub request: String,
    pub allowed: bool,
    /// The AccessDenied message AWS would print, when denied.
    pub message: Option<String>,
    /// The simulator's why.
    pub why: Vec<String>,
}

/// The grade of one role revision: what the panel shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graded {
    pub tasks: Vec<TaskRow>,
    pub calls: Vec<CallRow>,
    /// Every task ✓ and no error finding left.
    pub done: bool,
    /// Error findings still on the role (they keep the lesson open).
    pub errors: Vec<String>,
}

impl Graded {
    /// (passed, total) tasks.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.tasks.iter().filter(|t| t.passed).count(),
            self.tasks.len(),
        )
    }
}

/// Grades a role for the lesson: pure, so it can run on a worker thread.
pub type Grader = Arc<dyn Fn(&RoleSpec, &Catalog) -> Graded + Send + Sync>;

/// What is saved as progress: enough for `learn NAME` to resume where the learner was.
#[derive(Clone, Copy, Debug)]
pub struct ProgressSnapshot<'a> {
    pub role: &'a RoleSpec,
    /// Hints revealed, per task index.
    pub hints_revealed: &'a [usize],
    pub done: bool,
}

/// Writes the progress (to the learner's state folder, in the real program).
pub type ProgressSaver = Box<dyn FnMut(ProgressSnapshot<'_>) -> crate::Result<()>>;

/// Which view the panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LessonView {
    /// Story, goal, tasks, hints; "lesson complete" once done.
    #[default]
    Tasks,
    /// The scripted calls played against the role.
    Calls,
}

/// The state of lesson mode, held by [`App::lesson`].
pub struct LessonMode {
    pub info: LessonInfo,
    grader: Grader,
    saver: Option<ProgressSaver>,
    /// How many hints of each task are shown (per task index).
    pub hints_revealed: Vec<usize>,
    pub view: LessonView,
    /// The grade of [`LessonMode::graded_revision`] (the newest one finished).
    pub graded: Graded,
    pub graded_revision: Option<u64>,
    /// The revision last asked for.
    requested: Option<u64>,
    running: Option<JoinHandle<(u64, Graded)>>,
    queued: Option<GradeJob>,
    /// The panel is shown (narrow terminals: instead of the editor; wide: above the preview).
    pub show_panel: bool,
    /// Rows the panel is scrolled by.
    pub scroll: u16,
    /// After `h`: the panel scrolls to the hints (until it is scrolled by hand).
    pub follow_hints: bool,
    debouncer: Debouncer,
    /// The lesson was reported done (the progress says so, the status line said it once).
    pub completed: bool,
    /// The last progress write failed (said once, not on every key).
    save_failed: bool,
}

impl std::fmt::Debug for LessonMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LessonMode")
            .field("name", &self.info.name)
            .field("hints_revealed", &self.hints_revealed)
            .field("view", &self.view)
            .field("graded_revision", &self.graded_revision)
            .field("completed", &self.completed)
            .finish()
    }
}

struct GradeJob {
    revision: u64,
    role: RoleSpec,
    catalog: Arc<Catalog>,
    grader: Grader,
}

impl GradeJob {
    fn run(self) -> (u64, Graded) {
        let graded = (self.grader)(&self.role, &self.catalog);
        (self.revision, graded)
    }
}

impl LessonMode {
    /// Lesson mode for `info`, graded by `grader`; `hints_revealed` and `completed` come
    /// from the saved progress when the lesson is resumed.
    pub fn new(info: LessonInfo, grader: Grader, saver: Option<ProgressSaver>) -> LessonMode {
        LessonMode {
            hints_revealed: vec![0; info.tasks.len()],
            info,
            grader,
            saver,
            view: LessonView::Tasks,
            graded: Graded::default(),
            graded_revision: None,
            requested: None,
            running: None,
            queued: None,
            show_panel: true,
            scroll: 0,
            follow_hints: false,
            debouncer: Debouncer::new(PROGRESS_DELAY),
            completed: false,
            save_failed: false,
        }
    }

    /// Whether a grade is being computed or waits to be.
    pub fn busy(&self) -> bool {
        self.running.is_some() || self.queued.is_some()
    }

    fn request(&mut self, job: GradeJob) {
        if self.running.is_some() {
            self.queued = Some(job);
        } else {
            self.running = Some(std::thread::spawn(move || job.run()));
        }
    }

    /// A finished grade, if one is ready (the waiting job then starts).
    fn poll(&mut self) -> Option<(u64, Graded)> {
        if !self.running.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let done = self.running.take()?.join().ok();
        if let Some(job) = self.queued.take() {
            self.request(job);
        }
        done
    }

    fn finish(&mut self) -> Option<(u64, Graded)> {
        let mut last = None;
        while let Some(running) = self.running.take() {
            last = running.join().ok();
            if let Some(job) = self.queued.take() {
                self.request(job);
            }
        }
        last
    }
}

/// Puts `app` in lesson mode and grades its role at once.
pub fn start(app: &mut App, mode: LessonMode) {
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
pub fn after_update(app: &mut App) {
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
pub fn catch_up(app: &mut App) -> bool {
    let Some(done) = app.lesson.as_mut().and_then(|l| l.poll()) else {
        return false;
    };
    install(app, done.0, done.1);
    true
}

/// Waits for the worker and installs the newest grade (tests).
pub fn wait(app: &mut App) {
    if let Some((rev, graded)) = app.lesson.as_mut().and_then(|l| l.finish()) {
        install(app, rev, graded);
    }
}

/// Whether the lesson worker has work (the event loop then wakes more often).
pub fn busy(app: &App) -> bool {
    app.lesson.as_ref().is_some_and(|l| l.busy())
}

/// Writes the progress once the role has been left alone long enough (event loop ticks).
pub fn tick(app: &mut App, now: Instant) {
    if app.lesson.as_mut().is_some_and(|l| l.debouncer.due(now)) {
        save_now(app);
    }
}

/// Writes the progress now: the role, the hints revealed, done. Called on quit, on every
/// way out of the event loop, after a hint and when the lesson is completed.
pub fn save_now(app: &mut App) {
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

/// Is the panel covering the editor (narrow terminals)?
pub fn covers_editor(app: &App) -> bool {
    !app.wide() && app.lesson.as_ref().is_some_and(|l| l.show_panel)
}

/// The keys of lesson mode, before the panes see them; true when used.
pub fn handle(app: &mut App, action: Action) -> bool {
    let covers = covers_editor(app);
    let Some(lesson) = app.lesson.as_mut() else {
        return false;
    };
    match action {
        Action::Hint => {
            lesson.view = LessonView::Tasks;
            lesson.show_panel = true;
            // The next hint of the first task that does not hold yet.
            let Some(task) = lesson.graded.tasks.iter().position(|t| !t.passed) else {
                let msg = if lesson.graded.done {
                    "every task holds: no hint needed"
                } else {
                    "every task holds: fix the errors left (step 5, Review)"
                };
                app.info(msg);
                return true;
            };
            let hints = lesson
                .info
                .tasks
                .get(task)
                .map_or(&[][..], |t| &t.hints[..]);
            let total = hints.len();
            if lesson.hints_revealed.len() <= task {
                lesson.hints_revealed.resize(task + 1, 0);
            }
            let shown = lesson.hints_revealed[task];
            if total == 0 {
                app.info(format!("task {} has no hints", task + 1));
            } else if shown >= total {
                app.info(format!(
                    "every hint of task {} is shown (the last is the answer)",
                    task + 1
                ));
            } else {
                lesson.hints_revealed[task] = shown + 1;
                let level = hints[shown].level.clone();
                // Keep the hints in view.
                lesson.follow_hints = true;
                save_now(app);
                app.info(format!(
                    "task {}: hint {} of {total} ({level})",
                    task + 1,
                    shown + 1
                ));
            }
        }
        Action::RunCalls => {
            // Hidden, the panel comes back with the calls; shown, `r` switches views.
            let shown = lesson.show_panel;
            lesson.show_panel = true;
            lesson.scroll = 0;
            lesson.follow_hints = false;
            if shown && lesson.view == LessonView::Calls {
                lesson.view = LessonView::Tasks;
            } else {
                lesson.view = LessonView::Calls;
                let denied = lesson.graded.calls.iter().filter(|c| !c.allowed).count();
                let n = lesson.graded.calls.len();
                app.info(if denied == 0 {
                    format!(
                        "the function ran: {} allowed",
                        crate::tui::widgets::text::count_s(n, "call")
                    )
                } else {
                    format!(
                        "the function ran: {denied} of {} denied",
                        crate::tui::widgets::text::count_s(n, "call")
                    )
                });
            }
        }
        Action::ToggleLesson => {
            lesson.show_panel = !lesson.show_panel;
            lesson.scroll = 0;
            lesson.follow_hints = false;
        }
        Action::LessonScroll(down) => scroll_by(lesson, if down { 3 } else { -3 }),
        Action::Quit => {
            save_now(app);
            app.should_quit = true;
        }
        // The panel covers the editor: arrows scroll it, Esc goes back to the editor, and
        // going to a step shows that step.
        a if covers && list_move(a, 0, 1).is_some() => scroll_with(lesson, a),
        Action::Back if covers => lesson.show_panel = false,
        Action::GoToStep(_) if covers => {
            lesson.show_panel = false;
            return false;
        }
        _ => return false,
    }
    true
}

/// Far enough for any lesson text; keeps "up" from having to undo a thousand "down"s.
const MAX_SCROLL: u16 = 400;

thread_local! {
    /// How far the panel drawn last could scroll (its text's rows past its height), so the
    /// keys stop where the text ends instead of at [`MAX_SCROLL`].
    static PANEL_MAX: std::cell::Cell<u16> = const { std::cell::Cell::new(MAX_SCROLL) };
}

/// Where the panel can scroll to: 0 ..= this.
fn panel_max() -> u16 {
    PANEL_MAX.with(|m| m.get()).min(MAX_SCROLL)
}

/// Scrolls the panel by hand (it stops following the hints).
fn scroll_by(lesson: &mut LessonMode, delta: i32) {
    lesson.follow_hints = false;
    let next = i32::from(lesson.scroll.min(panel_max())) + delta;
    lesson.scroll = next.clamp(0, i32::from(panel_max())) as u16;
}

/// The list keys on the panel, as on every list (`widgets::list::list_move`): a row per ↑↓,
/// a page per PageUp/PageDown, Home/End to the ends of the text.
fn scroll_with(lesson: &mut LessonMode, action: Action) {
    let max = panel_max();
    if let Some(i) = list_move(
        action,
        usize::from(lesson.scroll.min(max)),
        usize::from(max) + 1,
    ) {
        lesson.follow_hints = false;
        lesson.scroll = i as u16;
    }
}

/// The mouse wheel over the panel: three rows, as over any list.
pub fn wheel(app: &mut App, up: bool) {
    if let Some(lesson) = app.lesson.as_mut() {
        scroll_by(lesson, if up { -3 } else { 3 });
    }
}

/// The keys the status line offers in lesson mode (first, before the step's own).
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let Some(lesson) = app.lesson.as_ref() else {
        return Vec::new();
    };
    let mut v = Vec::new();
    if !lesson.graded.done {
        v.push(("h", "hint"));
    }
    v.push((
        "r",
        if lesson.show_panel && lesson.view == LessonView::Calls {
            "lesson"
        } else {
            "run"
        },
    ));
    v.push((
        "L",
        if covers_editor(app) {
            "editor"
        } else if lesson.show_panel {
            "hide lesson"
        } else {
            "lesson"
        },
    ));
    v
}

/// The short state for the status line: `lesson mode 1/2✓`.
pub fn status_badge(app: &App) -> Option<String> {
    let lesson = app.lesson.as_ref()?;
    let (p, n) = lesson.graded.counts();
    Some(if lesson.graded.done {
        "lesson mode ✓ complete ".to_string()
    } else {
        format!("lesson mode {p}/{n}✓ ")
    })
}

/// The panel's title: the view, then the lesson (cut by the border when long).
fn title(lesson: &LessonMode) -> String {
    let what = match (lesson.view, lesson.graded.done) {
        (LessonView::Calls, _) => "run the function",
        (LessonView::Tasks, true) => "complete",
        (LessonView::Tasks, false) => "lesson",
    };
    format!("{what} · {}", lesson.info.title)
}

/// Draws the panel into `area` (with its border): the tasks ✓/✗ always on top, then the
/// view (story and hints, the calls, or what was learned), scrollable, then its keys.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(lesson) = app.lesson.as_ref() else {
        return;
    };
    let title = title(lesson);
    let block = super::draw::pane_block(app, &title, covers_editor(app));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
    let tasks = task_rows(app, lesson, inner.width);
    // The tasks take what they need, up to half the panel.
    let tasks_h = (tasks.len() as u16).min(inner.height / 2);
    let [tasks_area, body, keys] = Layout::vertical([
        Constraint::Length(tasks_h),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(tasks), tasks_area);
    let (lines, anchor) = match (lesson.view, lesson.graded.done) {
        (LessonView::Calls, _) => (calls_lines(app, lesson), None),
        (LessonView::Tasks, true) => (complete_lines(app, lesson), None),
        (LessonView::Tasks, false) => task_lines(app, lesson),
    };
    // Scrolled no further than the text goes; after `h`, to the hints.
    let total = wrapped_rows(&lines, body.width);
    let max = total.saturating_sub(body.height);
    PANEL_MAX.with(|m| m.set(max));
    let wanted = match (lesson.follow_hints, anchor) {
        (true, Some((first, end))) => {
            // The task's heading on top if its hints fit below it, else the newest hint
            // at the bottom.
            let top = wrapped_rows(&lines[..first.min(lines.len())], body.width);
            let bottom = wrapped_rows(&lines[..end.min(lines.len())], body.width);
            if bottom - top <= body.height {
                top
            } else {
                bottom - body.height
            }
        }
        _ => lesson.scroll,
    };
    let scroll = wanted.min(max);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (k, what) in hints(app) {
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    if max > 0 {
        spans.push(Span::styled(
            if covers_editor(app) {
                "↑↓ scroll"
            } else {
                "[ ] scroll"
            },
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), keys);
}

/// How many rows `lines` take wrapped at `width`, word by word as the panel's paragraph
/// wraps them (a word longer than the width is broken), so scrolling to the hints lands on
/// them and stops at the end of the text.
fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let mut rows = 0usize;
    for l in lines {
        let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        rows += rows_of(&text, w);
    }
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Rows of one line under greedy word wrap at `w` columns.
fn rows_of(text: &str, w: usize) -> usize {
    let mut rows = 1;
    let mut col = 0usize;
    for word in text.split(' ') {
        let len = Span::raw(word).width();
        let gap = usize::from(col > 0);
        if col + gap + len <= w {
            col += gap + len;
            continue;
        }
        if col > 0 {
            rows += 1;
        }
        // A word wider than the row is broken over as many rows as it needs.
        rows += len.saturating_sub(1) / w;
        col = match len % w {
            0 if len > 0 => w,
            r => r,
        };
    }
    rows
}

fn text(s: &str) -> String {
    sanitize_for_display(s).into_owned()
}

/// A lesson text as lines: the lines of a paragraph joined (the file wraps them at its
/// own width), paragraphs kept apart by a blank line.
fn prose(s: &str) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for para in s.trim().split("\n\n") {
        let joined: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if joined.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::raw(text(&joined.join(" "))));
    }
    out
}

/// The tasks block: a heading and one line per task, ✓ or ✗, cut to the width.
fn task_rows(app: &App, lesson: &LessonMode, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let (p, n) = lesson.graded.counts();
    let mut out = vec![Line::from(Span::styled(
        if lesson.graded_revision.is_none() {
            "Tasks (checking…)".to_string()
        } else {
            format!("Tasks: {p} of {n} done")
        },
        theme.title(),
    ))];
    let w = usize::from(width.saturating_sub(4));
    for (i, t) in lesson.graded.tasks.iter().enumerate() {
        let (mark, style) = if t.passed {
            ("✓ ", theme.ok())
        } else {
            ("✗ ", theme.severity(Severity::Error))
        };
        out.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(super::widgets::field::truncate(
                &format!("{} {}", i + 1, text(&t.text)),
                w,
            )),
        ]));
    }
    if !lesson.graded.errors.is_empty() && p == n && n > 0 {
        out.push(Line::from(Span::styled(
            format!(
                "✗ {} error finding{} left (step 5)",
                lesson.graded.errors.len(),
                if lesson.graded.errors.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            theme.severity(Severity::Error),
        )));
    }
    out
}

/// The revealed hints of task `i`.
fn hint_lines(app: &App, lesson: &LessonMode, i: usize, out: &mut Vec<Line<'static>>) {
    let theme = &app.theme;
    let hints = lesson.info.tasks.get(i).map_or(&[][..], |t| &t.hints[..]);
    let shown = lesson
        .hints_revealed
        .get(i)
        .copied()
        .unwrap_or(0)
        .min(hints.len());
    for (n, h) in hints.iter().take(shown).enumerate() {
        out.push(Line::from(vec![
            Span::styled(
                format!("hint {}/{} ({}): ", n + 1, hints.len(), text(&h.level)),
                theme.key(),
            ),
            Span::raw(text(
                &h.text.split_whitespace().collect::<Vec<_>>().join(" "),
            )),
        ]));
    }
}

/// The lesson view: the goal, the story, then each task that does not hold with why and
/// its hints. Returns the lines and where the task `h` serves begins and its hints end.
fn task_lines(app: &App, lesson: &LessonMode) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let theme = &app.theme;
    let mut out = vec![Line::from(vec![
        Span::styled("Goal: ", theme.title()),
        Span::raw(text(lesson.info.goal.trim())),
    ])];
    out.push(Line::raw(""));
    out.extend(prose(&lesson.info.story));
    for m in &lesson.info.messages {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(
            "The function failed with:",
            theme.title(),
        )));
        out.push(Line::raw(text(m.trim())));
    }
    let mut anchor = None;
    for (i, t) in lesson.graded.tasks.iter().enumerate() {
        if t.passed {
            continue;
        }
        out.push(Line::raw(""));
        let first = out.len();
        out.push(Line::from(vec![
            Span::styled("✗ ", theme.severity(Severity::Error)),
            Span::styled(format!("{} {}", i + 1, text(&t.text)), theme.title()),
        ]));
        for w in t.why.iter().take(2) {
            out.push(Line::from(Span::styled(text(w), theme.dim())));
        }
        hint_lines(app, lesson, i, &mut out);
        anchor.get_or_insert((first, out.len()));
    }
    if lesson.graded.tasks.iter().all(|t| t.passed) && !lesson.graded.errors.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(
            "Every task holds; the lesson ends when no error is left:",
            theme.severity(Severity::Error),
        )));
        for e in &lesson.graded.errors {
            out.push(Line::raw(text(e)));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Stuck? h gives a hint for the first ✗ task: a nudge, a pointer, then the answer.",
        theme.dim(),
    )));
    (out, anchor)
}

fn calls_lines(app: &App, lesson: &LessonMode) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let calls = &lesson.graded.calls;
    let denied = calls.iter().filter(|c| !c.allowed).count();
    let mut out = vec![Line::from(Span::styled(
        format!(
            "The function runs with your role: {} call{}, {denied} denied",
            calls.len(),
            if calls.len() == 1 { "" } else { "s" }
        ),
        theme.title(),
    ))];
    if calls.is_empty() {
        out.push(Line::raw("This lesson scripts no calls."));
    }
    // In the order the function makes them; an allowed call takes one row (its name), a denied one
    // says what AWS would answer and why.
    let mut after_denied = true;
    for c in calls {
        if c.allowed {
            if after_denied {
                out.push(Line::raw(""));
            }
            after_denied = false;
            out.push(Line::from(vec![
                Span::styled("✓ ", theme.ok()),
                Span::styled(text(&c.label), theme.ok()),
                Span::styled("  allowed", theme.dim()),
            ]));
            continue;
        }
        after_denied = true;
        out.push(Line::raw(""));
        let style = theme.severity(Severity::Error);
        out.push(Line::from(vec![
            Span::styled("✗ ", style),
            Span::styled(text(&c.label), style),
        ]));
        out.push(Line::from(Span::styled(text(&c.request), theme.dim())));
        if let Some(m) = &c.message {
            out.push(Line::raw(text(m)));
        }
        for w in &c.why {
            out.push(Line::from(Span::styled(
                format!("why: {}", text(w)),
                theme.dim(),
            )));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Change the role in the editor: the calls are played again on every change.",
        theme.dim(),
    )));
    out
}

fn complete_lines(app: &App, lesson: &LessonMode) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut out = vec![
        Line::from(Span::styled(
            "✓ Lesson complete: every task holds and no error is left.",
            theme.ok(),
        )),
        Line::raw(""),
        Line::from(Span::styled("What you learned", theme.title())),
    ];
    out.extend(prose(&lesson.info.learned));
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Your progress is saved. q quits; `rolesmith learn` lists the other lessons.",
        theme.dim(),
    )));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(passed: bool) -> Graded {
        Graded {
            tasks: vec![TaskRow {
                text: "allow s3:PutObject on arn:aws:s3:::b/k".into(),
                passed,
                why: vec!["resource arn:aws:s3:::b does not match".into()],
            }],
            calls: Vec::new(),
            done: passed,
            errors: Vec::new(),
        }
    }

    #[test]
    fn rows_follow_word_wrap() {
        assert_eq!(rows_of("", 10), 1);
        assert_eq!(rows_of("abc def", 10), 1);
        assert_eq!(rows_of("abcde fghij", 10), 2);
        assert_eq!(rows_of("abcdefghijklmnopqrstuvwxyz", 10), 3);
        assert_eq!(rows_of("ab abcdefghijklmnopqrst", 10), 3);
    }

    #[test]
    fn lesson_keys_can_be_rebound_in_config() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let mut km = crate::tui::keymap::Keymap::default();
        let problems = crate::tui::config::apply_config(
            &mut km,
            std::path::Path::new("c.toml"),
            "[keys]\nhint = \"H\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let ctx = crate::tui::keymap::Context::Lesson;
        assert_eq!(km.lookup(ctx, &key('H')), Some(Action::Hint));
        // `h` is "left" again, as in the editor.
        assert_eq!(km.lookup(ctx, &key('h')), Some(Action::Left));
    }

    #[test]
    fn counts_and_badge() {
        assert_eq!(graded(true).counts(), (1, 1));
        assert_eq!(graded(false).counts(), (0, 1));
    }

    #[test]
    fn worker_grades_the_newest_revision() {
        let grader: Grader = Arc::new(|role: &RoleSpec, _: &Catalog| Graded {
            done: role.name == "done",
            ..Graded::default()
        });
        let mut mode = LessonMode::new(LessonInfo::default(), grader, None);
        let catalog = Arc::new(Catalog::embedded().clone());
        for (rev, name) in [(1, "a"), (2, "b"), (3, "done")] {
            let role = RoleSpec {
                name: name.into(),
                ..RoleSpec::default()
            };
            mode.request(GradeJob {
                revision: rev,
                role,
                catalog: Arc::clone(&catalog),
                grader: Arc::clone(&mode.grader),
            });
        }
        let (rev, g) = mode.finish().expect("a grade");
        assert_eq!(rev, 3);
        assert!(g.done);
        assert!(!mode.busy());
    }
}
