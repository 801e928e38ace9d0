//! Property tests: any document the model can hold renders and parses back to itself,
//! and any well-formed ARN prints back to the text it was parsed from.

use indexmap::IndexMap;
use proptest::prelude::*;
use rolesmith::policy::arn::{Arn, wildcard_match};
use rolesmith::policy::source::parse_policy;
use rolesmith::policy::{
    ConditionScalar, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap, Statement,
};

fn text() -> impl Strategy<Value = String> + Clone {
    // Printable ASCII and Latin-1 plus the escapes JSON must handle.
    "[a-zA-Z0-9:/*?._ \\-\"\\\\é\t\n]{0,24}"
}

fn one_or_many(
    s: impl Strategy<Value = String> + Clone,
) -> impl Strategy<Value = OneOrMany<String>> {
    prop_oneof![
        s.clone().prop_map(OneOrMany::One),
        prop::collection::vec(s, 0..4).prop_map(OneOrMany::Many),
    ]
}

fn scalar() -> impl Strategy<Value = ConditionScalar> {
    prop_oneof![
        text().prop_map(ConditionScalar::String),
        any::<bool>().prop_map(ConditionScalar::Bool),
        any::<i64>().prop_map(|n| ConditionScalar::Number(n.into())),
    ]
}

fn condition()
-> impl Strategy<Value = IndexMap<String, IndexMap<String, OneOrMany<ConditionScalar>>>> {
    let values = prop_oneof![
        scalar().prop_map(OneOrMany::One),
        prop::collection::vec(scalar(), 0..3).prop_map(OneOrMany::Many),
    ];
    let inner = prop::collection::vec((text(), values), 1..3)
        .prop_map(|v| v.into_iter().collect::<IndexMap<_, _>>());
    prop::collection::vec(("[A-Za-z:]{1,20}", inner), 1..3)
        .prop_map(|v| v.into_iter().collect::<IndexMap<_, _>>())
}

fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        Just(Principal::Any),
        (
            prop::option::of(one_or_many(text())),
            prop::option::of(one_or_many(text())),
            prop::option::of(one_or_many(text())),
        )
            .prop_map(|(aws, service, federated)| Principal::Map(PrincipalMap {
                aws,
                service,
                federated,
                canonical_user: None,
            })),
    ]
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::option::of("[A-Za-z0-9]{1,12}"),
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        prop::option::of(principal()),
        prop::option::of(one_or_many(text())),
        prop::option::of(one_or_many(text())),
        prop::option::of(one_or_many(text())),
        prop::option::of(condition()),
    )
        .prop_map(
            |(sid, effect, principal, action, not_action, resource, condition)| Statement {
                sid,
                effect,
                principal,
                not_principal: None,
                action,
                not_action,
                resource,
                not_resource: None,
                condition,
            },
        )
}

fn document() -> impl Strategy<Value = PolicyDocument> {
    (
        prop::option::of(prop_oneof![
            Just("2012-10-17".to_string()),
            Just("2008-10-17".to_string())
        ]),
        prop::option::of("[a-z0-9-]{1,10}"),
        prop_oneof![
            statement().prop_map(OneOrMany::One),
            prop::collection::vec(statement(), 0..4).prop_map(OneOrMany::Many),
        ],
    )
        .prop_map(|(version, id, statement)| PolicyDocument {
            version,
            id,
            statement,
        })
}

proptest! {
    #[test]
    fn documents_round_trip_through_text(doc in document()) {
        let pretty = doc.to_pretty_json();
        let parsed = parse_policy("prop.json", &pretty).expect("rendered text parses");
        prop_assert_eq!(&parsed.document, &doc);
        prop_assert_eq!(parsed.document.to_pretty_json(), pretty);
        let compact = parse_policy("prop.json", &doc.to_compact_json()).expect("compact parses");
        prop_assert_eq!(compact.document, doc);
    }

    #[test]
    fn arns_print_back_to_their_text(
        partition in prop::sample::select(vec!["aws", "aws-cn", "aws-us-gov"]),
        service in "[a-z][a-z0-9-]{0,15}",
        region in prop_oneof![Just(String::new()), "[a-z]{2}-[a-z]{4,9}-[1-9]"],
        account in prop_oneof![Just(String::new()), "[0-9]{12}"],
        resource in "[a-zA-Z0-9/:*?._-]{1,40}",
    ) {
        let text = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
        let arn = Arn::parse_strict(&text).expect("well-formed ARN");
        prop_assert_eq!(arn.to_string(), text);
        prop_assert_eq!(arn.resource, resource);
    }

    #[test]
    fn arn_parsing_never_panics(text in ".{0,80}") {
        let _ = Arn::parse_strict(&text);
        let _ = Arn::parse(&text);
    }

    #[test]
    fn a_string_matches_itself_and_star(s in "[a-zA-Z0-9:/._-]{0,30}") {
        prop_assert!(wildcard_match(&s, &s));
        prop_assert!(wildcard_match("*", &s));
    }
}
