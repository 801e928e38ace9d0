//! "Add by API call" on the Permissions step (issue 19), driven by keys through the keymap:
//! `s3.put_object` (PutObject needed and ticked, its ACL/tagging actions offered unticked),
//! opting in one of them, `s3:CopyObject` (a source and a target object, two statements),
//! `lambda.create_function` (iam:PassRole needed, on the execution role, with the context AWS
//! states), an unknown call (the nearest names; typed control characters drawn visibly).
//! Each flow asserts the statements it leaves in the role; snapshots at 120x40 and 80x24.

use crossterm::event::KeyCode;
use rolesmith::role::{RoleSpec, StatementSpec, parse_role_text};
use rolesmith::tui::steps::Step;
use rolesmith::tui::testing::CallRow;

use crate::support::*;
// Typing into a form field needs it opened first (Enter/`i`): these helpers open it.
#[allow(unused_imports)]
use crate::support::{clear_in_field as clear_field, type_in_field as type_text};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// A Lambda function's role with no permissions yet; account and region fill the ARNs.
const FUNCTION_ROLE: &str = r#"name = "thumbnailer"
account = "123456789012"
region = "eu-west-1"
assumed_by = ["lambda.amazonaws.com"]

[trust]
services = ["lambda.amazonaws.com"]
"#;

fn role() -> RoleSpec {
    parse_role_text("role.toml", FUNCTION_ROLE).expect("the test role parses")
}

/// From a fresh app: the Permissions step, then `C`.
fn open_page(app: &mut Driver) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('3'));
    assert_eq!(app.step(), Step::Permissions);
    press(app, KeyCode::Char('C'));
    assert!(app.adding_by_call(), "C opens the page");
}

/// (action, ticked, when) of the chosen call.
fn choices(app: &Driver) -> Vec<(String, bool, Option<String>)> {
    assert!(app.call_chosen(), "a call is chosen");
    app.call_actions()
}

fn choice(app: &Driver, action: &str) -> (bool, Option<String>) {
    choices(app)
        .into_iter()
        .find(|(a, _, _)| a == action)
        .map(|(_, t, w)| (t, w))
        .unwrap_or_else(|| panic!("{action} is offered"))
}

fn focused_row(app: &Driver) -> Option<CallRow> {
    assert!(app.adding_by_call(), "the add-by-call page is open");
    app.call_focus()
        .and_then(|i| app.call_rows().get(i).cloned())
}

/// Presses Down until `want` has the focus.
fn down_to(app: &mut Driver, want: impl Fn(&CallRow) -> bool) {
    for _ in 0..80 {
        if let Some(r) = focused_row(app)
            && want(&r)
        {
            return;
        }
        press(app, KeyCode::Down);
    }
    panic!("the row was not reached");
}

fn down_to_action(app: &mut Driver, action: &str) {
    down_to(app, |r| matches!(r, CallRow::Action(a) if a == action));
}

/// Focuses the `placeholder` field of the resource named `resource`.
fn down_to_field(app: &mut Driver, resource: &str, placeholder: &str) {
    down_to(app, |r| {
        matches!(r, CallRow::Field { resource: res, placeholder: ph }
            if res == resource && ph == placeholder)
    });
}

/// Every statement of the role, in order.
fn statements(app: &Driver) -> Vec<StatementSpec> {
    app.role()
        .policies
        .iter()
        .flat_map(|p| p.statements.clone())
        .collect()
}

fn status(app: &Driver) -> String {
    app.status_text().to_string()
}

