//! JSON with syntax colours, a gutter marking lines behind findings, and a size meter.
//!
//! Highlighting happens once per role change ([`highlight_json`], called by the preview
//! cache); drawing only slices the cached lines.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::findings::Severity;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::theme::Theme;
use crate::tui::widgets::text;
use unicode_width::UnicodeWidthChar;

/// Splits pretty-printed JSON into styled lines: keys, strings, literals and punctuation.
pub fn highlight_json(text: &str, theme: &Theme) -> Vec<Line<'static>> {
    text.lines().map(|l| highlight_line(l, theme)).collect()
}

fn highlight_line(line: &str, theme: &Theme) -> Line<'static> {
    let line = sanitize_for_display(line);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let s: String = chars[start..i].iter().collect();
            // A string followed by ':' is a key.
            let rest = chars[i..].iter().find(|c| !c.is_whitespace());
            let style = if rest == Some(&':') {
                theme.json_key()
            } else {
                theme.json_string()
            };
            spans.push(Span::styled(s, style));
        } else if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            spans.push(Span::raw(chars[start..i].iter().collect::<String>()));
        } else if "{}[],:".contains(c) {
            spans.push(Span::styled(c.to_string(), theme.json_punct()));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !"{}[],: \"".contains(chars[i]) {
                i += 1;
            }
            spans.push(Span::styled(
                chars[start..i].iter().collect::<String>(),
                theme.json_literal(),
            ));
        }
    }
    Line::from(spans)
}

/// Draws `lines` from `scroll` on, each with a one-column gutter showing the worst
/// severity of the findings behind it.
pub fn draw_json(
    frame: &mut Frame,
    area: Rect,
    lines: &[Line<'static>],
    marks: &[Option<Severity>],
    scroll: usize,
    theme: &Theme,
) {
    draw_json_highlighted(frame, area, lines, marks, scroll, None, theme);
}

/// [`draw_json`] with lines `first..=last` highlighted (the lines behind the finding
/// selected on the Review step).
pub fn draw_json_highlighted(
    frame: &mut Frame,
    area: Rect,
    lines: &[Line<'static>],
    marks: &[Option<Severity>],
    scroll: usize,
    highlight: Option<(usize, usize)>,
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let scroll = scroll.min(lines.len().saturating_sub(1));
    let height = area.height as usize;
    // One column for the gutter; the rest holds the text, wrapped, never cut.
    let text_w = (area.width as usize).saturating_sub(1).max(1);
    let mut shown: Vec<Line> = Vec::with_capacity(height);
    for (i, l) in lines.iter().enumerate().skip(scroll) {
        if shown.len() >= height {
            break;
        }
        let lit = highlight.is_some_and(|(first, last)| (first..=last).contains(&i));
        let gutter = match marks.get(i).copied().flatten() {
            Some(s) => Span::styled(s.letter().to_string(), theme.severity(s)),
            None if lit => Span::styled("›", theme.key()),
            None => Span::raw(" "),
        };
        for (row, pieces) in wrap_spans(&l.spans, text_w).into_iter().enumerate() {
            if shown.len() >= height {
                break;
            }
            let mut spans = Vec::with_capacity(pieces.len() + 1);
            spans.push(if row == 0 {
                gutter.clone()
            } else {
                Span::styled(CONTINUED, theme.dim())
            });
            spans.extend(pieces);
            let line = Line::from(spans);
            shown.push(if lit {
                line.style(theme.selected_unfocused())
            } else {
                line
            });
        }
    }
    frame.render_widget(Paragraph::new(shown), area);
}

/// The gutter mark of a row that continues the line above it (the preview wraps, so the
/// end of an ARN or a condition value is never hidden).
pub const CONTINUED: &str = "↪";

/// Cuts a line's spans into rows of at most `width` cells, styles kept. A row after the
/// first starts with the line's own indentation (up to a third of the width), so a wrapped
/// value stays under its key. A `,` never starts a row: when a value ends exactly at the
/// edge, its end moves down with the comma.
fn wrap_spans(spans: &[Span<'static>], width: usize) -> Vec<Vec<Span<'static>>> {
    let total: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if total <= width {
        return vec![spans.to_vec()];
    }
    // Every character with the span it came from.
    let chars: Vec<(char, usize)> = spans
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.content.chars().map(move |c| (c, i)))
        .collect();
    let cell = |c: char| UnicodeWidthChar::width(c).unwrap_or(0);
    let indent = chars
        .iter()
        .take_while(|(c, _)| *c == ' ')
        .count()
        .min(width / 3);
    let mut rows: Vec<Vec<Span<'static>>> = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let first = rows.is_empty();
        if !first {
            // Leading spaces of a continuation row are the indent already.
            while start < chars.len() && chars[start].0 == ' ' {
                start += 1;
            }
            if start == chars.len() {
                break;
            }
        }
        let room = if first { width } else { width - indent };
        let mut end = start;
        let mut used = 0;
        while end < chars.len() {
            let w = cell(chars[end].0);
            if used + w > room && end > start {
                break;
            }
            used += w;
            end += 1;
        }
        if end < chars.len() && chars[end].0 == ',' && end - start > 1 {
            // Break after the value's last `/ : . -` or space in the row's second half, so
            // a readable piece goes down with the comma (`*",`); else just its last character.
            let half = start + (end - start) / 2;
            end = (half..end - 1)
                .rev()
                .find(|&i| matches!(chars[i].0, '/' | ':' | '.' | '-' | ' '))
                .map_or(end - 1, |i| i + 1);
        }
        let mut row: Vec<Span<'static>> = Vec::new();
        if !first && indent > 0 {
            row.push(Span::raw(" ".repeat(indent)));
        }
        let mut i = start;
        while i < end {
            let span = chars[i].1;
            let mut piece = String::new();
            while i < end && chars[i].1 == span {
                piece.push(chars[i].0);
                i += 1;
            }
            row.push(Span::styled(piece, spans[span].style));
        }
        rows.push(row);
        start = end;
    }
    rows
}

/// `label 312 / 2,048 ▕████░░░░▏ 15%`, red past the quota.
pub fn size_meter(
    label: &str,
    used: usize,
    quota: usize,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let pct = (used * 100).checked_div(quota).unwrap_or(0);
    let text = format!("{label} {} / {}", group(used), group(quota));
    let bar_w = (width as usize)
        .saturating_sub(text.chars().count() + 8)
        .min(20);
    let filled = (bar_w * used.min(quota)).checked_div(quota).unwrap_or(0);
    let style = if used > quota {
        theme.error()
    } else if pct >= 80 {
        theme.severity(Severity::Warning)
    } else {
        theme.ok()
    };
    let mut spans = vec![Span::styled(text, theme.dim())];
    if bar_w > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled("█".repeat(filled), style));
        spans.push(Span::styled("░".repeat(bar_w - filled), theme.dim()));
    }
    spans.push(Span::styled(format!(" {pct}%"), style));
    Line::from(spans)
}

