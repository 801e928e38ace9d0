//! The Check panel of the Review step: does the role do what its author says it must?
//!
//! It lists who the role is for (`assumed_by`) and every `[[expect]]` entry, each ✓ or ✗ as
//! the evaluation engine decides it for the role as it is now, with the engine's why. The
//! results come from [`crate::tui::preview::Preview::check`], built with the rest of the
//! preview (on the preview worker for large roles), so checking never costs a keystroke.
//!
//! Keys (Check tab of Review): `a` adds an expectation, `d` removes the selected one, `m`
//! reads a pasted AccessDenied message, `f` proposes the least statement for a failing
//! "must be allowed". The questions themselves live in [`super::check_modal`].
//!
//! [`readiness`] is the line above both tabs: what is still missing before the role can be
//! exported, or "ready" when nothing is.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::eval::{Decision, RoleCheck};
use crate::role::RoleSpec;

use super::action::Action;
use super::app::App;
use super::check_modal;
use super::findings::{Severity, UiFinding};
use super::sanitize::sanitize_for_display;
use super::widgets::field::truncate;
use super::widgets::list::draw_list;

/// Which expectation a row of the panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckItem {
    /// `assumed_by[i]`: this principal must be able to assume the role.
    AssumedBy(usize),
    /// `[[expect]]` entry i (its index in the role file).
    Expect(usize),
}

/// One row: what is expected, whether it holds, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    pub item: CheckItem,
    pub passed: bool,
    /// `may lambda.amazonaws.com assume it` / `allow s3:PutObject on arn:…`.
    pub text: String,
    /// The engine's why: the decision, the deciding (or nearest) statements, the reasons.
    pub why: Vec<String>,
}

/// The panel's UI state.
#[derive(Clone, Debug, Default)]
pub struct CheckPanel {
    /// Index into [`rows`].
    pub selected: usize,
}

/// The rows of the panel: who the role is for first, then the `[[expect]]` entries.
pub fn rows(check: &RoleCheck) -> Vec<CheckRow> {
    let mut out = Vec::new();
    for a in &check.assumed_by {
        let mut why = vec![format!(
            "{} may {}assume the role: {}",
            a.principal,
            if a.passed { "" } else { "not " },
            a.evaluation.decision.as_str()
        )];
        why.extend(a.evaluation.statements.iter().map(|s| s.describe()));
        why.extend(a.evaluation.reasons.iter().cloned());
        if !a.passed {
            why.push(
                "the role is for it (Who is it for, step 1): let it in on step 2, Trust".into(),
            );
        }
        out.push(CheckRow {
            item: CheckItem::AssumedBy(a.index),
            passed: a.passed,
            text: format!("{} can assume it", a.principal),
            why,
        });
    }
    for e in &check.expectations {
        let mut why = vec![if e.passed {
            format!("{}: as expected", e.evaluation.decision.as_str())
        } else {
            e.message()
        }];
        let by = match e.evaluation.decision {
            Decision::ImplicitDeny => "nearest",
            _ => "by",
        };
        why.extend(
            e.evaluation
                .statements
                .iter()
                .map(|s| format!("{by}: {}", s.describe())),
        );
        // The first reason is already in the message of a failed one.
        let skip = usize::from(!e.passed);
        why.extend(e.evaluation.reasons.iter().skip(skip).cloned());
        if let Some(w) = e.expectation.why.as_ref().filter(|_| e.passed) {
            why.push(format!("expected because: {w}"));
        }
        out.push(CheckRow {
            item: CheckItem::Expect(e.index),
            passed: e.passed,
            text: e.expectation.describe(),
            why,
        });
    }
    out
}

