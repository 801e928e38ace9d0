//! Where each element of a YAML text (a CloudFormation template) sits, by JSON pointer, so
//! findings on a YAML template point at lines as they do on JSON.
//!
//! A second, read-only pass over the parser's events after [`super::yaml_to_json`] has
//! accepted the text: it records positions and builds nothing else.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::policy::source::push_pointer_token;

/// JSON pointer → 1-based (line, column) of the value there.
#[derive(Clone, Debug, Default)]
pub struct YamlPositions {
    at: HashMap<String, (usize, usize)>,
}

impl YamlPositions {
    /// Positions of `text`'s elements; empty if the text does not parse.
    pub fn of(text: &str) -> YamlPositions {
        let mut recorder = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut recorder, false).is_err() {
            return YamlPositions::default();
        }
        YamlPositions { at: recorder.at }
    }

    /// The position of `pointer`, else of its nearest ancestor that has one.
    pub fn nearest(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.at.get(p) {
                return Some(*pos);
            }
            p = &p[..p.rfind('/')?];
        }
    }
}

enum Frame {
    /// A mapping at `pointer`, with the key read and waiting for its value.
    Map {
        pointer: String,
        key: Option<String>,
    },
    /// A sequence at `pointer`, with the index of the next item.
    Seq { pointer: String, next: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    at: HashMap<String, (usize, usize)>,
}

impl Recorder {
    /// The pointer of the value that starts now, or `None` when a mapping key starts.
    fn next_value(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { pointer, next }) => {
                let p = format!("{pointer}/{next}");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some(k) => {
                    let mut p = pointer.clone();
                    push_pointer_token(&mut p, &k);
                    Some(p)
                }
                None => {
                    *key = Some(scalar.unwrap_or_default().to_string());
                    None
                }
            },
        }
    }

    fn record(&mut self, pointer: &str, mark: Marker) {
        self.at
            .entry(pointer.to_string())
            .or_insert((mark.line().max(1), mark.col() + 1));
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(s, ..) => {
                if let Some(p) = self.next_value(Some(&s)) {
                    self.record(&p, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_value(Some("")) {
                    self.record(&p, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A collection as a mapping key is refused by the real reader; here it
                // gets an empty key.
                let pointer = self.next_value(Some("")).unwrap_or_default();
                self.record(&pointer, mark);
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map { pointer, key: None }
                } else {
                    Frame::Seq { pointer, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_of_a_template_map_to_lines() {
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/A\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/B\n";
        let p = YamlPositions::of(text);
        assert_eq!(
            p.nearest("/Resources/Role/Properties/ManagedPolicyArns/1"),
            // (the value after its `!Sub` tag)
            Some((7, 16))
        );
        assert_eq!(p.nearest("/Resources/Role/Type"), Some((3, 11)));
        assert_eq!(
            p.nearest("/Resources/Role/Properties/Policies/0"),
            p.nearest("/Resources/Role/Properties")
        );
        assert!(YamlPositions::of("a: [1,").nearest("/a").is_none());
    }
}
