//! What a role needs around it to be deployed the way teams deploy roles: a permissions
//! boundary, tags, customer managed policies it creates, IAM roles and users as principals,
//! an instance profile for EC2, and the OIDC providers its trust names.
//!
//! The role file keys are resolved here (names to ARNs, defaults) and IAM's rules for them
//! are checked here; `build.rs` puts the results into [`super::RoleDocuments`] and
//! `validate.rs` reports the problems with their position in the file.

use serde::Serialize;

use crate::policy::arn::{Arn, is_account_id};
use crate::policy::{Effect, PolicyDocument, Principal};

use super::build::GITHUB_OIDC_HOST;
use super::managed::resolve_managed_policy;
use super::spec::{InlinePolicySpec, RoleSpec};
use super::validate::{FieldPath, PathSeg, RoleProblem, is_valid_description, is_valid_path};

/// IAM's limit of tags on one role.
pub const MAX_TAGS: usize = 50;
/// IAM's limits on a tag key and value, in characters.
pub const MAX_TAG_KEY: usize = 128;
pub const MAX_TAG_VALUE: usize = 256;
/// The audience GitHub's OIDC tokens carry for AWS, and so the provider's client ID.
pub const GITHUB_OIDC_AUDIENCE: &str = "sts.amazonaws.com";

/// One tag of the role, as IAM and CloudFormation spell it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

/// A customer managed policy the role's file creates from one of its `[[policy]]` entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedPolicy {
    /// `arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME`.
    pub arn: String,
    pub path: Option<String>,
    pub description: Option<String>,
    /// Attached to the role (`create = true`); false for a policy that is only the role's
    /// permissions boundary (a boundary grants nothing by itself).
    pub attach: bool,
}

/// The instance profile EC2 needs to use the role: same name and path as the role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceProfile {
    pub name: String,
    pub path: Option<String>,
}

/// An OIDC identity provider the role's trust names and the file asks to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProvider {
    /// `https://HOST/PATH`, as IAM takes it.
    pub url: String,
    /// `arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST/PATH`, as trust policies name it.
    pub arn: String,
    /// Audiences (client IDs) the trust accepts, in file order without repeats.
    pub client_ids: Vec<String>,
}

/// Which part of a tag a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagPart {
    /// The whole set (too many tags).
    All,
    Key,
    Value,
}

/// A tag that breaks one of IAM's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagProblem {
    /// Position of the tag in the list (0 for [`TagPart::All`]).
    pub index: usize,
    pub key: String,
    pub part: TagPart,
    pub message: String,
}

/// Characters IAM allows in tag keys and values: Unicode letters, digits and space
/// separators, and `_ . : / = + - @` (the pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]`).
pub fn is_tag_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || is_space_separator(c) || "_.:/=+-@".contains(c)
}

/// Unicode's space separators (`\p{Z}`: Zs, Zl, Zp); tab and newline are not among them.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Every way `tags` break IAM's tag rules: at most 50; keys of 1-128 and values of up to
/// 256 allowed characters; no `aws:` prefix on keys (AWS reserves it, in any case); keys
/// unique ignoring case (IAM treats `Team` and `team` as one key).
pub fn tag_problems<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<TagProblem> {
    let tags: Vec<(&str, &str)> = tags.into_iter().collect();
    let mut out = Vec::new();
    if tags.len() > MAX_TAGS {
        out.push(TagProblem {
            index: 0,
            key: String::new(),
            part: TagPart::All,
            message: format!(
                "{} tags: IAM allows at most {MAX_TAGS} on a role",
                tags.len()
            ),
        });
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        let problem = |part, message| TagProblem {
            index: i,
            key: key.to_string(),
            part,
            message,
        };
        let key_len = key.chars().count();
        if !(1..=MAX_TAG_KEY).contains(&key_len) {
            out.push(problem(
                TagPart::Key,
                format!("tag key {key:?} is {key_len} characters: IAM allows 1 to {MAX_TAG_KEY}"),
            ));
        } else if let Some(c) = key.chars().find(|c| !is_tag_char(*c)) {
            out.push(problem(
                TagPart::Key,
                format!("tag key {key:?} holds {c:?}: tag keys and values may hold letters, digits, spaces and _ . : / = + - @"),
            ));
        } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            out.push(problem(
                TagPart::Key,
                format!(
                    "tag key {key:?} starts with \"aws:\", which AWS reserves for its own tags"
                ),
            ));
        } else if let Some((earlier, _)) = tags[..i]
            .iter()
            .find(|(k, _)| k.to_lowercase() == key.to_lowercase())
        {
            out.push(problem(
                TagPart::Key,
                format!("tag keys {earlier:?} and {key:?} differ only in case: IAM treats them as one key"),
            ));
        }
        let value_len = value.chars().count();
        if value_len > MAX_TAG_VALUE {
            out.push(problem(
                TagPart::Value,
                format!("the value of tag {key:?} is {value_len} characters: IAM allows at most {MAX_TAG_VALUE}"),
            ));
        } else if let Some(c) = value.chars().find(|c| !is_tag_char(*c)) {
            out.push(problem(
                TagPart::Value,
                format!("the value of tag {key:?} holds {c:?}: tag keys and values may hold letters, digits, spaces and _ . : / = + - @"),
            ));
        }
    }
    out
}

