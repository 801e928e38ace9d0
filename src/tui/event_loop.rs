//! The event loop: read an event, map it to an [`Action`], `update`, redraw.
//!
//! Only events that map to an action (and resizes) cause a redraw; a key that means nothing
//! here costs nothing.

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::error::{Error, Result};

use super::action::Action;
use super::app::{App, update};
use super::draw::draw;
use super::terminal::TerminalGuard;

/// Set to `1` to make the wizard panic after its first frame (tests of terminal restore).
pub const TEST_PANIC_ENV: &str = "ROLESMITH_TEST_PANIC";

/// The action an input event stands for, if any.
pub fn map_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if matches!(k.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            app.keymap.lookup(app.context(), k)
        }
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

/// Runs the wizard until the user quits; returns the text to print on stdout, if any.
pub fn run(mut app: App) -> Result<Option<String>> {
    let io_err = |e: std::io::Error| Error::Other(format!("terminal error: {e}"));
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size().map_err(io_err)?;
    update(&mut app, Action::Resize(size.width, size.height));
    guard.terminal.draw(|f| draw(&app, f)).map_err(io_err)?;
    if std::env::var(TEST_PANIC_ENV).is_ok_and(|v| v == "1") {
        panic!("forced panic after the first frame ({TEST_PANIC_ENV}=1)");
    }
    while !app.should_quit {
        let ev = event::read().map_err(io_err)?;
        let Some(action) = map_event(&app, &ev) else {
            continue;
        };
        update(&mut app, action);
        if app.should_quit {
            break;
        }
        if let Action::Resize(..) = action {
            guard.terminal.autoresize().map_err(io_err)?;
        }
        guard.terminal.draw(|f| draw(&app, f)).map_err(io_err)?;
    }
    drop(guard);
    Ok(app.print_on_exit.take())
}
