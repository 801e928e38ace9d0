//! Step 5, Review: every finding, worst first; Enter goes to the step where it is fixed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Step;
use crate::tui::action::Action;
use crate::tui::app::{App, PreviewTab};
use crate::tui::findings::DocRef;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::truncate;
use crate::tui::widgets::list::draw_list;

/// The Review step's UI state.
#[derive(Clone, Debug, Default)]
pub struct ReviewStep {
    pub selected: usize,
}

pub fn handle(app: &mut App, action: Action) -> bool {
    let len = app.preview.findings.len();
    let st = &mut app.steps.review;
    match action {
        Action::Up => st.selected = st.selected.saturating_sub(1),
        Action::Down => st.selected = (st.selected + 1).min(len.saturating_sub(1)),
        Action::Top => st.selected = 0,
        Action::Bottom => st.selected = len.saturating_sub(1),
        Action::Confirm => {
            let Some(f) = app.preview.findings.get(st.selected) else {
                return true;
            };
            let (step, tab) = match f.doc {
                DocRef::Role => (Step::Role, None),
                DocRef::Trust => (Step::Trust, Some(PreviewTab::Trust)),
                DocRef::Policy(_) => (Step::Permissions, Some(PreviewTab::Permissions)),
            };
            let step = if f.message.contains("managed policy") {
                Step::Managed
            } else {
                step
            };
            app.go_to(step);
            if let Some(t) = tab {
                app.preview_tab = t;
            }
        }
        _ => return false,
    }
    true
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let findings = &app.preview.findings;
    let (e, w, s) = app.preview.counts;
    let [head, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(4),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{e} errors"),
                theme.severity(crate::tui::findings::Severity::Error),
            ),
            Span::raw("  "),
            Span::styled(
                format!("{w} warnings"),
                theme.severity(crate::tui::findings::Severity::Warning),
            ),
            Span::raw("  "),
            Span::styled(
                format!("{s} suggestions"),
                theme.severity(crate::tui::findings::Severity::Suggestion),
            ),
        ])),
        head,
    );
    if findings.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "No findings: the role is ready to export.",
                theme.ok(),
            )),
            list,
        );
        return;
    }
    let code_w = if list.width > 60 { 26 } else { 16 };
    let width = list.width.saturating_sub(code_w as u16 + 2) as usize;
    let rows: Vec<Line> = findings
        .iter()
        .map(|f| {
            Line::from(vec![
                Span::styled(
                    format!("{} ", f.severity.letter()),
                    theme.severity(f.severity),
                ),
                Span::styled(
                    format!("{:<code_w$}", truncate(&f.code, code_w - 1)),
                    theme.dim(),
                ),
                Span::raw(truncate(&f.message, width)),
            ])
        })
        .collect();
    let sel = app.steps.review.selected.min(findings.len() - 1);
    draw_list(frame, list, &rows, sel, focused, theme);
    if let Some(f) = findings.get(sel) {
        let place = match (&f.doc, &f.pointer) {
            (DocRef::Role, _) => "role".to_string(),
            (DocRef::Trust, p) => format!("trust policy {}", p.as_deref().unwrap_or("")),
            (DocRef::Policy(i), p) => {
                let name = app.role.policies.get(*i).map_or("", |p| p.name.as_str());
                format!("inline policy {name} {}", p.as_deref().unwrap_or(""))
            }
        };
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(vec![
                    Span::styled(
                        format!("{}[{}] ", f.severity, f.code),
                        theme.severity(f.severity),
                    ),
                    Span::styled(sanitize_for_display(&place).into_owned(), theme.dim()),
                ]),
                Line::raw(sanitize_for_display(&f.message).into_owned()),
                Line::from(Span::styled(
                    f.fix
                        .as_ref()
                        .map(|d| format!("fix: {}", sanitize_for_display(d)))
                        .unwrap_or_default(),
                    theme.dim(),
                )),
            ])
            .wrap(Wrap { trim: true }),
            detail,
        );
    }
}

pub fn hints(_app: &App) -> Vec<(&'static str, &'static str)> {
    vec![
        ("↑↓", "finding"),
        ("Enter", "go to its step"),
        ("Esc", "steps"),
    ]
}
