//! The Trust step's "Custom document" tab: a role whose trust is a raw trust policy
//! (`document = "trust.json"` or inline) shows it, edits it as JSON with live validation,
//! or converts it into the structured keys the other tabs edit when it fits
//! (`role::trust_convert`). A structured trust can go the other way: "Edit as JSON" starts
//! from the document the other tabs build.
//!
//! The JSON being edited is a draft beside the role, like the statement editor's: it
//! enters the role (one undo step) when it is applied with Esc or Ctrl-S, and only when it
//! parses with the strict reader (a key written twice is an error). Lint findings of the
//! trust rules are shown under it as it is typed and do not stop it. Ctrl-S then writes the
//! document back to the file the role file names (`role::trust_file`), or into the role
//! file when it names none.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::error::Error;
use crate::lint::{self, LintOptions, PolicyKind};
use crate::policy::PolicyDocument;
use crate::policy::source::parse_policy;
use crate::role::trust_convert::{convert_trust_document, describe};
use crate::role::trust_entry::trust_document_from_file;
use crate::role::{RoleSpec, TrustDocument, TrustSpec};

use super::trust::{TrustKind, TrustStep};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::effect::Effect;
use crate::tui::findings::Severity;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, Form, draw_form};
use crate::tui::widgets::json_preview::draw_json;
use crate::tui::widgets::list::{draw_list, list_move};
use crate::tui::widgets::text_area::TextArea;

/// How the text being edited is named in its errors.
const ORIGIN: &str = "trust document";

/// The tab's state: the menu, the JSON view's scroll, and the editor or the "read a file"
/// question when open.
#[derive(Clone, Debug, Default)]
pub struct DocumentTab {
    pub selected: usize,
    /// First JSON line in view (PageUp/PageDown).
    pub scroll: usize,
    /// The role file the trust file below was looked up for, and the trust document file
    /// it names (`document = "trust.json"`), as written in it.
    pub file: Option<(PathBuf, Option<String>)>,
    pub editor: Option<JsonEditor>,
    /// "Read a trust policy from a file": the path being typed.
    pub read: Option<Form>,
    /// The last edit applied, as typed: Ctrl-S writes this text to the trust file while
    /// the role's document is still the one it reads as, so the user's layout is kept.
    pub applied: Option<(PolicyDocument, String)>,
    /// The Convert row's verdict and the role revision it was worked out for: converting
    /// proves the meaning (builds and compares documents), too much for every frame.
    pub verdict: Option<(u64, Option<Verdict>)>,
}

/// What the custom document converts to (`Ok`), or why it cannot (`Err`), in words.
pub type Verdict = Result<String, String>;

/// The JSON editor's draft and what the strict reader and the lint say about it.
#[derive(Clone, Debug)]
pub struct JsonEditor {
    pub area: TextArea,
    pub check: Validation,
    /// Esc on JSON that does not parse said so; a second Esc drops the edit.
    pub drop_armed: bool,
    /// The step pane was zoomed for the editor on a small screen (undone on closing).
    pub zoomed: bool,
}

/// Why the draft is not a policy document: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The draft as the strict JSON reader reads it, and the trust findings when it reads.
#[derive(Clone, Debug)]
pub struct Validation {
    pub document: Result<PolicyDocument, Problem>,
    /// (severity, line, column, code, message) of each lint finding, in text order.
    pub findings: Vec<(Severity, usize, usize, &'static str, String)>,
}

/// Reads `text` as a trust policy: the strict reader first (its error is the one that
/// blocks applying), then the trust rules of `lint` with positions in the text.
pub fn validate_text(text: &str, role: &RoleSpec, catalog: &crate::catalog::Catalog) -> Validation {
    let document = parse_policy(ORIGIN, text)
        .map(|p| p.document)
        .map_err(|e| match e {
            Error::Parse {
                line,
                column,
                message,
                ..
            } => Problem {
                line: line.max(1),
                column: column.max(1),
                message,
            },
            other => Problem {
                line: 1,
                column: 1,
                message: other.to_string(),
            },
        });
    let mut findings = Vec::new();
    if document.is_ok() {
        let options = LintOptions {
            own_account: role.account.clone(),
            ..Default::default()
        };
        for f in lint::lint_policy_text(ORIGIN, text, PolicyKind::Trust, catalog, &options) {
            let severity = match f.severity {
                lint::Severity::Error => Severity::Error,
                lint::Severity::Warning => Severity::Warning,
                lint::Severity::Suggestion => Severity::Suggestion,
            };
            findings.push((
                severity,
                f.location.line.unwrap_or(1),
                f.location.column.unwrap_or(1),
                f.code,
                f.message,
            ));
        }
        findings.sort_by_key(|f| (f.1, f.2));
    }
    Validation { document, findings }
}

/// The menu of the tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Edit,
    Convert,
    Read,
    Remove,
}

