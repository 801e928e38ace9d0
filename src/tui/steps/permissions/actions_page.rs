//! Editor page 2: pick actions of the service, grouped by access level, with the service's
//! curated presets on top; Space on a level header toggles every shown action of it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::InputRequest;

use super::{ActionRow, Page, StatementEditor, draft_changed, go_page, open_help};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::curation;
use crate::tui::findings::Severity;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::truncate;
use crate::tui::widgets::list::{draw_filter, draw_list_with};
use crate::tui::widgets::text::{count_s, pad};

fn toggle_action_row(app: &mut App) {
    let catalog = app.catalog.clone();
    let mut lesson: Option<String> = None;
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return;
    };
    let Some(svc) = ed.service.clone() else {
        return;
    };
    let Some(row) = ed.action_rows.get(ed.actions.selected).cloned() else {
        return;
    };
    match row {
        ActionRow::Action(name) => {
            let full = format!("{svc}:{name}");
            if !ed.chosen.shift_remove(&full) {
                ed.chosen.insert(full);
            }
        }
        ActionRow::Level(level) => {
            let shown: Vec<String> = ed
                .action_rows
                .iter()
                .filter_map(|r| match r {
                    ActionRow::Action(n) => Some(n.clone()),
                    _ => None,
                })
                .filter(|n| catalog.action(&svc, n).is_some_and(|a| a.access == level))
                .map(|n| format!("{svc}:{n}"))
                .collect();
            if shown.iter().all(|a| ed.chosen.contains(a)) {
                for a in &shown {
                    ed.chosen.shift_remove(a);
                }
            } else {
                // Teaching as you pick: say what the whole level amounts to.
                lesson = Some(crate::tui::teach::whole_level(&svc, level, &shown));
                ed.chosen.extend(shown);
            }
        }
        ActionRow::Written(entry) => {
            if !ed.chosen.shift_remove(&entry) {
                ed.chosen.insert(entry);
            }
        }
        ActionRow::Preset(i) => {
            if let Some(p) = curation::presets_for(&svc).get(i) {
                ed.chosen.extend(p.qualified_actions());
                let title = p.title.clone();
                app.info(format!("preset applied: {title}"));
            }
        }
    }
    draft_changed(app);
    if let Some(l) = lesson {
        app.info(l);
    }
}

/// Enter on a wildcard: it is replaced by the concrete actions it covers, all ticked, so
/// the user unticks the ones the workload does not need (nothing is granted that the
/// wildcard did not grant already).
fn expand_selected(app: &mut App) {
    let catalog = app.catalog.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return;
    };
    let Some(ActionRow::Written(pattern)) = ed.action_rows.get(ed.actions.selected).cloned() else {
        return;
    };
    let names: Vec<String> = catalog
        .expand_actions(&pattern)
        .matched()
        .iter()
        .map(|a| a.full_name())
        .collect();
    if names.is_empty() {
        app.info(format!(
            "{} matches no action of the catalog; Space removes it",
            sanitize_for_display(&pattern)
        ));
        return;
    }
    ed.chosen.shift_remove(&pattern);
    let n = names.len();
    ed.chosen.extend(names);
    ed.refresh_actions(&catalog);
    draft_changed(app);
    app.info(format!(
        "{} → the {} it covers, ticked: untick what is not needed",
        sanitize_for_display(&pattern),
        count_s(n, "action")
    ));
}

pub(super) fn handle(app: &mut App, action: Action) -> bool {
    let catalog = app.catalog.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return false;
    };
    match action {
        Action::Input(InputRequest::InsertChar(' ')) | Action::Toggle => toggle_action_row(app),
        Action::Input(InputRequest::InsertChar('/')) => {}
        Action::Input(InputRequest::InsertChar('?')) if ed.actions.query().is_empty() => {
            open_help(app)
        }
        Action::Input(req) => {
            if ed.actions.input(req) {
                ed.refresh_actions(&catalog);
            }
        }
        a if ed.actions.navigate(a, ed.action_rows.len()) => {}
        Action::Confirm
            if matches!(
                ed.action_rows.get(ed.actions.selected),
                Some(ActionRow::Written(w)) if w.contains(['*', '?'])
            ) =>
        {
            expand_selected(app)
        }
        Action::Confirm => {
            if ed.chosen.is_empty() {
                toggle_action_row(app);
            } else {
                go_page(app, Page::Resources);
                draft_changed(app);
            }
        }
        Action::Back => {
            ed.page = Page::Service;
        }
        _ => return false,
    }
    true
}

