//! One entry of a role's trust (an account, a GitHub repository, an OIDC provider, a SAML
//! provider) put into a role and checked with the role file's rules, and a custom trust
//! document read from a file.
//!
//! The TUI's Trust step collects the values in forms; building the entry and deciding
//! whether it is acceptable is role logic, here, so the trust document never holds
//! something `render` would refuse, whatever front end made it.

use std::path::Path;

use indexmap::IndexMap;

use crate::catalog::curated::{OidcPreset, curated};
use crate::policy::source::parse_policy;
use crate::role::{AccountTrust, GithubTrust, OidcTrust, RoleSpec, TrustDocument, validate};

/// An entry to put into the trust of a role, with the values typed for it.
#[derive(Clone, Debug)]
pub enum TrustEntry<'a> {
    Account(AccountTrust),
    /// A GitHub repository; `account` (when given) becomes the role's account, where the
    /// GitHub OIDC provider lives.
    Github {
        account: Option<String>,
        trust: GithubTrust,
    },
    /// An OIDC provider from a curated preset, with one value per preset field.
    OidcPreset {
        account: Option<String>,
        preset: &'a OidcPreset,
        values: Vec<String>,
    },
    Oidc {
        account: Option<String>,
        trust: OidcTrust,
    },
    /// A SAML provider ARN.
    Saml(String),
}

/// What a problem with an entry is about, so a form can point at the value to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryPart {
    /// The role's account.
    Account,
    /// The entry as a whole (a GitHub entry with neither ref nor environment, a preset
    /// that does not render).
    Whole,
    /// A key of the entry as the role file names it (`external_id`, `repo`, `provider` …).
    Key(String),
}

/// Why an entry was refused: the role file's message and what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryProblem {
    pub message: String,
    pub part: EntryPart,
}

/// OIDC presets the role file can express: a provider ARN principal pinned only with
/// `StringEquals` on `sub`/`aud` (GitHub has its own entry kind).
pub fn oidc_presets() -> Vec<&'static OidcPreset> {
    curated()
        .oidc_presets
        .iter()
        .filter(|p| {
            p.family != "github"
                && p.federated.contains("oidc-provider/")
                && p.conditions.iter().all(|c| {
                    c.operator == "StringEquals"
                        && (c.key.ends_with(":sub") || c.key.ends_with(":aud"))
                })
        })
        .collect()
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn set_at<T>(list: &mut Vec<T>, at: usize, value: T) {
    if at < list.len() {
        list[at] = value;
    } else {
        list.push(value);
    }
}

/// `role` with `entry` in place of the entry of its kind at `at` (or added when `None`),
/// when the role file's rules accept it.
pub fn role_with_entry(
    role: &RoleSpec,
    entry: TrustEntry<'_>,
    at: Option<usize>,
) -> Result<RoleSpec, EntryProblem> {
    let mut r = role.clone();
    let put = |list_len: usize| at.unwrap_or(list_len);
    let prefix = match entry {
        TrustEntry::Account(a) => {
            let at = put(r.trust.accounts.len());
            set_at(&mut r.trust.accounts, at, a);
            format!("trust.accounts[{at}]")
        }
        TrustEntry::Github { account, trust } => {
            r.account = account.or(r.account);
            let at = put(r.trust.github.len());
            set_at(&mut r.trust.github, at, trust);
            format!("trust.github[{at}]")
        }
        TrustEntry::OidcPreset {
            account,
            preset,
            values,
        } => {
            r.account = account.or(r.account);
            let mut named: IndexMap<String, String> = IndexMap::new();
            if let Some(a) = &r.account {
                named.insert("Account".into(), a.clone());
            }
            if let Some(p) = &r.partition {
                named.insert("Partition".into(), p.clone());
            }
            for (pf, v) in preset.fields.iter().zip(values) {
                named.insert(pf.name.clone(), v);
            }
            let rendered = preset.render(&named).map_err(|e| EntryProblem {
                message: e
                    .to_string()
                    .replace(&format!("OIDC preset {}: ", preset.id), ""),
                part: EntryPart::Whole,
            })?;
            let find = |suffix: &str| {
                rendered
                    .conditions
                    .iter()
                    .find(|c| c.key.ends_with(suffix))
                    .map(|c| c.value.clone())
            };
            let trust = OidcTrust {
                provider: rendered.provider.clone(),
                sub: find(":sub"),
                aud: find(":aud"),
            };
            let at = put(r.trust.oidc.len());
            set_at(&mut r.trust.oidc, at, trust);
            format!("trust.oidc[{at}]")
        }
        TrustEntry::Oidc { account, trust } => {
            r.account = account.or(r.account);
            let at = put(r.trust.oidc.len());
            set_at(&mut r.trust.oidc, at, trust);
            format!("trust.oidc[{at}]")
        }
        TrustEntry::Saml(arn) => {
            let at = put(r.trust.saml.len());
            set_at(&mut r.trust.saml, at, arn.trim().to_string());
            format!("trust.saml[{at}]")
        }
    };
    let problem = validate(&r).into_iter().find(|p| {
        let path = p.path.to_string();
        path == prefix || path.starts_with(&format!("{prefix}.")) || path == "account"
    });
    let Some(p) = problem else {
        return Ok(r);
    };
    let path = p.path.to_string();
    let part = match path.strip_prefix(&prefix) {
        None => EntryPart::Account,
        Some("") => EntryPart::Whole,
        Some(rest) => {
            let key = rest.trim_start_matches('.');
            let end = key.find(['.', '[']).unwrap_or(key.len());
            EntryPart::Key(key[..end].to_string())
        }
    };
    Err(EntryProblem {
        message: p.message,
        part,
    })
}

