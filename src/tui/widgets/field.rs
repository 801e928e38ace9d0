//! Forms: labelled text fields, check boxes and choices, with a message under each.
//!
//! A [`Form`] is plain state (what is typed, which field has focus, what is wrong); the
//! step that owns it decides what the values mean and fills [`Field::error`] after each
//! edit. [`draw_form`] only reads it.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use crate::tui::action::Action;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::theme::Theme;

/// What kind of value a field holds.
#[derive(Clone, Debug)]
pub enum FieldKind {
    Text(Input),
    /// A check box.
    Toggle(bool),
    /// One of a few options, cycled with Space / ←→.
    Choice {
        options: Vec<String>,
        index: usize,
    },
    /// A line of explanation between fields; never focused.
    Note,
}

/// One field of a form.
#[derive(Clone, Debug)]
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    /// Shown under the field in the error style when set.
    pub error: Option<String>,
    /// Shown under the field, dim, when there is no error.
    pub hint: Option<String>,
}

impl Field {
    pub fn text(label: impl Into<String>, value: impl Into<String>) -> Field {
        let value = value.into();
        Field {
            label: label.into(),
            kind: FieldKind::Text(Input::new(value)),
            error: None,
            hint: None,
        }
    }

    pub fn toggle(label: impl Into<String>, on: bool) -> Field {
        Field {
            label: label.into(),
            kind: FieldKind::Toggle(on),
            error: None,
            hint: None,
        }
    }

    pub fn choice(label: impl Into<String>, options: &[&str], index: usize) -> Field {
        Field {
            label: label.into(),
            kind: FieldKind::Choice {
                options: options.iter().map(|s| s.to_string()).collect(),
                index: index.min(options.len().saturating_sub(1)),
            },
            error: None,
            hint: None,
        }
    }

    pub fn note(text: impl Into<String>) -> Field {
        Field {
            label: text.into(),
            kind: FieldKind::Note,
            error: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = Some(hint.into());
        self
    }

    /// The text of a text field, the chosen option of a choice, "yes"/"no" for a toggle.
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(i) => i.value(),
            FieldKind::Toggle(true) => "yes",
            FieldKind::Toggle(false) => "no",
            FieldKind::Choice { options, index } => {
                options.get(*index).map(String::as_str).unwrap_or("")
            }
            FieldKind::Note => "",
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self.kind, FieldKind::Toggle(true))
    }

    pub fn choice_index(&self) -> usize {
        match self.kind {
            FieldKind::Choice { index, .. } => index,
            _ => 0,
        }
    }

    pub fn set_text(&mut self, value: &str) {
        if let FieldKind::Text(i) = &mut self.kind {
            *i = Input::new(value.to_string());
        }
    }

    pub fn is_focusable(&self) -> bool {
        !matches!(self.kind, FieldKind::Note)
    }

    pub fn is_text(&self) -> bool {
        matches!(self.kind, FieldKind::Text(_))
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice { .. })
    }
}

thread_local! {
    /// A paste on its way to the focused field (see [`offer_paste`]).
    static PASTE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Offers `text` to the next text edit: the event loop delivers a paste as the insertion of
/// its first character (so it travels the same path as typing, through whichever step has
/// the keyboard); a [`Form`] field that receives it inserts the whole text at once (O(n),
/// where typing it key by key costs O(n) per key). Whatever is not taken is returned by
/// [`take_unconsumed_paste`], and the caller types it instead.
pub fn offer_paste(text: String) {
    PASTE.with(|p| *p.borrow_mut() = Some(text));
}

/// The offered paste, if no field took it.
pub fn take_unconsumed_paste() -> Option<String> {
    PASTE.with(|p| p.borrow_mut().take())
}

fn take_paste_starting_with(c: char) -> Option<String> {
    PASTE.with(|p| {
        let mut p = p.borrow_mut();
        if p.as_ref().is_some_and(|t| t.starts_with(c)) {
            p.take()
        } else {
            None
        }
    })
}

/// Inserts `text` at the cursor in one edit.
fn insert_str(input: &mut Input, text: &str) {
    let value = input.value();
    let cursor = input.cursor();
    let byte = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(b, _)| b);
    let mut next = String::with_capacity(value.len() + text.len());
    next.push_str(&value[..byte]);
    next.push_str(text);
    next.push_str(&value[byte..]);
    *input = Input::new(next).with_cursor(cursor + text.chars().count());
}

