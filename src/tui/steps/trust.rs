//! Step 2, Trust: who may assume the role. AWS services (from the curated principals,
//! filterable), other accounts (External ID, MFA), IAM roles and users (by name in the
//! role's account, or by ARN), GitHub Actions, other OIDC providers (with the choice to
//! create the provider), SAML, or a custom trust document read from a file.
//!
//! Entries are checked with the role file's rules before they are added, so the trust
//! document never holds something `render` would refuse.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::role::deployment::IdentityKind;
pub use crate::role::trust_entry::oidc_presets;
use crate::role::trust_entry::{
    EntryPart, TrustEntry, account_entry, github_entry, oidc_entry, role_with_entry,
};
use crate::role::{GithubTrust, RoleSpec, github_subject, validate};

use super::non_empty;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::curation;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, Form, draw_form, truncate};
use crate::tui::widgets::list::{FilterList, draw_filter, draw_list, fuzzy_filter};

/// The kinds of principal, one tab each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display)]
pub enum TrustKind {
    #[strum(serialize = "AWS services")]
    Services,
    Accounts,
    #[strum(serialize = "IAM roles & users")]
    Identities,
    #[strum(serialize = "GitHub Actions")]
    Github,
    #[strum(serialize = "OIDC")]
    Oidc,
    #[strum(serialize = "SAML")]
    Saml,
    #[strum(serialize = "Custom document")]
    Document,
}

/// Tab order; IAM roles and users came last so the earlier tabs keep their places.
const KINDS: [TrustKind; 7] = [
    TrustKind::Services,
    TrustKind::Accounts,
    TrustKind::Github,
    TrustKind::Oidc,
    TrustKind::Saml,
    TrustKind::Document,
    TrustKind::Identities,
];

/// What an open entry form adds or edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormTarget {
    Account(Option<usize>),
    /// An IAM role or user (index into `roles` or `users`).
    Identity(IdentityKind, Option<usize>),
    Github(Option<usize>),
    /// An OIDC preset (index into [`oidc_presets`]), or a custom provider (`None`).
    Oidc {
        index: Option<usize>,
        preset: Option<usize>,
    },
    Saml(Option<usize>),
}

/// The Trust step's UI state.
#[derive(Clone, Debug)]
pub struct TrustStep {
    pub kind: TrustKind,
    pub services: FilterList,
    /// Rows of the services list: principals matching the filter (custom ones included).
    pub service_rows: Vec<String>,
    /// Selection in the entries list of the other kinds.
    pub entry_sel: usize,
    pub form: Option<(FormTarget, Form)>,
    /// The "Custom document" tab (`steps::trust_document`).
    pub doc: super::trust_document::DocumentTab,
}

impl TrustStep {
    pub fn new(role: &RoleSpec) -> TrustStep {
        let mut s = TrustStep {
            // A role trusted by a custom document opens on it, not on an empty tab.
            kind: if role.trust.document.is_some() {
                TrustKind::Document
            } else {
                TrustKind::Services
            },
            services: FilterList::default(),
            service_rows: Vec::new(),
            entry_sel: 0,
            form: None,
            doc: Default::default(),
        };
        s.refresh_services(role);
        s
    }

    fn refresh_services(&mut self, role: &RoleSpec) {
        let mut names: Vec<String> = curation::principals()
            .iter()
            .map(|p| p.principal.clone())
            .collect();
        for s in &role.trust.services {
            if !names.contains(s) {
                names.insert(0, s.clone());
            }
        }
        let haystack: Vec<String> = names
            .iter()
            .map(|n| match curation::principal(n) {
                Some(p) => format!("{n} {}", p.name),
                None => n.clone(),
            })
            .collect();
        let hits = fuzzy_filter(
            self.services.query(),
            haystack.iter().enumerate().map(|(i, s)| (i, s.as_str())),
        );
        let mut rows: Vec<String> = hits.into_iter().map(|i| names[i].clone()).collect();
        let q = self.services.query().trim();
        if q.contains('.') && !rows.iter().any(|r| r == q) {
            rows.insert(0, q.to_string());
        }
        self.service_rows = rows;
        self.services.clamp(self.service_rows.len());
    }
}

