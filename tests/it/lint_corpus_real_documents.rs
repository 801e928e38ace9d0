//! Issue 13's corpus: real documents nobody here wrote (`tests/corpus/`: AWS managed
//! policies and the IAM User Guide's examples; and the curated AWS managed policies in
//! `assets/catalog/curated/managed/`), linted with the embedded catalog. Their findings are
//! committed in `tests/corpus/expected-findings.json` after review, every one of them
//! judged right (see `tests/corpus/SOURCE.md`): a new finding is a possible false alarm
//! and fails the test, as does a finding that goes missing.
//!
//! `UPDATE_EXPECTED=1 cargo test --test it lint_corpus_real_documents` rewrites the file:
//! review each new line before committing it. `scripts/corpus-report tests/corpus` shows
//! the counts per code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rolesmith::catalog::Catalog;
use rolesmith::cli::lint::{KindArg, lint_file};
use rolesmith::lint::LintOptions;
use serde_json::{Value, json};

/// Findings reviewed and found wrong: this list must stay empty (fix the lint instead).
const KNOWN_FALSE_ALARMS: &[&str] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn documents() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "tests/corpus/aws-managed",
        "tests/corpus/iam-user-guide",
        "assets/catalog/curated/managed",
    ] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn real_documents_give_exactly_their_reviewed_findings() {
    assert!(KNOWN_FALSE_ALARMS.is_empty());
    let catalog = Catalog::embedded();
    let mut got: BTreeMap<String, Value> = BTreeMap::new();
    let files = documents();
    assert!(files.len() >= 150, "only {} documents", files.len());
    for file in &files {
        let report = lint_file(file, KindArg::Auto, catalog, &LintOptions::default());
        let mut findings: Vec<Value> = report
            .findings
            .iter()
            .map(|f| {
                json!(format!(
                    "{} {} {}",
                    f.code,
                    f.location.pointer,
                    f.location.line.unwrap_or(0)
                ))
            })
            .collect();
        if let Some(e) = &report.error {
            findings.push(json!(
                format!("error {e}").replace(&root().display().to_string(), ".")
            ));
        }
        got.insert(
            relative(file),
            json!({"kind": report.kind, "findings": findings}),
        );
    }
    let path = root().join("tests/corpus/expected-findings.json");
    let got = Value::Object(got.into_iter().collect());
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut differences = Vec::new();
    for (file, g) in got.as_object().unwrap() {
        match want.get(file) {
            Some(w) if w == g => {}
            Some(w) => differences.push(format!("{file}:\n  got  {g}\n  want {w}")),
            None => differences.push(format!("{file}: not in expected-findings.json")),
        }
    }
    for file in want.as_object().unwrap().keys() {
        if got.get(file).is_none() {
            differences.push(format!("{file}: expected but no longer in the corpus"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_corpus_says_where_each_document_came_from() {
    let source = std::fs::read_to_string(root().join("tests/corpus/SOURCE.md")).unwrap();
    for needle in [
        "MIT-0",
        "iann0036/iam-dataset",
        "awsdocs/iam-user-guide",
        "z0ph/MAMIP",
    ] {
        assert!(source.contains(needle), "{needle}");
    }
}
