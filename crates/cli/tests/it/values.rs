//! Enterprise figures and their roll-ups: who may enter what, the month reaching the chain's
//! target with provenance, derived indicators from the library's relations, the reporting
//! calendar, and import/export of monthly sheets (all or nothing, idempotent).

use crate::harness::{TestApp, backends, cli, text};

async fn indicator(app: &TestApp, token: &str, code: &str) -> serde_json::Value {
    let list: serde_json::Value = app.get(token, "/api/v1/indicators").await.json().await.expect("json");
    list.as_array().expect("list").iter().find(|i| i["code"] == code).cloned().unwrap_or_else(|| panic!("{code}"))
}

async fn enterprise_id(app: &TestApp, token: &str, short: &str) -> String {
    let q = url_escape(short);
    let list: serde_json::Value =
        app.get(token, &format!("/api/v1/enterprises?q={q}")).await.json().await.expect("json");
    list["items"].as_array().expect("items")[0]["id"].as_str().expect("id").to_string()
}

fn url_escape(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn last_month() -> String {
    crate::harness::last_month()
}

async fn post(app: &TestApp, token: &str, id: &str, body: serde_json::Value) -> reqwest::Response {
    TestApp::browser()
        .post(format!("{}/api/v1/indicators/{id}/values", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn enterprises_enter_their_own_figures_which_roll_up_with_provenance() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let ent1 = app.token("ent1").await;
        let office = app.token("office").await;
        let tongli = enterprise_id(&app, &office, "同力").await;
        let zhanwei = enterprise_id(&app, &office, "展威").await;
        let plastic = indicator(&app, &office, "ent-recycled-plastic").await;
        let pid = plastic["id"].as_str().expect("id");
        let chain_before = indicator(&app, &office, "recycled-plastic").await;
        let month = last_month();
        let body = |e: &str, v: &str| serde_json::json!({"period": month, "value": v, "unit": "吨", "enterprise": e});

        // Another enterprise's figure: refused and audited; an enterprise not on the chain: named.
        assert_eq!(post(&app, &ent1, pid, body(&zhanwei, "10")).await.status(), 403, "{b:?}");
        let off_chain = post(&app, &office, pid, body(&zhanwei, "10")).await;
        assert_eq!(off_chain.status(), 422, "{b:?}");
        assert!(off_chain.text().await.expect("text").contains("不在该指标所属的产业链上"));
        // The chain total is computed, never entered.
        let chain_id = chain_before["id"].as_str().expect("id");
        let direct =
            post(&app, &office, chain_id, serde_json::json!({"period": month, "value": "1", "unit": "万吨"})).await;
        assert_eq!(direct.status(), 422, "{b:?}");
        assert!(direct.text().await.expect("text").contains("汇总"));

        let negative = post(&app, &ent1, pid, body(&tongli, "-1")).await;
        assert_eq!(negative.status(), 422, "{b:?}");
        assert!(negative.text().await.expect("text").contains("负数"));

        // 同力 has not reported last month in the demo: its own figure is accepted.
        let ok = post(&app, &ent1, pid, body(&tongli, "12345")).await;
        assert_eq!(ok.status(), 200, "{b:?}: {}", ok.text().await.unwrap_or_default());
        // Tonnes keyed as 万吨-sized numbers (10⁴ off the enterprise's history) are held for confirmation.
        let other_month = "2026-01";
        let odd = post(
            &app,
            &ent1,
            pid,
            serde_json::json!({"period": other_month, "value": "1.2", "unit": "吨", "enterprise": tongli, "version": 1}),
        )
        .await;
        assert_eq!(odd.status(), 422, "{b:?}");
        assert!(odd.text().await.expect("text").contains("上千倍"));

        // 12345 吨 is 1.2345 万吨 more in the chain's month, exactly.
        let page = app.get(&office, &format!("/indicators/{chain_id}?period={month}")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(
            html.contains("同力（示范企业）") && html.contains("12345") && html.contains("同力（示范企业） · "),
            "{b:?}"
        );
        assert!(html.contains("页面填报"), "provenance says how");

        // A second office correcting the same figure with a stale version: conflict.
        let first = post(
            &app,
            &office,
            pid,
            serde_json::json!({"period": month, "value": "12000", "unit": "吨", "enterprise": tongli, "version": 1}),
        )
        .await;
        assert_eq!(first.status(), 200, "{b:?}");
        let chain1 = app.token("chain1").await;
        let second = post(
            &app,
            &chain1,
            pid,
            serde_json::json!({"period": month, "value": "12100", "unit": "吨", "enterprise": tongli, "version": 1}),
        )
        .await;
        assert_eq!(second.status(), 409, "{b:?}");
        let html =
            app.get(&office, &format!("/indicators/{chain_id}?period={month}")).await.text().await.expect("html");
        assert!(html.contains("原值 12345吨") && html.contains("已改正1次"), "{b:?}: history kept");
    }
}

#[tokio::test]
async fn derived_rate_comes_from_relations_and_the_calendar_names_who_is_late() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let leader = app.token("leader").await;
        // 49500万元 supplied locally to the tracked OEMs ÷ their 112400万元 procurement in 2025.
        let rate = indicator(&app, &leader, "local-supporting-rate").await;
        assert_eq!(rate["actual"]["value"], "44.0391", "{b:?}: {rate}");
        assert_eq!(rate["status"], "滞后", "44% of 50% is below the amber line");
        let page = app.get(&leader, &format!("/indicators/{}?period=2025-12", rate["id"].as_str().expect("id"))).await;
        let html = page.text().await.expect("html");
        assert!(html.contains("49500万元") && html.contains("112400万元"), "{b:?}: the terms are shown");

        // A forecast range of one number is shown as the number alone, never "x（x–x）".
        let cockpit = app.get(&leader, "/cockpit").await.text().await.expect("html");
        let degenerate = cockpit.split('（').skip(1).filter_map(|r| r.split('）').next()).find(|inside| {
            inside
                .split_once('–')
                .is_some_and(|(low, high)| low == high && low.chars().all(|c| c.is_ascii_digit() || c == '.'))
        });
        assert!(degenerate.is_none(), "{b:?}: a range of one number: {degenerate:?}");
        // The demo leaves 同力's last month open: it is on the office's list and reminded at home.
        let chain1 = app.token("chain1").await;
        let status = app.get(&chain1, "/figures/status").await.text().await.expect("html");
        let row = status.split("<tr>").find(|r| r.contains("同力")).expect("同力 is expected to report");
        assert!(row.contains("未报"), "{b:?}: {row}");
        assert!(!status.contains("展威"), "{b:?}: another chain's enterprises are not chain1's business");
        let home = app.get(&app.token("ent1").await, "/my").await.text().await.expect("html");
        assert!(home.contains("待办提醒") && home.contains("企业再生塑料产量"), "{b:?}");
        // An enterprise user sees no cockpit figures of others.
        let ent1 = app.token("ent1").await;
        let list: serde_json::Value = app.get(&ent1, "/api/v1/indicators").await.json().await.expect("json");
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{b:?}");
        let cockpit = app.get(&ent1, &format!("/indicators/{}", rate["id"].as_str().expect("id"))).await;
        assert_eq!(cockpit.status(), 403);
    }
}

#[tokio::test]
async fn monthly_sheets_import_all_or_nothing_and_export_round_trips() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        let path = dir.join("values.csv");
        let bad = "指标代码,企业,月份,数值,单位\n\
            ent-recycled-plastic,同力,2099-01,10,吨\n\
            ent-recycled-plastic,展威,2024-01,10,吨\n\
            ent-recycled-plastic,同力,2024-02,-5,吨\n\
            ent-recycled-plastic,同力,2024-03,十吨,吨\n\
            ent-recycled-plastic,同力,2024-04,1,万吨\n\
            ent-recycled-plastic,中塑,2024-05,7,吨\n\
            ent-recycled-plastic,中塑,2024-05,8,吨\n\
            local-supporting-rate,,2024-05,40,%\n";
        std::fs::write(&path, bad).expect("write");
        let store = app.db.store().await;
        let count = || async {
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM indicator_values").fetch_one(store.pool()).await.expect("count");
            n
        };
        let before = count().await;
        let out = cli(&app.db, &["import", "values", "--city", "miluo", path.to_str().expect("path")]);
        let msg = text(&out);
        assert!(!out.status.success(), "{b:?}");
        for needle in [
            "第2行",
            "未来月份",
            "第3行",
            "不在该指标所属产业链上",
            "第4行",
            "负数",
            "第5行",
            "第6行",
            "单位应为“吨”",
            "第8行",
            "与第7行重复",
            "第9行",
            "公式",
        ] {
            assert!(msg.contains(needle), "{b:?}: {needle} in {msg}");
        }
        assert_eq!(count().await, before, "{b:?}: nothing stored");

        let good = "指标代码,企业,月份,数值,单位\n\
            ent-recycled-plastic,同力,2021-01,100.5,吨\n\
            ent-recycled-plastic,中塑,2021-01,\"1,200\",吨\n\
            ent-recycled-plastic,同力,2021-02,50,吨\n";
        std::fs::write(&path, good).expect("write");
        let out = cli(&app.db, &["import", "values", "--city", "miluo", path.to_str().expect("path")]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        assert!(text(&out).contains("新增 3 个"), "{}", text(&out));
        let again = cli(&app.db, &["import", "values", "--city", "miluo", path.to_str().expect("path")]);
        assert!(text(&again).contains("新增 0 个数值，改正 0 个，无变化 3 个"), "{b:?}: {}", text(&again));
        assert_eq!(count().await, before + 3);

        let xlsx = dir.join("2021.xlsx");
        let out = cli(
            &app.db,
            &["export", "values", "--city", "miluo", "--year", "2021", "-o", xlsx.to_str().expect("path")],
        );
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        let table = chainchief_sheets::read_table(&std::fs::read(&xlsx).expect("read"), "2021.xlsx").expect("xlsx");
        assert_eq!(table.rows.len(), 3, "{b:?}");
        assert!(table.rows.iter().any(|r| r.cells.contains(&"1200".to_string())), "{:?}", table.rows);
        let back = cli(&app.db, &["import", "values", "--city", "miluo", xlsx.to_str().expect("path")]);
        assert!(text(&back).contains("无变化 3 个"), "{b:?}: the export imports back unchanged: {}", text(&back));
        store.close().await;
    }
}

