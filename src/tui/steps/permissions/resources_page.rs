//! Editor page 3: one ARN builder per resource type the chosen actions take (a field per
//! `${Placeholder}`, checked as typed), plus "keep" boxes for resources that fit no builder.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::PermissionsStep;
use super::{Page, StatementEditor, draft_changed, go_page};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::widgets::field::draw_form;

pub(super) fn handle(cx: &mut Ctx<'_, PermissionsStep>, action: Action) -> bool {
    let catalog = cx.catalog.clone();
    let Some(ed) = cx.state.editor.as_mut() else {
        return false;
    };
    match action {
        Action::Up => {
            ed.resources.focus_prev();
        }
        Action::Down => {
            ed.resources.focus_next();
        }
        Action::Left | Action::Right if !ed.resources.arrows_change() => {}
        Action::Toggle | Action::Left | Action::Right => {
            let role = cx.role.clone();
            ed.toggle_resource(&role, &catalog, action != Action::Left);
        }
        Action::Input(req) => {
            ed.resources.input(req);
        }
        Action::Confirm => {
            if !ed.resources.focus_next() {
                go_page(cx, Page::Conditions);
            }
        }
        Action::Back => ed.page = Page::Actions,
        _ => return false,
    }
    if let Some(ed) = cx.state.editor.as_mut() {
        ed.check_builders(&catalog);
    }
    draft_changed(cx);
    true
}

pub(super) fn draw(v: &View, ed: &StatementEditor, frame: &mut Frame, body: Rect, focused: bool) {
    draw_form(frame, body, &ed.resources, focused, 22, v.theme);
}

pub(super) fn hints() -> Vec<(&'static str, &'static str)> {
    vec![
        ("↑↓", "field"),
        ("Space", "include"),
        ("Enter", "next"),
        ("Esc", "back"),
    ]
}
