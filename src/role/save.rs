//! Saving a role over the TOML file it was opened from, keeping the file's comments and
//! layout (`toml_edit`): only the keys, array entries and tables whose values changed are
//! rewritten. Everything the user did not touch — comments, blank lines, key order, the
//! quoting of strings, multi-line arrays, `document = "trust.json"` — stays byte for byte.
//!
//! The merged text must read back as exactly the role a fresh write would give; when it
//! does not (a layout this merge cannot follow), the caller writes the file fresh instead,
//! so keeping comments can never change what the file means.

use std::path::Path;

use serde_json::Value as Json;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::error::Result;

use super::spec::{RoleSpec, RoleSyntax, TrustDocument, resolve_trust_document};

/// The text to write for `role` and whether the old file's layout was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveText {
    pub text: String,
    /// True when `text` is the old file with only the changes merged in.
    pub kept_layout: bool,
    /// The trust document file the role file names, kept named and written when the
    /// document changed (see `role::trust_file`).
    pub trust_file: Option<super::trust_file::TrustFile>,
}

/// The text of `role` as a role file replacing `old` (the current text of the file it was
/// opened from; `None` when there is none). `base` is the file's folder, for a trust
/// document given as a path. A JSON file, or TOML this merge cannot follow, is written fresh.
pub fn role_file_text(old: Option<&str>, base: &Path, role: &RoleSpec) -> Result<SaveText> {
    let trust_file = match old {
        Some(old) if RoleSyntax::sniff(old) == RoleSyntax::Toml => {
            super::trust_file::plan(old, base, role)?
        }
        _ => None,
    };
    // The role file keeps naming its trust document file; the document goes there.
    let mut target = role.clone();
    if let Some(t) = &trust_file {
        target.trust.document = Some(TrustDocument::Path(t.rel.clone()));
    }
    if let Some(old) = old
        && RoleSyntax::sniff(old) == RoleSyntax::Toml
        && let Some(text) = merge(old, base, &target)
    {
        return Ok(SaveText {
            text,
            kept_layout: true,
            trust_file,
        });
    }
    Ok(SaveText {
        text: target.to_toml()?,
        kept_layout: false,
        trust_file,
    })
}

/// The old text with `role` merged in, or `None` when that cannot be done faithfully.
fn merge(old: &str, base: &Path, role: &RoleSpec) -> Option<String> {
    let doc: DocumentMut = old.parse().ok()?;
    let mut target = role.clone();
    // A trust document read from a file was inlined on loading: when it is unchanged,
    // the file keeps pointing at it instead of growing a copy (an edited one is written
    // back to the file: `role_file_text` passes the path in already).
    if let Ok(raw) = toml::from_str::<RoleSpec>(old)
        && let Some(TrustDocument::Path(rel)) = &raw.trust.document
    {
        let mut resolved = raw.clone();
        if resolve_trust_document(&mut resolved, base).is_ok()
            && resolved.trust.document == role.trust.document
        {
            target.trust.document = Some(TrustDocument::Path(rel.clone()));
        }
    }
    let fresh = target.to_toml().ok()?;
    let mut new_doc: DocumentMut = fresh.parse().ok()?;
    // `managed_policies`/`assumed_by` written under `[trust]` (loading moves them to the
    // top): they stay where the file has them.
    for key in ["managed_policies", "assumed_by"] {
        let under_trust = doc
            .get("trust")
            .and_then(Item::as_table_like)
            .is_some_and(|t| t.contains_key(key));
        if under_trust
            && let Some(item) = new_doc.remove(key)
            && let Some(trust) = new_doc.get_mut("trust").and_then(Item::as_table_mut)
        {
            trust.insert(key, item);
        }
    }
    let expected = normalised(toml::from_str::<RoleSpec>(&fresh).ok()?);
    // Keys the fresh text leaves out because they hold what their absence means
    // (`require_mfa = false`, `conditions = []`) stay in the file with their comments when
    // that reads back the same; else they go, as a fresh write would have it.
    [Emptied::Keep, Emptied::Drop]
        .into_iter()
        .find_map(|emptied| {
            let mut doc = doc.clone();
            merge_table(doc.as_table_mut(), new_doc.as_table(), emptied);
            let text = doc.to_string();
            // Proof: the merged file means what the fresh one means.
            let merged: RoleSpec = toml::from_str(&text).ok()?;
            (normalised(merged) == expected).then_some(text)
        })
}

