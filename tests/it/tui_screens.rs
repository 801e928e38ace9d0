//! Every screen of the wizard, drawn on a test terminal at 120x40 and 80x24: each step and
//! sub-page (Role with its Deployment part; each Trust kind; the statement list and every page
//! of the statement editor, add-by-call included; Managed with attach-by-ARN; Review's
//! findings and Check panel with their questions; Export in each format and part), the
//! help, open, save, quit and resume questions, and lesson mode.
//!
//! Review changes with `INSTA_UPDATE=always` and `git diff`; the snapshots are the UI's
//! layout contract.

use crate::support::*;
use crossterm::event::KeyCode;
use rolesmith::role::{RoleSpec, parse_role_text};
use rolesmith::tui::action::Action;
use rolesmith::tui::app::Modal;
use rolesmith::tui::lesson_run::lesson_app;
use rolesmith::tui::theme::Theme;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// What the seed's function would be told when reading an object it may not read.
const DENIED_GET_OBJECT: &str = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/string-reverser/fn is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::my-super-specific-bucket/in/words.txt\" because no identity-based policy allows the s3:GetObject action";

fn bucket_mistake() -> RoleSpec {
    parse_role_text("role.toml", BUCKET_MISTAKE).expect("the test role parses")
}

/// Moves the Review step's selection onto the first finding with `code`.
fn select_finding(a: &mut Driver, code: &str) {
    let target = a
        .findings()
        .iter()
        .position(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} finding"));
    while a.selected_finding() < target {
        press(a, KeyCode::Down);
    }
}

/// The seed on the Export step with the `n`th format after console JSON chosen.
fn export_format(a: &mut Driver, n: usize) {
    *a = app(seed(), a.size().0, a.size().1);
    press(a, KeyCode::Char('6'));
    press(a, KeyCode::Down); // Format
    for _ in 0..n {
        press(a, KeyCode::Right);
    }
}

/// Lesson 4 in lesson mode at `w`x`h`, without saved progress.
fn lesson(w: u16, h: u16) -> Driver {
    let lesson = rolesmith::lessons::find("wildcard-not-wild").expect("lesson 4 is built in");
    Driver::from_app(
        lesson_app(lesson, None, shared_catalog(), Theme::monochrome()),
        w,
        h,
    )
}

/// How to get to a screen from a fresh app.
type Setup = fn(&mut Driver);

