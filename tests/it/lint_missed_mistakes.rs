//! Issue 13, items 11-14 and 18 (and issue 12, items 8-9): mistakes that used to pass and
//! cause AccessDenied or a failed deployment, each with a minimal document of our own.

use rolesmith::lint::LintOptions;
use rolesmith::lint::input::Want;

use crate::support::lint::{
    assert_no, codes, lint_statements, lint_text, lint_text_as, policy, with_code,
};

#[test]
fn item_11_a_managed_policy_arn_without_its_path_is_an_error_with_the_right_arn() {
    let role = "name = \"thumbnailer\"\nmanaged_policies = [\"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole\", \"arn:aws:iam::aws:policy/amazons3readonlyaccess\", \"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess\", \"arn:aws:iam::123456789012:policy/team/Custom\", \"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"]\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n";
    let report = lint_text("role.toml", role);
    assert!(report.error.is_none(), "{:?}", report.error);
    let hits = with_code(&report.findings, "unknown-managed-policy");
    assert_eq!(hits.len(), 3, "{hits:#?}");
    assert!(
        hits[0]
            .message
            .contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
        "{}",
        hits[0].message
    );
    assert_eq!(hits[0].location.pointer, "/ManagedPolicyArns/0");
    assert_eq!(hits[0].location.line, Some(2));
    assert!(
        hits[1].message.contains("policy/AmazonS3ReadOnlyAccess"),
        "case: {}",
        hits[1].message
    );
    assert!(
        hits[2].message.contains("did you mean"),
        "typo: {}",
        hits[2].message
    );
    // A role file may name any AWS managed policy, not only the curated ones.
    let named = "name = \"f\"\nmanaged_policies = [\"AWSLambdaMSKExecutionRole\"]\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n";
    let report = lint_text("role.toml", named);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_no(&report.findings, "unknown-managed-policy");
}

#[test]
fn item_12_a_secret_without_its_random_suffix_never_matches() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds"}"#,
    );
    let hit = with_code(&f, "resource-never-matches");
    let fix = hit[0].fix.as_ref().expect("a fix");
    assert!(
        fix.description.contains("secret:db-creds-??????"),
        "{}",
        fix.description
    );
    assert_no(
        &lint_statements(
            r#"{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds-??????"}"#,
        ),
        "resource-never-matches",
    );
}

#[test]
fn item_12_an_ssm_parameter_with_a_double_slash_never_matches() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "ssm:GetParametersByPath", "Resource": "arn:aws:ssm:eu-west-1:123456789012:parameter//app"}"#,
    );
    let hit = with_code(&f, "resource-never-matches");
    assert!(
        hit[0]
            .message
            .contains("arn:aws:ssm:eu-west-1:123456789012:parameter/app"),
        "{}",
        hit[0].message
    );
}

