//! The questions the Review step asks: add an expectation, read a pasted AccessDenied message
//! and propose the statement that fixes it (shown as a diff of the policy, `y` applies), and
//! accept a finding with a reason.
//!
//! Each is one [`CheckModal`] inside [`super::app::Modal::Check`]. Every change goes through
//! the role like any other edit, so `session::after_update` records it as one undo step and
//! it is saved with the file (`[[expect]]`, a statement's `ignore`, `[lint] ignore`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::eval::denied::{Cause, Denial, parse_denial};
use crate::eval::propose::{Proposal, add_to_role, propose};
use crate::eval::{Decision, PolicySet, Request};
use crate::policy::{ConditionScalar, OneOrMany};
use crate::role::{ExpectSpec, IgnoreEntry, RoleSpec};

use super::action::Action;
use super::app::{App, Modal};
use super::draw::{centered, pane_block};
use super::findings::{DocRef, Severity};
use super::fixes::{DiffLine, diff_lines};
use super::keymap::Context;
use super::sanitize::sanitize_for_display;
use super::widgets::field::{Field, Form, draw_form};

/// A question of the Review step.
#[derive(Clone, Debug)]
pub enum CheckModal {
    /// A new `[[expect]]` entry.
    AddExpectation(Form),
    /// Paste (or type) an AccessDenied message.
    Denied(Form),
    /// What a message (or a failing expectation) says, and the statement that fixes it.
    Proposal(Box<ProposalView>),
    /// Accept finding `code` with a reason.
    Accept(Box<AcceptForm>),
}

/// The proposed statement, ready to apply.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub title: String,
    /// The parsed request and the cause, one line each.
    pub facts: Vec<String>,
    /// The policy before and after (empty when the role cannot fix it).
    pub diff: Vec<DiffLine>,
    /// The role with the statement added; `None` when adding to the role cannot help.
    pub result: Option<RoleSpec>,
    /// The other form of the fix (the wider resource, or back to the least one), which `w`
    /// swaps in; `None` when both forms are the same.
    pub alternative: Option<Box<ProposalChoice>>,
}

/// One form of a proposed fix: what is said about it, the policy diff and the resulting role.
#[derive(Clone, Debug)]
pub struct ProposalChoice {
    pub facts: Vec<String>,
    pub diff: Vec<DiffLine>,
    pub result: Option<RoleSpec>,
}

impl ProposalView {
    /// Shows the other form of the fix (`w`); nothing happens when there is only one.
    pub fn swap_form(&mut self) -> bool {
        let Some(other) = self.alternative.as_mut() else {
            return false;
        };
        std::mem::swap(&mut self.facts, &mut other.facts);
        std::mem::swap(&mut self.diff, &mut other.diff);
        std::mem::swap(&mut self.result, &mut other.result);
        true
    }
}

/// Accepting one finding.
#[derive(Clone, Debug)]
pub struct AcceptForm {
    pub code: String,
    /// Where the acceptance is written: a statement (policy, statement) or the whole role.
    pub statement: Option<(usize, usize)>,
    /// What it accepts, in words.
    pub scope: String,
    pub form: Form,
}

// Fields of the add form.
const MUST: usize = 0;
const ACTION: usize = 1;
const RESOURCE: usize = 2;
const CONTEXT: usize = 3;
const WHY: usize = 4;

impl CheckModal {
    /// How keys are read while it is open.
    pub fn context(&self) -> Context {
        match self {
            CheckModal::AddExpectation(f) | CheckModal::Denied(f) if f.editing_text() => {
                Context::Text
            }
            CheckModal::Accept(a) if a.form.editing_text() => Context::Text,
            CheckModal::Proposal(_) => Context::Confirm,
            _ => Context::Navigate,
        }
    }
}