fn items(role: &RoleSpec) -> Vec<Item> {
    if role.trust.document.is_some() {
        vec![Item::Edit, Item::Convert, Item::Read, Item::Remove]
    } else {
        vec![Item::Edit, Item::Read]
    }
}

fn label(item: Item, role: &RoleSpec) -> &'static str {
    match item {
        Item::Edit if role.trust.document.is_some() => "Edit as JSON",
        Item::Edit => "Edit as JSON (from what the other tabs build)",
        Item::Convert => "Convert to the structured form (the other tabs)",
        Item::Read => "Read a trust policy from a file…",
        Item::Remove => "Remove the custom document",
    }
}

fn custom_document(role: &RoleSpec) -> Option<&PolicyDocument> {
    match &role.trust.document {
        Some(TrustDocument::Inline(doc)) => Some(doc),
        _ => None,
    }
}

/// The trust document file the opened role file names, when it was looked up for the
/// file being edited now.
fn trust_file<'a>(st: &'a TrustStep, path: Option<&Path>) -> Option<&'a str> {
    match (&st.doc.file, path) {
        (Some((looked_up, name)), Some(path)) if looked_up == path => name.as_deref(),
        _ => None,
    }
}

/// Looks up the trust document file the role file names, when the role file changed
/// (opened, saved elsewhere). Reads the role file, so never called while drawing.
pub fn remember_file(st: &mut TrustStep, path: Option<&Path>) {
    let Some(path) = path.map(Path::to_path_buf) else {
        st.doc.file = None;
        return;
    };
    if st.doc.file.as_ref().is_some_and(|(p, _)| *p == path) {
        return;
    }
    let name = crate::role::trust_file::named_document_file(&path);
    st.doc.file = Some((path, name));
}

/// `role` with the JSON editor's draft as its trust document, while the editor is open and
/// the draft parses: what the preview shows meanwhile.
pub fn role_with_draft(role: &RoleSpec, tab: &DocumentTab) -> Option<RoleSpec> {
    let doc = tab.editor.as_ref()?.check.document.as_ref().ok()?;
    let mut draft = role.clone();
    draft.trust = TrustSpec {
        document: Some(TrustDocument::Inline(Box::new(doc.clone()))),
        create_oidc_provider: role.trust.document.is_some() && role.trust.create_oidc_provider,
        ..Default::default()
    };
    Some(draft)
}

/// Is the JSON editor open (its draft not yet in the role)?
pub fn editor_open(st: &TrustStep) -> bool {
    st.doc.editor.is_some()
}

/// Does the tab take typed text (the editor or the path question is open)?
pub fn editing_text(st: &TrustStep) -> bool {
    let d = &st.doc;
    d.editor.is_some() || d.read.is_some()
}

