//! Turning a role spec into the IAM documents it stands for.

use indexmap::IndexMap;
use serde::Serialize;

use crate::policy::document::ConditionBlock;
use crate::policy::{
    ConditionScalar, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap, Statement,
};

use super::deployment::{
    CreatedPolicy, IdentityKind, InstanceProfile, OidcProvider, Tag, oidc_host,
};
use super::managed::resolve_managed_policy;
use super::spec::{GithubTrust, RoleSpec, StatementSpec, TrustDocument};

/// GitHub's OIDC provider host.
pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";

/// Everything IAM needs to create the role and what the role file creates around it.
///
/// Serialized (`render --format json`), it is the role as CloudFormation `AWS::IAM::Role`
/// properties: inline policies under `Policies`, every policy to attach under
/// `ManagedPolicyArns` (those the file creates included, by their ARN). What is not a role
/// property (created policies' documents, the instance profile, OIDC providers) is here
/// for the deployment exports and left out of that JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleDocuments {
    pub role_name: String,
    pub description: Option<String>,
    pub path: Option<String>,
    pub max_session_duration: Option<u32>,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    pub trust: PolicyDocument,
    /// Existing managed policies to attach (AWS or customer managed), in file order.
    pub managed_policy_arns: Vec<String>,
    /// Every `[[policy]]` of the file in file order, so index `i` is `policy[i]`: inline
    /// ones, and those created as managed policies ([`InlinePolicy::created`]).
    pub policies: Vec<InlinePolicy>,
    pub tags: Vec<Tag>,
    pub instance_profile: Option<InstanceProfile>,
    pub oidc_providers: Vec<OidcProvider>,
}

/// One permission policy of the role: its name and document, and how it is created when
/// it is not inline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InlinePolicy {
    #[serde(rename = "PolicyName")]
    pub name: String,
    #[serde(rename = "PolicyDocument")]
    pub document: PolicyDocument,
    /// `Some` when the policy becomes its own customer managed policy.
    #[serde(skip)]
    pub created: Option<CreatedPolicy>,
}

impl InlinePolicy {
    /// True for a policy put inline into the role.
    pub fn is_inline(&self) -> bool {
        self.created.is_none()
    }

    /// True for a created policy that is only the role's permissions boundary.
    pub fn is_boundary_only(&self) -> bool {
        self.created.as_ref().is_some_and(|c| !c.attach)
    }
}

/// The `AWS::IAM::Role` properties view of [`RoleDocuments`] (absent keys omitted).
#[derive(Serialize)]
struct RoleProperties<'a> {
    #[serde(rename = "RoleName")]
    role_name: &'a str,
    #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "Path", skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(rename = "MaxSessionDuration", skip_serializing_if = "Option::is_none")]
    max_session_duration: Option<u32>,
    #[serde(
        rename = "PermissionsBoundary",
        skip_serializing_if = "Option::is_none"
    )]
    permissions_boundary: Option<&'a str>,
    #[serde(rename = "AssumeRolePolicyDocument")]
    trust: &'a PolicyDocument,
    #[serde(rename = "ManagedPolicyArns", skip_serializing_if = "Vec::is_empty")]
    managed_policy_arns: Vec<&'a str>,
    #[serde(rename = "Policies", skip_serializing_if = "Vec::is_empty")]
    policies: Vec<&'a InlinePolicy>,
    #[serde(rename = "Tags", skip_serializing_if = "<[Tag]>::is_empty")]
    tags: &'a [Tag],
}

impl Serialize for RoleDocuments {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RoleProperties {
            role_name: &self.role_name,
            description: self.description.as_deref(),
            path: self.path.as_deref(),
            max_session_duration: self.max_session_duration,
            permissions_boundary: self.permissions_boundary.as_deref(),
            trust: &self.trust,
            managed_policy_arns: self.attached_policy_arns().collect(),
            policies: self.inline_policies().collect(),
            tags: &self.tags,
        }
        .serialize(serializer)
    }
}

