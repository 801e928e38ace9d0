//! Reading an AccessDenied message as AWS, the AWS CLI or an SDK prints it.
//!
//! The core is IAM's sentence: `User: ARN is not authorized to perform: ACTION [on resource:
//! RES] [because no TYPE policy allows the ACTION action | with an explicit deny in a TYPE
//! policy[: POLICY-ARN]]`, found wherever it sits (CLI `An error occurred (...) when calling
//! the X operation: ...`, SDK `AccessDeniedException: ...`, Java's `(Service: ...; Error Code:
//! ...)`, Go's `api error AccessDenied: ...`, JSON or XML error bodies), wrapped over lines or
//! not. Messages without the sentence are still understood when they say access was denied
//! (S3's bare `Access Denied`, EC2's encoded authorization message).

use serde::Serialize;

/// Which policy the message blames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    NoIdentityAllow,
    NoResourceAllow,
    NoBoundaryAllow,
    NoScpAllow,
    NoSessionAllow,
    /// A VPC endpoint policy allows nothing of it.
    NoVpcEndpointAllow,
    /// The role's trust policy does not allow the assume call.
    NoTrustAllow,
    ExplicitDenyIdentity,
    ExplicitDenyResource,
    ExplicitDenyBoundary,
    ExplicitDenyScp,
    ExplicitDenySession,
    ExplicitDenyVpcEndpoint,
    /// A resource control policy (AWS Organizations) denies it.
    ExplicitDenyRcp,
    ExplicitDenyTrust,
    /// An encoded authorization message: only `aws sts decode-authorization-message` reads it.
    Encoded,
    /// The message names no cause.
    Unknown,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::NoIdentityAllow => "no-identity-allow",
            Cause::NoResourceAllow => "no-resource-allow",
            Cause::NoBoundaryAllow => "no-boundary-allow",
            Cause::NoScpAllow => "no-scp-allow",
            Cause::NoSessionAllow => "no-session-allow",
            Cause::NoVpcEndpointAllow => "no-vpc-endpoint-allow",
            Cause::NoTrustAllow => "no-trust-allow",
            Cause::ExplicitDenyIdentity => "explicit-deny-identity",
            Cause::ExplicitDenyResource => "explicit-deny-resource",
            Cause::ExplicitDenyBoundary => "explicit-deny-boundary",
            Cause::ExplicitDenyScp => "explicit-deny-scp",
            Cause::ExplicitDenySession => "explicit-deny-session",
            Cause::ExplicitDenyVpcEndpoint => "explicit-deny-vpc-endpoint",
            Cause::ExplicitDenyRcp => "explicit-deny-rcp",
            Cause::ExplicitDenyTrust => "explicit-deny-trust",
            Cause::Encoded => "encoded",
            Cause::Unknown => "unknown",
        }
    }

    /// What the user should do about it, in one sentence.
    pub fn advice(self) -> &'static str {
        match self {
            Cause::NoIdentityAllow => {
                "no policy of the role allows it: add the statement below to the role"
            }
            Cause::NoResourceAllow => {
                "the resource's own policy (bucket, key, queue, secret policy) does not allow the role: add the statement below to that policy"
            }
            Cause::NoBoundaryAllow => {
                "the role's permissions boundary does not allow it: the boundary must allow it too (ask whoever owns the boundary)"
            }
            Cause::NoScpAllow => {
                "a service control policy of the organization does not allow it: ask the organization's administrators"
            }
            Cause::NoSessionAllow => {
                "the session policy passed when the role was assumed does not allow it: widen the session policy"
            }
            Cause::NoVpcEndpointAllow => {
                "the VPC endpoint's policy does not allow it: add it to the endpoint policy"
            }
            Cause::NoTrustAllow => {
                "the role's trust policy does not let this principal assume it: add the principal to the trust"
            }
            Cause::ExplicitDenyIdentity => {
                "a Deny statement in the role's own policies matches: find it with `rolesmith simulate`"
            }
            Cause::ExplicitDenyResource => {
                "a Deny statement in the resource's policy matches: adding an Allow to the role cannot fix it"
            }
            Cause::ExplicitDenyBoundary => {
                "the permissions boundary denies it: adding an Allow to the role cannot fix it"
            }
            Cause::ExplicitDenyScp => {
                "a service control policy denies it: adding an Allow to the role cannot fix it; ask the organization's administrators"
            }
            Cause::ExplicitDenySession => "the session policy denies it: change the session policy",
            Cause::ExplicitDenyVpcEndpoint => "the VPC endpoint's policy denies it",
            Cause::ExplicitDenyRcp => {
                "a resource control policy of the organization denies it; ask the organization's administrators"
            }
            Cause::ExplicitDenyTrust => "a Deny in the role's trust policy matches this principal",
            Cause::Encoded => {
                "the message is encoded and cannot be read offline: run `aws sts decode-authorization-message --encoded-message MESSAGE` (it needs sts:DecodeAuthorizationMessage) and pass its output to `rolesmith denied`"
            }
            Cause::Unknown => {
                "the message does not say which policy denied it; if the role lacks an allow, the statement below adds it"
            }
        }
    }

    /// A missing allow in the role's own policies (or possibly one, when the message is
    /// silent): the cases where adding a statement to the role can help.
    pub fn role_can_fix(self) -> bool {
        matches!(self, Cause::NoIdentityAllow | Cause::Unknown)
    }
}

