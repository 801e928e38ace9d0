//! The deployment keys edited in the TUI (issue 16), driven by keys through the keymap: a
//! permissions boundary (one of the role's policies, an AWS managed one, a typed ARN), tags
//! added and removed with IAM's rules shown as typed, the instance profile of an EC2 role,
//! a policy created as a customer managed policy, a customer managed ARN attached on the
//! Managed step, an IAM role as a trust principal and `create_oidc_provider` on a GitHub
//! entry. Each flow checks the model and the documents it renders, undoes a change, saves
//! with Ctrl-S and reads the file back. Snapshots at 120x40 and 80x24.

use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::export::ExportFormat;
use rolesmith::role::{RoleSpec, load_role_file, parse_role_text};
use rolesmith::tui::app::Pane;
use rolesmith::tui::curation;
use rolesmith::tui::steps::Step;
use rolesmith::tui::steps::trust::TrustKind;

use crate::support::*;
// Typing into a form field needs it opened first (Enter/`i`): these helpers open it.
#[allow(unused_imports)]
use crate::support::{clear_in_field as clear_field, type_in_field as type_text};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// A Lambda function's role with an account, so names and `${Account}` resolve.
const LAMBDA: &str = r#"name = "orders-worker"
account = "123456789012"

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "read-orders"

[[policy.statement]]
actions = ["sqs:ReceiveMessage"]
resources = ["arn:aws:sqs:eu-west-1:123456789012:orders"]

[[policy]]
name = "dev-cap"

[[policy.statement]]
actions = ["sqs:*", "logs:*"]
resources = ["*"]
"#;

/// An application server on EC2.
const EC2: &str = r#"name = "app-server"
account = "123456789012"
path = "/apps/"

[trust]
services = ["ec2.amazonaws.com"]

[[policy]]
name = "read-config"

[[policy.statement]]
actions = ["ssm:GetParameter"]
resources = ["arn:aws:ssm:eu-west-1:123456789012:parameter/app/*"]
"#;

/// A GitHub Actions deploy role.
const GITHUB: &str = r#"name = "deployer"
account = "123456789012"

[trust]
github = [{ repo = "acme/orders", ref = "refs/heads/main" }]

[[policy]]
name = "deploy"

