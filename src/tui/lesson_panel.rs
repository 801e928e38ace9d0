//! The lesson panel, drawn from a read-only [`View`]: the tasks ✓/✗ on top, then the story
//! and the hints revealed, the scripted calls played, or what was learned; its keys in the
//! status line and its badge.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::context::View;
use super::findings::Severity;
use super::lesson::{LessonMode, LessonView, covers_editor};
use super::sanitize::sanitize_for_display;

/// The keys the status line offers in lesson mode (first, before the step's own).
pub fn hints(v: &View) -> Vec<(&'static str, &'static str)> {
    let Some(lesson) = v.lesson else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    if !lesson.graded.done {
        keys.push(("h", "hint"));
    }
    keys.push((
        "r",
        if lesson.show_panel && lesson.view == LessonView::Calls {
            "lesson"
        } else {
            "run"
        },
    ));
    keys.push((
        "L",
        if covers_editor(v.wide, v.lesson) {
            "editor"
        } else if lesson.show_panel {
            "hide lesson"
        } else {
            "lesson"
        },
    ));
    keys
}

/// The short state for the status line: `lesson mode 1/2✓`.
pub fn status_badge(v: &View) -> Option<String> {
    let lesson = v.lesson?;
    let (p, n) = lesson.graded.counts();
    Some(if lesson.graded.done {
        "lesson mode ✓ complete ".to_string()
    } else {
        format!("lesson mode {p}/{n}✓ ")
    })
}

/// The panel's title: the view, then the lesson (cut by the border when long).
fn title(lesson: &LessonMode) -> String {
    let what = match (lesson.view, lesson.graded.done) {
        (LessonView::Calls, _) => "run the function",
        (LessonView::Tasks, true) => "complete",
        (LessonView::Tasks, false) => "lesson",
    };
    format!("{what} · {}", lesson.info.title)
}

