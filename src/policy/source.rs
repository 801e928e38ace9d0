//! Where each element of a JSON document sits in its text, so findings can point at lines.
//!
//! serde_json does not keep positions, so we scan the (already validated) text once and
//! record the start of every value and every object key under its JSON pointer.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use crate::error::{Error, Result};

use super::document::PolicyDocument;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourcePos {
    pub line: usize,
    pub column: usize,
}

/// JSON pointer → position of the value (and of its key, for object members).
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// The scan of `text`, done on the first question when the map was made with
    /// [`SourceMap::deferred`] (most linted files have no finding, so never ask); `None`
    /// inside when the text did not scan.
    scanned: OnceLock<Option<Scanned>>,
    text: String,
}

/// What one scan of the text records.
#[derive(Clone, Debug, Default)]
struct Scanned {
    /// Pointer → (offset of its key, if a member; offset of its value).
    entries: FxHashMap<String, (Option<usize>, usize)>,
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Scans `text`, which must be valid JSON (check with serde_json first).
    ///
    /// Returns `None` if the text is not JSON after all or nests absurdly deep.
    pub fn build(text: &str) -> Option<SourceMap> {
        let map = SourceMap::deferred(text);
        map.scanned().map(|_| ())?;
        Some(map)
    }

    /// A map of `text` that scans it only when first asked for a position.
    ///
    /// For text serde_json has accepted: its nesting limit (128) is below the scanner's,
    /// so the scan cannot fail later; if it did, positions would simply be unknown.
    pub fn deferred(text: &str) -> SourceMap {
        SourceMap {
            scanned: OnceLock::new(),
            text: text.to_string(),
        }
    }

    fn scanned(&self) -> Option<&Scanned> {
        self.scanned
            .get_or_init(|| {
                let mut scanner = Scanner::new(self.text.as_bytes(), false);
                let mut pointer = String::new();
                scanner.value(&mut pointer, 0, None)?;
                let mut line_starts = vec![0];
                line_starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
                Some(Scanned {
                    entries: scanner.entries,
                    line_starts,
                })
            })
            .as_ref()
    }

    fn entry(&self, pointer: &str) -> Option<(Option<usize>, usize)> {
        self.scanned()?.entries.get(pointer).copied()
    }

    /// Where the value at `pointer` starts (e.g. `/Statement/0/Resource`).
    pub fn value_pos(&self, pointer: &str) -> Option<SourcePos> {
        self.entry(pointer).map(|(_, o)| self.pos(o))
    }

    /// Where the key of the member at `pointer` starts; falls back to the value.
    pub fn key_pos(&self, pointer: &str) -> Option<SourcePos> {
        self.entry(pointer)
            .map(|(key, value)| self.pos(key.unwrap_or(value)))
    }

