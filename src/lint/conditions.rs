//! Checks of `Condition` blocks: operators, operator/key type agreement, and service keys
//! that none of the statement's actions supports.
//!
//! Codes: `unknown-condition-operator`, `condition-type-mismatch`,
//! `condition-key-not-applicable`.

use crate::catalog::{Action, ConditionType, Service};
use crate::policy::source::push_pointer_token;

use super::context::{LintContext, Resolved};
use super::{Doc, Finding, PolicyKind};

/// The families of IAM's condition operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

const OPERATORS: &[(&str, OperatorFamily)] = &[
    ("StringEquals", OperatorFamily::String),
    ("StringNotEquals", OperatorFamily::String),
    ("StringEqualsIgnoreCase", OperatorFamily::String),
    ("StringNotEqualsIgnoreCase", OperatorFamily::String),
    ("StringLike", OperatorFamily::String),
    ("StringNotLike", OperatorFamily::String),
    ("NumericEquals", OperatorFamily::Numeric),
    ("NumericNotEquals", OperatorFamily::Numeric),
    ("NumericLessThan", OperatorFamily::Numeric),
    ("NumericLessThanEquals", OperatorFamily::Numeric),
    ("NumericGreaterThan", OperatorFamily::Numeric),
    ("NumericGreaterThanEquals", OperatorFamily::Numeric),
    ("DateEquals", OperatorFamily::Date),
    ("DateNotEquals", OperatorFamily::Date),
    ("DateLessThan", OperatorFamily::Date),
    ("DateLessThanEquals", OperatorFamily::Date),
    ("DateGreaterThan", OperatorFamily::Date),
    ("DateGreaterThanEquals", OperatorFamily::Date),
    ("Bool", OperatorFamily::Bool),
    ("BinaryEquals", OperatorFamily::Binary),
    ("IpAddress", OperatorFamily::IpAddress),
    ("NotIpAddress", OperatorFamily::IpAddress),
    ("ArnEquals", OperatorFamily::Arn),
    ("ArnLike", OperatorFamily::Arn),
    ("ArnNotEquals", OperatorFamily::Arn),
    ("ArnNotLike", OperatorFamily::Arn),
    ("Null", OperatorFamily::Null),
];