/// What happens to a key the fresh text leaves out that still means what its omission
/// means — a flag (turned off: `false`) or a list or inline table the file wrote empty: kept
/// with that value and its comment, or dropped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emptied {
    Keep,
    Drop,
}

/// `value` as what a role field holds when a fresh write skips it: a flag turned off, or
/// a list or inline table that is empty already (one the user emptied goes, rather than
/// leaving `services = []` behind).
fn emptied(value: &Value) -> Option<Value> {
    let mut out = match value {
        Value::Boolean(_) => Value::from(false),
        Value::Array(a) if a.is_empty() => return Some(value.clone()),
        Value::InlineTable(t) if t.is_empty() => return Some(value.clone()),
        _ => return None,
    };
    *out.decor_mut() = value.decor().clone();
    Some(out)
}

/// Moves the keys a TOML file may write under `[trust]` by accident to where loading puts
/// them, so both sides of the read-back comparison agree.
fn normalised(mut role: RoleSpec) -> RoleSpec {
    role.managed_policies
        .append(&mut std::mem::take(&mut role.trust.managed_policies));
    role.assumed_by
        .append(&mut std::mem::take(&mut role.trust.assumed_by));
    role
}

/// What an item means, without its formatting (comments, quoting, inline or not).
fn meaning(item: &Item) -> Json {
    match item {
        Item::None => Json::Null,
        Item::Value(v) => value_meaning(v),
        Item::Table(t) => {
            Json::Object(t.iter().map(|(k, v)| (k.to_string(), meaning(v))).collect())
        }
        Item::ArrayOfTables(a) => {
            Json::Array(a.iter().map(|t| meaning(&Item::Table(t.clone()))).collect())
        }
    }
}

fn value_meaning(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::String(s.value().clone()),
        Value::Integer(i) => Json::from(*i.value()),
        Value::Float(f) => {
            serde_json::Number::from_f64(*f.value()).map_or(Json::Null, Json::Number)
        }
        Value::Boolean(b) => Json::Bool(*b.value()),
        Value::Datetime(d) => Json::String(d.value().to_string()),
        Value::Array(a) => Json::Array(a.iter().map(value_meaning).collect()),
        Value::InlineTable(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), value_meaning(v)))
                .collect(),
        ),
    }
}

/// `new`'s keys with `old`'s formatting wherever a value is unchanged. Keys that replace
/// removed ones (a trust `document` converted into `services = [...]`) take the place of
/// the first removed key, with the comment lines above it, instead of the table's end.
fn merge_table(old: &mut Table, new: &Table, emptied_keys: Emptied) {
    // A key kept with its empty value is not one of the removed ones.
    let kept_empty = |k: &str, item: &Item| {
        emptied_keys == Emptied::Keep
            && !new.contains_key(k)
            && item.as_value().and_then(emptied).is_some()
    };
    for (k, item) in old.iter_mut() {
        if kept_empty(k.get(), item)
            && let Item::Value(v) = item
            && let Some(empty) = emptied(v)
            && value_meaning(v) != value_meaning(&empty)
        {
            *v = empty;
        }
    }
    let gone: Vec<String> = old
        .iter()
        .filter(|(k, item)| !new.contains_key(k) && !kept_empty(k, item))
        .map(|(k, _)| k.to_string())
        .collect();
    // Where the first removed plain key (not a table) sat, and the comment lines above it.
    let keys: Vec<String> = old.iter().map(|(k, _)| k.to_string()).collect();
    let slot = keys
        .iter()
        .position(|k| gone.contains(k) && old.get(k).is_some_and(Item::is_value));
    let slot_prefix = slot
        .and_then(|i| old.key(&keys[i]))
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_string);
    for k in &gone {
        old.remove(k);
    }
    let mut added: Vec<String> = Vec::new();
    for (k, item) in new.iter() {
        match old.get_mut(k) {
            Some(existing) => merge_item(existing, item, emptied_keys),
            // What a fresh write spells out but means nothing (`effect = "Allow"`, an
            // empty `[trust]`) is not added to a file that leaves it out.
            None if is_default(k, item) => {}
            None => {
                old.insert(k, fresh(item));
                if item.is_value() {
                    added.push(k.to_string());
                }
            }
        }
    }
    let Some(slot) = slot.filter(|_| !added.is_empty()) else {
        return;
    };
    // The kept keys before the slot stay first, then the added ones, then the rest.
    let before: Vec<&String> = keys[..slot].iter().filter(|k| !gone.contains(k)).collect();
    let rank = |k: &str| -> usize {
        if before.iter().any(|b| b.as_str() == k) {
            0
        } else if added.iter().any(|a| a == k) {
            1
        } else {
            2
        }
    };
    old.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    if let Some(prefix) = slot_prefix
        && let Some(mut key) = old.key_mut(&added[0])
    {
        key.leaf_decor_mut().set_prefix(prefix);
    }
}

