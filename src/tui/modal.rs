//! The windows over the screen that take the keyboard, and their keys.
//!
//! [`Modal`] and [`Pending`] live here, and `handle` is the one place a key reaches an open
//! modal: the questions of the wizard itself (confirm, save path, open path, resume, quit)
//! are answered here; the Check panel's questions, the fix preview and the explanation are
//! components (`check_modal`, `fixes`) given a [`Ctx`] that push an effect to stay open.
//! Only `app.rs` and this module assign `App::modal`; everything else asks with
//! [`crate::tui::effect::Effect::Open`].

use std::path::{Path, PathBuf};

use super::action::Action;
use super::app::App;
use super::context::Ctx;
use super::keymap::Context;
use super::steps::review::ReviewStep;
use super::widgets::field::Form;

/// Something to do once the user says yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Quit without saving.
    Quit,
    /// Export although findings remain (`findings_ok`), or over an existing file.
    Export { findings_ok: bool, overwrite: bool },
    /// Save over an existing file.
    SaveOver(PathBuf),
    /// Close the statement editor, dropping its draft.
    DiscardStatement,
}

/// A window over the screen that takes the keyboard.
#[derive(Clone, Debug)]
pub enum Modal {
    Help,
    Confirm {
        title: String,
        lines: Vec<String>,
        on_yes: Pending,
    },
    /// Asks where to save the role file.
    SavePath(Form),
    /// Asks which file to open (role file, policy document, get-role output, template).
    OpenPath(Form),
    /// The findings with the explanation of the selected one.
    Explain {
        selected: usize,
    },
    /// A fix shown as a before/after diff, applied on yes.
    FixPreview(Box<super::fixes::FixPreview>),
    /// "Resume unsaved work from <time>?" at start.
    Resume {
        saved_at: String,
    },
    /// Quitting with unsaved changes: save / discard / cancel.
    QuitAsk,
    /// A question of the Review step's Check panel (see `tui::check_modal`).
    Check(Box<super::check_modal::CheckModal>),
    /// `v`: texts the screen cut with `…`, in full (`widgets::text`); any key closes it,
    /// back to the modal it was opened from (`under`), if any.
    FullText {
        title: String,
        lines: Vec<String>,
        under: Option<Box<Modal>>,
    },
}

impl Modal {
    /// What has the keyboard while this modal is open, for the keymap.
    pub fn context(&self) -> Context {
        match self {
            Modal::Check(m) => m.context(),
            Modal::Confirm { .. }
            | Modal::FixPreview(_)
            | Modal::Resume { .. }
            | Modal::QuitAsk => Context::Confirm,
            Modal::SavePath(_) | Modal::OpenPath(_) => Context::Text,
            Modal::Help | Modal::Explain { .. } | Modal::FullText { .. } => Context::Navigate,
        }
    }
}

/// The help overlay scrolls with the arrows, PageUp/PageDown (a screenful) and Home/End
/// before anything else sees them; true when used.
pub(crate) fn scroll_help(app: &mut App, action: Action) -> bool {
    let Some(Modal::Help) = app.modal else {
        return false;
    };
    let (w, h) = app.screen;
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    match super::overlays::help_scroll_after(&app.view(), area, app.help_scroll, action) {
        Some(scroll) => {
            app.help_scroll = scroll;
            true
        }
        None => false,
    }
}

/// `v`: the selected row of the focused list in full when a `…` cut it, else every text the
/// last frame cut; a status line when nothing was cut. From an open modal (a Check question,
/// the explanations, a fix) it shows that modal's cuts, and closing it goes back there.
pub(crate) fn show_full(app: &mut App) {
    let under = app.modal.take().map(Box::new);
    // What `v` looks at, and how the titles and the status line name that place.
    let (row, cuts, place, here) = if under.is_some() {
        (
            super::widgets::list::modal_row_cut(),
            super::widgets::text::cuts_in_modal(),
            "in this window",
            "in this window",
        )
    } else {
        (
            super::widgets::list::focused_row_cut(),
            super::widgets::text::cuts_in_view(),
            "on this screen",
            "here",
        )
    };
    if let Some(row) = row {
        app.modal = Some(Modal::FullText {
            title: "The selected row in full".into(),
            lines: vec![row],
            under,
        });
        return;
    }
    if cuts.is_empty() {
        app.modal = under.map(|m| *m);
        return app.info(format!("nothing {here} is cut: every text shows in full"));
    }
    let mut lines: Vec<String> = Vec::new();
    for c in cuts {
        if !lines.contains(&c.full) {
            lines.push(c.full);
        }
    }
    app.modal = Some(Modal::FullText {
        title: format!("Texts cut {place}, in full"),
        lines,
        under,
    });
}

