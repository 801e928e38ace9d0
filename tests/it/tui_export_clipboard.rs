//! A copy to the clipboard says where it went and how long it lasts (issue 14 item 7): on
//! X11/Wayland a helper process keeps it after rolesmith quits, and when the helper cannot
//! start the status line says the copy lasts only while rolesmith runs and offers the file
//! export. The clipboard itself is replaced by one that answers as each route would (this
//! machine has no display); the routes are chosen by `export::clipboard::choose_route`, unit
//! tested beside it.

use crossterm::event::KeyCode;
use rolesmith::export::clipboard::ClipboardOutcome;
use rolesmith::tui::app::Modal;

use crate::support::*;

/// The seed on the Export step, JSON to the clipboard, copied with Enter; the status line.
fn copy_json(clipboard: rolesmith::tui::app::ClipboardFn) -> String {
    let mut app: Driver = app(seed(), 120, 40);
    app.set_clipboard(clipboard);
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Down); // Format
    press(&mut app, KeyCode::Right); // Console JSON → JSON: one document, one copy
    press(&mut app, KeyCode::Down); // To
    press(&mut app, KeyCode::Char(' ')); // File → Clipboard
    press(&mut app, KeyCode::Enter);
    if matches!(app.modal(), Some(Modal::Confirm { .. })) {
        press(&mut app, KeyCode::Char('y')); // findings remain: copy anyway
    }
    status(&app)
}

#[test]
fn a_copy_kept_by_the_helper_says_it_outlives_rolesmith() {
    let said = copy_json(Box::new(|_| {
        Ok(ClipboardOutcome::KeptByHelper.message().into())
    }));
    assert!(
        said.contains("a helper process keeps it there after you quit"),
        "{said}"
    );
}

#[test]
fn a_copy_without_the_helper_says_it_dies_with_rolesmith_and_offers_the_file() {
    let said = copy_json(Box::new(|_| {
        Ok(ClipboardOutcome::UntilQuit.message().into())
    }));
    assert!(said.contains("only while rolesmith runs"), "{said}");
    assert!(said.contains("export to a file"), "{said}");
}

#[test]
fn no_clipboard_at_all_is_an_error_that_points_at_the_file_export() {
    let mut clip = rolesmith::export::clipboard::Clipboard::new();
    let env = rolesmith::export::clipboard::ClipboardEnv::default(); // no display, no terminal
    let said = copy_json(Box::new(move |text| {
        clip.copy_with(&env, text).map(|o| o.message().to_string())
    }));
    assert!(said.contains("no display is reachable"), "{said}");
    assert!(said.contains("Export to a file instead"), "{said}");
}