/// A key a fresh write always writes, holding the value its absence means.
fn is_default(key: &str, item: &Item) -> bool {
    match item {
        Item::Table(t) => t.iter().all(|(k, v)| is_default(k, v)),
        _ => key == "effect" && item.as_str() == Some("Allow"),
    }
}

fn merge_item(old: &mut Item, new: &Item, emptied_keys: Emptied) {
    if meaning(old) == meaning(new) {
        return;
    }
    match (&mut *old, new) {
        (Item::Table(o), Item::Table(n)) => merge_table(o, n, emptied_keys),
        (Item::ArrayOfTables(o), Item::ArrayOfTables(n)) => merge_tables(o, n, emptied_keys),
        (Item::Value(o), Item::Value(n)) => merge_value(o, n),
        _ => *old = fresh(new),
    }
}

/// A changed value keeps the comment after it; a changed array keeps its unchanged
/// entries (and their comments) and its one-entry-a-line shape.
fn merge_value(old: &mut Value, new: &Value) {
    let decor = old.decor().clone();
    match (&mut *old, new) {
        (Value::Array(o), Value::Array(n)) => merge_array(o, n),
        _ => *old = new.clone(),
    }
    *old.decor_mut() = decor;
}

fn merge_array(old: &mut Array, new: &Array) {
    let multiline = old.iter().any(|v| {
        v.decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'))
    });
    // A new entry goes on its own line with the indentation of the last one (the comment
    // on a line belongs to the entry after it, so only the indentation is taken).
    let indent = old
        .iter()
        .last()
        .and_then(|v| v.decor().prefix().and_then(|p| p.as_str()))
        .and_then(|p| p.rsplit('\n').next())
        .unwrap_or("    ")
        .to_string();
    let mut unused: Vec<Option<Value>> = old.iter().cloned().map(Some).collect();
    let mut out = Array::new();
    for v in new.iter() {
        let want = value_meaning(v);
        let reused = unused
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|o| value_meaning(o) == want))
            .and_then(Option::take);
        let value = match reused {
            Some(o) => o,
            None => {
                let mut v = v.clone();
                if multiline {
                    v.decor_mut().set_prefix(format!("\n{indent}"));
                    v.decor_mut().set_suffix("");
                } else {
                    v.decor_mut().clear();
                }
                v
            }
        };
        out.push_formatted(value);
    }
    if multiline {
        out.set_trailing(old.trailing().clone());
        out.set_trailing_comma(old.trailing_comma());
    } else {
        out.fmt();
    }
    *out.decor_mut() = old.decor().clone();
    *old = out;
}

/// `[[policy]]`, `[[policy.statement]]`, `[[expect]]`: an old table is reused for the new
/// one it equals, else the one of the same `name`/`sid`, else the next one left, so the
/// comments above a statement stay with it when another statement is removed.
fn merge_tables(old: &mut ArrayOfTables, new: &ArrayOfTables, emptied_keys: Emptied) {
    let originals: Vec<Table> = old.iter().cloned().collect();
    let new: Vec<&Table> = new.iter().collect();
    let label = |t: &Table| {
        ["name", "sid"].iter().find_map(|k| {
            t.get(k)
                .and_then(|v| v.as_str())
                .map(|s| format!("{k}={s}"))
        })
    };
    let table_meaning = |t: &Table| meaning(&Item::Table(t.clone()));
    let old_meanings: Vec<Json> = originals.iter().map(table_meaning).collect();
    let mut taken = vec![false; originals.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; new.len()];
    // Equal first, then the same name/sid, then in order.
    for (j, n) in new.iter().enumerate() {
        let want = table_meaning(n);
        if let Some(i) = (0..originals.len()).find(|&i| !taken[i] && old_meanings[i] == want) {
            pairs[j] = Some(i);
            taken[i] = true;
        }
    }
    for (j, n) in new.iter().enumerate() {
        if pairs[j].is_some() {
            continue;
        }
        let Some(l) = label(n) else { continue };
        if let Some(i) =
            (0..originals.len()).find(|&i| !taken[i] && label(&originals[i]).as_ref() == Some(&l))
        {
            pairs[j] = Some(i);
            taken[i] = true;
        }
    }
    for pair in pairs.iter_mut() {
        if pair.is_none()
            && let Some(i) = (0..originals.len()).find(|&i| !taken[i])
        {
            *pair = Some(i);
            taken[i] = true;
        }
    }
    let mut out = ArrayOfTables::new();
    for (j, n) in new.iter().enumerate() {
        match pairs[j] {
            Some(i) => {
                let mut t = originals[i].clone();
                merge_table(&mut t, n, emptied_keys);
                out.push(t);
            }
            None => {
                let mut t = (*n).clone();
                clear_positions(&mut t);
                out.push(t);
            }
        }
    }
    *old = out;
}

