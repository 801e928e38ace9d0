//! Reading a lesson file (TOML), with errors that name the file, line and column.
//!
//! The start role is a `[start]` table with the keys of a role file, or `start = "FILE"`
//! (a role file next to the lesson). Tasks (`[[task]]`) and calls (`[[call]]`) use the keys
//! of a role file's `[[expect]]`, and are validated by the role file's own rules, so a
//! lesson and a role file never disagree on what a request is.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{Error, Result, line_col};
use crate::policy::{ConditionScalar, OneOrMany};
use crate::role::validate::{FieldPath, PathSeg};
use crate::role::{ExpectSpec, RoleSpec, field_position, load_role_file};

use super::{Check, Hint, HintLevel, Lesson, ScriptedCall, Task};

/// A lesson name: 1-64 of `[a-z0-9-]`, not starting with `-` (it names a progress file and
/// is typed on the command line).
pub fn is_valid_lesson_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    name: String,
    title: String,
    story: String,
    goal: String,
    learned: String,
    #[serde(default)]
    messages: Vec<String>,
    #[serde(default)]
    session: Option<String>,
    start: StartRole,
    #[serde(default, rename = "task")]
    tasks: Vec<TaskFile>,
    #[serde(default, rename = "call")]
    calls: Vec<CallFile>,
}

/// `start = "FILE"` or a `[start]` table.
enum StartRole {
    File(String),
    Inline(Box<RoleSpec>),
}

