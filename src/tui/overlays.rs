//! Drawing every window over the screen: explanations, the fix preview,
//! the questions (resume, quit, replace a file), the open and save-as dialogs, the full texts
//! of cut cells (over the window they came from), and the help generated from the keymap.
//! Everything here reads a `View`; text that came from files goes through `sanitize`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::action::Action;
use super::context::View;
use super::effect::Pane;
use super::fixes::DiffLine;
use super::keymap::Context;
use super::modal::Modal;
use super::sanitize::sanitize_for_display;
use super::steps::{self, Step};
use super::widgets::field::{draw_form, truncate};
use super::widgets::pane::{centered, pane_block};
use super::widgets::text;

/// The preview lines to highlight: those behind the selected finding, on the Review step
/// or in the explanation overlay, when the preview shows their tab.
pub fn highlighted_lines(v: &View) -> Option<(usize, usize)> {
    let selected = match &v.modal {
        Some(Modal::Explain { selected }) => *selected,
        _ if v.step == Step::Review => v.steps.review.selected,
        _ => return None,
    };
    let span = v.preview.spans.get(selected).copied().flatten()?;
    (span.tab == v.preview_tab).then_some((span.first, span.last))
}

/// Draws `modal` (one of the overlays this module owns).
pub fn draw(v: &View, frame: &mut Frame, area: Rect, modal: &Modal) {
    // What this modal cuts is what `v` shows from it (`modal::show_full`).
    text::mark_modal();
    match modal {
        Modal::Explain { selected } => draw_explain(v, frame, area, *selected),
        Modal::Confirm { title, lines, .. } => draw_confirm(v, frame, area, title, lines),
        Modal::SavePath(form) => {
            let r = centered(area, 60, 6);
            frame.render_widget(Clear, r);
            let block = pane_block(v.theme, "Save the role file as", true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            draw_form(frame, inner, form, true, 6, v.theme);
        }
        Modal::FixPreview(p) => draw_fix(v, frame, area, p),
        Modal::Check(m) => super::check_modal::draw(v, frame, area, m),
        Modal::Resume { saved_at } => draw_question(
            v,
            frame,
            area,
            "Unsaved work found",
            vec![
                format!("Resume unsaved work from {saved_at}?"),
                String::new(),
                "r: resume   d: discard it".into(),
            ],
        ),
        Modal::QuitAsk => draw_question(
            v,
            frame,
            area,
            "Quit with unsaved changes?",
            vec![
                "The role has changes that are not saved.".into(),
                String::new(),
                "s: save, then quit   d: discard them and quit   c / Esc: cancel".into(),
            ],
        ),
        Modal::OpenPath(form) => {
            let r = centered(area, area.width.saturating_sub(4).min(100), 6);
            frame.render_widget(Clear, r);
            let block = pane_block(v.theme, "Open a file", true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            draw_form(frame, inner, form, true, 6, v.theme);
        }
        Modal::Help => draw_help(v, frame, area),
        Modal::FullText {
            title,
            lines,
            under,
        } => {
            // The window it was opened from stays in view beneath it.
            if let Some(m) = under.as_deref() {
                draw(v, frame, area, m);
            }
            draw_full_text(v, frame, area, title, lines)
        }
    }
}

/// A question with its answers on the last line (export over a file, and the like).
fn draw_confirm(v: &View, frame: &mut Frame, area: Rect, title: &str, lines: &[String]) {
    let w = area.width.min(90);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    // Long findings wrap: count the rows they take.
    // (Word wrap breaks early: one spare row per wrapped line.)
    let rows: usize = lines
        .iter()
        .map(|l| {
            let n = l.chars().count().div_ceil(inner_w).max(1);
            if n > 1 { n + 1 } else { n }
        })
        .sum();
    let r = centered(area, w, (rows as u16).saturating_add(2).min(area.height));
    draw_text_window(v, frame, r, title, lines);
}

/// A bordered window at `r` holding `lines`, wrapped, made inert for the terminal.
fn draw_text_window(v: &View, frame: &mut Frame, r: Rect, title: &str, lines: &[String]) {
    frame.render_widget(Clear, r);
    let block = pane_block(v.theme, title, true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let text: Vec<Line> = lines
        .iter()
        .map(|l| Line::raw(sanitize_for_display(l).into_owned()))
        .collect();
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

/// `v`: texts a `…` cut, whole and wrapped, one after the other.
fn draw_full_text(v: &View, frame: &mut Frame, area: Rect, title: &str, lines: &[String]) {
    let w = area.width.saturating_sub(4).min(100);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    // Rows the wrapped texts take, a blank and the key line.
    let rows: usize = if lines.len() == 1 {
        // Word wrap breaks early: a spare row when it wraps.
        let n = text::width(&lines[0]).div_ceil(inner_w).max(1);
        if n > 1 { n + 1 } else { n }
    } else {
        lines
            .iter()
            .map(|l| text::wrap(l, inner_w.saturating_sub(2)).len())
            .sum()
    } + 2;
    let r = centered(area, w, (rows as u16).saturating_add(2).min(area.height));
    frame.render_widget(Clear, r);
    let block = pane_block(v.theme, title, true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    // One text as it is; several as a bulleted list, each wrapped under its bullet.
    let mut text: Vec<Line> = Vec::new();
    for l in lines {
        let clean = sanitize_for_display(l);
        if lines.len() == 1 {
            text.push(Line::raw(clean.into_owned()));
            continue;
        }
        for (j, piece) in text::wrap(&clean, inner_w.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let mark = if j == 0 { "• " } else { "  " };
            text.push(Line::from(vec![
                Span::styled(mark, v.theme.dim()),
                Span::raw(piece),
            ]));
        }
    }
    let [body, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), body);
    frame.render_widget(
        Paragraph::new(Span::styled("any key closes", v.theme.dim())),
        keys,
    );
}

fn draw_question(v: &View, frame: &mut Frame, area: Rect, title: &str, lines: Vec<String>) {
    let r = centered(area, 76, lines.len() as u16 + 2);
    draw_text_window(v, frame, r, title, &lines);
}

fn draw_explain(v: &View, frame: &mut Frame, area: Rect, selected: usize) {
    let theme = v.theme;
    let r = centered(
        area,
        area.width.saturating_sub(4).min(96),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = pane_block(
        v.theme,
        "Findings · why (↑↓ finding, f fix, Esc closes)",
        true,
    );
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let findings = &v.preview.findings;
    if findings.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("No findings.", theme.ok())),
            inner,
        );
        return;
    }
    let list_h = (findings.len() as u16).min(inner.height / 3).max(1);
    let [list, body] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(inner);
    let sel = selected.min(findings.len() - 1);
    let width = list.width.saturating_sub(22) as usize;
    let rows: Vec<Line> = findings
        .iter()
        .map(|f| {
            Line::from(vec![
                Span::styled(
                    format!("{} ", f.severity.letter()),
                    theme.severity(f.severity),
                ),
                Span::styled(
                    format!("{} ", crate::tui::widgets::text::pad(&f.code, 18)),
                    theme.dim(),
                ),
                Span::raw(truncate(
                    &sanitize_for_display(steps::review::shown_message(v.role, f)),
                    width,
                )),
            ])
        })
        .collect();
    super::widgets::list::draw_list(frame, list, &rows, sel, true, theme);
    let f = &findings[sel];
    let mut lines = vec![Line::raw("")];
    lines.extend(super::steps::review::detail_lines(v, f));
    if let Some(info) = crate::lint::explain::lookup(&f.code) {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(info.title, theme.title())));
        lines.push(Line::from(vec![
            Span::styled("How to fix: ", theme.title()),
            Span::raw(info.fix),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Bad:  ", theme.severity(super::findings::Severity::Error)),
            Span::raw(info.bad),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Good: ", theme.ok()),
            Span::raw(info.good),
        ]));
    }
    // A long explanation ends with `…` on the box's last row (`v` shows the rest).
    frame.render_widget(
        Paragraph::new(text::fit_rows(lines, body.width, body.height)),
        body,
    );
}

