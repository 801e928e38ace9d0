//! The preview wraps long JSON lines (a `↪` in the gutter marks the continuation), so the end
//! of an ARN and a GitHub `sub` condition are on screen at 80 columns; finding marks stay on
//! the line they belong to and scrolling still moves by document lines.

use crate::support::*;
use crossterm::event::KeyCode;
use rolesmith::role::load_role_file;

fn github() -> rolesmith::role::RoleSpec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/github-deploy.toml");
    load_role_file(std::path::Path::new(path)).expect("the example parses")
}

/// The preview pane's rows with the border and the gutter taken off, joined: what a reader
/// sees of the document, wrapped rows put back together.
fn preview_text(app: &Driver, screen: &str) -> String {
    let p = app.layout().preview.expect("the preview shows");
    screen
        .lines()
        .skip(p.y as usize + 1)
        .take(p.height.saturating_sub(2) as usize)
        .map(|row| {
            let cells: String = row
                .chars()
                .skip(p.x as usize + 2)
                .take(p.width.saturating_sub(3) as usize)
                .collect();
            cells.trim().to_string()
        })
        .collect::<Vec<_>>()
        .join("")
}

/// Gives the preview the keyboard and scrolls it (↓, a document line at a time) until the
/// screen shows `text`; the screen then.
fn scroll_to(app: &mut Driver, text: &str) -> String {
    press(app, KeyCode::Tab); // step pane → preview
    for _ in 0..40 {
        let screen = screen_text(app);
        if preview_text(app, &screen).contains(text) {
            return screen;
        }
        press(app, KeyCode::Down);
    }
    panic!("{text} never showed");
}

#[test]
fn at_80_columns_the_arn_and_the_github_sub_show_in_full() {
    let _dir = hermetic();
    for (w, h) in [(80, 24), (120, 40)] {
        // The seed's object ARN, on the Permissions tab.
        let mut app = app(seed(), w, h);
        press(&mut app, KeyCode::Char('3'));
        let screen = scroll_to(&mut app, "bucket/*\"");
        assert!(
            preview_text(&app, &screen).contains("\"arn:aws:s3:::my-super-specific-bucket/*\""),
            "{w}x{h}\n{screen}"
        );
        insta::assert_snapshot!(format!("preview_wraps_arn_{w}x{h}"), screen);

        // The GitHub trust: its `sub` condition names the repository and branch.
        let mut app = crate::support::app(github(), w, h);
        press(&mut app, KeyCode::Char('2'));
        let screen = scroll_to(&mut app, "repo:octo-org/app:ref:refs/heads/main");
        assert!(
            preview_text(&app, &screen).contains("token.actions.githubusercontent.com:sub"),
            "{w}x{h}\n{screen}"
        );
        insta::assert_snapshot!(format!("preview_wraps_github_sub_{w}x{h}"), screen);
    }
}

#[test]
fn wrapped_rows_carry_the_continuation_mark_and_marks_stay_on_their_line() {
    let _dir = hermetic();
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('3'));
    let screen = scroll_to(&mut app, "bucket/*\"");
    let rows: Vec<&str> = screen.lines().collect();
    let arn_row = rows
        .iter()
        .position(|r| r.contains("\"Resource\""))
        .expect("the Resource line shows");
    assert!(
        rows[arn_row + 1].contains('↪'),
        "the ARN continues on the next row:\n{screen}"
    );
}
