//! Editing a role file in place: adding one statement to an inline policy while keeping
//! everything else of the file (TOML comments and layout through `toml_edit`; a JSON role
//! file keeps its key order). The result is parsed and validated before it is returned.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::error::{Error, Result};

use super::spec::{RoleSyntax, StatementSpec, parse_role_text};

/// Name of the inline policy created when a role has none.
pub const NEW_POLICY_NAME: &str = "access-fixes";

/// The file text with `statement` appended to the inline policy `policy` (default: the
/// first one; a new one when the role has none), and the policy's name.
pub fn add_statement(
    origin: &str,
    text: &str,
    policy: Option<&str>,
    statement: &StatementSpec,
    comment: &str,
) -> Result<(String, String)> {
    let before = parse_role_text(origin, text)?;
    let target = match policy {
        Some(name) => {
            if !before.policies.iter().any(|p| p.name == name) {
                return Err(Error::Invalid {
                    origin: origin.into(),
                    message: format!("the role has no inline policy named {name:?}"),
                });
            }
            name.to_string()
        }
        None => before
            .policies
            .first()
            .map_or_else(|| NEW_POLICY_NAME.to_string(), |p| p.name.clone()),
    };
    let new_text = match RoleSyntax::sniff(text) {
        RoleSyntax::Toml => add_toml(origin, text, &target, statement, comment)?,
        RoleSyntax::Json => add_json(origin, text, &target, statement)?,
    };
    // The edit must give the same role plus the statement, and nothing else.
    let after = parse_role_text(origin, &new_text)?;
    let mut expected = before;
    match expected.policies.iter_mut().find(|p| p.name == target) {
        Some(p) => p.statements.push(statement.clone()),
        None => expected.policies.push(super::spec::InlinePolicySpec {
            name: target.clone(),
            statements: vec![statement.clone()],
            ..Default::default()
        }),
    }
    if after != expected {
        return Err(Error::Other(format!(
            "{origin}: the edited role file does not read back as the role plus the statement; nothing written"
        )));
    }
    Ok((new_text, target))
}

fn strings(values: &[String]) -> Item {
    let mut a = Array::new();
    for v in values {
        a.push(v.as_str());
    }
    value(a)
}

fn statement_table(s: &StatementSpec, comment: &str) -> Table {
    let mut t = Table::new();
    if let Some(sid) = &s.sid {
        t["sid"] = value(sid.as_str());
    }
    if s.effect != crate::policy::Effect::Allow {
        t["effect"] = value(s.effect.to_string());
    }
    for (key, list) in [
        ("actions", &s.actions),
        ("not_actions", &s.not_actions),
        ("resources", &s.resources),
        ("not_resources", &s.not_resources),
    ] {
        if !list.is_empty() {
            t[key] = strings(list);
        }
    }
    let safe: String = comment.chars().filter(|c| !c.is_control()).collect();
    if !safe.is_empty() {
        t.decor_mut().set_prefix(format!("\n# {safe}\n"));
    }
    t
}

fn add_toml(
    origin: &str,
    text: &str,
    target: &str,
    s: &StatementSpec,
    comment: &str,
) -> Result<String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::Invalid {
            origin: origin.into(),
            message: format!("cannot edit the file: {}", e.message()),
        })?;
    let mut table = statement_table(s, comment);
    let not_tables = || {
        Error::Invalid {
        origin: origin.into(),
        message: "the role's policies are not written as [[policy]] / [[policy.statement]] tables; add the statement by hand".into(),
    }
    };
    // Where the policy's last table sits, so the new one can follow it: written after
    // another table, `[[policy.statement]]` would belong to the last `[[policy]]` instead.
    let after: Option<isize> = match doc.get("policy") {
        None => None,
        Some(item) => {
            let policies = item.as_array_of_tables().ok_or_else(not_tables)?;
            policies
                .iter()
                .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(target))
                .and_then(|p| {
                    let statements = p
                        .get("statement")
                        .and_then(|s| s.as_array_of_tables())
                        .and_then(|s| s.iter().filter_map(|t| t.position()).max());
                    statements.or(p.position())
                })
        }
    };
    if let Some(pos) = after {
        bump_positions(doc.as_table_mut(), pos);
        table.set_position(Some(pos + 1));
    }
    let policies = doc
        .entry("policy")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(not_tables)?;
    let index = policies
        .iter()
        .position(|p| p.get("name").and_then(|n| n.as_str()) == Some(target));
    match index.and_then(|i| policies.get_mut(i)) {
        Some(policy) => {
            policy
                .entry("statement")
                .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
                .as_array_of_tables_mut()
                .ok_or_else(not_tables)?
                .push(table);
        }
        None => {
            let mut policy = Table::new();
            policy["name"] = value(target);
            let mut statements = ArrayOfTables::new();
            statements.push(table);
            policy.insert("statement", Item::ArrayOfTables(statements));
            policy.decor_mut().set_prefix("\n");
            policies.push(policy);
        }
    }
    Ok(doc.to_string())
}

