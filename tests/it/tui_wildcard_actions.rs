//! A wildcard that came in with a template or an imported policy (`s3:*`) can be unticked,
//! and expanded into the concrete actions it covers, to keep only those needed (issue 14
//! item 5).

use crate::support::*;
use crossterm::event::KeyCode;
use rolesmith::tui::steps::permissions::{ActionRow, Page};

fn wildcard_app(w: u16, h: u16) -> Driver {
    let mut role = seed();
    role.policies[0].statements[0].actions = vec!["s3:*".into()];
    let mut app = app(role, w, h);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Enter);
    app
}

#[test]
fn a_wildcard_can_be_unticked_and_expanded() {
    let mut app = wildcard_app(120, 40);
    assert_eq!(app.statement_page(), Some(Page::Actions));
    assert_eq!(
        app.action_rows().first(),
        Some(&ActionRow::Written("s3:*".into()))
    );
    assert_eq!(app.selected_action_row(), 0);
    insta::assert_snapshot!("wildcard_row_120x40", screen_text(&app));
    // Space unticks it (the row stays, to tick it again).
    press(&mut app, KeyCode::Char(' '));
    assert!(!app.chosen_actions().contains(&"s3:*".to_string()));
    assert!(
        !screen_text(&app).contains("\"s3:*\""),
        "gone from the preview"
    );
    press(&mut app, KeyCode::Char(' '));
    assert!(app.chosen_actions().contains(&"s3:*".to_string()));
    // Enter expands it into every S3 action, all ticked.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.statement_page(), Some(Page::Actions), "still picking");
    let covers = app.catalog().expand_actions("s3:*").matched().len();
    let chosen = app.chosen_actions();
    let has = |a: &str| chosen.iter().any(|c| c == a);
    assert!(!has("s3:*"));
    assert_eq!(chosen.len(), covers);
    assert!(has("s3:PutObject") && has("s3:DeleteBucket"));
    let status = app.status_text().to_string();
    assert!(
        status.contains(&format!("the {covers} actions")),
        "{status}"
    );
    // Now each can be unticked: the first action row.
    let first = app
        .action_rows()
        .iter()
        .position(|r| matches!(r, ActionRow::Action(_)))
        .unwrap();
    while app.selected_action_row() < first {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.chosen_actions().len(), covers - 1);
}

#[test]
fn the_wildcard_row_at_80x24() {
    let app = wildcard_app(80, 24);
    insta::assert_snapshot!("wildcard_row_80x24", screen_text(&app));
}
