//! Positions of role findings in the role file's own text.
//!
//! Role findings point into the role as `render --format json` prints it
//! (`/Policies/0/PolicyDocument/Statement/1/Resource/0`); the author wrote a role file
//! (`policy[0].statement[1].resources[0]`, TOML or JSON). This maps one to the other and
//! finds the line and column of the deepest part that exists in the text.

use toml::de::{DeTable, DeValue};

use crate::error::line_col;
use crate::policy::SourceMap;
use crate::policy::source::push_pointer_token;

/// One step into a role file.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The role file path of a role pointer.
fn role_path(pointer: &str) -> Vec<Seg> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut out = Vec::new();
    let mut it = tokens.iter().map(String::as_str).peekable();
    match it.next() {
        Some("AssumeRolePolicyDocument") => out.push(Seg::Key("trust".into())),
        Some(key @ ("expect" | "assumed_by")) => {
            out.push(Seg::Key(key.into()));
            if let Some(i) = it.next().and_then(|t| t.parse().ok()) {
                out.push(Seg::Index(i));
            }
        }
        Some("PermissionsBoundary") => out.push(Seg::Key("permissions_boundary".into())),
        Some("Tags") => {
            out.push(Seg::Key("tags".into()));
            if let Some(i) = it.next().and_then(|t| t.parse().ok()) {
                out.push(Seg::Index(i));
            }
        }
        Some("ManagedPolicyArns") => {
            out.push(Seg::Key("managed_policies".into()));
            if let Some(i) = it.next().and_then(|t| t.parse().ok()) {
                out.push(Seg::Index(i));
            }
        }
        Some("Policies") => {
            out.push(Seg::Key("policy".into()));
            if let Some(i) = it.next().and_then(|t| t.parse().ok()) {
                out.push(Seg::Index(i));
            }
            if it.next() == Some("PolicyDocument") && it.next() == Some("Statement") {
                out.push(Seg::Key("statement".into()));
                if let Some(j) = it.next().and_then(|t| t.parse().ok()) {
                    out.push(Seg::Index(j));
                }
                if let Some(field) = it.next() {
                    let key = match field {
                        "Sid" => "sid",
                        "Effect" => "effect",
                        "Action" => "actions",
                        "NotAction" => "not_actions",
                        "Resource" => "resources",
                        "NotResource" => "not_resources",
                        "Condition" => "condition",
                        _ => return out,
                    };
                    out.push(Seg::Key(key.into()));
                    for rest in it {
                        match rest.parse::<usize>() {
                            Ok(n) if key != "condition" => out.push(Seg::Index(n)),
                            _ => out.push(Seg::Key(rest.to_string())),
                        }
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// Line and column in the role file text of what `pointer` points at.
///
/// Parses the text for this one question: to place many findings, build a
/// [`RoleTextIndex`] once and ask it.
pub fn locate_in_role_text(text: &str, pointer: &str) -> Option<(usize, usize)> {
    RoleTextIndex::new(text).locate(pointer)
}

/// Line and column of a role file element named by a pointer in the role file's own keys
/// (`/lint/ignore/0`, `/policy/1/statement/0/ignore/2`).
pub fn locate_role_file_key(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let path: Vec<Seg> = pointer
        .split('/')
        .skip(1)
        .map(|t| match t.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(t.replace("~1", "/").replace("~0", "~")),
        })
        .collect();
    RoleTextIndex::new(text).locate_path(&path)
}

/// A role file's text parsed once, to place any number of findings in it.
///
/// Placing each finding by parsing the text again made `render` of a 10,000-statement
/// role quadratic (31 s); with the parse and the line starts kept, each finding costs a
/// walk down its path and a binary search.
pub struct RoleTextIndex<'a> {
    text: &'a str,
    parsed: Parsed<'a>,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
}

enum Parsed<'a> {
    Json(SourceMap),
    Toml(DeTable<'a>),
    /// The text does not parse: no position is known.
    Unparsed,
}

impl<'a> RoleTextIndex<'a> {
    /// Parses `text` (a role file in TOML, or JSON with the role file's keys).
    pub fn new(text: &'a str) -> Self {
        let parsed = if text.trim_start().starts_with('{') {
            SourceMap::build(text).map_or(Parsed::Unparsed, Parsed::Json)
        } else {
            DeTable::parse(text).map_or(Parsed::Unparsed, |t| Parsed::Toml(t.into_inner()))
        };
        let line_starts = match parsed {
            Parsed::Toml(_) => std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            _ => Vec::new(),
        };
        RoleTextIndex {
            text,
            parsed,
            line_starts,
        }
    }

    /// Line and column of what a role pointer (`/Policies/0/PolicyDocument/...`) points at.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        self.locate_path(&role_path(pointer))
    }

    fn locate_path(&self, path: &[Seg]) -> Option<(usize, usize)> {
        let root = match &self.parsed {
            Parsed::Unparsed => return None,
            Parsed::Json(map) => {
                let mut p = String::new();
                for seg in path {
                    match seg {
                        Seg::Key(k) => push_pointer_token(&mut p, k),
                        Seg::Index(i) => p.push_str(&format!("/{i}")),
                    }
                }
                return map.nearest_pos(&p).map(|pos| (pos.line, pos.column));
            }
            Parsed::Toml(root) => root,
        };
        let mut span = None;
        let mut current: Option<&DeValue> = None;
        let mut table = Some(root);
        for seg in path {
            match seg {
                Seg::Key(k) => {
                    let t = table?;
                    let Some((key, value)) = t.iter().find(|(key, _)| key.get_ref() == k) else {
                        break;
                    };
                    span = Some(match value.get_ref() {
                        DeValue::Table(_) | DeValue::Array(_) => value.span(),
                        _ => key.span(),
                    });
                    current = Some(value.get_ref());
                }
                Seg::Index(i) => {
                    // The i-th entry of a table (a tag of `[tags]`) or item of an array.
                    if let Some(t) = table {
                        let Some((key, _)) = t.iter().nth(*i) else {
                            break;
                        };
                        span = Some(key.span());
                        break;
                    }
                    let Some(DeValue::Array(items)) = current else {
                        break;
                    };
                    let Some(item) = items.get(*i) else { break };
                    span = Some(item.span());
                    current = Some(item.get_ref());
                }
            }
            table = match current {
                Some(DeValue::Table(t)) => Some(t),
                _ => None,
            };
        }
        // Nothing of the path is in the file (a role-level finding): the top of the file.
        Some(span.map_or((1, 1), |s| self.line_col(s.start)))
    }

    /// [`line_col`] by binary search over the line starts (same answer, without scanning
    /// the text before `offset`).
    fn line_col(&self, offset: usize) -> (usize, usize) {
        if offset > self.text.len() || !self.text.is_char_boundary(offset) {
            return line_col(self.text, offset);
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "name = \"r\"\nmanaged_policies = [\"A\", \"B\"]\n\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n\n[[policy]]\nname = \"p\"\n\n[[policy.statement]]\nactions = [\"s3:GetObject\"]\n\n[[policy.statement]]\nactions = [\"s3:PutObject\", \"s3:PutObjectAcl\"]\nresources = [\"arn:aws:s3:::b\"]\n";

    #[test]
    fn pointers_map_to_toml_positions() {
        assert_eq!(
            locate_in_role_text(ROLE, "/Policies/0/PolicyDocument/Statement/1/Action/1"),
            Some((14, 28))
        );
        assert_eq!(
            locate_in_role_text(ROLE, "/Policies/0/PolicyDocument/Statement/1/Resource"),
            Some((15, 13))
        );
        assert_eq!(
            locate_in_role_text(ROLE, "/ManagedPolicyArns/1"),
            Some((2, 26))
        );
        assert_eq!(
            locate_in_role_text(ROLE, "/AssumeRolePolicyDocument/Statement/0/Principal")
                .map(|p| p.0),
            Some(4)
        );
    }

    #[test]
    fn one_index_answers_like_a_parse_per_question() {
        let index = RoleTextIndex::new(ROLE);
        for pointer in [
            "",
            "/Policies/0/PolicyDocument/Statement/0/Action/0",
            "/Policies/0/PolicyDocument/Statement/1/Action/1",
            "/Policies/0/PolicyDocument/Statement/1/Resource/0",
            "/Policies/0/PolicyDocument/Statement/7",
            "/Policies/3",
            "/ManagedPolicyArns/0",
            "/AssumeRolePolicyDocument/Statement/0/Principal",
        ] {
            let path = role_path(pointer);
            let once = RoleTextIndex::new(ROLE).locate_path(&path);
            assert_eq!(index.locate(pointer), once, "{pointer}");
            // And the same as counting lines from the start of the text.
            if let Some((line, column)) = once {
                assert!(line >= 1 && column >= 1, "{pointer}");
            }
        }
        assert_eq!(index.line_col(0), line_col(ROLE, 0));
        for offset in [1, 10, 40, 100, ROLE.len() - 1, ROLE.len()] {
            assert_eq!(index.line_col(offset), line_col(ROLE, offset), "{offset}");
        }
        assert_eq!(RoleTextIndex::new("name = [").locate("/Tags/0"), None);
    }

    #[test]
    fn pointers_map_to_json_role_positions() {
        let json = "{\"name\": \"r\",\n \"policy\": [{\"name\": \"p\", \"statement\": [{\"actions\": [\"s3:GetObject\"]}]}]}";
        assert_eq!(
            locate_in_role_text(json, "/Policies/0/PolicyDocument/Statement/0/Action/0"),
            Some((2, 54))
        );
    }
}
