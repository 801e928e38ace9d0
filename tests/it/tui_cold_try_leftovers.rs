//! What a first-time user still tripped over after issue 14, each as keys and what follows:
//! the help pages like every list, the step list keeps one row per step, an empty role's
//! Review says what to do next, `v` works inside the open questions, a converted trust
//! document keeps its place in the role file, and the Convert verdict is worked out once
//! per role revision rather than on every frame.

use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::RoleSpec;
use rolesmith::tui::app::Modal;
use rolesmith::tui::check_modal::CheckModal;

use crate::support::*;

/// The rows of the step list (inside its border), as drawn.
fn step_rows(screen: &str, steps_width: usize) -> Vec<String> {
    screen
        .lines()
        .skip(1)
        .take(8)
        .map(|l| l.chars().skip(1).take(steps_width - 2).collect::<String>())
        .collect()
}

#[test]
fn help_pages_a_screenful_and_home_end_go_to_the_ends() {
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.modal(), Some(Modal::Help)));
    // 24 rows: the box leaves a row above and below, its border one more each side.
    let page = 24 - 4;
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.help_scroll(),
        page - 1,
        "a page keeps one row of the last"
    );
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.help_scroll(), 2 * (page - 1));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.help_scroll(), page - 1);
    press(&mut app, KeyCode::End);
    let end = app.help_scroll();
    assert!(end > 2 * (page - 1), "the help is longer than three pages");
    let screen = screen_text(&app);
    assert!(
        screen.contains("scroll what is under the pointer"),
        "End shows the help's last row:\n{screen}"
    );
    // Past the end nothing moves, and one PageUp comes back at once.
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.help_scroll(), end);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.help_scroll(), end - (page - 1));
    press(&mut app, KeyCode::Home);
    assert_eq!(app.help_scroll(), 0);
    assert!(screen_text(&app).contains("Here: the step list"));
    insta::assert_snapshot!("cold_help_end_80x24", {
        press(&mut app, KeyCode::End);
        screen_text(&app)
    });
}

#[test]
fn every_step_of_the_list_keeps_one_row_with_its_count() {
    for (w, h, steps_w) in [(120u16, 40u16, 22usize), (80, 24, 20)] {
        let app = app(seed(), w, h);
        let rows = step_rows(&screen_text(&app), steps_w);
        let starts: Vec<String> = rows
            .iter()
            .take(6)
            .map(|r| r.chars().skip(1).take(2).collect())
            .collect();
        assert_eq!(
            starts,
            ["1 ", "2 ", "3 ", "4 ", "5 ", "6 "],
            "one row a step at {w}x{h}: {rows:#?}"
        );
        assert!(
            rows[3].contains("4 Managed (1)"),
            "the short name with its count at {w}x{h}: {rows:#?}"
        );
    }
    // Without a count the long name fits where the screen is wide.
    let mut role = seed();
    role.managed_policies.clear();
    let app = app(role, 120, 40);
    let rows = step_rows(&screen_text(&app), 22);
    assert!(rows[3].contains("4 Managed policies"), "{rows:#?}");
}

#[test]
fn a_two_digit_count_keeps_the_step_name_whole_at_80_columns() {
    let mut role = seed();
    let statement = role.policies[0].statements[0].clone();
    let count = |r: &RoleSpec| r.policies.iter().map(|p| p.statements.len()).sum::<usize>();
    while count(&role) < 12 {
        role.policies[0].statements.push(statement.clone());
    }
    let rows = step_rows(&screen_text(&app(role.clone(), 80, 24)), 20);
    assert!(
        rows[2].contains("3 Permissions 12"),
        "the bare count before a cut name: {rows:#?}"
    );
    assert!(!rows.iter().any(|r| r.contains('…')), "{rows:#?}");
    // Where the parentheses fit they stay.
    let rows = step_rows(&screen_text(&app(role, 120, 40)), 22);
    assert!(rows[2].contains("3 Permissions (12)"), "{rows:#?}");
}

