//! `rolesmith diff OLD NEW` through the real binary: what a change grants, by meaning (the
//! evaluation engine's matching, wildcards expanded against the catalog): wildcard widening,
//! resource widening, a new trust principal, a removed Deny, a dropped condition, nothing under
//! reordering or splitting statements (exit 0), and `git:REV:path`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::rolesmith;

const HEAD: &str = r#"name = "app"
account = "111122223333"
[trust]
services = ["lambda.amazonaws.com"]
"#;

fn role(dir: &Path, file: &str, body: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, format!("{HEAD}{body}")).unwrap();
    path
}

fn statement(actions: &[&str], resources: &[&str]) -> String {
    let q = |v: &[&str]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "[[policy.statement]]\nactions = [{}]\nresources = [{}]\n",
        q(actions),
        q(resources)
    )
}

/// Runs `diff --format json`; the exit code and the answer.
fn diff(home: &Path, old: &Path, new: &Path) -> (i32, Value) {
    let o = rolesmith(
        home,
        &[
            "diff",
            &old.display().to_string(),
            &new.display().to_string(),
            "--format",
            "json",
        ],
        None,
    );
    let code = o.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (code, serde_json::from_slice(&o.stdout).unwrap())
}

fn actions(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                g["action"].as_str().unwrap(),
                g["resource"].as_str().unwrap()
            )
        })
        .collect()
}

const OBJECTS: &str = "arn:aws:s3:::bucket/*";

#[test]
fn a_wildcard_that_widens_is_every_action_it_adds() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let old = role(
        d,
        "old.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject"], &[OBJECTS])
        ),
    );
    let new = role(
        d,
        "new.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:Get*"], &[OBJECTS])
        ),
    );
    let (code, v) = diff(d, &old, &new);
    assert_eq!(code, 1);
    let added = actions(&v, "added");
    assert!(
        added.contains(&format!("s3:GetObjectAcl {OBJECTS}")),
        "{added:?}"
    );
    assert!(
        added.contains(&format!("s3:GetObjectTagging {OBJECTS}")),
        "{added:?}"
    );
    assert!(
        !added.iter().any(|a| a.starts_with("s3:GetObject ")),
        "{added:?}"
    );
    // Bucket-level Get actions do not act on bucket/*: not reachable, not listed.
    assert!(
        !added.iter().any(|a| a.starts_with("s3:GetBucketPolicy ")),
        "{added:?}"
    );
    assert_eq!(v["added"][0]["via"]["file"], new.display().to_string());
    assert_eq!(v["added"][0]["via"]["policy"], "p");
    assert!(v["added"][0]["via"]["line"].as_u64().is_some());
    // The other way round it is all removed, and nothing new: exit 0.
    let (code, v) = diff(d, &new, &old);
    assert_eq!(code, 0);
    assert!(actions(&v, "removed").contains(&format!("s3:GetObjectAcl {OBJECTS}")));
    assert!(v["added"].as_array().unwrap().is_empty());
}

#[test]
fn a_resource_that_widens_is_added() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let old = role(
        d,
        "old.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject"], &["arn:aws:s3:::bucket/a/*"])
        ),
    );
    let new = role(
        d,
        "new.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject"], &[OBJECTS])
        ),
    );
    let (code, v) = diff(d, &old, &new);
    assert_eq!(code, 1);
    assert_eq!(actions(&v, "added"), [format!("s3:GetObject {OBJECTS}")]);
    let (code, v) = diff(d, &new, &old);
    assert_eq!(code, 0);
    assert_eq!(actions(&v, "removed"), [format!("s3:GetObject {OBJECTS}")]);
}

#[test]
fn a_new_trust_principal_is_added() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let body = format!(
        "[[policy]]\nname = \"p\"\n{}",
        statement(&["s3:GetObject"], &[OBJECTS])
    );
    let old = role(d, "old.toml", &body);
    let new = d.join("new.toml");
    std::fs::write(
        &new,
        format!("{HEAD}{body}").replace(
            "services = [\"lambda.amazonaws.com\"]",
            "services = [\"lambda.amazonaws.com\", \"ecs-tasks.amazonaws.com\"]",
        ),
    )
    .unwrap();
    let (code, v) = diff(d, &old, &new);
    assert_eq!(code, 1);
    assert_eq!(v["trust_added"][0]["principal"], "ecs-tasks.amazonaws.com");
    assert!(v["added"].as_array().unwrap().is_empty());
    let (code, v) = diff(d, &new, &old);
    assert_eq!(code, 0);
    assert_eq!(
        v["trust_removed"][0]["principal"],
        "ecs-tasks.amazonaws.com"
    );
}

#[test]
fn a_removed_deny_adds_what_it_blocked() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let allow = statement(&["s3:GetObject", "s3:DeleteObject"], &[OBJECTS]);
    let deny = format!(
        "[[policy.statement]]\neffect = \"Deny\"\nactions = [\"s3:DeleteObject\"]\nresources = [\"{OBJECTS}\"]\n"
    );
    let old = role(
        d,
        "old.toml",
        &format!("[[policy]]\nname = \"p\"\n{allow}{deny}"),
    );
    let new = role(d, "new.toml", &format!("[[policy]]\nname = \"p\"\n{allow}"));
    let (code, v) = diff(d, &old, &new);
    assert_eq!(code, 1);
    assert_eq!(actions(&v, "added"), [format!("s3:DeleteObject {OBJECTS}")]);
    let (code, _) = diff(d, &new, &old);
    assert_eq!(code, 0, "adding a Deny grants nothing new");
}

