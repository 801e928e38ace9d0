//! `rolesmith learn` through the real binary: grading a folder of learners' role files
//! (`tests/lessons/learners/`: two right, two wrong, one that does not parse) as a table and
//! as JSON, the skeleton a facilitator starts from, the handout, and the progress list.

use std::path::Path;

use rolesmith::lessons::{LessonProgress, Progress, Status};
use serde_json::Value;

use crate::support::rolesmith;

const LEARNERS: [&str; 5] = [
    "tests/lessons/learners/alice.toml",
    "tests/lessons/learners/bob.toml",
    "tests/lessons/learners/carol.toml",
    "tests/lessons/learners/dave.toml",
    "tests/lessons/learners/erin.toml",
];

fn run(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = rolesmith(home, args, None);
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn check_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["learn", "--check", "wildcard-not-wild"];
    args.extend_from_slice(&LEARNERS);
    args.extend_from_slice(extra);
    args
}

#[test]
fn check_prints_who_is_stuck_where() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(home.path(), &check_args(&[]));
    assert_eq!(code, Some(1), "some learners are not done");
    let expected = "\
wildcard-not-wild: The wildcard that isn't wild enough

learner                            1  2  3  4  errors  done
tests/lessons/learners/alice.toml  ✓  ✓  ✓  ✓  0       yes
tests/lessons/learners/bob.toml    ✗  ✗  ✓  ✗  2       no
tests/lessons/learners/carol.toml  ✓  ✓  ✗  ✓  0       no
tests/lessons/learners/dave.toml   ✓  ✓  ✓  ✓  0       yes
tests/lessons/learners/erin.toml   -  -  -  -  -       unreadable

tasks:
   1  The function can save its output
   2  The function can set the object's ACL
   3  Still only this bucket
   4  No resource that matches nothing

