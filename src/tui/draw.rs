//! Drawing the whole screen from `&App`. Nothing here changes state.
//!
//! Wide terminals (≥ 110 columns) get three columns: steps, the step pane, the preview.
//! Narrower ones stack the preview under the step pane (`z` gives it the whole right
//! side). Below the minimum size a message says how much room is needed.

use crate::export::ExportFormat;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::Action;
use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Modal, Pane, PreviewTab, StatusKind};
use super::findings::Severity;
use super::keymap::Context;
use super::layout::{ScreenLayout, tab_spans};
use super::sanitize::sanitize_for_display;
use super::steps::{self, Step};
use super::widgets::field::truncate;
use super::widgets::json_preview::{draw_json_highlighted, size_meter};
pub(crate) use super::widgets::pane::pane_block;
use super::widgets::text::{self, fit};

/// Draws the app into the frame.
pub(crate) fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    // Decided from the frame, not from the last resize, so any size draws consistently; the
    // mouse hit-tests against the same computation (`tui::layout`).
    let layout = ScreenLayout::compute(area, app.preview_zoom, app.main_zoom, lesson_panel(app));
    super::widgets::list::forget_drawn();
    if layout.too_small {
        draw_too_small(app, frame, area);
        return;
    }
    draw_steps(app, frame, layout.steps, layout.wide);
    if let Some(main) = layout.main {
        draw_main(app, frame, main);
    }
    if let Some(panel) = layout.lesson {
        super::lesson_panel::draw(&app.view(), frame, panel);
    }
    if let Some(preview) = layout.preview {
        draw_preview(app, frame, preview, &layout);
    }
    draw_status(app, frame, layout.status);
    match &app.modal {
        Some(Modal::Help) => draw_help(app, frame, area),
        Some(other) => super::overlays::draw(&app.view(), frame, area, other),
        None => {}
    }
    super::sanitize::sanitize_buffer(frame.buffer_mut());
}

/// Lesson mode with its panel shown (`tui::lesson`).
pub(crate) fn lesson_panel(app: &App) -> bool {
    app.lesson.as_ref().is_some_and(|l| l.show_panel)
}

