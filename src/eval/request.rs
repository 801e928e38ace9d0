//! What is asked: a [`Request`] (principal, action, resource, context keys).

use crate::policy::arn::{Arn, is_account_id};

/// The request context: condition keys and their values. Key names are case-insensitive,
/// as IAM's are; a key given several values is multi-valued (`aws:TagKeys`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// (key as given, lower-cased key, values), in the order given.
    entries: Vec<(String, String, Vec<String>)>,
}

impl Context {
    /// Adds `values` to `key` (a key given twice collects both).
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        let lower = key.to_ascii_lowercase();
        match self.entries.iter_mut().find(|(_, l, _)| *l == lower) {
            Some((_, _, v)) => v.extend(values),
            None => self.entries.push((key.to_string(), lower, values)),
        }
    }

    /// The values of `key`, `None` when the request does not carry it.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries
            .iter()
            .find(|(_, l, _)| l.eq_ignore_ascii_case(key))
            .map(|(_, _, v)| v.as_slice())
    }

    /// The value a policy variable takes: the key's only value (a multi-valued key has none).
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    /// Every key with its values, as given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries
            .iter()
            .map(|(k, _, v)| (k.as_str(), v.as_slice()))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `key` only when the caller did not give it.
    fn insert_default(&mut self, key: &str, value: String) {
        if self.get(key).is_none() {
            self.insert(key, vec![value]);
        }
    }
}

/// One request to evaluate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// Who asks: set for trust questions ("may lambda.amazonaws.com assume this role?").
    pub principal: Option<String>,
    /// `service:Action`, any case.
    pub action: String,
    /// The resource ARN; `None` means `*` (actions that name no resource).
    pub resource: Option<String>,
    pub context: Context,
}

impl Request {
    /// A permission question: may the role do `action` on `resource`?
    pub fn new(action: &str, resource: Option<&str>) -> Request {
        Request {
            action: action.to_string(),
            resource: resource.map(str::to_string),
            ..Default::default()
        }
    }

    /// A trust question: may `principal` assume the role? The action is the one that
    /// principal's kind uses ([`PrincipalId::assume_action`]).
    pub fn assume(principal: &str) -> Request {
        let id = PrincipalId::parse(principal);
        Request {
            principal: Some(principal.to_string()),
            action: id.assume_action().to_string(),
            ..Default::default()
        }
    }

    /// The resource as matched: `*` when none was given.
    pub fn resource_or_star(&self) -> &str {
        self.resource.as_deref().unwrap_or("*")
    }

    /// The context with the keys IAM derives from the principal added where the caller did
    /// not give them (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
    /// `aws:username`, `aws:PrincipalServiceName`).
    pub fn effective_context(&self) -> std::borrow::Cow<'_, Context> {
        let Some(p) = &self.principal else {
            return std::borrow::Cow::Borrowed(&self.context);
        };
        let mut cx = self.context.clone();
        match PrincipalId::parse(p) {
            PrincipalId::Service(s) => cx.insert_default("aws:PrincipalServiceName", s),
            PrincipalId::Aws(a) => {
                cx.insert_default("aws:PrincipalAccount", a.account.clone());
                let (kind, arn) = match &a.kind {
                    AwsKind::Root => ("Account", a.arn.clone()),
                    AwsKind::User(name) => {
                        cx.insert_default("aws:username", name.clone());
                        ("User", a.arn.clone())
                    }
                    AwsKind::Role(_) => ("AssumedRole", a.arn.clone()),
                    AwsKind::Session { role, .. } => (
                        "AssumedRole",
                        format!("arn:{}:iam::{}:role/{role}", a.partition, a.account),
                    ),
                    AwsKind::Other => ("User", a.arn.clone()),
                };
                cx.insert_default("aws:PrincipalType", kind.to_string());
                cx.insert_default("aws:PrincipalArn", arn);
            }
            PrincipalId::Federated(_) => {
                cx.insert_default("aws:PrincipalType", "WebIdentityUser".to_string())
            }
        }
        std::borrow::Cow::Owned(cx)
    }
}

