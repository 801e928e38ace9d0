//! The Role step's Deployment part: what the role is created with besides its documents —
//! a permissions boundary, tags, an instance profile, and which of its policies become
//! customer managed policies (`create = true`).
//!
//! The part is a run of fields at the end of the Role step's form, so one list of fields
//! is walked with ↑↓/Enter and scrolls the same way. The values go straight into the
//! [`RoleSpec`]; the problems shown under each field are the role file's own
//! (`role::validate` and IAM's tag rules in `role::deployment`), so what the editor
//! accepts is what `render` accepts.

use indexmap::IndexMap;

use crate::role::deployment::{TagPart, tag_problems};
use crate::role::{RoleProblem, RoleSpec};
use crate::tui::action::Action;
use crate::tui::curation;
use crate::tui::widgets::field::{Field, FieldKind, Form, truncate};

use super::non_empty;

/// What the Boundary choice can be set to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoundaryOption {
    None,
    /// The name or ARN typed in the field below.
    Typed,
    /// A `[[policy]]` of this role, created as a managed policy used only as the boundary.
    Own(String),
    /// An AWS managed policy of the curated list.
    Managed(String),
}

impl BoundaryOption {
    fn label(&self) -> String {
        match self {
            BoundaryOption::None => "none".into(),
            BoundaryOption::Typed => "typed below".into(),
            BoundaryOption::Own(n) => format!("this role's {n}"),
            BoundaryOption::Managed(n) => n.clone(),
        }
    }
}

/// Which field of the form holds what; rebuilt with the fields.
#[derive(Clone, Debug, Default)]
pub struct DeploymentPart {
    /// Index of the part's first field (its heading) in the Role form.
    pub start: usize,
    pub boundary_options: Vec<BoundaryOption>,
    /// The tags as the rows show them; a row being emptied is kept here until it is
    /// removed, and a key written with `=` in the file stays exact until its row is edited.
    pub tag_rows: Vec<(String, String)>,
    /// The policy names the fields were built for (the Permissions step may add some).
    pub policy_names: Vec<String>,
}

impl DeploymentPart {
    pub fn boundary(&self) -> usize {
        self.start + 1
    }

    pub fn boundary_text(&self) -> usize {
        self.start + 2
    }

    pub fn instance_profile(&self) -> usize {
        self.start + 3
    }

    /// The toggle of policy `i` (`create = true`).
    pub fn policy(&self, i: usize) -> usize {
        // A heading goes before the toggles when there are any.
        self.start + 5 + i
    }

    fn tags_heading(&self) -> usize {
        let n = self.policy_names.len();
        self.start + 4 + if n > 0 { n + 1 } else { 0 }
    }

    /// The row of tag `i`.
    pub fn tag(&self, i: usize) -> usize {
        self.tags_heading() + 1 + i
    }

    /// The empty row that adds a tag.
    pub fn new_tag(&self) -> usize {
        self.tag(self.tag_rows.len())
    }

    fn policy_at(&self, field: usize) -> Option<usize> {
        (field >= self.policy(0))
            .then(|| field - self.policy(0))
            .filter(|i| *i < self.policy_names.len())
    }

    fn tag_at(&self, field: usize) -> Option<usize> {
        (field >= self.tag(0))
            .then(|| field - self.tag(0))
            .filter(|i| *i < self.tag_rows.len())
    }
}

/// `key=value` split at the first `=` (a key holding `=` is kept exact until edited).
fn parse_tag(text: &str) -> (String, String) {
    match text.split_once('=') {
        Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
        None => (text.trim().to_string(), String::new()),
    }
}

fn tag_text(key: &str, value: &str) -> String {
    format!("{key}={value}")
}

