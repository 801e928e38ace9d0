//! Key-driven flows through the wizard: the seed's Lambda→S3 role built from an empty role,
//! exported, and compared with the seed rendered by `render`.

use crate::support::*;
use crossterm::event::KeyCode;
use rolesmith::export::to_console;
use rolesmith::role::RoleSpec;
use rolesmith::tui::app::Modal;
use rolesmith::tui::steps::Step;
use rolesmith::tui::steps::permissions::{ActionRow, Page};

/// Moves the actions list selection onto `name` with arrow keys.
fn select_action(app: &mut Driver, name: &str) {
    let target = {
        assert!(app.editing_statement(), "editor open");
        let rows = app.action_rows();
        rows.iter()
            .position(|r| *r == ActionRow::Action(name.to_string()))
            .unwrap_or_else(|| panic!("{name} is not listed: {rows:?}"))
    };
    loop {
        let sel = app.selected_action_row();
        if sel == target {
            break;
        }
        press(
            app,
            if sel < target {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
    }
}

fn editor_page(app: &Driver) -> Page {
    app.statement_page().expect("editor open")
}

/// Builds the seed's role with keys only.
fn build_seed_by_keys(app: &mut Driver) {
    // Role: the program starts on the step list; Enter opens the Role step on its Name field,
    // Enter (or i) edits it, Enter finishes and goes on to the description.
    assert_eq!(app.focus(), rolesmith::tui::app::Pane::Steps);
    press(app, KeyCode::Enter);
    press(app, KeyCode::Enter);
    type_text(app, "string-reverser");
    press(app, KeyCode::Enter);
    press(app, KeyCode::Enter);
    type_text(app, "Reverses strings and saves them to S3");
    // Done editing, back to the steps, down to Trust, into its pane.
    press(app, KeyCode::Esc);
    press(app, KeyCode::Esc);
    press(app, KeyCode::Down);
    assert_eq!(app.step(), Step::Trust);
    press(app, KeyCode::Enter);
    press(app, KeyCode::Char('/'));
    type_text(app, "lambda.amazonaws.com");
    press(app, KeyCode::Enter);
    assert_eq!(
        app.trust_service_rows().first().map(String::as_str),
        Some("lambda.amazonaws.com")
    );
    press(app, KeyCode::Char(' '));
    assert_eq!(app.role().trust.services, vec!["lambda.amazonaws.com"]);

    // Managed policies.
    press(app, KeyCode::Char('4'));
    assert_eq!(app.step(), Step::Managed);
    press(app, KeyCode::Char('/'));
    type_text(app, "AWSLambdaBasicExecutionRole");
    press(app, KeyCode::Enter);
    assert_eq!(
        app.managed_rows().first().map(String::as_str),
        Some("AWSLambdaBasicExecutionRole")
    );
    press(app, KeyCode::Char(' '));
    assert_eq!(
        app.role().managed_policies,
        vec!["AWSLambdaBasicExecutionRole"]
    );

    // Permissions: add a statement.
    press(app, KeyCode::Char('3'));
    assert_eq!(app.step(), Step::Permissions);
    press(app, KeyCode::Char('a'));
    assert_eq!(editor_page(app), Page::Service);
    type_text(app, "s3");
    press(app, KeyCode::Enter);
    assert_eq!(editor_page(app), Page::Actions);
    type_text(app, "PutObject");
    select_action(app, "PutObject");
    press(app, KeyCode::Char(' '));
    clear_field(app);
    type_text(app, "PutObjectAcl");
    select_action(app, "PutObjectAcl");
    press(app, KeyCode::Char(' '));
    let chosen = app.chosen_actions();
    assert_eq!(chosen, vec!["s3:PutObject", "s3:PutObjectAcl"]);
    press(app, KeyCode::Enter);
    assert_eq!(editor_page(app), Page::Resources);
    // The builder starts on the empty BucketName of the object ARN.
    edit_field(app, "my-super-specific-bucket");
    let mut guard = 0;
    while editor_page(app) == Page::Resources {
        press(app, KeyCode::Enter);
        guard += 1;
        assert!(guard < 40, "Enter never left the resources page");
    }
    assert_eq!(editor_page(app), Page::Conditions);
    press(app, KeyCode::Enter); // "Continue": no conditions
    assert_eq!(editor_page(app), Page::Finish);
    press(app, KeyCode::Down); // Effect → Sid
    press(app, KeyCode::Down); // Sid → Policy
    edit_field(app, "write-reversed-strings");
    press(app, KeyCode::Enter);
    assert!(!app.editing_statement(), "{:?}", app.status());
}

#[test]
fn builds_the_seed_from_an_empty_role_and_exports_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export.txt");
    let mut app = app(RoleSpec::default(), 120, 40);
    build_seed_by_keys(&mut app);

    let seed = seed();
    assert_eq!(app.role().to_documents(), seed.to_documents());

    // Export both documents as console JSON to a file.
    press(&mut app, KeyCode::Char('6'));
    assert_eq!(app.step(), Step::Export);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    edit_field(&mut app, out.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    if let Some(Modal::Confirm { .. }) = app.modal() {
        // Findings remain (suggestions): the export asks first.
        press(&mut app, KeyCode::Char('y'));
    }
    let written = std::fs::read_to_string(&out).expect("the export was written");
    assert_eq!(written, to_console(&seed.to_documents()));
}

#[test]
fn export_asks_before_replacing_a_file_and_keeps_it_on_no() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("existing.json");
    std::fs::write(&out, "keep me").unwrap();
    let mut app = app(seed(), 120, 40);
    export_to_file(&mut app, &out);
    assert_eq!(app.step(), Step::Export);
    match &app.modal() {
        Some(Modal::Confirm { title, .. }) => assert!(title.contains("Replace"), "{title}"),
        other => panic!("expected the overwrite question, got {other:?}"),
    }
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn quitting_with_unsaved_changes_asks_and_save_writes_the_role_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("role.toml");
    let mut app = app(RoleSpec::default(), 120, 40);
    press(&mut app, KeyCode::Char('1'));
    edit_field(&mut app, "my-role");
    press(&mut app, KeyCode::Esc); // done editing: q quits from here
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.has_quit(), "unsaved changes: it must ask");
    assert!(matches!(app.modal(), Some(Modal::QuitAsk)));
    press(&mut app, KeyCode::Char('n'));
    assert!(app.modal().is_none() && !app.has_quit());

    // Ctrl-S asks for a path the first time.
    press_mod(
        &mut app,
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    assert!(matches!(app.modal(), Some(Modal::SavePath(_))));
    clear_field(&mut app);
    type_text(&mut app, path.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(!app.unsaved(), "{:?}", app.status());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("name = \"my-role\""), "{saved}");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.has_quit());
}

