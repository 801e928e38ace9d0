//! The least statement that grants one denied request: the exact action, and the resource
//! in the catalog's ARN form for the resource type the action acts on (never `*` unless
//! the action supports nothing else), plus a wider form for the same container
//! (`bucket/*` for an object, `log-group:G:*` for a stream).

use std::collections::HashSet;

use serde::Serialize;

use crate::catalog::Service;
use crate::policy::arn::{pattern_fits_template_with, slash_free_placeholders};
use crate::policy::{Effect, OneOrMany, Statement};
use crate::role::{InlinePolicySpec, RoleSpec, StatementSpec};

use super::engine::ServiceFacts;

/// A proposed statement and how it was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub action: String,
    /// The resource exactly as denied (or `*` for an action without resource types).
    pub resource: String,
    /// The same container, any name inside it: equal to `resource` when there is no
    /// container to widen to.
    pub wider: String,
    /// The catalog's resource type the resource fits (`object`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// What was assumed, when the catalog or the message left something open.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Proposal {
    /// The statement as a policy document holds it.
    pub fn statement(&self, wider: bool) -> Statement {
        Statement {
            effect: Effect::Allow,
            action: Some(OneOrMany::One(self.action.clone())),
            resource: Some(OneOrMany::One(if wider {
                self.wider.clone()
            } else {
                self.resource.clone()
            })),
            ..Default::default()
        }
    }

    /// The statement in the role file's form.
    pub fn statement_spec(&self, wider: bool) -> StatementSpec {
        StatementSpec::from_statement(self.statement(wider), Vec::new())
    }
}