/// The tags the rows stand for (empty rows are on their way out).
fn tags_of(rows: &[(String, String)]) -> IndexMap<String, String> {
    rows.iter()
        .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The boundary's options for `role`: none, typed, its own policies, the curated list.
fn boundary_options(role: &RoleSpec) -> Vec<BoundaryOption> {
    let mut out = vec![BoundaryOption::None, BoundaryOption::Typed];
    out.extend(
        role.policies
            .iter()
            .map(|p| BoundaryOption::Own(p.name.clone())),
    );
    out.extend(
        curation::managed_policies()
            .iter()
            .map(|m| BoundaryOption::Managed(m.name.clone())),
    );
    out
}

/// Which option stands for the role's current boundary.
fn boundary_index(role: &RoleSpec, options: &[BoundaryOption]) -> usize {
    let Some(b) = role.permissions_boundary.as_deref() else {
        return 0;
    };
    options
        .iter()
        .position(|o| matches!(o, BoundaryOption::Own(n) | BoundaryOption::Managed(n) if n == b))
        .unwrap_or(1)
}

/// Would the role get an instance profile without `instance_profile` in its file?
pub fn instance_profile_default(role: &RoleSpec) -> bool {
    RoleSpec::default()
        .instance_profile_spec(&role.trust_document())
        .is_some()
}

/// The part's fields for `role`, starting at form index `start`; `part` learns where each is.
pub fn fields(role: &RoleSpec, start: usize, part: &mut DeploymentPart) -> Vec<Field> {
    let options = boundary_options(role);
    let index = boundary_index(role, &options);
    let labels: Vec<String> = options.iter().map(BoundaryOption::label).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let typed = if index == 1 {
        role.permissions_boundary.clone().unwrap_or_default()
    } else {
        role.permissions_boundary_arn().unwrap_or_default()
    };
    let on = role
        .instance_profile
        .unwrap_or_else(|| instance_profile_default(role));
    let mut out = vec![
        Field::note("── Deployment: what the role is created with ──"),
        Field::choice("Boundary", &labels, index),
        Field::text("Boundary ARN", typed),
        Field::toggle("Inst. profile", on),
    ];
    if !role.policies.is_empty() {
        out.push(Field::note(
            "Create as a managed policy of its own (attached), not inline in the role:",
        ));
        for p in &role.policies {
            // One column short of the label width, so a long name keeps a gap before [ ].
            out.push(Field::toggle(truncate(&p.name, 15), p.create));
        }
    }
    out.push(Field::note(
        "Tags: key=value (Enter on an emptied row removes it)",
    ));
    let rows: Vec<(String, String)> = role
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in &rows {
        out.push(Field::text("Tag", tag_text(k, v)));
    }
    out.push(Field::text("New tag", ""));
    *part = DeploymentPart {
        start,
        boundary_options: options,
        tag_rows: rows,
        policy_names: role.policies.iter().map(|p| p.name.clone()).collect(),
    };
    out
}

/// True when the fields no longer show the role: another step changed its policies or its
/// trust (which decides the instance profile's default), or an undo its tags.
pub fn stale(form: &Form, part: &DeploymentPart, role: &RoleSpec) -> bool {
    let on = |i: usize| form.fields.get(i).is_some_and(|f| f.is_on());
    part.policy_names.len() != role.policies.len()
        || part
            .policy_names
            .iter()
            .zip(&role.policies)
            .enumerate()
            .any(|(i, (n, p))| *n != p.name || on(part.policy(i)) != p.create)
        || tags_of(&part.tag_rows) != role.tags
        || on(part.instance_profile())
            != role
                .instance_profile
                .unwrap_or_else(|| instance_profile_default(role))
}

/// Rebuilds the part's fields in `form` for `role`, keeping the focus on the same index.
pub fn rebuild(form: &mut Form, part: &mut DeploymentPart, role: &RoleSpec) {
    let start = part.start;
    form.fields.truncate(start);
    let new = fields(role, start, part);
    form.fields.extend(new);
    form.focus = form.focus.min(form.fields.len().saturating_sub(1));
    if !form.fields[form.focus].is_focusable() {
        form.focus_next();
    }
}

/// Fills the part's hints and errors from `role` and its `problems`.
pub fn check(form: &mut Form, part: &DeploymentPart, role: &RoleSpec, problems: &[RoleProblem]) {
    let at = |key: &str| {
        problems
            .iter()
            .find(|p| p.path.to_string() == key)
            .map(|p| p.message.clone())
    };
    // Boundary: the choice says where it comes from, the text field holds its ARN.
    let choice = form.fields[part.boundary()].choice_index();
    let option = part
        .boundary_options
        .get(choice)
        .cloned()
        .unwrap_or(BoundaryOption::None);
    let boundary_error = at("permissions_boundary");
    let boundary_hint = match &option {
        BoundaryOption::None => {
            "optional permissions boundary: a policy that caps what the role may do, whatever it is granted; ←→ picks one".into()
        }
        BoundaryOption::Typed => "the ARN or AWS managed name typed below".into(),
        BoundaryOption::Own(n) => {
            format!("{n} becomes a managed policy, only the boundary")
        }
        BoundaryOption::Managed(n) => curation::managed_info(n)
            .map(|m| m.description.clone())
            .unwrap_or_default(),
    };
    if option != BoundaryOption::Typed {
        let shown = role.permissions_boundary_arn().unwrap_or_default();
        form.fields[part.boundary_text()].set_text(&shown);
    }
    {
        let f = &mut form.fields[part.boundary()];
        f.hint = Some(boundary_hint);
        f.error = None;
    }
    {
        let f = &mut form.fields[part.boundary_text()];
        f.hint = Some(match option {
            BoundaryOption::Typed | BoundaryOption::None => {
                "arn:aws:iam::${Account}:policy/NAME, or a name".into()
            }
            _ => "its ARN; typing here replaces it".into(),
        });
        f.error = boundary_error;
    }

    // Instance profile: say why it is on or off.
    let default = instance_profile_default(role);
    let name = if role.name.is_empty() {
        "the role's name".to_string()
    } else {
        role.name.clone()
    };
    let hint = match (role.instance_profile, default) {
        (None, true) => format!("on by default: EC2 is trusted and uses the role through {name}"),
        (None, false) => {
            "off: an instance profile is how an EC2 instance uses a role; only EC2 needs one".into()
        }
        (Some(true), _) => format!("on: instance profile {name} holds the role"),
        (Some(false), true) => "off: EC2 is trusted but cannot use the role without it".into(),
        (Some(false), false) => "off".into(),
    };
    form.fields[part.instance_profile()].hint = Some(hint);

    for (i, p) in role
        .policies
        .iter()
        .enumerate()
        .take(part.policy_names.len())
    {
        let f = &mut form.fields[part.policy(i)];
        f.error = at(&format!("policy[{i}].create"));
        f.hint = Some(if role.boundary_policy_index() == Some(i) && !p.create {
            "the boundary: created, not attached".into()
        } else if p.create {
            format!("attached as {}", role.created_policy_arn(p))
        } else {
            "inline; Space makes it a managed policy".into()
        });
    }

    // Tags: IAM's rules over the rows (empty rows left out), the new row checked with them.
    let new_text = form.value(part.new_tag()).to_string();
    let mut rows: Vec<(usize, (String, String))> = part
        .tag_rows
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, (k, v))| !(k.is_empty() && v.is_empty()))
        .collect();
    if !new_text.trim().is_empty() {
        rows.push((part.tag_rows.len(), parse_tag(&new_text)));
    }
    let problems = tag_problems(rows.iter().map(|(_, (k, v))| (k.as_str(), v.as_str())));
    for i in 0..=part.tag_rows.len() {
        let f = &mut form.fields[part.tag(i)];
        f.error = None;
        f.hint = None;
    }
    for p in problems {
        let row = match p.part {
            TagPart::All => part.tag_rows.len(),
            TagPart::Key | TagPart::Value => rows.get(p.index).map_or(part.tag_rows.len(), |r| r.0),
        };
        let f = &mut form.fields[part.tag(row)];
        if f.error.is_none() {
            f.error = Some(p.message);
        }
    }
    for (i, (k, v)) in part.tag_rows.iter().enumerate() {
        if k.is_empty() && v.is_empty() {
            form.fields[part.tag(i)].hint = Some("empty: Enter removes this row".into());
        }
    }
    let n = tags_of(&part.tag_rows).len();
    let f = &mut form.fields[part.new_tag()];
    if f.error.is_none() {
        f.hint = Some(format!("key=value, Enter adds ({n} of 50 tags)"));
    }
}

