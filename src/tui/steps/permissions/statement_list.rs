//! The Permissions step without the editor: every statement of the role in a list, with
//! edit, add, duplicate and delete, and the "why" under a broad statement.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{open_editor, statement_refs};
use crate::policy::Effect;
use crate::role::StatementSpec;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::findings::Severity;
use crate::tui::widgets::field::truncate;
use crate::tui::widgets::list::{draw_list, list_move};

pub(super) fn handle(app: &mut App, action: Action) -> bool {
    let refs = statement_refs(&app.role);
    let rows = refs.len() + 1;
    let st = &mut app.steps.permissions;
    if let Some(i) = list_move(action, st.selected, rows) {
        st.selected = i;
        return true;
    }
    match action {
        Action::Add => open_editor(app, None),
        Action::Confirm => {
            let target = refs.get(st.selected).copied();
            open_editor(app, target);
        }
        Action::Duplicate => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                let copy = app.role.policies[pi].statements[si].clone();
                let copy = StatementSpec { sid: None, ..copy };
                app.role.policies[pi].statements.insert(si + 1, copy);
                app.steps.permissions.selected += 1;
                app.role_changed();
                app.info("statement duplicated");
            }
        }
        Action::Delete => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                app.role.policies[pi].statements.remove(si);
                app.role.policies.retain(|p| !p.statements.is_empty());
                app.role_changed();
                app.info("statement deleted");
            }
        }
        _ => return false,
    }
    true
}

fn statement_summary(s: &StatementSpec) -> String {
    let actions = if s.actions.is_empty() {
        format!("every action but {} (NotAction)", s.not_actions.join(", "))
    } else {
        s.actions.join(", ")
    };
    let resources = if s.resources.is_empty() {
        format!("NotResource {}", s.not_resources.join(", "))
    } else {
        s.resources.join(", ")
    };
    let cond = if s.condition.as_ref().is_some_and(|c| !c.is_empty()) {
        " (with conditions)"
    } else {
        ""
    };
    format!("{actions} → {resources}{cond}")
}

pub(super) fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let refs = statement_refs(&app.role);
    let width = area.width.saturating_sub(4) as usize;
    let mut rows: Vec<Line> = Vec::new();
    for &(pi, si) in &refs {
        let p = &app.role.policies[pi];
        let s = &p.statements[si];
        let effect_style = if s.effect == Effect::Deny {
            theme.severity(Severity::Warning)
        } else {
            theme.title()
        };
        let head = format!("{} · ", truncate(&p.name, 24));
        let body = truncate(&statement_summary(s), width.saturating_sub(head.len() + 6));
        rows.push(Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::styled(format!("{:<5} ", s.effect.to_string()), effect_style),
            Span::raw(body),
        ]));
    }
    rows.push(Line::from(Span::styled("+ Add a statement", theme.dim())));
    // Teaching: a broad statement says what it amounts to and what would do instead.
    let lesson = refs
        .get(app.steps.permissions.selected)
        .and_then(|&(pi, si)| {
            crate::tui::teach::statement_lesson(&app.catalog, &app.role.policies[pi].statements[si])
        });
    let help_h = if lesson.is_some() { 3 } else { 1 };
    let [list, help] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(help_h)]).areas(area);
    draw_list(
        frame,
        list,
        &rows,
        app.steps.permissions.selected,
        focused,
        theme,
    );
    let help_line = match lesson {
        Some(l) => Line::from(vec![
            Span::styled("Why: ", theme.severity(Severity::Warning)),
            Span::raw(l),
        ]),
        None => Line::from(Span::styled(
            "Enter edit · a add · c duplicate · d delete",
            theme.dim(),
        )),
    };
    frame.render_widget(Paragraph::new(help_line).wrap(Wrap { trim: true }), help);
}

pub(super) fn hints() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", "edit"),
        ("a", "add"),
        ("c", "duplicate"),
        ("d", "delete"),
    ]
}