/// Parses an operator with its `ForAllValues:`/`ForAnyValue:` prefix and `IfExists` suffix.
/// `None` when IAM does not know it (operators are case-sensitive; `Null` takes neither).
pub fn parse_operator(op: &str) -> Option<OperatorFamily> {
    let (set, rest) = match op.split_once(':') {
        Some(("ForAllValues" | "ForAnyValue", rest)) => (true, rest),
        Some(_) => return None,
        None => (false, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let family = OPERATORS
        .iter()
        .find(|(n, _)| *n == base)
        .map(|(_, f)| *f)?;
    if family == OperatorFamily::Null && (set || if_exists) {
        return None;
    }
    Some(family)
}

/// Does an operator family fit a key type?
fn fits(family: OperatorFamily, t: ConditionType) -> bool {
    use ConditionType as T;
    use OperatorFamily as F;
    match family {
        F::Null | F::Binary => true,
        F::String => matches!(t, T::String | T::ArrayOfString | T::Arn | T::ArrayOfArn),
        // String keys often hold ARNs (`kms:EncryptionContext:aws:s3:arn`, tags naming
        // resources), and AWS's own policies and documentation compare them with ArnLike.
        F::Arn => matches!(t, T::Arn | T::ArrayOfArn | T::String | T::ArrayOfString),
        F::Numeric => matches!(t, T::Numeric | T::ArrayOfNumeric),
        F::Date => matches!(t, T::Date | T::ArrayOfDate),
        F::Bool => matches!(t, T::Bool | T::ArrayOfBool),
        F::IpAddress => matches!(t, T::IpAddress | T::ArrayOfIpAddress),
    }
}

/// The operators to suggest for a key type.
fn operators_for(t: ConditionType) -> &'static str {
    use ConditionType as T;
    match t {
        T::String | T::ArrayOfString => "String* operators (StringEquals, StringLike, ...)",
        T::Arn | T::ArrayOfArn => "Arn* operators (ArnEquals, ArnLike, ...)",
        T::Numeric | T::ArrayOfNumeric => "Numeric* operators",
        T::Date | T::ArrayOfDate => "Date* operators",
        T::Bool | T::ArrayOfBool => "Bool",
        T::IpAddress | T::ArrayOfIpAddress => "IpAddress or NotIpAddress",
    }
}

pub(crate) fn check(cx: &LintContext<'_>, d: &Doc<'_>, out: &mut Vec<Finding>) {
    for (i, s) in d.statements().iter().enumerate() {
        let Some(block) = &s.condition else { continue };
        let base = d.field(i, "Condition");
        // The statement's actions, for condition-key-not-applicable (identity policies).
        let actions = if d.kind == PolicyKind::Trust {
            None
        } else {
            statement_actions(cx, s.actions())
        };
        for (op, keys) in block {
            let mut op_pointer = base.clone();
            push_pointer_token(&mut op_pointer, op);
            let Some(family) = parse_operator(op) else {
                out.push(
                    Finding::new(
                        "unknown-condition-operator",
                        format!(
                            "\"{op}\" is not an IAM condition operator{}",
                            suggest_operator(op)
                        ),
                        op_pointer,
                    )
                    .with_statement(i),
                );
                continue;
            };
            for (key, values) in keys {
                let mut key_pointer = op_pointer.clone();
                push_pointer_token(&mut key_pointer, key);
                // Comparing with a policy variable is comparing two values as strings,
                // whatever their type: `"StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4":
                // "${aws:VpcSourceIp}"}` is AWS's own data-perimeter pattern.
                let against_variable = family == OperatorFamily::String
                    && values.iter().all(|v| v.as_text().contains("${"));
                if let Some(types) = cx.condition_types(key)
                    && !types.is_empty()
                    && !against_variable
                    && !types.iter().any(|t| fits(family, *t))
                {
                    out.push(
                        Finding::new(
                            "condition-type-mismatch",
                            format!(
                                "{op} does not fit {key}, which is of type {}: use {}",
                                types[0],
                                operators_for(types[0])
                            ),
                            key_pointer.clone(),
                        )
                        .with_statement(i),
                    );
                }
                if let Some(actions) = &actions {
                    not_applicable(cx, key, actions, i, key_pointer, out);
                }
            }
        }
    }
}

/// Every action of the statement if all of its entries resolve (else the check is skipped:
/// unknown actions are reported on their own).
fn statement_actions<'c>(
    cx: &LintContext<'c>,
    entries: &[String],
) -> Option<Vec<(&'c Service, &'c Action)>> {
    if entries.is_empty() {
        return None;
    }
    let mut all = Vec::new();
    for e in entries {
        match cx.resolve(e) {
            Resolved::Known { index, actions } if !actions.is_empty() => {
                all.extend(actions.iter().map(|&a| (index.service, a)));
            }
            _ => return None,
        }
    }
    Some(all)
}

/// Does a catalog key name stand for `key`? Names may be templates: a `${Placeholder}` or
/// `<placeholder>` anywhere (`kms:EncryptionContext:${EncryptionContextKey}`,
/// `s3:RequestObjectTag/<key>`), or the reference's literal `tag-key` after a `/`
/// (`secretsmanager:ResourceTag/tag-key`), each standing for any non-empty text.
pub(crate) fn key_matches(name: &str, key: &str) -> bool {
    if name.eq_ignore_ascii_case(key) {
        return true;
    }
    let has_placeholder = name.contains(['$', '<']);
    let tag_key = name.ends_with("/tag-key");
    if !has_placeholder && !tag_key {
        return false;
    }
    let name = if tag_key && !has_placeholder {
        // `…/tag-key`: the literal stands for any tag key.
        &name[..name.len() - "tag-key".len()]
    } else {
        name
    };
    template_matches(name, key, tag_key && !has_placeholder)
}