    /// The closest known position for `pointer`: itself, else its nearest ancestor.
    pub fn nearest_pos(&self, pointer: &str) -> Option<SourcePos> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.value_pos(p) {
                return Some(pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    fn pos(&self, offset: usize) -> SourcePos {
        let line_starts = self.scanned().map_or(&[][..], |s| &s.line_starts[..]);
        let line_idx = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = line_starts.get(line_idx).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        SourcePos {
            line: line_idx + 1,
            column,
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

const MAX_DEPTH: usize = 512;

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    entries: FxHashMap<String, (Option<usize>, usize)>,
    /// When looking for repeated keys: the first one found, as (key, first offset, second offset).
    duplicate: Option<(String, usize, usize)>,
    find_duplicates: bool,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8], find_duplicates: bool) -> Self {
        Scanner {
            bytes,
            at: 0,
            entries: FxHashMap::default(),
            duplicate: None,
            find_duplicates,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self, pointer: &mut String, depth: usize, key_at: Option<usize>) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        self.entries.insert(pointer.clone(), (key_at, self.at));
        match *self.bytes.get(self.at)? {
            b'{' => self.object(pointer, depth),
            b'[' => self.array(pointer, depth),
            b'"' => self.skip_string(),
            _ => self.scalar(),
        }
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> Option<()> {
        self.at += 1;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(());
        }
        let mut keys: Vec<(String, usize)> = Vec::new();
        loop {
            self.skip_ws();
            let key_at = self.at;
            let key = self.string()?;
            if self.find_duplicates {
                if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                    self.duplicate.get_or_insert((key.clone(), *first, key_at));
                    return None;
                }
                keys.push((key.clone(), key_at));
            }
            let len = pointer.len();
            push_pointer_token(pointer, &key);
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b':') {
                return None;
            }
            self.at += 1;
            self.value(pointer, depth + 1, Some(key_at))?;
            pointer.truncate(len);
            self.skip_ws();
            match self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> Option<()> {
        self.at += 1;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(());
        }
        let mut index = 0usize;
        loop {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&index.to_string());
            self.value(pointer, depth + 1, None)?;
            pointer.truncate(len);
            index += 1;
            self.skip_ws();
            match self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Moves past a string token; returns its raw text including the quotes and whether
    /// it holds escapes.
    fn scan_string(&mut self) -> Option<(usize, bool)> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at;
        let mut escaped = false;
        self.at += 1;
        loop {
            match *self.bytes.get(self.at)? {
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                b'"' => {
                    self.at += 1;
                    return Some((start, escaped));
                }
                _ => self.at += 1,
            }
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        self.scan_string().map(|_| ())
    }

    /// Reads a string token and returns its decoded value (escapes resolved by serde_json).
    fn string(&mut self) -> Option<String> {
        let (start, escaped) = self.scan_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        if escaped {
            serde_json::from_str(raw).ok()
        } else {
            raw.get(1..raw.len() - 1).map(str::to_string)
        }
    }

    fn scalar(&mut self) -> Option<()> {
        let start = self.at;
        while let Some(b) = self.bytes.get(self.at) {
            if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.at += 1;
        }
        (self.at > start).then_some(())
    }
}

/// A key written twice in one JSON object, with both positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: SourcePos,
    pub second: SourcePos,
}

/// The first key repeated within one object of `text` (escaped spellings count as the same
/// key), if any. For text serde_json accepts; other text gives `None`.
pub fn find_duplicate_key(text: &str) -> Option<DuplicateKey> {
    let mut scanner = Scanner::new(text.as_bytes(), true);
    let mut pointer = String::new();
    let _ = scanner.value(&mut pointer, 0, None);
    let (key, first, second) = scanner.duplicate?;
    let at = |offset: usize| {
        let (line, column) = crate::error::line_col(text, offset);
        SourcePos { line, column }
    };
    Some(DuplicateKey {
        key,
        first: at(first),
        second: at(second),
    })
}

/// A policy parsed from text, with the positions of its elements.
#[derive(Clone, Debug)]
pub struct ParsedPolicy {
    pub document: PolicyDocument,
    pub source: SourceMap,
}

/// Parses policy JSON strictly (a repeated key is an error), reporting syntax and shape
/// errors with the line and column.
///
/// `origin` names the input in messages (a file path, `<stdin>`).
pub fn parse_policy(origin: &str, text: &str) -> Result<ParsedPolicy> {
    let document: PolicyDocument = super::json::parse_typed(origin, text)?;
    let source = SourceMap::build(text).ok_or_else(|| Error::Invalid {
        origin: origin.to_string(),
        message: "the document nests too deeply".into(),
    })?;
    Ok(ParsedPolicy { document, source })
}

/// serde_json's message without its trailing " at line X column Y" (we print our own).
pub fn json_error_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n      \"Resource\": \"arn:aws:s3:::b/*\"\n    }\n  ]\n}\n";

    #[test]
    fn positions_of_values_and_keys() {
        let map = SourceMap::build(TEXT).unwrap();
        assert_eq!(map.value_pos("").unwrap(), SourcePos { line: 1, column: 1 });
        assert_eq!(
            map.value_pos("/Statement/0/Resource").unwrap(),
            SourcePos {
                line: 7,
                column: 19
            }
        );
        assert_eq!(
            map.key_pos("/Statement/0/Resource").unwrap(),
            SourcePos { line: 7, column: 7 }
        );
        assert_eq!(
            map.value_pos("/Statement/0/Action/1").unwrap(),
            SourcePos {
                line: 6,
                column: 34
            }
        );
        assert_eq!(
            map.nearest_pos("/Statement/0/Condition/x").unwrap(),
            SourcePos { line: 4, column: 5 }
        );
    }

    #[test]
    fn a_deferred_map_answers_as_a_built_one() {
        let built = SourceMap::build(TEXT).unwrap();
        let deferred = SourceMap::deferred(TEXT);
        for p in [
            "",
            "/Statement/0/Resource",
            "/Statement/0/Action/1",
            "/Nope/x",
        ] {
            assert_eq!(deferred.value_pos(p), built.value_pos(p), "{p}");
            assert_eq!(deferred.key_pos(p), built.key_pos(p), "{p}");
            assert_eq!(deferred.nearest_pos(p), built.nearest_pos(p), "{p}");
        }
        assert_eq!(SourceMap::deferred("{").value_pos(""), None);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let map = SourceMap::build(r#"{"a/b": {"c~d": 1}}"#).unwrap();
        assert!(map.value_pos("/a~1b/c~0d").is_some());
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_policy(
            "p.json",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}",
        )
        .unwrap_err();
        let Error::Parse { line, origin, .. } = err else {
            panic!("parse error expected")
        };
        assert_eq!(origin, "p.json");
        assert_eq!(line, 4);
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", "{", "[", "\"", "{\"a\":", "{\"a\" 1}", "[1,", "{}}"] {
            let _ = SourceMap::build(text);
            let _ = parse_policy("x", text);
        }
    }
}
