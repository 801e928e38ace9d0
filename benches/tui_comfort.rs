//! Costs the guard rails add to a keystroke (guide §2.7: every keystroke within one frame):
//!
//! - `edit_keystroke`: one character typed into the role name: update (undo snapshot, lint
//!   of the whole role, preview rebuild, autosave scheduling) + draw at 120x40 (target < 16 ms).
//! - `undo_redo`: one undo and one redo of that change, with redraws (target < 16 ms).
//! - `fix_preview`: preparing the before/after diff of the seed-like bucket ARN fix
//!   (target < 5 ms).

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolesmith::catalog::Catalog;
use rolesmith::role::{RoleSpec, parse_role_text};
use rolesmith::tui::app::App;
use rolesmith::tui::testing::Driver;
use rolesmith::tui::theme::Theme;

const BUCKET_ROLE: &str = r#"name = "bucket-writer"
managed_policies = ["AWSLambdaBasicExecutionRole"]
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "write-reports"
[[policy.statement]]
actions = ["s3:PutObject", "s3:PutObjectAcl"]
resources = ["arn:aws:s3:::my-bucket"]
"#;

fn role() -> RoleSpec {
    parse_role_text("bench", BUCKET_ROLE).expect("parses")
}

fn new_app() -> Driver {
    let catalog = Arc::new(Catalog::embedded().clone());
    Driver::from_app(App::new(role(), None, catalog, Theme::default()), 120, 40)
}

fn press(app: &mut Driver, code: KeyCode, m: KeyModifiers) {
    app.press_mod(code, m);
}

#[divan::bench]
fn edit_keystroke(bencher: divan::Bencher) {
    let mut app = new_app();
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        press(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
        press(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
        term.draw(|f| app.draw(f)).expect("draw");
    });
}

#[divan::bench]
fn undo_redo(bencher: divan::Bencher) {
    let mut app = new_app();
    press(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        press(&mut app, KeyCode::Char('u'), KeyModifiers::NONE);
        term.draw(|f| app.draw(f)).expect("draw");
        press(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
        term.draw(|f| app.draw(f)).expect("draw");
    });
}

#[divan::bench]
fn fix_preview(bencher: divan::Bencher) {
    let app = new_app();
    let f = app
        .findings()
        .iter()
        .find(|f| f.code == "resource-mismatch")
        .expect("flagged")
        .clone();
    let role = app.role().clone();
    bencher.bench_local(|| rolesmith::tui::fixes::prepare(&role, &f).expect("fix"));
}
