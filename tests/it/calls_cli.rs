//! `rolesmith calls` through the real binary on the embedded catalog: the JSON shape of issue 19,
//! the text form, several calls and stdin, and exit 2 with the nearest names for a call that does
//! not resolve (nothing on stdout).

use std::path::Path;

use serde_json::{Value, json};

use crate::support::rolesmith;

fn json_of(home: &Path, calls: &[&str]) -> Value {
    let mut args = vec!["calls"];
    args.extend_from_slice(calls);
    args.extend_from_slice(&["--format", "json"]);
    let o = rolesmith(home, &args, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("calls --format json prints JSON")
}

fn failure(home: &Path, args: &[&str]) -> String {
    let o = rolesmith(home, args, None);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    assert!(
        o.stdout.is_empty(),
        "nothing on stdout when a call does not resolve"
    );
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.starts_with("rolesmith: error: "), "{err}");
    err
}

#[test]
fn json_has_the_issue_shape() {
    let home = tempfile::tempdir().unwrap();
    let v = json_of(home.path(), &["s3.copy_object"]);
    let call = &v["calls"][0];
    assert_eq!(call["call"], "s3.copy_object");
    assert_eq!(call["operation"], "s3:CopyObject");
    assert_eq!(call["needed"], json!(["s3:GetObject", "s3:PutObject"]));
    let tagging = call["conditional"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "s3:PutObjectTagging")
        .expect("PutObjectTagging is conditional");
    assert!(tagging["when"].as_str().unwrap().contains("tags"));
    assert_eq!(tagging["source"], "reference");
    assert_eq!(call["sdk"], json!(["s3.copy_object"]));
    assert_eq!(call["cli"], json!(["aws s3api copy-object"]));
    let resources = call["resources"].as_array().unwrap();
    assert_eq!(resources[0]["name"], "source object");
    assert_eq!(resources[1]["name"], "target object");
    assert_eq!(
        resources[1]["arn"],
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    );
    // Actions of a service the embedded catalog lacks are said to be so.
    let ol = call["conditional"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "s3-object-lambda:PutObject")
        .unwrap();
    assert_eq!(ol["in_catalog"], false);
}

#[test]
fn every_written_form_gives_the_same_answer() {
    let home = tempfile::tempdir().unwrap();
    let forms = [
        "s3.put_object",
        "put_object",
        "PutObject",
        "PutObjectCommand",
        "s3:PutObject",
        "aws s3api put-object --bucket b --key k",
        "s3_client.put_object(Bucket='b', Key='k')",
    ];
    let v = json_of(home.path(), &forms);
    let calls = v["calls"].as_array().unwrap();
    assert_eq!(calls.len(), forms.len());
    for (c, form) in calls.iter().zip(forms) {
        assert_eq!(c["call"], form);
        assert_eq!(c["operation"], "s3:PutObject", "{form}");
        assert_eq!(c["needed"], json!(["s3:PutObject"]), "{form}");
    }
}

#[test]
fn text_lists_needed_then_only_when_then_resources() {
    let home = tempfile::tempdir().unwrap();
    let o = rolesmith(home.path(), &["calls", "lambda.create_function"], None);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let needed = out.find("  needed:").unwrap();
    let when = out.find("  only when:").unwrap();
    let resources = out.find("  resources:").unwrap();
    assert!(needed < when && when < resources, "{out}");
    assert!(
        out.contains("    iam:PassRole [iam:PassedToService = lambda.amazonaws.com]"),
        "{out}"
    );
    assert!(out.contains("execution role"), "{out}");
    assert!(
        out.starts_with("lambda.create_function → lambda:CreateFunction\n"),
        "{out}"
    );
}

#[test]
fn calls_come_from_stdin_with_a_dash() {
    let home = tempfile::tempdir().unwrap();
    let o = rolesmith(
        home.path(),
        &["calls", "-", "--format", "json"],
        Some("# what the worker calls\nsqs.receive_message\n\n  sqs.delete_message  \n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ops: Vec<&str> = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["sqs:ReceiveMessage", "sqs:DeleteMessage"]);
}

#[test]
fn an_unknown_call_exits_2_with_the_nearest_names() {
    let home = tempfile::tempdir().unwrap();
    let err = failure(home.path(), &["calls", "s3.put_objekt", "s3.copy_object"]);
    assert!(err.contains("s3.put_objekt"), "{err}");
    assert!(
        err.contains("nearest: s3.put_object (s3:PutObject)"),
        "{err}"
    );
    assert!(err.contains("catalog update"), "{err}");
    let err = failure(home.path(), &["calls", "dynamodb.qeury_tabel"]);
    assert!(err.contains("no API operation"), "{err}");
    let err = failure(home.path(), &["calls", "aws dynamo query"]);
    assert!(err.contains("did you mean dynamodb"), "{err}");
    let err = failure(home.path(), &["calls", "aws s3 cp a s3://b/a"]);
    assert!(err.contains("aws s3api"), "{err}");
    let err = failure(home.path(), &["calls", "tag_resource"]);
    assert!(err.contains("several services"), "{err}");
    assert!(
        err.contains("lambda.tag_resource (lambda:TagResource)"),
        "{err}"
    );
}

#[test]
fn a_variable_before_the_method_is_read_as_such_and_said() {
    let home = tempfile::tempdir().unwrap();
    let v = json_of(home.path(), &["table_client.query"]);
    assert_eq!(v["calls"][0]["operation"], "dynamodb:Query");
    let notes = v["calls"][0]["notes"].to_string();
    assert!(
        notes.contains("table_client") && notes.contains("variable"),
        "{notes}"
    );
}

#[test]
fn hostile_call_text_is_shown_harmlessly() {
    let home = tempfile::tempdir().unwrap();
    let err = failure(home.path(), &["calls", "s3.put\u{1b}[2Jobject"]);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let o = rolesmith(home.path(), &["calls", "s3.put_object\u{7}"], None);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!out.contains('\u{7}'), "{out:?}");
}
