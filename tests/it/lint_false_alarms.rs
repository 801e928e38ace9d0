//! Issue 13, items 1-10: false alarms that made experts stop trusting the lint, each with a
//! minimal document of our own that must lint without the finding (and, where it matters,
//! the document that must still get it).

use rolesmith::lint::input::Want;
use rolesmith::lint::{LintOptions, PolicyKind};

use crate::support::lint::{
    assert_no, codes, lint_statements, lint_statements_as, lint_text, lint_text_as, policy,
    with_code,
};

#[test]
fn item_1_a_policy_variable_with_a_slash_is_one_opaque_segment() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}-data/${aws:ResourceTag/x}/*"},
           {"Effect": "Allow", "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}-data"}"#,
    );
    assert_no(&f, "resource-mismatch");
    assert_no(&f, "invalid-arn");
    // A variable may stand for any text, so it is never judged; the literal ARN beside it
    // still is.
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": ["arn:aws:s3:::reports"]}"#,
    );
    with_code(&f, "resource-mismatch");
}

#[test]
fn item_2_a_colon_inside_a_policy_variable_does_not_split_the_arn() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::${aws:PrincipalAccount}:role/x"}"#,
    );
    assert_no(&f, "invalid-arn");
    assert_no(&f, "resource-mismatch");
}

#[test]
fn item_3_a_star_at_the_end_of_a_part_spans_colons() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*"},
           {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:*"}"#,
    );
    assert_no(&f, "invalid-arn");
    assert_no(&f, "resource-mismatch");
}

#[test]
fn item_4_aws_owned_resources_have_an_empty_account() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": ["arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ec2:eu-west-1:123456789012:instance/*"]},
           {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:*::parameter/aws/service/*"},
           {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": ["arn:aws:ec2:*::image/*", "arn:aws:ec2:eu-west-1:123456789012:*"]}"#,
    );
    assert_no(&f, "resource-mismatch");
    assert_no(&f, "invalid-arn");
}

#[test]
fn item_5_a_slash_inside_the_last_placeholder_partner_event_buses() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": ["events:DescribeEventBus", "events:PutEvents"], "Resource": "arn:aws:events:eu-west-1:123456789012:event-bus/aws.partner/saas.example/*"}"#,
    );
    assert_no(&f, "resource-mismatch");
}

#[test]
fn item_6_a_short_arn_ending_in_star_fits_the_types_of_its_service() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "cloudfront:CreateInvalidation", "Resource": "arn:aws:cloudfront::*"},
           {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::*"}"#,
    );
    assert_no(&f, "invalid-arn");
    assert_no(&f, "resource-mismatch");
}

#[test]
fn item_7_tag_session_and_source_identity_beside_assume_role_are_not_a_mismatch() {
    let trust = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "ci-7"}}},
           {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": ["sts:TagSession", "sts:SetSourceIdentity"]},
           {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}},
           {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:SetSourceIdentity"}"#,
    );
    let report = lint_text("trust.json", &trust);
    assert_eq!(report.kind, "trust");
    assert_no(&report.findings, "trust-action-mismatch");
    // A companion statement for a principal nobody lets assume the role is still wrong.
    let lonely = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:TagSession"}"#,
    );
    with_code(
        &lint_text("trust.json", &lonely).findings,
        "trust-action-mismatch",
    );
}

#[test]
fn item_8_condition_keys_are_not_applicable_only_when_the_reference_proves_it() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "Condition": {"StringEquals": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::reports", "aws:PrincipalTag/team": "data"},
                          "ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*"}}},
           {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
            "Condition": {"StringEquals": {"secretsmanager:ResourceTag/aws:secretsmanager:owningService": "rds"}}},
           {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
            "Condition": {"ArnLike": {"ec2:SourceInstanceARN": "arn:aws:ec2:eu-west-1:123456789012:instance/*", "lambda:SourceFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:f"}}}"#,
    );
    assert_no(&f, "condition-key-not-applicable");
    assert_no(&f, "condition-type-mismatch");
    // Proven: s3:x-amz-acl is an action-scoped key of s3 and s3:GetObject does not take it.
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "private"}}}"#,
    );
    with_code(&f, "condition-key-not-applicable");
}

#[test]
fn item_9_resource_policies_are_not_taken_for_trust_policies() {
    let bucket = policy(
        r#"{"Sid": "Allow reads from the analytics account", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]},
           {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
    );
    let report = lint_text("bucket-policy.json", &bucket);
    assert_eq!(report.kind, "resource");
    let found = codes(&report.findings);
    for code in [
        "trust-has-resource",
        "trust-action-mismatch",
        "trust-any-principal",
        "invalid-sid",
        "invalid-element",
        "action-wildcard",
    ] {
        assert!(!found.contains(&code), "{code} in {found:?}");
    }
    // A key policy: "*" is the key itself.
    let key = policy(
        r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#,
    );
    let report = lint_text("key-policy.json", &key);
    assert_eq!(report.kind, "resource");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    // A service control policy and a resource control policy.
    let scp = policy(
        r#"{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}"#,
    );
    assert_eq!(lint_text("scp.json", &scp).kind, "scp");
    let rcp = policy(
        r#"{"Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sqs:*"], "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}"#,
    );
    let report = lint_text("rcp.json", &rcp);
    assert_eq!(report.kind, "scp");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    // --kind forces a kind: FullAWSAccess is an SCP when said so, AdministratorAccess otherwise.
    let full = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;
    assert!(lint_statements_as(full, PolicyKind::Scp).is_empty());
    with_code(&lint_statements(full), "action-wildcard");
    let forced = lint_text_as(
        "b.json",
        &bucket,
        Want::Policy(PolicyKind::Trust),
        &LintOptions::default(),
    );
    assert_eq!(forced.kind, "trust");
    with_code(&forced.findings, "trust-has-resource");
}

#[test]
fn item_10_unknown_service_is_reported_once_per_service_with_a_count() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": ["nosuchsvc:Get", "nosuchsvc:Put", "nosuchsvc:List*"], "Resource": "*"},
           {"Effect": "Allow", "Action": "nosuchsvc:Delete", "Resource": "*"}"#,
    );
    let hits = with_code(&f, "unknown-service");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(hits[0].message.contains("4 actions"), "{}", hits[0].message);
}

#[test]
fn item_10_pass_role_on_star_limited_by_passed_to_service_is_not_flagged() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}"#,
    );
    assert_no(&f, "pass-role-wildcard");
    with_code(
        &lint_statements(r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#),
        "pass-role-wildcard",
    );
}

#[test]
fn item_10_privilege_escalation_looks_at_the_pass_role_resource_and_service() {
    // iam:PassRole on one named role: not a path to any role's permissions.
    let one_role = lint_statements(
        r#"{"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "arn:aws:iam::123456789012:role/app-task"},
           {"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:RunTask"], "Resource": "*"}"#,
    );
    assert_no(&one_role, "privilege-escalation");
    // On any role but only to Lambda: the ECS path is not completed...
    let to_lambda = lint_statements(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
           {"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:RunTask"], "Resource": "*"}"#,
    );
    assert_no(&to_lambda, "privilege-escalation");
    // ...while on any role to anyone it is.
    let anyone = lint_statements(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
           {"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:RunTask"], "Resource": "*"}"#,
    );
    with_code(&anyone, "privilege-escalation");
    // Managing one's own access keys is not acting as another user.
    let own_keys = lint_statements(
        r#"{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:UpdateLoginProfile"], "Resource": "arn:aws:iam::*:user/${aws:username}"}"#,
    );
    assert_no(&own_keys, "privilege-escalation");
    let any_user = lint_statements(
        r#"{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::123456789012:user/*"}"#,
    );
    with_code(&any_user, "privilege-escalation");
}

#[test]
fn item_10_cross_account_says_it_depends_on_the_roles_own_account() {
    let trust = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}"#,
    );
    let report = lint_text("trust.json", &trust);
    let f = with_code(&report.findings, "trust-cross-account");
    assert!(
        f[0].message.contains("if it is not the role's own account"),
        "{}",
        f[0].message
    );
    // With the role's account known, that account is not another one.
    let role = "name = \"ops\"\naccount = \"111122223333\"\n[trust]\naccounts = [{ id = \"111122223333\" }]\n";
    assert_no(
        &lint_text("role.toml", role).findings,
        "trust-cross-account",
    );
}

#[test]
fn item_10_policy_too_large_does_not_hold_aws_managed_policies_to_the_customer_quota() {
    let actions: Vec<String> = (0..700)
        .map(|i| format!("\"s3:GetObject{i:04}x\""))
        .collect();
    let big = policy(&format!(
        r#"{{"Effect": "Deny", "Action": [{}], "Resource": "*"}}"#,
        actions.join(", ")
    ));
    let as_policy_version = format!(
        r#"{{"PolicyVersion": {{"Document": {big}, "VersionId": "v3", "IsDefaultVersion": true, "CreateDate": "2026-01-01T00:00:00Z"}}}}"#
    );
    // Named after an AWS managed policy: AWS's own, sized by AWS.
    let aws = lint_text("ReadOnlyAccess.json", &as_policy_version);
    assert_no(&aws.findings, "policy-too-large");
    // The same document of a customer is over 6,144 (or 5,120 as an SCP, its kind).
    let mine = lint_text("my-policy.json", &as_policy_version);
    with_code(&mine.findings, "policy-too-large");
}

#[test]
fn item_10_confused_deputy_advice_only_for_services_aws_documents() {
    let trust = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "glue.amazonaws.com", "apigateway.amazonaws.com", "backup.amazonaws.com"]}, "Action": "sts:AssumeRole"}"#,
    );
    assert_no(
        &lint_text("trust.json", &trust).findings,
        "trust-confused-deputy",
    );
    let scheduler = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    with_code(
        &lint_text("trust.json", &scheduler).findings,
        "trust-confused-deputy",
    );
}
