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
use crate::role::RoleSpec;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::effect::PreviewTab;
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
pub fn select(cx: &mut Ctx<'_, ReviewStep>, i: usize) {
    let n = cx.preview.findings.len();
    cx.state.selected = i.min(n.saturating_sub(1));
    if let Some(Some(span)) = cx.preview.spans.get(cx.state.selected) {
        cx.show_preview(span.tab, Some(span.first.saturating_sub(2)));
    }
}

pub fn handle(cx: &mut Ctx<'_, ReviewStep>, action: Action) -> bool {
    if matches!(action, Action::Left | Action::Right) {
        cx.state.tab = match cx.state.tab {
            ReviewTab::Findings => ReviewTab::Check,
            ReviewTab::Check => ReviewTab::Findings,
        };
        return true;
    }
    if cx.state.tab == ReviewTab::Check {
        return crate::tui::check::handle(cx, action);
    }
    let sel = cx.state.selected;
    // ↑↓ follow the rows as drawn (the steps still to do come first).
    let order = display_order(cx.role, &cx.preview.findings);
    let at = order.iter().position(|i| *i == sel).unwrap_or(0);
    if let Some(p) = crate::tui::widgets::list::list_move(action, at, order.len()) {
        select(cx, order.get(p).copied().unwrap_or(0));
        return true;
    }
    match action {
        Action::Add => crate::tui::check_modal::open_accept(cx, sel),
        // The AccessDenied reader belongs to the Check tab: go there and open it.
        Action::PasteDenied => {
            cx.state.tab = ReviewTab::Check;
            crate::tui::check_modal::open_denied(cx);
        }
        Action::Confirm => {
            let Some(f) = cx.preview.findings.get(sel) else {
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
            cx.go_to(step);
            if let Some(t) = tab {
                cx.show_preview(t, None);
            }
        }
        _ => return false,
    }
    true
}

/// A finding that only says a part of a role being built is not there yet, said as the next
/// step to take instead of as a mistake. TUI wording only: the code, its severity and what
/// `rolesmith lint` prints stay as they are.
pub fn next_step(role: &RoleSpec, f: &UiFinding) -> Option<&'static str> {
    match (f.code.as_str(), &f.doc) {
        ("invalid-role", DocRef::Role)
            if role.name.trim().is_empty() && f.message.starts_with("invalid role name") =>
        {
            Some("Give the role a name on step 1, Role (1-64 letters, digits and +=,.@_-).")
        }
        ("missing-element", DocRef::Trust)
            if role.trust.is_empty() && f.message.contains("trusts nobody") =>
        {
            Some(
                "Say who can assume the role on step 2, Trust: a service (lambda.amazonaws.com), an account, a role, GitHub Actions …",
            )
        }
        _ => None,
    }
}

/// What the list and the explanation say about `f`: its next step, else its message.
pub fn shown_message<'a>(role: &RoleSpec, f: &'a UiFinding) -> &'a str {
    next_step(role, f).unwrap_or(&f.message)
}

/// What a group of the list is: the steps still to do, then the findings by severity.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    ToDo,
    Severity(Severity),
}

impl Group {
    fn of(role: &RoleSpec, f: &UiFinding) -> Group {
        if next_step(role, f).is_some() {
            Group::ToDo
        } else {
            Group::Severity(f.severity)
        }
    }
}

const GROUPS: [Group; 4] = [
    Group::ToDo,
    Group::Severity(Severity::Error),
    Group::Severity(Severity::Warning),
    Group::Severity(Severity::Suggestion),
];

/// The rows of the grouped list: a heading per group, then its findings.
enum Row<'a> {
    Heading(Group, usize),
    Finding(usize, &'a UiFinding),
}

fn rows<'a>(role: &RoleSpec, findings: &'a [UiFinding]) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for group in GROUPS {
        let n = findings
            .iter()
            .filter(|f| Group::of(role, f) == group)
            .count();
        if n == 0 {
            continue;
        }
        out.push(Row::Heading(group, n));
        out.extend(
            findings
                .iter()
                .enumerate()
                .filter(|(_, f)| Group::of(role, f) == group)
                .map(|(i, f)| Row::Finding(i, f)),
        );
    }
    out
}

