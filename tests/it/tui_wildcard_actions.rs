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

fn editor(app: &Driver) -> &rolesmith::tui::steps::permissions::StatementEditor {
    app.statement_editor().expect("editor open")
}

#[test]
fn a_wildcard_can_be_unticked_and_expanded() {
    let mut app = wildcard_app(120, 40);
    assert_eq!(editor(&app).page, Page::Actions);
    assert_eq!(
        editor(&app).action_rows.first(),
        Some(&ActionRow::Written("s3:*".into()))
    );
    assert_eq!(editor(&app).actions.selected, 0);
    insta::assert_snapshot!("wildcard_row_120x40", screen_text(&app));
    // Space unticks it (the row stays, to tick it again).
    press(&mut app, KeyCode::Char(' '));
    assert!(!editor(&app).chosen.contains("s3:*"));
    assert!(
        !screen_text(&app).contains("\"s3:*\""),
        "gone from the preview"
    );
    press(&mut app, KeyCode::Char(' '));
    assert!(editor(&app).chosen.contains("s3:*"));
    // Enter expands it into every S3 action, all ticked.
    press(&mut app, KeyCode::Enter);
    assert_eq!(editor(&app).page, Page::Actions, "still picking");
    let covers = app.catalog().expand_actions("s3:*").matched().len();
    let chosen = &editor(&app).chosen;
    assert!(!chosen.contains("s3:*"));
    assert_eq!(chosen.len(), covers);
    assert!(chosen.contains("s3:PutObject") && chosen.contains("s3:DeleteBucket"));
    let status = app.status_text().to_string();
    assert!(
        status.contains(&format!("the {covers} actions")),
        "{status}"
    );
    // Now each can be unticked: the first action row.
    let first = editor(&app)
        .action_rows
        .iter()
        .position(|r| matches!(r, ActionRow::Action(_)))
        .unwrap();
    while editor(&app).actions.selected < first {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(editor(&app).chosen.len(), covers - 1);
}

#[test]
fn the_wildcard_row_at_80x24() {
    let app = wildcard_app(80, 24);
    insta::assert_snapshot!("wildcard_row_80x24", screen_text(&app));
}
