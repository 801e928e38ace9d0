//! The user's settings: `$XDG_CONFIG_HOME/rolesmith/config.toml`.
//!
//! ```toml
//! [keys]
//! quit = "ctrl-q"            # replaces the default keys of that action
//! undo = ["u", "ctrl-z"]     # several keys
//! ```
//!
//! A config that cannot be read or understood never stops the wizard: what is wrong is
//! reported (file, line, column, what was expected) and the defaults are used for it.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyModifiers};

use crate::error::line_col;
use crate::io::{XdgDir, xdg_dir};

use super::action::Action;
use super::keymap::{Context, DEFAULT_BINDINGS, KeyBinding, Keymap};

/// The names actions have in `[keys]`.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("save", Action::Save),
    ("undo", Action::Undo),
    ("redo", Action::Redo),
    ("open", Action::Open),
    ("explain", Action::Explain),
    ("fix", Action::ApplyFix),
    ("next_pane", Action::NextPane),
    ("prev_pane", Action::PrevPane),
    ("back", Action::Back),
    ("confirm", Action::Confirm),
    ("next_tab", Action::NextTab),
    ("toggle_preview", Action::TogglePreview),
    ("up", Action::Up),
    ("down", Action::Down),
    ("left", Action::Left),
    ("right", Action::Right),
    ("page_up", Action::PageUp),
    ("page_down", Action::PageDown),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("toggle", Action::Toggle),
    ("filter", Action::Filter),
    ("add", Action::Add),
    ("delete", Action::Delete),
    ("duplicate", Action::Duplicate),
    ("hint", Action::Hint),
    ("run_calls", Action::RunCalls),
    ("toggle_lesson", Action::ToggleLesson),
];

/// The config file's path, when an XDG/home folder is known.
pub fn config_path() -> Option<PathBuf> {
    xdg_dir(XdgDir::Config).map(|d| d.join("config.toml"))
}

/// The default keymap with the user's overrides from the config file (if there is one),
/// and the problems found in it, one message each.
pub fn load_keymap() -> (Keymap, Vec<String>) {
    let mut keymap = Keymap::default();
    let Some(path) = config_path() else {
        return (keymap, Vec::new());
    };
    if !crate::io::write::occupied(&path) {
        return (keymap, Vec::new());
    }
    let text = match crate::io::read_text(&path, crate::io::InputKind::Document) {
        Ok(t) => t,
        Err(e) => return (keymap, vec![format!("{e}; using the default keys")]),
    };
    let problems = apply_config(&mut keymap, &path, &text);
    (keymap, problems)
}

/// Applies the `[keys]` of `text` to `keymap`; returns what was wrong, each message
/// naming `path:line:col`. Bad entries are skipped, good ones applied.
pub fn apply_config(keymap: &mut Keymap, path: &Path, text: &str) -> Vec<String> {
    let file = path.display();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            return vec![format!(
                "{file}:{line}:{col}: {}; using the default keys",
                e.message()
            )];
        }
    };
    let mut problems = Vec::new();
    for (section, value) in &table {
        if section != "keys" {
            let line = line_of(text, section);
            problems.push(format!(
                "{file}:{line}: unknown section or setting `{section}` (known: [keys]); ignored"
            ));
            continue;
        }
        let Some(keys) = value.as_table() else {
            let line = line_of(text, section);
            problems.push(format!(
                "{file}:{line}: `keys` must be a table: [keys] then name = \"key\" lines"
            ));
            continue;
        };
        for (name, spec) in keys {
            let line = line_of(text, name);
            let Some(action) = ACTION_NAMES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| *a)
            else {
                problems.push(format!(
                    "{file}:{line}: unknown action `{name}` (known: {})",
                    ACTION_NAMES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                continue;
            };
            let specs: Vec<&str> = match spec {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(a) if a.iter().all(|v| v.is_str()) => {
                    a.iter().filter_map(|v| v.as_str()).collect()
                }
                _ => {
                    problems.push(format!(
                        "{file}:{line}: `{name}` must be a key like \"ctrl-q\" or a list of keys"
                    ));
                    continue;
                }
            };
            let parsed: Option<Vec<KeyBinding>> =
                specs.iter().map(|s| KeyBinding::parse(s)).collect();
            let Some(parsed) = parsed.filter(|p| !p.is_empty()) else {
                problems.push(format!(
                    "{file}:{line}: `{name}`: cannot read the key {:?} (examples: \"q\", \"ctrl-s\", \"shift-tab\", \"f2\", \"pageup\")",
                    specs.join(" ")
                ));
                continue;
            };
            rebind(keymap, action, &specs, &parsed);
        }
    }
    problems
}

/// Replaces `action`'s default keys, in every context it has them, by `keys`. Keys that
/// would type a letter are not bound in text fields.
fn rebind(keymap: &mut Keymap, action: Action, specs: &[&str], keys: &[KeyBinding]) {
    let mut contexts: Vec<Context> = DEFAULT_BINDINGS
        .iter()
        .filter(|(_, _, a)| *a == action)
        .map(|(c, _, _)| *c)
        .collect();
    contexts.dedup();
    for ctx in contexts {
        keymap.unbind_action(ctx, action);
        for (spec, key) in specs.iter().zip(keys) {
            let types_text = matches!(key.code, KeyCode::Char(_))
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if ctx == Context::Text && types_text {
                continue;
            }
            keymap.bind(ctx, spec, action);
        }
    }
}

/// The line where `name` is set (for messages); 1 when it cannot be found.
fn line_of(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches('[');
            t.starts_with(name) || t.starts_with(&format!("\"{name}\""))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn override_replaces_the_default_keys() {
        let mut km = Keymap::default();
        let p = apply_config(
            &mut km,
            Path::new("c.toml"),
            "[keys]\nquit = \"ctrl-x\"\nundo = [\"z\", \"ctrl-z\"]\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        let ctrl_x = key(KeyCode::Char('x'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(Context::Navigate, &q), None);
        assert_eq!(km.lookup(Context::Navigate, &ctrl_x), Some(Action::Quit));
        assert_eq!(km.lookup(Context::Text, &ctrl_x), Some(Action::Quit));
        let z = key(KeyCode::Char('z'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::Navigate, &z), Some(Action::Undo));
        // In a text field z still types.
        assert!(matches!(
            km.lookup(Context::Text, &z),
            Some(Action::Input(_))
        ));
    }

    #[test]
    fn bad_configs_name_file_and_line_and_keep_defaults() {
        let mut km = Keymap::default();
        let p = apply_config(&mut km, Path::new("c.toml"), "[keys\nquit = 1");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("c.toml:1:"), "{p:?}");
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::Navigate, &q), Some(Action::Quit));

        let p = apply_config(
            &mut km,
            Path::new("c.toml"),
            "[keys]\nquit = \"ctrl-q\"\nfly = \"x\"\nsave = \"ctrl-nonsense\"\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("c.toml:3: unknown action `fly`"), "{p:?}");
        assert!(p[1].starts_with("c.toml:4:"), "{p:?}");
        // The good line was applied, the bad ones left the defaults.
        assert_eq!(km.lookup(Context::Navigate, &q), None);
        let ctrl_s = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(Context::Navigate, &ctrl_s), Some(Action::Save));
    }
}
