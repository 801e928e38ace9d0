//! Issue 13 item 16: `catalog status` says how old the data is, beside when it was imported.

use std::path::Path;
use std::process::{Command, Output};

fn run(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .unwrap()
}

fn row<'a>(status: &'a str, label: &str) -> &'a str {
    status
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label} in {status}"))
}

#[test]
fn item_16_catalog_status_shows_the_date_of_the_data_and_of_the_import() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), &["catalog", "status"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        row(&text, "catalog:").contains("embedded 2026-08-22"),
        "{text}"
    );
    assert!(row(&text, "data as of:").contains("2026-08-22"), "{text}");

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog/good");
    let imported = run(
        home.path(),
        &[
            "catalog",
            "import",
            file.to_str().unwrap(),
            "--data-date",
            "2025-03-01",
        ],
    );
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let out = run(home.path(), &["catalog", "status"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let today = rolesmith::catalog::import::today();
    assert!(
        row(&text, "catalog:").contains(&format!("imported {today}")),
        "{text}"
    );
    assert!(
        row(&text, "data as of:").contains("2025-03-01 (given at import)"),
        "{text}"
    );
    let bad = run(
        home.path(),
        &[
            "catalog",
            "import",
            file.to_str().unwrap(),
            "--data-date",
            "March",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}