fn entry_count(role: &RoleSpec, kind: TrustKind) -> usize {
    let t = &role.trust;
    match kind {
        TrustKind::Services => t.services.len(),
        TrustKind::Accounts => t.accounts.len(),
        TrustKind::Identities => t.roles.len() + t.users.len(),
        TrustKind::Github => t.github.len(),
        TrustKind::Oidc => t.oidc.len(),
        TrustKind::Saml => t.saml.len(),
        TrustKind::Document => usize::from(t.document.is_some()),
    }
}

/// Rows of the entries list of `kind`: the entries, then the "add" rows.
fn entry_rows(role: &RoleSpec, kind: TrustKind) -> Vec<String> {
    let t = &role.trust;
    let mut rows: Vec<String> = match kind {
        TrustKind::Accounts => t
            .accounts
            .iter()
            .map(|a| {
                let mut s = format!("account {}", a.id);
                if let Some(x) = &a.external_id {
                    s.push_str(&format!("  external id {x}"));
                }
                if a.require_mfa {
                    s.push_str("  MFA");
                }
                s
            })
            .collect(),
        TrustKind::Identities => (t.roles.iter().map(|r| (IdentityKind::Role, r)))
            .chain(t.users.iter().map(|u| (IdentityKind::User, u)))
            .map(|(kind, entry)| {
                let arn = role.identity_arn(kind, entry);
                if arn == *entry {
                    format!("{} {arn}", kind.resource_type())
                } else {
                    format!("{} {entry}  → {arn}", kind.resource_type())
                }
            })
            .collect(),
        TrustKind::Github => t.github.iter().map(github_subject).collect(),
        TrustKind::Oidc => t
            .oidc
            .iter()
            .map(|o| {
                format!(
                    "{}  sub={}",
                    o.provider,
                    o.sub.as_deref().unwrap_or("(any)")
                )
            })
            .collect(),
        TrustKind::Saml => t.saml.clone(),
        _ => Vec::new(),
    };
    match kind {
        TrustKind::Accounts => rows.push("+ Add an AWS account".into()),
        TrustKind::Identities => {
            rows.push("+ Add an IAM role".into());
            rows.push("+ Add an IAM user".into());
        }
        TrustKind::Github => rows.push("+ Add a GitHub repository".into()),
        TrustKind::Oidc => {
            for p in oidc_presets() {
                rows.push(format!("+ {}", p.name));
            }
            rows.push("+ Other OIDC provider".into());
        }
        TrustKind::Saml => rows.push("+ Add a SAML provider".into()),
        _ => {}
    }
    if matches!(kind, TrustKind::Github | TrustKind::Oidc) {
        let on = if t.create_oidc_provider { "[x]" } else { "[ ]" };
        rows.push(format!(
            "{on} Create the OIDC provider (create_oidc_provider)"
        ));
    }
    rows
}

/// The row of the "create the OIDC provider" toggle, on the GitHub and OIDC tabs.
fn oidc_toggle_row(role: &RoleSpec, kind: TrustKind) -> Option<usize> {
    matches!(kind, TrustKind::Github | TrustKind::Oidc)
        .then(|| entry_rows(role, kind).len().saturating_sub(1))
}

/// The line under the GitHub and OIDC lists: what the toggle does, or what is wrong with it.
fn oidc_provider_note(role: &RoleSpec) -> Result<String, String> {
    let problem = validate(role).into_iter().find(|p| {
        let path = p.path.to_string();
        path == "trust.create_oidc_provider"
            || (path.starts_with("trust.oidc[") && p.message.contains("aud"))
    });
    if let Some(p) = problem {
        return Err(p.message);
    }
    let account = role.account.as_deref().unwrap_or("the role's account");
    Ok(if role.trust.create_oidc_provider {
        format!(
            "The exports also create the provider in {account} (no thumbprint needed); it exists once per account, so only one role should create it."
        )
    } else {
        format!(
            "The provider must exist once in {account}; Space on the toggle makes the exports create it."
        )
    })
}

