//! The curated catalog through the public API, and its agreement with the rest of the crate.

use indexmap::IndexMap;
use rolesmith::catalog::curated::{ManagedPolicyRisk, curated};
use rolesmith::role::managed::resolve_managed_policy;
use rolesmith::role::{GithubTrust, github_subject};

#[test]
fn role_files_resolve_managed_policy_names_to_the_curated_arns_in_any_partition() {
    let mut compared = 0;
    for policy in &curated().managed_policies {
        if let Some(arn) = resolve_managed_policy(&policy.name, None) {
            assert_eq!(arn, policy.arn, "{} resolves differently", policy.name);
            compared += 1;
        }
        if let Some(arn) = resolve_managed_policy(&policy.name, Some("aws-cn")) {
            assert_eq!(arn, policy.arn_in_partition("aws-cn"));
        }
    }
    assert_eq!(compared, curated().managed_policies.len());
}

#[test]
fn github_preset_subject_matches_the_role_builder() {
    for git_ref in ["refs/heads/main", "refs/tags/v*"] {
        let trust = GithubTrust {
            repo: "octo-org/app".to_owned(),
            git_ref: Some(git_ref.to_owned()),
            environment: None,
        };
        let values: IndexMap<String, String> = [
            ("Account", "123456789012"),
            ("repo", "octo-org/app"),
            ("ref", git_ref),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let rendered = curated()
            .oidc_preset("github-ref")
            .expect("github-ref preset")
            .render(&values)
            .expect("renders");
        let sub = rendered
            .conditions
            .iter()
            .find(|c| c.key.ends_with(":sub"))
            .expect("a sub condition");
        assert_eq!(sub.value, github_subject(&trust));
    }
}

#[test]
fn admin_policies_are_never_fine_and_documents_have_statements() {
    let c = curated();
    let admin = c
        .managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
        .expect("by ARN");
    assert_eq!(admin.risk, ManagedPolicyRisk::Admin);
    assert_eq!(admin.statements().len(), 1);
    for policy in &c.managed_policies {
        assert!(!policy.statements().is_empty(), "{}", policy.name);
    }
}

#[test]
fn presets_name_the_resource_types_the_arn_builder_needs() {
    let c = curated();
    let write = c.preset("s3-write-objects").expect("preset");
    assert_eq!(write.resource_types, ["object"]);
    let list = c.preset("s3-list-bucket").expect("preset");
    assert_eq!(list.resource_types, ["bucket"]);
    let logs = c.preset("logs-write").expect("preset");
    assert_eq!(
        logs.qualified_actions().collect::<Vec<_>>(),
        [
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents"
        ]
    );
}

#[test]
fn item_17_ssm_path_presets_say_which_arn_each_call_is_authorized_against() {
    let c = curated();
    // Serving GetParametersByPath and GetParameter(s): both forms, said so.
    let by_path = c.preset("ssm-parameters-by-path").expect("preset");
    assert!(by_path.actions.iter().any(|a| a == "GetParametersByPath"));
    assert!(by_path.actions.iter().any(|a| a == "GetParameter"));
    for form in [
        "`parameter/myapp/prod`",
        "`parameter/myapp/prod/*`",
        "both ARNs",
    ] {
        assert!(
            by_path.description.contains(form),
            "{form}: {}",
            by_path.description
        );
    }
    // One for single reads only: its own form, and no path ARN.
    let named = c.preset("ssm-read-parameters").expect("preset");
    assert!(!named.actions.iter().any(|a| a == "GetParametersByPath"));
    assert!(
        named
            .description
            .contains("no ARN of the path itself is needed")
    );
}