/// Draws the panel into `area` (with its border): the tasks ✓/✗ always on top, then the
/// view (story and hints, the calls, or what was learned), scrollable, then its keys.
pub fn draw(v: &View, frame: &mut Frame, area: Rect) {
    let Some(lesson) = v.lesson else {
        return;
    };
    let title = title(lesson);
    let block = super::widgets::pane::pane_block(v.theme, &title, covers_editor(v.wide, v.lesson));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
    let tasks = task_rows(v, lesson, inner.width);
    // The tasks take what they need, up to half the panel.
    let tasks_h = (tasks.len() as u16).min(inner.height / 2);
    let [tasks_area, body, keys] = Layout::vertical([
        Constraint::Length(tasks_h),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(tasks), tasks_area);
    let (lines, anchor) = match (lesson.view, lesson.graded.done) {
        (LessonView::Calls, _) => (calls_lines(v, lesson), None),
        (LessonView::Tasks, true) => (complete_lines(v, lesson), None),
        (LessonView::Tasks, false) => task_lines(v, lesson),
    };
    // Scrolled no further than the text goes; after `h`, to the hints.
    let total = wrapped_rows(&lines, body.width);
    let max = total.saturating_sub(body.height);
    super::lesson::set_panel_max(max);
    let wanted = match (lesson.follow_hints, anchor) {
        (true, Some((first, end))) => {
            // The task's heading on top if its hints fit below it, else the newest hint
            // at the bottom.
            let top = wrapped_rows(&lines[..first.min(lines.len())], body.width);
            let bottom = wrapped_rows(&lines[..end.min(lines.len())], body.width);
            if bottom - top <= body.height {
                top
            } else {
                bottom - body.height
            }
        }
        _ => lesson.scroll,
    };
    let scroll = wanted.min(max);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
    let theme = v.theme;
    let mut spans = Vec::new();
    for (k, what) in hints(v) {
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    if max > 0 {
        spans.push(Span::styled(
            if covers_editor(v.wide, v.lesson) {
                "↑↓ scroll"
            } else {
                "[ ] scroll"
            },
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), keys);
}

/// How many rows `lines` take wrapped at `width`, word by word as the panel's paragraph
/// wraps them (a word longer than the width is broken), so scrolling to the hints lands on
/// them and stops at the end of the text.
fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let mut rows = 0usize;
    for l in lines {
        let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        rows += rows_of(&text, w);
    }
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Rows of one line under greedy word wrap at `w` columns.
fn rows_of(text: &str, w: usize) -> usize {
    let mut rows = 1;
    let mut col = 0usize;
    for word in text.split(' ') {
        let len = Span::raw(word).width();
        let gap = usize::from(col > 0);
        if col + gap + len <= w {
            col += gap + len;
            continue;
        }
        if col > 0 {
            rows += 1;
        }
        // A word wider than the row is broken over as many rows as it needs.
        rows += len.saturating_sub(1) / w;
        col = match len % w {
            0 if len > 0 => w,
            r => r,
        };
    }
    rows
}

fn text(s: &str) -> String {
    sanitize_for_display(s).into_owned()
}

/// A lesson text as lines: the lines of a paragraph joined (the file wraps them at its
/// own width), paragraphs kept apart by a blank line.
fn prose(s: &str) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for para in s.trim().split("\n\n") {
        let joined: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if joined.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::raw(text(&joined.join(" "))));
    }
    out
}

/// The tasks block: a heading and one line per task, ✓ or ✗, cut to the width.
fn task_rows(v: &View, lesson: &LessonMode, width: u16) -> Vec<Line<'static>> {
    let theme = v.theme;
    let (p, n) = lesson.graded.counts();
    let mut out = vec![Line::from(Span::styled(
        if lesson.graded_revision.is_none() {
            "Tasks (checking…)".to_string()
        } else {
            format!("Tasks: {p} of {n} done")
        },
        theme.title(),
    ))];
    let w = usize::from(width.saturating_sub(4));
    for (i, t) in lesson.graded.tasks.iter().enumerate() {
        let (mark, style) = if t.passed {
            ("✓ ", theme.ok())
        } else {
            ("✗ ", theme.severity(Severity::Error))
        };
        out.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(super::widgets::field::truncate(
                &format!("{} {}", i + 1, text(&t.text)),
                w,
            )),
        ]));
    }
    if !lesson.graded.errors.is_empty() && p == n && n > 0 {
        out.push(Line::from(Span::styled(
            format!(
                "✗ {} error finding{} left (step 5)",
                lesson.graded.errors.len(),
                if lesson.graded.errors.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            theme.severity(Severity::Error),
        )));
    }
    out
}

/// The revealed hints of task `i`.
fn hint_lines(v: &View, lesson: &LessonMode, i: usize, out: &mut Vec<Line<'static>>) {
    let theme = v.theme;
    let hints = lesson.info.tasks.get(i).map_or(&[][..], |t| &t.hints[..]);
    let shown = lesson
        .hints_revealed
        .get(i)
        .copied()
        .unwrap_or(0)
        .min(hints.len());
    for (n, h) in hints.iter().take(shown).enumerate() {
        out.push(Line::from(vec![
            Span::styled(
                format!("hint {}/{} ({}): ", n + 1, hints.len(), text(&h.level)),
                theme.key(),
            ),
            Span::raw(text(
                &h.text.split_whitespace().collect::<Vec<_>>().join(" "),
            )),
        ]));
    }
}

