//! The grammar pass: every shape problem of a policy, found on the raw JSON value so that
//! one run reports all of them with positions (serde stops at the first).
//!
//! Codes: `json-syntax` (in [`super::lint_policy_text`]), `invalid-element`,
//! `missing-element`, `invalid-version`, `missing-version`, `duplicate-sid`, `invalid-sid`.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::error::line_col;
use crate::policy::source::push_pointer_token;
use crate::policy::{PolicyDocument, SourceMap};

use super::{Finding, PolicyKind};

const DOCUMENT_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];
const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

/// At most this many bad characters are reported one by one.
const MAX_CHARACTER_FINDINGS: usize = 5;

/// Is `c` a character IAM accepts in policy text (tab, LF, CR and U+0020-U+00FF)?
pub fn allowed_character(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || ('\u{20}'..='\u{ff}').contains(&c)
}

/// Characters IAM does not accept in policy text: anything but tab, LF, CR and U+0020-U+00FF.
///
/// JSON escapes are decoded first, so `\u0441` (a Cyrillic look-alike of `c`) or `\b` fail
/// exactly as the raw character does: IAM reads the decoded text.
pub fn check_characters(text: &str) -> Vec<Finding> {
    // Most policies are plain ASCII without escapes: nothing to decode, nothing to report.
    if !text
        .bytes()
        .any(|b| b == b'\\' || b >= 0x7f || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut extra = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let (c, escape) = if c == '\\' {
            match decode_escape(&text[offset..]) {
                Some((decoded, len)) => {
                    // Skip the rest of the escape so `\\u0441` (an escaped backslash) is not
                    // read as an escape.
                    while chars.peek().is_some_and(|(o, _)| *o < offset + len) {
                        chars.next();
                    }
                    (decoded, Some(&text[offset..offset + len]))
                }
                None => (c, None),
            }
        } else {
            (c, None)
        };
        if allowed_character(c) {
            continue;
        }
        if out.len() == MAX_CHARACTER_FINDINGS {
            extra += 1;
            continue;
        }
        let (line, column) = line_col(text, offset);
        let written = escape
            .map(|e| format!(", written {e},"))
            .unwrap_or_default();
        let mut f = Finding::new(
            "invalid-element",
            format!(
                "character U+{:04X}{written} is not allowed in a policy (only tab, LF, CR and U+0020-U+00FF)",
                u32::from(c)
            ),
            "",
        );
        f.location.line = Some(line);
        f.location.column = Some(column);
        out.push(f);
    }
    if extra > 0
        && let Some(last) = out.last_mut()
    {
        last.message
            .push_str(&format!(" ({extra} more such characters not listed)"));
    }
    out
}

/// The character a JSON escape at the start of `s` (which starts with a backslash) stands
/// for, and the escape's length in bytes. `\uD83D\uDE00` surrogate pairs are one character.
fn decode_escape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let hex4 = |at: usize| -> Option<u32> {
        let digits = s.get(at..at + 4)?;
        if !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    };
    match *b.get(1)? {
        b'n' => Some(('\n', 2)),
        b't' => Some(('\t', 2)),
        b'r' => Some(('\r', 2)),
        b'b' => Some(('\u{8}', 2)),
        b'f' => Some(('\u{c}', 2)),
        b'"' => Some(('"', 2)),
        b'\\' => Some(('\\', 2)),
        b'/' => Some(('/', 2)),
        b'u' => {
            let unit = hex4(2)?;
            if (0xD800..0xDC00).contains(&unit)
                && s.get(6..8) == Some("\\u")
                && let Some(low) = hex4(8)
                && (0xDC00..0xE000).contains(&low)
            {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(c).map(|c| (c, 12));
            }
            // A lone surrogate is no character at all: report it as the replacement.
            Some((char::from_u32(unit).unwrap_or('\u{fffd}'), 6))
        }
        _ => None,
    }
}

