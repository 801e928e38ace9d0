//! A multi-line text area for documents typed or pasted in the editor (a custom trust
//! policy), driven by the same [`Action`]s as the one-line fields.
//!
//! The editor's keys become actions in one keymap (`tui::keymap`), and text fields get
//! theirs as `tui_input` requests; a text area crate would want raw key events instead,
//! so this one takes the actions: typed characters, the field's movement and deletion
//! requests applied to the current line (and across line ends), Enter for a new line with
//! the indentation kept, ↑↓ between lines. It holds lines of `char`s' text and a cursor as
//! (line, character); drawing scrolls to keep the cursor in view.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::InputRequest;

use crate::tui::action::Action;
use crate::tui::theme::Theme;

/// Spaces a pasted tab becomes (JSON indentation in this editor is two spaces).
const TAB: &str = "  ";

/// Lines of text with a cursor.
#[derive(Clone, Debug)]
pub struct TextArea {
    lines: Vec<String>,
    /// Cursor line.
    row: usize,
    /// Cursor position in the line, in characters.
    col: usize,
    /// First line and first column in view, kept by drawing (so scrolling is steady).
    top: Cell<usize>,
    left: Cell<usize>,
}

impl TextArea {
    /// A text area holding `text`, the cursor at its start.
    pub fn new(text: &str) -> TextArea {
        let mut area = TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            top: Cell::new(0),
            left: Cell::new(0),
        };
        area.insert_str(text);
        area.row = 0;
        area.col = 0;
        area
    }

    /// The text, lines joined by `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The cursor as (line, column), both 0-based, column in characters.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Puts the cursor at (line, column), 0-based, clamped to the text.
    pub fn set_cursor(&mut self, row: usize, col: usize) {
        self.row = row.min(self.lines.len() - 1);
        self.col = col.min(self.line_len());
    }

    fn line_len(&self) -> usize {
        self.lines[self.row].chars().count()
    }

    /// Byte offset of character `col` in line `row`.
    fn byte_at(&self, row: usize, col: usize) -> usize {
        let line = &self.lines[row];
        line.char_indices().nth(col).map_or(line.len(), |(b, _)| b)
    }

    /// Inserts `text` at the cursor (a paste): line breaks split lines, tabs become
    /// spaces, carriage returns end lines, other control characters are kept (they are
    /// drawn visibly, and the JSON reader reports them).
    pub fn insert_str(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.split_line();
            }
            let part = part.replace('\t', TAB);
            let at = self.byte_at(self.row, self.col);
            self.lines[self.row].insert_str(at, &part);
            self.col += part.chars().count();
        }
    }

    fn insert_char(&mut self, c: char) {
        let at = self.byte_at(self.row, self.col);
        self.lines[self.row].insert(at, c);
        self.col += 1;
    }

    /// Breaks the line at the cursor; the new line starts at the cursor's column 0.
    fn split_line(&mut self) {
        let at = self.byte_at(self.row, self.col);
        let rest = self.lines[self.row].split_off(at);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
    }

    /// Enter: a new line indented like the current one, one level more after `{` or `[`.
    pub fn newline(&mut self) {
        let line = &self.lines[self.row];
        let mut indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let before: String = line.chars().take(self.col).collect();
        if before.trim_end().ends_with(['{', '[']) {
            indent.push_str(TAB);
        }
        self.split_line();
        // Text moved down keeps its own leading spaces out of the way of the indent.
        let trimmed = self.lines[self.row].trim_start_matches(' ').to_string();
        self.lines[self.row] = format!("{indent}{trimmed}");
        self.col = indent.chars().count();
    }

    fn char_class(c: char) -> u8 {
        if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            0
        } else {
            2
        }
    }

    /// Start of the word before the cursor on the current line.
    fn prev_word(&self) -> usize {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        let mut i = self.col.min(chars.len());
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        if i > 0 {
            let class = Self::char_class(chars[i - 1]);
            while i > 0 && Self::char_class(chars[i - 1]) == class {
                i -= 1;
            }
        }
        i
    }

    /// End of the word after the cursor on the current line.
    fn next_word(&self) -> usize {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        let mut i = self.col;
        if i < chars.len() {
            let class = Self::char_class(chars[i]);
            while i < chars.len() && Self::char_class(chars[i]) == class {
                i += 1;
            }
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    /// Removes characters `from..to` of the current line.
    fn remove_range(&mut self, from: usize, to: usize) {
        let a = self.byte_at(self.row, from);
        let b = self.byte_at(self.row, to);
        self.lines[self.row].replace_range(a..b, "");
        self.col = from;
    }

    /// A one-line field's request, applied to the current line (and across line ends for
    /// moving and deleting one character). True when the text changed.
    pub fn input(&mut self, req: InputRequest) -> bool {
        let len = self.line_len();
        match req {
            InputRequest::InsertChar(c) => {
                self.insert_char(c);
                return true;
            }
            InputRequest::GoToPrevChar if self.col > 0 => self.col -= 1,
            InputRequest::GoToPrevChar if self.row > 0 => {
                self.row -= 1;
                self.col = self.line_len();
            }
            InputRequest::GoToNextChar if self.col < len => self.col += 1,
            InputRequest::GoToNextChar if self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.col = 0;
            }
            InputRequest::GoToPrevWord => self.col = self.prev_word(),
            InputRequest::GoToNextWord => self.col = self.next_word(),
            InputRequest::GoToStart => {
                // Home goes to the first non-blank character, then to column 0.
                let first = self.lines[self.row]
                    .chars()
                    .take_while(|c| *c == ' ')
                    .count();
                self.col = if self.col == first { 0 } else { first };
            }
            InputRequest::GoToEnd => self.col = len,
            InputRequest::SetCursor(c) => self.col = c.min(len),
            InputRequest::DeletePrevChar if self.col > 0 => {
                self.remove_range(self.col - 1, self.col);
                return true;
            }
            InputRequest::DeletePrevChar if self.row > 0 => {
                let line = self.lines.remove(self.row);
                self.row -= 1;
                self.col = self.line_len();
                self.lines[self.row].push_str(&line);
                return true;
            }
            InputRequest::DeleteNextChar if self.col < len => {
                self.remove_range(self.col, self.col + 1);
                return true;
            }
            InputRequest::DeleteNextChar if self.row + 1 < self.lines.len() => {
                let next = self.lines.remove(self.row + 1);
                self.lines[self.row].push_str(&next);
                return true;
            }
            InputRequest::DeletePrevWord => {
                let from = self.prev_word();
                let changed = from < self.col;
                self.remove_range(from, self.col);
                return changed;
            }
            InputRequest::DeleteNextWord => {
                let to = self.next_word();
                let changed = to > self.col;
                self.remove_range(self.col, to);
                return changed;
            }
            // Ctrl-U: the line up to the cursor (a one-line field clears itself).
            InputRequest::DeleteLine | InputRequest::DeleteFromStart => {
                let changed = self.col > 0;
                self.remove_range(0, self.col);
                return changed;
            }
            InputRequest::DeleteTillEnd => {
                let changed = self.col < len;
                self.remove_range(self.col, len);
                return changed;
            }
            _ => {}
        }
        false
    }

    /// Moves between lines (↑↓, PageUp/PageDown, first/last line). True when used.
    pub fn navigate(&mut self, action: Action) -> bool {
        let last = self.lines.len() - 1;
        self.row = match action {
            Action::Up => self.row.saturating_sub(1),
            Action::Down => (self.row + 1).min(last),
            Action::PageUp => self.row.saturating_sub(super::list::PAGE),
            Action::PageDown => (self.row + super::list::PAGE).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.col = self.col.min(self.line_len());
        true
    }

    /// Draws the text with line numbers, the lines in `marked` flagged (errors), and the
    /// cursor when `focused`. A line that goes on past the right edge ends in `…`.
    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        marked: &[usize],
        focused: bool,
        theme: &Theme,
    ) {
        if area.height == 0 || area.width < 8 {
            return;
        }
        let height = area.height as usize;
        let digits = self.lines.len().to_string().len().max(2);
        let gutter = digits + 2;
        let width = (area.width as usize).saturating_sub(gutter).max(1);
        let mut top = self.top.get().min(self.row);
        if self.row >= top + height {
            top = self.row + 1 - height;
        }
        self.top.set(top);
        // A cursor within the first screen width shows the lines from their start.
        let mut left = if self.col < width {
            0
        } else {
            self.left.get().min(self.col)
        };
        if self.col >= left + width {
            left = self.col + 1 - width;
        }
        self.left.set(left);
        let shown: Vec<Line> = self
            .lines
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, l)| {
                let mark = if marked.contains(&i) { "✗" } else { " " };
                let number = Span::styled(
                    format!("{mark}{:>digits$} ", i + 1),
                    if marked.contains(&i) {
                        theme.error()
                    } else {
                        theme.dim()
                    },
                );
                let chars: Vec<char> = l.chars().collect();
                let mut text: String = chars
                    .iter()
                    .skip(left)
                    .take(width)
                    .map(|c| shown_char(*c))
                    .collect();
                if chars.len() > left + width {
                    text.pop();
                    text.push('…');
                }
                Line::from(vec![number, Span::styled(text, theme.text())])
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), area);
        if focused {
            let x = area.x + (gutter + self.col - left) as u16;
            let y = area.y + (self.row - top) as u16;
            frame.set_cursor_position(Position::new(x.min(area.right() - 1), y));
        }
    }
}

