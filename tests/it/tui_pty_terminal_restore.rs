//! The real binary in a pseudo-terminal: start, add a statement, export to a file, quit;
//! the terminal is restored (alternate screen left, cursor shown, raw mode off), also after
//! a forced panic. Without a terminal the wizard refuses with exit 2.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_rolesmith");

/// A program running in a pty, with everything it printed so far.
struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    // Kept so the pty stays open until the session ends.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Runs `script` with `sh -c` in a 120x40 pty inside `dir`, with hermetic XDG dirs.
    fn start(dir: &Path, script: &str, envs: &[(&str, &str)]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(script);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        for x in ["XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"] {
            cmd.env(x, dir.join(x.to_lowercase()));
        }
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            output,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The screen as a vt100 terminal shows it now.
    fn screen(&self) -> String {
        let mut p = vt100::Parser::new(40, 120, 0);
        p.process(&self.bytes());
        p.screen().contents()
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.screen().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Let the app read and redraw before the next key (Esc must not merge with it).
        std::thread::sleep(Duration::from_millis(120));
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Give the reader thread a moment to drain the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status.exit_code();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the program did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

/// The sequences that give the terminal back came after the ones that took it.
fn assert_restored(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let enter = text
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = text
        .rfind("\x1b[?1049l")
        .expect("left the alternate screen");
    let show = text.rfind("\x1b[?25h").expect("showed the cursor");
    assert!(leave > enter && show > enter, "restore came before set-up");
    // `stty -a` ran after rolesmith on the same tty: canonical mode and echo are back on.
    let stty = &text[leave..];
    assert!(
        stty.contains("icanon") && !stty.contains("-icanon"),
        "raw mode still on: {stty}"
    );
    assert!(
        stty.contains(" echo ") && !stty.contains("-echo "),
        "echo still off: {stty}"
    );
}

#[test]
fn add_a_statement_export_it_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!("'{BIN}'; code=$?; stty -a; echo EXIT=$code");
    let mut s = Session::start(dir.path(), &script, &[]);
    s.wait_for("Steps");
    s.send("pty-role");
    s.send("\x1b"); // leave the name field
    s.send("2");
    s.wait_for("lambda.amazonaws.com");
    s.send(" "); // trust Lambda (first row)
    s.send("3");
    s.send("a");
    s.send("s3");
    s.send("\r");
    s.send("PutObject");
    s.wait_for("[ ] PutObject");
    s.send(" ");
    s.wait_for("[x] PutObject");
    s.send("\r");
    s.wait_for("BucketName");
    s.send("pty-bucket");
    for _ in 0..3 {
        s.send("\r"); // BucketName → ObjectName → next type → conditions
    }
    s.wait_for("Continue");
    s.send("\r"); // no conditions
    s.send("\r\r\r"); // effect, sid, policy: save
    s.wait_for("statement added");
    s.send("6");
    s.wait_for("Export");
    s.send("\x1b[B\x1b[B\x1b[B"); // down to the file name
    s.send("\x15"); // Ctrl-U
    s.send("out.json");
    s.send("\r");
    if s.screen().contains("Findings remain") {
        s.send("y");
    }
    s.wait_for("exported to out.json");
    s.send("\x1b"); // leave the file name field, then quit
    s.send("q");
    s.wait_for("Quit with unsaved changes?");
    s.send("d"); // discard
    s.wait_exit();
    s.wait_for("EXIT=0");
    let exported = std::fs::read_to_string(dir.path().join("out.json")).expect("exported");
    assert!(exported.contains("\"s3:PutObject\""), "{exported}");
    assert!(exported.contains("arn:aws:s3:::pty-bucket/*"), "{exported}");
    assert!(exported.contains("lambda.amazonaws.com"), "{exported}");
    assert_restored(&s.bytes());
}

#[test]
fn a_panic_restores_the_terminal_too() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!("'{BIN}'; code=$?; stty -a; echo EXIT=$code");
    let mut s = Session::start(dir.path(), &script, &[("ROLESMITH_TEST_PANIC", "1")]);
    s.wait_exit();
    s.wait_for("EXIT=");
    let text = String::from_utf8_lossy(&s.bytes()).to_string();
    assert!(text.contains("forced panic"), "{text}");
    assert!(text.contains("EXIT=101"), "{text}");
    assert_restored(&s.bytes());
}

#[test]
fn without_a_terminal_it_says_so_and_exits_2() {
    for args in [&[][..], &["new"][..], &["edit", "x.toml"][..]] {
        let out = std::process::Command::new(BIN)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs a terminal"), "{err}");
    }
}

#[test]
fn templates_are_listed_and_unknown_ones_refused() {
    let out = std::process::Command::new(BIN)
        .arg("templates")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("lambda-s3-writer"));
}