/// What an AccessDenied message says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Denial {
    /// The denied principal's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The role, when the principal is a role or one of its sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// `service:Action`, the service in lower case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(serialize_with = "cause_str")]
    pub cause: Option<Cause>,
    /// The policy the message names (newer messages name the denying policy's ARN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
    /// The API operation of a CLI/SDK wrapper (`PutObject`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The encoded authorization message, for `aws sts decode-authorization-message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_message: Option<String>,
}

fn cause_str<S: serde::Serializer>(c: &Option<Cause>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.unwrap_or(Cause::Unknown).as_str())
}

impl Denial {
    pub fn cause(&self) -> Cause {
        self.cause.unwrap_or(Cause::Unknown)
    }
}

/// Largest message read; longer input is cut there (error messages are short).
const MAX_MESSAGE: usize = 64 * 1024;

/// Reads `message`; `None` when it is not an AccessDenied message at all.
pub fn parse_denial(message: &str) -> Option<Denial> {
    let mut cut = message.len().min(MAX_MESSAGE);
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    // Wrapped lines, JSON escapes and quotes: one line of words.
    let text: String = message[..cut]
        .replace("\\n", " ")
        .replace("\\\"", "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = text.to_ascii_lowercase();
    let mut d = Denial {
        operation: operation(&text),
        ..Default::default()
    };

    if let Some(i) = lower.find("encoded authorization failure message:") {
        let rest = &text[i + "encoded authorization failure message:".len()..];
        d.encoded_message = rest
            .split_whitespace()
            .next()
            .map(trim_token)
            .map(str::to_string);
        d.cause = Some(Cause::Encoded);
        return Some(d);
    }

    let phrase = "not authorized to perform";
    let Some(at) = lower.find(phrase) else {
        let denied = [
            "accessdenied",
            "access denied",
            "unauthorizedoperation",
            "unauthorizedaccess",
            "not authorized",
            "status code: 403",
            "statuscode: 403",
        ]
        .iter()
        .any(|w| lower.contains(w));
        return denied.then(|| {
            d.cause = Some(Cause::Unknown);
            d
        });
    };

    // Who: the ARN after "User:" (or the last ARN) before the phrase.
    let before = &text[..at];
    let principal = before
        .rfind("User:")
        .or_else(|| before.rfind("user:"))
        .map(|i| &before[i + 5..])
        .and_then(|s| s.split_whitespace().next())
        .or_else(|| {
            before
                .split_whitespace()
                .rev()
                .find(|w| trim_token(w).starts_with("arn:"))
        })
        .map(trim_token)
        .filter(|p| p.starts_with("arn:") || p.chars().all(|c| c.is_ascii_digit()));
    if let Some(p) = principal {
        d.principal = Some(p.to_string());
        let parts: Vec<&str> = p.splitn(6, ':').collect();
        if parts.len() == 6 {
            d.account = Some(parts[4].to_string()).filter(|a| !a.is_empty());
            let res = parts[5];
            d.role = res
                .strip_prefix("assumed-role/")
                .and_then(|r| r.split('/').next())
                .or_else(|| res.strip_prefix("role/").and_then(|r| r.rsplit('/').next()))
                .map(str::to_string);
        }
    }

    // What: the action after the phrase.
    let after = text[at + phrase.len()..].trim_start_matches([':', ' ']);
    let mut words = after.split_whitespace();
    if let Some(a) = words.next().map(trim_token)
        && let Some((svc, name)) = a.split_once(':')
        && !svc.is_empty()
        && !name.is_empty()
    {
        d.action = Some(format!("{}:{name}", svc.to_ascii_lowercase()));
    }
    let after_lower = after.to_ascii_lowercase();

    // On what.
    if let Some(i) = after_lower.find("on resource") {
        let rest = after[i + "on resource".len()..].trim_start_matches([':', ' ']);
        if let Some(r) = rest.split_whitespace().next().map(trim_token)
            && !r.is_empty()
        {
            d.resource = Some(r.to_string());
        }
    }

    // Why.
    d.cause = Some(cause_of(&after_lower).unwrap_or(Cause::Unknown));
    if let Some(i) = after_lower
        .find(" policy:")
        .or_else(|| after_lower.find(" boundary:"))
    {
        let rest = &after[i..];
        d.policy_arn = rest
            .split_whitespace()
            .find(|w| trim_token(w).starts_with("arn:"))
            .map(|w| trim_token(w).to_string());
    }
    Some(d)
}

/// The cause phrase of IAM's sentence (the text after "not authorized to perform").
fn cause_of(after: &str) -> Option<Cause> {
    use Cause::*;
    if let Some(i) = after.find("explicit deny") {
        let rest = &after[i..];
        let table: &[(&str, Cause)] = &[
            ("through a service control policy", ExplicitDenyScp),
            ("service control policy", ExplicitDenyScp),
            ("resource control policy", ExplicitDenyRcp),
            ("identity-based policy", ExplicitDenyIdentity),
            ("resource-based policy", ExplicitDenyResource),
            ("permissions boundary", ExplicitDenyBoundary),
            ("session policy", ExplicitDenySession),
            ("sessions policy", ExplicitDenySession),
            ("vpc endpoint policy", ExplicitDenyVpcEndpoint),
            ("role trust policy", ExplicitDenyTrust),
        ];
        return table
            .iter()
            .find(|(p, _)| rest.contains(p))
            .map(|(_, c)| *c);
    }
    if let Some(i) = after.find("because") {
        let rest = &after[i..];
        let table: &[(&str, Cause)] = &[
            ("no identity-based policy allows", NoIdentityAllow),
            ("no resource-based polic", NoResourceAllow),
            ("no permissions boundary allows", NoBoundaryAllow),
            ("no service control policy allows", NoScpAllow),
            ("no session policy allows", NoSessionAllow),
            ("no vpc endpoint policy allows", NoVpcEndpointAllow),
            ("role trust policy", NoTrustAllow),
        ];
        return table
            .iter()
            .find(|(p, _)| rest.contains(p))
            .map(|(_, c)| *c);
    }
    None
}

/// `PutObject` from `... when calling the PutObject operation: ...`.
fn operation(text: &str) -> Option<String> {
    let i = text.find("when calling the ")?;
    let rest = &text[i + "when calling the ".len()..];
    let op = rest.split_whitespace().next()?;
    rest.split_whitespace()
        .nth(1)
        .is_some_and(|w| w.starts_with("operation"))
        .then(|| op.to_string())
}

fn trim_token(w: &str) -> &str {
    w.trim_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | ',' | ';' | ')' | '(' | '<' | '>' | '[' | ']'
        )
    })
    .trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_example() {
        let d = parse_denial("User: arn:aws:sts::123456789012:assumed-role/string-reverser/fn is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::my-bucket/out.txt because no identity-based policy allows the s3:PutObject action").unwrap();
        assert_eq!(d.role.as_deref(), Some("string-reverser"));
        assert_eq!(d.action.as_deref(), Some("s3:PutObject"));
        assert_eq!(
            d.resource.as_deref(),
            Some("arn:aws:s3:::my-bucket/out.txt")
        );
        assert_eq!(d.cause(), Cause::NoIdentityAllow);
    }

    #[test]
    fn not_a_denial() {
        assert!(parse_denial("hello world").is_none());
        assert!(parse_denial("").is_none());
    }
}
