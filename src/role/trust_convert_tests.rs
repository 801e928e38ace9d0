//! Tests of [`super`]: every structured kind goes document → structured → document with
//! the same meaning, and documents that do not fit say why.

use super::*;
use crate::policy::source::parse_policy;
use crate::role::{TrustDocument, parse_role_text};

fn doc(json: &str) -> PolicyDocument {
    parse_policy("test.json", json)
        .expect("valid JSON")
        .document
}

/// The role a structured `[trust]` TOML describes, its built document, and the same role
/// converted back from that document as if it were a custom one.
fn round_trip(toml: &str) -> (RoleSpec, Conversion) {
    let role = parse_role_text("t.toml", toml).expect("valid role");
    let built = role.trust_document();
    let mut custom = role.clone();
    custom.trust = TrustSpec {
        document: Some(TrustDocument::Inline(Box::new(built.clone()))),
        ..Default::default()
    };
    let converted = convert_trust_document(&custom, &built).expect("fits");
    // The proof the guide asks for: the document built from the conversion equals the
    // custom one after canonicalisation, and here even byte for byte.
    let rebuilt = converted.role.trust_document();
    assert!(same_meaning(&rebuilt, &built, "aws"));
    assert_eq!(rebuilt.to_compact_json(), built.to_compact_json());
    (role, converted)
}

#[test]
fn services_round_trip() {
    let (role, c) = round_trip(
        "name = \"r\"\n[trust]\nservices = [\"lambda.amazonaws.com\", \"edgelambda.amazonaws.com\"]\n",
    );
    assert_eq!(c.role.trust, role.trust);
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn accounts_round_trip_with_external_id_and_mfa() {
    let (role, c) = round_trip(
        r#"name = "r"
[trust]
accounts = [
  { id = "111122223333", external_id = "partner-7", require_mfa = true },
  { id = "444455556666" },
]
"#,
    );
    assert_eq!(c.role.trust, role.trust);
}

#[test]
fn roles_and_users_round_trip_by_name_and_by_arn() {
    let (role, c) = round_trip(
        r#"name = "r"
account = "123456789012"
[trust]
roles = ["ci/deployer", "arn:aws:iam::210987654321:role/other"]
users = ["alice"]
"#,
    );
    assert_eq!(c.role.trust, role.trust);
    // Without the role's account the names stay ARNs (the same principals).
    let d = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ci/deployer"},"Action":"sts:AssumeRole"}]}"#,
    );
    let c = convert_trust_document(&RoleSpec::default(), &d).expect("fits");
    assert_eq!(
        c.role.trust.roles,
        vec!["arn:aws:iam::123456789012:role/ci/deployer".to_string()]
    );
}

#[test]
fn github_round_trips_by_ref_environment_and_any_ref() {
    let (role, c) = round_trip(
        r#"name = "r"
account = "123456789012"
[trust]
github = [
  { repo = "octo-org/app", ref = "refs/heads/main" },
  { repo = "octo-org/app", ref = "refs/tags/v*" },
  { repo = "octo-org/site", environment = "prod" },
  { repo = "octo-org/any", ref = "*" },
]
"#,
    );
    assert_eq!(c.role.trust, role.trust);
}

#[test]
fn oidc_round_trips_with_and_without_a_wildcard_subject() {
    let (role, c) = round_trip(
        r#"name = "r"
account = "123456789012"
[trust]
oidc = [
  { provider = "oidc.eks.eu-west-1.amazonaws.com/id/ABC", sub = "system:serviceaccount:ns:sa", aud = "sts.amazonaws.com" },
  { provider = "gitlab.example.com", sub = "project_path:group/*", aud = "https://gitlab.example.com" },
]
"#,
    );
    assert_eq!(c.role.trust, role.trust);
}

#[test]
fn saml_round_trips() {
    let (role, c) = round_trip(
        "name = \"r\"\n[trust]\nsaml = [\"arn:aws:iam::123456789012:saml-provider/Corp\"]\n",
    );
    assert_eq!(c.role.trust, role.trust);
}

#[test]
fn every_kind_together_round_trips() {
    let (role, c) = round_trip(
        r#"name = "r"
account = "123456789012"
[trust]
services = ["ecs-tasks.amazonaws.com"]
accounts = [{ id = "111122223333", external_id = "x-1" }]
roles = ["admin"]
github = [{ repo = "o/r", ref = "refs/heads/main" }]
oidc = [{ provider = "oidc.example.com", sub = "me", aud = "rolesmith" }]
saml = ["arn:aws:iam::123456789012:saml-provider/Corp"]
"#,
    );
    assert_eq!(c.role.trust, role.trust);
}