#[test]
fn an_empty_roles_review_says_what_to_do_next_not_that_something_is_wrong() {
    let mut app = app(RoleSpec::default(), 80, 24);
    press(&mut app, KeyCode::Char('5'));
    let screen = screen_text(&app);
    assert!(screen.contains("Still to do (2)"), "{screen}");
    assert!(
        screen.contains("Give the role a name on step 1"),
        "{screen}"
    );
    assert!(
        screen.contains("Say who can assume the role on step"),
        "{screen}"
    );
    assert!(screen.contains("2 to do  0 errors"), "{screen}");
    assert!(!screen.contains("Errors ("), "{screen}");
    assert!(!screen.contains("invalid role name"), "{screen}");
    // The findings themselves (codes, severities, messages) are what they were: the
    // CLI's and the exports' contract.
    let found: Vec<(&str, &str)> = app
        .findings()
        .iter()
        .map(|f| (f.code.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "invalid-role");
    assert!(found[0].1.starts_with("invalid role name"), "{found:?}");
    assert_eq!(
        found[1],
        (
            "missing-element",
            "the role trusts nobody: add a [trust] section"
        )
    );
    // ↓ goes to the second row as drawn; Enter goes to the step that does it.
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected_finding(), 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step(), rolesmith::tui::steps::Step::Trust);
    // Once named, the name is no longer a step to do; a real mistake is still an error.
    press(&mut app, KeyCode::Char('1'));
    type_in_field(&mut app, "has a space");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('5'));
    let screen = screen_text(&app);
    assert!(screen.contains("Still to do (1)"), "{screen}");
    assert!(screen.contains("1 to do  1 error"), "{screen}");
    assert!(screen.contains("Errors (1)"), "{screen}");
    assert!(
        app.findings()
            .iter()
            .any(|f| f.code == "invalid-role" && f.message.contains("has a space")),
        "{:?}",
        app.findings()
    );
}

#[test]
fn v_shows_a_cut_hint_of_an_open_check_question_and_goes_back_to_it() {
    let mut app = app(seed(), 80, 24);
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('a'));
    assert!(
        matches!(&app.modal(), Some(Modal::Check(m)) if matches!(**m, CheckModal::AddExpectation(_))),
        "{:?}",
        app.modal()
    );
    let screen = screen_text(&app);
    assert!(screen.contains("filled from st…"), "{screen}");
    press(&mut app, KeyCode::Char('v'));
    let Some(Modal::FullText {
        title,
        lines,
        under,
    }) = &app.modal()
    else {
        panic!("v opened nothing: {:?}", app.modal());
    };
    assert_eq!(title, "Texts cut in this window, in full");
    // Only the question's own cuts, not the screen's under it.
    assert_eq!(
        lines,
        &["the ARN the call acts on (${Account}/${Region} filled from step 1); empty: *"]
    );
    assert!(matches!(under.as_deref(), Some(Modal::Check(_))));
    insta::assert_snapshot!("cold_check_question_full_text_80x24", screen_text(&app));
    // Any key closes it, back to the question as it was.
    press(&mut app, KeyCode::Char('x'));
    assert!(
        matches!(&app.modal(), Some(Modal::Check(m)) if matches!(**m, CheckModal::AddExpectation(_))),
        "{:?}",
        app.modal()
    );
    // Typing into the question's field still types a v.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('i'));
    type_text(&mut app, "s3:v");
    assert!(
        matches!(app.modal(), Some(Modal::Check(_))),
        "{:?}",
        app.modal()
    );
}

#[test]
fn v_works_in_the_explanations_and_in_a_proposal() {
    let mut app = app(load_bucket_mistake(), 80, 24);
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.modal(), Some(Modal::Explain { .. })));
    screen_text(&app);
    press(&mut app, KeyCode::Char('v'));
    let Some(Modal::FullText { lines, under, .. }) = &app.modal() else {
        panic!("v opened nothing in the explanations: {:?}", app.modal());
    };
    assert!(matches!(under.as_deref(), Some(Modal::Explain { .. })));
    assert!(lines.iter().all(|l| !l.contains('…')), "{lines:?}");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.modal(), Some(Modal::Explain { .. })));
    press(&mut app, KeyCode::Esc);
    assert!(app.modal().is_none());
    // A proposal is a question (y/n): v is one of its keys too.
    press(&mut app, KeyCode::Char('m'));
    type_text(
        &mut app,
        "User: arn:aws:sts::123456789012:assumed-role/bucket-writer/fn is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::my-bucket/reports/a-very-long-key-name-that-goes-on-and-on.csv because no identity-based policy allows the s3:GetObject action",
    );
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&app.modal(), Some(Modal::Check(m)) if matches!(**m, CheckModal::Proposal(_))),
        "{:?}",
        app.modal()
    );
    screen_text(&app);
    press(&mut app, KeyCode::Char('v'));
    assert!(
        matches!(&app.modal(), Some(Modal::Check(m)) if matches!(**m, CheckModal::Proposal(_)))
            || matches!(&app.modal(), Some(Modal::FullText { under: Some(_), .. })),
        "v in a proposal neither showed a cut nor kept the question: {:?}",
        app.modal()
    );
}

