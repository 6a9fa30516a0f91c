//! Investment promotion through the real binary: recommendation order, stage rules, conflicts,
//! a project in production filling its node on the status map, quotas counted from events.

use crate::harness::{TestApp, backends, created_id, html};

async fn quota(app: &TestApp, token: &str, code: &str, year: i32) -> serde_json::Value {
    let list: serde_json::Value =
        app.get(token, &format!("/api/v1/quotas?year={year}")).await.json().await.expect("json");
    list.as_array().expect("list").iter().find(|q| q["code"] == code).cloned().unwrap_or_else(|| panic!("{code}"))
}

fn id_after(page: &str, prefix: &str) -> String {
    let start = page.find(prefix).unwrap_or_else(|| panic!("{prefix} in page")) + prefix.len();
    page[start..].chars().take_while(|c| c.is_ascii_hexdigit() || *c == '-').collect()
}

#[tokio::test]
async fn a_target_becomes_a_project_whose_stages_follow_the_rules_and_fill_the_gap() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain3").await;
        let token = app.token("chain3").await;
        let chain = app.chain_id(&token, "有色金属新材料产业链").await;
        let status = c.get(format!("{}/chains/{chain}/map?kind=status", app.base)).send().await.expect("map");
        let map_page = status.text().await.expect("html");
        // The copper gap's node page and its ranking.
        let link = map_page.find(">电解/阴极铜</a>").expect("copper link");
        let node = id_after(&map_page[map_page[..link].rfind("/nodes/").expect("href")..], "/nodes/");
        let page = c
            .get(format!("{}/chains/{chain}/nodes/{node}", app.base))
            .send()
            .await
            .expect("node")
            .text()
            .await
            .expect("html");
        let ranked = &page[page.find("class=\"ranked\"").expect("ranking")..];
        let first = ranked.find("铜陵示范有色").expect("铜陵 ranked");
        let second = ranked.find("江西示范铜业").expect("江西 ranked");
        assert!(first < second, "{b:?}: 85 points before 70");
        assert!(ranked.contains("85分") && ranked.contains("以商招商"), "{b:?}");
        let target = id_after(ranked, "/investment/targets/");

        let post = |path: String, form: Vec<(&'static str, String)>| {
            let mut form = form;
            form.push(("_csrf", csrf.clone()));
            c.post(format!("{}{path}", app.base)).form(&form).send()
        };
        let created = post(
            "/projects".into(),
            vec![
                ("target_id", target.clone()),
                ("node_id", node.clone()),
                ("name", "电解铜项目".into()),
                ("planned", "50000".into()),
            ],
        )
        .await
        .expect("create");
        assert_eq!(created.status(), 303, "{b:?}");
        let project = created_id(&created, "/projects/");
        let stage = |to: &str, extra: Vec<(&'static str, String)>, version: i64| {
            let mut form = vec![("to", to.to_string()), ("version", version.to_string())];
            form.extend(extra);
            post(format!("/projects/{project}/stage"), form)
        };
        let no_amount = stage("signed", vec![], 1).await.expect("post");
        assert_eq!(no_amount.status(), 422, "{b:?}");
        assert!(no_amount.text().await.expect("html").contains("签约金额"));
        let future = stage("signed", vec![("signed", "48000".into()), ("signed_on", "2099-01-01".into())], 1)
            .await
            .expect("post");
        assert_eq!(future.status(), 422, "{b:?}: a signing date in the future");
        let today = crate::harness::today();
        let d = |days: u64| (today - chrono::Days::new(days)).format("%Y-%m-%d").to_string();
        let skip =
            stage("construction", vec![("signed", "48000".into()), ("signed_on", d(30))], 1).await.expect("post");
        assert_eq!(skip.status(), 422, "{b:?}: 在建 needs the approval and start dates");
        let signed = stage("signed", vec![("signed", "48000".into()), ("signed_on", d(30))], 1).await.expect("post");
        assert_eq!(signed.status(), 303, "{b:?}");
        // A second user moving the same project from the version they read: conflict.
        let (c2, csrf2) = app.web_login("office").await;
        let stale = c2
            .post(format!("{}/projects/{project}/stage", app.base))
            .form(&[("to", "negotiating"), ("version", "1"), ("reason", "重新洽谈"), ("_csrf", csrf2.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(stale.status(), 409, "{b:?}");
        // Another chain's office may not move it.
        let (c3, csrf3) = app.web_login("chain1").await;
        let other = c3
            .post(format!("{}/projects/{project}/stage", app.base))
            .form(&[("to", "approval"), ("version", "2"), ("_csrf", csrf3.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(other.status(), 403, "{b:?}");
        let facts = |v: &str| {
            vec![
                ("signed", "48000".into()),
                ("signed_on", d(30)),
                ("approval_on", d(20)),
                ("started_on", d(10)),
                ("producing_on", v.to_string()),
            ]
        };
        let out_of_order = stage("production", facts(&d(40)), 2).await.expect("post");
        assert_eq!(out_of_order.status(), 422, "{b:?}: production before the start");
        let producing = stage("production", facts(&d(1)), 2).await.expect("post");
        assert_eq!(producing.status(), 303, "{b:?}");
        let page = html(&app, &c, &format!("/projects/{project}")).await;
        assert!(
            page.contains("由“签约”到“投产”") && page.contains("有色金属新材料链条办"),
            "{b:?}: the move is kept with who made it"
        );
        let map = c
            .get(format!("{}/chains/{chain}/map?kind=status", app.base))
            .send()
            .await
            .expect("map")
            .text()
            .await
            .expect("html");
        let at = map.find("<td data-label=\"环节\"><a href=").expect("rows");
        let start = at + map[at..].find(">电解/阴极铜</a>").expect("copper row");
        let row = &map[start..start + map[start..].find("</tr>").expect("row end")];
        assert!(!row.contains("空白"), "{b:?}: the project company now fills the node: {row}");
        let target_page = html(&app, &c, &format!("/investment/targets/{target}")).await;
        assert!(target_page.contains("状态：已签约"), "{b:?}");

        // A signing ceremony with the project counts toward the signing quota of its year.
        let before = quota(&app, &token, "signings", today.year()).await;
        assert_eq!(before["required"], 2);
        let held = post(
            "/investment/events".into(),
            vec![
                ("kind", "signing".into()),
                ("title", "集中签约".into()),
                ("held_on", d(0)),
                ("project", project.clone()),
            ],
        )
        .await
        .expect("event");
        assert_eq!(held.status(), 303, "{b:?}");
        let after = quota(&app, &token, "signings", today.year()).await;
        assert_eq!(after["done"].as_i64(), before["done"].as_i64().map(|n| n + 1), "{b:?}");
        let future = post(
            "/investment/events".into(),
            vec![("kind", "signing".into()), ("title", "x".into()), ("held_on", "2099-01-01".into())],
        )
        .await
        .expect("event");
        assert_eq!(future.status(), 422, "{b:?}");
        let ent = app.token("ent1").await;
        assert_eq!(
            app.get(&ent, "/api/v1/quotas").await.status(),
            403,
            "{b:?}: enterprises do not see investment work"
        );
    }
}

use chrono::Datelike;

#[tokio::test]
async fn targets_import_all_or_nothing_idempotent_and_export_back() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let upload = |csv: String| {
            let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("t.csv");
            let form = reqwest::multipart::Form::new().part("file", part);
            c.post(format!("{}/investment/targets/import?_csrf={csrf}", app.base)).multipart(form).send()
        };
        let header = "企业名称,类别,主要产品,产业链,可填补环节,跟进单位,备注\n";
        let bad = format!("{header}湖北示范铜箔有限公司,财富500强,铜箔,有色金属新材料产业链,电解铜,,\n");
        let refused = upload(bad).await.expect("post");
        assert_eq!(refused.status(), 422, "{b:?}");
        let text = refused.text().await.expect("html");
        assert!(text.contains("财富500强") && text.contains("电解铜"), "{b:?}");
        let good = format!(
            "{header}湖北示范铜箔有限公司,上市公司,铜箔,有色金属新材料产业链,铜箔,高新区管委会,\n示范铜业集团股份有限公司（新）,中国500强,阴极铜,有色金属新材料产业链,电解/阴极铜,,\n"
        );
        let first = upload(good.clone()).await.expect("post").text().await.expect("html");
        assert!(
            first.contains("新建外地企业 2 家，新增目标 2 个"),
            "{b:?}: {}",
            &first[first.find("已导入").unwrap_or(0)..][..200.min(first.len())]
        );
        let again = upload(good).await.expect("post").text().await.expect("html");
        assert!(again.contains("新建外地企业 0 家，新增目标 0 个，新增环节或跟进单位 0 条"), "{b:?}: idempotent");
        let xlsx = c.get(format!("{}/investment/targets/export.xlsx", app.base)).send().await.expect("get");
        let table = chainchief_sheets::read_table(&xlsx.bytes().await.expect("bytes"), "t.xlsx").expect("xlsx");
        assert!(table.rows.iter().any(|r| r.cells[0] == "湖北示范铜箔有限公司" && r.cells[4] == "铜箔"), "{b:?}");
        let back = xlsx_to_csv(&table);
        let reimport = upload(back).await.expect("post").text().await.expect("html");
        assert!(reimport.contains("新增目标 0 个"), "{b:?}: the export imports back unchanged");
        let unit = app.token("ent1").await;
        assert_eq!(app.get(&unit, "/investment/targets/export.xlsx").await.status(), 403, "{b:?}");
    }
}

/// A table as CSV (cells quoted).
fn xlsx_to_csv(t: &chainchief_sheets::Table) -> String {
    let line = |cells: &[String]| {
        cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(",")
    };
    std::iter::once(line(&t.headers)).chain(t.rows.iter().map(|r| line(&r.cells))).collect::<Vec<_>>().join("\n") + "\n"
}
