//! Strict JSON: the one way rolesmith reads JSON text (policy files, JSON role files,
//! `aws iam` output, CloudFormation JSON, documents opened in the TUI).
//!
//! serde_json alone keeps the *last* value of a key written twice, so a document with two
//! `Statement` keys would show one statement to the reviewer and another to the reader.
//! IAM refuses such documents; so do we, with an error naming both positions.

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};

use super::source::{SourcePos, find_duplicate_key, json_error_message};

/// Why a text is not strict JSON, with the 1-based position of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl JsonError {
    /// The positioned error every command prints (`FILE:LINE:COL: message`).
    pub fn into_error(self, origin: &str) -> Error {
        Error::Parse {
            origin: origin.to_string(),
            line: self.line,
            column: self.column,
            message: self.message,
        }
    }
}

/// Parses `text` into a JSON value, refusing a key repeated in one object.
pub fn parse_value(text: &str) -> std::result::Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = StrictValue
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(duplicate_error(text, &e)),
        Err(e) => Err(JsonError {
            line: e.line().max(1),
            column: e.column().max(1),
            message: json_error_message(&e),
        }),
    }
}

/// [`parse_value`] with the error as the crate's positioned error for `origin`.
pub fn parse_value_at(origin: &str, text: &str) -> Result<Value> {
    parse_value(text).map_err(|e| e.into_error(origin))
}

/// Parses `text` into `T` strictly: a repeated key is an error with both positions, and
/// type errors keep serde_json's line and column.
pub fn parse_typed<T: DeserializeOwned>(origin: &str, text: &str) -> Result<T> {
    parse_value_at(origin, text)?;
    serde_json::from_str(text).map_err(|e| Error::Parse {
        origin: origin.to_string(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: json_error_message(&e),
    })
}

/// The start of the message [`StrictValue`] fails with on a repeated key.
const DUPLICATE: &str = "duplicate key ";

/// Both positions of the first repeated key, found by scanning the text again (only on
/// the error path, so the common case costs one parse).
fn duplicate_error(text: &str, e: &serde_json::Error) -> JsonError {
    match find_duplicate_key(text) {
        Some(dup) => JsonError {
            line: dup.second.line,
            column: dup.second.column,
            message: duplicate_message(&dup.key, dup.first),
        },
        None => JsonError {
            line: e.line().max(1),
            column: e.column().max(1),
            message: json_error_message(e),
        },
    }
}

/// The message for a key written twice; `first` is where it was written first.
pub fn duplicate_message(key: &str, first: SourcePos) -> String {
    format!(
        "duplicate key {key:?} (first at line {}, column {}): JSON readers disagree on which one counts and IAM refuses the document; keep one",
        first.line, first.column
    )
}

/// A `serde_json::Value` built the usual way, except that a repeated key fails.
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(StrictValue)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(StrictValue)?;
            match obj.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(taken) => {
                    return Err(de::Error::custom(format!("{DUPLICATE}{:?}", taken.key())));
                }
            }
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_serde_json_parses_them() {
        for text in [
            r#"{"a": [1, -2, 3.5, true, null, "x\u00e9"], "b": {"c": {}}}"#,
            "[]",
            "\"s\"",
            "18446744073709551615",
        ] {
            let strict = parse_value(text).unwrap();
            let plain: Value = serde_json::from_str(text).unwrap();
            assert_eq!(strict, plain, "{text}");
        }
    }

    #[test]
    fn a_repeated_key_names_both_positions() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [],\n  \"Statement\": [{\"Effect\": \"Allow\"}]\n}";
        let e = parse_value(text).unwrap_err();
        assert_eq!((e.line, e.column), (4, 3));
        assert!(e.message.contains("\"Statement\""), "{}", e.message);
        assert!(e.message.contains("line 3, column 3"), "{}", e.message);
    }

    #[test]
    fn repeated_keys_deep_inside_and_escaped_spellings_count() {
        let text = r#"{"Statement": [{"Condition": {"StringEquals": {"k": "a", "\u006b": "b"}}}]}"#;
        let e = parse_value(text).unwrap_err();
        assert!(e.message.contains("\"k\""), "{}", e.message);
        // The same key in two different objects is fine.
        assert!(parse_value(r#"[{"k": 1}, {"k": 2}]"#).is_ok());
    }

    #[test]
    fn syntax_errors_keep_their_position_and_trailing_text_is_refused() {
        let e = parse_value("{\"a\": 1,\n}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_value("{} x").is_err());
    }

    #[test]
    fn typed_parsing_is_strict_too() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code)]
            m: std::collections::BTreeMap<String, u8>,
        }
        let err = parse_typed::<T>("t.json", r#"{"m": {"x": 1, "x": 2}}"#).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
        let err = parse_typed::<T>("t.json", r#"{"m": {"x": "no"}}"#).unwrap_err();
        assert!(err.to_string().contains("t.json:1:"), "{err}");
    }
}
