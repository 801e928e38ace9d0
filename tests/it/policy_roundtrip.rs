//! Round trips of the policy model: every ok policy parses, renders and parses back to the
//! same document (and renders to its own text), and generated documents and ARNs survive
//! render → parse unchanged (proptest).

use std::path::Path;

use proptest::prelude::*;
use rolesmith::policy::arn::{Arn, PARTITIONS, pattern_fits_template, wildcard_match};
use rolesmith::policy::source::parse_policy;
use rolesmith::policy::{
    ConditionBlock, ConditionScalar, Effect, OneOrMany, PolicyDocument, Principal, PrincipalMap,
    Statement,
};

#[test]
fn ok_policies_round_trip_to_the_same_document_and_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies/ok");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: PolicyDocument = serde_json::from_str(&text).unwrap();
        let rendered = doc.to_pretty_json();
        let again: PolicyDocument = serde_json::from_str(&rendered).unwrap();
        assert_eq!(doc, again, "{}", path.display());
        assert_eq!(format!("{rendered}\n"), text, "{}", path.display());
        n += 1;
    }
    assert!(n >= 30);
}

fn one_or_many<T: std::fmt::Debug + Clone + 'static>(
    item: impl Strategy<Value = T> + Clone + 'static,
) -> impl Strategy<Value = OneOrMany<T>> {
    prop_oneof![
        item.clone().prop_map(OneOrMany::One),
        prop::collection::vec(item, 0..4).prop_map(OneOrMany::Many),
    ]
}

fn action() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        ("[a-z][a-z0-9-]{1,12}", "[A-Z][A-Za-z*?]{0,20}").prop_map(|(s, a)| format!("{s}:{a}")),
    ]
}

fn arn() -> impl Strategy<Value = Arn> {
    (
        prop::sample::select(PARTITIONS),
        "[a-z][a-z0-9-]{0,15}",
        prop_oneof![
            Just(String::new()),
            "[a-z]{2}-[a-z]{4,9}-[1-9]".prop_map(|s| s)
        ],
        prop_oneof![Just(String::new()), "[0-9]{12}".prop_map(|s| s)],
        "[A-Za-z0-9/:._*-]{1,40}",
    )
        .prop_map(|(partition, service, region, account, resource)| Arn {
            partition: partition.to_string(),
            service,
            region,
            account,
            resource,
        })
}

fn resource() -> impl Strategy<Value = String> + Clone {
    prop_oneof![Just("*".to_string()), arn().prop_map(|a| a.to_string())]
}

fn scalar() -> impl Strategy<Value = ConditionScalar> {
    prop_oneof![
        "[ -~]{0,20}".prop_map(ConditionScalar::String),
        any::<bool>().prop_map(ConditionScalar::Bool),
        any::<i64>().prop_map(|n| ConditionScalar::Number(n.into())),
    ]
}

fn condition() -> impl Strategy<Value = ConditionBlock> {
    prop::collection::vec(
        (
            "(ForAnyValue:)?String(Equals|Like)(IfExists)?|Bool|NumericLessThan|ArnLike|Null",
            prop::collection::vec(
                (
                    "[a-z]{2,8}:[A-Za-z/]{1,16}",
                    prop_oneof![
                        scalar().prop_map(OneOrMany::One),
                        prop::collection::vec(scalar(), 0..3).prop_map(OneOrMany::Many),
                    ],
                ),
                1..3,
            ),
        ),
        1..3,
    )
    .prop_map(|ops| {
        ops.into_iter()
            .map(|(op, keys)| (op, keys.into_iter().collect()))
            .collect()
    })
}

fn principal() -> impl Strategy<Value = Principal> {
    let list = || prop::option::of(one_or_many("[a-z0-9.:/-]{1,30}"));
    prop_oneof![
        Just(Principal::Any),
        (list(), list(), list()).prop_map(|(aws, service, federated)| {
            Principal::Map(PrincipalMap {
                aws,
                service,
                federated,
                canonical_user: None,
            })
        }),
    ]
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::option::of("[A-Za-z0-9]{1,12}"),
        prop::bool::ANY,
        prop::option::of(principal()),
        prop::option::of(one_or_many(action())),
        prop::option::of(one_or_many(action())),
        prop::option::of(one_or_many(resource())),
        prop::option::of(condition()),
    )
        .prop_map(
            |(sid, allow, principal, action, not_action, resource, condition)| Statement {
                sid,
                effect: if allow { Effect::Allow } else { Effect::Deny },
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
        prop::option::of("[a-z0-9-]{1,12}"),
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
    fn documents_survive_render_and_parse(doc in document()) {
        let compact = doc.to_compact_json();
        let back: PolicyDocument = serde_json::from_str(&compact).unwrap();
        prop_assert_eq!(&back, &doc);
        let pretty: PolicyDocument = serde_json::from_str(&doc.to_pretty_json()).unwrap();
        prop_assert_eq!(back.to_compact_json(), pretty.to_compact_json());
    }

    #[test]
    fn documents_survive_the_positioned_parser(doc in document()) {
        let pretty = doc.to_pretty_json();
        let parsed = parse_policy("prop.json", &pretty).expect("rendered text parses");
        prop_assert_eq!(&parsed.document, &doc);
        prop_assert_eq!(parsed.document.to_pretty_json(), pretty);
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

    #[test]
    fn arns_survive_print_and_parse(a in arn()) {
        let text = a.to_string();
        let back = Arn::parse(&text).unwrap();
        prop_assert_eq!(&back, &a);
        prop_assert!(Arn::parse_strict(&text).is_ok(), "{}", text);
    }

    #[test]
    fn an_arn_built_from_a_template_fits_it(
        bucket in "[a-z0-9][a-z0-9.-]{2,20}",
        key in "[A-Za-z0-9/._-]{1,30}",
    ) {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket_t = "arn:${Partition}:s3:::${BucketName}";
        let objects = format!("arn:aws:s3:::{bucket}/{key}");
        let the_bucket = format!("arn:aws:s3:::{bucket}");
        prop_assert!(pattern_fits_template(&objects, object));
        prop_assert!(pattern_fits_template(&the_bucket, bucket_t));
        prop_assert!(!pattern_fits_template(&the_bucket, object));
    }
}
