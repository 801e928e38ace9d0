//! Where everything is on the screen, computed in one place.
//!
//! [`ScreenLayout::of`] turns the screen size and the zoom state into the pane rectangles;
//! `draw` lays the frame out with it and the mouse hit-tests against the very same value,
//! so a click can never land on a pane that is drawn somewhere else. The preview's tab
//! line is measured here too ([`tab_spans`]), from the same labels `draw` prints.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Pane, PreviewTab, WIDE_WIDTH};

/// Width of the step column on wide and on narrow screens.
const STEPS_WIDE: u16 = 22;
const STEPS_NARROW: u16 = 20;

/// The regions of one frame (pane rectangles include their borders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenLayout {
    pub area: Rect,
    /// Below the minimum size: nothing but a message is drawn.
    pub too_small: bool,
    /// Three columns (steps, step pane, preview) instead of the preview under the step pane.
    pub wide: bool,
    pub steps: Rect,
    /// `None` when the preview is zoomed over it (small screens).
    pub main: Option<Rect>,
    /// `None` when the step pane is zoomed over it (small screens).
    pub preview: Option<Rect>,
    /// Lesson mode's panel: above the preview on wide screens, over the step pane and the
    /// preview on narrow ones.
    pub lesson: Option<Rect>,
    /// The last row: mode, key hints, finding counts.
    pub status: Rect,
}

/// The parts inside the preview's border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreviewParts {
    pub tabs: Rect,
    pub meter: Rect,
    pub body: Rect,
}

impl ScreenLayout {
    /// The layout of `area` with the given zoom state and lesson panel.
    pub fn compute(
        area: Rect,
        preview_zoom: bool,
        main_zoom: bool,
        lesson_panel: bool,
    ) -> ScreenLayout {
        let too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        let wide = area.width >= WIDE_WIDTH;
        let [body, status] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let steps_w = if wide { STEPS_WIDE } else { STEPS_NARROW };
        let [steps, rest] =
            Layout::horizontal([Constraint::Length(steps_w), Constraint::Min(1)]).areas(body);
        let stacked = |r: Rect| {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(r);
            (top, bottom)
        };
        let (main, preview, lesson) = if wide {
            let [m, p] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(rest);
            if lesson_panel {
                let (l, p) = stacked(p);
                (Some(m), Some(p), Some(l))
            } else {
                (Some(m), Some(p), None)
            }
        } else if lesson_panel {
            (None, None, Some(rest))
        } else if preview_zoom {
            (None, Some(rest), None)
        } else if main_zoom {
            (Some(rest), None, None)
        } else {
            let (m, p) = stacked(rest);
            (Some(m), Some(p), None)
        };
        ScreenLayout {
            area,
            too_small,
            wide,
            steps,
            main,
            preview,
            lesson,
            status,
        }
    }

    /// The layout of the app's screen (what the last resize said).
    pub fn of(app: &App) -> ScreenLayout {
        let (w, h) = app.screen;
        ScreenLayout::compute(
            Rect::new(0, 0, w, h),
            app.preview_zoom,
            app.main_zoom,
            super::draw::lesson_panel(app),
        )
    }

    /// The pane under a point, if any (the status line is none).
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        if self.steps.contains(p) {
            Some(Pane::Steps)
        } else if self.main.is_some_and(|m| m.contains(p)) {
            Some(Pane::Main)
        } else if self.preview.is_some_and(|r| r.contains(p)) {
            Some(Pane::Preview)
        } else {
            None
        }
    }

    /// The step (0-based) whose row of the step list is at `row`: one a row, under the border.
    pub fn step_at(&self, column: u16, row: u16, steps: usize) -> Option<usize> {
        if !self.steps.contains(Position::new(column, row)) {
            return None;
        }
        let i = row.checked_sub(self.steps.y + 1)? as usize;
        (i < steps).then_some(i)
    }

    /// The tab line, size meter and body inside the preview's border.
    pub fn preview_parts(&self) -> Option<PreviewParts> {
        let p = self.preview?;
        let inner = Rect::new(
            p.x + 1,
            p.y + 1,
            p.width.saturating_sub(2),
            p.height.saturating_sub(2),
        );
        if inner.height < 3 {
            return None;
        }
        let [tabs, meter, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        Some(PreviewParts { tabs, meter, body })
    }

    /// The inside of the step pane (its border taken off).
    pub fn main_inner(&self) -> Option<Rect> {
        self.main.map(|m| {
            Rect::new(
                m.x + 1,
                m.y + 1,
                m.width.saturating_sub(2),
                m.height.saturating_sub(2),
            )
        })
    }
}