fn open_editor(cx: &mut Ctx<'_, TrustStep>) {
    let doc = custom_document(cx.role)
        .cloned()
        .unwrap_or_else(|| cx.role.trust_document());
    let text = starting_text(cx.state, cx.role, cx.path, &doc);
    let check = validate_text(&text, cx.role, cx.catalog);
    // On a small screen the editor takes the step pane's whole height.
    let zoomed = !cx.wide && !cx.main_zoom;
    if zoomed {
        cx.push(Effect::ZoomMain(true));
    }
    cx.state.doc.editor = Some(JsonEditor {
        area: TextArea::new(&text),
        check,
        drop_armed: false,
        zoomed,
    });
    cx.info(if cx.role.trust.document.is_some() {
        "editing the trust document: Esc applies it, Ctrl-S applies and saves"
    } else {
        "editing the built trust as JSON: applying it makes it a custom document"
    });
}

/// The text the editor starts with: the last edit as typed, else the trust file as it is
/// written (its layout and key order), while either still reads as `doc`; else `doc` as
/// pretty JSON.
fn starting_text(
    st: &TrustStep,
    role: &RoleSpec,
    path: Option<&Path>,
    doc: &PolicyDocument,
) -> String {
    if let Some((applied, text)) = &st.doc.applied
        && applied == doc
    {
        return text.clone();
    }
    let from_file = trust_file(st, path).zip(path).and_then(|(rel, role_path)| {
        let base = role_path.parent().unwrap_or_else(|| Path::new("."));
        let text = crate::io::read_text(&base.join(rel), crate::io::InputKind::Document).ok()?;
        let parsed = parse_policy(rel, &text).ok()?;
        (parsed.document == *doc && custom_document(role).is_some())
            .then(|| text.trim_end().to_string())
    });
    from_file.unwrap_or_else(|| doc.to_pretty_json())
}

/// Before the role file is saved: the trust file gets the last applied edit as typed
/// (with a final newline) instead of rolesmith's pretty JSON, when the document to write
/// is that edit's.
pub fn keep_typed_text(st: &TrustStep, role: &RoleSpec, saved: &mut crate::role::save::SaveText) {
    let (Some(trust), Some((doc, text)), Some(current)) = (
        saved.trust_file.as_mut(),
        &st.doc.applied,
        custom_document(role),
    ) else {
        return;
    };
    let text = format!("{}\n", text.trim_end());
    // The same proof as for the pretty form: it reads back as the document saved.
    let reads_back = parse_policy(&trust.rel, &text).is_ok_and(|p| p.document == *current);
    if trust.write.is_some() && doc == current && reads_back {
        trust.write = Some(text);
    }
}

fn close_editor(cx: &mut Ctx<'_, TrustStep>) {
    if let Some(ed) = cx.state.doc.editor.take() {
        if ed.zoomed {
            cx.push(Effect::ZoomMain(false));
        }
        // The preview showed the draft: back to the role's own document.
        cx.refresh_preview();
    }
}

/// Where Ctrl-S puts the document, for the status line.
fn destination(st: &TrustStep, path: Option<&Path>) -> String {
    match trust_file(st, path) {
        Some(f) => format!("Ctrl-S writes it to {}", sanitize_for_display(f)),
        None => "Ctrl-S saves it in the role file".into(),
    }
}

/// Puts the draft into the role when it parses; false (with the reason on the status line)
/// when it does not.
fn apply_draft(cx: &mut Ctx<'_, TrustStep>) -> bool {
    let Some(ed) = &cx.state.doc.editor else {
        return true;
    };
    let doc = match &ed.check.document {
        Ok(doc) => doc.clone(),
        Err(p) => {
            let message = format!(
                "the JSON does not parse ({}:{}: {})",
                p.line,
                p.column,
                sanitize_for_display(&p.message)
            );
            cx.error(message);
            return false;
        }
    };
    let findings = ed.check.findings.len();
    let typed = ed.area.text();
    // Closed without rebuilding the preview: the role changes next (or the draft was it).
    if cx.state.doc.editor.take().is_some_and(|ed| ed.zoomed) {
        cx.push(Effect::ZoomMain(false));
    }
    let was_structured = cx.role.trust.document.is_none() && !cx.role.trust.is_empty();
    let keep_provider = cx.role.trust.document.is_some() && cx.role.trust.create_oidc_provider;
    let mut role = cx.role.clone();
    role.trust = TrustSpec {
        document: Some(TrustDocument::Inline(Box::new(doc))),
        create_oidc_provider: keep_provider,
        ..Default::default()
    };
    if role == *cx.role {
        cx.info("the trust document is unchanged");
        return true;
    }
    *cx.role = role;
    cx.role_changed();
    cx.state.doc.applied = custom_document(cx.role).map(|d| (d.clone(), typed));
    let mut message = format!("trust document updated; {}", destination(cx.state, cx.path));
    if was_structured {
        message.push_str("; it replaces the entries of the other tabs");
    }
    if findings > 0 {
        message.push_str(&format!(
            "; {findings} finding{} (Review)",
            if findings == 1 { "" } else { "s" }
        ));
    }
    message.push_str(" — u undoes");
    cx.info(message);
    true
}

