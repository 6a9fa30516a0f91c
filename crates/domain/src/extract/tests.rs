use super::*;

const MILUO: &str = include_str!("../../../../plans/miluo-2022-plan.txt");
const MILUO_PLAN: &str = include_str!("../../../../plans/miluo-2022.toml");

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A measure of the hand-made plan file: code, unit names of lead then co, text, quotas as (min, unit, name).
type Reference = (String, Vec<String>, String, Vec<(u32, String, String)>);

fn reference_measures() -> Vec<Reference> {
    let plan: toml::Table = toml::from_str(MILUO_PLAN).unwrap();
    let short = |code: &str| -> String {
        let units = plan["units"].as_array().unwrap();
        let u = units.iter().find(|u| u["code"].as_str() == Some(code)).unwrap();
        u["short"].as_str().unwrap().to_string()
    };
    let names = |m: &toml::Value, key: &str| -> Vec<String> {
        m.get(key)
            .and_then(|v| v.as_array())
            .map_or(Vec::new(), |a| a.iter().map(|c| short(c.as_str().unwrap())).collect())
    };
    plan["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut units = names(m, "lead");
            units.extend(names(m, "co"));
            let quotas = m.get("quotas").and_then(|q| q.as_array()).map_or(Vec::new(), |qs| {
                qs.iter()
                    .map(|q| {
                        let min = u32::try_from(q["min"].as_integer().unwrap()).unwrap();
                        (min, q["unit"].as_str().unwrap().to_string(), q["name"].as_str().unwrap().to_string())
                    })
                    .collect()
            });
            let text = m.get("text").and_then(|t| t.as_str()).unwrap_or_default().to_string();
            (m["code"].as_str().unwrap().to_string(), units, text, quotas)
        })
        .collect()
}

#[test]
fn miluo_measures_match_the_clauses_and_the_hand_made_plan() {
    let x = extract(MILUO);

    // Independent count of the clauses over the text with brackets and colons normalised.
    let normalised = MILUO.replace('(', "（").replace(':', "：");
    let clauses = normalised.matches("（责任单位：").count();
    assert_eq!(clauses, 16);
    assert_eq!(MILUO.matches("责任单位").count(), clauses);
    assert_eq!(x.measures.len(), clauses);

    // The plan file has 21 measures: the 16 of 三、 written from the clauses, and 5 of 四、工作机制 that it
    // marks as inferred (the text has no clause there, so extraction must not produce them).
    assert_eq!(MILUO_PLAN.matches("[[measures]]").count(), 21);
    let reference = reference_measures();
    let from_clauses: Vec<_> = reference.iter().filter(|(code, ..)| code.starts_with("3.")).collect();
    assert_eq!(from_clauses.len(), 16);
    assert_eq!(reference.iter().filter(|(code, ..)| code.starts_with("4.")).count(), 5);
    assert_eq!(x.measures.len(), from_clauses.len());

    // Same codes (the text numbers a section （二） twice; it is read as （三） and flagged), same units in order.
    for (m, (code, units, _, _)) in x.measures.iter().zip(&from_clauses) {
        assert_eq!(&m.code, code);
        assert_eq!(&m.units, units, "units of {code}");
        assert_eq!(m.lead, units[..1].to_vec(), "lead of {code}");
        assert_eq!(m.co, units[1..].to_vec(), "co of {code}");
    }

    let invest = &x.measures[1];
    assert_eq!(invest.code, "3.1.2");
    assert_eq!(invest.section, "（一）产业链优质企业引进培育");
    assert_eq!(invest.title, "建立完善产业链招商引资重点企业库、项目库");
    assert_eq!(invest.line, 38);
    assert_eq!(invest.lead, strs(&["高新区管委会"]));
    assert_eq!(invest.co, strs(&["飞地园管理办公室", "贸促会"]));
    // This paragraph has no OCR errors, so its text equals the hand-made one exactly.
    assert_eq!(invest.text, from_clauses[1].2);
    assert_eq!(x.measures[0].lead, strs(&["各链条办"]));
    assert!(x.measures[0].co.is_empty());
    assert_eq!(x.measures[3].lead, strs(&["高新区管委会"]));
    assert_eq!(x.measures[3].co, strs(&["飞地园管理办公室", "相关市直单位", "各链条办"]));
    let talent = x.measures.iter().find(|m| m.code == "3.6.4").unwrap();
    assert_eq!(talent.units, strs(&["组织部", "人社局", "教体局", "高新区管委会"]));
    assert_eq!(talent.line, 74);
    let park = x.measures.iter().find(|m| m.code == "3.5").unwrap();
    assert_eq!(park.section, "（五）特色产业园区建设");
    assert!(park.text.starts_with("按照创建“五好”园区的统一部署，"));
    assert!(x.measures.iter().all(|m| !m.text.contains("责任单位") && m.text.ends_with('。')));

    // All quotas: same (min, unit) as the plan file, names as the text says, all yearly.
    let quotas: Vec<&DraftQuota> = x.measures.iter().flat_map(|m| &m.quotas).collect();
    let mut found: Vec<(u32, String)> = quotas.iter().map(|q| (q.min, q.unit.clone())).collect();
    let mut expected: Vec<(u32, String)> =
        from_clauses.iter().flat_map(|(_, _, _, q)| q).map(|(min, unit, _)| (*min, unit.clone())).collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(found, vec![(1, "家".into()), (2, "次".into()), (2, "次".into()), (4, "次".into()), (15, "家".into())]);
    let names: Vec<&str> = quotas.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "外出专题招商活动",
            "项目集中签约",
            "省级单项冠军企业或专精特新“小巨人”企业",
            "规模以上工业企业",
            "集中开工仪式"
        ]
    );
    for part in ["外出专题招商", "集中签约", "单项冠军", "规模以上", "集中开工"] {
        assert!(names.iter().any(|n| n.contains(part)), "{part}");
    }
    assert!(quotas.iter().all(|q| q.per == "每年" && MILUO.replace(',', "，").contains(&q.phrase)));
    assert_eq!(quotas[0].phrase, "每年组织外出专题招商活动不少于4次");
    assert_eq!(quotas[2].phrase, "每年培育不少于1家省级单项冠军企业或专精特新“小巨人”企业");
    // The quotas sit on the measures the plan file puts them on.
    let with_quotas: Vec<(&str, usize)> =
        x.measures.iter().filter(|m| !m.quotas.is_empty()).map(|m| (m.code.as_str(), m.quotas.len())).collect();
    assert_eq!(with_quotas, [("3.1.2", 2), ("3.1.3", 2), ("3.2", 1)]);

    // The only thing listed: the repeated section number.
    assert_eq!(x.unparsed.len(), 1, "{:?}", x.unparsed);
    assert_eq!(x.unparsed[0].line, 44);
    assert!(x.unparsed[0].reason.contains("编号"));

    // Deterministic.
    assert_eq!(extract(MILUO), x);
}

