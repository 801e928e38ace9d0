//! A test driver: the wizard as a user meets it, for the integration tests and benches.
//!
//! [`Driver`] owns an [`App`] (whose fields are private to the crate) and offers what a user
//! can do — press keys, type, paste, click, resize — and what they can observe: the drawn
//! screen, the role being edited, the step, an open modal, the status line, what was copied
//! or saved. Where a test needs a piece of a step's state (the selected row, the page of the
//! statement editor), a query named for that behaviour answers it, so the App and its step
//! states can change shape without every test changing with them. Not part of the product's
//! API: hidden from the docs.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::catalog::Catalog;
use crate::eval::RoleCheck;
use crate::role::{RoleDocuments, RoleSpec};
use crate::session::AutosaveStore;

use super::action::Action;
use super::app::{App, ClipboardFn, Modal, Pane, PreviewTab, StatusKind, update};
use super::findings::UiFinding;
use super::keymap::{Context, Keymap};
use super::layout::ScreenLayout;
use super::lesson::{Graded, LessonMode, LessonView};
use super::steps::Step;
use super::steps::deployment::DeploymentPart;
use super::steps::permissions::by_call::{ActionChoice, ByCall, Focus as CallFocus, Row};
use super::steps::permissions::{ActionRow, Page, StatementEditor};
use super::steps::review::ReviewTab;
use super::steps::trust::TrustKind;
use super::steps::trust_document::{JsonEditor, Problem};
use super::theme::Theme;
use super::widgets::field::Form;

/// What the recording clipboard answers, as the status line shows it.
pub const COPIED: &str = "copied (test)";

/// A row of the "add by API call" page, named by what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallRow {
    /// An action of the call (`service:Action`), ticked with Space.
    Action(String),
    /// The include box of a resource the call touches.
    Include(String),
    /// A placeholder field of a resource's ARN builder.
    Field {
        resource: String,
        placeholder: String,
    },
}

/// The wizard driven as a user drives it. See the module documentation.
pub struct Driver {
    app: App,
    /// Every text the recording clipboard received, in order.
    copied: Rc<RefCell<Vec<String>>>,
}

impl Driver {
    /// A wizard on `role` (no role file yet), without colour, `w`x`h`, with a clipboard that
    /// only records.
    pub fn new(role: RoleSpec, catalog: Arc<Catalog>, w: u16, h: u16) -> Driver {
        Driver::from_app(App::new(role, None, catalog, Theme::monochrome()), w, h)
    }

    /// A wizard on `role` read from `path`, as `rolesmith edit PATH` opens it: Ctrl-S saves
    /// there.
    pub fn opened(role: RoleSpec, path: PathBuf, catalog: Arc<Catalog>, w: u16, h: u16) -> Driver {
        Driver::from_app(
            App::new(role, Some(path), catalog, Theme::monochrome()),
            w,
            h,
        )
    }

