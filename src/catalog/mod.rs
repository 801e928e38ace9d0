//! The catalog of AWS services, actions, resource types and condition keys, plus our curation.
//!
//! Layers (later override earlier): the embedded facts for the common services, the curated
//! layer (summaries, risk tags, presets, principals, managed policies), then the user catalog
//! imported from AWS's service reference.

pub mod curated;
pub mod model;

pub use model::*;
