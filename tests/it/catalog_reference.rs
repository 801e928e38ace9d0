//! Checks against AWS's full service reference in `../shared/reference` (not in a clean clone,
//! so ignored by default): `cargo test --test it catalog_reference -- --ignored`.
//! The fact-by-fact comparison is `scripts/compare-catalog.py`; this checks the library API
//! (search ranking, expansion, lookups) on the full ~22k-action catalog.

use std::path::PathBuf;

use rolesmith::catalog::import;
use rolesmith::catalog::{ActionExpansion, Catalog};

fn reference_dir() -> Option<PathBuf> {
    // `$ROLESMITH_REFERENCE_DIR`, else the reference beside the repository (README).
    let dir = std::env::var_os("ROLESMITH_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/reference/aws-service-reference")
        });
    dir.is_dir().then_some(dir)
}

fn full_catalog() -> Option<(tempfile::TempDir, Catalog)> {
    let dir = reference_dir()?;
    let set = import::read_path(&dir).expect("the reference imports");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("catalog.json");
    let catalog =
        import::write_user_catalog(&set, "imported", &path).expect("written and read back");
    Some((tmp, catalog))
}

#[test]
#[ignore = "needs ../shared/reference"]
fn full_catalog_search_and_expansion() {
    let Some((_tmp, c)) = full_catalog() else {
        eprintln!("no ../shared/reference: skipped");
        return;
    };
    assert_eq!(
        c.services().len(),
        464,
        "466 files less the 2 in the old layout"
    );
    assert!(c.action_count() > 21_000);
    let first = |q: &str| {
        c.search(q, 5)
            .first()
            .map(|h| h.label())
            .unwrap_or_default()
    };
    assert_eq!(first("s3put"), "s3:PutObject");
    assert_eq!(first("passrole"), "iam:PassRole");
    assert_eq!(first("getsecret"), "secretsmanager:GetSecretValue");
    assert_eq!(first("kmsdecrypt"), "kms:Decrypt");
    for len in 1..=12 {
        assert!(!c.search(&"secretsmanager"[..len], 20).is_empty());
    }
    assert_eq!(c.expand_actions("*").matched().len(), c.action_count());
    assert!(matches!(
        c.expand_actions("deeplens:*"),
        ActionExpansion::UnknownService { .. }
    ));
    let objects = c.expand_actions("s3:*Object");
    assert!(
        objects
            .matched()
            .iter()
            .all(|r| r.action.name.ends_with("Object"))
    );
    // Curation applies over imported facts.
    assert!(
        c.action("iam", "PassRole")
            .is_some_and(|a| a.summary.is_some())
    );
}
