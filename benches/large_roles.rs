//! Large inputs in the editor (issue 12, problem 5; guide §2.7: every keystroke within a frame):
//!
//! - `keystroke_on_10k_statement_role`: one character typed into the role name of a role with
//!   10,000 statements, then a draw at 120x40 (goal ≤ 16 ms). The preview and findings of such
//!   a role are rebuilt off the input path and catch up a frame or two later.
//! - `paste_100k_characters`: a bracketed paste of 100,000 characters into the description,
//!   as the event loop applies it (goal: linear, well under a second).

use std::sync::Arc;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolesmith::catalog::Catalog;
use rolesmith::role::{InlinePolicySpec, RoleSpec, StatementSpec};
use rolesmith::tui::app::App;
use rolesmith::tui::testing::Driver;
use rolesmith::tui::theme::Theme;

/// A role with `n` statements, each granting reads on its own bucket.
pub fn role_with_statements(n: usize) -> RoleSpec {
    let statements = (0..n)
        .map(|i| StatementSpec {
            sid: Some(format!("Read{i}")),
            actions: vec!["s3:GetObject".into(), "s3:ListBucket".into()],
            resources: vec![
                format!("arn:aws:s3:::bucket-{i}"),
                format!("arn:aws:s3:::bucket-{i}/*"),
            ],
            ..Default::default()
        })
        .collect();
    RoleSpec {
        name: "large".into(),
        policies: vec![InlinePolicySpec {
            name: "reads".into(),
            statements,
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn new_app(role: RoleSpec) -> Driver {
    let catalog = Arc::new(Catalog::embedded().clone());
    Driver::from_app(App::new(role, None, catalog, Theme::default()), 120, 40)
}

fn press(app: &mut Driver, code: KeyCode) {
    app.press(code);
}

#[divan::bench(sample_count = 20)]
fn keystroke_on_10k_statement_role(bencher: divan::Bencher) {
    let mut app = new_app(role_with_statements(crate::input_size(10_000)));
    app.use_background_preview();
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        press(&mut app, KeyCode::Char('x'));
        app.catch_up();
        term.draw(|f| app.draw(f)).expect("draw");
    });
}

#[divan::bench(sample_count = 5)]
fn paste_100k_characters(bencher: divan::Bencher) {
    let text: String = "abcdefghij".repeat(crate::input_size(10_000));
    bencher
        .with_inputs(|| {
            let mut app = new_app(RoleSpec::default());
            press(&mut app, KeyCode::Down); // the description field
            app
        })
        .bench_local_values(|mut app| {
            app.paste(&text);
            app
        });
}

/// For comparison: the same keystroke with the preview rebuilt in place (v1's input path).
#[divan::bench(sample_count = 3)]
fn keystroke_on_10k_statement_role_preview_in_place(bencher: divan::Bencher) {
    let mut app = new_app(role_with_statements(crate::input_size(10_000)));
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    bencher.bench_local(|| {
        press(&mut app, KeyCode::Char('x'));
        term.draw(|f| app.draw(f)).expect("draw");
    });
}

/// For comparison: 10,000 characters typed key by key (how v1 received a paste).
#[divan::bench(sample_count = 1)]
fn type_10k_characters_key_by_key(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let mut app = new_app(RoleSpec::default());
            press(&mut app, KeyCode::Down);
            app
        })
        .bench_local_values(|mut app| {
            for _ in 0..crate::input_size(10_000) {
                press(&mut app, KeyCode::Char('a'));
            }
            app
        });
}