impl RoleDocuments {
    /// The pretty JSON of `render --format json`.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The policies put inline into the role.
    pub fn inline_policies(&self) -> impl Iterator<Item = &InlinePolicy> {
        self.policies.iter().filter(|p| p.is_inline())
    }

    /// The policies created as customer managed policies, with how each is created.
    pub fn created_policies(&self) -> impl Iterator<Item = (&InlinePolicy, &CreatedPolicy)> {
        self.policies
            .iter()
            .filter_map(|p| p.created.as_ref().map(|c| (p, c)))
    }

    /// Every managed policy ARN attached to the role: existing ones, then created ones.
    pub fn attached_policy_arns(&self) -> impl Iterator<Item = &str> {
        self.managed_policy_arns.iter().map(String::as_str).chain(
            self.created_policies()
                .filter(|(_, c)| c.attach)
                .map(|(_, c)| c.arn.as_str()),
        )
    }

    /// The created policy whose ARN is `arn`, if the role creates it.
    pub fn created_policy_by_arn(&self, arn: &str) -> Option<(&InlinePolicy, &CreatedPolicy)> {
        self.created_policies().find(|(_, c)| c.arn == arn)
    }
}

/// The `sub` claim GitHub puts in tokens for this trust entry.
pub fn github_subject(g: &GithubTrust) -> String {
    match (&g.environment, &g.git_ref) {
        (Some(env), _) => format!("repo:{}:environment:{env}", g.repo),
        (None, Some(r)) if r == "*" => format!("repo:{}:*", g.repo),
        (None, Some(r)) if r.starts_with("refs/") => format!("repo:{}:ref:{r}", g.repo),
        (None, Some(branch)) => format!("repo:{}:ref:refs/heads/{branch}", g.repo),
        (None, None) => format!("repo:{}:*", g.repo),
    }
}

fn condition(entries: &[(&str, &str, &str)]) -> ConditionBlock {
    let mut block: ConditionBlock = IndexMap::new();
    for (op, key, value) in entries {
        block.entry(op.to_string()).or_default().insert(
            key.to_string(),
            OneOrMany::One(ConditionScalar::from(*value)),
        );
    }
    block
}

fn federated(arn: String, action: &str, cond: ConditionBlock) -> Statement {
    Statement {
        effect: Effect::Allow,
        principal: Some(Principal::Map(PrincipalMap {
            federated: Some(OneOrMany::One(arn)),
            ..Default::default()
        })),
        action: Some(OneOrMany::One(action.to_string())),
        condition: (!cond.is_empty()).then_some(cond),
        ..Default::default()
    }
}

impl RoleSpec {
    fn partition_or_default(&self) -> &str {
        self.partition.as_deref().unwrap_or("aws")
    }