/// An item taken from the fresh text, placed by the document order instead of the
/// positions it had there (a table without a position follows the table before it).
fn fresh(item: &Item) -> Item {
    let mut item = item.clone();
    match &mut item {
        Item::Table(t) => clear_positions(t),
        Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_positions),
        _ => {}
    }
    item
}

fn clear_positions(t: &mut Table) {
    t.set_position(None);
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(t) => clear_positions(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_positions),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::spec::parse_role_text;

    const COMMENTED: &str = r#"# The string reverser's role.
name = "string-reverser"   # keep this name
description = "Reverses strings"

# Lambda runs it.
[trust]
services = ["lambda.amazonaws.com"]

managed_policies = ["AWSLambdaBasicExecutionRole"]

# Where the output goes.
[[policy]]
name = "write"

# The objects only, never the bucket.
[[policy.statement]]
sid = "Write"
actions = [
    "s3:PutObject",   # the output
    "s3:PutObjectAcl",
]
resources = ['arn:aws:s3:::my-bucket/*']

# Reading the input.
[[policy.statement]]
sid = "Read"
actions = ["s3:GetObject"]
resources = ["arn:aws:s3:::my-bucket/in/*"]

# What must keep working.
[[expect]]
allow = "s3:PutObject"
resource = "arn:aws:s3:::my-bucket/out.txt"
"#;

    fn load(text: &str) -> RoleSpec {
        parse_role_text("r.toml", text).unwrap()
    }

    fn save(role: &RoleSpec) -> SaveText {
        role_file_text(Some(COMMENTED), Path::new("."), role).unwrap()
    }

    #[test]
    fn an_unchanged_role_is_written_back_byte_for_byte() {
        let out = save(&load(COMMENTED));
        assert!(out.kept_layout);
        assert_eq!(out.text, COMMENTED);
    }

    #[test]
    fn a_changed_key_keeps_its_comment_and_everything_else() {
        let mut role = load(COMMENTED);
        role.name = "reverser".into();
        role.region = Some("eu-west-1".into());
        let out = save(&role);
        assert!(out.kept_layout);
        assert!(
            out.text
                .contains("name = \"reverser\"   # keep this name\n"),
            "{}",
            out.text
        );
        assert!(out.text.contains("region = \"eu-west-1\""), "{}", out.text);
        assert_eq!(
            out.text
                .replace("name = \"reverser\"", "name = \"string-reverser\"")
                .replace("region = \"eu-west-1\"\n", ""),
            COMMENTED
        );
        assert_eq!(load(&out.text), role);
    }

    #[test]
    fn an_added_action_keeps_the_array_shape_and_its_comments() {
        let mut role = load(COMMENTED);
        role.policies[0].statements[0]
            .actions
            .push("s3:AbortMultipartUpload".into());
        let out = save(&role);
        assert!(out.kept_layout);
        assert!(
            out.text.contains(
                "actions = [\n    \"s3:PutObject\",   # the output\n    \"s3:PutObjectAcl\",\n    \"s3:AbortMultipartUpload\",\n]"
            ),
            "{}",
            out.text
        );
        assert!(
            out.text
                .contains("resources = ['arn:aws:s3:::my-bucket/*']")
        );
        assert_eq!(load(&out.text), role);
    }

    #[test]
    fn removing_a_statement_takes_its_comment_and_keeps_the_others() {
        let mut role = load(COMMENTED);
        role.policies[0].statements.remove(0);
        let out = save(&role);
        assert!(out.kept_layout);
        assert!(!out.text.contains("The objects only"), "{}", out.text);
        assert!(
            out.text
                .contains("# Reading the input.\n[[policy.statement]]\nsid = \"Read\"")
        );
        assert!(out.text.contains("# What must keep working."));
        assert_eq!(load(&out.text), role);
    }

    #[test]
    fn new_statements_policies_and_trust_entries_land_in_the_right_place() {
        let mut role = load(COMMENTED);
        let mut extra = role.policies[0].statements[1].clone();
        extra.sid = Some("List".into());
        extra.actions = vec!["s3:ListBucket".into()];
        extra.resources = vec!["arn:aws:s3:::my-bucket".into()];
        role.policies[0].statements.push(extra.clone());
        let mut second = role.policies[0].clone();
        second.name = "second".into();
        second.statements = vec![extra];
        role.policies.push(second);
        role.trust.services.push("edgelambda.amazonaws.com".into());
        role.managed_policies.clear();
        let out = save(&role);
        assert!(out.kept_layout, "{}", out.text);
        assert_eq!(load(&out.text), role);
        assert!(out.text.starts_with("# The string reverser's role.\n"));
        assert!(!out.text.contains("AWSLambdaBasicExecutionRole"));
        // The new statement comes before the expectations, in the first policy.
        let list = out.text.find("sid = \"List\"").unwrap();
        assert!(list < out.text.find("[[expect]]").unwrap(), "{}", out.text);
    }

    #[test]
    fn json_files_and_no_file_are_written_fresh() {
        let role = load(COMMENTED);
        let json = serde_json::to_string(&role).unwrap();
        let out = role_file_text(Some(&json), Path::new("."), &role).unwrap();
        assert!(!out.kept_layout);
        assert_eq!(out.text, role.to_toml().unwrap());
        let out = role_file_text(None, Path::new("."), &role).unwrap();
        assert!(!out.kept_layout);
    }

    #[test]
    fn a_trust_document_path_stays_a_path_while_the_document_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("trust.json"),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .unwrap();
        let text = "# custom trust\nname = \"r\"\n\n[trust]\ndocument = \"trust.json\"  # ours\n";
        let path = dir.path().join("r.toml");
        std::fs::write(&path, text).unwrap();
        let mut role = crate::role::load_role_file(&path).unwrap();
        role.description = Some("d".into());
        let out = role_file_text(Some(text), dir.path(), &role).unwrap();
        assert!(out.kept_layout);
        assert!(
            out.text.contains("document = \"trust.json\"  # ours"),
            "{}",
            out.text
        );
        assert!(out.text.contains("description = \"d\""));
    }

    const WITH_DEFAULTS: &str = r#"name = "deployer"

