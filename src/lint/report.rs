//! The reports `rolesmith lint` writes: text (one finding a line, then a summary), the
//! guide's JSON report, and SARIF 2.1.0 for code scanning (guide §7).
//!
//! [`ReportWriter`] writes each format as the files' reports arrive, so a run holds one
//! file's findings at a time whatever the number of files; the whole-report functions
//! (`text_report`, `json_report`, `sarif_report`) run the same writer into a string.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::Error;
use crate::io::terminal;

use super::explain::CODES;
use super::{Finding, Severity};

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// `identity`, `trust`, `resource`, `scp` or `role` (guide §7).
    pub kind: &'static str,
    pub findings: Vec<Finding>,
    /// The file could not be read or parsed (exit 2).
    pub error: Option<Error>,
}

pub fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize, usize) {
    let (mut e, mut w, mut s, mut ignored) = (0, 0, 0, 0);
    for f in findings {
        if f.is_ignored() {
            ignored += 1;
            continue;
        }
        match f.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
            Severity::Suggestion => s += 1,
        }
    }
    (e, w, s, ignored)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One finding as a text line: `path:line:col: severity[code] message`.
pub fn text_line(path: &str, f: &Finding) -> String {
    let at = match (f.location.line, f.location.column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        _ => path.to_string(),
    };
    let mut line = format!("{at}: {}[{}] {}", f.severity, f.code, f.message);
    if let Some(reason) = &f.ignored {
        if reason.is_empty() {
            line.push_str(" (ignored)");
        } else {
            line.push_str(&format!(" (ignored: {reason})"));
        }
    }
    line
}

/// The text report: one line per finding, then a summary.
///
/// Prints the reports as they are: make them printable first ([`make_printable`]).
pub fn text_report(reports: &[FileReport]) -> String {
    whole(Format::Text, reports, false)
}

/// The JSON report of guide §7 (ignored findings carry an extra `ignored` reason).
pub fn json_report(reports: &[FileReport]) -> String {
    whole(Format::Json, reports, false)
}

/// SARIF 2.1.0: one run, a rule per finding code, a result per finding.
pub fn sarif_report(reports: &[FileReport]) -> String {
    whole(Format::Sarif, reports, false)
}

fn whole(format: Format, reports: &[FileReport], for_terminal: bool) -> String {
    let mut out = Vec::new();
    let mut w = ReportWriter::new(format, &mut out, for_terminal);
    for r in reports {
        // Writing into a Vec cannot fail.
        let _ = w.file(r);
    }
    let _ = w.finish();
    String::from_utf8(out).unwrap_or_default()
}

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Writes one report, a file at a time, in the exact bytes of the whole-report functions.
///
/// The JSON formats are written as serde_json's pretty printer writes the whole tree:
/// each file's (or finding's) part is serialised from borrowed structs and indented to its
/// depth; the summary (JSON) and the closing brackets follow at [`ReportWriter::finish`].
/// Nothing is written before the first file or `finish`, so a run that fails before
/// linting prints no half report.
pub struct ReportWriter<W: Write> {
    format: Format,
    out: W,
    /// Escape what a terminal may act on in JSON strings ([`terminal::json_for_terminal`]).
    for_terminal: bool,
    started: bool,
    /// Parts written into the open array (files for JSON, results for SARIF).
    items: usize,
    files: usize,
    counts: (usize, usize, usize, usize),
    /// One part as written, and the same serialised before it is indented (reused).
    buf: Vec<u8>,
    scratch: Vec<u8>,
}

/// The SARIF report up to its (empty) results array, split there.
const SARIF_RESULTS: &str = "\"results\": []";

