//! Selectable lists with a fuzzy filter line.
//!
//! The owner computes which rows match (on filter change only, see [`fuzzy_filter`]) and
//! keeps them; [`draw_list`] shows a window of pre-built lines around the selection.

use std::cell::RefCell;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use crate::tui::action::Action;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::theme::Theme;

/// The state of a filterable list: the filter text, whether it is being typed, the selection.
#[derive(Clone, Debug, Default)]
pub struct FilterList {
    pub filter: Input,
    /// Typed keys go to the filter.
    pub editing: bool,
    pub selected: usize,
}

impl FilterList {
    pub fn query(&self) -> &str {
        self.filter.value()
    }

    /// Applies a text edit to the filter; true when the text changed.
    pub fn input(&mut self, req: InputRequest) -> bool {
        let changed = self.filter.handle(req).is_some_and(|r| r.value);
        if changed {
            self.selected = 0;
        }
        changed
    }

    /// Moves the selection by `delta` within `len` rows.
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let max = len as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }

    /// The shared list keys ([`list_move`]) on this list of `len` rows; true when used.
    pub fn navigate(&mut self, action: Action, len: usize) -> bool {
        match list_move(action, self.selected, len) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Keeps the selection inside a list that shrank.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// How many rows PageUp/PageDown move in every list.
pub const PAGE: usize = 10;

/// The one list behaviour of the whole editor: where Up/Down (j/k), PageUp/PageDown and
/// Home/End (g/G) take the selection of a list of `len` rows. `None` for any other action,
/// which the list's owner handles. Every list calls this, so they cannot drift apart.
pub fn list_move(action: Action, selected: usize, len: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(
        match action {
            Action::Up => selected.saturating_sub(1),
            Action::Down => (selected + 1).min(last),
            Action::PageUp => selected.saturating_sub(PAGE),
            Action::PageDown => (selected + PAGE).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return None,
        }
        .min(last),
    )
}

/// A list as the last frame showed it: where, from which row, which row was selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawnList {
    pub area: Rect,
    pub offset: usize,
    pub len: usize,
    pub selected: usize,
}

thread_local! {
    /// The lists of the last frame, for the mouse (television's pattern: what `draw` laid
    /// out is what a click is tested against). Written by [`draw_list_with`] only.
    static DRAWN: RefCell<Vec<DrawnList>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    /// The selected row of the last focused list drawn, whole (`text::uncut`), whether
    /// something in it was cut (what `v` shows), and whether a modal drew it.
    static FOCUSED_ROW: RefCell<Option<(String, bool, bool)>> = const { RefCell::new(None) };
}

/// Forgets the lists (and the cuts, `text::forget_cuts`) of the previous frame; `draw`
/// calls it first.
pub fn forget_drawn() {
    DRAWN.with(|d| d.borrow_mut().clear());
    FOCUSED_ROW.with(|r| r.borrow_mut().take());
    super::text::forget_cuts();
}

/// The selected row of the focused list of the last frame, its cut cells put back whole, when
/// something in it was cut (the detail `v` opens).
pub fn focused_row_cut() -> Option<String> {
    FOCUSED_ROW.with(|r| {
        r.borrow()
            .clone()
            .and_then(|(text, cut, _)| cut.then_some(text))
    })
}

/// [`focused_row_cut`] when the list was drawn by the open modal (its own list, not the
/// step's under it).
pub fn modal_row_cut() -> Option<String> {
    FOCUSED_ROW.with(|r| {
        r.borrow()
            .clone()
            .and_then(|(text, cut, in_modal)| (cut && in_modal).then_some(text))
    })
}

/// The list row (index into the list, and the list's selection then) under a point of the
/// last frame.
pub fn drawn_row_at(column: u16, row: u16) -> Option<(usize, usize)> {
    DRAWN.with(|d| {
        d.borrow().iter().rev().find_map(|l| {
            if !l.area.contains(Position::new(column, row)) {
                return None;
            }
            let i = l.offset + (row - l.area.y) as usize;
            (i < l.len).then_some((i, l.selected))
        })
    })
}

thread_local! {
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
}

