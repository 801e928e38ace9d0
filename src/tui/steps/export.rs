//! Step 6, Export: the documents as console JSON (trust, permissions or both) or as a
//! deployable format, to a file (asking before replacing one), to the clipboard, or printed
//! on stdout when the wizard closes. Remaining findings are listed first and must be
//! acknowledged.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::export::ExportFormat;
use crate::io::write_atomic;
use crate::role::{RoleDocuments, RoleSpec};

use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pending};
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, Form, draw_form};
use crate::tui::widgets::text::count_s;

const DOCS: usize = 0;
const FORMAT: usize = 1;
const DEST: usize = 2;
const FILE: usize = 3;

/// Formats offered, in menu order (console JSON first: it is what people paste).
const FORMATS: [ExportFormat; 6] = [
    ExportFormat::Console,
    ExportFormat::Json,
    ExportFormat::Cli,
    ExportFormat::CloudFormationYaml,
    ExportFormat::CloudFormationJson,
    ExportFormat::Terraform,
];

/// Which documents a console export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Documents {
    Both,
    Trust,
    Permissions,
}

/// Where the export goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    File,
    Clipboard,
    PrintOnExit,
}

/// The Export step's UI state, with the export text cached per role revision and choice.
#[derive(Clone, Debug)]
pub struct ExportStep {
    pub form: Form,
    pub rendered: String,
    rendered_for: Option<(u64, usize, usize)>,
    /// The file name last filled in for the user: while the field still holds it, it
    /// follows the role name and the format; once typed over, it is the user's.
    file_default: String,
    /// Console "Both" to the clipboard copies one pasteable document per Enter: the
    /// part copied next (0 the trust policy, then each inline policy).
    pub next_part: usize,
}

impl ExportStep {
    pub fn new(role: &RoleSpec) -> ExportStep {
        let labels: Vec<&str> = FORMATS
            .iter()
            .map(|f| match f {
                ExportFormat::Console => "Console JSON",
                f => f.label(),
            })
            .collect();
        let form = Form::new(vec![
            Field::choice("Documents", &["Both", "Trust policy", "Permissions"], 0)
                .with_hint("for console JSON; the other formats hold the whole role"),
            Field::choice("Format", &labels, 0),
            Field::choice("To", &["File", "Clipboard", "Print on exit"], 0),
            Field::text(
                "File",
                default_file(role, ExportFormat::Console, Documents::Both),
            ),
        ]);
        ExportStep {
            form,
            rendered: String::new(),
            rendered_for: None,
            file_default: default_file(role, ExportFormat::Console, Documents::Both),
            next_part: 0,
        }
    }

    pub fn format(&self) -> ExportFormat {
        FORMATS[self.form.fields[FORMAT]
            .choice_index()
            .min(FORMATS.len() - 1)]
    }

    pub fn documents(&self) -> Documents {
        match self.form.fields[DOCS].choice_index() {
            1 => Documents::Trust,
            2 => Documents::Permissions,
            _ => Documents::Both,
        }
    }

    pub fn destination(&self) -> Destination {
        match self.form.fields[DEST].choice_index() {
            1 => Destination::Clipboard,
            2 => Destination::PrintOnExit,
            _ => Destination::File,
        }
    }
}

/// The file an export goes to unless the user types another: `<role name>.<extension>`,
/// the extension saying what the file holds (`.txt` for console JSON of both documents
/// with their headings, `.json` for one document, `.sh`, `.yaml`, `.tf`, …), so exports of
/// two roles or two formats do not land in the same file.
pub fn default_file(role: &RoleSpec, format: ExportFormat, documents: Documents) -> String {
    // A name still being typed may hold characters a role name cannot: never a path.
    let name: String = role
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = if name.is_empty() || name.chars().all(|c| c == '.') {
        "role".to_string()
    } else {
        name
    };
    let suffix = match (format, documents) {
        (ExportFormat::Console, Documents::Both) => ".txt",
        (ExportFormat::Console, Documents::Trust) => "-trust.json",
        (ExportFormat::Console, Documents::Permissions) => "-permissions.json",
        (ExportFormat::Json, _) => ".json",
        (ExportFormat::Cli, _) => ".sh",
        (ExportFormat::CloudFormationYaml, _) => ".yaml",
        (ExportFormat::CloudFormationJson, _) => ".cfn.json",
        (ExportFormat::Terraform, _) => ".tf",
    };
    format!("{name}{suffix}")
}