impl<W: Write> ReportWriter<W> {
    /// A writer of `format` into `out`; `for_terminal` escapes JSON strings for printing.
    pub fn new(format: Format, out: W, for_terminal: bool) -> Self {
        ReportWriter {
            format,
            out,
            for_terminal,
            started: false,
            items: 0,
            files: 0,
            counts: (0, 0, 0, 0),
            buf: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        match self.format {
            Format::Text => Ok(()),
            Format::Json => self.out.write_all(b"{\n  \"files\": ["),
            Format::Sarif => {
                let head = sarif_frame();
                let at = head.find(SARIF_RESULTS).unwrap_or(head.len());
                let head = &head[..at + SARIF_RESULTS.len() - 1];
                self.write_json(head.as_bytes())
            }
        }
    }

    /// Writes one file's part of the report.
    pub fn file(&mut self, r: &FileReport) -> io::Result<()> {
        self.start()?;
        self.files += 1;
        let (e, w, s, i) = counts(&r.findings);
        self.counts.0 += e;
        self.counts.1 += w;
        self.counts.2 += s;
        self.counts.3 += i;
        match self.format {
            Format::Text => {
                for f in &r.findings {
                    self.out.write_all(text_line(&r.path, f).as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                let file = JsonFile {
                    path: &r.path,
                    kind: r.kind,
                    findings: r.findings.iter().map(JsonFinding::of).collect(),
                };
                self.item(&file, 4)
            }
            Format::Sarif => {
                let uri = sarif_uri(&r.path);
                for f in &r.findings {
                    self.item(&SarifResult::of(JsonFinding::of(f), &uri), 8)?;
                }
                Ok(())
            }
        }
    }

    /// Ends the report (the summary, the closing brackets) and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.start()?;
        let (e, w, s, ignored) = self.counts;
        match self.format {
            Format::Text => {
                let mut line = format!(
                    "{}, {}, {} in {}",
                    plural(e, "error"),
                    plural(w, "warning"),
                    plural(s, "suggestion"),
                    plural(self.files, "file")
                );
                if ignored > 0 {
                    line.push_str(&format!(" ({ignored} ignored)"));
                }
                line.push('\n');
                self.out.write_all(line.as_bytes())?;
            }
            Format::Json => {
                self.close_array(2)?;
                let summary = json!({"error": e, "warning": w, "suggestion": s});
                let mut part = Vec::from(&b",\n  \"summary\": "[..]);
                self.scratch.clear();
                let _ = serde_json::to_writer_pretty(&mut self.scratch, &summary);
                indent_into(&mut part, &self.scratch, 2);
                part.extend_from_slice(b"\n}\n");
                self.out.write_all(&part)?;
            }
            Format::Sarif => {
                self.close_array(6)?;
                let frame = sarif_frame();
                let at = frame
                    .find(SARIF_RESULTS)
                    .map_or(frame.len(), |at| at + SARIF_RESULTS.len());
                let tail = format!("{}\n", &frame[at..]);
                self.write_json(tail.as_bytes())?;
            }
        }
        self.out.flush()
    }

    /// One element of the open array, at `depth` spaces.
    ///
    /// Serialised through [`Indenting`], which indents and hands the text on a chunk at a
    /// time: a file of 40,000 findings no longer holds its whole part twice (serialised,
    /// then indented: 24 MB of a 10,000-statement policy's 38 MB peak).
    fn item(&mut self, value: &impl Serialize, depth: usize) -> io::Result<()> {
        let mut part = std::mem::take(&mut self.buf);
        part.clear();
        part.extend_from_slice(if self.items == 0 { b"\n" } else { b",\n" });
        part.resize(part.len() + depth, b' ');
        self.items += 1;
        let mut raw = std::mem::take(&mut self.scratch);
        raw.clear();
        let mut indenting = Indenting {
            raw,
            part,
            depth,
            out: &mut self.out,
            for_terminal: self.for_terminal,
        };
        // The only errors are the output's own.
        let written = serde_json::to_writer_pretty(&mut indenting, value)
            .map_err(io::Error::other)
            .and_then(|()| indenting.pass_on(indenting.raw.len()));
        self.buf = indenting.part;
        self.scratch = indenting.raw;
        written
    }

    /// Closes the open array whose closing bracket sits at `depth` spaces.
    fn close_array(&mut self, depth: usize) -> io::Result<()> {
        if self.items == 0 {
            return self.out.write_all(b"]");
        }
        let mut close = vec![b'\n'];
        close.resize(1 + depth, b' ');
        close.push(b']');
        self.out.write_all(&close)
    }

    /// Writes JSON text, escaped for a terminal when asked.
    fn write_json(&mut self, text: &[u8]) -> io::Result<()> {
        write_json_to(&mut self.out, self.for_terminal, text)
    }
}

/// Writes JSON text to `out`, escaped for a terminal when asked.
fn write_json_to(out: &mut impl Write, for_terminal: bool, text: &[u8]) -> io::Result<()> {
    // Only characters from U+007F up are escaped: ASCII below it passes as it is.
    if !for_terminal || (text.is_ascii() && !text.contains(&0x7f)) {
        return out.write_all(text);
    }
    let text = String::from_utf8_lossy(text);
    out.write_all(terminal::json_for_terminal(&text).as_bytes())
}

/// Pretty JSON on its way to the output: held as serialised until [`Indenting::CHUNK`]
/// bytes are, then indented to `depth` ([`indent_into`]) and written up to the last line
/// break. Line breaks sit between tokens, never inside a string or a character, so the
/// pieces indent and escape for a terminal exactly as the whole text does.
struct Indenting<'o, W: Write> {
    /// Serialised and not yet passed on.
    raw: Vec<u8>,
    /// What goes out next (starts with the separator and the first line's indent).
    part: Vec<u8>,
    depth: usize,
    out: &'o mut W,
    for_terminal: bool,
}

impl<W: Write> Indenting<'_, W> {
    const CHUNK: usize = 64 * 1024;

