//! Export step (issue 14 item 7): the file name is `<role name>.<extension>` and follows
//! the name and the format until the user types one; console "Both" to the clipboard copies
//! each document alone, as JSON that pastes as is.

use crate::support::*;
// Typing into a form field needs it opened first (Enter/`i`): these helpers open it.
#[allow(unused_imports)]
use crate::support::{clear_in_field as clear_field, type_in_field as type_text};

use crossterm::event::KeyCode;
use rolesmith::tui::app::Modal;
use rolesmith::tui::steps::Step;

fn to_export(app: &mut Driver) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('6'));
    assert_eq!(app.step(), Step::Export);
}

fn file_field(app: &Driver) -> String {
    app.export_form().value(3).to_string()
}

/// Enter, saying yes to "findings remain" if asked.
fn export(app: &mut Driver) {
    press(app, KeyCode::Enter);
    if let Some(Modal::Confirm { title, .. }) = &app.modal()
        && title.starts_with("Findings")
    {
        press(app, KeyCode::Char('y'));
    }
}

#[test]
fn the_file_name_follows_the_role_name_and_the_format() {
    let mut app = app(seed(), 120, 40);
    to_export(&mut app);
    assert_eq!(file_field(&app), "string-reverser.txt");
    // Documents: trust only → one JSON document.
    press(&mut app, KeyCode::Right);
    assert_eq!(file_field(&app), "string-reverser-trust.json");
    press(&mut app, KeyCode::Left);
    // Format: JSON, AWS CLI, CloudFormation, CloudFormation (JSON), Terraform.
    press(&mut app, KeyCode::Down);
    let mut names = Vec::new();
    for _ in 0..5 {
        press(&mut app, KeyCode::Right);
        names.push(file_field(&app));
    }
    assert_eq!(
        names,
        [
            "string-reverser.json",
            "string-reverser.sh",
            "string-reverser.yaml",
            "string-reverser.cfn.json",
            "string-reverser.tf",
        ]
    );
    // A renamed role exports under its new name.
    app.edit_role(|r| r.name = "reports-writer".into());
    press(&mut app, KeyCode::Up);
    assert_eq!(file_field(&app), "reports-writer.tf");
    // A name the user typed is theirs: it no longer follows.
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Left);
    assert_eq!(file_field(&app), "reports-writer.tfx");
}

#[test]
fn both_documents_are_copied_one_at_a_time_as_pasteable_json() {
    let mut app = app(seed(), 120, 40);
    to_export(&mut app);
    // To: Clipboard.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    export(&mut app);
    let status = app.status_text().to_string();
    assert!(
        status.contains("the trust policy (part 1 of 2)"),
        "{status}"
    );
    assert!(status.contains("Enter copies inline policy"), "{status}");
    export(&mut app);
    export(&mut app);
    let copied = app.copied();
    assert_eq!(copied.len(), 3, "{copied:?}");
    let docs = app.role().to_documents();
    let trust: serde_json::Value = serde_json::from_str(&copied[0]).expect("trust is JSON");
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    let permissions: serde_json::Value =
        serde_json::from_str(&copied[1]).expect("permissions are JSON");
    assert_eq!(
        permissions,
        serde_json::from_str::<serde_json::Value>(&docs.policies[0].document.to_pretty_json())
            .unwrap()
    );
    // Then round again, from the trust policy.
    assert_eq!(copied[2], copied[0]);
}
