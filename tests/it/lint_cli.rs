//! `rolesmith lint` and `rolesmith explain` through the real binary: formats, exit codes,
//! standard input, several files, suppressions, and SARIF validated against its schema.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rolesmith");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bad(name: &str) -> String {
    root()
        .join("tests/policies/bad")
        .join(name)
        .display()
        .to_string()
}

fn ok(name: &str) -> String {
    root()
        .join("tests/policies/ok")
        .join(name)
        .display()
        .to_string()
}

/// Runs the binary with a hermetic XDG environment (no user catalog).
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_STATE_HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn text_report_lines_and_summary() {
    let file = bad("resource-mismatch.json");
    let out = run(&["lint", &file], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Every report is the command's result: stdout (issue 16); stderr stays empty.
    let text = stdout(&out);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "{file}:7:19: error[resource-mismatch] s3:PutObject "
        )),
        "{first}"
    );
    assert!(
        text.ends_with("3 errors, 0 warnings, 0 suggestions in 1 file\n"),
        "{text}"
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let seed = root()
        .join("examples/lambda-s3-writer.toml")
        .display()
        .to_string();
    // One warning (permissions-management) and one suggestion.
    assert_eq!(run(&["lint", &seed], None).status.code(), Some(1));
    assert_eq!(
        run(&["lint", "--fail-on", "error", &seed], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["lint", "--fail-on", "never", &seed], None)
            .status
            .code(),
        Some(0)
    );
    let clean = ok("lambda-s3-writer.json");
    assert_eq!(run(&["lint", &clean], None).status.code(), Some(0));
    assert_eq!(
        run(
            &["lint", "--fail-on", "suggestion", &ok("lambda-trust.json")],
            None
        )
        .status
        .code(),
        Some(1)
    );
    // Unreadable file, unknown option value, unknown --ignore code: exit 2.
    let missing = run(&["lint", "/nonexistent/p.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/nonexistent/p.json"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(
        run(&["lint", "--fail-on", "sometimes", &clean], None)
            .status
            .code(),
        Some(2)
    );
    let ignore = run(&["lint", "--ignore", "no-such-code", &clean], None);
    assert_eq!(ignore.status.code(), Some(2));
    assert!(stderr(&ignore).contains("no-such-code"));
}

#[test]
fn a_broken_role_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("role.toml");
    std::fs::write(&path, "name = \"x\"\n[trust\n").unwrap();
    let out = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("role.toml:2:"), "{}", stderr(&out));
}

