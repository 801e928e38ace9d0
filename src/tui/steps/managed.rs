//! Step 4, Managed policies: the curated AWS managed policies with what each grants and
//! how broad it is; attach or detach with Space, or attach a customer managed policy by
//! ARN (`${Account}` filled from the role's account), checked as it is typed with the role
//! file's rules.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::catalog::curated::ManagedPolicyRisk;
use crate::policy::arn::is_account_id;
use crate::role::managed::resolve_managed_policy;
use crate::role::{RoleSpec, validate};

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::curation;
use crate::tui::findings::Severity;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, Form, draw_form};
use crate::tui::widgets::list::{FilterList, draw_filter, draw_list, fuzzy_filter};

/// The Managed step's UI state.
#[derive(Clone, Debug)]
pub struct ManagedStep {
    pub list: FilterList,
    /// Rows: curated names matching the filter, plus attached entries the list lacks.
    pub rows: Vec<String>,
    /// The "attach by ARN" form, when open.
    pub custom: Option<Form>,
}

impl ManagedStep {
    pub fn new(role: &RoleSpec) -> ManagedStep {
        let mut s = ManagedStep {
            list: FilterList::default(),
            rows: Vec::new(),
            custom: None,
        };
        s.refresh(role);
        s
    }

    fn refresh(&mut self, role: &RoleSpec) {
        let mut names: Vec<String> = Vec::new();
        for m in &role.managed_policies {
            if curation::managed_info(m).is_none() {
                names.push(m.clone());
            }
        }
        names.extend(curation::managed_policies().iter().map(|m| m.name.clone()));
        let hay: Vec<String> = names
            .iter()
            .map(|n| match curation::managed_info(n) {
                Some(m) => format!("{n} {}", m.description),
                None => n.clone(),
            })
            .collect();
        let hits = fuzzy_filter(
            self.list.query(),
            hay.iter().enumerate().map(|(i, s)| (i, s.as_str())),
        );
        self.rows = hits.into_iter().map(|i| names[i].clone()).collect();
        self.list.clamp(self.rows.len());
    }
}

/// Index in `role.managed_policies` of the entry naming the same policy as `name`.
fn attached_index(role: &RoleSpec, name: &str) -> Option<usize> {
    let info = curation::managed_info(name);
    role.managed_policies.iter().position(|m| {
        m == name
            || info.is_some_and(|i| curation::managed_info(m).is_some_and(|j| j.name == i.name))
    })
}

fn risk_style(app: &App, r: ManagedPolicyRisk) -> ratatui::style::Style {
    match r {
        ManagedPolicyRisk::Fine => app.theme.ok(),
        ManagedPolicyRisk::Moderate => app.theme.severity(Severity::Suggestion),
        ManagedPolicyRisk::Broad => app.theme.severity(Severity::Warning),
        ManagedPolicyRisk::Admin => app.theme.severity(Severity::Error),
    }
}

fn toggle(app: &mut App) {
    let Some(name) = app
        .steps
        .managed
        .rows
        .get(app.steps.managed.list.selected)
        .cloned()
    else {
        return;
    };
    if let Some(i) = attached_index(&app.role, &name) {
        app.role.managed_policies.remove(i);
        app.info(format!("{name} detached"));
    } else {
        // Role files name AWS managed policies by name when the builder knows their path;
        // otherwise the curated ARN keeps it exact.
        let entry = if resolve_managed_policy(&name, app.role.partition.as_deref()).is_some() {
            name.clone()
        } else if let Some(m) = curation::managed_info(&name) {
            m.arn_in_partition(app.role.partition.as_deref().unwrap_or("aws"))
        } else {
            name.clone()
        };
        app.role.managed_policies.push(entry);
        let broad = curation::managed_info(&name).is_some_and(|m| m.risk.is_broad());
        if broad {
            app.error(format!("{name} attached: it is broad, see Review"));
        } else {
            app.info(format!("{name} attached"));
        }
    }
    app.role_changed();
    app.steps.managed.refresh(&app.role);
}

/// What is wrong with attaching `entry` to `role`, by the role file's rules; `None` when
/// it can be attached.
pub fn custom_problem(role: &RoleSpec, entry: &str) -> Option<String> {
    let entry = entry.trim();
    if entry.is_empty() {
        return Some("give the policy's ARN".into());
    }
    if role.managed_policies.iter().any(|m| m == entry) {
        return Some(format!("{entry} is already attached"));
    }
    let mut with = role.clone();
    with.managed_policies.push(entry.to_string());
    if entry.starts_with("arn:") {
        // A policy ARN names one policy of one account (or AWS's):
        // `arn:PARTITION:iam::ACCOUNT:policy/NAME`.
        let filled = with.fill_placeholders(entry);
        let account = filled.split(':').nth(4).unwrap_or("");
        if account != "aws" && !account.contains("${") && !is_account_id(account) {
            return Some(format!(
                "{account:?} is not an account: a policy ARN is arn:aws:iam::ACCOUNT:policy/NAME (12 digits, or ${{Account}} for the role's)"
            ));
        }
        if filled.contains(['*', '?']) {
            return Some("a policy to attach is one policy: no wildcards".into());
        }
    }
    let key = format!("managed_policies[{}]", role.managed_policies.len());
    validate(&with)
        .into_iter()
        .find(|p| p.path.to_string() == key)
        .map(|p| p.message)
}

/// The hint under the ARN field.
const CUSTOM_HINT: &str = "a customer managed policy; ${Account} is the role's account";

