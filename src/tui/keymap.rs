//! Which key does what, as data.
//!
//! A [`Keymap`] is a table of (context, key) → [`Action`], built from [`DEFAULT_BINDINGS`].
//! Keys are written as text (`"ctrl-s"`, `"shift-tab"`, `"?"`) so that a user's
//! `config.toml` can later be merged over the defaults with [`Keymap::bind`].
//!
//! The context says what has the keyboard: while a text field is being edited, letters
//! type themselves and only a few keys (Enter, Esc, arrows, Ctrl-…) keep their meaning.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use super::action::Action;

/// What has the keyboard, which decides how a key is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::Display)]
pub enum Context {
    /// Fallback for every context but [`Context::Text`].
    Global,
    /// Lists, choices and menus.
    Navigate,
    /// A text field is being edited: unbound printable keys are typed.
    Text,
    /// A yes/no question is open.
    Confirm,
    /// The terminal is below the minimum size: only quitting and resizing work.
    TooSmall,
    /// Lists and choices in lesson mode: the lesson's keys first, then [`Context::Navigate`].
    Lesson,
}

/// A key with its modifiers, parsed from text such as `ctrl-s` or `shift-tab`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    /// Parses `a`, `?`, `ctrl-s`, `alt-x`, `shift-tab`, `enter`, `esc`, `space`, `up`,
    /// `pageup`, `f1`. Returns `None` for anything else.
    pub fn parse(spec: &str) -> Option<KeyBinding> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = spec;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers -= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            c => {
                let mut chars = c.chars();
                let ch = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(ch)
            }
        };
        Some(KeyBinding { code, modifiers })
    }

    /// The binding a key event stands for. Shift is dropped from characters (`?` arrives
    /// as shift-`?` on some terminals) and from BackTab.
    pub fn from_event(ev: &KeyEvent) -> KeyBinding {
        let mut modifiers = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if ev.modifiers.contains(KeyModifiers::SHIFT)
            && !matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            modifiers |= KeyModifiers::SHIFT;
        }
        let code = match ev.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        KeyBinding { code, modifiers }
    }

    /// How the help and the status line name this key.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            s.push_str("Alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            s.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("Space"),
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                s.push(c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => s.push(c),
            KeyCode::BackTab => s.push_str("Shift-Tab"),
            KeyCode::F(n) => s.push_str(&format!("F{n}")),
            other => s.push_str(&format!("{other:?}")),
        }
        s
    }
}

