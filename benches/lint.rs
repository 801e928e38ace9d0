//! Linting throughput: 1,000 generated policies of mixed real-world shapes
//! (`rolesmith::lint::corpus`), with the embedded catalog and, when
//! `ROLESMITH_FULL_CATALOG` names an imported user catalog file, with the full one.
//!
//! Target (issue 4): the whole process under 20 ms with the embedded catalog, under 40 ms
//! with the full catalog; measure the binary with hyperfine for the whole-process figure.

use divan::Bencher;
use rolesmith::catalog::Catalog;
use rolesmith::lint::corpus::generate;
use rolesmith::lint::{CatalogView, LintContext, LintOptions, lint_policy_text_in};

/// `ROLESMITH_WRITE_CORPUS=DIR cargo bench --bench benches` writes the 1,000 policies as
/// files instead of benchmarking, for timing the whole binary (hyperfine). True when it did.
pub fn write_corpus_if_asked() -> bool {
    let Some(dir) = std::env::var_os("ROLESMITH_WRITE_CORPUS") else {
        return false;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("create the corpus folder");
    for (i, (text, _)) in generate(1000).iter().enumerate() {
        std::fs::write(dir.join(format!("p{i:04}.json")), text).expect("write a policy");
    }
    true
}

/// As `rolesmith lint` does it: one lint context for the run, so each service of the
/// catalog is prepared once.
fn lint_all(
    catalog: &dyn CatalogView,
    policies: &[(String, rolesmith::lint::PolicyKind)],
) -> usize {
    let options = LintOptions::default();
    let cx = LintContext::new(catalog);
    policies
        .iter()
        .map(|(text, kind)| lint_policy_text_in(&cx, "p.json", text, *kind, &options).len())
        .sum()
}

/// 1,000 policies, embedded catalog (already loaded).
#[divan::bench]
fn lint_1000_embedded(bencher: Bencher) {
    let policies = generate(1000);
    let catalog = Catalog::embedded();
    bencher.bench(|| lint_all(divan::black_box(catalog), &policies));
}

/// Loading the embedded catalog (the process-start cost the lint pays once).
#[divan::bench]
fn decode_embedded_catalog() -> usize {
    Catalog::decode_embedded_facts().map_or(0, |c| c.action_count())
}

/// 1,000 policies against the full imported catalog, if one is given.
#[divan::bench]
fn lint_1000_full_catalog(bencher: Bencher) {
    let Some(path) = std::env::var_os("ROLESMITH_FULL_CATALOG") else {
        return;
    };
    let Ok(catalog) = Catalog::load_with(Some(std::path::Path::new(&path))) else {
        return;
    };
    let policies = generate(1000);
    bencher.bench(|| lint_all(divan::black_box(&catalog), &policies));
}
