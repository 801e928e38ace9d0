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
pub fn locate_in_role_text(text: &str, pointer: &str) -> Option<(usize, usize)> {
    locate_path(text, &role_path(pointer))
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
    locate_path(text, &path)
}

fn locate_path(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    if text.trim_start().starts_with('{') {
        let map = SourceMap::build(text)?;
        let mut p = String::new();
        for seg in path {
            match seg {
                Seg::Key(k) => push_pointer_token(&mut p, k),
                Seg::Index(i) => p.push_str(&format!("/{i}")),
            }
        }
        return map.nearest_pos(&p).map(|pos| (pos.line, pos.column));
    }
    let root = DeTable::parse(text).ok()?;
    let mut span = None;
    let mut current: Option<&DeValue> = None;
    let mut table = Some(root.get_ref());
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
    Some(span.map_or((1, 1), |s| line_col(text, s.start)))
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
    fn pointers_map_to_json_role_positions() {
        let json = "{\"name\": \"r\",\n \"policy\": [{\"name\": \"p\", \"statement\": [{\"actions\": [\"s3:GetObject\"]}]}]}";
        assert_eq!(
            locate_in_role_text(json, "/Policies/0/PolicyDocument/Statement/0/Action/0"),
            Some((2, 54))
        );
    }
}
