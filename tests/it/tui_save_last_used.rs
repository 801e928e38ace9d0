//! The account and region of a saved role are remembered in the user's config folder and
//! offered to the next new role (issue 14 item 9).

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
    app.session.last_used = Some(remembered.clone());
    app.path = Some(file.clone());
    press(&mut app, KeyCode::Esc);
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(file.is_file(), "{:?}", app.status);
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