/// A list of fields with one focused.
#[derive(Clone, Debug, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        let mut f = Form { fields, focus: 0 };
        if !f.fields.first().is_some_and(Field::is_focusable) {
            f.focus_next();
        }
        f
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// ←→ (h/l) pick another option of a choice; on anything else they only mean "right"
    /// and "left", so a check box is flipped by Space alone.
    pub fn arrows_change(&self) -> bool {
        self.focused().is_some_and(Field::is_choice)
    }

    /// True when the focused field takes typed text.
    pub fn editing_text(&self) -> bool {
        self.focused().is_some_and(Field::is_text)
    }

    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", Field::value)
    }

    /// Moves focus to the next focusable field; false when already on the last.
    pub fn focus_next(&mut self) -> bool {
        let mut i = self.focus + 1;
        while i < self.fields.len() {
            if self.fields[i].is_focusable() {
                self.focus = i;
                return true;
            }
            i += 1;
        }
        false
    }

    /// Moves focus to the previous focusable field; false when already on the first.
    pub fn focus_prev(&mut self) -> bool {
        let mut i = self.focus;
        while i > 0 {
            i -= 1;
            if self.fields[i].is_focusable() {
                self.focus = i;
                return true;
            }
        }
        false
    }

    /// True when focus is on the last focusable field (Enter there submits).
    pub fn on_last(&self) -> bool {
        !self
            .fields
            .iter()
            .skip(self.focus + 1)
            .any(Field::is_focusable)
    }

    /// Applies a text edit to the focused field; true when its value changed. A paste offered
    /// with [`offer_paste`] arrives as the insertion of its first character and goes in whole.
    pub fn input(&mut self, req: InputRequest) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text(i)) => {
                if let InputRequest::InsertChar(c) = req
                    && let Some(text) = take_paste_starting_with(c)
                {
                    insert_str(i, &text);
                    return true;
                }
                i.handle(req).is_some_and(|r| r.value)
            }
            _ => false,
        }
    }

    /// The keys every plain form shares: move focus, flip a choice, edit text. Returns
    /// false for any other action (Confirm, Back, ...), which the caller handles.
    pub fn navigate(&mut self, action: Action) -> bool {
        match action {
            Action::Up => {
                self.focus_prev();
            }
            Action::Down => {
                self.focus_next();
            }
            Action::Left | Action::Right if !self.arrows_change() => {}
            Action::Toggle | Action::Right => {
                self.toggle(true);
            }
            Action::Left => {
                self.toggle(false);
            }
            Action::Input(req) => {
                self.input(req);
            }
            _ => return false,
        }
        true
    }

    /// Space on a toggle, or the next option of a choice; true when it changed.
    pub fn toggle(&mut self, forward: bool) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Toggle(on)) => {
                *on = !*on;
                true
            }
            Some(FieldKind::Choice { options, index }) if !options.is_empty() => {
                *index = if forward {
                    (*index + 1) % options.len()
                } else {
                    (*index + options.len() - 1) % options.len()
                };
                true
            }
            _ => false,
        }
    }

    /// Rows [`draw_form`] needs for all fields.
    pub fn height(&self) -> u16 {
        self.fields
            .iter()
            .map(|f| {
                if f.error.is_some() || f.hint.is_some() {
                    2
                } else {
                    1
                }
            })
            .sum()
    }
}