/// Before Ctrl-S saves: an open editor's draft is applied first; false (nothing saved)
/// while it does not parse.
pub fn before_save(cx: &mut Ctx<'_, TrustStep>) -> bool {
    if !editor_open(cx.state) {
        return true;
    }
    if apply_draft(cx) {
        return true;
    }
    // Why the draft was not applied: the status it just asked for.
    let reason = cx
        .effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Status(m, _) => Some(m.clone()),
            _ => None,
        })
        .unwrap_or_default();
    cx.error(format!("not saved: {reason}"));
    false
}

/// A bracketed paste into the open editor, line breaks kept. False when the editor is not
/// open (the caller checks that the Trust step's Custom document tab has the keyboard).
pub fn paste(cx: &mut Ctx<'_, TrustStep>, text: &str) -> bool {
    if cx.state.kind != TrustKind::Document {
        return false;
    }
    let role = cx.role.clone();
    let catalog = std::sync::Arc::clone(cx.catalog);
    let Some(ed) = cx.state.doc.editor.as_mut() else {
        return false;
    };
    ed.area.insert_str(text);
    ed.check = validate_text(&ed.area.text(), &role, &catalog);
    ed.drop_armed = false;
    if ed.check.document.is_ok() {
        cx.refresh_preview();
    }
    true
}

/// Ctrl-Z / Ctrl-R while the JSON editor is open: its own text history (the role's comes
/// back once the draft is applied or dropped).
pub fn undo_text(cx: &mut Ctx<'_, TrustStep>, redo: bool) {
    let role = cx.role.clone();
    let catalog = std::sync::Arc::clone(cx.catalog);
    let Some(ed) = cx.state.doc.editor.as_mut() else {
        return;
    };
    let done = if redo { ed.area.redo() } else { ed.area.undo() };
    if !done {
        let what = if redo { "redo" } else { "undo" };
        return cx.info(format!(
            "nothing to {what} in the JSON being edited (the role's {what} is back once it is applied or dropped)"
        ));
    }
    ed.check = validate_text(&ed.area.text(), &role, &catalog);
    ed.drop_armed = false;
    let parses = ed.check.document.is_ok();
    if parses {
        cx.refresh_preview();
    }
    cx.info(if redo {
        "redone in the JSON being edited"
    } else {
        "undone in the JSON being edited"
    });
}

fn handle_editor(cx: &mut Ctx<'_, TrustStep>, action: Action) -> bool {
    let role = cx.role.clone();
    let catalog = std::sync::Arc::clone(cx.catalog);
    let Some(ed) = cx.state.doc.editor.as_mut() else {
        return false;
    };
    let changed = match action {
        Action::Input(req) => ed.area.input(req),
        Action::Confirm => {
            ed.area.newline();
            true
        }
        a if ed.area.navigate(a) => false,
        Action::Back => {
            let problem = ed.check.document.as_ref().err().cloned();
            let armed = std::mem::replace(&mut ed.drop_armed, true);
            match problem {
                None => {
                    apply_draft(cx);
                }
                Some(_) if armed => {
                    close_editor(cx);
                    cx.info("the edit was dropped; the trust document is as before");
                }
                Some(p) => cx.error(format!(
                    "not applied: {}:{}: {}; Esc again drops the edit",
                    p.line,
                    p.column,
                    sanitize_for_display(&p.message)
                )),
            }
            return true;
        }
        _ => return false,
    };
    if changed {
        ed.check = validate_text(&ed.area.text(), &role, &catalog);
        ed.drop_armed = false;
        // The preview follows the draft while it parses (and keeps the last that did).
        if ed.check.document.is_ok() {
            cx.refresh_preview();
        }
    }
    true
}