/// The default bindings: (context, key, action). Order is the order help lists them in.
pub const DEFAULT_BINDINGS: &[(Context, &str, Action)] = &[
    // Everywhere outside text fields.
    (Context::Global, "q", Action::Quit),
    (Context::Global, "ctrl-c", Action::Quit),
    (Context::Global, "ctrl-q", Action::Quit),
    (Context::Global, "?", Action::Help),
    (Context::Global, "f1", Action::Help),
    (Context::Global, "ctrl-s", Action::Save),
    (Context::Global, "tab", Action::NextPane),
    (Context::Global, "shift-tab", Action::PrevPane),
    (Context::Global, "esc", Action::Back),
    (Context::Global, "enter", Action::Confirm),
    (Context::Global, "p", Action::NextTab),
    (Context::Global, "z", Action::TogglePreview),
    (Context::Global, "f2", Action::TogglePreview),
    (Context::Global, "1", Action::GoToStep(0)),
    (Context::Global, "2", Action::GoToStep(1)),
    (Context::Global, "3", Action::GoToStep(2)),
    (Context::Global, "4", Action::GoToStep(3)),
    (Context::Global, "5", Action::GoToStep(4)),
    (Context::Global, "6", Action::GoToStep(5)),
    (Context::Global, "u", Action::Undo),
    (Context::Global, "ctrl-z", Action::Undo),
    (Context::Global, "ctrl-r", Action::Redo),
    (Context::Global, "o", Action::Open),
    (Context::Global, "ctrl-o", Action::Open),
    (Context::Global, "e", Action::Explain),
    // Lists and menus.
    (Context::Navigate, "up", Action::Up),
    (Context::Navigate, "k", Action::Up),
    (Context::Navigate, "down", Action::Down),
    (Context::Navigate, "j", Action::Down),
    (Context::Navigate, "left", Action::Left),
    (Context::Navigate, "h", Action::Left),
    (Context::Navigate, "right", Action::Right),
    (Context::Navigate, "l", Action::Right),
    (Context::Navigate, "pageup", Action::PageUp),
    (Context::Navigate, "pagedown", Action::PageDown),
    (Context::Navigate, "home", Action::Top),
    (Context::Navigate, "g", Action::Top),
    (Context::Navigate, "end", Action::Bottom),
    (Context::Navigate, "G", Action::Bottom),
    (Context::Navigate, "space", Action::Toggle),
    (Context::Navigate, "i", Action::Edit),
    (Context::Navigate, "/", Action::Filter),
    (Context::Navigate, "a", Action::Add),
    (Context::Navigate, "d", Action::Delete),
    (Context::Navigate, "delete", Action::Delete),
    (Context::Navigate, "c", Action::Duplicate),
    (Context::Navigate, "f", Action::ApplyFix),
    (Context::Navigate, "m", Action::PasteDenied),
    (Context::Navigate, "C", Action::AddByCall),
    (Context::Navigate, "v", Action::ShowFull),
    // Text fields: these keep their meaning, other printable keys are typed.
    (Context::Text, "enter", Action::Confirm),
    (Context::Text, "esc", Action::Back),
    (Context::Text, "tab", Action::NextPane),
    (Context::Text, "shift-tab", Action::PrevPane),
    (Context::Text, "up", Action::Up),
    (Context::Text, "down", Action::Down),
    // A text row of a list (a filter, a by-call field) still pages through the list.
    (Context::Text, "pageup", Action::PageUp),
    (Context::Text, "pagedown", Action::PageDown),
    (Context::Text, "ctrl-s", Action::Save),
    (Context::Text, "ctrl-c", Action::Quit),
    (Context::Text, "ctrl-q", Action::Quit),
    (Context::Text, "f1", Action::Help),
    (Context::Text, "ctrl-z", Action::Undo),
    (Context::Text, "ctrl-r", Action::Redo),
    (Context::Text, "ctrl-o", Action::Open),
    (Context::Text, "f3", Action::Explain),
    (Context::Text, "f2", Action::TogglePreview),
    (
        Context::Text,
        "left",
        Action::Input(InputRequest::GoToPrevChar),
    ),
    (
        Context::Text,
        "right",
        Action::Input(InputRequest::GoToNextChar),
    ),
    (
        Context::Text,
        "ctrl-left",
        Action::Input(InputRequest::GoToPrevWord),
    ),
    (
        Context::Text,
        "ctrl-right",
        Action::Input(InputRequest::GoToNextWord),
    ),
    (
        Context::Text,
        "home",
        Action::Input(InputRequest::GoToStart),
    ),
    (
        Context::Text,
        "ctrl-a",
        Action::Input(InputRequest::GoToStart),
    ),
    (Context::Text, "end", Action::Input(InputRequest::GoToEnd)),
    (
        Context::Text,
        "ctrl-e",
        Action::Input(InputRequest::GoToEnd),
    ),
    (
        Context::Text,
        "backspace",
        Action::Input(InputRequest::DeletePrevChar),
    ),
    (
        Context::Text,
        "delete",
        Action::Input(InputRequest::DeleteNextChar),
    ),
    (
        Context::Text,
        "ctrl-w",
        Action::Input(InputRequest::DeletePrevWord),
    ),
    (
        Context::Text,
        "ctrl-u",
        Action::Input(InputRequest::DeleteLine),
    ),
    (
        Context::Text,
        "ctrl-k",
        Action::Input(InputRequest::DeleteTillEnd),
    ),
    // Questions.
    (Context::Confirm, "y", Action::Yes),
    (Context::Confirm, "n", Action::No),
    (Context::Confirm, "esc", Action::No),
    (Context::Confirm, "c", Action::No),
    (Context::Confirm, "r", Action::Resume),
    (Context::Confirm, "d", Action::Discard),
    (Context::Confirm, "s", Action::Save),
    (Context::Confirm, "w", Action::Wider),
    (Context::Confirm, "v", Action::ShowFull),
    (Context::Confirm, "ctrl-c", Action::Quit),
    // Lesson mode (outside text fields): before the list keys (`h` is not "left" here).
    (Context::Lesson, "h", Action::Hint),
    (Context::Lesson, "r", Action::RunCalls),
    (Context::Lesson, "L", Action::ToggleLesson),
    (Context::Lesson, "[", Action::LessonScroll(false)),
    (Context::Lesson, "]", Action::LessonScroll(true)),
    // Too small to draw: only quit.
    (Context::TooSmall, "q", Action::Quit),
    (Context::TooSmall, "ctrl-c", Action::Quit),
    (Context::TooSmall, "esc", Action::Quit),
];

/// The key table in use.
#[derive(Clone, Debug)]
pub struct Keymap {
    table: HashMap<(Context, KeyBinding), Action>,
    /// (context, key label, action) in the order help shows them.
    listing: Vec<(Context, String, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut map = Keymap {
            table: HashMap::new(),
            listing: Vec::new(),
        };
        for (ctx, spec, action) in DEFAULT_BINDINGS {
            // The table is ours; a spec that does not parse is caught by a unit test.
            if let Some(k) = KeyBinding::parse(spec) {
                map.insert(*ctx, k, *action);
            }
        }
        map
    }
}

impl Keymap {
    fn insert(&mut self, ctx: Context, key: KeyBinding, action: Action) {
        self.table.insert((ctx, key), action);
        self.listing
            .retain(|(c, l, _)| !(*c == ctx && *l == key.label()));
        self.listing.push((ctx, key.label(), action));
    }