fn draw_fix(v: &View, frame: &mut Frame, area: Rect, p: &super::fixes::FixPreview) {
    let theme = v.theme;
    let h = (p.diff.len() as u16 + 5).min(area.height.saturating_sub(2));
    let r = centered(area, area.width.saturating_sub(4).min(90), h);
    frame.render_widget(Clear, r);
    let title = format!("Fix {} · {}", p.code, sanitize_for_display(&p.place));
    let block = pane_block(v.theme, &title, true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![
        Line::from(Span::styled(
            sanitize_for_display(&p.description).into_owned(),
            theme.title(),
        )),
        Line::raw(""),
    ];
    let body_h = inner.height.saturating_sub(3) as usize;
    // Keep the changed lines in view when the statement is long.
    let first_change = p
        .diff
        .iter()
        .position(|l| !matches!(l, DiffLine::Same(_)))
        .unwrap_or(0);
    let skip = first_change.saturating_sub(body_h / 3);
    for l in p.diff.iter().skip(skip).take(body_h) {
        let (mark, text, style) = match l {
            DiffLine::Same(t) => ("  ", t, theme.text()),
            DiffLine::Removed(t) => ("- ", t, theme.severity(super::findings::Severity::Error)),
            DiffLine::Added(t) => ("+ ", t, theme.ok()),
        };
        lines.push(Line::from(Span::styled(
            // A line wider than the box (a long ARN) ends with `…` rather than at the border.
            text::fit(&format!("{mark}{text}"), inner.width as usize),
            style,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let [_, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" apply (u undoes)   "),
            Span::styled("n", theme.key()),
            Span::raw("/"),
            Span::styled("Esc", theme.key()),
            Span::raw(" cancel"),
        ])),
        keys,
    );
}

/// The focused area's name and its own keys (what the status line shows first, and the
/// help's first section).
pub(crate) fn focused_hints(v: &View) -> (String, Vec<(String, String)>) {
    let own = |v: Vec<(&'static str, &'static str)>| -> Vec<(String, String)> {
        v.into_iter()
            .map(|(k, w)| (k.to_string(), w.to_string()))
            .collect()
    };
    match v.focus {
        Pane::Steps => (
            "the step list".into(),
            own(vec![("↑↓", "step"), ("Enter", "open")]),
        ),
        Pane::Preview => (
            "the preview".into(),
            own(vec![("↑↓", "scroll"), ("p", "tab")]),
        ),
        Pane::Main if v.editing => (
            format!(
                "editing {}",
                v.editing_label().map(str::trim).unwrap_or("a field")
            ),
            own(vec![("Enter", "finish, go on"), ("Esc", "finish")]),
        ),
        Pane::Main if v.on_text_field() => {
            let edit = v
                .keymap
                .keys_for(Context::Navigate, Action::Edit)
                .map_or("Enter/i".to_string(), |k| format!("Enter/{k}"));
            let mut h = vec![(edit, "edit".to_string())];
            h.extend(own(steps::hints(v)));
            (steps::title(v), h)
        }
        Pane::Main => (steps::title(v), own(steps::hints(v))),
    }
}

/// The help as sections (a title and one line per action of a context, keys joined), in
/// keymap order. Key lists too long for the key column get lines of their own.
pub fn help_sections(v: &View, width: usize) -> Vec<Vec<Line<'static>>> {
    let theme = v.theme;
    let mut groups: Vec<(Context, &'static str, Vec<String>)> = Vec::new();
    for (ctx, key, action) in v.keymap.listing() {
        if matches!(ctx, Context::TooSmall)
            || matches!(action, Action::Resize(..) | Action::Click(..))
        {
            continue;
        }
        // The six step keys read best as one range.
        let is_step = matches!(action, Action::GoToStep(_));
        let what = if is_step {
            "go to step 1-6"
        } else {
            action.describe()
        };
        match groups.iter_mut().find(|(c, d, _)| c == ctx && *d == what) {
            Some((_, _, keys)) => {
                if !is_step {
                    keys.push(key.clone())
                }
            }
            None => groups.push((
                *ctx,
                what,
                vec![if is_step { "1-6".into() } else { key.clone() }],
            )),
        }
    }
    // One help row: the keys in a 15-cell column (on rows of their own when longer), the
    // description wrapped beside it, so nothing runs into the next column.
    let desc_w = width.saturating_sub(18).max(8);
    let row = |lines: &mut Vec<Line<'static>>, keys: &[String], what: &str| {
        let joined = keys.join(" ");
        let mut first_key = if text::width(&joined) <= 15 {
            Some(joined)
        } else {
            // Wrap the keys over as many lines as they need, then the description.
            let mut row = String::new();
            for k in keys {
                if !row.is_empty() && text::width(&row) + text::width(k) + 3 > width {
                    lines.push(Line::from(Span::styled(format!("  {row}"), theme.key())));
                    row.clear();
                }
                if !row.is_empty() {
                    row.push(' ');
                }
                row.push_str(k);
            }
            lines.push(Line::from(Span::styled(format!("  {row}"), theme.key())));
            None
        };
        for piece in text::wrap(what, desc_w) {
            let k = first_key.take().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", text::pad(&k, 15)), theme.key()),
                Span::raw(piece),
            ]));
        }
    };
    let title = |t: &str| Line::from(Span::styled(text::fit(t, width), theme.title()));
    let mut sections = Vec::new();
    // The focused area first: what its status line offers, then its key context.
    let (area, hints) = focused_hints(v);
    let mut here = vec![title(&format!("Here: {area}"))];
    for (k, what) in hints {
        row(&mut here, &[k], &what);
    }
    sections.push(here);
    // In lesson mode its keys come next; elsewhere they do nothing and are not listed.
    let lesson = v.lesson.is_some().then_some(Context::Lesson);
    let contexts = if v.editing {
        [
            Context::Text,
            Context::Global,
            Context::Navigate,
            Context::Confirm,
        ]
    } else {
        [
            Context::Navigate,
            Context::Global,
            Context::Text,
            Context::Confirm,
        ]
    };
    for ctx in lesson.into_iter().chain(contexts) {
        let heading = match ctx {
            Context::Lesson => "Lesson mode (outside text fields; h is not \"left\" here)",
            Context::Global => "Everywhere (outside text fields)",
            Context::Navigate => "Lists and choices",
            Context::Text => "Text fields (other keys type; Ctrl-U clears)",
            Context::Confirm => "Questions",
            _ => "",
        };
        let mut lines = vec![title(heading)];
        for (_, what, keys) in groups.iter().filter(|(c, _, _)| *c == ctx) {
            row(&mut lines, keys, what);
        }
        sections.push(lines);
    }
    let mut mouse = vec![title("Mouse")];
    row(
        &mut mouse,
        &["click".into()],
        "focus a pane, select the step, row or tab under it; on the E/W/S counts: the explanations",
    );
    row(
        &mut mouse,
        &["wheel".into()],
        "scroll what is under the pointer",
    );
    sections.push(mouse);
    sections
}

