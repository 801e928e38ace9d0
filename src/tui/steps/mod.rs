//! The wizard's steps. Each module holds one step's UI state, how it handles an action
//! (`handle`, returning whether it used it), what it draws (`draw`, reading only) and the
//! keys it shows in the status line (`hints`).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::catalog::Catalog;
use crate::role::RoleSpec;

use super::action::Action;
use super::app::App;
use super::widgets::field::Field;

pub mod deployment;
pub mod export;
pub mod managed;
pub mod permissions;
pub mod review;
pub mod role;
pub mod trust;
pub mod trust_document;

/// The steps, in the order the left column lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::Display)]
pub enum Step {
    Role,
    Trust,
    Permissions,
    #[strum(serialize = "Managed policies")]
    Managed,
    Review,
    Export,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Role,
        Step::Trust,
        Step::Permissions,
        Step::Managed,
        Step::Review,
        Step::Export,
    ];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// The UI state of every step (kept when the user moves between them).
#[derive(Clone, Debug)]
pub struct StepStates {
    pub role: role::RoleStep,
    pub trust: trust::TrustStep,
    pub permissions: permissions::PermissionsStep,
    pub managed: managed::ManagedStep,
    pub review: review::ReviewStep,
    pub export: export::ExportStep,
}

impl StepStates {
    pub fn new(role: &RoleSpec, _catalog: &Catalog) -> StepStates {
        StepStates {
            role: role::RoleStep::new(role),
            trust: trust::TrustStep::new(role),
            permissions: permissions::PermissionsStep::default(),
            managed: managed::ManagedStep::new(role),
            review: review::ReviewStep::default(),
            export: export::ExportStep::new(role),
        }
    }
}

/// Passes `action` to the current step; true when the step used it.
pub fn handle(app: &mut App, action: Action) -> bool {
    match app.step {
        Step::Role => role::handle(app, action),
        Step::Trust => trust::handle(app, action),
        Step::Permissions => permissions::handle(app, action),
        Step::Managed => managed::handle(app, action),
        Step::Review => review::handle(app, action),
        Step::Export => export::handle(app, action),
    }
}

/// Does the current step's focused widget take typed text?
pub fn editing_text(app: &App) -> bool {
    match app.step {
        Step::Role => role::editing_text(app),
        Step::Trust => trust::editing_text(app),
        Step::Permissions => permissions::editing_text(app),
        Step::Managed => managed::editing_text(app),
        Step::Review => false,
        Step::Export => export::editing_text(app),
    }
}

/// The focused field of the current step when it is a form field (not a list filter).
/// A text field among them takes typed keys only after Enter or `i` (guide §8 "Focus"):
/// [`crate::tui::app::App::editing`] says whether that happened.
pub fn form_field(app: &App) -> Option<&Field> {
    let form = match app.step {
        Step::Role => Some(&app.steps.role.form),
        Step::Trust => app.steps.trust.form.as_ref().map(|(_, f)| f),
        Step::Permissions => permissions::form(app),
        Step::Managed => app.steps.managed.custom.as_ref(),
        Step::Review => None,
        Step::Export => Some(&app.steps.export.form),
    }?;
    form.focused()
}

/// Draws the current step into `area`.
pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    match app.step {
        Step::Role => role::draw(app, frame, area, focused),
        Step::Trust => trust::draw(app, frame, area, focused),
        Step::Permissions => permissions::draw(app, frame, area, focused),
        Step::Managed => managed::draw(app, frame, area, focused),
        Step::Review => review::draw(app, frame, area, focused),
        Step::Export => export::draw(app, frame, area, focused),
    }
}

/// The title of the step pane (with the sub-page, if any).
pub fn title(app: &App) -> String {
    match app.step {
        Step::Permissions => permissions::title(app),
        // "Trust" is IAM's word; what it decides is who can assume the role.
        Step::Trust => format!("Trust: who can assume it · {}", app.steps.trust.kind),
        s => s.to_string(),
    }
}

/// (key, what) pairs for the status line.
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.step {
        Step::Role => role::hints(app),
        Step::Trust => trust::hints(app),
        Step::Permissions => permissions::hints(app),
        Step::Managed => managed::hints(app),
        Step::Review => review::hints(app),
        Step::Export => export::hints(app),
    }
}

/// Some(text) when `s` is not blank.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
