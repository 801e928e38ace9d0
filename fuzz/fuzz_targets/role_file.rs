//! Any text as a role file (TOML or JSON): parsing must never panic, and a role that
//! parses must lint without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolesmith::catalog::Catalog;
use rolesmith::lint::lint_role;
use rolesmith::role::parse_role_text;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(role) = parse_role_text("fuzz.toml", text) {
        let findings = lint_role(&role, Catalog::embedded());
        for f in findings.iter().filter_map(|f| f.fix.as_ref()) {
            let mut copy = role.clone();
            let _ = f.apply_to_role(&mut copy, rolesmith::lint::DocumentRef::Inline(0));
        }
    }
});
