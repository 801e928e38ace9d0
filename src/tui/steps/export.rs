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
use crate::role::RoleSpec;

pub use crate::export::choice::{Documents, default_file, parts, render};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::effect::{Effect, PartCopy};
use crate::tui::modal::{Modal, Pending};
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

/// Re-renders the cached export text when the role or the choices changed.
pub fn refresh(st: &mut ExportStep, role: &RoleSpec, revision: u64) {
    let default = default_file(role, st.format(), st.documents());
    if default != st.file_default {
        if st.form.value(FILE) == st.file_default {
            st.form.fields[FILE].set_text(&default);
        }
        st.file_default = default;
    }
    let key = (
        revision,
        st.form.fields[DOCS].choice_index(),
        st.form.fields[FORMAT].choice_index(),
    );
    if st.rendered_for == Some(key) {
        return;
    }
    st.next_part = 0;
    // The saved role only: a statement still open in the editor is not exported.
    st.rendered = render(&role.to_documents(), st.format(), st.documents());
    st.rendered_for = Some(key);
}

/// Exports with the current choices. Asks first about remaining findings (unless
/// `findings_ok`) and about replacing a file (unless `overwrite`).
pub fn export(cx: &mut Ctx<'_, ExportStep>, findings_ok: bool, overwrite: bool) {
    refresh(cx.state, cx.role, cx.revision);
    if !findings_ok && !cx.preview.findings.is_empty() {
        let mut lines: Vec<String> = cx
            .preview
            .findings
            .iter()
            .take(8)
            .map(|f| format!("{} [{}] {}", f.severity.letter(), f.code, f.message))
            .collect();
        if cx.preview.findings.len() > 8 {
            lines.push(format!(
                "… and {} more (see Review)",
                cx.preview.findings.len() - 8
            ));
        }
        lines.push(String::new());
        lines.push("y: export anyway   n: go back".into());
        let (e, w, s) = cx.preview.counts;
        cx.open(Modal::Confirm {
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
    let text = cx.state.rendered.clone();
    match cx.state.destination() {
        Destination::File => {
            let path = PathBuf::from(cx.state.form.value(FILE).trim());
            if path.as_os_str().is_empty() {
                cx.state.form.fields[FILE].error = Some("give a file name".into());
                cx.state.form.focus = FILE;
                return;
            }
            if !overwrite && crate::io::write::occupied(&path) {
                cx.open(Modal::Confirm {
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
            let done = format!("exported to {}", path.display());
            cx.push(Effect::Write { path, text, done });
        }
        Destination::Clipboard
            if cx.state.format() == ExportFormat::Console
                && cx.state.documents() == Documents::Both =>
        {
            copy_next_part(cx)
        }
        Destination::Clipboard => cx.push(Effect::Copy { text, part: None }),
        Destination::PrintOnExit => {
            cx.push(Effect::PrintOnExit(text));
            cx.info("the export will be printed on stdout when you quit");
        }
    }
}

/// Console "Both" to the clipboard: the two (or more) documents go to different boxes of
/// the IAM console, so each Enter copies the next one alone, as JSON that pastes as is.
fn copy_next_part(cx: &mut Ctx<'_, ExportStep>) {
    let parts = parts(&cx.role.to_documents());
    let count = parts.len();
    let index = cx.state.next_part % count.max(1);
    let Some((what, json)) = parts.get(index) else {
        return;
    };
    let part = PartCopy {
        what: what.clone(),
        index,
        count,
        next: parts[(index + 1) % count].0.clone(),
    };
    cx.push(Effect::Copy {
        text: json.clone(),
        part: Some(part),
    });
}

pub fn handle(cx: &mut Ctx<'_, ExportStep>, action: Action) -> bool {
    let st = &mut *cx.state;
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
        Action::Confirm => export(cx, false, false),
        _ => return false,
    }
    refresh(cx.state, cx.role, cx.revision);
    true
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

pub fn draw(v: &View, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = v.theme;
    let st = &v.steps.export;
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

pub fn hints() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", "export"),
        ("↑↓", "field"),
        ("Space", "choice"),
        ("Esc", "steps"),
    ]
}
