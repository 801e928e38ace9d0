//! A role whose trust is a custom document (`document = "trust.json"`, issue 14 item 10):
//! the Trust step shows it, edits it as JSON (the strict reader's line:col, saving refused
//! while it does not parse, the edit written back to the trust file), and converts it into
//! the structured keys when it fits, or says why not.

use std::path::{Path, PathBuf};

use crate::support::*;
use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::{RoleSpec, TrustDocument, load_role_file};
use rolesmith::tui::steps::trust::TrustKind;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/custom-trust");

/// A folder holding the fixture role file and `trust` as its `trust.json`.
fn folder(trust: &str) -> (Hermetic, PathBuf) {
    let dir = hermetic();
    let copy = |from: &str, to: &str| {
        std::fs::copy(Path::new(FIXTURES).join(from), dir.path().join(to)).unwrap();
    };
    copy("build-farm.toml", "build-farm.toml");
    copy(trust, "trust.json");
    let role = dir.path().join("build-farm.toml");
    (dir, role)
}

/// The editor on the role file at `path`, as `rolesmith edit PATH` opens it.
fn open(path: &Path, w: u16, h: u16) -> Driver {
    let role = load_role_file(path).expect("the fixture loads");
    Driver::opened(role, path.to_path_buf(), shared_catalog(), w, h)
}

fn status(app: &Driver) -> String {
    app.status_text().to_string()
}

fn ctrl(app: &mut Driver, c: char) {
    press_mod(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn custom(role: &RoleSpec) -> &rolesmith::policy::PolicyDocument {
    match &role.trust.document {
        Some(TrustDocument::Inline(d)) => d,
        other => panic!("no inline trust document: {other:?}"),
    }
}

/// The screen as a snapshot, the role file shown by its name only (the temporary folder
/// differs on every run).
fn snapshot(app: &mut Driver, name: &str) {
    let (w, h) = app.size();
    let shown = app.path().and_then(|p| p.file_name()).map(PathBuf::from);
    let t = app.render_showing_path(shown);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
}

#[test]
fn the_trust_step_shows_the_document_its_file_and_what_can_be_done() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (dir, role) = folder("trust.json");
        let mut app = open(&role, w, h);
        press(&mut app, KeyCode::Char('2'));
        // A role trusted by a document opens on its tab.
        assert_eq!(app.trust_kind(), TrustKind::Document);
        let screen = screen_text(&app);
        for text in [
            "From trust.json",
            "Edit as JSON",
            "Convert to the structured form",
            "It fits the structured form: 1 service, 1 account.",
        ] {
            assert!(screen.contains(text), "{text:?} missing:\n{screen}");
        }
        snapshot(&mut app, "custom_trust_shown");
        // The JSON scrolls with PageDown (the menu keeps ↑↓).
        press(&mut app, KeyCode::PageDown);
        assert_eq!(app.trust_document_scroll(), 10);
        drop(dir);
    }
}

