//! The layering of ARCHITECTURE.md, checked: each top-level module of `src/` may only use the
//! modules listed for it below. A new `use crate::x` that points upward (say `role` reaching
//! into `lint`, or `eval` into `tui`) fails here, so the pure modules stay testable without a
//! terminal and the dependency picture in ARCHITECTURE.md stays true.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Which top-level modules each module may use. Lower layers come first; a module may use
/// only modules listed before it (and never `cli` or `tui`, which are front ends).
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("io", &["error"]),
    ("policy", &["error", "io"]),
    ("catalog", &["error", "io", "policy"]),
    ("role", &["error", "io", "policy", "catalog"]),
    ("eval", &["error", "io", "policy", "catalog", "role"]),
    ("export", &["error", "io", "policy", "catalog", "role"]),
    ("session", &["error", "io", "policy", "catalog", "role"]),
    (
        "lint",
        &["error", "io", "policy", "catalog", "role", "eval"],
    ),
    (
        "activity",
        &["error", "io", "policy", "catalog", "role", "eval"],
    ),
    (
        "diff",
        &["error", "io", "policy", "catalog", "role", "eval"],
    ),
    (
        "lessons",
        &["error", "io", "policy", "catalog", "role", "eval", "lint"],
    ),
    (
        "tui",
        &[
            "error", "io", "policy", "catalog", "role", "eval", "export", "session", "lint",
            "activity", "diff", "lessons",
        ],
    ),
    (
        "cli",
        &[
            "error", "io", "policy", "catalog", "role", "eval", "export", "session", "lint",
            "activity", "diff", "lessons", "tui",
        ],
    ),
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/role/spec.rs` → `role`,
/// `src/error.rs` → `error`); `None` for `lib.rs` and `main.rs`, which wire everything.
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src_dir()).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// The top-level modules a source text names as `crate::NAME`, with the line of each.
fn crate_paths(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((name, index + 1));
            }
            // `use crate::{a, b}` names several modules at once.
            if let Some(after_brace) = rest.strip_prefix('{') {
                let group = after_brace.split('}').next().unwrap_or("");
                for item in group.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.push((name, index + 1));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_module_above_it() {
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(module, deps)| (*module, deps.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    files.sort();
    assert!(files.len() > 50, "the source tree was not found");

    let mut problems = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let Some(may_use) = allowed.get(module.as_str()) else {
            problems.push(format!(
                "{}: module `{module}` is not in the layering table of tests/it/module_layering.rs \
                 (add it, and its row in ARCHITECTURE.md)",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).unwrap_or_default();
        for (used, line) in crate_paths(&text) {
            if used == module || !allowed.contains_key(used.as_str()) {
                // Its own module, or an item of lib.rs (not a module of the table).
                continue;
            }
            if !may_use.contains(used.as_str()) {
                problems.push(format!(
                    "{}:{line}: `{module}` uses `crate::{used}`, which is above it",
                    file.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "upward imports:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_sees_single_and_grouped_paths() {
    let text =
        "use crate::policy::Arn;\nuse crate::{role, lint::Finding};\n// crate::tui in a comment\n";
    let names: Vec<String> = crate_paths(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["policy", "role", "lint"]);
}
