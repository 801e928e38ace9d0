//! Drawing never panics, whatever the terminal size: every size from 1x1 to 300x100.

use crate::support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use rolesmith::role::RoleSpec;
use rolesmith::tui::action::Action;
use rolesmith::tui::app::{App, update};
use rolesmith::tui::draw::draw;

/// Draws `app` at w x h into the frame's buffer. The buffer is not sent to the backend:
/// only drawing is under test, and that keeps 30,000 sizes fast enough for a debug build.
fn draw_at(t: &mut Terminal<TestBackend>, app: &mut App, w: u16, h: u16) {
    update(app, Action::Resize(w, h));
    t.backend_mut().resize(w, h);
    t.resize(Rect::new(0, 0, w, h)).expect("resize");
    let mut f = t.get_frame();
    draw(app, &mut f);
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(1, 1)).expect("terminal")
}

/// Busy states: many fields, long lists, a modal.
fn states() -> Vec<App> {
    let mut out = Vec::new();
    out.push(app(RoleSpec::default(), 120, 40));

    let mut a = app(seed(), 120, 40);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('a'));
    type_text(&mut a, "s3");
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "object");
    press(&mut a, KeyCode::Char(' '));
    out.push(a);

    let mut a = app(seed(), 120, 40);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    out.push(a);

    let mut a = app(seed(), 120, 40);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('?'));
    out.push(a);

    // A question over the screen (quitting with unsaved changes).
    let mut a = app(RoleSpec::default(), 120, 40);
    type_text(&mut a, "x");
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.modal.is_some());
    out.push(a);

    let mut a = app(seed(), 120, 40);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('6'));
    out.push(a);
    out
}

#[test]
fn every_size_from_1x1_to_300x100() {
    let mut t = terminal();
    // The empty role at every size ...
    for mut a in states().into_iter().take(1) {
        for w in 1..=300u16 {
            for h in 1..=100u16 {
                draw_at(&mut t, &mut a, w, h);
            }
        }
    }
}

#[test]
fn other_screens_at_a_spread_of_sizes() {
    // ... the other busy states and steps on a grid that still crosses every layout switch.
    for mut a in states().into_iter().skip(1) {
        let mut t = terminal();
        for w in (1..=300u16).step_by(5) {
            for h in (1..=100u16).step_by(4) {
                draw_at(&mut t, &mut a, w, h);
            }
        }
    }
    for step in ['2', '4', '5'] {
        let mut a = app(seed(), 120, 40);
        press(&mut a, KeyCode::Esc);
        press(&mut a, KeyCode::Char(step));
        let mut t = terminal();
        for w in (1..=300u16).step_by(7) {
            for h in (1..=100u16).step_by(3) {
                draw_at(&mut t, &mut a, w, h);
            }
        }
    }
}
