//! The wizard's state and `update`, the only place it changes.
//!
//! [`App`] holds the role being built (the model) and the UI state of each step (views of
//! it). Side effects — saving, exporting, the clipboard — happen in `update` too, so a
//! test that feeds actions sees exactly what a user would.

use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::io::write_atomic;
use crate::role::RoleSpec;

use super::action::Action;
use super::context::{Ctx, View};
use super::effect::Effect;
use super::keymap::{Context, Keymap};
use super::lesson::LessonMode;
use super::preview::Preview;
use super::steps::{self, Step, StepStates};
use super::theme::Theme;
use super::widgets::field::{Field, Form};
use super::widgets::list::list_move;

/// Below this size the UI shows a message instead of a broken layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width on, the preview sits right of the step pane instead of below it.
pub const WIDE_WIDTH: u16 = 110;

pub use super::effect::{Pane, PreviewTab, StatusKind};
pub use super::modal::{Modal, Pending};

/// Copies text to the clipboard; returns how (for the status line). Replaceable in tests.
pub type ClipboardFn = Box<dyn FnMut(&str) -> crate::Result<String>>;

/// A [`Ctx`] over the app's fields for `state` (a field of the app, borrowed apart from
/// the others), collecting into `effects`.
macro_rules! ctx {
    ($app:ident, $state:expr, $effects:expr) => {
        Ctx {
            state: $state,
            role: &mut $app.role,
            catalog: &$app.catalog,
            theme: &$app.theme,
            preview: &$app.preview,
            revision: $app.revision,
            threaded: $app.background.is_some(),
            editing: $app.editing,
            step: $app.step,
            path: $app.path.as_deref(),
            wide: $app.screen.0 >= WIDE_WIDTH,
            main_zoom: $app.main_zoom,
            effects: $effects,
        }
    };
}

/// The whole state of the wizard. Its fields are the crate's own: tests and benches drive it
/// through [`super::testing::Driver`], so its shape can change without them.
pub struct App {
    pub(crate) catalog: Arc<Catalog>,
    /// The model: every screen is a view of it.
    pub(crate) role: RoleSpec,
    /// Where Ctrl-S saves; asked for the first time when `None`.
    pub(crate) path: Option<PathBuf>,
    /// Changed since the last save.
    pub(crate) dirty: bool,
    /// Bumped on every change of `role`.
    pub(crate) revision: u64,
    pub(crate) step: Step,
    pub(crate) focus: Pane,
    pub(crate) preview: Preview,
    pub(crate) preview_tab: PreviewTab,
    pub(crate) preview_scroll: usize,
    /// Small terminals: the preview takes the step pane's place.
    pub(crate) preview_zoom: bool,
    /// Small terminals: the step pane takes the preview's place.
    pub(crate) main_zoom: bool,
    pub(crate) steps: steps::StepStates,
    pub(crate) modal: Option<Modal>,
    pub(crate) status: Option<(String, StatusKind)>,
    pub(crate) should_quit: bool,
    /// Printed on stdout once the terminal is restored ("print on exit").
    pub(crate) print_on_exit: Option<String>,
    pub(crate) keymap: Keymap,
    pub(crate) theme: Theme,
    pub(crate) screen: (u16, u16),
    pub(crate) clipboard: ClipboardFn,
    /// Undo/redo history and autosave.
    pub(crate) session: super::session::EditSession,
    /// How far the help overlay is scrolled.
    pub(crate) help_scroll: usize,
    /// When set, the preview is built off the input path (see `tui::background`).
    pub(crate) background: Option<super::background::PreviewWorker>,
    /// A focused text field is being edited (entered with Enter or `i`, left with
    /// Enter/Esc/Tab). Outside that mode letters are commands (guide §8 "Focus").
    pub(crate) editing: bool,
    /// The last Esc had nothing left to close: one more quits (asking if unsaved).
    pub(crate) esc_armed: bool,
    /// Lesson mode (`rolesmith learn NAME`): the lesson panel's state; `None` in the editor.
    pub(crate) lesson: Option<Box<LessonMode>>,
}