/// What the part did with an action.
pub enum Handled {
    /// Not the part's: the Role step goes on as usual.
    No,
    /// Used, the role unchanged (a cursor move, a refused tag).
    Used,
    /// Used, and the role changed.
    Changed,
}

/// Handles `action` when the focus is on one of the part's fields.
pub fn handle(
    form: &mut Form,
    part: &mut DeploymentPart,
    role: &mut RoleSpec,
    action: Action,
) -> Handled {
    let focus = form.focus;
    if focus < part.start {
        return Handled::No;
    }
    let changed = |yes: bool| if yes { Handled::Changed } else { Handled::Used };
    if focus == part.boundary() {
        let forward = match action {
            Action::Toggle | Action::Right => true,
            Action::Left => false,
            _ => return Handled::No,
        };
        form.toggle(forward);
        let option = part
            .boundary_options
            .get(form.fields[focus].choice_index())
            .cloned()
            .unwrap_or(BoundaryOption::None);
        role.permissions_boundary = match option {
            BoundaryOption::None => None,
            BoundaryOption::Typed => non_empty(form.value(part.boundary_text())),
            BoundaryOption::Own(n) | BoundaryOption::Managed(n) => Some(n),
        };
        return Handled::Changed;
    }
    if focus == part.boundary_text() {
        let Action::Input(req) = action else {
            return Handled::No;
        };
        if !form.input(req) {
            return Handled::Used;
        }
        let typed = non_empty(form.value(focus));
        if let FieldKind::Choice { index, .. } = &mut form.fields[part.boundary()].kind {
            *index = usize::from(typed.is_some());
        }
        role.permissions_boundary = typed;
        return Handled::Changed;
    }
    if focus == part.instance_profile() || part.policy_at(focus).is_some() {
        if action != Action::Toggle {
            return Handled::No;
        }
        form.toggle(true);
        let on = form.fields[focus].is_on();
        if let Some(i) = part.policy_at(focus) {
            if let Some(p) = role.policies.get_mut(i) {
                p.create = on;
            }
        } else {
            // Only what differs from the default is written, so the file follows the trust.
            role.instance_profile = (on != instance_profile_default(role)).then_some(on);
        }
        return Handled::Changed;
    }
    if let Some(i) = part.tag_at(focus) {
        return match action {
            Action::Input(req) => {
                let edited = form.input(req);
                if edited {
                    part.tag_rows[i] = parse_tag(form.value(focus));
                    role.tags = tags_of(&part.tag_rows);
                }
                changed(edited)
            }
            Action::Confirm if form.value(focus).trim().is_empty() => {
                remove_tag(form, part, role, i);
                Handled::Changed
            }
            Action::Delete => {
                remove_tag(form, part, role, i);
                Handled::Changed
            }
            _ => Handled::No,
        };
    }
    if focus == part.new_tag() {
        return match action {
            Action::Input(req) => {
                form.input(req);
                Handled::Used
            }
            // Refused while a rule is broken: the message under the field says why and the
            // text stays to be fixed.
            Action::Confirm if form.fields[focus].error.is_some() => Handled::Used,
            Action::Confirm if !form.value(focus).trim().is_empty() => {
                part.tag_rows.push(parse_tag(form.value(focus)));
                role.tags = tags_of(&part.tag_rows);
                rebuild(form, part, role);
                form.focus = part.new_tag();
                Handled::Changed
            }
            _ => Handled::No,
        };
    }
    Handled::No
}