impl<'de> Deserialize<'de> for StartRole {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StartRole;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a role file name, or a [start] table with the keys of a role file")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<StartRole, E> {
                Ok(StartRole::File(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<StartRole, A::Error> {
                RoleSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|r| StartRole::Inline(Box::new(r)))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    title: String,
    #[serde(default)]
    allow: Option<String>,
    #[serde(default)]
    deny: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    principal: Option<String>,
    #[serde(default)]
    context: IndexMap<String, OneOrMany<ConditionScalar>>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    assumed_by: Option<String>,
    #[serde(default)]
    hints: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallFile {
    #[serde(default)]
    label: Option<String>,
    action: String,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    principal: Option<String>,
    #[serde(default)]
    context: IndexMap<String, OneOrMany<ConditionScalar>>,
}

/// Parses and validates a lesson. `origin` names it in messages; `base` is the folder a
/// `start = "FILE"` is read from (`None`: built-in lessons, which must be inline).
pub fn parse_lesson(origin: &str, text: &str, base: Option<&Path>) -> Result<Lesson> {
    let file: LessonFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        Error::Parse {
            origin: origin.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let at = |path: FieldPath, message: String| {
        let (line, column) = field_position(text, &path).unwrap_or((1, 1));
        Error::Parse {
            origin: origin.to_string(),
            line,
            column,
            message,
        }
    };
    let key = |k: &'static str| FieldPath(vec![PathSeg::Key(k)]);

    if !is_valid_lesson_name(&file.name) {
        return Err(at(
            key("name"),
            format!(
                "{:?} is not a lesson name: use 1-64 lower-case letters, digits and -",
                file.name
            ),
        ));
    }
    for (k, v) in [
        ("title", &file.title),
        ("story", &file.story),
        ("goal", &file.goal),
        ("learned", &file.learned),
    ] {
        if v.trim().is_empty() {
            return Err(at(key(k), format!("`{k}` must not be empty")));
        }
    }

    let start = match file.start {
        StartRole::File(rel) => {
            let Some(base) = base else {
                return Err(at(
                    key("start"),
                    "a built-in lesson's start role must be a [start] table".into(),
                ));
            };
            load_role_file(&base.join(rel))?
        }
        StartRole::Inline(role) => {
            let mut role = *role;
            let misplaced = std::mem::take(&mut role.trust.managed_policies);
            role.managed_policies.extend(misplaced);
            let misplaced = std::mem::take(&mut role.trust.assumed_by);
            role.assumed_by.extend(misplaced);
            if let Some(p) = role_problems(&role).into_iter().next() {
                let mut path = vec![PathSeg::Key("start")];
                path.extend(p.path.0);
                return Err(at(FieldPath(path), p.message));
            }
            role
        }
    };

    if file.tasks.is_empty() {
        return Err(at(
            key("name"),
            "a lesson needs at least one [[task]]: without one it can never be done".into(),
        ));
    }

    // Requests of tasks and calls are checked by the role file's [[expect]] rules; `owners`
    // says which task or call each checked entry came from.
    let mut probe = start.clone();
    probe.expectations.clear();
    let mut owners: Vec<(&'static str, usize)> = Vec::new();
    let mut tasks = Vec::new();
    for (i, t) in file.tasks.into_iter().enumerate() {
        let task_path = || FieldPath(vec![PathSeg::Key("task"), PathSeg::Index(i)]);
        let is_expect = t.allow.is_some() || t.deny.is_some();
        let kinds = usize::from(is_expect)
            + usize::from(!t.absent.is_empty())
            + usize::from(t.assumed_by.is_some());
        if kinds != 1 {
            return Err(at(
                task_path(),
                "a [[task]] checks one thing: `allow`/`deny` (a request), `absent` (finding codes) or `assumed_by` (a principal)".into(),
            ));
        }
        if !is_expect
            && (t.resource.is_some()
                || t.principal.is_some()
                || !t.context.is_empty()
                || t.why.is_some())
        {
            return Err(at(
                task_path(),
                "`resource`, `principal`, `context` and `why` belong to an `allow`/`deny` task"
                    .into(),
            ));
        }
        if t.hints.len() > 3 {
            return Err(at(
                task_path().then("hints"),
                "give at most 3 hints: a nudge, a pointer, then the answer".into(),
            ));
        }
        let check = if is_expect {
            let spec = ExpectSpec {
                allow: t.allow,
                deny: t.deny,
                resource: t.resource,
                principal: t.principal,
                context: t.context,
                why: t.why,
            };
            probe.expectations.push(spec.clone());
            owners.push(("task", i));
            Check::Expect(spec)
        } else if let Some(p) = t.assumed_by {
            if !crate::role::expect::is_request_principal(&p) {
                return Err(at(
                    task_path().then("assumed_by"),
                    format!(
                        "{p:?} is not a principal: give a service (\"lambda.amazonaws.com\"), an account id or an ARN"
                    ),
                ));
            }
            Check::AssumedBy(p)
        } else {
            if let Some(code) = t.absent.iter().find(|c| {
                crate::lint::explain::CODES
                    .iter()
                    .all(|k| k.code != c.as_str())
            }) {
                return Err(at(
                    task_path().then("absent"),
                    format!("{code:?} is not a finding code (see `rolesmith explain`)"),
                ));
            }
            Check::Absent(t.absent)
        };
        let hints = t
            .hints
            .into_iter()
            .enumerate()
            .map(|(j, text)| Hint {
                level: HintLevel::of_index(j),
                text,
            })
            .collect();
        tasks.push(Task {
            title: t.title,
            check,
            hints,
        });
    }

    let mut calls = Vec::new();
    for (i, c) in file.calls.into_iter().enumerate() {
        probe.expectations.push(ExpectSpec {
            allow: Some(c.action.clone()),
            resource: c.resource.clone(),
            principal: c.principal.clone(),
            context: c.context.clone(),
            ..Default::default()
        });
        owners.push(("call", i));
        let label = c
            .label
            .unwrap_or_else(|| default_label(&c.action, &c.resource));
        calls.push(ScriptedCall {
            label,
            action: c.action,
            resource: c.resource,
            principal: c.principal,
            context: c.context,
        });
    }
    if let Some(p) = role_problems(&probe).into_iter().next() {
        // Only the probe's expectations are new: the role itself was valid above.
        let mut segs = p.path.0.into_iter();
        let _expect = segs.next();
        let mut path = match segs.next() {
            Some(PathSeg::Index(k)) => {
                let (kind, i) = owners.get(k).copied().unwrap_or(("task", 0));
                vec![PathSeg::Key(kind), PathSeg::Index(i)]
            }
            _ => vec![PathSeg::Key("start")],
        };
        let is_call = path_is_call(&path);
        path.extend(segs.map(|s| match s {
            PathSeg::Key("allow") | PathSeg::Key("deny") if is_call => PathSeg::Key("action"),
            other => other,
        }));
        let message = p.message.replace("[[expect]] entry", "entry");
        return Err(at(FieldPath(path), message));
    }

    Ok(Lesson {
        name: file.name,
        title: file.title,
        story: file.story,
        goal: file.goal,
        learned: file.learned,
        messages: file.messages,
        session: file.session,
        start,
        tasks,
        calls,
        origin: origin.to_string(),
    })
}

/// The role file's problems, except a trust that names nobody: a lesson may start there
/// (the learner writes the trust).
fn role_problems(role: &RoleSpec) -> Vec<crate::role::RoleProblem> {
    let mut problems = crate::role::validate(role);
    if role.trust.is_empty() {
        problems.retain(|p| !matches!(p.path.0.as_slice(), [PathSeg::Key("trust")]));
    }
    problems
}

fn path_is_call(path: &[PathSeg]) -> bool {
    matches!(path.first(), Some(PathSeg::Key("call")))
}

/// `PutObject reversed/abc.txt`: the action's name and the resource's last part.
fn default_label(action: &str, resource: &Option<String>) -> String {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    match resource {
        None => name.to_string(),
        Some(r) => {
            let tail = r.splitn(6, ':').nth(5).unwrap_or(r);
            let tail = match r.split(':').nth(2) {
                // S3 object: drop the bucket, keep the key.
                Some("s3") => tail.split_once('/').map_or(tail, |(_, k)| k),
                _ => tail,
            };
            format!("{name} {tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "tiny"
title = "Tiny"
story = "A function writes one object."
goal = "Let it write."
learned = "Objects need bucket/*."

[start]
name = "writer"
[start.trust]
services = ["lambda.amazonaws.com"]

[[task]]
title = "it can write"
allow = "s3:PutObject"
resource = "arn:aws:s3:::b/out.txt"
hints = ["look at the resource", "objects live under bucket/*", "use arn:aws:s3:::b/*"]

[[call]]
action = "s3:PutObject"
resource = "arn:aws:s3:::b/out.txt"
"#;

    fn err(text: &str) -> (usize, String) {
        match parse_lesson("l.toml", text, None) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a positioned error, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_lesson_reads() {
        let l = parse_lesson("l.toml", MINIMAL, None).unwrap();
        assert_eq!(l.name, "tiny");
        assert_eq!(l.start.name, "writer");
        assert_eq!(l.tasks.len(), 1);
        assert_eq!(l.tasks[0].hints[2].level, HintLevel::Answer);
        assert_eq!(l.calls[0].label, "PutObject out.txt");
    }

    #[test]
    fn errors_name_the_line() {
        let (line, m) = err(&MINIMAL.replace("name = \"writer\"", "name = \"bad name!\""));
        assert_eq!(line, 9, "{m}");
        let (line, m) = err(&MINIMAL.replace(
            "allow = \"s3:PutObject\"\nresource",
            "allow = \"s3:*\"\nresource",
        ));
        assert_eq!(line, 15, "{m}");
        assert!(m.contains("one action"), "{m}");
        let (line, m) = err(&MINIMAL.replace(
            "[[call]]\naction = \"s3:PutObject\"\nresource = \"arn:aws:s3:::b/out.txt\"",
            "[[call]]\naction = \"s3:PutObject\"\nresource = \"b/out.txt\"",
        ));
        assert_eq!(line, 21, "{m}");
        assert!(m.contains("not a resource ARN"), "{m}");
        let (line, m) = err(&MINIMAL.replace("title = \"it can write\"", "titel = \"x\""));
        assert_eq!(line, 14, "{m}");
        let (_, m) = err(&MINIMAL.replace(
            "allow = \"s3:PutObject\"",
            "allow = \"s3:PutObject\"\nabsent = [\"action-wildcard\"]",
        ));
        assert!(m.contains("one thing"), "{m}");
        let (_, m) = err(&MINIMAL.replace("name = \"tiny\"", "name = \"Tiny\""));
        assert!(m.contains("lesson name"), "{m}");
        let (_, m) = err(&MINIMAL.replace(
            "allow = \"s3:PutObject\"\nresource = \"arn:aws:s3:::b/out.txt\"",
            "absent = [\"no-such-code\"]",
        ));
        assert!(m.contains("not a finding code"), "{m}");
    }

    #[test]
    fn labels_default_to_action_and_resource_tail() {
        assert_eq!(
            default_label(
                "s3:PutObject",
                &Some("arn:aws:s3:::my-super-specific-bucket/reversed/abc.txt".into())
            ),
            "PutObject reversed/abc.txt"
        );
        assert_eq!(
            default_label(
                "logs:CreateLogStream",
                &Some("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f".into())
            ),
            "CreateLogStream log-group:/aws/lambda/f"
        );
        assert_eq!(
            default_label("sts:GetCallerIdentity", &None),
            "GetCallerIdentity"
        );
    }
}
#[cfg(test)]
mod builtin_parse {
    #[test]
    fn every_builtin_parses() {
        for (file, text) in crate::lessons::builtin_sources() {
            if let Err(e) = super::parse_lesson(file, text, None) {
                panic!("{e}");
            }
        }
    }
}
