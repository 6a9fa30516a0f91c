//! Any bytes uploaded as an .xlsx: read within the cell budget, or refused with an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chainchief_sheets::read_table(data, "upload.xlsx");
    let _ = chainchief_sheets::read_import(data, "upload.xlsx", &["企业名称", "统一社会信用代码"]);
});