/// The help as laid out in `area` (the whole screen): its box, the text inside it and the
/// columns' lines. Drawing and scrolling both use it, so a page is what the box shows.
struct HelpLayout {
    outer: Rect,
    inner: Rect,
    left: Vec<Line<'static>>,
    /// Empty unless the box is wide enough for two columns.
    right: Vec<Line<'static>>,
    two: bool,
}

impl HelpLayout {
    fn of(v: &View, area: Rect) -> HelpLayout {
        let outer = centered(
            area,
            area.width.saturating_sub(2).min(120),
            area.height.saturating_sub(2),
        );
        let inner = pane_block(v.theme, "", true).inner(outer);
        let two = inner.width >= 100;
        let col_w = if two { inner.width / 2 } else { inner.width } as usize;
        let sections = help_sections(v, col_w.saturating_sub(2));
        let total: usize = sections.iter().map(|s| s.len() + 1).sum();
        // Whole sections per column: the left one takes sections until it holds half.
        let mut left: Vec<Line> = Vec::new();
        let mut right: Vec<Line> = Vec::new();
        for s in sections {
            let target = if two { total.div_ceil(2) } else { usize::MAX };
            let col = if left.len() < target && right.is_empty() {
                &mut left
            } else {
                &mut right
            };
            if !col.is_empty() {
                col.push(Line::raw(""));
            }
            col.extend(s);
        }
        HelpLayout {
            outer,
            inner,
            left,
            right,
            two,
        }
    }