/// Typed values of an account entry (the External ID and MFA as the form gives them).
pub fn account_entry(id: &str, external_id: &str, require_mfa: bool) -> AccountTrust {
    AccountTrust {
        id: id.trim().to_string(),
        external_id: non_empty(external_id),
        require_mfa,
    }
}

/// A GitHub entry from typed values: empty ref or environment means none.
pub fn github_entry(
    account: &str,
    repo: &str,
    git_ref: &str,
    environment: &str,
) -> TrustEntry<'static> {
    TrustEntry::Github {
        account: non_empty(account),
        trust: GithubTrust {
            repo: repo.trim().to_string(),
            git_ref: non_empty(git_ref),
            environment: non_empty(environment),
        },
    }
}

/// A custom OIDC entry from typed values: empty audience or subject means none.
pub fn oidc_entry(account: &str, provider: &str, aud: &str, sub: &str) -> TrustEntry<'static> {
    TrustEntry::Oidc {
        account: non_empty(account),
        trust: OidcTrust {
            provider: provider.trim().to_string(),
            aud: non_empty(aud),
            sub: non_empty(sub),
        },
    }
}

/// A custom trust document read from `path` (through `io::read`, capped, and the strict
/// JSON reader): errors name the file and the position.
pub fn trust_document_from_file(path: &str) -> crate::Result<TrustDocument> {
    let text = crate::io::read_text(Path::new(path), crate::io::InputKind::Document)?;
    let parsed = parse_policy(path, &text)?;
    Ok(TrustDocument::Inline(Box::new(parsed.document)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_entry_is_added_or_replaced() {
        let role = RoleSpec::default();
        let r = role_with_entry(
            &role,
            TrustEntry::Account(account_entry(" 123456789012 ", "", true)),
            None,
        )
        .expect("valid");
        assert_eq!(r.trust.accounts[0].id, "123456789012");
        assert_eq!(r.trust.accounts[0].external_id, None);
        let r = role_with_entry(
            &r,
            TrustEntry::Account(account_entry("210987654321", "x-partner-id", false)),
            Some(0),
        )
        .expect("valid");
        assert_eq!(r.trust.accounts.len(), 1);
        assert_eq!(r.trust.accounts[0].id, "210987654321");
    }

    #[test]
    fn a_problem_says_which_value_is_wrong() {
        let role = RoleSpec::default();
        let err = role_with_entry(
            &role,
            TrustEntry::Account(account_entry("12", "", false)),
            None,
        )
        .expect_err("12 is no account id");
        assert!(
            matches!(err.part, EntryPart::Key(ref k) if k == "id"),
            "{err:?}"
        );
        let err = role_with_entry(&role, github_entry("123456789012", "", "", ""), None)
            .expect_err("no repository");
        assert_ne!(err.part, EntryPart::Account, "{err:?}");
        let err = role_with_entry(
            &role,
            github_entry("12", "o/r", "refs/heads/main", ""),
            None,
        )
        .expect_err("a bad account");
        assert_eq!(err.part, EntryPart::Account, "{err:?}");
    }

    #[test]
    fn presets_the_role_file_cannot_express_are_left_out() {
        let presets = oidc_presets();
        assert!(!presets.is_empty());
        assert!(presets.iter().all(|p| p.family != "github"));
        assert!(
            presets
                .iter()
                .all(|p| p.federated.contains("oidc-provider/"))
        );
    }

    #[test]
    fn a_missing_trust_file_is_an_error_naming_it() {
        let err = trust_document_from_file("/nonexistent/trust.json").expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/trust.json"), "{err}");
    }
}