/// The two kinds of IAM identity a trust may name besides accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    Role,
    User,
}

impl IdentityKind {
    /// The resource type in the ARN (`role`, `user`), also the role file key's singular.
    pub fn resource_type(self) -> &'static str {
        match self {
            IdentityKind::Role => "role",
            IdentityKind::User => "user",
        }
    }

    fn key(self) -> &'static str {
        match self {
            IdentityKind::Role => "roles",
            IdentityKind::User => "users",
        }
    }
}

/// IAM's name characters for roles, users and policies.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// `NAME` or `PATH/NAME` of a role or user: segments of IAM name characters, the name at
/// most 64 of them.
fn is_identity_name(entry: &str) -> bool {
    let name = entry.rsplit('/').next().unwrap_or(entry);
    entry.len() <= 512
        && (1..=64).contains(&name.len())
        && entry
            .split('/')
            .all(|s| !s.is_empty() && s.chars().all(is_name_char))
}

/// What is wrong with one `roles`/`users` entry, if anything.
fn identity_problem(kind: IdentityKind, entry: &str, account: Option<&str>) -> Option<String> {
    let what = kind.resource_type();
    if entry.starts_with("arn:") {
        let ok = Arn::parse_strict(entry).is_ok_and(|a| {
            a.service == "iam"
                && is_account_id(&a.account)
                && a.resource
                    .strip_prefix(what)
                    .and_then(|r| r.strip_prefix('/'))
                    .is_some_and(is_identity_name)
        });
        return (!ok).then(|| {
            format!("{entry:?} is not an IAM {what} ARN (arn:aws:iam::ACCOUNT:{what}/NAME, no wildcards)")
        });
    }
    if !is_identity_name(entry) {
        return Some(format!(
            "{entry:?} is not an IAM {what} name: use 1-64 characters of letters, digits and +=,.@_- (a path may go first: \"team/{what}-name\"), or a full ARN"
        ));
    }
    if account.is_none() {
        return Some(format!(
            "the {what} {entry:?} is given by name, which needs the role's `account`: set it at the top of the file or give the ARN"
        ));
    }
    None
}

impl RoleSpec {
    fn account_or_placeholder(&self) -> &str {
        self.account.as_deref().unwrap_or("${Account}")
    }

    fn partition_name(&self) -> &str {
        self.partition.as_deref().unwrap_or("aws")
    }

    /// The ARN of a `roles`/`users` entry: as written when it is one, else in the role's
    /// account.
    pub fn identity_arn(&self, kind: IdentityKind, entry: &str) -> String {
        if entry.starts_with("arn:") {
            entry.to_string()
        } else {
            format!(
                "arn:{}:iam::{}:{}/{entry}",
                self.partition_name(),
                self.account_or_placeholder(),
                kind.resource_type()
            )
        }
    }

    /// The `[[policy]]` the permissions boundary names, if it names one of this file.
    pub fn boundary_policy_index(&self) -> Option<usize> {
        let name = self.permissions_boundary.as_deref()?;
        self.policies.iter().position(|p| p.name == name)
    }

