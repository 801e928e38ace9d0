//! The role file model (guide §4) and loading it from TOML or JSON with positioned errors.

use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, line_col};
use crate::policy::document::ConditionBlock;
use crate::policy::source::parse_policy;
use crate::policy::{Effect, OneOrMany, PolicyDocument, Statement};

use super::expect::ExpectSpec;
use super::locate::locate;
use super::validate::validate;

/// A role as its file describes it. Field order is the order a saved file lists them in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Role name: 1-64 characters of `[A-Za-z0-9+=,.@_-]`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path, `/` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Seconds, 3600..=43200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u32>,
    /// Default account for `${Account}` in ARNs and for OIDC provider ARNs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Default region for `${Region}` in ARNs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Partition, `aws` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Who the role is for (`lambda.amazonaws.com`): each must be able to assume it, or
    /// `lint`/`render` report `trust-principal-missing`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumed_by: Vec<String>,
    /// The managed policy that caps what the role may do, whatever its policies grant: an
    /// AWS managed policy name, a policy ARN (`${Account}` allowed), or the name of a
    /// `[[policy]]` of this file (created as a managed policy and used only as the boundary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Create an instance profile of the same name holding the role, so EC2 can use it.
    /// Absent means "when the trust lets `ec2.amazonaws.com` assume the role".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_profile: Option<bool>,
    #[serde(default)]
    pub trust: TrustSpec,
    /// AWS managed policy names (from the catalog) or full policy ARNs, customer managed
    /// ones included (`arn:aws:iam::${Account}:policy/NAME`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<String>,
    /// Tags of the role (`[tags]`, key = value), checked against IAM's tag rules.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// Inline permission policies (`[[policy]]` in TOML).
    #[serde(default, rename = "policy", skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<InlinePolicySpec>,
    /// Requests that must be allowed or denied (`[[expect]]` in TOML).
    #[serde(default, rename = "expect", skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<ExpectSpec>,
    /// Findings the author has accepted.
    #[serde(default, skip_serializing_if = "LintSpec::is_empty")]
    pub lint: LintSpec,
}

/// Who may assume the role. Several kinds may be combined; `document` replaces them all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustSpec {
    /// AWS service principals such as `lambda.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountTrust>,
    /// GitHub Actions through its OIDC provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub github: Vec<GithubTrust>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oidc: Vec<OidcTrust>,
    /// SAML provider ARNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saml: Vec<String>,
    /// IAM roles that may assume the role: names (in the role's `account`) or role ARNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// IAM users that may assume the role: names (in the role's `account`) or user ARNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// Also create the OIDC identity providers that `github` and `oidc` trust name (in the
    /// thumbprint-free form AWS uses now), instead of assuming they exist.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create_oidc_provider: bool,
    /// A raw trust policy instead of the keys above: a path (relative to the role file)
    /// or the document itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<TrustDocument>,
    /// Tolerated here because a TOML `managed_policies` line written after `[trust]` lands
    /// in this table; loading moves the entries to [`RoleSpec::managed_policies`].
    #[serde(default, skip_serializing)]
    pub managed_policies: Vec<String>,
    /// Tolerated here for the same reason as `managed_policies`; moved to
    /// [`RoleSpec::assumed_by`] on loading.
    #[serde(default, skip_serializing)]
    pub assumed_by: Vec<String>,
}

impl TrustSpec {
    /// True when nobody is trusted yet.
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.accounts.is_empty()
            && self.github.is_empty()
            && self.oidc.is_empty()
            && self.saml.is_empty()
            && self.roles.is_empty()
            && self.users.is_empty()
            && self.document.is_none()
    }
}

/// A raw trust document, by file or inline. Loading resolves a path into `Inline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TrustDocument {
    Path(String),
    Inline(Box<PolicyDocument>),
}

/// Another AWS account that may assume the role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountTrust {
    /// 12-digit account id.
    pub id: String,
    /// Required `sts:ExternalId` (2-1,224 characters); stops the confused deputy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_mfa: bool,
}

/// GitHub Actions workflows of one repository, by branch/tag ref or environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubTrust {
    /// `owner/repo`.
    pub repo: String,
    /// `refs/heads/main`, `refs/tags/v*`; a bare branch name means `refs/heads/NAME`.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// A GitHub deployment environment, instead of a ref.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

/// Any other OIDC identity provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcTrust {
    /// The provider's host and path, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

/// One permission policy of the role: inline, or with `create = true` its own customer
/// managed policy, created and attached.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicySpec {
    pub name: String,
    /// Create it as a customer managed policy (named `name`) and attach it, instead of
    /// putting it inline. Managed policies can be shared and are sized on their own (6,144).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
    /// Path of the created managed policy, `/` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Description of the created managed policy (IAM cannot change it later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, rename = "statement")]
    pub statements: Vec<StatementSpec>,
}

/// One statement of an inline policy, in the role file's lower-case keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(default)]
    pub effect: Effect,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionBlock>,
    /// Findings accepted for this statement only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<IgnoreEntry>,
}

