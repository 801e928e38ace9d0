//! The role keys teams deploy with (permissions boundary, tags, created and customer managed
//! policies, role principals, instance profile, OIDC provider) go from the role file into
//! the model and out through every export; roles without them export as before.

use std::path::Path;

use rolesmith::export::ExportFormat;
use rolesmith::role::import::{Opened, open_text};
use rolesmith::role::{RoleDocuments, RoleSpec, load_role_file, parse_role_text};
use serde_json::{Value, json};

const EXAMPLE: &str = "examples/platform-app-server.toml";
const BOUNDARY_ARN: &str = "arn:aws:iam::123456789012:policy/boundaries/orders-boundary";
const CREATED_ARN: &str = "arn:aws:iam::123456789012:policy/orders-queue-consumer";

fn example() -> (RoleSpec, RoleDocuments) {
    let spec = load_role_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)).unwrap();
    let docs = spec.to_documents();
    (spec, docs)
}

#[test]
fn the_model_resolves_every_key() {
    let (spec, docs) = example();
    assert_eq!(docs.permissions_boundary.as_deref(), Some(BOUNDARY_ARN));
    assert_eq!(docs.tags.len(), 4);
    assert_eq!(
        docs.instance_profile
            .as_ref()
            .map(|p| (p.name.as_str(), p.path.as_deref())),
        Some(("orders-app-server", Some("/apps/orders/")))
    );
    assert_eq!(docs.oidc_providers.len(), 1);
    assert_eq!(docs.oidc_providers[0].client_ids, ["sts.amazonaws.com"]);
    let attached: Vec<&str> = docs.attached_policy_arns().collect();
    assert_eq!(
        attached,
        [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::123456789012:policy/platform/LogShipping",
            CREATED_ARN,
        ],
        "the boundary is not attached"
    );
    let trust = docs.trust.to_compact_json();
    assert!(
        trust.contains(r#"{"AWS":"arn:aws:iam::123456789012:role/platform-operator"}"#),
        "{trust}"
    );
    // Saving the role keeps every key.
    let saved = spec.to_toml().unwrap();
    assert_eq!(
        parse_role_text("saved.toml", &saved).unwrap(),
        spec,
        "{saved}"
    );
}

#[test]
fn render_json_is_role_properties_with_boundary_and_tags() {
    let (_, docs) = example();
    let v: Value = serde_json::from_str(&ExportFormat::Json.render(&docs)).unwrap();
    assert_eq!(v["PermissionsBoundary"], BOUNDARY_ARN);
    assert_eq!(v["Tags"][0], json!({"Key": "team", "Value": "orders"}));
    assert_eq!(v["ManagedPolicyArns"][2], CREATED_ARN);
    let inline: Vec<&str> = v["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyName"].as_str().unwrap())
        .collect();
    assert_eq!(
        inline,
        ["orders-documents"],
        "created policies are not inline"
    );
    // Opening that JSON again brings the boundary and the tags back.
    let opened = open_text("role.json", &ExportFormat::Json.render(&docs), "p").unwrap();
    let Opened::Role(spec) = opened.opened else {
        panic!("a role")
    };
    assert_eq!(spec.permissions_boundary.as_deref(), Some(BOUNDARY_ARN));
    assert_eq!(spec.tags.len(), 4);
}

#[test]
fn console_names_what_else_to_create() {
    let (_, docs) = example();
    let text = ExportFormat::Console.render(&docs);
    for part in [
        "# Customer managed policy orders-boundary to create as the permissions boundary",
        "# Customer managed policy orders-queue-consumer to create and attach",
        "# Permissions boundary\narn:aws:iam::123456789012:policy/boundaries/orders-boundary\n",
        "cost-center = cc-4711\n",
        "/apps/orders/orders-app-server\n",
        "https://token.actions.githubusercontent.com sts.amazonaws.com\n",
    ] {
        assert!(text.contains(part), "{part:?} missing in\n{text}");
    }
}

#[test]
fn the_cli_script_creates_everything_around_the_role() {
    let (_, docs) = example();
    let script = ExportFormat::Cli.render(&docs);
    for part in [
        "aws iam create-open-id-connect-provider",
        "aws iam create-policy \\\n    --policy-name 'orders-boundary'",
        "aws iam create-policy \\\n    --policy-name 'orders-queue-consumer'",
        "--permissions-boundary 'arn:aws:iam::123456789012:policy/boundaries/orders-boundary'",
        "aws iam put-role-permissions-boundary",
        "aws iam tag-role",
        "aws iam create-instance-profile",
        "aws iam add-role-to-instance-profile",
    ] {
        assert!(script.contains(part), "{part:?} missing");
    }
    assert!(
        !script.contains("--thumbprint-list"),
        "AWS needs no thumbprint"
    );
    let provider = script.find("create-open-id-connect-provider").unwrap();
    let role = script.find("aws iam create-role").unwrap();
    assert!(provider < role, "IAM checks the trust's provider exists");
}

