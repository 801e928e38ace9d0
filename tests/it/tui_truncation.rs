//! Issue 14 item 3 and its small bugs: text cut to fit shows `…` and `v` shows it whole;
//! counts agree with their noun; the status line keeps whole hints with "? help" last; the
//! help's two columns never touch; statements are named from 0 as `simulate` names them;
//! the add-by-call rows and the lesson panel move with the keys of every other list.

use crossterm::event::KeyCode;
use rolesmith::role::{RoleSpec, parse_role_text};
use rolesmith::tui::app::Modal;
use rolesmith::tui::steps::Step;

use crate::support::*;

/// The status line (the screen's last row), without the counts at its right end.
fn status_hints(screen: &str) -> String {
    let last = screen.lines().last().unwrap_or_default();
    // The counts: ` E<digits> W`.
    let cut = last
        .match_indices(" E")
        .filter(|(i, _)| last[i + 2..].starts_with(|c: char| c.is_ascii_digit()))
        .map(|(i, _)| i)
        .last()
        .unwrap_or(last.len());
    let left = &last[..cut];
    left.trim_end()
        .trim_end_matches("● unsaved")
        .trim_end()
        .to_string()
}

/// The texts of the `v` popup, when it is open.
fn full_texts(app: &Driver) -> Vec<String> {
    match &app.modal() {
        Some(Modal::FullText { lines, .. }) => lines.clone(),
        other => panic!("v opened no full-text popup: {other:?}"),
    }
}

#[test]
fn a_cut_finding_shows_the_mark_and_v_shows_it_whole() {
    let _dir = hermetic();
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.step(), Step::Review);
    let screen = screen_text(&app);
    let selected = app.selected_finding();
    let message = app.findings()[selected].message.clone();
    assert!(
        !screen.contains(&message),
        "the message is longer than 80 columns"
    );
    assert!(screen.contains('…'), "{screen}");
    // The key is offered first, the selected row being the one cut.
    assert!(status_hints(&screen).starts_with("v full text"), "{screen}");
    press(&mut app, KeyCode::Char('v'));
    let texts = full_texts(&app);
    assert_eq!(texts.len(), 1);
    assert!(texts[0].contains(&message), "{texts:?}");
    let popup = screen_text(&app);
    assert!(popup.contains("The selected row in full"), "{popup}");
    assert!(popup.contains("any key closes"), "{popup}");
    insta::assert_snapshot!("truncation_finding_full_80x24", popup);
    // Any key closes it and does nothing else.
    press(&mut app, KeyCode::Char('q'));
    assert!(app.modal().is_none());
    assert!(!app.has_quit(), "q closed the popup, it did not quit");
}

#[test]
fn a_cut_arn_in_the_statement_list_is_whole_behind_v() {
    let _dir = hermetic();
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('3'));
    let screen = screen_text(&app);
    assert!(
        !screen.contains("arn:aws:s3:::my-super-specific-bucket/*"),
        "{screen}"
    );
    press(&mut app, KeyCode::Char('v'));
    let texts = full_texts(&app);
    assert!(
        texts[0].contains("arn:aws:s3:::my-super-specific-bucket/*"),
        "{texts:?}"
    );
}

#[test]
fn a_cut_field_hint_is_whole_behind_v_with_every_other_cut_of_the_screen() {
    let _dir = hermetic();
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('1'));
    // The Role step's form: its hints are longer than the pane at 80 columns.
    let hint = "optional: a folder for the role's name, default / (e.g. /service-role/)";
    let screen = screen_text(&app);
    assert!(
        screen.contains("optional: a folder for the role's"),
        "{screen}"
    );
    assert!(screen.contains('…'), "{screen}");
    assert!(!screen.contains(hint), "{screen}");
    // The selected row (Name) is not cut: v lists every text cut on the screen.
    press(&mut app, KeyCode::Char('v'));
    let Some(Modal::FullText { title, lines, .. }) = &app.modal() else {
        panic!("v opened no popup: {:?}", app.modal());
    };
    assert_eq!(title, "Texts cut on this screen, in full");
    assert!(lines.iter().any(|l| l == hint), "{lines:?}");
    insta::assert_snapshot!("truncation_form_hints_full_80x24", screen_text(&app));
}

#[test]
fn v_where_nothing_is_cut_says_so() {
    use rolesmith::tui::action::Action;
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    // A frame that cut nothing (the cuts are kept per drawn frame, on this thread).
    rolesmith::tui::widgets::list::forget_drawn();
    app.act(Action::ShowFull);
    assert!(app.modal().is_none());
    let status = app.status_text().to_string();
    assert!(status.contains("nothing here is cut"), "{status}");
}

#[test]
fn the_help_names_the_full_text_key() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('?'));
    let screen = screen_text(&app);
    assert!(screen.contains("full text of a row cut with …"), "{screen}");
}

#[test]
fn counts_agree_with_their_noun_on_review() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('5'));
    let (e, w, s) = app.finding_counts();
    assert_eq!(
        (e, w, s),
        (0, 1, 1),
        "the seed has one warning, one suggestion"
    );
    let screen = screen_text(&app);
    assert!(
        screen.contains("0 errors  1 warning  1 suggestion "),
        "{screen}"
    );
    assert!(!screen.contains("1 warnings") && !screen.contains("1 suggestions"));
}

