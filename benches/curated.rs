//! Cost of the curated layer at start-up: parsing its TOML assets, and laying it over the
//! embedded facts. Both run once per process, inside the embedded catalog's < 5 ms budget.

use indexmap::IndexMap;
use rolesmith::catalog::curated::{Curated, curated};
use rolesmith::catalog::{Catalog, Service};

fn main() {
    divan::main();
}

#[divan::bench]
fn parse_curated_assets() -> Curated {
    Curated::parse_embedded().expect("embedded assets parse")
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
