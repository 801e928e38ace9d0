//! The real binary in a pseudo-terminal: start, add a statement, export to a file, quit;
//! the terminal is restored (alternate screen left, cursor shown, raw mode off), also after
//! a forced panic. Without a terminal the wizard refuses with exit 2.

#![cfg(unix)]

use std::path::Path;

use portable_pty::CommandBuilder;

use crate::support::pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_rolesmith");

/// Runs `script` with `sh -c` in a pty inside `dir`, with hermetic XDG dirs.
fn start(dir: &Path, script: &str, envs: &[(&str, &str)]) -> Pty {
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
    Pty::spawn(cmd)
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
    let mut s = start(dir.path(), &script, &[]);
    s.wait_for("Steps");
    s.press("\r"); // the step list has the keyboard: open the Role step
    s.press("\r"); // edit its Name field
    s.wait_for("editing Name");
    s.send("pty-role");
    s.wait_for("pty-role");
    s.send("\x1b"); // done editing
    s.wait_gone("editing Name");
    s.send("2");
    s.wait_for("lambda.amazonaws.com");
    s.press(" "); // trust Lambda (first row)
    s.press("3");
    s.press("a");
    s.press("s3");
    s.press("\r");
    s.send("PutObject");
    s.wait_for("[ ] PutObject");
    s.send(" ");
    s.wait_for("[x] PutObject");
    s.send("\r");
    s.wait_for("BucketName");
    s.press("i"); // edit BucketName
    s.press("pty-bucket");
    crate::support::pty::leave_the_s3_object_builder(&mut s);
    s.press("\r"); // no conditions
    s.send("\r\r\r\r\r"); // effect; sid: edit, done; policy: edit, done → save
    s.wait_for("statement added");
    s.press("6");
    s.press("\x1b[B\x1b[B\x1b[B"); // down to the file name
    s.press("i"); // edit it
    s.press("\x15"); // Ctrl-U
    s.press("out.json");
    s.send("\r");
    if s.wait_for_any(&["Findings remain", "exported to out.json"]) == "Findings remain" {
        s.send("y");
    }
    s.wait_for("exported to out.json");
    s.send("\x1b"); // back to the step list, then quit
    s.wait_for("Esc again to quit");
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
    let mut s = start(dir.path(), &script, &[("ROLESMITH_TEST_PANIC", "1")]);
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
