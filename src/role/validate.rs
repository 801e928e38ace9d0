//! Checks of a role spec that its types cannot express, each tied to the field at fault.

use std::fmt;

use crate::policy::arn::{Arn, PARTITIONS, is_account_id, is_region};

use super::managed::resolve_managed_policy;
use super::spec::{RoleSpec, TrustDocument};

/// One step into a role file: a key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Key(&'static str),
    Index(usize),
    /// A key the author chose, such as a tag key under `tags`.
    Name(String),
}

/// Where in a role file a value sits, in the file's own key names (`policy[0].statement[1].resources[0]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<PathSeg>);

impl FieldPath {
    pub(crate) fn key(k: &'static str) -> Self {
        FieldPath(vec![PathSeg::Key(k)])
    }

    pub(crate) fn then(&self, k: &'static str) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Key(k));
        p
    }

    pub(crate) fn at(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i == 0 => write!(f, "{k}")?,
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Name(k) => write!(f, ".{k:?}")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem with one field of a role spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleProblem {
    pub path: FieldPath,
    pub message: String,
}

/// IAM's role name rule: 1-64 characters of `[A-Za-z0-9+=,.@_-]`.
pub fn is_valid_role_name(name: &str) -> bool {
    (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// IAM's inline policy name rule: 1-128 characters of `[A-Za-z0-9+=,.@_-]`.
pub fn is_valid_policy_name(name: &str) -> bool {
    (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// IAM's role path rule: `/` or `/segments/`, 1-512 printable ASCII characters.
pub fn is_valid_path(path: &str) -> bool {
    path.len() <= 512
        && path.starts_with('/')
        && path.ends_with('/')
        && path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c))
        && !path.contains("//")
}

/// IAM's description rule: at most 1,000 characters of tab, newlines and Latin-1 printables.
pub fn is_valid_description(d: &str) -> bool {
    d.chars().count() <= 1000
        && d.chars().all(|c| {
            matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{7e}').contains(&c)
                || ('\u{a1}'..='\u{ff}').contains(&c)
        })
}

fn is_valid_external_id(id: &str) -> bool {
    (2..=1224).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
}

fn is_service_principal(p: &str) -> bool {
    p.contains('.')
        && !p.starts_with('.')
        && !p.ends_with('.')
        && p.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

fn is_github_repo(r: &str) -> bool {
    let mut parts = r.split('/');
    let ok = |s: Option<&str>| {
        s.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Every problem in `spec`, in file order. An empty list means it can be rendered.
pub fn validate(spec: &RoleSpec) -> Vec<RoleProblem> {
    let mut out = Vec::new();
    let mut problem = |path: FieldPath, message: String| out.push(RoleProblem { path, message });

    if !is_valid_role_name(&spec.name) {
        problem(
            FieldPath::key("name"),
            format!(
                "invalid role name {:?}: use 1-64 characters of letters, digits and +=,.@_-",
                spec.name
            ),
        );
    }
    if let Some(d) = &spec.description
        && !is_valid_description(d)
    {
        problem(
            FieldPath::key("description"),
            "the description must be at most 1,000 characters of printable Latin-1 text".into(),
        );
    }
    if let Some(p) = &spec.path
        && !is_valid_path(p)
    {
        problem(
            FieldPath::key("path"),
            format!("invalid path {p:?}: it must start and end with '/', e.g. \"/service-role/\""),
        );
    }
    if let Some(d) = spec.max_session_duration
        && !(3600..=43200).contains(&d)
    {
        problem(
            FieldPath::key("max_session_duration"),
            format!("max_session_duration {d} is out of range: use 3600 to 43200 seconds"),
        );
    }
    if let Some(a) = &spec.account
        && !is_account_id(a)
    {
        problem(
            FieldPath::key("account"),
            format!("invalid account id {a:?}: an account id is 12 digits"),
        );
    }
    if let Some(r) = &spec.region
        && !is_region(r)
    {
        problem(
            FieldPath::key("region"),
            format!("invalid region {r:?}: expected a region such as \"eu-west-1\""),
        );
    }
    if let Some(p) = &spec.partition
        && !PARTITIONS.contains(&p.as_str())
    {
        problem(
            FieldPath::key("partition"),
            format!(
                "unknown partition {p:?}: expected one of {}",
                PARTITIONS.join(", ")
            ),
        );
    }

    let trust = &spec.trust;
    let tp = FieldPath::key("trust");
    for (i, s) in trust.services.iter().enumerate() {
        if !is_service_principal(s) {
            problem(
                tp.then("services").at(i),
                format!(
                    "{s:?} is not a service principal (expected e.g. \"lambda.amazonaws.com\")"
                ),
            );
        }
    }
    for (i, a) in trust.accounts.iter().enumerate() {
        let ap = tp.then("accounts").at(i);
        if !is_account_id(&a.id) {
            problem(
                ap.then("id"),
                format!("invalid account id {:?}: an account id is 12 digits", a.id),
            );
        }
        if let Some(x) = &a.external_id
            && !is_valid_external_id(x)
        {
            problem(
                ap.then("external_id"),
                "external_id must be 2-1,224 characters of letters, digits and _+=,.@:/-".into(),
            );
        }
    }
    for (i, g) in trust.github.iter().enumerate() {
        let gp = tp.then("github").at(i);
        if !is_github_repo(&g.repo) {
            problem(
                gp.then("repo"),
                format!(
                    "{:?} is not a GitHub repository: expected \"owner/name\"",
                    g.repo
                ),
            );
        }
        match (&g.git_ref, &g.environment) {
            (None, None) => problem(
                gp.clone(),
                "GitHub trust needs `ref` (e.g. \"refs/heads/main\") or `environment`".into(),
            ),
            (Some(_), Some(_)) => problem(
                gp.then("environment"),
                "give either `ref` or `environment`, not both (GitHub's token names only one)"
                    .into(),
            ),
            _ => {}
        }
        if spec.account.is_none() {
            problem(
                gp,
                "GitHub trust needs the account that holds the OIDC provider: set `account` at the top of the file".into(),
            );
        }
    }
    for (i, o) in trust.oidc.iter().enumerate() {
        let op = tp.then("oidc").at(i);
        if o.provider.trim().is_empty() || o.provider.contains(char::is_whitespace) {
            problem(
                op.then("provider"),
                "the OIDC provider must be its host and path, e.g. \"oidc.eks.eu-west-1.amazonaws.com/id/ABC\"".into(),
            );
        }
        if spec.account.is_none() {
            problem(
                op,
                "OIDC trust needs the account that holds the provider: set `account` at the top of the file".into(),
            );
        }
    }
    for (i, s) in trust.saml.iter().enumerate() {
        let ok = Arn::parse_strict(s)
            .is_ok_and(|a| a.service == "iam" && a.resource.starts_with("saml-provider/"));
        if !ok {
            problem(
                tp.then("saml").at(i),
                format!(
                    "{s:?} is not a SAML provider ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME)"
                ),
            );
        }
    }
    if trust.document.is_some()
        && (!trust.services.is_empty()
            || !trust.accounts.is_empty()
            || !trust.roles.is_empty()
            || !trust.users.is_empty()
            || !trust.github.is_empty()
            || !trust.oidc.is_empty()
            || !trust.saml.is_empty())
    {
        problem(
            tp.then("document"),
            "a trust `document` replaces services/accounts/roles/users/github/oidc/saml: keep one or the other"
                .into(),
        );
    }
    if let Some(TrustDocument::Path(p)) = &trust.document
        && p.trim().is_empty()
    {
        problem(
            tp.then("document"),
            "the trust document path is empty".into(),
        );
    }

    for (i, m) in spec.managed_policies.iter().enumerate() {
        if m.contains("${Account}") && spec.account.is_none() {
            problem(
                FieldPath::key("managed_policies").at(i),
                format!("{m:?} uses ${{Account}} but the role file sets no `account`"),
            );
        } else if resolve_managed_policy(&spec.fill_placeholders(m), spec.partition.as_deref())
            .is_none()
        {
            problem(
                FieldPath::key("managed_policies").at(i),
                format!(
                    "unknown managed policy {m:?}: give an AWS managed policy name (see `rolesmith catalog managed`) or a full policy ARN"
                ),
            );
        }
    }

    for (i, p) in spec.policies.iter().enumerate() {
        let pp = FieldPath::key("policy").at(i);
        if !is_valid_policy_name(&p.name) {
            problem(
                pp.then("name"),
                format!(
                    "invalid policy name {:?}: use 1-128 characters of letters, digits and +=,.@_-",
                    p.name
                ),
            );
        }
        if spec.policies[..i].iter().any(|q| q.name == p.name) {
            problem(
                pp.then("name"),
                format!(
                    "two inline policies are named {:?}; names must differ",
                    p.name
                ),
            );
        }
        for (j, s) in p.statements.iter().enumerate() {
            let sp = pp.then("statement").at(j);
            if s.actions.is_empty() == s.not_actions.is_empty() {
                problem(
                    sp.clone(),
                    "a statement needs `actions` or `not_actions` (one of them)".into(),
                );
            }
            if s.resources.is_empty() == s.not_resources.is_empty() {
                problem(
                    sp.clone(),
                    "a statement needs `resources` or `not_resources` (one of them)".into(),
                );
            }
            for (k, r) in s.resources.iter().chain(&s.not_resources).enumerate() {
                let key = if k < s.resources.len() {
                    "resources"
                } else {
                    "not_resources"
                };
                let idx = if k < s.resources.len() {
                    k
                } else {
                    k - s.resources.len()
                };
                for (placeholder, default) in
                    [("${Account}", &spec.account), ("${Region}", &spec.region)]
                {
                    if r.contains(placeholder) && default.is_none() {
                        let field = if placeholder == "${Account}" {
                            "account"
                        } else {
                            "region"
                        };
                        problem(
                            sp.then(key).at(idx),
                            format!("{r:?} uses {placeholder} but the role file sets no `{field}`"),
                        );
                    }
                }
            }
        }
    }
    super::expect::validate_expectations(spec, &mut out);
    super::deployment::validate_deployment(spec, &mut out);
    if spec.trust.is_empty() {
        out.push(RoleProblem {
            path: FieldPath::key("trust"),
            message: "the role trusts nobody: add [trust] services, accounts, roles, users, github, oidc, saml or document".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert!(is_valid_role_name("string-reverser"));
        assert!(is_valid_role_name("a+b=c,d.e@f_g-h"));
        assert!(!is_valid_role_name(""));
        assert!(!is_valid_role_name("has space"));
        assert!(!is_valid_role_name(&"x".repeat(65)));
        assert!(is_valid_path("/"));
        assert!(is_valid_path("/service-role/"));
        assert!(!is_valid_path("service-role/"));
        assert!(!is_valid_path("/a//b/"));
        assert!(is_valid_description(
            "Reverses strings — and saves them"
                .replace('—', "-")
                .as_str()
        ));
        assert!(!is_valid_description("emoji 🚀"));
    }

    #[test]
    fn field_paths_print_like_the_file() {
        let p = FieldPath::key("policy")
            .at(0)
            .then("statement")
            .at(1)
            .then("resources")
            .at(2);
        assert_eq!(p.to_string(), "policy[0].statement[1].resources[2]");
    }
}
