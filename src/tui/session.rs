//! Guard rails around the role being edited: undo/redo, autosave and resume, and the
//! questions asked before work could be lost.
//!
//! `after_update` runs after every action (from `app::update`) and compares the
//! role before and after, so no action can forget to record its change for undo or to
//! schedule an autosave. `intercept` takes the actions that act on the whole role (undo,
//! redo, open, fixes, explanations, mouse) before the steps see them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::role::RoleSpec;
use crate::session::{AutosaveKey, AutosaveStore, Debouncer, History};

use super::action::Action;
use super::app::App;
use super::effect::Effect;
use super::modal::Modal;
use super::steps::{self, Step};

/// How many changes can be undone.
pub const UNDO_STEPS: usize = 200;
/// Quiet time after the last change before the autosave is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(1);

/// Undo history and autosave state of one editing session.
#[derive(Clone, Debug)]
pub struct EditSession {
    pub history: History<RoleSpec>,
    /// Where autosaves go; `None` (tests, no home folder) turns autosave off.
    pub store: Option<AutosaveStore>,
    pub key: AutosaveKey,
    pub debouncer: Debouncer,
    /// The last change was typing: further keys of the same run are one undo step.
    typing: bool,
    /// Quit once the save the user asked for (while quitting) has succeeded.
    pub quit_after_save: bool,
    /// The autosave offered at start, until the user answers.
    pending_resume: Option<(AutosaveKey, crate::session::Autosave)>,
    /// The last autosave error, shown once (autosave must not nag on every key).
    autosave_failed: bool,
    /// The user chose to throw the changes away (no autosave on exit).
    pub discarded: bool,
    /// The step shown after the previous action (to notice arriving on Review).
    last_step: Option<Step>,
    /// Where the account and region of a saved role are remembered for new roles; `None`
    /// (tests) remembers nothing.
    pub last_used: Option<PathBuf>,
    /// The role as last saved (for [`EditSession::saved`]).
    pub saved_role: RoleSpec,
}

impl Default for EditSession {
    fn default() -> Self {
        Self::new()
    }
}

impl EditSession {
    /// No autosave until `enable_autosave_for` is called (the CLI does; tests may).
    pub fn new() -> EditSession {
        EditSession {
            history: History::new(UNDO_STEPS),
            store: None,
            key: AutosaveKey::untitled(),
            debouncer: Debouncer::new(AUTOSAVE_DELAY),
            typing: false,
            quit_after_save: false,
            pending_resume: None,
            autosave_failed: false,
            discarded: false,
            last_step: None,
            last_used: None,
            saved_role: RoleSpec::default(),
        }
    }

    /// After a successful save to `path`: the autosave is no longer needed, and later
    /// autosaves belong to that file.
    pub fn saved(&mut self, path: &Path) {
        if let Some(file) = &self.last_used {
            // Remembering is a convenience: failing to write it never fails the save.
            let _ = crate::session::last_used::LastUsed::remember(file, &self.saved_role);
        }
        if let Some(store) = &self.store {
            let _ = store.discard(&self.key);
        }
        self.key = AutosaveKey::for_file(path);
        if let Some(store) = &self.store {
            let _ = store.discard(&self.key);
        }
        self.debouncer = Debouncer::new(AUTOSAVE_DELAY);
    }

    /// How long the event loop may wait for input before `tick` has work to do.
    pub fn wait_hint(&self, now: Instant) -> Option<Duration> {
        self.store.as_ref()?;
        self.debouncer.time_left(now)
    }
}

/// The text Ctrl-S writes to `path`: the file the role was opened from keeps its comments
/// and layout ([`crate::role::save`]); any other file (a new one, or one the user chose to
/// replace) is written fresh.
pub(crate) fn save_text(app: &App, path: &Path) -> crate::Result<crate::role::save::SaveText> {
    let same_file = app.path.as_deref() == Some(path);
    let old = if same_file && path.is_file() {
        crate::io::read_text(path, crate::io::InputKind::Document).ok()
    } else {
        None
    };
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    crate::role::save::role_file_text(old.as_deref(), base, &app.role)
}