    /// True when policy `i` becomes a customer managed policy: `create = true`, or it is the
    /// permissions boundary.
    pub fn is_created_policy(&self, i: usize) -> bool {
        self.policies.get(i).is_some_and(|p| p.create) || self.boundary_policy_index() == Some(i)
    }

    /// The ARN a policy of this file has once it is created as a managed policy.
    pub fn created_policy_arn(&self, p: &InlinePolicySpec) -> String {
        format!(
            "arn:{}:iam::{}:policy{}{}",
            self.partition_name(),
            self.account_or_placeholder(),
            p.path.as_deref().unwrap_or("/"),
            p.name
        )
    }

    /// What becomes of policy `i` when it is created as a managed policy; `None` when it
    /// stays inline.
    pub fn created_policy(&self, i: usize) -> Option<CreatedPolicy> {
        let p = self.policies.get(i)?;
        self.is_created_policy(i).then(|| CreatedPolicy {
            arn: self.created_policy_arn(p),
            path: p.path.clone(),
            description: p.description.clone().filter(|d| !d.is_empty()),
            attach: p.create,
        })
    }

    /// The permissions boundary's ARN: a policy of this file, a catalog name, or an ARN with
    /// its placeholders filled. `None` when unset or unknown (validation reports it).
    pub fn permissions_boundary_arn(&self) -> Option<String> {
        let boundary = self.permissions_boundary.as_deref()?;
        if let Some(i) = self.boundary_policy_index() {
            return Some(self.created_policy_arn(&self.policies[i]));
        }
        resolve_managed_policy(&self.fill_placeholders(boundary), self.partition.as_deref())
    }

    /// The role's tags in file order.
    pub fn tag_list(&self) -> Vec<Tag> {
        self.tags
            .iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect()
    }

    /// The instance profile to create: asked for with `instance_profile = true`, or by
    /// default when EC2 may assume the role.
    pub fn instance_profile_spec(&self, trust: &PolicyDocument) -> Option<InstanceProfile> {
        self.instance_profile
            .unwrap_or_else(|| trusts_ec2(trust))
            .then(|| InstanceProfile {
                name: self.name.clone(),
                path: self.path.clone(),
            })
    }