/// What still stands between the role and an export; empty when nothing does.
pub fn missing(role: &RoleSpec, findings: &[UiFinding], check: &RoleCheck) -> Vec<String> {
    let mut out = Vec::new();
    let grants =
        role.policies.iter().any(|p| !p.statements.is_empty()) || !role.managed_policies.is_empty();
    if role.name.trim().is_empty() {
        out.push("a name (step 1)".to_string());
    }
    if role.trust.is_empty() && role.trust.document.is_none() {
        out.push("who may assume it (step 2, Trust)".to_string());
    }
    if !grants {
        out.push("permissions: nothing is granted yet (step 3 or 4)".to_string());
    }
    for a in check.assumed_by.iter().filter(|a| !a.passed) {
        out.push(format!(
            "a trust that lets {} in (who it is for)",
            a.principal
        ));
    }
    let failing = check.expectations.iter().filter(|e| !e.passed).count();
    if failing > 0 {
        out.push(format!(
            "{failing} failing expectation{} (Check)",
            plural(failing)
        ));
    }
    // Errors not already said above.
    let covered = [
        "expectation-failed",
        "trust-principal-missing",
        "missing-element",
    ];
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !covered.contains(&f.code.as_str()))
        .filter(|f| !(f.code == "invalid-role" && role.name.trim().is_empty()))
        .count();
    if errors > 0 {
        out.push(format!(
            "{errors} error{} to fix (Findings)",
            plural(errors)
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The readiness line: "Ready to export" only when nothing is missing.
pub fn readiness(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let missing = missing(&app.role, &app.preview.findings, &app.preview.check);
    if missing.is_empty() {
        let (_, w, _) = app.preview.counts;
        let mut text = "Ready to export: nothing is missing.".to_string();
        if w > 0 {
            text.push_str(&format!(" Read the {w} warning{} first.", plural(w)));
        }
        return Line::from(Span::styled(text, theme.ok()));
    }
    Line::from(vec![
        Span::styled("Not ready, missing: ", theme.error()),
        Span::raw(missing.join("; ")),
    ])
}

/// [`readiness`] wrapped into `height` rows of `width` cells; what does not fit ends the last
/// row with `…` (and `v` shows it whole).
pub fn readiness_lines(app: &App, width: u16, height: u16) -> Vec<Line<'static>> {
    use crate::tui::widgets::text;
    let line = readiness(app);
    let Some(first) = line.spans.first() else {
        return Vec::new();
    };
    let (lead, lead_style) = (first.content.to_string(), first.style);
    let plain: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (w, h) = (width.max(1) as usize, height.max(1) as usize);
    let mut rows = text::wrap(&plain, w);
    if rows.len() > h {
        let rest = rows[h - 1..].join(" ");
        rows.truncate(h - 1);
        rows.push(text::fit(&rest, w));
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            // The lead ("Not ready, missing: ") keeps its colour on the first row.
            let lead = lead.trim_end();
            match row.strip_prefix(lead) {
                Some(after) if i == 0 => Line::from(vec![
                    Span::styled(lead.to_string(), lead_style),
                    Span::raw(after.to_string()),
                ]),
                _ if line.spans.len() == 1 => Line::from(Span::styled(row, lead_style)),
                _ => Line::raw(row),
            }
        })
        .collect()
}

/// The counts for the tab title: passed and failed.
pub fn counts(check: &RoleCheck) -> (usize, usize) {
    let passed = check.expectations.iter().filter(|e| e.passed).count()
        + check.assumed_by.iter().filter(|a| a.passed).count();
    let total = check.expectations.len() + check.assumed_by.len();
    (passed, total - passed)
}

/// Keys of the Check tab; true when used.
pub fn handle(app: &mut App, action: Action) -> bool {
    let rows = rows(&app.preview.check);
    let last = rows.len().saturating_sub(1);
    let panel = &mut app.steps.review.check;
    if let Some(i) = crate::tui::widgets::list::list_move(action, panel.selected, rows.len()) {
        panel.selected = i;
        return true;
    }
    match action {
        Action::Add => check_modal::open_add(app),
        Action::PasteDenied => check_modal::open_denied(app),
        Action::Delete => {
            let Some(row) = rows.get(panel.selected.min(last)) else {
                app.info("no expectation to remove");
                return true;
            };
            remove(app, row.item);
        }
        Action::ApplyFix | Action::Confirm => {
            let Some(row) = rows.get(app.steps.review.check.selected.min(last)) else {
                return true;
            };
            match row.item {
                CheckItem::AssumedBy(_) if !row.passed => {
                    app.go_to(super::steps::Step::Trust);
                    app.info("let who the role is for assume it here");
                }
                CheckItem::Expect(i) if !row.passed => check_modal::propose_for(app, i),
                _ => app.info("this one holds: nothing to fix"),
            }
        }
        _ => return false,
    }
    true
}

/// Removes one expectation from the role (one undo step, as every change).
fn remove(app: &mut App, item: CheckItem) {
    let what = match item {
        CheckItem::AssumedBy(i) if i < app.role.assumed_by.len() => {
            let p = app.role.assumed_by.remove(i);
            app.steps.role = super::steps::role::RoleStep::new(&app.role);
            format!("{p} is no longer who the role is for")
        }
        CheckItem::Expect(i) if i < app.role.expectations.len() => {
            app.role.expectations.remove(i);
            "expectation removed".to_string()
        }
        _ => return,
    };
    app.role_changed();
    let n = rows(&app.preview.check).len();
    let panel = &mut app.steps.review.check;
    panel.selected = panel.selected.min(n.saturating_sub(1));
    app.info(format!("{what} (u undoes)"));
}

/// Draws the Check tab into `area`.
pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let rows = rows(&app.preview.check);
    let detail_h = if area.height >= 14 { 7 } else { 4 };
    let [list, detail] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail_h)]).areas(area);
    if rows.is_empty() {
        let text = vec![
            Line::raw(
                "No expectations yet: say what the role must (not) do, and rolesmith checks it as you edit.",
            ),
            Line::raw(""),
            Line::from(vec![
                Span::styled("a", theme.key()),
                Span::raw(" add one (\"allow s3:PutObject on arn:aws:s3:::bucket/key\")"),
            ]),
            Line::from(vec![
                Span::styled("m", theme.key()),
                Span::raw(" paste an AccessDenied message to fix it"),
            ]),
            Line::raw("Who the role is for (step 1) is checked here too."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let width = list.width.saturating_sub(4) as usize;
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| {
            let (mark, style) = if r.passed {
                ("✓ ", theme.ok())
            } else {
                ("✗ ", theme.severity(Severity::Error))
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::raw(truncate(&sanitize_for_display(&r.text), width)),
            ])
        })
        .collect();
    let sel = app.steps.review.check.selected.min(rows.len() - 1);
    draw_list(frame, list, &lines, sel, focused, theme);
    let row = &rows[sel];
    let mut text: Vec<Line> = vec![Line::from(vec![
        Span::styled(
            if row.passed {
                "✓ holds: "
            } else {
                "✗ fails: "
            },
            if row.passed {
                theme.ok()
            } else {
                theme.severity(Severity::Error)
            },
        ),
        Span::raw(sanitize_for_display(&row.text).into_owned()),
    ])];
    text.extend(
        row.why
            .iter()
            .map(|w| Line::raw(sanitize_for_display(w).into_owned())),
    );
    frame.render_widget(
        Paragraph::new(super::widgets::text::fit_rows(
            text,
            detail.width,
            detail.height,
        )),
        detail,
    );
}

