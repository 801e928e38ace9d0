//! Step 1, Role: name, description, path, session duration, the ARN defaults (account,
//! region) and who the role is for (`assumed_by`: the service or principal that will assume
//! it, which the Check panel and the finding `trust-principal-missing` hold the trust to),
//! each checked as it is typed with the role file's own rules. Below them, the Deployment
//! part (`deployment.rs`): permissions boundary, instance profile, policies created as
//! customer managed policies, and tags.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::role::{RoleSpec, validate};

use super::deployment::{self, DeploymentPart, Handled};
use super::non_empty;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::widgets::field::{Field, Form, draw_form};

const NAME: usize = 0;
const DESCRIPTION: usize = 1;
const PATH: usize = 2;
const DURATION: usize = 3;
const ACCOUNT: usize = 4;
const REGION: usize = 5;
const ASSUMED_BY: usize = 6;

/// The fields and the role file key each one validates as.
const KEYS: [&str; 7] = [
    "name",
    "description",
    "path",
    "max_session_duration",
    "account",
    "region",
    "assumed_by",
];

const HINTS: [&str; 7] = [
    "required: 1-64 letters, digits and +=,.@_-",
    "optional, up to 1,000 characters",
    "optional: a folder for the role's name, default / (e.g. /service-role/)",
    "optional, 3600-43200 seconds (default 3600)",
    "optional: the AWS account id, 12 digits; fills ${Account} in ARNs (arn:aws:…, the names AWS gives resources); needed for OIDC trust",
    "optional: fills ${Region} in ARNs (e.g. eu-west-1)",
    "who will assume (use) the role: a service such as lambda.amazonaws.com, an account id or a role ARN; step 2 (Trust) must let it in",
];

/// The Role step's form: the role's own fields, then the Deployment part.
#[derive(Clone, Debug)]
pub struct RoleStep {
    pub form: Form,
    /// Where the Deployment part's fields sit in `form`.
    pub deployment: DeploymentPart,
}

impl RoleStep {
    pub fn new(role: &RoleSpec) -> RoleStep {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut form = Form::new(vec![
            Field::text("Name", role.name.clone()),
            Field::text("Description", opt(&role.description)),
            Field::text("Path", opt(&role.path)),
            Field::text(
                "Max session (s)",
                role.max_session_duration
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            Field::text("Account", opt(&role.account)),
            Field::text("Region", opt(&role.region)),
            Field::text("Who is it for", role.assumed_by.join(", ")),
        ]);
        let mut part = DeploymentPart::default();
        let start = form.fields.len();
        let more = deployment::fields(role, start, &mut part);
        form.fields.extend(more);
        let mut step = RoleStep {
            form,
            deployment: part,
        };
        check(&mut step, role);
        step
    }

    /// The step for `role` as it is now: the Deployment fields rebuilt when another step
    /// (or an undo) changed the policies or tags they were built for.
    fn synced(&mut self, role: &RoleSpec) {
        if deployment::stale(&self.form, &self.deployment, role) {
            deployment::rebuild(&mut self.form, &mut self.deployment, role);
            check(self, role);
        }
    }
}

/// Fills each field's message from the role's problems (the same rules as loading a file).
fn check(step: &mut RoleStep, role: &RoleSpec) {
    let problems = validate(role);
    let form = &mut step.form;
    for (i, key) in KEYS.iter().enumerate() {
        let value = form.value(i).trim().to_string();
        let field = &mut form.fields[i];
        field.hint = Some(HINTS[i].to_string());
        field.error = if value.is_empty() && i != NAME {
            None
        } else if i == DURATION && value.parse::<u32>().is_err() {
            Some(format!("{value:?} is not a number of seconds"))
        } else if i == NAME && value.is_empty() {
            None
        } else {
            problems
                .iter()
                .find(|p| {
                    let path = p.path.to_string();
                    // `assumed_by[1]`: one of a list field's entries.
                    path == *key || (i == ASSUMED_BY && path.starts_with("assumed_by["))
                })
                .map(|p| p.message.clone())
        };
    }
    deployment::check(form, &step.deployment, role, &problems);
}

/// Writes the form's values into the role.
fn apply(form: &Form, role: &mut RoleSpec) {
    role.name = form.value(NAME).trim().to_string();
    role.description = non_empty(form.value(DESCRIPTION));
    role.path = non_empty(form.value(PATH));
    role.max_session_duration = form.value(DURATION).trim().parse().ok();
    role.account = non_empty(form.value(ACCOUNT));
    role.region = non_empty(form.value(REGION));
    role.assumed_by = form
        .value(ASSUMED_BY)
        .split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
}

pub fn handle(app: &mut App, action: Action) -> bool {
    app.steps.role.synced(&app.role);
    let step = &mut app.steps.role;
    match deployment::handle(&mut step.form, &mut step.deployment, &mut app.role, action) {
        Handled::No => {}
        Handled::Used => {
            check(&mut app.steps.role, &app.role);
            return true;
        }
        Handled::Changed => {
            app.role_changed();
            check(&mut app.steps.role, &app.role);
            return true;
        }
    }
    let form = &mut app.steps.role.form;
    match action {
        Action::Up => {
            form.focus_prev();
        }
        Action::Down => {
            form.focus_next();
        }
        Action::Confirm => {
            if !form.focus_next() {
                app.go_to(super::Step::Trust);
            }
        }
        Action::Input(req) => {
            if form.focus < ASSUMED_BY + 1 && form.input(req) {
                apply(form, &mut app.role);
                app.role_changed();
                check(&mut app.steps.role, &app.role);
            }
        }
        _ => return false,
    }
    true
}

pub fn editing_text(app: &App) -> bool {
    app.steps.role.form.editing_text()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    if deployment::stale(&app.steps.role.form, &app.steps.role.deployment, &app.role) {
        // Another step changed the policies or the trust: show them as they are now.
        let mut step = app.steps.role.clone();
        step.synced(&app.role);
        return draw_form(frame, area, &step.form, focused, 16, &app.theme);
    }
    let form = &app.steps.role.form;
    let failing: Vec<&str> = app
        .preview
        .check
        .assumed_by
        .iter()
        .filter(|a| !a.passed)
        .map(|a| a.principal.as_str())
        .collect();
    if failing.is_empty() || form.fields[ASSUMED_BY].error.is_some() {
        return draw_form(frame, area, form, focused, 16, &app.theme);
    }
    // Who it is for and who the trust lets in disagree: say so where it was typed.
    let mut shown = form.clone();
    shown.fields[ASSUMED_BY].error = Some(format!(
        "the trust (step 2) does not let {} assume it",
        failing.join(", ")
    ));
    draw_form(frame, area, &shown, focused, 16, &app.theme);
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let form = &app.steps.role.form;
    let part = &app.steps.role.deployment;
    if form.focus == part.boundary() {
        vec![("←→", "pick"), ("↑↓", "field"), ("Esc", "steps")]
    } else if !form.editing_text() && form.focus >= part.start {
        vec![("Space", "toggle"), ("↑↓", "field"), ("Esc", "steps")]
    } else if form.focus == part.new_tag() {
        vec![("Enter", "add tag"), ("↑↓", "field"), ("Esc", "steps")]
    } else {
        vec![("↑↓", "field"), ("Enter", "next"), ("Esc", "steps")]
    }
}
