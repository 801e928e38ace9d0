//! The Check panel of the Review step (issue 11) and accepting findings (issue 14 item 6),
//! driven by keys through the keymap: who the role is for against its trust, adding an
//! expectation and watching it turn ✓, an AccessDenied message pasted and its statement
//! applied (one undo step), removing an expectation, accepting a finding with a reason, and
//! the readiness line that says what is missing. Snapshots at 120x40 and 80x24.

use crossterm::event::KeyCode;
use rolesmith::role::{IgnoreEntry, RoleSpec, parse_role_text};
use rolesmith::tui::app::Modal;
use rolesmith::tui::steps::Step;
use rolesmith::tui::steps::review::ReviewTab;

use crate::support::*;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// A Lambda function's role whose trust was picked from the wrong dropdown (EC2).
const WRONG_TRUST: &str = r#"name = "thumbnailer"
managed_policies = ["AWSLambdaBasicExecutionRole"]

[trust]
services = ["ec2.amazonaws.com"]

[[policy]]
name = "write-thumbnails"

[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::thumbs-bucket/*"]
"#;

/// A role that cannot yet read its secret, with the expectation that it can.
const SECRET_READER: &str = r#"name = "secret-reader"
managed_policies = ["AWSLambdaBasicExecutionRole"]
assumed_by = ["lambda.amazonaws.com"]

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "read-config"

[[policy.statement]]
actions = ["ssm:GetParameter"]
resources = ["arn:aws:ssm:eu-west-1:123456789012:parameter/app/*"]

[[expect]]
allow = "secretsmanager:GetSecretValue"
resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123"
why = "the function reads its database password"
"#;

const DENIED: &str = "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:assumed-role/secret-reader/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123 because no identity-based policy allows the secretsmanager:GetSecretValue action";

fn role(text: &str) -> RoleSpec {
    parse_role_text("role.toml", text).expect("the test role parses")
}

/// From a fresh app: leave the name field and open Review.
fn to_review(app: &mut Driver) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('5'));
    assert_eq!(app.step(), Step::Review);
}

/// Review, then the Check tab.
fn to_check(app: &mut Driver) {
    to_review(app);
    press(app, KeyCode::Right);
    assert_eq!(app.review_tab(), ReviewTab::Check);
}

fn marks(app: &Driver) -> Vec<bool> {
    rolesmith::tui::check::rows(app.role_check())
        .iter()
        .map(|r| r.passed)
        .collect()
}

fn codes(app: &Driver) -> Vec<String> {
    app.findings().iter().map(|f| f.code.clone()).collect()
}

#[test]
fn who_it_is_for_against_a_wrong_trust_is_an_error_in_the_panel_and_the_findings() {
    for (w, h) in SIZES {
        let mut app = app(role(WRONG_TRUST), w, h);
        // Into the Role step, down to "Who is it for", open it (i) and type it.
        press(&mut app, KeyCode::Enter);
        for _ in 0..6 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('i'));
        type_text(&mut app, "lambda.amazonaws.com");
        assert_eq!(app.role().assumed_by, ["lambda.amazonaws.com"]);
        insta::assert_snapshot!(format!("check_role_step_who_{w}x{h}"), screen_text(&app));
        assert!(codes(&app).contains(&"trust-principal-missing".to_string()));

        to_check(&mut app);
        assert_eq!(marks(&app), [false]);
        insta::assert_snapshot!(format!("check_assumed_by_fails_{w}x{h}"), screen_text(&app));

        // Enter on it goes to the Trust step, where it is fixed.
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.step(), Step::Trust);
    }
}

#[test]
fn an_expectation_added_from_the_panel_turns_green_when_the_role_is_fixed() {
    for (w, h) in SIZES {
        let mut app = app(role(BUCKET_MISTAKE), w, h);
        to_check(&mut app);
        press(&mut app, KeyCode::Char('a'));
        assert!(matches!(app.modal(), Some(Modal::Check(_))));
        press(&mut app, KeyCode::Enter); // "Must be": allowed
        type_text(&mut app, "s3:PutObject");
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "my-bucket/report.csv");
        // The ARN field says what is wrong as it is typed.
        insta::assert_snapshot!(format!("check_add_bad_arn_{w}x{h}"), screen_text(&app));
        clear_field(&mut app);
        type_text(&mut app, "arn:aws:s3:::my-bucket/report.csv");
        press(&mut app, KeyCode::Enter); // context: none
        press(&mut app, KeyCode::Enter); // why: none
        press(&mut app, KeyCode::Enter); // add
        assert!(app.modal().is_none(), "{:?}", app.status());
        assert_eq!(app.role().expectations.len(), 1);
        assert_eq!(
            marks(&app),
            [true, false],
            "the bucket ARN mistake fails it"
        );
        insta::assert_snapshot!(format!("check_added_fails_{w}x{h}"), screen_text(&app));

        // Fix the mistake from the Findings tab; the expectation turns ✓.
        press(&mut app, KeyCode::Left);
        let target = app
            .findings()
            .iter()
            .position(|f| f.code == "resource-mismatch")
            .expect("flagged");
        while app.selected_finding() < target {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('f'));
        press(&mut app, KeyCode::Char('y'));
        press(&mut app, KeyCode::Right);
        assert_eq!(marks(&app), [true, true]);
        insta::assert_snapshot!(format!("check_added_holds_{w}x{h}"), screen_text(&app));

        // Remove it again: one undo step brings it back.
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('d'));
        assert!(app.role().expectations.is_empty());
        press(&mut app, KeyCode::Char('u'));
        assert_eq!(app.role().expectations.len(), 1);
    }
}

#[test]
fn a_pasted_access_denied_message_proposes_the_least_statement_and_y_applies_it() {
    for (w, h) in SIZES {
        let mut app = app(role(SECRET_READER), w, h);
        to_check(&mut app);
        assert_eq!(marks(&app), [true, false]);
        insta::assert_snapshot!(format!("check_failing_why_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Char('m'));
        app.paste(&format!("{DENIED}\n"));
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("check_denied_proposal_{w}x{h}"), screen_text(&app));
        let before = app.role().clone();
        press(&mut app, KeyCode::Char('y'));
        assert!(app.modal().is_none());
        let added = app.role().policies[0].statements.last().unwrap();
        assert_eq!(added.actions, ["secretsmanager:GetSecretValue"]);
        assert_eq!(
            added.resources,
            ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123"]
        );
        assert_eq!(marks(&app), [true, true]);
        insta::assert_snapshot!(format!("check_denied_applied_{w}x{h}"), screen_text(&app));
        // Applying is one undo step.
        press(&mut app, KeyCode::Char('u'));
        assert_eq!(*app.role(), before);
    }
}

const DENIED_OBJECT: &str = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/secret-reader/fn is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::config-bucket/app/settings.json\" because no identity-based policy allows the s3:GetObject action";

#[test]
fn w_swaps_the_least_statement_for_the_wider_form_and_back() {
    for (w, h) in SIZES {
        let mut app = app(role(SECRET_READER), w, h);
        to_check(&mut app);
        press(&mut app, KeyCode::Char('m'));
        app.paste(DENIED_OBJECT);
        press(&mut app, KeyCode::Enter);
        let least = screen_text(&app);
        assert!(least.contains("w shows it"), "{least}");
        press(&mut app, KeyCode::Char('w'));
        insta::assert_snapshot!(format!("check_denied_wider_{w}x{h}"), screen_text(&app));
        // Back to the least form and again to the wider one: the swap is lossless.
        press(&mut app, KeyCode::Char('w'));
        assert_eq!(screen_text(&app), least);
        press(&mut app, KeyCode::Char('w'));
        press(&mut app, KeyCode::Char('y'));
        assert!(app.modal().is_none());
        let added = app.role().policies[0].statements.last().unwrap();
        assert_eq!(added.actions, ["s3:GetObject"]);
        assert_eq!(added.resources, ["arn:aws:s3:::config-bucket/*"]);
    }
    // Where the least form is the only one, w says so and keeps the proposal open.
    let mut app = app(role(SECRET_READER), 120, 40);
    to_check(&mut app);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('f'));
    let before = screen_text(&app);
    press(&mut app, KeyCode::Char('w'));
    let Some(Modal::Check(_)) = &app.modal() else {
        panic!("the proposal stays open")
    };
    let status = app.status_text().to_string();
    if before.contains("w shows it") {
        assert_ne!(screen_text(&app), before, "w shows the other form");
    } else {
        assert!(status.contains("no wider form"), "{status}");
    }
}

#[test]
fn a_message_that_is_not_a_denial_is_refused_and_n_discards_a_proposal() {
    let mut app = app(role(SECRET_READER), 80, 24);
    to_check(&mut app);
    press(&mut app, KeyCode::Char('m'));
    app.paste("hello world");
    press(&mut app, KeyCode::Enter);
    let Some(Modal::Check(_)) = &app.modal() else {
        panic!("the question stays open")
    };
    assert!(screen_text(&app).contains("not an AccessDenied message"));
    press(&mut app, KeyCode::Esc);
    // `f` on the failing expectation proposes the same statement; n discards it.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('f'));
    let text = screen_text(&app);
    assert!(text.contains("secret:db-pass-AbC123"), "{text}");
    let before = app.role().clone();
    press(&mut app, KeyCode::Char('n'));
    assert!(app.modal().is_none());
    assert_eq!(*app.role(), before);
}

#[test]
fn a_finding_is_accepted_with_a_reason_and_saved_with_the_role() {
    for (w, h) in SIZES {
        let mut app = app(seed(), w, h);
        to_review(&mut app);
        let target = app
            .findings()
            .iter()
            .position(|f| f.code == "trust-confused-deputy")
            .expect("the service trust has no SourceAccount");
        while app.selected_finding() < target {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Enter); // no reason: refused
        assert!(screen_text(&app).contains("say why it is acceptable"));
        type_text(&mut app, "one account, one function");
        insta::assert_snapshot!(format!("check_accept_reason_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert!(app.modal().is_none());
        assert!(!codes(&app).contains(&"trust-confused-deputy".to_string()));
        assert_eq!(
            app.role().lint.ignore,
            [IgnoreEntry::WithReason {
                code: "trust-confused-deputy".into(),
                reason: Some("one account, one function".into()),
            }]
        );
        let saved = app.role().to_toml().unwrap();
        assert!(saved.contains("trust-confused-deputy"), "{saved}");
        assert_eq!(parse_role_text("saved.toml", &saved).unwrap(), *app.role());
    }
}

#[test]
fn a_statement_finding_is_accepted_on_that_statement_only() {
    let mut app = app(seed(), 120, 40);
    to_review(&mut app);
    let target = app
        .findings()
        .iter()
        .position(|f| f.code == "permissions-management")
        .expect("s3:PutObjectAcl");
    while app.selected_finding() < target {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "the bucket owner needs the ACL");
    press(&mut app, KeyCode::Enter);
    assert!(!codes(&app).contains(&"permissions-management".to_string()));
    assert_eq!(app.role().policies[0].statements[0].ignore.len(), 1);
    assert!(app.role().lint.ignore.is_empty());
}

#[test]
fn the_readiness_line_says_what_is_missing_and_ready_only_when_nothing_is() {
    for (w, h) in SIZES {
        let mut empty = app(RoleSpec::default(), w, h);
        to_review(&mut empty);
        let text = screen_text(&empty);
        assert!(text.contains("Not ready"), "{text}");
        assert!(!text.contains("Ready to export"), "{text}");
        insta::assert_snapshot!(format!("check_not_ready_empty_{w}x{h}"), text);

        let mut wrong = app(
            role(&format!(
                "assumed_by = [\"lambda.amazonaws.com\"]\n{WRONG_TRUST}"
            )),
            w,
            h,
        );
        to_review(&mut wrong);
        let text = screen_text(&wrong);
        assert!(text.contains("(who it is for)"), "{text}");

        let mut seed = app(seed(), w, h);
        to_review(&mut seed);
        let text = screen_text(&seed);
        assert!(text.contains("Ready to export"), "{text}");
        insta::assert_snapshot!(format!("check_ready_seed_{w}x{h}"), text);
    }
}