/// Each screen: a name and how to get there from a fresh app.
fn screens() -> Vec<(&'static str, Setup)> {
    vec![
        ("role_empty", |_| {}),
        ("role_seed", |a| {
            *a = app(seed(), a.size().0, a.size().1);
        }),
        ("role_invalid_name", |a| {
            press(a, KeyCode::Enter); // into the Role step, on Name
            press(a, KeyCode::Enter); // edit it
            type_text(a, "bad name!");
        }),
        ("trust_services", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('2'));
        }),
        ("trust_services_filtered", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Char('/'));
            type_text(a, "ecs");
        }),
        ("trust_account_form", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Char('a'));
            edit_field(a, "1234");
            press(a, KeyCode::Enter); // done, on to the external ID
            press(a, KeyCode::Enter); // edit it
            press(a, KeyCode::Enter); // done (empty), on to MFA
            press(a, KeyCode::Enter); // submit: the id is wrong
        }),
        ("trust_github_form", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Right);
            press(a, KeyCode::Enter);
        }),
        ("trust_oidc_list", |a| {
            press(a, KeyCode::Char('2'));
            for _ in 0..3 {
                press(a, KeyCode::Right);
            }
        }),
        ("trust_document", |a| {
            press(a, KeyCode::Char('2'));
            for _ in 0..5 {
                press(a, KeyCode::Right);
            }
        }),
        ("permissions_list", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
        }),
        ("editor_service", |a| {
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('a'));
            type_text(a, "dyn");
        }),
        ("editor_actions", |a| {
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('a'));
            type_text(a, "s3");
            press(a, KeyCode::Enter);
            type_text(a, "putobject");
            press(a, KeyCode::Char(' '));
        }),
        ("editor_actions_presets", |a| {
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('a'));
            type_text(a, "sqs");
            press(a, KeyCode::Enter);
        }),
        ("editor_resources", |a| {
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('a'));
            type_text(a, "s3");
            press(a, KeyCode::Enter);
            type_text(a, "putobject");
            press(a, KeyCode::Char(' '));
            press(a, KeyCode::Enter);
            edit_field(a, "my-bucket");
        }),
        ("editor_conditions", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Enter);
            press(a, KeyCode::Enter);
            while a.statement_page().unwrap() == rolesmith::tui::steps::permissions::Page::Resources
            {
                press(a, KeyCode::Enter);
            }
            type_text(a, "x-amz-acl");
        }),
        ("editor_condition_form", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Enter);
            press(a, KeyCode::Enter);
            while a.statement_page().unwrap() == rolesmith::tui::steps::permissions::Page::Resources
            {
                press(a, KeyCode::Enter);
            }
            type_text(a, "s3:x-amz-acl");
            press(a, KeyCode::Down);
            press(a, KeyCode::Enter);
        }),
        ("editor_finish", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Enter);
            press(a, KeyCode::Enter);
            while a.statement_page().unwrap() == rolesmith::tui::steps::permissions::Page::Resources
            {
                press(a, KeyCode::Enter);
            }
            press(a, KeyCode::Enter);
        }),
        ("managed", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('4'));
        }),
        ("review_empty_role", |a| {
            press(a, KeyCode::Char('5'));
        }),
        ("review_seed", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
        }),
        ("export", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('6'));
        }),
        ("preview_permissions_focused", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Tab); // steps → step pane
            press(a, KeyCode::Tab); // → preview
            press(a, KeyCode::Char('p'));
        }),
        ("preview_export_console", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Tab); // steps → step pane
            press(a, KeyCode::Tab); // → preview
            press(a, KeyCode::Char('p'));
            press(a, KeyCode::Char('p'));
        }),
        ("preview_export_terraform", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('6'));
            press(a, KeyCode::Down); // Format
            for _ in 0..5 {
                press(a, KeyCode::Right); // Console → ... → Terraform
            }
            press(a, KeyCode::Tab);
            press(a, KeyCode::Char('p'));
            press(a, KeyCode::Char('p'));
        }),
        ("main_zoomed", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('z'));
        }),
        ("preview_zoomed", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('z'));
            press(a, KeyCode::Char('z'));
        }),
        ("help", |a| {
            press(a, KeyCode::Char('?'));
        }),
        ("quit_confirm", |a| {
            press(a, KeyCode::Char('1'));
            edit_field(a, "x");
            press(a, KeyCode::Esc); // done editing: q quits
            press(a, KeyCode::Char('q'));
        }),
        ("save_path", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press_mod(
                a,
                KeyCode::Char('s'),
                crossterm::event::KeyModifiers::CONTROL,
            );
        }),
        ("trust_accounts", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Right);
        }),
        ("trust_github", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Right);
        }),
        ("trust_saml", |a| {
            press(a, KeyCode::Char('2'));
            for _ in 0..4 {
                press(a, KeyCode::Right);
            }
        }),
        ("trust_identities", |a| {
            press(a, KeyCode::Char('2'));
            press(a, KeyCode::Left); // the kinds wrap: the last one, IAM roles & users
        }),
        ("role_deployment", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Enter); // into the Role step, on Name
            for _ in 0..7 {
                press(a, KeyCode::Down); // down to the Deployment part's Boundary
            }
        }),
        ("editor_add_by_call", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('3'));
            press(a, KeyCode::Char('C'));
            type_text(a, "s3.put_object");
        }),
        ("managed_attach_by_arn", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('4'));
            press(a, KeyCode::Char('a'));
        }),
        ("review_check", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            press(a, KeyCode::Right);
        }),
        ("review_fix_preview", |a| {
            *a = app(bucket_mistake(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            select_finding(a, "resource-mismatch");
            press(a, KeyCode::Char('f'));
        }),
        ("review_explain", |a| {
            *a = app(bucket_mistake(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            select_finding(a, "resource-mismatch");
            press(a, KeyCode::Char('e'));
        }),
        ("review_accept", |a| {
            *a = app(bucket_mistake(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            select_finding(a, "resource-mismatch");
            press(a, KeyCode::Char('a'));
        }),
        ("check_add_expectation", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Char('a'));
        }),
        ("check_paste_denied", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Char('m'));
        }),
        ("check_denied_proposal", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('5'));
            press(a, KeyCode::Right);
            press(a, KeyCode::Char('m'));
            a.paste(DENIED_GET_OBJECT);
            press(a, KeyCode::Enter);
        }),
        ("export_json", |a| export_format(a, 1)),
        ("export_cli", |a| export_format(a, 2)),
        ("export_cloudformation", |a| export_format(a, 3)),
        ("export_cloudformation_json", |a| export_format(a, 4)),
        ("export_terraform", |a| export_format(a, 5)),
        ("export_trust_only", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('6'));
            press(a, KeyCode::Char(' ')); // Documents: Both → Trust policy
        }),
        ("export_permissions_only", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('6'));
            press(a, KeyCode::Char(' '));
            press(a, KeyCode::Char(' ')); // → Permissions
        }),
        ("export_clipboard_both_first_part", |a| {
            *a = app(seed(), a.size().0, a.size().1);
            press(a, KeyCode::Char('6'));
            press(a, KeyCode::Down);
            press(a, KeyCode::Down); // To
            press(a, KeyCode::Char(' ')); // File → Clipboard
            press(a, KeyCode::Enter);
            if matches!(a.modal(), Some(Modal::Confirm { .. })) {
                press(a, KeyCode::Char('y')); // findings remain: copy anyway
            }
        }),
        ("open_path", |a| {
            press(a, KeyCode::Char('o'));
        }),
        ("resume_question", |a| {
            // What `enable_autosave` shows at start; the time is fixed so the screen is.
            a.offer_resume("2026-01-02 03:04 UTC (5 min ago)");
        }),
        ("lesson", |a| {
            *a = lesson(a.size().0, a.size().1);
        }),
        ("lesson_calls_run", |a| {
            *a = lesson(a.size().0, a.size().1);
            press(a, KeyCode::Char('r'));
        }),
        ("hostile_text", |a| {
            let role = RoleSpec {
                name: "evil\u{1b}[2Jname".into(),
                description: Some("line\nbreak \u{202e}reversed".into()),
                ..Default::default()
            };
            *a = app(role, a.size().0, a.size().1);
        }),
    ]
}

#[test]
fn every_screen_at_both_sizes() {
    for (w, h) in SIZES {
        for (name, setup) in screens() {
            let mut a = app(RoleSpec::default(), w, h);
            setup(&mut a);
            let t = render(&a);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn too_small_says_so_and_q_quits() {
    let mut a = app(RoleSpec::default(), 40, 10);
    let t = render(&a);
    insta::assert_snapshot!("too_small_40x10", t.backend());
    // Even with a text field focused and unsaved changes, q quits here.
    a.mark_unsaved();
    press(&mut a, KeyCode::Char('q'));
    assert!(a.has_quit());
}

#[test]
fn control_characters_never_reach_the_screen() {
    let mut a = app(RoleSpec::default(), 120, 40);
    let role = RoleSpec {
        name: "evil\u{1b}[2J\u{9b}31m".into(),
        description: Some("\u{7}bell".into()),
        ..Default::default()
    };
    a = {
        let _ = &mut a;
        app(role, 120, 40)
    };
    a.act(Action::Resize(120, 40));
    let text = screen_text(&a);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    assert!(text.contains("evil␛[2J"), "{text}");
}
