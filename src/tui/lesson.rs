//! Lesson mode: the editor with a panel that teaches (issue 15, guide §8).
//!
//! `rolesmith learn NAME` opens the ordinary wizard on the lesson's start role and adds
//! [`LessonMode`] to the app: a panel with the story and the goal, the tasks ✓/✗ as the
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
//! This module is the component: the state and the keys (a [`Ctx`] over [`LessonMode`],
//! effects for the rest). `tui::lesson_host` runs the grading and saving inside the app,
//! `tui::lesson_panel` draws the panel.
//!
//! Layout: wide terminals split the right column, the panel above the preview; narrow ones
//! (80x24) show the panel instead of the step pane and preview, toggled with `L`.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::catalog::Catalog;
use crate::role::RoleSpec;
use crate::session::Debouncer;

use super::action::Action;
use super::context::Ctx;
use super::effect::Effect;
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

/// The state of lesson mode, held by `App::lesson`.
pub struct LessonMode {
    pub info: LessonInfo,
    pub(crate) grader: Grader,
    pub(crate) saver: Option<ProgressSaver>,
    /// How many hints of each task are shown (per task index).
    pub hints_revealed: Vec<usize>,
    pub view: LessonView,
    /// The grade of [`LessonMode::graded_revision`] (the newest one finished).
    pub graded: Graded,
    pub graded_revision: Option<u64>,
    /// The revision last asked for.
    pub(crate) requested: Option<u64>,
    pub(crate) running: Option<JoinHandle<(u64, Graded)>>,
    pub(crate) queued: Option<GradeJob>,
    /// The panel is shown (narrow terminals: instead of the editor; wide: above the preview).
    pub show_panel: bool,
    /// Rows the panel is scrolled by.
    pub scroll: u16,
    /// After `h`: the panel scrolls to the hints (until it is scrolled by hand).
    pub follow_hints: bool,
    pub(crate) debouncer: Debouncer,
    /// The lesson was reported done (the progress says so, the status line said it once).
    pub completed: bool,
    /// The last progress write failed (said once, not on every key).
    pub(crate) save_failed: bool,
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

pub(crate) struct GradeJob {
    pub(crate) revision: u64,
    pub(crate) role: RoleSpec,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) grader: Grader,
}

impl GradeJob {
    pub(crate) fn run(self) -> (u64, Graded) {
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

    pub(crate) fn request(&mut self, job: GradeJob) {
        if self.running.is_some() {
            self.queued = Some(job);
        } else {
            self.running = Some(std::thread::spawn(move || job.run()));
        }
    }

    /// A finished grade, if one is ready (the waiting job then starts).
    pub(crate) fn poll(&mut self) -> Option<(u64, Graded)> {
        if !self.running.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let done = self.running.take()?.join().ok();
        if let Some(job) = self.queued.take() {
            self.request(job);
        }
        done
    }

    pub(crate) fn finish(&mut self) -> Option<(u64, Graded)> {
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
/// Is the panel covering the editor (narrow terminals)?
pub fn covers_editor(wide: bool, lesson: Option<&LessonMode>) -> bool {
    !wide && lesson.is_some_and(|l| l.show_panel)
}

/// The keys of lesson mode, before the panes see them; true when used.
/// `wide`: the terminal has room for the panel beside the editor.
pub fn handle(cx: &mut Ctx<'_, LessonMode>, wide: bool, action: Action) -> bool {
    let covers = covers_editor(wide, Some(cx.state));
    let lesson = &mut *cx.state;
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
                cx.info(msg);
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
                cx.info(format!("task {} has no hints", task + 1));
            } else if shown >= total {
                cx.info(format!(
                    "every hint of task {} is shown (the last is the answer)",
                    task + 1
                ));
            } else {
                lesson.hints_revealed[task] = shown + 1;
                let level = hints[shown].level.clone();
                // Keep the hints in view.
                lesson.follow_hints = true;
                cx.push(Effect::SaveLesson);
                cx.info(format!(
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
                cx.info(if denied == 0 {
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
            cx.push(Effect::SaveLesson);
            cx.push(Effect::Quit);
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
pub fn wheel(lesson: &mut LessonMode, up: bool) {
    scroll_by(lesson, if up { -3 } else { 3 });
}

/// The panel drawn last can scroll this far (called while drawing it).
pub(crate) fn set_panel_max(max: u16) {
    PANEL_MAX.with(|m| m.set(max));
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