/// One action while a modal is open: the modal is taken, and put back unless the action
/// closed (or replaced) it.
pub(crate) fn handle(app: &mut App, action: Action) {
    // `v` wherever a cut text can be shown; the help has none and a full text is whole.
    if action == Action::ShowFull
        && !matches!(app.modal, Some(Modal::Help | Modal::FullText { .. }))
    {
        return show_full(app);
    }
    let Some(modal) = app.modal.take() else {
        return;
    };
    match modal {
        Modal::Help => match action {
            Action::Help | Action::Back | Action::Confirm | Action::Quit => {}
            _ => app.modal = Some(Modal::Help),
        },
        Modal::Confirm {
            on_yes,
            title,
            lines,
        } => match action {
            Action::Yes => app.run_pending(on_yes),
            Action::No | Action::Back => app.info("cancelled"),
            Action::Quit => app.should_quit = true,
            _ => {
                app.modal = Some(Modal::Confirm {
                    title,
                    lines,
                    on_yes,
                })
            }
        },
        Modal::SavePath(mut form) => match action {
            Action::Back => {
                app.session.quit_after_save = false;
                app.info("not saved")
            }
            Action::Confirm => {
                let p = form.value(0).trim().to_string();
                if p.is_empty() {
                    form.fields[0].error = Some("give a file name".into());
                    app.modal = Some(Modal::SavePath(form));
                } else {
                    app.save_to(PathBuf::from(p), false);
                }
            }
            Action::Input(req) => {
                form.input(req);
                form.fields[0].error = None;
                app.modal = Some(Modal::SavePath(form));
            }
            Action::Quit => app.should_quit = true,
            _ => app.modal = Some(Modal::SavePath(form)),
        },
        Modal::OpenPath(form) => open_path(app, form, action),
        Modal::Resume { saved_at } => match action {
            Action::Resume | Action::Yes => super::session::resume(app),
            Action::Discard | Action::No => {
                super::session::discard_resume(app);
                app.info("autosave discarded");
            }
            Action::Quit => app.should_quit = true,
            _ => app.modal = Some(Modal::Resume { saved_at }),
        },
        Modal::QuitAsk => match action {
            Action::Save | Action::Yes => {
                app.session.quit_after_save = true;
                app.save();
                if !app.should_quit && app.modal.is_none() {
                    // The save failed (the status says why): stay.
                    app.session.quit_after_save = false;
                }
            }
            Action::Discard => {
                super::session::discard_autosave(app);
                app.should_quit = true;
            }
            Action::No | Action::Back => app.info("cancelled"),
            Action::Quit => app.should_quit = true,
            _ => app.modal = Some(Modal::QuitAsk),
        },
        Modal::Explain { selected } => {
            review_component(app, |cx| super::fixes::handle_explain(cx, selected, action))
        }
        Modal::FixPreview(preview) => {
            review_component(app, |cx| super::fixes::handle_preview(cx, *preview, action))
        }
        Modal::Check(m) => review_component(app, |cx| super::check_modal::handle(cx, *m, action)),
        // Any key closes it, `q` too, as with the help (a wheel or a resize leaves it open).
        m @ Modal::FullText { .. }
            if matches!(
                action,
                Action::Resize(..) | Action::Wheel { .. } | Action::ScrollUp | Action::ScrollDown
            ) =>
        {
            app.modal = Some(m)
        }
        Modal::FullText { under, .. } => app.modal = under.map(|m| *m),
    }
}

/// Runs a component of the Review step (the questions over it) and applies its effects.
fn review_component(app: &mut App, run: impl FnOnce(&mut Ctx<'_, ReviewStep>)) {
    app.with_ctx(|cx| run(&mut cx.sub(|s| &mut s.review)));
}

/// Keys while the path of a file to open is typed.
fn open_path(app: &mut App, mut form: Form, action: Action) {
    match action {
        Action::Back => app.info("nothing opened"),
        Action::Quit => app.should_quit = true,
        Action::Confirm => {
            let path = form.value(0).trim().to_string();
            if path.is_empty() {
                form.fields[0].error = Some("give a file to open".into());
                app.modal = Some(Modal::OpenPath(form));
                return;
            }
            match super::open::open_into(app, Path::new(&path)) {
                Ok(message) => app.info(message),
                Err(message) => {
                    form.fields[0].error = Some(message);
                    app.modal = Some(Modal::OpenPath(form));
                }
            }
        }
        Action::Input(req) => {
            form.input(req);
            form.fields[0].error = None;
            app.modal = Some(Modal::OpenPath(form));
        }
        _ => app.modal = Some(Modal::OpenPath(form)),
    }
}