where they are stuck:
  tests/lessons/learners/bob.toml: task 1: expected s3:PutObject on arn:aws:s3:::my-super-specific-bucket/reversed/abc.txt to be allowed, but it is implicit-deny: resource arn:aws:s3:::my-super-specific-bucket does not match arn:aws:s3:::my-super-specific-bucket/reversed/abc.txt: object-level actions need arn:aws:s3:::my-super-specific-bucket/* (expected because: the function saves every reversed string)
  tests/lessons/learners/carol.toml: task 3: expected s3:PutObject on arn:aws:s3:::another-bucket/reversed/abc.txt to be denied, but it is allowed by inline policy write-reversed-strings, statement 0 (Sid WriteReversedStrings)
  tests/lessons/learners/erin.toml: tests/lessons/learners/erin.toml:3:7: unclosed table, expected `]`

2 of 5 done
";
    assert_eq!(out, expected);
}

#[test]
fn check_json_has_the_documented_shape() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(home.path(), &check_args(&["--format", "json"]));
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["lesson"], "wildcard-not-wild");
    assert_eq!(v["tasks"][0]["task"], 1);
    assert_eq!(v["tasks"][0]["title"], "The function can save its output");
    let learners = v["learners"].as_array().unwrap();
    assert_eq!(learners.len(), 5);
    let done: Vec<bool> = learners
        .iter()
        .map(|l| l["done"].as_bool().unwrap())
        .collect();
    assert_eq!(done, [true, false, false, true, false]);
    let bob = &learners[1];
    assert_eq!(bob["file"], LEARNERS[1]);
    let passed: Vec<bool> = bob["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["passed"].as_bool().unwrap())
        .collect();
    assert_eq!(passed, [false, false, true, false]);
    assert!(
        bob["tasks"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("object-level actions need")
    );
    assert_eq!(bob["errors"][0]["code"], "resource-mismatch");
    assert!(
        learners[4]["error"]
            .as_str()
            .unwrap()
            .contains("unclosed table")
    );
    assert_eq!(v["summary"]["learners"], 5);
    assert_eq!(v["summary"]["done"], 2);
    assert_eq!(v["summary"]["not_done"], 3);
}

#[test]
fn check_exits_0_only_when_everyone_is_done_and_2_on_bad_input() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, _) = run(
        home.path(),
        &[
            "learn",
            "--check",
            "wildcard-not-wild",
            LEARNERS[0],
            LEARNERS[3],
        ],
    );
    assert_eq!(code, Some(0));
    let (code, out, err) = run(
        home.path(),
        &["learn", "--check", "no-such-lesson", LEARNERS[0]],
    );
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("no lesson \"no-such-lesson\" built in"),
        "{err}"
    );
    let (code, _, _) = run(home.path(), &["learn", "--check", "wildcard-not-wild"]);
    assert_eq!(
        code,
        Some(2),
        "--check needs a lesson and at least one role file"
    );
}

#[test]
fn a_new_skeleton_loads_and_is_never_overwritten() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("workshop");
    std::fs::create_dir(&dir).unwrap();
    let d = dir.to_str().unwrap();
    let (code, _, err) = run(home.path(), &["learn", "--new", "my-lesson", "--dir", d]);
    assert_eq!(code, Some(0), "{err}");
    let file = dir.join("my-lesson.toml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("name = \"my-lesson\""));
    let (code, out, err) = run(home.path(), &["learn", "--dir", d]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("my-lesson              new       Write to one bucket"),
        "{out}"
    );
    let (code, out, _) = run(
        home.path(),
        &["learn", "--dir", d, "--handout", "my-lesson"],
    );
    assert_eq!(code, Some(0));
    assert!(out.starts_with("# Write to one bucket\n"), "{out}");
    let (code, _, err) = run(home.path(), &["learn", "--new", "my-lesson", "--dir", d]);
    assert_eq!(code, Some(2));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    let (code, _, err) = run(home.path(), &["learn", "--new", "../up", "--dir", d]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a lesson name"), "{err}");
}

#[test]
fn the_handout_tells_the_story_without_the_answers() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(home.path(), &["learn", "--handout", "wildcard-not-wild"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("# The wildcard that isn't wild enough\n\n"));
    assert!(out.contains("resources = [\"arn:aws:s3:::my-super-specific-bucket\"]"));
    assert!(out.contains("1. The function can save its output"));
    assert!(out.contains("- PutObject reversed/abc.txt: `s3:PutObject` on"));
    assert!(
        !out.contains("Change the resource to"),
        "no hint in a handout"
    );
    assert!(
        !out.contains("An S3 bucket and the objects"),
        "no lesson recap"
    );
}

#[test]
fn the_list_shows_progress_and_reset_forgets_it() {
    let home = tempfile::tempdir().unwrap();
    let store = Progress::at(home.path().join("state/rolesmith/lessons"));
    let done = LessonProgress {
        status: Status::Done,
        ..Default::default()
    };
    store.save("execution-role", &done).unwrap();
    let started = LessonProgress {
        status: Status::Started,
        ..Default::default()
    };
    store.save("wildcard-not-wild", &started).unwrap();
    let (code, out, _) = run(home.path(), &["learn"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "LESSON                 PROGRESS  TITLE");
    assert_eq!(
        lines[1],
        "execution-role         done      An execution role from scratch"
    );
    assert_eq!(
        lines[2],
        "string-reverser        new       The string reverser: one bucket, nothing else"
    );
    assert_eq!(
        lines[4],
        "wildcard-not-wild      started   The wildcard that isn't wild enough"
    );
    assert_eq!(
        lines.len(),
        11,
        "8 lessons, a header, a blank line and a tip"
    );
    let (code, _, err) = run(home.path(), &["learn", "--reset", "execution-role"]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("progress in execution-role forgotten"),
        "{err}"
    );
    let (_, out, _) = run(home.path(), &["learn"]);
    assert!(out.contains("execution-role         new "), "{out}");
}

#[test]
fn text_from_lesson_files_reaches_the_terminal_cleaned() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("hostile");
    std::fs::create_dir(&dir).unwrap();
    let skeleton = rolesmith::lessons::skeleton("hostile").replace(
        "title = \"Write to one bucket\"",
        "title = \"Clear \\u001b[2J screen\\u009b\"",
    );
    std::fs::write(dir.join("hostile.toml"), skeleton).unwrap();
    let d = dir.to_str().unwrap();
    for args in [
        vec!["learn", "--dir", d],
        vec!["learn", "--dir", d, "--handout", "hostile"],
    ] {
        let (code, out, err) = run(home.path(), &args);
        assert_eq!(code, Some(0), "{err}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{9b}'),
            "{out:?}"
        );
        assert!(out.contains("Clear ␛[2J screen<U+009B>"), "{out}");
    }
}

#[test]
fn opening_a_lesson_needs_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, err) = run(home.path(), &["learn", "wildcard-not-wild"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("needs a terminal"), "{err}");
}
