//! `chainchief synth enterprises`: a synthetic enterprise sheet for load tests and benchmarks.

use chainchief_domain::credit_code::{ALPHABET, check_char};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Writes `rows` enterprises with valid credit codes as CSV in the import template's columns.
pub fn enterprises(rows: usize, seed: u64, output: &Path) -> anyhow::Result<ExitCode> {
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    writeln!(out, "统一社会信用代码,企业名称,简称,规模,营业收入（亿元）,从业人员（人）")?;
    for i in 0..rows {
        let mut first17 = String::from("91430681");
        for _ in 0..9 {
            first17.push(alphabet[next() % alphabet.len()]);
        }
        let check = check_char(&first17).ok_or_else(|| anyhow::anyhow!("check char"))?;
        let scale = if next() % 3 == 0 { "规上" } else { "规下" };
        writeln!(
            out,
            "{first17}{check},合成测试企业{i:06}有限公司,合成{i:06},{scale},{}.{:02},{}",
            next() % 50,
            next() % 100,
            next() % 2000
        )?;
    }
    out.flush()?;
    println!("已生成 {rows} 行合成企业数据：{}", output.display());
    Ok(ExitCode::SUCCESS)
}
