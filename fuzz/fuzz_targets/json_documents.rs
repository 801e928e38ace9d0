//! Any bytes as a JSON input the way files reach rolesmith: decoded as a file is (BOM,
//! invalid UTF-8 with a position), then opened as every JSON shape the editor accepts (role
//! file, trust or permission policy, get-role output, render's JSON) and linted as a role
//! file. The same text is also tried with its first member repeated, the duplicate-key shape
//! (`{"Statement": [...], "Statement": [...]}`) that hid statements from review. Nothing may
//! panic; a decoding error names the file and its position.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolesmith::role::import::open_text;

fuzz_target!(|data: &[u8]| {
    let text = match rolesmith::io::read::decode_utf8("fuzz.json", data.to_vec()) {
        Ok(t) => t,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.json:"), "{e}");
            return;
        }
    };
    let check = |text: &str| {
        let _ = open_text("fuzz.json", text, "fuzz");
        let _ = rolesmith::lint::lint_policy_text(
            "fuzz.json",
            text,
            rolesmith::lint::PolicyKind::Identity,
            rolesmith::catalog::Catalog::embedded(),
            &Default::default(),
        );
    };
    check(&text);
    // Repeat the first member of the top-level object: `{"a": 1, ...}` → `{"a": 1, "a": 1, ...}`.
    if let Some(body) = text.trim_start().strip_prefix('{')
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some((k, v)) = map.iter().next()
    {
        let member = format!("{}: {v}", serde_json::Value::String(k.clone()));
        check(&format!("{{{member}, {body}"));
    }
});
