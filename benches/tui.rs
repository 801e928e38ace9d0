//! TUI performance targets (guide §2.7: every keystroke answers within one frame).
//!
//! - `draw_*`: drawing one screen at 120x40 (target < 1 ms).
//! - `keystroke_filter_actions`: one key typed into the action filter of the biggest
//!   service, update + draw, with the full AWS catalog when its reference files are at
//!   `$ROLESMITH_REFERENCE_DIR` (default `../shared/reference/aws-service-reference` beside
//!   the repository),
//!   else the embedded catalog (target < 16 ms).
//! - `keystroke_call_field`: one key in the "add by API call" field, update + draw, with the
//!   full catalog's operations when the reference files are there (target < 16 ms).
//! - `start_to_first_frame`: decode the catalog, build the app, draw once (target < 50 ms).

use std::sync::{Arc, OnceLock};

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolesmith::catalog::Catalog;
use rolesmith::role::{RoleSpec, parse_role_text};
use rolesmith::tui::app::App;
use rolesmith::tui::testing::Driver;
use rolesmith::tui::theme::Theme;

const SEED: &str = include_str!("../examples/lambda-s3-writer.toml");

fn seed() -> RoleSpec {
    parse_role_text("seed", SEED).expect("seed parses")
}

fn press(app: &mut Driver, code: KeyCode) {
    app.press(code);
}

fn type_text(app: &mut Driver, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn new_app(role: RoleSpec, catalog: Arc<Catalog>) -> Driver {
    Driver::from_app(App::new(role, None, catalog, Theme::default()), 120, 40)
}

fn embedded() -> Arc<Catalog> {
    Arc::new(Catalog::embedded().clone())
}

/// The full AWS catalog, imported once from the reference files if they are present.
fn full_catalog() -> Arc<Catalog> {
    static FULL: OnceLock<Arc<Catalog>> = OnceLock::new();
    FULL.get_or_init(|| {
        let Some(dir) = crate::reference_dir() else {
            eprintln!("(reference files not used: the embedded catalog is used)");
            return embedded();
        };
        let tmp = std::env::temp_dir().join(format!("rolesmith-bench-{}", std::process::id()));
        let imported = rolesmith::catalog::import::read_path(&dir).and_then(|set| {
            rolesmith::catalog::import::write_user_catalog(
                &set,
                "imported",
                &tmp.join("catalog.json"),
            )
        });
        // The operations file sits beside the catalog: decode it before the folder goes.
        if let Ok(c) = &imported {
            let _ = c.operations();
        }
        let _ = std::fs::remove_dir_all(&tmp);
        match imported {
            Ok(c) => {
                eprintln!(
                    "(full catalog: {} services, {} actions)",
                    c.services().len(),
                    c.action_count()
                );
                Arc::new(c)
            }
            Err(e) => {
                eprintln!("(import failed, embedded catalog used: {e})");
                embedded()
            }
        }
    })
    .clone()
}

/// Screens to draw, each reached with keys from the seed's role.
fn screen(name: &str) -> Driver {
    let mut a = new_app(seed(), embedded());
    let keys: &[&str] = match name {
        "role" => &[],
        "trust" => &["esc", "2"],
        "permissions" => &["esc", "3"],
        "actions" => &["esc", "3", "a", "s3", "enter"],
        "resources" => &["esc", "3", "enter", "enter"],
        "managed" => &["esc", "4"],
        "review" => &["esc", "5"],
        "export" => &["esc", "6"],
        "help" => &["esc", "?"],
        _ => &[],
    };
    for k in keys {
        match *k {
            "esc" => press(&mut a, KeyCode::Esc),
            "enter" => press(&mut a, KeyCode::Enter),
            text => type_text(&mut a, text),
        }
    }
    a
}

#[divan::bench(args = ["role", "trust", "permissions", "actions", "resources", "managed", "review", "export", "help"])]
fn draw_screen(bencher: divan::Bencher, name: &str) {
    let app = screen(name);
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        let mut f = t.get_frame();
        app.draw(&mut f);
    });
}

/// One key in the action filter of the biggest service: update + a full frame.
#[divan::bench]
fn keystroke_filter_actions(bencher: divan::Bencher) {
    let catalog = full_catalog();
    let biggest = catalog
        .services()
        .max_by_key(|s| s.actions.len())
        .map(|s| s.prefix.clone())
        .unwrap_or_else(|| "ec2".into());
    let mut a = new_app(seed(), catalog);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('a'));
    type_text(&mut a, &biggest);
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "describ");
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut typed = false;
    bencher.bench_local(|| {
        // Alternate typing and deleting a letter so every iteration changes the filter.
        if typed {
            press(&mut a, KeyCode::Backspace);
        } else {
            press(&mut a, KeyCode::Char('e'));
        }
        typed = !typed;
        t.draw(|f| a.draw(f)).expect("draw");
    });
}

/// One key in the call field of "add by API call" (Permissions, `C`), update + a full frame,
/// with the full catalog's operations: a call being completed (`s3.copy_objec` ⇄
/// `s3.copy_object`: completion, resolution, the needed/conditional split, the ARN builders),
/// and an unknown one (nothing starts with it, so the nearest names are looked for among all
/// operations, the costliest keystroke of the page).
#[divan::bench(args = ["s3.copy_objec", "frobnicate_widge"])]
fn keystroke_call_field(bencher: divan::Bencher, typed: &str) {
    let catalog = full_catalog();
    let mut a = new_app(seed(), catalog);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('C'));
    type_text(&mut a, typed);
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut added = false;
    bencher.bench_local(|| {
        if added {
            press(&mut a, KeyCode::Backspace);
        } else {
            press(&mut a, KeyCode::Char('t'));
        }
        added = !added;
        t.draw(|f| a.draw(f)).expect("draw");
    });
}

/// From a cold catalog to the first frame on screen.
#[divan::bench]
fn start_to_first_frame(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        let catalog = Catalog::decode_embedded_facts().expect("embedded catalog");
        let a = new_app(RoleSpec::default(), Arc::new(catalog));
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        t.draw(|f| a.draw(f)).expect("draw");
    });
}

/// One key typed into the role name: the role changes, so documents are rebuilt and the
/// role is linted again before the frame (the most expensive keystroke there is).
#[divan::bench]
fn keystroke_edit_role_name(bencher: divan::Bencher) {
    let mut a = new_app(seed(), embedded());
    press(&mut a, KeyCode::End);
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut typed = false;
    bencher.bench_local(|| {
        if typed {
            press(&mut a, KeyCode::Backspace);
        } else {
            press(&mut a, KeyCode::Char('x'));
        }
        typed = !typed;
        t.draw(|f| a.draw(f)).expect("draw");
    });
}

/// Toggling an action in the editor: the draft statement is previewed and linted.
#[divan::bench]
fn keystroke_toggle_action(bencher: divan::Bencher) {
    let mut a = new_app(seed(), embedded());
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('3'));
    press(&mut a, KeyCode::Char('a'));
    type_text(&mut a, "s3");
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "GetObject");
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        press(&mut a, KeyCode::Char(' '));
        t.draw(|f| a.draw(f)).expect("draw");
    });
}