fn handle_read(cx: &mut Ctx<'_, TrustStep>, action: Action) -> bool {
    let Some(form) = cx.state.doc.read.as_mut() else {
        return false;
    };
    match action {
        Action::Input(req) => {
            form.input(req);
            form.fields[0].error = None;
        }
        Action::Back => {
            cx.state.doc.read = None;
            cx.info("nothing read");
        }
        Action::Confirm => {
            let path = form.value(0).trim().to_string();
            if path.is_empty() {
                form.fields[0].error = Some("give the path of a JSON file".into());
                return true;
            }
            match trust_document_from_file(&path) {
                Ok(document) => {
                    cx.state.doc.read = None;
                    let was_structured =
                        cx.role.trust.document.is_none() && !cx.role.trust.is_empty();
                    cx.role.trust = TrustSpec {
                        document: Some(document),
                        ..Default::default()
                    };
                    cx.role_changed();
                    let mut message = format!(
                        "trust document read from {}; {}",
                        sanitize_for_display(&path),
                        destination(cx.state, cx.path)
                    );
                    if was_structured {
                        message.push_str("; it replaces the entries of the other tabs");
                    }
                    message.push_str(" — u undoes");
                    cx.info(message);
                }
                Err(e) => {
                    form.fields[0].error = Some(sanitize_for_display(&e.to_string()).into_owned())
                }
            }
        }
        _ => return false,
    }
    true
}

/// Converts the custom document into the structured keys, or says why it cannot.
fn convert(cx: &mut Ctx<'_, TrustStep>) {
    let Some(doc) = custom_document(cx.role).cloned() else {
        return;
    };
    match convert_trust_document(cx.role, &doc) {
        Ok(c) => {
            let what = describe(&c.role.trust);
            *cx.role = c.role;
            cx.role_changed();
            // Show the first tab that holds the converted entries.
            if let Some(kind) = super::trust::first_kind_with_entries(cx.role) {
                cx.state.kind = kind;
                cx.state.entry_sel = 0;
            }
            let mut message = format!("converted: {what}");
            for n in &c.notes {
                message.push_str(&format!("; {n}"));
            }
            message.push_str(" — u undoes");
            cx.info(sanitize_for_display(&message).into_owned());
        }
        Err(e) => cx.error(format!(
            "cannot convert: {}",
            sanitize_for_display(&e.to_string())
        )),
    }
}

fn activate(cx: &mut Ctx<'_, TrustStep>, item: Item) {
    match item {
        Item::Edit => open_editor(cx),
        Item::Convert => convert(cx),
        Item::Read => {
            let start = trust_file(cx.state, cx.path)
                .unwrap_or_default()
                .to_string();
            cx.state.doc.read = Some(Form::new(vec![
                Field::text("File", start).with_hint("a trust policy JSON file; Enter reads it"),
            ]));
        }
        Item::Remove => {
            cx.role.trust.document = None;
            cx.role_changed();
            cx.state.doc.selected = 0;
            cx.info("custom trust document removed: nobody may assume the role until trust is added — u undoes");
        }
    }
}