/// Status line keys of the Check tab.
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let rows = rows(&app.preview.check);
    let failing_allow = rows
        .get(app.steps.review.check.selected)
        .is_some_and(|r| !r.passed && matches!(r.item, CheckItem::Expect(_)));
    let mut v = vec![
        ("←→", "findings/check"),
        ("a", "add"),
        ("m", "AccessDenied"),
    ];
    if !rows.is_empty() {
        v.push(("d", "remove"));
    }
    if failing_allow {
        v.push(("f", "fix"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::role::parse_role_text;

    const ROLE: &str = r#"
name = "r"
assumed_by = ["lambda.amazonaws.com"]
[trust]
services = ["ec2.amazonaws.com"]
[[policy]]
name = "p"
[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::b"]
[[expect]]
allow = "s3:PutObject"
resource = "arn:aws:s3:::b/k"
"#;

    #[test]
    fn rows_say_what_fails_and_why() {
        let role = parse_role_text("r.toml", ROLE).unwrap();
        let check = crate::eval::check_role(&role, None, Some(Catalog::embedded()));
        let rows = rows(&check);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].item, CheckItem::AssumedBy(0));
        assert!(!rows[0].passed);
        assert!(!rows[1].passed);
        assert!(
            rows[1].why[0].contains("arn:aws:s3:::b/*"),
            "{:?}",
            rows[1].why
        );
        let missing = missing(&role, &[], &check);
        assert_eq!(
            missing,
            vec![
                "a trust that lets lambda.amazonaws.com in (who it is for)",
                "1 failing expectation (Check)"
            ]
        );
    }

    #[test]
    fn an_empty_role_is_not_ready() {
        let role = RoleSpec::default();
        let m = missing(&role, &[], &RoleCheck::default());
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[2].contains("nothing is granted"));
    }
}
