//! `rolesmith simulate` and `rolesmith denied` through the real binary: the seed's
//! acceptance, exit codes (0 allowed / 1 denied or unknown / 2 bad input), the JSON shape
//! of guide §13, expectations, and `denied --role --apply` editing the role file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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

fn seed() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/lambda-s3-writer.toml")
        .display()
        .to_string()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const BUCKET_OBJECT: &str = "arn:aws:s3:::my-super-specific-bucket/x";

#[test]
fn the_seed_allows_its_writes_and_nothing_else() {
    let home = tempfile::tempdir().unwrap();
    let s = seed();
    let put = rolesmith(
        &[
            "simulate",
            &s,
            "--action",
            "s3:PutObject",
            "--resource",
            BUCKET_OBJECT,
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(put.status.code(), Some(0));
    let v = json(&put);
    assert_eq!(v["results"][0]["decision"], "allowed");
    assert_eq!(
        v["results"][0]["statements"][0]["policy"],
        "write-reversed-strings"
    );
    assert_eq!(v["results"][0]["statements"][0]["statement"], 0);
    assert!(v["results"][0]["statements"][0]["line"].is_u64());
    assert_eq!(v["results"][0]["request"]["action"], "s3:PutObject");
    assert_eq!(v["results"][0]["request"]["context"], serde_json::json!({}));
    assert_eq!(
        v["summary"],
        serde_json::json!({"allowed": 1, "denied": 0, "unknown": 0})
    );

    for (action, resource) in [
        ("s3:DeleteObject", BUCKET_OBJECT),
        ("s3:PutObject", "arn:aws:s3:::another-bucket/x"),
    ] {
        let out = rolesmith(
            &[
                "simulate",
                &s,
                "--action",
                action,
                "--resource",
                resource,
                "--format",
                "json",
            ],
            home.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{action} {resource}");
        assert_eq!(json(&out)["results"][0]["decision"], "implicit-deny");
    }
    let logs = rolesmith(
        &[
            "simulate",
            &s,
            "--action",
            "logs:PutLogEvents",
            "--resource",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/string-reverser:log-stream:2024/01/01/abc",
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(logs.status.code(), Some(0));
    assert_eq!(
        json(&logs)["results"][0]["statements"][0]["policy"],
        "AWSLambdaBasicExecutionRole"
    );
    assert_eq!(
        json(&logs)["results"][0]["statements"][0]["kind"],
        "managed"
    );

    let trust = rolesmith(
        &["simulate", &s, "--principal", "lambda.amazonaws.com"],
        home.path(),
    );
    assert_eq!(trust.status.code(), Some(0));
    let ec2 = rolesmith(
        &["simulate", &s, "--principal", "ec2.amazonaws.com"],
        home.path(),
    );
    assert_eq!(ec2.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ec2.stdout).contains("implicit-deny"));
}

#[test]
fn the_bucket_arn_mistake_names_the_slash_star() {
    let home = tempfile::tempdir().unwrap();
    let role = home.path().join("role.toml");
    std::fs::write(
        &role,
        std::fs::read_to_string(seed())
            .unwrap()
            .replace("my-super-specific-bucket/*", "my-super-specific-bucket"),
    )
    .unwrap();
    let out = rolesmith(
        &[
            "simulate",
            role.to_str().unwrap(),
            "--action",
            "s3:PutObject",
            "--resource",
            BUCKET_OBJECT,
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["results"][0]["decision"], "implicit-deny");
    let reason = v["results"][0]["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("object-level actions need arn:aws:s3:::my-super-specific-bucket/*"),
        "{reason}"
    );
    let text = rolesmith(
        &[
            "simulate",
            role.to_str().unwrap(),
            "--action",
            "s3:PutObject",
            "--resource",
            BUCKET_OBJECT,
        ],
        home.path(),
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("my-super-specific-bucket/*"));
}

#[test]
fn requests_files_contexts_and_policy_documents() {
    let home = tempfile::tempdir().unwrap();
    let policy = home.path().join("policy.json");
    std::fs::write(&policy, r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
   "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}}]}"#).unwrap();
    let requests = home.path().join("requests.json");
    std::fs::write(&requests, r#"[
  {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"aws:SourceIp": "203.0.113.9", "aws:TagKeys": ["a", "b"]}},
  {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"aws:SourceIp": "198.51.100.1"}}
]"#).unwrap();
    let out = rolesmith(
        &[
            "simulate",
            policy.to_str().unwrap(),
            "--requests",
            requests.to_str().unwrap(),
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["results"][0]["decision"], "allowed");
    assert_eq!(
        v["results"][0]["request"]["context"]["aws:TagKeys"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(v["results"][1]["decision"], "implicit-deny");
    assert_eq!(v["summary"]["denied"], 1);
    // Repeated --context makes a key multi-valued.
    let ok = rolesmith(
        &[
            "simulate",
            policy.to_str().unwrap(),
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/k",
            "--context",
            "aws:SourceIp=203.0.113.9",
            "--context",
            "aws:TagKeys=a",
            "--context",
            "aws:TagKeys=c",
        ],
        home.path(),
    );
    assert_eq!(
        ok.status.code(),
        Some(1),
        "c is not among the allowed tag keys"
    );
    // A boundary that does not allow.
    let boundary = home.path().join("boundary.json");
    std::fs::write(&boundary, r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}}"#).unwrap();
    let capped = rolesmith(
        &[
            "simulate",
            policy.to_str().unwrap(),
            "--boundary",
            boundary.to_str().unwrap(),
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/k",
            "--context",
            "aws:SourceIp=203.0.113.9",
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(capped.status.code(), Some(1));
    assert!(
        json(&capped)["results"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("permissions boundary")
    );
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let home = tempfile::tempdir().unwrap();
    let s = seed();
    for args in [
        vec![
            "simulate",
            s.as_str(),
            "--action",
            "s3:*",
            "--resource",
            BUCKET_OBJECT,
        ],
        vec![
            "simulate",
            s.as_str(),
            "--action",
            "s3:PutObject",
            "--resource",
            "not-an-arn",
        ],
        vec![
            "simulate",
            s.as_str(),
            "--action",
            "s3:PutObject",
            "--context",
            "novalue",
        ],
        vec!["simulate", s.as_str()],
        vec!["simulate", "/no/such/file.toml", "--action", "s3:PutObject"],
        vec!["simulate", s.as_str(), "--resource", BUCKET_OBJECT],
    ] {
        let out = rolesmith(&args, home.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("rolesmith: error: ") || err.contains("error:"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let bad = home.path().join("requests.json");
    std::fs::write(&bad, "[{\"action\": \"s3:GetObject\",\n  \"resource\": 3}]").unwrap();
    let out = rolesmith(
        &["simulate", &s, "--requests", bad.to_str().unwrap()],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("request 0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn expectations_run_when_no_request_is_given() {
    let home = tempfile::tempdir().unwrap();
    let role = home.path().join("role.toml");
    let text = std::fs::read_to_string(seed()).unwrap()
        + "\n[[expect]]\nallow = \"s3:PutObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/reversed/1.txt\"\n\n[[expect]]\ndeny = \"s3:DeleteObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/reversed/1.txt\"\n\n[[expect]]\ndeny = \"sts:AssumeRole\"\nprincipal = \"ec2.amazonaws.com\"\n";
    std::fs::write(&role, &text).unwrap();
    let out = rolesmith(
        &["simulate", role.to_str().unwrap(), "--format", "json"],
        home.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(
        v["summary"]["expectations"],
        serde_json::json!({"passed": 3, "failed": 0})
    );
    // render and lint report a failed one.
    let broken = home.path().join("broken.toml");
    std::fs::write(
        &broken,
        text.replace("my-super-specific-bucket/*", "my-super-specific-bucket"),
    )
    .unwrap();
    let render = rolesmith(&["render", broken.to_str().unwrap()], home.path());
    assert_eq!(render.status.code(), Some(1));
    let err = String::from_utf8_lossy(&render.stderr);
    assert!(
        err.contains("error[expectation-failed]") && err.contains("object-level actions need"),
        "{err}"
    );
}

#[test]
fn denied_reads_proposes_confirms_and_applies() {
    let home = tempfile::tempdir().unwrap();
    let role = home.path().join("role.toml");
    let original = std::fs::read_to_string(seed())
        .unwrap()
        .replace("my-super-specific-bucket/*", "my-super-specific-bucket");
    std::fs::write(&role, &original).unwrap();
    let msg = "User: arn:aws:sts::123456789012:assumed-role/string-reverser/fn is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::my-super-specific-bucket/out.txt because no identity-based policy allows the s3:PutObject action";
    let out = rolesmith(
        &[
            "denied",
            msg,
            "--role",
            role.to_str().unwrap(),
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(
        v["principal"],
        "arn:aws:sts::123456789012:assumed-role/string-reverser/fn"
    );
    assert_eq!(v["role"], "string-reverser");
    assert_eq!(v["action"], "s3:PutObject");
    assert_eq!(
        v["resource"],
        "arn:aws:s3:::my-super-specific-bucket/out.txt"
    );
    assert_eq!(v["cause"], "no-identity-allow");
    assert_eq!(
        v["statement"],
        serde_json::json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-super-specific-bucket/out.txt"})
    );
    assert_eq!(
        v["wider"]["Resource"],
        "arn:aws:s3:::my-super-specific-bucket/*"
    );
    assert_eq!(v["simulated"], "allowed");
    assert_eq!(
        std::fs::read_to_string(&role).unwrap(),
        original,
        "nothing written without --apply"
    );

    let applied = rolesmith(
        &[
            "denied",
            msg,
            "--role",
            role.to_str().unwrap(),
            "--apply",
            "--wider",
        ],
        home.path(),
    );
    assert_eq!(
        applied.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let after = std::fs::read_to_string(&role).unwrap();
    assert!(
        after.starts_with(&original[..original.find("[[policy]]").unwrap()]),
        "the top of the file is kept"
    );
    assert!(
        after.contains("resources = [\"arn:aws:s3:::my-super-specific-bucket/*\"]"),
        "{after}"
    );
    let sim = rolesmith(
        &[
            "simulate",
            role.to_str().unwrap(),
            "--action",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::my-super-specific-bucket/other",
        ],
        home.path(),
    );
    assert_eq!(sim.status.code(), Some(0));
    // Applying again: already allowed, nothing written, exit 1.
    let again = rolesmith(
        &["denied", msg, "--role", role.to_str().unwrap(), "--apply"],
        home.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&role).unwrap(), after);

    let encoded = rolesmith(
        &[
            "denied",
            "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: abc123",
            "--format",
            "json",
        ],
        home.path(),
    );
    assert_eq!(encoded.status.code(), Some(0));
    assert_eq!(json(&encoded)["cause"], "encoded");
    assert!(
        json(&encoded)["advice"]
            .as_str()
            .unwrap()
            .contains("decode-authorization-message")
    );

    let not = rolesmith(&["denied", "all good here"], home.path());
    assert_eq!(not.status.code(), Some(2));
    assert!(not.stdout.is_empty());
}
