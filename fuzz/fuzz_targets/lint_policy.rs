//! Any text as a policy of each kind: linting must never panic, and every fix it offers
//! must apply (or refuse) cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolesmith::catalog::Catalog;
use rolesmith::lint::{LintOptions, PolicyKind, lint_policy_text};
use rolesmith::policy::PolicyDocument;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = LintOptions {
        assumed_by: vec!["lambda.amazonaws.com".into()],
        ..Default::default()
    };
    for kind in [PolicyKind::Identity, PolicyKind::Trust] {
        let findings = lint_policy_text("fuzz.json", text, kind, Catalog::embedded(), &options);
        if let Ok(doc) = serde_json::from_str::<PolicyDocument>(text) {
            for f in findings.iter().filter_map(|f| f.fix.as_ref()) {
                let mut copy = doc.clone();
                let _ = f.apply(&mut copy);
            }
        }
    }
});