/// Does `key` fit `template`, whose `${…}`/`<…>` parts each stand for one or more
/// characters (and, with `open_end`, a non-empty tail after the last literal)? Ignores
/// ASCII case; allocates nothing (the lints ask this for every key of every service).
fn template_matches(template: &str, key: &str, open_end: bool) -> bool {
    // Split the template into literal pieces around its placeholders.
    let mut pieces: [&str; 8] = [""; 8];
    let mut n = 0;
    let mut rest = template;
    loop {
        let open = match (rest.find("${"), rest.find('<')) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let Some(i) = open else { break };
        let close = if rest[i..].starts_with("${") {
            '}'
        } else {
            '>'
        };
        let Some(end) = rest[i..].find(close) else {
            break;
        };
        if n == pieces.len() - 1 {
            return false;
        }
        pieces[n] = &rest[..i];
        n += 1;
        rest = &rest[i + end + 1..];
    }
    pieces[n] = rest;
    let pieces = &pieces[..=n];
    let wild_after_last = open_end;
    // The first piece is a prefix, the last a suffix (unless the end is open), the others
    // appear in order with at least one character before each.
    let key_b = key.as_bytes();
    let eq = |a: &[u8], b: &[u8]| a.eq_ignore_ascii_case(b);
    let first = pieces[0].as_bytes();
    if key_b.len() < first.len() || !eq(&key_b[..first.len()], first) {
        return false;
    }
    let mut at = first.len();
    let last_index = pieces.len() - 1;
    for (k, piece) in pieces.iter().enumerate().skip(1) {
        let p = piece.as_bytes();
        if k == last_index && !wild_after_last {
            // The last literal ends the key, after at least one character.
            return key_b.len() >= at + 1 + p.len() && eq(&key_b[key_b.len() - p.len()..], p);
        }
        // Find the piece after at least one character.
        let from = at + 1;
        let found =
            (from..=key_b.len().saturating_sub(p.len())).find(|&j| eq(&key_b[j..j + p.len()], p));
        match found {
            Some(j) => at = j + p.len(),
            None => return false,
        }
    }
    if wild_after_last {
        key_b.len() > at
    } else {
        // A template without placeholders was compared for equality above.
        at == key_b.len()
    }
}

/// Keys about tags (`svc:ResourceTag/...`, `svc:RequestTag/...`, `svc:TagKeys`): services
/// evaluate them on more requests than the reference links them to.
fn is_tag_key(key: &str) -> bool {
    let name = key
        .split_once(':')
        .map_or(key, |(_, n)| n)
        .to_ascii_lowercase();
    name.starts_with("resourcetag/") || name.starts_with("requesttag/") || name == "tagkeys"
}

/// Does any action or resource type of the service name the key? A key that none names
/// is set on requests of other services (`ec2:SourceInstanceARN` on every call made with
/// an instance's credentials, `lambda:SourceFunctionArn`, `glue:RoleAssumedBy`): it can
/// apply to any action.
fn linked_to_actions(service: &Service, key: &str) -> bool {
    service.actions.values().any(|a| {
        a.conditions.iter().any(|c| key_matches(c, key))
            || a.resources
                .iter()
                .any(|ar| ar.conditions.iter().any(|c| key_matches(c, key)))
    }) || service
        .resources
        .values()
        .any(|rt| rt.conditions.iter().any(|c| key_matches(c, key)))
}

