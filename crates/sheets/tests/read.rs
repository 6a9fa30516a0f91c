//! Reading tables: XLSX and CSV round trips, cell display rules, header rules.

mod common;

use chainchief_sheets::{CellOut, SheetError, SheetOut, read_table, template_xlsx, write_csv, write_xlsx};
use common::{entry_text, xlsx_with};
use rust_xlsxwriter::{ExcelDateTime, Format};

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

#[test]
fn xlsx_cells_read_as_shown_and_empty_rows_keep_numbering() {
    let bytes = xlsx_with(|ws| {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let time = Format::new().set_num_format("hh:mm");
        for (col, header) in
            [" 企业名称\u{3000}", "产值（万元）", "增速", "成立日期", "是否链主", "时间"].iter().enumerate()
        {
            ws.write_string(0, col as u16, *header).expect("header");
        }
        ws.write_string(1, 0, "湖南新材料有限公司").unwrap();
        ws.write_number(1, 1, 12345).unwrap();
        ws.write_number(1, 2, 12.5678).unwrap();
        ws.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2024, 3, 9).unwrap(), &date).unwrap();
        ws.write_boolean(1, 4, true).unwrap();
        ws.write_number_with_format(1, 5, 0.5, &time).unwrap();
        ws.write_string(3, 0, "\u{3000} 岳阳链长办  ").unwrap();
        ws.write_number(3, 1, -42).unwrap();
        ws.write_number(3, 2, 0.1 + 0.2).unwrap();
        ws.write_number_with_format(3, 3, 45360.75, &datetime).unwrap();
        ws.write_boolean(3, 4, false).unwrap();
        ws.write_string(4, 2, "   ").unwrap();
        ws.write_string(5, 0, "长沙").unwrap();
        ws.write_number(5, 7, 1e16).unwrap();
    });
    let table = read_table(&bytes, "企业名单.xlsx").unwrap();
    assert_eq!(table.headers, strings(&["企业名称", "产值（万元）", "增速", "成立日期", "是否链主", "时间"]));
    let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![2, 4, 6]);
    assert_eq!(
        table.rows[0].cells,
        strings(&["湖南新材料有限公司", "12345", "12.5678", "2024-03-09", "是", "12:00:00"])
    );
    assert_eq!(table.rows[1].cells, strings(&["岳阳链长办", "-42", "0.3", "2024-03-09", "否", ""]));
    assert_eq!(table.rows[2].cells, strings(&["长沙", "", "", "", "", "", "", "10000000000000000"]));
}

#[test]
fn header_is_the_first_non_empty_row() {
    let bytes = xlsx_with(|ws| {
        ws.write_string(2, 1, "名称").unwrap();
        ws.write_string(2, 2, "地址").unwrap();
        ws.write_string(3, 1, "甲").unwrap();
    });
    let table = read_table(&bytes, "a.XLSX").unwrap();
    assert_eq!(table.headers, strings(&["", "名称", "地址"]));
    assert_eq!(table.rows[0].number, 4);
    assert_eq!(table.rows[0].cells, strings(&["", "甲", ""]));
}

#[test]
fn merged_cells_are_filled_from_their_top_left_value() {
    // calamine reports a merged range's value only in its top-left cell; the reader fills the range.
    let bytes = xlsx_with(|ws| {
        ws.write_string(0, 0, "产业链").unwrap();
        ws.write_string(0, 1, "企业").unwrap();
        ws.merge_range(1, 0, 3, 0, "新能源", &Format::new()).unwrap();
        for (row, name) in [(1, "甲"), (2, "乙"), (3, "丙")] {
            ws.write_string(row, 1, name).unwrap();
        }
    });
    let table = read_table(&bytes, "m.xlsx").unwrap();
    let chains: Vec<&str> = table.rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(chains, vec!["新能源", "新能源", "新能源"]);
    assert_eq!(table.rows[2].cells, strings(&["新能源", "丙"]));
}