#[test]
fn broken_json_is_shown_with_its_position_and_not_saved_then_the_fix_goes_to_the_trust_file() {
    let (dir, role) = folder("trust.json");
    let trust = dir.path().join("trust.json");
    let role_before = read(&role);
    let trust_before = read(&trust);
    let mut app = open(&role, 120, 40);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let draft = app
        .trust_document_draft()
        .expect("Enter on Edit opens the editor");
    assert!(draft.contains("\"Sid\": \"BuildAgents\","));
    // Line 5 is the first Sid: drop its comma.
    for _ in 0..4 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Backspace);
    assert!(app.editing_trust_document());
    let problem = app.trust_document_problem().expect("no longer JSON");
    assert_eq!((problem.line, problem.column), (6, 7), "{problem:?}");
    let screen = screen_text(&app);
    assert!(screen.contains("✗ 6:7: expected `,` or `}`"), "{screen}");
    snapshot(&mut app, "custom_trust_broken");

    // Saving is refused while the JSON does not parse; nothing is written.
    ctrl(&mut app, 's');
    assert!(status(&app).starts_with("not saved"), "{}", status(&app));
    assert!(app.editing_trust_document());
    assert_eq!(read(&trust), trust_before);
    assert_eq!(read(&role), role_before);
    // Ctrl-Z in the editor undoes its text (the comma comes back), Ctrl-R redoes it.
    ctrl(&mut app, 'z');
    assert!(
        app.editing_trust_document() && app.trust_document_problem().is_none(),
        "{}",
        status(&app)
    );
    ctrl(&mut app, 'r');
    assert!(app.trust_document_problem().is_some());
    // The role's own undo waits: the role has nothing of the draft yet.
    assert!(!app.unsaved());

    // Fixed, and the Sid renamed: Ctrl-S applies the edit and writes the trust file only.
    type_text(&mut app, ",");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    type_text(&mut app, "2");
    assert!(app.editing_trust_document() && app.trust_document_problem().is_none());
    // The preview follows the draft once it parses; the role has not changed yet.
    assert_eq!(
        app.previewed_documents().trust.statements()[0]
            .sid
            .as_deref(),
        Some("BuildAgents2")
    );
    assert_eq!(
        custom(app.role()).statements()[0].sid.as_deref(),
        Some("BuildAgents")
    );
    ctrl(&mut app, 's');
    assert!(!app.editing_trust_document());
    assert!(
        status(&app).contains("trust.json written"),
        "{}",
        status(&app)
    );
    assert!(!app.unsaved());
    let written = read(&trust);
    // Written as typed: the file's own layout (one-line principals) is kept.
    assert_eq!(
        written,
        trust_before.replace("\"BuildAgents\"", "\"BuildAgents2\""),
        "{written}"
    );
    assert_eq!(
        load_role_file(&role).unwrap().trust.document,
        app.role().trust.document,
        "the role file reads back as the edited role"
    );
    assert_eq!(read(&role), role_before, "the role file is untouched");

    // One undo step takes the edit back; saving again writes the old document.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        custom(app.role()).statements()[0].sid.as_deref(),
        Some("BuildAgents")
    );
    assert!(screen_text(&app).contains("From trust.json"));
    ctrl(&mut app, 's');
    let back = load_role_file(&role).unwrap();
    assert_eq!(
        custom(&back).statements()[0].sid.as_deref(),
        Some("BuildAgents")
    );
    // An unchanged document is not written again.
    let stamp = std::fs::metadata(&trust).unwrap().modified().unwrap();
    ctrl(&mut app, 's');
    assert!(
        !status(&app).contains("trust.json written"),
        "{}",
        status(&app)
    );
    assert_eq!(
        std::fs::metadata(&trust).unwrap().modified().unwrap(),
        stamp
    );
}

#[test]
fn a_broken_edit_is_kept_on_the_first_esc_and_dropped_on_the_second() {
    let (_dir, role) = folder("trust.json");
    let mut app = open(&role, 80, 24);
    let before = app.role().clone();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('i'));
    assert!(app.editing_trust_document());
    // The small screen gives the editor the whole height.
    assert!(app.step_pane_zoomed());
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Esc);
    assert!(app.editing_trust_document());
    assert!(status(&app).contains("1:1"), "{}", status(&app));
    snapshot(&mut app, "custom_trust_esc_once");
    press(&mut app, KeyCode::Esc);
    assert!(!app.editing_trust_document());
    assert!(!app.step_pane_zoomed());
    assert_eq!(*app.role(), before);
    assert_eq!(app.previewed_documents().trust, before.trust_document());
}

