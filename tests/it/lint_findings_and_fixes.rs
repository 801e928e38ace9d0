//! The seed's acceptance (issue 4) through the public API: the Lambda→S3 writer role, the
//! classic bucket-vs-objects mistake and its fix, `s3:*` on `*`, the wrong trusted service,
//! plus fixes, suppressions and the wildcard semantics.

use rolesmith::catalog::Catalog;
use rolesmith::lint::testing::mini_catalog;
use rolesmith::lint::{
    DocumentRef, Finding, LintOptions, PolicyKind, Severity, lint_document, lint_policy_text,
    lint_role,
};
use rolesmith::policy::PolicyDocument;
use rolesmith::role::parse_role_text;

const SEED_ROLE: &str = include_str!("../../examples/lambda-s3-writer.toml");

fn lint(text: &str, kind: PolicyKind) -> Vec<Finding> {
    lint_policy_text(
        "p.json",
        text,
        kind,
        Catalog::embedded(),
        &LintOptions::default(),
    )
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn at_least_warnings(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect()
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

#[test]
fn seed_trust_policy_has_no_error_or_warning() {
    let role = parse_role_text("seed.toml", SEED_ROLE).unwrap();
    let trust = role.trust_document().to_pretty_json();
    let findings = lint(&trust, PolicyKind::Trust);
    assert!(at_least_warnings(&findings).is_empty(), "{findings:#?}");
}

#[test]
fn seed_permission_policy_gives_exactly_one_warning_for_put_object_acl() {
    let role = parse_role_text("seed.toml", SEED_ROLE).unwrap();
    let docs = role.to_documents();
    let text = docs.policies[0].document.to_pretty_json();
    let findings = lint(&text, PolicyKind::Identity);
    let warnings = at_least_warnings(&findings);
    assert_eq!(warnings.len(), 1, "{findings:#?}");
    assert_eq!(warnings[0].code, "permissions-management");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert!(warnings[0].message.contains("s3:PutObjectAcl"));
    assert_eq!(warnings[0].location.pointer, "/Statement/0/Action/1");
    let why = rolesmith::lint::explain::lookup("permissions-management").unwrap();
    assert!(why.why.contains("public"));
    // The role as a whole: the same single warning.
    let role_findings = lint_role(&role, Catalog::embedded());
    let role_warnings = at_least_warnings(&role_findings);
    assert_eq!(role_warnings.len(), 1, "{role_findings:#?}");
    assert_eq!(role_warnings[0].location.document, DocumentRef::Inline(0));
}

#[test]
fn put_object_on_the_bucket_is_a_mismatch_fixed_to_the_objects() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    let f = findings
        .iter()
        .find(|f| f.code == "resource-mismatch")
        .expect("resource-mismatch");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("arn:aws:s3:::my-bucket/*"),
        "{}",
        f.message
    );
    assert_eq!(f.location.pointer, "/Statement/0/Resource");
    let column = text.find("\"arn:aws:s3:::my-bucket\"").unwrap() + 1;
    assert_eq!(
        (f.location.line, f.location.column),
        (Some(1), Some(column))
    );
    let fix = f.fix.as_ref().expect("a fix");
    let mut doc: PolicyDocument = serde_json::from_str(&text).unwrap();
    fix.apply(&mut doc).unwrap();
    assert_eq!(
        doc.statements()[0].resources(),
        ["arn:aws:s3:::my-bucket/*"]
    );
    let again = lint_document(&doc, PolicyKind::Identity, Catalog::embedded(), None);
    assert!(!codes(&again).contains(&"resource-mismatch"), "{again:#?}");
}

#[test]
fn bucket_and_object_actions_sharing_a_statement_are_split() {
    let text = policy(
        r#"{"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::my-bucket"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    let f = findings
        .iter()
        .find(|f| f.code == "resource-mismatch")
        .unwrap();
    assert!(f.message.contains("s3:GetObject"));
    let mut doc: PolicyDocument = serde_json::from_str(&text).unwrap();
    f.fix.as_ref().unwrap().apply(&mut doc).unwrap();
    assert_eq!(
        doc.to_compact_json(),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read1","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-bucket"},{"Sid":"Read2","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}"#
    );
    let again = lint_document(&doc, PolicyKind::Identity, Catalog::embedded(), None);
    assert!(!codes(&again).contains(&"resource-mismatch"), "{again:#?}");
}