/// `condition-key-not-applicable`, claimed only where the reference proves it: a key the
/// service does not define at all, or an action-scoped key of the statement's own service
/// that none of its actions (nor their resource types) lists. Global `aws:` keys, keys of
/// another service, tag keys and keys set by other services' requests are never judged.
fn not_applicable(
    cx: &LintContext<'_>,
    key: &str,
    actions: &[(&Service, &Action)],
    i: usize,
    pointer: String,
    out: &mut Vec<Finding>,
) {
    let Some((prefix, _)) = key.split_once(':') else {
        return;
    };
    if prefix.eq_ignore_ascii_case("aws") {
        return;
    }
    let Some(index) = cx.service(prefix) else {
        return;
    };
    // The service defines the key (a lookup the context caches).
    let known = cx.condition_types(key).is_some();
    if !known {
        out.push(
            Finding::new(
                "condition-key-not-applicable",
                format!(
                    "{key} is not a condition key of {} in the loaded catalog",
                    index.service.prefix
                ),
                pointer,
            )
            .with_statement(i),
        );
        return;
    }
    let own_service = actions
        .iter()
        .all(|(svc, _)| svc.prefix.eq_ignore_ascii_case(&index.service.prefix));
    if !own_service || is_tag_key(key) {
        return;
    }
    let supported = actions.iter().any(|(svc, a)| {
        a.conditions.iter().any(|c| key_matches(c, key))
            || a.resources.iter().any(|ar| {
                ar.conditions.iter().any(|c| key_matches(c, key))
                    || svc
                        .resources
                        .get(&ar.type_name)
                        .is_some_and(|rt| rt.conditions.iter().any(|c| key_matches(c, key)))
            })
    });
    // Asked only now: it walks every action of the service.
    if !supported && linked_to_actions(index.service, key) {
        let names: Vec<String> = actions
            .iter()
            .map(|(s, a)| format!("{}:{}", s.prefix, a.name))
            .collect();
        out.push(
            Finding::new(
                "condition-key-not-applicable",
                format!(
                    "{key} is supported by none of the statement's actions ({}), so the condition never matches",
                    super::actions::list_names(names)
                ),
                pointer,
            )
            .with_statement(i),
        );
    }
}

fn suggest_operator(op: &str) -> String {
    let lower = op.to_ascii_lowercase();
    let stem = lower.trim_end_matches("ifexists");
    OPERATORS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| {
            let l = n.to_ascii_lowercase();
            l == stem || l.trim_end_matches('s') == stem.trim_end_matches('s')
        })
        .map(|n| format!(" (did you mean {n}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_forms() {
        assert_eq!(parse_operator("StringEquals"), Some(OperatorFamily::String));
        assert_eq!(
            parse_operator("ForAnyValue:StringLikeIfExists"),
            Some(OperatorFamily::String)
        );
        assert_eq!(parse_operator("Null"), Some(OperatorFamily::Null));
        assert_eq!(parse_operator("NullIfExists"), None);
        assert_eq!(parse_operator("ForAllValues:Null"), None);
        assert_eq!(parse_operator("stringequals"), None);
        assert_eq!(parse_operator("StringEqual"), None);
        assert_eq!(parse_operator("ForSomeValues:StringEquals"), None);
        assert!(suggest_operator("StringEqual").contains("StringEquals"));
    }

    #[test]
    fn template_keys_of_every_spelling() {
        assert!(key_matches(
            "kms:EncryptionContext:${EncryptionContextKey}",
            "kms:EncryptionContext:aws:s3:arn"
        ));
        assert!(key_matches(
            "secretsmanager:ResourceTag/tag-key",
            "secretsmanager:ResourceTag/aws:secretsmanager:owningService"
        ));
        assert!(!key_matches(
            "kms:EncryptionContext:${EncryptionContextKey}",
            "kms:EncryptionContext:"
        ));
        assert!(is_tag_key("ssm:resourceTag/team"));
        assert!(!is_tag_key("kms:ViaService"));
    }

    #[test]
    fn template_keys() {
        assert!(key_matches(
            "s3:RequestObjectTag/<key>",
            "s3:RequestObjectTag/team"
        ));
        assert!(key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:resourcetag/team"
        ));
        assert!(!key_matches("s3:x-amz-acl", "s3:x-amz-acl2"));
    }
}
