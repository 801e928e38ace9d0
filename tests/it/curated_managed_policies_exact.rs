//! Issue 13 item 15: the curated AWS managed policies never overgrant. Each holds AWS's
//! exact document (from `assets/catalog/curated/managed/NAME.json`, `aws iam
//! get-policy-version` output with its version id and date) or, if marked `abbreviated`,
//! a strict subset of it; and each ARN is the one AWS's list of managed policies gives.

use std::path::Path;

use rolesmith::catalog::curated::{ManagedPolicyRisk, aws_published, curated, overgrants};
use rolesmith::catalog::managed_list;
use rolesmith::policy::PolicyDocument;

#[test]
fn curated_managed_policies_are_aws_documents_exactly_or_strict_subsets() {
    let mut exact = 0;
    for p in &curated().managed_policies {
        let (aws, version, date) = aws_published(&p.name).expect("AWS's document is stored");
        assert!(version.starts_with('v'), "{}: version {version}", p.name);
        assert!(date.len() >= 10, "{}: date {date}", p.name);
        if p.abbreviated {
            let aws: PolicyDocument = serde_json::from_value(aws).unwrap();
            let ours: PolicyDocument = serde_json::from_value(p.document.clone()).unwrap();
            let more = overgrants(&aws, &ours);
            assert!(
                more.is_empty(),
                "{} grants more than AWS: {more:#?}",
                p.name
            );
        } else {
            assert_eq!(p.document, aws, "{} differs from AWS's document", p.name);
            assert_eq!(p.version_id.as_deref(), Some(version.as_str()));
            assert_eq!(p.version_date.as_deref(), Some(date.as_str()));
            exact += 1;
        }
    }
    assert_eq!(
        exact,
        curated().managed_policies.len(),
        "all are exact today"
    );
}

#[test]
fn curated_managed_policy_arns_are_the_ones_aws_lists() {
    for p in &curated().managed_policies {
        let entry = managed_list::lookup(&p.name).expect("in AWS's list");
        assert_eq!(entry.name, p.name, "case");
        assert!(!entry.deprecated, "{} is deprecated", p.name);
        assert_eq!(entry.arn("aws"), p.arn, "path of {}", p.name);
    }
}

#[test]
fn every_stored_aws_document_belongs_to_a_curated_policy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalog/curated/managed");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            curated().managed_policy(&name).is_some(),
            "{name}.json has no entry in managed_policies.toml"
        );
        files += 1;
    }
    assert_eq!(files, curated().managed_policies.len());
}

#[test]
fn api_gateway_logs_policy_is_not_rated_fine_since_it_reads_every_log_group() {
    let p = curated()
        .managed_policy("AmazonAPIGatewayPushToCloudWatchLogs")
        .unwrap();
    assert_ne!(p.risk, ManagedPolicyRisk::Fine);
    let reads = p.statements().iter().any(|s| {
        s["Resource"] == "*"
            && s["Action"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == "logs:GetLogEvents"))
    });
    assert!(reads, "the document reads logs on *");
}
