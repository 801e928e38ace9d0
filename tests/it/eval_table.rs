//! The evaluation engine against the table of cases in `tests/eval/` (see its README):
//! every element and operator, with the decision and the deciding statements.

use std::path::Path;

use rolesmith::catalog::Catalog;
use rolesmith::eval::{Context, Policy, PolicyKind, PolicySet, Request, UnknownPolicy};
use rolesmith::policy::PolicyDocument;
use serde_json::Value;

fn request(v: &Value) -> Request {
    let mut context = Context::default();
    if let Some(cx) = v["context"].as_object() {
        for (k, val) in cx {
            let values = match val {
                Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
                x => vec![x.as_str().unwrap().to_string()],
            };
            context.insert(k, values);
        }
    }
    let principal = v["principal"].as_str().map(str::to_string);
    let mut r = match &principal {
        Some(p) => Request::assume(p),
        None => Request::default(),
    };
    if let Some(a) = v["action"].as_str() {
        r.action = a.to_string();
    }
    r.resource = v["resource"].as_str().map(str::to_string);
    r.context = context;
    r
}

fn policy_set(policies: &[Value]) -> PolicySet {
    let mut set = PolicySet::new();
    for p in policies {
        let name = p["name"].as_str().unwrap();
        let kind = p["kind"].as_str().unwrap();
        if kind == "unknown" {
            set.add_unknown_identity(name, "not known (test)");
            continue;
        }
        let doc: PolicyDocument =
            serde_json::from_value(p["document"].clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        match kind {
            "identity" => {
                set.add_identity(Policy::new(PolicyKind::Identity, name, doc));
            }
            "trust" => {
                set.set_trust(Policy::new(PolicyKind::Trust, name, doc));
            }
            "boundary" => {
                set.set_boundary(Ok::<_, UnknownPolicy>(Policy::new(
                    PolicyKind::Boundary,
                    name,
                    doc,
                )));
            }
            "scp" => {
                set.add_scp(Policy::new(PolicyKind::Scp, name, doc));
            }
            other => panic!("unknown kind {other}"),
        }
    }
    set
}

#[test]
fn every_case_of_the_table_gives_its_decision_and_deciding_statements() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut count = 0;
    let mut failures = Vec::new();
    let mut decisions = std::collections::BTreeMap::new();
    for file in &files {
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for c in &cases {
            count += 1;
            let name = c["name"].as_str().unwrap();
            let set = policy_set(c["policies"].as_array().unwrap());
            let ev = set.evaluate(&request(&c["request"]), Some(Catalog::embedded()));
            let want = c["decision"].as_str().unwrap();
            *decisions.entry(want.to_string()).or_insert(0) += 1;
            if ev.decision.as_str() != want {
                failures.push(format!(
                    "{}: {name}: got {} want {want}; reasons {:?}",
                    file.file_name().unwrap().to_string_lossy(),
                    ev.decision.as_str(),
                    ev.reasons
                ));
                continue;
            }
            if let Some(deciding) = c["deciding"].as_array() {
                let got: Vec<(String, usize)> = ev
                    .statements
                    .iter()
                    .map(|s| (s.policy.clone(), s.statement))
                    .collect();
                let want: Vec<(String, usize)> = deciding
                    .iter()
                    .map(|d| {
                        (
                            d["policy"].as_str().unwrap().to_string(),
                            d["statement"].as_u64().unwrap() as usize,
                        )
                    })
                    .collect();
                if got != want {
                    failures.push(format!("{name}: deciding {got:?}, want {want:?}"));
                }
            }
            if ev.decision.as_str() == "implicit-deny" && ev.reasons.is_empty() {
                failures.push(format!("{name}: an implicit deny without a reason"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 150, "the table has {count} cases");
    for d in ["allowed", "explicit-deny", "implicit-deny", "unknown"] {
        assert!(decisions.contains_key(d), "no case decides {d}");
    }
}
