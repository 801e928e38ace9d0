//! Where each element of a JSON document sits in its text, so findings can point at lines.
//!
//! serde_json does not keep positions, so we scan the (already validated) text once and
//! record the start of every value and every object key under its JSON pointer.

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

/// What one scan of the text records: every value as a node of a tree kept in flat
/// vectors, so a scan allocates a few vectors instead of a pointer string per value (the
/// scan was 10-17% of linting a file with findings), and a pointer is answered by walking
/// down its tokens.
#[derive(Clone, Debug, Default)]
struct Scanned {
    /// The values in document order (the root first).
    nodes: Vec<Node>,
    /// The children of node `n` are `kids[kid_start[n]..kid_start[n + 1]]`, in order.
    kid_start: Vec<usize>,
    kids: Vec<usize>,
    line_starts: Vec<usize>,
}

/// One value of the text.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// Offset of its key's opening quote, for an object member.
    key_at: Option<usize>,
    /// Offset just past its key's closing quote (the key's raw token is `key_at..key_end`).
    key_end: usize,
    /// The key holds escapes (compare it decoded).
    key_escaped: bool,
    value_at: usize,
    parent: usize,
    kind: NodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NodeKind {
    Object,
    Array,
    Scalar,
}

impl Scanned {
    fn of(text: &str, nodes: Vec<Node>) -> Scanned {
        let mut kid_start = vec![0usize; nodes.len() + 1];
        for n in nodes.iter().skip(1) {
            kid_start[n.parent + 1] += 1;
        }
        for i in 1..kid_start.len() {
            kid_start[i] += kid_start[i - 1];
        }
        let mut fill = kid_start.clone();
        let mut kids = vec![0usize; nodes.len().saturating_sub(1)];
        for (i, n) in nodes.iter().enumerate().skip(1) {
            kids[fill[n.parent]] = i;
            fill[n.parent] += 1;
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Scanned {
            nodes,
            kid_start,
            kids,
            line_starts,
        }
    }

    fn children(&self, n: usize) -> &[usize] {
        &self.kids[self.kid_start[n]..self.kid_start[n + 1]]
    }

    /// The deepest node on `pointer`'s path, and whether it is the whole pointer.
    fn walk(&self, text: &str, pointer: &str) -> Option<(usize, bool)> {
        self.nodes.first()?;
        let mut at = 0usize;
        if pointer.is_empty() {
            return Some((0, true));
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return Some((0, false));
        };
        for token in rest.split('/') {
            let next = match self.nodes[at].kind {
                NodeKind::Array => {
                    array_index(token).and_then(|i| self.children(at).get(i).copied())
                }
                NodeKind::Object => {
                    let escaped = token.contains('~');
                    self.children(at)
                        .iter()
                        .rev()
                        .copied()
                        .find(|&k| key_is(text, &self.nodes[k], token, escaped))
                }
                NodeKind::Scalar => None,
            };
            match next {
                Some(k) => at = k,
                None => return Some((at, false)),
            }
        }
        Some((at, true))
    }
}

/// The index an array pointer token names, written as the scan wrote it (no sign, no
/// leading zero).
fn array_index(token: &str) -> Option<usize> {
    let canonical = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    canonical.then(|| token.parse().ok()).flatten()
}

/// Does the key of `node` equal the pointer token (RFC 6901 escapes in the token, JSON
/// escapes in the key)? `token_escaped`: the token holds a `~` (asked once per token).
fn key_is(text: &str, node: &Node, token: &str, token_escaped: bool) -> bool {
    let Some(raw) = node
        .key_at
        .and_then(|at| text.get(at + 1..node.key_end.saturating_sub(1)))
    else {
        return false;
    };
    if !node.key_escaped && !token_escaped {
        return raw == token;
    }
    let decoded: Option<String> = if node.key_escaped {
        text.get(node.key_at.unwrap_or(0)..node.key_end)
            .and_then(|quoted| serde_json::from_str(quoted).ok())
    } else {
        Some(raw.to_string())
    };
    let mut escaped = String::new();
    decoded.is_some_and(|key| {
        push_pointer_token(&mut escaped, &key);
        escaped.get(1..) == Some(token)
    })
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
                scanner.value(0, None, 0)?;
                Some(Scanned::of(&self.text, scanner.nodes))
            })
            .as_ref()
    }

    fn entry(&self, pointer: &str) -> Option<(Option<usize>, usize)> {
        let scanned = self.scanned()?;
        match scanned.walk(&self.text, pointer)? {
            (n, true) => scanned.nodes.get(n).map(|n| (n.key_at, n.value_at)),
            (_, false) => None,
        }
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
        let scanned = self.scanned()?;
        let (n, _) = scanned.walk(&self.text, pointer)?;
        scanned.nodes.get(n).map(|n| self.pos(n.value_at))
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
    /// Every value met, in document order (see [`Scanned`]).
    nodes: Vec<Node>,
    /// When looking for repeated keys: the first one found, as (key, first offset, second offset).
    duplicate: Option<(String, usize, usize)>,
    find_duplicates: bool,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8], find_duplicates: bool) -> Self {
        Scanner {
            bytes,
            at: 0,
            nodes: Vec::new(),
            duplicate: None,
            find_duplicates,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Scans one value; `key` is its key token (start, end, escaped) for an object member.
    fn value(
        &mut self,
        depth: usize,
        key: Option<(usize, usize, bool)>,
        parent: usize,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let kind = match *self.bytes.get(self.at)? {
            b'{' => NodeKind::Object,
            b'[' => NodeKind::Array,
            _ => NodeKind::Scalar,
        };
        let me = self.nodes.len();
        self.nodes.push(Node {
            key_at: key.map(|(at, _, _)| at),
            key_end: key.map_or(0, |(_, end, _)| end),
            key_escaped: key.is_some_and(|(_, _, e)| e),
            value_at: self.at,
            parent,
            kind,
        });
        match *self.bytes.get(self.at)? {
            b'{' => self.object(depth, me),
            b'[' => self.array(depth, me),
            b'"' => self.skip_string(),
            _ => self.scalar(),
        }
    }

    fn object(&mut self, depth: usize, me: usize) -> Option<()> {
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
            let (_, escaped) = self.scan_string()?;
            let key_end = self.at;
            if self.find_duplicates {
                let key = self.decoded(key_at, key_end, escaped)?;
                if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                    self.duplicate.get_or_insert((key.clone(), *first, key_at));
                    return None;
                }
                keys.push((key, key_at));
            }
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b':') {
                return None;
            }
            self.at += 1;
            self.value(depth + 1, Some((key_at, key_end, escaped)), me)?;
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

    fn array(&mut self, depth: usize, me: usize) -> Option<()> {
        self.at += 1;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value(depth + 1, None, me)?;
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

    /// The decoded value of the string token at `start..end` (escapes resolved by
    /// serde_json).
    fn decoded(&self, start: usize, end: usize, escaped: bool) -> Option<String> {
        let raw = std::str::from_utf8(self.bytes.get(start..end)?).ok()?;
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
    let _ = scanner.value(0, None, 0);
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

    /// Every pointer of a value, with the value, in document order.
    fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let mut p = at.clone();
                    push_pointer_token(&mut p, k);
                    pointers(x, p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    pointers(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_pointer_of_the_document_is_found_at_its_value() {
        let text = "{\"a/b\": {\"c~d\": [1, {\"\\u0065\": \"x\"}]}, \"0\": [[], {}], \"\": true,\n \"k\\\"q\": null}";
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let map = SourceMap::build(text).unwrap();
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        assert_eq!(all.len(), 11);
        let mut last = SourcePos { line: 0, column: 0 };
        for p in &all {
            let at = map.value_pos(p).unwrap_or_else(|| panic!("{p}"));
            assert!(at > last, "{p}: values come in document order");
            last = at;
            assert_eq!(map.nearest_pos(p), Some(at), "{p}");
        }
        assert_eq!(map.value_pos("/e"), None);
        assert_eq!(map.value_pos("/a~1b/c~0d/01"), None, "indices as written");
        assert!(
            map.value_pos("/a~1b/c~0d/1/e").is_some(),
            "escaped key decoded"
        );
        assert_eq!(map.nearest_pos("/0/1/zz"), map.value_pos("/0/1"));
        assert_eq!(map.key_pos("/k\"q").map(|p| p.line), Some(2));
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
