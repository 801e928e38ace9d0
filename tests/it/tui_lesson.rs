//! Lesson mode of the editor (issue 15), driven by keys through the keymap: lesson 4 ("the
//! wildcard that isn't wild enough") opened, its calls run and the AccessDenied read, the
//! bucket ARN fixed, the tasks turning ✓, the lesson complete and its progress saved as
//! done. At 80x24 the panel takes the editor's place (`L` toggles); at 120x40 it sits above
//! the preview. Hints come one at a time: nudge, pointer, answer.

use std::sync::Arc;

use crossterm::event::KeyCode;
use rolesmith::catalog::Catalog;
use rolesmith::lessons::{self, Progress, Status};
use rolesmith::tui::action::Action;
use rolesmith::tui::app::Pane;
use rolesmith::tui::keymap::Context;
use rolesmith::tui::lesson::LessonView;
use rolesmith::tui::lesson_run::lesson_app;
use rolesmith::tui::steps::Step;
use rolesmith::tui::theme::Theme;

use crate::support::*;
// Typing into a form field needs it opened first (Enter/`i`): these helpers open it.
#[allow(unused_imports)]
use crate::support::{clear_in_field as clear_field, type_in_field as type_text};

const LESSON: &str = "wildcard-not-wild";

/// Lesson 4 in the editor at `w`x`h`, its progress kept in `dir`.
fn open(dir: &std::path::Path, w: u16, h: u16) -> Driver {
    let lesson = lessons::find(LESSON).expect("lesson 4 is built in");
    let catalog = Arc::new(Catalog::embedded().clone());
    let app = lesson_app(
        lesson,
        Some(Progress::at(dir)),
        catalog,
        Theme::monochrome(),
    );
    Driver::from_app(app, w, h)
}

fn marks(app: &Driver) -> Vec<bool> {
    let graded = app.lesson_graded().expect("lesson mode");
    graded.tasks.iter().map(|t| t.passed).collect()
}

/// From anywhere: Review's Findings tab, the resource-mismatch finding fixed (`f`, `y`).
fn fix_the_bucket_arn(app: &mut Driver) {
    press(app, KeyCode::Char('5'));
    assert_eq!(app.step(), Step::Review);
    let target = app
        .findings()
        .iter()
        .position(|f| f.code == "resource-mismatch")
        .expect("the bucket ARN is flagged");
    while app.selected_finding() < target {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Char('f'));
    press(app, KeyCode::Char('y'));
}

#[test]
fn lesson_4_at_80x24_run_the_calls_fix_the_arn_and_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 80, 24);
    assert_eq!(app.context(), Context::Lesson, "keys are commands at once");
    assert_eq!(marks(&app), [false, false, true, false]);
    insta::assert_snapshot!("lesson_open_80x24", screen_text(&app));

    // r: the function's calls against the role; PutObject is denied as AWS says it.
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.lesson_view(), Some(LessonView::Calls));
    let graded = app.lesson_graded().unwrap();
    let denied: Vec<&str> = graded
        .calls
        .iter()
        .filter(|c| !c.allowed)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(
        denied,
        [
            "PutObject reversed/abc.txt",
            "PutObjectAcl reversed/abc.txt"
        ]
    );
    let message = graded.calls[2].message.as_deref().unwrap_or("");
    assert!(
        message.contains("is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::my-super-specific-bucket/reversed/abc.txt because no identity-based policy allows the s3:PutObject action"),
        "{message}"
    );
    insta::assert_snapshot!("lesson_calls_denied_80x24", screen_text(&app));

    // Scrolling the calls shows the rest of the messages.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    insta::assert_snapshot!("lesson_calls_scrolled_80x24", screen_text(&app));

    // To the editor (a step key hides the panel), fix the ARN from the finding.
    fix_the_bucket_arn(&mut app);
    assert_eq!(
        app.role().policies[0].statements[0].resources,
        ["arn:aws:s3:::my-super-specific-bucket/*"]
    );
    assert_eq!(marks(&app), [true, true, true, true]);
    let graded = app.lesson_graded().unwrap();
    assert!(graded.done, "{:?}", graded.errors);
    assert!(graded.calls.iter().all(|c| c.allowed));
    // Done: the panel comes back with what was learned.
    assert!(app.lesson_panel_shown());
    insta::assert_snapshot!("lesson_complete_80x24", screen_text(&app));

    // L: the editor again, whose status line still says lesson mode.
    press(&mut app, KeyCode::Char('L'));
    insta::assert_snapshot!("lesson_editor_80x24", screen_text(&app));

    // From the editor, r brings the panel back with the calls: all allowed now.
    press(&mut app, KeyCode::Char('r'));
    assert!(app.lesson_panel_shown());
    assert_eq!(app.lesson_view(), Some(LessonView::Calls));
    assert!(screen_text(&app).contains("4 calls, 0 denied"));

    // Quitting saves the progress as done, with the learner's role.
    press(&mut app, KeyCode::Char('q'));
    assert!(app.has_quit());
    let saved = Progress::at(dir.path()).load(LESSON);
    assert_eq!(saved.status, Status::Done);
    let role = saved.role.expect("the role is saved");
    assert_eq!(
        role.policies[0].statements[0].resources,
        ["arn:aws:s3:::my-super-specific-bucket/*"]
    );
}

