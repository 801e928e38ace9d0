//! Issue 12, problem 5: a paste arrived as one keystroke per character, each re-linting the
//! role (40k characters took minutes), and every key on a 10k-statement role rebuilt the
//! preview in place (~0.9 s a key). Now a bracketed paste goes into the field whole, as one
//! edit, and with the preview built off the input path a key changes the role at once while
//! the preview catches up. (Speed itself is measured in `benches/large_roles.rs`.)

use crossterm::event::KeyCode;
use rolesmith::role::{InlinePolicySpec, RoleSpec, StatementSpec};

use crate::support::{app, open_field, press};

#[test]
fn paste_of_100k_characters_goes_in_whole_as_one_undo_step() {
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Enter); // from the step list into the Role step (Name)
    press(&mut app, KeyCode::Down); // the description field
    open_field(&mut app);
    let text = "abcdefghij".repeat(10_000);
    let revision = app.revision();
    app.paste(&format!("{text}\r\n"));
    assert_eq!(app.role().description.as_deref(), Some(text.as_str()));
    assert_eq!(app.revision(), revision + 1, "one change, one rebuild");
    assert_eq!(app.undo_len(), 1, "one undo step");
    // Line breaks and control characters inside a paste become spaces (one-line fields).
    press(&mut app, KeyCode::Up);
    open_field(&mut app);
    app.paste("a\x1b[2J\nb");
    assert!(app.role().name.ends_with("a [2J b"), "{}", app.role().name);
}

#[test]
fn paste_outside_a_text_field_is_refused_with_a_hint() {
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let before = app.role().clone();
    app.paste("q?/123");
    assert_eq!(*app.role(), before);
}

fn large_role(n: usize) -> RoleSpec {
    RoleSpec {
        name: "large".into(),
        policies: vec![InlinePolicySpec {
            name: "reads".into(),
            statements: (0..n)
                .map(|i| StatementSpec {
                    actions: vec!["s3:GetObject".into()],
                    resources: vec![format!("arn:aws:s3:::bucket-{i}/*")],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn a_key_on_a_10k_statement_role_changes_the_role_and_the_preview_catches_up() {
    let mut app = app(large_role(10_000), 120, 40);
    app.use_background_preview();
    let findings_before = app.findings().len();
    press(&mut app, KeyCode::Enter); // from the step list into the Name field
    open_field(&mut app);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.role().name, "largex", "the key is applied at once");
    app.wait_for_preview();
    assert_eq!(
        app.previewed_documents().role_name,
        "largex",
        "the preview caught up"
    );
    assert!(app.findings().len() >= findings_before.min(1));
}
