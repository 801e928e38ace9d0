//! The real binary in a pseudo-terminal, for the tests that need a terminal (restoring it,
//! signals, autosave). What it draws is fed to a vt100 emulator as it arrives; tests wait
//! for what the screen shows, never for a fixed time, so a slow machine only makes them
//! slower, not flaky.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The pty's size: the rows and columns the programs draw into.
pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;

/// How long a wait may take before the test fails with the screen. Generous: the machine
/// may be busy building or testing something else; a passing test never waits this long.
const DEADLINE: Duration = Duration::from_secs(60);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(10);

/// Everything the program wrote: the raw bytes and the screen they draw.
struct Output {
    raw: Vec<u8>,
    screen: vt100::Parser,
}

/// A program running in a pty.
pub struct Pty {
    output: Arc<Mutex<Output>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    // Kept so the pty stays open as long as the session.
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts `cmd` in a fresh COLS x ROWS pty; a thread reads what it writes.
    pub fn spawn(cmd: CommandBuilder) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let output = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            screen: vt100::Parser::new(ROWS, COLS, 0),
        }));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
                out.raw.extend_from_slice(&buf[..n]);
                out.screen.process(&buf[..n]);
            }
        });
        Pty {
            output,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn output(&self) -> std::sync::MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every byte written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.output().raw.clone()
    }

    /// Every byte written so far, as text (escape sequences included).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output().raw).into_owned()
    }

    /// The screen's text as the terminal shows it now.
    pub fn screen(&self) -> String {
        self.output().screen.screen().contents()
    }

    /// The screen with its attributes and the cursor: what a key press changes.
    fn state(&self) -> (Vec<u8>, (u16, u16)) {
        let out = self.output();
        let screen = out.screen.screen();
        (screen.state_formatted(), screen.cursor_position())
    }

    /// Waits until `done` holds; panics naming `what` with the screen after the deadline.
    fn wait_until(&self, what: &str, mut done: impl FnMut(&Pty) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |p| p.screen().contains(text));
    }

    /// Waits until the screen no longer shows `text` (a closed overlay; a change seen by
    /// [`Pty::press`] may be only the first part of the redraw).
    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |p| !p.screen().contains(text));
    }

    /// Waits until the screen shows one of `texts`; returns the one it shows.
    pub fn wait_for_any<'a>(&self, texts: &[&'a str]) -> &'a str {
        let mut found = None;
        self.wait_until(&format!("one of {texts:?}"), |p| {
            let screen = p.screen();
            found = texts.iter().copied().find(|t| screen.contains(t));
            found.is_some()
        });
        found.expect("waited for it")
    }

    /// Waits until `text` shows on the screen or in the raw output (what a shell prints
    /// after the program may land on either screen).
    pub fn wait_for_output(&self, text: &str) {
        self.wait_until(&format!("{text:?} in the output"), |p| {
            p.screen().contains(text) || p.text().contains(text)
        });
    }

    /// Writes `keys` and returns at once.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Writes `keys` and waits until the screen changes. A redraw can arrive in parts, so
    /// the change seen may still be the previous key's: for Esc (an Esc followed at once by
    /// another key reads as Alt+key) `send` it and wait for what it does instead
    /// (`wait_gone("editing …")`, `wait_for("Esc again to quit")`). Only for keys that change
    /// what is shown.
    pub fn press(&mut self, keys: &str) {
        let before = self.state();
        self.send(keys);
        self.wait_until(&format!("the screen to change after {keys:?}"), |p| {
            p.state() != before
        });
    }

    /// The process id of the program started (the shell, when it runs under `sh -c`).
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Waits for the program to end; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.exit_code();
            }
            if start.elapsed() >= DEADLINE {
                let _ = self.child.kill();
                panic!("the program did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Ends the program with SIGKILL (nothing of it runs afterwards) and reaps it.
    pub fn kill_9(&mut self) {
        let status = std::process::Command::new("kill")
            .args(["-9", &self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let _ = self.child.wait();
    }
}

/// In the statement editor, from the S3 object ARN's BucketName being edited on the
/// Resources page to the Conditions page, one Enter at a time, each waited for (a redraw can
/// arrive in parts, so "the screen changed" is not "the key is done"): Enter finishes
/// BucketName and goes on to ObjectName, Enter edits it, Enter finishes it and goes on to the
/// access point's check box, Enter goes on a page.
pub fn leave_the_s3_object_builder(run: &mut Pty) {
    run.press("\r");
    run.wait_gone("editing BucketName");
    run.press("\r");
    run.wait_for("editing ObjectName");
    run.press("\r");
    run.wait_gone("editing ObjectName");
    run.press("\r");
    run.wait_for("New statement · Conditions");
}

/// The real binary with `args`, its home and XDG folders under `home` (so a run never sees the
/// user's catalog, autosaves or config) and a colour terminal; tests add what they need.
pub fn rolesmith_command(home: &std::path::Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_rolesmith"));
    cmd.args(args);
    cmd.env("HOME", home);
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(home);
    cmd
}
