//! Step 3, Permissions: the statements of the inline policies, and the statement editor.
//!
//! The editor walks through pages: pick a service (fuzzy filter) → pick actions grouped by
//! access level (filter, toggle one, toggle a level, apply a preset) → build an ARN for each
//! resource type the actions need, one field per `${Placeholder}`, validated live → optional
//! conditions with keys offered from the catalog → effect, Sid and policy name.
//!
//! While the editor is open its draft statement is shown in the preview (and checked) but the
//! role itself only changes when the statement is saved, so Esc leaves the role as it was.
//!
//! One file per page: `statement_list.rs` (the step without the editor), then
//! `service_page.rs`, `actions_page.rs`, `resources_page.rs`, `conditions_page.rs` and
//! `finish_page.rs`; `editor.rs` holds the editor's state. `by_call.rs` is the "add by API
//! call" page, which stands in for the others when the editor is opened from a call.

mod actions_page;
pub mod by_call;
mod conditions_page;
mod editor;
mod finish_page;
mod resources_page;
mod service_page;
mod statement_list;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub use crate::role::statements::{ConditionEntry, operators_for, statement_refs};
pub use editor::{ActionRow, Builder, Page, StatementEditor};

use crate::tui::action::Action;
use crate::tui::app::{App, Modal};
use crate::tui::widgets::field::truncate;

/// The Permissions step's UI state.
#[derive(Clone, Debug, Default)]
pub struct PermissionsStep {
    /// Selected row of the statements list (the last row adds one).
    pub selected: usize,
    pub editor: Option<Box<StatementEditor>>,
}

/// Recomputes the preview with the draft applied.
fn draft_changed(app: &mut App) {
    app.refresh_preview();
}

/// Drops the statement being edited; the role is unchanged.
pub fn close_editor(app: &mut App) {
    app.steps.permissions.editor = None;
    app.refresh_preview();
}

/// The help overlay, from pages where typed letters go to a filter.
fn open_help(app: &mut App) {
    app.help_scroll = 0;
    app.modal = Some(Modal::Help);
}

/// Moves the editor to `page`, bringing what that page shows up to date first.
fn go_page(app: &mut App, page: Page) {
    let catalog = app.catalog.clone();
    let role = app.role.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return;
    };
    match page {
        Page::Actions => ed.refresh_actions(&catalog),
        Page::Resources => ed.rebuild_resources(&role, &catalog),
        Page::Conditions => {
            ed.cond_keys.selected = 0;
            ed.refresh_cond_keys(&catalog);
        }
        _ => {}
    }
    ed.page = page;
}

fn open_editor(app: &mut App, target: Option<(usize, usize)>) {
    let ed = StatementEditor::new(&app.role, &app.catalog, target);
    app.steps.permissions.editor = Some(Box::new(ed));
    app.refresh_preview();
}

pub fn handle(app: &mut App, action: Action) -> bool {
    let Some(page) = app.steps.permissions.editor.as_ref().map(|ed| ed.page) else {
        if action == Action::AddByCall {
            by_call::open(app);
            return true;
        }
        return statement_list::handle(app, action);
    };
    if by_call::is_open(app) {
        return by_call::handle(app, action);
    }
    match page {
        Page::Service => service_page::handle(app, action),
        Page::Actions => actions_page::handle(app, action),
        Page::Resources => resources_page::handle(app, action),
        Page::Conditions => conditions_page::handle(app, action),
        Page::Finish => finish_page::handle(app, action),
    }
}

/// The form of the editor page in view, if that page is a form.
pub(crate) fn form(app: &App) -> Option<&crate::tui::widgets::field::Form> {
    let ed = app.steps.permissions.editor.as_ref()?;
    match ed.page {
        Page::Service | Page::Actions => None,
        Page::Resources => Some(&ed.resources),
        Page::Conditions => ed.cond_form.as_ref().map(|(_, f)| f),
        Page::Finish => Some(&ed.finish),
    }
}

pub fn editing_text(app: &App) -> bool {
    match &app.steps.permissions.editor {
        None => false,
        Some(ed) if ed.by_call.is_some() => ed.by_call.as_ref().is_some_and(|b| b.editing_text()),
        Some(ed) => match ed.page {
            Page::Service | Page::Actions => true,
            Page::Resources => ed.resources.editing_text(),
            Page::Conditions => match &ed.cond_form {
                Some((_, f)) => f.editing_text(),
                None => true,
            },
            Page::Finish => ed.finish.editing_text(),
        },
    }
}

pub fn title(app: &App) -> String {
    match &app.steps.permissions.editor {
        None => {
            let n = statement_refs(&app.role).len();
            format!(
                "Permissions · {n} statement{}",
                if n == 1 { "" } else { "s" }
            )
        }
        Some(ed) if ed.by_call.is_some() => "Add by API call".to_string(),
        Some(ed) => {
            let what = if ed.target.is_some() {
                "Edit statement"
            } else {
                "New statement"
            };
            format!("{what} · {}", ed.page)
        }
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let Some(ed) = &app.steps.permissions.editor else {
        return statement_list::draw(app, frame, area, focused);
    };
    if let Some(by_call) = &ed.by_call {
        return by_call::draw(app, by_call, frame, area, focused);
    }
    let theme = &app.theme;
    // Breadcrumb of pages.
    let mut crumbs = Vec::new();
    for (i, p) in Page::ALL.iter().enumerate() {
        if i > 0 {
            crumbs.push(Span::styled(" › ", theme.dim()));
        }
        let style = if *p == ed.page {
            theme.key()
        } else {
            theme.dim()
        };
        crumbs.push(Span::styled(p.to_string(), style));
    }
    let chosen = if ed.chosen.is_empty() {
        "no action chosen".to_string()
    } else {
        let list: Vec<&str> = ed.chosen.iter().map(String::as_str).collect();
        format!("{} chosen: {}", ed.chosen.len(), list.join(", "))
    };
    let [crumb, chosen_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(crumbs)), crumb);
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&chosen, area.width as usize),
            theme.dim(),
        )),
        chosen_area,
    );
    match ed.page {
        Page::Service => service_page::draw(app, ed, frame, body, focused),
        Page::Actions => actions_page::draw(app, ed, frame, body, focused),
        Page::Resources => resources_page::draw(app, ed, frame, body, focused),
        Page::Conditions => conditions_page::draw(app, ed, frame, body, focused),
        Page::Finish => finish_page::draw(app, ed, frame, body, focused),
    }
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    match &app.steps.permissions.editor {
        None => {
            let mut h = statement_list::hints();
            h.push(("C", "by call"));
            h
        }
        Some(ed) if ed.by_call.is_some() => {
            ed.by_call.as_ref().map_or_else(Vec::new, |b| b.hints())
        }
        Some(ed) => match ed.page {
            Page::Service => service_page::hints(ed),
            Page::Actions => actions_page::hints(ed),
            Page::Resources => resources_page::hints(),
            Page::Conditions => conditions_page::hints(),
            Page::Finish => finish_page::hints(),
        },
    }
}