/// Draws `form` into `area`; `focused` says whether its pane has the keyboard (only then
/// is the cursor placed). The label column is `label_width` wide.
pub fn draw_form(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    focused: bool,
    label_width: u16,
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let label_width = label_width.min(area.width / 2);
    let value_width = area.width.saturating_sub(label_width + 2).max(1) as usize;
    // Scroll so the focused field stays in view. The focused field's hint or error is
    // wrapped whole under it; the others take one row, cut with `…`.
    let room = (area.width as usize).saturating_sub(2 + label_width as usize);
    let rows: Vec<u16> = form
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| match message(f) {
            Some(m) if i == form.focus => 1 + super::text::wrap(&m, room).len() as u16,
            Some(_) => 2,
            None => 1,
        })
        .collect();
    let focus_top: u16 = rows[..form.focus.min(rows.len())].iter().sum();
    let focus_rows = rows.get(form.focus).copied().unwrap_or(1);
    let skip = (focus_top + focus_rows).saturating_sub(area.height);

    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let is_focus = i == form.focus && field.is_focusable();
        let marker = if is_focus { "▶ " } else { "  " };
        let label_style = if is_focus && focused {
            theme.key()
        } else {
            theme.text()
        };
        let mut spans = vec![Span::styled(marker, label_style)];
        if let FieldKind::Note = field.kind {
            spans = vec![Span::styled(
                truncate(&field.label, area.width as usize),
                theme.dim(),
            )];
            lines.push(Line::from(spans));
            continue;
        }
        let label = super::text::pad(&field.label, label_width as usize);
        spans.push(Span::styled(label, label_style));
        match &field.kind {
            FieldKind::Text(input) => {
                // The field with the cursor scrolls to it; every other one shows its start,
                // cut with `…` (and `v` shows it whole), never a silent tail.
                let (scroll, shown) = if is_focus && focused {
                    let scroll = input.visual_scroll(value_width.saturating_sub(1));
                    let shown: String = input.value().chars().skip(scroll).collect();
                    let shown = sanitize_for_display(&shown);
                    (scroll, shown.chars().take(value_width).collect::<String>())
                } else {
                    (0, super::text::fit(input.value(), value_width))
                };
                let style = if is_focus && focused {
                    theme.title()
                } else {
                    theme.text()
                };
                if shown.is_empty() && !(is_focus && focused) {
                    spans.push(Span::styled("·", theme.dim()));
                } else {
                    spans.push(Span::styled(shown, style));
                }
                if is_focus && focused {
                    let row: u16 = rows[..i].iter().sum();
                    if row >= skip && row - skip < area.height {
                        let col = 2 + label_width + (input.visual_cursor() - scroll) as u16;
                        cursor = Some(Position::new(
                            area.x + col.min(area.width.saturating_sub(1)),
                            area.y + row - skip,
                        ));
                    }
                }
            }
            FieldKind::Toggle(on) => {
                spans.push(Span::styled(
                    if *on { "[x]" } else { "[ ]" },
                    if is_focus && focused {
                        theme.title()
                    } else {
                        theme.text()
                    },
                ));
            }
            FieldKind::Choice { options, index } => {
                let all_w: usize = options.iter().map(|o| o.chars().count() + 3).sum();
                if all_w > value_width {
                    // Too many to show side by side: the chosen one with arrows.
                    let o = options.get(*index).map_or("", String::as_str);
                    let style = if is_focus && focused {
                        theme.selected()
                    } else {
                        theme.title()
                    };
                    spans.push(Span::styled(format!("◀ {o} ▶"), style));
                    spans.push(Span::styled(
                        format!(" {}/{}", index + 1, options.len()),
                        theme.dim(),
                    ));
                    lines.push(Line::from(spans));
                    push_message(
                        &mut lines,
                        field,
                        label_width,
                        area.width,
                        i == form.focus,
                        theme,
                    );
                    continue;
                }
                for (j, o) in options.iter().enumerate() {
                    let style = if j == *index {
                        if is_focus && focused {
                            theme.selected()
                        } else {
                            theme.title()
                        }
                    } else {
                        theme.dim()
                    };
                    let text = if j == *index {
                        format!("({o})")
                    } else {
                        format!(" {o} ")
                    };
                    spans.push(Span::styled(text, style));
                    spans.push(Span::raw(" "));
                }
            }
            FieldKind::Note => {}
        }
        lines.push(Line::from(spans));
        push_message(
            &mut lines,
            field,
            label_width,
            area.width,
            i == form.focus,
            theme,
        );
    }
    let visible: Vec<Line> = lines.into_iter().skip(skip as usize).collect();
    frame.render_widget(Paragraph::new(visible), area);
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}