#[tokio::test]
async fn a_chain_office_uploads_only_its_chain_and_imported_chain_members_report() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        // An enterprise imported with a chain but no node is on the chain: its figures are accepted.
        let ents = dir.join("e.csv");
        std::fs::write(
            &ents,
            "统一社会信用代码,企业名称,简称,产业链,规模\n,汨罗示范再生材料有限公司,示范再生材料,非金属新材料产业链,规上\n",
        )
        .expect("write");
        let out = cli(&app.db, &["import", "enterprises", "--city", "miluo", ents.to_str().expect("path")]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));

        let (c, csrf) = app.web_login("chain1").await;
        let upload = |csv: &'static str| {
            let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("m.csv");
            let form = reqwest::multipart::Form::new().part("file", part);
            c.post(format!("{}/figures/import?_csrf={csrf}", app.base)).multipart(form).send()
        };
        let other = upload("指标代码,企业,月份,数值,单位\nent-recycled-steel,展威,2021-03,5,吨\n").await.expect("post");
        assert_eq!(other.status(), 422, "{b:?}");
        assert!(other.text().await.expect("html").contains("链条办只能导入本链"), "{b:?}");
        let own = upload("指标代码,企业,月份,数值,单位\nent-recycled-plastic,示范再生材料,2021-03,5,吨\n")
            .await
            .expect("post");
        assert_eq!(own.status(), 200, "{b:?}");
        assert!(own.text().await.expect("html").contains("新增 1 个数值"), "{b:?}");
        let status = c.get(format!("{}/figures/status?period=2021-03", app.base)).send().await.expect("get");
        let html = status.text().await.expect("html");
        assert!(html.contains("示范再生材料"), "{b:?}: an imported chain member is expected to report");
    }
}
