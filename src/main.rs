//! The `rolesmith` binary: everything lives in the library; this only hands over.
#![forbid(unsafe_code)]

/// mimalloc serves the lint's many small allocations faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rolesmith::cli::run()
}