[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::acme-artifacts/*"]
"#;

fn role(text: &str) -> RoleSpec {
    parse_role_text("role.toml", text).expect("the test role parses")
}

/// Moves the Role form's focus to field `index` with ↑↓.
fn focus_role_field(app: &mut Driver, index: usize) {
    // The program starts on the step list: Enter gives the Role step's form the keyboard.
    if app.focus() == Pane::Steps {
        press(app, KeyCode::Enter);
    }
    for _ in 0..200 {
        let focus = app.role_form().focus;
        if focus == index {
            return;
        }
        press(
            app,
            if focus < index {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
    }
    panic!("field {index} cannot be reached");
}

/// Leaves the step pane and opens step `n` (1-based, as its key).
fn open_step(app: &mut Driver, n: char) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char(n));
}

fn ctrl(app: &mut Driver, c: char) {
    press_mod(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

/// Ctrl-S into a fresh file; the file must load again as exactly the role in the editor.
fn save_and_reload(app: &mut Driver) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("role.toml");
    app.set_path(Some(path.clone()));
    ctrl(app, 's');
    assert!(!app.unsaved(), "saved: {:?}", app.status());
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = load_role_file(&path).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(loaded, *app.role(), "{text}");
    text
}

fn error_of(app: &Driver, field: usize) -> Option<String> {
    app.role_form().fields[field].error.clone()
}

#[test]
fn a_boundary_from_the_roles_policies_the_managed_list_or_typed() {
    for (w, h) in SIZES {
        let mut app = app(role(LAMBDA), w, h);
        let part = app.deployment_fields().clone();
        focus_role_field(&mut app, part.boundary());
        // none → typed → this role's read-orders → this role's dev-cap
        for _ in 0..3 {
            press(&mut app, KeyCode::Right);
        }
        assert_eq!(app.role().permissions_boundary.as_deref(), Some("dev-cap"));
        let docs = app.role().to_documents();
        assert_eq!(
            docs.permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/dev-cap")
        );
        assert!(
            docs.inline_policies().all(|p| p.name != "dev-cap"),
            "the boundary is no longer inline"
        );
        insta::assert_snapshot!(format!("deploy_boundary_own_{w}x{h}"), screen_text(&app));

        // An AWS managed policy of the curated list, further along the same choice.
        let power = curation::managed_policies()
            .iter()
            .position(|m| m.name == "PowerUserAccess")
            .expect("curated");
        for _ in 0..(power + 1) {
            press(&mut app, KeyCode::Right);
        }
        assert_eq!(
            app.role().permissions_boundary.as_deref(),
            Some("PowerUserAccess")
        );
        assert_eq!(
            app.role().to_documents().permissions_boundary.as_deref(),
            Some("arn:aws:iam::aws:policy/PowerUserAccess")
        );

        // Typed: the ARN field, checked as typed with the file's rules.
        press(&mut app, KeyCode::Down);
        assert_eq!(app.role_form().focus, part.boundary_text());
        clear_field(&mut app);
        type_text(&mut app, "NoSuchPolicy");
        assert!(
            error_of(&app, part.boundary_text())
                .is_some_and(|e| e.contains("unknown permissions boundary")),
            "{:?}",
            error_of(&app, part.boundary_text())
        );
        insta::assert_snapshot!(
            format!("deploy_boundary_unknown_{w}x{h}"),
            screen_text(&app)
        );
        clear_field(&mut app);
        type_text(
            &mut app,
            "arn:aws:iam::${Account}:policy/boundaries/dev-cap",
        );
        assert_eq!(error_of(&app, part.boundary_text()), None);
        assert_eq!(
            app.role().permissions_boundary.as_deref(),
            Some("arn:aws:iam::${Account}:policy/boundaries/dev-cap")
        );
        let json = ExportFormat::Json.render(&app.role().to_documents());
        assert!(
            json.contains(
                r#""PermissionsBoundary": "arn:aws:iam::123456789012:policy/boundaries/dev-cap""#
            ),
            "{json}"
        );
        assert_eq!(
            app.role_form().fields[part.boundary()].value(),
            "typed below"
        );
        insta::assert_snapshot!(format!("deploy_boundary_typed_{w}x{h}"), screen_text(&app));

        // Typing is one undo step: back to PowerUserAccess.
        ctrl(&mut app, 'z');
        assert_eq!(
            app.role().permissions_boundary.as_deref(),
            Some("PowerUserAccess")
        );
        ctrl(&mut app, 'r');
        let saved = save_and_reload(&mut app);
        assert!(
            saved.contains(
                "permissions_boundary = \"arn:aws:iam::${Account}:policy/boundaries/dev-cap\""
            ),
            "{saved}"
        );
    }
}

#[test]
fn tags_are_added_checked_as_typed_and_removed() {
    for (w, h) in SIZES {
        let mut app = app(role(LAMBDA), w, h);
        let part = app.deployment_fields().clone();
        focus_role_field(&mut app, part.new_tag());
        type_text(&mut app, "team=orders");
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "cost-center=cc-4711");
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            app.role().tags.iter().collect::<Vec<_>>(),
            [
                (&"team".to_string(), &"orders".to_string()),
                (&"cost-center".to_string(), &"cc-4711".to_string())
            ]
        );
        // The new row moved down by the two rows added.
        let new_tag = app.deployment_fields().new_tag();
        assert_eq!(app.role_form().focus, new_tag);

        // AWS's own prefix is refused, said as typed; Enter does not take it.
        type_text(&mut app, "aws:createdBy=me");
        let e = error_of(&app, new_tag).unwrap_or_default();
        assert!(e.contains("reserves"), "{e}");
        insta::assert_snapshot!(format!("deploy_tag_aws_prefix_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.role().tags.len(), 2, "refused");
        assert!(!app.role().tags.contains_key("aws:createdBy"));
        // A key that differs only in case from one there.
        clear_field(&mut app);
        type_text(&mut app, "Team=payments");
        let e = error_of(&app, new_tag).unwrap_or_default();
        assert!(e.contains("differ only in case"), "{e}");
        clear_field(&mut app);

        let json = ExportFormat::Json.render(&app.role().to_documents());
        assert!(json.contains(r#""Key": "cost-center""#), "{json}");
        let tf = ExportFormat::Terraform.render(&app.role().to_documents());
        assert!(tf.contains("cost-center") && tf.contains("tags"), "{tf}");

        // Remove the first tag: empty its row, Enter.
        let first = app.deployment_fields().tag(0);
        focus_role_field(&mut app, first);
        clear_field(&mut app);
        assert!(!app.role().tags.contains_key("team"));
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.role().tags.keys().collect::<Vec<_>>(), ["cost-center"]);
        assert_eq!(app.deployment_fields().tag_rows.len(), 1);
        insta::assert_snapshot!(format!("deploy_tag_removed_{w}x{h}"), screen_text(&app));

        // Undo brings it back, and the rows follow.
        ctrl(&mut app, 'z');
        assert_eq!(app.role().tags.len(), 2);
        assert_eq!(app.deployment_fields().tag_rows.len(), 2);
        let saved = save_and_reload(&mut app);
        assert!(saved.contains("[tags]\nteam = \"orders\""), "{saved}");
    }
}

#[test]
fn an_ec2_role_has_an_instance_profile_by_default_and_a_policy_can_be_created() {
    for (w, h) in SIZES {
        let mut app = app(role(EC2), w, h);
        let part = app.deployment_fields().clone();
        focus_role_field(&mut app, part.instance_profile());
        let field = &app.role_form().fields[part.instance_profile()];
        assert!(field.is_on(), "on by default for EC2");
        assert!(
            field
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("on by default")),
            "{:?}",
            field.hint
        );
        assert_eq!(
            app.role().instance_profile,
            None,
            "the default is not written"
        );
        let docs = app.role().to_documents();
        assert_eq!(
            docs.instance_profile.as_ref().map(|p| p.name.as_str()),
            Some("app-server")
        );
        insta::assert_snapshot!(
            format!("deploy_instance_profile_{w}x{h}"),
            screen_text(&app)
        );

        // Off, then on again: only the difference from the default is written.
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(app.role().instance_profile, Some(false));
        assert!(app.role().to_documents().instance_profile.is_none());
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(app.role().instance_profile, None);

        // read-config as its own customer managed policy.
        focus_role_field(&mut app, part.policy(0));
        press(&mut app, KeyCode::Char(' '));
        assert!(app.role().policies[0].create);
        let docs = app.role().to_documents();
        assert!(
            docs.attached_policy_arns()
                .any(|a| a == "arn:aws:iam::123456789012:policy/read-config"),
            "attached"
        );
        let cfn = ExportFormat::CloudFormationYaml.render(&docs);
        assert!(
            cfn.contains("AWS::IAM::ManagedPolicy") && cfn.contains("AWS::IAM::InstanceProfile"),
            "{cfn}"
        );
        insta::assert_snapshot!(format!("deploy_created_policy_{w}x{h}"), screen_text(&app));
        let saved = save_and_reload(&mut app);
        assert!(saved.contains("create = true"), "{saved}");
        // A toggle is one undo step.
        ctrl(&mut app, 'z');
        assert!(!app.role().policies[0].create);
    }
}

#[test]
fn a_customer_managed_policy_is_attached_by_arn_with_the_roles_account() {
    for (w, h) in SIZES {
        let mut app = app(role(LAMBDA), w, h);
        open_step(&mut app, '4');
        assert_eq!(app.step(), Step::Managed);
        press(&mut app, KeyCode::Char('a'));
        assert_eq!(
            app.custom_managed_form().map(|f| f.value(0)),
            Some("arn:aws:iam::${Account}:policy/")
        );
        // A wrong account is said as typed.
        clear_field(&mut app);
        type_text(&mut app, "arn:aws:iam::12345:policy/x");
        let error = |app: &Driver| app.custom_managed_form().unwrap().fields[0].error.clone();
        assert!(
            error(&app).is_some_and(|e| e.contains("not an account")),
            "{:?}",
            error(&app)
        );
        press(&mut app, KeyCode::Enter);
        assert!(app.role().managed_policies.is_empty(), "refused");
        clear_field(&mut app);
        type_text(
            &mut app,
            "arn:aws:iam::${Account}:policy/platform/LogShipping",
        );
        assert_eq!(error(&app), None);
        insta::assert_snapshot!(format!("deploy_customer_arn_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            app.role().managed_policies,
            ["arn:aws:iam::${Account}:policy/platform/LogShipping"]
        );
        let docs = app.role().to_documents();
        assert_eq!(
            docs.attached_policy_arns().collect::<Vec<_>>(),
            ["arn:aws:iam::123456789012:policy/platform/LogShipping"]
        );
        let cli = ExportFormat::Cli.render(&docs);
        assert!(
            cli.contains("arn:aws:iam::123456789012:policy/platform/LogShipping"),
            "{cli}"
        );
        insta::assert_snapshot!(
            format!("deploy_customer_attached_{w}x{h}"),
            screen_text(&app)
        );
        let saved = save_and_reload(&mut app);
        assert!(saved.contains("policy/platform/LogShipping"), "{saved}");
        press(&mut app, KeyCode::Char('u'));
        assert!(app.role().managed_policies.is_empty(), "undone");
    }
}

#[test]
fn an_iam_role_of_the_account_may_assume_the_role() {
    for (w, h) in SIZES {
        let mut app = app(role(LAMBDA), w, h);
        open_step(&mut app, '2');
        // The last tab: one step left of the first.
        press(&mut app, KeyCode::Left);
        assert_eq!(app.trust_kind(), TrustKind::Identities);
        insta::assert_snapshot!(
            format!("deploy_trust_identities_{w}x{h}"),
            screen_text(&app)
        );
        // "+ Add an IAM role": the account is the role's; a name with a space is refused.
        press(&mut app, KeyCode::Enter);
        let form = |app: &Driver| app.trust_form().cloned().unwrap();
        assert_eq!(form(&app).value(0), "123456789012");
        press(&mut app, KeyCode::Down);
        type_text(&mut app, "platform operator");
        press(&mut app, KeyCode::Enter);
        let e = form(&app).fields[1].error.clone().unwrap_or_default();
        assert!(e.contains("not an IAM role name"), "{e}");
        assert!(app.role().trust.roles.is_empty());
        clear_field(&mut app);
        type_text(&mut app, "platform-operator");
        insta::assert_snapshot!(format!("deploy_trust_role_form_{w}x{h}"), screen_text(&app));
        press(&mut app, KeyCode::Enter);
        assert!(app.trust_form().is_none(), "added");
        assert_eq!(app.role().trust.roles, ["platform-operator"]);
        let trust = app.role().to_documents().trust.to_compact_json();
        assert!(
            trust.contains(r#""AWS":"arn:aws:iam::123456789012:role/platform-operator""#),
            "{trust}"
        );
        insta::assert_snapshot!(
            format!("deploy_trust_role_added_{w}x{h}"),
            screen_text(&app)
        );
        let saved = save_and_reload(&mut app);
        assert!(saved.contains("roles = [\"platform-operator\"]"), "{saved}");
        // A user of another account by ARN, then removed with d.
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Down);
        type_text(&mut app, "arn:aws:iam::111122223333:user/alice");
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            app.role().trust.users,
            ["arn:aws:iam::111122223333:user/alice"]
        );
        // The selection stayed on row 2, now "+ Add an IAM role"; the user is row 1.
        press(&mut app, KeyCode::Up);
        press(&mut app, KeyCode::Char('d'));
        assert!(app.role().trust.users.is_empty(), "removed");
        press(&mut app, KeyCode::Char('u'));
        assert_eq!(app.role().trust.users.len(), 1, "undone");
    }
}

#[test]
fn a_github_role_can_create_its_oidc_provider() {
    for (w, h) in SIZES {
        let mut app = app(role(GITHUB), w, h);
        open_step(&mut app, '2');
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        assert_eq!(app.trust_kind(), TrustKind::Github);
        // Rows: the entry, "+ Add a GitHub repository", the toggle.
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char(' '));
        assert!(app.role().trust.create_oidc_provider);
        let docs = app.role().to_documents();
        assert_eq!(docs.oidc_providers.len(), 1);
        assert_eq!(
            docs.oidc_providers[0].arn,
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        );
        let tf = ExportFormat::Terraform.render(&docs);
        assert!(tf.contains("aws_iam_openid_connect_provider"), "{tf}");
        insta::assert_snapshot!(
            format!("deploy_trust_oidc_provider_{w}x{h}"),
            screen_text(&app)
        );
        let saved = save_and_reload(&mut app);
        assert!(saved.contains("create_oidc_provider = true"), "{saved}");
        press(&mut app, KeyCode::Char('u'));
        assert!(!app.role().trust.create_oidc_provider, "undone");
    }
}

#[test]
fn trusting_ec2_on_the_trust_step_turns_the_instance_profile_on_in_the_role_step() {
    let mut app = app(role(LAMBDA), 120, 40);
    let part = app.deployment_fields().clone();
    assert!(!app.role_form().fields[part.instance_profile()].is_on());
    open_step(&mut app, '2');
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "ec2.amazonaws.com");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));
    assert!(
        app.role()
            .trust
            .services
            .iter()
            .any(|s| s == "ec2.amazonaws.com")
    );
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.step(), Step::Role);
    // Drawn as it is now, before any key reaches the step.
    let screen = screen_text(&app);
    assert!(screen.contains("Inst. profile   [x]"), "{screen}");
    focus_role_field(&mut app, part.instance_profile());
    let field = &app.role_form().fields[part.instance_profile()];
    assert!(field.is_on());
    assert!(
        field
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("EC2 is trusted")),
        "{:?}",
        field.hint
    );
    assert!(app.role().to_documents().instance_profile.is_some());
}
