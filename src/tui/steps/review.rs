//! Step 5, Review: what is still missing before export (the readiness line), then two tabs
//! (←→): **Findings**, every finding grouped by severity (the selected one's lines are
//! highlighted in the preview and its explanation shown; `f` previews and applies its fix,
//! `a` accepts it with a reason, `e` opens the full explanation, Enter goes to the step where
//! it is fixed by hand), and **Check**, the role's expectations ✓/✗ (`tui::check`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Step;
use crate::lint::explain;
use crate::tui::action::Action;
use crate::tui::app::{App, PreviewTab};
use crate::tui::findings::{DocRef, Severity, UiFinding};
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::truncate;
use crate::tui::widgets::list::draw_list;
use crate::tui::widgets::text::count_s;

/// The Review step's UI state.
#[derive(Clone, Debug, Default)]
pub struct ReviewStep {
    /// Index into `app.preview.findings`.
    pub selected: usize,
    pub tab: ReviewTab,
    pub check: crate::tui::check::CheckPanel,
}

/// Which half of the Review step is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReviewTab {
    #[default]
    Findings,
    /// The Check panel: expectations and who the role is for.
    Check,
}

/// Selects finding `i` and scrolls the preview to the lines behind it.
pub fn select(app: &mut App, i: usize) {
    let n = app.preview.findings.len();
    app.steps.review.selected = i.min(n.saturating_sub(1));
    if let Some(Some(span)) = app.preview.spans.get(app.steps.review.selected) {
        app.preview_tab = span.tab;
        app.preview_scroll = span.first.saturating_sub(2);
    }
}

pub fn handle(app: &mut App, action: Action) -> bool {
    if matches!(action, Action::Left | Action::Right) {
        app.steps.review.tab = match app.steps.review.tab {
            ReviewTab::Findings => ReviewTab::Check,
            ReviewTab::Check => ReviewTab::Findings,
        };
        return true;
    }
    if app.steps.review.tab == ReviewTab::Check {
        return crate::tui::check::handle(app, action);
    }
    let len = app.preview.findings.len();
    let sel = app.steps.review.selected;
    if let Some(i) = crate::tui::widgets::list::list_move(action, sel, len) {
        select(app, i);
        return true;
    }
    match action {
        Action::Add => crate::tui::check_modal::open_accept(app, sel),
        // The AccessDenied reader belongs to the Check tab: go there and open it.
        Action::PasteDenied => {
            app.steps.review.tab = ReviewTab::Check;
            crate::tui::check_modal::open_denied(app);
        }
        Action::Confirm => {
            let Some(f) = app.preview.findings.get(sel) else {
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

/// The rows of the grouped list: a heading per severity, then its findings.
enum Row<'a> {
    Heading(Severity, usize),
    Finding(usize, &'a UiFinding),
}

fn rows(findings: &[UiFinding]) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for sev in [Severity::Error, Severity::Warning, Severity::Suggestion] {
        let n = findings.iter().filter(|f| f.severity == sev).count();
        if n == 0 {
            continue;
        }
        out.push(Row::Heading(sev, n));
        out.extend(
            findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.severity == sev)
                .map(|(i, f)| Row::Finding(i, f)),
        );
    }
    out
}

/// Splits the step pane: the tab line, the readiness line(s), the tab's body.
fn outer(area: Rect) -> [Rect; 3] {
    let ready = if area.height >= 10 { 2 } else { 1 };
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(ready),
        Constraint::Min(1),
    ])
    .areas(area)
}

/// Splits the Findings tab: counts line, list, explanation.
fn layout(area: Rect) -> [Rect; 3] {
    let detail = if area.height >= 18 { 8 } else { 5 };
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail),
    ])
    .areas(area)
}

/// The finding on screen row `row` of the step pane's inner `area` (for mouse clicks).
pub fn finding_at(app: &App, area: Rect, row: u16) -> Option<usize> {
    if app.steps.review.tab != ReviewTab::Findings {
        return None;
    }
    let [_, _, body] = outer(area);
    let [_, list, _] = layout(body);
    if row < list.y || row >= list.y + list.height {
        return None;
    }
    let rows = rows(&app.preview.findings);
    let sel_row = selected_row(&rows, app.steps.review.selected);
    let h = list.height as usize;
    let offset = if sel_row >= h { sel_row + 1 - h } else { 0 };
    match rows.get(offset + (row - list.y) as usize)? {
        Row::Finding(i, _) => Some(*i),
        Row::Heading(..) => None,
    }
}

fn selected_row(rows: &[Row], selected: usize) -> usize {
    rows.iter()
        .position(|r| matches!(r, Row::Finding(i, _) if *i == selected))
        .unwrap_or(0)
}

