//! What a component asks the wizard to do.
//!
//! Components (the steps, the Check panel, its questions, the fixes, lesson mode) never
//! touch [`crate::tui::app::App`]: they change the model and their own state through a
//! [`crate::tui::context::Ctx`] and push an [`Effect`] for everything else. `app.rs` is the
//! one place that applies effects, so "what can change the wizard" is one `match`.

use std::path::PathBuf;

use crate::role::RoleSpec;

use super::modal::Modal;
use super::steps::Step;

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Steps,
    Main,
    Preview,
}

/// Which document the preview shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display)]
pub enum PreviewTab {
    Trust,
    Permissions,
    /// The role in the format chosen on the Export step (guide §8).
    Export,
}

/// How a status message reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// One request from a component, applied in order by `app.rs` after the component returns.
#[derive(Clone, Debug)]
pub enum Effect {
    /// A message on the status line.
    Status(String, StatusKind),
    /// The model changed: mark it unsaved, bump the revision, rebuild the preview.
    RoleChanged,
    /// Only a draft shown in the preview changed (the statement editor): rebuild it.
    RefreshPreview,
    /// Show a window over the screen (a question, the help, an explanation).
    Open(Modal),
    /// Show a step (and follow it with its preview tab).
    GoTo(Step),
    /// Give a pane the keyboard.
    Focus(Pane),
    /// Show a preview tab, scrolled to a line when given.
    ShowPreview {
        tab: PreviewTab,
        scroll: Option<usize>,
    },
    /// Ctrl-S (the path asked for when the role has none yet).
    Save,
    /// Write `text` to `path` atomically; `done` is the status on success.
    Write {
        path: PathBuf,
        text: String,
        done: String,
    },
    /// Copy `text` to the clipboard; the status says how (or which part went).
    Copy {
        text: String,
        part: Option<PartCopy>,
    },
    /// Print `text` on stdout once the terminal is restored.
    PrintOnExit(String),
    /// Quit now (without asking).
    Quit,
    /// Put a whole new role in place (a fix, a proposed statement): the step forms are
    /// rebuilt from it, the step and the Review selection stay; undoable.
    ReplaceRole(Box<RoleSpec>),
    /// Select finding `i` on Review, with the preview on its lines (after the preview was
    /// rebuilt by an earlier effect).
    SelectFinding(usize),
    /// Keep the Review selection inside the findings as they are after this action.
    ClampFinding,
    /// Give the step pane the whole screen (true, small terminals) or share it again.
    ZoomMain(bool),
    /// Write lesson mode's progress now (a hint revealed, quitting).
    SaveLesson,
    /// The Role step's form is rebuilt from the role (a list it shows changed elsewhere).
    ReloadRoleForm,
}

/// One document of several copied one at a time (the console's boxes, Export step): on
/// success the Export step moves on to the next part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartCopy {
    /// What was copied ("trust policy", "policy NAME").
    pub what: String,
    /// Which part this is (0-based) and how many there are.
    pub index: usize,
    pub count: usize,
    /// What the next Enter copies.
    pub next: String,
}

impl PartCopy {
    /// The status line after the copy succeeded `how` ("copied to the clipboard").
    pub fn message(&self, how: &str) -> String {
        let more = if self.count > 1 {
            format!(
                "; Enter copies {} (part {} of {})",
                self.next,
                (self.index + 1) % self.count + 1,
                self.count
            )
        } else {
            String::new()
        };
        format!(
            "{} (part {} of {}): {how}{more}",
            self.what,
            self.index + 1,
            self.count
        )
    }

    /// The part the next Enter copies.
    pub fn following(&self) -> usize {
        (self.index + 1) % self.count.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_copy_names_the_next_part() {
        let p = PartCopy {
            what: "trust policy".into(),
            index: 0,
            count: 2,
            next: "policy app".into(),
        };
        assert_eq!(
            p.message("copied"),
            "trust policy (part 1 of 2): copied; Enter copies policy app (part 2 of 2)"
        );
        assert_eq!(p.following(), 1);
        let only = PartCopy { count: 1, ..p };
        assert_eq!(only.message("copied"), "trust policy (part 1 of 1): copied");
        assert_eq!(only.following(), 0);
    }
}
