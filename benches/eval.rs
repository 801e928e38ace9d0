//! The evaluation engine: a request against the seed role, 1,000 requests against a
//! 50-statement role, and checking a role's expectations (what the editor does per change).
//!
//! Run with `cargo bench --bench benches -- eval::`.

use rolesmith::catalog::Catalog;
use rolesmith::eval::{PolicySet, Request, check_role};
use rolesmith::role::parse_role_text;

const SEED: &str = include_str!("../examples/lambda-s3-writer.toml");

/// A role of 50 statements over several services, with wildcards and conditions.
fn fifty_statement_role() -> String {
    let mut text = String::from(
        "name = \"big\"\naccount = \"123456789012\"\nregion = \"eu-west-1\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n[[policy]]\nname = \"p\"\n",
    );
    for i in 0..50 {
        let (actions, resource, condition) = match i % 5 {
            0 => (
                "\"s3:GetObject\", \"s3:PutObject\"",
                format!("arn:aws:s3:::bucket-{i}/*"),
                "",
            ),
            1 => (
                "\"dynamodb:GetItem\", \"dynamodb:Query\"",
                format!("arn:aws:dynamodb:eu-west-1:123456789012:table/T{i}*"),
                "",
            ),
            2 => (
                "\"sqs:SendMessage\"",
                format!("arn:aws:sqs:eu-west-1:123456789012:queue-{i}"),
                "\n[policy.statement.condition.StringEquals]\n\"aws:SourceAccount\" = \"123456789012\"\n",
            ),
            3 => (
                "\"logs:*\"",
                format!("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f{i}:*"),
                "",
            ),
            _ => (
                "\"secretsmanager:GetSecretValue\"",
                format!("arn:aws:secretsmanager:eu-west-1:123456789012:secret:s{i}-??????"),
                "\n[policy.statement.condition.IpAddress]\n\"aws:SourceIp\" = [\"203.0.113.0/24\", \"198.51.100.0/24\"]\n",
            ),
        };
        text.push_str(&format!(
            "[[policy.statement]]\nactions = [{actions}]\nresources = [\"{resource}\"]\n{condition}"
        ));
    }
    text
}

fn requests() -> Vec<Request> {
    (0..1000)
        .map(|i| {
            let n = i % 60;
            let mut r = match i % 4 {
                0 => Request::new(
                    "s3:PutObject",
                    Some(&format!("arn:aws:s3:::bucket-{n}/k/{i}")),
                ),
                1 => Request::new(
                    "dynamodb:Query",
                    Some(&format!(
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/T{n}/index/i"
                    )),
                ),
                2 => Request::new(
                    "sqs:SendMessage",
                    Some(&format!("arn:aws:sqs:eu-west-1:123456789012:queue-{n}")),
                ),
                _ => Request::new(
                    "secretsmanager:GetSecretValue",
                    Some(&format!(
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s{n}-AbC123"
                    )),
                ),
            };
            r.context
                .insert("aws:SourceAccount", vec!["123456789012".into()]);
            r.context.insert("aws:SourceIp", vec!["203.0.113.7".into()]);
            r
        })
        .collect()
}

#[divan::bench]
fn one_request_against_the_seed_role(bencher: divan::Bencher) {
    let role = parse_role_text("seed.toml", SEED).unwrap();
    let set = PolicySet::from_role(&role, None);
    let request = Request::new(
        "s3:PutObject",
        Some("arn:aws:s3:::my-super-specific-bucket/x"),
    );
    bencher.bench(|| set.evaluate(divan::black_box(&request), None));
}

#[divan::bench]
fn one_denied_request_with_reasons_against_the_seed_role(bencher: divan::Bencher) {
    let role = parse_role_text("seed.toml", SEED).unwrap();
    let set = PolicySet::from_role(&role, None);
    let catalog = Catalog::embedded();
    let request = Request::new(
        "s3:DeleteObject",
        Some("arn:aws:s3:::my-super-specific-bucket/x"),
    );
    bencher.bench(|| set.evaluate(divan::black_box(&request), Some(catalog)));
}

#[divan::bench]
fn thousand_requests_against_a_50_statement_role(bencher: divan::Bencher) {
    let role = parse_role_text("big.toml", &fifty_statement_role()).unwrap();
    let set = PolicySet::from_role(&role, None);
    let requests = requests();
    bencher.bench(|| {
        requests
            .iter()
            .filter(|r| set.evaluate(r, None).decision.as_str() == "allowed")
            .count()
    });
}

#[divan::bench]
fn check_the_seed_role_with_expectations(bencher: divan::Bencher) {
    let text = format!(
        "assumed_by = [\"lambda.amazonaws.com\"]\n{SEED}\n[[expect]]\nallow = \"s3:PutObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/a\"\n[[expect]]\ndeny = \"s3:DeleteObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/a\"\n[[expect]]\ndeny = \"sts:AssumeRole\"\nprincipal = \"ec2.amazonaws.com\"\n"
    );
    let role = parse_role_text("seed.toml", &text).unwrap();
    let catalog = Catalog::embedded();
    bencher.bench(|| check_role(divan::black_box(&role), None, Some(catalog)));
}
