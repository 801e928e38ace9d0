//! A custom trust document turned into the role file's structured `[trust]` keys, when it
//! fits them, and the comparison that proves the conversion kept its meaning.
//!
//! The structured keys (services, accounts, roles/users, GitHub, OIDC, SAML) are what the
//! editor's forms can change and what `lint` explains best, so a document that says nothing
//! more than they can say is worth converting. "Fits" is decided by building: the converted
//! role's trust document must mean exactly what the custom one means
//! ([`same_meaning`]: the same grants, statement by statement taken apart into one
//! principal, one action and the condition). When a document does not fit, the reason names
//! the statement and the element the structured form has no place for, so the user knows
//! what to change or why it stays a document.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::policy::document::{ConditionBlock, POLICY_VERSION};
use crate::policy::{Effect, PolicyDocument, Principal, Statement};

use super::build::GITHUB_OIDC_HOST;
use super::deployment::oidc_host;
use super::spec::{AccountTrust, GithubTrust, OidcTrust, RoleSpec, TrustSpec};
use super::validate::validate;

/// The audience AWS's SAML sign-in endpoint puts in assertions; the structured SAML entry
/// always pins it.
const SAML_AUDIENCE: &str = "https://signin.aws.amazon.com/saml";

/// A custom trust document converted: the role with its `[trust]` in the structured form.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion {
    /// The role with the structured trust (and, when an OIDC provider named it, the
    /// account the role had no value for).
    pub role: RoleSpec,
    /// What the conversion dropped or set that has no effect on who may assume the role
    /// (a `Sid`, the document's `Id`, the account taken from a provider ARN).
    pub notes: Vec<String>,
}

/// Why a document does not fit the structured form: the statement (numbered from 0, as
/// the editor names statements everywhere) and the element the structured keys cannot
/// express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotConvertible {
    pub statement: Option<usize>,
    pub reason: String,
}

impl fmt::Display for NotConvertible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.statement {
            // Numbered from 0, as the rest of the editor and `simulate` number statements.
            Some(i) => write!(f, "statement {i}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

fn refuse(statement: Option<usize>, reason: impl Into<String>) -> NotConvertible {
    NotConvertible {
        statement,
        reason: reason.into(),
    }
}

/// One grant of a trust document: one principal allowed one action under one condition.
/// A statement is the union of its grants (Allow statements only), so two documents with
/// the same set of grants let the same callers assume the role.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Grant {
    kind: &'static str,
    principal: String,
    action: String,
    /// operator → key → values, each as IAM compares them (text).
    condition: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
}

fn condition_meaning(
    block: Option<&ConditionBlock>,
) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (op, keys) in block.into_iter().flatten() {
        for (key, values) in keys {
            out.entry(op.clone())
                .or_default()
                .entry(key.clone())
                .or_default()
                .extend(values.iter().map(|v| v.as_text()));
        }
    }
    out
}