#[test]
fn s3_star_on_star_is_counted_and_flagged() {
    let text = policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#);
    let findings = lint(&text, PolicyKind::Identity);
    let c = codes(&findings);
    assert!(c.contains(&"action-wildcard"), "{c:?}");
    assert!(c.contains(&"resource-wildcard"), "{c:?}");
    let s3 = Catalog::embedded().service("s3").unwrap();
    let total = s3.actions.len();
    let pm = s3
        .actions
        .values()
        .filter(|a| a.access == rolesmith::catalog::AccessLevel::PermissionsManagement)
        .count();
    let wildcard = findings
        .iter()
        .find(|f| f.code == "action-wildcard")
        .unwrap();
    assert!(
        wildcard.message.contains(&format!("all {total} actions"))
            && wildcard
                .message
                .contains(&format!("{pm} of them Permissions management")),
        "{}",
        wildcard.message
    );
}

#[test]
fn a_role_trusted_by_ec2_is_not_assumable_by_lambda() {
    let text = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    let options = LintOptions {
        assumed_by: vec!["lambda.amazonaws.com".into()],
        ..Default::default()
    };
    let findings = lint_policy_text(
        "t.json",
        &text,
        PolicyKind::Trust,
        Catalog::embedded(),
        &options,
    );
    let f = findings
        .iter()
        .find(|f| f.code == "trust-principal-missing")
        .expect("trust-principal-missing");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("lambda.amazonaws.com") && f.message.contains("ec2.amazonaws.com"));
    let ok = LintOptions {
        assumed_by: vec!["ec2.amazonaws.com".into()],
        ..Default::default()
    };
    let none = lint_policy_text("t.json", &text, PolicyKind::Trust, Catalog::embedded(), &ok);
    assert!(!codes(&none).contains(&"trust-principal-missing"));
}

#[test]
fn a_service_missing_from_the_catalog_is_unknown_service_never_unknown_action() {
    let mut catalog = mini_catalog();
    catalog.services.shift_remove("s3");
    let text = policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    let findings = lint_policy_text(
        "p.json",
        &text,
        PolicyKind::Identity,
        &catalog,
        &LintOptions::default(),
    );
    let c = codes(&findings);
    assert!(c.contains(&"unknown-service"), "{c:?}");
    assert!(!c.contains(&"unknown-action"), "{c:?}");
    let f = findings
        .iter()
        .find(|f| f.code == "unknown-service")
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("catalog update"));
}

