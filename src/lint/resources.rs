//! Checks of `Resource`/`NotResource` against the statement's actions.
//!
//! Codes: `invalid-arn`, `resource-mismatch`, `resource-wildcard`, `allow-not-resource`,
//! `pass-role-wildcard`.

use std::rc::Rc;

use crate::catalog::Action;
use crate::policy::arn::{Arn, PolicyResource, PreparedPattern, parse_policy_resource};
use crate::policy::{Effect, Statement};

use super::actions::list_names;
use super::arn_facts;
use super::context::{LintContext, Resolved, ServiceIndex};
use super::{Doc, Edit, Finding, Fix, PolicyKind, StatementPart};

/// An `Action` entry resolved to catalog actions.
struct Entry<'c, 'd> {
    raw: &'d str,
    index: Rc<ServiceIndex<'c>>,
    actions: Rc<[&'c Action]>,
}

pub(crate) fn check(cx: &LintContext<'_>, d: &Doc<'_>, out: &mut Vec<Finding>) {
    // Reused from statement to statement.
    let mut valid: Vec<(usize, &str)> = Vec::new();
    let mut entries: Vec<Entry<'_, '_>> = Vec::new();
    for (i, s) in d.statements().iter().enumerate() {
        let allow = s.effect == Effect::Allow;
        valid.clear();
        entries.clear();
        for (field, list) in [("Resource", &s.resource), ("NotResource", &s.not_resource)] {
            let Some(list) = list else { continue };
            for (j, r) in list.iter().enumerate() {
                if r == "*" {
                    if field == "Resource" {
                        valid.push((j, r));
                    }
                    continue;
                }
                match parse_policy_resource(r) {
                    Ok(PolicyResource::Arn(arn)) => {
                        if let Some(problem) = arn_facts::check(&arn, r) {
                            let mut f = Finding::new(
                                problem.code,
                                problem.message,
                                d.item(i, field, list, j),
                            )
                            .with_statement(i);
                            if let Some(instead) = problem.instead.filter(|_| field == "Resource") {
                                f = f.with_fix(Fix::new(
                                    format!("use {instead} instead of {r}"),
                                    vec![Edit::ReplaceResource {
                                        statement: i,
                                        index: j,
                                        with: instead,
                                    }],
                                ));
                            }
                            out.push(f);
                            continue;
                        }
                        if field == "Resource" {
                            valid.push((j, r));
                        }
                    }
                    Ok(PolicyResource::Pattern) => {
                        if field == "Resource" {
                            valid.push((j, r));
                        }
                    }
                    Err(e) => out.push(
                        Finding::new(
                            "invalid-arn",
                            format!("{r}: {e}"),
                            d.item(i, field, list, j),
                        )
                        .with_statement(i),
                    ),
                }
            }
        }
        if allow && d.kind != PolicyKind::Scp && s.not_resource.is_some() {
            out.push(
                Finding::new(
                    "allow-not-resource",
                    "Allow with NotResource grants the actions on every other resource, including ones created later",
                    d.field(i, "NotResource"),
                )
                .with_statement(i),
            );
        }
        let (Some(resources), Some(actions)) = (&s.resource, &s.action) else {
            continue;
        };
        let mut everything = false;
        for a in actions.iter() {
            match cx.resolve(a) {
                Resolved::Known { index, actions } if !actions.is_empty() => entries.push(Entry {
                    raw: a,
                    index,
                    actions,
                }),
                Resolved::Everything => everything = true,
                _ => {}
            }
        }
        if !valid.is_empty() {
            mismatch(d, i, s, &entries, &valid, out);
        }
        // In trust, resource and control policies an Allow does not hand the actions to a
        // holder (a key policy's "*" is the key itself): no breadth warnings there.
        let grants = allow && d.kind.grants_to_holder();
        if grants && let Some(&(star, _)) = valid.iter().find(|(_, r)| *r == "*") {
            let pointer = d.item(i, "Resource", resources, star);
            wildcard(cx, i, &entries, everything, pointer.clone(), out);
        }
        if grants {
            pass_role(cx, d, i, s, &entries, everything, out);
        }
    }
}

/// Can `action` of `index`'s service apply to the resource pattern `r`?
fn fits(index: &ServiceIndex<'_>, action: &Action, r: &PreparedPattern<'_>) -> bool {
    if r.as_str() == "*" {
        return true;
    }
    action.resources.iter().any(|ar| {
        match index.templates(&ar.type_name) {
            Some(templates) => templates.iter().any(|t| t.fits_prepared(r)),
            // A resource type the catalog does not describe: give the benefit of the doubt.
            None => true,
        }
    })
}

fn entry_fits(e: &Entry<'_, '_>, r: &PreparedPattern<'_>) -> bool {
    e.actions.iter().any(|a| fits(&e.index, a, r))
}

/// The ARN templates an entry's actions need, for messages.
fn templates(e: &Entry<'_, '_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in e.actions.iter() {
        for ar in &a.resources {
            if let Some(rt) = e.index.service.resources.get(&ar.type_name)
                && let Some(t) = rt.arn_formats.first()
                && !out.contains(t)
            {
                out.push(t.clone());
            }
        }
    }
    // The plainest forms first (a bucket's objects before an access point's).
    out.sort_by_key(|t| (t.matches("${").count(), t.len()));
    out
}

/// Other forms of `r` that a mismatched action may have meant: the objects in a bucket,
/// the bucket of an object pattern, or `*` for actions that only work on `*`.
fn candidates(r: &str, star_too: bool) -> Vec<String> {
    let mut out = Vec::new();
    if r == "*" {
        return out;
    }
    if let Some(stripped) = r.strip_suffix("/*") {
        out.push(stripped.to_string());
    } else {
        out.push(format!("{r}/*"));
        if let Ok(arn) = Arn::parse(r)
            && let Some(cut) = arn.resource.rfind('/')
        {
            let mut a = arn.clone();
            a.resource.truncate(cut);
            if !a.resource.is_empty() {
                out.push(a.to_string());
            }
        }
    }
    if star_too {
        out.push("*".to_string());
    }
    out
}

fn mismatch(
    d: &Doc<'_>,
    i: usize,
    s: &Statement,
    entries: &[Entry<'_, '_>],
    valid: &[(usize, &str)],
    out: &mut Vec<Finding>,
) {
    // Each resource taken apart once for all the templates it is fitted to.
    let prepared: Vec<PreparedPattern<'_>> =
        valid.iter().map(|(_, r)| PreparedPattern::new(r)).collect();
    let (bad, good): (Vec<&Entry<'_, '_>>, Vec<&Entry<'_, '_>>) = entries
        .iter()
        .partition(|e| !prepared.iter().any(|r| entry_fits(e, r)));
    if bad.is_empty() {
        return;
    }
    // One replacement resource that every mismatched entry fits.
    // `*` is only offered for actions that work on nothing else.
    let star_too = bad
        .iter()
        .all(|e| e.actions.iter().all(|a| a.resources.is_empty()));
    let replacement = valid.iter().find_map(|&(j, r)| {
        candidates(r, star_too)
            .into_iter()
            .find(|c| {
                let c = PreparedPattern::new(c);
                bad.iter().all(|e| entry_fits(e, &c))
            })
            .map(|c| (j, r, c))
    });
    let fix = replacement.as_ref().map(|(j, r, c)| {
        if good.is_empty() {
            Fix::new(
                format!("use {c} instead of {r}"),
                vec![Edit::ReplaceResource {
                    statement: i,
                    index: *j,
                    with: c.clone(),
                }],
            )
        } else {
            let keep: Vec<String> = s.resources().to_vec();
            Fix::new(
                format!(
                    "split the statement: {} on {}, {} on {c}",
                    list_names(good.iter().map(|e| e.raw.to_string()).collect()),
                    keep.join(", "),
                    list_names(bad.iter().map(|e| e.raw.to_string()).collect()),
                ),
                vec![Edit::SplitStatement {
                    statement: i,
                    parts: vec![
                        StatementPart {
                            actions: good.iter().map(|e| e.raw.to_string()).collect(),
                            resources: keep,
                        },
                        StatementPart {
                            actions: bad.iter().map(|e| e.raw.to_string()).collect(),
                            resources: vec![c.clone()],
                        },
                    ],
                }],
            )
        }
    });
    let shown: Vec<String> = valid.iter().map(|(_, r)| r.to_string()).collect();
    for e in bad {
        let t = templates(e);
        let needs = if t.is_empty() {
            "it only works with \"*\"".to_string()
        } else {
            format!("it needs {}", list_names(t))
        };
        let mut message = format!(
            "{} applies to none of the resources ({}): {needs}",
            e.raw,
            shown.join(", ")
        );
        if let Some((_, r, c)) = &replacement {
            message.push_str(&format!("; use {c} instead of {r}"));
        }
        let mut f =
            Finding::new("resource-mismatch", message, d.field(i, "Resource")).with_statement(i);
        if let Some(fix) = &fix {
            f = f.with_fix(fix.clone());
        }
        out.push(f);
    }
}

fn wildcard(
    cx: &LintContext<'_>,
    i: usize,
    entries: &[Entry<'_, '_>],
    everything: bool,
    pointer: String,
    out: &mut Vec<Finding>,
) {
    let scoped: Vec<(&Entry<'_, '_>, &Action)> = if everything {
        let all = cx.every_action();
        let n = all.iter().filter(|(_, a)| !a.resources.is_empty()).count();
        if n > 0 {
            out.push(
                Finding::new(
                    "resource-wildcard",
                    format!("\"*\" as resource for {n} actions that can be scoped to resources"),
                    pointer,
                )
                .with_statement(i),
            );
        }
        return;
    } else {
        // Only the count, the names the message lists and one template are needed:
        // `s3:*` alone has 165 scopable actions.
        let mut shown: Vec<(&Entry<'_, '_>, &Action)> = Vec::new();
        for e in entries {
            // iam:PassRole on `*` is `pass-role-wildcard`'s to report.
            let iam = e.index.service.prefix == "iam";
            for a in e.actions.iter() {
                let pass_role = iam && a.name == "PassRole";
                if a.resources.is_empty() || pass_role {
                    continue;
                }
                if shown.len() < LISTED {
                    shown.push((e, a));
                }
            }
        }
        shown
    };
    let Some(&(e, a)) = scoped.first() else {
        return;
    };
    let template = a
        .resources
        .iter()
        .filter_map(|ar| e.index.service.resources.get(&ar.type_name))
        .filter_map(|rt| rt.arn_formats.first())
        .min_by_key(|t| (t.matches("${").count(), t.len()))
        .cloned()
        .unwrap_or_default();
    let first = format!("{}:{}", e.index.service.prefix, a.name);
    let count = count_of(entries);
    let message = if count == 1 {
        format!("\"*\" as resource for {first}, which can be scoped: name it like {template}")
    } else {
        let mut names: Vec<String> = scoped
            .iter()
            .map(|(e, a)| format!("{}:{}", e.index.service.prefix, a.name))
            .collect();
        if count > names.len() {
            names.push(format!("{} more", count - names.len()));
        }
        format!(
            "\"*\" as resource for {count} actions that can be scoped ({}): name the resources, e.g. {first} takes {template}",
            names.join(", ")
        )
    };
    out.push(Finding::new("resource-wildcard", message, pointer).with_statement(i));
}

/// How many actions `resource-wildcard` names before "N more" (as `list_names`).
const LISTED: usize = 8;

/// The actions of the entries that can be scoped to resources (iam:PassRole aside).
fn count_of(entries: &[Entry<'_, '_>]) -> usize {
    entries
        .iter()
        .map(|e| {
            let iam = e.index.service.prefix == "iam";
            e.actions
                .iter()
                .filter(|a| {
                    let pass_role = iam && a.name == "PassRole";
                    !a.resources.is_empty() && !pass_role
                })
                .count()
        })
        .sum()
}

/// Does the statement's condition name the services a passed role may go to?
pub(crate) fn limits_passed_to_service(s: &Statement) -> bool {
    !passed_to_services(s).is_empty()
}

/// The values an `iam:PassedToService` condition (any positive operator) allows.
pub(crate) fn passed_to_services(s: &Statement) -> Vec<String> {
    let Some(c) = &s.condition else {
        return Vec::new();
    };
    c.iter()
        .filter(|(op, _)| !op.contains("Not"))
        .flat_map(|(_, keys)| keys.iter())
        .filter(|(k, _)| k.eq_ignore_ascii_case("iam:PassedToService"))
        .flat_map(|(_, v)| v.iter().map(|x| x.as_text()))
        .collect()
}

/// A role ARN pattern that names any role.
pub(crate) fn any_role(r: &str) -> bool {
    if r == "*" {
        return true;
    }
    // arn:PARTITION:iam::ACCOUNT:RESOURCE, read without allocating (escalation checks ask
    // this of every resource of every statement that allows iam:PassRole).
    let mut parts = r.splitn(6, ':');
    parts.next() == Some("arn")
        && parts.next().is_some()
        && parts.next() == Some("iam")
        && parts.next().is_some()
        && parts.next().is_some()
        && matches!(parts.next(), Some("*" | "role/*" | "role*"))
}

/// Service prefixes and the principal their roles are passed to.
const BY_PREFIX: &[(&str, &str)] = &[
    ("lambda", "lambda.amazonaws.com"),
    ("ecs", "ecs-tasks.amazonaws.com"),
    ("ec2", "ec2.amazonaws.com"),
    ("glue", "glue.amazonaws.com"),
    ("sagemaker", "sagemaker.amazonaws.com"),
    ("codebuild", "codebuild.amazonaws.com"),
    ("cloudformation", "cloudformation.amazonaws.com"),
    ("states", "states.amazonaws.com"),
    ("events", "events.amazonaws.com"),
    ("scheduler", "scheduler.amazonaws.com"),
    ("datapipeline", "datapipeline.amazonaws.com"),
    ("batch", "batch.amazonaws.com"),
];

/// The service principal a passed role is most likely meant for, from the other actions.
fn passed_to_service(d: &Doc<'_>) -> String {
    d.statements()
        .iter()
        .flat_map(|s| s.actions())
        .find_map(|a| principal_for_prefix(a.split_once(':')?.0).map(str::to_string))
        .unwrap_or_else(|| "lambda.amazonaws.com".to_string())
}

/// The service principal that receives a role passed for actions of `prefix`.
pub(crate) fn principal_for_prefix(prefix: &str) -> Option<&'static str> {
    BY_PREFIX
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(prefix))
        .map(|(_, svc)| *svc)
}

