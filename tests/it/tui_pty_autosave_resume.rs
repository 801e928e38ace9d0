//! The real binary on a pseudo-terminal: edit, wait for the autosave, `kill -9`, start
//! again, resume — nothing lost. Screens are read through a vt100 emulator; the XDG folders
//! point at a temporary folder.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lambda-s3-writer.toml"
);

/// One run of the binary on a pty.
struct Run {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Run {
    fn start(home: &Path, args: &[&str]) -> Run {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_rolesmith"));
        cmd.args(args);
        cmd.env("HOME", home);
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn rolesmith");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        // Keep the master alive as long as the run: it owns the pty.
        std::mem::forget(pair.master);
        Run {
            child,
            writer,
            screen,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen after `secs`.
    fn wait_for(&self, text: &str, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Let the app read and redraw before the next key.
        std::thread::sleep(Duration::from_millis(150));
    }

    fn kill_9(&mut self) {
        let pid = self.child.process_id().expect("a pid");
        let status = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let _ = self.child.wait();
    }

    fn wait_exit(&mut self, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("did not exit; screen:\n{}", self.contents());
    }
}

fn autosaves(home: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(home.join("state/rolesmith/autosave"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn killed_mid_edit_then_resumed_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let role_file = home.path().join("role.toml");
    std::fs::copy(SEED, &role_file).unwrap();
    let role_arg = role_file.to_str().unwrap().to_string();

    let mut run = Run::start(home.path(), &["edit", &role_arg]);
    run.wait_for("Steps", 20);
    // The name field has the keyboard: go to its end and type.
    run.send(b"\x05");
    run.send(b"-x");
    run.wait_for("string-reverser-x", 5);
    // The autosave lands about a second after the last key.
    let end = Instant::now() + Duration::from_secs(10);
    while autosaves(home.path()).is_empty() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
    }
    let saved = autosaves(home.path());
    assert_eq!(saved.len(), 1, "one autosave: {saved:?}");
    let text = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(text.contains("string-reverser-x"), "{text}");
    run.kill_9();
    // The role file itself was never touched.
    assert!(
        std::fs::read_to_string(&role_file)
            .unwrap()
            .contains("name = \"string-reverser\"\n")
    );

    let mut run = Run::start(home.path(), &["edit", &role_arg]);
    run.wait_for("Resume unsaved work from", 20);
    run.send(b"r");
    run.wait_for("resumed", 5);
    assert!(run.contents().contains("string-reverser-x"));
    // Ctrl-S saves to the file and removes the autosave; then quit without a question.
    run.send(b"\x13");
    run.wait_for("saved", 5);
    assert!(
        autosaves(home.path()).is_empty(),
        "the save removes the autosave"
    );
    run.send(b"\x1b");
    run.send(b"q");
    run.wait_exit(10);
    let role = rolesmith::role::load_role_file(&role_file).unwrap();
    assert_eq!(role.name, "string-reverser-x");
    assert_eq!(
        role.policies[0].statements[0].resources,
        vec!["arn:aws:s3:::my-super-specific-bucket/*"]
    );
}

#[test]
fn quitting_asks_and_discard_leaves_no_autosave() {
    let home = tempfile::tempdir().unwrap();
    let role_file = home.path().join("role.toml");
    std::fs::copy(SEED, &role_file).unwrap();
    let role_arg = role_file.to_str().unwrap().to_string();
    let mut run = Run::start(home.path(), &["edit", &role_arg]);
    run.wait_for("Steps", 20);
    run.send(b"\x05");
    run.send(b"-y");
    run.send(b"\x1b");
    run.send(b"q");
    run.wait_for("Quit with unsaved changes?", 5);
    run.send(b"c");
    run.send(b"q");
    run.wait_for("Quit with unsaved changes?", 5);
    run.send(b"d");
    run.wait_exit(10);
    assert!(autosaves(home.path()).is_empty());
    let role = rolesmith::role::load_role_file(&role_file).unwrap();
    assert_eq!(role.name, "string-reverser");
}

#[test]
fn edit_opens_existing_trust_and_policy_documents() {
    let home = tempfile::tempdir().unwrap();
    let trust = home.path().join("trust.json");
    std::fs::write(
        &trust,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let policy = home.path().join("write-reports.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::reports/*"}]}"#,
    )
    .unwrap();
    let mut run = Run::start(
        home.path(),
        &[
            "edit",
            "--trust",
            trust.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
        ],
    );
    run.wait_for("Steps", 20);
    run.send(b"\x1b");
    run.send(b"3");
    run.wait_for("write-reports", 5);
    run.wait_for("arn:aws:s3:::reports/*", 5);
    run.send(b"2");
    run.wait_for("lambda.amazonaws.com", 5);
    run.send(b"q");
    // Nothing was saved yet: quitting asks; discard.
    run.wait_for("Quit with unsaved changes?", 5);
    run.send(b"d");
    run.wait_exit(10);
}

#[test]
fn edit_with_broken_documents_says_where_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let broken = home.path().join("trust.json");
    std::fs::write(
        &broken,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["edit", "--trust", broken.to_str().unwrap()])
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("trust.json:3:"), "{err}");

    // A permission policy given as --trust is refused by name.
    let policy = home.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["edit", "--trust", policy.to_str().unwrap()])
        .env("XDG_STATE_HOME", home.path().join("state"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--trust needs a trust policy"), "{err}");
}

#[test]
fn a_bad_config_is_reported_at_start_and_the_defaults_work() {
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("config/rolesmith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[keys]\nquit = \"ctrl-nope\"\n").unwrap();
    let mut run = Run::start(home.path(), &[]);
    run.wait_for("config.toml:2:", 20);
    run.send(b"\x1b");
    run.send(b"q");
    run.wait_exit(10);
}
