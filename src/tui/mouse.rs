//! Mouse: a click focuses the pane under it and picks what it points at (a step, a list
//! row, a preview tab, the finding counts); the wheel scrolls whatever is under the pointer
//! (step list, the step's list, the preview).
//!
//! Every hit-test goes through [`ScreenLayout`], the same computation `draw` lays the frame
//! out with, and list rows through what the last frame drew (`widgets::list::drawn_row_at`).

use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::app::App;
use super::effect::{Effect, Pane};
use super::layout::{ScreenLayout, tab_at};
use super::modal::Modal;
use super::steps::{self, Step};
use super::widgets::list::drawn_row_at;

fn inside(r: Rect, column: u16, row: u16) -> bool {
    r.contains(Position::new(column, row))
}

/// Applies a wheel turn.
pub(crate) fn handle(app: &mut App, action: Action) {
    if app.modal.is_some() {
        return;
    }
    if let Action::Wheel { up, column, row } = action {
        wheel(app, ScreenLayout::of(app), up, column, row);
    }
}

/// A left click: the pane under it gets the focus; a click on a step opens it.
pub(crate) fn click(app: &mut App, column: u16, row: u16) {
    let layout = ScreenLayout::of(app);
    let Some(pane) = layout.pane_at(column, row) else {
        return; // the status line: see `after_click`
    };
    app.focus = pane;
    if pane == Pane::Steps
        && let Some(i) = layout.step_at(column, row, Step::ALL.len())
    {
        app.go_to(Step::ALL[i]);
    }
}

/// After `update` focused the pane under a click: pick the list row, the Review finding or
/// the preview tab under it.
pub(crate) fn after_click(app: &mut App, column: u16, row: u16) {
    let layout = ScreenLayout::of(app);
    // The finding counts at the right end of the status line open the explanations.
    let (w, h) = app.screen;
    if row + 1 == h && column + 12 >= w && !app.preview.findings.is_empty() {
        app.apply_effect(Effect::Open(Modal::Explain { selected: 0 }));
        return;
    }
    if let Some(m) = layout.main_inner()
        && inside(m, column, row)
    {
        if app.step == Step::Review {
            // Its rows mix headings and findings: it knows which finding a row is.
            if let Some(i) = steps::review::finding_at(&app.view(), m, row) {
                app.apply_effect(Effect::SelectFinding(i));
            }
            return;
        }
        select_drawn_row(app, column, row);
        return;
    }
    if let Some(tab) = tab_at(app, &layout, column, row) {
        app.preview_tab = tab;
        app.preview_scroll = 0;
    }
}

/// Moves the selection of the list under the pointer to the clicked row, with the list's
/// own Up/Down (so every list, whatever it holds, is picked the same way).
fn select_drawn_row(app: &mut App, column: u16, row: u16) {
    let Some((target, selected)) = drawn_row_at(column, row) else {
        return;
    };
    let (action, n) = if target >= selected {
        (Action::Down, target - selected)
    } else {
        (Action::Up, selected - target)
    };
    for _ in 0..n {
        app.with_ctx(|cx| steps::handle(cx, action));
    }
}

fn wheel(app: &mut App, r: ScreenLayout, up: bool, column: u16, row: u16) {
    let delta: isize = if up { -3 } else { 3 };
    if let Some(p) = r.preview
        && inside(p, column, row)
    {
        app.scroll_preview(delta);
        return;
    }
    if let Some(l) = r.lesson
        && inside(l, column, row)
    {
        if let Some(lesson) = app.lesson.as_deref_mut() {
            super::lesson::wheel(lesson, up);
        }
        return;
    }
    if inside(r.steps, column, row) {
        let i = app.step.index();
        let next = if up {
            i.saturating_sub(1)
        } else {
            (i + 1).min(Step::ALL.len() - 1)
        };
        app.go_to(Step::ALL[next]);
        return;
    }
    if let Some(m) = r.main
        && inside(m, column, row)
    {
        let a = if up { Action::Up } else { Action::Down };
        for _ in 0..3 {
            app.with_ctx(|cx| steps::handle(cx, a));
        }
    }
}
