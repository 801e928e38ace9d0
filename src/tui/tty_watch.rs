//! Notices that the terminal went away — a closed window, a dropped ssh connection — so the
//! editor ends cleanly (autosave written) instead of running on without a screen.
//!
//! crossterm 0.29 cannot be asked this: once the terminal hangs up, reading it returns end of
//! file (or an I/O error) for ever, and its `poll` loops on that read without returning, so
//! the event loop never looks at its signal flag again and the process keeps one core busy
//! (seen here: editors of closed tmux windows still running an hour later). The event loop
//! therefore waits on the terminal itself through this watch and hands over to crossterm only
//! while the terminal is alive.

use std::time::Duration;

/// The terminal's input, watched for input and for a hang-up.
pub struct TtyWatch {
    #[cfg(unix)]
    poll: mio::Poll,
    #[cfg(unix)]
    events: mio::Events,
    /// `/dev/tty`, opened when standard input is not the terminal (crossterm reads that too).
    #[cfg(unix)]
    _tty: Option<std::fs::File>,
}

/// What a wait ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watched {
    /// Input, a signal or the time was up: look at crossterm's events and the signal flag.
    Awake,
    /// The terminal hung up or failed: nothing can be read or drawn any more.
    Gone,
}

impl TtyWatch {
    /// Watches the terminal crossterm reads (standard input when it is a terminal, else
    /// `/dev/tty`); `None` when that cannot be set up (then the loop waits in crossterm).
    #[cfg(unix)]
    pub fn open() -> Option<TtyWatch> {
        use std::io::IsTerminal;
        use std::os::fd::AsRawFd;

        let tty = if std::io::stdin().is_terminal() {
            None
        } else {
            Some(std::fs::File::open("/dev/tty").ok()?)
        };
        let fd = tty.as_ref().map_or(0, AsRawFd::as_raw_fd);
        let poll = mio::Poll::new().ok()?;
        poll.registry()
            .register(
                &mut mio::unix::SourceFd(&fd),
                mio::Token(0),
                mio::Interest::READABLE,
            )
            .ok()?;
        Some(TtyWatch {
            poll,
            events: mio::Events::with_capacity(4),
            _tty: tty,
        })
    }

    #[cfg(not(unix))]
    pub fn open() -> Option<TtyWatch> {
        None
    }

    /// Waits up to `wait` for input on the terminal. A signal ends the wait early (the
    /// system call is interrupted), which is how SIGTERM/SIGHUP and resizes are seen at once.
    #[cfg(unix)]
    pub fn wait(&mut self, wait: Duration) -> Watched {
        match self.poll.poll(&mut self.events, Some(wait)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Watched::Awake,
            Err(_) => return Watched::Gone,
        }
        let gone = self
            .events
            .iter()
            .any(|e| e.is_read_closed() || e.is_error());
        if gone { Watched::Gone } else { Watched::Awake }
    }

    #[cfg(not(unix))]
    pub fn wait(&mut self, _wait: Duration) -> Watched {
        Watched::Awake
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_end_is_gone_and_an_open_one_only_times_out() {
        // A pipe stands in for the terminal: its read end reports "closed" once the writer is
        // gone, as a hung-up terminal does.
        use std::os::fd::AsRawFd;
        let (reader, writer) = std::io::pipe().expect("a pipe");
        let fd = reader.as_raw_fd();
        let poll = mio::Poll::new().expect("poll");
        poll.registry()
            .register(
                &mut mio::unix::SourceFd(&fd),
                mio::Token(0),
                mio::Interest::READABLE,
            )
            .expect("register");
        let mut watch = TtyWatch {
            poll,
            events: mio::Events::with_capacity(4),
            _tty: None,
        };
        assert_eq!(watch.wait(Duration::from_millis(1)), Watched::Awake);
        drop(writer);
        assert_eq!(watch.wait(Duration::from_millis(1000)), Watched::Gone);
        drop(reader);
    }
}
