//! The `v` popup ("texts cut on this screen, in full") closes on any key, as it says: a key
//! bound in its context and a key bound nowhere (`x`, `b`) alike, and the key does nothing
//! else (`q` does not quit, `j` does not move). Keys go through `event_loop::map_event`, as
//! in the program.

use crossterm::event::KeyCode;
use rolesmith::role::RoleSpec;
use rolesmith::tui::app::Modal;

use crate::support::*;

/// A new role at 80x24 on its Role step, where field hints are cut; `v` opened.
fn popup_open() -> Driver {
    let mut app = app(RoleSpec::default(), 80, 24);
    press(&mut app, KeyCode::Enter); // into the Role step, on Name
    screen_text(&app); // drawn: what it cut is what `v` lists
    press(&mut app, KeyCode::Char('v'));
    assert!(
        matches!(app.modal(), Some(Modal::FullText { .. })),
        "v opened no popup: {:?} {:?}",
        app.modal(),
        app.status()
    );
    app
}

#[test]
fn any_key_closes_the_full_text_popup_and_does_nothing_else() {
    for key in ['x', 'b', 'q', 'j', '7'] {
        let mut app = popup_open();
        let focus = app.role_form().focus;
        press(&mut app, KeyCode::Char(key));
        assert!(app.modal().is_none(), "{key:?} left it open");
        assert!(!app.has_quit(), "{key:?} quit");
        assert_eq!(*app.role(), RoleSpec::default(), "{key:?} changed the role");
        assert_eq!(app.role_form().focus, focus, "{key:?} moved");
    }
    for key in [KeyCode::Esc, KeyCode::Enter, KeyCode::F(5)] {
        let mut app = popup_open();
        press(&mut app, key);
        assert!(app.modal().is_none(), "{key:?} left it open");
    }
}
