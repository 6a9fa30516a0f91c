use super::*;

fn code(seq: char) -> String {
    let first17 = format!("91430681MA4L1234{seq}");
    format!("{first17}{}", crate::credit_code::check_char(&first17).expect("check"))
}

fn ind(code: &str, unit: &str, scope: &str, chain: Option<&str>) -> IndicatorRef {
    IndicatorRef {
        id: format!("i-{code}"),
        code: code.into(),
        name: format!("{code}名称"),
        unit: unit.into(),
        scope: crate::org::Scope::from_code(scope).expect("scope"),
        chain_id: chain.map(Into::into),
        allow_negative: false,
        derived: false,
    }
}

fn ent(id: &str, code: Option<String>, name: &str, short: &str, chains: &[&str]) -> EnterpriseRef {
    EnterpriseRef {
        id: id.into(),
        credit_code: code,
        name: name.into(),
        short_name: short.into(),
        chain_ids: chains.iter().map(|c| c.to_string()).collect(),
    }
}

fn lookups() -> Lookups {
    Lookups {
        indicators: vec![
            ind("REV", "万元", "enterprise", Some("c1")),
            ind("OUT", "万吨", "chain", Some("c1")),
            ind("GDP", "亿元", "city", None),
            ind("SHARE", "%", "park", None),
            IndicatorRef { allow_negative: true, ..ind("PROFIT", "万元", "enterprise", None) },
            IndicatorRef { derived: true, ..ind("RATE", "%", "chain", Some("c1")) },
        ],
        enterprises: vec![
            ent("e1", Some(code('5')), "湖南示范铜业有限公司", "示范铜业", &["c1"]),
            ent("e2", None, "汨罗市展威新材料有限公司", "展威", &["c1", "c2"]),
            ent("e3", Some(code('7')), "远方电子有限公司", "", &["c2"]),
            ent("e4", None, "同名甲有限公司", "同名", &["c1"]),
            ent("e5", None, "同名乙有限公司", "同名", &["c1"]),
        ],
        current_month: "2026-10".into(),
    }
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn headers() -> Vec<String> {
    strings(&["指标代码", "企业", "月份", "数值", "单位"])
}

fn row(cells: [&str; 5]) -> Vec<String> {
    strings(&cells)
}

/// Rows numbered as in a file whose header is row 1.
fn numbered(rows: &[Vec<String>]) -> Vec<(usize, Vec<String>)> {
    rows.iter().enumerate().map(|(i, r)| (i + 2, r.clone())).collect()
}

fn errors(rows: &[Vec<String>]) -> Vec<String> {
    let errs = check_rows(&headers(), &numbered(rows), &lookups()).expect_err("should be refused");
    errs.iter().map(ToString::to_string).collect()
}

#[test]
fn good_file_with_two_enterprises_and_a_chain_row() {
    let headers = strings(&[" 月份 ", "数值", "单位", "指标名称", "企业", "指标代码"]);
    let rows: Vec<Vec<String>> = [
        ["2026-9", "1,234.5", "万元", "营收", &code('5').to_lowercase(), "REV"],
        ["", "", " ", "", "", ""],
        ["2026年9月", "88", " 万元 ", "", " 展威 ", "REV"],
        ["2026/09", "12.25", "万吨", "产量", "", "OUT"],
        ["2026-09-01", "-3", "万元", "", "湖南示范铜业有限公司", "PROFIT"],
        ["2026-10", "5", "％", "", "", "SHARE"],
        ["2026-08", "1", "万元", "", "湖南省汨罗市展威新材料股份有限公司", "REV"],
    ]
    .iter()
    .map(|r| strings(r))
    .collect();
    let ok = check_rows(&headers, &numbered(&rows), &lookups()).expect("valid");
    let got: Vec<String> = ok
        .iter()
        .map(|v| format!("{} {} {} {} {} {}", v.row, v.indicator_id, v.enterprise_id, v.period, v.value_scaled, v.unit))
        .collect();
    let want = [
        "2 i-REV e1 2026-09 12345000 万元",
        "4 i-REV e2 2026-09 880000 万元",
        "5 i-OUT  2026-09 122500 万吨",
        "6 i-PROFIT e1 2026-09 -30000 万元",
        "7 i-SHARE  2026-10 50000 %",
        "8 i-REV e2 2026-08 10000 万元",
    ];
    assert_eq!(got, want, "the normalised name on row 8 matches 汨罗市展威新材料有限公司");
}

#[test]
fn indicator_errors() {
    let text = errors(&[
        row(["", "", "2026-01", "1", "万吨"]),
        row(["NOPE", "", "2026-01", "1", "万吨"]),
        row(["out", "", "2026-01", "1", "万吨"]),
        row(["RATE", "", "2026-01", "1", "%"]),
    ]);
    assert_eq!(
        text,
        [
            "第2行 指标代码：请填写指标代码",
            "第3行 指标代码：没有代码为“NOPE”的指标",
            "第4行 指标代码：没有代码为“out”的指标（代码区分大小写，是否应为“OUT”？）",
            "第5行 指标代码：该指标（RATE名称）由公式计算或由企业库计数得出，不能导入",
        ]
    );
}

#[test]
fn enterprise_errors() {
    let mut wrong_check = code('5');
    wrong_check.pop();
    wrong_check.push(if code('5').ends_with('0') { '1' } else { '0' });
    let text = errors(&[
        row(["REV", "", "2026-01", "1", "万元"]),
        row(["OUT", "示范铜业", "2026-01", "1", "万吨"]),
        row(["GDP", "示范铜业", "2026-01", "1", "亿元"]),
        row(["REV", "不存在公司", "2026-01", "1", "万元"]),
        row(["REV", "远方电子有限公司", "2026-01", "1", "万元"]),
        row(["REV", "同名", "2026-01", "1", "万元"]),
        row(["REV", &code('9'), "2026-01", "1", "万元"]),
        row(["REV", &wrong_check, "2026-01", "1", "万元"]),
    ]);
    let unknown_code = format!("第8行 企业：企业库中没有统一社会信用代码为“{}”的企业，请先在企业库中添加", code('9'));
    assert_eq!(
        text[..7],
        [
            "第2行 企业：企业指标须填写企业（统一社会信用代码或企业名称）",
            "第3行 企业：产业链指标不按企业填报，请留空",
            "第4行 企业：全市指标不按企业填报，请留空",
            "第5行 企业：企业库中没有“不存在公司”，请填写统一社会信用代码或企业库中的名称/简称",
            "第6行 企业：企业“远方电子有限公司”不在该指标所属产业链上",
            "第7行 企业：“同名”对应多家企业，请改填统一社会信用代码",
            unknown_code.as_str(),
        ]
    );
    assert!(text[7].starts_with("第9行 企业：统一社会信用代码第18位校验码") && text.len() == 8, "{text:?}");
}

#[test]
fn enterprise_column_may_be_absent_for_chain_rows_only() {
    let headers = strings(&["指标代码", "月份", "数值", "单位"]);
    let good = vec![strings(&["OUT", "2026-01", "1", "万吨"])];
    assert_eq!(check_rows(&headers, &numbered(&good), &lookups()).map(|r| r.len()), Ok(1));
    let bad = vec![strings(&["REV", "2026-01", "1", "万元"])];
    let errs = check_rows(&headers, &numbered(&bad), &lookups()).expect_err("needs an enterprise");
    assert_eq!(
        errs[0].to_string(),
        "第2行 企业：企业指标须填写企业（统一社会信用代码或企业名称）（文件中没有“企业”列）"
    );
}

#[test]
fn month_formats() {
    for (text, want) in [
        ("2026-10", "2026-10"),
        ("2026-1", "2026-01"),
        ("2026/10", "2026-10"),
        ("2026年10月", "2026-10"),
        ("2026 年 3 月", "2026-03"),
        ("2026-10-01", "2026-10"),
        ("2026/1/31", "2026-01"),
        ("2026-10-01 00:00:00", "2026-10"),
    ] {
        assert_eq!(parse_month(text).as_deref(), Ok(want), "{text}");
    }
    for text in ["2026.1", "2026", "26-10", "2026-10-32", "十月", "2026-1-1-1", "2026-"] {
        assert!(parse_month(text).is_err(), "{text}");
    }
    assert_eq!(parse_month("2026-13"), Err("“2026-13”的月应在1至12之间".to_string()));
    assert_eq!(parse_month("1999-12"), Err("“1999-12”的年份应在2000至2100之间".to_string()));
    let text = errors(&[
        row(["OUT", "", "2026-11", "1", "万吨"]),
        row(["OUT", "", "", "1", "万吨"]),
        row(["OUT", "", "2026-00", "1", "万吨"]),
        row(["OUT", "", "上月", "1", "万吨"]),
    ]);
    assert_eq!(
        text,
        [
            "第2行 月份：“2026-11”：不能导入未来月份的数据（最晚为2026-10）",
            "第3行 月份：请填写月份，格式为YYYY-MM，如 2026-10",
            "第4行 月份：“2026-00”的月应在1至12之间",
            "第5行 月份：“上月”不是有效的月份，应为YYYY-MM，如 2026-10",
        ]
    );
}

#[test]
fn values_thousands_separators_and_display() {
    let e = RowError { row: 3, column: "数值".into(), reason: format!("“abc”{NOT_A_NUMBER}") };
    assert_eq!(e.to_string(), "第3行 数值：“abc”应为数字（最多4位小数，不带单位）");
    assert_eq!(parse_value("12,345.5"), Ok(123_455_000));
    assert_eq!(parse_value("1,234,567"), Ok(12_345_670_000));
    assert_eq!(parse_value("-1,000"), Ok(-10_000_000));
    for bad in ["1,5", "1,2345", "1.234,5", ",100", "12万", "1,00a"] {
        assert!(parse_value(bad).is_err(), "{bad}");
    }
    let text = errors(&[
        row(["OUT", "", "2026-01", "12万", "万吨"]),
        row(["OUT", "", "2026-06", "abc", "万吨"]),
        row(["OUT", "", "2026-02", "1.23456", "万吨"]),
        row(["OUT", "", "2026-03", "-5", "万吨"]),
        row(["OUT", "", "2026-04", "", "万吨"]),
        row(["OUT", "", "2026-05", "1,5", "万吨"]),
    ]);
    assert_eq!(
        text,
        [
            "第2行 数值：“12万”应为数字（最多4位小数，不带单位）",
            "第3行 数值：“abc”应为数字（最多4位小数，不带单位）",
            "第4行 数值：“1.23456”小数位太多，最多保留4位小数",
            "第5行 数值：“-5”：数值不能为负数",
            "第6行 数值：请填写数值",
            "第7行 数值：“1,5”应为数字（最多4位小数，不带单位）；千位分隔符“,”只能每三位一个",
        ]
    );
}

#[test]
fn unit_must_match_without_conversion() {
    let text = errors(&[row(["OUT", "", "2026-01", "1", "吨"]), row(["OUT", "", "2026-02", "1", ""])]);
    assert_eq!(
        text,
        vec![
            "第2行 单位：单位应为“万吨”（本指标的单位），系统不自动换算，请换算后再导入",
            "第3行 单位：请填写单位（本指标的单位为“万吨”）",
        ]
    );
}

#[test]
fn duplicates_name_the_earlier_row() {
    let text = errors(&[
        row(["REV", &code('5'), "2026-01", "1", "万元"]),
        row(["OUT", "", "2026-01", "1", "万吨"]),
        row(["REV", "示范铜业", "2026/1", "2", "万元"]),
        row(["OUT", "", "2026-01-01", "3", "万吨"]),
        row(["REV", "示范铜业", "2026-02", "2", "万元"]),
    ]);
    assert_eq!(
        text,
        vec![
            "第4行 指标代码：与第2行重复（同一指标、企业、月份）",
            "第5行 指标代码：与第3行重复（同一指标、企业、月份）",
        ]
    );
}

#[test]
fn errors_are_sorted_by_row_then_file_column() {
    let text = errors(&[row(["GDP", "示范铜业", "2030-01", "x", "万元"]), row(["", "", "", "", "x"])]);
    assert_eq!(
        text,
        vec![
            "第2行 企业：全市指标不按企业填报，请留空",
            "第2行 月份：“2030-01”：不能导入未来月份的数据（最晚为2026-10）",
            "第2行 数值：“x”应为数字（最多4位小数，不带单位）",
            "第2行 单位：单位应为“亿元”（本指标的单位），系统不自动换算，请换算后再导入",
            "第3行 指标代码：请填写指标代码",
            "第3行 月份：请填写月份，格式为YYYY-MM，如 2026-10",
            "第3行 数值：请填写数值",
        ]
    );
}

#[test]
fn headers_are_checked() {
    assert_eq!(check_headers(&headers()), Ok(()));
    let h = strings(&[" 指标代码 ", "指标名称", "数值", "备注", "数值", ""]);
    let text: Vec<String> = check_headers(&h).expect_err("bad").iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![
            "月份：缺少这一列，请使用导入模板",
            "单位：缺少这一列，请使用导入模板",
            "备注：不是模板中的列，请删除或改用模板的列名",
            "数值：这一列出现了不止一次，请只保留一列",
        ]
    );
    assert!(check_rows(&h, &[], &lookups()).is_err());
    assert_eq!(check_rows(&headers(), &[], &lookups()), Ok(vec![]));
}
