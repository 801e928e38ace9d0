//! Focus and modes (guide §8 "Focus") and the one list behaviour: the program starts on the
//! step list, letters are commands until a text field is opened with Enter or `i`, Esc twice
//! quits, and every list moves, pages and jumps with the same keys and the mouse.

use crate::support::*;
use crossterm::event::KeyCode;
use rolesmith::role::RoleSpec;
use rolesmith::tui::app::{Modal, Pane};
use rolesmith::tui::steps::Step;

#[test]
fn the_first_key_q_quits() {
    let _dir = hermetic();
    let mut app = app(RoleSpec::default(), 80, 24);
    assert_eq!(
        app.focus(),
        Pane::Steps,
        "the program starts on the step list"
    );
    press(&mut app, KeyCode::Char('q'));
    assert!(app.has_quit(), "q on the first screen quits");
}

#[test]
fn the_first_key_question_mark_opens_help_and_f1_does_while_editing() {
    let _dir = hermetic();
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.modal(), Some(Modal::Help)));
    press(&mut app, KeyCode::Esc);
    assert!(app.modal().is_none());
    // Inside a text field being edited `?` is typed, F1 still opens help.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.editing_field());
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.role().name, "?");
    press(&mut app, KeyCode::F(1));
    assert!(matches!(app.modal(), Some(Modal::Help)));
}

#[test]
fn typing_into_a_field_needs_enter_or_i_and_the_status_line_says_so() {
    let _dir = hermetic();
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Enter); // into the Role step, on Name
    assert_eq!((app.focus(), app.step()), (Pane::Main, Step::Role));
    // Not open yet: a digit is a command (go to step 2), nothing is typed.
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.step(), Step::Trust);
    assert_eq!(app.role().name, "");
    press(&mut app, KeyCode::Char('1'));
    assert!(screen_text(&app).contains("Enter/i edit"), "hinted");
    press(&mut app, KeyCode::Char('i'));
    assert!(app.editing_field());
    type_text(&mut app, "q2-role");
    assert_eq!(
        app.role().name,
        "q2-role",
        "letters and digits are typed now"
    );
    let screen = screen_text(&app);
    assert!(
        screen.contains("editing Name — Enter/Esc to finish"),
        "{screen}"
    );
    // Esc finishes editing and stays on the field; `q` is a command again.
    press(&mut app, KeyCode::Esc);
    assert!(!app.editing_field());
    assert_eq!(app.focus(), Pane::Main);
    press(&mut app, KeyCode::Char('q'));
    assert!(
        matches!(app.modal(), Some(Modal::QuitAsk)),
        "unsaved: it asks"
    );
    press(&mut app, KeyCode::Char('c'));
    // Enter finishes and goes on to the next field; Tab finishes and changes pane.
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert!(!app.editing_field());
    assert_eq!(app.role().name, "q2-rolex");
    assert_eq!(app.role_form().focus, 1, "on to the description");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert!(!app.editing_field());
    assert_eq!(app.focus(), Pane::Preview);
}

#[test]
fn esc_twice_quits_once_nothing_is_left_to_close() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a')); // the statement editor
    press(&mut app, KeyCode::Esc); // closes it (nothing chosen)
    assert!(!app.editing_statement());
    assert!(!app.has_quit());
    press(&mut app, KeyCode::Esc); // step pane → step list
    assert_eq!(app.focus(), Pane::Steps);
    assert!(screen_text(&app).contains("Esc again to quit"));
    press(&mut app, KeyCode::Esc);
    assert!(app.has_quit(), "a clean role quits at once");

    // Another key between two Escs disarms; with unsaved changes it asks.
    let mut app = support_app(RoleSpec::default());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Esc);
    assert!(!app.has_quit() && app.modal().is_none());
    press(&mut app, KeyCode::Char('1'));
    edit_field(&mut app, "x");
    press(&mut app, KeyCode::Esc); // finish editing
    press(&mut app, KeyCode::Esc); // → steps
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.modal(), Some(Modal::QuitAsk)));
}

fn support_app(role: RoleSpec) -> Driver {
    app(role, 120, 40)
}

#[test]
fn every_list_pages_and_jumps_with_the_same_keys() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    // The step list.
    press(&mut app, KeyCode::End);
    assert_eq!(app.step(), Step::Export);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.step(), Step::Role);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.step(), Step::Export);
    // The trust services list.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.selected_trust_service(), 10);
    press(&mut app, KeyCode::End);
    let last = app.trust_service_rows().len() - 1;
    assert_eq!(app.selected_trust_service(), last);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.selected_trust_service(), last - 10);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected_trust_service(), 0);
    // The managed policies list.
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('G'));
    let last = app.managed_rows().len() - 1;
    assert_eq!(app.selected_managed(), last);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected_managed(), last - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.selected_managed(), 0);
    // The statement list (one statement and the "add" row).
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::End);
    assert_eq!(app.selected_statement(), 1);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.selected_statement(), 0);
}

#[test]
fn l_and_right_never_tick_a_check_box() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Right); // Accounts
    press(&mut app, KeyCode::Char('a'));
    let toggles = |app: &Driver| -> Vec<bool> {
        let f = app.trust_form().expect("account form");
        f.fields
            .iter()
            .filter(|f| matches!(f.kind, rolesmith::tui::widgets::field::FieldKind::Toggle(_)))
            .map(|f| f.is_on())
            .collect()
    };
    let before = toggles(&app);
    assert!(!before.is_empty(), "the account form has a check box");
    // Down to the first check box, then l and Right: nothing flips; Space does.
    for _ in 0..10 {
        let on_toggle = {
            let f = app.trust_form().unwrap();
            matches!(
                f.fields[f.focus].kind,
                rolesmith::tui::widgets::field::FieldKind::Toggle(_)
            )
        };
        if on_toggle {
            break;
        }
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Right);
    assert_eq!(toggles(&app), before);
    press(&mut app, KeyCode::Char(' '));
    assert_ne!(toggles(&app), before);
}

/// The row of the screen where `text` first shows.
fn row_of(app: &Driver, text: &str) -> u16 {
    screen_text(app)
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not on screen")) as u16
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_scrolls() {
    let _dir = hermetic();
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(seed(), w, h);
        press(&mut app, KeyCode::Char('4'));
        // Draw once (the mouse hits what the last frame showed), then click the third row.
        let third = app.managed_rows()[2].clone();
        let y = row_of(&app, &third);
        app.click(30, y);
        assert_eq!(app.selected_managed(), 2, "{w}x{h}");
        assert_eq!(app.focus(), Pane::Main);
        // And back up to the first.
        let first = app.managed_rows()[0].clone();
        let y = row_of(&app, &first);
        app.click(30, y);
        assert_eq!(app.selected_managed(), 0, "{w}x{h}");
        app.wheel(false, 30, y);
        assert_eq!(app.selected_managed(), 3, "{w}x{h}");
    }
    // The trust services list too.
    let mut app = support_app(seed());
    press(&mut app, KeyCode::Char('2'));
    let fifth = app.trust_service_rows()[4].clone();
    let y = row_of(&app, &fifth);
    app.click(40, y);
    assert_eq!(app.selected_trust_service(), 4);
}