fn toggle_oidc_provider(app: &mut App) {
    let t = &mut app.role.trust;
    t.create_oidc_provider = !t.create_oidc_provider;
    let on = t.create_oidc_provider;
    app.role_changed();
    app.info(if on {
        "the exports create the OIDC provider"
    } else {
        "the OIDC provider is expected to exist"
    });
}

fn open_form(app: &mut App, target: FormTarget) {
    let role = &app.role;
    let account = role.account.clone().unwrap_or_default();
    let fields = match &target {
        FormTarget::Account(i) => {
            let a = i
                .and_then(|i| role.trust.accounts.get(i).cloned())
                .unwrap_or_default();
            vec![
                Field::text("Account id", a.id).with_hint("12 digits"),
                Field::text("External ID", a.external_id.unwrap_or_default())
                    .with_hint("a shared secret the other account must send; recommended for third parties: 2-1,224 characters"),
                Field::toggle("Require MFA", a.require_mfa),
            ]
        }
        FormTarget::Identity(kind, i) => {
            let list = match kind {
                IdentityKind::Role => &role.trust.roles,
                IdentityKind::User => &role.trust.users,
            };
            let entry = i.and_then(|i| list.get(i).cloned()).unwrap_or_default();
            let what = kind.resource_type();
            vec![
                Field::text("Account", account)
                    .with_hint("the role's account: a name below is looked up in it"),
                Field::text(
                    match kind {
                        IdentityKind::Role => "Role",
                        IdentityKind::User => "User",
                    },
                    entry,
                )
                .with_hint(format!(
                    "a {what} name (or path/name) in that account, or arn:aws:iam::ACCOUNT:{what}/NAME"
                )),
            ]
        }
        FormTarget::Github(i) => {
            let g = i
                .and_then(|i| role.trust.github.get(i).cloned())
                .unwrap_or(GithubTrust {
                    repo: String::new(),
                    git_ref: Some("refs/heads/main".into()),
                    environment: None,
                });
            vec![
                Field::text("Account", account)
                    .with_hint("the account holding the GitHub OIDC provider"),
                Field::text("Repository", g.repo).with_hint("OWNER/REPO, as in its URL"),
                Field::text("Branch or ref", g.git_ref.unwrap_or_default()).with_hint(
                    "refs/heads/main, refs/tags/v*; or leave empty and give an environment",
                ),
                Field::text("Environment", g.environment.unwrap_or_default())
                    .with_hint("a GitHub deployment environment, instead of a ref"),
            ]
        }
        FormTarget::Oidc {
            preset: Some(p), ..
        } => {
            let Some(preset) = oidc_presets().get(*p).copied() else {
                return;
            };
            let mut f = vec![
                Field::note(preset.description.clone()),
                Field::text("Account", account).with_hint("the account holding the OIDC provider"),
            ];
            for pf in &preset.fields {
                f.push(
                    Field::text(pf.label.clone(), pf.default.clone().unwrap_or_default())
                        .with_hint(format!("e.g. {}", pf.example)),
                );
            }
            f
        }
        FormTarget::Oidc { index, .. } => {
            let o = index
                .and_then(|i| role.trust.oidc.get(i).cloned())
                .unwrap_or_default();
            vec![
                Field::text("Account", account).with_hint("the account holding the OIDC provider"),
                Field::text("Provider", o.provider)
                    .with_hint("host and path, e.g. oidc.example.com/tenant"),
                Field::text("Audience (aud)", o.aud.unwrap_or_default()),
                Field::text("Subject (sub)", o.sub.unwrap_or_default())
                    .with_hint("who: without it anyone the provider signs for may assume the role"),
            ]
        }
        FormTarget::Saml(i) => {
            let s = i
                .and_then(|i| role.trust.saml.get(i).cloned())
                .unwrap_or_default();
            vec![
                Field::text("Provider ARN", s)
                    .with_hint("arn:aws:iam::123456789012:saml-provider/Corp"),
            ]
        }
    };
    app.steps.trust.form = Some((target, Form::new(fields)));
}

