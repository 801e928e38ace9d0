//! Opening what people already have, from inside the wizard (`o` / `Ctrl-O`).
//!
//! The file goes through [`crate::role::import::open_file`]: a role file replaces the role,
//! a trust policy replaces the trust, a permission policy is added as an inline policy.
//! Input that does not parse shows its error (file:line:col) under the path and changes
//! nothing; the change, when there is one, is undoable like any other.

use std::path::Path;

use crate::role::import::{Opened, open_file};

use super::app::App;
use super::effect::Effect;
use super::modal::Modal;
use super::sanitize::sanitize_for_display;
use super::widgets::field::{Field, Form};

/// Shows the "Open" question.
pub(crate) fn ask_path(app: &mut App) {
    let form = Form::new(vec![Field::text("File", "").with_hint(
        "role file, policy JSON, aws iam output or CloudFormation; Enter opens",
    )]);
    app.apply_effect(Effect::Open(Modal::OpenPath(form)));
}

/// Opens `path` into the role; the message says what it was and what was not imported.
/// On error the role is untouched and the error (with its position) is returned.
pub(crate) fn open_into(app: &mut App, path: &Path) -> Result<String, String> {
    let input = open_file(path).map_err(|e| sanitize_for_display(&e.to_string()).into_owned())?;
    let what = match &input.opened {
        Opened::Role(_) => "the role".to_string(),
        Opened::Trust(_) => "the trust policy".to_string(),
        Opened::Policy(p) => format!("inline policy {}", p.name),
    };
    // Where Ctrl-S saves from now on: an opened role file is the file being edited; a role
    // taken from anything else (aws output, a template) is saved where the user says, never
    // over the file it came from or the file edited before.
    let new_path = match &input.opened {
        Opened::Role(_) if input.shape == "role file" => Some(Some(path.to_path_buf())),
        Opened::Role(_) => Some(None),
        _ => None,
    };
    let opened_role_file = matches!(new_path, Some(Some(_)));
    let was_dirty = app.dirty;
    let mut role = app.role.clone();
    input.opened.apply_to(&mut role);
    super::session::replace_role(app, role);
    if let Some(p) = new_path {
        super::session::moved_to(app, p);
    }
    // A role file just opened is what its file holds: nothing to save yet. Unsaved work
    // from before keeps the mark (undo brings it back), so quitting still asks.
    if opened_role_file && !was_dirty {
        app.dirty = false;
    }
    let mut message = format!("opened {} ({}) as {what}", path.display(), input.shape);
    if !input.notes.is_empty() {
        message.push_str(&format!("; not imported: {}", input.notes.join("; ")));
    }
    message.push_str(" — u undoes");
    Ok(message)
}