    /// Passes on what is held up to the last line break among the `new` bytes just
    /// written (only those are searched, so a long string written in many pieces is not
    /// scanned again for each).
    #[cold]
    #[inline(never)]
    fn spill(&mut self, new: usize) -> io::Result<()> {
        let start = self.raw.len() - new;
        match self.raw[start..].iter().rposition(|&b| b == b'\n') {
            Some(last) => self.pass_on(start + last + 1),
            None => Ok(()),
        }
    }

    /// Indents and writes the first `n` bytes held, and keeps the rest.
    fn pass_on(&mut self, n: usize) -> io::Result<()> {
        indent_into(&mut self.part, &self.raw[..n], self.depth);
        write_json_to(self.out, self.for_terminal, &self.part)?;
        self.part.clear();
        self.raw.drain(..n);
        Ok(())
    }
}

impl<W: Write> Write for Indenting<'_, W> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // As cheap as writing into a Vec; the rare spill is out of line.
        self.raw.extend_from_slice(buf);
        if self.raw.len() >= Self::CHUNK {
            self.spill(buf.len())?;
        }
        Ok(buf.len())
    }

    /// Every write takes all of `buf`: no loop (serde_json writes a run of small pieces).
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.write(buf).map(drop)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Appends `text` to `out` with `depth` spaces after each line break (JSON text holds line
/// breaks only between tokens: inside strings they are escaped).
fn indent_into(out: &mut Vec<u8>, text: &[u8], depth: usize) {
    // Line by line rather than byte by byte: a run's report is megabytes.
    out.reserve(text.len());
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.extend_from_slice(first);
    }
    for line in lines {
        out.push(b'\n');
        out.resize(out.len() + depth, b' ');
        out.extend_from_slice(line);
    }
}

/// One file of the JSON report, borrowed from its [`FileReport`].
#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    kind: &'a str,
    findings: Vec<JsonFinding<'a>>,
}

/// A finding's fields as both JSON formats write them, borrowed once: the JSON report
/// serialises it as it is (guide §7: absent positions are `null`), and a SARIF result is
/// laid out from it ([`SarifResult::of`]).
#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    #[serde(serialize_with = "severity_name")]
    severity: Severity,
    message: &'a str,
    statement: Option<usize>,
    pointer: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignored: Option<&'a str>,
}

fn severity_name<S: serde::Serializer>(s: &Severity, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_str(s.as_str())
}

impl<'a> JsonFinding<'a> {
    fn of(f: &'a Finding) -> Self {
        JsonFinding {
            code: f.code,
            severity: f.severity,
            message: &f.message,
            statement: f.location.statement,
            pointer: &f.location.pointer,
            line: f.location.line,
            column: f.location.column,
            ignored: f.ignored.as_deref(),
        }
    }
}

