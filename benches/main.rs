//! Every benchmark of rolesmith in one binary (it links once): `cargo bench --bench benches`,
//! or one group, e.g. `cargo bench --bench benches -- lint::`. Under `cargo test` each runs
//! once as a smoke test, on small inputs (see [`measuring`]).

/// The binary's allocator (`src/main.rs`), so the benches measure what `rolesmith` runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod activity;
mod catalog;
mod curated;
mod eval;
mod large_roles;
mod lint;
mod policy;
mod scaling;
mod tui;
mod tui_comfort;

/// True under `cargo bench` (cargo passes `--bench`); false under `cargo test`, where every
/// benchmark runs once and inputs that only matter for timing (a 1 GB trail, the full AWS
/// catalog imported from the reference files) are left out to keep the test suite short.
pub fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// `n` under `cargo bench`; a hundredth of it (at least 1) under `cargo test`, where a
/// benchmark only has to show it still runs: the sizes the goals name (10k statements, 10k
/// characters) are for measuring, and cost seconds each in a debug build.
pub fn input_size(n: usize) -> usize {
    if measuring() { n } else { (n / 100).max(1) }
}

/// AWS's service reference files, for the benchmarks on the full catalog: at
/// `$ROLESMITH_REFERENCE_DIR`, else `../shared/reference/aws-service-reference` beside the
/// repository (README). `None` when they are absent, and under `cargo test`.
pub fn reference_dir() -> Option<std::path::PathBuf> {
    if !measuring() {
        return None;
    }
    let dir = std::env::var_os("ROLESMITH_REFERENCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/reference/aws-service-reference")
        });
    dir.is_dir().then_some(dir)
}

fn main() {
    if lint::write_corpus_if_asked() {
        return;
    }
    divan::main();
    activity::print_peak_memory();
}