/// A principal as the trust policy sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalId {
    /// `lambda.amazonaws.com`.
    Service(String),
    /// An account, user, role or role session.
    Aws(AwsPrincipal),
    /// An OIDC or SAML provider (by ARN), or a web identity host (`accounts.google.com`).
    Federated(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsPrincipal {
    /// The ARN (an account id becomes `arn:aws:iam::ID:root`).
    pub arn: String,
    pub partition: String,
    pub account: String,
    pub kind: AwsKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsKind {
    Root,
    User(String),
    /// A role, by name (its path dropped).
    Role(String),
    /// `assumed-role/ROLE/SESSION`.
    Session {
        role: String,
        session: String,
    },
    Other,
}

/// Web identity providers that are named by host, not by a provider ARN.
const WEB_IDENTITY_HOSTS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

impl PrincipalId {
    pub fn parse(text: &str) -> PrincipalId {
        let t = text.trim();
        if is_account_id(t) {
            return PrincipalId::Aws(AwsPrincipal {
                arn: format!("arn:aws:iam::{t}:root"),
                partition: "aws".into(),
                account: t.into(),
                kind: AwsKind::Root,
            });
        }
        if let Ok(arn) = Arn::parse(t) {
            if arn.service == "iam"
                && (arn.resource.starts_with("oidc-provider/")
                    || arn.resource.starts_with("saml-provider/"))
            {
                return PrincipalId::Federated(t.to_string());
            }
            let kind = match (arn.service.as_str(), arn.resource.split_once('/')) {
                ("iam", None) if arn.resource == "root" => AwsKind::Root,
                ("iam", Some(("user", rest))) => {
                    AwsKind::User(rest.rsplit('/').next().unwrap_or(rest).to_string())
                }
                ("iam", Some(("role", rest))) => {
                    AwsKind::Role(rest.rsplit('/').next().unwrap_or(rest).to_string())
                }
                ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                    Some((role, session)) => AwsKind::Session {
                        role: role.to_string(),
                        session: session.to_string(),
                    },
                    None => AwsKind::Other,
                },
                _ => AwsKind::Other,
            };
            return PrincipalId::Aws(AwsPrincipal {
                arn: t.to_string(),
                partition: arn.partition,
                account: arn.account,
                kind,
            });
        }
        let lower = t.to_ascii_lowercase();
        if WEB_IDENTITY_HOSTS.contains(&lower.as_str())
            || !(lower.ends_with(".amazonaws.com")
                || lower.ends_with(".amazonaws.com.cn")
                || lower.ends_with(".amazon.com"))
        {
            return PrincipalId::Federated(t.to_string());
        }
        PrincipalId::Service(lower)
    }

    /// The STS action this kind of principal assumes a role with.
    pub fn assume_action(&self) -> &'static str {
        match self {
            PrincipalId::Federated(p) if p.contains(":saml-provider/") => "sts:AssumeRoleWithSAML",
            PrincipalId::Federated(_) => "sts:AssumeRoleWithWebIdentity",
            _ => "sts:AssumeRole",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_told_apart() {
        assert_eq!(
            PrincipalId::parse("lambda.amazonaws.com"),
            PrincipalId::Service("lambda.amazonaws.com".into())
        );
        assert!(matches!(
            PrincipalId::parse("123456789012"),
            PrincipalId::Aws(AwsPrincipal {
                kind: AwsKind::Root,
                ..
            })
        ));
        assert!(matches!(
            PrincipalId::parse("arn:aws:sts::123456789012:assumed-role/r/s"),
            PrincipalId::Aws(AwsPrincipal {
                kind: AwsKind::Session { .. },
                ..
            })
        ));
        let gh = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        assert_eq!(
            PrincipalId::parse(gh).assume_action(),
            "sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            PrincipalId::parse("arn:aws:iam::123456789012:saml-provider/Corp").assume_action(),
            "sts:AssumeRoleWithSAML"
        );
        assert_eq!(
            PrincipalId::parse("accounts.google.com").assume_action(),
            "sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            Request::assume("ec2.amazonaws.com").action,
            "sts:AssumeRole"
        );
    }

    #[test]
    fn context_keys_ignore_case_and_collect_values() {
        let mut cx = Context::default();
        cx.insert("aws:TagKeys", vec!["a".into()]);
        cx.insert("AWS:tagkeys", vec!["b".into()]);
        assert_eq!(cx.get("aws:tagkeys").unwrap(), ["a", "b"]);
        assert_eq!(cx.single("aws:TagKeys"), None);
        let r = Request {
            principal: Some("arn:aws:iam::123456789012:user/ana".into()),
            ..Default::default()
        };
        assert_eq!(r.effective_context().single("aws:username"), Some("ana"));
    }
}
