//! What a component is given instead of the whole app.
//!
//! [`Ctx`] is for handling an action: the model (`role`, mutable), the catalog, the theme,
//! the preview as last built (read only: findings, Check results), the component's own
//! state `S`, and the list of [`Effect`]s it asks for. [`View`] is for drawing: everything
//! read only. Neither names [`crate::tui::app::App`], so a component can be driven (and
//! tested) without one and cannot reach state that is not its own.

use std::path::Path;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::role::RoleSpec;

use super::effect::{Effect, Pane, PreviewTab, StatusKind};
use super::keymap::Keymap;
use super::lesson::LessonMode;
use super::modal::Modal;
use super::preview::Preview;
use super::steps::{self, Step, StepStates};
use super::theme::Theme;

/// A component handling one action: its state, the model, and where its effects go.
pub struct Ctx<'a, S> {
    /// The component's own UI state.
    pub state: &'a mut S,
    /// The model: a component changes it in place and says so with [`Ctx::role_changed`].
    pub role: &'a mut RoleSpec,
    pub catalog: &'a Arc<Catalog>,
    pub theme: &'a Theme,
    /// The preview as built before this action (findings, Check results).
    pub preview: &'a Preview,
    /// Bumped on every change of the role (caches key on it).
    pub revision: u64,
    /// Slow work (the preview, decoding the operations) runs on worker threads.
    pub threaded: bool,
    /// A form's text field is open for editing.
    pub editing: bool,
    /// The step shown.
    pub step: Step,
    /// The role file Ctrl-S writes, if there is one yet.
    pub path: Option<&'a Path>,
    /// Wide enough for three columns.
    pub wide: bool,
    /// The step pane takes the whole screen (small terminals).
    pub main_zoom: bool,
    /// What the component asks for, applied in order by `app.rs` afterwards.
    pub effects: &'a mut Vec<Effect>,
}

impl<'a, S> Ctx<'a, S> {
    /// The same context for a part of the state (a step of all steps, a page of a step).
    pub fn sub<T>(&mut self, part: impl FnOnce(&mut S) -> &mut T) -> Ctx<'_, T> {
        Ctx {
            state: part(self.state),
            role: self.role,
            catalog: self.catalog,
            theme: self.theme,
            preview: self.preview,
            revision: self.revision,
            threaded: self.threaded,
            editing: self.editing,
            step: self.step,
            path: self.path,
            wide: self.wide,
            main_zoom: self.main_zoom,
            effects: self.effects,
        }
    }

    /// The same context with another state beside it (a value the caller holds).
    pub fn with<'b, T>(&'b mut self, state: &'b mut T) -> Ctx<'b, T> {
        Ctx {
            state,
            role: self.role,
            catalog: self.catalog,
            theme: self.theme,
            preview: self.preview,
            revision: self.revision,
            threaded: self.threaded,
            editing: self.editing,
            step: self.step,
            path: self.path,
            wide: self.wide,
            main_zoom: self.main_zoom,
            effects: self.effects,
        }
    }

    pub fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn info(&mut self, msg: impl Into<String>) {
        self.push(Effect::Status(msg.into(), StatusKind::Info));
    }

    pub fn error(&mut self, msg: impl Into<String>) {
        self.push(Effect::Status(msg.into(), StatusKind::Error));
    }

    /// Call after every change of `role`.
    pub fn role_changed(&mut self) {
        self.push(Effect::RoleChanged);
    }

    /// A draft the preview shows changed (the role did not).
    pub fn refresh_preview(&mut self) {
        self.push(Effect::RefreshPreview);
    }

    pub fn open(&mut self, modal: Modal) {
        self.push(Effect::Open(modal));
    }

    pub fn go_to(&mut self, step: Step) {
        self.push(Effect::GoTo(step));
    }

    pub fn focus(&mut self, pane: Pane) {
        self.push(Effect::Focus(pane));
    }

    pub fn show_preview(&mut self, tab: PreviewTab, scroll: Option<usize>) {
        self.push(Effect::ShowPreview { tab, scroll });
    }
}