#[test]
fn write_xlsx_round_trips_through_read_table() {
    let sheet = SheetOut {
        name: "重点企业".into(),
        headers: strings(&["企业名称", "员工数", "产值（亿元）", "备注"]),
        rows: vec![
            vec![CellOut::Text("岳阳新材料有限公司".into()), CellOut::Int(1200), CellOut::Number(3.75), CellOut::Empty],
            vec![
                CellOut::Text("汨罗再生资源".into()),
                CellOut::Int(-5),
                CellOut::Number(0.125),
                CellOut::Text("=1+2".into()),
            ],
            vec![
                CellOut::Text("超长编号".into()),
                CellOut::Int(1_234_567_890_123_456_789),
                CellOut::Empty,
                CellOut::Empty,
            ],
        ],
    };
    let second = SheetOut { name: "第二页".into(), headers: strings(&["x"]), rows: vec![vec![CellOut::Int(1)]] };
    let bytes = write_xlsx(&[sheet, second]).unwrap();
    let table = read_table(&bytes, "导出.xlsx").unwrap();
    assert_eq!(table.headers, strings(&["企业名称", "员工数", "产值（亿元）", "备注"]));
    assert_eq!(table.rows[0].cells, strings(&["岳阳新材料有限公司", "1200", "3.75", ""]));
    assert_eq!(table.rows[1].cells, strings(&["汨罗再生资源", "-5", "0.125", "'=1+2"]));
    assert_eq!(table.rows[2].cells, strings(&["超长编号", "1234567890123456789", "", ""]));
    assert_eq!(table.rows.iter().map(|r| r.number).collect::<Vec<_>>(), vec![2, 3, 4]);
    let workbook = entry_text(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"重点企业\"") && workbook.contains("name=\"第二页\""));
    let sheet1 = entry_text(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet1.contains("<pane ") && sheet1.contains("state=\"frozen\""), "header row is frozen");
    assert!(sheet1.contains("<cols>"), "column widths are set");
    let styles = entry_text(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "header font is bold");
}

#[test]
fn template_has_headers_example_and_rules_sheet() {
    let headers =
        [("企业名称", "必填，与营业执照一致"), ("统一社会信用代码", "必填，18位"), ("所属产业链", "从清单中选择")];
    let bytes = template_xlsx(&headers, &["岳阳示例科技有限公司", "91430600MA4L000000", "新能源"]).unwrap();
    let table = read_table(&bytes, "模板.xlsx").unwrap();
    assert_eq!(table.headers, strings(&["企业名称", "统一社会信用代码", "所属产业链"]));
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].cells, strings(&["岳阳示例科技有限公司", "91430600MA4L000000", "新能源"]));
    let workbook = entry_text(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"说明\""));
    let shared = entry_text(&bytes, "xl/sharedStrings.xml");
    assert!(shared.contains("必填，18位") && shared.contains("填写规则"));
    let without_example = template_xlsx(&headers, &[]).unwrap();
    assert_eq!(read_table(&without_example, "模板.xlsx"), Err(SheetError::Empty));
}

#[test]
fn gb18030_csv_reads_back_the_same_chinese() {
    let text = "企业名称,所属链条,产值\r\n湖南岳阳绿色化工产业园,石油化工,1.5\r\n汨罗循环经济产业园,再生资源,2\r\n";
    let (encoded, _, had_errors) = encoding_rs::GB18030.encode(text);
    assert!(!had_errors);
    assert!(std::str::from_utf8(&encoded).is_err(), "test data must not be valid UTF-8");
    let table = read_table(&encoded, "名单.csv").unwrap();
    assert_eq!(table.headers, strings(&["企业名称", "所属链条", "产值"]));
    assert_eq!(table.rows[0].cells, strings(&["湖南岳阳绿色化工产业园", "石油化工", "1.5"]));
    assert_eq!(table.rows[1].cells, strings(&["汨罗循环经济产业园", "再生资源", "2"]));
}