/// The role with the form's entry in place; Err(message, field index) when it is wrong.
fn role_with_form_entry(
    role: &RoleSpec,
    target: &FormTarget,
    form: &Form,
) -> Result<RoleSpec, (String, usize)> {
    let v = |i: usize| form.value(i);
    let (entry, at) = match target {
        FormTarget::Account(i) => (
            TrustEntry::Account(account_entry(v(0), v(1), form.fields[2].is_on())),
            *i,
        ),
        FormTarget::Github(i) => (github_entry(v(0), v(1), v(2), v(3)), *i),
        FormTarget::Oidc {
            index,
            preset: Some(p),
        } => {
            let preset = oidc_presets()
                .get(*p)
                .copied()
                .ok_or(("unknown preset".to_string(), 0))?;
            let values = (0..preset.fields.len())
                .map(|k| v(k + 2).to_string())
                .collect();
            let entry = TrustEntry::OidcPreset {
                account: non_empty(v(1)),
                preset,
                values,
            };
            (entry, *index)
        }
        FormTarget::Oidc {
            index,
            preset: None,
        } => (oidc_entry(v(0), v(1), v(2), v(3)), *index),
        FormTarget::Saml(i) => (TrustEntry::Saml(v(0).to_string()), *i),
        FormTarget::Identity(kind, at) => return role_with_identity(role, *kind, *at, v(0), v(1)),
    };
    role_with_entry(role, entry, at).map_err(|p| {
        let key = |k: &str| matches!(&p.part, EntryPart::Key(x) if x == k);
        // The form field the problem is about (the Account field where the form has one).
        let field = match target {
            FormTarget::Account(_) if key("external_id") => 1,
            FormTarget::Account(_) => 0,
            FormTarget::Identity(..) => 1,
            FormTarget::Github(_) if key("repo") => 1,
            FormTarget::Github(_) if key("environment") => 3,
            FormTarget::Github(_) if p.part == EntryPart::Whole => 2,
            FormTarget::Github(_) => 0,
            FormTarget::Oidc {
                preset: Some(_), ..
            } => 1,
            FormTarget::Oidc { .. } if key("provider") => 1,
            FormTarget::Oidc { .. } => 0,
            FormTarget::Saml(_) => 0,
        };
        (p.message, field)
    })
}

/// `role` with an IAM role or user trusted (at `at` of its list, or added), the account
/// typed becoming the role's; Err(message, field) by the role file's rules.
fn role_with_identity(
    role: &RoleSpec,
    kind: IdentityKind,
    at: Option<usize>,
    account: &str,
    entry: &str,
) -> Result<RoleSpec, (String, usize)> {
    let mut r = role.clone();
    r.account = non_empty(account).or(r.account);
    let entry = entry.trim().to_string();
    if entry.is_empty() {
        return Err((
            format!("give the {}'s name or ARN", kind.resource_type()),
            1,
        ));
    }
    let (list, key) = match kind {
        IdentityKind::Role => (&mut r.trust.roles, "roles"),
        IdentityKind::User => (&mut r.trust.users, "users"),
    };
    if list
        .iter()
        .enumerate()
        .any(|(i, e)| *e == entry && Some(i) != at)
    {
        return Err((format!("{entry} is already trusted"), 1));
    }
    let at = at.filter(|i| *i < list.len()).unwrap_or(list.len());
    if at < list.len() {
        list[at] = entry;
    } else {
        list.push(entry);
    }
    let path = format!("trust.{key}[{at}]");
    match validate(&r).into_iter().find(|p| {
        let q = p.path.to_string();
        q == path || q == "account"
    }) {
        Some(p) if p.path.to_string() == "account" => Err((p.message, 0)),
        Some(p) => Err((p.message, 1)),
        None => Ok(r),
    }
}

