//! What the "Add by API call" page draws: the call being typed with its completions (or the
//! chosen operation), the actions it needs, ticked or opt-in with why, and an ARN builder per
//! resource; all read from the page's state and a [`View`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{ByCall, COMPLETIONS, EXAMPLES, Focus, Row};
use crate::catalog::AccessLevel;
use crate::tui::context::View;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{FieldKind, draw_form, truncate};

/// `iam:PassedToService = lambda.amazonaws.com`.
fn context_text(context: &[(String, Vec<String>)]) -> String {
    context
        .iter()
        .map(|(k, v)| format!("{k} = {}", v.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The short name of an access level, for the action rows (the detail line has the full one).
fn access_label(a: Option<AccessLevel>) -> &'static str {
    match a {
        Some(AccessLevel::List) => "List",
        Some(AccessLevel::Read) => "Read",
        Some(AccessLevel::Write) => "Write",
        Some(AccessLevel::PermissionsManagement) => "Perm. mgmt",
        Some(AccessLevel::Tagging) => "Tagging",
        None => "unknown",
    }
}

pub(in crate::tui::steps::permissions) fn draw(
    v: &View,
    p: &ByCall,
    frame: &mut Frame,
    area: Rect,
    focused: bool,
) {
    let theme = v.theme;
    let on_call = p.focus == Focus::Call;
    let width = area.width as usize;
    // Candidates: a list while the call is being typed, the chosen one afterwards.
    let room = (area.height as usize).saturating_sub(8) / 3;
    let shown_candidates = if on_call {
        p.candidates.len().min(room.clamp(1, COMPLETIONS))
    } else {
        p.candidates.len().min(1)
    };
    let message_h = match (&p.message, p.candidates.is_empty()) {
        // Nothing else to show: the whole message, nearest names and all.
        (Some(_), true) => area.height.saturating_sub(3).max(1),
        (Some(_), false) => 1,
        (None, true) => 1,
        (None, false) => 0,
    };
    let [call_area, cand_area, msg_area, list_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(shown_candidates as u16),
        Constraint::Length(message_h),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area);
    draw_form(frame, call_area, &p.call, focused && on_call, 5, theme);

    // The candidates, scrolled so the picked one shows.
    let offset = (p.picked + 1).saturating_sub(shown_candidates.max(1));
    let lines: Vec<Line> = p
        .candidates
        .iter()
        .enumerate()
        .skip(if on_call { offset } else { p.picked })
        .take(shown_candidates)
        .map(|(i, c)| {
            let mark = if i == p.picked { "→ " } else { "  " };
            let style = if i == p.picked {
                theme.title()
            } else {
                theme.text()
            };
            let mut also = c.sdk.clone();
            if let Some(cli) = &c.cli {
                also.push_str(" · ");
                also.push_str(cli);
            }
            let label = c.label();
            let rest = width.saturating_sub(label.chars().count() + 4);
            Line::from(vec![
                Span::styled(mark, theme.key()),
                Span::styled(truncate(&label, width.saturating_sub(2)), style),
                Span::styled(format!("  {}", truncate(&also, rest)), theme.dim()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), cand_area);
    let msg = match (&p.message, p.call.value(0).trim().is_empty()) {
        (Some(m), _) => Some(m.clone()),
        (None, true) => Some(EXAMPLES.to_string()),
        (None, false) => None,
    };
    if let Some(m) = msg {
        let style = if p.candidates.is_empty() && !p.call.value(0).trim().is_empty() && !p.waiting {
            theme.error()
        } else {
            theme.dim()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(sanitize_for_display(&m).into_owned(), style))
                .wrap(Wrap { trim: true }),
            msg_area,
        );
    }

    let Some(d) = &p.detail else {
        return;
    };
    let rows = p.rows();
    let focused_row = match p.focus {
        Focus::Row(i) => rows.get(i).copied(),
        Focus::Call => None,
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor: Option<(usize, usize)> = None;
    let marker = |row: Row| {
        if focused_row == Some(row) {
            Span::styled("▶", theme.key())
        } else {
            Span::raw(" ")
        }
    };
    let row_style = |row: Row| {
        if focused_row == Some(row) && focused {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        }
    };
    lines.push(Line::from(Span::styled(
        "Actions — Space ticks; unticked: some requests only",
        theme.dim(),
    )));
    let name_w = d
        .actions
        .iter()
        .map(|a| a.action.chars().count())
        .max()
        .unwrap_or(0)
        .min(width * 2 / 5)
        .max(8);
    for (i, a) in d.actions.iter().enumerate() {
        let row = Row::Action(i);
        if focused_row == Some(row) {
            focus_line = lines.len();
        }
        let tick = match (a.in_catalog, a.ticked) {
            (false, _) => "[-] ",
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
        };
        // The row has room for the reason only; the line under the list says it in full.
        let mut what = match &a.when {
            None => "needed".to_string(),
            Some(w) => w.strip_prefix("the request ").unwrap_or(w).to_string(),
        };
        if !a.context.is_empty() {
            what = format!("{what}, if {}", context_text(&a.context));
        }
        let used = 1 + 4 + name_w + 1 + 11;
        let mut l = Line::from(vec![
            marker(row),
            Span::raw(tick),
            Span::styled(
                format!("{} ", crate::tui::widgets::text::pad(&a.action, name_w)),
                if a.ticked {
                    theme.title()
                } else {
                    theme.text()
                },
            ),
            Span::styled(format!("{:<10} ", access_label(a.access)), theme.dim()),
            Span::styled(
                truncate(&what, width.saturating_sub(used)),
                if a.when.is_none() {
                    theme.ok()
                } else {
                    theme.dim()
                },
            ),
        ]);
        l.style = row_style(row);
        lines.push(l);
    }
    let active: Vec<usize> = (0..d.resources.len()).filter(|r| p.active(*r)).collect();
    if !active.is_empty() {
        lines.push(Line::from(Span::styled(
            "Resources (one ARN each, checked as you type)",
            theme.dim(),
        )));
    }
    let label_w = active
        .iter()
        .map(|r| d.resources[*r].name.chars().count())
        .max()
        .unwrap_or(0)
        .min(22)
        .min(width / 3);
    let mut focus_end = 0usize;
    for r in active {
        let res = &d.resources[r];
        if res.is_star() {
            lines.push(Line::from(vec![
                Span::raw("  *   "),
                Span::styled(
                    truncate(
                        &format!("{}: these take only \"*\"", res.actions.join(", ")),
                        width.saturating_sub(6),
                    ),
                    theme.dim(),
                ),
            ]));
            continue;
        }
        let row = Row::Include(r);
        if focused_row == Some(row) {
            focus_line = lines.len();
        }
        let included = p.included(r);
        let mut l = Line::from(vec![
            marker(row),
            Span::raw(if included { "[x] " } else { "[ ] " }),
            Span::styled(
                format!("{} ", crate::tui::widgets::text::pad(&res.name, label_w)),
                theme.title(),
            ),
            Span::styled(
                truncate(&res.template, width.saturating_sub(label_w + 6)),
                theme.dim(),
            ),
        ]);
        l.style = row_style(row);
        lines.push(l);
        if !included {
            continue;
        }
        let field_w = res
            .form
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(10, 18)
            .min(width / 3);
        for (k, f) in res.form.fields.iter().enumerate() {
            let row = Row::Field(r, k);
            let is_focus = focused_row == Some(row);
            if is_focus {
                focus_line = lines.len();
            }
            let indent = 6;
            let value_w = width.saturating_sub(indent + field_w + 1).max(1);
            let (shown, cur) = match &f.kind {
                FieldKind::Text(input) => {
                    let scroll = input.visual_scroll(value_w.saturating_sub(1));
                    let s: String = input.value().chars().skip(scroll).collect();
                    let s: String = sanitize_for_display(&s).chars().take(value_w).collect();
                    (s, input.visual_cursor().saturating_sub(scroll))
                }
                _ => (String::new(), 0),
            };
            if is_focus && focused {
                cursor = Some((lines.len(), indent + field_w + 1 + cur));
            }
            let value = if shown.is_empty() && !is_focus {
                Span::styled("·", theme.dim())
            } else {
                Span::styled(
                    shown,
                    if is_focus {
                        theme.title()
                    } else {
                        theme.text()
                    },
                )
            };
            let mut l = Line::from(vec![
                marker(row),
                Span::raw("     "),
                Span::styled(
                    format!("{} ", crate::tui::widgets::text::pad(&f.label, field_w)),
                    theme.text(),
                ),
                value,
            ]);
            l.style = row_style(row);
            lines.push(l);
        }
        let result = match res.compose(v.catalog) {
            Ok(arn) => Span::styled(
                truncate(&format!("→ {arn}"), width.saturating_sub(6)),
                theme.ok(),
            ),
            Err(e) => Span::styled(
                truncate(&format!("✗ {e}"), width.saturating_sub(6)),
                theme.error(),
            ),
        };
        lines.push(Line::from(vec![Span::raw("      "), result]));
        // With the focus in this resource, its ARN line shows too.
        if matches!(focused_row, Some(Row::Include(x) | Row::Field(x, _)) if x == r) {
            focus_end = lines.len() - 1;
        }
    }
    let h = list_area.height as usize;
    let skip = (focus_end.max(focus_line) + 1)
        .saturating_sub(h)
        .min(focus_line);
    if let Some((line, col)) = cursor
        && line >= skip
        && line - skip < h
    {
        frame.set_cursor_position(Position::new(
            list_area.x + (col as u16).min(list_area.width.saturating_sub(1)),
            list_area.y + (line - skip) as u16,
        ));
    }
    let visible: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(visible), list_area);

    // Under the list: the whole text of the focused row.
    let detail = match focused_row {
        Some(Row::Action(i)) => d.actions.get(i).map(|a| {
            let level = a
                .access
                .map_or("not in the loaded catalog".to_string(), |l| l.to_string());
            let mut s = format!("{} · {level} · ", a.action);
            match &a.when {
                None => s.push_str("needed by every call"),
                Some(w) => s.push_str(&format!("only when {w}")),
            }
            if !a.context.is_empty() {
                s.push_str(&format!(
                    "; added with the condition {} (StringEquals), as AWS states it",
                    context_text(&a.context)
                ));
            }
            if a.curated {
                s.push_str(" (rolesmith's notes)");
            }
            s
        }),
        Some(Row::Include(r)) => d.resources.get(r).map(|res| {
            format!(
                "{}: {} for {}",
                res.name,
                res.template,
                res.actions.join(", ")
            )
        }),
        Some(Row::Field(r, k)) => d.resources.get(r).and_then(|res| {
            let f = res.form.fields.get(k)?;
            let arn = match res.compose(v.catalog) {
                Ok(arn) => format!("→ {arn}"),
                Err(e) => format!("✗ {e}"),
            };
            Some(format!(
                "{}{} {arn}",
                f.label,
                f.hint
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ))
        }),
        None => Some(if d.notes.is_empty() {
            "Enter: on to the actions and resources; Enter there adds the statements".to_string()
        } else {
            d.notes.join(" ")
        }),
    };
    if let Some(text) = detail {
        frame.render_widget(
            Paragraph::new(Span::styled(
                sanitize_for_display(&text).into_owned(),
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            detail_area,
        );
    }
}
