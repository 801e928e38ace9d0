//! Editor page 5: effect, Sid and the inline policy; Enter on the last field saves the
//! statement into the role (checked first: actions, resources, policy name, Sid).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::PermissionsStep;
use super::editor::{FINISH_POLICY, FINISH_SID};
use super::{Page, StatementEditor, draft_changed, statement_refs};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, View};
use crate::tui::widgets::field::draw_form;

fn save_editor(cx: &mut Ctx<'_, PermissionsStep>) {
    let Some(ed) = cx.state.editor.as_ref() else {
        return;
    };
    if ed.chosen.is_empty() {
        return cx.error("choose at least one action");
    }
    let stmts = ed.statements(cx.catalog);
    if stmts.iter().any(|s| s.resources.is_empty()) {
        return cx.error("choose at least one resource (Resources page)");
    }
    let policy = ed.finish.value(FINISH_POLICY).trim().to_string();
    if !crate::role::is_valid_policy_name(&policy) {
        if let Some(ed) = cx.state.editor.as_mut() {
            ed.finish.fields[FINISH_POLICY].error =
                Some("1-128 letters, digits and +=,.@_-".into());
            ed.finish.focus = FINISH_POLICY;
        }
        return;
    }
    let sid = ed.finish.value(FINISH_SID).trim().to_string();
    if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        if let Some(ed) = cx.state.editor.as_mut() {
            ed.finish.fields[FINISH_SID].error = Some("a Sid holds only letters and digits".into());
            ed.finish.focus = FINISH_SID;
        }
        return;
    }
    let new_role = ed.apply_to(cx.role, cx.catalog);
    let editing = ed.target.is_some();
    *cx.role = new_role;
    cx.state.editor = None;
    cx.role_changed();
    let n = statement_refs(cx.role).len();
    cx.state.selected = n.saturating_sub(1);
    cx.info(if editing {
        "statement updated"
    } else {
        "statement added"
    });
}

pub(super) fn handle(cx: &mut Ctx<'_, PermissionsStep>, action: Action) -> bool {
    let Some(ed) = cx.state.editor.as_mut() else {
        return false;
    };
    match action {
        Action::Up => {
            ed.finish.focus_prev();
        }
        Action::Down => {
            ed.finish.focus_next();
        }
        Action::Left | Action::Right if !ed.finish.arrows_change() => {}
        Action::Toggle | Action::Left | Action::Right => {
            ed.finish.toggle(true);
        }
        Action::Input(req) => {
            ed.finish.input(req);
            for f in &mut ed.finish.fields {
                f.error = None;
            }
        }
        Action::Confirm => {
            if !ed.finish.focus_next() {
                save_editor(cx);
                return true;
            }
        }
        Action::Back => ed.page = Page::Conditions,
        _ => return false,
    }
    draft_changed(cx);
    true
}

pub(super) fn draw(v: &View, ed: &StatementEditor, frame: &mut Frame, body: Rect, focused: bool) {
    draw_form(frame, body, &ed.finish, focused, 10, v.theme);
}

/// Enter moves to the next field and saves the statement only on the last one.
pub(super) fn hints(ed: &StatementEditor) -> Vec<(&'static str, &'static str)> {
    let enter = if ed.finish.on_last() {
        "save"
    } else {
        "next field"
    };
    vec![("Space", "Allow/Deny"), ("Enter", enter), ("Esc", "back")]
}
