//! The real binary on a pseudo-terminal, as a newcomer meets it (issue 14 acceptance): the
//! first `q` quits and the first `?` opens the help; from a cold start (empty home and XDG
//! folders) the README's first example, `examples/lambda-s3-writer.toml`, is built by keys
//! alone, exported under its default file name and compared with what `rolesmith render`
//! makes of the example; then a role file with comments is opened, a value changed by keys,
//! saved with Ctrl-S, and its comments are still there. Every wait is on what the screen
//! shows, never a fixed sleep.

#![cfg(unix)]

use std::path::Path;

use crate::support::pty::{Pty, leave_the_s3_object_builder, rolesmith_command};
use crate::support::{SEED, rolesmith, seed};

const COMMENTED: &str = r#"# Handed out at the workshop.
name = "bucket-writer"  # the function's role
description = "Writes reports to one bucket"

# Who runs it.
[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reports"

# Objects only: the bucket ARN alone would not do.
[[policy.statement]]
actions = [
    "s3:PutObject",  # the report itself
]
resources = ["arn:aws:s3:::my-bucket/*"]
"#;

/// Keys as a terminal sends them.
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const DOWN: &str = "\x1b[B";
const CTRL_O: &str = "\x0f";
const CTRL_S: &str = "\x13";
const CTRL_U: &str = "\x15";

/// `rolesmith ARGS` in a fresh pty with `home` as its home and XDG folders, no clipboard.
fn start(home: &Path, args: &[&str]) -> Pty {
    let mut cmd = rolesmith_command(home, args);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("DISPLAY");
    cmd.env_remove("WAYLAND_DISPLAY");
    Pty::spawn(cmd)
}

/// Types `text` into the field being edited and waits until `shown` is on the screen.
fn type_and_see(run: &mut Pty, text: &str, shown: &str) {
    run.send(text);
    run.wait_for(shown);
}

#[test]
fn the_first_q_quits_and_the_first_question_mark_opens_the_help() {
    let home = tempfile::tempdir().unwrap();
    let mut run = start(home.path(), &[]);
    run.wait_for("Steps");
    run.send("q");
    assert_eq!(run.wait_exit(), 0, "q on the first screen quits at once");

    let mut run = start(home.path(), &[]);
    run.wait_for("Steps");
    run.send("?");
    run.wait_for("Keys (↑↓ scroll, Esc closes)");
    // The keys of the focused area (the step list) come first.
    run.wait_for("Here: the step list");
    run.send(ESC);
    run.wait_gone("Keys (↑↓ scroll, Esc closes)");
    run.wait_for("▶ Name");
    let screen = run.screen();
    assert!(
        screen.contains("▶ Name            · "),
        "nothing was typed into the name:\n{screen}"
    );
    run.send("q");
    assert_eq!(run.wait_exit(), 0);
}

#[test]
fn the_readme_example_from_a_cold_start_then_a_commented_file_saved() {
    let home = tempfile::tempdir().unwrap();
    let mut run = start(home.path(), &[]);
    run.wait_for("Steps");

    // Role: Enter opens the step on Name, Enter edits it, Enter finishes and goes on.
    run.press(ENTER);
    run.press(ENTER);
    run.wait_for("editing Name");
    type_and_see(&mut run, "string-reverser", "string-reverser");
    run.press(ENTER);
    run.press(ENTER);
    run.wait_for("editing Description");
    type_and_see(
        &mut run,
        "Reverses strings and saves them to S3",
        "saves them to S3",
    );
    run.send(ESC); // done editing
    run.wait_gone("editing Description");

    // Trust: Lambda, found with the filter.
    run.send("2");
    run.wait_for("Trust: who can assume it · AWS services");
    run.press("/");
    type_and_see(&mut run, "lambda.amazonaws.com", "/ lambda.amazonaws.com");
    run.press(ENTER);
    run.send(" ");
    run.wait_for("[x] lambda.amazonaws.com");

    // Managed policies: the basic execution role.
    run.send("4");
    run.wait_for("0 attached");
    run.press("/");
    type_and_see(
        &mut run,
        "AWSLambdaBasicExecutionRole",
        "/ AWSLambdaBasicExecutionRole",
    );
    run.press(ENTER);
    run.send(" ");
    run.wait_for("[x] AWSLambdaBasicExecutionRole");

    // Permissions: one statement, PutObject and PutObjectAcl on the bucket's objects.
    run.send("3");
    run.wait_for("Permissions · 0 statements");
    run.press("a");
    run.wait_for("New statement · Service");
    type_and_see(&mut run, "s3", "/ s3");
    run.press(ENTER);
    run.wait_for("New statement · Actions");
    type_and_see(&mut run, "PutObject", "▶  [ ] PutObject ");
    run.send(" ");
    run.wait_for("chosen: s3:PutObject");
    run.press(CTRL_U);
    type_and_see(&mut run, "PutObjectAcl", "▶  [ ] PutObjectAcl");
    run.send(" ");
    run.wait_for("chosen: s3:PutObject, s3:PutObjectAcl");
    run.press(ENTER);
    run.wait_for("New statement · Resources");
    run.press("i"); // the builder starts on the empty BucketName
    run.wait_for("editing BucketName");
    type_and_see(
        &mut run,
        "my-super-specific-bucket",
        "my-super-specific-bucket ",
    );
    leave_the_s3_object_builder(&mut run);
    run.press(ENTER); // no conditions
    run.wait_for("New statement · Effect");
    run.press(DOWN); // Effect → Sid
    run.press(DOWN); // Sid → Policy
    run.press("i");
    run.wait_for("editing Policy");
    run.press(CTRL_U);
    type_and_see(&mut run, "write-reversed-strings", "write-reversed-strings");
    run.press(ENTER);
    run.wait_for("statement added");

    // Export: console JSON of both documents, to the file named after the role.
    run.send("6");
    run.wait_for("string-reverser.txt");
    run.press(ENTER);
    if run.wait_for_any(&["Findings remain", "exported to"]) == "Findings remain" {
        run.send("y");
    }
    run.wait_for("exported to string-reverser.txt");
    let exported = std::fs::read_to_string(home.path().join("string-reverser.txt"))
        .expect("the export is where the Export step said");
    let rendered = rolesmith(home.path(), &["render", "--format", "console", SEED], None);
    assert!(rendered.status.success(), "{rendered:?}");
    assert_eq!(
        exported,
        String::from_utf8(rendered.stdout).unwrap(),
        "the keys built the README's example"
    );

    // Ctrl-S asks where the first time and proposes the role's name.
    run.press(CTRL_S);
    run.wait_for("string-reverser.toml");
    run.press(ENTER);
    run.wait_for("saved string-reverser.toml");
    let saved = rolesmith::role::load_role_file(&home.path().join("string-reverser.toml"))
        .expect("the saved role file reads back");
    assert_eq!(saved.to_documents(), seed().to_documents());

    // A role file with comments: opened, its description changed by keys, saved over.
    let commented = home.path().join("commented.toml");
    std::fs::write(&commented, COMMENTED).unwrap();
    run.press(CTRL_O);
    run.wait_for("Open a file");
    type_and_see(&mut run, "commented.toml", "commented.toml");
    run.press(ENTER);
    run.wait_for("opened commented.toml");
    run.send("1");
    run.wait_for("Name            bucket-writer");
    run.press(DOWN); // Name → Description
    run.press("i");
    run.wait_for("editing Description");
    run.press(CTRL_U);
    type_and_see(
        &mut run,
        "Writes weekly reports to one bucket",
        "weekly reports to one bucket",
    );
    run.press(ENTER);
    run.press(CTRL_S);
    run.wait_for("comments and layout kept");
    run.send("q");
    assert_eq!(run.wait_exit(), 0, "saved: q quits without asking");

    let text = std::fs::read_to_string(&commented).unwrap();
    for kept in [
        "# Handed out at the workshop.\n",
        "name = \"bucket-writer\"  # the function's role\n",
        "# Who runs it.\n[trust]\n",
        "# Objects only: the bucket ARN alone would not do.\n",
        "    \"s3:PutObject\",  # the report itself\n",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    assert!(
        text.contains("description = \"Writes weekly reports to one bucket\"\n"),
        "{text}"
    );
    // Only the description changed.
    assert_eq!(
        text,
        COMMENTED.replace(
            "Writes reports to one bucket",
            "Writes weekly reports to one bucket"
        )
    );
}
