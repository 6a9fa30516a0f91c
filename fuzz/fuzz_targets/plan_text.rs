//! Any bytes uploaded as a plan's text: decoded (UTF-8 or GB18030) and drafted into measures,
//! units and quotas, whatever the text holds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = chainchief_sheets::decode_text(data) {
        let x = chainchief_domain::extract::extract(&text);
        let _ = chainchief_domain::extract::to_toml(&x);
    }
});
