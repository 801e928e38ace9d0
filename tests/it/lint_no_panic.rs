//! No panic on any input: arbitrary text, mutated real policies and role files go through
//! the linter and the role parser (proptest). The cargo-fuzz targets in `fuzz/` do the same
//! with coverage guidance; this runs everywhere, on every `cargo test`.

use proptest::prelude::*;
use rolesmith::catalog::Catalog;
use rolesmith::lint::{LintOptions, PolicyKind, lint_policy_text, lint_role};
use rolesmith::role::parse_role_text;

const SEEDS: &[&str] = &[
    include_str!("../policies/ok/lambda-s3-writer.json"),
    include_str!("../policies/ok/github-oidc-trust-branch.json"),
    include_str!("../policies/ok/deny-without-mfa.json"),
    include_str!("../policies/bad/resource-mismatch.json"),
    include_str!("../policies/bad/condition-type-mismatch.json"),
    include_str!("../policies/bad/trust-any-principal.json"),
];

const ROLE_SEEDS: &[&str] = &[
    include_str!("../../examples/lambda-s3-writer.toml"),
    include_str!("../../examples/github-deploy.toml"),
    include_str!("../policies/bad/managed-policy-broad.toml"),
];

/// A seed with a run of characters replaced (a cheap structural mutation).
fn mutated(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    (
        prop::sample::select(seeds),
        any::<prop::sample::Index>(),
        0usize..8,
        "[ -~\\t\\n\u{a0}-\u{17f}]{0,8}",
    )
        .prop_map(|(seed, at, cut, insert)| {
            let chars: Vec<char> = seed.chars().collect();
            let start = at.index(chars.len().max(1)).min(chars.len());
            let end = (start + cut).min(chars.len());
            let mut out: String = chars[..start].iter().collect();
            out.push_str(&insert);
            out.extend(&chars[end..]);
            out
        })
}

fn lint_every_way(text: &str) {
    let options = LintOptions {
        assumed_by: vec!["lambda.amazonaws.com".into()],
        ..Default::default()
    };
    for kind in [PolicyKind::Identity, PolicyKind::Trust] {
        let findings = lint_policy_text("x.json", text, kind, Catalog::embedded(), &options);
        if let Ok(doc) = serde_json::from_str::<rolesmith::policy::PolicyDocument>(text) {
            for fix in findings.iter().filter_map(|f| f.fix.as_ref()) {
                let _ = fix.apply(&mut doc.clone());
            }
        }
    }
}

fn role_every_way(text: &str) {
    if let Ok(role) = parse_role_text("x.toml", text) {
        let _ = lint_role(&role, Catalog::embedded());
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        lint_every_way(&text);
        role_every_way(&text);
    }

    #[test]
    fn mutated_policies_never_panic(text in mutated(SEEDS)) {
        lint_every_way(&text);
    }

    #[test]
    fn mutated_role_files_never_panic(text in mutated(ROLE_SEEDS)) {
        role_every_way(&text);
    }
}

/// A long run for the report: `ROLESMITH_FUZZ_SECS=600 cargo test --release --test
/// lint_no_panic -- --ignored`.
#[test]
#[ignore]
fn fuzz_for_a_while() {
    use proptest::test_runner::{Config, TestRunner};
    let secs: u64 = std::env::var("ROLESMITH_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let mut runs = 0u64;
    while std::time::Instant::now() < deadline {
        let mut runner = TestRunner::new(Config {
            cases: 2_000,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&mutated(SEEDS), |t| {
                lint_every_way(&t);
                Ok(())
            })
            .unwrap();
        runner
            .run(&mutated(ROLE_SEEDS), |t| {
                role_every_way(&t);
                Ok(())
            })
            .unwrap();
        runs += 4_000;
    }
    eprintln!("fuzz_for_a_while: {runs} inputs in {secs} s, no panic");
}