/// Characters IAM does not accept, in the strings (keys and values) of a document that has
/// no text of its own (a role's generated documents, the TUI's model), with pointers.
pub fn check_value_characters(value: &Value, pointer: &str, out: &mut Vec<Finding>) {
    let bad = |s: &str| s.chars().find(|c| !allowed_character(*c));
    match value {
        Value::String(s) => {
            if let Some(c) = bad(s) {
                out.push(Finding::new(
                    "invalid-element",
                    format!(
                        "character U+{:04X} is not allowed in a policy (only tab, LF, CR and U+0020-U+00FF)",
                        u32::from(c)
                    ),
                    pointer.to_string(),
                ));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_value_characters(v, &format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = child(pointer, k);
                if let Some(c) = bad(k) {
                    out.push(Finding::new(
                        "invalid-element",
                        format!(
                            "character U+{:04X} is not allowed in a policy (only tab, LF, CR and U+0020-U+00FF)",
                            u32::from(c)
                        ),
                        p.clone(),
                    ));
                }
                check_value_characters(v, &p, out);
            }
        }
        _ => {}
    }
}

/// Shape checks of a typed document (the TUI's model, a role's generated documents).
pub fn check_typed(doc: &PolicyDocument, kind: PolicyKind) -> Vec<Finding> {
    check_at(
        &serde_json::to_value(doc).unwrap_or(Value::Null),
        kind,
        None,
        "",
    )
}

/// Shape checks of a parsed JSON value, with positions from `source`.
pub fn check(value: &Value, kind: PolicyKind, source: &SourceMap) -> Vec<Finding> {
    check_at(value, kind, Some(source), "")
}

/// Shape checks of the document at `prefix` (a JSON pointer) of what is reported.
pub fn check_at(
    value: &Value,
    kind: PolicyKind,
    source: Option<&SourceMap>,
    prefix: &str,
) -> Vec<Finding> {
    let mut g = Grammar {
        out: Vec::new(),
        source,
        kind,
    };
    if source.is_none() {
        // No text to scan: look at the strings themselves.
        check_value_characters(value, prefix, &mut g.out);
    }
    g.document(value, prefix);
    g.out
}

struct Grammar<'s> {
    out: Vec<Finding>,
    source: Option<&'s SourceMap>,
    kind: PolicyKind,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `obj[key]` without hashing: a policy's objects hold a handful of keys, and comparing
/// them is cheaper than SipHashing the key (IndexMap's lookups were ~9% of linting a
/// 10,000-statement policy). Keys are unique (the strict reader refuses repeats), so the
/// first match is the lookup's answer; large objects still use the index.
fn get<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if obj.len() > 16 {
        return obj.get(key);
    }
    obj.iter().find_map(|(k, v)| (k == key).then_some(v))
}

fn child(pointer: &str, token: &str) -> String {
    let mut p = pointer.to_string();
    push_pointer_token(&mut p, token);
    p
}

