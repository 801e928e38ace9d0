//! Text cut to fit: the one place the editor shortens a string for a cell of the screen.
//!
//! Widths are terminal cells (`unicode-width`), not characters: a CJK character or an emoji
//! takes two, a combining mark none, and a cut never lands inside a wide character. Every
//! cut ends with `…`, so a reader knows there is more; the cut is also remembered for the
//! frame being drawn ([`cuts_in_view`]), which is how `v` shows the full text of the selected
//! row (`widgets::list` records it) or of everything cut on screen (`Modal::FullText`).

use std::cell::RefCell;

use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::sanitize::sanitize_for_display;

/// What marks a cut.
pub const ELLIPSIS: char = '…';

/// How many cuts a frame remembers: a screen shows far fewer; past it, older ones are kept.
const MAX_CUTS: usize = 512;

/// One cut of the frame being drawn: what the screen shows, and the whole text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub shown: String,
    pub full: String,
}

thread_local! {
    /// The cuts of the frame being drawn; `widgets::list::forget_drawn` clears them.
    static CUTS: RefCell<Vec<Cut>> = const { RefCell::new(Vec::new()) };
    /// How many cuts the frame held when the open modal began drawing (`mark_modal`):
    /// what `v` shows from a modal are its own cuts, not the screen's under it.
    static MODAL_MARK: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// The width of `s` in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` made inert (`sanitize_for_display`) and at most `max` cells wide; cut with `…` when it
/// is wider. Use it for every cell of a list, a table or a status line.
pub fn fit(s: &str, max: usize) -> String {
    let clean = sanitize_for_display(s);
    match cut(&clean, max) {
        None => clean.into_owned(),
        Some(shown) => {
            remember(&shown, &clean);
            shown
        }
    }
}

/// [`fit`], then padded with spaces to exactly `w` cells: a column of a table (`{:<w$}`
/// counts characters, which misaligns wide ones).
pub fn pad(s: &str, w: usize) -> String {
    let mut out = fit(s, w);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// The cut form of `s` when it is wider than `max` cells: as many whole characters as fit
/// in `max - 1` cells, then `…`. `None` when it fits.
fn cut(s: &str, max: usize) -> Option<String> {
    if width(s) <= max {
        return None;
    }
    Some(cut_to(s, max))
}

/// `s` cut to `max` cells with `…` at the end, wide or not (empty for 0 cells).
fn cut_to(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(ELLIPSIS);
    out
}

/// A styled line at most `max` cells wide: the span that crosses the edge is cut with `…`
/// ([`fit`], so `v` shows it whole) and the spans after it are dropped. True when it cut.
/// Lists call it on every row, so a row never just stops at the pane's border.
pub fn fit_line<'a>(line: Line<'a>, max: usize) -> (Line<'a>, bool) {
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if total <= max {
        return (line, false);
    }
    let Line {
        spans,
        style,
        alignment,
    } = line;
    let mut out: Vec<Span<'a>> = Vec::with_capacity(spans.len());
    let mut used = 0;
    for span in spans {
        let w = width(&span.content);
        // Whole when a cell is left after it for the mark (the line goes on past the edge).
        if used + w < max {
            used += w;
            out.push(span);
            continue;
        }
        // This span reaches or crosses the edge: cut it so the mark takes the last cell.
        let clean = sanitize_for_display(&span.content).into_owned();
        let shown = cut_to(&clean, max - used);
        remember(&shown, &clean);
        out.push(Span::styled(shown, span.style));
        break;
    }
    let mut l = Line::from(out).style(style);
    l.alignment = alignment;
    (l, true)
}

/// Styled text word-wrapped into at most `height` rows of `width` cells, for a box of fixed
/// size (a detail pane, an info line under a list). When it needs more rows, the last row
/// ends with `…` and the rest is remembered as a cut, so `v` shows it whole. Draw the result
/// with a plain `Paragraph` (no wrap of its own).
pub fn fit_rows<'a>(text: impl Into<Text<'a>>, width: u16, height: u16) -> Vec<Line<'static>> {
    let text: Text<'a> = text.into();
    let (w, h) = (width.max(1) as usize, height as usize);
    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    for line in &text.lines {
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| {
                let style = text.style.patch(line.style).patch(s.style);
                let clean = sanitize_for_display(&s.content).into_owned();
                clean.chars().map(move |c| (c, style)).collect::<Vec<_>>()
            })
            .collect();
        rows.extend(wrap_styled(&chars, w));
    }
    if rows.len() > h {
        if h == 0 {
            return Vec::new();
        }
        let plain = |r: &[(char, Style)]| r.iter().map(|(c, _)| *c).collect::<String>();
        let rest: Vec<String> = rows[h - 1..].iter().map(|r| plain(r)).collect();
        let rest = rest.join(" ");
        let shown = cut_to(&rest, w);
        remember(&shown, &rest);
        let styles: Vec<Style> = rows[h - 1].iter().map(|(_, s)| *s).collect();
        let last: Vec<(char, Style)> = shown
            .chars()
            .enumerate()
            .map(|(i, c)| {
                (
                    c,
                    styles.get(i).or(styles.last()).copied().unwrap_or_default(),
                )
            })
            .collect();
        rows.truncate(h - 1);
        rows.push(last);
    }
    rows.into_iter()
        .map(|row| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut i = 0;
            while i < row.len() {
                let style = row[i].1;
                let mut piece = String::new();
                while i < row.len() && row[i].1 == style {
                    piece.push(row[i].0);
                    i += 1;
                }
                spans.push(Span::styled(piece, style));
            }
            Line::from(spans)
        })
        .collect()
}

