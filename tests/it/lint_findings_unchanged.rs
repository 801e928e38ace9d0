//! Issue 18: the faster lint gives exactly the findings of the slower one. Every document
//! and role file of `examples/` and `tests/` (and the curated managed policies), the 1,000
//! generated policies of `lint::corpus` and small versions of the scaling benchmarks'
//! inputs are linted with the embedded catalog; every finding (position, severity, code,
//! pointer, statement, message, fix, ignore reason) must equal the line committed in
//! `tests/golden/findings.txt`, which was written before any speed work.
//!
//! A change that is meant to change findings rewrites the file:
//! `UPDATE_GOLDEN=1 cargo test --test it lint_findings_unchanged`, and the diff is reviewed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rolesmith::catalog::Catalog;
use rolesmith::cli::lint::{KindArg, lint_file};
use rolesmith::lint::corpus::{
    generate, policy_with_statements, role_file_with_statements, statement_with_actions,
};
use rolesmith::lint::input::lint_role_file;
use rolesmith::lint::{Finding, LintContext, LintOptions, lint_policy_text_in};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every lintable file under the given folders (recursively), sorted.
fn files_under(dirs: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if p.is_dir() {
                walk(&p, out);
            } else if [".json", ".toml", ".yaml", ".yml"]
                .iter()
                .any(|x| name.ends_with(x))
                && !name.ends_with(".expected.json")
                && name != "expected-findings.json"
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        walk(&root().join(d), &mut files);
    }
    files.sort();
    files
}

/// One finding as one line of the golden file.
fn line(out: &mut String, origin: &str, f: &Finding) {
    let _ = write!(
        out,
        "{origin}:{}:{} {}[{}] {} stmt={:?} {}",
        f.location.line.unwrap_or(0),
        f.location.column.unwrap_or(0),
        f.severity,
        f.code,
        f.location.pointer,
        f.location.statement,
        f.message
    );
    if let Some(fix) = &f.fix {
        let _ = write!(
            out,
            " | fix: {} ({} edits)",
            fix.description,
            fix.edits.len()
        );
    }
    if let Some(reason) = &f.ignored {
        let _ = write!(out, " | ignored: {reason}");
    }
    out.push('\n');
}

fn all_findings() -> String {
    let catalog = Catalog::embedded();
    let options = LintOptions::default();
    let mut out = String::new();
    let files = files_under(&[
        "examples",
        "tests/corpus",
        "tests/policies",
        "tests/fixtures/roles",
        "tests/fixtures/bad-roles",
        "tests/eval",
        "assets/catalog/curated/managed",
    ]);
    assert!(files.len() >= 290, "only {} files", files.len());
    for file in &files {
        let origin = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        let report = lint_file(file, KindArg::Auto, catalog, &options);
        let _ = writeln!(out, "# {origin} ({})", report.kind);
        for f in &report.findings {
            line(&mut out, &origin, f);
        }
        if let Some(e) = &report.error {
            let e = e.to_string().replace(&root().display().to_string(), ".");
            let _ = writeln!(out, "{origin}: error {e}");
        }
    }
    let cx = LintContext::new(catalog);
    for (i, (text, kind)) in generate(1000).iter().enumerate() {
        let origin = format!("generated/p{i:04}.json");
        for f in lint_policy_text_in(&cx, &origin, text, *kind, &options) {
            line(&mut out, &origin, &f);
        }
    }
    let text = policy_with_statements(100);
    for f in lint_policy_text_in(
        &cx,
        "statements-100.json",
        &text,
        rolesmith::lint::PolicyKind::Identity,
        &options,
    ) {
        line(&mut out, "statements-100.json", &f);
    }
    // 400 actions of many services, the first 100 of them twice.
    let names: Vec<String> = cx
        .every_action()
        .into_iter()
        .step_by(11)
        .take(400)
        .map(|(prefix, a)| format!("{prefix}:{}", a.name))
        .collect();
    let text = statement_with_actions(&names, 500);
    for f in lint_policy_text_in(
        &cx,
        "actions.json",
        &text,
        rolesmith::lint::PolicyKind::Identity,
        &options,
    ) {
        line(&mut out, "actions.json", &f);
    }
    let text = role_file_with_statements(100);
    let spec = rolesmith::role::parse_role_text("role-100.toml", &text).expect("valid role");
    for f in lint_role_file(&cx, "role-100.toml", &text, &spec, &options) {
        line(&mut out, "role-100.toml", &f);
    }
    out.replace(&root().display().to_string(), ".")
}

#[test]
fn findings_of_every_corpus_equal_the_committed_ones() {
    let got = all_findings();
    let path = root().join("tests/golden/findings.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create tests/golden");
        std::fs::write(&path, &got).expect("write the golden findings");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("tests/golden/findings.txt");
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .enumerate()
            .find(|(_, (g, w))| g != w);
        match first {
            Some((n, (g, w))) => panic!(
                "findings changed at line {}:\n  committed: {w}\n  now:       {g}",
                n + 1
            ),
            None => panic!(
                "findings changed: {} lines now, {} committed",
                got.lines().count(),
                want.lines().count()
            ),
        }
    }
}
