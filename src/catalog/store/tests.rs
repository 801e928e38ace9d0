//! The catalog's loading and lookups, and that decoding each service on first use answers
//! exactly as decoding the whole stored catalog at once did.

use super::*;

#[test]
fn embedded_catalog_covers_the_guide_services() {
    let c = Catalog::embedded();
    assert!(c.source().starts_with("embedded "), "{}", c.source());
    for prefix in crate::catalog::EMBEDDED_SERVICES {
        let s = c
            .service(prefix)
            .unwrap_or_else(|| panic!("{prefix} missing"));
        assert!(!s.actions.is_empty(), "{prefix} has no actions");
    }
    assert_eq!(c.services().len(), crate::catalog::EMBEDDED_SERVICES.len());
}

#[test]
fn lookups_ignore_case() {
    let c = Catalog::embedded();
    assert_eq!(c.service("S3").map(|s| s.prefix.as_str()), Some("s3"));
    assert_eq!(
        c.action("s3", "putobject").map(|a| a.name.as_str()),
        Some("PutObject")
    );
    assert_eq!(
        c.action("IAM", "PASSROLE").map(|a| a.access),
        Some(crate::catalog::AccessLevel::Write)
    );
    assert!(c.resource_type("s3", "OBJECT").is_some());
    assert!(c.action("s3", "NoSuchThing").is_none());
    assert!(c.action("nosuchservice", "GetObject").is_none());
}

#[test]
fn condition_keys_by_name_and_template() {
    let c = Catalog::embedded();
    assert!(c.condition_key("s3:x-amz-acl").is_some());
    assert!(c.condition_key("S3:X-AMZ-ACL").is_some());
    assert!(c.condition_key("aws:ResourceTag/team").is_some());
    assert!(c.condition_key("s3:nope").is_none());
    assert!(c.condition_key("no-colon").is_none());
    assert!(template_matches(
        "s3:RequestObjectTag/${TagKey}",
        "s3:requestobjecttag/env"
    ));
    assert!(!template_matches(
        "s3:RequestObjectTag/${TagKey}",
        "s3:RequestObjectTag/"
    ));
    assert!(template_matches(
        "s3:RequestObjectTag/<key>",
        "s3:RequestObjectTag/env"
    ));
    assert!(c.condition_key("s3:RequestObjectTag/env").is_some());
}

#[test]
fn broken_user_catalog_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    std::fs::write(&path, b"{\"format\":1,").unwrap();
    let e = Catalog::load_with(Some(&path)).unwrap_err().to_string();
    assert!(e.contains("catalog.json"), "{e}");
    // No file: the embedded catalog.
    let c = Catalog::load_with(Some(&dir.path().join("absent.json"))).unwrap();
    assert!(c.source().starts_with("embedded"));
}

#[test]
fn curation_is_applied_to_the_embedded_facts() {
    let c = Catalog::embedded();
    let s3 = c.service("s3").unwrap();
    assert_ne!(s3.name, "s3", "display name curated");
    let pass = c.action("iam", "PassRole").unwrap();
    assert!(pass.summary.is_some() && pass.featured);
    assert!(
        pass.risks
            .contains(&crate::catalog::RiskTag::PrivilegeEscalation)
    );
    assert!(
        c.condition_key("aws:SourceArn").is_some(),
        "global keys from the curated layer"
    );
    assert!(c.condition_key("AWS:PrincipalTag/team").is_some());
    assert!(c.global_condition_keys().count() > 10);
}

#[test]
fn curation_applies_over_imported_facts_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    let mut iam = Catalog::embedded().service("iam").unwrap().clone();
    iam.name = "iam".into();
    for a in iam.actions.values_mut() {
        a.summary = None;
        a.featured = false;
        a.risks.clear();
    }
    std::fs::write(
        &path,
        wire::encode("imported", "2026-11-29", None, &[], [&iam]),
    )
    .unwrap();
    let c = Catalog::load_with(Some(&path)).unwrap();
    assert_ne!(c.service("iam").unwrap().name, "iam");
    assert!(c.action("iam", "PassRole").unwrap().summary.is_some());
}

#[test]
fn user_catalog_overlays_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    let demo = Service {
        prefix: "demo".into(),
        name: "demo".into(),
        ..Service::default()
    };
    let bytes = wire::encode("imported", "2026-11-29", None, &[], [&demo]);
    std::fs::write(&path, bytes).unwrap();
    let c = Catalog::load_with(Some(&path)).unwrap();
    assert_eq!(c.source(), "imported 2026-11-29");
    assert!(c.service("demo").is_some());
    assert!(c.service("s3").is_some(), "embedded services stay");
    assert_eq!(c.user_file(), Some(path.as_path()));
}

/// The answers of the old, eager load: every service decoded from the whole file, then the
/// whole curated layer laid over the map (what `Catalog::load` did before decoding lazily).
fn eager(bytes: &[u8], curate: bool) -> IndexMap<String, Service> {
    let mut map: IndexMap<String, Service> = wire::decode("eager", bytes)
        .expect("decodes whole")
        .services
        .into_iter()
        .map(|s| (s.prefix.clone(), s))
        .collect();
    map.sort_unstable_keys();
    if curate {
        crate::catalog::curated::curated().apply_to(&mut map);
    }
    map
}

