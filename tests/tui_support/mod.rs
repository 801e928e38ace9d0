//! Helpers shared by the TUI tests: an app on the embedded catalog, keys, a test terminal.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolesmith::catalog::Catalog;
use rolesmith::role::{RoleSpec, load_role_file};
use rolesmith::tui::action::Action;
use rolesmith::tui::app::{App, update};
use rolesmith::tui::draw::draw;
use rolesmith::tui::theme::Theme;

/// The seed's role file.
pub const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lambda-s3-writer.toml"
);

pub fn seed() -> RoleSpec {
    load_role_file(std::path::Path::new(SEED)).expect("the seed parses")
}

/// A wizard on `role` with the embedded catalog, no colour, a clipboard that only records.
pub fn app(role: RoleSpec, w: u16, h: u16) -> App {
    let catalog = Arc::new(Catalog::embedded().clone());
    let mut app = App::new(role, None, catalog, Theme::monochrome());
    app.clipboard = Box::new(|_| Ok("copied (test)".into()));
    update(&mut app, Action::Resize(w, h));
    app
}

/// Presses a key as the event loop would: through the keymap, in the current context.
pub fn press(app: &mut App, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

pub fn press_mod(app: &mut App, code: KeyCode, m: KeyModifiers) {
    let ev = KeyEvent::new(code, m);
    if let Some(a) = app.keymap.lookup(app.context(), &ev) {
        update(app, a);
    }
}

/// Types text key by key.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Ctrl-U: clears the focused text field.
pub fn clear_field(app: &mut App) {
    press_mod(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
}

/// Draws the app on a test terminal of its screen size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.screen;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| draw(app, f)).expect("draw");
    t
}

/// The screen as text, one line per row.
pub fn screen_text(app: &App) -> String {
    let t = render(app);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
