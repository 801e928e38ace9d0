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

    /// Keeps the selection inside a list that shrank.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
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
    let visible: Vec<Line> = (offset..len.min(offset + h))
        .map(|i| {
            let mut l = row(i);
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
