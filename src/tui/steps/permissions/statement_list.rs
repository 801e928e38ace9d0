//! The Permissions step without the editor: every statement of the role in a list, with
//! edit, add, duplicate and delete, and the "why" under a broad statement.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::PermissionsStep;
use super::{open_editor, statement_refs};
use crate::policy::Effect;
use crate::role::StatementSpec;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::findings::Severity;
use crate::tui::widgets::field::truncate;
use crate::tui::widgets::list::{draw_list, list_move};

pub(super) fn handle(cx: &mut Ctx<'_, PermissionsStep>, action: Action) -> bool {
    let refs = statement_refs(cx.role);
    let rows = refs.len() + 1;
    let st = &mut *cx.state;
    if let Some(i) = list_move(action, st.selected, rows) {
        st.selected = i;
        return true;
    }
    match action {
        Action::Add => open_editor(cx, None),
        Action::Confirm => {
            let target = refs.get(st.selected).copied();
            open_editor(cx, target);
        }
        Action::Duplicate => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                let copy = cx.role.policies[pi].statements[si].clone();
                let copy = StatementSpec { sid: None, ..copy };
                cx.role.policies[pi].statements.insert(si + 1, copy);
                cx.state.selected += 1;
                cx.role_changed();
                cx.info("statement duplicated");
            }
        }
        Action::Delete => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                cx.role.policies[pi].statements.remove(si);
                cx.role.policies.retain(|p| !p.statements.is_empty());
                cx.role_changed();
                cx.info("statement deleted");
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

pub(super) fn draw(v: &View, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = v.theme;
    let refs = statement_refs(v.role);
    let width = area.width.saturating_sub(4) as usize;
    let mut rows: Vec<Line> = Vec::new();
    for &(pi, si) in &refs {
        let p = &v.role.policies[pi];
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
        .get(v.steps.permissions.selected)
        .and_then(|&(pi, si)| {
            crate::tui::teach::statement_lesson(v.catalog, &v.role.policies[pi].statements[si])
        });
    let help_h = if lesson.is_some() { 3 } else { 1 };
    let [list, help] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(help_h)]).areas(area);
    draw_list(
        frame,
        list,
        &rows,
        v.steps.permissions.selected,
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
    frame.render_widget(
        Paragraph::new(crate::tui::widgets::text::fit_rows(
            help_line,
            help.width,
            help.height,
        )),
        help,
    );
}

pub(super) fn hints() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", "edit"),
        ("a", "add"),
        ("c", "duplicate"),
        ("d", "delete"),
    ]
}