    /// Binds `spec` (e.g. `"ctrl-n"`) to `action` in `ctx`, replacing what it did before.
    /// For user overrides; returns false when the key text does not parse.
    pub fn bind(&mut self, ctx: Context, spec: &str, action: Action) -> bool {
        match KeyBinding::parse(spec) {
            Some(k) => {
                self.insert(ctx, k, action);
                true
            }
            None => false,
        }
    }

    /// Removes every key bound to `action` in `ctx` (a user override replaces the defaults).
    pub fn unbind_action(&mut self, ctx: Context, action: Action) {
        self.table.retain(|(c, _), a| !(*c == ctx && *a == action));
        self.listing
            .retain(|(c, _, a)| !(*c == ctx && *a == action));
    }

    /// The action for a key in a context. Text fields type unbound printable keys;
    /// elsewhere, the context's own table is tried, then the global one.
    pub fn lookup(&self, ctx: Context, ev: &KeyEvent) -> Option<Action> {
        let key = KeyBinding::from_event(ev);
        if let Some(a) = self.table.get(&(ctx, key)) {
            return Some(*a);
        }
        match ctx {
            Context::Text => match ev.code {
                KeyCode::Char(c)
                    if !ev
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Input(InputRequest::InsertChar(c)))
                }
                _ => None,
            },
            Context::TooSmall => None,
            Context::Confirm => None,
            Context::Lesson => self
                .table
                .get(&(Context::Navigate, key))
                .or_else(|| self.table.get(&(Context::Global, key)))
                .copied(),
            Context::Navigate | Context::Global => self.table.get(&(Context::Global, key)).copied(),
        }
    }

    /// The keys bound to `action` in `ctx` (or globally), for the status line. The
    /// context's own binding wins; the global table counts only where `lookup` falls back
    /// to it (not in text fields, where `q` is typed).
    pub fn keys_for(&self, ctx: Context, action: Action) -> Option<&str> {
        let own = self.listing.iter().find(|(c, _, a)| {
            *a == action && (*c == ctx || (ctx == Context::Lesson && *c == Context::Navigate))
        });
        let global = || {
            self.listing.iter().find(|(c, _, a)| {
                *a == action
                    && *c == Context::Global
                    && matches!(ctx, Context::Navigate | Context::Global | Context::Lesson)
            })
        };
        own.or_else(global).map(|(_, l, _)| l.as_str())
    }

    /// Every binding, for the help overlay.
    pub fn listing(&self) -> &[(Context, String, Action)] {
        &self.listing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn every_default_binding_parses() {
        for (_, spec, _) in DEFAULT_BINDINGS {
            assert!(KeyBinding::parse(spec).is_some(), "{spec}");
        }
    }

    #[test]
    fn text_fields_type_letters_that_are_commands_elsewhere() {
        let km = Keymap::default();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::Navigate, &q), Some(Action::Quit));
        assert_eq!(
            km.lookup(Context::Text, &q),
            Some(Action::Input(InputRequest::InsertChar('q')))
        );
        let ctrl_s = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(Context::Text, &ctrl_s), Some(Action::Save));
    }

    #[test]
    fn navigation_falls_back_to_global_and_overrides_replace() {
        let mut km = Keymap::default();
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::Navigate, &j), Some(Action::Down));
        let backtab = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            km.lookup(Context::Navigate, &backtab),
            Some(Action::PrevPane)
        );
        assert!(km.bind(Context::Navigate, "j", Action::Up));
        assert_eq!(km.lookup(Context::Navigate, &j), Some(Action::Up));
        assert!(!km.bind(Context::Navigate, "nonsense-key", Action::Up));
    }

    #[test]
    fn lesson_keys_come_first_then_the_list_keys() {
        let km = Keymap::default();
        let h = key(KeyCode::Char('h'), KeyModifiers::NONE);
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::Navigate, &h), Some(Action::Left));
        assert_eq!(km.lookup(Context::Lesson, &h), Some(Action::Hint));
        assert_eq!(km.lookup(Context::Lesson, &j), Some(Action::Down));
        assert_eq!(km.lookup(Context::Lesson, &q), Some(Action::Quit));
    }

    #[test]
    fn keys_for_names_what_works_in_the_context() {
        let km = Keymap::default();
        assert_eq!(km.keys_for(Context::Navigate, Action::Quit), Some("q"));
        assert_eq!(km.keys_for(Context::Text, Action::Quit), Some("Ctrl-C"));
        assert_eq!(km.keys_for(Context::Navigate, Action::Edit), Some("i"));
        assert_eq!(km.keys_for(Context::Text, Action::Help), Some("F1"));
    }

    #[test]
    fn too_small_only_quits() {
        let km = Keymap::default();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        let a = key(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(km.lookup(Context::TooSmall, &q), Some(Action::Quit));
        assert_eq!(km.lookup(Context::TooSmall, &a), None);
    }
}
