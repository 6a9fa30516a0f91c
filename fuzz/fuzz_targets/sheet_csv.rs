//! Any bytes uploaded as a .csv (UTF-8 or GB18030): read, or refused with an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chainchief_sheets::read_table(data, "upload.csv");
    let _ = chainchief_sheets::read_import(data, "upload.csv", &["企业名称", "统一社会信用代码"]);
});