const OTHER_CITY: &str = "某某市产业链链长制实施方案\r\n\
\r\n\
一、总体目标\r\n\
到2025年，全市培育不少于10家链主企业。\r\n\
二、重点任务\r\n\
（一）强化精准招商\r\n\
1．每年组织产业链专题招商活动不少于两次，\r\n\
新引进亿元以上项目不少于十二个。（牵头单位：市发改委；配合单位：市财政局、市自然资源局）\r\n\
2．每年培育不少于两家省级专精特新企业。\r\n\
\r\n\
牵头单位：市工信局，配合单位：市科技局\r\n\
3．建立重点项目库，每季度调度一次。（责任单位：）\r\n\
（二）优化营商环境\r\n\
1．每年开展政企对接活动不少于3场。\r\n\
2. 落实 减税降费 政策。( 责任单位: 市税务局, 市财政局 )\r\n\
三、保障措施\r\n\
（一）加强组织领导。成立领导小组，统筹推进各项工作。\r\n";

#[test]
fn other_city_wording_numbering_and_punctuation() {
    let x = extract(OTHER_CITY);
    let codes: Vec<&str> = x.measures.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["2.1.1", "2.1.2", "2.2.2"]);

    let a = &x.measures[0];
    assert_eq!(a.section, "（一）强化精准招商");
    assert_eq!(a.units, strs(&["市发改委", "市财政局", "市自然资源局"]));
    assert_eq!(a.lead, strs(&["市发改委"]));
    assert_eq!(a.co, strs(&["市财政局", "市自然资源局"]));
    assert_eq!(a.line, 8);
    assert_eq!(a.title, "每年组织产业链专题招商活动不少于两次");
    assert_eq!(a.text, "每年组织产业链专题招商活动不少于两次，新引进亿元以上项目不少于十二个。");
    let q: Vec<(&str, u32, &str, &str)> =
        a.quotas.iter().map(|q| (q.name.as_str(), q.min, q.unit.as_str(), q.per.as_str())).collect();
    assert_eq!(q, [("产业链专题招商活动", 2, "次", "每年"), ("亿元以上项目", 12, "个", "每年")]);

    // A bare 牵头单位/配合单位 line after a blank line belongs to the measure above it.
    let b = &x.measures[1];
    assert_eq!(b.lead, strs(&["市工信局"]));
    assert_eq!(b.co, strs(&["市科技局"]));
    assert_eq!(b.line, 11);
    assert_eq!(b.text, "每年培育不少于两家省级专精特新企业。");
    assert_eq!(b.quotas.len(), 1);
    assert_eq!((b.quotas[0].name.as_str(), b.quotas[0].min, b.quotas[0].unit.as_str()), ("省级专精特新企业", 2, "家"));
    assert_eq!(b.quotas[0].phrase, "每年培育不少于两家省级专精特新企业");

    // Half-width brackets and colons with spaces, comma-separated units.
    let c = &x.measures[2];
    assert_eq!(c.section, "（二）优化营商环境");
    assert_eq!(c.text, "落实减税降费政策。");
    assert_eq!(c.lead, strs(&["市税务局"]));
    assert_eq!(c.co, strs(&["市财政局"]));
    assert_eq!(c.line, 15);

    // Listed, not invented: the empty clause and the quota without responsible units. The goal in
    // 一、总体目标 lies outside the tasks sections and is not listed.
    let listed: Vec<(usize, &str)> = x.unparsed.iter().map(|u| (u.line, u.reason.as_str())).collect();
    assert_eq!(listed, [(12, "责任单位条款中没有单位"), (14, "有任务量但未写责任单位")]);
    assert!(x.unparsed[0].text.contains("建立重点项目库"));
    assert!(x.unparsed[1].text.contains("政企对接活动不少于3场"));

    // LF line endings give the same result.
    assert_eq!(extract(&OTHER_CITY.replace("\r\n", "\n")), x);
}

