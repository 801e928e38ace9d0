//! Helpers for the lint tests: lint a text as `rolesmith lint` would (recognition, kinds,
//! positions), with the embedded catalog.
#![allow(dead_code)]

use rolesmith::catalog::Catalog;
use rolesmith::lint::input::{Input, Want, lint_input_in};
use rolesmith::lint::report::FileReport;
use rolesmith::lint::{Finding, LintContext, LintOptions, PolicyKind};

/// Lints `text` (named `origin`) as `lint --kind auto` would.
pub fn lint_text(origin: &str, text: &str) -> FileReport {
    lint_text_as(origin, text, Want::Auto, &LintOptions::default())
}

/// Lints `text` as `want`, with `options`.
pub fn lint_text_as(origin: &str, text: &str, want: Want, options: &LintOptions) -> FileReport {
    let cx = LintContext::new(Catalog::embedded());
    let stem = std::path::Path::new(origin)
        .file_stem()
        .and_then(|s| s.to_str());
    lint_input_in(
        &cx,
        Input {
            origin,
            text,
            parsed: None,
            stem,
            base: None,
        },
        want,
        options,
    )
}

/// A policy document from its statements.
pub fn policy(statements: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{statements}]}}")
}

/// The findings of a policy made of `statements`, linted as what its shape says.
pub fn lint_statements(statements: &str) -> Vec<Finding> {
    let report = lint_text("p.json", &policy(statements));
    assert!(report.error.is_none(), "{:?}", report.error);
    report.findings
}

/// The findings of a policy made of `statements`, linted as `kind`.
pub fn lint_statements_as(statements: &str, kind: PolicyKind) -> Vec<Finding> {
    let report = lint_text_as(
        "p.json",
        &policy(statements),
        Want::Policy(kind),
        &LintOptions::default(),
    );
    assert!(report.error.is_none(), "{:?}", report.error);
    report.findings
}

/// The codes of `findings`, in order.
pub fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

/// Asserts no finding has `code`, showing the findings if one does.
pub fn assert_no(findings: &[Finding], code: &str) {
    let hits: Vec<String> = findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| format!("{} {}", f.location.pointer, f.message))
        .collect();
    assert!(hits.is_empty(), "unexpected {code}: {hits:#?}");
}

/// The findings with `code` (at least one).
pub fn with_code<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.code == code).collect();
    assert!(
        !hits.is_empty(),
        "no {code} among {:#?}",
        findings
            .iter()
            .map(|f| (f.code, &f.message))
            .collect::<Vec<_>>()
    );
    hits
}
