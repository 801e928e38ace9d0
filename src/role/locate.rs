//! Finds the line and column of a role file field, for error messages.

use toml::de::{DeTable, DeValue};

use crate::error::line_col;
use crate::policy::source::{SourceMap, push_pointer_token};

use super::spec::RoleSyntax;
use super::validate::{FieldPath, PathSeg};

/// Line and column of a field of a role file (`policy[0].statement[1]`), TOML or JSON:
/// the deepest part of `path` that exists in `text`.
pub fn field_position(text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    locate(RoleSyntax::sniff(text), text, path)
}

/// The position of the deepest part of `path` that exists in `text`.
pub(super) fn locate(syntax: RoleSyntax, text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    match syntax {
        RoleSyntax::Json => {
            let map = SourceMap::build(text)?;
            let mut pointer = String::new();
            for seg in &path.0 {
                match seg {
                    PathSeg::Key(k) => push_pointer_token(&mut pointer, k),
                    PathSeg::Name(k) => push_pointer_token(&mut pointer, k),
                    PathSeg::Index(i) => pointer.push_str(&format!("/{i}")),
                }
            }
            map.nearest_pos(&pointer).map(|p| (p.line, p.column))
        }
        RoleSyntax::Toml => {
            let root = DeTable::parse(text).ok()?;
            let mut span = root.span();
            let mut current: Option<&DeValue> = None;
            let mut table = Some(root.get_ref());
            for seg in &path.0 {
                let k: &str = match seg {
                    PathSeg::Key(k) => k,
                    PathSeg::Name(k) => k,
                    PathSeg::Index(_) => "",
                };
                match seg {
                    PathSeg::Key(_) | PathSeg::Name(_) => {
                        let t = table?;
                        let Some((key, value)) = t.iter().find(|(key, _)| key.get_ref() == k)
                        else {
                            break;
                        };
                        // Point at the key of a scalar, at the value of a container.
                        span = match value.get_ref() {
                            DeValue::Table(_) | DeValue::Array(_) => value.span(),
                            _ => key.span(),
                        };
                        current = Some(value.get_ref());
                    }
                    PathSeg::Index(i) => {
                        let Some(DeValue::Array(items)) = current else {
                            break;
                        };
                        let Some(item) = items.get(*i) else { break };
                        span = item.span();
                        current = Some(item.get_ref());
                    }
                }
                table = match current {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                };
            }
            Some(line_col(text, span.start))
        }
    }
}