fn remove_tag(form: &mut Form, part: &mut DeploymentPart, role: &mut RoleSpec, i: usize) {
    part.tag_rows.remove(i);
    role.tags = tags_of(&part.tag_rows);
    rebuild(form, part, role);
    form.focus = part.tag(i.min(part.tag_rows.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_at_the_first_equals_sign() {
        assert_eq!(parse_tag("team=orders"), ("team".into(), "orders".into()));
        assert_eq!(parse_tag(" a = b=c "), ("a".into(), "b=c".into()));
        assert_eq!(parse_tag("Name"), ("Name".into(), String::new()));
    }

    #[test]
    fn layout_follows_the_policies_and_tags() {
        let mut role = RoleSpec {
            name: "r".into(),
            ..Default::default()
        };
        role.policies.push(Default::default());
        role.tags.insert("team".into(), "a".into());
        let mut part = DeploymentPart::default();
        let f = fields(&role, 7, &mut part);
        assert_eq!(f.len(), 4 + 2 + 1 + 2);
        assert_eq!(part.policy(0), 12);
        assert_eq!(part.tag(0), 14);
        assert_eq!(part.new_tag(), 15);
        assert!(f[part.new_tag() - 7].is_text());
        assert!(f[part.policy(0) - 7].is_focusable());
        let form = Form::new(f);
        let mut whole = Form::new(vec![Field::note("x"); 7]);
        whole.fields.extend(form.fields);
        assert!(!stale(&whole, &part, &role));
        role.tags.clear();
        assert!(stale(&whole, &part, &role));
        role.tags.insert("team".into(), "a".into());
        role.trust.services.push("ec2.amazonaws.com".into());
        assert!(
            stale(&whole, &part, &role),
            "EC2 turns the instance profile on"
        );
    }
}