/// A bare 12-digit account id means the account's root, as IAM stores it.
fn principal_meaning(kind: &str, value: &str, partition: &str) -> String {
    if kind == "AWS" && is_account_id(value) {
        format!("arn:{partition}:iam::{value}:root")
    } else {
        value.to_string()
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The grants of a document of Allow statements with a principal map, an action list and no
/// resource; `Err` names the first statement that is something else.
fn grants(doc: &PolicyDocument, partition: &str) -> Result<BTreeSet<Grant>, NotConvertible> {
    let mut out = BTreeSet::new();
    for (i, s) in doc.statements().iter().enumerate() {
        check_statement_shape(i, s)?;
        let Some(Principal::Map(map)) = &s.principal else {
            return Err(refuse(Some(i), "no principal"));
        };
        let condition = condition_meaning(s.condition.as_ref());
        for (kind, value) in map.entries() {
            for action in s.actions() {
                out.insert(Grant {
                    kind,
                    principal: principal_meaning(kind, value, partition),
                    action: action.clone(),
                    condition: condition.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn check_statement_shape(i: usize, s: &Statement) -> Result<(), NotConvertible> {
    let at = Some(i);
    if s.effect == Effect::Deny {
        return Err(refuse(
            at,
            "it denies (\"Effect\": \"Deny\"); the structured form only allows",
        ));
    }
    if s.not_principal.is_some() {
        return Err(refuse(
            at,
            "NotPrincipal has no structured form (it trusts everyone except the principals named)",
        ));
    }
    if s.not_action.is_some() {
        return Err(refuse(at, "NotAction has no structured form"));
    }
    if s.resource.is_some() || s.not_resource.is_some() {
        return Err(refuse(
            at,
            "a trust policy has no Resource; the structured form writes none",
        ));
    }
    match &s.principal {
        None => Err(refuse(at, "no Principal")),
        Some(Principal::Any) => Err(refuse(
            at,
            "\"Principal\": \"*\" (anyone) has no structured form",
        )),
        Some(Principal::Map(m)) if m.canonical_user.is_some() => Err(refuse(
            at,
            "a CanonicalUser principal has no structured form",
        )),
        Some(Principal::Map(m)) if m.entries().next().is_none() => {
            Err(refuse(at, "the Principal names nobody"))
        }
        Some(_) if s.actions().is_empty() => Err(refuse(at, "no Action")),
        Some(_) => Ok(()),
    }
}

/// Do two trust documents let the same principals assume the role with the same actions
/// under the same conditions? Statement order and grouping, `"x"` vs `["x"]`, condition
/// value order and type (`true` vs `"true"`), `Sid`s and the `Id` do not count; the
/// `Version` does (it changes how policy variables read). Documents with a statement the
/// structured form cannot hold (Deny, NotPrincipal …) compare equal only when identical.
pub fn same_meaning(a: &PolicyDocument, b: &PolicyDocument, partition: &str) -> bool {
    if a.version != b.version {
        return false;
    }
    match (grants(a, partition), grants(b, partition)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.statements() == b.statements(),
    }
}

/// What the structured form is being assembled into, with the role's account as it
/// stands (an OIDC provider ARN may supply it).
struct Builder {
    trust: TrustSpec,
    account: Option<String>,
    partition: String,
    notes: Vec<String>,
}

/// `role` with `doc` (its custom trust document) turned into the structured `[trust]`
/// keys, proven to mean the same; or why that cannot be done.
pub fn convert_trust_document(
    role: &RoleSpec,
    doc: &PolicyDocument,
) -> Result<Conversion, NotConvertible> {
    let partition = role.partition.clone().unwrap_or_else(|| "aws".into());
    match doc.version.as_deref() {
        Some(POLICY_VERSION) => {}
        Some(v) => {
            return Err(refuse(
                None,
                format!(
                    "the document's Version is {v:?}; the structured form writes {POLICY_VERSION:?}, which reads policy variables differently"
                ),
            ));
        }
        None => {
            return Err(refuse(
                None,
                format!(
                    "the document has no Version; the structured form writes {POLICY_VERSION:?}, which reads policy variables differently"
                ),
            ));
        }
    }
    let mut b = Builder {
        trust: TrustSpec {
            create_oidc_provider: role.trust.create_oidc_provider,
            ..Default::default()
        },
        account: role.account.clone(),
        partition: partition.clone(),
        notes: Vec::new(),
    };
    if let Some(id) = &doc.id {
        b.notes.push(format!(
            "the document's Id {id:?} is dropped (it has no effect)"
        ));
    }
    for (i, s) in doc.statements().iter().enumerate() {
        check_statement_shape(i, s)?;
        if let Some(sid) = &s.sid {
            b.notes.push(format!("statement {i}: Sid {sid:?} dropped"));
        }
        let Some(Principal::Map(map)) = &s.principal else {
            return Err(refuse(Some(i), "no principal"));
        };
        for (kind, value) in map.entries() {
            for action in s.actions() {
                b.grant(i, kind, value, action, s.condition.as_ref())?;
            }
        }
    }
    if b.account != role.account
        && let Some(a) = &b.account
    {
        b.notes.push(format!("account set to {a} (the provider's)"));
    }
    let mut converted = role.clone();
    converted.account = b.account;
    converted.trust = b.trust;
    if let Some(p) = validate(&converted).into_iter().find(|p| {
        let path = p.path.to_string();
        path.starts_with("trust") || path == "account"
    }) {
        return Err(refuse(
            None,
            format!("the structured form would be refused: {}", p.message),
        ));
    }
    // The proof: what the structured form builds means what the document says.
    if !same_meaning(&converted.trust_document(), doc, &partition) {
        return Err(refuse(
            None,
            "the structured form would build a different document (its grants differ)",
        ));
    }
    Ok(Conversion {
        role: converted,
        notes: b.notes,
    })
}

/// The one condition of a grant, when it is exactly one value under one operator and key.
fn single<'c>(
    block: &'c BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    op: &str,
    key: &str,
) -> Option<Result<&'c str, ()>> {
    let values = block.get(op)?.get(key)?;
    Some(match values.len() {
        1 => values.iter().next().map(String::as_str).ok_or(()),
        _ => Err(()),
    })
}

/// The condition entries a grant has beyond `allowed` (operator, key), for the reason.
fn extra_conditions(
    block: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    allowed: &[(&str, &str)],
) -> Vec<String> {
    block
        .iter()
        .flat_map(|(op, keys)| keys.keys().map(move |k| (op.as_str(), k.as_str())))
        .filter(|(op, k)| !allowed.contains(&(*op, *k)))
        .map(|(op, k)| format!("{op} {k}"))
        .collect()
}

/// The operator the builder writes for a `sub` value: a wildcard needs `StringLike`.
fn sub_operator(sub: &str) -> &'static str {
    if sub.contains(['*', '?']) {
        "StringLike"
    } else {
        "StringEquals"
    }
}

/// `arn:PARTITION:iam::ACCOUNT:TYPE/REST` taken apart.
fn iam_arn(arn: &str) -> Option<(&str, &str, &str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let (kind, name) = resource.split_once('/')?;
    Some((partition, account, kind, name))
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

impl Builder {
    fn grant(
        &mut self,
        i: usize,
        kind: &str,
        value: &str,
        action: &str,
        condition: Option<&ConditionBlock>,
    ) -> Result<(), NotConvertible> {
        let at = Some(i);
        let cond = condition_meaning(condition);
        let expect_action = |wanted: &str| {
            if action == wanted {
                Ok(())
            } else {
                Err(refuse(
                    at,
                    format!(
                        "{value} is allowed {action:?}; the structured form allows it only {wanted:?}"
                    ),
                ))
            }
        };
        match kind {
            "Service" => {
                expect_action("sts:AssumeRole")?;
                if !cond.is_empty() {
                    return Err(refuse(
                        at,
                        format!(
                            "the condition on {value} ({}) has no place in the structured form: services take no conditions",
                            extra_conditions(&cond, &[]).join(", ")
                        ),
                    ));
                }
                push_unique(&mut self.trust.services, value.to_string());
                Ok(())
            }
            "AWS" => {
                expect_action("sts:AssumeRole")?;
                self.aws_principal(i, value, &cond)
            }
            "Federated" => self.federated(i, value, action, &cond),
            other => Err(refuse(
                at,
                format!("a {other} principal has no structured form"),
            )),
        }
    }

    fn aws_principal(
        &mut self,
        i: usize,
        value: &str,
        cond: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    ) -> Result<(), NotConvertible> {
        let at = Some(i);
        let root = if is_account_id(value) {
            Some(value)
        } else {
            value
                .strip_prefix(&format!("arn:{}:iam::", self.partition))
                .and_then(|r| r.strip_suffix(":root"))
                .filter(|a| is_account_id(a))
        };
        if let Some(id) = root {
            let allowed = [
                ("StringEquals", "sts:ExternalId"),
                ("Bool", "aws:MultiFactorAuthPresent"),
            ];
            let extra = extra_conditions(cond, &allowed);
            if !extra.is_empty() {
                return Err(refuse(
                    at,
                    format!(
                        "the condition {} on account {id} has no place in the structured form (it holds an External ID and MFA)",
                        extra.join(", ")
                    ),
                ));
            }
            let external_id = match single(cond, "StringEquals", "sts:ExternalId") {
                None => None,
                Some(Ok(x)) => Some(x.to_string()),
                Some(Err(())) => {
                    return Err(refuse(
                        at,
                        format!(
                            "account {id} accepts several External IDs; the structured form holds one"
                        ),
                    ));
                }
            };
            let require_mfa = match single(cond, "Bool", "aws:MultiFactorAuthPresent") {
                None => false,
                Some(Ok("true")) => true,
                Some(_) => {
                    return Err(refuse(
                        at,
                        format!(
                            "account {id}: only aws:MultiFactorAuthPresent = \"true\" has a structured form (require_mfa)"
                        ),
                    ));
                }
            };
            let entry = AccountTrust {
                id: id.to_string(),
                external_id,
                require_mfa,
            };
            push_unique(&mut self.trust.accounts, entry);
            return Ok(());
        }
        let Some((partition, account, kind @ ("role" | "user"), name)) = iam_arn(value) else {
            return Err(refuse(
                at,
                format!(
                    "the AWS principal {value:?} is not an account, an IAM role or an IAM user"
                ),
            ));
        };
        if !cond.is_empty() {
            return Err(refuse(
                at,
                format!(
                    "the condition on {value} ({}) has no place in the structured form: IAM roles and users take no conditions",
                    extra_conditions(cond, &[]).join(", ")
                ),
            ));
        }
        // In the role's own account a name reads better and says the same.
        let entry = if partition == self.partition && self.account.as_deref() == Some(account) {
            name.to_string()
        } else {
            value.to_string()
        };
        let list = if kind == "role" {
            &mut self.trust.roles
        } else {
            &mut self.trust.users
        };
        push_unique(list, entry);
        Ok(())
    }

    /// The account of an identity provider ARN becomes the role's when it has none; one
    /// that differs cannot be said (the builder puts providers in the role's account).
    fn provider_account(
        &mut self,
        i: usize,
        arn: &str,
        account: &str,
    ) -> Result<(), NotConvertible> {
        match &self.account {
            None if is_account_id(account) => {
                self.account = Some(account.to_string());
                Ok(())
            }
            Some(a) if a == account => Ok(()),
            Some(a) => Err(refuse(
                Some(i),
                format!(
                    "the provider {arn} is in account {account}, the role's account is {a}: the structured form names providers in the role's account"
                ),
            )),
            None => Err(refuse(
                Some(i),
                format!("the provider {arn} names no account id"),
            )),
        }
    }

    fn federated(
        &mut self,
        i: usize,
        value: &str,
        action: &str,
        cond: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    ) -> Result<(), NotConvertible> {
        let at = Some(i);
        let Some((partition, account, kind, name)) = iam_arn(value) else {
            return Err(refuse(
                at,
                format!("the federated principal {value:?} is not an IAM identity provider ARN"),
            ));
        };
        match kind {
            "saml-provider" => {
                if action != "sts:AssumeRoleWithSAML" {
                    return Err(refuse(
                        at,
                        format!(
                            "the SAML provider is allowed {action:?}; the structured form allows \"sts:AssumeRoleWithSAML\""
                        ),
                    ));
                }
                let extra = extra_conditions(cond, &[("StringEquals", "SAML:aud")]);
                let aud = single(cond, "StringEquals", "SAML:aud");
                if !extra.is_empty() || aud != Some(Ok(SAML_AUDIENCE)) {
                    return Err(refuse(
                        at,
                        format!(
                            "the structured SAML entry pins exactly StringEquals SAML:aud = {SAML_AUDIENCE:?}; this statement's condition differs"
                        ),
                    ));
                }
                push_unique(&mut self.trust.saml, value.to_string());
                Ok(())
            }
            "oidc-provider" => {
                if action != "sts:AssumeRoleWithWebIdentity" {
                    return Err(refuse(
                        at,
                        format!(
                            "the OIDC provider is allowed {action:?}; the structured form allows \"sts:AssumeRoleWithWebIdentity\""
                        ),
                    ));
                }
                if partition != self.partition {
                    return Err(refuse(
                        at,
                        format!(
                            "the provider is in partition {partition}, the role's is {}",
                            self.partition
                        ),
                    ));
                }
                self.provider_account(i, value, account)?;
                let host = oidc_host(name);
                if host != name {
                    return Err(refuse(
                        at,
                        format!("the provider name {name:?} is not a bare host/path"),
                    ));
                }
                let aud_key = format!("{host}:aud");
                let sub_key = format!("{host}:sub");
                let sub = match (
                    single(cond, "StringEquals", &sub_key),
                    single(cond, "StringLike", &sub_key),
                ) {
                    (None, None) => None,
                    (Some(Ok(s)), None) if sub_operator(s) == "StringEquals" => Some(s),
                    (None, Some(Ok(s))) if sub_operator(s) == "StringLike" => Some(s),
                    _ => {
                        return Err(refuse(
                            at,
                            format!(
                                "the {sub_key} condition is not one value under the operator its wildcards call for (StringLike with * or ?, StringEquals without)"
                            ),
                        ));
                    }
                };
                let allowed = [
                    ("StringEquals", aud_key.as_str()),
                    (sub.map_or("StringEquals", sub_operator), sub_key.as_str()),
                ];
                let extra = extra_conditions(cond, &allowed);
                if !extra.is_empty() {
                    return Err(refuse(
                        at,
                        format!(
                            "the condition {} has no place in the structured form (it holds {aud_key} and {sub_key})",
                            extra.join(", ")
                        ),
                    ));
                }
                let aud = match single(cond, "StringEquals", &aud_key) {
                    None => None,
                    Some(Ok(a)) => Some(a),
                    Some(Err(())) => {
                        return Err(refuse(
                            at,
                            format!(
                                "{aud_key} lists several audiences; the structured form holds one"
                            ),
                        ));
                    }
                };
                if host == GITHUB_OIDC_HOST {
                    return self.github(i, aud, sub);
                }
                self.trust.oidc.push(OidcTrust {
                    provider: host,
                    sub: sub.map(str::to_string),
                    aud: aud.map(str::to_string),
                });
                Ok(())
            }
            other => Err(refuse(
                at,
                format!("a federated {other} principal has no structured form"),
            )),
        }
    }

    fn github(
        &mut self,
        i: usize,
        aud: Option<&str>,
        sub: Option<&str>,
    ) -> Result<(), NotConvertible> {
        let at = Some(i);
        if aud != Some("sts.amazonaws.com") {
            return Err(refuse(
                at,
                format!(
                    "the structured GitHub entry pins {GITHUB_OIDC_HOST}:aud to \"sts.amazonaws.com\"; this statement {}",
                    aud.map_or("has no aud condition".to_string(), |a| format!("has {a:?}"))
                ),
            ));
        }
        let Some(sub) = sub else {
            return Err(refuse(
                at,
                "no sub condition: the structured GitHub entry always names a repository (without one, any repository on GitHub may assume the role)",
            ));
        };
        let shape = sub
            .strip_prefix("repo:")
            .and_then(|rest| rest.split_once(':'));
        let trust = match shape {
            Some((repo, "*")) => GithubTrust {
                repo: repo.to_string(),
                git_ref: Some("*".into()),
                environment: None,
            },
            Some((repo, rest)) => match rest.split_once(':') {
                Some(("ref", r)) if r.starts_with("refs/") => GithubTrust {
                    repo: repo.to_string(),
                    git_ref: Some(r.to_string()),
                    environment: None,
                },
                Some(("environment", e)) => GithubTrust {
                    repo: repo.to_string(),
                    git_ref: None,
                    environment: Some(e.to_string()),
                },
                _ => return Err(github_sub_refused(i, sub)),
            },
            None => return Err(github_sub_refused(i, sub)),
        };
        push_unique(&mut self.trust.github, trust);
        Ok(())
    }
}

fn github_sub_refused(i: usize, sub: &str) -> NotConvertible {
    refuse(
        Some(i),
        format!(
            "the GitHub sub {sub:?} is not repo:OWNER/REPO:ref:REF, repo:OWNER/REPO:environment:NAME or repo:OWNER/REPO:*"
        ),
    )
}

/// A short account of a structured trust, for a status line: "1 service, 2 accounts".
pub fn describe(trust: &TrustSpec) -> String {
    let parts = [
        (trust.services.len(), "service", "services"),
        (trust.accounts.len(), "account", "accounts"),
        (trust.roles.len(), "IAM role", "IAM roles"),
        (trust.users.len(), "IAM user", "IAM users"),
        (
            trust.github.len(),
            "GitHub repository",
            "GitHub repositories",
        ),
        (trust.oidc.len(), "OIDC provider", "OIDC providers"),
        (trust.saml.len(), "SAML provider", "SAML providers"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if text.is_empty() {
        "nobody".into()
    } else {
        text.join(", ")
    }
}

#[cfg(test)]
#[path = "trust_convert_tests.rs"]
mod tests;
