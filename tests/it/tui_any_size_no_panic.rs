//! Drawing never panics, whatever the terminal size.
//!
//! The layout only changes at a few widths and heights (the breakpoints below, read from
//! `draw.rs`, the step panes and the overlays), so every busy state is drawn at each
//! breakpoint ±2 against a coarse range of the other dimension, where a width and a height
//! breakpoint meet (±1 of each), and on a coarse grid of both. The full sweep, every size from 1x1 to 300x100 for every state, is ignored in the
//! normal run (it takes minutes in a debug build); run it by hand in release:
//! `cargo test --release --test it tui_any_size_no_panic -- --ignored`.

use std::collections::BTreeSet;

use crate::support::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use rolesmith::role::RoleSpec;
use rolesmith::tui::action::Action;
use rolesmith::tui::app::{MIN_HEIGHT, MIN_WIDTH, WIDE_WIDTH};

/// The largest size the sweeps reach.
const MAX_W: u16 = 300;
const MAX_H: u16 = 100;

/// Widths where some part of the screen changes shape.
fn width_breakpoints() -> Vec<u16> {
    vec![
        // Below it: the "terminal too small" message.
        MIN_WIDTH, // The confirmation dialog stops growing (90 columns).
        90,
        // Stacked layout: the Review list (width - 20 steps - 2 borders) gets the long
        // finding-code column above 70 columns.
        93,
        // The help overlay (width - 2, its inner width - 2 more) shows two columns from an
        // inner width of 100.
        104,        // Three columns: steps, step pane, preview.
        WIDE_WIDTH, // The help overlay stops growing (120 columns).
        122,
        // Three columns: the Review list (55 % of width - 22, less borders) passes 70.
        153,
    ]
}

/// Heights where some part of the screen changes shape.
fn height_breakpoints() -> Vec<u16> {
    vec![
        // Below it: the "terminal too small" message.
        MIN_HEIGHT,
        // Three columns: the Review explanation grows from 5 to 8 rows once the step
        // pane's inner height (height - status line - 2 borders) reaches 18.
        21, // Stacked layout: the same switch, the step pane having 60 % of the body.
        35,
    ]
}

/// Each breakpoint and the two sizes either side of it.
fn around(breakpoints: &[u16], max: u16) -> Vec<u16> {
    breakpoints
        .iter()
        .flat_map(|&b| b.saturating_sub(2)..=b.saturating_add(2))
        .filter(|&x| (1..=max).contains(&x))
        .collect()
}

/// 1, every `step`-th size, and `max`.
fn coarse(max: u16, step: usize) -> Vec<u16> {
    let mut out: Vec<u16> = (1..=max).step_by(step).collect();
    out.push(max);
    out
}

/// The sizes of the normal run: breakpoints ±2 against a coarse range of the other
/// dimension, and a coarse grid of both (each size once).
fn sizes() -> BTreeSet<(u16, u16)> {
    let mut out = BTreeSet::new();
    for w in around(&width_breakpoints(), MAX_W) {
        for h in coarse(MAX_H, 20) {
            out.insert((w, h));
        }
    }
    for h in around(&height_breakpoints(), MAX_H) {
        for w in coarse(MAX_W, 37) {
            out.insert((w, h));
        }
    }
    // Both breakpoint sets crossed: the corners where two switches meet.
    // Where a width and a height breakpoint meet, ±1 of each.
    let near = |bs: Vec<u16>, max: u16| -> Vec<u16> {
        bs.iter()
            .flat_map(|&b| b.saturating_sub(1)..=b.saturating_add(1))
            .filter(|&x| (1..=max).contains(&x))
            .collect()
    };
    for w in near(width_breakpoints(), MAX_W) {
        for h in near(height_breakpoints(), MAX_H) {
            out.insert((w, h));
        }
    }
    for w in coarse(MAX_W, 29) {
        for h in coarse(MAX_H, 13) {
            out.insert((w, h));
        }
    }
    out
}

/// Draws `app` at w x h into the frame's buffer. The buffer is not sent to the backend:
/// only drawing is under test, and that keeps thousands of sizes fast in a debug build.
fn draw_at(t: &mut Terminal<TestBackend>, app: &mut Driver, w: u16, h: u16) {
    app.act(Action::Resize(w, h));
    t.backend_mut().resize(w, h);
    t.resize(Rect::new(0, 0, w, h)).expect("resize");
    let mut f = t.get_frame();
    app.draw(&mut f);
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(1, 1)).expect("terminal")
}

/// Busy states: many fields, long lists, a modal, and every step.
fn states() -> Vec<Driver> {
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
    press(&mut a, KeyCode::Char('1'));
    edit_field(&mut a, "x");
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.modal().is_some());
    out.push(a);

    for step in ['2', '4', '5', '6'] {
        let mut a = app(seed(), 120, 40);
        press(&mut a, KeyCode::Esc);
        press(&mut a, KeyCode::Char(step));
        out.push(a);
    }
    out
}

#[test]
fn every_state_at_each_breakpoint_and_on_a_coarse_grid() {
    let sizes = sizes();
    for mut a in states() {
        let mut t = terminal();
        for &(w, h) in &sizes {
            draw_at(&mut t, &mut a, w, h);
        }
    }
}

#[test]
fn the_sizes_cover_every_breakpoint_and_both_ends() {
    let sizes = sizes();
    for b in width_breakpoints() {
        for w in b - 2..=b + 2 {
            assert!(
                sizes.contains(&(w, 1)) && sizes.contains(&(w, MAX_H)),
                "{w}"
            );
        }
    }
    for b in height_breakpoints() {
        for h in b - 2..=b + 2 {
            assert!(
                sizes.contains(&(1, h)) && sizes.contains(&(MAX_W, h)),
                "{h}"
            );
        }
    }
    assert!(sizes.contains(&(1, 1)) && sizes.contains(&(MAX_W, MAX_H)));
}

#[test]
#[ignore = "minutes in a debug build: run in release by hand (see the module comment)"]
fn every_state_at_every_size_from_1x1_to_300x100() {
    for mut a in states() {
        let mut t = terminal();
        for w in 1..=MAX_W {
            for h in 1..=MAX_H {
                draw_at(&mut t, &mut a, w, h);
            }
        }
    }
}
