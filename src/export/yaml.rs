//! A small block-style YAML writer for JSON values, enough for CloudFormation templates.
//!
//! serde_yaml is unmaintained, and templates need only maps, lists and scalars. The one
//! hard part is scalars: a string is written plain only when every YAML 1.1 and 1.2 reader
//! (CloudFormation's and cfn-lint's among them) reads it back as that same string;
//! everything else is double-quoted with escapes, which is always exact.

use serde_json::{Map, Value};

/// Words YAML 1.1 reads as booleans or null when unquoted (compared ignoring case).
const RESERVED_WORDS: &[&str] = &["y", "yes", "n", "no", "true", "false", "on", "off", "null"];

/// Writes the entries of `map` as a block mapping indented by `indent` spaces.
pub fn write_mapping(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (key, value) in map {
        push_indent(out, indent);
        out.push_str(&scalar_string(key));
        out.push(':');
        write_value_after_key(out, value, indent);
    }
}

/// Writes the items of `items` as a block sequence indented by `indent` spaces.
pub fn write_sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first entry goes on the dash's line, the rest line up under it.
                let mut nested = String::new();
                write_mapping(&mut nested, map, indent + 2);
                out.push(' ');
                out.push_str(&nested[indent + 2..]);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_sequence(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

fn write_value_after_key(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_mapping(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

/// A scalar or an empty collection, as it is written after `key:` or `-`.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => scalar_string(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// A number as YAML 1.1 reads it back as a number: that spec's floats need a `.` in the
/// mantissa and a signed exponent (`1e300` would be read as a string).
fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if !n.is_f64() {
        return text;
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (text.clone(), None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        Some(e) if e.starts_with(['-', '+']) => format!("{mantissa}e{e}"),
        Some(e) => format!("{mantissa}e+{e}"),
        None => mantissa,
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `text` as a YAML scalar that reads back as exactly this string.
pub fn scalar_string(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// True when `text` may be written unquoted. Deliberately narrow: it starts with an ASCII
/// letter (so it is no number, date, indicator, alias or tag), uses only characters that
/// mean nothing inside a plain scalar, does not end with `:`, and is no reserved word.
fn is_plain_safe(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-./:*".contains(c))
        && !text.ends_with(':')
        && !RESERVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text))
}

/// A double-quoted scalar; backslash, quote and every character that is not printable
/// (or that YAML 1.1 treats as a line break) are escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else if code <= 0xFFFF {
                    out.push_str(&format!("\\u{code:04X}"));
                } else {
                    out.push_str(&format!("\\U{code:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (NEL U+0085 among them)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_only_when_unambiguous() {
        for plain in [
            "Allow",
            "sts:AssumeRole",
            "arn:aws:s3:::b/*",
            "AWS::IAM::Role",
            "s3:*",
        ] {
            assert_eq!(scalar_string(plain), plain);
        }
        for (text, quoted) in [
            ("2012-10-17", r#""2012-10-17""#),
            ("123456789012", r#""123456789012""#),
            ("*", r#""*""#),
            ("yes", r#""yes""#),
            ("No", r#""No""#),
            ("null", r#""null""#),
            ("~", r#""~""#),
            ("", r#""""#),
            (" lead", r#"" lead""#),
            ("trail ", r#""trail ""#),
            ("a: b", r#""a: b""#),
            ("a #b", r#""a #b""#),
            ("end:", r#""end:""#),
            ("${Var}", r#""${Var}""#),
            ("say \"hi\"\\", r#""say \"hi\"\\""#),
            ("two\nlines\ttab", r#""two\nlines\ttab""#),
            ("nel\u{85}bell\u{7}", r#""nel\x85bell\x07""#),
            ("café", "\"café\""),
        ] {
            assert_eq!(scalar_string(text), quoted, "{text:?}");
        }
    }

    #[test]
    fn floats_keep_a_dot_and_a_signed_exponent() {
        for (value, text) in [
            (json!(10), "10"),
            (json!(-3), "-3"),
            (json!(0.5), "0.5"),
            (json!(1e300), "1.0e+300"),
            (json!(2.5e-7), "2.5e-7"),
        ] {
            assert_eq!(inline(&value), text);
        }
    }

    #[test]
    fn nested_blocks() {
        let value = json!({
            "A": {"B": [1, {"C": "x", "D": ["why"]}, [], {}], "E": true},
            "F": null,
            "G": [["en"]]
        });
        let mut out = String::new();
        write_mapping(&mut out, value.as_object().unwrap(), 0);
        assert_eq!(
            out,
            "A:\n  B:\n    - 1\n    - C: x\n      D:\n        - why\n    - []\n    - {}\n  E: true\nF: null\nG:\n  -\n    - en\n"
        );
    }
}
