//! Reading CloudTrail events in the shapes people have, streaming: memory stays bounded by the
//! largest single event, whatever the size of the file.
//!
//! - The S3 delivery file: `{"Records": [event, ...]}`, gzip-compressed or not.
//! - `aws cloudtrail lookup-events` output: `{"Events": [{"CloudTrailEvent": "<event as a
//!   JSON string>", ...}, ...]}`.
//! - One event per line (CloudTrail Lake exports, `jq -c '.Records[]'`).
//! - A single event (a file holding one event object).
//!
//! Gzip is recognised by its magic bytes, not the file name.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::event::Event;
use crate::error::{Error, Result};

/// The longest line of a one-event-per-line file (one event is a few KB; CloudTrail caps
/// events at 256 KB).
const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

/// How much of the first line is looked at to tell one-event-per-line files from a document
/// (a one-line `{"Records": [...]}` file of a gigabyte must not be read as one line).
const SNIFF_BYTES: u64 = 1024 * 1024;

/// Calls `each` for every event of `reader`; `origin` names the input in errors.
pub fn read_events(origin: &str, reader: impl Read, each: &mut dyn FnMut(Event)) -> Result<()> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let gzip = reader
        .fill_buf()
        .map_err(|e| Error::io(origin, "cannot read", e))?
        .starts_with(&[0x1f, 0x8b]);
    if gzip {
        let inner = BufReader::with_capacity(256 * 1024, flate2::read::MultiGzDecoder::new(reader));
        return read_plain(origin, inner, each);
    }
    read_plain(origin, reader, each)
}

fn read_plain(origin: &str, mut reader: impl BufRead, each: &mut dyn FnMut(Event)) -> Result<()> {
    // One event per line when the first line is a whole event; else one JSON document.
    let mut first = Vec::new();
    (&mut reader)
        .take(SNIFF_BYTES)
        .read_until(b'\n', &mut first)
        .map_err(|e| Error::io(origin, "cannot read", e))?;
    let whole_line = first.ends_with(b"\n");
    if whole_line
        && let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&first)
        && is_event(&map)
    {
        emit(origin, 1, Value::Object(map), each)?;
        return read_lines(origin, reader, each);
    }
    let chained = std::io::Cursor::new(first).chain(reader);
    let mut de = serde_json::Deserializer::from_reader(chained);
    let mut sink = Sink { each, count: 0 };
    TopLevel { sink: &mut sink }
        .deserialize(&mut de)
        .map_err(|e| shape_error(origin, &e))?;
    de.end().map_err(|e| shape_error(origin, &e))?;
    Ok(())
}

/// The rest of a one-event-per-line file (line 1 was read already).
fn read_lines(origin: &str, mut reader: impl BufRead, each: &mut dyn FnMut(Event)) -> Result<()> {
    let mut line = Vec::new();
    let mut number = 1;
    loop {
        line.clear();
        number += 1;
        let n = (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(origin, "cannot read", e))?;
        if n == 0 {
            return Ok(());
        }
        if n as u64 == MAX_LINE_BYTES && !line.ends_with(b"\n") {
            return Err(Error::Invalid {
                origin: format!("{origin}:{number}"),
                message: format!(
                    "a line longer than {} MB is not one CloudTrail event",
                    MAX_LINE_BYTES / (1024 * 1024)
                ),
            });
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let event: Event = serde_json::from_slice(&line).map_err(|e| Error::Parse {
            origin: origin.to_string(),
            line: number,
            column: e.column().max(1),
            message: format!("not a CloudTrail event: {}", bare(&e)),
        })?;
        each(event);
    }
}

fn is_event(map: &Map<String, Value>) -> bool {
    map.contains_key("eventName") && map.contains_key("eventSource")
}

fn emit(origin: &str, line: usize, value: Value, each: &mut dyn FnMut(Event)) -> Result<()> {
    let event = Event::deserialize(value).map_err(|e| Error::Invalid {
        origin: format!("{origin}:{line}"),
        message: format!("not a CloudTrail event: {e}"),
    })?;
    each(event);
    Ok(())
}

fn bare(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.rfind(" at line ")
        .map_or(text.clone(), |i| text[..i].to_string())
}

fn shape_error(origin: &str, e: &serde_json::Error) -> Error {
    if e.line() == 0 {
        return Error::Invalid {
            origin: origin.to_string(),
            message: format!("not a CloudTrail file: {}", bare(e)),
        };
    }
    Error::Parse {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column().max(1),
        message: format!(
            "not a CloudTrail file ({{\"Records\": [...]}}, lookup-events output or one event per line): {}",
            bare(e)
        ),
    }
}

struct Sink<'a> {
    each: &'a mut dyn FnMut(Event),
    count: usize,
}

