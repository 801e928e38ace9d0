//! The interactive wizard (guide §8).
//!
//! Shape (after gitui and television): every input becomes an [`action::Action`] through a
//! data-driven [`keymap::Keymap`]; `app::update` is the only place state changes;
//! `draw::draw` reads `&App` and nothing else. The role being built ([`crate::role::RoleSpec`])
//! is the model; each step in [`steps`] is a view of it plus its own UI state. Components
//! (the steps, the Check panel, fixes, lesson mode, overlays) get a [`context::Ctx`] or a
//! [`context::View`], never the app, and ask for everything else with an
//! [`effect::Effect`] that `app.rs` applies; [`modal`] owns the windows over the screen.
//! The UI is drawn on stderr so stdout can carry a result ("print on exit").

pub mod action;
pub mod app;
pub mod background;
pub mod check;
pub mod check_modal;
pub mod config;
pub mod context;
pub mod curation;
pub mod draw;
pub mod effect;
pub mod event_loop;
pub mod findings;
pub mod fixes;
pub mod keymap;
pub mod layout;
pub mod lesson;
pub mod lesson_host;
pub mod lesson_panel;
pub mod lesson_run;
pub mod modal;
pub mod mouse;
pub mod open;
pub mod overlays;
pub mod preview;
pub mod sanitize;
pub mod session;
pub mod steps;
pub mod teach;
pub mod templates;
pub mod terminal;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod tty_watch;
pub mod widgets;

pub use action::Action;
pub use app::App;
pub use lesson_run::run_lesson;
pub use sanitize::sanitize_for_display;