/// The tab's keys; false for what it does not use (←→ switch tabs in `trust`).
pub fn handle(cx: &mut Ctx<'_, TrustStep>, action: Action) -> bool {
    remember_file(cx.state, cx.path);
    if editor_open(cx.state) {
        return handle_editor(cx, action);
    }
    if cx.state.doc.read.is_some() {
        return handle_read(cx, action);
    }
    let menu = items(cx.role);
    let d = &mut cx.state.doc;
    d.selected = d.selected.min(menu.len() - 1);
    match action {
        // PageUp/PageDown scroll the JSON; the menu is short.
        Action::PageUp => d.scroll = d.scroll.saturating_sub(super::super::widgets::list::PAGE),
        Action::PageDown => d.scroll += super::super::widgets::list::PAGE,
        a if list_move(a, d.selected, menu.len()).is_some() => {
            d.selected = list_move(a, d.selected, menu.len()).unwrap_or(0);
        }
        Action::Confirm | Action::Toggle => {
            let item = menu[d.selected];
            activate(cx, item);
        }
        Action::Edit => open_editor(cx),
        Action::Delete if cx.role.trust.document.is_some() => activate(cx, Item::Remove),
        _ => return false,
    }
    true
}

/// Works the Convert row's verdict out again when the role changed since (`revision`) and
/// the Trust step is shown; `update` calls it after every action.
pub fn refresh_verdict(st: &mut TrustStep, role: &RoleSpec, revision: u64) {
    if st.doc.verdict.as_ref().is_some_and(|(r, _)| *r == revision) {
        return;
    }
    st.doc.verdict = Some((revision, verdict(role)));
}

/// The verdict line of the Convert row: what the document converts to, or why it cannot.
fn verdict(role: &RoleSpec) -> Option<Verdict> {
    let doc = custom_document(role)?;
    Some(
        convert_trust_document(role, doc)
            .map(|c| format!("It fits the structured form: {}.", describe(&c.role.trust)))
            .map_err(|e| format!("It stays a document: {e}.")),
    )
}

fn source_line(v: &View) -> String {
    match (&v.role.trust.document, trust_file(&v.steps.trust, v.path)) {
        (Some(_), Some(f)) => format!(
            "From {} (the role file's `document`): Ctrl-S writes edits back to it. It replaces the other tabs.",
            sanitize_for_display(f)
        ),
        (Some(_), None) => {
            "A custom trust document, kept in the role file. It replaces the other tabs.".into()
        }
        (None, file) => {
            let mut line = if v.role.trust.is_empty() {
                "No custom document, and the other tabs trust nobody yet.".to_string()
            } else {
                format!(
                    "No custom document: the trust is built from the other tabs ({}).",
                    describe(&v.role.trust)
                )
            };
            if let Some(f) = file {
                line.push_str(&format!(
                    " Saving drops the role file's `document`; {} itself is left as it is.",
                    sanitize_for_display(f)
                ));
            }
            line
        }
    }
}

/// Draws the tab into `body` (under the kind tabs).
pub fn draw(v: &View, frame: &mut Frame, body: Rect, focused: bool) {
    let theme = v.theme;
    let d = &v.steps.trust.doc;
    if let Some(ed) = &d.editor {
        return draw_editor(v, ed, frame, body, focused);
    }
    if let Some(form) = &d.read {
        let [note, f] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(body);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Read a trust policy from a file: it becomes the role's custom document.",
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            note,
        );
        draw_form(frame, f, form, focused, 8, theme);
        return;
    }
    let menu = items(v.role);
    // The cached verdict (`refresh_verdict`); worked out here only before the first update.
    let cached = v.steps.trust.doc.verdict.as_ref().map(|(_, c)| c.clone());
    let verdict = cached.unwrap_or_else(|| verdict(v.role)).map(|v| match v {
        Ok(t) => (format!("✓ {}", sanitize_for_display(&t)), theme.ok()),
        Err(t) => (format!("✗ {}", sanitize_for_display(&t)), theme.error()),
    });
    // The whole reason is shown: as many lines as it wraps to (words wrap a little wider).
    let verdict_h = verdict.as_ref().map_or(0, |(t, _)| {
        let width = usize::from(body.width.max(1));
        (t.chars().count() + t.chars().count() / 8)
            .div_ceil(width)
            .clamp(1, 5) as u16
    });
    let [source, list, verdict_area, json] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(menu.len() as u16),
        Constraint::Length(verdict_h),
        Constraint::Min(0),
    ])
    .areas(body);
    frame.render_widget(
        Paragraph::new(Span::styled(source_line(v), theme.dim())).wrap(Wrap { trim: true }),
        source,
    );
    let rows: Vec<Line> = menu
        .iter()
        .map(|i| Line::from(Span::styled(label(*i, v.role), theme.text())))
        .collect();
    draw_list(
        frame,
        list,
        &rows,
        d.selected.min(menu.len() - 1),
        focused,
        theme,
    );
    if let Some((text, style)) = verdict {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
            verdict_area,
        );
    }
    if json.height > 1 {
        let [title, text] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(json);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "── the trust document (PgUp/PgDn scroll) ──",
                theme.dim(),
            )),
            title,
        );
        let doc = &v.preview.trust;
        let scroll = d.scroll.min(doc.lines.len().saturating_sub(1));
        draw_json(frame, text, &doc.lines, &doc.marks, scroll, theme);
    }
}

