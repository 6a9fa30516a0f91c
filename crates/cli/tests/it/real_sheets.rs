//! Sheets as offices really fill them: a title row and a 填报单位 row above the header, 序号 and
//! 备注 columns, a note under the data. Every import (enterprises, targets, figures) finds the
//! header, leaves the rest aside and says so, and imports the template's own example row.

use crate::harness::{backends, html};
use crate::second_city::serve_second_city;

/// A CSV cell, quoted.
fn cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The template's header and example row as an office would send them back, with a 序号 column
/// and an `extra` remarks column.
fn as_filled_in(headers: &[String], example: &[String], extra: &str) -> String {
    let row = |first: &str, cells: &[String], last: &str| {
        let mut all = vec![cell(first)];
        all.extend(cells.iter().map(|c| cell(c)));
        all.push(cell(last));
        all.join(",")
    };
    [
        "\"岚山县产业链数据报送表\",,,".to_string(),
        "\"填报单位：县产业链办\",,\"填报日期：2026年11月30日\"".to_string(),
        row("序号", headers, extra),
        row("1", example, "示例行"),
        "\"注：数据以统计部门核定为准\"".to_string(),
    ]
    .join("\r\n")
}

#[tokio::test]
async fn sheets_with_a_title_row_serial_numbers_and_notes_import() {
    for b in backends() {
        let app = serve_second_city(b).await;
        let (c, csrf) = app.web_login("ls-office").await;
        crate::second_city::add_a_bamboo_node(&app, b).await;
        for (template, import) in [
            ("/enterprises/template.xlsx", "/enterprises/import"),
            ("/investment/targets/template.xlsx", "/investment/targets/import"),
            ("/figures/template.xlsx", "/figures/import"),
        ] {
            let bytes =
                c.get(format!("{}{template}", app.base)).send().await.expect("get").bytes().await.expect("bytes");
            let table = chainchief_sheets::read_table(&bytes, "t.xlsx").expect("template");
            // A template that has its own 备注 column keeps it; the office adds 填报说明 instead.
            let extra = if table.headers.iter().any(|h| h == "备注") { "填报说明" } else { "备注" };
            let sheet = as_filled_in(&table.headers, &table.rows[0].cells, extra);
            let part = reqwest::multipart::Part::bytes(sheet.into_bytes()).file_name("报送表.csv");
            let form = reqwest::multipart::Form::new().part("file", part);
            let res =
                c.post(format!("{}{import}?_csrf={csrf}", app.base)).multipart(form).send().await.expect("import");
            let status = res.status();
            let page = res.text().await.expect("html");
            assert!(status == 200 && page.contains("已导入"), "{b:?}: {import} ({status}): {page}");
            let ignored = format!("已忽略列：序号、{extra}");
            for said in ["表头在第3行，其上2行（标题、填报单位等）未导入", &ignored, "已跳过说明行：第5行"]
            {
                assert!(page.contains(said), "{b:?}: {import} says {said}: {page}");
            }
        }
        let figures = html(&app, &c, "/figures/import").await;
        assert!(!figures.contains("已忽略列"), "{b:?}: the notice belongs to the import it was given for");
    }
}
