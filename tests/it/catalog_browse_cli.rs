//! The browsing commands of `rolesmith catalog` through the real binary, on the embedded
//! catalog (XDG folders pointed at an empty temp dir, so no user catalog is found).

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.starts_with("rolesmith: error: "), "{err}");
    err
}

#[test]
fn services_lists_the_embedded_services() {
    let out = ok(&["catalog", "services"]);
    assert_eq!(out.lines().count(), 45, "{out}");
    assert!(out.lines().any(|l| l.starts_with("s3 ")), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("secretsmanager ")),
        "{out}"
    );
}

#[test]
fn actions_filter_by_access_level() {
    let out = ok(&[
        "catalog",
        "actions",
        "s3",
        "--access",
        "permissions-management",
    ]);
    assert!(
        out.lines().any(|l| l.starts_with("PutBucketPolicy ")),
        "{out}"
    );
    assert!(
        out.lines().all(|l| l.contains("Permissions management")),
        "{out}"
    );
    let all = ok(&["catalog", "actions", "SQS"]);
    assert!(
        all.lines()
            .any(|l| l.starts_with("SendMessage ") && l.contains("Write") && l.contains("queue"))
    );
    let err = fails(&["catalog", "actions", "s3", "--access", "admin"]);
    assert!(err.contains("unknown access level"), "{err}");
    let err = fails(&["catalog", "actions", "nosuchservice"]);
    assert!(err.contains("catalog update"), "{err}");
}

#[test]
fn show_gives_access_resources_and_condition_keys() {
    let out = ok(&["catalog", "show", "s3:putobject"]);
    assert!(out.starts_with("s3:PutObject\n"), "{out}");
    assert!(out.contains("access level:    Write"), "{out}");
    assert!(
        out.contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
        "{out}"
    );
    assert!(out.contains("s3:x-amz-acl"), "{out}");
    let star = ok(&["catalog", "show", "s3:ListAllMyBuckets"]);
    assert!(star.contains("grant it on \"*\""), "{star}");
    let err = fails(&["catalog", "show", "s3:GetObjcet"]);
    assert!(err.contains("did you mean s3:GetObject?"), "{err}");
    fails(&["catalog", "show", "s3"]);
}

#[test]
fn search_prints_best_first() {
    let first = |q: &str| {
        ok(&["catalog", "search", q])
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(first("s3put").starts_with("s3:PutObject "));
    assert!(first("passrole").starts_with("iam:PassRole "));
    assert!(first("getsecret").starts_with("secretsmanager:GetSecretValue "));
    assert_eq!(
        ok(&["catalog", "search", "s3", "--limit", "3"])
            .lines()
            .count(),
        3
    );
}

#[test]
fn status_names_the_embedded_catalog() {
    let out = ok(&["catalog", "status"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("catalog:") && l.ends_with(" embedded 2026-08-22")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("services:") && l.ends_with(" 45")),
        "{out}"
    );
}

#[test]
fn dump_has_the_guide_shape() {
    let out = ok(&["catalog", "dump"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["source"], "embedded 2026-08-22");
    let s3 = &v["services"]["s3"];
    assert!(s3["name"].is_string());
    let put = &s3["actions"]["PutObject"];
    assert_eq!(put["access"], "Write");
    let types: Vec<&str> = put["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"object") && types.contains(&"accesspointobject"),
        "{types:?}"
    );
    assert!(
        put["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "s3:x-amz-acl")
    );
    let object = &s3["resources"]["object"];
    assert_eq!(
        object["arn"],
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    );
    assert_eq!(object["arn_formats"][0], object["arn"]);
    assert_eq!(s3["conditions"]["s3:x-amz-acl"]["type"], "String");
    assert_eq!(
        v["services"]["iam"]["actions"]["PutRolePolicy"]["access"],
        "Permissions management"
    );
}

#[test]
fn managed_lists_aws_managed_policies_with_path_risk_and_purpose() {
    let all = ok(&["catalog", "managed"]);
    let header = all.lines().next().unwrap();
    assert!(header.starts_with("NAME") && header.contains("PATH") && header.contains("RISK"));
    let line = all
        .lines()
        .find(|l| l.starts_with("AWSLambdaBasicExecutionRole "))
        .expect("the seed's managed policy");
    assert!(
        line.contains(" /service-role/ ") && line.contains(" fine "),
        "{line}"
    );
    assert!(
        all.lines()
            .any(|l| l.starts_with("AdministratorAccess ") && l.contains(" admin "))
    );
    let some = ok(&["catalog", "managed", "SSM instance"]);
    assert!(some.contains("AmazonSSMManagedInstanceCore"), "{some}");
    assert!(some.lines().count() < all.lines().count());
    let none = run(&["catalog", "managed", "no-such-policy-anywhere"]);
    assert!(none.status.success() && none.stdout.is_empty());
    assert!(String::from_utf8_lossy(&none.stderr).contains("by its ARN"));
}