/// 10240 → "10,240".
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(row: &[Span<'_>]) -> String {
        row.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn long_lines_wrap_under_their_indent_and_nothing_is_lost() {
        let theme = Theme::monochrome();
        let line = highlight_line(
            r#"      "Resource": "arn:aws:s3:::my-super-specific-bucket/*""#,
            &theme,
        );
        let rows = wrap_spans(&line.spans, 30);
        assert!(rows.len() > 1);
        for r in &rows {
            assert!(text(r).chars().count() <= 30, "{:?}", text(r));
        }
        assert!(text(&rows[1]).starts_with("      "), "indented");
        let joined: String = rows
            .iter()
            .map(|r| text(r).trim_start().to_string())
            .collect();
        assert!(joined.ends_with("bucket/*\""), "{joined}");
        // A short line is left alone.
        assert_eq!(wrap_spans(&line.spans, 200).len(), 1);
    }

    #[test]
    fn a_comma_stays_with_the_value_it_ends() {
        let theme = Theme::monochrome();
        // `"Resource": "arn:aws:s3:::bucket/*"` is 35 characters, then the comma: a row of
        // 35 would leave the comma alone on the next one.
        let line = highlight_line(r#""Resource": "arn:aws:s3:::bucket/*","#, &theme);
        let rows = wrap_spans(&line.spans, 35);
        assert!(rows.len() > 1);
        for r in &rows {
            let t = text(r);
            assert_ne!(t.trim(), ",", "{rows:?}");
            assert!(text::width(&t) <= 35, "{t:?}");
        }
        let joined: String = rows
            .iter()
            .map(|r| text(r).trim_start().to_string())
            .collect();
        assert_eq!(joined, r#""Resource": "arn:aws:s3:::bucket/*","#);
        assert!(text(&rows[1]).ends_with("*\","), "{rows:?}");
    }

    #[test]
    fn wide_characters_wrap_by_cells() {
        let theme = Theme::monochrome();
        let line = highlight_line(r#""Sid": "日本語日本語日本語""#, &theme);
        for r in wrap_spans(&line.spans, 10) {
            assert!(text::width(&text(&r)) <= 10, "{:?}", text(&r));
        }
    }

    #[test]
    fn keys_and_strings_get_different_styles() {
        let t = Theme::default();
        let l = highlight_line(r#"  "Effect": "Allow","#, &t);
        let key = l.spans.iter().find(|s| s.content == "\"Effect\"").unwrap();
        let val = l.spans.iter().find(|s| s.content == "\"Allow\"").unwrap();
        assert_eq!(key.style, t.json_key());
        assert_eq!(val.style, t.json_string());
        let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, r#"  "Effect": "Allow","#);
    }

    #[test]
    fn escaped_quotes_stay_inside_strings() {
        let t = Theme::default();
        let l = highlight_line(r#""a\"b": 1"#, &t);
        assert_eq!(l.spans[0].content, r#""a\"b""#);
    }

    #[test]
    fn grouping() {
        assert_eq!(group(10240), "10,240");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000_000), "1,000,000");
    }
}