/// The documents of a console "Both" export one by one, each pasteable JSON on its own:
/// (what it is, its JSON).
pub fn parts(docs: &RoleDocuments) -> Vec<(String, String)> {
    let mut out = vec![(
        "the trust policy".to_string(),
        format!("{}\n", docs.trust.to_pretty_json()),
    )];
    for p in &docs.policies {
        out.push((
            format!("inline policy {}", p.name),
            format!("{}\n", p.document.to_pretty_json()),
        ));
    }
    out
}

/// The export text for the current choices.
pub fn render(docs: &RoleDocuments, format: ExportFormat, documents: Documents) -> String {
    match (format, documents) {
        (ExportFormat::Console, Documents::Trust) => format!("{}\n", docs.trust.to_pretty_json()),
        (ExportFormat::Console, Documents::Permissions) => {
            if let [only] = docs.policies.as_slice() {
                return format!("{}\n", only.document.to_pretty_json());
            }
            let mut out = String::new();
            for (i, p) in docs.policies.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&format!("# Inline policy {}\n", p.name));
                out.push_str(&p.document.to_pretty_json());
                out.push('\n');
            }
            out
        }
        (f, _) => f.render(docs),
    }
}

/// Re-renders the cached export text when the role or the choices changed.
pub fn refresh(app: &mut App) {
    let default = default_file(
        &app.role,
        app.steps.export.format(),
        app.steps.export.documents(),
    );
    let st = &mut app.steps.export;
    if default != st.file_default {
        if st.form.value(FILE) == st.file_default {
            st.form.fields[FILE].set_text(&default);
        }
        st.file_default = default;
    }
    let st = &app.steps.export;
    let key = (
        app.revision,
        st.form.fields[DOCS].choice_index(),
        st.form.fields[FORMAT].choice_index(),
    );
    if st.rendered_for == Some(key) {
        return;
    }
    app.steps.export.next_part = 0;
    let st = &app.steps.export;
    // The saved role only: a statement still open in the editor is not exported.
    let text = render(&app.role.to_documents(), st.format(), st.documents());
    let st = &mut app.steps.export;
    st.rendered = text;
    st.rendered_for = Some(key);
}

/// Exports with the current choices. Asks first about remaining findings (unless
/// `findings_ok`) and about replacing a file (unless `overwrite`).
pub fn export(app: &mut App, findings_ok: bool, overwrite: bool) {
    refresh(app);
    if !findings_ok && !app.preview.findings.is_empty() {
        let mut lines: Vec<String> = app
            .preview
            .findings
            .iter()
            .take(8)
            .map(|f| format!("{} [{}] {}", f.severity.letter(), f.code, f.message))
            .collect();
        if app.preview.findings.len() > 8 {
            lines.push(format!(
                "… and {} more (see Review)",
                app.preview.findings.len() - 8
            ));
        }
        lines.push(String::new());
        lines.push("y: export anyway   n: go back".into());
        let (e, w, s) = app.preview.counts;
        app.modal = Some(Modal::Confirm {
            title: format!(
                "Findings remain: {}, {}, {}",
                count_s(e, "error"),
                count_s(w, "warning"),
                count_s(s, "suggestion")
            ),
            lines,
            on_yes: Pending::Export {
                findings_ok: true,
                overwrite,
            },
        });
        return;
    }
    let text = app.steps.export.rendered.clone();
    match app.steps.export.destination() {
        Destination::File => {
            let path = PathBuf::from(app.steps.export.form.value(FILE).trim());
            if path.as_os_str().is_empty() {
                app.steps.export.form.fields[FILE].error = Some("give a file name".into());
                app.steps.export.form.focus = FILE;
                return;
            }
            if !overwrite && crate::io::write::occupied(&path) {
                app.modal = Some(Modal::Confirm {
                    title: "Replace the file?".into(),
                    lines: vec![
                        format!("{} exists.", path.display()),
                        "y: replace it   n: keep it".into(),
                    ],
                    on_yes: Pending::Export {
                        findings_ok: true,
                        overwrite: true,
                    },
                });
                return;
            }
            match write_atomic(&path, text.as_bytes(), true) {
                Ok(()) => app.info(format!("exported to {}", path.display())),
                Err(e) => app.error(e.to_string()),
            }
        }
        Destination::Clipboard
            if app.steps.export.format() == ExportFormat::Console
                && app.steps.export.documents() == Documents::Both =>
        {
            copy_next_part(app)
        }
        Destination::Clipboard => match (app.clipboard)(&text) {
            Ok(msg) => app.info(msg),
            Err(e) => app.error(e.to_string()),
        },
        Destination::PrintOnExit => {
            app.print_on_exit = Some(text);
            app.info("the export will be printed on stdout when you quit");
        }
    }
}