impl StatementSpec {
    /// The statement as IAM sees it, `${Account}`-style placeholders kept as written
    /// ([`RoleSpec::statement_document`] fills them).
    pub fn to_statement(&self) -> Statement {
        let list = |v: &[String]| (!v.is_empty()).then(|| OneOrMany::from_vec(v.to_vec()));
        Statement {
            sid: self.sid.clone(),
            effect: self.effect,
            principal: None,
            not_principal: None,
            action: list(&self.actions),
            not_action: list(&self.not_actions),
            resource: list(&self.resources),
            not_resource: list(&self.not_resources),
            condition: self.condition.clone().filter(|c| !c.is_empty()),
        }
    }

    /// The inverse of [`StatementSpec::to_statement`], with the statement's accepted
    /// findings. A principal has no place in a permission statement and is dropped: callers
    /// that may see one (importers) check for it first.
    pub fn from_statement(s: Statement, ignore: Vec<IgnoreEntry>) -> Self {
        let list = |v: Option<OneOrMany<String>>| v.map(OneOrMany::into_vec).unwrap_or_default();
        StatementSpec {
            sid: s.sid,
            effect: s.effect,
            actions: list(s.action),
            not_actions: list(s.not_action),
            resources: list(s.resource),
            not_resources: list(s.not_resource),
            condition: s.condition.filter(|c| !c.is_empty()),
            ignore,
        }
    }
}

/// `[lint]`: findings accepted for the whole role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<IgnoreEntry>,
}

impl LintSpec {
    pub fn is_empty(&self) -> bool {
        self.ignore.is_empty()
    }
}

/// An accepted finding: a code, or a code with the reason the report shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IgnoreEntry {
    Code(String),
    WithReason {
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

impl IgnoreEntry {
    /// The accepted code. A plain string may carry its reason as `"code=reason"`, as
    /// `--ignore` does.
    pub fn code(&self) -> &str {
        match self {
            IgnoreEntry::Code(c) => c.split_once('=').map_or(c.as_str(), |(c, _)| c).trim(),
            IgnoreEntry::WithReason { code, .. } => code,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            IgnoreEntry::Code(c) => c.split_once('=').map(|(_, r)| r.trim()),
            IgnoreEntry::WithReason { reason, .. } => reason.as_deref(),
        }
    }
}

/// The syntax a role file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleSyntax {
    Toml,
    Json,
}

impl RoleSyntax {
    /// JSON when the text starts with `{`, TOML otherwise (extensions lie more often).
    pub fn sniff(text: &str) -> RoleSyntax {
        if text.trim_start().starts_with('{') {
            RoleSyntax::Json
        } else {
            RoleSyntax::Toml
        }
    }
}

/// Reads, parses and validates a role file; a trust `document` path is read relative to it.
pub fn load_role_file(path: &Path) -> Result<RoleSpec> {
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    let origin = path.display().to_string();
    let mut spec = parse_role_text(&origin, &text)?;
    resolve_trust_document(&mut spec, path.parent().unwrap_or_else(|| Path::new(".")))?;
    Ok(spec)
}

/// Reads a trust `document` given as a path (relative to `base`, the role file's folder)
/// into the role.
pub fn resolve_trust_document(spec: &mut RoleSpec, base: &Path) -> Result<()> {
    if let Some(TrustDocument::Path(rel)) = &spec.trust.document {
        let doc_path = base.join(rel);
        let doc_text = crate::io::read_text(&doc_path, crate::io::InputKind::Document)?;
        let parsed = parse_policy(&doc_path.display().to_string(), &doc_text)?;
        spec.trust.document = Some(TrustDocument::Inline(Box::new(parsed.document)));
    }
    Ok(())
}

/// Parses and validates role file text. `origin` names it in error messages.
pub fn parse_role_text(origin: &str, text: &str) -> Result<RoleSpec> {
    let syntax = RoleSyntax::sniff(text);
    let spec: RoleSpec = match syntax {
        RoleSyntax::Json => crate::policy::json::parse_typed(origin, text)?,
        RoleSyntax::Toml => toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Error::Parse {
                origin: origin.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?,
    };
    let mut spec = spec;
    let misplaced = std::mem::take(&mut spec.trust.managed_policies);
    spec.managed_policies.extend(misplaced);
    let misplaced = std::mem::take(&mut spec.trust.assumed_by);
    spec.assumed_by.extend(misplaced);
    if let Some(problem) = validate(&spec).into_iter().next() {
        let (line, column) = locate(syntax, text, &problem.path).unwrap_or((1, 1));
        return Err(Error::Parse {
            origin: origin.to_string(),
            line,
            column,
            message: problem.message,
        });
    }
    Ok(spec)
}

impl RoleSpec {
    /// The role file text in TOML, as `Ctrl-S` saves it.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self)
            .map_err(|e| Error::Other(format!("cannot write the role as TOML: {e}")))
    }
}