#[test]
fn every_step_at_80_columns_keeps_whole_hints_and_help_last() {
    let _dir = hermetic();
    let mut app = app(seed(), 80, 24);
    for (i, step) in Step::ALL.iter().enumerate() {
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char(char::from(b'1' + i as u8)));
        assert_eq!(app.step(), *step);
        let screen = screen_text(&app);
        let hints = status_hints(&screen);
        assert!(hints.ends_with("? help"), "{step}: {hints:?}\n{screen}");
        // Whole hints only: every hint is "key what", two spaces apart, none cut.
        assert!(!hints.contains('…'), "{step}: {hints:?}");
        for h in hints.split("  ") {
            assert!(
                h.trim().contains(' '),
                "{step}: a hint without its words: {h:?} in {hints:?}"
            );
        }
    }
}

#[test]
fn the_help_columns_never_run_into_each_other_at_120x40() {
    let _dir = hermetic();
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('?'));
    let screen = screen_text(&app);
    assert!(!screen.contains("preview oMouse"), "{screen}");
    // The popup is 118 wide at x 1, its text 116 wide from x 2, in two halves of 58: the
    // left column's text ends two cells before the right one starts.
    for (y, row) in screen.lines().enumerate().skip(2).take(35) {
        let cells: Vec<char> = row.chars().collect();
        assert_eq!(
            (cells[58], cells[59]),
            (' ', ' '),
            "row {y}: the left column touches the right one:\n{row}"
        );
    }
    // The long description wraps instead of being lost.
    assert!(
        screen.contains("small screens: step pane only, preview"),
        "{screen}"
    );
    assert!(screen.contains("only, both"), "{screen}");
}

/// One statement granting PutObject on the bucket instead of its objects: a fixable finding.
const BUCKET_ROLE: &str = r#"name = "bucket-writer"

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reports"

[[policy.statement]]
sid = "Reports"
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::my-bucket"]
"#;

#[test]
fn the_fix_preview_numbers_statements_from_0_with_the_sid() {
    let _dir = hermetic();
    let role = parse_role_text("role.toml", BUCKET_ROLE).expect("the test role parses");
    let mut app = app(role, 120, 40);
    press(&mut app, KeyCode::Char('5'));
    let target = app
        .findings()
        .iter()
        .position(|f| f.code == "resource-mismatch")
        .expect("PutObject on the bucket ARN is flagged");
    while app.selected_finding() < target {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('f'));
    let Some(Modal::FixPreview(p)) = &app.modal() else {
        panic!("f opened no fix preview: {:?}", app.status());
    };
    assert_eq!(p.place, "policy write-reports, statement 0 (Sid Reports)");
}

const FUNCTION_ROLE: &str = r#"name = "thumbnailer"
account = "123456789012"
region = "eu-west-1"
assumed_by = ["lambda.amazonaws.com"]

[trust]
services = ["lambda.amazonaws.com"]
"#;

fn function_role() -> RoleSpec {
    parse_role_text("role.toml", FUNCTION_ROLE).expect("the test role parses")
}

#[test]
fn the_add_by_call_rows_take_every_list_key() {
    let _dir = hermetic();
    let mut app = app(function_role(), 120, 40);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('C'));
    type_in_field(&mut app, "s3.put_object");
    press(&mut app, KeyCode::Enter);
    let focus = |app: &Driver| {
        assert!(app.adding_by_call(), "the by-call page is open");
        (app.call_focus(), app.call_rows().len())
    };
    let (f, n) = focus(&app);
    assert_eq!(f, Some(0));
    assert!(n > 3, "PutObject offers several rows");
    // The last rows are the bucket's placeholder fields: typing goes there, so Home/End
    // move the cursor in them, while PageUp/PageDown still page through the rows.
    press(&mut app, KeyCode::End);
    assert_eq!(focus(&app).0, Some(n - 1));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(focus(&app).0, Some((n - 1).saturating_sub(10)));
    press(&mut app, KeyCode::Home);
    assert_eq!(focus(&app).0, Some(0));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(focus(&app).0, Some(10.min(n - 1)));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(focus(&app).0, Some(0));
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(focus(&app).0, Some(n - 1));
    for _ in 0..n {
        press(&mut app, KeyCode::PageUp);
    }
    assert_eq!(focus(&app).0, Some(0), "PageUp stops at the first row");
    // Up from the first row goes back to the call, above the list.
    press(&mut app, KeyCode::Up);
    assert_eq!(focus(&app).0, None);
}

#[test]
fn the_lesson_panel_scrolls_with_the_list_keys_and_stops_at_its_end() {
    use rolesmith::lessons::{self, Progress};
    let dir = tempfile::tempdir().unwrap();
    let lesson = lessons::find("wildcard-not-wild").expect("lesson 4 is built in");
    let lesson_app = rolesmith::tui::lesson_run::lesson_app(
        lesson,
        Some(Progress::at(dir.path())),
        shared_catalog(),
        rolesmith::tui::theme::Theme::monochrome(),
    );
    let mut app = Driver::from_app(lesson_app, 80, 24);
    let scroll = |app: &Driver| {
        assert!(app.lesson_graded().is_some(), "lesson mode");
        app.lesson_scroll()
    };
    // At 80x24 the panel covers the editor: the list keys scroll it.
    screen_text(&app);
    press(&mut app, KeyCode::End);
    let end = scroll(&app);
    assert!(end > 0, "the lesson text is longer than the panel");
    assert!(
        end < 400,
        "End stops where the text ends, not at the far limit"
    );
    press(&mut app, KeyCode::Down);
    assert_eq!(scroll(&app), end, "no further than the end");
    press(&mut app, KeyCode::Home);
    assert_eq!(scroll(&app), 0);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(scroll(&app), 10.min(end));
    press(&mut app, KeyCode::Up);
    assert_eq!(scroll(&app), 10.min(end) - 1);
}