const ROLE_PLACEHOLDER: &str = "arn:aws:iam::${Account}:role/${RoleName}";

fn pass_role(
    _cx: &LintContext<'_>,
    d: &Doc<'_>,
    i: usize,
    s: &Statement,
    entries: &[Entry<'_, '_>],
    everything: bool,
    out: &mut Vec<Finding>,
) {
    let passes = everything
        || entries.iter().any(|e| {
            e.index.service.prefix == "iam" && e.actions.iter().any(|a| a.name == "PassRole")
        });
    // `iam:PassedToService` already limits which service may receive the role: the
    // wildcard is then AWS's own pattern for service roles.
    if !passes || limits_passed_to_service(s) {
        return;
    }
    let Some(resources) = &s.resource else { return };
    let Some(star) = resources.iter().position(|r| any_role(r)) else {
        return;
    };
    let service = passed_to_service(d);
    let only_pass_role = s.actions().len() == 1
        && s.actions()[0].eq_ignore_ascii_case("iam:PassRole")
        && resources.len() == 1;
    let condition = |statement| Edit::AddCondition {
        statement,
        operator: "StringEquals".into(),
        key: "iam:PassedToService".into(),
        values: vec![service.clone()],
    };
    let fix = if only_pass_role {
        Fix::new(
            format!("name the role ({ROLE_PLACEHOLDER}) and allow passing it to {service} only"),
            vec![
                Edit::ReplaceResource {
                    statement: i,
                    index: star,
                    with: ROLE_PLACEHOLDER.into(),
                },
                condition(i),
            ],
        )
    } else {
        let others: Vec<String> = s
            .actions()
            .iter()
            .filter(|a| !a.eq_ignore_ascii_case("iam:PassRole"))
            .cloned()
            .collect();
        let mut edits = Vec::new();
        if others.is_empty() {
            edits.push(Edit::SplitStatement {
                statement: i,
                parts: vec![StatementPart {
                    actions: vec!["iam:PassRole".into()],
                    resources: vec![ROLE_PLACEHOLDER.into()],
                }],
            });
            edits.push(condition(i));
        } else {
            edits.push(Edit::SplitStatement {
                statement: i,
                parts: vec![
                    StatementPart {
                        actions: others,
                        resources: s.resources().to_vec(),
                    },
                    StatementPart {
                        actions: vec!["iam:PassRole".into()],
                        resources: vec![ROLE_PLACEHOLDER.into()],
                    },
                ],
            });
            edits.push(condition(i + 1));
        }
        Fix::new(
            format!(
                "move iam:PassRole to its own statement on {ROLE_PLACEHOLDER}, passed to {service} only"
            ),
            edits,
        )
    };
    let explicit = s
        .actions()
        .iter()
        .any(|a| a.eq_ignore_ascii_case("iam:PassRole"));
    let mut f = Finding::new(
        "pass-role-wildcard",
        format!(
            "iam:PassRole on {} lets the holder pass any role, administrators included, to a service",
            resources.as_slice()[star]
        ),
        d.item(i, "Resource", resources, star),
    )
    .with_statement(i);
    // A fix only when the statement names iam:PassRole (not through a wildcard).
    if explicit {
        f = f.with_fix(fix);
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::mini_catalog;
    use crate::lint::{PolicyKind, lint_document};
    use crate::policy::PolicyDocument;

    fn lint(statements: &str) -> Vec<Finding> {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let doc: PolicyDocument = serde_json::from_str(&text).unwrap();
        lint_document(&doc, PolicyKind::Identity, &mini_catalog(), None)
    }

    #[test]
    fn object_actions_on_a_bucket_are_fixed_to_its_objects() {
        let f = lint(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}"#);
        let m = f.iter().find(|f| f.code == "resource-mismatch").unwrap();
        assert_eq!(
            m.fix.as_ref().unwrap().edits,
            vec![Edit::ReplaceResource {
                statement: 0,
                index: 0,
                with: "arn:aws:s3:::b/*".into()
            }]
        );
        // And bucket actions on objects, the other way round.
        let f =
            lint(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}"#);
        let m = f.iter().find(|f| f.code == "resource-mismatch").unwrap();
        assert!(
            m.message.contains("use arn:aws:s3:::b instead"),
            "{}",
            m.message
        );
    }

    #[test]
    fn wildcards_on_both_sides_fit() {
        let f = lint(
            r#"{"Effect":"Allow","Action":["s3:Get*","dynamodb:Query"],"Resource":["arn:aws:s3:::logs-??/*","arn:*:dynamodb:*:*:table/Orders*"]}"#,
        );
        assert!(!f.iter().any(|f| f.code == "resource-mismatch"), "{f:#?}");
    }

    #[test]
    fn only_star_actions_and_pass_role_on_star() {
        let f = lint(
            r#"{"Effect":"Allow","Action":["s3:ListAllMyBuckets","sts:GetCallerIdentity"],"Resource":"*"}"#,
        );
        assert!(f.is_empty(), "{f:#?}");
        let f =
            lint(r#"{"Effect":"Allow","Action":["iam:PassRole","ecs:RunTask"],"Resource":"*"}"#);
        let p = f.iter().find(|f| f.code == "pass-role-wildcard").unwrap();
        let fix = p.fix.as_ref().unwrap();
        assert!(
            matches!(&fix.edits[1], Edit::AddCondition { statement: 1, values, .. } if values == &vec!["ecs-tasks.amazonaws.com".to_string()])
        );
        let w = f.iter().find(|f| f.code == "resource-wildcard").unwrap();
        assert!(
            w.message.contains("ecs:RunTask") && !w.message.contains("iam:PassRole"),
            "{}",
            w.message
        );
    }

    /// The fits the lint takes (patterns and templates prepared, shortcuts for plain parts)
    /// answer as the plain token search does, for every ARN template of the embedded
    /// catalog, against tricky patterns and against each template filled in many ways.
    #[test]
    fn prepared_fits_answer_as_the_token_search_on_every_catalog_template() {
        use crate::policy::arn::{
            PreparedTemplate, fits_by_search, pattern_fits_template_with, slash_free_placeholders,
        };
        let fixed = [
            "*",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x/y",
            "arn:aws:s3:::",
            "arn:aws:s3:::*",
            "arn:aws:s3:::b:c",
            "arn:aws:s3:::a?c/*",
            "arn:aws:s3:::b${*}",
            "arn:aws:s3:::café/ü",
            "arn:*:s3:::b",
            "arn:aws:sqs:*",
            "arn:aws:cloudfront::*",
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:*",
            "arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:ssm:*::document/AWS-*",
            "arn:aws::::",
            "arn:aws:lambda:eu-west-1:123456789012:function:f:1",
            "arn:aws:events:eu-west-1:123456789012:rule/aws.partner/saas/bus/r",
        ];
        let fillers = ["x", "a/b", "a:b", "", "*", "?", "é", "x*y"];
        let catalog = crate::catalog::Catalog::embedded();
        let mut checked = 0usize;
        for service in catalog.services() {
            let templates: Vec<&str> = service
                .resources
                .values()
                .flat_map(|r| r.arn_formats.iter().map(String::as_str))
                .collect();
            let slash_free = slash_free_placeholders(templates.iter().copied());
            for &t in &templates {
                let prepared = PreparedTemplate::new(t, &slash_free);
                let filled = fillers.iter().map(|f| fill(t, f));
                for p in fixed.iter().map(|p| p.to_string()).chain(filled) {
                    let want = fits_by_search(&p, t, &slash_free);
                    assert_eq!(prepared.fits(&p), want, "{p} against {t}");
                    assert_eq!(
                        pattern_fits_template_with(&p, t, &slash_free),
                        want,
                        "{p} against {t}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "only {checked} fits checked");
    }

    /// `template` with every `${…}` replaced by `with`.
    fn fill(template: &str, with: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            match rest[start..].find('}') {
                Some(end) => {
                    out.push_str(with);
                    rest = &rest[start + end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn malformed_arns_name_the_part() {
        let f = lint(
            r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":["arn:aws:sqs:eu-west-1:1234:q"]}"#,
        );
        let bad = f.iter().find(|f| f.code == "invalid-arn").unwrap();
        assert_eq!(bad.location.pointer, "/Statement/0/Resource/0");
        assert!(bad.message.contains("12-digit"));
    }
}
