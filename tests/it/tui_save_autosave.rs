//! Autosaves belong to what was opened (issue 14 item 8): a role file, or the set of
//! documents given to `edit --trust T --policy P`. Only that autosave is offered at start;
//! "discard" and a successful save remove it.

use std::path::{Path, PathBuf};

use crate::support::*;
use crossterm::event::{KeyCode, KeyModifiers};
use rolesmith::role::RoleSpec;
use rolesmith::session::{AutosaveKey, AutosaveStore};
use rolesmith::tui::app::Modal;

fn role(name: &str) -> RoleSpec {
    RoleSpec {
        name: name.into(),
        ..Default::default()
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// An app on `start` (its file `path`, if any) with autosave on in `store`.
fn opened(
    start: RoleSpec,
    path: Option<PathBuf>,
    docs: &[PathBuf],
    store: &AutosaveStore,
) -> Driver {
    let mut app = app(start, 120, 40);
    app.set_path(path);
    app.enable_autosave(store.clone(), docs);
    app
}

#[test]
fn documents_get_their_own_autosave_and_never_an_unrelated_one() {
    let dir = hermetic();
    let store = AutosaveStore::in_dir(dir.path().join("autosave"));
    let trust = write(dir.path(), "x.json", "{}");
    let other = write(dir.path(), "y.json", "{}");
    let file = write(dir.path(), "r.toml", "name = \"r\"\n");
    // Left behind by earlier sessions: a new role, a role file, other documents.
    store
        .write(&AutosaveKey::untitled(), None, &role("untitled-work"))
        .unwrap();
    store
        .write(
            &AutosaveKey::for_file(&file),
            Some(&file),
            &role("file-work"),
        )
        .unwrap();
    store
        .write(
            &AutosaveKey::for_documents(std::slice::from_ref(&other)),
            None,
            &role("other-docs"),
        )
        .unwrap();
    let mut app = opened(role("from-x"), None, std::slice::from_ref(&trust), &store);
    assert!(
        app.modal().is_none(),
        "nothing to resume for x.json: {:?}",
        app.modal()
    );
    // Work on x.json is autosaved under its own key …
    app.edit_role(|r| r.name = "from-x-edited".into());
    app.flush_autosave();
    assert!(store.exists(&AutosaveKey::for_documents(std::slice::from_ref(&trust))));
    // … and offered (only) when x.json is opened again.
    let mut again = opened(role("from-x"), None, std::slice::from_ref(&trust), &store);
    assert!(
        matches!(again.modal(), Some(Modal::Resume { .. })),
        "{:?}",
        again.modal()
    );
    press(&mut again, KeyCode::Char('r'));
    assert_eq!(again.role().name, "from-x-edited");
    // A blank start still offers the newest untitled work.
    let blank = opened(RoleSpec::default(), None, &[], &store);
    assert!(matches!(blank.modal(), Some(Modal::Resume { .. })));
}

#[test]
fn discarding_the_offer_removes_the_autosave() {
    let dir = hermetic();
    let store = AutosaveStore::in_dir(dir.path().join("autosave"));
    let file = write(dir.path(), "r.toml", "name = \"r\"\n");
    let key = AutosaveKey::for_file(&file);
    store.write(&key, Some(&file), &role("unsaved")).unwrap();
    let mut app = opened(role("r"), Some(file.clone()), &[], &store);
    assert!(
        matches!(app.modal(), Some(Modal::Resume { .. })),
        "{:?}",
        app.modal()
    );
    press(&mut app, KeyCode::Char('d'));
    assert!(app.modal().is_none());
    assert!(!store.exists(&key), "discard removes the autosave");
    assert_eq!(app.role().name, "r");
}

#[test]
fn saving_removes_the_autosave_of_the_documents() {
    let dir = hermetic();
    let store = AutosaveStore::in_dir(dir.path().join("autosave"));
    let trust = write(dir.path(), "x.json", "{}");
    let docs = vec![trust];
    let mut app = opened(seed(), None, &docs, &store);
    app.edit_role(|_| {});
    app.flush_autosave();
    let key = AutosaveKey::for_documents(&docs);
    assert!(store.exists(&key));
    press(&mut app, KeyCode::Esc);
    press_mod(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    for _ in 0..40 {
        press(&mut app, KeyCode::Backspace);
    }
    let target = dir.path().join("saved.toml");
    type_text(&mut app, target.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(target.is_file(), "{:?}", app.status());
    assert!(
        !store.exists(&key),
        "the save removes the documents' autosave"
    );
}
