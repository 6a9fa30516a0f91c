//! `chainchief synth enterprises|values`: synthetic sheets for load tests and benchmarks.

use chainchief_domain::credit_code::{ALPHABET, check_char};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// A deterministic stream of pseudo-random numbers from `seed`.
fn lcg(seed: u64) -> impl FnMut() -> usize {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    }
}

/// Writes `rows` enterprises with valid credit codes as CSV in the import template's columns,
/// all on `chain` when given.
pub fn enterprises(rows: usize, seed: u64, chain: Option<&str>, output: &Path) -> anyhow::Result<ExitCode> {
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut next = lcg(seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    writeln!(out, "统一社会信用代码,企业名称,简称,规模,营业收入（亿元）,从业人员（人）,产业链")?;
    for i in 0..rows {
        let mut first17 = String::from("91430681");
        for _ in 0..9 {
            first17.push(alphabet[next() % alphabet.len()]);
        }
        let check = check_char(&first17).ok_or_else(|| anyhow::anyhow!("check char"))?;
        let scale = if next().is_multiple_of(3) { "规上" } else { "规下" };
        writeln!(
            out,
            "{first17}{check},合成测试企业{i:06}有限公司,合成{i:06},{scale},{}.{:02},{},{}",
            next() % 50,
            next() % 100,
            next() % 2000,
            chain.unwrap_or("")
        )?;
    }
    out.flush()?;
    println!("已生成 {rows} 行合成企业数据：{}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes monthly figures of `indicators` (`code:unit`) for every enterprise of an enterprise
/// sheet (its first column, the credit code) over the `months` months ending `end`, one CSV per
/// calendar year in `dir` (each within the import's row limit).
pub fn values(enterprises: &Path, indicators: &str, end: &str, months: u32, dir: &Path) -> anyhow::Result<ExitCode> {
    let codes: Vec<String> = std::fs::read_to_string(enterprises)?
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .filter(|c| !c.is_empty())
        .collect();
    let inds: Vec<(&str, &str)> = indicators.split(',').filter_map(|x| x.split_once(':')).collect();
    anyhow::ensure!(!inds.is_empty(), "--indicators 应写成 代码:单位,代码:单位");
    let last = chrono::NaiveDate::parse_from_str(&format!("{end}-01"), "%Y-%m-%d")?;
    std::fs::create_dir_all(dir)?;
    let mut files: std::collections::BTreeMap<i32, std::io::BufWriter<std::fs::File>> = Default::default();
    let mut rows = 0usize;
    for k in (0..months).rev() {
        let month = last.checked_sub_months(chrono::Months::new(k)).ok_or_else(|| anyhow::anyhow!("月份超出范围"))?;
        let year = chrono::Datelike::year(&month);
        let out = match files.entry(year) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(format!("values-{year}.csv")))?);
                writeln!(f, "指标代码,企业,月份,数值,单位")?;
                e.insert(f)
            }
        };
        let period = month.format("%Y-%m");
        for (n, code) in codes.iter().enumerate() {
            for (j, (ind, unit)) in inds.iter().enumerate() {
                let v = 100 + (n * 37 + j * 101 + k as usize * 13) % 900;
                writeln!(out, "{ind},{code},{period},{v}.5,{unit}")?;
                rows += 1;
            }
        }
    }
    for f in files.values_mut() {
        f.flush()?;
    }
    println!("已生成 {rows} 个月度数值（{} 个文件）：{}", files.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes a maps file that adds `nodes` nodes (a fifth upstream, two fifths midstream and
/// downstream, each fed by one or two nodes of the stage before) to `chain`, and `enterprises`
/// local enterprises in `park` placed on them with tiers and supplier → customer relations.
pub fn maps(
    chain: &str,
    park: &str,
    nodes: usize,
    enterprises: usize,
    seed: u64,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(nodes >= 5 && enterprises >= 1, "--nodes 至少 5，--enterprises 至少 1");
    let mut next = lcg(seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    writeln!(
        out,
        "# 合成的产业链图谱：{nodes} 个环节、{enterprises} 家企业（性能测试用）\n\n[[maps]]\nchain = \"{chain}\""
    )?;
    let up = nodes / 5;
    let mid = (nodes - up) / 2;
    let stage = |i: usize| {
        if i < up {
            "upstream"
        } else if i < up + mid {
            "midstream"
        } else {
            "downstream"
        }
    };
    for i in 0..nodes {
        let key = if i.is_multiple_of(10) { "\n  key = true" } else { "" };
        writeln!(
            out,
            "\n  [[maps.nodes]]\n  code = \"syn-{i:04}\"\n  name = \"合成环节{i:04}\"\n  stage = \"{}\"{key}\n  products = [\"合成产品{i:04}\"]",
            stage(i)
        )?;
    }
    for i in up..nodes {
        let (lo, width) = if i < up + mid { (0, up) } else { (up, mid) };
        for _ in 0..1 + next() % 2 {
            writeln!(out, "\n  [[maps.edges]]\n  from = \"syn-{:04}\"\n  to = \"syn-{i:04}\"", lo + next() % width)?;
        }
    }
    let tiers = ["[\"chain_leader\", \"above_scale\"]", "[\"backbone\", \"above_scale\"]", "[\"above_scale\"]", "[]"];
    for i in 0..enterprises {
        let tier = tiers[if i % 100 == 0 {
            0
        } else if i % 20 == 0 {
            1
        } else {
            2 + next() % 2
        }];
        let scale = if tier.contains("above_scale") { "above" } else { "below" };
        writeln!(
            out,
            "\n[[enterprises]]\nname = \"合成图谱企业{i:06}有限公司\"\nshort = \"图谱{i:06}\"\nlocal = true\npark = \"{park}\"\n\
             scale = \"{scale}\"\nrevenue = {}.{:02}\nemployees = {}\ntiers = {tier}\n\
             placements = [{{ chain = \"{chain}\", node = \"syn-{:04}\" }}]",
            next() % 30,
            next() % 100,
            20 + next() % 800,
            next() % nodes
        )?;
    }
    for _ in 0..enterprises / 2 {
        let (a, b) = (next() % enterprises, next() % enterprises);
        if a != b {
            writeln!(
                out,
                "\n[[relations]]\nsupplier = \"图谱{a:06}\"\ncustomer = \"图谱{b:06}\"\nproduct = \"合成产品\"\nvalue = {}",
                100 + next() % 5000
            )?;
        }
    }
    out.flush()?;
    println!("已生成图谱文件（{nodes} 个环节、{enterprises} 家企业）：{}", output.display());
    Ok(ExitCode::SUCCESS)
}