#[test]
fn csv_with_bom_and_flexible_rows() {
    let bytes = "\u{feff}名称,地址\n甲,岳阳,多余\n乙\n".as_bytes();
    let table = read_table(bytes, "x.csv").unwrap();
    assert_eq!(table.headers, strings(&["名称", "地址"]));
    assert_eq!(table.rows[0].cells, strings(&["甲", "岳阳", "多余"]));
    assert_eq!(table.rows[1].cells, strings(&["乙", ""]));
}

#[test]
fn write_csv_has_bom_guards_formulas_and_reads_back() {
    let sheet = SheetOut {
        name: "x".into(),
        headers: strings(&["名称", "值"]),
        rows: vec![
            vec![CellOut::Text("=HYPERLINK(\"http://x\")".into()), CellOut::Number(2.5)],
            vec![CellOut::Text("逗号,引号\"".into()), CellOut::Int(-3)],
            vec![CellOut::Text("@SUM(A1)".into()), CellOut::Empty],
        ],
    };
    let bytes = write_csv(&sheet);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let table = read_table(&bytes, "x.csv").unwrap();
    assert_eq!(table.rows[0].cells, strings(&["'=HYPERLINK(\"http://x\")", "2.5"]));
    assert_eq!(table.rows[1].cells, strings(&["逗号,引号\"", "-3"]));
    assert_eq!(table.rows[2].cells, strings(&["'@SUM(A1)", ""]));
}

#[test]
fn duplicate_headers_are_refused() {
    let csv = "名称,地址,名称 \n甲,乙,丙\n".as_bytes();
    assert_eq!(read_table(csv, "d.csv"), Err(SheetError::DuplicateHeader("名称".into())));
    let bytes = xlsx_with(|ws| {
        ws.write_string(0, 0, "代码").unwrap();
        ws.write_string(0, 1, "\u{3000}代码").unwrap();
        ws.write_string(1, 0, "1").unwrap();
    });
    let err = read_table(&bytes, "d.xlsx").unwrap_err();
    assert_eq!(err, SheetError::DuplicateHeader("代码".into()));
    assert!(err.to_string().contains("表头“代码”重复"));
}

#[test]
fn header_only_is_empty_and_nothing_is_no_header() {
    assert_eq!(read_table("名称,地址\n,\n".as_bytes(), "h.csv"), Err(SheetError::Empty));
    let bytes = xlsx_with(|ws| {
        ws.write_string(0, 0, "名称").unwrap();
    });
    let err = read_table(&bytes, "h.xlsx").unwrap_err();
    assert_eq!(err, SheetError::Empty);
    assert_eq!(err.to_string(), "文件没有数据行：表头下面至少要有一行数据");
    assert_eq!(read_table(b"", "e.csv"), Err(SheetError::NoHeader));
    assert_eq!(read_table(&xlsx_with(|_| {}), "e.xlsx"), Err(SheetError::NoHeader));
}

#[test]
fn too_many_rows_are_refused_with_the_count() {
    let mut csv = String::from("编号\n");
    for i in 0..200_005 {
        csv.push_str(&format!("{i}\n"));
    }
    let err = read_table(csv.as_bytes(), "big.csv").unwrap_err();
    assert_eq!(err, SheetError::TooManyRows { rows: 200_005 });
    assert!(err.to_string().contains("200005"));
}

#[test]
fn too_many_xlsx_rows_are_refused_with_the_count() {
    let bytes = xlsx_with(|ws| {
        ws.write_string(0, 0, "编号").expect("header");
        for row in 1..=200_003u32 {
            ws.write_number(row, 0, row).expect("cell");
        }
    });
    assert_eq!(read_table(&bytes, "big.xlsx"), Err(SheetError::TooManyRows { rows: 200_003 }));
}
