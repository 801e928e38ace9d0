//! The policies a request is evaluated against, compiled once for many requests.

use serde::Serialize;

use crate::policy::{Effect, OneOrMany, PolicyDocument, Principal, SourcePos, Statement};
use crate::role::validate::FieldPath;
use crate::role::{RoleSpec, field_position};

use super::condition::{self, Condition};
use super::pattern::{ResourcePattern, Tok, matches, wild_tokens};
use super::request::{AwsKind, PrincipalId};

/// Which kind of policy a statement comes from; decides how it takes part in a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// An inline policy of a role file.
    Inline,
    /// An AWS managed policy attached to the role (document from the curated catalog).
    Managed,
    /// An identity policy given as a document file.
    Identity,
    /// The role's trust policy.
    Trust,
    /// A permissions boundary: caps what identity policies can grant.
    Boundary,
    /// A service control policy: caps what the account's principals can do.
    Scp,
}

impl PolicyKind {
    /// How the kind is named in reasons.
    pub fn describe(self) -> &'static str {
        match self {
            PolicyKind::Inline => "inline policy",
            PolicyKind::Managed => "managed policy",
            PolicyKind::Identity => "policy",
            PolicyKind::Trust => "trust policy",
            PolicyKind::Boundary => "permissions boundary",
            PolicyKind::Scp => "service control policy",
        }
    }
}

/// A policy document with where it came from.
#[derive(Clone, Debug)]
pub struct Policy {
    pub kind: PolicyKind,
    /// The inline policy name, managed policy name, or file name.
    pub name: String,
    /// The file it was read from, when it was.
    pub file: Option<String>,
    pub document: PolicyDocument,
    /// Where each statement starts in `file`, when known.
    pub positions: Vec<Option<SourcePos>>,
}

impl Policy {
    pub fn new(kind: PolicyKind, name: &str, document: PolicyDocument) -> Policy {
        Policy {
            kind,
            name: name.to_string(),
            file: None,
            document,
            positions: Vec::new(),
        }
    }
}

/// A policy that applies but whose document rolesmith does not have in full: it can turn
/// a deny into `unknown`, never into an allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPolicy {
    pub kind: PolicyKind,
    pub name: String,
    /// Why the document is not known ("only an abbreviated form is curated").
    pub why: String,
}

/// A policy, known or not.
#[derive(Clone, Debug)]
pub enum PolicyEntry {
    Known(CompiledPolicy),
    Unknown(UnknownPolicy),
}

/// Everything a request is evaluated against: the role's identity policies, its trust
/// policy, and optionally a permissions boundary and service control policies.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    pub(crate) identity: Vec<PolicyEntry>,
    pub(crate) trust: Option<CompiledPolicy>,
    pub(crate) boundary: Option<PolicyEntry>,
    pub(crate) scps: Vec<CompiledPolicy>,
}

impl PolicySet {
    pub fn new() -> PolicySet {
        PolicySet::default()
    }

    /// Adds an identity policy (inline, managed or a document file).
    pub fn add_identity(&mut self, policy: Policy) -> &mut Self {
        self.identity
            .push(PolicyEntry::Known(CompiledPolicy::compile(policy)));
        self
    }

    /// Adds an attached policy whose document is not known.
    pub fn add_unknown_identity(&mut self, name: &str, why: &str) -> &mut Self {
        self.identity.push(PolicyEntry::Unknown(UnknownPolicy {
            kind: PolicyKind::Managed,
            name: name.to_string(),
            why: why.to_string(),
        }));
        self
    }

    /// Sets the trust policy (for questions with a principal).
    pub fn set_trust(&mut self, policy: Policy) -> &mut Self {
        self.trust = Some(CompiledPolicy::compile(policy));
        self
    }

    /// Sets the permissions boundary; `Err` names a boundary whose document is unknown.
    pub fn set_boundary(&mut self, boundary: Result<Policy, UnknownPolicy>) -> &mut Self {
        self.boundary = Some(match boundary {
            Ok(p) => PolicyEntry::Known(CompiledPolicy::compile(p)),
            Err(u) => PolicyEntry::Unknown(u),
        });
        self
    }

    /// Adds a service control policy. The SCPs given act as one level of the organization:
    /// one of them must allow, and a Deny in any of them denies.
    pub fn add_scp(&mut self, policy: Policy) -> &mut Self {
        self.scps.push(CompiledPolicy::compile(policy));
        self
    }

    pub fn has_trust(&self) -> bool {
        self.trust.is_some()
    }

    pub fn has_identity(&self) -> bool {
        !self.identity.is_empty()
    }