    /// The trust policy this spec describes (an empty statement list if it trusts nobody).
    pub fn trust_document(&self) -> PolicyDocument {
        if let Some(TrustDocument::Inline(doc)) = &self.trust.document {
            return (**doc).clone();
        }
        let partition = self.partition_or_default();
        let account = self.account.as_deref().unwrap_or("${Account}");
        let mut statements = Vec::new();
        let t = &self.trust;
        if !t.services.is_empty() {
            statements.push(Statement {
                effect: Effect::Allow,
                principal: Some(Principal::Map(PrincipalMap {
                    service: Some(OneOrMany::from_vec(t.services.clone())),
                    ..Default::default()
                })),
                action: Some(OneOrMany::One("sts:AssumeRole".into())),
                ..Default::default()
            });
        }
        for a in &t.accounts {
            let mut entries = Vec::new();
            if let Some(x) = &a.external_id {
                entries.push(("StringEquals", "sts:ExternalId", x.as_str()));
            }
            if a.require_mfa {
                entries.push(("Bool", "aws:MultiFactorAuthPresent", "true"));
            }
            let cond = condition(&entries);
            statements.push(Statement {
                effect: Effect::Allow,
                principal: Some(Principal::Map(PrincipalMap {
                    aws: Some(OneOrMany::One(format!(
                        "arn:{partition}:iam::{}:root",
                        a.id
                    ))),
                    ..Default::default()
                })),
                action: Some(OneOrMany::One("sts:AssumeRole".into())),
                condition: (!cond.is_empty()).then_some(cond),
                ..Default::default()
            });
        }
        let identities: Vec<String> = (t.roles.iter().map(|r| (IdentityKind::Role, r)))
            .chain(t.users.iter().map(|u| (IdentityKind::User, u)))
            .map(|(kind, entry)| self.identity_arn(kind, entry))
            .collect();
        if !identities.is_empty() {
            statements.push(Statement {
                effect: Effect::Allow,
                principal: Some(Principal::Map(PrincipalMap {
                    aws: Some(OneOrMany::from_vec(identities)),
                    ..Default::default()
                })),
                action: Some(OneOrMany::One("sts:AssumeRole".into())),
                ..Default::default()
            });
        }
        for g in &t.github {
            let sub = github_subject(g);
            let sub_op = if sub.contains(['*', '?']) {
                "StringLike"
            } else {
                "StringEquals"
            };
            let aud_key = format!("{GITHUB_OIDC_HOST}:aud");
            let sub_key = format!("{GITHUB_OIDC_HOST}:sub");
            let cond = condition(&[
                ("StringEquals", &aud_key, "sts.amazonaws.com"),
                (sub_op, &sub_key, &sub),
            ]);
            statements.push(federated(
                format!("arn:{partition}:iam::{account}:oidc-provider/{GITHUB_OIDC_HOST}"),
                "sts:AssumeRoleWithWebIdentity",
                cond,
            ));
        }
        for o in &t.oidc {
            let provider = oidc_host(&o.provider);
            let sub_key = format!("{provider}:sub");
            let aud_key = format!("{provider}:aud");
            let mut entries = Vec::new();
            if let Some(aud) = &o.aud {
                entries.push(("StringEquals", aud_key.as_str(), aud.as_str()));
            }
            if let Some(sub) = &o.sub {
                let op = if sub.contains(['*', '?']) {
                    "StringLike"
                } else {
                    "StringEquals"
                };
                entries.push((op, sub_key.as_str(), sub.as_str()));
            }
            statements.push(federated(
                format!("arn:{partition}:iam::{account}:oidc-provider/{provider}"),
                "sts:AssumeRoleWithWebIdentity",
                condition(&entries),
            ));
        }
        for s in &t.saml {
            statements.push(federated(
                s.clone(),
                "sts:AssumeRoleWithSAML",
                condition(&[(
                    "StringEquals",
                    "SAML:aud",
                    "https://signin.aws.amazon.com/saml",
                )]),
            ));
        }
        PolicyDocument::new(statements)
    }

    /// Replaces `${Account}`, `${Region}` and `${Partition}` with the role's defaults.
    /// IAM policy variables such as `${aws:username}` are left alone.
    pub fn fill_placeholders(&self, arn: &str) -> String {
        let mut out = arn.replace("${Partition}", self.partition_or_default());
        if let Some(a) = &self.account {
            out = out.replace("${Account}", a);
        }
        if let Some(r) = &self.region {
            out = out.replace("${Region}", r);
        }
        out
    }

    /// One statement of an inline policy as IAM sees it, placeholders filled.
    pub fn statement_document(&self, s: &StatementSpec) -> Statement {
        let fill = |v: Option<OneOrMany<String>>| {
            v.map(|v| OneOrMany::from_vec(v.iter().map(|r| self.fill_placeholders(r)).collect()))
        };
        let mut statement = s.to_statement();
        statement.resource = fill(statement.resource);
        statement.not_resource = fill(statement.not_resource);
        statement
    }

    /// Managed policy ARNs, in file order, placeholders filled; names the catalog does not
    /// know are skipped (validation reports them).
    pub fn managed_policy_arns(&self) -> Vec<String> {
        self.managed_policies
            .iter()
            .filter_map(|m| {
                resolve_managed_policy(&self.fill_placeholders(m), self.partition.as_deref())
            })
            .collect()
    }