/// One character as drawn, in one column: a C0 control as its control picture, any other
/// character that must not reach a terminal (C1, bidi and zero-width controls) as `�`,
/// so the cursor stays where the text is.
fn shown_char(c: char) -> char {
    match crate::io::terminal::visible_char(c) {
        Some(v) => v,
        None if crate::io::terminal::needs_escape(c) => '\u{fffd}',
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(area: &mut TextArea, s: &str) {
        for c in s.chars() {
            area.input(InputRequest::InsertChar(c));
        }
    }

    #[test]
    fn enter_keeps_the_indentation_and_indents_after_a_brace() {
        let mut a = TextArea::new("");
        typed(&mut a, "{");
        a.newline();
        typed(&mut a, "\"a\": 1");
        a.newline();
        assert_eq!(a.text(), "{\n  \"a\": 1\n  ");
        assert_eq!(a.cursor(), (2, 2));
    }

    #[test]
    fn deleting_across_line_ends_joins_lines() {
        let mut a = TextArea::new("ab\ncd");
        a.set_cursor(1, 0);
        assert!(a.input(InputRequest::DeletePrevChar));
        assert_eq!(a.text(), "abcd");
        assert_eq!(a.cursor(), (0, 2));
        a.input(InputRequest::GoToEnd);
        assert!(!a.input(InputRequest::DeleteNextChar));
        a.set_cursor(0, 2);
        a.newline();
        a.input(InputRequest::GoToPrevChar);
        assert!(a.input(InputRequest::DeleteNextChar));
        assert_eq!(a.text(), "abcd");
    }

    #[test]
    fn a_paste_keeps_its_lines_and_tabs_become_spaces() {
        let mut a = TextArea::new("[]");
        a.set_cursor(0, 1);
        a.insert_str("1,\r\n\t2");
        assert_eq!(a.lines(), ["[1,", "  2]"]);
        assert_eq!(a.cursor(), (1, 3));
    }

    #[test]
    fn moving_between_lines_keeps_the_column_inside_the_line() {
        let mut a = TextArea::new("long line\nab\nanother long");
        a.set_cursor(0, 8);
        a.navigate(Action::Down);
        assert_eq!(a.cursor(), (1, 2));
        a.navigate(Action::Bottom);
        assert_eq!(a.cursor(), (2, 2));
        a.input(InputRequest::GoToPrevWord);
        assert_eq!(a.cursor(), (2, 0));
    }

    #[test]
    fn controls_are_drawn_visibly_in_one_column() {
        assert_eq!(shown_char('\u{1b}'), '␛');
        assert_eq!(shown_char('\u{202e}'), '\u{fffd}');
        assert_eq!(shown_char('a'), 'a');
    }

    #[test]
    fn multibyte_text_is_edited_by_characters() {
        let mut a = TextArea::new("é→x");
        a.set_cursor(0, 2);
        assert!(a.input(InputRequest::DeletePrevChar));
        assert_eq!(a.text(), "éx");
    }
}