#[test]
fn put_object_ticks_what_is_needed_and_offers_the_rest_unticked() {
    for (w, h) in SIZES {
        let mut app = app(role(), w, h);
        open_page(&mut app);
        insta::assert_snapshot!(format!("by_call_open_{w}x{h}"), screen_text(&app));
        type_text(&mut app, "s3.put_object");
        assert_eq!(app.call_candidates()[0], "s3:PutObject");
        assert_eq!(choice(&app, "s3:PutObject"), (true, None));
        let (ticked, when) = choice(&app, "s3:PutObjectAcl");
        assert!(!ticked && when.unwrap().contains("ACL"));
        let (ticked, when) = choice(&app, "s3:PutObjectTagging");
        assert!(!ticked && when.unwrap().contains("tags"));
        insta::assert_snapshot!(
            format!("by_call_put_object_typed_{w}x{h}"),
            screen_text(&app)
        );

        // Enter: on to the actions; Enter again adds, but the bucket is not named yet.
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.call_focus(), Some(0));
        press(&mut app, KeyCode::Enter);
        assert!(
            status(&app).contains("fill in BucketName"),
            "{}",
            status(&app)
        );
        assert!(app.role().policies.is_empty(), "nothing added yet");
        let Some(CallRow::Field {
            resource,
            placeholder,
        }) = focused_row(&app)
        else {
            panic!("the focus went to the field to fix");
        };
        assert_eq!(
            (resource.as_str(), placeholder.as_str()),
            ("object", "BucketName")
        );
        type_text(&mut app, "reports-bucket");
        insta::assert_snapshot!(
            format!("by_call_put_object_filled_{w}x{h}"),
            screen_text(&app)
        );

        press(&mut app, KeyCode::Enter);
        assert!(!app.adding_by_call(), "the page closed: {}", status(&app));
        assert!(status(&app).contains("s3:PutObject: 1 statement added"));
        assert_eq!(app.role().policies[0].name, "thumbnailer-policy");
        assert_eq!(
            statements(&app),
            [StatementSpec {
                actions: vec!["s3:PutObject".into()],
                resources: vec!["arn:aws:s3:::reports-bucket/*".into()],
                ..Default::default()
            }]
        );
        insta::assert_snapshot!(
            format!("by_call_put_object_added_{w}x{h}"),
            screen_text(&app)
        );

        // One undo step takes it all back.
        press(&mut app, KeyCode::Char('u'));
        assert!(statements(&app).is_empty());
    }
}