/// The ARN as it will be attached, placeholders filled, shown in full under the form.
fn custom_preview(role: &RoleSpec, entry: &str) -> String {
    let entry = entry.trim();
    let filled = role.fill_placeholders(entry);
    if role.account.is_none() && entry.contains("${Account}") {
        "The role has no account yet (step 1): ${Account} cannot be filled in.".into()
    } else if entry.ends_with('/') {
        "arn:PARTITION:iam::ACCOUNT:policy/NAME, a path may go before NAME (policy/platform/NAME)"
            .into()
    } else {
        format!("Attaches {filled}")
    }
}

/// The "attach by ARN" form, the role's account filled in as a placeholder.
fn custom_form(role: &RoleSpec) -> Form {
    let partition = role.partition.as_deref().unwrap_or("aws");
    let start = format!("arn:{partition}:iam::${{Account}}:policy/");
    Form::new(vec![
        Field::text("Policy ARN", start).with_hint(CUSTOM_HINT),
    ])
}

pub fn handle(app: &mut App, action: Action) -> bool {
    let st = &mut app.steps.managed;
    if let Some(form) = st.custom.as_mut() {
        match action {
            Action::Back => st.custom = None,
            Action::Input(req) => {
                if form.input(req) {
                    let typed = form.value(0).to_string();
                    // Said as typed, once there is a name to check.
                    form.fields[0].error = (!typed.trim().ends_with('/'))
                        .then(|| custom_problem(&app.role, &typed))
                        .flatten();
                }
            }
            Action::Confirm => {
                let arn = form.value(0).trim().to_string();
                match custom_problem(&app.role, &arn) {
                    None => {
                        st.custom = None;
                        app.role.managed_policies.push(arn.clone());
                        app.role_changed();
                        app.steps.managed.refresh(&app.role);
                        app.info(format!("{arn} attached"));
                    }
                    Some(e) => form.fields[0].error = Some(e),
                }
            }
            _ => return false,
        }
        return true;
    }
    if st.list.editing {
        match action {
            Action::Input(req) => {
                if st.list.input(req) {
                    st.refresh(&app.role);
                }
            }
            Action::Back | Action::Confirm | Action::Down => st.list.editing = false,
            _ => return false,
        }
        return true;
    }
    let len = st.rows.len();
    match action {
        Action::Filter => st.list.editing = true,
        a if st.list.navigate(a, len) => {}
        Action::Toggle | Action::Confirm => toggle(app),
        Action::Add => st.custom = Some(custom_form(&app.role)),
        Action::Back if !st.list.query().is_empty() => {
            st.list.filter.reset();
            st.refresh(&app.role);
        }
        _ => return false,
    }
    true
}

pub fn editing_text(app: &App) -> bool {
    app.steps.managed.custom.is_some() || app.steps.managed.list.editing
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let st = &app.steps.managed;
    if let Some(form) = &st.custom {
        let [f, below] =
            Layout::vertical([Constraint::Length(form.height()), Constraint::Min(0)]).areas(area);
        draw_form(frame, f, form, focused, 12, theme);
        frame.render_widget(
            Paragraph::new(crate::tui::widgets::text::fit_rows(
                Span::styled(
                    sanitize_for_display(&custom_preview(&app.role, form.value(0))).into_owned(),
                    theme.dim(),
                ),
                below.width,
                below.height,
            )),
            below,
        );
        return;
    }
    let [head, filter, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
    ])
    .areas(area);
    let n = app.role.managed_policies.len();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{n} attached"), theme.title()),
            Span::styled(" (a role takes 10 by default)", theme.dim()),
        ])),
        head,
    );
    draw_filter(frame, filter, &st.list, focused, theme);
    let rows: Vec<Line> = st
        .rows
        .iter()
        .map(|name| {
            let on = attached_index(&app.role, name).is_some();
            let mut spans = vec![
                Span::raw(if on { "[x] " } else { "[ ] " }),
                Span::styled(
                    crate::tui::widgets::text::pad(name, 38),
                    if on { theme.title() } else { theme.text() },
                ),
            ];
            if let Some(m) = curation::managed_info(name) {
                spans.push(Span::styled(
                    format!(" {}", curation::risk_label(m.risk)),
                    risk_style(app, m.risk),
                ));
            } else {
                spans.push(Span::styled(" custom", theme.dim()));
            }
            Line::from(spans)
        })
        .collect();
    draw_list(
        frame,
        list,
        &rows,
        st.list.selected,
        focused && !st.list.editing,
        theme,
    );
    if let Some(name) = st.rows.get(st.list.selected) {
        let text = match curation::managed_info(name) {
            Some(m) => format!("{} — {}", m.arn, m.description),
            None => format!(
                "customer managed: {} (Space detaches)",
                app.role.fill_placeholders(name)
            ),
        };
        frame.render_widget(
            Paragraph::new(crate::tui::widgets::text::fit_rows(
                Span::styled(sanitize_for_display(&text).into_owned(), theme.dim()),
                detail.width,
                detail.height,
            )),
            detail,
        );
    }
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let st = &app.steps.managed;
    if st.custom.is_some() {
        vec![("Enter", "attach"), ("Esc", "cancel")]
    } else if st.list.editing {
        vec![("Enter", "done"), ("Esc", "done")]
    } else {
        vec![
            ("Space", "attach/detach"),
            ("/", "filter"),
            ("a", "by ARN"),
            ("Esc", "steps"),
        ]
    }
}
