//! `rolesmith from-activity` through the real binary on a sample trail of our own in all three
//! shapes (S3 delivery file, also gzipped; `lookup-events` output; one event per line): the role
//! it writes lets `simulate` allow every observed call (its `[[expect]]` entries) and deny one
//! that was not observed; denied calls are reported, not granted; several principals ask for
//! `--principal`.

use std::path::{Path, PathBuf};

use crate::support::rolesmith;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/activity")
        .join(name)
        .display()
        .to_string()
}

fn shapes() -> [String; 3] {
    [
        fixture("trail-records.json"),
        fixture("lookup-events.json"),
        fixture("events.jsonl"),
    ]
}

fn build(home: &Path, files: &[String], extra: &[&str]) -> (PathBuf, String) {
    let out = home.join("role.toml");
    let mut args: Vec<&str> = vec!["from-activity"];
    args.extend(files.iter().map(String::as_str));
    let out_text = out.display().to_string();
    args.extend_from_slice(&[
        "--principal",
        "report-writer",
        "--trust",
        "lambda.amazonaws.com",
        "-o",
        &out_text,
    ]);
    args.extend_from_slice(extra);
    let o = rolesmith(home, &args, None);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    (out, err)
}

#[test]
fn the_role_allows_every_observed_call_and_nothing_else() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (role, err) = build(home, &shapes(), &[]);
    let text = std::fs::read_to_string(&role).unwrap();
    // Three keys under in/2024/ became one grant, by the stated rule.
    assert!(
        text.contains("\"arn:aws:s3:::reports-bucket/in/2024/*\""),
        "{text}"
    );
    assert!(
        text.contains("\"arn:aws:s3:::reports-bucket/out/report.csv\""),
        "{text}"
    );
    assert!(text.contains("s3:ListBucket"), "{text}");
    assert!(
        text.contains("arn:aws:dynamodb:eu-west-1:111122223333:table/reports"),
        "{text}"
    );
    assert!(
        text.contains("arn:aws:sqs:eu-west-1:111122223333:report-done"),
        "{text}"
    );
    // The denied call is reported as missing, not granted.
    assert!(!text.contains("s3:DeleteObject"), "{text}");
    assert!(
        err.contains("missing (denied in the trail, not granted): s3:DeleteObject"),
        "{err}"
    );
    assert!(
        err.contains("widgetsvc.amazonaws.com FrobnicateWidget"),
        "{err}"
    );
    // The other principal's call is not in this role.
    assert!(!text.contains("other-bucket"), "{text}");

    // simulate with no request checks the [[expect]] entries: every observed call allowed.
    let role_path = role.display().to_string();
    let o = rolesmith(home, &["simulate", &role_path], None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("expectations: 7 passed, 0 failed"), "{out}");
    // A call that was not observed is denied.
    for (action, resource) in [
        (
            "s3:DeleteObject",
            "arn:aws:s3:::reports-bucket/in/2024/a.csv",
        ),
        ("s3:GetObject", "arn:aws:s3:::reports-bucket/secret/x"),
        (
            "dynamodb:DeleteItem",
            "arn:aws:dynamodb:eu-west-1:111122223333:table/reports",
        ),
    ] {
        let o = rolesmith(
            home,
            &[
                "simulate",
                &role_path,
                "--action",
                action,
                "--resource",
                resource,
            ],
            None,
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{action} on {resource} must be denied"
        );
    }
    // And the role lints clean at the default level.
    let o = rolesmith(home, &["lint", &role_path], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn the_three_shapes_and_gzip_read_alike() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (all, _) = build(home, &shapes(), &[]);
    let reference = std::fs::read_to_string(&all).unwrap();
    // The S3 delivery file gzipped, as CloudTrail writes it.
    let gz = home.join("trail.json.gz");
    {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        e.write_all(&std::fs::read(fixture("trail-records.json")).unwrap())
            .unwrap();
        e.finish().unwrap();
    }
    let files = [
        gz.display().to_string(),
        shapes()[1].clone(),
        shapes()[2].clone(),
    ];
    let (again, _) = build(home, &files, &["--force"]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), reference);
    // Standard input works too.
    let o = rolesmith(
        home,
        &["from-activity", "-", "--principal", "report-writer"],
        Some(&std::fs::read_to_string(fixture("events.jsonl")).unwrap()),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(printed.contains("sqs:SendMessage"), "{printed}");
}

#[test]
fn several_principals_need_a_choice_and_bad_input_says_where() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let o = rolesmith(
        home,
        &["from-activity", &fixture("trail-records.json")],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--principal") && err.contains("ops-admin"),
        "{err}"
    );
    assert!(o.stdout.is_empty());

    let broken = home.join("broken.json");
    std::fs::write(&broken, "{\"Records\": [{\"eventSource\": 3}").unwrap();
    let o = rolesmith(
        home,
        &["from-activity", &broken.display().to_string()],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.json:1:"), "{err}");

    // An existing output file is kept unless --force.
    let out = home.join("role.toml");
    std::fs::write(&out, "keep me").unwrap();
    let o = rolesmith(
        home,
        &[
            "from-activity",
            &fixture("events.jsonl"),
            "-o",
            &out.display().to_string(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}
