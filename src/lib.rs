//! rolesmith: write least-privilege AWS IAM roles.
//!
//! The library holds everything testable; `main.rs` only calls [`cli::run`].
//! Data flows one way: role file or TUI state → [`role::Role`] → policy documents →
//! findings → preview or export. See `ARCHITECTURE.md`.

pub mod activity;
pub mod catalog;
pub mod cli;
pub mod diff;
pub mod error;
pub mod eval;
pub mod export;
pub mod io;
pub mod lessons;
pub mod lint;
pub mod policy;
pub mod role;
pub mod session;
pub mod tui;

pub use error::{Error, Result};