#[test]
fn opting_in_a_conditional_action_puts_it_beside_the_needed_one() {
    for (w, h) in SIZES {
        let mut app = app(role(), w, h);
        open_page(&mut app);
        type_text(&mut app, "PutObject");
        press(&mut app, KeyCode::Enter);
        down_to_action(&mut app, "s3:PutObjectTagging");
        press(&mut app, KeyCode::Char(' '));
        assert!(choice(&app, "s3:PutObjectTagging").0);
        assert!(!choice(&app, "s3:PutObjectAcl").0);
        down_to_field(&mut app, "object", "BucketName");
        type_text(&mut app, "reports-bucket");
        insta::assert_snapshot!(format!("by_call_opt_in_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            statements(&app),
            [StatementSpec {
                actions: vec!["s3:PutObject".into(), "s3:PutObjectTagging".into()],
                resources: vec!["arn:aws:s3:::reports-bucket/*".into()],
                ..Default::default()
            }]
        );
    }
}

#[test]
fn copy_object_reads_the_source_and_writes_the_target_in_two_statements() {
    for (w, h) in SIZES {
        let mut app = app(role(), w, h);
        open_page(&mut app);
        type_text(&mut app, "s3:CopyObject");
        assert_eq!(app.call_candidates()[0], "s3:CopyObject");
        assert_eq!(choice(&app, "s3:GetObject"), (true, None));
        assert_eq!(choice(&app, "s3:PutObject"), (true, None));
        assert!(!choice(&app, "s3:PutObjectTagging").0);
        press(&mut app, KeyCode::Enter);
        // Two resources of the same type, each with its own builder.
        let shown: Vec<String> = app
            .call_rows()
            .into_iter()
            .filter_map(|r| match r {
                CallRow::Include(name) => Some(name),
                _ => None,
            })
            .collect();
        assert_eq!(shown, ["source object", "target object"]);
        down_to_field(&mut app, "source object", "BucketName");
        type_text(&mut app, "uploads");
        down_to_field(&mut app, "target object", "BucketName");
        type_text(&mut app, "thumbnails");
        insta::assert_snapshot!(format!("by_call_copy_object_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            statements(&app),
            [
                StatementSpec {
                    actions: vec!["s3:GetObject".into()],
                    resources: vec!["arn:aws:s3:::uploads/*".into()],
                    ..Default::default()
                },
                StatementSpec {
                    actions: vec!["s3:PutObject".into()],
                    resources: vec!["arn:aws:s3:::thumbnails/*".into()],
                    ..Default::default()
                },
            ]
        );
    }
}

#[test]
fn the_cli_form_of_a_call_resolves_too() {
    let mut app = app(role(), 120, 40);
    open_page(&mut app);
    type_text(&mut app, "aws s3api copy-object --bucket b --key k");
    assert_eq!(app.call_candidates()[0], "s3:CopyObject");
}

#[test]
fn create_function_passes_the_execution_role_to_lambda_only() {
    for (w, h) in SIZES {
        let mut app = app(role(), w, h);
        open_page(&mut app);
        type_text(&mut app, "lambda.create_function");
        assert_eq!(app.call_candidates()[0], "lambda:CreateFunction");
        // The data: CreateFunction and PassRole are needed; tags, layers and a VPC only when.
        assert_eq!(choice(&app, "lambda:CreateFunction"), (true, None));
        assert_eq!(choice(&app, "iam:PassRole"), (true, None));
        assert!(!choice(&app, "lambda:TagResource").0);
        assert!(
            choice(&app, "ec2:DescribeSubnets")
                .1
                .unwrap()
                .contains("VPC")
        );
        insta::assert_snapshot!(
            format!("by_call_create_function_typed_{w}x{h}"),
            screen_text(&app)
        );
        press(&mut app, KeyCode::Enter);
        down_to_field(&mut app, "execution role", "RoleNameWithPath");
        type_text(&mut app, "thumbnailer-exec");
        down_to_field(&mut app, "function", "FunctionName");
        type_text(&mut app, "thumbnailer");
        insta::assert_snapshot!(
            format!("by_call_create_function_filled_{w}x{h}"),
            screen_text(&app)
        );
        press(&mut app, KeyCode::Enter);
        let s = statements(&app);
        assert_eq!(s.len(), 2, "{s:?}");
        // In the call's order; resources from the role's account and region.
        assert_eq!(s[0].actions, ["lambda:CreateFunction"]);
        assert_eq!(
            s[0].resources,
            ["arn:aws:lambda:eu-west-1:123456789012:function:thumbnailer"]
        );
        assert!(s[0].condition.is_none());
        assert_eq!(s[1].actions, ["iam:PassRole"]);
        assert_eq!(
            s[1].resources,
            ["arn:aws:iam::123456789012:role/thumbnailer-exec"]
        );
        let condition = serde_json::to_value(s[1].condition.as_ref().unwrap()).unwrap();
        assert_eq!(
            condition,
            serde_json::json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})
        );
    }
}

#[test]
fn an_unknown_call_gets_the_nearest_names_and_adds_nothing() {
    for (w, h) in SIZES {
        let mut app = app(role(), w, h);
        open_page(&mut app);
        type_text(&mut app, "s3.put_objekt");
        assert!(app.adding_by_call());
        assert!(app.call_candidates().is_empty() && !app.call_chosen());
        let m = app.call_message().unwrap();
        assert!(
            m.contains("no API operation") && m.contains("s3.put_object (s3:PutObject)"),
            "{m}"
        );
        insta::assert_snapshot!(format!("by_call_unknown_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert!(status(&app).contains("nearest"), "{}", status(&app));
        assert!(app.adding_by_call(), "the page stays open");

        // Control characters typed into the field are drawn visibly, never sent raw.
        clear_field(&mut app);
        type_text(&mut app, "s3.\u{1b}[2Jput\u{7}");
        let screen = screen_text(&app);
        assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
        insta::assert_snapshot!(format!("by_call_control_chars_{w}x{h}"), screen);

        press(&mut app, KeyCode::Esc);
        assert!(
            !app.adding_by_call(),
            "Esc in the call field closes the page"
        );
        assert!(statements(&app).is_empty());
    }
}