fn load_bucket_mistake() -> RoleSpec {
    rolesmith::role::parse_role_text("bucket.toml", BUCKET_MISTAKE).expect("the role parses")
}

const COMMENTED_CUSTOM: &str = r#"# The build farm's instance role.
name = "build-farm"

[trust]
# Who may assume it: reviewed as JSON.
document = "trust.json"  # beside the role
# Attached AWS policies (written here, read as the role's).
managed_policies = ["AmazonSSMManagedInstanceCore"]  # for Session Manager

[[policy]]
name = "reads"

[[policy.statement]]
actions = ["s3:GetObject"]
resources = ["arn:aws:s3:::builds/*"]
"#;

const TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
"#;

#[test]
fn a_converted_trust_document_is_saved_where_the_document_key_was() {
    let dir = hermetic();
    write_file(dir.path(), "trust.json", TRUST);
    let (mut app, file) = opened_role_file(dir.path(), "farm.toml", COMMENTED_CUSTOM, 120, 40);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(
        status(&app).starts_with("converted: 1 service"),
        "{}",
        status(&app)
    );
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        saved,
        COMMENTED_CUSTOM.replace(
            "document = \"trust.json\"  # beside the role\n",
            "services = [\"ec2.amazonaws.com\"]\n"
        ),
        "the new key takes the document's place, under its comment"
    );
}

#[test]
fn the_convert_verdict_is_worked_out_once_per_role_revision() {
    let dir = hermetic();
    write_file(dir.path(), "trust.json", TRUST);
    let (mut app, _) = opened_role_file(dir.path(), "farm.toml", COMMENTED_CUSTOM, 120, 40);
    press(&mut app, KeyCode::Char('2'));
    let (rev, verdict) = app
        .trust_convert_verdict()
        .expect("the Trust step worked the verdict out");
    assert_eq!(rev, app.revision());
    let verdict = verdict.expect("a custom document has a verdict");
    assert!(
        verdict.as_ref().is_ok_and(|t| t.contains("1 service")),
        "{verdict:?}"
    );
    // Drawing and moving do not work it out again.
    screen_text(&app);
    press(&mut app, KeyCode::Down);
    screen_text(&app);
    assert_eq!(app.trust_convert_verdict().map(|v| v.0), Some(rev));
    // A change of the role does.
    press(&mut app, KeyCode::Char('1'));
    type_in_field(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    let now = app.trust_convert_verdict().map(|v| v.0);
    assert!(now > Some(rev), "{now:?} after {rev}");
    assert_eq!(now, Some(app.revision()));
    let screen = screen_text(&app);
    assert!(screen.contains("It fits the structured form"), "{screen}");
}

#[test]
fn v_in_the_replace_question_keeps_the_question_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("existing.json");
    std::fs::write(&out, "keep me").unwrap();
    let mut app = app(seed(), 80, 24);
    export_to_file(&mut app, &out);
    assert!(matches!(app.modal(), Some(Modal::Confirm { .. })));
    // The question is on screen (the event loop draws after every key), then `v`: what it
    // looks at is the question's own text, not the names cut in the screen behind it.
    screen_text(&app);
    press(&mut app, KeyCode::Char('v'));
    assert!(
        matches!(app.modal(), Some(Modal::Confirm { title, .. }) if title.contains("Replace")),
        "{:?}",
        app.modal()
    );
    let screen = screen_text(&app);
    assert!(screen.contains("Replace"), "{screen}");
    assert!(screen.contains("nothing in this window is cut"), "{screen}");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}
