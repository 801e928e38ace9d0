//! The real binary on a pseudo-terminal: edit, wait for the autosave, `kill -9`, start
//! again, resume — nothing lost. Screens are read through a vt100 emulator; the XDG folders
//! point at a temporary folder.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::pty::{Pty, rolesmith_command};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lambda-s3-writer.toml"
);

/// One run of the binary on a pty, its home and XDG folders under `home`.
fn start(home: &Path, args: &[&str]) -> Pty {
    let mut cmd = rolesmith_command(home, args);
    cmd.env_remove("NO_COLOR");
    Pty::spawn(cmd)
}

/// The autosaves written so far: `*.json` files, not the temporary file an autosave is
/// being written to (renamed into place when complete).
fn autosaves(home: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(home.join("state/rolesmith/autosave"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn killed_mid_edit_then_resumed_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let role_file = home.path().join("role.toml");
    std::fs::copy(SEED, &role_file).unwrap();
    let role_arg = role_file.to_str().unwrap().to_string();

    let mut run = start(home.path(), &["edit", &role_arg]);
    run.wait_for("Steps");
    // Open the Role step, edit the name field (i), go to its end and type.
    run.press("\r");
    run.press("i");
    run.send("\x05");
    run.send("-x");
    run.wait_for("string-reverser-x");
    // The autosave lands about a second after the last key.
    let end = Instant::now() + Duration::from_secs(60);
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

    let mut run = start(home.path(), &["edit", &role_arg]);
    run.wait_for("Resume unsaved work from");
    run.send("r");
    run.wait_for("resumed");
    assert!(run.screen().contains("string-reverser-x"));
    // Ctrl-S saves to the file and removes the autosave; then quit without a question.
    run.send("\x13");
    // "saved PATH" (the status line also says "unsaved" until then).
    run.wait_for("saved /");
    assert!(
        autosaves(home.path()).is_empty(),
        "the save removes the autosave"
    );
    run.send("\x1b");
    run.wait_for("Esc again to quit");
    run.send("q");
    run.wait_exit();
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
    let mut run = start(home.path(), &["edit", &role_arg]);
    run.wait_for("Steps");
    run.press("\r");
    run.press("i");
    run.send("\x05");
    run.send("-y");
    run.wait_for("string-reverser-y");
    run.send("\x1b");
    run.wait_gone("editing Name");
    run.send("q");
    run.wait_for("Quit with unsaved changes?");
    run.send("c");
    run.send("q");
    run.wait_for("Quit with unsaved changes?");
    run.send("d");
    run.wait_exit();
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
    let mut run = start(
        home.path(),
        &[
            "edit",
            "--trust",
            trust.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
        ],
    );
    run.wait_for("Steps");
    run.send("3"); // the step list has the keyboard
    run.wait_for("Permissions · 1 statement");
    run.wait_for("write-reports");
    run.wait_for("arn:aws:s3:::reports/*");
    run.send("2");
    run.wait_for("lambda.amazonaws.com");
    run.send("q");
    // Nothing was saved yet: quitting asks; discard.
    run.wait_for("Quit with unsaved changes?");
    run.send("d");
    run.wait_exit();
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
    let mut run = start(home.path(), &[]);
    run.wait_for("config.toml:2:");
    run.send("\x1b");
    run.wait_for("Esc again to quit");
    run.send("q");
    run.wait_exit();
}
