//! Properties of the evaluation engine over generated requests: an Allow statement built
//! from a request allows it (also with wildcards standing for parts of it); adding a
//! matching Deny always denies; the engine never panics on any pattern.

use proptest::prelude::*;
use rolesmith::eval::{Decision, Policy, PolicyKind, PolicySet, Request};
use rolesmith::policy::{
    ConditionBlock, ConditionScalar, Effect, OneOrMany, PolicyDocument, Statement,
};

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9._/-]{0,20}"
}

prop_compose! {
    fn request()(
        service in "[a-z][a-z0-9-]{1,10}",
        action in "[A-Z][a-zA-Z]{2,20}",
        region in prop_oneof![Just(String::new()), "[a-z]{2}-[a-z]{4,7}-[1-9]"],
        account in prop_oneof![Just(String::new()), "[0-9]{12}"],
        res in name(),
        keys in proptest::collection::vec(("[a-z]{2,6}:[A-Za-z]{2,10}", "[ -~]{0,12}"), 0..3),
    ) -> Request {
        let mut r = Request::new(
            &format!("{service}:{action}"),
            Some(&format!("arn:aws:{service}:{region}:{account}:{res}")),
        );
        for (k, v) in keys {
            // `$` would start a policy variable in the condition value.
            r.context.insert(&k, vec![v.replace('$', "")]);
        }
        r
    }
}

fn statement_for(r: &Request, effect: Effect, action: String, resource: String) -> Statement {
    let mut cond: ConditionBlock = Default::default();
    for (k, v) in r.context.iter() {
        cond.entry("StringEquals".into()).or_default().insert(
            k.to_string(),
            OneOrMany::One(ConditionScalar::String(v[0].clone())),
        );
    }
    Statement {
        effect,
        action: Some(OneOrMany::One(action)),
        resource: Some(OneOrMany::One(resource)),
        condition: (!cond.is_empty()).then_some(cond),
        ..Default::default()
    }
}

fn decide(statements: Vec<Statement>, r: &Request) -> Decision {
    let mut set = PolicySet::new();
    set.add_identity(Policy::new(
        PolicyKind::Inline,
        "p",
        PolicyDocument::new(statements),
    ));
    set.evaluate(r, None).decision
}

/// Escapes what would be a wildcard or a variable in a literal resource.
fn literal(s: &str) -> String {
    s.replace('$', "${$}")
        .replace('*', "${*}")
        .replace('?', "${?}")
}

proptest! {
    #[test]
    fn an_allow_built_from_a_request_allows_it(r in request(), upper in any::<bool>()) {
        let action = if upper { r.action.to_uppercase() } else { r.action.clone() };
        let s = statement_for(&r, Effect::Allow, action, literal(r.resource_or_star()));
        prop_assert_eq!(decide(vec![s], &r), Decision::Allowed);
    }

    #[test]
    fn wildcards_for_parts_of_the_request_still_allow(r in request(), cut in 0usize..30) {
        let (svc, act) = r.action.split_once(':').unwrap();
        let keep = cut.min(act.len());
        let action = format!("{svc}:{}*", &act[..keep]);
        let resource = r.resource_or_star();
        let at = resource.match_indices(':').nth(4).map(|(i, _)| i + 1).unwrap();
        let keep_res = (at + cut).min(resource.len());
        let pattern = format!("{}*", literal(&resource[..keep_res]));
        let s = statement_for(&r, Effect::Allow, action, pattern);
        prop_assert_eq!(decide(vec![s], &r), Decision::Allowed);
    }

    #[test]
    fn a_matching_deny_always_denies(r in request(), deny_first in any::<bool>()) {
        let allow = statement_for(&r, Effect::Allow, "*".into(), "*".into());
        let deny = statement_for(&r, Effect::Deny, r.action.clone(), literal(r.resource_or_star()));
        let statements = if deny_first { vec![deny, allow] } else { vec![allow, deny] };
        prop_assert_eq!(decide(statements, &r), Decision::ExplicitDeny);
    }

    #[test]
    fn any_pattern_evaluates_without_panicking(r in request(), action in "[ -~]{0,30}", resource in "[ -~]{0,60}", value in "[ -~]{0,30}", op in "[A-Za-z:]{0,30}") {
        let mut s = statement_for(&r, Effect::Allow, action, resource);
        let mut cond: ConditionBlock = Default::default();
        cond.entry(op).or_default().insert("aws:SourceIp".into(), OneOrMany::One(ConditionScalar::String(value)));
        s.condition = Some(cond);
        let _ = decide(vec![s], &r);
    }
}
