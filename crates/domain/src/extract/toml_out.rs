//! The extracted measures written as plan-file TOML for a person to review and adopt.

use super::Extraction;

/// The measures as `[[measures]]` TOML for the plan file, with `lead`/`co` written as the unit NAMES in a comment and placeholders 待填-uN for codes (a person maps names to unit codes), and each quota as `[[measures.quotas]]` with `counts = ""`; plus a trailing comment block listing the unparsed parts.
pub fn to_toml(x: &Extraction) -> String {
    let mut names: Vec<&str> = Vec::new();
    for u in x.measures.iter().flat_map(|m| &m.units) {
        if !names.contains(&u.as_str()) {
            names.push(u);
        }
    }
    let placeholder = |n: &String| format!("待填-u{}", names.iter().position(|m| *m == n).map_or(0, |i| i + 1));
    let list = |key: &str, units: &[String]| {
        let codes: Vec<String> = units.iter().map(|u| quote(&placeholder(u))).collect();
        format!("{key} = [{}]   # {}\n", codes.join(", "), comment(&units.join("、")))
    };
    let mut o = String::from(
        "# 由 chainchief plan extract 从方案文本起草的举措（格式见 docs/plan-format.md §10），须人工核对后再并入规划文件。\n\
         # lead / co 中的 待填-u… 是单位代码的占位符，请换成 [[units]] 中对应单位的代码：\n",
    );
    for (i, n) in names.iter().enumerate() {
        o.push_str(&format!("#   待填-u{} = {}\n", i + 1, comment(n)));
    }
    o.push_str("# 任务量的 counts 留空，请按需填写（如 event:signing、tier:above_scale）。\n");
    for m in &x.measures {
        o.push_str(&format!("\n# 原文第{}行，责任单位：{}\n[[measures]]\n", m.line, comment(&m.units.join("、"))));
        o.push_str(&format!("code = {}\n", quote(&m.code)));
        if !m.section.is_empty() {
            o.push_str(&format!("section = {}\n", quote(&m.section)));
        }
        o.push_str(&format!("title = {}\ntext = {}\n", quote(&m.title), quote(&m.text)));
        if !m.lead.is_empty() {
            o.push_str(&list("lead", &m.lead));
        }
        if !m.co.is_empty() {
            o.push_str(&list("co", &m.co));
        }
        let frequencies = [("每年", "yearly"), ("年均", "yearly"), ("每季度", "quarterly"), ("每月", "monthly")];
        let frequency = m.quotas.iter().find_map(|q| frequencies.iter().find(|(w, _)| *w == q.per).map(|(_, f)| *f));
        if let Some(f) = frequency {
            o.push_str(&format!("frequency = {}\n", quote(f)));
        }
        for (i, q) in m.quotas.iter().enumerate() {
            let note = if q.per.is_empty() { "（原文未写“每年”，请核对）" } else { "" };
            o.push_str(&format!("\n# 原文：{}{note}\n[[measures.quotas]]\n", comment(&q.phrase)));
            o.push_str(&format!("code = {}\nname = {}\n", quote(&format!("{}-q{}", m.code, i + 1)), quote(&q.name)));
            o.push_str(&format!("min = {}\nunit = {}\ncounts = \"\"\n", q.min, quote(&q.unit)));
        }
    }
    o.push_str("\n# ───── 未能解析的部分（请人工核对）─────\n");
    if x.unparsed.is_empty() {
        o.push_str("# （无）\n");
    }
    for u in &x.unparsed {
        let at = if u.line == 0 { "全文".to_string() } else { format!("第{}行", u.line) };
        let text = if u.text.is_empty() { String::new() } else { format!("：{}", comment(&u.text)) };
        o.push_str(&format!("# {at}：{}{text}\n", u.reason));
    }
    o
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| match c {
            '"' | '\\' => format!("\\{c}"),
            c if c.is_control() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    format!("\"{body}\"")
}

/// Text safe inside a one-line comment.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