#[test]
fn json_report_has_the_guide_shape() {
    let out = run(
        &[
            "lint",
            "--format",
            "json",
            &bad("resource-mismatch.json"),
            &ok("lambda-trust.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["kind"], "identity");
    assert_eq!(files[1]["kind"], "trust");
    let f = &files[0]["findings"][0];
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code",
            "severity",
            "message",
            "statement",
            "pointer",
            "line",
            "column"
        ]
    );
    assert_eq!(f["code"], "resource-mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["statement"], 0);
    assert_eq!(f["pointer"], "/Statement/0/Resource");
    assert_eq!(f["line"], 7);
    assert_eq!(f["column"], 19);
    assert_eq!(v["summary"]["error"], 3);
    assert_eq!(v["summary"]["warning"], 0);
    assert_eq!(v["summary"]["suggestion"], 1);
}

/// What the SARIF report says; that it validates against the published SARIF 2.1.0 schema
/// (these same inputs, every bad example and a diff report) is checked by python-jsonschema
/// in the export check (`scripts/check_exports.py`, `check_sarif`), run by `scripts/test.sh`.
#[test]
fn sarif_output_carries_rules_results_locations_and_suppressions() {
    let seed = root()
        .join("examples/lambda-s3-writer.toml")
        .display()
        .to_string();
    let out = run(
        &[
            "lint",
            "--format",
            "sarif",
            "--ignore",
            "permissions-management=needed for ACLs",
            &bad("resource-mismatch.json"),
            &bad("json-syntax.json"),
            &bad("missing-logs-permissions.toml"),
            &seed,
        ],
        None,
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(
        run0["tool"]["driver"]["rules"].as_array().unwrap().len(),
        rolesmith::lint::explain::CODES.len()
    );
    let results = run0["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["message"]["text"].as_str().is_some_and(|t| !t.is_empty())),
        "{results:#?}"
    );
    let first = &results[0];
    assert_eq!(first["ruleId"], "resource-mismatch");
    assert_eq!(first["level"], "error");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
    let suppressed = results
        .iter()
        .find(|r| r["ruleId"] == "permissions-management")
        .unwrap();
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "needed for ACLs"
    );
    // The only warning is accepted; the file that is not JSON at all is unparsable input.
    assert_eq!(out.status.code(), Some(2));
    // Standard input gets a valid URI too.
    let trust = std::fs::read_to_string(bad("trust-has-resource.json")).unwrap();
    let piped = run(&["lint", "--format", "sarif", "-"], Some(&trust));
    let piped: Value = serde_json::from_str(&stdout(&piped)).unwrap();
    assert_eq!(
        piped["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cstdin%3E"
    );
}

#[test]
fn stdin_and_kind_detection() {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let out = run(
        &["lint", "--assumed-by", "lambda.amazonaws.com", "-"],
        Some(trust),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("<stdin>:1:37: error[trust-principal-missing] lambda.amazonaws.com"),
        "{}",
        stdout(&out)
    );
    // The same text forced to identity: a permission policy has no Principal.
    let out = run(&["lint", "--kind", "identity", "-"], Some(trust));
    assert!(stdout(&out).contains("invalid-element"), "{}", stdout(&out));
    // A role file on stdin (TOML).
    let seed = std::fs::read_to_string(root().join("examples/lambda-s3-writer.toml")).unwrap();
    let out = run(&["lint", "--format", "json", "-"], Some(&seed));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"][0]["kind"], "role");
    assert_eq!(v["summary"]["warning"], 1);
}

#[test]
fn rendered_roles_are_linted_as_roles() {
    let seed = root().join("examples/lambda-s3-writer.toml");
    let rendered = run(&["render", seed.to_str().unwrap()], None);
    assert_eq!(rendered.status.code(), Some(0));
    let out = run(&["lint", "--format", "json", "-"], Some(&stdout(&rendered)));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"][0]["kind"], "role");
    let findings = v["files"][0]["findings"].as_array().unwrap();
    let pm = findings
        .iter()
        .find(|f| f["code"] == "permissions-management")
        .unwrap();
    assert_eq!(
        pm["pointer"],
        "/Policies/0/PolicyDocument/Statement/0/Action/1"
    );
    assert!(pm["line"].as_u64().unwrap() > 1);
}

#[test]
fn many_files_keep_their_order() {
    let names = [
        "json-syntax.json",
        "invalid-sid.json",
        "duplicate-sid.json",
        "missing-version.json",
        "trust-has-resource.json",
    ];
    let files: Vec<String> = names.iter().map(|n| bad(n)).collect();
    let mut args = vec!["lint", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, None);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, files.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn ignored_findings_show_their_reason_and_do_not_fail() {
    let seed = root()
        .join("examples/lambda-s3-writer.toml")
        .display()
        .to_string();
    let out = run(
        &[
            "lint",
            "--ignore",
            "permissions-management=ACLs are required by the consumer",
            &seed,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(ignored: ACLs are required by the consumer)"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("(1 ignored)"));
}

#[test]
fn explain_prints_examples_and_rejects_unknown_codes() {
    let out = run(&["explain", "resource-mismatch"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for part in [
        "resource-mismatch (error)",
        "Why it matters:",
        "How to fix:",
        "Bad:",
        "Good:",
        "my-bucket/*",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let out = run(&["explain", "no-such-code"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("resource-mismatch"),
        "{}",
        stderr(&out)
    );
    for code in rolesmith::lint::explain::CODES {
        assert_eq!(run(&["explain", code.code], None).status.code(), Some(0));
    }
}

#[test]
fn render_reports_findings_on_stderr_and_honours_fail_on() {
    let seed = root()
        .join("examples/lambda-s3-writer.toml")
        .display()
        .to_string();
    let out = run(&["render", &seed], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning[permissions-management]"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("\"RoleName\": \"string-reverser\""));
    let out = run(&["render", "--fail-on", "warning", &seed], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).is_empty());
}

#[test]
fn every_bad_file_fails_and_every_ok_file_passes_through_the_binary() {
    for dir in ["bad", "ok"] {
        let mut args = vec!["lint".to_string(), "--format".into(), "json".into()];
        let folder = root().join("tests/policies").join(dir);
        let mut n = 0;
        for e in std::fs::read_dir(&folder).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".expected.json") || Path::new(&name).extension().is_none() {
                continue;
            }
            args.push(p.display().to_string());
            n += 1;
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&refs, None);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["files"].as_array().unwrap().len(), n);
        // The bad folder holds a file that is not JSON at all: unparsable input, exit 2.
        let expected = if dir == "ok" { Some(0) } else { Some(2) };
        assert_eq!(out.status.code(), expected, "{dir}: {}", stderr(&out));
    }
}

#[test]
fn text_that_is_not_json_is_reported_where_and_exits_2() {
    let file = bad("json-syntax.json");
    let out = run(&["lint", &file], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The report on stdout, the failure of the run on stderr.
    let text = stdout(&out);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{file}:")) && first.contains(": error[json-syntax] "),
        "{text}"
    );
    assert!(!text.contains("rolesmith: error"), "{text}");
    assert!(
        stderr(&out).contains("rolesmith: error: could not lint every file"),
        "{}",
        stderr(&out)
    );
}
