//! Issue 12, problem 1: text from files reaches the terminal raw. Policies, role files and
//! file names holding ESC sequences, OSC 52 (writes the clipboard), CR, LF and GitHub
//! workflow commands (`::error::`) are linted and shown through the real binary; no control
//! byte may reach stdout or stderr, and no output line may start a workflow command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Everything an attacker would put in a string: a screen clear, OSC 52 with its BEL, CR and
/// LF followed by a forged workflow command, and a C1 CSI.
const EVIL: &str = "\x1b[2J\x1b]52;c;aGk=\x07\r\n::error file=x::forged\u{9b}31m";

fn run(args: &[&std::ffi::OsStr], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .unwrap()
}

/// No C0 control but the line feed ending each line, no DEL, no C1 control, and no line
/// that GitHub Actions would read as a workflow command.
fn assert_printable(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}');
        assert!(!bad, "{what}: U+{:04X} at byte {i} in {text:?}", c as u32);
    }
    for line in text.lines() {
        assert!(
            !line.starts_with("::"),
            "{what}: workflow command line {line:?}"
        );
    }
}

/// A policy whose Sid, action and resource hold [`EVIL`], in a file whose name holds it too.
fn evil_policy(dir: &Path) -> PathBuf {
    let name = format!("p{}.json", EVIL.replace('/', "_"));
    let path = dir.join(name);
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": format!("S{EVIL}"),
            "Effect": "Allow",
            "Action": [format!("s3:Get{EVIL}"), format!("evil{EVIL}:Do")],
            "Resource": format!("arn:aws:s3:::bucket{EVIL}")
        }]
    });
    std::fs::write(&path, serde_json::to_string_pretty(&policy).unwrap()).unwrap();
    path
}

#[test]
fn lint_text_report_holds_no_control_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let policy = evil_policy(dir.path());
    let o = run(&["lint".as_ref(), policy.as_os_str()], dir.path());
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The text report is on stdout (issue 16).
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("␛]52;c;aGk=␇"), "shown visibly: {report}");
    assert!(report.contains("error[invalid-sid]"), "{report}");
    assert_printable("stdout", &o.stdout);
    assert_printable("stderr", &o.stderr);
}

#[test]
fn lint_json_and_sarif_reports_escape_by_json_grammar() {
    let dir = tempfile::tempdir().unwrap();
    let policy = evil_policy(dir.path());
    for format in ["json", "sarif"] {
        let o = run(
            &[
                "lint".as_ref(),
                "--format".as_ref(),
                format.as_ref(),
                policy.as_os_str(),
            ],
            dir.path(),
        );
        assert_printable(format, &o.stdout);
        assert_printable(format, &o.stderr);
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            report.to_string().contains("aGk="),
            "{format}: the text is kept"
        );
    }
}

#[test]
fn a_file_name_starting_a_workflow_command_cannot_start_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.json");
    std::fs::write(&path, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .current_dir(dir.path())
        .args(["lint", "::error file=x::forged.json"])
        .output()
        .unwrap();
    // The file does not exist: the error line names it, but starts with `rolesmith:`.
    assert_eq!(o.status.code(), Some(2));
    assert_printable("stderr", &o.stderr);
    std::fs::copy(&path, dir.path().join("::error file=x::forged.json")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .current_dir(dir.path())
        .args(["lint", "::error file=x::forged.json"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("./::error file=x::forged.json:1:"),
        "{report}"
    );
    assert_printable("stdout", &o.stdout);
    assert_printable("stderr", &o.stderr);
}

#[test]
fn error_messages_quote_file_names_and_contents_visibly() {
    let dir = tempfile::tempdir().unwrap();
    // A role file (TOML) with an unknown key holding escapes: serde quotes the key.
    let role = dir
        .path()
        .join(format!("role{}.toml", EVIL.replace('/', "_")));
    std::fs::write(
        &role,
        "name = \"r\"\n\"\\u001b]52;c;aGk=\\u0007\\r\\n::error::x\" = 1\n",
    )
    .unwrap();
    for args in [
        vec!["render".as_ref(), role.as_os_str()],
        vec!["lint".as_ref(), role.as_os_str()],
        vec!["edit".as_ref(), role.as_os_str()],
    ] {
        let o = run(&args, dir.path());
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("rolesmith: error: "), "{err}");
        assert!(
            err.contains("unknown field `␛]52;c;aGk=␇␍␊::error::x`"),
            "{err}"
        );
        assert_printable("stderr", &o.stderr);
    }
    // A missing file whose name holds the escapes.
    let missing = dir
        .path()
        .join(format!("missing{}.json", EVIL.replace('/', "_")));
    let o = run(&["lint".as_ref(), missing.as_os_str()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_printable("stderr", &o.stderr);
}