fn draw_editor(v: &View, ed: &JsonEditor, frame: &mut Frame, body: Rect, focused: bool) {
    let theme = v.theme;
    let lines = check_lines(ed, theme);
    // As many rows as the lines wrap to (words wrap a little wider), at most six.
    let width = usize::from(body.width.max(1));
    let below = lines
        .iter()
        .map(|l| {
            let n = l.width();
            (n + n / 8).div_ceil(width).max(1)
        })
        .sum::<usize>()
        .min(6) as u16;
    let [title, text, check] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(below),
    ])
    .areas(body);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Trust document (JSON)", theme.title()),
            Span::styled("  Esc applies, Ctrl-S saves", theme.dim()),
        ])),
        title,
    );
    let mut marked: Vec<usize> = match &ed.check.document {
        Err(p) => vec![p.line - 1],
        Ok(_) => ed
            .check
            .findings
            .iter()
            .filter(|f| f.0 == Severity::Error)
            .map(|f| f.1 - 1)
            .collect(),
    };
    marked.dedup();
    ed.area.draw(frame, text, &marked, focused, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), check);
}

/// The status line's keys for the tab.
pub fn hints(v: &View) -> Vec<(&'static str, &'static str)> {
    let d = &v.steps.trust.doc;
    if d.editor.is_some() {
        return vec![
            ("Esc", "apply"),
            ("Enter", "new line"),
            ("Esc Esc", "drop bad JSON"),
        ];
    }
    if d.read.is_some() {
        return vec![("Enter", "read file"), ("Esc", "cancel")];
    }
    vec![
        ("Enter", "do"),
        ("i", "edit JSON"),
        ("PgUp/PgDn", "scroll"),
        ("←→", "kind"),
    ]
}

/// What the strict reader and the lint say about the draft, one line each.
fn check_lines(ed: &JsonEditor, theme: &crate::tui::theme::Theme) -> Vec<Line<'static>> {
    match &ed.check.document {
        Err(p) => vec![Line::from(Span::styled(
            format!(
                "✗ {}:{}: {} — not applied until it parses",
                p.line,
                p.column,
                sanitize_for_display(&p.message)
            ),
            theme.error(),
        ))],
        Ok(_) => {
            let mut out = vec![Line::from(Span::styled(
                if ed.check.findings.is_empty() {
                    "✓ reads as a trust policy; no findings".to_string()
                } else {
                    format!(
                        "✓ reads as a trust policy; {} finding{}:",
                        ed.check.findings.len(),
                        if ed.check.findings.len() == 1 {
                            ""
                        } else {
                            "s"
                        }
                    )
                },
                theme.ok(),
            ))];
            for (sev, line, col, code, message) in &ed.check.findings {
                out.push(Line::from(Span::styled(
                    format!(
                        "{} {line}:{col} {code}: {}",
                        sev.letter(),
                        sanitize_for_display(message)
                    ),
                    theme.severity(*sev),
                )));
            }
            out
        }
    }
}
