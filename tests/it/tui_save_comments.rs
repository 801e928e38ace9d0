//! Ctrl-S over the role file that was opened keeps its comments and layout (issue 14
//! item 11): only what changed is rewritten. Saving over any other file writes it fresh.

use crate::support::*;
use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::load_role_file;
use rolesmith::tui::app::Modal;

const COMMENTED: &str = r#"# Handed out at the workshop: do not rename.
name = "bucket-writer"  # the function's role
description = "Writes reports to one bucket"

# Who runs it.
[trust]
services = ["lambda.amazonaws.com"]

# Logs come from the managed policy.
managed_policies = ["AWSLambdaBasicExecutionRole"]

[[policy]]
name = "write-reports"

# Objects only: the bucket ARN alone would not do.
[[policy.statement]]
actions = [
    "s3:PutObject",  # the report itself
]
resources = ["arn:aws:s3:::my-bucket/*"]
"#;

const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

#[test]
fn ctrl_s_keeps_the_comments_of_the_opened_file() {
    let dir = hermetic();
    let (mut app, file) = opened_role_file(dir.path(), "bucket.toml", COMMENTED, 120, 40);
    let trust = write_file(dir.path(), "trust.json", EC2_TRUST);
    // A change by keys: the trust now comes from another document.
    open_path(&mut app, &trust);
    assert!(app.modal().is_none(), "{:?}", app.status());
    assert!(app.unsaved());
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(
        status(&app).contains("comments and layout kept"),
        "{}",
        status(&app)
    );
    assert!(!app.unsaved());
    let text = std::fs::read_to_string(&file).unwrap();
    for comment in [
        "# Handed out at the workshop: do not rename.\n",
        "name = \"bucket-writer\"  # the function's role\n",
        "# Who runs it.\n[trust]\n",
        "# Logs come from the managed policy.\nmanaged_policies",
        "# Objects only: the bucket ARN alone would not do.\n[[policy.statement]]\n",
        "    \"s3:PutObject\",  # the report itself\n",
    ] {
        assert!(text.contains(comment), "{comment:?} lost:\n{text}");
    }
    assert!(!text.contains("lambda.amazonaws.com"), "{text}");
    assert_eq!(load_role_file(&file).unwrap(), *app.role());
}

#[test]
fn saving_over_another_file_writes_it_fresh() {
    let dir = hermetic();
    let other = write_file(dir.path(), "other.toml", COMMENTED);
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Esc);
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let Some(Modal::SavePath(_)) = &app.modal() else {
        panic!("asks where: {:?}", app.modal())
    };
    // Replace the proposed name with the other file's path.
    for _ in 0..40 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, other.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.modal(), Some(Modal::Confirm { .. })),
        "{:?}",
        app.modal()
    );
    press(&mut app, KeyCode::Char('y'));
    let text = std::fs::read_to_string(&other).unwrap();
    assert!(!text.contains('#'), "written fresh: {text}");
    assert_eq!(text, app.role().to_toml().unwrap());
}
