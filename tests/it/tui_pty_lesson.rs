//! The real binary on a pseudo-terminal, as a workshop learner uses it: `rolesmith learn`
//! lists lesson 4 as new; `rolesmith learn wildcard-not-wild` opens it in lesson mode; the
//! function's calls are run and the AccessDenied read; the bucket ARN fixed from its finding;
//! the lesson completes; quitting keeps the progress, and `learn` then lists it as done.
//! Waits are on what the screen shows, never fixed sleeps.

#![cfg(unix)]

use std::path::Path;

use crate::support::pty::{Pty, rolesmith_command};
use crate::support::rolesmith as cli;

const LESSON: &str = "wildcard-not-wild";

fn start(home: &Path, args: &[&str]) -> Pty {
    let cmd = rolesmith_command(home, args);
    Pty::spawn(cmd)
}

/// The status `rolesmith learn` lists for the lesson.
fn listed_status(home: &Path) -> String {
    let out = cli(home, &["learn"], None);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with(LESSON))
        .unwrap_or_else(|| panic!("lesson 4 is listed:\n{text}"));
    line.split_whitespace().nth(1).unwrap_or("").to_string()
}

#[test]
fn a_learner_completes_lesson_4_by_keys_and_it_is_listed_done() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(listed_status(home.path()), "new");

    let mut run = start(home.path(), &["learn", LESSON]);
    run.wait_for("Tasks: 1 of 4 done");
    run.wait_for("lesson mode 1/4");
    run.press("r");
    run.wait_for("the function ran: 2 of 4 calls denied");
    run.wait_for("✗ PutObject reversed/abc.txt");
    // Review: the first error is the bucket ARN that PutObject never matches; fix it.
    run.press("5");
    run.wait_for("resource-mismatch");
    run.press("f");
    run.wait_for("y apply");
    run.press("y");
    run.wait_for("Tasks: 4 of 4 done");
    run.wait_for("Lesson complete");
    run.wait_for("lesson mode ✓ complete");
    run.send("q");
    assert_eq!(run.wait_exit(), 0, "{}", run.screen());

    assert_eq!(listed_status(home.path()), "done");
    let saved =
        rolesmith::lessons::Progress::at(home.path().join("state/rolesmith/lessons")).load(LESSON);
    let role = saved.role.expect("the learner's role is kept");
    assert_eq!(
        role.policies[0].statements[0].resources,
        ["arn:aws:s3:::my-super-specific-bucket/*"]
    );
}
