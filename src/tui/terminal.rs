//! Taking over the terminal and giving it back, on every way out.
//!
//! [`TerminalGuard`] enters raw mode and the alternate screen on stderr (stdout stays free
//! for a result) and undoes both when dropped; a panic hook does the same before the panic
//! message is printed, so a crash never leaves the user's shell in raw mode.

use std::io::{self, Stderr, Write};
use std::sync::Once;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::error::{Error, Result};

/// The terminal the wizard draws on.
pub type Tui = Terminal<CrosstermBackend<Stderr>>;

/// Restores the terminal when dropped.
pub struct TerminalGuard {
    pub terminal: Tui,
}

impl TerminalGuard {
    /// Raw mode, alternate screen, mouse capture, bracketed paste (a paste arrives as one
    /// event, not as keys); installs the panic hook once.
    pub fn enter() -> Result<TerminalGuard> {
        install_panic_hook();
        let io_err = |e: io::Error| Error::Other(format!("cannot set up the terminal: {e}"));
        enable_raw_mode().map_err(io_err)?;
        let mut err = io::stderr();
        if let Err(e) = execute!(
            err,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(io_err(e));
        }
        match Terminal::new(CrosstermBackend::new(io::stderr())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(io_err(e))
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen, shows the cursor, stops mouse capture and bracketed paste,
/// leaves raw mode.
/// Safe to call more than once; errors are ignored (there is nobody left to tell).
pub fn restore() {
    let mut err = io::stderr();
    let _ = execute!(
        err,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = err.flush();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
