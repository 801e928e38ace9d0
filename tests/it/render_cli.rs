//! `rolesmith render` through the real binary: the seed's role exactly, `--out-dir`, and a
//! clear positioned error (exit 2, nothing on stdout, nothing written) for each bad role file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn rolesmith(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn repo_file(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn the_seed_role_renders_exactly() {
    let home = tempfile::tempdir().unwrap();
    let out = rolesmith(
        &["render", &repo_file("examples/lambda-s3-writer.toml")],
        home.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let compact = |v: &Value| serde_json::to_string(v).unwrap();
    assert_eq!(
        compact(&v["AssumeRolePolicyDocument"]),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    );
    assert_eq!(
        compact(&v["Policies"][0]["PolicyDocument"]),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::my-super-specific-bucket/*"}]}"#
    );
    assert_eq!(
        v["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
    );
    assert_eq!(v["RoleName"], "string-reverser");
    assert_eq!(v["Policies"][0]["PolicyName"], "write-reversed-strings");
    assert!(v.get("Path").is_none(), "absent keys are omitted");
}

#[test]
fn every_example_renders_in_both_formats() {
    let home = tempfile::tempdir().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        seen += 1;
        for format in ["json", "console"] {
            let out = rolesmith(
                &["render", path.to_str().unwrap(), "--format", format],
                home.path(),
            );
            assert!(
                out.status.success(),
                "{} --format {format}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!out.stdout.is_empty());
        }
    }
    assert!(seen >= 4, "the four examples of the foundation issue");
}

#[test]
fn out_dir_writes_each_document_and_refuses_to_overwrite() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("out");
    let seed = repo_file("examples/lambda-s3-writer.toml");
    let out = rolesmith(
        &["render", &seed, "--out-dir", dir.to_str().unwrap()],
        home.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "policy-write-reversed-strings.json",
            "role.json",
            "trust-policy.json"
        ]
    );
    let trust: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("trust-policy.json")).unwrap())
            .unwrap();
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );

    std::fs::write(dir.join("trust-policy.json"), "keep me").unwrap();
    let again = rolesmith(
        &["render", &seed, "--out-dir", dir.to_str().unwrap()],
        home.path(),
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.join("trust-policy.json")).unwrap(),
        "keep me"
    );

    let forced = rolesmith(
        &[
            "render",
            &seed,
            "--out-dir",
            dir.to_str().unwrap(),
            "--force",
        ],
        home.path(),
    );
    assert_eq!(forced.status.code(), Some(0));
    assert_ne!(
        std::fs::read_to_string(dir.join("trust-policy.json")).unwrap(),
        "keep me"
    );
}

/// Renders a bad role file (also with `--out-dir`) and checks the one clear error.
fn assert_bad_role(file: &str, line: usize, column: usize, message_part: &str) {
    let home = tempfile::tempdir().unwrap();
    let path = repo_file(&format!("tests/fixtures/bad-roles/{file}"));
    let out_dir = home.path().join("out");
    for args in [
        vec!["render", path.as_str()],
        vec![
            "render",
            path.as_str(),
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
    ] {
        let out = rolesmith(&args, home.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(out.stdout.is_empty(), "{file}: nothing on stdout");
        let expected_prefix = format!("rolesmith: error: {path}:{line}:{column}: ");
        assert!(
            stderr.starts_with(&expected_prefix),
            "{file}: expected {expected_prefix:?}, got {stderr:?}"
        );
        assert!(
            stderr.contains(message_part),
            "{file}: {stderr:?} lacks {message_part:?}"
        );
        assert_eq!(stderr.lines().count(), 1, "{file}: one message: {stderr:?}");
        assert!(!out_dir.exists(), "{file}: nothing written");
    }
}

#[test]
fn toml_syntax_error() {
    assert_bad_role("toml-syntax.toml", 4, 35, "");
}

#[test]
fn unknown_key() {
    assert_bad_role("unknown-key.toml", 9, 1, "unknown field `action`");
}

#[test]
fn wrong_type() {
    assert_bad_role("wrong-type.toml", 2, 24, "invalid type");
}

#[test]
fn invalid_role_name() {
    assert_bad_role(
        "invalid-role-name.toml",
        2,
        1,
        "invalid role name \"my lambda role\"",
    );
}

#[test]
fn session_duration_out_of_range() {
    assert_bad_role("session-duration.toml", 3, 1, "3600 to 43200");
}

#[test]
fn malformed_account_id() {
    assert_bad_role("account-id.toml", 3, 15, "12 digits");
}

#[test]
fn unknown_managed_policy() {
    assert_bad_role(
        "unknown-managed-policy.toml",
        4,
        3,
        "\"AWSLambdaBasicExecution\"",
    );
}

#[test]
fn github_trust_without_account() {
    assert_bad_role("github-without-account.toml", 5, 11, "set `account`");
}

#[test]
fn json_role_file_errors_point_into_the_json() {
    assert_bad_role("json-role-bad-name.json", 2, 11, "invalid role name");
}

#[test]
fn tag_with_the_reserved_prefix() {
    assert_bad_role("tag-reserved-prefix.toml", 5, 1, "reserves");
}

#[test]
fn tag_keys_that_differ_only_in_case() {
    assert_bad_role("tag-keys-differ-in-case.toml", 2, 27, "differ only in case");
}

#[test]
fn unknown_permissions_boundary() {
    assert_bad_role(
        "boundary-unknown.toml",
        3,
        1,
        "unknown permissions boundary \"DeveloperBoundary\"",
    );
}

#[test]
fn trusted_role_by_name_without_account() {
    assert_bad_role(
        "trust-role-without-account.toml",
        4,
        47,
        "needs the role's `account`",
    );
}

#[test]
fn created_policy_without_account() {
    assert_bad_role(
        "created-policy-without-account.toml",
        8,
        1,
        "needs the role's `account`",
    );
}

#[test]
fn created_oidc_provider_without_audience() {
    assert_bad_role("oidc-provider-without-audience.toml", 6, 9, "set `aud`");
}

/// Runs the binary with `stdin` as standard input.
fn rolesmith_with_stdin(args: &[&str], stdin: &[u8], home: &Path) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn render_reads_the_role_from_stdin() {
    let home = tempfile::tempdir().unwrap();
    let seed = repo_file("examples/lambda-s3-writer.toml");
    let from_file = rolesmith(&["render", &seed, "--format", "terraform"], home.path());
    let text = std::fs::read(&seed).unwrap();
    let from_stdin = rolesmith_with_stdin(
        &["render", "-", "--format", "terraform"],
        &text,
        home.path(),
    );
    assert_eq!(from_stdin.status.code(), Some(0));
    assert_eq!(from_stdin.stdout, from_file.stdout);
    // Findings and errors name standard input, with positions.
    let stderr = String::from_utf8_lossy(&from_stdin.stderr);
    assert!(
        stderr.contains("\n<stdin>:14:28: warning[permissions-management]"),
        "{stderr}"
    );
    let bad = rolesmith_with_stdin(&["render", "-"], b"name = \"a b\"\n", home.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .starts_with("rolesmith: error: <stdin>:1:1: invalid role name")
    );
    let path_trust = b"name = \"r\"\n[trust]\ndocument = \"trust.json\"\n";
    let out = rolesmith_with_stdin(&["render", "-"], path_trust, home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be resolved for standard input"));
    let out = rolesmith_with_stdin(&["render", "-"], b"name = \"\xff\"", home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
}

#[test]
fn man_prints_the_whole_reference_or_one_page_per_command() {
    let home = tempfile::tempdir().unwrap();
    let out = rolesmith(&["man"], home.path());
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH rolesmith 1"));
    assert!(page.contains(".SH \"ROLESMITH CATALOG MANAGED\""));
    let dir = home.path().join("man1");
    let out = rolesmith(&["man", "--out-dir", dir.to_str().unwrap()], home.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for page in [
        "rolesmith.1",
        "rolesmith-render.1",
        "rolesmith-catalog-managed.1",
    ] {
        assert!(dir.join(page).is_file(), "{page}");
    }
}

#[test]
fn missing_role_file() {
    let home = tempfile::tempdir().unwrap();
    let out = rolesmith(&["render", "/nonexistent/role.toml"], home.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/nonexistent/role.toml: cannot read"),
        "{stderr}"
    );
}

#[test]
fn no_subcommand_without_a_terminal_says_so() {
    let home = tempfile::tempdir().unwrap();
    let out = rolesmith(&[], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("terminal"));
}

#[test]
fn completions_help_and_version() {
    let home = tempfile::tempdir().unwrap();
    let out = rolesmith(&["completions", "bash"], home.path());
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(script.contains("rolesmith"));
    for name in [
        "lambda-s3-writer",
        "AWSLambdaBasicExecutionRole",
        "resource-mismatch",
    ] {
        assert!(script.contains(name), "completions know {name}");
    }
    // The names are for completion only: parsing keeps its own messages.
    let out = rolesmith(&["explain", "no-such-code"], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("possible values"));
    let out = rolesmith(&["--version"], home.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rolesmith "));
    let out = rolesmith(&["--help"], home.path());
    assert_eq!(out.status.code(), Some(0));
    let out = rolesmith(&["render", "--format", "yaml", "x.toml"], home.path());
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}
