//! Copying an export to the clipboard, wherever the user sits.
//!
//! On a desktop the system clipboard (arboard) is right. Over SSH it is the wrong machine's
//! clipboard (or none), so the text goes to the user's own terminal as an OSC 52 escape
//! sequence, which most modern terminals turn into a clipboard write. When neither can
//! work, the error says so and points at the file export.
//!
//! The choice is a pure function of an [`ClipboardEnv`] snapshot ([`choose_route`]) so it
//! can be tested without a display or a terminal.
//!
//! On X11 (and Wayland through XWayland) a copy is not stored anywhere: the program that
//! copied serves the text to whoever pastes, so it is gone when that program quits. rolesmith
//! therefore hands each system copy to a small helper process — its own binary started as
//! `rolesmith __clipboard-keeper`, the text on stdin — which takes the clipboard with
//! arboard's `SetExtLinux::wait` and lives until something else is copied. A process, not a
//! thread, because a thread dies with rolesmith; our own binary re-executed, not a `fork`,
//! because forking a process that runs threads (the preview worker, arboard's X11 thread)
//! is unsafe. If the helper cannot be started, the copy is made in-process and the status
//! line says that it lasts only while rolesmith runs.

use std::io::{IsTerminal, Write};

use crossterm::clipboard::CopyToClipboard;

use crate::error::{Error, Result};

/// What the environment offers, read once from the process environment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set (X11/Wayland desktops).
    pub display: bool,
    /// The platform has a clipboard without a display variable (macOS, Windows).
    pub native_clipboard: bool,
    /// `SSH_CONNECTION`, `SSH_CLIENT` or `SSH_TTY` is set: the desktop, if any, is remote.
    pub ssh: bool,
    /// Standard error is a terminal, so an OSC 52 sequence reaches the user's terminal.
    pub terminal: bool,
}

impl ClipboardEnv {
    /// A snapshot of this process's environment.
    pub fn from_process() -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        ClipboardEnv {
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            native_clipboard: cfg!(any(target_os = "macos", windows)),
            ssh: set("SSH_CONNECTION") || set("SSH_CLIENT") || set("SSH_TTY"),
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

/// Where a copy should go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClipboardRoute {
    /// The system clipboard, falling back to OSC 52 if it fails and a terminal is there.
    System { osc52_fallback: bool },
    /// An OSC 52 sequence written to the terminal.
    Osc52,
    /// Nothing can work here.
    Unavailable,
}

/// Picks the clipboard for an environment: the system one when a local display is
/// reachable, OSC 52 when there is a terminal, nothing otherwise.
pub fn choose_route(env: &ClipboardEnv) -> ClipboardRoute {
    let local_desktop = (env.display || env.native_clipboard) && !env.ssh;
    if local_desktop {
        ClipboardRoute::System {
            osc52_fallback: env.terminal,
        }
    } else if env.terminal {
        ClipboardRoute::Osc52
    } else {
        ClipboardRoute::Unavailable
    }
}

/// Where a successful copy went, so the TUI can tell the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClipboardOutcome {
    /// Placed on the system clipboard (which keeps it: macOS, Windows).
    System,
    /// Placed on the X11/Wayland clipboard by the helper process, which keeps serving it
    /// after rolesmith quits.
    KeptByHelper,
    /// Placed on the X11/Wayland clipboard by rolesmith itself: gone when it quits.
    UntilQuit,
    /// Sent to the terminal as OSC 52. Whether the terminal accepted it cannot be known;
    /// [`ClipboardOutcome::message`] says so.
    Terminal,
}

impl ClipboardOutcome {
    /// A status line for the user.
    pub fn message(self) -> &'static str {
        match self {
            ClipboardOutcome::System => "copied to the clipboard",
            ClipboardOutcome::KeptByHelper => {
                "copied to the clipboard (a helper process keeps it there after you quit, until the next copy)"
            }
            ClipboardOutcome::UntilQuit => {
                "copied to the clipboard, but only while rolesmith runs (X11/Wayland: the helper \
                 could not start): paste it before quitting, or export to a file"
            }
            ClipboardOutcome::Terminal => {
                "sent to your terminal's clipboard (OSC 52); if nothing was copied, your terminal \
                 or tmux does not allow it: export to a file instead"
            }
        }
    }
}

/// The clipboard the TUI keeps for its whole run. On X11 the copied text is served by this
/// process, so the system clipboard handle is kept alive rather than dropped after a copy.
#[derive(Default)]
pub struct Clipboard {
    system: Option<arboard::Clipboard>,
    /// Helpers started by earlier copies, reaped once they end (at the next copy).
    helpers: Vec<std::process::Child>,
}

impl Clipboard {
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies `text` using the route this process's environment allows.
    pub fn copy(&mut self, text: &str) -> Result<ClipboardOutcome> {
        self.copy_with(&ClipboardEnv::from_process(), text)
    }

    /// Copies `text` using the route `env` allows; OSC 52 goes to standard error.
    pub fn copy_with(&mut self, env: &ClipboardEnv, text: &str) -> Result<ClipboardOutcome> {
        match choose_route(env) {
            ClipboardRoute::System { osc52_fallback } => match self.copy_system(text) {
                Ok(outcome) => Ok(outcome),
                Err(reason) if osc52_fallback => {
                    copy_osc52(&mut std::io::stderr(), text).map_err(|e| {
                        unavailable(&format!("{reason}; writing OSC 52 failed too: {e}"))
                    })?;
                    Ok(ClipboardOutcome::Terminal)
                }
                Err(reason) => Err(unavailable(&reason)),
            },
            ClipboardRoute::Osc52 => {
                copy_osc52(&mut std::io::stderr(), text)
                    .map_err(|e| unavailable(&format!("writing OSC 52 failed: {e}")))?;
                Ok(ClipboardOutcome::Terminal)
            }
            ClipboardRoute::Unavailable => Err(unavailable(
                "no display is reachable (DISPLAY/WAYLAND_DISPLAY unset, or over SSH) and \
                 standard error is not a terminal for OSC 52",
            )),
        }
    }