fn submit_form(app: &mut App) {
    let Some((target, mut form)) = app.steps.trust.form.take() else {
        return;
    };
    match role_with_form_entry(&app.role, &target, &form) {
        Ok(role) => {
            app.role = role;
            app.role_changed();
            app.info("trust updated");
        }
        Err((msg, field)) => {
            for f in &mut form.fields {
                f.error = None;
            }
            let field = field.min(form.fields.len() - 1);
            // Notes cannot hold an error: put it on the first real field.
            let field = if form.fields[field].is_focusable() {
                field
            } else {
                form.fields
                    .iter()
                    .position(|f| f.is_focusable())
                    .unwrap_or(0)
            };
            form.fields[field].error = Some(msg);
            form.focus = field;
            app.steps.trust.form = Some((target, form));
        }
    }
}

fn delete_entry(app: &mut App) {
    let i = app.steps.trust.entry_sel;
    let t = &mut app.role.trust;
    let removed = match app.steps.trust.kind {
        TrustKind::Accounts if i < t.accounts.len() => {
            t.accounts.remove(i);
            true
        }
        TrustKind::Identities if i < t.roles.len() => {
            t.roles.remove(i);
            true
        }
        TrustKind::Identities if i < t.roles.len() + t.users.len() => {
            t.users.remove(i - t.roles.len());
            true
        }
        TrustKind::Github if i < t.github.len() => {
            t.github.remove(i);
            true
        }
        TrustKind::Oidc if i < t.oidc.len() => {
            t.oidc.remove(i);
            true
        }
        TrustKind::Saml if i < t.saml.len() => {
            t.saml.remove(i);
            true
        }
        TrustKind::Document if t.document.is_some() => {
            t.document = None;
            true
        }
        _ => false,
    };
    if removed {
        app.role_changed();
        app.info("removed");
    }
}

fn open_entry(app: &mut App) {
    let i = app.steps.trust.entry_sel;
    let n = entry_count(&app.role, app.steps.trust.kind);
    let existing = (i < n).then_some(i);
    let target = match app.steps.trust.kind {
        TrustKind::Accounts => FormTarget::Account(existing),
        TrustKind::Identities => {
            let roles = app.role.trust.roles.len();
            match existing {
                Some(i) if i < roles => FormTarget::Identity(IdentityKind::Role, Some(i)),
                Some(i) => FormTarget::Identity(IdentityKind::User, Some(i - roles)),
                None if i == n => FormTarget::Identity(IdentityKind::Role, None),
                None => FormTarget::Identity(IdentityKind::User, None),
            }
        }
        TrustKind::Github => FormTarget::Github(existing),
        TrustKind::Oidc => FormTarget::Oidc {
            index: existing,
            preset: if existing.is_some() {
                None
            } else {
                let p = i - n;
                (p < oidc_presets().len()).then_some(p)
            },
        },
        TrustKind::Saml => FormTarget::Saml(existing),
        _ => return,
    };
    open_form(app, target);
}

/// The first tab (in tab order) holding entries of a structured trust, to show after a
/// custom document was converted into them.
pub(super) fn first_kind_with_entries(role: &RoleSpec) -> Option<TrustKind> {
    KINDS
        .into_iter()
        .find(|k| *k != TrustKind::Document && entry_count(role, *k) > 0)
}

fn switch_kind(app: &mut App, forward: bool) {
    let i = KINDS
        .iter()
        .position(|k| *k == app.steps.trust.kind)
        .unwrap_or(0);
    let n = KINDS.len();
    app.steps.trust.kind = KINDS[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }];
    app.steps.trust.entry_sel = 0;
}