#[test]
fn item_12_bucket_names_no_bucket_can_have_never_match() {
    for bad in [
        "arn:aws:s3:::My-Reports/*",
        "arn:aws:s3:::team_reports",
        "arn:aws:s3:::reports..2024",
        "arn:aws:s3:::-reports",
    ] {
        let f = lint_statements(&format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "{bad}"}}"#
        ));
        with_code(&f, "resource-never-matches");
    }
    // Patterns with upper case are how AWS covers buckets made before 2018: not judged.
    assert_no(
        &lint_statements(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*SageMaker*/*"}"#,
        ),
        "resource-never-matches",
    );
}

#[test]
fn item_12_a_region_that_does_not_exist_names_the_nearest() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-wst-1:123456789012:orders"}"#,
    );
    let hit = with_code(&f, "invalid-arn");
    assert!(
        hit[0].message.contains("did you mean eu-west-1?"),
        "{}",
        hit[0].message
    );
    assert!(hit[0].fix.is_some());
    // A region of another partition.
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:cn-north-1:123456789012:orders"}"#,
    );
    assert!(with_code(&f, "invalid-arn")[0].message.contains("aws-cn"));
}

#[test]
fn item_12_an_account_id_that_is_not_12_digits_is_invalid() {
    let f = lint_statements(
        r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:12345678901:orders"}"#,
    );
    assert!(with_code(&f, "invalid-arn")[0].message.contains("12-digit"));
}

#[test]
fn item_13_duplicate_json_keys_are_an_error_naming_both_positions() {
    // Two Statement keys: serde would keep the last and hide the s3:* one.
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}],\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}\n";
    let report = lint_text("p.json", text);
    assert_eq!(codes(&report.findings), ["json-syntax"]);
    let f = &report.findings[0];
    assert_eq!((f.location.line, f.location.column), (Some(4), Some(3)));
    assert!(
        f.message.contains("first at line 3, column 3"),
        "{}",
        f.message
    );
}

#[test]
fn issue_12_item_9_duplicate_keys_are_refused_in_every_json_read() {
    use rolesmith::role::import::open_text;
    use rolesmith::role::parse_role_text;
    let dup_condition = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333", "aws:SourceAccount": "444455556666"}}}]}"#;
    // The TUI's open (a trust policy), a JSON role file, get-role output, CloudFormation JSON.
    let err = open_text("t.json", dup_condition, "p")
        .unwrap_err()
        .to_string();
    assert!(err.contains("duplicate key \"aws:SourceAccount\""), "{err}");
    let role = r#"{"name": "r", "name": "s", "trust": {"services": ["ec2.amazonaws.com"]}}"#;
    let err = parse_role_text("r.json", role).unwrap_err().to_string();
    assert!(err.contains("duplicate key \"name\""), "{err}");
    let get_role = r#"{"Role": {"RoleName": "r", "RoleName": "s", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}}"#;
    assert!(lint_text("get-role.json", get_role).findings[0].code == "json-syntax");
    let cfn = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Type": "AWS::S3::Bucket"}}}"#;
    assert_eq!(codes(&lint_text("t.json", cfn).findings), ["json-syntax"]);
    // A URL-encoded document inside get-role output is read strictly too.
    let encoded = r#"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}}"#;
    let report = lint_text("get-role.json", encoded);
    let err = report.error.expect("refused").to_string();
    assert!(err.contains("duplicate key"), "{err}");
}

#[test]
fn issue_12_item_8_an_escape_fails_the_character_check_as_the_raw_character_does() {
    let raw = policy(
        "{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambd\u{0430}.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}",
    );
    let escaped = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "lambd\u0430.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    let a = lint_text("raw.json", &raw);
    let b = lint_text("escaped.json", &escaped);
    let fa = with_code(&a.findings, "invalid-element");
    let fb = with_code(&b.findings, "invalid-element");
    assert!(fa[0].message.contains("U+0430") && fb[0].message.contains("U+0430"));
    assert!(
        fb[0].message.contains("written \\u0430"),
        "{}",
        fb[0].message
    );
    assert_eq!(fa[0].location.line, fb[0].location.line);
    // An escaped backslash before "u" is not an escape of a character.
    let fine = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/a\\u0430"}"#,
    );
    assert_no(&lint_text("fine.json", &fine).findings, "invalid-element");
    // Role files have no JSON text of their own policies: their strings are checked too.
    let role = "name = \"r\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n[[policy]]\nname = \"p\"\n[[policy.statement]]\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::b\u{0441}/*\"]\n";
    with_code(&lint_text("role.toml", role).findings, "invalid-element");
}

const TEMPLATE_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BucketName:
    Type: String
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref BucketName
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-fn"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: !Sub "lambda.${AWS::URLSuffix}"
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: write-uploads
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:PutObject
                Resource: !Sub "arn:${AWS::Partition}:s3:::${Uploads}/*"
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
              - Effect: Allow
                Action: s3:ListBucket
                Resource: !Sub "arn:aws:s3:::${Uploads}/*"
  Queue:
    Type: AWS::SQS::Queue
  UploadsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Uploads
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Deny insecure transport
            Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: !Sub "arn:aws:s3:::${Uploads}/*"
            Condition:
              Bool:
                aws:SecureTransport: "false"
"#;

#[test]
fn item_14_cloudformation_templates_are_linted_with_intrinsics_as_placeholders() {
    let report = lint_text("template.yaml", TEMPLATE_YAML);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.kind, "role");
    let f = &report.findings;
    // The managed policy ARN without its path, at its place in the template.
    let m = with_code(f, "unknown-managed-policy");
    assert_eq!(
        m[0].location.pointer,
        "/Resources/FnRole/Properties/ManagedPolicyArns/0"
    );
    // YAML positions too: the line of the ARN in the template.
    assert_eq!(
        (m[0].location.line, m[0].location.column),
        (Some(25), Some(11))
    );
    // The bucket-level action on objects is the only mismatch: ${Uploads}/* fits objects,
    // ${Queue.Arn} may be any ARN.
    let mismatch = with_code(f, "resource-mismatch");
    assert_eq!(mismatch.len(), 1, "{mismatch:#?}");
    assert!(mismatch[0].message.contains("s3:ListBucket"));
    assert_eq!(
        mismatch[0].location.pointer,
        "/Resources/FnRole/Properties/Policies/0/PolicyDocument/Statement/2/Resource"
    );
    // The trust pins aws:SourceAccount; the bucket policy is a resource policy (its Sid
    // with spaces is fine there) and no trust rule applies to it.
    for code in [
        "trust-confused-deputy",
        "invalid-arn",
        "invalid-sid",
        "trust-has-resource",
    ] {
        assert_no(f, code);
    }
}

#[test]
fn item_14_cloudformation_json_templates_attach_template_policies_to_their_roles() {
    let template = r#"{
  "Resources": {
    "FnRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      }
    },
    "Logs": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "logs",
        "Roles": [{"Ref": "FnRole"}],
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/fn:*"}},
          {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports"}
        ]}
      }
    },
    "Shared": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Fn::Join": ["", ["arn:aws:secretsmanager:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":secret:db"]]}}]}
      }
    }
  }
}
"#;
    let report = lint_text("template.json", template);
    assert!(report.error.is_none(), "{:?}", report.error);
    let f = &report.findings;
    // The logs come from the attached AWS::IAM::Policy.
    assert_no(f, "missing-logs-permissions");
    let m = with_code(f, "resource-mismatch");
    assert_eq!(
        m[0].location.pointer,
        "/Resources/Logs/Properties/PolicyDocument/Statement/1/Resource"
    );
    assert_eq!(m[0].location.line, Some(16));
    // The managed policy of the template is linted on its own: its secret lacks the suffix.
    let s = with_code(f, "resource-never-matches");
    assert_eq!(
        s[0].location.pointer,
        "/Resources/Shared/Properties/PolicyDocument/Statement/0/Resource"
    );
}

#[test]
fn item_14_aws_iam_get_role_and_get_role_policy_output_are_recognised() {
    let get_role = r#"{"Role": {"Path": "/", "RoleName": "app", "RoleId": "AROAEXAMPLE", "Arn": "arn:aws:iam::123456789012:role/app", "CreateDate": "2026-01-01T00:00:00Z",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
      "MaxSessionDuration": 3600, "RoleLastUsed": {}}}"#;
    let report = lint_text("get-role.json", get_role);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.kind, "role");
    let x = with_code(&report.findings, "trust-cross-account");
    assert_eq!(
        x[0].location.pointer,
        "/Role/AssumeRolePolicyDocument/Statement/0/Principal"
    );
    let get_role_policy = r#"{"RoleName": "app", "PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports"}]}}"#;
    let report = lint_text("get-role-policy.json", get_role_policy);
    assert_eq!(report.kind, "identity");
    let m = with_code(&report.findings, "resource-mismatch");
    assert_eq!(
        m[0].location.pointer,
        "/PolicyDocument/Statement/0/Resource"
    );
    assert_eq!(m[0].location.line, Some(1));
}

#[test]
fn item_18_role_file_ignores_take_code_equals_reason_and_reject_typos() {
    let role = "name = \"r\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n[[policy]]\nname = \"p\"\n[[policy.statement]]\nactions = [\"s3:PutObjectAcl\"]\nresources = [\"arn:aws:s3:::b/*\"]\n[lint]\nignore = [\"permissions-management=the consumer needs ACLs\"]\n";
    let report = lint_text("role.toml", role);
    assert!(report.error.is_none(), "{:?}", report.error);
    let pm = with_code(&report.findings, "permissions-management");
    assert_eq!(pm[0].ignored.as_deref(), Some("the consumer needs ACLs"));
    let typo = role.replace("permissions-management=", "permission-management=");
    let report = lint_text("role.toml", &typo);
    let err = report.error.expect("a typo'd code is an error").to_string();
    assert!(err.contains("role.toml:10:"), "{err}");
    assert!(err.contains("permission-management"), "{err}");
    // In a statement's own ignore list too.
    let in_statement = role.replace(
        "resources = [\"arn:aws:s3:::b/*\"]\n",
        "resources = [\"arn:aws:s3:::b/*\"]\nignore = [\"no-such-code\"]\n",
    );
    assert!(lint_text("role.toml", &in_statement).error.is_some());
}

#[test]
fn role_kind_forced_on_a_policy_is_an_input_error() {
    let report = lint_text_as(
        "p.json",
        &policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        Want::Role,
        &LintOptions::default(),
    );
    assert!(report.error.is_some());
}
