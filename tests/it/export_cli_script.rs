//! The AWS CLI export run through a real `sh`: it parses, and every argument reaches `aws`
//! exactly as the role file says, whatever characters it holds. The fake `aws` plays an
//! empty account: every `get-*` answers NoSuchEntity and every `list-*` an empty list, so
//! the script takes its "create" branches. (Running it twice against a real IAM emulator
//! is `scripts/check-exports.sh`.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use rolesmith::export::cli_script::shell_quote;
use rolesmith::export::to_cli_script;
use rolesmith::role::{RoleDocuments, load_role_file};
use serde_json::Value;

fn role_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures/roles"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 6, "expected the example and fixture roles");
    files
}

/// Runs `script` with a fake `aws` on PATH that records each writing call's arguments,
/// NUL-separated, one file per call; returns the calls in order.
fn run_with_fake_aws(script: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let calls = dir.path().join("calls");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&calls).unwrap();
    let fake = bin.join("aws");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncase $2 in\n  get-*) echo 'An error occurred (NoSuchEntity) when calling it: not found' >&2; exit 254 ;;\n  list-*) exit 0 ;;\nesac\nn=$(ls \"$CALLS_DIR\" | wc -l)\nprintf '%s\\0' \"$@\" > \"$CALLS_DIR/$(printf %04d \"$n\")\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script_path = dir.path().join("create-role.sh");
    std::fs::write(&script_path, script).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg(&script_path)
        .env("PATH", path)
        .env("CALLS_DIR", &calls)
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&calls)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let mut args: Vec<String> = text.split('\0').map(str::to_string).collect();
            assert_eq!(args.pop().as_deref(), Some(""), "NUL-terminated arguments");
            args
        })
        .collect()
}

/// `["iam", "create-role", "--a", "x", ...]` as ("create-role", {"--a": "x"}).
fn parse_call(call: &[String]) -> (String, BTreeMap<String, String>) {
    assert_eq!(call[0], "iam", "{call:?}");
    assert_eq!(call.len() % 2, 0, "flag/value pairs in {call:?}");
    let flags = call[2..]
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect();
    (call[1].clone(), flags)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn check_calls(docs: &RoleDocuments, calls: &[Vec<String>]) {
    let mut calls = calls.iter();
    let mut next = |expected: &str| {
        let call = calls.next().unwrap_or_else(|| panic!("no {expected} call"));
        let (sub, flags) = parse_call(call);
        assert_eq!(sub, expected, "{call:?}");
        flags
    };
    for provider in &docs.oidc_providers {
        let create = next("create-open-id-connect-provider");
        let input = json(&create["--cli-input-json"]);
        assert_eq!(input["Url"], provider.url.as_str());
        assert_eq!(
            input["ClientIDList"],
            serde_json::json!(provider.client_ids)
        );
    }
    for (policy, created) in docs.created_policies() {
        let create = next("create-policy");
        assert_eq!(create["--policy-name"], policy.name);
        assert_eq!(create.get("--path"), created.path.as_ref());
        assert_eq!(
            json(&create["--policy-document"]),
            serde_json::to_value(&policy.document).unwrap()
        );
    }

    let create = next("create-role");
    assert_eq!(create["--role-name"], docs.role_name);
    assert_eq!(
        json(&create["--assume-role-policy-document"]),
        serde_json::to_value(&docs.trust).unwrap()
    );
    let description = create.get("--description").cloned().or_else(|| {
        create
            .get("--cli-input-json")
            .map(|j| json(j)["Description"].as_str().unwrap().to_string())
    });
    assert_eq!(description, docs.description);
    assert_eq!(create.get("--path"), docs.path.as_ref());
    assert_eq!(
        create.get("--max-session-duration"),
        docs.max_session_duration.map(|s| s.to_string()).as_ref()
    );
    assert_eq!(
        create.get("--permissions-boundary"),
        docs.permissions_boundary.as_ref()
    );
    match create.get("--tags") {
        Some(tags) => assert_eq!(json(tags), serde_json::to_value(&docs.tags).unwrap()),
        None => assert!(docs.tags.is_empty()),
    }

    for policy in docs.inline_policies() {
        let put = next("put-role-policy");
        assert_eq!(put["--role-name"], docs.role_name);
        assert_eq!(put["--policy-name"], policy.name);
        assert_eq!(
            json(&put["--policy-document"]),
            serde_json::to_value(&policy.document).unwrap()
        );
    }
    for arn in docs.attached_policy_arns() {
        let attach = next("attach-role-policy");
        assert_eq!(attach["--role-name"], docs.role_name);
        assert_eq!(attach["--policy-arn"], arn);
    }
    if let Some(profile) = &docs.instance_profile {
        let create = next("create-instance-profile");
        assert_eq!(create["--instance-profile-name"], profile.name);
        assert_eq!(create.get("--path"), profile.path.as_ref());
        let add = next("add-role-to-instance-profile");
        assert_eq!(add["--role-name"], docs.role_name);
    }
    assert!(calls.next().is_none(), "more calls than the role needs");
}

#[test]
fn every_script_parses_in_sh() {
    for file in role_files() {
        let docs = load_role_file(&file).unwrap().to_documents();
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("s.sh");
        std::fs::write(&script, to_cli_script(&docs)).unwrap();
        let out = Command::new("sh").arg("-n").arg(&script).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_argument_reaches_aws_unchanged() {
    for file in role_files() {
        let docs = load_role_file(&file).unwrap().to_documents();
        let calls = run_with_fake_aws(&to_cli_script(&docs));
        check_calls(&docs, &calls);
    }
}

#[test]
fn torture_description_survives_exactly() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roles/quoting-torture.toml");
    let docs = load_role_file(&file).unwrap().to_documents();
    let description = docs.description.clone().unwrap();
    for needle in [
        "'",
        "\"",
        "$HOME",
        "`whoami`",
        "\n",
        "\\",
        "${aws:username}",
    ] {
        assert!(description.contains(needle), "fixture lost {needle:?}");
    }
    let calls = run_with_fake_aws(&to_cli_script(&docs));
    let (sub, create) = parse_call(&calls[0]);
    assert_eq!(sub, "create-role");
    assert_eq!(create["--description"], description);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever a description may hold (tab, newlines, printable Latin-1), one quoted word
    /// gives it back byte for byte.
    #[test]
    fn shell_quote_round_trips(text in "[\t\n\r\u{20}-\u{7e}\u{a1}-\u{ff}]{0,40}") {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {}", shell_quote(&text)))
            .output()
            .unwrap();
        prop_assert!(out.status.success());
        prop_assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
    }
}
