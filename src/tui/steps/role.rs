//! Step 1, Role: name, description, path, session duration and the ARN defaults
//! (account, region), each checked as it is typed with the role file's own rules.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::role::{RoleSpec, validate};

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

/// The fields and the role file key each one validates as.
const KEYS: [&str; 6] = [
    "name",
    "description",
    "path",
    "max_session_duration",
    "account",
    "region",
];

const HINTS: [&str; 6] = [
    "required: 1-64 letters, digits and +=,.@_-",
    "optional, up to 1,000 characters",
    "optional, default / (e.g. /service-role/)",
    "optional, 3600-43200 seconds (default 3600)",
    "optional: 12 digits; fills ${Account} in ARNs, needed for OIDC trust",
    "optional: fills ${Region} in ARNs (e.g. eu-west-1)",
];

/// The Role step's form.
#[derive(Clone, Debug)]
pub struct RoleStep {
    pub form: Form,
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
        ]);
        check(&mut form, role);
        RoleStep { form }
    }
}

/// Fills each field's message from the role's problems (the same rules as loading a file).
fn check(form: &mut Form, role: &RoleSpec) {
    let problems = validate(role);
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
                .find(|p| p.path.to_string() == *key)
                .map(|p| p.message.clone())
        };
    }
}

/// Writes the form's values into the role.
fn apply(form: &Form, role: &mut RoleSpec) {
    role.name = form.value(NAME).trim().to_string();
    role.description = non_empty(form.value(DESCRIPTION));
    role.path = non_empty(form.value(PATH));
    role.max_session_duration = form.value(DURATION).trim().parse().ok();
    role.account = non_empty(form.value(ACCOUNT));
    role.region = non_empty(form.value(REGION));
}

pub fn handle(app: &mut App, action: Action) -> bool {
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
            if form.input(req) {
                apply(form, &mut app.role);
                app.role_changed();
                check(&mut app.steps.role.form, &app.role);
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
    draw_form(frame, area, &app.steps.role.form, focused, 16, &app.theme);
}

pub fn hints(_app: &App) -> Vec<(&'static str, &'static str)> {
    vec![("↑↓", "field"), ("Enter", "next"), ("Esc", "steps")]
}