/// `a` on the Check tab.
pub fn open_add(app: &mut App) {
    let form = Form::new(vec![
        Field::choice("Must be", &["allowed", "denied"], 0).with_hint("←→ choose; Enter goes on"),
        Field::text("Action", "").with_hint("one action, service:Action (s3:PutObject)"),
        Field::text("Resource", "").with_hint(
            "the ARN the call acts on (${Account}/${Region} filled from step 1); empty: *",
        ),
        Field::text("Context", "")
            .with_hint("optional KEY=VALUE, comma-separated (aws:SourceIp=203.0.113.7)"),
        Field::text("Why", "").with_hint("optional: shown when it fails; Enter adds it"),
    ]);
    app.modal = Some(Modal::Check(Box::new(CheckModal::AddExpectation(form))));
}

/// `m` on the Check tab.
pub fn open_denied(app: &mut App) {
    let form = Form::new(vec![Field::text("Message", "").with_hint(
        "paste the AccessDenied message (User: ... is not authorized to perform: ...); Enter reads it",
    )]);
    app.modal = Some(Modal::Check(Box::new(CheckModal::Denied(form))));
}

/// `a` on the Findings tab: accept finding `index` with a reason.
pub fn open_accept(app: &mut App, index: usize) {
    let Some(f) = app.preview.findings.get(index) else {
        return app.info("no finding selected");
    };
    match f.code.as_str() {
        "invalid-role" => {
            return app.error(
                "invalid-role is a mistake in the role file itself: it cannot be accepted, fix it (Enter goes there)",
            );
        }
        "expectation-failed" => {
            return app.error(
                "a failing expectation is not accepted: fix the role, or remove the expectation on the Check tab (→)",
            );
        }
        _ => {}
    }
    let statement = match (&f.doc, &f.pointer) {
        (DocRef::Policy(pi), Some(p)) => statement_of(p).map(|si| (*pi, si)),
        _ => None,
    }
    .filter(|(pi, si)| {
        app.role
            .policies
            .get(*pi)
            .is_some_and(|p| *si < p.statements.len())
    });
    let scope = match statement {
        Some((pi, si)) => format!(
            "{} on {} of policy {} (written as its `ignore`)",
            f.code,
            super::fixes::statement_name(si, app.role.policies[pi].statements[si].sid.as_deref()),
            app.role.policies[pi].name
        ),
        None => format!(
            "every {} finding of the role (written to `[lint] ignore`)",
            f.code
        ),
    };
    let form = Form::new(vec![
        Field::text("Reason", "").with_hint("why it is acceptable here; Enter accepts"),
    ]);
    app.modal = Some(Modal::Check(Box::new(CheckModal::Accept(Box::new(
        AcceptForm {
            code: f.code.clone(),
            statement,
            scope,
            form,
        },
    )))));
}