/// One SARIF result, borrowed from its finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: SarifText<'a>,
    locations: [SarifLocation<'a>; 1],
    properties: SarifProperties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SarifSuppression<'a>; 1]>,
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical<'a> {
    artifact_location: SarifUri<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
struct SarifUri<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

#[derive(Serialize)]
struct SarifProperties<'a> {
    pointer: &'a str,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

impl<'a> SarifResult<'a> {
    fn of(f: JsonFinding<'a>, uri: &'a str) -> Self {
        let region = (f.line.is_some() || f.column.is_some()).then_some(SarifRegion {
            start_line: f.line,
            start_column: f.column,
        });
        SarifResult {
            rule_id: f.code,
            rule_index: CODES.iter().position(|c| c.code == f.code).unwrap_or(0),
            level: sarif_level(f.severity),
            message: SarifText { text: f.message },
            locations: [SarifLocation {
                physical_location: SarifPhysical {
                    artifact_location: SarifUri { uri },
                    region,
                },
            }],
            properties: SarifProperties { pointer: f.pointer },
            suppressions: f.ignored.map(|reason| {
                [SarifSuppression {
                    kind: "inSource",
                    justification: (!reason.is_empty()).then_some(reason),
                }]
            }),
        }
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// The SARIF report without results, pretty printed: the frame results are written into.
fn sarif_frame() -> &'static str {
    static FRAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FRAME.get_or_init(|| serde_json::to_string_pretty(&sarif_log(Vec::new())).unwrap_or_default())
}

/// The whole SARIF log around `results`: one run of rolesmith with a rule per finding code.
/// The one place its shape is written (the streamed frame and the tests' whole-tree report).
fn sarif_log(results: Vec<Value>) -> Value {
    let rules: Vec<Value> = CODES
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.code,
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": c.why},
                "help": {
                    "text": format!("{}\n\nBad: {}\nGood: {}", c.fix, c.bad, c.good),
                },
                "defaultConfiguration": {"level": sarif_level(c.severity)},
            })
        })
        .collect();
    sarif_log_of(rules, results)
}

