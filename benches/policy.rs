//! Parse + render of policies and role files (foundation issue targets).
//!
//! Run with `cargo bench --bench benches -- policy::`.

use rolesmith::policy::source::parse_policy;
use rolesmith::role::parse_role_text;

/// A ~10 KB identity policy of realistic statements.
fn ten_kb_policy() -> String {
    let mut statements = Vec::new();
    let mut i = 0;
    while serde_json::to_string(&statements).map_or(0, |s| s.len()) < 10_000 {
        statements.push(serde_json::json!({
            "Sid": format!("Stmt{i}"),
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": [format!("arn:aws:s3:::bucket-{i}/*"), format!("arn:aws:s3:::bucket-{i}-logs/*")],
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"},
                          "Bool": {"aws:SecureTransport": "true"}}
        }));
        i += 1;
    }
    serde_json::to_string_pretty(
        &serde_json::json!({"Version": "2012-10-17", "Statement": statements}),
    )
    .unwrap_or_default()
}

#[divan::bench]
fn parse_and_render_10kb_policy(bencher: divan::Bencher) {
    let text = ten_kb_policy();
    bencher.bench(|| {
        let parsed = parse_policy("bench.json", divan::black_box(&text)).ok();
        parsed.map(|p| p.document.to_pretty_json())
    });
}

#[divan::bench]
fn parse_and_render_role_file(bencher: divan::Bencher) {
    let text = include_str!("../examples/github-deploy.toml");
    bencher.bench(|| {
        let spec = parse_role_text("bench.toml", divan::black_box(text)).ok();
        spec.map(|s| s.to_documents().to_pretty_json())
    });
}