pub fn handle(app: &mut App, action: Action) -> bool {
    // An open entry form takes everything but the pane keys.
    if let Some((_, form)) = app.steps.trust.form.as_mut() {
        if form.navigate(action) {
            return true;
        }
        match action {
            Action::Back => app.steps.trust.form = None,
            Action::Confirm => {
                if !form.focus_next() {
                    submit_form(app);
                }
            }
            _ => return false,
        }
        return true;
    }
    let st = &mut app.steps.trust;
    match st.kind {
        TrustKind::Services => {
            if st.services.editing {
                match action {
                    Action::Input(req) => {
                        if st.services.input(req) {
                            st.refresh_services(&app.role);
                        }
                    }
                    Action::Back | Action::Confirm | Action::Down => st.services.editing = false,
                    _ => return false,
                }
                return true;
            }
            match action {
                Action::Filter => st.services.editing = true,
                a if st.services.navigate(a, st.service_rows.len()) => {}
                Action::Left => switch_kind(app, false),
                Action::Right => switch_kind(app, true),
                Action::Toggle | Action::Confirm => {
                    let Some(p) = st.service_rows.get(st.services.selected).cloned() else {
                        return true;
                    };
                    let list = &mut app.role.trust.services;
                    if let Some(i) = list.iter().position(|s| *s == p) {
                        list.remove(i);
                        app.info(format!("{p} no longer trusted"));
                    } else {
                        list.push(p.clone());
                        app.info(format!("{p} may assume the role"));
                    }
                    app.role_changed();
                    app.steps.trust.refresh_services(&app.role);
                }
                Action::Back if !st.services.query().is_empty() => {
                    st.services.filter.reset();
                    st.refresh_services(&app.role);
                }
                _ => return false,
            }
            true
        }
        TrustKind::Document => {
            if super::trust_document::handle(app, action) {
                return true;
            }
            match action {
                Action::Left => switch_kind(app, false),
                Action::Right => switch_kind(app, true),
                _ => return false,
            }
            true
        }
        kind => {
            let len = entry_rows(&app.role, kind).len();
            if let Some(i) = crate::tui::widgets::list::list_move(action, st.entry_sel, len) {
                st.entry_sel = i;
                return true;
            }
            match action {
                Action::Left => switch_kind(app, false),
                Action::Right => switch_kind(app, true),
                Action::Confirm | Action::Toggle
                    if oidc_toggle_row(&app.role, kind) == Some(st.entry_sel) =>
                {
                    toggle_oidc_provider(app)
                }
                Action::Confirm | Action::Toggle => open_entry(app),
                Action::Add => {
                    st.entry_sel = entry_count(&app.role, kind);
                    open_entry(app);
                }
                Action::Delete => {
                    delete_entry(app);
                    let len = entry_rows(&app.role, kind).len();
                    app.steps.trust.entry_sel =
                        app.steps.trust.entry_sel.min(len.saturating_sub(1));
                }
                _ => return false,
            }
            true
        }
    }
}