#[test]
fn a_hand_written_document_fits_when_only_its_spelling_differs() {
    // Two statements for services, an array of one, a bare account id, a boolean MFA value,
    // Sids and an Id: the same grants as the structured form builds.
    let d = doc(r#"{
  "Version": "2012-10-17",
  "Id": "trust",
  "Statement": [
    {"Sid": "Ec2", "Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]},
    {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}}}
  ]
}"#);
    let c = convert_trust_document(&RoleSpec::default(), &d).expect("fits");
    assert_eq!(
        c.role.trust.services,
        vec!["ec2.amazonaws.com", "ssm.amazonaws.com"]
    );
    assert_eq!(c.role.trust.accounts[0].id, "111122223333");
    assert!(c.role.trust.accounts[0].require_mfa);
    assert!(same_meaning(&c.role.trust_document(), &d, "aws"));
    assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
    assert!(c.notes[0].contains("Id"), "{:?}", c.notes);
    assert!(c.notes[1] == "statement 0: Sid \"Ec2\" dropped");
}

#[test]
fn a_github_provider_gives_the_role_its_account() {
    let d = doc(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
      "Action":"sts:AssumeRoleWithWebIdentity",
      "Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com",
                                   "token.actions.githubusercontent.com:sub":"repo:o/r:ref:refs/heads/main"}}}]}"#);
    let c = convert_trust_document(&RoleSpec::default(), &d).expect("fits");
    assert_eq!(c.role.account.as_deref(), Some("123456789012"));
    assert_eq!(
        c.role.trust.github[0].git_ref.as_deref(),
        Some("refs/heads/main")
    );
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("account set to 123456789012"))
    );
}

fn refused(json: &str) -> String {
    refused_for(&RoleSpec::default(), json)
}

fn refused_for(role: &RoleSpec, json: &str) -> String {
    convert_trust_document(role, &doc(json))
        .expect_err("does not fit")
        .to_string()
}

#[test]
fn documents_that_do_not_fit_say_why() {
    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#,
    );
    assert!(r.starts_with("statement 0: NotPrincipal"), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},
      {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
    );
    assert!(
        r.starts_with("statement 1:") && r.contains("StringEquals aws:SourceAccount"),
        "{r}"
    );

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#,
    );
    assert!(r.contains("\"sts:TagSession\""), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#,
    );
    assert!(r.contains("Deny"), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#,
    );
    assert!(r.contains("anyone"), "{r}");

    let r = refused(
        r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    assert!(r.contains("2008-10-17"), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole",
      "Condition":{"StringEquals":{"sts:ExternalId":["a","b"]}}}]}"#,
    );
    assert!(r.contains("several External IDs"), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/x/y"},"Action":"sts:AssumeRole"}]}"#,
    );
    assert!(
        r.contains("not an account, an IAM role or an IAM user"),
        "{r}"
    );
}

#[test]
fn github_and_oidc_shapes_that_do_not_fit_say_why() {
    let gh = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{cond}}}]}}"#
        )
    };
    let r = refused(&gh(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:o/r:pull_request"}}"#,
    ));
    assert!(r.contains("repo:o/r:pull_request"), "{r}");
    let r = refused(&gh(
        r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:o/r:*"}}"#,
    ));
    assert!(r.contains("has no aud condition"), "{r}");
    // A wildcard under StringEquals matches only itself: not what the builder writes.
    let r = refused(&gh(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:o/r:*"}}"#,
    ));
    assert!(r.contains("operator its wildcards call for"), "{r}");
    let r = refused(&gh(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:o/r:ref:refs/heads/main","token.actions.githubusercontent.com:repository_owner":"o"}}"#,
    ));
    assert!(r.contains("repository_owner"), "{r}");

    let role = RoleSpec {
        account: Some("999999999999".into()),
        ..Default::default()
    };
    let r = refused_for(
        &role,
        &gh(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:o/r:ref:refs/heads/main"}}"#,
        ),
    );
    assert!(r.contains("the role's account is 999999999999"), "{r}");

    let r = refused(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Corp"},"Action":"sts:AssumeRoleWithSAML"}]}"#,
    );
    assert!(r.contains("SAML:aud"), "{r}");
}

#[test]
fn same_meaning_ignores_spelling_but_not_grants() {
    let a = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["a.amazonaws.com","b.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
    );
    let b = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow","Principal":{"Service":"b.amazonaws.com"},"Action":["sts:AssumeRole"]},{"Effect":"Allow","Principal":{"Service":"a.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    let c = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"a.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    assert!(same_meaning(&a, &b, "aws"));
    assert!(!same_meaning(&a, &c, "aws"));
}

#[test]
fn describe_counts_each_kind() {
    let t = TrustSpec {
        services: vec!["a".into()],
        accounts: vec![AccountTrust::default(), AccountTrust::default()],
        ..Default::default()
    };
    assert_eq!(describe(&t), "1 service, 2 accounts");
    assert_eq!(describe(&TrustSpec::default()), "nobody");
}
