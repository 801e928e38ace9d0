//! Any bytes as a CloudFormation YAML template: the YAML reader must never panic, hang or
//! blow up (aliases, depth and size are limited), and opening it as a template must either
//! give a role or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolesmith::role::import::open_text;
use rolesmith::role::yaml::yaml_to_json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = rolesmith::io::read::decode_utf8("fuzz.yaml", data.to_vec()) else {
        return;
    };
    let _ = yaml_to_json("fuzz.yaml", &text);
    let _ = open_text("fuzz.yaml", &format!("Resources:\n{text}"), "fuzz");
});