impl App {
    /// A wizard on `role`, saved to `path` by Ctrl-S.
    pub fn new(role: RoleSpec, path: Option<PathBuf>, catalog: Arc<Catalog>, theme: Theme) -> App {
        let preview = Preview::build(&role, &catalog, &theme);
        let mut steps = steps::StepStates::new(&role, &catalog);
        steps.trust.doc.file = path.as_ref().map(|p| {
            let named = crate::role::trust_file::named_document_file(p);
            (p.clone(), named)
        });
        App {
            catalog,
            role,
            path,
            dirty: false,
            revision: 0,
            step: Step::Role,
            // Never inside a text field at start: `q` and `?` work as the first keys.
            focus: Pane::Steps,
            preview,
            preview_tab: PreviewTab::Trust,
            preview_scroll: 0,
            preview_zoom: false,
            main_zoom: false,
            steps,
            modal: None,
            status: None,
            should_quit: false,
            print_on_exit: None,
            keymap: Keymap::default(),
            theme,
            screen: (120, 40),
            clipboard: system_clipboard(),
            session: super::session::EditSession::new(),
            help_scroll: 0,
            background: None,
            editing: false,
            esc_armed: false,
            lesson: None,
        }
    }

    /// Below the minimum size?
    pub fn too_small(&self) -> bool {
        self.screen.0 < MIN_WIDTH || self.screen.1 < MIN_HEIGHT
    }

    /// Wide enough for three columns?
    pub fn wide(&self) -> bool {
        self.screen.0 >= WIDE_WIDTH
    }

    /// What has the keyboard, for the keymap.
    pub fn context(&self) -> Context {
        if self.too_small() {
            return Context::TooSmall;
        }
        if let Some(m) = &self.modal {
            return m.context();
        }
        // A form's text field types only once it is opened for editing; list filters and
        // the pickers that filter as one types keep their own mode. Everywhere else letters
        // are commands: the lesson's keys in lesson mode (on every pane), else Navigate.
        let typing = if self.on_text_field() {
            self.editing
        } else {
            self.focus == Pane::Main && steps::editing_text(&self.view())
        };
        if typing {
            Context::Text
        } else if self.lesson.is_some() {
            Context::Lesson
        } else {
            Context::Navigate
        }
    }

    /// The step pane has the keyboard and its focused widget is a form's text field.
    pub fn on_text_field(&self) -> bool {
        self.view().on_text_field()
    }

    /// The label of the text field being edited, for the status line.
    pub fn editing_label(&self) -> Option<&str> {
        self.view().editing_label()
    }

    /// Call after every change of `self.role`: marks it unsaved and refreshes the preview.
    pub fn role_changed(&mut self) {
        self.revision += 1;
        self.dirty = true;
        self.refresh_preview();
    }

    /// Rebuilds the preview from the role, with the statement being edited (if any) in place.
    pub fn refresh_preview(&mut self) {
        if let Some(worker) = &mut self.background {
            let role = match &self.steps.permissions.editor {
                Some(ed) => ed.apply_to(&self.role, &self.catalog),
                None => steps::trust_document::role_with_draft(&self.role, &self.steps.trust.doc)
                    .unwrap_or_else(|| self.role.clone()),
            };
            let st = &self.steps.export;
            worker.request(super::background::PreviewJob {
                revision: self.revision,
                role,
                catalog: Arc::clone(&self.catalog),
                theme: self.theme,
                export: (st.format(), st.documents()),
            });
            return;
        }
        let preview = match &self.steps.permissions.editor {
            Some(ed) => {
                let draft = ed.apply_to(&self.role, &self.catalog);
                Preview::build(&draft, &self.catalog, &self.theme)
            }
            None => match steps::trust_document::role_with_draft(&self.role, &self.steps.trust.doc)
            {
                // A trust document being edited as JSON shows as typed, once it parses.
                Some(draft) => Preview::build(&draft, &self.catalog, &self.theme),
                None => Preview::build(&self.role, &self.catalog, &self.theme),
            },
        };
        self.preview = preview;
        self.sync_export_preview();
    }

    /// Renders the Export tab again when the export format (or documents) chosen on the
    /// Export step changed since it was last rendered; a cheap comparison otherwise.
    pub(crate) fn sync_export_preview(&mut self) {
        let st = &self.steps.export;
        let choice = (st.format(), st.documents());
        self.preview.show_export(choice.0, choice.1, &self.theme);
    }

