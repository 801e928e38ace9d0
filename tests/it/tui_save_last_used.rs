//! Account and region are typed once (issue 14 item 9): the role's `account`/`region` fill
//! every ARN builder's placeholders (editable there), one typed in a builder is the default
//! of the others, and a saved role's are remembered in the user's config folder and offered
//! to the next new role.

use crate::support::*;
use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::RoleSpec;
use rolesmith::session::last_used::LastUsed;

#[test]
fn saving_remembers_account_and_region_for_the_next_new_role() {
    let dir = hermetic();
    let remembered = dir.path().join("config/rolesmith/last-used.toml");
    let mut role = seed();
    role.account = Some("123456789012".into());
    role.region = Some("eu-west-1".into());
    let file = dir.path().join("role.toml");
    let mut app = app(role, 120, 40);
    app.set_last_used_file(Some(remembered.clone()));
    app.set_path(Some(file.clone()));
    press(&mut app, KeyCode::Esc);
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(file.is_file(), "{:?}", app.status());
    let mut next = RoleSpec::default();
    LastUsed::load(&remembered).prefill(&mut next);
    assert_eq!(next.account.as_deref(), Some("123456789012"));
    assert_eq!(next.region.as_deref(), Some("eu-west-1"));
    // The new role shows them on the Role step, editable.
    let app = crate::support::app(next, 120, 40);
    let screen = screen_text(&app);
    assert!(
        screen.contains("123456789012") && screen.contains("eu-west-1"),
        "{screen}"
    );
}

/// From a fresh wizard: a new statement of `dynamodb:Query`, on its Resources page, where
/// the table's builder is included and the index's is not.
fn query_statement(app: &mut Driver) {
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Char('a'));
    type_text(app, "dynamodb");
    press(app, KeyCode::Enter);
    type_text(app, "Query");
    press(app, KeyCode::Char(' '));
    press(app, KeyCode::Enter);
    assert!(on_page(app, "Resources"), "{}", screen_text(app));
}

fn on_page(app: &Driver, page: &str) -> bool {
    screen_text(app).contains(&format!("New statement · {page}"))
}

/// From the index builder's check box: include it, name its table and index, and add the
/// statement (no conditions, the proposed policy).
fn include_the_index_and_finish(app: &mut Driver) {
    press(app, KeyCode::Char(' ')); // include dynamodb:index
    for _ in 0..4 {
        press(app, KeyCode::Down); // Partition, Region, Account → TableName
    }
    edit_field(app, "Orders");
    press(app, KeyCode::Enter); // → IndexName
    edit_field(app, "by-day");
    let mut guard = 0;
    while on_page(app, "Resources") {
        press(app, KeyCode::Enter);
        guard += 1;
        assert!(guard < 20, "Enter never left the resources page");
    }
    press(app, KeyCode::Enter); // no conditions
    assert!(on_page(app, "Effect"), "{}", screen_text(app));
    for _ in 0..5 {
        press(app, KeyCode::Enter); // effect; sid: edit, done; policy: edit, done → add
    }
    assert!(status(app).contains("statement added"), "{}", status(app));
}

/// The resources of the role's `dynamodb:Query` statement.
fn query_resources(app: &Driver) -> Vec<String> {
    app.role()
        .policies
        .iter()
        .flat_map(|p| &p.statements)
        .find(|s| s.actions.iter().any(|a| a == "dynamodb:Query"))
        .map(|s| s.resources.clone())
        .unwrap_or_default()
}

#[test]
fn the_roles_account_and_region_fill_every_arn_builder_and_stay_editable() {
    let mut role = seed();
    role.account = Some("123456789012".into());
    role.region = Some("eu-west-1".into());
    let mut app = app(role, 120, 40);
    query_statement(&mut app);
    // Region and account are filled in: the builder starts on the table's name.
    press(&mut app, KeyCode::Up); // TableName → Account
    edit_field(&mut app, "210987654321"); // the table lives in another account
    press(&mut app, KeyCode::Enter); // → TableName
    edit_field(&mut app, "Orders");
    press(&mut app, KeyCode::Enter); // → the index's check box
    include_the_index_and_finish(&mut app);
    assert_eq!(
        query_resources(&app),
        [
            "arn:aws:dynamodb:eu-west-1:210987654321:table/Orders",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/by-day",
        ],
        "the edit stays in its builder; the other takes the role's account"
    );
}

#[test]
fn an_account_and_region_typed_in_one_builder_are_the_default_of_the_others() {
    let mut app = app(seed(), 120, 40); // no account or region on the role
    query_statement(&mut app);
    // The builder starts on the first empty placeholder, the region.
    edit_field(&mut app, "eu-west-1");
    press(&mut app, KeyCode::Enter); // → Account
    edit_field(&mut app, "123456789012");
    press(&mut app, KeyCode::Enter); // → TableName
    edit_field(&mut app, "Orders");
    press(&mut app, KeyCode::Enter); // → the index's check box
    include_the_index_and_finish(&mut app);
    assert_eq!(
        query_resources(&app),
        [
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/by-day",
        ]
    );
}
