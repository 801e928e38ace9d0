//! Reusable pieces of screen: forms, filterable lists, the JSON preview.

pub mod field;
pub mod json_preview;
pub mod list;
pub mod pane;