fn draw_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(Span::styled("Terminal too small", app.theme.title())),
        Line::raw(format!(
            "need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        )),
        Line::raw("enlarge it, or press q to quit"),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_steps(app: &App, frame: &mut Frame, area: Rect, wide: bool) {
    let theme = &app.theme;
    let focused = app.focus == Pane::Steps && app.modal.is_none();
    let block = pane_block(&app.theme, "Steps", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    for (i, s) in Step::ALL.iter().enumerate() {
        let current = *s == app.step;
        let long = format!("{} {}", i + 1, s);
        let mut badge = step_badge(app, *s);
        // One row per step: the long name where it fits beside its count, else beside the
        // bare count ("3 Permissions 12"), else the short name ("4 Managed (1)"), cut with
        // `…` only past that.
        let width = |b: &Option<(String, ratatui::style::Style)>| {
            b.as_ref().map_or(0, |(t, _)| 1 + text::width(t))
        };
        let fits = |b: &Option<(String, ratatui::style::Style)>| {
            1 + text::width(&long) + width(b) <= inner.width as usize
        };
        if !fits(&badge) && *s != Step::Managed {
            let bare = badge
                .clone()
                .map(|(t, st)| (t.trim_matches(['(', ')']).to_string(), st));
            if fits(&bare) {
                badge = bare;
            }
        }
        let room = (inner.width as usize).saturating_sub(1 + width(&badge));
        let label = match s {
            Step::Managed if !wide || text::width(&long) > room => {
                text::fit(&format!("{} Managed", i + 1), room)
            }
            _ => text::fit(&long, room),
        };
        let style = if current && focused {
            theme.selected()
        } else if current {
            theme.selected_unfocused()
        } else {
            theme.text()
        };
        let mut spans = vec![
            Span::raw(if current { "▶" } else { " " }),
            Span::styled(label, style),
        ];
        if let Some((text, st)) = badge {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(text, st));
        }
        lines.push(Line::from(spans));
    }
    // Role name under the steps, so the user always sees which role this is.
    lines.push(Line::raw(""));
    let name = if app.role.name.is_empty() {
        "(unnamed role)".to_string()
    } else {
        sanitize_for_display(&app.role.name).into_owned()
    };
    lines.push(Line::from(Span::styled(name, theme.dim())));
    if let Some(p) = &app.path {
        let shown = sanitize_for_display(&p.display().to_string()).into_owned();
        for row in text::wrap_path(&shown, inner.width as usize) {
            lines.push(Line::from(Span::styled(row, theme.dim())));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A short count after a step name: trust entries, statements, policies, findings.
fn step_badge(app: &App, s: Step) -> Option<(String, ratatui::style::Style)> {
    let theme = &app.theme;
    let t = &app.role.trust;
    let n = match s {
        Step::Role => return None,
        Step::Trust => {
            t.services.len()
                + t.accounts.len()
                + t.roles.len()
                + t.users.len()
                + t.github.len()
                + t.oidc.len()
                + t.saml.len()
                + usize::from(t.document.is_some())
        }
        Step::Permissions => steps::permissions::statement_refs(&app.role).len(),
        Step::Managed => app.role.managed_policies.len(),
        Step::Review => {
            let (e, w, sg) = app.preview.counts;
            let worst = if e > 0 {
                Severity::Error
            } else if w > 0 {
                Severity::Warning
            } else {
                Severity::Suggestion
            };
            let total = e + w + sg;
            return (total > 0).then(|| (format!("({total})"), theme.severity(worst)));
        }
        Step::Export => return None,
    };
    (n > 0).then(|| (format!("({n})"), theme.dim()))
}

fn draw_main(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Main && app.modal.is_none();
    let title = steps::title(&app.view());
    let block = pane_block(&app.theme, &title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    steps::draw(&app.view(), frame, inner, focused);
}

fn draw_preview(app: &App, frame: &mut Frame, area: Rect, layout: &ScreenLayout) {
    let theme = &app.theme;
    let focused = app.focus == Pane::Preview && app.modal.is_none();
    let block = pane_block(&app.theme, "Preview", focused);
    frame.render_widget(block, area);
    let Some(parts) = layout.preview_parts() else {
        return;
    };
    let (tabs, meter, body) = (parts.tabs, parts.meter, parts.body);
    let tab = |t: PreviewTab, label: &str| {
        let style = if t == app.preview_tab {
            if focused {
                theme.selected()
            } else {
                theme.title()
            }
        } else {
            theme.dim()
        };
        Span::styled(format!(" {label} "), style)
    };
    // Laid out as `tui::layout::tab_spans` measures it, which the mouse hit-tests.
    let labels = tab_labels(app);
    let mut tab_line = Vec::new();
    for ((t, label), (_, start, _)) in labels.into_iter().zip(tab_spans(labels)) {
        if start > 0 {
            tab_line.push(Span::raw(" "));
        }
        tab_line.push(tab(t, label));
    }
    let hint = "  p switches";
    let used: usize = tab_line.iter().map(|s| s.content.chars().count()).sum();
    if used + hint.len() <= tabs.width as usize {
        tab_line.push(Span::styled(hint, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(tab_line)), tabs);
    let p = &app.preview;
    let (doc, line) = match app.preview_tab {
        PreviewTab::Trust => (
            &p.trust,
            size_meter("size", p.trust_size, p.trust_quota(), meter.width, theme),
        ),
        PreviewTab::Permissions => (
            &p.permissions,
            size_meter(
                "inline total",
                p.inline_size,
                p.inline_quota(),
                meter.width,
                theme,
            ),
        ),
        PreviewTab::Export => (
            &p.export,
            Line::from(Span::styled(
                truncate(
                    "as the Export step writes it (pick the format there)",
                    meter.width as usize,
                ),
                theme.dim(),
            )),
        ),
    };
    frame.render_widget(Paragraph::new(line), meter);
    draw_json_highlighted(
        frame,
        body,
        &doc.lines,
        &doc.marks,
        app.preview_scroll,
        super::overlays::highlighted_lines(&app.view()),
        theme,
    );
}

fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let (e, w, s) = app.preview.counts;
    let mut right = vec![
        Span::styled(format!("E{e}"), theme.severity(Severity::Error)),
        Span::raw(" "),
        Span::styled(format!("W{w}"), theme.severity(Severity::Warning)),
        Span::raw(" "),
        Span::styled(format!("S{s}"), theme.severity(Severity::Suggestion)),
    ];
    if app.dirty {
        right.insert(0, Span::styled("● unsaved  ", theme.title()));
    }
    if let Some(badge) = super::lesson_panel::status_badge(&app.view()) {
        right.insert(0, Span::styled(badge, theme.title()));
    }
    let right_w: u16 = right.iter().map(|s| s.width() as u16).sum();
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w + 1)]).areas(area);
    let left: Line = match &app.status {
        Some((msg, kind)) => Line::from(Span::styled(
            // Cut with `…` (and `v` shows it whole) rather than lost at the edge.
            fit(msg, left_area.width as usize),
            match kind {
                StatusKind::Info => theme.ok(),
                StatusKind::Error => theme.error(),
            },
        )),
        None => {
            // The mode first (guide §8 "Focus"), then the hints by importance.
            let mut spans = Vec::new();
            let mut room = left_area.width as usize;
            if let Some(label) = app.editing_label() {
                let mode = format!(
                    "editing {} — Enter/Esc to finish  ",
                    truncate(label.trim(), 24)
                );
                room = room.saturating_sub(text::width(&mode));
                spans.push(Span::styled(mode, theme.title()));
            }
            for (k, what) in fit_hints(key_hints(app), room) {
                spans.push(Span::styled(k, theme.key()));
                spans.push(Span::styled(format!(" {what}  "), theme.dim()));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}

/// The hints that fit in `room` cells: whole hints only, the last one (help) always, the
/// others in order of importance until one does not fit (the less important ones after it
/// go first).
pub(crate) fn fit_hints(mut hints: Vec<(String, String)>, room: usize) -> Vec<(String, String)> {
    let cost = |(k, what): &(String, String)| text::width(k) + text::width(what) + 3;
    let Some(last) = hints.pop() else {
        return hints;
    };
    let mut used = cost(&last);
    let mut kept = Vec::new();
    for h in hints {
        let w = cost(&h);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(h);
    }
    kept.push(last);
    kept
}

/// The keys that work here, for the status line. The general ones are named from the
/// keymap (`Keymap::keys_for`), so a user's own bindings show.
fn key_hints(app: &App) -> Vec<(String, String)> {
    let key = |ctx: Context, action: Action, default: &str| -> String {
        app.keymap
            .keys_for(ctx, action)
            .unwrap_or(default)
            .to_string()
    };
    if app.modal.is_some() {
        return vec![(key(Context::Navigate, Action::Back, "Esc"), "close".into())];
    }
    let (_, here) = super::overlays::focused_hints(&app.view());
    // While a field is edited the mode in front says what Enter and Esc do.
    let mut hints: Vec<(String, String)> = if app.editing_label().is_some() {
        Vec::new()
    } else {
        here
    };
    // Lesson mode: its keys first, before the focused area's own.
    if app.context() == Context::Lesson {
        if super::lesson::covers_editor(app.wide(), app.lesson.as_deref()) {
            hints = vec![
                ("↑↓".into(), "scroll".into()),
                ("1-6".into(), "step".into()),
            ];
        }
        let mut lesson: Vec<(String, String)> = super::lesson_panel::hints(&app.view())
            .into_iter()
            .map(|(k, w)| (k.to_string(), w.to_string()))
            .collect();
        lesson.append(&mut hints);
        hints = lesson;
    }
    // Something on screen cut with `…`: say how to read it whole; first when it is the
    // selected row.
    if app.context() != Context::Text {
        let full = (
            key(Context::Navigate, Action::ShowFull, "v"),
            "full text".to_string(),
        );
        if super::widgets::list::focused_row_cut().is_some() {
            hints.insert(0, full);
        } else if !text::cuts_in_view().is_empty() {
            hints.push(full);
        }
    }
    // Help is always last, so it is the hint that always shows (`fit_hints`); a step that
    // named it already gets it there instead.
    let named_help = hints.iter().position(|(_, what)| what == "help");
    let named_help = named_help.map(|i| hints.remove(i));
    if app.context() == Context::Text {
        hints.push((key(Context::Text, Action::Save, "Ctrl-S"), "save".into()));
        // A step may already have said how to quit from where typing goes to a field.
        if !hints.iter().any(|(_, what)| what == "quit") {
            hints.push((key(Context::Text, Action::Quit, "Ctrl-C"), "quit".into()));
        }
        hints.push(
            named_help.unwrap_or_else(|| (key(Context::Text, Action::Help, "F1"), "help".into())),
        );
    } else {
        hints.push((key(Context::Navigate, Action::Quit, "q"), "quit".into()));
        hints.push(
            named_help
                .unwrap_or_else(|| (key(Context::Navigate, Action::Help, "?"), "help".into())),
        );
    }
    hints
}

fn draw_help(app: &App, frame: &mut Frame, area: Rect) {
    // Generated from the keymap (user overrides included); see `overlays::help_lines`.
    super::overlays::draw_help(&app.view(), frame, area);
}

/// The preview tabs in the order of the tab line, with their titles.
pub(crate) fn tab_labels(app: &App) -> [(PreviewTab, &'static str); 3] {
    [
        PreviewTab::Trust,
        PreviewTab::Permissions,
        PreviewTab::Export,
    ]
    .map(|t| (t, tab_label(app, t)))
}

/// A preview tab's title; the export tab is named after the format chosen on the Export step.
pub(crate) fn tab_label(app: &App, tab: PreviewTab) -> &'static str {
    match tab {
        PreviewTab::Trust => "Trust",
        PreviewTab::Permissions => "Permissions",
        PreviewTab::Export => match app.preview.export_format() {
            Some(ExportFormat::Json) => "JSON",
            Some(ExportFormat::Console) | None => "Console",
            Some(ExportFormat::Cli) => "CLI",
            Some(ExportFormat::CloudFormationYaml) => "CFN YAML",
            Some(ExportFormat::CloudFormationJson) => "CFN JSON",
            Some(ExportFormat::Terraform) => "Terraform",
        },
    }
}