fn severity_title(s: Severity, n: usize) -> String {
    let word = match s {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Suggestion => "Suggestions",
    };
    format!("{word} ({n})")
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let [tabs, ready, body] = outer(area);
    let (e, w, s) = app.preview.counts;
    let (passed, failed) = crate::tui::check::counts(&app.preview.check);
    let tab = app.steps.review.tab;
    let style = |t: ReviewTab| {
        if t == tab {
            if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            }
        } else {
            theme.text()
        }
    };
    let check_label = if passed + failed == 0 {
        " Check ".to_string()
    } else {
        format!(" Check {passed}✓ {failed}✗ ")
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" Findings ({}) ", e + w + s),
                style(ReviewTab::Findings),
            ),
            Span::raw(" "),
            Span::styled(check_label, style(ReviewTab::Check)),
            Span::styled("  ←→ switch", theme.dim()),
        ])),
        tabs,
    );
    frame.render_widget(
        Paragraph::new(crate::tui::check::readiness_lines(
            app,
            ready.width,
            ready.height,
        )),
        ready,
    );
    if tab == ReviewTab::Check {
        return crate::tui::check::draw(app, frame, body, focused);
    }
    let findings = &app.preview.findings;
    let [head, list, detail] = layout(body);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(count_s(e, "error"), theme.severity(Severity::Error)),
            Span::raw("  "),
            Span::styled(count_s(w, "warning"), theme.severity(Severity::Warning)),
            Span::raw("  "),
            Span::styled(
                count_s(s, "suggestion"),
                theme.severity(Severity::Suggestion),
            ),
        ])),
        head,
    );
    if findings.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("No findings.", theme.ok())),
            list,
        );
        return;
    }
    // Long codes (trust-confused-deputy) fit whole where there is room.
    let code_w: usize = if list.width > 70 { 26 } else { 16 };
    let width = list.width.saturating_sub(code_w as u16 + 6) as usize;
    let rows = rows(findings);
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| match r {
            Row::Heading(sev, n) => {
                Line::from(Span::styled(severity_title(*sev, *n), theme.severity(*sev)))
            }
            Row::Finding(_, f) => Line::from(vec![
                Span::styled(
                    format!(" {} ", f.severity.letter()),
                    theme.severity(f.severity),
                ),
                Span::styled(if f.fix.is_some() { "⚒ " } else { "  " }, theme.key()),
                Span::styled(
                    format!("{} ", crate::tui::widgets::text::pad(&f.code, code_w)),
                    theme.dim(),
                ),
                Span::raw(truncate(&sanitize_for_display(&f.message), width)),
            ]),
        })
        .collect();
    let sel = app.steps.review.selected.min(findings.len() - 1);
    draw_list(
        frame,
        list,
        &lines,
        selected_row(&rows, sel),
        focused,
        theme,
    );
    if let Some(f) = findings.get(sel) {
        frame.render_widget(
            Paragraph::new(crate::tui::widgets::text::fit_rows(
                detail_lines(app, f),
                detail.width,
                detail.height,
            )),
            detail,
        );
    }
}

/// Where the finding is, what it says, why it matters and what `f` would do.
pub fn detail_lines(app: &App, f: &UiFinding) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let place = match (&f.doc, &f.pointer) {
        (DocRef::Role, _) => "role".to_string(),
        (DocRef::Trust, p) => format!("trust policy {}", p.as_deref().unwrap_or("")),
        (DocRef::Policy(i), p) => {
            let name = app.role.policies.get(*i).map_or("", |p| p.name.as_str());
            format!("inline policy {name} {}", p.as_deref().unwrap_or(""))
        }
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{}[{}] ", f.severity, f.code),
                theme.severity(f.severity),
            ),
            Span::styled(sanitize_for_display(&place).into_owned(), theme.dim()),
        ]),
        Line::raw(sanitize_for_display(&f.message).into_owned()),
    ];
    // What `f` would do comes before the why: small screens show the first lines only.
    if let Some(fix) = f.fix.as_ref().filter(|_| crate::tui::fixes::can_fix(f)) {
        lines.push(Line::from(vec![
            Span::styled("f", theme.key()),
            Span::raw(format!(
                " fixes: {}",
                sanitize_for_display(&fix.description)
            )),
        ]));
    }
    if let Some(info) = explain::lookup(&f.code) {
        lines.push(Line::from(vec![
            Span::styled("Why: ", theme.title()),
            Span::raw(info.why),
        ]));
        if !crate::tui::fixes::can_fix(f) {
            lines.push(Line::from(vec![
                Span::styled("Fix: ", theme.title()),
                Span::raw(info.fix),
            ]));
        }
    }
    lines
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    if app.steps.review.tab == ReviewTab::Check {
        return crate::tui::check::hints(app);
    }
    let has_fix = app
        .preview
        .findings
        .get(app.steps.review.selected)
        .is_some_and(crate::tui::fixes::can_fix);
    let mut v = vec![("↑↓", "finding")];
    if has_fix {
        v.push(("f", "fix"));
    }
    if !app.preview.findings.is_empty() {
        v.push(("a", "accept"));
    }
    v.push(("e", "explain"));
    v.push(("Enter", "go to its step"));
    v.push(("→", "check"));
    v
}
