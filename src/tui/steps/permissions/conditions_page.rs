//! Editor page 4: optional conditions, keys offered from the chosen actions and the global
//! condition keys, operators that fit the key's type.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{ConditionEntry, Page, StatementEditor, draft_changed, operators_for};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, Form, draw_form, truncate};
use crate::tui::widgets::list::{draw_filter, draw_list_with};

pub(super) fn handle(app: &mut App, action: Action) -> bool {
    let catalog = app.catalog.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return false;
    };
    if let Some((key, form)) = ed.cond_form.as_mut() {
        if form.navigate(action) {
            return true;
        }
        match action {
            Action::Back => ed.cond_form = None,
            Action::Confirm => {
                if !form.focus_next() {
                    let values: Vec<String> = form
                        .value(1)
                        .split(',')
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                        .collect();
                    if values.is_empty() {
                        form.fields[1].error = Some("give at least one value".into());
                    } else {
                        let entry = ConditionEntry {
                            operator: form.value(0).to_string(),
                            key: key.clone(),
                            values,
                        };
                        ed.conditions.push(entry);
                        ed.cond_form = None;
                        ed.cond_keys.selected = 0;
                        ed.refresh_cond_keys(&catalog);
                        draft_changed(app);
                    }
                }
            }
            _ => return false,
        }
        return true;
    }
    let len = ed.cond_row_count();
    match action {
        Action::Input(req) => {
            if ed.cond_keys.input(req) {
                ed.refresh_cond_keys(&catalog);
            }
        }
        a if ed.cond_keys.navigate(a, len) => {}
        Action::Confirm => {
            let sel = ed.cond_keys.selected;
            let n = ed.conditions.len();
            if sel == 0 {
                ed.page = Page::Finish;
            } else if sel <= n {
                ed.conditions.remove(sel - 1);
                ed.refresh_cond_keys(&catalog);
                draft_changed(app);
            } else if let Some(key) = ed.cond_rows.get(sel - 1 - n).cloned() {
                let t = catalog
                    .condition_key(&key)
                    .and_then(|k| k.types.first().copied());
                let ops = operators_for(t);
                let mut value = Field::text("Values", "")
                    .with_hint("comma-separated; Enter adds the condition");
                if let Some(help) = crate::catalog::curated::curated().condition_help.get(&key) {
                    value.hint = Some(help.clone());
                }
                let form = Form::new(vec![Field::choice("Operator", &ops, 0), value]);
                ed.cond_form = Some((key, form));
            }
        }
        Action::Back => ed.page = Page::Resources,
        _ => return false,
    }
    true
}

pub(super) fn draw(app: &App, ed: &StatementEditor, frame: &mut Frame, body: Rect, focused: bool) {
    let theme = &app.theme;
    if let Some((key, form)) = &ed.cond_form {
        let [t, f] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("Condition on {}", sanitize_for_display(key)),
                theme.title(),
            )),
            t,
        );
        draw_form(frame, f, form, focused, 10, theme);
        return;
    }
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    draw_filter(frame, filter, &ed.cond_keys, focused, theme);
    let n_cond = ed.conditions.len();
    let row = |i: usize| {
        if i == 0 {
            return Line::from(Span::styled(
                "→ Continue (optional: a condition key is a fact of the request that must match)",
                theme.key(),
            ));
        }
        if let Some(c) = ed.conditions.get(i - 1) {
            return Line::from(vec![
                Span::styled("  ✓ ", theme.ok()),
                Span::raw(truncate(
                    &format!("{} {} = {}", c.operator, c.key, c.values.join(", ")),
                    body.width.saturating_sub(20) as usize,
                )),
                Span::styled("  (Enter removes)", theme.dim()),
            ]);
        }
        let k = &ed.cond_rows[i - 1 - n_cond];
        let t = app
            .catalog
            .condition_key(k)
            .and_then(|c| c.types.first())
            .map(|t| t.to_string())
            .unwrap_or_default();
        Line::from(vec![
            Span::raw("  + "),
            Span::styled(crate::tui::widgets::text::pad(k, 44), theme.text()),
            Span::styled(t, theme.dim()),
        ])
    };
    let n = 1 + n_cond + ed.cond_rows.len();
    draw_list_with(frame, list, n, ed.cond_keys.selected, focused, theme, row);
}

pub(super) fn hints() -> Vec<(&'static str, &'static str)> {
    vec![
        ("type", "filter"),
        ("Enter", "add/continue"),
        ("Esc", "back"),
    ]
}
