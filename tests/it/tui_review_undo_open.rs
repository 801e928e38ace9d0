//! Guard rails and comfort (issue #6), driven by keys through the keymap like a user:
//! fixing a finding from Review with one key, undo and redo, opening every accepted input
//! shape through the in-app open, broken input changing nothing, and hostile text drawn
//! inert. The environment's XDG folders point at a temporary folder for every test.

use std::path::PathBuf;

use crate::support::*;
use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::RoleSpec;
use rolesmith::tui::app::Modal;
use rolesmith::tui::steps::Step;

const BUCKET_ROLE: &str = r#"name = "bucket-writer"
description = "Writes reports to one bucket"
managed_policies = ["AWSLambdaBasicExecutionRole"]

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reports"

[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::my-bucket"]
"#;

fn resources(app: &Driver) -> Vec<String> {
    app.role().policies[0].statements[0].resources.clone()
}

/// Leaves the Role step's name field so that single keys are commands.
#[test]
fn fix_the_bucket_arn_with_one_key_then_undo_and_redo() {
    let dir = hermetic();
    let (mut app, _file) = opened_role_file(dir.path(), "bucket.toml", BUCKET_ROLE, 120, 40);
    assert_eq!(app.role().name, "bucket-writer");
    // The steps column shows the file: a stable name keeps the snapshots machine-independent.
    app.set_path(Some(PathBuf::from("bucket.toml")));

    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.step(), Step::Review);
    // Walk down to the resource-mismatch finding.
    let target = app
        .findings()
        .iter()
        .position(|f| f.code == "resource-mismatch")
        .expect("the bucket ARN is flagged");
    while app.selected_finding() < target {
        press(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!("review_selected_mismatch", screen_text(&app));

    // One key: the preview of the change, then yes.
    press(&mut app, KeyCode::Char('f'));
    assert!(
        matches!(app.modal(), Some(Modal::FixPreview(_))),
        "{:?}",
        app.status()
    );
    insta::assert_snapshot!("fix_preview", screen_text(&app));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(resources(&app), vec!["arn:aws:s3:::my-bucket/*"]);
    assert!(app.findings().iter().all(|f| f.code != "resource-mismatch"));
    insta::assert_snapshot!("fixed", screen_text(&app));

    press(&mut app, KeyCode::Char('u'));
    assert_eq!(resources(&app), vec!["arn:aws:s3:::my-bucket"]);
    assert!(app.findings().iter().any(|f| f.code == "resource-mismatch"));
    insta::assert_snapshot!("undone", screen_text(&app));

    press_mod(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(resources(&app), vec!["arn:aws:s3:::my-bucket/*"]);
    insta::assert_snapshot!("redone", screen_text(&app));

    // And the open itself can be undone back to the empty role.
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(*app.role(), RoleSpec::default());
}

#[test]
fn a_declined_fix_changes_nothing_and_explanations_open_anywhere() {
    let dir = hermetic();
    let (mut app, _file) = opened_role_file(dir.path(), "bucket.toml", BUCKET_ROLE, 80, 24);
    let before = app.role().clone();
    press(&mut app, KeyCode::Char('5'));
    let target = app
        .findings()
        .iter()
        .position(|f| f.code == "resource-mismatch")
        .unwrap();
    while app.selected_finding() < target {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(*app.role(), before);
    // `e` from another step: the findings with the explanation of the selected one.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.modal(), Some(Modal::Explain { .. })));
    let screen = screen_text(&app);
    assert!(screen.contains("Why"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(app.modal().is_none());
}

#[test]
fn undo_keeps_a_hundred_steps_and_typing_is_one_step() {
    let _dir = hermetic();
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('i'));
    type_text(&mut app, "abc");
    assert_eq!(app.role().name, "abc");
    press_mod(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(app.role().name, "", "a run of typing is one undo step");
    // 120 separate changes (typing interrupted by a cursor move each time).
    for _ in 0..120 {
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Left);
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(app.role().name.len(), 120);
    for _ in 0..100 {
        press_mod(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    }
    assert_eq!(app.role().name.len(), 20);
    press_mod(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(app.role().name.len(), 21);
}

/// What an opened input must have done to the role.
type RoleCheck = fn(&RoleSpec) -> bool;

/// Every accepted input shape, through the in-app open.
#[test]
fn open_accepts_every_input_shape() {
    let dir = hermetic();
    let d = dir.path();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:123456789012:jobs"}]}"#;
    let cases: Vec<(PathBuf, &str, RoleCheck)> = vec![
        (write_file(d, "role.toml", BUCKET_ROLE), "role file", |r| {
            r.name == "bucket-writer"
        }),
        (
            write_file(d, "trust.json", trust),
            "as the trust policy",
            |r| r.trust.services == ["ecs-tasks.amazonaws.com"],
        ),
        (
            write_file(d, "send-jobs.json", policy),
            "as inline policy send-jobs",
            |r| r.policies.iter().any(|p| p.name == "send-jobs"),
        ),
        (
            write_file(
                d,
                "get-role.json",
                r#"{"Role":{"Path":"/","RoleName":"from-aws","RoleId":"AROA","Arn":"arn:aws:iam::123456789012:role/from-aws","CreateDate":"2024-01-01T00:00:00Z","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"MaxSessionDuration":3600}}"#,
            ),
            "get-role",
            |r| r.name == "from-aws" && r.trust.services == ["ec2.amazonaws.com"],
        ),
        (
            write_file(
                d,
                "get-role-policy.json",
                r#"{"RoleName":"r","PolicyName":"read-reports","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}"#,
            ),
            "get-role-policy",
            |r| r.policies.iter().any(|p| p.name == "read-reports"),
        ),
        (
            write_file(
                d,
                "rendered.json",
                r#"{"RoleName":"rendered","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},"Policies":[{"PolicyName":"w","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}}]}"#,
            ),
            "AWS::IAM::Role properties",
            |r| r.name == "rendered" && r.policies[0].name == "w",
        ),
        (
            write_file(
                d,
                "stack.json",
                r#"{"Resources":{"AppRole":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}}}}}"#,
            ),
            "CloudFormation",
            |r| r.trust.services == ["states.amazonaws.com"],
        ),
        (
            write_file(
                d,
                "stack.yaml",
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  AppRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n",
            ),
            "CloudFormation",
            |r| r.name == "AppRole",
        ),
    ];
    for (path, said, check) in cases {
        let mut app = app(RoleSpec::default(), 120, 40);
        open_path(&mut app, &path);
        assert!(
            app.modal().is_none(),
            "{}: still asking: {:?}",
            path.display(),
            app.modal()
        );
        let status = app.status_text().to_string();
        assert!(status.contains(said), "{}: {status}", path.display());
        assert!(check(app.role()), "{}: {:?}", path.display(), app.role());
    }
}

#[test]
fn broken_input_says_where_and_changes_nothing() {
    let dir = hermetic();
    let d = dir.path();
    let cases = [
        (
            write_file(
                d,
                "broken.json",
                "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}",
            ),
            "broken.json:3:",
        ),
        (
            write_file(d, "broken.toml", "name = \"x\"\n[trust\n"),
            "broken.toml:2:",
        ),
        (
            write_file(
                d,
                "two-roles.yaml",
                "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::IAM::Role\n  B:\n    Type: AWS::IAM::Role\n",
            ),
            "2 roles",
        ),
        (d.join("missing.json"), "missing.json"),
    ];
    for (path, expected) in cases {
        let mut app = app(seed(), 120, 40);
        let before = app.role().clone();
        open_path(&mut app, &path);
        assert_eq!(*app.role(), before, "{}", path.display());
        assert!(!app.unsaved());
        assert!(
            matches!(app.modal(), Some(Modal::OpenPath(_))),
            "the question stays open with the error"
        );
        let screen = screen_text(&app);
        let flat: String = screen
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("");
        assert!(
            flat.contains(expected),
            "{} should show {expected:?}:\n{screen}",
            path.display()
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.modal().is_none());
    }
}

/// Every symbol of the drawn screen, concatenated.
fn drawn(app: &Driver) -> String {
    let t = render(app);
    t.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn assert_inert(all: &str) {
    assert!(!all.contains('\u{1b}'), "an ESC reached the screen: {all}");
    assert!(!all.contains('\u{7}'), "a BEL reached the screen: {all}");
}

#[test]
fn hostile_text_from_imported_files_is_drawn_inert() {
    let dir = hermetic();
    // A description with an OSC 52 clipboard write and a screen wipe: the import refuses it
    // (IAM allows printable text only), says why, and draws nothing raw.
    let role = "{\"RoleName\":\"evil\",\"Description\":\"clip \\u001b]52;c;aGk=\\u0007 wipe \\u001b[2J\",\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}}";
    let path = write_file(dir.path(), "evil.json", role);
    let mut app = app(RoleSpec::default(), 120, 40);
    open_path(&mut app, &path);
    assert_eq!(*app.role(), RoleSpec::default());
    let all = drawn(&app);
    assert_inert(&all);
    assert!(all.contains("description"), "{all}");
    press(&mut app, KeyCode::Esc);

    // The same sequences inside a policy's action and resource are accepted (lint reports
    // them): the statement list, the findings and the JSON preview show them inert.
    let policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Evil\",\"Effect\":\"Allow\",\"Action\":\"s3:Get\\u001b]52;c;aGk=\\u0007\",\"Resource\":\"arn:aws:s3:::b/\\u001b[2J\"}]}";
    let path = write_file(dir.path(), "evil-policy.json", policy);
    open_path(&mut app, &path);
    assert!(app.modal().is_none(), "{:?}", app.status());
    press(&mut app, KeyCode::Char('3'));
    let mut seen = drawn(&app);
    press(&mut app, KeyCode::Char('5'));
    for _ in 0..app.findings().len() {
        seen.push_str(&drawn(&app));
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('e'));
    seen.push_str(&drawn(&app));
    assert_inert(&seen);
    assert!(seen.contains("␛]52;c;aGk=␇"), "{seen}");
    // In the JSON preview they stay JSON escapes.
    assert!(seen.contains("s3:Get\\u001b]52;c;aGk="), "{seen}");

    // A description that reached the model another way (an autosave, a hand-edited state
    // file) is drawn with the control characters made visible in the Role step.
    let mut hostile = rolesmith::role::load_role_file(std::path::Path::new(SEED)).unwrap();
    hostile.description = Some("clip \u{1b}]52;c;aGk=\u{7} wipe \u{1b}[2J".into());
    let app = crate::support::app(hostile, 120, 40);
    let all = drawn(&app);
    assert_inert(&all);
    assert!(all.contains("␛]52;c;aGk=␇"), "{all}");
    assert!(all.contains("␛[2J"), "{all}");
}

#[test]
fn opening_a_role_file_saves_there_and_other_roles_ask_where() {
    let dir = hermetic();
    let file = write_file(dir.path(), "bucket.toml", BUCKET_ROLE);
    let mut app = app(seed(), 120, 40);
    app.set_path(Some(dir.path().join("seed.toml")));
    open_path(&mut app, &file);
    assert_eq!(app.path(), Some(file.as_path()));
    let stack = write_file(
        dir.path(),
        "stack.yaml",
        "Resources:\n  AppRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n",
    );
    open_path(&mut app, &stack);
    assert_eq!(
        app.path(),
        None,
        "a template is never overwritten by Ctrl-S"
    );
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(matches!(app.modal(), Some(Modal::SavePath(_))));
}

#[test]
fn mouse_clicks_pick_steps_and_findings_and_the_wheel_scrolls() {
    use rolesmith::tui::action::Action;
    use rolesmith::tui::app::Pane;
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    // Row 5 inside the steps pane (border at row 0) is step 5, Review.
    app.click(3, 5);
    assert_eq!(app.step(), Step::Review);
    assert_eq!(app.focus(), Pane::Steps);
    let n = app.findings().len();
    assert!(n >= 1, "the seed has at least one finding");
    // Click the first finding row (under the counts line and the first heading).
    app.click(30, 3);
    assert_eq!(app.focus(), Pane::Main);
    assert_eq!(app.selected_finding(), 0);
    // The wheel over the preview scrolls it, over the steps moves between them.
    app.click(100, 1);
    assert_eq!(app.focus(), Pane::Preview);
    app.act(Action::NextTab);
    let before = app.preview_scroll();
    app.wheel(false, 100, 10);
    assert!(app.preview_scroll() > before, "{before}");
    app.wheel(true, 3, 3);
    assert_eq!(app.step(), Step::Managed);
    // A click on the finding counts in the status line opens the explanations.
    app.click(118, 39);
    assert!(
        matches!(app.modal(), Some(Modal::Explain { .. })),
        "{:?}",
        app.modal()
    );
}

#[test]
fn help_lists_every_bound_key_including_user_overrides() {
    let dir = hermetic();
    let cfg = dir.path().join("config/rolesmith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[keys]\nundo = \"ctrl-y\"\n").unwrap();
    let (keymap, problems) = rolesmith::tui::config::load_keymap();
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = app(seed(), 120, 40);
    app.set_keymap(keymap);
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.modal(), Some(Modal::Help)));
    let screen = screen_text(&app);
    assert!(screen.contains("Ctrl-Y"), "{screen}");
    assert!(screen.contains("undo the last change"), "{screen}");
    // `u` no longer undoes: it was replaced.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('i'));
    press_mod(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    type_text(&mut app, "-z");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.role().name, "string-reverser-z");
    press_mod(&mut app, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(app.role().name, "string-reverser");
}

#[test]
fn broad_choices_say_why_as_they_are_made() {
    let _dir = hermetic();
    let role = rolesmith::role::parse_role_text(
        "broad.toml",
        r#"name = "broad"
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "p"
[[policy.statement]]
actions = ["s3:*"]
resources = ["*"]
[[policy.statement]]
actions = ["s3:GetObject"]
resources = ["*"]
"#,
    )
    .unwrap();
    let mut app = app(role, 120, 40);
    press(&mut app, KeyCode::Char('3'));
    let screen = screen_text(&app);
    assert!(screen.contains("Why: s3:* grants"), "{screen}");
    let lesson = |app: &Driver, i: usize| {
        rolesmith::tui::teach::statement_lesson(
            app.catalog(),
            &app.role().policies[0].statements[i],
        )
        .unwrap_or_default()
    };
    assert!(lesson(&app, 0).contains("Permissions management"));
    // The second statement: "*" for an action that takes an object ARN.
    press(&mut app, KeyCode::Down);
    let screen = screen_text(&app);
    assert!(
        screen.contains("Why: \"*\" means every resource"),
        "{screen}"
    );
    assert!(lesson(&app, 1).contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"));

    // Toggling a whole access level in the editor says what that amounts to.
    press(&mut app, KeyCode::Enter);
    assert!(app.editing_statement(), "editor open");
    let rows = app.action_rows().to_vec();
    let level = rows
        .iter()
        .position(|r| {
            matches!(
                r,
                rolesmith::tui::steps::permissions::ActionRow::Level(
                    rolesmith::catalog::AccessLevel::PermissionsManagement
                )
            )
        })
        .expect("s3 has a Permissions management level");
    while app.selected_action_row() < level {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char(' '));
    let status = app.status_text().to_string();
    assert!(
        status.starts_with("Permissions management on s3:") && status.contains("who may do what"),
        "{status}"
    );
}

#[test]
fn undo_never_drops_a_statement_draft() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Enter);
    assert!(app.editing_statement());
    press_mod(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert!(app.editing_statement(), "the draft is kept");
    let status = app.status_text().to_string();
    assert!(status.contains("first"), "{status}");
}

#[test]
fn mouse_regions_match_what_is_drawn() {
    use rolesmith::tui::action::Action;
    let _dir = hermetic();
    for (w, h) in [(120, 40), (80, 24), (100, 30)] {
        let mut app = app(seed(), w, h);
        // Every small-screen layout: both, preview only, step pane only.
        for _ in 0..3 {
            let r = app.layout();
            let t = render(&app);
            let buf = t.backend().buffer();
            let corner = |rect: ratatui::layout::Rect| buf[(rect.x, rect.y)].symbol().to_string();
            assert_eq!(corner(r.steps), "┌", "{w}x{h}");
            for rect in [r.main, r.preview].into_iter().flatten() {
                assert_eq!(corner(rect), "┌", "{w}x{h} {rect:?}");
                let right = buf[(rect.x + rect.width - 1, rect.y)].symbol().to_string();
                assert_eq!(right, "┐", "{w}x{h} {rect:?}");
            }
            app.act(Action::TogglePreview);
        }
    }
}

#[test]
fn a_role_file_just_opened_has_nothing_unsaved_but_earlier_work_keeps_its_mark() {
    let dir = hermetic();
    let (app, file) = opened_role_file(dir.path(), "bucket.toml", BUCKET_ROLE, 120, 40);
    assert!(
        !app.unsaved(),
        "the opened file is what it holds: nothing to save"
    );

    // Unsaved work before the open keeps the mark, so quitting still asks (u brings it back).
    let mut app = crate::support::app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Enter); // from the step list into the Role step (Name)
    type_in_field(&mut app, "draft");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.role().name, "draft");
    assert!(app.unsaved(), "typing a name is unsaved work");
    open_path(&mut app, &file);
    assert_eq!(app.role().name, "bucket-writer");
    assert!(
        app.unsaved(),
        "the work from before the open is still unsaved"
    );
}