/// Turns autosave on for `app` (stored in `store`), and offers to resume an autosave left
/// by an earlier session on the same file (or, for a new role, the newest untitled one).
/// A role built from `documents` (`edit --trust T --policy P`, no role file) has its
/// autosave keyed by those documents, and only theirs is offered.
pub(crate) fn enable_autosave_for(app: &mut App, store: AutosaveStore, documents: &[PathBuf]) {
    app.session.key = match &app.path {
        Some(p) => AutosaveKey::for_file(p),
        None if !documents.is_empty() => AutosaveKey::for_documents(documents),
        None => AutosaveKey::untitled(),
    };
    if let Some((key, save)) = store.find_resumable(&app.session.key)
        && save.role != app.role
    {
        let saved_at = describe_time(save.saved_at);
        app.session.pending_resume = Some((key, save));
        app.apply_effect(Effect::Open(Modal::Resume { saved_at }));
    }
    app.session.store = Some(store);
}

/// The role now belongs to `path` (or to no file yet): Ctrl-S and the autosave follow.
pub(crate) fn moved_to(app: &mut App, path: Option<PathBuf>) {
    app.session.key = match &path {
        Some(p) => AutosaveKey::for_file(p),
        None => AutosaveKey::untitled(),
    };
    app.path = path;
}

/// Writes the autosave when changes have been quiet long enough. Called by the event loop
/// when it wakes (input or the debounce timeout).
pub(crate) fn tick(app: &mut App, now: Instant) {
    if app.session.store.is_some() && app.session.debouncer.due(now) {
        flush_autosave(app);
    }
    super::lesson_host::tick(app, now);
}

/// Writes the autosave now (if there is unsaved work and a store).
pub(crate) fn flush_autosave(app: &mut App) {
    let Some(store) = &app.session.store else {
        return;
    };
    if !app.dirty {
        return;
    }
    match store.write(&app.session.key, app.path.as_deref(), &app.role) {
        Ok(()) => app.session.autosave_failed = false,
        Err(e) => {
            if !app.session.autosave_failed {
                app.session.autosave_failed = true;
                app.error(format!("autosave failed: {e}"));
            }
        }
    }
}

/// Actions on the whole role, before the steps see them; true when handled.
pub(crate) fn intercept(app: &mut App, action: Action) -> bool {
    if app.too_small() {
        return false;
    }
    // Clicks focus and pick steps in `update` itself; the wheel scrolls what is under it.
    if let Action::Wheel { .. } = action {
        super::mouse::handle(app, action);
        return true;
    }
    if let Some(Modal::Help) = app.modal {
        return super::modal::scroll_help(app, action);
    }
    if app.modal.is_some() {
        return false;
    }
    let editing_statement = app.steps.permissions.editor.is_some();
    match action {
        // The trust document's JSON editor holds a draft too (see `steps::trust_document`):
        // undo and redo act on its text, the rest waits until it is applied or dropped.
        Action::Undo | Action::Redo if steps::trust_document::editor_open(&app.steps.trust) => {
            app.with_ctx(|cx| {
                steps::trust_document::undo_text(
                    &mut cx.sub(|s| &mut s.trust),
                    action == Action::Redo,
                )
            });
        }
        Action::Open | Action::ApplyFix if steps::trust_document::editor_open(&app.steps.trust) => {
            app.info("apply the trust document being edited (Esc) or drop it first");
        }
        // The statement editor holds a draft that is not in the role yet: replacing the
        // role under it would drop the draft silently.
        Action::Undo | Action::Redo | Action::Open | Action::ApplyFix if editing_statement => {
            app.info("finish the statement being edited (step 3) or close it (Esc) first");
        }
        Action::Undo => undo(app),
        Action::Redo => redo(app),
        Action::Open => super::open::ask_path(app),
        Action::Explain => {
            let selected = if app.step == Step::Review {
                app.steps.review.selected
            } else {
                0
            };
            app.status = None;
            app.apply_effect(Effect::Open(Modal::Explain { selected }));
        }
        // On the Check tab, `f` is the Check panel's (a failing expectation's statement).
        Action::ApplyFix
            if app.step == Step::Review
                && app.steps.review.tab == super::steps::review::ReviewTab::Findings =>
        {
            let i = app.steps.review.selected;
            app.with_ctx(|cx| super::fixes::ask(&mut cx.sub(|s| &mut s.review), i));
        }
        _ => return false,
    }
    true
}