fn resources_of(template: &Value) -> Vec<(&str, &Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, r)| (id.as_str(), r))
        .collect()
}

#[test]
fn cloudformation_has_a_resource_for_each_and_refs_to_them() {
    let (_, docs) = example();
    let template: Value =
        serde_json::from_str(&ExportFormat::CloudFormationJson.render(&docs)).unwrap();
    let resources = resources_of(&template);
    let types: Vec<&str> = resources
        .iter()
        .map(|(_, r)| r["Type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "AWS::IAM::OIDCProvider",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::Role",
            "AWS::IAM::InstanceProfile",
        ]
    );
    let (_, provider) = resources[0];
    assert!(provider["Properties"].get("ThumbprintList").is_none());
    let (role_id, role) = resources[3];
    assert_eq!(role["DependsOn"], json!(["GithubOidcProvider"]));
    assert_eq!(
        role["Properties"]["PermissionsBoundary"],
        json!({"Ref": "OrdersBoundaryPolicy"})
    );
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"][2],
        json!({"Ref": "OrdersQueueConsumerPolicy"})
    );
    assert_eq!(role["Properties"]["Tags"].as_array().unwrap().len(), 4);
    let (_, profile) = resources[4];
    assert_eq!(profile["Properties"]["Roles"], json!([{"Ref": role_id}]));
    assert_eq!(
        template["Outputs"]["InstanceProfileArn"]["Value"],
        json!({"Fn::GetAtt": ["OrdersAppServerInstanceProfile", "Arn"]})
    );

    let yaml = ExportFormat::CloudFormationYaml.render(&docs);
    for part in [
        "Type: AWS::IAM::OIDCProvider",
        "PermissionsBoundary:\n        Ref: OrdersBoundaryPolicy\n",
        "        - Ref: OrdersQueueConsumerPolicy\n",
        "Value: !GetAtt OrdersAppServerInstanceProfile.Arn\n",
    ] {
        assert!(yaml.contains(part), "{part:?} missing in\n{yaml}");
    }
}

#[test]
fn terraform_has_a_resource_for_each_and_references_them() {
    let (_, docs) = example();
    let tf = ExportFormat::Terraform.render(&docs);
    for part in [
        "resource \"aws_iam_openid_connect_provider\" \"github\" {",
        "resource \"aws_iam_policy\" \"orders_app_server_orders_boundary\" {",
        "permissions_boundary = aws_iam_policy.orders_app_server_orders_boundary.arn\n",
        "policy_arn = aws_iam_policy.orders_app_server_orders_queue_consumer.arn\n",
        "    \"cost-center\"         = \"cc-4711\"\n",
        "  depends_on = [aws_iam_openid_connect_provider.github]\n",
        "resource \"aws_iam_instance_profile\" \"orders_app_server\" {",
    ] {
        assert!(tf.contains(part), "{part:?} missing in\n{tf}");
    }
    assert!(!tf.contains("thumbprint"));
    assert_eq!(tf.matches("resource \"aws_iam_role_policy\" ").count(), 1);
}

#[test]
fn roles_without_the_new_keys_export_as_before() {
    let seed = rolesmith::role::load_role_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lambda-s3-writer.toml"),
    )
    .unwrap()
    .to_documents();
    let json = ExportFormat::Json.render(&seed);
    assert!(!json.contains("PermissionsBoundary") && !json.contains("Tags"));
    for format in [ExportFormat::CloudFormationYaml, ExportFormat::Terraform] {
        let text = format.render(&seed);
        assert!(!text.contains("InstanceProfile") && !text.contains("instance_profile"));
    }
    // An EC2 role gets its instance profile by default, unless told not to.
    let ec2 = "name = \"app\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n";
    let docs = parse_role_text("r.toml", ec2).unwrap().to_documents();
    assert!(docs.instance_profile.is_some());
    let off = format!("instance_profile = false\n{ec2}");
    let docs = parse_role_text("r.toml", &off).unwrap().to_documents();
    assert!(docs.instance_profile.is_none());
}