/// Console "Both" to the clipboard: the two (or more) documents go to different boxes of
/// the IAM console, so each Enter copies the next one alone, as JSON that pastes as is.
fn copy_next_part(app: &mut App) {
    let parts = parts(&app.role.to_documents());
    let i = app.steps.export.next_part % parts.len().max(1);
    let Some((what, json)) = parts.get(i) else {
        return;
    };
    match (app.clipboard)(json) {
        Ok(how) => {
            app.steps.export.next_part = (i + 1) % parts.len();
            let next = &parts[(i + 1) % parts.len()].0;
            let more = if parts.len() > 1 {
                format!(
                    "; Enter copies {next} (part {} of {})",
                    (i + 1) % parts.len() + 1,
                    parts.len()
                )
            } else {
                String::new()
            };
            app.info(format!(
                "{what} (part {} of {}): {how}{more}",
                i + 1,
                parts.len()
            ));
        }
        Err(e) => app.error(e.to_string()),
    }
}

pub fn handle(app: &mut App, action: Action) -> bool {
    let st = &mut app.steps.export;
    match action {
        Action::Up => {
            st.form.focus_prev();
        }
        Action::Down => {
            st.form.focus_next();
        }
        Action::Left | Action::Right if !st.form.arrows_change() => {}
        Action::Toggle | Action::Right | Action::Left => {
            // The file name follows the new choice in `refresh`.
            st.form.toggle(action != Action::Left);
        }
        Action::Input(req) => {
            st.form.input(req);
            st.form.fields[FILE].error = None;
        }
        Action::Confirm => export(app, false, false),
        _ => return false,
    }
    refresh(app);
    true
}

pub fn editing_text(app: &App) -> bool {
    app.steps.export.form.editing_text()
}

/// What Enter does with the current choices, under the form.
fn note_text(st: &ExportStep) -> &'static str {
    let both = st.format() == ExportFormat::Console && st.documents() == Documents::Both;
    match st.destination() {
        Destination::Clipboard if both => " copies trust, then each policy: pasteable JSON",
        Destination::Clipboard => " copies it · Space/←→ change a choice",
        Destination::File => " writes the file · Space/←→ change a choice",
        Destination::PrintOnExit => " prints it when you quit · Space/←→ change a choice",
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let st = &app.steps.export;
    let form_h = st.form.height() + 1;
    let [form, note, text] = Layout::vertical([
        Constraint::Length(form_h),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    draw_form(frame, form, &st.form, focused, 11, theme);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::styled(note_text(st), theme.dim()),
        ])),
        note,
    );
    if text.height > 2 {
        let lines: Vec<Line> = st
            .rendered
            .lines()
            .take(text.height.saturating_sub(2) as usize)
            .map(|l| Line::raw(sanitize_for_display(l).into_owned()))
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::TOP)
                    .border_style(theme.border())
                    .title(Span::styled(
                        format!(" {} ", st.format().label()),
                        theme.dim(),
                    )),
            ),
            text,
        );
    }
}

pub fn hints(_app: &App) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", "export"),
        ("↑↓", "field"),
        ("Space", "choice"),
        ("Esc", "steps"),
    ]
}