/// What shows under a field: its error (marked ✗), else its hint.
fn message(field: &Field) -> Option<String> {
    if matches!(field.kind, FieldKind::Note) {
        return None;
    }
    match (&field.error, &field.hint) {
        (Some(e), _) => Some(format!("✗ {e}")),
        (None, Some(h)) => Some(h.clone()),
        (None, None) => None,
    }
}

/// The lines under a field: its [`message`], wrapped whole under the focused field, cut with
/// `…` to the form's width under the others (`v` shows those whole).
fn push_message(
    lines: &mut Vec<Line<'_>>,
    field: &Field,
    label_width: u16,
    width: u16,
    whole: bool,
    theme: &Theme,
) {
    let Some(m) = message(field) else {
        return;
    };
    let indent = 2 + label_width as usize;
    let room = (width as usize).saturating_sub(indent);
    let style = if field.error.is_some() {
        theme.error()
    } else {
        theme.dim()
    };
    let pieces = if whole {
        super::text::wrap(&sanitize_for_display(&m), room)
    } else {
        vec![truncate(&m, room)]
    };
    for piece in pieces {
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(piece, style),
        ]));
    }
}

/// At most `max` terminal cells of `s`, with `…` when cut: [`super::text::fit`], under the
/// name the steps have always called.
pub fn truncate(s: &str, max: usize) -> String {
    super::text::fit(s, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_goes_in_whole_at_the_cursor() {
        let mut form = Form::new(vec![Field::text("Name", "ab")]);
        form.input(InputRequest::GoToPrevChar);
        offer_paste("XYZ".into());
        assert!(form.input(InputRequest::InsertChar('X')));
        assert_eq!(form.value(0), "aXYZb");
        assert_eq!(take_unconsumed_paste(), None);
        // Typing afterwards continues after the pasted text.
        form.input(InputRequest::InsertChar('!'));
        assert_eq!(form.value(0), "aXYZ!b");
    }

    /// The rows `form` draws into a `width`x4 area, as text.
    fn drawn(form: &Form, focused: bool, width: u16) -> Vec<String> {
        let mut term =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, 4)).expect("terminal");
        term.draw(|f| draw_form(f, f.area(), form, focused, 6, &Theme::default()))
            .expect("draw");
        let buf = term.backend().buffer().clone();
        (0..4)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    #[test]
    fn a_long_value_shows_its_start_cut_with_an_ellipsis_unless_it_has_the_cursor() {
        let long = "Reverses strings and saves them to S3";
        let mut form = Form::new(vec![Field::text("Name", "x"), Field::text("Desc", long)]);
        // Not the focused field: its start, cut with `…` (never a silent tail).
        let rows = drawn(&form, true, 30);
        assert!(rows[1].contains("Reverses strings"), "{rows:?}");
        assert!(rows[1].trim_end().ends_with('…'), "{rows:?}");
        // The pane without the keyboard: the same.
        form.focus_next();
        let rows = drawn(&form, false, 30);
        assert!(rows[1].contains("Reverses strings"), "{rows:?}");
        // The field with the cursor scrolls to the cursor at the end.
        let rows = drawn(&form, true, 30);
        assert!(rows[1].contains("to S3"), "{rows:?}");
    }

    #[test]
    fn focus_skips_notes_and_stops_at_the_ends() {
        let mut f = Form::new(vec![
            Field::note("intro"),
            Field::text("Name", ""),
            Field::note("between"),
            Field::toggle("MFA", false),
        ]);
        assert_eq!(f.focus, 1);
        assert!(f.focus_next());
        assert_eq!(f.focus, 3);
        assert!(f.on_last());
        assert!(!f.focus_next());
        assert!(f.focus_prev());
        assert_eq!(f.focus, 1);
        assert!(!f.focus_prev());
    }

    #[test]
    fn typing_and_toggling() {
        let mut f = Form::new(vec![
            Field::text("Name", "ab"),
            Field::choice("Effect", &["Allow", "Deny"], 0),
        ]);
        assert!(f.input(InputRequest::InsertChar('c')));
        assert_eq!(f.value(0), "abc");
        f.focus_next();
        assert!(f.toggle(true));
        assert_eq!(f.value(1), "Deny");
        assert!(f.toggle(true));
        assert_eq!(f.value(1), "Allow");
    }
}