    /// The OIDC providers to create (`create_oidc_provider = true`), one per provider the
    /// `github` and `oidc` trust name, with every audience the trust accepts.
    pub fn oidc_providers(&self) -> Vec<OidcProvider> {
        if !self.trust.create_oidc_provider {
            return Vec::new();
        }
        let mut out: Vec<OidcProvider> = Vec::new();
        let mut add = |host: &str, audience: Option<&str>| {
            let arn = format!(
                "arn:{}:iam::{}:oidc-provider/{host}",
                self.partition_name(),
                self.account_or_placeholder()
            );
            let provider = match out.iter_mut().position(|p| p.arn == arn) {
                Some(i) => &mut out[i],
                None => {
                    out.push(OidcProvider {
                        url: format!("https://{host}"),
                        arn,
                        client_ids: Vec::new(),
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            if let Some(aud) = audience
                && !provider.client_ids.iter().any(|c| c == aud)
            {
                provider.client_ids.push(aud.to_string());
            }
        };
        if !self.trust.github.is_empty() {
            add(GITHUB_OIDC_HOST, Some(GITHUB_OIDC_AUDIENCE));
        }
        for o in &self.trust.oidc {
            add(&oidc_host(&o.provider), o.aud.as_deref());
        }
        out
    }
}

/// An OIDC provider's host and path as trust policies name it (no scheme, no trailing `/`).
pub fn oidc_host(provider: &str) -> String {
    provider
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_string()
}

/// Does the trust let EC2 assume the role?
fn trusts_ec2(trust: &PolicyDocument) -> bool {
    trust.statements().iter().any(|s| {
        s.effect == Effect::Allow
            && matches!(&s.principal, Some(Principal::Map(m))
                if m.service.iter().flatten().any(|p| p == "ec2.amazonaws.com" || p == "ec2.amazonaws.com.cn"))
    })
}

/// The problems of the deployment keys, each at its field.
pub(super) fn validate_deployment(spec: &RoleSpec, out: &mut Vec<RoleProblem>) {
    let mut problem = |path: FieldPath, message: String| out.push(RoleProblem { path, message });
    let account = spec.account.as_deref();

    if let Some(b) = &spec.permissions_boundary {
        let path = FieldPath::key("permissions_boundary");
        if spec.boundary_policy_index().is_some() {
            if account.is_none() {
                problem(
                    path,
                    format!(
                        "the permissions boundary {b:?} is a policy of this file, created as a managed policy, whose ARN needs the role's `account`: set it at the top of the file"
                    ),
                );
            }
        } else if b.contains("${Account}") && account.is_none() {
            problem(
                path,
                format!("{b:?} uses ${{Account}} but the role file sets no `account`"),
            );
        } else if spec.permissions_boundary_arn().is_none() {
            problem(
                path,
                format!(
                    "unknown permissions boundary {b:?}: give a managed policy ARN, an AWS managed policy name (see `rolesmith catalog managed`) or the name of a [[policy]] of this file"
                ),
            );
        }
    }

    let tags: Vec<(&str, &str)> = spec
        .tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for p in tag_problems(tags) {
        let path = match p.part {
            TagPart::All => FieldPath::key("tags"),
            TagPart::Key | TagPart::Value => {
                FieldPath(vec![PathSeg::Key("tags"), PathSeg::Name(p.key.clone())])
            }
        };
        problem(path, p.message);
    }

    let trust = FieldPath::key("trust");
    for kind in [IdentityKind::Role, IdentityKind::User] {
        let entries = match kind {
            IdentityKind::Role => &spec.trust.roles,
            IdentityKind::User => &spec.trust.users,
        };
        for (i, entry) in entries.iter().enumerate() {
            if let Some(message) = identity_problem(kind, entry, account) {
                problem(trust.then(kind.key()).at(i), message);
            }
        }
    }
    if spec.trust.create_oidc_provider {
        if spec.trust.github.is_empty() && spec.trust.oidc.is_empty() {
            problem(
                trust.then("create_oidc_provider"),
                "create_oidc_provider needs `github` or `oidc` trust: it creates the providers they name".into(),
            );
        }
        for (i, o) in spec.trust.oidc.iter().enumerate() {
            if o.aud.is_none() {
                problem(
                    trust.then("oidc").at(i),
                    "creating the OIDC provider needs the audience its tokens carry (the provider's client ID): set `aud`".into(),
                );
            }
        }
    }

    for (i, p) in spec.policies.iter().enumerate() {
        let pp = FieldPath::key("policy").at(i);
        let created = spec.is_created_policy(i);
        if p.create && account.is_none() {
            problem(
                pp.then("create"),
                format!(
                    "policy {:?} is created as a managed policy, whose ARN needs the role's `account`: set it at the top of the file",
                    p.name
                ),
            );
        }
        if let Some(path) = &p.path {
            if !created {
                problem(pp.then("path"), "`path` applies to a policy created as a managed policy: add `create = true` or remove it".into());
            } else if !is_valid_path(path) {
                problem(
                    pp.then("path"),
                    format!(
                        "invalid path {path:?}: it must start and end with '/', e.g. \"/platform/\""
                    ),
                );
            }
        }
        if let Some(d) = &p.description {
            if !created {
                problem(pp.then("description"), "`description` applies to a policy created as a managed policy: add `create = true` or remove it".into());
            } else if !is_valid_description(d) {
                problem(
                    pp.then("description"),
                    "the description must be at most 1,000 characters of printable Latin-1 text"
                        .into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::parse_role_text;

    fn messages(tags: &[(&str, &str)]) -> Vec<String> {
        tag_problems(tags.iter().copied())
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn tags_follow_iams_rules() {
        assert!(
            messages(&[("team", "orders"), ("cost-center", "cc-4711"), ("Name", "")]).is_empty()
        );
        assert!(messages(&[("Kostenstelle", "Zürich 1"), ("a.b:c/d=e+f-g@h_i", "x")]).is_empty());
        assert!(messages(&[("", "x")])[0].contains("1 to 128"));
        assert!(messages(&[(&"k".repeat(129), "x")])[0].contains("129 characters"));
        assert!(messages(&[("k", &"v".repeat(257))])[0].contains("at most 256"));
        assert!(messages(&[("team!", "x")])[0].contains("'!'"));
        assert!(messages(&[("team", "a\tb")])[0].contains("'\\t'"));
        assert!(messages(&[("AWS:cloudformation", "x")])[0].contains("reserves"));
        assert!(messages(&[("Team", "a"), ("team", "b")])[0].contains("differ only in case"));
        let many: Vec<(String, String)> =
            (0..51).map(|i| (format!("k{i}"), String::new())).collect();
        let p = tag_problems(many.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].part, TagPart::All);
    }

    #[test]
    fn identities_by_name_or_arn() {
        let role = |a: Option<&str>, e: &str| identity_problem(IdentityKind::Role, e, a);
        assert_eq!(role(Some("123456789012"), "deployer"), None);
        assert_eq!(role(Some("123456789012"), "team/deployer"), None);
        assert_eq!(
            role(None, "arn:aws:iam::111122223333:role/ci/deployer"),
            None
        );
        assert!(role(None, "deployer").unwrap().contains("`account`"));
        assert!(role(None, "arn:aws:iam::111122223333:user/alice").is_some());
        assert!(role(None, "arn:aws:iam::111122223333:role/*").is_some());
        assert!(role(Some("123456789012"), "has space").is_some());
        let spec = RoleSpec {
            account: Some("123456789012".into()),
            ..Default::default()
        };
        assert_eq!(
            spec.identity_arn(IdentityKind::User, "alice"),
            "arn:aws:iam::123456789012:user/alice"
        );
    }

    #[test]
    fn boundary_resolves_a_file_policy_a_catalog_name_or_an_arn() {
        let base = "name = \"r\"\naccount = \"123456789012\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n[[policy]]\nname = \"cap\"\npath = \"/boundaries/\"\n[[policy.statement]]\nactions = [\"s3:*\"]\nresources = [\"*\"]\n";
        let with = |b: &str| {
            let base = if b == "cap" {
                base.to_string()
            } else {
                base.replace("path = \"/boundaries/\"\n", "")
            };
            parse_role_text("r.toml", &format!("permissions_boundary = {b:?}\n{base}"))
        };
        let file = with("cap").unwrap();
        assert_eq!(
            file.permissions_boundary_arn().as_deref(),
            Some("arn:aws:iam::123456789012:policy/boundaries/cap")
        );
        assert_eq!(file.created_policy(0).map(|c| c.attach), Some(false));
        assert_eq!(
            with("PowerUserAccess")
                .unwrap()
                .permissions_boundary_arn()
                .as_deref(),
            Some("arn:aws:iam::aws:policy/PowerUserAccess")
        );
        assert_eq!(
            with("arn:aws:iam::${Account}:policy/Cap")
                .unwrap()
                .permissions_boundary_arn()
                .as_deref(),
            Some("arn:aws:iam::123456789012:policy/Cap")
        );
        let e = with("NoSuchPolicy").unwrap_err().to_string();
        assert!(
            e.contains("r.toml:1:1") && e.contains("unknown permissions boundary"),
            "{e}"
        );
    }

    #[test]
    fn oidc_providers_are_merged_by_provider() {
        let text = "name = \"r\"\naccount = \"123456789012\"\n[trust]\ncreate_oidc_provider = true\ngithub = [{ repo = \"o/a\", ref = \"main\" }, { repo = \"o/b\", ref = \"main\" }]\noidc = [{ provider = \"https://gitlab.example.com/\", sub = \"project_path:g/p:ref_type:branch:ref:main\", aud = \"https://gitlab.example.com\" }]\n";
        let spec = parse_role_text("r.toml", text).unwrap();
        let providers = spec.oidc_providers();
        assert_eq!(providers.len(), 2);
        assert_eq!(
            providers[0].url,
            "https://token.actions.githubusercontent.com"
        );
        assert_eq!(providers[0].client_ids, ["sts.amazonaws.com"]);
        assert_eq!(
            providers[1].arn,
            "arn:aws:iam::123456789012:oidc-provider/gitlab.example.com"
        );
        let no_aud = text.replace(", aud = \"https://gitlab.example.com\"", "");
        let e = parse_role_text("r.toml", &no_aud).unwrap_err().to_string();
        assert!(e.contains("set `aud`"), "{e}");
    }
}
