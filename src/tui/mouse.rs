//! Mouse: `update` focuses the pane under a click and opens a clicked step; here a click
//! also picks the Review finding or the preview tab under it, and the wheel scrolls whatever
//! is under the pointer (step list, the step's list, the preview).
//!
//! [`regions`] computes the same layout as [`super::draw::draw`] from the screen size, so
//! `update` can hit-test without reading anything drawing produced.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::action::Action;
use super::app::{App, PreviewTab};
use super::steps::{self, Step};

/// Where the panes are on a screen of the app's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Regions {
    pub steps: Rect,
    pub main: Option<Rect>,
    pub preview: Option<Rect>,
}

/// The pane rectangles (borders included), as `draw` lays them out.
pub fn regions(app: &App) -> Regions {
    let area = Rect::new(0, 0, app.screen.0, app.screen.1);
    let [body, _status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let steps_w = if app.wide() { 22 } else { 20 };
    let [steps_area, rest] =
        Layout::horizontal([Constraint::Length(steps_w), Constraint::Min(1)]).areas(body);
    let (main, preview) = if app.wide() {
        let [m, p] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(rest);
        (Some(m), Some(p))
    } else if app.preview_zoom {
        (None, Some(rest))
    } else if app.main_zoom {
        (Some(rest), None)
    } else {
        let [m, p] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(rest);
        (Some(m), Some(p))
    };
    Regions {
        steps: steps_area,
        main,
        preview,
    }
}

fn inside(r: Rect, column: u16, row: u16) -> bool {
    r.contains(Position::new(column, row))
}

/// Applies a wheel turn.
pub fn handle(app: &mut App, action: Action) {
    if app.modal.is_some() {
        return;
    }
    if let Action::Wheel { up, column, row } = action {
        wheel(app, regions(app), up, column, row);
    }
}

/// After `update` focused the pane under a click: pick the Review finding or the preview
/// tab under it.
pub fn after_click(app: &mut App, column: u16, row: u16) {
    // The finding counts at the right end of the status line open the explanations.
    let (w, h) = app.screen;
    if row + 1 == h && column + 12 >= w && !app.preview.findings.is_empty() {
        app.modal = Some(super::app::Modal::Explain { selected: 0 });
        return;
    }
    let r = regions(app);
    if let Some(m) = r.main
        && inside(m, column, row)
        && app.step == Step::Review
    {
        let inner = Rect::new(
            m.x + 1,
            m.y + 1,
            m.width.saturating_sub(2),
            m.height.saturating_sub(2),
        );
        if let Some(i) = steps::review::finding_at(app, inner, row) {
            steps::review::select(app, i);
        }
        return;
    }
    if let Some(p) = r.preview
        && inside(p, column, row)
        && row == p.y + 1
    {
        // The tab line, first row inside the border: " Trust ", " Permissions ", then the
        // export format's tab, one space apart.
        let x = column.saturating_sub(p.x + 1);
        app.preview_tab = if x < 8 {
            PreviewTab::Trust
        } else if x < 22 {
            PreviewTab::Permissions
        } else {
            PreviewTab::Export
        };
        app.preview_scroll = 0;
    }
}

fn wheel(app: &mut App, r: Regions, up: bool, column: u16, row: u16) {
    let delta: isize = if up { -3 } else { 3 };
    if let Some(p) = r.preview
        && inside(p, column, row)
    {
        app.scroll_preview(delta);
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
            steps::handle(app, a);
        }
    }
}
