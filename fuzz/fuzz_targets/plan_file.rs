//! Any text loaded as a plan file: parsed and checked, or refused with the errors found.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chainchief_domain::plan::parse(text);
    }
});
