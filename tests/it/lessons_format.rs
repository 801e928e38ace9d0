//! The lesson file format from the outside: files read through `load_file`/`load_dir`, a
//! start role in a file next to the lesson, errors that name file:line:col, folders with
//! clashing or no lessons, and arbitrary text that never panics.

use std::path::Path;

use proptest::prelude::*;
use rolesmith::Error;
use rolesmith::lessons::{self, Check, load_dir, load_file, parse_lesson, skeleton};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_start_role_file_is_read_next_to_the_lesson() {
    let tmp = tempfile::tempdir().unwrap();
    let lesson = skeleton("files").replace(
        "[start]\nname = \"results-writer\"\nassumed_by = [\"lambda.amazonaws.com\"]\nmanaged_policies = [\"AWSLambdaBasicExecutionRole\"]\n\n[start.trust]\nservices = [\"lambda.amazonaws.com\"]\n",
        "start = \"roles/start.toml\"\n",
    );
    assert!(lesson.contains("start = \"roles/start.toml\""));
    write(tmp.path(), "files.toml", &lesson);
    write(
        tmp.path(),
        "roles/start.toml",
        "name = \"from-a-file\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n",
    );
    let l = load_file(&tmp.path().join("files.toml")).unwrap();
    assert_eq!(l.start.name, "from-a-file");
    // The role file's own errors keep their own file name.
    write(
        tmp.path(),
        "roles/start.toml",
        "name = \"bad name\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n",
    );
    let e = load_file(&tmp.path().join("files.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("roles/start.toml:1:"), "{e}");
    // Built-in lessons (no folder) must be inline.
    let e = parse_lesson("builtin:x.toml", &lesson, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("must be a [start] table"), "{e}");
}

#[test]
fn errors_name_the_lesson_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        // a statement key of the start role, deep inside [start]
        (
            skeleton("x").replace(
                "services = [\"lambda.amazonaws.com\"]",
                "services = [\"lambda.amazonaws.com\"]\nsevrices = []",
            ),
            "unknown field `sevrices`",
        ),
        // a task that checks two things
        (
            skeleton("x").replace(
                "deny = \"s3:DeleteObject\"",
                "deny = \"s3:DeleteObject\"\nassumed_by = \"lambda.amazonaws.com\"",
            ),
            "checks one thing",
        ),
        // a call whose action is not one action
        (
            skeleton("x").replace("action = \"logs:CreateLogStream\"", "action = \"logs:*\""),
            "not one action",
        ),
        // four hints
        (
            skeleton("x").replace(
                "hints = [\"Grant only what the function calls.\",",
                "hints = [\"one more\", \"Grant only what the function calls.\",",
            ),
            "at most 3 hints",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let path = tmp.path().join(format!("case{i}.toml"));
        std::fs::write(&path, text).unwrap();
        match load_file(&path) {
            Err(Error::Parse {
                origin,
                line,
                column,
                message,
            }) => {
                assert!(origin.ends_with(&format!("case{i}.toml")), "{origin}");
                assert!(message.contains(want), "case {i}: {message}");
                let at = text.lines().nth(line - 1).unwrap_or("");
                assert!(
                    column >= 1 && !at.trim().is_empty(),
                    "case {i}: line {line} is {at:?}"
                );
            }
            other => panic!("case {i}: expected a positioned error, got {other:?}"),
        }
    }
}

#[test]
fn a_folder_needs_lessons_with_distinct_names() {
    let tmp = tempfile::tempdir().unwrap();
    let e = load_dir(tmp.path()).unwrap_err().to_string();
    assert!(e.contains("no lesson files"), "{e}");
    write(tmp.path(), "a.toml", &skeleton("same"));
    write(tmp.path(), "b.toml", &skeleton("same"));
    let e = load_dir(tmp.path()).unwrap_err().to_string();
    assert!(e.contains("also used by"), "{e}");
    std::fs::remove_file(tmp.path().join("b.toml")).unwrap();
    write(tmp.path(), "notes.md", "not a lesson");
    let found = load_dir(tmp.path()).unwrap();
    assert_eq!(found.len(), 1);
    assert!(matches!(found[0].tasks[2].check, Check::Absent(_)));
}

#[test]
fn every_builtin_is_written_in_the_documented_format() {
    // The README lists every key; the built-ins use no other.
    let keys = [
        "name", "title", "story", "goal", "learned", "session", "messages", "start", "task", "call",
    ];
    for (file, text) in lessons::builtin_sources() {
        let table: toml::Table = toml::from_str(text).unwrap();
        for k in table.keys() {
            assert!(keys.contains(&k.as_str()), "{file}: {k}");
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_lesson("fuzz.toml", &text, None);
    }

    #[test]
    fn mangled_lessons_never_panic(cut in 0usize..4000, junk in "[\\[\\]=\"a-z\\n ]{0,20}") {
        let base = skeleton("fuzz");
        let cut = cut.min(base.len());
        let cut = (0..=cut).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{junk}{}", &base[..cut], &base[cut..]);
        let _ = parse_lesson("fuzz.toml", &text, None);
    }
}