/// `/Statement/2/Resource` → 2.
fn statement_of(pointer: &str) -> Option<usize> {
    pointer
        .strip_prefix("/Statement/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

/// `f` on a failing expectation: the least statement that makes it hold.
pub fn propose_for(app: &mut App, index: usize) {
    let Some(e) = app.role.expectations.get(index) else {
        return;
    };
    let Some((action, true)) = e.action() else {
        return app.info(
            "a \"must be denied\" fails because something allows it: remove or narrow that statement (the why names it)",
        );
    };
    if e.principal.is_some() {
        return app.info("an expectation on who may assume the role is fixed on step 2, Trust");
    }
    let resource = e.resource.as_deref().map(|r| app.role.fill_placeholders(r));
    let denial = Denial {
        action: Some(action.to_string()),
        resource: resource.clone(),
        cause: Some(Cause::NoIdentityAllow),
        ..Default::default()
    };
    let view = proposal_view(app, &denial, "Fix the expectation");
    app.modal = Some(Modal::Check(Box::new(CheckModal::Proposal(Box::new(view)))));
}

/// What `denial` says, and for a missing allow the statement that fixes it, as a diff.
pub fn proposal_view(app: &App, denial: &Denial, title: &str) -> ProposalView {
    let cause = denial.cause();
    let mut facts = Vec::new();
    if let Some(p) = &denial.principal {
        facts.push(format!("who:   {p}"));
    }
    let action = denial.action.clone();
    facts.push(format!(
        "what:  {}",
        action.as_deref().unwrap_or("(the message names no action)")
    ));
    facts.push(format!(
        "on:    {}",
        denial.resource.as_deref().unwrap_or("(no resource named)")
    ));
    facts.push(format!("cause: {} — {}", cause.as_str(), cause.advice()));
    let Some(action) = action.filter(|_| cause.role_can_fix()) else {
        return ProposalView {
            title: title.to_string(),
            facts,
            diff: Vec::new(),
            result: None,
            alternative: None,
        };
    };
    let request = Request::new(&action, denial.resource.as_deref());
    let now = PolicySet::from_role(&app.role, None).evaluate(&request, Some(&*app.catalog));
    if now.decision == Decision::Allowed {
        facts.push(
            "the role already allows it: the denial comes from another policy (a boundary, an SCP, the resource's own policy)".into(),
        );
        return ProposalView {
            title: title.to_string(),
            facts,
            diff: Vec::new(),
            result: None,
            alternative: None,
        };
    }
    let proposal = propose(
        &action,
        denial.resource.as_deref(),
        app.role.account.as_deref(),
        Some(&*app.catalog),
    );
    let choice = |wider: bool| -> ProposalChoice {
        let mut result = app.role.clone();
        add_to_role(&mut result, None, proposal.statement_spec(wider));
        let after = PolicySet::from_role(&result, None).evaluate(&request, Some(&*app.catalog));
        let mut lines = facts.clone();
        lines.extend(notes(&proposal, wider));
        lines.push(format!(
            "with it, the simulator says: {}",
            after.decision.as_str()
        ));
        ProposalChoice {
            facts: lines,
            diff: policy_diff(&app.role, &result),
            result: Some(result),
        }
    };
    let least = choice(false);
    let alternative = (proposal.wider != proposal.resource).then(|| Box::new(choice(true)));
    ProposalView {
        title: title.to_string(),
        facts: least.facts,
        diff: least.diff,
        result: least.result,
        alternative,
    }
}

fn notes(p: &Proposal, wider: bool) -> Vec<String> {
    let mut out: Vec<String> = p.notes.iter().map(|n| format!("note:  {n}")).collect();
    if p.wider != p.resource {
        out.push(if wider {
            format!(
                "wider: {} covers the whole container, more than this call needs (w: back to the least form)",
                p.wider
            )
        } else {
            format!(
                "wider: {} would cover the whole container (not proposed: least first; w shows it)",
                p.wider
            )
        });
    }
    out
}

/// The inline policy that changed, before and after, as JSON lines.
fn policy_diff(before: &RoleSpec, after: &RoleSpec) -> Vec<DiffLine> {
    let old_docs = before.to_documents();
    let new_docs = after.to_documents();
    let lines = |d: &crate::policy::PolicyDocument| -> Vec<String> {
        d.to_pretty_json().lines().map(str::to_string).collect()
    };
    for (i, p) in new_docs.policies.iter().enumerate() {
        let old = old_docs.policies.get(i).map(|o| lines(&o.document));
        let new = lines(&p.document);
        if old.as_ref() != Some(&new) {
            let mut out = vec![DiffLine::Same(format!("── {} ──", p.name))];
            out.extend(diff_lines(&old.unwrap_or_default(), &new));
            return out;
        }
    }
    Vec::new()
}

/// Keys while a Check question is open.
pub fn handle(app: &mut App, modal: CheckModal, action: Action) {
    if action == Action::Quit {
        app.should_quit = true;
        return;
    }
    match modal {
        CheckModal::AddExpectation(mut form) => match action {
            Action::Back => app.info("no expectation added"),
            Action::Confirm if !form.on_last() => {
                form.focus_next();
                keep(app, CheckModal::AddExpectation(form));
            }
            Action::Confirm => match expectation_from(&form, &app.role) {
                Ok(spec) => {
                    let text = describe(&spec);
                    app.role.expectations.push(spec);
                    app.role_changed();
                    let rows = super::check::rows(&app.preview.check);
                    app.steps.review.check.selected = rows.len().saturating_sub(1);
                    let verdict = rows.last().map_or("", |r| if r.passed { "✓" } else { "✗" });
                    app.info(format!("added: {text} {verdict} (u undoes)"));
                }
                Err((field, why)) => {
                    form.fields[field].error = Some(why);
                    form.focus = field;
                    keep(app, CheckModal::AddExpectation(form));
                }
            },
            other => {
                let edited = matches!(other, Action::Input(_));
                form.navigate(other);
                if edited {
                    // Live: the edited field says what is wrong as it is typed.
                    let f = form.focus;
                    form.fields[f].error = match expectation_from(&form, &app.role) {
                        Err((field, why)) if field == f => Some(why),
                        _ => None,
                    };
                }
                keep(app, CheckModal::AddExpectation(form));
            }
        },
        CheckModal::Denied(mut form) => match action {
            Action::Back => app.info("no message read"),
            Action::Confirm => {
                let text = form.value(0).trim().to_string();
                match parse_denial(&text) {
                    Some(d) => {
                        let view = proposal_view(app, &d, "AccessDenied");
                        keep(app, CheckModal::Proposal(Box::new(view)));
                    }
                    None => {
                        form.fields[0].error = Some(if text.is_empty() {
                            "paste the message first".into()
                        } else {
                            "this is not an AccessDenied message (it should read \"... is not authorized to perform: ACTION ...\")".into()
                        });
                        keep(app, CheckModal::Denied(form));
                    }
                }
            }
            other => {
                if form.navigate(other) {
                    form.fields[0].error = None;
                }
                keep(app, CheckModal::Denied(form));
            }
        },
        CheckModal::Proposal(view) => match (action, view.result) {
            (Action::Yes | Action::Confirm, Some(result)) => {
                super::session::replace_role(app, result);
                app.info("statement added (u undoes)");
            }
            (Action::Yes | Action::Confirm | Action::No | Action::Back, None) => {}
            (Action::No | Action::Back, Some(_)) => app.info("proposal discarded"),
            (Action::Wider, result) => {
                let mut view = ProposalView { result, ..*view };
                if !view.swap_form() {
                    app.info("there is no wider form: the least statement is the only one");
                }
                keep(app, CheckModal::Proposal(Box::new(view)));
            }
            (_, result) => keep(
                app,
                CheckModal::Proposal(Box::new(ProposalView { result, ..*view })),
            ),
        },
        CheckModal::Accept(mut a) => match action {
            Action::Back => app.info("not accepted"),
            Action::Confirm => {
                let reason = a.form.value(0).trim().to_string();
                if reason.is_empty() {
                    a.form.fields[0].error =
                        Some("say why it is acceptable: the report shows it".into());
                    return keep(app, CheckModal::Accept(a));
                }
                accept(app, &a, reason);
            }
            other => {
                if a.form.navigate(other) {
                    a.form.fields[0].error = None;
                }
                keep(app, CheckModal::Accept(a));
            }
        },
    }
}

fn keep(app: &mut App, modal: CheckModal) {
    app.modal = Some(Modal::Check(Box::new(modal)));
}

/// Writes the acceptance into the role (saved with the file).
fn accept(app: &mut App, a: &AcceptForm, reason: String) {
    let entry = IgnoreEntry::WithReason {
        code: a.code.clone(),
        reason: Some(reason),
    };
    match a.statement {
        Some((pi, si)) => app.role.policies[pi].statements[si].ignore.push(entry),
        None => app.role.lint.ignore.push(entry),
    }
    app.role_changed();
    let n = app.preview.findings.len();
    app.steps.review.selected = app.steps.review.selected.min(n.saturating_sub(1));
    app.info(format!("accepted {} (u undoes)", a.scope));
}

/// The `[[expect]]` entry the form describes, or (field, what is wrong).
fn expectation_from(form: &Form, role: &RoleSpec) -> Result<ExpectSpec, (usize, String)> {
    let action = form.value(ACTION).trim().to_string();
    if action.is_empty() {
        return Err((ACTION, "give one action, e.g. s3:PutObject".into()));
    }
    let resource = Some(form.value(RESOURCE).trim().to_string()).filter(|r| !r.is_empty());
    let mut context: indexmap::IndexMap<String, OneOrMany<ConditionScalar>> =
        indexmap::IndexMap::new();
    for part in form
        .value(CONTEXT)
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((k, v)) = part.split_once('=') else {
            return Err((
                CONTEXT,
                format!("{part:?} is not KEY=VALUE (aws:SourceIp=203.0.113.7)"),
            ));
        };
        let value = ConditionScalar::String(v.trim().to_string());
        match context.get_mut(k.trim()) {
            // A key given twice is multi-valued, as `simulate --context` reads it.
            Some(existing) => {
                let mut all = std::mem::replace(existing, OneOrMany::Many(Vec::new())).into_vec();
                all.push(value);
                *existing = OneOrMany::Many(all);
            }
            None => {
                context.insert(k.trim().to_string(), OneOrMany::One(value));
            }
        }
    }
    let allow = form.fields[MUST].choice_index() == 0;
    let spec = ExpectSpec {
        allow: allow.then(|| action.clone()),
        deny: (!allow).then(|| action.clone()),
        resource,
        principal: None,
        context,
        why: Some(form.value(WHY).trim().to_string()).filter(|w| !w.is_empty()),
    };
    // The role file's own rules, so what the panel accepts also loads from the file.
    let mut probe = role.clone();
    probe.expectations.push(spec.clone());
    let prefix = format!("expect[{}]", probe.expectations.len() - 1);
    for p in crate::role::validate(&probe) {
        let path = p.path.to_string();
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        let field = match rest {
            ".resource" => RESOURCE,
            ".context" => CONTEXT,
            _ => ACTION,
        };
        return Err((field, p.message));
    }
    Ok(spec)
}

fn describe(spec: &ExpectSpec) -> String {
    let (verb, action) = match (&spec.allow, &spec.deny) {
        (Some(a), _) => ("allow", a.as_str()),
        (_, Some(d)) => ("deny", d.as_str()),
        _ => ("", ""),
    };
    format!(
        "{verb} {action} on {}",
        spec.resource.as_deref().unwrap_or("*")
    )
}

/// Draws the open question over `area` (the whole screen).
pub fn draw(app: &App, frame: &mut Frame, area: Rect, modal: &CheckModal) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(4).min(96);
    match modal {
        CheckModal::AddExpectation(form) | CheckModal::Denied(form) => {
            let title = if matches!(modal, CheckModal::Denied(_)) {
                "Paste an AccessDenied message"
            } else {
                "Add an expectation"
            };
            let r = centered(area, width, form.height() + 3);
            frame.render_widget(Clear, r);
            let block = pane_block(app, title, true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            draw_form(frame, inner, form, true, 10, theme);
        }
        CheckModal::Accept(a) => {
            let r = centered(area, width, a.form.height() + 5);
            frame.render_widget(Clear, r);
            let title = format!("Accept {}", a.code);
            let block = pane_block(app, &title, true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let [scope, form] =
                Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
            frame.render_widget(
                Paragraph::new(format!("Accepts {}.", sanitize_for_display(&a.scope)))
                    .wrap(Wrap { trim: true }),
                scope,
            );
            draw_form(frame, form, &a.form, true, 8, theme);
        }
        CheckModal::Proposal(view) => {
            // Rows once wrapped, so the end of the policy is not cut where there is room.
            let inner_w = width.saturating_sub(2).max(1) as usize;
            let rows = |t: &str| (t.chars().count() + 2).div_ceil(inner_w).max(1);
            let want = view.facts.iter().map(|f| rows(f)).sum::<usize>()
                + view
                    .diff
                    .iter()
                    .map(|l| match l {
                        DiffLine::Same(t) | DiffLine::Removed(t) | DiffLine::Added(t) => rows(t),
                    })
                    .sum::<usize>()
                + 4;
            let h = (want.min(u16::MAX as usize) as u16).min(area.height.saturating_sub(2));
            let r = centered(area, width, h);
            frame.render_widget(Clear, r);
            let block = pane_block(app, &view.title, true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let [body, keys] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
            let mut lines: Vec<Line> = view
                .facts
                .iter()
                .map(|f| Line::raw(sanitize_for_display(f).into_owned()))
                .collect();
            if !view.diff.is_empty() {
                lines.push(Line::raw(""));
            }
            // Keep the added lines in view on small screens.
            let room = body.height as usize;
            let first_change = view
                .diff
                .iter()
                .position(|l| matches!(l, DiffLine::Added(_) | DiffLine::Removed(_)))
                .unwrap_or(0);
            let skip = if want > room + 3 {
                first_change.saturating_sub(2)
            } else {
                0
            };
            for l in view.diff.iter().skip(skip) {
                let (mark, text, style) = match l {
                    DiffLine::Same(t) => ("  ", t, theme.text()),
                    DiffLine::Removed(t) => ("- ", t, theme.severity(Severity::Error)),
                    DiffLine::Added(t) => ("+ ", t, theme.ok()),
                };
                lines.push(Line::from(Span::styled(
                    format!("{mark}{}", sanitize_for_display(text)),
                    style,
                )));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
            let key_line = if view.result.is_some() {
                let mut keys = vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" apply (u undoes)   "),
                    Span::styled("n", theme.key()),
                    Span::raw(" discard"),
                ];
                if view.alternative.is_some() {
                    keys.push(Span::raw("   "));
                    keys.push(Span::styled("w", theme.key()));
                    keys.push(Span::raw(" other form"));
                }
                Line::from(keys)
            } else {
                Line::from(vec![
                    Span::styled("Esc", theme.key()),
                    Span::raw(" close: adding to this role cannot fix it"),
                ])
            };
            frame.render_widget(Paragraph::new(key_line), keys);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_pointers() {
        assert_eq!(statement_of("/Statement/2/Resource"), Some(2));
        assert_eq!(statement_of("/Statement/0"), Some(0));
        assert_eq!(statement_of("/Version"), None);
    }

    #[test]
    fn the_form_is_checked_with_the_role_file_rules() {
        let mut form = Form::new(vec![
            Field::choice("Must be", &["allowed", "denied"], 0),
            Field::text("Action", "s3:PutObject"),
            Field::text("Resource", "bucket/key"),
            Field::text(
                "Context",
                "aws:SourceIp=203.0.113.7, aws:TagKeys=a, aws:TagKeys=b",
            ),
            Field::text("Why", ""),
        ]);
        let role = RoleSpec::default();
        let (field, why) = expectation_from(&form, &role).unwrap_err();
        assert_eq!(field, RESOURCE);
        assert!(why.contains("not a resource ARN"), "{why}");
        form.fields[RESOURCE].set_text("arn:aws:s3:::bucket/key");
        let spec = expectation_from(&form, &role).unwrap();
        assert_eq!(spec.allow.as_deref(), Some("s3:PutObject"));
        assert_eq!(spec.context["aws:TagKeys"].len(), 2);
        form.fields[ACTION].set_text("s3:*");
        assert_eq!(expectation_from(&form, &role).unwrap_err().0, ACTION);
        form.fields[ACTION].set_text("s3:GetObject");
        form.fields[CONTEXT].set_text("nonsense");
        assert_eq!(expectation_from(&form, &role).unwrap_err().0, CONTEXT);
    }
}
