use indexmap::IndexMap;

use super::*;

fn parsed() -> Curated {
    match Curated::from_assets(ASSETS) {
        Ok(curated) => curated,
        Err(message) => panic!("an embedded asset does not parse: {message}"),
    }
}

fn values(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn every_asset_parses_and_keeps_its_invariants() {
    let curated = parsed();
    let problems = problems(&curated);
    assert!(problems.is_empty(), "problems:\n{}", problems.join("\n"));
}

#[test]
fn curated_is_parsed_once_and_shared() {
    assert!(std::ptr::eq(curated(), curated()));
    assert_eq!(curated().service_name("s3"), Some("Amazon S3"));
}

#[test]
fn a_malformed_asset_names_its_file() {
    let broken = [("presets.toml", "[[preset]]\nid = 3\n")];
    let message = Curated::from_assets(&broken).unwrap_err();
    assert!(message.starts_with("presets.toml:"), "{message}");

    let bad_json = [(
        "managed_policies.toml",
        "[[policy]]\nname = \"X\"\narn = \"arn:aws:iam::aws:policy/X\"\ndescription = \"d\"\nrisk = \"moderate\"\nabbreviated = true\ndocument = \"{nope\"\n",
    )];
    let message = Curated::from_assets(&bad_json).unwrap_err();
    assert!(
        message.contains("policy X: document is not JSON"),
        "{message}"
    );
    // A document written by hand must say it is not AWS's own.
    let unmarked = [(
        "managed_policies.toml",
        "[[policy]]\nname = \"X\"\narn = \"arn:aws:iam::aws:policy/X\"\ndescription = \"d\"\nrisk = \"moderate\"\ndocument = \"{}\"\n",
    )];
    let message = Curated::from_assets(&unmarked).unwrap_err();
    assert!(message.contains("must be marked abbreviated"), "{message}");
    // Without one, AWS's published document must exist.
    let missing = [(
        "managed_policies.toml",
        "[[policy]]\nname = \"NoSuchPolicy\"\narn = \"arn:aws:iam::aws:policy/NoSuchPolicy\"\ndescription = \"d\"\nrisk = \"moderate\"\n",
    )];
    let message = Curated::from_assets(&missing).unwrap_err();
    assert!(message.contains("no AWS document"), "{message}");
}

#[test]
fn unknown_keys_are_rejected_so_typos_do_not_vanish() {
    let typo = [("services.toml", "[s3]\nname = \"S3\"\nsumary = \"x\"\n")];
    assert!(Curated::from_assets(&typo).is_err());
}

#[test]
fn the_counts_the_issue_asks_for() {
    let c = curated();
    assert!(c.presets.len() >= 25, "{} presets", c.presets.len());
    assert!(
        c.principals.len() >= 30,
        "{} principals",
        c.principals.len()
    );
    assert!(
        c.managed_policies.len() >= 30,
        "{} managed policies",
        c.managed_policies.len()
    );
    for family in ["github", "gitlab", "eks", "cognito"] {
        assert!(
            c.oidc_presets.iter().any(|p| p.family == family),
            "no OIDC preset for {family}"
        );
    }
    for prefix in crate::catalog::EMBEDDED_SERVICES {
        assert!(c.service_name(prefix).is_some(), "{prefix} has no name");
    }
}

#[test]
fn service_display_names_and_action_curation() {
    let c = curated();
    assert_eq!(
        c.service_name("execute-api"),
        Some("Amazon API Gateway (execute-api)")
    );
    // The asset's order is kept: it is the order the TUI lists featured actions in.
    assert_eq!(c.services.keys().next().map(String::as_str), Some("s3"));
    assert_eq!(
        c.services["s3"].actions.keys().next().map(String::as_str),
        Some("GetObject")
    );
    let pass_role = c
        .action("iam", "PassRole")
        .expect("iam:PassRole is curated");
    assert!(pass_role.featured);
    assert!(pass_role.risks.contains(&RiskTag::PrivilegeEscalation));
    let get_object = c
        .action("s3", "GetObject")
        .expect("s3:GetObject is curated");
    assert_eq!(get_object.risks, vec![RiskTag::DataExfiltration]);
    assert!(get_object.summary.is_some());
    // Risk-only entries are not featured.
    let attach_user = c.action("iam", "AttachUserPolicy").expect("curated");
    assert!(!attach_user.featured);
    assert!(c.action("s3", "NoSuchAction").is_none());
    // The ~15 most used services have their common actions summarised.
    for prefix in [
        "s3",
        "dynamodb",
        "lambda",
        "logs",
        "sqs",
        "sns",
        "kms",
        "secretsmanager",
        "ssm",
        "ecr",
        "sts",
        "iam",
        "events",
        "states",
        "kinesis",
        "xray",
    ] {
        let featured = c.services[prefix]
            .actions
            .values()
            .filter(|a| a.featured)
            .count();
        assert!(
            featured >= 8,
            "{prefix} has only {featured} featured actions"
        );
    }
}

#[test]
fn risk_tags_cover_the_known_dangerous_actions() {
    let c = curated();
    let expect = [
        ("iam", "PassRole", RiskTag::PrivilegeEscalation),
        ("iam", "CreatePolicyVersion", RiskTag::PrivilegeEscalation),
        ("iam", "AttachRolePolicy", RiskTag::PrivilegeEscalation),
        ("iam", "PutRolePolicy", RiskTag::PrivilegeEscalation),
        (
            "iam",
            "UpdateAssumeRolePolicy",
            RiskTag::PrivilegeEscalation,
        ),
        ("iam", "CreateAccessKey", RiskTag::CredentialsExposure),
        ("lambda", "UpdateFunctionCode", RiskTag::PrivilegeEscalation),
        (
            "secretsmanager",
            "GetSecretValue",
            RiskTag::DataExfiltration,
        ),
        ("ssm", "GetParametersByPath", RiskTag::DataExfiltration),
        ("kms", "Decrypt", RiskTag::DataExfiltration),
        ("dynamodb", "Scan", RiskTag::DataExfiltration),
        ("ecr", "GetAuthorizationToken", RiskTag::CredentialsExposure),
        ("sts", "GetFederationToken", RiskTag::CredentialsExposure),
        (
            "cognito-identity",
            "GetCredentialsForIdentity",
            RiskTag::CredentialsExposure,
        ),
        ("s3", "PutBucketPolicy", RiskTag::ResourceExposure),
        ("s3", "PutObjectAcl", RiskTag::ResourceExposure),
        ("kms", "PutKeyPolicy", RiskTag::ResourceExposure),
        ("lambda", "AddPermission", RiskTag::ResourceExposure),
        ("sqs", "SetQueueAttributes", RiskTag::ResourceExposure),
        ("sns", "SetTopicAttributes", RiskTag::ResourceExposure),
        (
            "secretsmanager",
            "PutResourcePolicy",
            RiskTag::ResourceExposure,
        ),
        ("ecr", "SetRepositoryPolicy", RiskTag::ResourceExposure),
    ];
    for (prefix, action, risk) in expect {
        let curation = c
            .action(prefix, action)
            .unwrap_or_else(|| panic!("{prefix}:{action} is not curated"));
        assert!(
            curation.risks.contains(&risk),
            "{prefix}:{action} lacks {risk}"
        );
    }
}

#[test]
fn actions_with_a_risk_are_listed_for_the_lints() {
    let credentials: Vec<_> = curated()
        .actions_with_risk(RiskTag::CredentialsExposure)
        .collect();
    assert!(credentials.contains(&("iam", "CreateAccessKey")));
    assert!(credentials.contains(&("ecr", "GetAuthorizationToken")));
    assert!(!credentials.contains(&("s3", "GetObject")));
}

#[test]
fn managed_policy_lookup_by_name_or_arn_is_exact() {
    let c = curated();
    let basic = c
        .managed_policy("AWSLambdaBasicExecutionRole")
        .expect("by name");
    assert_eq!(
        basic.arn,
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    );
    assert_eq!(basic.risk, ManagedPolicyRisk::Fine);
    assert!(std::ptr::eq(
        c.managed_policy(&basic.arn).expect("by ARN"),
        basic
    ));
    assert!(c.managed_policy("awslambdabasicexecutionrole").is_none());
    assert!(
        c.managed_policy("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole")
            .is_none(),
        "the ARN without its path is not the policy's ARN"
    );
}

#[test]
fn managed_policy_paths_and_ratings() {
    let c = curated();
    let arn = |name: &str| c.managed_policy(name).map(|p| p.arn.as_str());
    assert_eq!(
        arn("AmazonECSTaskExecutionRolePolicy"),
        Some("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    );
    assert_eq!(
        arn("AWSLambdaVPCAccessExecutionRole"),
        Some("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
    );
    assert_eq!(
        arn("AmazonSSMManagedInstanceCore"),
        Some("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
    );
    assert_eq!(
        arn("ViewOnlyAccess"),
        Some("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    );
    for policy in &c.managed_policies {
        assert!(
            policy.arn.starts_with(validate::MANAGED_POLICY_ARN_PREFIX),
            "{}",
            policy.arn
        );
    }
    let risk = |name: &str| c.managed_policy(name).map(|p| p.risk);
    assert_eq!(risk("AdministratorAccess"), Some(ManagedPolicyRisk::Admin));
    assert_eq!(risk("PowerUserAccess"), Some(ManagedPolicyRisk::Admin));
    for policy in &c.managed_policies {
        if policy.name.contains("FullAccess") {
            assert!(
                policy.risk.is_broad(),
                "{} rated {}",
                policy.name,
                policy.risk
            );
        }
    }
}

#[test]
fn principals_and_presets_lookups() {
    let c = curated();
    let lambda = c.principal("lambda.amazonaws.com").expect("lambda");
    assert_eq!(lambda.service, "lambda");
    assert!(c.principal("lambda").is_none());

    let preset = c.preset("ecr-pull").expect("ecr-pull");
    assert_eq!(preset.resource_types, vec!["repository"]);
    assert!(
        preset
            .qualified_actions()
            .any(|a| a == "ecr:GetAuthorizationToken")
    );
    assert!(c.presets_for("s3").count() >= 3);
    assert!(c.preset("nope").is_none());
    for preset in &c.presets {
        for action in preset.qualified_actions() {
            assert!(
                action.starts_with(&format!("{}:", preset.service)),
                "{action}"
            );
        }
    }
}

#[test]
fn placeholder_hints_and_global_conditions() {
    let c = curated();
    let object = c.placeholder_hint("ObjectName").expect("ObjectName");
    assert_eq!(object.default.as_deref(), Some("*"));
    assert!(
        c.placeholder_hint("Account")
            .is_some_and(|h| h.help.contains("get-caller-identity"))
    );
    assert!(
        c.placeholder_hint("SecretId")
            .is_some_and(|h| h.help.contains("??????"))
    );

    let source_ip = c
        .global_condition("aws:sourceip")
        .expect("case-insensitive");
    assert_eq!(source_ip.types, vec![ConditionType::IpAddress]);
    let tag = c
        .global_condition("aws:ResourceTag/team")
        .expect("tag keys match the ${TagKey} pattern");
    assert_eq!(tag.name, "aws:ResourceTag/${TagKey}");
    assert!(c.global_condition("aws:ResourceTag/").is_none());
    assert!(c.global_condition("aws:NoSuchKey").is_none());
    assert!(
        c.trust_conditions
            .iter()
            .any(|k| k.pattern == "sts:ExternalId")
    );
}

#[test]
fn github_preset_renders_the_safe_conditions() {
    let preset = curated().oidc_preset("github-ref").expect("github-ref");
    let trust = preset
        .render(&values(&[
            ("Account", "123456789012"),
            ("repo", "octo-org/app"),
        ]))
        .expect("renders with the default ref");
    assert_eq!(trust.provider, "token.actions.githubusercontent.com");
    assert_eq!(
        trust.federated,
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    );
    let conditions: Vec<_> = trust
        .conditions
        .iter()
        .map(|c| (c.operator.as_str(), c.key.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(
        conditions,
        vec![
            (
                "StringEquals",
                "token.actions.githubusercontent.com:aud",
                "sts.amazonaws.com"
            ),
            (
                "StringEquals",
                "token.actions.githubusercontent.com:sub",
                "repo:octo-org/app:ref:refs/heads/main"
            ),
        ]
    );
}

#[test]
fn a_wildcard_ref_becomes_string_like() {
    let preset = curated().oidc_preset("github-ref").expect("github-ref");
    let trust = preset
        .render(&values(&[
            ("Account", "123456789012"),
            ("repo", "octo-org/app"),
            ("ref", "refs/tags/v*"),
        ]))
        .expect("renders");
    let sub = &trust.conditions[1];
    assert_eq!(sub.operator, "StringLike");
    assert_eq!(sub.value, "repo:octo-org/app:ref:refs/tags/v*");
    // The aud condition keeps its exact match.
    assert_eq!(trust.conditions[0].operator, "StringEquals");
}

#[test]
fn a_wildcard_repository_is_refused() {
    let preset = curated().oidc_preset("github-ref").expect("github-ref");
    let error = preset
        .render(&values(&[
            ("Account", "123456789012"),
            ("repo", "octo-org/*"),
        ]))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`repo` may not contain wildcards"),
        "{error}"
    );
}

#[test]
fn missing_values_are_named() {
    let preset = curated().oidc_preset("github-environment").expect("preset");
    let error = preset
        .render(&values(&[("Account", "123456789012"), ("repo", "o/r")]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("missing value for `environment`"), "{error}");

    let error = preset
        .render(&values(&[("repo", "o/r"), ("environment", "prod")]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("missing value for `Account`"), "{error}");
}

#[test]
fn eks_and_cognito_presets_fill_their_provider() {
    let eks = curated().oidc_preset("eks-irsa").expect("eks-irsa");
    let trust = eks
        .render(&values(&[
            ("Account", "123456789012"),
            ("Partition", "aws-cn"),
            ("region", "eu-west-1"),
            ("cluster_id", "ABC123"),
            ("namespace", "payments"),
            ("service_account", "api"),
        ]))
        .expect("renders");
    assert_eq!(trust.provider, "oidc.eks.eu-west-1.amazonaws.com/id/ABC123");
    assert!(
        trust
            .federated
            .starts_with("arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.")
    );
    assert_eq!(
        trust.conditions[0].key,
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub"
    );
    assert_eq!(
        trust.conditions[0].value,
        "system:serviceaccount:payments:api"
    );

    let cognito = curated()
        .oidc_preset("cognito-authenticated")
        .expect("cognito");
    let trust = cognito
        .render(&values(&[("pool_id", "eu-west-1:1111-2222")]))
        .expect("no account needed");
    assert_eq!(trust.federated, "cognito-identity.amazonaws.com");
    assert_eq!(trust.conditions[1].operator, "ForAnyValue:StringLike");
    assert_eq!(
        trust.conditions[1].key,
        "cognito-identity.amazonaws.com:amr"
    );

    let gitlab = curated().oidc_preset("gitlab-branch").expect("gitlab");
    let trust = gitlab
        .render(&values(&[
            ("Account", "123456789012"),
            ("project", "grp/proj"),
        ]))
        .expect("defaults fill host and branch");
    assert_eq!(trust.conditions[0].value, "https://gitlab.com");
    assert_eq!(
        trust.conditions[1].value,
        "project_path:grp/proj:ref_type:branch:ref:main"
    );
}

#[test]
fn placeholders_are_found_in_order() {
    assert_eq!(
        oidc::placeholders("a${x}b${yy}c${"),
        vec!["x", "yy"],
        "an unterminated placeholder is ignored"
    );
}

#[test]
fn apply_to_lays_names_and_action_curation_over_facts() {
    use crate::catalog::model::{AccessLevel, Action, Service};

    let action = |name: &str| Action {
        name: name.to_owned(),
        access: AccessLevel::Read,
        resources: Vec::new(),
        conditions: Vec::new(),
        summary: None,
        featured: false,
        risks: Vec::new(),
    };
    let mut s3 = Service {
        prefix: "s3".to_owned(),
        name: "s3".to_owned(),
        ..Service::default()
    };
    for name in ["GetObject", "GetBucketAcl"] {
        s3.actions.insert(name.to_owned(), action(name));
    }
    let unknown = Service {
        prefix: "made-up".to_owned(),
        name: "made-up".to_owned(),
        ..Service::default()
    };
    let mut services: IndexMap<String, Service> =
        [("s3".to_owned(), s3), ("made-up".to_owned(), unknown)]
            .into_iter()
            .collect();

    curated().apply_to(&mut services);

    let s3 = &services["s3"];
    assert_eq!(s3.name, "Amazon S3");
    let get_object = &s3.actions["GetObject"];
    assert!(get_object.featured);
    assert!(get_object.summary.is_some());
    assert_eq!(get_object.risks, vec![RiskTag::DataExfiltration]);
    assert_eq!(get_object.access, AccessLevel::Read, "facts are untouched");
    assert_eq!(s3.actions["GetBucketAcl"], action("GetBucketAcl"));
    assert_eq!(services["made-up"].name, "made-up");
    assert!(
        curated()
            .global_condition_map()
            .contains_key("aws:SourceIp")
    );
}

#[test]
fn each_lazy_piece_equals_the_whole_parse() {
    let whole = parsed();
    // services.toml cut at its tables: every service's part parses alone to the same curation.
    let chunks = lazy::split_service_tables(asset("services.toml"));
    assert_eq!(
        chunks.keys().collect::<Vec<_>>(),
        whole.services.keys().collect::<Vec<_>>()
    );
    for (prefix, curation) in &whole.services {
        let (text, _) = &chunks[prefix.as_str()];
        let one: IndexMap<String, ServiceCuration> = toml::from_str(text)
            .unwrap_or_else(|e| panic!("{prefix}'s part of services.toml: {e}"));
        assert_eq!(one.len(), 1, "{prefix}");
        assert_eq!(one.get(prefix), Some(curation), "{prefix}");
        assert_eq!(lazy::service_curation(prefix), Some(curation), "{prefix}");
    }
    assert_eq!(lazy::service_curation("no-such-service"), None);
    assert_eq!(lazy::global_condition_map(), whole.global_condition_map());
    for key in ["aws:SourceArn", "AWS:PrincipalTag/team", "aws:NoSuchKey"] {
        assert_eq!(
            lazy::global_condition(key).as_ref(),
            whole.global_condition(key),
            "{key}"
        );
    }
    for p in &whole.principals {
        assert_eq!(lazy::principal(&p.principal), Some(p));
    }
    assert_eq!(lazy::principal("nobody.amazonaws.com"), None);
    for p in &whole.managed_policies {
        assert_eq!(lazy::managed_policy(&p.name), Some(p));
        assert_eq!(lazy::managed_policy(&p.arn), Some(p));
        assert_eq!(lazy::managed_policy_arn(&p.name), Some(p.arn.as_str()));
    }
    assert_eq!(lazy::managed_policy("NoSuchPolicy"), None);
}