/// Records a change for undo and schedules the autosave; called after every action.
pub(crate) fn after_update(app: &mut App, before: RoleSpec, action: Action) {
    if let Action::Click(column, row) = action
        && app.modal.is_none()
        && !app.too_small()
    {
        super::mouse::after_click(app, column, row);
    }
    // Arriving on Review: the preview shows the lines behind the selected finding.
    if app.step == Step::Review && app.session.last_step != Some(Step::Review) {
        let i = app.steps.review.selected;
        app.apply_effect(Effect::SelectFinding(i));
    }
    app.session.last_step = Some(app.step);
    let typing = matches!(action, Action::Input(_));
    if app.role != before {
        if matches!(action, Action::Undo | Action::Redo) {
            // Undo/redo move through the history themselves.
        } else if !(typing && app.session.typing) {
            app.session.history.record(before);
        }
        app.session.typing = typing;
        app.session.debouncer.changed(Instant::now());
    } else {
        // Anything else in between (even a cursor move) ends the run of typing.
        app.session.typing = false;
    }
}

fn undo(app: &mut App) {
    match app.session.history.undo(app.role.clone()) {
        Some(previous) => {
            replace_role(app, previous);
            follow_selection(app);
            app.info(format!(
                "undone ({} more can be undone)",
                app.session.history.undo_len()
            ));
        }
        None => app.info("nothing to undo"),
    }
}

fn redo(app: &mut App) {
    match app.session.history.redo(app.role.clone()) {
        Some(next) => {
            replace_role(app, next);
            follow_selection(app);
            app.info("redone");
        }
        None => app.info("nothing to redo"),
    }
}

/// On Review, keeps the preview on the selected finding after the role changed.
fn follow_selection(app: &mut App) {
    if app.step == Step::Review {
        let i = app.steps.review.selected;
        app.apply_effect(Effect::SelectFinding(i));
    }
}

/// Puts a whole new role in place (undo, redo, open, resume, fix): the step forms are
/// rebuilt from it, the step and the Review selection stay.
pub(crate) fn replace_role(app: &mut App, role: RoleSpec) {
    app.role = role;
    let review = app.steps.review.clone();
    app.steps = steps::StepStates::new(&app.role, &app.catalog);
    app.steps.review = review;
    app.role_changed();
    let n = app.preview.findings.len();
    app.steps.review.selected = app.steps.review.selected.min(n.saturating_sub(1));
}

/// "No" to the resume question: the autosave offered is thrown away.
pub(crate) fn discard_resume(app: &mut App) {
    if let (Some(store), Some((key, _))) = (&app.session.store, app.session.pending_resume.take()) {
        let _ = store.discard(&key);
    }
}

/// Quitting without saving: the autosave of this session goes too.
pub(crate) fn discard_autosave(app: &mut App) {
    if let Some(store) = &app.session.store {
        let _ = store.discard(&app.session.key);
    }
    app.session.discarded = true;
}

/// "Yes" to the resume question: the autosaved role replaces the one opened.
pub(crate) fn resume(app: &mut App) {
    let Some((key, save)) = app.session.pending_resume.take() else {
        return;
    };
    if app.path.is_none() {
        app.path = save.role_file.clone();
    }
    // `after_update` records the role as it was before, so resuming can be undone.
    replace_role(app, save.role);
    app.session.key = key;
    app.dirty = true;
    app.info("resumed the unsaved work (Ctrl-S saves it)");
}

/// "14:05 UTC, 2026-11-29" for an autosave time (seconds since the epoch).
pub fn describe_time(secs: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    let hm = secs % 86_400;
    let ago = now.saturating_sub(secs);
    let ago = if ago < 120 {
        format!("{ago} s ago")
    } else if ago < 7_200 {
        format!("{} min ago", ago / 60)
    } else {
        format!("{} h ago", ago / 3_600)
    };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC ({ago})",
        hm / 3_600,
        (hm % 3_600) / 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_421), (2025, 11, 29));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
