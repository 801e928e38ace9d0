//! Every built-in lesson, against its start role and its reference solution
//! (`tests/lessons/solutions/NAME.toml`, never shown to learners): the start fails, the
//! solution passes every task and is lint-clean, every hint can be revealed, and the
//! workload's calls all succeed on the solution while at least one fails on the start.

use std::path::PathBuf;

use rolesmith::catalog::Catalog;
use rolesmith::eval::denied::{Cause, parse_denial};
use rolesmith::lessons::{self, HintLevel, LessonProgress, grade, play_calls};
use rolesmith::lint::{Severity, lint_role};
use rolesmith::role::load_role_file;

fn solution_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lessons/solutions")
        .join(format!("{name}.toml"))
}

fn check_lesson(name: &str) {
    let lesson = lessons::find(name).unwrap_or_else(|| panic!("built-in lesson {name}"));
    check(lesson);
}

fn check(lesson: &lessons::Lesson) {
    let catalog = Catalog::embedded();
    let name = lesson.name.as_str();

    // The start state fails.
    let start = grade(lesson, &lesson.start, catalog);
    assert!(!start.done, "{name}: the start state is already done");
    assert!(
        start.tasks.iter().any(|t| !t.passed),
        "{name}: no task fails on the start state"
    );

    // The solution passes every task and has no error finding.
    let solution = load_role_file(&solution_path(name)).expect("the solution parses");
    let solved = grade(lesson, &solution, catalog);
    for t in &solved.tasks {
        assert!(
            t.passed,
            "{name}: task {} ({}) fails on the solution: {}",
            t.index + 1,
            lesson.tasks[t.index].title,
            t.reason
        );
    }
    let errors: Vec<_> = lint_role(&solution, catalog)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the solution has errors: {errors:?}"
    );
    assert!(solved.done, "{name}: {solved:?}");

    // Three graded hints per task, each one reachable by revealing the next.
    let mut progress = LessonProgress::default();
    for (i, task) in lesson.tasks.iter().enumerate() {
        assert_eq!(task.hints.len(), 3, "{name}: task {} hints", i + 1);
        let levels: Vec<HintLevel> = task.hints.iter().map(|h| h.level).collect();
        assert_eq!(
            levels,
            [HintLevel::Nudge, HintLevel::Pointer, HintLevel::Answer]
        );
        for n in 1..=3 {
            assert_eq!(progress.reveal_hint(i, lesson.hint_count(i)), n);
        }
        assert_eq!(progress.reveal_hint(i, lesson.hint_count(i)), 3);
        assert!(task.hints.iter().all(|h| !h.text.trim().is_empty()));
    }

    // The calls: all succeed on the solution, at least one fails on the start.
    assert!(!lesson.calls.is_empty(), "{name}: no scripted calls");
    for c in play_calls(lesson, &solution, catalog) {
        assert!(
            c.allowed,
            "{name}: {} is denied on the solution: {:?}",
            c.label, c.why
        );
        assert!(c.message.is_none());
    }
    let on_start = play_calls(lesson, &lesson.start, catalog);
    let denied: Vec<_> = on_start.iter().filter(|c| !c.allowed).collect();
    assert!(!denied.is_empty(), "{name}: every call passes on the start");
    for c in denied {
        let m = c.message.as_deref().expect("a denied call has a message");
        assert!(!c.why.is_empty(), "{name}: {} has no why", c.label);
        if m.starts_with("User: ") {
            let d = parse_denial(m).expect("our message reads as an AccessDenied message");
            assert_eq!(d.action.as_deref(), Some(c.action.as_str()));
            assert!(matches!(
                d.cause(),
                Cause::NoIdentityAllow | Cause::ExplicitDenyIdentity
            ));
        }
    }
}

macro_rules! lesson_tests {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { check_lesson($name); })*

        #[test]
        fn the_builtin_lessons_are_these_in_this_order() {
            let names: Vec<&str> = lessons::builtin().iter().map(|l| l.name.as_str()).collect();
            assert_eq!(names, [$($name),*]);
            assert_eq!(lessons::builtin_sources().len(), names.len(), "every built-in parses");
        }
    };
}

lesson_tests! {
    execution_role => "execution-role",
    string_reverser => "string-reverser",
    grenade => "grenade",
    wildcard_not_wild => "wildcard-not-wild",
    wrong_dropdown => "wrong-dropdown",
    debug_from_message => "debug-from-message",
    github_oidc => "github-oidc",
    pass_role => "pass-role",
}

#[test]
fn the_example_lesson_of_the_readme_holds_to_the_same_bar() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/lessons");
    let found = lessons::load_dir(&dir).expect("examples/lessons loads");
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].start.name, "queue-worker",
        "start read from its own file"
    );
    check(&found[0]);
}

#[test]
fn the_messages_of_the_debugging_lesson_are_real_access_denied_messages() {
    let lesson = lessons::find("debug-from-message").unwrap();
    assert_eq!(lesson.messages.len(), 3);
    for m in &lesson.messages {
        let d = parse_denial(m).expect("an AccessDenied message");
        assert_eq!(d.cause(), Cause::NoIdentityAllow);
        assert_eq!(d.role.as_deref(), Some("order-processor"));
    }
}

#[test]
fn a_wildcard_fix_does_not_finish_a_lesson() {
    // The grenade back in place passes the calls but not the lesson.
    let catalog = Catalog::embedded();
    let lesson = lessons::find("wildcard-not-wild").unwrap();
    let mut role = lesson.start.clone();
    role.policies[0].statements[0].actions = vec!["s3:*".into()];
    role.policies[0].statements[0].resources = vec!["*".into()];
    assert!(play_calls(lesson, &role, catalog).iter().all(|c| c.allowed));
    let g = grade(lesson, &role, catalog);
    assert!(!g.done);
    assert_eq!(g.first_failing(), Some(2), "{g:?}");
}