pub(super) fn draw(app: &App, ed: &StatementEditor, frame: &mut Frame, body: Rect, focused: bool) {
    let theme = &app.theme;
    let [filter, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(body);
    draw_filter(frame, filter, &ed.actions, focused, theme);
    let svc_prefix = ed.service.clone().unwrap_or_default();
    let svc = app.catalog.service(&svc_prefix);
    let presets = curation::presets_for(&svc_prefix);
    let row = |i: usize| match &ed.action_rows[i] {
        ActionRow::Written(entry) => {
            let on = ed.chosen.contains(entry);
            let covers = app.catalog.expand_actions(entry).matched().len();
            let what = if entry.contains(['*', '?']) {
                format!("  wildcard · {} · Enter expands", count_s(covers, "action"))
            } else {
                "  not an action of this service in the catalog".to_string()
            };
            Line::from(vec![
                Span::raw(if on { "  [x] " } else { "  [ ] " }),
                Span::styled(
                    sanitize_for_display(entry).into_owned(),
                    if on { theme.title() } else { theme.text() },
                ),
                Span::styled(what, theme.severity(Severity::Warning)),
            ])
        }
        ActionRow::Preset(i) => Line::from(vec![
            Span::styled("★ ", theme.key()),
            Span::styled(
                presets.get(*i).map_or(String::new(), |p| p.title.clone()),
                theme.title(),
            ),
            Span::styled("  (preset)", theme.dim()),
        ]),
        ActionRow::Level(level) => {
            let (on, total) = svc.map_or((0, 0), |s| {
                let all: Vec<_> = s.actions.values().filter(|a| a.access == *level).collect();
                let on = all
                    .iter()
                    .filter(|a| ed.chosen.contains(&format!("{}:{}", s.prefix, a.name)))
                    .count();
                (on, all.len())
            });
            Line::from(Span::styled(
                format!("── {level} ({on}/{total}) ──"),
                theme.title(),
            ))
        }
        ActionRow::Action(name) => {
            let on = ed.chosen.contains(&format!("{svc_prefix}:{name}"));
            let act = svc.and_then(|s| s.actions.get(name));
            let name_w = (body.width as usize / 2).clamp(12, 44);
            let mut spans = vec![
                Span::raw(if on { "  [x] " } else { "  [ ] " }),
                Span::styled(
                    pad(name, name_w),
                    if on { theme.title() } else { theme.text() },
                ),
            ];
            if let Some(a) = act {
                if !a.risks.is_empty() {
                    spans.push(Span::styled("⚠ ", theme.severity(Severity::Warning)));
                }
                if a.resources.is_empty() {
                    spans.push(Span::styled("* only ", theme.dim()));
                }
                if let Some(s) = &a.summary {
                    // What is left of the row after the selection mark and the spans so far.
                    let used: usize = 1 + spans.iter().map(|s| s.width()).sum::<usize>();
                    let room = (list.width as usize).saturating_sub(used);
                    spans.push(Span::styled(truncate(s, room), theme.dim()));
                }
            }
            Line::from(spans)
        }
    };
    let n = ed.action_rows.len();
    draw_list_with(frame, list, n, ed.actions.selected, focused, theme, row);
    let info = match ed.action_rows.get(ed.actions.selected) {
        Some(ActionRow::Preset(i)) => presets
            .get(*i)
            .map(|p| format!("{} Actions: {}", p.description, p.actions.join(", ")))
            .unwrap_or_default(),
        Some(ActionRow::Written(entry)) if entry.contains(['*', '?']) => {
            let covers = app.catalog.expand_actions(entry).matched().len();
            format!(
                "{entry} grants {}. Space removes it; Enter replaces it by those \
                 actions, all ticked, to untick what is not needed.",
                count_s(covers, "action")
            )
        }
        Some(ActionRow::Written(entry)) => {
            format!("{entry} is kept as written. Space removes it.")
        }
        Some(ActionRow::Level(l)) => {
            let names: Vec<String> = ed
                .action_rows
                .iter()
                .filter_map(|r| match r {
                    ActionRow::Action(n) => Some(n.clone()),
                    _ => None,
                })
                .filter(|n| {
                    svc.and_then(|s| s.actions.get(n))
                        .is_some_and(|a| a.access == *l)
                })
                .collect();
            format!(
                "Space toggles them all. {}",
                crate::tui::teach::whole_level(&svc_prefix, *l, &names)
            )
        }
        Some(ActionRow::Action(n)) => svc
            .and_then(|s| s.actions.get(n))
            .map(|a| {
                let types: Vec<&str> = a.resources.iter().map(|r| r.type_name.as_str()).collect();
                let mut s = format!(
                    "{svc_prefix}:{n} · {} · resources: {}",
                    a.access,
                    if types.is_empty() {
                        "* only".to_string()
                    } else {
                        types.join(", ")
                    }
                );
                if !a.risks.is_empty() {
                    let r: Vec<String> = a.risks.iter().map(|r| r.to_string()).collect();
                    s.push_str(&format!(" · risk: {}", r.join(", ")));
                }
                s
            })
            .unwrap_or_default(),
        None => "no action matches the filter".into(),
    };
    frame.render_widget(
        Paragraph::new(crate::tui::widgets::text::fit_rows(
            Span::styled(sanitize_for_display(&info).into_owned(), theme.dim()),
            detail.width,
            detail.height,
        )),
        detail,
    );
}

pub(super) fn hints(ed: &StatementEditor) -> Vec<(&'static str, &'static str)> {
    let mut h = vec![
        ("type", "filter"),
        ("Space", "toggle"),
        ("Enter", "next"),
        ("Esc", "back"),
    ];
    h.push((
        if ed.chosen.is_empty() {
            "Esc Esc q"
        } else {
            "Ctrl-C"
        },
        "quit",
    ));
    if ed.actions.query().is_empty() {
        h.push(("?", "help"));
    }
    h
}