    /// Drives an app built by a public constructor (`App::new` with a theme of one's
    /// choice, `lesson_run::lesson_app`): a recording clipboard, then a resize to `w`x`h`.
    pub fn from_app(mut app: App, w: u16, h: u16) -> Driver {
        let copied = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&copied);
        app.clipboard = Box::new(move |text| {
            sink.borrow_mut().push(text.to_string());
            Ok(COPIED.to_string())
        });
        update(&mut app, Action::Resize(w, h));
        Driver { app, copied }
    }

    // --- Setup: what a user's configuration or an earlier session would have set. ---

    /// Replaces the clipboard (a failing one, or one that answers otherwise).
    pub fn set_clipboard(&mut self, clipboard: ClipboardFn) {
        self.app.clipboard = clipboard;
    }

    /// The keymap a user's configuration file gave.
    pub fn set_keymap(&mut self, keymap: Keymap) {
        self.app.keymap = keymap;
    }

    /// Where the account and region last saved are remembered (`session::last_used`).
    pub fn set_last_used_file(&mut self, file: Option<PathBuf>) {
        self.app.session.last_used = file;
    }

    /// Where Ctrl-S saves, as if the role had been opened from (or saved to) `path`.
    pub fn set_path(&mut self, path: Option<PathBuf>) {
        self.app.path = path;
    }

    /// Marks the role unsaved, as opening documents into it does (`rolesmith edit --trust`).
    pub fn mark_unsaved(&mut self) {
        self.app.dirty = true;
    }

    /// Changes the role from outside the screens (as a file open would), then lets the
    /// wizard see the change: unsaved, preview rebuilt.
    pub fn edit_role(&mut self, change: impl FnOnce(&mut RoleSpec)) {
        change(&mut self.app.role);
        self.app.role_changed();
    }

    /// Shows the start question "resume unsaved work from `saved_at`?" (as an autosave found
    /// at start does).
    pub fn offer_resume(&mut self, saved_at: impl Into<String>) {
        self.app.modal = Some(Modal::Resume {
            saved_at: saved_at.into(),
        });
    }

    /// Autosave into `store`, keyed as `rolesmith edit` keys it (role file or `documents`).
    pub fn enable_autosave(&mut self, store: AutosaveStore, documents: &[PathBuf]) {
        super::session::enable_autosave_for(&mut self.app, store, documents);
    }

    /// Writes the pending autosave now instead of after the idle delay.
    pub fn flush_autosave(&mut self) {
        super::session::flush_autosave(&mut self.app);
    }

    /// Builds the preview off the input path, as the event loop does.
    pub fn use_background_preview(&mut self) {
        super::event_loop::use_background_preview(&mut self.app);
    }

    /// Installs what the background finished, if anything; true when the screen changed.
    pub fn catch_up(&mut self) -> bool {
        super::event_loop::catch_up(&mut self.app)
    }

    /// Waits for the background preview (and lesson grading) and installs it.
    pub fn wait_for_preview(&mut self) {
        super::event_loop::wait_for_preview(&mut self.app);
    }

    /// Stands in for "select all" in the trust document's JSON editor, which is not a key:
    /// empties its text. False when the editor is not open.
    pub fn clear_trust_document_editor(&mut self) -> bool {
        match self.app.steps.trust.doc.editor.as_mut() {
            Some(ed) => {
                ed.area = super::widgets::text_area::TextArea::new("");
                true
            }
            None => false,
        }
    }

    // --- Input: what a user does. ---

    /// Applies one action, as the event loop does after mapping an input.
    pub fn act(&mut self, action: Action) {
        update(&mut self.app, action);
    }

    /// One terminal event, through the keymap in the current context, then `update`.
    pub fn event(&mut self, ev: &Event) {
        if let Some(a) = super::event_loop::map_event(&self.app, ev) {
            update(&mut self.app, a);
        }
    }

    /// Presses a key without modifiers.
    pub fn press(&mut self, code: KeyCode) {
        self.press_mod(code, KeyModifiers::NONE);
    }

    /// Presses a key with modifiers.
    pub fn press_mod(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.event(&Event::Key(KeyEvent::new(code, modifiers)));
    }

    /// Types text key by key.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// A bracketed paste of `text`.
    pub fn paste(&mut self, text: &str) {
        super::event_loop::paste(&mut self.app, text);
    }

    /// A left click at (`column`, `row`).
    pub fn click(&mut self, column: u16, row: u16) {
        self.act(Action::Click(column, row));
    }

    /// A turn of the mouse wheel at (`column`, `row`).
    pub fn wheel(&mut self, up: bool, column: u16, row: u16) {
        self.act(Action::Wheel { up, column, row });
    }

    /// The terminal became `w`x`h`.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.act(Action::Resize(w, h));
    }

    // --- Drawing: what a user sees. ---

    /// The terminal's size, as the wizard last heard it.
    pub fn size(&self) -> (u16, u16) {
        self.app.screen
    }

    /// Draws one frame on a test terminal of the wizard's size.
    pub fn render(&self) -> Terminal<TestBackend> {
        let (w, h) = self.app.screen;
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal never fails");
        self.draw_on(&mut t);
        t
    }

    /// Draws one frame on `terminal` (any size: a test of odd sizes draws on its own).
    pub fn draw_on(&self, terminal: &mut Terminal<TestBackend>) {
        terminal
            .draw(|f| self.draw(f))
            .expect("drawing on a test terminal never fails");
    }

    /// Draws into `frame`, as the event loop does each frame.
    pub fn draw(&self, frame: &mut ratatui::Frame) {
        super::draw::draw(&self.app, frame);
    }

    /// The screen as text, one line per row.
    pub fn screen_text(&self) -> String {
        let t = self.render();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    /// Draws one frame as if the role file (and the trust file it names) were at `shown`:
    /// snapshots of files in a temporary folder, whose path differs on every run.
    pub fn render_showing_path(&mut self, shown: Option<PathBuf>) -> Terminal<TestBackend> {
        let real = std::mem::replace(&mut self.app.path, shown.clone());
        let looked_up = self.app.steps.trust.doc.file.take();
        self.app.steps.trust.doc.file = looked_up
            .clone()
            .map(|(_, name)| (shown.unwrap_or_default(), name));
        let t = self.render();
        self.app.path = real;
        self.app.steps.trust.doc.file = looked_up;
        t
    }

    /// Where the panes are on this screen (what the mouse hit-tests against).
    pub fn layout(&self) -> ScreenLayout {
        ScreenLayout::of(&self.app)
    }

    // --- What the wizard holds, as a user observes it. ---

    /// The role being edited.
    pub fn role(&self) -> &RoleSpec {
        &self.app.role
    }

    /// The catalog the wizard looks actions up in.
    pub fn catalog(&self) -> &Catalog {
        &self.app.catalog
    }

    /// The step shown.
    pub fn step(&self) -> Step {
        self.app.step
    }

    /// The pane that has the keyboard.
    pub fn focus(&self) -> Pane {
        self.app.focus
    }

    /// What has the keyboard, for the keymap.
    pub fn context(&self) -> Context {
        self.app.context()
    }

    /// The keyboard is on a form's text field (open for editing or not).
    pub fn on_text_field(&self) -> bool {
        self.app.on_text_field()
    }

    /// A text field is open for editing (typed letters go into it).
    pub fn editing_field(&self) -> bool {
        self.app.editing
    }

    /// The window over the screen, if one is open.
    pub fn modal(&self) -> Option<&Modal> {
        self.app.modal.as_ref()
    }

    /// The status line: its text and kind.
    pub fn status(&self) -> Option<(&str, StatusKind)> {
        self.app.status.as_ref().map(|(t, k)| (t.as_str(), *k))
    }

    /// The status line's text, empty when there is none.
    pub fn status_text(&self) -> &str {
        self.status().map(|s| s.0).unwrap_or_default()
    }

    /// The wizard is done (the event loop would end).
    pub fn has_quit(&self) -> bool {
        self.app.should_quit
    }

    /// What is printed on stdout once the terminal is restored ("print on exit").
    pub fn print_on_exit(&self) -> Option<&str> {
        self.app.print_on_exit.as_deref()
    }

    /// The role has changes not saved yet (the title's mark).
    pub fn unsaved(&self) -> bool {
        self.app.dirty
    }

    /// Where Ctrl-S saves; `None` until a path was given.
    pub fn path(&self) -> Option<&Path> {
        self.app.path.as_deref()
    }

    /// Every text copied to the (recording) clipboard, in order.
    pub fn copied(&self) -> Vec<String> {
        self.copied.borrow().clone()
    }

    /// How many changes of the role the wizard has seen (each rebuilds the preview once).
    pub fn revision(&self) -> u64 {
        self.app.revision
    }

    /// How many steps Ctrl-Z can undo.
    pub fn undo_len(&self) -> usize {
        self.app.session.history.undo_len()
    }

    /// The documents the preview pane shows: the role's, with a statement or trust document
    /// being edited in place.
    pub fn previewed_documents(&self) -> &RoleDocuments {
        &self.app.preview.docs
    }

    /// The whole text of a preview tab, scrolled or not, one line per line.
    pub fn preview_text(&self, tab: PreviewTab) -> String {
        let doc = match tab {
            PreviewTab::Trust => &self.app.preview.trust,
            PreviewTab::Permissions => &self.app.preview.permissions,
            PreviewTab::Export => &self.app.preview.export,
        };
        let line_text = |l: &ratatui::text::Line| -> String {
            l.spans.iter().map(|s| s.content.as_ref()).collect()
        };
        doc.lines
            .iter()
            .map(line_text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The findings of the role as previewed (Review step, status line counts).
    pub fn findings(&self) -> &[UiFinding] {
        &self.app.preview.findings
    }

    /// The finding counts the status line shows: (errors, warnings, suggestions).
    pub fn finding_counts(&self) -> (usize, usize, usize) {
        self.app.preview.counts
    }

    /// What the Review step's Check panel evaluated: the tasks, expectations and calls.
    pub fn role_check(&self) -> &RoleCheck {
        &self.app.preview.check
    }

    /// The preview tab shown.
    pub fn preview_tab(&self) -> PreviewTab {
        self.app.preview_tab
    }

    /// How far the preview is scrolled (lines).
    pub fn preview_scroll(&self) -> usize {
        self.app.preview_scroll
    }

    /// Small terminals: the step pane has the whole screen (the preview is hidden).
    pub fn step_pane_zoomed(&self) -> bool {
        self.app.main_zoom
    }

    /// Lesson mode: the tasks and calls as last graded; `None` in the editor.
    pub fn lesson_graded(&self) -> Option<&Graded> {
        self.lesson().map(|l| &l.graded)
    }

    /// Lesson mode: the view the panel shows (story, calls, ...).
    pub fn lesson_view(&self) -> Option<LessonView> {
        self.lesson().map(|l| l.view)
    }

    /// Lesson mode: the panel is shown (rather than the editor alone).
    pub fn lesson_panel_shown(&self) -> bool {
        self.lesson().is_some_and(|l| l.show_panel)
    }

    /// Lesson mode: how many hints of task `task` are revealed.
    pub fn lesson_hints_revealed(&self, task: usize) -> usize {
        self.lesson()
            .and_then(|l| l.hints_revealed.get(task).copied())
            .unwrap_or(0)
    }

    /// Lesson mode: how far the panel's text is scrolled.
    pub fn lesson_scroll(&self) -> u16 {
        self.lesson().map(|l| l.scroll).unwrap_or(0)
    }

    fn lesson(&self) -> Option<&LessonMode> {
        self.app.lesson.as_deref()
    }

    // --- Narrow views of a step, for what the screen shows only in part. ---

    /// Step 1: the role's form (its fields, which has the focus, their errors).
    pub fn role_form(&self) -> &Form {
        &self.app.steps.role.form
    }

    /// Step 1: where the deployment fields (boundary, tags, instance profile) sit in the form.
    pub fn deployment_fields(&self) -> &DeploymentPart {
        &self.app.steps.role.deployment
    }

    /// Step 2: the kind of trust chosen.
    pub fn trust_kind(&self) -> TrustKind {
        self.app.steps.trust.kind
    }

    /// Step 2: the services the list shows (after its filter).
    pub fn trust_service_rows(&self) -> &[String] {
        &self.app.steps.trust.service_rows
    }

    /// Step 2: the row selected in the services list.
    pub fn selected_trust_service(&self) -> usize {
        self.app.steps.trust.services.selected
    }

    /// Step 2: the form adding an account, identity or GitHub repository, if open.
    pub fn trust_form(&self) -> Option<&Form> {
        self.app.steps.trust.form.as_ref().map(|(_, f)| f)
    }

    /// Step 2: the trust document is being edited as JSON.
    pub fn editing_trust_document(&self) -> bool {
        self.app.steps.trust.doc.editor.is_some()
    }

    /// Step 2: the JSON typed into the trust document's editor; `None` when it is closed.
    pub fn trust_document_draft(&self) -> Option<String> {
        self.trust_document_editor().map(|ed| ed.area.text())
    }

    /// Step 2: where and why the JSON being edited does not read as a policy document;
    /// `None` when it reads (or the editor is closed).
    pub fn trust_document_problem(&self) -> Option<&Problem> {
        self.trust_document_editor()?.check.document.as_ref().err()
    }

    /// Step 2: the codes of the trust-lint findings on the JSON being edited.
    pub fn trust_document_finding_codes(&self) -> Vec<&'static str> {
        self.trust_document_editor()
            .map(|ed| ed.check.findings.iter().map(|f| f.3).collect())
            .unwrap_or_default()
    }

    fn trust_document_editor(&self) -> Option<&JsonEditor> {
        self.app.steps.trust.doc.editor.as_ref()
    }

    /// Step 2: how far the trust document's view is scrolled.
    pub fn trust_document_scroll(&self) -> usize {
        self.app.steps.trust.doc.scroll
    }

    /// Step 3: the statement selected in the list.
    pub fn selected_statement(&self) -> usize {
        self.app.steps.permissions.selected
    }

    /// Step 3: a statement is being added or edited (the statement editor is open).
    pub fn editing_statement(&self) -> bool {
        self.statement_editor().is_some()
    }

    /// Step 3: the statement editor's page; `None` when it is closed.
    pub fn statement_page(&self) -> Option<Page> {
        self.statement_editor().map(|ed| ed.page)
    }

    /// Step 3, Actions page: the rows listed (after the filter), in order.
    pub fn action_rows(&self) -> &[ActionRow] {
        self.statement_editor()
            .map(|ed| ed.action_rows.as_slice())
            .unwrap_or_default()
    }

    /// Step 3, Actions page: the row selected.
    pub fn selected_action_row(&self) -> usize {
        self.statement_editor()
            .map(|ed| ed.actions.selected)
            .unwrap_or(0)
    }

    /// Step 3, Actions page: the text typed into the filter.
    pub fn action_filter(&self) -> String {
        self.statement_editor()
            .map(|ed| ed.actions.query().to_string())
            .unwrap_or_default()
    }

    /// Step 3: the actions the statement being edited grants, in the order picked.
    pub fn chosen_actions(&self) -> Vec<String> {
        self.statement_editor()
            .map(|ed| ed.chosen.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Step 3, Resources page: the builders' fields (with their focus).
    pub fn resource_form(&self) -> Option<&Form> {
        self.statement_editor().map(|ed| &ed.resources)
    }

    /// Step 3, Resources page: the statement's resources offered as "keep" check boxes
    /// (those no builder took).
    pub fn kept_resources(&self) -> &[String] {
        self.statement_editor()
            .map(|ed| ed.kept.as_slice())
            .unwrap_or_default()
    }

    /// Step 3: the "add by API call" page is open.
    pub fn adding_by_call(&self) -> bool {
        self.add_by_call().is_some()
    }

    /// "Add by API call": the operations offered for the text typed, best first.
    pub fn call_candidates(&self) -> Vec<String> {
        self.add_by_call()
            .map(|p| p.candidates.iter().map(|c| c.label()).collect())
            .unwrap_or_default()
    }

    /// "Add by API call": what the page says about the text typed (an unknown call's
    /// nearest names), if anything.
    pub fn call_message(&self) -> Option<String> {
        self.add_by_call()?.message.clone()
    }

    /// "Add by API call": a call is chosen (its actions and resources are listed).
    pub fn call_chosen(&self) -> bool {
        self.add_by_call().is_some_and(|p| p.detail.is_some())
    }

    /// "Add by API call": the chosen call's actions as (action, ticked, when it applies);
    /// `when` is `None` for an action the call always needs.
    pub fn call_actions(&self) -> Vec<(String, bool, Option<String>)> {
        let Some(detail) = self.add_by_call().and_then(|p| p.detail.as_ref()) else {
            return Vec::new();
        };
        let choice = |a: &ActionChoice| (a.action.clone(), a.ticked, a.when.clone());
        detail.actions.iter().map(choice).collect()
    }

    /// "Add by API call": the rows under the call field, in order, named by what they show.
    pub fn call_rows(&self) -> Vec<CallRow> {
        let Some(page) = self.add_by_call() else {
            return Vec::new();
        };
        let Some(detail) = page.detail.as_ref() else {
            return Vec::new();
        };
        let named = |row: &Row| match *row {
            Row::Action(i) => CallRow::Action(detail.actions[i].action.clone()),
            Row::Include(i) => CallRow::Include(detail.resources[i].name.clone()),
            Row::Field(i, k) => CallRow::Field {
                resource: detail.resources[i].name.clone(),
                placeholder: detail.resources[i].form.fields[k].label.clone(),
            },
        };
        page.rows().iter().map(named).collect()
    }

    /// "Add by API call": the row with the focus (an index into [`Driver::call_rows`]);
    /// `None` while the call field has it, or the page is closed.
    pub fn call_focus(&self) -> Option<usize> {
        match self.add_by_call()?.focus {
            CallFocus::Row(i) => Some(i),
            CallFocus::Call => None,
        }
    }

    fn add_by_call(&self) -> Option<&ByCall> {
        self.statement_editor()?.by_call.as_deref()
    }

    fn statement_editor(&self) -> Option<&StatementEditor> {
        self.app.steps.permissions.editor.as_deref()
    }

    /// Step 4: the managed policies the list shows (after its filter).
    pub fn managed_rows(&self) -> &[String] {
        &self.app.steps.managed.rows
    }

    /// Step 4: the row selected in the managed policies list.
    pub fn selected_managed(&self) -> usize {
        self.app.steps.managed.list.selected
    }

    /// Step 4: the form adding a policy ARN by hand, if open.
    pub fn custom_managed_form(&self) -> Option<&Form> {
        self.app.steps.managed.custom.as_ref()
    }

    /// Step 5: the finding selected.
    pub fn selected_finding(&self) -> usize {
        self.app.steps.review.selected
    }

    /// The help overlay's first row in view.
    pub fn help_scroll(&self) -> usize {
        self.app.help_scroll
    }

    /// Step 2, Custom document tab: the role revision its Convert verdict was worked out
    /// for, and the verdict (`None` when the trust is no custom document).
    pub fn trust_convert_verdict(
        &self,
    ) -> Option<(u64, Option<super::steps::trust_document::Verdict>)> {
        self.app.steps.trust.doc.verdict.clone()
    }

    /// Step 5: findings or the Check panel.
    pub fn review_tab(&self) -> ReviewTab {
        self.app.steps.review.tab
    }

    /// Step 6: the export form (format, documents, destination, file).
    pub fn export_form(&self) -> &Form {
        &self.app.steps.export.form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn driver() -> Driver {
        Driver::new(
            RoleSpec::default(),
            Arc::new(Catalog::embedded().clone()),
            100,
            30,
        )
    }

    #[test]
    fn starts_at_its_size_on_the_step_list_with_nothing_copied() {
        let d = driver();
        assert_eq!(d.size(), (100, 30));
        assert_eq!(d.step(), Step::Role);
        assert_eq!(d.focus(), Pane::Steps);
        assert_eq!(d.status_text(), "");
        assert!(d.copied().is_empty() && !d.unsaved() && !d.has_quit());
        assert_eq!(d.screen_text().lines().count(), 30);
    }

    #[test]
    fn a_role_changed_from_outside_is_unsaved_and_previewed() {
        let mut d = driver();
        let revision = d.revision();
        d.edit_role(|r| r.name = "renamed".into());
        assert!(d.unsaved());
        assert_eq!(d.revision(), revision + 1);
        assert_eq!(d.previewed_documents().role_name, "renamed");
    }

    #[test]
    fn drawing_with_another_path_shown_keeps_the_real_one() {
        let mut d = driver();
        d.set_path(Some(PathBuf::from("/tmp/somewhere/role.toml")));
        let _ = d.render_showing_path(Some(PathBuf::from("role.toml")));
        assert_eq!(d.path(), Some(Path::new("/tmp/somewhere/role.toml")));
    }
}