#[test]
fn statements_can_be_duplicated_edited_and_deleted() {
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.role().policies[0].statements.len(), 2);
    // Edit the copy: Deny instead of Allow.
    press(&mut app, KeyCode::Enter);
    assert_eq!(editor_page(&app), Page::Actions);
    press(&mut app, KeyCode::Enter); // → resources (the ARN fills the builder)
    while editor_page(&app) == Page::Resources {
        press(&mut app, KeyCode::Enter);
    }
    press(&mut app, KeyCode::Enter); // conditions: continue
    press(&mut app, KeyCode::Char(' ')); // Effect: Deny
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // edit the policy name
    press(&mut app, KeyCode::Enter); // done: save the statement
    let s = &app.role().policies[0].statements[1];
    assert_eq!(s.effect, rolesmith::policy::Effect::Deny);
    assert_eq!(s.resources, vec!["arn:aws:s3:::my-super-specific-bucket/*"]);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.role().policies[0].statements.len(), 1);
}

#[test]
fn editor_draft_shows_in_the_preview_and_esc_leaves_the_role_alone() {
    let mut app = app(seed(), 120, 40);
    let before = app.role().clone();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "sqs");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "SendMessage");
    press(&mut app, KeyCode::Char(' '));
    assert!(
        app.previewed_documents().policies[0]
            .document
            .to_compact_json()
            .contains("sqs:SendMessage"),
        "the draft is previewed"
    );
    press(&mut app, KeyCode::Esc); // actions → service
    press(&mut app, KeyCode::Esc); // service: asks before dropping the choice
    assert!(app.modal().is_some());
    press(&mut app, KeyCode::Char('y'));
    assert!(!app.editing_statement());
    assert_eq!(*app.role(), before);
    assert!(
        !app.previewed_documents().policies[0]
            .document
            .to_compact_json()
            .contains("sqs:")
    );
}

#[test]
fn mouse_clicks_pick_steps_and_focus_panes() {
    use rolesmith::tui::action::Action;
    use rolesmith::tui::app::Pane;
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(seed(), w, h);
        app.click(3, 4); // the fourth step's row
        assert_eq!(app.step(), Step::Managed);
        assert_eq!(app.focus(), Pane::Steps);
        app.act(Action::Click(w - 5, h - 4)); // lower right: the preview
        assert_eq!(app.focus(), Pane::Preview);
        app.click(30, 3); // upper middle: the step pane
        assert_eq!(app.focus(), Pane::Main);
    }
}