    fn copy_system(&mut self, text: &str) -> std::result::Result<ClipboardOutcome, String> {
        self.helpers
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
        if SERVED_BY_THE_PROGRAM {
            if let Ok(child) = spawn_keeper(text) {
                self.helpers.push(child);
                return Ok(ClipboardOutcome::KeptByHelper);
            }
            self.copy_in_process(text)?;
            return Ok(ClipboardOutcome::UntilQuit);
        }
        self.copy_in_process(text)?;
        Ok(ClipboardOutcome::System)
    }

    fn copy_in_process(&mut self, text: &str) -> std::result::Result<(), String> {
        if self.system.is_none() {
            let board = arboard::Clipboard::new()
                .map_err(|e| format!("the system clipboard is not reachable: {e}"))?;
            self.system = Some(board);
        }
        let Some(board) = self.system.as_mut() else {
            return Err("the system clipboard is not reachable".into());
        };
        board
            .set_text(text)
            .map_err(|e| format!("the system clipboard refused the text: {e}"))
    }
}

/// True where the clipboard's content is served by the program that copied it (X11,
/// Wayland), so a copy needs a process that outlives rolesmith.
const SERVED_BY_THE_PROGRAM: bool = cfg!(all(
    unix,
    not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "android"
    ))
));

/// The hidden subcommand that keeps a copy alive (see the module documentation).
pub const KEEPER_COMMAND: &str = "__clipboard-keeper";

/// Starts `rolesmith __clipboard-keeper` with `text` on its stdin, in its own process
/// group (so Ctrl-C in the shell does not end it), not waited for.
fn spawn_keeper(text: &str) -> std::io::Result<std::process::Child> {
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg(KEEPER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn()?;
    let written = child
        .stdin
        .take()
        .ok_or_else(|| std::io::Error::other("no stdin for the clipboard helper"))
        .and_then(|mut stdin| stdin.write_all(text.as_bytes()));
    if let Err(e) = written {
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    Ok(child)
}

/// The helper's side: takes the text on stdin and serves it on the clipboard until
/// another program copies something (or the display goes away).
pub fn run_keeper() -> Result<()> {
    let text = crate::io::read::read_stdin_text()?;
    let mut board = arboard::Clipboard::new()
        .map_err(|e| unavailable(&format!("the system clipboard is not reachable: {e}")))?;
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    {
        use arboard::SetExtLinux;
        board
            .set()
            .wait()
            .text(text)
            .map_err(|e| unavailable(&format!("the system clipboard refused the text: {e}")))
    }
    #[cfg(not(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )))]
    {
        board
            .set_text(text)
            .map_err(|e| unavailable(&format!("the system clipboard refused the text: {e}")))
    }
}

/// Writes `text` as an OSC 52 "set clipboard" sequence to `terminal` and flushes it.
pub fn copy_osc52(terminal: &mut impl Write, text: &str) -> std::io::Result<()> {
    crossterm::execute!(
        terminal,
        CopyToClipboard::to_clipboard_from(text.as_bytes())
    )
}

fn unavailable(reason: &str) -> Error {
    Error::Other(format!(
        "cannot copy to a clipboard: {reason}. Export to a file instead \
         (`rolesmith render ROLE_FILE --format FORMAT > FILE`, or the Export step's file option)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(display: bool, ssh: bool, terminal: bool) -> ClipboardEnv {
        ClipboardEnv {
            display,
            native_clipboard: false,
            ssh,
            terminal,
        }
    }

    #[test]
    fn local_desktop_uses_the_system_clipboard() {
        assert_eq!(
            choose_route(&env(true, false, true)),
            ClipboardRoute::System {
                osc52_fallback: true
            }
        );
        assert_eq!(
            choose_route(&env(true, false, false)),
            ClipboardRoute::System {
                osc52_fallback: false
            }
        );
    }

    #[test]
    fn ssh_or_no_display_uses_the_terminal() {
        // X forwarding sets DISPLAY over SSH, but that clipboard is the server's to serve.
        assert_eq!(choose_route(&env(true, true, true)), ClipboardRoute::Osc52);
        assert_eq!(
            choose_route(&env(false, false, true)),
            ClipboardRoute::Osc52
        );
        let mac_over_ssh = ClipboardEnv {
            native_clipboard: true,
            ..env(false, true, true)
        };
        assert_eq!(choose_route(&mac_over_ssh), ClipboardRoute::Osc52);
    }

    #[test]
    fn nothing_works_without_display_and_terminal() {
        assert_eq!(
            choose_route(&env(false, false, false)),
            ClipboardRoute::Unavailable
        );
        assert_eq!(
            choose_route(&env(true, true, false)),
            ClipboardRoute::Unavailable
        );
        let err = Clipboard::new()
            .copy_with(&env(false, true, false), "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Export to a file"), "{err}");
    }

    #[test]
    fn osc52_sequence_carries_base64_text() {
        let mut sink = Vec::new();
        copy_osc52(&mut sink, "hi").unwrap();
        assert_eq!(sink, b"\x1b]52;c;aGk=\x1b\\");
    }
}
