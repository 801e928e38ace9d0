//! Everything the user can ask for, as one enum.
//!
//! Keys, mouse and resizes become an [`Action`] through the [`super::keymap::Keymap`];
//! `app::update` is the only function that turns actions into state changes.
//! Tests drive the app with the same actions, so a flow test is a list of them.

use tui_input::InputRequest;

/// One user intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave (asks first when there are unsaved changes).
    Quit,
    /// Toggle the help overlay.
    Help,
    /// Save the role file (asks for a path the first time).
    Save,
    /// Focus the next / previous pane.
    NextPane,
    PrevPane,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: pick, open, go on.
    Confirm,
    /// Enter or `i` on a text field: start typing into it.
    Edit,
    /// Space: toggle a check box or a choice.
    Toggle,
    /// Esc: close, cancel, go back one level.
    Back,
    /// Start typing into the filter of the list in view.
    Filter,
    /// Add an entry (statement, account, ...).
    Add,
    /// Delete the selected entry.
    Delete,
    /// Duplicate the selected statement.
    Duplicate,
    /// Switch the preview tab (Trust / Permissions / the chosen export format).
    NextTab,
    /// Show only the preview in the place of the step pane (small terminals).
    TogglePreview,
    /// Jump to step n (0-based).
    GoToStep(u8),
    /// Answers in a confirmation.
    Yes,
    No,
    /// An edit of the focused text field.
    Input(InputRequest),
    /// The terminal changed size.
    Resize(u16, u16),
    /// Mouse wheel over the screen.
    ScrollUp,
    ScrollDown,
    /// Undo / redo the last change to the role.
    Undo,
    Redo,
    /// Open a file: a role, a policy document, `aws iam` output, a CloudFormation template.
    Open,
    /// Show the findings with their explanations.
    Explain,
    /// Preview and apply the selected finding's fix.
    ApplyFix,
    /// Check panel (Review): read a pasted AccessDenied message and propose its fix.
    PasteDenied,
    /// Permissions: add statements from an API call (`s3.put_object`, `aws s3api ...`).
    AddByCall,
    /// A proposed statement: show the wider form instead of the least one (and back).
    Wider,
    /// Answers at start: resume the autosave, or discard it (also "discard changes").
    Resume,
    Discard,
    /// Left click at (column, row): focuses the pane there; on the steps list, opens that step.
    Click(u16, u16),
    /// The wheel at (column, row): scrolls what is under the pointer.
    Wheel {
        up: bool,
        column: u16,
        row: u16,
    },
    /// `v`: the full text of what a `…` cut, the selected row's (a popup).
    ShowFull,
    /// Lesson mode: reveal the next hint (nudge, pointer, answer).
    Hint,
    /// Lesson mode: play the lesson's scripted calls against the role (again: the tasks).
    RunCalls,
    /// Lesson mode: show or hide the lesson panel.
    ToggleLesson,
    /// Lesson mode: scroll the panel (down when true).
    LessonScroll(bool),
}

impl Action {
    /// One line for the help overlay.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::Quit => "quit (asks if unsaved)",
            Action::Help => "this help",
            Action::Save => "save the role file",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Left => "left / previous choice",
            Action::Right => "right / next choice",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first entry",
            Action::Bottom => "last entry",
            Action::Confirm => "open / pick / next",
            Action::Edit => "edit the text field (Enter/Esc to finish)",
            Action::Toggle => "toggle",
            Action::Back => "back / cancel",
            Action::Filter => "filter the list",
            Action::Add => "add",
            Action::Delete => "delete",
            Action::Duplicate => "duplicate",
            Action::NextTab => "switch preview tab",
            Action::TogglePreview => "small screens: step pane only, preview only, both",
            Action::GoToStep(_) => "go to step",
            Action::Yes => "yes",
            Action::No => "no / cancel",
            Action::Input(_) => "edit text",
            Action::Resize(..) => "resize",
            Action::ScrollUp => "scroll up",
            Action::ScrollDown => "scroll down",
            Action::Undo => "undo the last change to the role",
            Action::Redo => "redo what was undone",
            Action::Open => "open a file (role, policy, aws iam, CFN)",
            Action::Explain => "findings and why they matter",
            Action::ApplyFix => "fix the selected finding (previewed)",
            Action::PasteDenied => "Review: read a pasted AccessDenied",
            Action::AddByCall => "Permissions: add by API call",
            Action::Wider => "proposed statement: the wider form (and back)",
            Action::Resume => "resume the autosaved work",
            Action::Discard => "discard it",
            Action::Click(..) => "click: focus a pane, pick a step",
            Action::Wheel { .. } => "scroll",
            Action::ShowFull => "full text of a row cut with …",
            Action::Hint => "next hint: nudge, pointer, answer",
            Action::RunCalls => "run the function's calls on the role",
            Action::ToggleLesson => "show / hide the lesson panel",
            Action::LessonScroll(false) => "scroll the lesson panel up",
            Action::LessonScroll(true) => "scroll the lesson panel down",
        }
    }
}