pub fn editing_text(app: &App) -> bool {
    let st = &app.steps.trust;
    if let Some((_, form)) = &st.form {
        return form.editing_text();
    }
    match st.kind {
        TrustKind::Services => st.services.editing,
        TrustKind::Document => super::trust_document::editing_text(app),
        _ => false,
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let st = &app.steps.trust;
    let [tabs, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(area);
    // Kind tabs with counts: "▸AWS services 1  Accounts  GitHub Actions ..."
    let mut spans = Vec::new();
    for k in KINDS {
        let n = entry_count(&app.role, k);
        let label = if n > 0 {
            format!(" {k} ({n}) ")
        } else {
            format!(" {k} ")
        };
        let style = if k == st.kind {
            if focused && st.form.is_none() {
                theme.selected()
            } else {
                theme.title()
            }
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(spans),
            Line::from(Span::styled("←→ kind", theme.dim())),
        ])
        .wrap(Wrap { trim: true }),
        tabs,
    );
    if let Some((target, form)) = &st.form {
        let title = match target {
            FormTarget::Account(_) => "AWS account".to_string(),
            FormTarget::Identity(IdentityKind::Role, _) => "IAM role".to_string(),
            FormTarget::Identity(IdentityKind::User, _) => "IAM user".to_string(),
            FormTarget::Github(_) => "GitHub Actions".to_string(),
            FormTarget::Oidc {
                preset: Some(p), ..
            } => oidc_presets()
                .get(*p)
                .map_or("OIDC".into(), |p| p.name.clone()),
            FormTarget::Oidc { .. } => "OIDC provider".to_string(),
            FormTarget::Saml(_) => "SAML provider".to_string(),
        };
        let [t, f] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(title, theme.title()),
                Span::styled("  Enter on the last field adds, Esc cancels", theme.dim()),
            ])),
            t,
        );
        draw_form(frame, f, form, focused, 18, theme);
        return;
    }
    match st.kind {
        TrustKind::Services => {
            let [filter, list, detail] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(2),
            ])
            .areas(body);
            draw_filter(frame, filter, &st.services, focused, theme);
            let rows: Vec<Line> = st
                .service_rows
                .iter()
                .map(|p| {
                    let on = app.role.trust.services.contains(p);
                    let name = curation::principal(p).map_or("custom service", |c| c.name.as_str());
                    Line::from(vec![
                        Span::raw(if on { "[x] " } else { "[ ] " }),
                        Span::styled(
                            truncate(p, 34),
                            if on { theme.title() } else { theme.text() },
                        ),
                        Span::raw(" "),
                        Span::styled(truncate(name, 40), theme.dim()),
                    ])
                })
                .collect();
            draw_list(
                frame,
                list,
                &rows,
                st.services.selected,
                focused && !st.services.editing,
                theme,
            );
            if let Some(p) = st.service_rows.get(st.services.selected) {
                let note = curation::principal(p)
                    .map(|c| c.note.clone())
                    .unwrap_or_else(|| "not in the curated list: check the spelling".into());
                frame.render_widget(
                    Paragraph::new(crate::tui::widgets::text::fit_rows(
                        Span::styled(sanitize_for_display(&note).into_owned(), theme.dim()),
                        detail.width,
                        detail.height,
                    )),
                    detail,
                );
            }
        }
        TrustKind::Document => super::trust_document::draw(app, frame, body, focused),
        kind => {
            let n = entry_count(&app.role, kind);
            let toggle = oidc_toggle_row(&app.role, kind);
            let body = if toggle.is_some() {
                let [list, note] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(body);
                let line = match oidc_provider_note(&app.role) {
                    Ok(text) => Span::styled(text, theme.dim()),
                    Err(e) => {
                        Span::styled(format!("✗ {}", sanitize_for_display(&e)), theme.error())
                    }
                };
                frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), note);
                list
            } else {
                body
            };
            let rows: Vec<Line> = entry_rows(&app.role, kind)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let style = if i < n || Some(i) == toggle {
                        theme.text()
                    } else {
                        theme.dim()
                    };
                    Line::from(Span::styled(
                        truncate(&r, body.width.saturating_sub(2) as usize),
                        style,
                    ))
                })
                .collect();
            draw_list(frame, body, &rows, st.entry_sel, focused, theme);
        }
    }
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let st = &app.steps.trust;
    if st.form.is_some() {
        return vec![
            ("↑↓", "field"),
            ("Space", "toggle"),
            ("Enter", "next/add"),
            ("Esc", "cancel"),
        ];
    }
    match st.kind {
        TrustKind::Services if st.services.editing => vec![("Enter", "done"), ("Esc", "done")],
        TrustKind::Services => vec![
            ("Space", "toggle"),
            ("/", "filter"),
            ("←→", "kind"),
            ("Esc", "steps"),
        ],
        TrustKind::Document => super::trust_document::hints(app),
        kind if oidc_toggle_row(&app.role, kind) == Some(st.entry_sel) => vec![
            ("Space", "create the provider or not"),
            ("←→", "kind"),
            ("Esc", "steps"),
        ],
        _ => vec![
            ("Enter", "open"),
            ("a", "add"),
            ("d", "delete"),
            ("←→", "kind"),
        ],
    }
}
