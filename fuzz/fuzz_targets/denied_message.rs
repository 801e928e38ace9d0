//! The AccessDenied parser never panics, and whatever it understands can be proposed and
//! evaluated without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolesmith::eval::denied::parse_denial;
use rolesmith::eval::propose::propose;
use rolesmith::eval::{Policy, PolicyKind, PolicySet, Request};
use rolesmith::policy::PolicyDocument;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(d) = parse_denial(text) else {
        return;
    };
    if let Some(action) = &d.action {
        let p = propose(action, d.resource.as_deref(), d.account.as_deref(), None);
        let mut set = PolicySet::new();
        set.add_identity(Policy::new(
            PolicyKind::Identity,
            "fuzz",
            PolicyDocument::new(vec![p.statement(true)]),
        ));
        let _ = set.evaluate(&Request::new(action, d.resource.as_deref()), None);
    }
});