[trust]
# Only our pipeline, never a person.
roles = []
# No provider of our own: the account has one.
create_oidc_provider = false
services = ["lambda.amazonaws.com"]
"#;

    #[test]
    fn keys_written_with_their_default_value_stay_with_their_comments_when_the_table_changes() {
        let mut role = load(WITH_DEFAULTS);
        role.trust.services.push("ecs-tasks.amazonaws.com".into());
        let out = role_file_text(Some(WITH_DEFAULTS), Path::new("."), &role).unwrap();
        assert!(out.kept_layout);
        assert_eq!(
            out.text,
            WITH_DEFAULTS.replace(
                r#"services = ["lambda.amazonaws.com"]"#,
                r#"services = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]"#
            )
        );
        assert_eq!(load(&out.text), role);
    }

    #[test]
    fn a_flag_turned_off_stays_written_as_false_under_its_comment() {
        let text = "name = \"r\"\n\n[trust]\n\n[[trust.accounts]]\nid = \"123456789012\"\n# People sign in with MFA.\nrequire_mfa = true\n";
        let mut role = load(text);
        role.trust.accounts[0].require_mfa = false;
        let out = role_file_text(Some(text), Path::new("."), &role).unwrap();
        assert!(out.kept_layout);
        assert_eq!(
            out.text,
            text.replace("require_mfa = true", "require_mfa = false")
        );
        assert_eq!(load(&out.text), role);
    }

    #[test]
    fn a_list_the_user_emptied_goes_rather_than_staying_as_an_empty_list() {
        let mut role = load(WITH_DEFAULTS);
        role.trust.services.clear();
        role.trust
            .roles
            .push("arn:aws:iam::123456789012:role/ci-runner".into());
        let out = role_file_text(Some(WITH_DEFAULTS), Path::new("."), &role).unwrap();
        assert!(out.kept_layout);
        assert!(!out.text.contains("services"), "{}", out.text);
        assert!(
            out.text
                .contains("# Only our pipeline, never a person.\nroles = [\"arn:aws:iam::123456789012:role/ci-runner\"]"),
            "{}",
            out.text
        );
        assert_eq!(load(&out.text), role);
    }
}