#[test]
fn deny_statements_get_no_over_broad_warnings() {
    let text = policy(
        r#"{"Effect": "Deny", "Action": ["s3:*", "iam:Pass*"], "Resource": "*"},
           {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b/*"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn actions_that_only_work_on_star_never_get_resource_wildcard() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "sts:GetCallerIdentity"], "Resource": "*"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn wildcards_expand_ignoring_case() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": ["S3:get*", "s3:*OBJECT"], "Resource": "arn:aws:s3:::b/*"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    let partial: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code == "action-wildcard-partial")
        .collect();
    assert_eq!(partial.len(), 2, "{findings:#?}");
    assert!(
        partial[0].message.starts_with("S3:get* expands to"),
        "{}",
        partial[0].message
    );
    let ctx = rolesmith::lint::LintContext::new(Catalog::embedded());
    let s3 = ctx.service("S3").unwrap();
    let names: Vec<&str> = s3.expand("get*").iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"GetObject") && !names.contains(&"PutObject"));
    assert!(
        partial[1].message.starts_with("s3:*OBJECT expands to"),
        "{}",
        partial[1].message
    );
    assert!(
        partial[1].message.contains("s3:DeleteObject"),
        "{}",
        partial[1].message
    );
    assert!(!codes(&findings).contains(&"unknown-action"));
}

#[test]
fn pass_role_fix_names_a_role_and_the_receiving_service() {
    let text = policy(
        r#"{"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:app-*"},
           {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#,
    );
    let findings = lint(&text, PolicyKind::Identity);
    let f = findings
        .iter()
        .find(|f| f.code == "pass-role-wildcard")
        .unwrap();
    let mut doc: PolicyDocument = serde_json::from_str(&text).unwrap();
    f.fix.as_ref().unwrap().apply(&mut doc).unwrap();
    let json = doc.to_compact_json();
    assert!(
        json.contains(r#""Resource":"arn:aws:iam::${Account}:role/${RoleName}""#),
        "{json}"
    );
    assert!(
        json.contains(
            r#""Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}"#
        ),
        "{json}"
    );
    let again = lint_document(&doc, PolicyKind::Identity, Catalog::embedded(), None);
    assert!(!codes(&again).contains(&"pass-role-wildcard"), "{again:#?}");
}

#[test]
fn oidc_trust_fix_adds_a_sub_condition() {
    let text = policy(
        r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}"#,
    );
    let findings = lint(&text, PolicyKind::Trust);
    let f = findings
        .iter()
        .find(|f| f.code == "trust-oidc-unrestricted")
        .unwrap();
    let mut doc: PolicyDocument = serde_json::from_str(&text).unwrap();
    f.fix.as_ref().unwrap().apply(&mut doc).unwrap();
    assert!(doc.to_compact_json().contains(
        r#""token.actions.githubusercontent.com:sub":"repo:OWNER/REPO:ref:refs/heads/main""#
    ));
    let again = lint_document(&doc, PolicyKind::Trust, Catalog::embedded(), None);
    assert!(
        !codes(&again).contains(&"trust-oidc-unrestricted"),
        "{again:#?}"
    );
}

#[test]
fn accepted_findings_carry_their_reason() {
    let role_text = format!(
        "{SEED_ROLE}\n[lint]\nignore = [{{ code = \"permissions-management\", reason = \"the bucket owner needs ACLs\" }}]\n"
    );
    let role = parse_role_text("seed.toml", &role_text).unwrap();
    let findings = lint_role(&role, Catalog::embedded());
    let f = findings
        .iter()
        .find(|f| f.code == "permissions-management")
        .unwrap();
    assert_eq!(f.ignored.as_deref(), Some("the bucket owner needs ACLs"));
    assert_eq!(
        rolesmith::lint::worst_severity(&findings),
        Some(Severity::Suggestion)
    );

    let statement_ignore = SEED_ROLE.replace(
        "resources = [\"arn:aws:s3:::my-super-specific-bucket/*\"]",
        "resources = [\"arn:aws:s3:::my-super-specific-bucket/*\"]\nignore = [\"permissions-management\"]",
    );
    let role = parse_role_text("seed.toml", &statement_ignore).unwrap();
    let findings = lint_role(&role, Catalog::embedded());
    let f = findings
        .iter()
        .find(|f| f.code == "permissions-management")
        .unwrap();
    assert_eq!(f.ignored.as_deref(), Some(""));
}

#[test]
fn role_fixes_apply_to_the_role_file_statements() {
    let text = SEED_ROLE.replace("my-super-specific-bucket/*", "my-super-specific-bucket");
    let mut role = parse_role_text("seed.toml", &text).unwrap();
    let findings = lint_role(&role, Catalog::embedded());
    let f = findings
        .iter()
        .find(|f| f.code == "resource-mismatch")
        .unwrap();
    assert_eq!(f.location.document, DocumentRef::Inline(0));
    assert_eq!(
        f.location.pointer,
        "/Policies/0/PolicyDocument/Statement/0/Resource"
    );
    f.fix
        .as_ref()
        .unwrap()
        .apply_to_role(&mut role, f.location.document)
        .unwrap();
    assert_eq!(
        role.policies[0].statements[0].resources,
        vec!["arn:aws:s3:::my-super-specific-bucket/*".to_string()]
    );
    let again = lint_role(&role, Catalog::embedded());
    assert!(!codes(&again).contains(&"resource-mismatch"));
}
