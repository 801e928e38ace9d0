//! Helpers shared by the TUI tests: an app on the embedded catalog, keys, a test terminal.
#![allow(dead_code)]

/// Linting texts as `rolesmith lint` does, for the lint tests.
pub mod lint;

/// The real binary in a pseudo-terminal, waited on by what its screen shows.
pub mod pty;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolesmith::catalog::Catalog;
use rolesmith::role::{RoleSpec, load_role_file};
pub use rolesmith::tui::testing::Driver;

/// The seed's role file.
pub const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lambda-s3-writer.toml"
);

pub fn seed() -> RoleSpec {
    load_role_file(std::path::Path::new(SEED)).expect("the seed parses")
}

/// The embedded catalog, cloned once for the whole test binary. A fresh clone per wizard
/// would also start with empty lazy parts (the search index, the API operations), so every
/// test would build them again; the wizard only reads the catalog, so sharing is safe.
pub fn shared_catalog() -> Arc<Catalog> {
    static SHARED: OnceLock<Arc<Catalog>> = OnceLock::new();
    SHARED
        .get_or_init(|| Arc::new(Catalog::embedded().clone()))
        .clone()
}

/// A wizard on `role` with the embedded catalog, no colour, a clipboard that only records.
pub fn app(role: RoleSpec, w: u16, h: u16) -> Driver {
    Driver::new(role, shared_catalog(), w, h)
}

/// Presses a key as the event loop would: through the keymap, in the current context.
pub fn press(app: &mut Driver, code: KeyCode) {
    app.press(code);
}

pub fn press_mod(app: &mut Driver, code: KeyCode, m: KeyModifiers) {
    app.press_mod(code, m);
}

/// Types text key by key.
pub fn type_text(app: &mut Driver, text: &str) {
    app.type_text(text);
}

/// On the Export step, exports to the file at `path` and answers yes to the findings
/// question if it comes: what is open next is what follows the export (over an existing
/// file, the question whether to replace it).
pub fn export_to_file(app: &mut Driver, path: &Path) {
    press(app, KeyCode::Char('6')); // digits are commands outside a field being edited
    for _ in 0..3 {
        press(app, KeyCode::Down);
    }
    edit_field(app, &path.to_string_lossy());
    press(app, KeyCode::Enter);
    if let Some(rolesmith::tui::app::Modal::Confirm { title, .. }) = &app.modal()
        && title.starts_with("Findings")
    {
        press(app, KeyCode::Char('y'));
    }
}

/// Opens the focused text field for editing (`i`), clears it and types `text`; the field
/// stays open, so the next Enter finishes it and goes on as the step says.
pub fn edit_field(app: &mut Driver, text: &str) {
    press(app, KeyCode::Char('i'));
    clear_field(app);
    type_text(app, text);
}

/// Ctrl-U: clears the focused text field.
pub fn clear_field(app: &mut Driver) {
    press_mod(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
}

/// Draws the app on a test terminal of its screen size.
pub fn render(app: &Driver) -> Terminal<TestBackend> {
    app.render()
}

/// The screen as text, one line per row.
pub fn screen_text(app: &Driver) -> String {
    app.screen_text()
}

/// A fresh temporary folder for the XDG variables, and the lock that keeps other tests of
/// this binary from changing them meanwhile (tests run on parallel threads of one process).
pub struct Hermetic {
    dir: tempfile::TempDir,
    _env: std::sync::MutexGuard<'static, ()>,
}

impl Hermetic {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Points the XDG folders at a fresh temporary folder for the duration of a test.
pub fn hermetic() -> Hermetic {
    static ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: every test of this binary that sets them holds the ENV lock while the variables are set and
    // read, so no other thread of this process touches them meanwhile.
    unsafe {
        std::env::set_var("XDG_STATE_HOME", dir.path().join("state"));
        std::env::set_var("XDG_CONFIG_HOME", dir.path().join("config"));
        std::env::set_var("XDG_DATA_HOME", dir.path().join("data"));
    }
    Hermetic { dir, _env: guard }
}

/// AWS's service reference files: `$ROLESMITH_REFERENCE_DIR`, else beside the repository
/// (`../shared/reference/aws-service-reference`); `None` on a clean clone.
pub fn reference_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("ROLESMITH_REFERENCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/aws-service-reference")
        });
    dir.is_dir().then_some(dir)
}

/// Runs the real binary with its XDG folders under `home` (no user catalog unless one was
/// imported there) and `stdin` as standard input.
pub fn rolesmith(home: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("ROLESMITH_MAX_INPUT_BYTES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rolesmith");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("rolesmith ran")
}

/// Opens the focused form text field for editing (`i`) unless it is open already; lists,
/// pickers and other widgets that take typed keys directly are left as they are. Flows
/// written for the old start call it before typing into a form field.
pub fn open_field(app: &mut Driver) {
    if app.on_text_field() && !app.editing_field() {
        press(app, KeyCode::Char('i'));
    }
}

/// Types `text` into the focused text field, opening it first (Enter/`i`) as a user must.
pub fn type_in_field(app: &mut Driver, text: &str) {
    open_field(app);
    type_text(app, text);
}

/// Empties the focused text field, opening it first.
pub fn clear_in_field(app: &mut Driver) {
    open_field(app);
    clear_field(app);
}

/// Writes `text` to `dir/name` and returns the path: the files a test opens or passes.
pub fn write_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write the test file");
    p
}

/// `o`, the path, Enter: the in-app open, as a user opens a file from the editor. Whether it
/// was taken is left to the caller (a broken file must leave the role as it was).
pub fn open_path(app: &mut Driver, path: &Path) {
    press(app, KeyCode::Char('o'));
    assert!(
        matches!(app.modal(), Some(rolesmith::tui::app::Modal::OpenPath(_))),
        "o did not ask for a path: {:?}",
        app.modal()
    );
    type_text(app, &path.to_string_lossy());
    press(app, KeyCode::Enter);
}

/// A fresh wizard of `w`x`h` that opened the role file `text`, written as `dir/name`, through
/// the in-app open: the state a user is in after `o` on a file of theirs, so Ctrl-S saves
/// over it. Returns the wizard and the file's path.
pub fn opened_role_file(
    dir: &Path,
    name: &str,
    text: &str,
    w: u16,
    h: u16,
) -> (Driver, std::path::PathBuf) {
    let file = write_file(dir, name, text);
    let mut app = app(RoleSpec::default(), w, h);
    open_path(&mut app, &file);
    assert!(app.modal().is_none(), "the open asks: {:?}", app.modal());
    assert_eq!(
        app.path(),
        Some(file.as_path()),
        "not opened: {:?}",
        app.status()
    );
    (app, file)
}

/// The status line's text, empty when there is none.
pub fn status(app: &Driver) -> String {
    app.status_text().to_string()
}

/// The bucket-ARN mistake (object writes on the bucket's ARN, `assumed_by` set): a role file
/// with a fixable finding, for the screens and the Check panel.
pub const BUCKET_MISTAKE: &str = r#"name = "bucket-writer"
managed_policies = ["AWSLambdaBasicExecutionRole"]
assumed_by = ["lambda.amazonaws.com"]

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reports"

[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::my-bucket"]
"#;
