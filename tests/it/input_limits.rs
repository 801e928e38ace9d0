//! Issue 12, problems 11 and 12, through the real binary: reads are capped (with the limit and
//! the setting that raises it in the message), a FIFO or a device is refused instead of hanging
//! or reading a gigabyte, a UTF-8 BOM is accepted, invalid UTF-8 is reported at its line and
//! column, columns are never 0, and no temporary file name reaches a message.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn rolesmith(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolesmith"));
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;

#[cfg(unix)]
#[test]
fn a_fifo_and_dev_zero_are_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("policy.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    for path in [fifo.to_str().unwrap(), "/dev/zero"] {
        for args in [vec!["lint", path], vec!["render", path], vec!["edit", path]] {
            let o = rolesmith(&args, &[]);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20), "nothing hung");
}

#[test]
fn an_oversized_file_names_the_limit_and_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, format!("{POLICY}{}", " ".repeat(2048))).unwrap();
    let p = path.to_str().unwrap();
    let o = rolesmith(&["lint", p], &[("ROLESMITH_MAX_INPUT_BYTES", "1K")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("big.json") && err.contains("1 KiB"), "{err}");
    assert!(err.contains("ROLESMITH_MAX_INPUT_BYTES"), "{err}");
    let o = rolesmith(&["lint", p], &[("ROLESMITH_MAX_INPUT_BYTES", "64K")]);
    assert_eq!(o.status.code(), Some(0), "raised: {}", stderr(&o));
    // Standard input is capped too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["lint", "-"])
        .env("ROLESMITH_MAX_INPUT_BYTES", "100")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(POLICY.as_bytes());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<stdin>") && stderr(&o).contains("100 bytes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_utf8_bom_json_file_is_read_as_json_not_bad_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    std::fs::write(&path, format!("\u{feff}{POLICY}")).unwrap();
    let o = rolesmith(&["lint", path.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("TOML"), "{}", stderr(&o));
    // A role file in JSON with a BOM renders.
    let role = dir.path().join("role.json");
    std::fs::write(
        &role,
        "\u{feff}{\"name\": \"r\", \"trust\": {\"services\": [\"lambda.amazonaws.com\"]}}",
    )
    .unwrap();
    let o = rolesmith(&["render", role.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn invalid_utf8_is_reported_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.json");
    std::fs::write(
        &path,
        b"{\n  \"Version\": \"2012-10-17\",\n  \"Sid\": \"caf\xe9\"\n}",
    )
    .unwrap();
    let o = rolesmith(&["lint", path.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("latin1.json:3:14: not UTF-8"), "{err}");
}

#[test]
fn columns_are_never_0_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    // serde_json reports the end of `{\n` as column 0.
    for (name, text) in [("cut.json", "{\n"), ("role.json", "{\"name\": \"r\",\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        for cmd in ["lint", "render"] {
            let o = rolesmith(&[cmd, path.to_str().unwrap()], &[]);
            let err = stderr(&o);
            assert!(
                !err.contains(":0:") && !err.contains(":0 "),
                "{cmd} {name}: {err}"
            );
        }
    }
}

#[test]
fn write_errors_never_name_a_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("read-only");
    std::fs::create_dir(&out).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o500)).unwrap();
    }
    let seed = crate::support::SEED;
    let o = rolesmith(&["render", seed, "--out-dir", out.to_str().unwrap()], &[]);
    let err = stderr(&o);
    // Root may write anyway; then there is no error to check.
    if !o.status.success() {
        assert!(err.contains("read-only/role.json"), "{err}");
        assert!(!err.contains(".tmp") || err.contains("/tmp/.tmp"), "{err}");
        assert!(!err.contains(".rolesmith-"), "{err}");
    }
}