    pub fn info(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), StatusKind::Info));
    }

    pub fn error(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), StatusKind::Error));
    }

    /// Shows `step` and gives its pane the keyboard.
    pub fn go_to(&mut self, step: Step) {
        self.step = step;
        self.preview_zoom = false;
        // Follow the step with the preview tab that matters for it.
        match step {
            Step::Trust => self.preview_tab = PreviewTab::Trust,
            Step::Permissions => self.preview_tab = PreviewTab::Permissions,
            _ => {}
        }
        self.preview_scroll = 0;
    }

    fn request_quit(&mut self) {
        if self.dirty {
            self.modal = Some(Modal::QuitAsk);
        } else {
            self.should_quit = true;
        }
    }

    /// Ctrl-S: to the opened path, or ask for one.
    pub(crate) fn save(&mut self) {
        // A trust document being edited as JSON is applied first (refused while it does
        // not parse).
        if !self.with_ctx(|cx| steps::trust_document::before_save(&mut cx.sub(|s| &mut s.trust))) {
            return;
        }
        match self.path.clone() {
            Some(p) => self.save_to(p, true),
            None => {
                let name = if self.role.name.is_empty() {
                    "role".to_string()
                } else {
                    self.role.name.clone()
                };
                let form = Form::new(vec![
                    Field::text("File", format!("{name}.toml"))
                        .with_hint("Enter saves, Esc cancels"),
                ]);
                self.modal = Some(Modal::SavePath(form));
            }
        }
    }

    /// Saves to `path`; asks first when it exists and `overwrite` is false.
    pub(crate) fn save_to(&mut self, path: PathBuf, overwrite: bool) {
        let mut saved = match super::session::save_text(self, &path) {
            Ok(t) => t,
            Err(e) => return self.error(e.to_string()),
        };
        steps::trust_document::keep_typed_text(&self.steps.trust, &self.role, &mut saved);
        let text = saved.text;
        if !overwrite && crate::io::write::occupied(&path) {
            self.modal = Some(Modal::Confirm {
                title: "Replace the file?".into(),
                lines: vec![
                    format!("{} exists.", path.display()),
                    "y: replace   n: cancel".into(),
                ],
                on_yes: Pending::SaveOver(path),
            });
            return;
        }
        let written =
            crate::role::trust_file::write_role_and_trust(&path, &text, saved.trust_file.as_ref());
        match written {
            Ok(trust_file) => {
                let how = if saved.kept_layout {
                    " (comments and layout kept)"
                } else {
                    ""
                };
                let trust = trust_file
                    .map(|rel| {
                        let rel = crate::io::sanitize_for_display(&rel);
                        format!("; {rel} written")
                    })
                    .unwrap_or_default();
                self.info(format!("saved {}{how}{trust}", path.display()));
                self.session.saved_role = self.role.clone();
                // What the saved file names as its trust document may have changed.
                self.steps.trust.doc.file = None;
                self.session.saved(&path);
                self.path = Some(path);
                self.dirty = false;
                if self.session.quit_after_save {
                    self.should_quit = true;
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// What a confirmation asked about, once the user said yes.
    pub(crate) fn run_pending(&mut self, p: Pending) {
        match p {
            Pending::Quit => self.should_quit = true,
            Pending::SaveOver(path) => self.save_to(path, true),
            Pending::DiscardStatement => self.with_ctx(|cx| {
                steps::permissions::close_editor(&mut cx.sub(|s| &mut s.permissions))
            }),
            Pending::Export {
                findings_ok,
                overwrite,
            } => self.with_ctx(|cx| {
                steps::export::export(&mut cx.sub(|s| &mut s.export), findings_ok, overwrite)
            }),
        }
    }

    /// Runs a component with a context over the app, then applies the effects it asked
    /// for, in order. The one way from a component back to the app.
    pub(crate) fn with_ctx<R>(&mut self, run: impl FnOnce(&mut Ctx<'_, StepStates>) -> R) -> R {
        let mut effects = Vec::new();
        let out = run(&mut ctx!(self, &mut self.steps, &mut effects));
        self.apply_effects(effects);
        out
    }

    /// [`App::with_ctx`] for lesson mode's component; `None` outside lesson mode.
    pub(crate) fn with_lesson<R>(
        &mut self,
        run: impl FnOnce(&mut Ctx<'_, LessonMode>) -> R,
    ) -> Option<R> {
        let mut effects = Vec::new();
        let lesson = self.lesson.as_deref_mut()?;
        let out = run(&mut ctx!(self, lesson, &mut effects));
        self.apply_effects(effects);
        Some(out)
    }

    fn apply_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.apply_effect(effect);
        }
    }

    /// What drawing reads: the whole state, read only.
    pub fn view(&self) -> View<'_> {
        View {
            steps: &self.steps,
            step: self.step,
            role: &self.role,
            catalog: &self.catalog,
            theme: &self.theme,
            keymap: &self.keymap,
            preview: &self.preview,
            focus: self.focus,
            editing: self.editing,
            path: self.path.as_deref(),
            modal: self.modal.as_ref(),
            preview_tab: self.preview_tab,
            help_scroll: self.help_scroll,
            lesson: self.lesson.as_deref(),
            wide: self.wide(),
        }
    }

    /// Applies one effect a component asked for.
    pub(crate) fn apply_effect(&mut self, effect: Effect) {
        match effect {
            Effect::Status(msg, kind) => self.status = Some((msg, kind)),
            Effect::RoleChanged => self.role_changed(),
            Effect::RefreshPreview => self.refresh_preview(),
            Effect::Open(modal) => {
                if matches!(modal, Modal::Help) {
                    self.help_scroll = 0;
                }
                self.modal = Some(modal);
            }
            Effect::GoTo(step) => self.go_to(step),
            Effect::Focus(pane) => self.focus = pane,
            Effect::ShowPreview { tab, scroll } => {
                self.preview_tab = tab;
                if let Some(line) = scroll {
                    self.preview_scroll = line;
                }
            }
            Effect::Save => self.save(),
            Effect::Write { path, text, done } => {
                match write_atomic(&path, text.as_bytes(), true) {
                    Ok(()) => self.info(done),
                    Err(e) => self.error(e.to_string()),
                }
            }
            Effect::Copy { text, part } => match (self.clipboard)(&text) {
                Ok(how) => match part {
                    Some(part) => {
                        self.steps.export.next_part = part.following();
                        self.info(part.message(&how));
                    }
                    None => self.info(how),
                },
                Err(e) => self.error(e.to_string()),
            },
            Effect::PrintOnExit(text) => self.print_on_exit = Some(text),
            Effect::Quit => self.should_quit = true,
            Effect::ReplaceRole(role) => super::session::replace_role(self, *role),
            Effect::SelectFinding(i) => {
                self.with_ctx(|cx| steps::review::select(&mut cx.sub(|s| &mut s.review), i))
            }
            Effect::ClampFinding => {
                let n = self.preview.findings.len();
                let review = &mut self.steps.review;
                review.selected = review.selected.min(n.saturating_sub(1));
            }
            Effect::ZoomMain(zoom) => {
                self.main_zoom = zoom;
                if zoom {
                    self.preview_zoom = false;
                }
            }
            Effect::SaveLesson => super::lesson_host::save_now(self),
            Effect::ReloadRoleForm => self.steps.role = steps::role::RoleStep::new(&self.role),
        }
    }

    pub(crate) fn cycle_pane(&mut self, forward: bool) {
        let order = [Pane::Steps, Pane::Main, Pane::Preview];
        let i = order.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    pub(crate) fn preview_len(&self) -> usize {
        match self.preview_tab {
            PreviewTab::Trust => self.preview.trust.lines.len(),
            PreviewTab::Permissions => self.preview.permissions.lines.len(),
            PreviewTab::Export => self.preview.export.lines.len(),
        }
    }

    pub(crate) fn scroll_preview(&mut self, delta: isize) {
        let max = self.preview_len().saturating_sub(1) as isize;
        self.preview_scroll = (self.preview_scroll as isize + delta).clamp(0, max.max(0)) as usize;
    }
}

/// The system clipboard (or OSC 52), kept alive for the whole run.
fn system_clipboard() -> ClipboardFn {
    let mut board = crate::export::clipboard::Clipboard::new();
    Box::new(move |text| board.copy(text).map(|o| o.message().to_string()))
}

/// Applies one action. The only function that changes the app.
pub(crate) fn update(app: &mut App, action: Action) {
    // Undo, redo, open, fixes and mouse live in their own modules; every change to the
    // role, whichever action made it, is recorded for undo and autosave right here.
    let before = app.role.clone();
    if !super::session::intercept(app, action) {
        apply(app, action);
    }
    super::session::after_update(app, before, action);
    // The trust file the role file names, looked up again when the file changed.
    steps::trust_document::remember_file(&mut app.steps.trust, app.path.as_deref());
    if app.step == Step::Trust {
        steps::trust_document::refresh_verdict(&mut app.steps.trust, &app.role, app.revision);
    }
    // Editing ends with the field: another step, pane, page or a non-text field.
    if !app.on_text_field() {
        app.editing = false;
    }
    super::lesson_host::after_update(app);
    if app.step == Step::Export {
        let revision = app.revision;
        steps::export::refresh(&mut app.steps.export, &app.role, revision);
    }
    app.sync_export_preview();
}

pub(crate) fn apply(app: &mut App, action: Action) {
    if let Action::Resize(w, h) = action {
        app.screen = (w, h);
        return;
    }
    app.status = None;
    if app.too_small() {
        if action == Action::Quit {
            app.request_quit();
            // A question cannot be shown at this size: quitting is what was asked.
            if app.modal.is_some() {
                app.modal = None;
                app.should_quit = true;
            }
        }
        return;
    }
    if app.modal.is_some() {
        super::modal::handle(app, action);
        return;
    }
    let esc_armed = std::mem::take(&mut app.esc_armed);
    let wide = app.wide();
    if app.with_lesson(|cx| super::lesson::handle(cx, wide, action)) == Some(true) {
        return;
    }
    if app.on_text_field() && field_mode(app, action) {
        return;
    }
    match action {
        Action::Quit => return app.request_quit(),
        Action::Help => {
            app.help_scroll = 0;
            app.modal = Some(Modal::Help);
            return;
        }
        Action::Save => return app.save(),
        Action::NextPane => return app.cycle_pane(true),
        Action::PrevPane => return app.cycle_pane(false),
        Action::GoToStep(n) => {
            if let Some(step) = Step::ALL.get(n as usize) {
                app.go_to(*step);
                app.focus = Pane::Main;
            }
            return;
        }
        Action::NextTab => {
            app.preview_tab = match app.preview_tab {
                PreviewTab::Trust => PreviewTab::Permissions,
                PreviewTab::Permissions => PreviewTab::Export,
                PreviewTab::Export => PreviewTab::Trust,
            };
            app.preview_scroll = 0;
            return;
        }
        Action::TogglePreview => {
            // Narrow layouts cycle: both stacked → step pane only → preview only → both.
            (app.main_zoom, app.preview_zoom) = match (app.main_zoom, app.preview_zoom) {
                (false, false) => (true, false),
                (true, _) => (false, true),
                (false, true) => (false, false),
            };
            return;
        }
        Action::ScrollUp => return app.scroll_preview(-3),
        Action::ScrollDown => return app.scroll_preview(3),
        Action::Click(x, y) => return super::mouse::click(app, x, y),
        Action::ShowFull => return super::modal::show_full(app),
        _ => {}
    }
    match app.focus {
        Pane::Steps => match action {
            a if list_move(a, 0, 1).is_some() => {
                if let Some(i) = list_move(a, app.step.index(), Step::ALL.len()) {
                    app.go_to(Step::ALL[i]);
                }
            }
            Action::Confirm | Action::Right => app.focus = Pane::Main,
            Action::Back => escape_at_top(app, esc_armed),
            _ => {}
        },
        Pane::Preview => match action {
            Action::Up => app.scroll_preview(-1),
            Action::Down => app.scroll_preview(1),
            Action::PageUp => app.scroll_preview(-10),
            Action::PageDown => app.scroll_preview(10),
            Action::Top => app.preview_scroll = 0,
            Action::Left | Action::Right => apply(app, Action::NextTab),
            Action::Back => app.focus = Pane::Main,
            _ => {}
        },
        Pane::Main => {
            if !app.with_ctx(|cx| steps::handle(cx, action)) && action == Action::Back {
                app.focus = Pane::Steps;
                escape_at_top(app, esc_armed);
            }
        }
    }
}

/// Enter/`i` open the focused text field for editing; while it is edited Esc closes it,
/// Enter closes it and goes on (the step sees the Enter), Tab and ↑↓ close it and move.
/// True when the action was used up here.
fn field_mode(app: &mut App, action: Action) -> bool {
    if !app.editing {
        return match action {
            Action::Confirm | Action::Edit => {
                app.editing = true;
                true
            }
            // Typing reaches a field only once it is open (tests that send raw input too).
            Action::Input(_) => true,
            _ => false,
        };
    }
    match action {
        Action::Back => {
            app.editing = false;
            true
        }
        Action::Confirm
        | Action::NextPane
        | Action::PrevPane
        | Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown => {
            app.editing = false;
            false
        }
        _ => false,
    }
}

/// Esc where nothing is left to close: the first says how to quit, the second quits.
fn escape_at_top(app: &mut App, armed: bool) {
    if armed {
        app.request_quit();
    } else {
        app.esc_armed = true;
        app.info("Esc again to quit");
    }
}