#[test]
fn lint_findings_show_as_the_json_is_typed_and_do_not_block_applying() {
    let (_dir, role) = folder("trust.json");
    let mut app = open(&role, 120, 40);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    // The editor starts from trust.json as written. Drop the External ID condition of the
    // second statement: another account without External ID or MFA is a warning.
    let text = app.trust_document_draft().unwrap();
    let without = text.replace(
        ",\n      \"Condition\": { \"StringEquals\": { \"sts:ExternalId\": \"audit-7\" } }",
        "",
    );
    assert_ne!(text, without, "{text}");
    // Select all is not a key: replace the text as a paste would, after clearing it.
    assert!(app.clear_trust_document_editor());
    app.paste(&without);
    assert_eq!(
        app.trust_document_draft().unwrap(),
        without,
        "a paste keeps its lines"
    );
    let codes = app.trust_document_finding_codes();
    assert!(codes.contains(&"trust-cross-account"), "{codes:?}");
    let screen = screen_text(&app);
    assert!(screen.contains("trust-cross-account"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(!app.editing_trust_document());
    assert!(custom(app.role()).statements()[1].condition.is_none());
    assert!(status(&app).contains("1 finding"), "{}", status(&app));
}

#[test]
fn a_document_that_fits_is_converted_to_the_structured_keys() {
    let (dir, role) = folder("trust.json");
    let trust_before = read(&dir.path().join("trust.json"));
    let mut app = open(&role, 120, 40);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.role().trust.document, None);
    assert_eq!(app.role().trust.services, vec!["ec2.amazonaws.com"]);
    assert_eq!(app.role().trust.accounts[0].id, "111122223333");
    assert_eq!(
        app.role().trust.accounts[0].external_id.as_deref(),
        Some("audit-7")
    );
    assert!(
        status(&app).starts_with("converted: 1 service, 1 account"),
        "{}",
        status(&app)
    );
    // The first tab with entries is shown.
    assert_eq!(app.trust_kind(), TrustKind::Services);
    ctrl(&mut app, 's');
    let text = read(&role);
    assert!(!text.contains("document"), "{text}");
    assert!(
        text.contains("services = [\"ec2.amazonaws.com\"]"),
        "{text}"
    );
    assert!(
        text.starts_with("# The build farm's instance role"),
        "{text}"
    );
    assert_eq!(read(&dir.path().join("trust.json")), trust_before);
    // u brings the document back; the saved file no longer names trust.json, so the
    // next save keeps the document in the role file, as the tab now says.
    press(&mut app, KeyCode::Char('u'));
    assert!(app.role().trust.document.is_some());
    assert_eq!(app.trust_kind(), TrustKind::Document);
    let screen = screen_text(&app);
    assert!(screen.contains("kept in the role file"), "{screen}");
}

#[test]
fn a_document_that_does_not_fit_says_what_prevents_it() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (_dir, role) = folder("tag-session.json");
        let mut app = open(&role, w, h);
        let before = app.role().clone();
        press(&mut app, KeyCode::Char('2'));
        let screen = screen_text(&app);
        assert!(screen.contains("It stays a document"), "{screen}");
        snapshot(&mut app, "custom_trust_does_not_fit");
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        assert_eq!(*app.role(), before);
        assert_eq!(
            status(&app),
            "cannot convert: statement 0: ecs-tasks.amazonaws.com is allowed \"sts:TagSession\"; the structured form allows it only \"sts:AssumeRole\""
        );
    }
}

#[test]
fn edit_as_json_on_a_structured_trust_starts_from_the_built_document() {
    let mut app = app(seed(), 120, 40);
    press(&mut app, KeyCode::Char('2'));
    while app.trust_kind() != TrustKind::Document {
        press(&mut app, KeyCode::Right);
    }
    let screen = screen_text(&app);
    assert!(screen.contains("No custom document"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let built = app.role().trust_document();
    let draft = app.trust_document_draft().expect("editor open");
    assert_eq!(draft, built.to_pretty_json());
    snapshot(&mut app, "custom_trust_from_structured");
    press(&mut app, KeyCode::Esc);
    // Applied unchanged, it becomes the role's custom document in place of the services.
    assert_eq!(custom(app.role()), &built);
    assert!(app.role().trust.services.is_empty());
    assert!(
        status(&app).contains("replaces the entries of the other tabs"),
        "{}",
        status(&app)
    );
}