/// The lesson view: the goal, the story, then each task that does not hold with why and
/// its hints. Returns the lines and where the task `h` serves begins and its hints end.
fn task_lines(v: &View, lesson: &LessonMode) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let theme = v.theme;
    let mut out = vec![Line::from(vec![
        Span::styled("Goal: ", theme.title()),
        Span::raw(text(lesson.info.goal.trim())),
    ])];
    out.push(Line::raw(""));
    out.extend(prose(&lesson.info.story));
    for m in &lesson.info.messages {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(
            "The function failed with:",
            theme.title(),
        )));
        out.push(Line::raw(text(m.trim())));
    }
    let mut anchor = None;
    for (i, t) in lesson.graded.tasks.iter().enumerate() {
        if t.passed {
            continue;
        }
        out.push(Line::raw(""));
        let first = out.len();
        out.push(Line::from(vec![
            Span::styled("✗ ", theme.severity(Severity::Error)),
            Span::styled(format!("{} {}", i + 1, text(&t.text)), theme.title()),
        ]));
        for w in t.why.iter().take(2) {
            out.push(Line::from(Span::styled(text(w), theme.dim())));
        }
        hint_lines(v, lesson, i, &mut out);
        anchor.get_or_insert((first, out.len()));
    }
    if lesson.graded.tasks.iter().all(|t| t.passed) && !lesson.graded.errors.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(
            "Every task holds; the lesson ends when no error is left:",
            theme.severity(Severity::Error),
        )));
        for e in &lesson.graded.errors {
            out.push(Line::raw(text(e)));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Stuck? h gives a hint for the first ✗ task: a nudge, a pointer, then the answer.",
        theme.dim(),
    )));
    (out, anchor)
}

fn calls_lines(v: &View, lesson: &LessonMode) -> Vec<Line<'static>> {
    let theme = v.theme;
    let calls = &lesson.graded.calls;
    let denied = calls.iter().filter(|c| !c.allowed).count();
    let mut out = vec![Line::from(Span::styled(
        format!(
            "The function runs with your role: {} call{}, {denied} denied",
            calls.len(),
            if calls.len() == 1 { "" } else { "s" }
        ),
        theme.title(),
    ))];
    if calls.is_empty() {
        out.push(Line::raw("This lesson scripts no calls."));
    }
    // In the order the function makes them; an allowed call takes one row (its name), a denied one
    // says what AWS would answer and why.
    let mut after_denied = true;
    for c in calls {
        if c.allowed {
            if after_denied {
                out.push(Line::raw(""));
            }
            after_denied = false;
            out.push(Line::from(vec![
                Span::styled("✓ ", theme.ok()),
                Span::styled(text(&c.label), theme.ok()),
                Span::styled("  allowed", theme.dim()),
            ]));
            continue;
        }
        after_denied = true;
        out.push(Line::raw(""));
        let style = theme.severity(Severity::Error);
        out.push(Line::from(vec![
            Span::styled("✗ ", style),
            Span::styled(text(&c.label), style),
        ]));
        out.push(Line::from(Span::styled(text(&c.request), theme.dim())));
        if let Some(m) = &c.message {
            out.push(Line::raw(text(m)));
        }
        for w in &c.why {
            out.push(Line::from(Span::styled(
                format!("why: {}", text(w)),
                theme.dim(),
            )));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Change the role in the editor: the calls are played again on every change.",
        theme.dim(),
    )));
    out
}

fn complete_lines(v: &View, lesson: &LessonMode) -> Vec<Line<'static>> {
    let theme = v.theme;
    let mut out = vec![
        Line::from(Span::styled(
            "✓ Lesson complete: every task holds and no error is left.",
            theme.ok(),
        )),
        Line::raw(""),
        Line::from(Span::styled("What you learned", theme.title())),
    ];
    out.extend(prose(&lesson.info.learned));
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Your progress is saved. q quits; `rolesmith learn` lists the other lessons.",
        theme.dim(),
    )));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_word_wrap() {
        assert_eq!(rows_of("", 10), 1);
        assert_eq!(rows_of("abc def", 10), 1);
        assert_eq!(rows_of("abcde fghij", 10), 2);
        assert_eq!(rows_of("abcdefghijklmnopqrstuvwxyz", 10), 3);
        assert_eq!(rows_of("ab abcdefghijklmnopqrst", 10), 3);
    }
}