/// The findings' indices in the order the list draws them.
fn display_order(role: &RoleSpec, findings: &[UiFinding]) -> Vec<usize> {
    rows(role, findings)
        .iter()
        .filter_map(|r| match r {
            Row::Finding(i, _) => Some(*i),
            Row::Heading(..) => None,
        })
        .collect()
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
pub fn finding_at(v: &View, area: Rect, row: u16) -> Option<usize> {
    if v.steps.review.tab != ReviewTab::Findings {
        return None;
    }
    let [_, _, body] = outer(area);
    let [_, list, _] = layout(body);
    if row < list.y || row >= list.y + list.height {
        return None;
    }
    let rows = rows(v.role, &v.preview.findings);
    let sel_row = selected_row(&rows, v.steps.review.selected);
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

fn group_title(g: Group, n: usize) -> String {
    let word = match g {
        Group::ToDo => "Still to do",
        Group::Severity(Severity::Error) => "Errors",
        Group::Severity(Severity::Warning) => "Warnings",
        Group::Severity(Severity::Suggestion) => "Suggestions",
    };
    format!("{word} ({n})")
}

pub fn draw(v: &View, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = v.theme;
    let [tabs, ready, body] = outer(area);
    let (e, w, s) = v.preview.counts;
    let (passed, failed) = crate::tui::check::counts(&v.preview.check);
    let tab = v.steps.review.tab;
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
            v,
            ready.width,
            ready.height,
        )),
        ready,
    );
    if tab == ReviewTab::Check {
        return crate::tui::check::draw(v, frame, body, focused);
    }
    let findings = &v.preview.findings;
    let [head, list, detail] = layout(body);
    let todo = findings
        .iter()
        .filter(|f| next_step(v.role, f).is_some())
        .count();
    let mut counts = Vec::new();
    if todo > 0 {
        counts.push(Span::styled(format!("{todo} to do"), theme.title()));
        counts.push(Span::raw("  "));
    }
    frame.render_widget(
        Paragraph::new(Line::from(
            [
                counts,
                vec![
                    Span::styled(
                        count_s(e.saturating_sub(todo), "error"),
                        theme.severity(Severity::Error),
                    ),
                    Span::raw("  "),
                    Span::styled(count_s(w, "warning"), theme.severity(Severity::Warning)),
                    Span::raw("  "),
                    Span::styled(
                        count_s(s, "suggestion"),
                        theme.severity(Severity::Suggestion),
                    ),
                ],
            ]
            .concat(),
        )),
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
    let rows = rows(v.role, findings);
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| match r {
            Row::Heading(g, n) => Line::from(Span::styled(
                group_title(*g, *n),
                match g {
                    Group::ToDo => theme.title(),
                    Group::Severity(sev) => theme.severity(*sev),
                },
            )),
            Row::Finding(_, f) if next_step(v.role, f).is_some() => Line::from(vec![
                Span::styled(" → ", theme.key()),
                Span::raw("  "),
                Span::raw(truncate(shown_message(v.role, f), width + code_w + 1)),
            ]),
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
    let sel = v.steps.review.selected.min(findings.len() - 1);
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
                detail_lines(v, f),
                detail.width,
                detail.height,
            )),
            detail,
        );
    }
}

/// Where the finding is, what it says, why it matters and what `f` would do.
pub fn detail_lines(v: &View, f: &UiFinding) -> Vec<Line<'static>> {
    let theme = v.theme;
    let place = match (&f.doc, &f.pointer) {
        (DocRef::Role, _) => "role".to_string(),
        (DocRef::Trust, p) => format!("trust policy {}", p.as_deref().unwrap_or("")),
        (DocRef::Policy(i), p) => {
            let name = v.role.policies.get(*i).map_or("", |p| p.name.as_str());
            format!("inline policy {name} {}", p.as_deref().unwrap_or(""))
        }
    };
    // A step still to do reads as one, not as an error; its code stays for `rolesmith explain`.
    let head = if next_step(v.role, f).is_some() {
        Span::styled(format!("to do [{}] ", f.code), theme.title())
    } else {
        Span::styled(
            format!("{}[{}] ", f.severity, f.code),
            theme.severity(f.severity),
        )
    };
    let mut lines = vec![
        Line::from(vec![
            head,
            Span::styled(sanitize_for_display(&place).into_owned(), theme.dim()),
        ]),
        Line::raw(sanitize_for_display(shown_message(v.role, f)).into_owned()),
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
    // The why of a rule broken is no help for a part not added yet.
    if let Some(info) = explain::lookup(&f.code).filter(|_| next_step(v.role, f).is_none()) {
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

pub fn hints(v: &View) -> Vec<(&'static str, &'static str)> {
    if v.steps.review.tab == ReviewTab::Check {
        return crate::tui::check::hints(v);
    }
    let has_fix = v
        .preview
        .findings
        .get(v.steps.review.selected)
        .is_some_and(crate::tui::fixes::can_fix);
    let mut keys = vec![("↑↓", "finding")];
    if has_fix {
        keys.push(("f", "fix"));
    }
    if !v.preview.findings.is_empty() {
        keys.push(("a", "accept"));
    }
    keys.push(("e", "explain"));
    keys.push(("Enter", "go to its step"));
    keys.push(("→", "check"));
    keys
}
