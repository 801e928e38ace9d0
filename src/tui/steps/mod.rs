//! The wizard's steps. Each module holds one step's UI state, how it handles an action
//! (`handle`, returning whether it used it), what it draws (`draw`, reading only) and the
//! keys it shows in the status line (`hints`).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::catalog::Catalog;
use crate::role::RoleSpec;

use super::action::Action;
use super::context::{Ctx, View};
use super::widgets::field::Field;

pub mod deployment;
pub mod export;
pub mod managed;
pub mod permissions;
pub mod review;
pub mod role;
pub mod trust;
pub mod trust_document;
pub mod trust_form;

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
pub fn handle(cx: &mut Ctx<'_, StepStates>, action: Action) -> bool {
    match cx.step {
        Step::Role => role::handle(&mut cx.sub(|s| &mut s.role), action),
        Step::Trust => trust::handle(&mut cx.sub(|s| &mut s.trust), action),
        Step::Permissions => permissions::handle(&mut cx.sub(|s| &mut s.permissions), action),
        Step::Managed => managed::handle(&mut cx.sub(|s| &mut s.managed), action),
        Step::Review => review::handle(&mut cx.sub(|s| &mut s.review), action),
        Step::Export => export::handle(&mut cx.sub(|s| &mut s.export), action),
    }
}

/// Does the current step's focused widget take typed text?
pub fn editing_text(v: &View) -> bool {
    let st = v.steps;
    match v.step {
        Step::Role => st.role.form.editing_text(),
        Step::Trust => trust::editing_text(&st.trust),
        Step::Permissions => permissions::editing_text(&st.permissions),
        Step::Managed => managed::editing_text(&st.managed),
        Step::Review => false,
        Step::Export => st.export.form.editing_text(),
    }
}

/// The focused field of the current step when it is a form field (not a list filter).
/// A text field among them takes typed keys only after Enter or `i` (guide §8 "Focus"):
/// `App::editing` says whether that happened.
pub fn form_field<'a>(v: &View<'a>) -> Option<&'a Field> {
    let st = v.steps;
    let form = match v.step {
        Step::Role => Some(&st.role.form),
        Step::Trust => st.trust.form.as_ref().map(|(_, f)| f),
        Step::Permissions => permissions::form(&st.permissions),
        Step::Managed => st.managed.custom.as_ref(),
        Step::Review => None,
        Step::Export => Some(&st.export.form),
    }?;
    form.focused()
}

/// Draws the current step into `area`.
pub fn draw(v: &View, frame: &mut Frame, area: Rect, focused: bool) {
    match v.step {
        Step::Role => role::draw(v, frame, area, focused),
        Step::Trust => trust::draw(v, frame, area, focused),
        Step::Permissions => permissions::draw(v, frame, area, focused),
        Step::Managed => managed::draw(v, frame, area, focused),
        Step::Review => review::draw(v, frame, area, focused),
        Step::Export => export::draw(v, frame, area, focused),
    }
}

/// The title of the step pane (with the sub-page, if any).
pub fn title(v: &View) -> String {
    match v.step {
        Step::Permissions => permissions::title(v),
        // "Trust" is IAM's word; what it decides is who can assume the role.
        Step::Trust => format!("Trust: who can assume it · {}", v.steps.trust.kind),
        s => s.to_string(),
    }
}

/// (key, what) pairs for the status line.
pub fn hints(v: &View) -> Vec<(&'static str, &'static str)> {
    match v.step {
        Step::Role => role::hints(&v.steps.role),
        Step::Trust => trust::hints(v),
        Step::Permissions => permissions::hints(v),
        Step::Managed => managed::hints(&v.steps.managed),
        Step::Review => review::hints(v),
        Step::Export => export::hints(),
    }
}

/// Some(text) when `s` is not blank.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