/// The top-level document: streams `Records` and `Events`; any other object is kept whole and
/// read as one event at the end.
struct TopLevel<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudTrail file: {\"Records\": [...]}, {\"Events\": [...]} or an event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut rest = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "Records" => {
                    map.next_value_seed(EventList {
                        sink: &mut *self.sink,
                        wrapped: false,
                    })?;
                    streamed = true;
                }
                "Events" => {
                    map.next_value_seed(EventList {
                        sink: &mut *self.sink,
                        wrapped: true,
                    })?;
                    streamed = true;
                }
                _ if streamed => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    rest.insert(key, map.next_value::<Value>()?);
                }
            }
        }
        if !streamed {
            if !is_event(&rest) {
                return Err(serde::de::Error::custom(
                    "no \"Records\" or \"Events\" list, and not an event (no eventSource/eventName)",
                ));
            }
            let event =
                Event::deserialize(Value::Object(rest)).map_err(serde::de::Error::custom)?;
            (self.sink.each)(event);
            self.sink.count += 1;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        // A bare list of events (`jq '.Records'`).
        EventList {
            sink: self.sink,
            wrapped: false,
        }
        .visit_seq(seq)
    }
}

/// A list of events (`Records`), or of lookup-events entries whose `CloudTrailEvent` holds
/// the event as a JSON string (`Events`).
struct EventList<'s, 'a> {
    sink: &'s mut Sink<'a>,
    wrapped: bool,
}

impl<'de> DeserializeSeed<'de> for EventList<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

/// One entry of `aws cloudtrail lookup-events` output.
#[derive(Deserialize)]
struct LookupEntry {
    #[serde(rename = "CloudTrailEvent")]
    cloudtrail_event: String,
}

impl<'de> Visitor<'de> for EventList<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of CloudTrail events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        if self.wrapped {
            while let Some(entry) = seq.next_element::<LookupEntry>()? {
                let event: Event = serde_json::from_str(&entry.cloudtrail_event).map_err(|e| {
                    serde::de::Error::custom(format!(
                        "a CloudTrailEvent string is not an event: {}",
                        bare(&e)
                    ))
                })?;
                (self.sink.each)(event);
                self.sink.count += 1;
            }
        } else {
            while let Some(event) = seq.next_element::<Event>()? {
                (self.sink.each)(event);
                self.sink.count += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s","accountId":"111122223333"},"requestParameters":{"bucketName":"b","key":"k"}}"#;

    fn names(input: &[u8]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        read_events("t", input, &mut |e| out.push(e.event_name.clone()))?;
        Ok(out)
    }

    #[test]
    fn reads_every_shape() {
        let records = format!("{{\"Records\": [{ONE}, {ONE}]}}");
        assert_eq!(
            names(records.as_bytes()).unwrap(),
            ["GetObject", "GetObject"]
        );
        let quoted = serde_json::to_string(ONE).unwrap();
        let lookup = format!(
            "{{\"Events\": [{{\"EventId\": \"1\", \"CloudTrailEvent\": {quoted}}}], \"NextToken\": \"x\"}}"
        );
        assert_eq!(names(lookup.as_bytes()).unwrap(), ["GetObject"]);
        let lines = format!("{ONE}\n\n{ONE}\n");
        assert_eq!(names(lines.as_bytes()).unwrap().len(), 2);
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(ONE).unwrap()).unwrap();
        assert_eq!(names(pretty.as_bytes()).unwrap().len(), 1);
        assert_eq!(names(format!("[{ONE}]").as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn reads_gzip() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(format!("{{\"Records\": [{ONE}]}}").as_bytes())
            .unwrap();
        assert_eq!(names(&gz.finish().unwrap()).unwrap(), ["GetObject"]);
    }

    #[test]
    fn broken_input_says_where() {
        let e = names(b"{\"Records\": [1, 2").unwrap_err().to_string();
        assert!(e.starts_with("t:1:"), "{e}");
        let e = names(b"{\"Other\": 1}").unwrap_err().to_string();
        assert!(e.contains("no \"Records\""), "{e}");
        let e = names(format!("{ONE}\nnot json\n").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t:2:"), "{e}");
        assert!(names(b"").is_err());
    }
}
