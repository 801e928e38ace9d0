//! Reading YAML (CloudFormation templates) into JSON values.
//!
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) become the long-form
//! objects (`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`) so the importer can recognise
//! intrinsic functions instead of silently reading `!Ref Name` as the string "Name".
//!
//! Hostile YAML is refused, not expanded: an alias copies its anchor's value, so a few
//! hundred bytes of nested aliases ("billion laughs") can stand for gigabytes. The document
//! as expanded may hold at most [`MAX_NODES`] values and [`MAX_SCALAR_BYTES`] of text, and
//! nest at most [`MAX_DEPTH`] deep; the first limit crossed is an error at its position,
//! before the copy is made. (The file itself is size-capped by `io::read`.)

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{Error, Result};

/// Most values (scalars, sequences, mappings, counting every alias copy) one document may hold.
pub const MAX_NODES: usize = 1_000_000;
/// Most text (scalar bytes, counting every alias copy) one document may hold.
pub const MAX_SCALAR_BYTES: usize = 64 * 1024 * 1024;
/// Deepest nesting of sequences and mappings (CloudFormation templates need about ten).
pub const MAX_DEPTH: usize = 128;

/// Parses one YAML document into a JSON value; errors carry the line and column.
pub fn yaml_to_json(origin: &str, text: &str) -> Result<Value> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| Error::Parse {
        origin: origin.to_string(),
        line: e.marker().line().max(1),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
    })?;
    if let Some((mark, message)) = builder.error {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: mark.line().max(1),
            column: mark.col() + 1,
            message,
        });
    }
    Ok(builder.root.unwrap_or(Value::Null))
}

enum Frame {
    Seq(Vec<Value>, usize, Option<Tag>),
    Map(Map<String, Value>, Option<String>, usize, Option<Tag>),
}

/// How much of the expansion budget a value uses.
#[derive(Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
}

#[derive(Default)]
struct Builder {
    /// Open collections, each with the cost counted when it opened.
    stack: Vec<(Frame, Cost)>,
    root: Option<Value>,
    /// Anchored values with what they cost, so an alias is priced before it is copied.
    anchors: HashMap<usize, (Value, Cost)>,
    error: Option<(Marker, String)>,
    /// Spent so far.
    spent: Cost,
}

/// The long form of a CloudFormation short-form tag, applied to its value.
fn apply_tag(tag: Option<Tag>, value: Value) -> Value {
    let Some(tag) = tag else { return value };
    if tag.handle != "!" {
        return value;
    }
    let name = tag.suffix.as_str();
    let mut obj = Map::new();
    match name {
        "Ref" | "Condition" => {
            obj.insert(name.to_string(), value);
        }
        "GetAtt" => {
            let v = match value {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => {
                        Value::Array(vec![Value::String(a.into()), Value::String(b.into())])
                    }
                    None => Value::String(s),
                },
                other => other,
            };
            obj.insert("Fn::GetAtt".into(), v);
        }
        other => {
            obj.insert(format!("Fn::{other}"), value);
        }
    }
    Value::Object(obj)
}

/// YAML 1.2 core schema for plain scalars.
fn plain_scalar(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = s.parse::<i64>() {
        return Value::Number(i.into());
    }
    if s.contains(['.', 'e', 'E'])
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '.')
        && let Ok(f) = s.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(s.to_string())
}