    /// Rows one screenful shows, and the scroll that shows the last row at the bottom.
    fn page_and_max(&self) -> (usize, usize) {
        let rows = self.left.len().max(self.right.len());
        let page = (self.inner.height as usize).max(1);
        (page, rows.saturating_sub(page))
    }
}

/// The help's scroll after `action` (↑↓ a line, PageUp/PageDown a screenful, Home/End the
/// ends), on a screen of `area`; `None` for an action that does not scroll it.
pub(crate) fn help_scroll_after(
    v: &View,
    area: Rect,
    scroll: usize,
    action: Action,
) -> Option<usize> {
    let (page, max) = HelpLayout::of(v, area).page_and_max();
    let scroll = scroll.min(max);
    // A page keeps one row of the last screenful in view, so the reader does not lose the place.
    let step = page.saturating_sub(1).max(1);
    let next = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll + 1,
        Action::PageUp => scroll.saturating_sub(step),
        Action::PageDown => scroll + step,
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    };
    Some(next.min(max))
}

/// The help overlay: every key from the keymap, by context; ↑↓ PgUp/PgDn Home/End scroll it.
pub fn draw_help(v: &View, frame: &mut Frame, area: Rect) {
    let help = HelpLayout::of(v, area);
    let (_, max) = help.page_and_max();
    frame.render_widget(Clear, help.outer);
    frame.render_widget(
        pane_block(v.theme, "Keys (↑↓ scroll, Esc closes)", true),
        help.outer,
    );
    let scroll = v.help_scroll.min(max) as u16;
    let inner = help.inner;
    if help.two {
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(help.left).scroll((scroll, 0)), a);
        frame.render_widget(Paragraph::new(help.right).scroll((scroll, 0)), b);
    } else {
        frame.render_widget(Paragraph::new(help.left).scroll((scroll, 0)), inner);
    }
}
