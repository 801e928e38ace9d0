//! Reading YAML (CloudFormation templates) into JSON values.
//!
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) become the long-form
//! objects (`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`) so the importer can recognise
//! intrinsic functions instead of silently reading `!Ref Name` as the string "Name".

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{Error, Result};

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

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    anchors: HashMap<usize, Value>,
    error: Option<(Marker, String)>,
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

    fn push_value(&mut self, value: Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq(items, ..)) => items.push(value),
            Some(Frame::Map(map, pending, ..)) => match pending.take() {
                None => match key_text(&value) {
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
                let v = if style == TScalarStyle::Plain && tag.is_none() {
                    plain_scalar(&s)
                } else {
                    Value::String(s)
                };
                let v = apply_tag(tag, v);
                self.push_value(v, anchor, mark);
            }
            Event::SequenceStart(anchor, tag) => {
                self.stack.push(Frame::Seq(Vec::new(), anchor, tag))
            }
            Event::MappingStart(anchor, tag) => {
                self.stack.push(Frame::Map(Map::new(), None, anchor, tag))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, anchor, tag)) => {
                        (apply_tag(tag, Value::Array(items)), anchor)
                    }
                    Some(Frame::Map(map, _, anchor, tag)) => {
                        (apply_tag(tag, Value::Object(map)), anchor)
                    }
                    None => return,
                };
                self.push_value(value, anchor, mark);
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(v) => self.push_value(v, 0, mark),
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
    fn errors_have_positions() {
        let err = yaml_to_json("t.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
}