fn key_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: &str) {
        if self.error.is_none() {
            self.error = Some((mark, message.to_string()));
        }
    }

    /// Charges `cost` to the budget; false (with the error recorded) when it runs out.
    fn spend(&mut self, cost: Cost, mark: Marker) -> bool {
        self.spent.nodes = self.spent.nodes.saturating_add(cost.nodes);
        self.spent.bytes = self.spent.bytes.saturating_add(cost.bytes);
        if self.spent.nodes > MAX_NODES || self.spent.bytes > MAX_SCALAR_BYTES {
            self.fail(
                mark,
                &format!(
                    "the document expands to more than {MAX_NODES} values or {} MiB of text \
                     (aliases copy their anchors); refusing it",
                    MAX_SCALAR_BYTES / (1024 * 1024)
                ),
            );
            return false;
        }
        true
    }

    /// `value` (which cost `cost`) goes into the open collection or becomes the root.
    fn push_value(&mut self, value: Value, cost: Cost, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), cost));
        }
        match self.stack.last_mut().map(|(f, _)| f) {
            None => self.root = Some(value),
            Some(Frame::Seq(items, ..)) => items.push(value),
            Some(Frame::Map(map, pending, ..)) => match pending.take() {
                // A key written twice would be silently last-wins: refuse it, as JSON input is.
                None => match key_text(&value) {
                    Some(k) if map.contains_key(&k) => {
                        let message = format!(
                            "duplicate key {k:?}: it is written twice in this mapping, and readers disagree on which one counts; keep one"
                        );
                        self.fail(mark, &message);
                    }
                    Some(k) => *pending = Some(k),
                    None => self.fail(mark, "a mapping key must be a plain value"),
                },
                Some(k) => {
                    map.insert(k, value);
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(s, style, anchor, tag) => {
                let cost = Cost {
                    nodes: 1,
                    bytes: s.len(),
                };
                if !self.spend(cost, mark) {
                    return;
                }
                let v = if style == TScalarStyle::Plain && tag.is_none() {
                    plain_scalar(&s)
                } else {
                    Value::String(s)
                };
                let v = apply_tag(tag, v);
                self.push_value(v, cost, anchor, mark);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    return self.fail(
                        mark,
                        &format!("nested more than {MAX_DEPTH} deep; refusing it"),
                    );
                }
                let one = Cost { nodes: 1, bytes: 0 };
                if !self.spend(one, mark) {
                    return;
                }
                let frame = match ev {
                    Event::SequenceStart(anchor, tag) => Frame::Seq(Vec::new(), anchor, tag),
                    Event::MappingStart(anchor, tag) => Frame::Map(Map::new(), None, anchor, tag),
                    _ => return,
                };
                self.stack.push((frame, self.spent));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((frame, at_start)) = self.stack.pop() else {
                    return;
                };
                // What the collection cost: its own node and everything spent inside it.
                let cost = Cost {
                    nodes: self.spent.nodes - at_start.nodes + 1,
                    bytes: self.spent.bytes - at_start.bytes,
                };
                let (value, anchor) = match frame {
                    Frame::Seq(items, anchor, tag) => (apply_tag(tag, Value::Array(items)), anchor),
                    Frame::Map(map, _, anchor, tag) => (apply_tag(tag, Value::Object(map)), anchor),
                };
                self.push_value(value, cost, anchor, mark);
            }
            Event::Alias(id) => match self.anchors.get(&id).map(|(_, cost)| *cost) {
                Some(cost) => {
                    if self.spend(cost, mark)
                        && let Some((v, _)) = self.anchors.get(&id)
                    {
                        let v = v.clone();
                        self.push_value(v, cost, 0, mark);
                    }
                }
                None => self.fail(mark, "an alias refers to an unknown anchor"),
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cloudformation_short_forms_become_long_forms() {
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Ref Name\n      Arn: !GetAtt Role.Arn\n      Other: !Sub '${AWS::StackName}-x'\n      Version: \"2012-10-17\"\n      Count: 3\n      Flag: true\n";
        let v = yaml_to_json("t.yaml", text).unwrap();
        let props = &v["Resources"]["Role"]["Properties"];
        assert_eq!(props["RoleName"], json!({"Ref": "Name"}));
        assert_eq!(props["Arn"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
        assert_eq!(props["Other"], json!({"Fn::Sub": "${AWS::StackName}-x"}));
        assert_eq!(props["Version"], json!("2012-10-17"));
        assert_eq!(props["Count"], json!(3));
        assert_eq!(props["Flag"], json!(true));
    }

    #[test]
    fn yaml_alias_bomb_is_refused_not_expanded() {
        // Nine levels of nine aliases: 9^9 (387 million) copies of "lol" from ~400 bytes.
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, next) = (w[0], w[1]);
            text.push_str(&format!("{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(text.len() < 500, "{}", text.len());
        let started = std::time::Instant::now();
        let err = yaml_to_json("bomb.yaml", &text).unwrap_err().to_string();
        assert!(
            err.contains("bomb.yaml:") && err.contains("aliases"),
            "{err}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A modest use of aliases still works.
        let v = yaml_to_json("ok.yaml", "x: &x {a: 1}\ny: *x\n").unwrap();
        assert_eq!(v["y"]["a"], json!(1));
    }

    #[test]
    fn yaml_nesting_is_limited() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = yaml_to_json("deep.yaml", &deep).unwrap_err().to_string();
        assert!(err.contains("nested more than"), "{err}");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(yaml_to_json("ok.yaml", &ok).is_ok());
    }

    #[test]
    fn a_key_written_twice_is_an_error_at_the_second() {
        let err = yaml_to_json(
            "t.yaml",
            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Type: AWS::S3::Bucket\n",
        )
        .unwrap_err();
        assert!(matches!(err, Error::Parse { line: 4, .. }), "{err}");
        assert!(err.to_string().contains("duplicate key \"Type\""), "{err}");
    }

    #[test]
    fn errors_have_positions() {
        let err = yaml_to_json("t.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
}