    /// The policies of a role: inline policies, attached managed policies (documents from
    /// the curated catalog; one it does not hold in full is unknown) and the trust policy.
    /// With `source` (file name and text), statements carry their line and column.
    pub fn from_role(role: &RoleSpec, source: Option<(&str, &str)>) -> PolicySet {
        let mut set = PolicySet::new();
        set.add_role(role, source);
        set
    }

    /// Adds a role's policies to the set (see [`PolicySet::from_role`]); its trust policy
    /// replaces any trust policy already set.
    pub fn add_role(&mut self, role: &RoleSpec, source: Option<(&str, &str)>) -> &mut Self {
        let docs = role.to_documents();
        let set = self;
        let position = |path: FieldPath| {
            source
                .and_then(|(_, text)| field_position(text, &path))
                .map(|(line, column)| SourcePos { line, column })
        };
        let file = source.map(|(f, _)| f.to_string());
        for (i, p) in docs.policies.into_iter().enumerate() {
            let positions = (0..p.document.statements().len())
                .map(|j| position(FieldPath::key("policy").at(i).then("statement").at(j)))
                .collect();
            let boundary_only = p.is_boundary_only();
            let policy = Policy {
                kind: if boundary_only {
                    PolicyKind::Boundary
                } else {
                    PolicyKind::Inline
                },
                name: p.name,
                file: file.clone(),
                document: p.document,
                positions,
            };
            // A policy of the file that is only the permissions boundary grants nothing.
            if boundary_only {
                set.set_boundary(Ok(policy));
            } else {
                set.add_identity(policy);
            }
        }
        // A boundary that is not a policy of this file: its curated document, or unknown.
        if let Some(arn) = &docs.permissions_boundary
            && role.boundary_policy_index().is_none()
        {
            set.set_boundary(
                managed_document(arn)
                    .map(|(name, d)| Policy::new(PolicyKind::Boundary, &name, d))
                    .map_err(|(name, why)| UnknownPolicy {
                        kind: PolicyKind::Boundary,
                        name,
                        why,
                    }),
            );
        }
        for arn in &docs.managed_policy_arns {
            match managed_document(arn) {
                Ok((name, document)) => {
                    set.add_identity(Policy::new(PolicyKind::Managed, &name, document));
                }
                Err((name, why)) => {
                    set.add_unknown_identity(&name, &why);
                }
            }
        }
        let trust_pos = position(FieldPath::key("trust"));
        let n = docs.trust.statements().len();
        set.set_trust(Policy {
            kind: PolicyKind::Trust,
            name: "trust".into(),
            file,
            document: docs.trust,
            positions: vec![trust_pos; n],
        });
        set
    }
}

/// The document of an AWS managed policy from the curated catalog, or why it is unknown.
pub fn managed_document(arn: &str) -> Result<(String, PolicyDocument), (String, String)> {
    let name = arn.rsplit('/').next().unwrap_or(arn).to_string();
    let aws_managed = arn.split(':').nth(4) == Some("aws");
    // Only this policy's document is parsed (`curated::lazy`), not the whole curated layer.
    let curated_policy = crate::catalog::curated::lazy::managed_policy(&name)
        .filter(|p| aws_managed && p.arn.rsplit(':').next() == arn.rsplit(':').next());
    let Some(p) = curated_policy else {
        let why = if aws_managed {
            "rolesmith does not have its document (not in the curated catalog)"
        } else {
            "a customer managed policy: rolesmith does not have its document"
        };
        return Err((name, why.into()));
    };
    if p.abbreviated {
        return Err((
            p.name.clone(),
            "rolesmith has only an abbreviated form of its document".into(),
        ));
    }
    match serde_json::from_value::<PolicyDocument>(p.document.clone()) {
        Ok(doc) => Ok((p.name.clone(), doc)),
        Err(_) => Err((p.name.clone(), "its curated document does not parse".into())),
    }
}

/// A policy ready for evaluation.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    pub kind: PolicyKind,
    pub name: String,
    pub file: Option<String>,
    pub(crate) statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    pub fn compile(policy: Policy) -> CompiledPolicy {
        // Policy variables exist only in the 2012-10-17 language.
        let variables = policy.document.version.as_deref() == Some("2012-10-17");
        let statements = policy
            .document
            .statements()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                CompiledStatement::compile(
                    i,
                    s,
                    variables,
                    policy.positions.get(i).copied().flatten(),
                )
            })
            .collect();
        CompiledPolicy {
            kind: policy.kind,
            name: policy.name,
            file: policy.file,
            statements,
        }
    }
}

/// One principal entry of `Principal`/`NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PrincipalEntry {
    /// `"*"`: anyone.
    Anyone,
    /// `{"AWS": "*"}`: any AWS principal.
    AnyAws,
    Aws(String),
    Service(String),
    Federated(String),
    CanonicalUser(String),
}