fn assert_same(lazy: &Catalog, eager: &IndexMap<String, Service>) {
    // Every service asked one by one (each decoded on its own) ...
    for (prefix, service) in eager {
        assert_eq!(lazy.service(prefix), Some(service), "{prefix}");
    }
    // ... and all of them in order.
    let all: Vec<&Service> = lazy.services().collect();
    assert_eq!(all, eager.values().collect::<Vec<_>>());
    let prefixes: Vec<&str> = lazy.service_prefixes().collect();
    assert_eq!(
        prefixes,
        eager.keys().map(String::as_str).collect::<Vec<_>>()
    );
}

#[test]
fn lazy_embedded_catalog_answers_as_the_eager_decode() {
    assert_same(Catalog::embedded(), &eager(EMBEDDED_FACTS, true));
    let bare = Catalog::decode_embedded_facts().unwrap();
    assert_same(&bare, &eager(EMBEDDED_FACTS, false));
    assert_eq!(bare.decode_all(), crate::catalog::EMBEDDED_SERVICES.len());
    // Clones share the decoded services and answer the same.
    assert_same(&Catalog::embedded().clone(), &eager(EMBEDDED_FACTS, true));
}

#[test]
fn lazy_imported_catalog_answers_as_the_eager_decode() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog/good");
    let set = crate::catalog::import::read_path(&fixture).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    crate::catalog::import::write_user_catalog(&set, "imported", &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    // The overlay: the user's services, then the embedded ones it lacks, all curated.
    let mut expected = eager(&bytes, false);
    for (prefix, s) in eager(EMBEDDED_FACTS, false) {
        expected.entry(prefix).or_insert(s);
    }
    expected.sort_unstable_keys();
    crate::catalog::curated::curated().apply_to(&mut expected);
    assert!(expected.len() > crate::catalog::EMBEDDED_SERVICES.len());
    // Asked in a different order each time: first one service, then all.
    let c = Catalog::load_with(Some(&path)).unwrap();
    assert_eq!(
        c.action("demo", "GetWidget").map(|a| a.name.as_str()),
        expected["demo"]
            .actions
            .get("GetWidget")
            .map(|a| a.name.as_str())
    );
    assert_same(&c, &expected);
    assert_same(&Catalog::load_with(Some(&path)).unwrap(), &expected);
    let bare = Catalog::read_user_file(&path).unwrap();
    assert_same(&bare, &eager(&bytes, false));
}

#[test]
fn a_format_1_catalog_still_loads() {
    let iam = Catalog::embedded().service("iam").unwrap().clone();
    let d = wire::decode(
        "x",
        &wire::encode("imported", "2026-11-29", None, &[], [&iam]),
    )
    .unwrap();
    assert_eq!(d.services.len(), 1);
    // The whole-document layout of format 1, as catalogs imported before the index hold it.
    let new = wire::encode("imported", "2026-11-29", None, &[], [&iam]);
    let body = &new[new.iter().position(|&b| b == b'\n').unwrap() + 1..];
    let old = format!(
        r#"{{"format":1,"kind":"imported","date":"2026-11-29","skipped":[],"services":{}}}"#,
        std::str::from_utf8(body).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    std::fs::write(&path, old).unwrap();
    let c = Catalog::load_with(Some(&path)).unwrap();
    assert_eq!(c.source(), "imported 2026-11-29");
    assert_eq!(c.service("iam"), Catalog::embedded().service("iam"));
}

#[test]
fn a_broken_service_is_absent_and_a_broken_index_is_an_error() {
    let demo = Service {
        prefix: "demo".into(),
        name: "demo".into(),
        ..Service::default()
    };
    let zed = Service {
        prefix: "zed".into(),
        name: "zed".into(),
        ..Service::default()
    };
    let good = wire::encode("imported", "2026-11-29", None, &[], [&demo, &zed]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.json");
    // The bytes of one service damaged inside (its range still opens with its prefix).
    let text = String::from_utf8(good.clone()).unwrap();
    let damaged = text.replacen(r#"["demo",[]"#, r#"["demo",{}"#, 1);
    assert_ne!(damaged, text);
    std::fs::write(&path, &damaged).unwrap();
    let c = Catalog::load_with(Some(&path)).unwrap();
    assert!(c.service("demo").is_none(), "read as not in the catalog");
    assert!(c.service("zed").is_some());
    assert!(c.service("s3").is_some());
    assert!(wire::decode("x", damaged.as_bytes()).is_err());
    // An index that points elsewhere is refused when the file is opened.
    let moved = text.replacen(r#"["demo",1,"#, r#"["demo",2,"#, 1);
    assert_ne!(moved, text);
    std::fs::write(&path, &moved).unwrap();
    let e = Catalog::load_with(Some(&path)).unwrap_err().to_string();
    assert!(e.contains("catalog.json") && e.contains("index"), "{e}");
}