/// A SARIF 2.1.0 log of one rolesmith run: the frame every SARIF report shares (lint's, and
/// `diff --format sarif`'s with its own rules).
pub fn sarif_log_of(rules: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rolesmith",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/rolesmith/rolesmith",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn sarif_uri(path: &str) -> String {
    let mut out = String::new();
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// A file name and findings as a text report may print them: control characters made visible
/// (a CR or LF from a file name or a policy cannot forge a report line), and no line that
/// starts with a GitHub workflow command (`::error ...::`).
pub fn make_printable(path: &mut String, findings: &mut [Finding]) {
    let visible = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = terminal::sanitize_for_display(s) {
            *s = o;
        }
    };
    visible(path);
    if let std::borrow::Cow::Owned(o) = terminal::safe_line_start(path) {
        *path = o;
    }
    for f in findings {
        visible(&mut f.message);
        if let Some(reason) = &mut f.ignored {
            visible(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Finding, Severity};

    // The whole-tree writers before issue 18, kept as the definition of the bytes the
    // streaming writer must produce.
    /// The text report: one line per finding, then a summary.
    fn old_text_report(reports: &[FileReport]) -> String {
        let mut out = String::new();
        for r in reports {
            for f in &r.findings {
                out.push_str(&text_line(&r.path, f));
                out.push('\n');
            }
        }
        let (e, w, s, ignored) = counts(reports.iter().flat_map(|r| &r.findings));
        out.push_str(&format!(
            "{}, {}, {} in {}",
            plural(e, "error"),
            plural(w, "warning"),
            plural(s, "suggestion"),
            plural(reports.len(), "file")
        ));
        if ignored > 0 {
            out.push_str(&format!(" ({ignored} ignored)"));
        }
        out.push('\n');
        out
    }

    /// The JSON report of guide §7 (ignored findings carry an extra `ignored` reason).
    fn old_json_report(reports: &[FileReport]) -> String {
        let files: Vec<Value> = reports
            .iter()
            .map(|r| {
                let findings: Vec<Value> = r
                    .findings
                    .iter()
                    .map(|f| {
                        let mut v = json!({
                            "code": f.code,
                            "severity": f.severity.as_str(),
                            "message": f.message,
                            "statement": f.location.statement,
                            "pointer": f.location.pointer,
                            "line": f.location.line,
                            "column": f.location.column,
                        });
                        if let (Some(reason), Some(obj)) = (&f.ignored, v.as_object_mut()) {
                            obj.insert("ignored".into(), json!(reason));
                        }
                        v
                    })
                    .collect();
                json!({"path": r.path, "kind": r.kind, "findings": findings})
            })
            .collect();
        let (e, w, s, _) = counts(reports.iter().flat_map(|r| &r.findings));
        let report = json!({
            "files": files,
            "summary": {"error": e, "warning": w, "suggestion": s},
        });
        let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
        out.push('\n');
        out
    }

    /// SARIF 2.1.0: one run, a rule per finding code, a result per finding.
    fn old_sarif_report(reports: &[FileReport]) -> String {
        let mut results = Vec::new();
        for r in reports {
            for f in &r.findings {
                let mut region = serde_json::Map::new();
                if let Some(l) = f.location.line {
                    region.insert("startLine".into(), json!(l));
                }
                if let Some(c) = f.location.column {
                    region.insert("startColumn".into(), json!(c));
                }
                let mut physical = json!({"artifactLocation": {"uri": sarif_uri(&r.path)}});
                if !region.is_empty()
                    && let Some(obj) = physical.as_object_mut()
                {
                    obj.insert("region".into(), Value::Object(region));
                }
                let mut result = json!({
                    "ruleId": f.code,
                    "ruleIndex": CODES.iter().position(|c| c.code == f.code).unwrap_or(0),
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": physical}],
                    "properties": {"pointer": f.location.pointer},
                });
                if let (Some(reason), Some(obj)) = (&f.ignored, result.as_object_mut()) {
                    let mut s = json!({"kind": "inSource"});
                    if !reason.is_empty()
                        && let Some(so) = s.as_object_mut()
                    {
                        so.insert("justification".into(), json!(reason));
                    }
                    obj.insert("suppressions".into(), json!([s]));
                }
                results.push(result);
            }
        }
        let report = sarif_log(results);
        let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
        out.push('\n');
        out
    }

    fn reports() -> Vec<FileReport> {
        let mut plain = Finding::new(
            "action-wildcard",
            "s3:* grants \"all\"",
            "/Statement/0/Action",
        );
        plain.location.statement = Some(0);
        plain.location.line = Some(3);
        plain.location.column = Some(7);
        let mut ignored = Finding::new("redundant-action", "x\u{202e}y", "/Statement/1");
        ignored.ignored = Some("we know".into());
        ignored.location.line = Some(9);
        let mut bare = Finding::new("json-syntax", "EOF", "");
        bare.ignored = Some(String::new());
        bare.severity = Severity::Error;
        vec![
            FileReport {
                path: "a b/p#1.json".into(),
                kind: "identity",
                findings: vec![plain, ignored],
                error: None,
            },
            FileReport {
                path: "empty.json".into(),
                kind: "trust",
                findings: Vec::new(),
                error: None,
            },
            FileReport {
                path: "c.json".into(),
                kind: "role",
                findings: vec![bare],
                error: None,
            },
        ]
    }

    #[test]
    fn streamed_reports_are_the_bytes_of_the_whole_tree() {
        let all = reports();
        for n in [0, 1, 2, 3] {
            let some = &all[..n];
            assert_eq!(text_report(some), old_text_report(some), "{n}");
            assert_eq!(json_report(some), old_json_report(some), "{n}");
            assert_eq!(sarif_report(some), old_sarif_report(some), "{n}");
        }
        // Only the empty report in the middle.
        let empty = &all[1..2];
        assert_eq!(json_report(empty), old_json_report(empty));
        assert_eq!(sarif_report(empty), old_sarif_report(empty));
    }

    /// A file whose part is many times [`Indenting::CHUNK`] is passed on in pieces, with
    /// the same bytes, escaped for a terminal or not.
    #[test]
    fn a_file_larger_than_a_chunk_streams_the_same_bytes() {
        let mut big = reports();
        let many: Vec<Finding> = (0..4000)
            .map(|i| {
                let mut f = Finding::new(
                    "redundant-action",
                    format!("finding {i} \u{202e} caf\u{e9} {}", "x".repeat(i % 97)),
                    format!("/Statement/{i}"),
                );
                f.location.line = Some(i + 1);
                f
            })
            .collect();
        big[0].findings.extend(many);
        let json = json_report(&big);
        assert!(
            json.len() > 8 * Indenting::<Vec<u8>>::CHUNK,
            "{}",
            json.len()
        );
        assert_eq!(json, old_json_report(&big));
        assert_eq!(sarif_report(&big), old_sarif_report(&big));
        for format in [Format::Json, Format::Sarif] {
            let escaped = terminal::json_for_terminal(&whole(format, &big, false)).into_owned();
            assert_eq!(whole(format, &big, true), escaped, "{format:?}");
        }
    }

    #[test]
    fn terminal_escaping_while_streaming_equals_escaping_the_whole() {
        let all = reports();
        for format in [Format::Json, Format::Sarif] {
            let whole_text = whole(format, &all, false);
            let escaped = terminal::json_for_terminal(&whole_text).into_owned();
            assert_eq!(whole(format, &all, true), escaped);
            assert!(escaped.contains("\\u202e"), "{format:?}");
        }
    }
}
