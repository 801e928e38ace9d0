//! The Trust step's entry forms: which fields adding (or editing) an account, a role or
//! user, GitHub, an OIDC or a SAML provider asks for, and the role a filled-in form leads
//! to, checked with the role file's rules so the trust never holds what `render` refuses.

/// The fields of the form that adds (or edits) `target`, filled from `role`.
use crate::role::deployment::IdentityKind;
use crate::role::trust_entry::{
    EntryPart, TrustEntry, account_entry, github_entry, oidc_entry, oidc_presets, role_with_entry,
};
use crate::role::{GithubTrust, RoleSpec, validate};

use super::non_empty;
use super::trust::FormTarget;
use crate::tui::widgets::field::{Field, Form};

/// The fields of the form that adds (or edits) `target`, filled from `role`; `None` for an
/// OIDC preset that does not exist.
pub(super) fn fields(role: &RoleSpec, target: &FormTarget) -> Option<Vec<Field>> {
    let account = role.account.clone().unwrap_or_default();
    let fields = match target {
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
            let preset = oidc_presets().get(*p).copied()?;
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
    Some(fields)
}

/// The role with the form's entry in place; Err(message, field index) when it is wrong.
pub(super) fn role_with_form_entry(
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