impl Grammar<'_> {
    fn push(&mut self, code: &'static str, message: String, pointer: String, at_key: bool) {
        let mut f = Finding::new(code, message, pointer);
        if let Some(source) = self.source {
            let pos = if at_key {
                source.key_pos(&f.location.pointer)
            } else {
                source.nearest_pos(&f.location.pointer)
            };
            if let Some(pos) = pos {
                f.location.line = Some(pos.line);
                f.location.column = Some(pos.column);
            }
        }
        self.out.push(f);
    }

    fn unknown_keys(
        &mut self,
        obj: &Map<String, Value>,
        known: &[&str],
        pointer: &str,
        what: &str,
    ) {
        for key in obj.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let hint = known
                .iter()
                .find(|k| {
                    k.eq_ignore_ascii_case(key)
                        || k.eq_ignore_ascii_case(key.trim_end_matches(['s', 'S']))
                })
                .map(|k| format!(" (did you mean \"{k}\"?)"))
                .unwrap_or_default();
            self.push(
                "invalid-element",
                format!(
                    "unknown key \"{key}\" in {what}{hint}; allowed: {}",
                    known.join(", ")
                ),
                child(pointer, key),
                true,
            );
        }
    }

    fn document(&mut self, value: &Value, pointer: &str) {
        let Value::Object(obj) = value else {
            self.push(
                "invalid-element",
                format!("a policy is a JSON object, not {}", type_name(value)),
                pointer.to_string(),
                false,
            );
            return;
        };
        self.unknown_keys(obj, DOCUMENT_KEYS, pointer, "the policy");
        match get(obj, "Version") {
            None => self.push(
                "missing-version",
                "no Version: add \"Version\": \"2012-10-17\" (without it policy variables are not substituted)".into(),
                pointer.to_string(),
                false,
            ),
            Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => {}
            Some(Value::String(v)) => self.push(
                "invalid-version",
                format!("Version \"{v}\" is not one IAM knows: use \"2012-10-17\""),
                child(pointer, "Version"),
                false,
            ),
            Some(other) => self.push(
                "invalid-version",
                format!(
                    "Version must be the string \"2012-10-17\", not {}",
                    type_name(other)
                ),
                child(pointer, "Version"),
                false,
            ),
        }
        if let Some(id) = get(obj, "Id")
            && !id.is_string()
        {
            self.push(
                "invalid-element",
                format!("Id must be a string, not {}", type_name(id)),
                child(pointer, "Id"),
                false,
            );
        }
        let stmt_pointer = child(pointer, "Statement");
        match get(obj, "Statement") {
            None => self.push(
                "missing-element",
                "the policy has no Statement".into(),
                pointer.to_string(),
                false,
            ),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    self.push(
                        "missing-element",
                        "Statement is empty: a policy needs at least one statement".into(),
                        stmt_pointer.clone(),
                        false,
                    );
                }
                let mut sids: HashMap<String, usize> = HashMap::new();
                // One buffer for every statement's pointer, rewritten per statement.
                let mut item_pointer = stmt_pointer.clone();
                for (i, item) in items.iter().enumerate() {
                    item_pointer.truncate(stmt_pointer.len());
                    let _ = write!(item_pointer, "/{i}");
                    self.statement(item, &item_pointer, i, &mut sids);
                }
            }
            Some(one @ Value::Object(_)) => {
                let mut sids = HashMap::new();
                self.statement(one, &stmt_pointer, 0, &mut sids);
            }
            Some(other) => self.push(
                "invalid-element",
                format!(
                    "Statement must be an object or an array of objects, not {}",
                    type_name(other)
                ),
                stmt_pointer,
                false,
            ),
        }
    }

    fn statement(
        &mut self,
        value: &Value,
        pointer: &str,
        index: usize,
        sids: &mut HashMap<String, usize>,
    ) {
        let Value::Object(obj) = value else {
            self.push(
                "invalid-element",
                format!(
                    "statement {index} must be an object, not {}",
                    type_name(value)
                ),
                pointer.to_string(),
                false,
            );
            return;
        };
        self.unknown_keys(obj, STATEMENT_KEYS, pointer, "a statement");
        match get(obj, "Sid") {
            None => {}
            Some(Value::String(sid)) => {
                // Resource-based policies (S3, KMS, SQS, ...) accept other characters, and
                // AWS's own key policies use spaces ("Enable IAM User Permissions").
                let strict = self.kind != PolicyKind::Resource;
                if strict && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                    self.push(
                        "invalid-sid",
                        format!("Sid \"{sid}\" may only hold letters A-Z, a-z and digits 0-9"),
                        child(pointer, "Sid"),
                        false,
                    );
                }
                if let Some(first) = sids.get(sid) {
                    self.push(
                        "duplicate-sid",
                        format!("Sid \"{sid}\" is already used by statement {first}"),
                        child(pointer, "Sid"),
                        false,
                    );
                } else {
                    sids.insert(sid.clone(), index);
                }
            }
            Some(other) => self.push(
                "invalid-element",
                format!("Sid must be a string, not {}", type_name(other)),
                child(pointer, "Sid"),
                false,
            ),
        }
        match get(obj, "Effect") {
            None => self.push(
                "missing-element",
                format!("statement {index} has no Effect: add \"Effect\": \"Allow\" or \"Deny\""),
                pointer.to_string(),
                false,
            ),
            Some(Value::String(e)) if e == "Allow" || e == "Deny" => {}
            Some(Value::String(e)) => {
                let hint = if e.eq_ignore_ascii_case("allow") {
                    " (write \"Allow\": IAM is case-sensitive here)"
                } else if e.eq_ignore_ascii_case("deny") {
                    " (write \"Deny\": IAM is case-sensitive here)"
                } else {
                    ""
                };
                self.push(
                    "invalid-element",
                    format!("Effect \"{e}\" must be \"Allow\" or \"Deny\"{hint}"),
                    child(pointer, "Effect"),
                    false,
                );
            }
            Some(other) => self.push(
                "invalid-element",
                format!(
                    "Effect must be \"Allow\" or \"Deny\", not {}",
                    type_name(other)
                ),
                child(pointer, "Effect"),
                false,
            ),
        }
        self.either(obj, pointer, index, "Action", "NotAction", true);
        let kind = self.kind;
        // A trust policy must not have Resource; `trust-has-resource` reports it when the
        // shape is otherwise sound, so only the shape is checked here. Some resource-based
        // policies (ECR repositories) have none: the resource is the one the policy is on.
        let resource_required = !matches!(kind, PolicyKind::Trust | PolicyKind::Resource);
        self.either(
            obj,
            pointer,
            index,
            "Resource",
            "NotResource",
            resource_required,
        );
        let principal_allowed = matches!(
            kind,
            PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Scp
        );
        for key in ["Principal", "NotPrincipal"] {
            if let Some(p) = get(obj, key) {
                if principal_allowed {
                    self.principal(p, &child(pointer, key));
                } else {
                    self.push(
                        "invalid-element",
                        format!("a permission policy has no {key}: the role it is attached to is the principal"),
                        child(pointer, key),
                        true,
                    );
                }
            }
        }
        let principal_required = matches!(kind, PolicyKind::Trust | PolicyKind::Resource);
        if principal_required
            && get(obj, "Principal").is_none()
            && get(obj, "NotPrincipal").is_none()
        {
            let message = if kind == PolicyKind::Trust {
                format!(
                    "trust policy statement {index} has no Principal: say who may assume the role"
                )
            } else {
                format!(
                    "resource policy statement {index} has no Principal: say who is granted or denied access"
                )
            };
            self.push("missing-element", message, pointer.to_string(), false);
        }
        if let Some(c) = get(obj, "Condition") {
            self.condition(c, &child(pointer, "Condition"));
        }
    }

    /// `Action`/`NotAction` or `Resource`/`NotResource`: exactly one, a string or strings.
    fn either(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        index: usize,
        yes: &str,
        not: &str,
        required: bool,
    ) {
        let (yes_value, not_value) = (get(obj, yes), get(obj, not));
        match (yes_value, not_value) {
            (Some(_), Some(_)) => self.push(
                "invalid-element",
                format!("statement {index} has both {yes} and {not}: keep one"),
                child(pointer, not),
                true,
            ),
            (None, None) if required => self.push(
                "missing-element",
                format!("statement {index} has no {yes} (or {not})"),
                pointer.to_string(),
                false,
            ),
            _ => {}
        }
        for (key, value) in [(yes, yes_value), (not, not_value)] {
            if let Some(v) = value {
                self.strings(v, pointer, key, key);
            }
        }
    }

    /// The entries of `parent`'s `key` (a string or strings); the pointer to them is
    /// built only for a finding, since most statements have none.
    fn strings(&mut self, value: &Value, parent: &str, key: &str, what: &str) {
        let pointer = || child(parent, key);
        match value {
            Value::String(s) if s.is_empty() => self.push(
                "invalid-element",
                format!("{what} is an empty string"),
                pointer(),
                false,
            ),
            Value::String(_) => {}
            Value::Array(items) => {
                if items.is_empty() {
                    self.push(
                        "invalid-element",
                        format!("{what} is an empty array: list at least one entry"),
                        pointer(),
                        false,
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) if !s.is_empty() => {}
                        Value::String(_) => self.push(
                            "invalid-element",
                            format!("{what} entry {i} is an empty string"),
                            format!("{}/{i}", pointer()),
                            false,
                        ),
                        other => self.push(
                            "invalid-element",
                            format!("{what} entries must be strings, not {}", type_name(other)),
                            format!("{}/{i}", pointer()),
                            false,
                        ),
                    }
                }
            }
            other => self.push(
                "invalid-element",
                format!(
                    "{what} must be a string or an array of strings, not {}",
                    type_name(other)
                ),
                pointer(),
                false,
            ),
        }
    }

    fn principal(&mut self, value: &Value, pointer: &str) {
        match value {
            Value::String(s) if s == "*" => {}
            Value::Object(map) => {
                if map.is_empty() {
                    self.push(
                        "invalid-element",
                        "Principal is an empty object: name at least one principal".into(),
                        pointer.to_string(),
                        false,
                    );
                }
                self.unknown_keys(map, PRINCIPAL_KEYS, pointer, "Principal");
                for key in PRINCIPAL_KEYS {
                    if let Some(v) = get(map, key) {
                        self.strings(v, pointer, key, &format!("Principal {key}"));
                    }
                }
            }
            Value::String(s) => self.push(
                "invalid-element",
                format!(
                    "Principal \"{s}\" must be \"*\" or an object such as {{\"Service\": \"{s}\"}}"
                ),
                pointer.to_string(),
                false,
            ),
            other => self.push(
                "invalid-element",
                format!(
                    "Principal must be \"*\" or an object, not {}",
                    type_name(other)
                ),
                pointer.to_string(),
                false,
            ),
        }
    }

    fn condition(&mut self, value: &Value, pointer: &str) {
        let Value::Object(ops) = value else {
            self.push(
                "invalid-element",
                format!(
                    "Condition must be an object of operators, not {}",
                    type_name(value)
                ),
                pointer.to_string(),
                false,
            );
            return;
        };
        for (op, keys) in ops {
            let Value::Object(keys) = keys else {
                self.push(
                    "invalid-element",
                    format!(
                        "condition operator {op} must map keys to values, not be {}",
                        type_name(keys)
                    ),
                    child(pointer, op),
                    false,
                );
                continue;
            };
            for (key, v) in keys {
                let scalar =
                    |v: &Value| matches!(v, Value::String(_) | Value::Bool(_) | Value::Number(_));
                let ok = match v {
                    Value::Array(items) => items.iter().all(scalar),
                    other => scalar(other),
                };
                if !ok {
                    self.push(
                        "invalid-element",
                        format!("condition {op} {key}: values must be strings, booleans or numbers (or an array of them)"),
                        child(&child(pointer, op), key),
                        false,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(
        text: &str,
        kind: PolicyKind,
    ) -> Vec<(&'static str, String, Option<usize>, Option<usize>)> {
        let value: Value = serde_json::from_str(text).unwrap();
        let map = SourceMap::build(text).unwrap();
        check(&value, kind, &map)
            .into_iter()
            .map(|f| {
                (
                    f.code,
                    f.location.pointer,
                    f.location.line,
                    f.location.column,
                )
            })
            .collect()
    }

    #[test]
    fn reports_every_shape_problem_with_positions() {
        let text = "{\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Actions\": \"s3:GetObject\", \"Resource\": 3},\n    {\"Sid\": \"a-b\", \"Effect\": \"Deny\", \"Action\": \"s3:*\"}\n  ]\n}";
        let got = codes(text, PolicyKind::Identity);
        let just: Vec<_> = got.iter().map(|(c, p, _, _)| (*c, p.as_str())).collect();
        assert_eq!(
            just,
            vec![
                ("missing-version", ""),
                ("invalid-element", "/Statement/0/Actions"),
                ("invalid-element", "/Statement/0/Effect"),
                ("missing-element", "/Statement/0"),
                ("invalid-element", "/Statement/0/Resource"),
                ("invalid-sid", "/Statement/1/Sid"),
                ("missing-element", "/Statement/1"),
            ]
        );
        // The unknown key is reported at the key.
        assert_eq!((got[1].2, got[1].3), (Some(3), Some(25)));
    }

    #[test]
    fn trust_needs_principal_and_identity_must_not_have_one() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#;
        assert_eq!(codes(trust, PolicyKind::Trust)[0].0, "missing-element");
        let ident = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(codes(ident, PolicyKind::Identity)[0].0, "invalid-element");
        let dup = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(codes(dup, PolicyKind::Identity)[0].0, "duplicate-sid");
        let bad_version = r#"{"Version":"2024-01-01","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
        assert_eq!(
            codes(bad_version, PolicyKind::Identity)[0].0,
            "invalid-version"
        );
    }

    #[test]
    fn characters_outside_latin1_are_reported() {
        let f = check_characters("{\"Sid\": \"caf\u{e9}\u{2019}\"}");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("U+2019"));
        assert_eq!(f[0].location.column, Some(14));
    }
}