#[test]
fn hard_line_breaks_inside_a_clause_and_other_wordings() {
    let text = "（一）重点任务\n1.加快项目建设，年均新增规模以上企业\n不少于5家，力争不低于1.5亿元。（责任单位：市工信局、\n\u{3000}\u{3000}市发改委（牵头）、市统计局等）\n2.每年召开推进会至少2次。\n（责任单位：市发改委牵头，市财政局配合）\n3.举办不少于3场对接会。另每年不少于。（责任单位：市商务局）\n";
    let x = extract(text);
    assert_eq!(x.measures.len(), 3);
    let m = &x.measures[0];
    assert_eq!(m.code, "1.1");
    assert_eq!(m.units, strs(&["市工信局", "市发改委", "市统计局"]));
    assert_eq!(m.lead, strs(&["市发改委"]));
    assert_eq!(m.co, strs(&["市工信局", "市统计局"]));
    assert_eq!(m.line, 3);
    assert_eq!(m.quotas.len(), 1);
    assert_eq!((m.quotas[0].name.as_str(), m.quotas[0].min, m.quotas[0].per.as_str()), ("规模以上企业", 5, "年均"));
    assert_eq!(x.measures[1].lead, strs(&["市发改委"]));
    assert_eq!(x.measures[1].co, strs(&["市财政局"]));
    assert_eq!(x.measures[1].quotas[0].name, "推进会");
    // 不少于3场对接会: the object comes after the number; “另每年不少于。” has no number and is no quota.
    assert_eq!(x.measures[2].quotas.len(), 1);
    assert_eq!(x.measures[2].quotas[0].name, "对接会");
    assert_eq!(x.measures[2].quotas[0].per, "");
    let reasons: Vec<&str> = x.unparsed.iter().map(|u| u.reason.as_str()).collect();
    assert_eq!(reasons, ["任务量不是整数"]);
}

#[test]
fn a_quota_without_an_object_is_kept_and_listed() {
    let x = extract("1.每年不少于4次。（责任单位：甲局）");
    assert_eq!(x.measures.len(), 1);
    assert_eq!(x.measures[0].code, "1");
    let q = &x.measures[0].quotas;
    assert_eq!((q[0].name.as_str(), q[0].min, q[0].unit.as_str()), ("", 4, "次"));
    assert_eq!(x.unparsed.len(), 1);
    assert_eq!((x.unparsed[0].line, x.unparsed[0].reason.as_str()), (1, "任务量未找到计数对象"));
}

