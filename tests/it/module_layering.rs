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

/// The components of the wizard: the steps, the Review step's Check panel and its
/// questions, the fixes, lesson mode and its panel, the overlays, the "why" texts and the
/// widgets. They get a `tui::context::Ctx` (or a read-only `View`) and ask for changes with
/// effects; `tui::app` applies them. None of them may name the app.
const COMPONENTS: &[&str] = &[
    "tui/steps/",
    "tui/check.rs",
    "tui/check_modal.rs",
    "tui/fixes.rs",
    "tui/lesson.rs",
    "tui/lesson_panel.rs",
    "tui/overlays.rs",
    "tui/teach.rs",
    "tui/widgets/",
];

/// Lines of `text` that name the app module or the `App` type: `tui::app`, `super::app`,
/// `crate::tui::App`, `super::App`, or one of those inside a `{…}` group.
fn app_imports(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code: String = line
            .split("//")
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if names_app(&code) {
            found.push(index + 1);
        }
    }
    found
}

/// Whether `code` (one line, spaces removed) reaches `app`/`App` through `super::` or `tui::`.
fn names_app(code: &str) -> bool {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let is_app = |name: &str| name == "app" || name == "App";
    for prefix in ["super::", "tui::"] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            // `super::super::app`: the chain ends at the first name that is not `super`.
            let mut tail = rest;
            while let Some(t) = tail.strip_prefix("super::") {
                tail = t;
            }
            if let Some(group) = tail.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                if group.split(',').any(|item| is_app(&ident(item))) {
                    return true;
                }
            } else if is_app(&ident(tail)) {
                return true;
            }
        }
    }
    false
}

/// Whether the file (relative to `src/`, with `/`) is one of the components.
fn is_component(relative: &str) -> bool {
    COMPONENTS
        .iter()
        .any(|c| relative == *c || (c.ends_with('/') && relative.starts_with(c)))
}

#[test]
fn components_never_name_the_app() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    files.sort();
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in &files {
        let Ok(relative) = file.strip_prefix(src_dir()) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if !is_component(&relative) {
            continue;
        }
        checked += 1;
        let text = fs::read_to_string(file).unwrap_or_default();
        for line in app_imports(&text) {
            problems.push(format!(
                "src/{relative}:{line}: a component names the app (take a Ctx or a View and \
                 push an Effect instead)"
            ));
        }
    }
    assert!(checked > 20, "the components were not found ({checked})");
    assert!(
        problems.is_empty(),
        "components that reach into tui::app:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_app_check_sees_every_way_of_naming_the_app() {
    let bad = [
        "use crate::tui::app::App;",
        "use super::app::{App, Modal};",
        "use crate::tui::App;",
        "use super::super::app::Pane;",
        "use crate::tui::{app, draw};",
        "fn f(app: &crate::tui::app::App) {}",
        "use super::{action::Action, App};",
    ];
    for text in bad {
        assert_eq!(app_imports(text), [1], "{text}");
    }
    let good = "use crate::tui::context::{Ctx, View};\n// super::app in a comment\n\
                let app_name = ctx.apply();\nuse super::application::X;\n";
    assert!(app_imports(good).is_empty());
    assert!(is_component("tui/steps/permissions/by_call.rs"));
    assert!(is_component("tui/check.rs"));
    assert!(!is_component("tui/app.rs"));
    assert!(!is_component("tui/checker.rs"));
}