/// Proposes the statement for `action` on `resource` (`None` when the message named none;
/// `account`/`partition` then fill the catalog's template).
pub fn propose(
    action: &str,
    resource: Option<&str>,
    account: Option<&str>,
    facts: Option<&dyn ServiceFacts>,
) -> Proposal {
    let mut notes = Vec::new();
    let (prefix, name) = action.split_once(':').unwrap_or((action, ""));
    let service = facts.and_then(|f| f.service(prefix));
    let act = service.and_then(|s| {
        s.actions
            .values()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    });
    let action_name = match act {
        Some(a) => format!("{}:{}", prefix.to_ascii_lowercase(), a.name),
        None => action.to_string(),
    };
    let (Some(service), Some(act)) = (service, act) else {
        let r = resource.unwrap_or("*").to_string();
        notes.push(format!("{action} is not in the loaded catalog: the resource is used as the message gives it (run `rolesmith catalog update` for every service)"));
        return Proposal {
            action: action_name,
            wider: r.clone(),
            resource: r,
            resource_type: None,
            notes,
        };
    };
    if act.resources.is_empty() {
        return Proposal {
            action: action_name.clone(),
            resource: "*".into(),
            wider: "*".into(),
            resource_type: None,
            notes: vec![format!(
                "{action_name} supports no resource-level permissions: it is granted on \"*\""
            )],
        };
    }
    let slash_free = slash_free_placeholders(
        service
            .resources
            .values()
            .flat_map(|r| r.arn_formats.iter().map(String::as_str)),
    );
    let templates: Vec<(&str, &str)> = act
        .resources
        .iter()
        .filter_map(|r| service.resources.get(&r.type_name))
        .flat_map(|rt| {
            rt.arn_formats
                .iter()
                .map(move |t| (rt.name.as_str(), t.as_str()))
        })
        .collect();
    let Some(resource) = resource.filter(|r| *r != "*") else {
        // No resource named: the first template, account filled, the rest open.
        let (type_name, template) = templates[0];
        let r = open_template(template, account);
        notes.push(format!("the message names no resource: {r} is every {type_name} in the account; narrow it to the one the call used"));
        return Proposal {
            action: action_name,
            wider: r.clone(),
            resource: r,
            resource_type: Some(type_name.to_string()),
            notes,
        };
    };
    let fitting = templates
        .iter()
        .find(|(_, t)| pattern_fits_template_with(resource, t, &slash_free));
    let Some((type_name, template)) = fitting else {
        notes.push(format!(
            "{resource} fits none of the ARN forms {action_name} takes ({}): check the resource",
            templates
                .iter()
                .map(|(_, t)| *t)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return Proposal {
            action: action_name,
            wider: resource.to_string(),
            resource: resource.to_string(),
            resource_type: None,
            notes,
        };
    };
    let wider =
        widen(resource, template, &slash_free, service).unwrap_or_else(|| resource.to_string());
    Proposal {
        action: action_name,
        resource: resource.to_string(),
        wider,
        resource_type: Some(type_name.to_string()),
        notes,
    }
}

/// Adds `statement` to the role's inline policy `policy` (default: the first; a new one
/// named [`crate::role::patch::NEW_POLICY_NAME`] when the role has none), as
/// `denied --apply` writes it into the file.
pub fn add_to_role(role: &mut RoleSpec, policy: Option<&str>, statement: StatementSpec) {
    let index = match policy {
        Some(name) => role.policies.iter().position(|p| p.name == name),
        None => (!role.policies.is_empty()).then_some(0),
    };
    match index {
        Some(i) => role.policies[i].statements.push(statement),
        None => role.policies.push(InlinePolicySpec {
            name: policy
                .unwrap_or(crate::role::patch::NEW_POLICY_NAME)
                .to_string(),
            statements: vec![statement],
            ..Default::default()
        }),
    }
}

/// `arn:${Partition}:s3:::${BucketName}` → `arn:aws:s3:::*` (the account filled).
fn open_template(template: &str, account: Option<&str>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else { break };
        let name = &rest[i + 2..i + j];
        out.push_str(match name {
            "Partition" => "aws",
            "Account" => account.unwrap_or("*"),
            _ => "*",
        });
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// The last placeholder of the template's resource part opened to `*`, when an earlier
/// placeholder there keeps it inside one container. Secrets keep their name and open only
/// the six random characters AWS appends.
fn widen(
    resource: &str,
    template: &str,
    slash_free: &HashSet<String>,
    service: &Service,
) -> Option<String> {
    let values = decompose(resource, template, slash_free)?;
    let resource_part_start = template.match_indices(':').nth(4).map(|(i, _)| i)?;
    let in_resource: Vec<&(String, usize, usize, usize)> = values
        .iter()
        .filter(|(_, tpos, _, _)| *tpos > resource_part_start)
        .collect();
    let last = in_resource.last()?;
    if service.prefix == "secretsmanager" && last.0 == "SecretId" {
        let name = &resource[last.2..last.3];
        let (stem, suffix) = name.rsplit_once('-')?;
        if suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(format!(
                "{}{stem}-??????{}",
                &resource[..last.2],
                &resource[last.3..]
            ));
        }
        return None;
    }
    if in_resource.len() < 2 {
        return None;
    }
    Some(format!("{}*{}", &resource[..last.2], &resource[last.3..]))
}

/// Matches a concrete ARN against a template: each placeholder as (name, offset in the
/// template, start, end in the ARN). Placeholders before the resource part hold no `:`;
/// slash-free ones no `/`.
fn decompose(
    arn: &str,
    template: &str,
    slash_free: &HashSet<String>,
) -> Option<Vec<(String, usize, usize, usize)>> {
    enum T<'a> {
        Lit(&'a str),
        Var(&'a str, usize),
    }
    let mut toks = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(i) = rest.find("${") {
        if i > 0 {
            toks.push(T::Lit(&rest[..i]));
        }
        let j = rest[i..].find('}')?;
        toks.push(T::Var(&rest[i + 2..i + j], offset + i));
        offset += i + j + 1;
        rest = &rest[i + j + 1..];
    }
    if !rest.is_empty() {
        toks.push(T::Lit(rest));
    }
    let resource_start = template
        .match_indices(':')
        .nth(4)
        .map_or(usize::MAX, |(i, _)| i);
    fn go(
        toks: &[T<'_>],
        arn: &str,
        at: usize,
        slash_free: &HashSet<String>,
        resource_start: usize,
        out: &mut Vec<(String, usize, usize, usize)>,
    ) -> bool {
        let Some(first) = toks.first() else {
            return at == arn.len();
        };
        match first {
            T::Lit(l) => {
                arn[at..].starts_with(l)
                    && go(
                        &toks[1..],
                        arn,
                        at + l.len(),
                        slash_free,
                        resource_start,
                        out,
                    )
            }
            T::Var(name, tpos) => {
                let forbid_colon = *tpos < resource_start;
                let forbid_slash = slash_free.contains(*name);
                let mut end = at;
                for (i, c) in arn[at..].char_indices() {
                    if (forbid_colon && c == ':') || (forbid_slash && c == '/') {
                        break;
                    }
                    end = at + i + c.len_utf8();
                }
                // Longest first; a placeholder holds at least one character (except region
                // and account, which may be empty in ARNs such as S3's).
                let min = if matches!(*name, "Region" | "Account") {
                    at
                } else {
                    at + 1
                };
                let mut e = end;
                loop {
                    if e < min || !arn.is_char_boundary(e) {
                        if e <= at {
                            return false;
                        }
                        e -= 1;
                        continue;
                    }
                    out.push((name.to_string(), *tpos, at, e));
                    if go(&toks[1..], arn, e, slash_free, resource_start, out) {
                        return true;
                    }
                    out.pop();
                    if e == at {
                        return false;
                    }
                    e -= 1;
                }
            }
        }
    }
    let mut out = Vec::new();
    go(&toks, arn, 0, slash_free, resource_start, &mut out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn p(action: &str, resource: &str) -> Proposal {
        propose(action, Some(resource), None, Some(Catalog::embedded()))
    }

    #[test]
    fn objects_widen_to_their_bucket() {
        let x = p("s3:PutObject", "arn:aws:s3:::my-bucket/out.txt");
        assert_eq!(x.resource, "arn:aws:s3:::my-bucket/out.txt");
        assert_eq!(x.wider, "arn:aws:s3:::my-bucket/*");
        assert_eq!(x.resource_type.as_deref(), Some("object"));
    }

    #[test]
    fn tables_and_queues_stay_exact_secrets_open_their_suffix() {
        let t = p(
            "dynamodb:PutItem",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
        );
        assert_eq!(t.wider, t.resource);
        let s = p(
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123",
        );
        assert_eq!(
            s.wider,
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-??????"
        );
        let star = p("s3:ListAllMyBuckets", "arn:aws:s3:::*");
        assert_eq!(star.resource, "*");
        let stream = p(
            "logs:PutLogEvents",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:2024/abc",
        );
        assert_eq!(
            stream.wider,
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:*"
        );
    }
}