    /// All documents of the role. This is the one place documents are generated.
    pub fn to_documents(&self) -> RoleDocuments {
        let trust = self.trust_document();
        RoleDocuments {
            role_name: self.name.clone(),
            description: self.description.clone().filter(|d| !d.is_empty()),
            path: self.path.clone(),
            max_session_duration: self.max_session_duration,
            permissions_boundary: self.permissions_boundary_arn(),
            instance_profile: self.instance_profile_spec(&trust),
            trust,
            managed_policy_arns: self.managed_policy_arns(),
            policies: self
                .policies
                .iter()
                .enumerate()
                .map(|(i, p)| InlinePolicy {
                    name: p.name.clone(),
                    document: PolicyDocument::new(
                        p.statements
                            .iter()
                            .map(|s| self.statement_document(s))
                            .collect(),
                    ),
                    created: self.created_policy(i),
                })
                .collect(),
            tags: self.tag_list(),
            oidc_providers: self.oidc_providers(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::parse_role_text;

    const SEED: &str = r#"
name = "string-reverser"
description = "Reverses strings and saves them to S3"

[trust]
services = ["lambda.amazonaws.com"]

managed_policies = ["AWSLambdaBasicExecutionRole"]
"#;

    #[test]
    fn github_subjects() {
        let g = |r: Option<&str>, e: Option<&str>| GithubTrust {
            repo: "octo-org/app".into(),
            git_ref: r.map(Into::into),
            environment: e.map(Into::into),
        };
        assert_eq!(
            github_subject(&g(Some("refs/heads/main"), None)),
            "repo:octo-org/app:ref:refs/heads/main"
        );
        assert_eq!(
            github_subject(&g(Some("main"), None)),
            "repo:octo-org/app:ref:refs/heads/main"
        );
        assert_eq!(
            github_subject(&g(None, Some("prod"))),
            "repo:octo-org/app:environment:prod"
        );
        assert_eq!(
            github_subject(&g(Some("refs/tags/v*"), None)),
            "repo:octo-org/app:ref:refs/tags/v*"
        );
    }

    #[test]
    fn managed_policies_written_after_the_trust_table_still_count() {
        // In TOML, keys after [trust] belong to it; the guide's own example does this.
        let spec = parse_role_text("seed.toml", SEED).unwrap();
        assert_eq!(
            spec.managed_policy_arns(),
            vec!["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".to_string()]
        );
        assert!(spec.trust.managed_policies.is_empty());
    }

    #[test]
    fn github_trust_document() {
        let text = r#"
name = "deploy"
account = "123456789012"
[trust]
github = [{ repo = "octo-org/app", ref = "refs/heads/*" }]
"#;
        let spec = parse_role_text("gh.toml", text).unwrap();
        let json = spec.trust_document().to_compact_json();
        assert_eq!(
            json,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/app:ref:refs/heads/*"}}}]}"#
        );
    }

    #[test]
    fn accounts_get_external_id_and_mfa_conditions() {
        let text = r#"
name = "auditor"
[trust]
accounts = [{ id = "111122223333", external_id = "abc-123", require_mfa = true }]
"#;
        let spec = parse_role_text("a.toml", text).unwrap();
        let json = spec.trust_document().to_compact_json();
        assert!(
            json.contains(r#""Principal":{"AWS":"arn:aws:iam::111122223333:root"}"#),
            "{json}"
        );
        assert!(json.contains(r#""Condition":{"StringEquals":{"sts:ExternalId":"abc-123"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#), "{json}");
    }

    #[test]
    fn placeholders_are_filled_but_policy_variables_are_not() {
        let spec = RoleSpec {
            account: Some("123456789012".into()),
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        assert_eq!(
            spec.fill_placeholders("arn:${Partition}:sqs:${Region}:${Account}:q"),
            "arn:aws:sqs:eu-west-1:123456789012:q"
        );
        assert_eq!(
            spec.fill_placeholders("arn:aws:s3:::b/home/${aws:username}/*"),
            "arn:aws:s3:::b/home/${aws:username}/*"
        );
    }
}