/// Opens the seed's statement, optionally retypes the object builder's BucketName, saves.
fn edit_seed_statement(app: &mut Driver, new_bucket: Option<&str>) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Enter);
    assert_eq!(editor_page(app), Page::Actions);
    press(app, KeyCode::Enter);
    assert_eq!(editor_page(app), Page::Resources);
    let focused_label = |app: &Driver| {
        let form = app.resource_form().expect("editor open");
        form.fields[form.focus].label.clone()
    };
    {
        assert!(
            app.kept_resources().is_empty(),
            "the resource fills the builder: {:?}",
            app.kept_resources()
        );
        let bucket = app
            .resource_form()
            .expect("editor open")
            .fields
            .iter()
            .find(|f| f.label.trim() == "BucketName")
            .expect("the object builder asks for its bucket");
        assert_eq!(bucket.value(), "my-super-specific-bucket");
    }
    if let Some(new_bucket) = new_bucket {
        for _ in 0..20 {
            if focused_label(app).trim() == "BucketName" {
                break;
            }
            press(app, KeyCode::Down);
        }
        assert_eq!(focused_label(app).trim(), "BucketName");
        edit_field(app, new_bucket);
    }
    while editor_page(app) == Page::Resources {
        press(app, KeyCode::Enter);
    }
    press(app, KeyCode::Enter); // conditions: continue
    assert_eq!(editor_page(app), Page::Finish);
    press(app, KeyCode::Down);
    press(app, KeyCode::Down);
    press(app, KeyCode::Enter); // edit the policy name
    press(app, KeyCode::Enter); // done: save the statement
    assert!(!app.editing_statement(), "saved");
}

#[test]
fn editing_a_statement_fills_the_arn_builder_back_in() {
    let mut app = app(seed(), 120, 40);
    edit_seed_statement(&mut app, Some("another-bucket"));
    assert_eq!(
        app.role().policies[0].statements[0].resources,
        vec!["arn:aws:s3:::another-bucket/*"]
    );

    let mut app = crate::support::app(seed(), 120, 40);
    edit_seed_statement(&mut app, None);
    assert_eq!(*app.role(), seed(), "saving untouched gives the same role");
}

#[test]
fn the_third_preview_tab_shows_the_chosen_export_format() {
    use rolesmith::tui::app::PreviewTab;
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.preview_tab(), PreviewTab::Export);
    assert!(screen_text(&app).contains("# Trust policy of role string-reverser"));
    // Terraform on the Export step: the tab follows.
    press(&mut app, KeyCode::Esc); // preview → step pane
    press(&mut app, KeyCode::Esc); // → steps
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Left); // Console → Terraform (wraps)
    let screen = screen_text(&app);
    assert!(screen.contains("Permissions   Terraform"), "{screen}");
    assert!(
        app.preview_text(PreviewTab::Export)
            .contains("aws_iam_role"),
        "the preview holds the Terraform text"
    );
    // Tabs by mouse: the preview starts at column 76 here.
    app.click(78, 1);
    assert_eq!(app.preview_tab(), PreviewTab::Trust);
    app.click(88, 1);
    assert_eq!(app.preview_tab(), PreviewTab::Permissions);
    app.click(100, 1);
    assert_eq!(app.preview_tab(), PreviewTab::Export);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.preview_tab(), PreviewTab::Trust, "p cycles back");
}

#[test]
fn question_mark_opens_help_on_the_actions_page_while_the_filter_is_empty() {
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "s3");
    press(&mut app, KeyCode::Enter);
    assert_eq!(editor_page(&app), Page::Actions);
    assert!(screen_text(&app).contains("Esc Esc q quit"), "hinted");
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.modal(), Some(Modal::Help)));
    press(&mut app, KeyCode::Esc);
    assert!(app.modal().is_none());
    // With text in the filter, `?` is just typed.
    type_text(&mut app, "Get?");
    assert!(app.modal().is_none());
    let query = app.action_filter();
    assert_eq!(query, "Get?");
    // What the hint says: Esc, Esc (nothing chosen, so the editor closes), then q.
    clear_field(&mut app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(!app.editing_statement());
    press(&mut app, KeyCode::Char('q'));
    assert!(app.has_quit(), "nothing unsaved: q quits");
}