/// Moves every table placed after `pos` one place down, making room at `pos + 1`.
fn bump_positions(table: &mut Table, pos: isize) {
    for (_, item) in table.iter_mut() {
        let bump = |t: &mut Table| {
            if let Some(p) = t.position()
                && p > pos
            {
                t.set_position(Some(p + 1));
            }
            bump_positions(t, pos);
        };
        match item {
            Item::Table(t) => bump(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(bump),
            _ => {}
        }
    }
}

fn add_json(origin: &str, text: &str, target: &str, s: &StatementSpec) -> Result<String> {
    let mut root: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Parse {
        origin: origin.into(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: crate::policy::source::json_error_message(&e),
    })?;
    let stmt = serde_json::to_value(s).map_err(|e| Error::Other(e.to_string()))?;
    let Some(obj) = root.as_object_mut() else {
        return Err(Error::Invalid {
            origin: origin.into(),
            message: "not a JSON object".into(),
        });
    };
    let policies = obj
        .entry("policy")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    let Some(list) = policies.as_array_mut() else {
        return Err(Error::Invalid {
            origin: origin.into(),
            message: "`policy` is not an array".into(),
        });
    };
    match list
        .iter_mut()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(target))
    {
        Some(p) => {
            let Some(po) = p.as_object_mut() else {
                return Err(Error::Invalid {
                    origin: origin.into(),
                    message: "a policy is not an object".into(),
                });
            };
            let statements = po
                .entry("statement")
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            match statements.as_array_mut() {
                Some(a) => a.push(stmt),
                None => {
                    return Err(Error::Invalid {
                        origin: origin.into(),
                        message: "`statement` is not an array".into(),
                    });
                }
            }
        }
        None => list.push(serde_json::json!({"name": target, "statement": [stmt]})),
    }
    Ok(serde_json::to_string_pretty(&root).unwrap_or_default() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt() -> StatementSpec {
        StatementSpec {
            actions: vec!["s3:GetObject".into()],
            resources: vec!["arn:aws:s3:::b/k".into()],
            ..Default::default()
        }
    }

    #[test]
    fn toml_keeps_comments_and_lands_in_the_right_policy() {
        let text = "# my role\nname = \"r\"  # trailing\n\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n\n[[policy]]\nname = \"first\"\n\n[[policy.statement]]\nactions = [\"s3:PutObject\"]\nresources = [\"arn:aws:s3:::b/*\"]\n\n[[policy]]\nname = \"second\"\n\n[[policy.statement]]\nactions = [\"sqs:SendMessage\"]\nresources = [\"arn:aws:sqs:eu-west-1:123456789012:q\"]\n\n[[expect]]\nallow = \"s3:PutObject\"\nresource = \"arn:aws:s3:::b/k\"\n";
        let (out, name) =
            add_statement("r.toml", text, None, &stmt(), "added for s3:GetObject").unwrap();
        assert_eq!(name, "first");
        assert!(
            out.starts_with("# my role\nname = \"r\"  # trailing\n"),
            "{out}"
        );
        assert!(out.contains("# added for s3:GetObject"), "{out}");
        let role = parse_role_text("r.toml", &out).unwrap();
        assert_eq!(role.policies[0].statements.len(), 2);
        assert_eq!(role.policies[1].statements.len(), 1);
        assert_eq!(role.expectations.len(), 1);
        let (out2, _) = add_statement("r.toml", text, Some("second"), &stmt(), "").unwrap();
        let role2 = parse_role_text("r.toml", &out2).unwrap();
        assert_eq!(role2.policies[1].statements.len(), 2);
    }

    #[test]
    fn a_role_without_policies_gets_one_and_json_roles_work() {
        let text = "name = \"r\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n";
        let (out, name) = add_statement("r.toml", text, None, &stmt(), "x").unwrap();
        assert_eq!(name, NEW_POLICY_NAME);
        assert_eq!(parse_role_text("r.toml", &out).unwrap().policies.len(), 1);
        let json = "{\"name\": \"r\", \"trust\": {\"services\": [\"lambda.amazonaws.com\"]}, \"policy\": [{\"name\": \"p\", \"statement\": []}]}";
        let (out, _) = add_statement("r.json", json, None, &stmt(), "").unwrap();
        assert_eq!(
            parse_role_text("r.json", &out).unwrap().policies[0]
                .statements
                .len(),
            1
        );
    }
}
