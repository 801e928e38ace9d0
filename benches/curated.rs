//! Cost of the curated layer: parsing all its assets (the TUI and `catalog` listings), the one
//! piece a one-file lint needs (one service's part of `services.toml`, curated as the service
//! is decoded), and laying the whole layer over the embedded facts.

use indexmap::IndexMap;
use rolesmith::catalog::curated::{Curated, curated};
use rolesmith::catalog::{Catalog, Service};

#[divan::bench]
fn parse_curated_assets() -> Curated {
    Curated::parse_embedded().expect("embedded assets parse")
}

/// One service's curation parsed from its own tables (what decoding `s3` costs on top).
#[divan::bench]
fn parse_one_service_curation() -> usize {
    rolesmith::catalog::curated::lazy::parse_service_curation_afresh("s3")
        .map_or(0, |c| c.actions.len())
}

#[divan::bench]
fn apply_curation_to_embedded_facts(bencher: divan::Bencher) {
    let facts = Catalog::decode_embedded_facts().expect("embedded facts decode");
    let services: IndexMap<String, Service> = facts
        .services()
        .map(|s| (s.prefix.clone(), s.clone()))
        .collect();
    let curated = curated();
    bencher
        .with_inputs(|| services.clone())
        .bench_local_values(|mut services| {
            curated.apply_to(&mut services);
            services
        });
}