/// The preview tabs in order, each with its label and the columns it takes on the tab line
/// (relative to the line's start): `" Trust "`, one space, `" Permissions "`, ...
pub fn tab_spans(labels: [(PreviewTab, &str); 3]) -> [(PreviewTab, u16, u16); 3] {
    let mut x = 0u16;
    labels.map(|(tab, label)| {
        let w = label.chars().count() as u16 + 2;
        let start = x;
        x = x.saturating_add(w + 1);
        (tab, start, start.saturating_add(w))
    })
}

/// The preview tab at `column` of the tab line, if the point is on the tab line.
pub(crate) fn tab_at(
    app: &App,
    layout: &ScreenLayout,
    column: u16,
    row: u16,
) -> Option<PreviewTab> {
    let parts = layout.preview_parts()?;
    if row != parts.tabs.y || column < parts.tabs.x {
        return None;
    }
    let x = column - parts.tabs.x;
    tab_spans(super::draw::tab_labels(app))
        .into_iter()
        .find(|(_, a, b)| x >= *a && x < *b)
        .map(|(t, _, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_have_three_columns_and_narrow_ones_stack() {
        let wide = ScreenLayout::compute(Rect::new(0, 0, 120, 40), false, false, false);
        assert!(wide.wide && !wide.too_small);
        let (m, p) = (wide.main.unwrap(), wide.preview.unwrap());
        assert_eq!(m.y, p.y);
        assert!(m.x < p.x);
        let narrow = ScreenLayout::compute(Rect::new(0, 0, 80, 24), false, false, false);
        let (m, p) = (narrow.main.unwrap(), narrow.preview.unwrap());
        assert_eq!(m.x, p.x);
        assert!(m.y < p.y);
        assert_eq!(narrow.status.y, 23);
    }

    #[test]
    fn zoom_leaves_out_one_pane_and_points_find_their_pane() {
        let l = ScreenLayout::compute(Rect::new(0, 0, 80, 24), true, false, false);
        assert_eq!(l.main, None);
        assert_eq!(l.pane_at(30, 5), Some(Pane::Preview));
        assert_eq!(l.pane_at(3, 5), Some(Pane::Steps));
        assert_eq!(l.pane_at(3, 23), None);
        assert_eq!(l.step_at(3, 1, 6), Some(0));
        assert_eq!(l.step_at(3, 6, 6), Some(5));
        assert_eq!(l.step_at(3, 7, 6), None);
        assert_eq!(l.step_at(3, 0, 6), None);
        // Lesson mode: above the preview when wide, over both panes when narrow.
        let l = ScreenLayout::compute(Rect::new(0, 0, 120, 40), false, false, true);
        let (lesson, p) = (l.lesson.unwrap(), l.preview.unwrap());
        assert_eq!((lesson.x, lesson.y + lesson.height), (p.x, p.y));
        let l = ScreenLayout::compute(Rect::new(0, 0, 80, 24), false, false, true);
        assert!(l.lesson.is_some() && l.main.is_none() && l.preview.is_none());
    }

    #[test]
    fn tabs_are_measured_from_their_labels() {
        let spans = tab_spans([
            (PreviewTab::Trust, "Trust"),
            (PreviewTab::Permissions, "Permissions"),
            (PreviewTab::Export, "CLI"),
        ]);
        assert_eq!(spans[0], (PreviewTab::Trust, 0, 7));
        assert_eq!(spans[1], (PreviewTab::Permissions, 8, 21));
        assert_eq!(spans[2], (PreviewTab::Export, 22, 27));
    }
}
