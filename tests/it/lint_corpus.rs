//! The policy corpora: `tests/policies/bad/` holds at least one file per finding code with
//! its expected findings beside it (`NAME.expected.json`, compared exactly on code,
//! severity, pointer, line and column); `tests/policies/ok/` holds real-world policies that
//! must give no error and no warning.
//!
//! `UPDATE_EXPECTED=1 cargo test --test it lint_corpus` rewrites the expected files (review
//! the diff before committing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rolesmith::catalog::Catalog;
use rolesmith::cli::lint::{KindArg, lint_file};
use rolesmith::lint::explain::CODES;
use rolesmith::lint::{Finding, LintOptions, Severity};
use serde_json::{Value, json};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/policies")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.ends_with(".expected.json")
                && (name.ends_with(".json") || name.ends_with(".toml"))
        })
        .collect();
    files.sort();
    files
}

fn expected_path(file: &Path) -> PathBuf {
    let stem = file.file_stem().unwrap().to_string_lossy().to_string();
    file.with_file_name(format!("{stem}.expected.json"))
}

fn summarize(findings: &[Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "severity": f.severity.as_str(),
                "pointer": f.location.pointer,
                "line": f.location.line,
                "column": f.location.column,
            })
        })
        .collect()
}

fn options_from(expected: &Value) -> LintOptions {
    let list = |k: &str| -> Vec<String> {
        expected["options"][k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    LintOptions {
        assumed_by: list("assumed_by"),
        ..Default::default()
    }
}

#[test]
fn every_bad_policy_gives_exactly_its_expected_findings() {
    let catalog = Catalog::embedded();
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    let mut codes_seen = BTreeSet::new();
    for file in corpus("bad") {
        let exp_path = expected_path(&file);
        let existing: Value = std::fs::read_to_string(&exp_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| json!({}));
        let options = options_from(&existing);
        let report = lint_file(&file, KindArg::Auto, catalog, &options);
        assert!(
            report.error.is_none(),
            "{}: {:?}",
            file.display(),
            report.error
        );
        let got = summarize(&report.findings);
        for f in &report.findings {
            codes_seen.insert(f.code);
        }
        if update {
            let mut out = json!({"findings": got});
            if let Some(o) = existing.get("options") {
                out["options"] = o.clone();
            }
            std::fs::write(
                &exp_path,
                serde_json::to_string_pretty(&out).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let want = existing.get("findings").cloned().unwrap_or(Value::Null);
        if Value::Array(got.clone()) != want {
            failures.push(format!(
                "{}:\n  got  {}\n  want {}\n  messages: {:#?}",
                file.display(),
                Value::Array(got),
                want,
                report
                    .findings
                    .iter()
                    .map(|f| &f.message)
                    .collect::<Vec<_>>()
            ));
        }
        // The file named after a code must give that code.
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            report.findings.iter().any(|f| f.code == stem),
            "{} does not give {stem}",
            file.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !codes_seen.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a bad example: {missing:?}"
    );
}

#[test]
fn ok_policies_give_no_error_and_no_warning() {
    let catalog = Catalog::embedded();
    let files = corpus("ok");
    assert!(files.len() >= 30, "only {} ok policies", files.len());
    let mut failures = Vec::new();
    for file in files {
        let report = lint_file(&file, KindArg::Auto, catalog, &LintOptions::default());
        assert!(
            report.error.is_none(),
            "{}: {:?}",
            file.display(),
            report.error
        );
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
        {
            failures.push(format!(
                "{}: {}[{}] {}",
                file.display(),
                f.severity,
                f.code,
                f.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