impl PrincipalEntry {
    pub fn written(&self) -> String {
        match self {
            PrincipalEntry::Anyone => "*".into(),
            PrincipalEntry::AnyAws => "AWS *".into(),
            PrincipalEntry::Aws(a)
            | PrincipalEntry::Service(a)
            | PrincipalEntry::Federated(a)
            | PrincipalEntry::CanonicalUser(a) => a.clone(),
        }
    }

    /// Does this entry name `who`? An account (id or `:root`) stands for every principal
    /// in it; a role ARN for its sessions too.
    pub fn names(&self, who: &PrincipalId) -> bool {
        match (self, who) {
            (PrincipalEntry::Anyone, _) => true,
            (PrincipalEntry::AnyAws, PrincipalId::Aws(_)) => true,
            (PrincipalEntry::Service(s), PrincipalId::Service(w)) => s.eq_ignore_ascii_case(w),
            (PrincipalEntry::Federated(f), PrincipalId::Federated(w)) => {
                f == w
                    || f.rsplit_once(":oidc-provider/")
                        .is_some_and(|(_, host)| host.eq_ignore_ascii_case(w))
            }
            (PrincipalEntry::Aws(entry), PrincipalId::Aws(w)) => {
                if entry == &w.arn {
                    return true;
                }
                match PrincipalId::parse(entry) {
                    PrincipalId::Aws(e) => {
                        e.partition == w.partition
                            && e.account == w.account
                            && match (&e.kind, &w.kind) {
                                (AwsKind::Root, _) => true,
                                (AwsKind::Role(r), AwsKind::Session { role, .. }) => r == role,
                                _ => false,
                            }
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

fn principal_entries(p: &Principal) -> Vec<PrincipalEntry> {
    match p {
        Principal::Any => vec![PrincipalEntry::Anyone],
        Principal::Map(m) => m
            .entries()
            .map(|(kind, v)| match kind {
                "AWS" if v == "*" => PrincipalEntry::AnyAws,
                "AWS" => PrincipalEntry::Aws(if crate::policy::arn::is_account_id(v) {
                    format!("arn:aws:iam::{v}:root")
                } else {
                    v.to_string()
                }),
                "Service" => PrincipalEntry::Service(v.to_string()),
                "Federated" => PrincipalEntry::Federated(v.to_string()),
                _ => PrincipalEntry::CanonicalUser(v.to_string()),
            })
            .collect(),
    }
}

/// A statement ready for evaluation.
#[derive(Clone, Debug)]
pub(crate) struct CompiledStatement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub pos: Option<SourcePos>,
    /// `Principal` entries, or `NotPrincipal` ones when `not_principal`.
    pub principals: Option<Vec<PrincipalEntry>>,
    pub not_principal: bool,
    /// (as written, lower-cased tokens).
    pub actions: Vec<(String, Vec<Tok>)>,
    pub not_action: bool,
    pub resources: Option<Vec<ResourcePattern>>,
    pub not_resource: bool,
    pub conditions: Vec<Condition>,
}

impl CompiledStatement {
    fn compile(index: usize, s: &Statement, variables: bool, pos: Option<SourcePos>) -> Self {
        let list = |v: &Option<OneOrMany<String>>| v.as_ref().map(|l| l.as_slice().to_vec());
        let (actions, not_action) = match (list(&s.action), list(&s.not_action)) {
            (Some(a), _) => (a, false),
            (None, Some(n)) => (n, true),
            (None, None) => (Vec::new(), false),
        };
        let (resources, not_resource) = match (list(&s.resource), list(&s.not_resource)) {
            (Some(r), _) => (Some(r), false),
            (None, Some(n)) => (Some(n), true),
            (None, None) => (None, false),
        };
        let (principals, not_principal) = match (&s.principal, &s.not_principal) {
            (Some(p), _) => (Some(principal_entries(p)), false),
            (None, Some(n)) => (Some(principal_entries(n)), true),
            (None, None) => (None, false),
        };
        CompiledStatement {
            index,
            sid: s.sid.clone(),
            effect: s.effect,
            pos,
            principals,
            not_principal,
            actions: actions
                .into_iter()
                .map(|a| {
                    let t = wild_tokens(&a.to_ascii_lowercase());
                    (a, t)
                })
                .collect(),
            not_action,
            resources: resources.map(|r| {
                r.iter()
                    .map(|p| ResourcePattern::new(p, variables))
                    .collect()
            }),
            not_resource,
            conditions: condition::compile(s.condition.as_ref(), variables),
        }
    }

    /// Does an `Action`/`NotAction` entry match the (lower-cased) action?
    pub fn action_hit(&self, action_lower: &str) -> bool {
        self.actions.iter().any(|(_, t)| matches(t, action_lower))
    }

    pub fn actions_written(&self) -> String {
        self.actions
            .iter()
            .map(|(a, _)| a.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