#[test]
fn unnumbered_measures_get_m_codes() {
    let x = extract("加强宣传。（责任单位：市委宣传部）\n\n做好统计。（责任单位：市统计局）");
    let codes: Vec<&str> = x.measures.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["m1", "m2"]);
    assert_eq!(x.measures[1].line, 3);
    assert!(x.measures.iter().all(|m| m.section.is_empty()));
}

#[test]
fn empty_text_and_text_without_clauses() {
    for empty in ["", "  \r\n\n\u{3000}"] {
        let x = extract(empty);
        assert!(x.measures.is_empty());
        assert_eq!(x.unparsed.len(), 1);
        assert_eq!(x.unparsed[0].reason, "文本为空");
    }
    let x = extract("一、重点任务\n1.每年组织招商活动不少于4次。\n2.加强统筹协调。");
    assert!(x.measures.is_empty());
    let reasons: Vec<(usize, &str)> = x.unparsed.iter().map(|u| (u.line, u.reason.as_str())).collect();
    assert_eq!(reasons, [(2, "有任务量但未写责任单位"), (0, "全文未找到责任单位或牵头单位")]);
    assert!(to_toml(&x).contains("# 全文：全文未找到责任单位或牵头单位"));
}

#[test]
fn chinese_numerals() {
    let v = |s: &str| cn_value(&s.chars().collect::<Vec<_>>());
    assert_eq!(v("两"), Some(2));
    assert_eq!(v("十"), Some(10));
    assert_eq!(v("十五"), Some(15));
    assert_eq!(v("二十"), Some(20));
    assert_eq!(v("一百零五"), Some(105));
    assert_eq!(v("一二"), None);
}

#[test]
fn toml_output_parses_and_carries_the_quotas() {
    let x = extract(MILUO);
    let out = to_toml(&x);
    let t: toml::Table = toml::from_str(&out).unwrap();
    let measures = t["measures"].as_array().unwrap();
    assert_eq!(measures.len(), x.measures.len());
    let first = &measures[1];
    assert_eq!(first["code"].as_str(), Some("3.1.2"));
    assert_eq!(first["text"].as_str(), Some(x.measures[1].text.as_str()));
    assert_eq!(first["frequency"].as_str(), Some("yearly"));
    // Placeholders for the codes, the names in comments and in the header's table of placeholders.
    let lead: Vec<&str> = first["lead"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(lead, ["待填-u2"]);
    assert!(out.contains("#   待填-u2 = 高新区管委会\n"));
    assert!(out.contains("lead = [\"待填-u2\"]   # 高新区管委会\n"));
    assert!(out.contains("co = [\"待填-u3\", \"待填-u4\"]   # 飞地园管理办公室、贸促会\n"));

    let mut quotas: Vec<(i64, String, String, String)> = measures
        .iter()
        .filter_map(|m| m.get("quotas").and_then(|q| q.as_array()))
        .flatten()
        .map(|q| {
            let s = |k: &str| q[k].as_str().unwrap().to_string();
            (q["min"].as_integer().unwrap(), s("unit"), s("name"), s("counts"))
        })
        .collect();
    quotas.sort();
    assert_eq!(quotas.len(), 5);
    assert_eq!(quotas[0], (1, "家".into(), "省级单项冠军企业或专精特新“小巨人”企业".into(), String::new()));
    assert_eq!(quotas[4].0, 15);
    let codes: Vec<&str> =
        measures[1]["quotas"].as_array().unwrap().iter().map(|q| q["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["3.1.2-q1", "3.1.2-q2"]);
    assert!(out.contains("# 原文：每年组织外出专题招商活动不少于4次\n"));
    assert!(out.contains("# 第44行：编号与上一条重复或倒序，按次序记为第3条：（二）产业链协同创新推进\n"));

    // Quotation marks, backslashes and the unparsed block of another text survive the round trip.
    let y = extract(
        "1.落实\"双百\"工程\\方案，每年组织活动不少于2次。（牵头单位：甲局；配合单位：乙局）\n2.每年培育不少于3家。（责任单位：）",
    );
    let out = to_toml(&y);
    let t: toml::Table = toml::from_str(&out).unwrap();
    assert_eq!(t["measures"][0]["text"].as_str(), Some(y.measures[0].text.as_str()));
    assert!(y.measures[0].text.contains("\"双百\"工程\\方案"));
    assert!(out.contains("# 第2行：责任单位条款中没有单位："));
    assert_eq!(to_toml(&extract("")).lines().last(), Some("# 全文：文本为空"));
}
