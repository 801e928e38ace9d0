//! The editing session's safety net: undo/redo history and autosave with resume.
//!
//! Kept apart from the TUI so the rules (what counts as unsaved, which autosave to offer)
//! are plain functions with plain tests.

pub mod autosave;
pub mod history;
pub mod last_used;

pub use autosave::{Autosave, AutosaveKey, AutosaveStore, Debouncer};
pub use history::History;
