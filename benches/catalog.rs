//! Catalog performance targets (2-core machine): a one-file lint or one `catalog` query loads
//! the catalog in well under 1 ms, embedded or full (~22k actions): loading reads only the
//! stored form's header and each service is decoded on first use. `*_decode_all` is the cost
//! of every service (what every load paid before: ~3-4 ms embedded, ~17 ms full). One fuzzy
//! search over the full catalog < 2 ms. API operations are decoded only on first use (not
//! part of the loads above): their decode, and resolving a call as it is typed (for the TUI's
//! "add by API call"), are measured on their own.
//!
//! The full catalog comes from `../shared/reference/aws-service-reference` when it is there,
//! else from a synthetic set of the same size.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rolesmith::catalog::import::{self, ImportSet};
use rolesmith::catalog::{AccessLevel, Action, ActionResource, Catalog, ResourceType, Service};

/// A temp folder holding the full catalog in its stored form, written once.
fn full_catalog_file() -> &'static Path {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = FILE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("catalog.json");
        let set = real_reference().unwrap_or_else(synthetic);
        // Written as `catalog import` does: the catalog and its operations file.
        import::write_user_catalog(&set, "imported", &path).expect("write catalog");
        (dir, path)
    });
    path
}

fn real_reference() -> Option<ImportSet> {
    import::read_path(&crate::reference_dir()?).ok()
}

/// 450 services of 49 actions each (~22k), with resource types and condition keys.
fn synthetic() -> ImportSet {
    let mut set = ImportSet::default();
    // Under `cargo test` a small catalog proves the benchmarks run; timing needs the big one.
    let services = if crate::measuring() { 450 } else { 12 };
    for s in 0..services {
        let prefix = format!("svc{s}");
        let mut service = Service {
            prefix: prefix.clone(),
            name: prefix.clone(),
            ..Service::default()
        };
        for r in 0..5 {
            let name = format!("thing{r}");
            service.resources.insert(
                name.clone(),
                ResourceType {
                    name: name.clone(),
                    arn_formats: vec![format!(
                        "arn:${{Partition}}:{prefix}:${{Region}}:${{Account}}:{name}/${{Id}}"
                    )],
                    conditions: vec!["aws:ResourceTag/${TagKey}".into()],
                },
            );
        }
        for a in 0..49 {
            let name = format!(
                "{}Thing{a}Configuration",
                ["Get", "Put", "List", "Delete"][a % 4]
            );
            service.actions.insert(
                name.clone(),
                Action {
                    name,
                    access: AccessLevel::Write,
                    resources: vec![ActionResource {
                        type_name: format!("thing{}", a % 5),
                        conditions: vec![],
                    }],
                    conditions: vec!["aws:RequestTag/${TagKey}".into(), format!("{prefix}:Color")],
                    summary: None,
                    featured: false,
                    risks: vec![],
                },
            );
        }
        set.services.push(service);
    }
    set
}

fn full_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let c = Catalog::load_with(Some(full_catalog_file())).expect("full catalog");
        c.search("warm", 1);
        c
    })
}

/// Opening the embedded facts: the header and index only.
#[divan::bench]
fn load_embedded() -> Catalog {
    Catalog::decode_embedded_facts().expect("embedded catalog")
}

/// Opening the embedded facts and decoding every service (all a load cost before).
#[divan::bench]
fn load_embedded_decode_all() -> usize {
    Catalog::decode_embedded_facts()
        .expect("embedded catalog")
        .decode_all()
}

/// What `lint` of a one-statement S3 policy asks: the catalog opened, then one service.
#[divan::bench]
fn load_embedded_then_one_service() -> usize {
    let c = Catalog::decode_embedded_facts().expect("embedded catalog");
    c.action("s3", "GetObject").map_or(0, |a| a.resources.len())
}

/// Opening the full user catalog over the embedded one (the embedded one already open).
#[divan::bench]
fn load_full_imported(bencher: divan::Bencher) {
    let path = full_catalog_file();
    Catalog::embedded();
    bencher.bench(|| Catalog::load_with(Some(path)).expect("full catalog"));
}

/// Opening the full user catalog and decoding every service.
#[divan::bench]
fn load_full_imported_decode_all(bencher: divan::Bencher) {
    let path = full_catalog_file();
    Catalog::embedded();
    bencher.bench(|| {
        Catalog::load_with(Some(path))
            .expect("full catalog")
            .decode_all()
    });
}

/// `catalog actions s3` on the full catalog: opened, then one service's actions listed.
#[divan::bench]
fn query_full_actions_s3(bencher: divan::Bencher) {
    let path = full_catalog_file();
    Catalog::embedded();
    bencher.bench(|| {
        let c = Catalog::load_with(Some(path)).expect("full catalog");
        let s3 = c.service("s3").expect("s3");
        s3.actions.values().map(|a| a.name.len()).sum::<usize>()
    });
}

/// Queries typed one character at a time: prefixes of these, 1 to 12 characters.
const QUERIES: [&str; 2] = ["secretsmgetv", "s3putobjectr"];

#[divan::bench(args = 1..=12)]
fn search_full_secretsmgetv(bencher: divan::Bencher, len: usize) {
    let c = full_catalog();
    bencher.bench(|| c.search(&QUERIES[0][..len], 20).len());
}

#[divan::bench(args = 1..=12)]
fn search_full_s3putobjectr(bencher: divan::Bencher, len: usize) {
    let c = full_catalog();
    bencher.bench(|| c.search(&QUERIES[1][..len], 20).len());
}

#[divan::bench]
fn operations_decode_embedded() -> usize {
    Catalog::decode_embedded_operations()
        .expect("embedded operations")
        .len()
}

/// First use of the operations of the full catalog (the catalog itself already loaded).
#[divan::bench]
fn operations_first_use_full(bencher: divan::Bencher) {
    let path = full_catalog_file();
    bencher
        .with_inputs(|| Catalog::load_with(Some(path)).expect("full catalog"))
        .bench_values(|c| c.operations().map(|o| o.len()).unwrap_or_default());
}

/// A call typed one character at a time: resolution, the split and completion per keystroke,
/// on the full catalog.
#[divan::bench(args = [2, 6, 10, 14])]
fn call_keystroke_full(bencher: divan::Bencher, len: usize) {
    use rolesmith::catalog::operations::{permissions, resolve, resolve::complete};
    let c = full_catalog();
    let ops = c.operations().expect("operations");
    let typed = &"s3.copy_object"[..len];
    bencher.bench(|| {
        let n = complete(ops, typed, 10).len();
        match resolve(ops, typed) {
            Ok(r) => n + permissions(c, r.operation).needed.len(),
            Err(_) => n,
        }
    });
}