/// One line of styled characters word-wrapped into rows of at most `w` cells: breaks at the
/// last space that fits (the space is dropped, as are the spaces starting a continuation
/// row), or between characters inside a word wider than a row. An empty line is one row.
fn wrap_styled(chars: &[(char, Style)], w: usize) -> Vec<Vec<(char, Style)>> {
    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    let mut row: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    for &(c, style) in chars {
        let cw = c.width().unwrap_or(0);
        if c == ' ' && row.is_empty() && !rows.is_empty() {
            continue;
        }
        if used + cw > w && !row.is_empty() {
            match row.iter().rposition(|(ch, _)| *ch == ' ') {
                Some(space) if c != ' ' => {
                    let tail: Vec<(char, Style)> = row.split_off(space + 1);
                    row.pop();
                    rows.push(std::mem::take(&mut row));
                    row = tail;
                }
                _ => rows.push(std::mem::take(&mut row)),
            }
            used = row.iter().map(|(ch, _)| ch.width().unwrap_or(0)).sum();
            if c == ' ' && row.is_empty() {
                continue;
            }
        }
        row.push((c, style));
        used += cw;
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

fn remember(shown: &str, full: &str) {
    CUTS.with(|c| {
        let mut cuts = c.borrow_mut();
        if !shown.is_empty()
            && cuts.len() < MAX_CUTS
            && !cuts.iter().any(|k| k.shown == shown && k.full == full)
        {
            cuts.push(Cut {
                shown: shown.to_string(),
                full: full.to_string(),
            });
        }
    });
}

/// Forgets the cuts of the previous frame (called with `widgets::list::forget_drawn`).
pub fn forget_cuts() {
    CUTS.with(|c| c.borrow_mut().clear());
    MODAL_MARK.with(|m| m.set(None));
}

/// Called as a modal begins drawing: the cuts from here on are the modal's.
pub fn mark_modal() {
    let n = CUTS.with(|c| c.borrow().len());
    MODAL_MARK.with(|m| m.set(Some(n)));
}

/// True while a modal of this frame is being drawn (after [`mark_modal`]).
pub fn in_modal() -> bool {
    MODAL_MARK.with(|m| m.get().is_some())
}

/// The cuts the open modal made in the last frame (all of them when none was marked).
pub fn cuts_in_modal() -> Vec<Cut> {
    let from = MODAL_MARK.with(|m| m.get()).unwrap_or(0);
    CUTS.with(|c| {
        c.borrow()
            .get(from..)
            .map(<[Cut]>::to_vec)
            .unwrap_or_default()
    })
}

/// The cuts made so far in this frame, in drawing order.
pub fn cuts_in_view() -> Vec<Cut> {
    CUTS.with(|c| c.borrow().clone())
}

/// `text` with every cut of this frame it contains put back whole: the full form of a row
/// built from [`fit`] cells. `None` when nothing in it was cut.
pub fn uncut(text: &str) -> Option<String> {
    if !text.contains(ELLIPSIS) {
        return None;
    }
    CUTS.with(|c| {
        let cuts = c.borrow();
        let mut out = text.to_string();
        let mut any = false;
        // Longest first, so a short cut that is part of a longer one does not win.
        let mut sorted: Vec<&Cut> = cuts.iter().collect();
        sorted.sort_by_key(|k| std::cmp::Reverse(k.shown.len()));
        for k in sorted {
            if !k.shown.is_empty() && out.contains(&k.shown) {
                out = out.replacen(&k.shown, &k.full, 1);
                any = true;
            }
        }
        any.then_some(out)
    })
}

/// `s` broken into rows of at most `w` cells at spaces; a word wider than a row is split
/// between characters (never inside one). Nothing is dropped but the spaces at the breaks.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in s.split(' ').filter(|x| !x.is_empty()) {
        let ww = width(word);
        let used = width(&row);
        if !row.is_empty() && used + 1 + ww <= w {
            row.push(' ');
            row.push_str(word);
            continue;
        }
        if !row.is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        // A word of its own row; split when wider than the row.
        let mut used = 0;
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > w && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push(c);
            used += cw;
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// A file path broken into rows of at most `w` cells after its `/` separators, so a
/// folder or file name is split only when it is wider than a row by itself.
pub fn wrap_path(path: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for piece in path.split_inclusive('/') {
        if !row.is_empty() && width(&row) + width(piece) > w {
            rows.push(std::mem::take(&mut row));
        }
        for c in piece.chars() {
            if !row.is_empty() && width(&row) + c.width().unwrap_or(0) > w {
                rows.push(std::mem::take(&mut row));
            }
            row.push(c);
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// `n thing` or `n things`: a count that agrees with its noun ("1 error", "2 errors").
/// `plural` is the noun's plural when it is not the singular plus `s` ("policy", "policies").
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// [`count`] for the nouns that take an `s`.
pub fn count_s(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_breaks_after_its_separators_and_splits_only_a_name_wider_than_a_row() {
        assert_eq!(
            wrap_path("examples/lambda-s3-writer.toml", 18),
            ["examples/", "lambda-s3-writer.t", "oml"]
        );
        assert_eq!(
            wrap_path("/home/me/roles/app.toml", 18),
            ["/home/me/roles/", "app.toml"]
        );
        assert_eq!(wrap_path("r.toml", 18), ["r.toml"]);
        assert_eq!(wrap_path("", 18), [""]);
        for row in wrap_path("a/bb/ccc/dddd/eeeee/ffffff", 5) {
            assert!(width(&row) <= 5, "{row}");
        }
    }

    use super::*;

    #[test]
    fn short_text_is_left_alone_and_long_text_ends_with_the_mark() {
        forget_cuts();
        assert_eq!(fit("GetObject", 9), "GetObject");
        assert_eq!(fit("GetObject", 8), "GetObje…");
        assert_eq!(width(&fit("GetObject", 8)), 8);
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
        assert_eq!(cuts_in_view().len(), 2);
    }

    #[test]
    fn widths_are_cells_and_a_wide_character_is_never_split() {
        forget_cuts();
        // Each of these takes two cells.
        let s = "日本語のテキスト";
        assert_eq!(width(s), 16);
        let f = fit(s, 6);
        assert_eq!(f, "日本…");
        assert_eq!(
            width(&f),
            5,
            "the third character would need cells 5-6 plus the mark"
        );
        assert!(width(&fit(s, 7)) <= 7);
        assert_eq!(fit(s, 7), "日本語…");
        // Combining marks take no cell.
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn pad_fills_to_the_column_in_cells() {
        forget_cuts();
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(width(&pad("日本", 6)), 6);
        assert_eq!(pad("abcdef", 4), "abc…");
    }

    #[test]
    fn control_characters_are_made_visible_before_measuring() {
        forget_cuts();
        let f = fit("a\x1b[31mb", 40);
        assert!(!f.contains('\x1b'), "{f:?}");
    }

    #[test]
    fn a_row_is_put_back_whole_from_the_cuts_of_the_frame() {
        forget_cuts();
        let full = "Grants permission to put an object into a bucket";
        let row = format!("s3:PutObject  {}", fit(full, 12));
        assert!(row.ends_with('…'));
        assert_eq!(uncut(&row), Some(format!("s3:PutObject  {full}")));
        assert_eq!(uncut("nothing cut here"), None);
        forget_cuts();
        assert_eq!(uncut(&row), None, "a new frame forgets the old cuts");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_splits_only_words_too_wide() {
        assert_eq!(
            wrap("small screens: step pane only, preview only, both", 20),
            vec!["small screens: step", "pane only, preview", "only, both"]
        );
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("日本語", 4), vec!["日本", "語"]);
        assert_eq!(wrap("", 5), vec![""]);
        for r in wrap("a fairly long sentence with words", 7) {
            assert!(width(&r) <= 7, "{r}");
        }
    }

    #[test]
    fn a_row_wider_than_its_list_ends_with_the_mark_in_the_last_cell() {
        forget_cuts();
        let line = Line::from(vec![
            Span::raw("[ ] "),
            Span::raw("streams.metrics.cloudwatch.amazonaws.com "),
            Span::raw("CloudWatch metric streams"),
        ]);
        let plain = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let (short, cut) = fit_line(line.clone(), 30);
        assert!(cut);
        assert_eq!(width(&plain(&short)), 30);
        assert!(plain(&short).ends_with('…'), "{}", plain(&short));
        let (same, cut) = fit_line(line.clone(), 200);
        assert!(!cut);
        assert_eq!(plain(&same), plain(&line));
        // The mark falls on the second span's last cell when the first fills the row.
        let (edge, _) = fit_line(line, 45);
        assert_eq!(width(&plain(&edge)), 45);
        assert_eq!(
            uncut(&plain(&edge)).as_deref(),
            Some("[ ] streams.metrics.cloudwatch.amazonaws.com ")
        );
    }

    #[test]
    fn a_box_too_small_for_its_text_ends_with_the_mark_and_keeps_the_rest() {
        forget_cuts();
        let plain = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let text = "Download objects from one bucket. Actions: GetObject, GetObjectVersion";
        let rows = fit_rows(text, 20, 2);
        assert_eq!(rows.len(), 2);
        assert_eq!(plain(&rows[0]), "Download objects");
        assert!(plain(&rows[1]).ends_with('…'), "{:?}", plain(&rows[1]));
        assert!(width(&plain(&rows[1])) <= 20);
        let cut = cuts_in_view();
        assert_eq!(cut.len(), 1);
        assert!(cut[0].full.ends_with("GetObjectVersion"), "{:?}", cut[0]);
        // Room enough: every word, nothing cut.
        forget_cuts();
        let rows = fit_rows(text, 20, 10);
        let joined: Vec<String> = rows.iter().map(plain).collect();
        assert_eq!(joined.join(" "), text);
        assert!(joined.iter().all(|r| width(r) <= 20), "{joined:?}");
        assert!(cuts_in_view().is_empty());
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count_s(1, "error"), "1 error");
        assert_eq!(count_s(0, "error"), "0 errors");
        assert_eq!(count_s(2, "finding"), "2 findings");
        assert_eq!(count(1, "policy", "policies"), "1 policy");
        assert_eq!(count(3, "policy", "policies"), "3 policies");
    }
}
