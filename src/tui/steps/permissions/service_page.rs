//! Editor page 1: pick the service (fuzzy filter over prefix and name).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use tui_input::InputRequest;

use super::{Page, StatementEditor, close_editor, go_page, open_help};
use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pending};
use crate::tui::widgets::list::{draw_filter, draw_list_with};
use crate::tui::widgets::text::{count_s, pad};

pub(super) fn handle(app: &mut App, action: Action) -> bool {
    let catalog = app.catalog.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return false;
    };
    match action {
        // Typed keys go to the filter, so `?` asks for help only while it is empty.
        Action::Input(InputRequest::InsertChar('?')) if ed.services.query().is_empty() => {
            open_help(app)
        }
        Action::Input(req) => {
            if ed.services.input(req) {
                ed.refresh_services(&catalog);
            }
        }
        a if ed.services.navigate(a, ed.service_rows.len()) => {}
        Action::Confirm => {
            if let Some(s) = ed.service_rows.get(ed.services.selected).cloned() {
                if ed.service.as_deref() != Some(s.as_str()) {
                    ed.actions.filter.reset();
                    ed.actions.selected = 0;
                }
                ed.service = Some(s);
                go_page(app, Page::Actions);
            }
        }
        Action::Back => {
            if ed.chosen.is_empty() {
                close_editor(app);
            } else {
                app.modal = Some(Modal::Confirm {
                    title: "Discard this statement?".into(),
                    lines: vec![
                        format!("{} chosen action(s) would be dropped.", ed.chosen.len()),
                        "y: discard   n: keep editing".into(),
                    ],
                    on_yes: Pending::DiscardStatement,
                });
            }
        }
        _ => return false,
    }
    true
}

pub(super) fn draw(app: &App, ed: &StatementEditor, frame: &mut Frame, body: Rect, focused: bool) {
    let theme = &app.theme;
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    draw_filter(frame, filter, &ed.services, focused, theme);
    let row = |i: usize| {
        let p = &ed.service_rows[i];
        let svc = app.catalog.service(p);
        let name = svc.map_or("", |s| s.name.as_str());
        let n = svc.map_or(0, |s| s.actions.len());
        let picked = ed
            .chosen
            .iter()
            .filter(|a| a.split_once(':').is_some_and(|(s, _)| s == p))
            .count();
        let mut spans = vec![
            Span::styled(pad(p, 22), theme.title()),
            Span::styled(pad(name, 34), theme.text()),
            Span::styled(format!(" {}", count_s(n, "action")), theme.dim()),
        ];
        if picked > 0 {
            spans.push(Span::styled(format!("  ✓{picked}"), theme.ok()));
        }
        Line::from(spans)
    };
    let n = ed.service_rows.len();
    draw_list_with(frame, list, n, ed.services.selected, focused, theme, row);
}

pub(super) fn hints(ed: &StatementEditor) -> Vec<(&'static str, &'static str)> {
    // Letters are typed into the filter here, so `q` does not quit: say how to.
    let mut h = vec![
        ("type", "filter"),
        ("↑↓", "move"),
        ("Enter", "pick"),
        ("Esc", "cancel"),
    ];
    // Esc closes the editor at once only when no action is chosen yet.
    h.push((
        if ed.chosen.is_empty() {
            "Esc then q"
        } else {
            "Ctrl-C"
        },
        "quit",
    ));
    if ed.services.query().is_empty() {
        h.push(("?", "help"));
    }
    h
}
