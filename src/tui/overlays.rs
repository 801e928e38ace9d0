//! Drawing the overlays added for guard rails and comfort: explanations, the fix preview,
//! the resume and quit questions, the open dialog, and the help generated from the keymap.
//! Everything here reads `&App`; text that came from files goes through `sanitize`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::action::Action;
use super::app::{App, Modal};
use super::draw::{centered, pane_block};
use super::fixes::DiffLine;
use super::keymap::Context;
use super::sanitize::sanitize_for_display;
use super::steps::Step;
use super::widgets::field::{draw_form, truncate};
use super::widgets::text;

/// The preview lines to highlight: those behind the selected finding, on the Review step
/// or in the explanation overlay, when the preview shows their tab.
pub fn highlighted_lines(app: &App) -> Option<(usize, usize)> {
    let selected = match &app.modal {
        Some(Modal::Explain { selected }) => *selected,
        _ if app.step == Step::Review => app.steps.review.selected,
        _ => return None,
    };
    let span = app.preview.spans.get(selected).copied().flatten()?;
    (span.tab == app.preview_tab).then_some((span.first, span.last))
}

/// Draws `modal` (one of the overlays this module owns).
pub fn draw(app: &App, frame: &mut Frame, area: Rect, modal: &Modal) {
    match modal {
        Modal::Explain { selected } => draw_explain(app, frame, area, *selected),
        Modal::FixPreview(p) => draw_fix(app, frame, area, p),
        Modal::Check(m) => super::check_modal::draw(app, frame, area, m),
        Modal::Resume { saved_at } => draw_question(
            app,
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
            app,
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
            let block = pane_block(app, "Open a file", true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            draw_form(frame, inner, form, true, 6, &app.theme);
        }
        Modal::Help => draw_help(app, frame, area),
        Modal::FullText { title, lines } => draw_full_text(app, frame, area, title, lines),
        _ => {}
    }
}

/// `v`: texts a `…` cut, whole and wrapped, one after the other.
fn draw_full_text(app: &App, frame: &mut Frame, area: Rect, title: &str, lines: &[String]) {
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
    let block = pane_block(app, title, true);
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
                Span::styled(mark, app.theme.dim()),
                Span::raw(piece),
            ]));
        }
    }
    let [body, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), body);
    frame.render_widget(
        Paragraph::new(Span::styled("any key closes", app.theme.dim())),
        keys,
    );
}

fn draw_question(app: &App, frame: &mut Frame, area: Rect, title: &str, lines: Vec<String>) {
    let r = centered(area, 76, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = pane_block(app, title, true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let text: Vec<Line> = lines
        .iter()
        .map(|l| Line::raw(sanitize_for_display(l).into_owned()))
        .collect();
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

fn draw_explain(app: &App, frame: &mut Frame, area: Rect, selected: usize) {
    let theme = &app.theme;
    let r = centered(
        area,
        area.width.saturating_sub(4).min(96),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = pane_block(app, "Findings · why (↑↓ finding, f fix, Esc closes)", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let findings = &app.preview.findings;
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
                Span::raw(truncate(&sanitize_for_display(&f.message), width)),
            ])
        })
        .collect();
    super::widgets::list::draw_list(frame, list, &rows, sel, true, theme);
    let f = &findings[sel];
    let mut lines = vec![Line::raw("")];
    lines.extend(super::steps::review::detail_lines(app, f));
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
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
}

fn draw_fix(app: &App, frame: &mut Frame, area: Rect, p: &super::fixes::FixPreview) {
    let theme = &app.theme;
    let h = (p.diff.len() as u16 + 5).min(area.height.saturating_sub(2));
    let r = centered(area, area.width.saturating_sub(4).min(90), h);
    frame.render_widget(Clear, r);
    let title = format!("Fix {} · {}", p.code, sanitize_for_display(&p.place));
    let block = pane_block(app, &title, true);
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
            format!("{mark}{}", sanitize_for_display(text)),
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

/// The help as sections (a title and one line per action of a context, keys joined), in
/// keymap order. Key lists too long for the key column get lines of their own.
pub fn help_sections(app: &App, width: usize) -> Vec<Vec<Line<'static>>> {
    let theme = &app.theme;
    let mut groups: Vec<(Context, &'static str, Vec<String>)> = Vec::new();
    for (ctx, key, action) in app.keymap.listing() {
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
    let (area, hints) = super::draw::focused_hints(app);
    let mut here = vec![title(&format!("Here: {area}"))];
    for (k, what) in hints {
        row(&mut here, &[k], &what);
    }
    sections.push(here);
    // In lesson mode its keys come next; elsewhere they do nothing and are not listed.
    let lesson = app.lesson.is_some().then_some(Context::Lesson);
    let contexts = if app.editing {
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

/// The help overlay: every key from the keymap, by context; ↑↓ scroll it.
pub fn draw_help(app: &App, frame: &mut Frame, area: Rect) {
    let r = centered(
        area,
        area.width.saturating_sub(2).min(120),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = pane_block(app, "Keys (↑↓ scroll, Esc closes)", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let two = inner.width >= 100;
    let col_w = if two { inner.width / 2 } else { inner.width } as usize;
    let sections = help_sections(app, col_w.saturating_sub(2));
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
    let rows = left.len().max(right.len());
    let scroll = app
        .help_scroll
        .min(rows.saturating_sub(inner.height as usize)) as u16;
    if two {
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), a);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), b);
    } else {
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner);
    }
}