/// What drawing (and the status line's hints) may read: everything, nothing mutable.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub steps: &'a StepStates,
    pub step: Step,
    pub role: &'a RoleSpec,
    pub catalog: &'a Arc<Catalog>,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub preview: &'a Preview,
    pub focus: Pane,
    pub editing: bool,
    /// The role file Ctrl-S writes, if there is one yet.
    pub path: Option<&'a Path>,
    /// The window over the screen, if one is open.
    pub modal: Option<&'a Modal>,
    pub preview_tab: PreviewTab,
    /// How far the help overlay is scrolled.
    pub help_scroll: usize,
    /// Lesson mode's state; `None` in the editor.
    pub lesson: Option<&'a LessonMode>,
    /// Wide enough for three columns.
    pub wide: bool,
}

impl<'a> View<'a> {
    /// The step pane has the keyboard and its focused widget is a form's text field.
    pub fn on_text_field(&self) -> bool {
        self.focus == Pane::Main && steps::form_field(self).is_some_and(|f| f.is_text())
    }

    /// The label of the text field being edited, for the status line.
    pub fn editing_label(&self) -> Option<&'a str> {
        if !self.editing || self.modal.is_some() {
            return None;
        }
        steps::form_field(self)
            .filter(|f| f.is_text())
            .map(|f| f.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    //! Components driven without an app: a context over a role, the effects read back.

    use tui_input::InputRequest;

    use super::*;
    use crate::tui::action::Action;
    use crate::tui::modal::Pending;
    use crate::tui::steps::export::{self, ExportStep};
    use crate::tui::steps::role::{self, RoleStep};

    /// Runs `component` on `state` with a context over `role`; returns what it asked for.
    fn drive<S>(
        state: &mut S,
        role: &mut RoleSpec,
        component: impl FnOnce(&mut Ctx<'_, S>),
    ) -> Vec<Effect> {
        let catalog = Arc::new(Catalog::embedded().clone());
        let theme = Theme::default();
        let preview = Preview::build(role, &catalog, &theme);
        let mut effects = Vec::new();
        component(&mut Ctx {
            state,
            role,
            catalog: &catalog,
            theme: &theme,
            preview: &preview,
            revision: 0,
            threaded: false,
            editing: true,
            step: Step::Role,
            path: None,
            wide: true,
            main_zoom: false,
            effects: &mut effects,
        });
        effects
    }

    #[test]
    fn typing_a_name_changes_the_role_and_says_so() {
        let mut role = RoleSpec::default();
        let mut step = RoleStep::new(&role);
        let effects = drive(&mut step, &mut role, |cx| {
            assert!(role::handle(
                cx,
                Action::Input(InputRequest::InsertChar('a'))
            ));
        });
        assert_eq!(role.name, "a");
        assert!(matches!(effects.as_slice(), [Effect::RoleChanged]));
        // Moving between fields changes nothing and asks for nothing.
        let effects = drive(&mut step, &mut role, |cx| {
            assert!(role::handle(cx, Action::Down));
        });
        assert!(effects.is_empty(), "{effects:?}");
    }

    #[test]
    fn exporting_asks_first_then_copies_one_part_as_an_effect() {
        let mut role = RoleSpec {
            name: "app".into(),
            ..RoleSpec::default()
        };
        let mut step = ExportStep::new(&role);
        // To: Clipboard.
        step.form.focus = 2;
        step.form.toggle(true);
        let effects = drive(&mut step, &mut role, |cx| {
            assert!(
                !cx.preview.findings.is_empty(),
                "a role without trust has findings"
            );
            export::export(cx, false, false);
        });
        let [Effect::Open(Modal::Confirm { on_yes, .. })] = effects.as_slice() else {
            panic!("expected a question, got {effects:?}");
        };
        assert_eq!(
            *on_yes,
            Pending::Export {
                findings_ok: true,
                overwrite: false
            }
        );
        let effects = drive(&mut step, &mut role, |cx| export::export(cx, true, false));
        let [
            Effect::Copy {
                part: Some(part), ..
            },
        ] = effects.as_slice()
        else {
            panic!("expected a copy, got {effects:?}");
        };
        assert_eq!((part.index, part.what.as_str()), (0, "the trust policy"));
        // The step moves on only when the app reports the copy done.
        assert_eq!(step.next_part, 0);
    }
}