/// Indices of `items` matching `query` fuzzily, best first; all of them, in order, when the
/// query is blank.
pub fn fuzzy_filter<'a>(query: &str, items: impl Iterator<Item = (usize, &'a str)>) -> Vec<usize> {
    if query.trim().is_empty() {
        return items.map(|(i, _)| i).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    MATCHER.with(|m| {
        let mut matcher = m.borrow_mut();
        // (index, score, length): better score first, then the shorter text.
        let mut scored: Vec<(usize, u32, usize)> = Vec::new();
        let mut buf = Vec::new();
        for (i, text) in items {
            let hay = nucleo_matcher::Utf32Str::new(text, &mut buf);
            if let Some(score) = pattern.score(hay, &mut matcher) {
                scored.push((i, score, text.len()));
            }
        }
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        scored.into_iter().map(|(i, _, _)| i).collect()
    })
}

/// Draws the filter line: `/ query` with the cursor while typing, a dim hint otherwise.
pub fn draw_filter(frame: &mut Frame, area: Rect, list: &FilterList, focused: bool, theme: &Theme) {
    if area.height == 0 || area.width < 3 {
        return;
    }
    let q = sanitize_for_display(list.query());
    let line = if list.editing || !q.is_empty() {
        Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::styled(q.into_owned(), theme.title()),
        ])
    } else {
        Line::from(Span::styled("/ to filter", theme.dim()))
    };
    frame.render_widget(Paragraph::new(line), area);
    if list.editing && focused {
        let col = 2 + list.filter.visual_cursor() as u16;
        frame.set_cursor_position(Position::new(area.x + col.min(area.width - 1), area.y));
    }
}

/// Draws `rows` with row `selected` highlighted, scrolled so that it shows.
pub fn draw_list(
    frame: &mut Frame,
    area: Rect,
    rows: &[Line<'_>],
    selected: usize,
    focused: bool,
    theme: &Theme,
) {
    draw_list_with(frame, area, rows.len(), selected, focused, theme, |i| {
        rows[i].clone()
    });
}

/// Like [`draw_list`], building only the rows in view with `row(i)`: long lists (every
/// action of a service, every condition key) cost the same as short ones.
pub fn draw_list_with<'a>(
    frame: &mut Frame,
    area: Rect,
    len: usize,
    selected: usize,
    focused: bool,
    theme: &Theme,
    row: impl Fn(usize) -> Line<'a>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let h = area.height as usize;
    let offset = if selected >= h { selected + 1 - h } else { 0 };
    let sel_style: Style = if focused {
        theme.selected()
    } else {
        theme.selected_unfocused()
    };
    DRAWN.with(|d| {
        d.borrow_mut().push(DrawnList {
            area,
            offset,
            len,
            selected,
        })
    });
    let visible: Vec<Line> = (offset..len.min(offset + h))
        .map(|i| {
            let l = row(i);
            let plain: String = if i == selected && focused {
                l.spans.iter().map(|s| s.content.as_ref()).collect()
            } else {
                String::new()
            };
            // One cell for the selection mark; the rest holds the row, cut with `…`.
            let (mut l, cut_here) = super::text::fit_line(l, area.width.saturating_sub(1) as usize);
            if i == selected && focused {
                let whole = super::text::uncut(&plain);
                let cut = whole.is_some() || cut_here;
                let text = whole.unwrap_or(plain).trim().to_string();
                let in_modal = super::text::in_modal();
                FOCUSED_ROW.with(|r| *r.borrow_mut() = Some((text, cut, in_modal)));
            }
            if i == selected {
                l.style = sel_style;
                l.spans.insert(0, Span::raw("▶"));
            } else {
                l.spans.insert(0, Span::raw(" "));
            }
            l
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_query_keeps_everything_in_order() {
        let items = ["b", "a", "c"];
        assert_eq!(
            fuzzy_filter("", items.iter().enumerate().map(|(i, s)| (i, *s))),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn fuzzy_query_ranks_closer_names_first() {
        let items = ["PutObjectAcl", "GetObject", "PutObject", "ListBucket"];
        let hits = fuzzy_filter("putobj", items.iter().enumerate().map(|(i, s)| (i, *s)));
        assert_eq!(hits.first(), Some(&2));
        assert!(hits.contains(&0));
        assert!(!hits.contains(&3));
    }

    #[test]
    fn selection_stays_in_range() {
        let mut l = FilterList::default();
        l.step(5, 3);
        assert_eq!(l.selected, 2);
        l.step(-10, 3);
        assert_eq!(l.selected, 0);
        l.selected = 7;
        l.clamp(2);
        assert_eq!(l.selected, 1);
    }
}
