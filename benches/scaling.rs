//! Issue 18's in-process goals: lint and render stay linear in every input dimension.
//!
//! Each bench runs at two sizes (1k and 10k) so the ratio between them shows the growth:
//! about 10× is linear, about 100× quadratic. Goals at 10k: a 10,000-statement policy lints
//! in < 50 ms, a statement of 10,000 actions lints in < 50 ms, and a 10,000-statement role
//! file renders (lint + positions in the TOML text) in < 200 ms. The whole-process goals
//! (one tiny file, catalog queries, peak memory, the ratio to parliament) are measured on the
//! release binary by `scripts/bench-vs-parliament`; `json_report_of_files` and
//! `sarif_report_of_files` check that the streamed reports grow linearly with the files.
//!
//! Every statement of the generated inputs carries findings (a partial wildcard, a
//! redundant action, a duplicate), so the findings grow with the input too.

use divan::Bencher;
use rolesmith::catalog::Catalog;
use rolesmith::lint::corpus::{
    policy_with_statements, role_file_with_statements, statement_with_actions,
};
use rolesmith::lint::input::lint_role_file;
use rolesmith::lint::{LintContext, LintOptions, PolicyKind, lint_policy_text_in};

/// Every action name of the embedded catalog (`prefix:Name`).
fn catalog_action_names() -> Vec<String> {
    LintContext::new(Catalog::embedded())
        .every_action()
        .into_iter()
        .map(|(prefix, action)| format!("{prefix}:{}", action.name))
        .collect()
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn lint_policy_of_statements(bencher: Bencher, n: usize) {
    let text = policy_with_statements(crate::input_size(n));
    let catalog = Catalog::embedded();
    let options = LintOptions::default();
    bencher.bench(|| {
        let cx = LintContext::new(catalog);
        lint_policy_text_in(&cx, "p.json", &text, PolicyKind::Identity, &options).len()
    });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn lint_statement_of_actions(bencher: Bencher, n: usize) {
    let text = statement_with_actions(&catalog_action_names(), crate::input_size(n));
    let catalog = Catalog::embedded();
    let options = LintOptions::default();
    bencher.bench(|| {
        let cx = LintContext::new(catalog);
        lint_policy_text_in(&cx, "p.json", &text, PolicyKind::Identity, &options).len()
    });
}

/// What `render` does before writing: lint the role and place every finding in the text.
#[divan::bench(args = [1_000, 10_000], sample_count = 5)]
fn render_findings_of_role_statements(bencher: Bencher, n: usize) {
    let text = role_file_with_statements(crate::input_size(n));
    let spec = rolesmith::role::parse_role_text("large.toml", &text).expect("a valid role");
    let catalog = Catalog::embedded();
    let options = LintOptions::default();
    bencher.bench(|| {
        let cx = LintContext::new(catalog);
        lint_role_file(&cx, "large.toml", &text, &spec, &options).len()
    });
}

/// One tiny policy with a freshly decoded embedded catalog: the in-process part of
/// `rolesmith lint tiny.json` (goal for the whole process: ≤ 5 ms).
#[divan::bench(sample_count = 20)]
fn lint_one_tiny_file_cold_catalog() -> usize {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
    let Ok(catalog) = Catalog::decode_embedded_facts() else {
        return 0;
    };
    let cx = LintContext::new(&catalog);
    lint_policy_text_in(
        &cx,
        "tiny.json",
        text,
        PolicyKind::Identity,
        &LintOptions::default(),
    )
    .len()
}

/// The JSON report of `n` files (three findings each) streamed into a sink, as `lint
/// --format json` writes it: linear in the files, and holding one file's part at a time.
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn json_report_of_files(bencher: Bencher, n: usize) {
    report_of_files(bencher, n, rolesmith::lint::report::Format::Json);
}

/// The same files as a SARIF report (one result per finding, streamed the same way).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn sarif_report_of_files(bencher: Bencher, n: usize) {
    report_of_files(bencher, n, rolesmith::lint::report::Format::Sarif);
}

fn report_of_files(bencher: Bencher, n: usize, format: rolesmith::lint::report::Format) {
    let n = crate::input_size(n);
    use rolesmith::lint::report::{FileReport, ReportWriter};
    let text = policy_with_statements(3);
    let catalog = Catalog::embedded();
    let cx = LintContext::new(catalog);
    let findings = lint_policy_text_in(
        &cx,
        "p.json",
        &text,
        PolicyKind::Identity,
        &LintOptions::default(),
    );
    let reports: Vec<FileReport> = (0..n)
        .map(|i| FileReport {
            path: format!("policies/p{i}.json"),
            kind: "identity",
            findings: findings.clone(),
            error: None,
        })
        .collect();
    bencher.bench(|| {
        let mut w = ReportWriter::new(format, std::io::sink(), true);
        for r in &reports {
            let _ = w.file(r);
        }
        w.finish().is_ok()
    });
}