#[test]
fn lesson_panel_at_120x40_with_hints_revealed_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 120, 40);
    insta::assert_snapshot!("lesson_panel_120x40", screen_text(&app));
    for n in 1..=3 {
        press(&mut app, KeyCode::Char('h'));
        assert_eq!(app.lesson_hints_revealed(0), n, "hint {n} of task 1");
        insta::assert_snapshot!(format!("lesson_hint_{n}_120x40"), screen_text(&app));
    }
    // A fourth `h`: every hint of the first failing task is out; nothing more is given.
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.lesson_hints_revealed(0), 3);
    // Hints are progress: they are saved at once.
    assert_eq!(Progress::at(dir.path()).load(LESSON).hints_revealed(0), 3);

    press(&mut app, KeyCode::Char('r'));
    insta::assert_snapshot!("lesson_calls_120x40", screen_text(&app));

    fix_the_bucket_arn(&mut app);
    assert!(app.lesson_graded().unwrap().done);
    insta::assert_snapshot!("lesson_complete_120x40", screen_text(&app));
}

#[test]
fn help_lists_the_lesson_keys_first() {
    let dir = tempfile::tempdir().unwrap();
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = open(dir.path(), w, h);
        press(&mut app, KeyCode::Char('?'));
        let screen = screen_text(&app);
        let lesson = screen.find("Lesson mode").expect("a lesson section");
        // The focused area's keys come first, then the lesson's, before the other contexts.
        let here = screen.find("Here: ").expect("the focused area's section");
        let lists = screen
            .find("Lists and choices")
            .expect("the list keys' section");
        assert!(here < lesson && lesson < lists, "{screen}");
        assert!(
            screen.contains("next hint: nudge, pointer, answer"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("lesson_help_{w}x{h}"), screen);
    }
}

#[test]
fn a_resumed_lesson_opens_on_the_saved_role_and_hints() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 120, 40);
    press(&mut app, KeyCode::Char('h'));
    press(&mut app, KeyCode::Char('h'));
    // An edit that does not finish the lesson: the description.
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.focus(), Pane::Main);
    press(&mut app, KeyCode::Down);
    assert_eq!(
        app.context(),
        Context::Lesson,
        "a field is not typed into unopened"
    );
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(app.context(), Context::Text);
    type_text(&mut app, " today");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('q'));
    assert!(
        app.has_quit(),
        "quitting in lesson mode asks nothing: progress holds the role"
    );
    let saved = Progress::at(dir.path()).load(LESSON);
    assert_eq!(saved.status, Status::Started);

    let again = open(dir.path(), 120, 40);
    assert_eq!(again.role().description, app.role().description);
    assert!(
        again
            .role()
            .description
            .as_deref()
            .is_some_and(|d| d.ends_with(" today")),
        "{:?}",
        again.role().description
    );
    assert_eq!(again.lesson_hints_revealed(0), 2);
}

#[test]
fn every_view_draws_at_any_size_without_panicking() {
    for (w, h) in [
        (60, 16),
        (72, 20),
        (80, 24),
        (100, 30),
        (109, 24),
        (110, 24),
        (160, 50),
    ] {
        // A fresh progress folder each time: the lesson starts over.
        let dir = tempfile::tempdir().unwrap();
        let mut app = open(dir.path(), w, h);
        assert!(screen_text(&app).contains("lesson"), "{w}x{h}");
        press(&mut app, KeyCode::Char('h'));
        press(&mut app, KeyCode::Char('r'));
        for _ in 0..50 {
            press(&mut app, KeyCode::Char(']'));
        }
        let _ = screen_text(&app);
        fix_the_bucket_arn(&mut app);
        press(&mut app, KeyCode::Char('L'));
        press(&mut app, KeyCode::Char('L'));
        assert!(screen_text(&app).contains("complete"), "{w}x{h}");
    }
    // Below the minimum size: the usual message, and q still quits.
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 40, 10);
    assert!(screen_text(&app).contains("Terminal too small"));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.has_quit());
}

#[test]
fn a_hostile_lesson_file_reaches_the_screen_inert() {
    let text = format!(
        "name = \"hostile\"\ntitle = \"t\\u001b]0;pwned\\u0007\"\nstory = \"s\\u001b[2J\"\n\
         goal = \"g\\u009b31m\"\nlearned = \"l\"\n{}",
        &lessons::builtin_sources()
            .iter()
            .find(|(f, _)| f.starts_with("04-"))
            .expect("lesson 4's file")
            .1
            .split_once("[start]")
            .map(|(_, rest)| format!("[start]{rest}"))
            .expect("a start role")
    );
    let lesson = lessons::parse_lesson("hostile.toml", &text, None).expect("it parses");
    let catalog = Arc::new(Catalog::embedded().clone());
    let mut app = Driver::from_app(
        lesson_app(&lesson, None, catalog, Theme::monochrome()),
        120,
        40,
    );
    for (w, h) in [(120, 40), (80, 24)] {
        app.act(Action::Resize(w, h));
        let screen = screen_text(&app);
        assert!(
            !screen.chars().any(|c| c.is_control() && c != '\n'),
            "{screen}"
        );
        assert!(
            screen.contains("␛"),
            "the escape is shown, not sent: {screen}"
        );
    }
}
