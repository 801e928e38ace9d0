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
use crate::tui::context::{Ctx, View};
use crate::tui::modal::Modal;
use crate::tui::widgets::field::truncate;

/// The Permissions step's UI state.
#[derive(Clone, Debug, Default)]
pub struct PermissionsStep {
    /// Selected row of the statements list (the last row adds one).
    pub selected: usize,
    pub editor: Option<Box<StatementEditor>>,
}

/// Recomputes the preview with the draft applied.
fn draft_changed(cx: &mut Ctx<'_, PermissionsStep>) {
    cx.refresh_preview();
}

/// Drops the statement being edited; the role is unchanged.
pub fn close_editor(cx: &mut Ctx<'_, PermissionsStep>) {
    cx.state.editor = None;
    cx.refresh_preview();
}

/// The help overlay, from pages where typed letters go to a filter.
fn open_help(cx: &mut Ctx<'_, PermissionsStep>) {
    cx.open(Modal::Help);
}

/// Moves the editor to `page`, bringing what that page shows up to date first.
fn go_page(cx: &mut Ctx<'_, PermissionsStep>, page: Page) {
    let catalog = cx.catalog.clone();
    let role = cx.role.clone();
    let Some(ed) = cx.state.editor.as_mut() else {
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

fn open_editor(cx: &mut Ctx<'_, PermissionsStep>, target: Option<(usize, usize)>) {
    let ed = StatementEditor::new(cx.role, cx.catalog, target);
    cx.state.editor = Some(Box::new(ed));
    cx.refresh_preview();
}

pub fn handle(cx: &mut Ctx<'_, PermissionsStep>, action: Action) -> bool {
    let Some(page) = cx.state.editor.as_ref().map(|ed| ed.page) else {
        if action == Action::AddByCall {
            by_call::open(cx);
            return true;
        }
        return statement_list::handle(cx, action);
    };
    if by_call::is_open(cx.state) {
        return by_call::handle(cx, action);
    }
    match page {
        Page::Service => service_page::handle(cx, action),
        Page::Actions => actions_page::handle(cx, action),
        Page::Resources => resources_page::handle(cx, action),
        Page::Conditions => conditions_page::handle(cx, action),
        Page::Finish => finish_page::handle(cx, action),
    }
}

/// The form of the editor page in view, if that page is a form.
pub(crate) fn form(st: &PermissionsStep) -> Option<&crate::tui::widgets::field::Form> {
    let ed = st.editor.as_ref()?;
    match ed.page {
        Page::Service | Page::Actions => None,
        Page::Resources => Some(&ed.resources),
        Page::Conditions => ed.cond_form.as_ref().map(|(_, f)| f),
        Page::Finish => Some(&ed.finish),
    }
}

pub fn editing_text(st: &PermissionsStep) -> bool {
    match &st.editor {
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

pub fn title(v: &View) -> String {
    match &v.steps.permissions.editor {
        None => {
            let n = statement_refs(v.role).len();
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

pub fn draw(v: &View, frame: &mut Frame, area: Rect, focused: bool) {
    let Some(ed) = &v.steps.permissions.editor else {
        return statement_list::draw(v, frame, area, focused);
    };
    if let Some(by_call) = &ed.by_call {
        return by_call::draw(v, by_call, frame, area, focused);
    }
    let theme = v.theme;
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
        Page::Service => service_page::draw(v, ed, frame, body, focused),
        Page::Actions => actions_page::draw(v, ed, frame, body, focused),
        Page::Resources => resources_page::draw(v, ed, frame, body, focused),
        Page::Conditions => conditions_page::draw(v, ed, frame, body, focused),
        Page::Finish => finish_page::draw(v, ed, frame, body, focused),
    }
}

pub fn hints(v: &View) -> Vec<(&'static str, &'static str)> {
    match &v.steps.permissions.editor {
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
            Page::Finish => finish_page::hints(ed),
        },
    }
}