#[test]
fn a_dropped_condition_is_a_widening() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let plain = statement(&["s3:PutObject"], &[OBJECTS]);
    let conditioned = format!(
        "{plain}[policy.statement.condition.StringEquals]\n\"s3:x-amz-acl\" = [\"bucket-owner-full-control\"]\n"
    );
    let old = role(
        d,
        "old.toml",
        &format!("[[policy]]\nname = \"p\"\n{conditioned}"),
    );
    let new = role(d, "new.toml", &format!("[[policy]]\nname = \"p\"\n{plain}"));
    let (code, v) = diff(d, &old, &new);
    assert_eq!(code, 1);
    assert_eq!(v["conditions_widened"][0]["action"], "s3:PutObject");
    assert_eq!(
        v["conditions_widened"][0]["dropped"][0],
        "stringequals:s3:x-amz-acl"
    );
    let (code, _) = diff(d, &new, &old);
    assert_eq!(code, 0, "adding a condition narrows");
}

#[test]
fn reordering_or_splitting_statements_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let a = statement(&["s3:GetObject", "s3:PutObject"], &[OBJECTS]);
    let b = statement(&["s3:ListBucket"], &["arn:aws:s3:::bucket"]);
    let old = role(d, "old.toml", &format!("[[policy]]\nname = \"p\"\n{a}{b}"));
    // Reordered, split into one action per statement, and moved into two policies.
    let split = format!(
        "[[policy]]\nname = \"q\"\n{}[[policy]]\nname = \"r\"\n{}{}",
        b,
        statement(&["s3:PutObject"], &[OBJECTS]),
        statement(&["s3:GetObject"], &[OBJECTS])
    );
    let new = role(d, "new.toml", &split);
    for (x, y) in [(&old, &new), (&new, &old)] {
        let (code, v) = diff(d, x, y);
        assert_eq!(code, 0, "{v}");
        for key in [
            "added",
            "removed",
            "conditions_widened",
            "trust_added",
            "trust_removed",
        ] {
            assert!(v[key].as_array().unwrap().is_empty(), "{key}: {v}");
        }
    }
    // A policy document and the role file it came from mean the same.
    let doc = d.join("policy.json");
    std::fs::write(
        &doc,
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::bucket/*"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"}]}"#,
    )
    .unwrap();
    let (code, v) = diff(d, &old, &doc);
    assert_eq!(code, 0, "{v}");
    assert!(v["removed"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn git_rev_path_compares_with_the_committed_version() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .args(args)
            .current_dir(d)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    let path = role(
        d,
        "role.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject"], &[OBJECTS])
        ),
    );
    git(&["add", "role.toml"]);
    git(&["commit", "-q", "-m", "old"]);
    role(
        d,
        "role.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject", "s3:PutObject"], &[OBJECTS])
        ),
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["diff", "git:HEAD:role.toml", "role.toml"])
        .current_dir(d)
        .env("XDG_DATA_HOME", d.join("data"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("+ s3:PutObject on {OBJECTS}")),
        "{out}"
    );
    assert!(out.contains("1 added, 0 removed"), "{out}");
    drop(path);
    // A revision or path git does not know is an error (exit 2), named.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["diff", "git:nope:role.toml", "role.toml"])
        .current_dir(d)
        .env("XDG_DATA_HOME", d.join("data"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("git:nope:role.toml"));
}

/// Each grant the change adds is a result at its line in the new file. That the report
/// validates against the SARIF 2.1.0 schema is checked by python-jsonschema in the export
/// check (`scripts/check_exports.py`, `check_sarif`, the same change), run by `scripts/test.sh`.
#[test]
fn sarif_gives_each_added_grant_at_its_line_in_the_new_file() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path();
    let old = role(
        d,
        "old.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:GetObject"], &[OBJECTS])
        ),
    );
    let new = role(
        d,
        "new.toml",
        &format!(
            "[[policy]]\nname = \"p\"\n{}",
            statement(&["s3:Get*"], &[OBJECTS])
        ),
    );
    let o = rolesmith(
        d,
        &[
            "diff",
            &old.display().to_string(),
            &new.display().to_string(),
            "--format",
            "sarif",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["version"], "2.1.0");
    let results = report["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let acl = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("s3:GetObjectAcl on arn:aws:s3:::bucket/*"))
        })
        .unwrap_or_else(|| panic!("{results:#?}"));
    assert_eq!(acl["ruleId"], "grant-added");
    assert_eq!(acl["level"], "warning");
    let place = &acl["locations"][0]["physicalLocation"];
    assert!(
        place["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("new.toml")),
        "{place}"
    );
    assert_eq!(place["region"]["startLine"], 7);
}
