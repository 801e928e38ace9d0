//! Reusable pieces of screen: forms, filterable lists, the JSON preview, text cut to fit.

pub mod field;
pub mod json_preview;
pub mod list;
pub mod text;
pub mod text_area;
