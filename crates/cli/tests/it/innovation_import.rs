//! Innovation carriers imported from a sheet: the template and the exported list import as they
//! are (re-importing changes nothing), every bad row is named with its column and nothing is
//! stored, a row of a chain the importer does not keep is refused, and a changed row updates the
//! carrier with its history.

use crate::harness::{TestApp, backends, html};

/// Uploads `bytes` as `name` to the carrier import; the status and the page.
async fn upload(c: &reqwest::Client, app: &TestApp, csrf: &str, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let res = c
        .post(format!("{}/innovation/import?_csrf={csrf}", app.base))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    (res.status().as_u16(), res.text().await.expect("text"))
}

async fn bytes(c: &reqwest::Client, app: &TestApp, path: &str) -> Vec<u8> {
    let res = c.get(format!("{}{path}", app.base)).send().await.expect("get");
    assert_eq!(res.status(), 200, "{path}");
    res.bytes().await.expect("bytes").to_vec()
}

async fn carriers(app: &TestApp) -> i64 {
    let store = app.db.store().await;
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM innovation_carriers").fetch_one(store.pool()).await.expect("n");
    store.close().await;
    n
}

const HEADER: &str = "名称,类型,级别,认定（成立）年份,产业链,环节,依托单位,认定部门及文号,任务或服务内容\n";

#[tokio::test]
async fn carriers_come_in_from_a_sheet_all_or_nothing_within_the_importers_chains() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;

        // The template imports as downloaded; the exported list imports without a change.
        let template = bytes(&office, &app, "/innovation/template.xlsx").await;
        let (status, page) = upload(&office, &app, &csrf, "template.xlsx", template.clone()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let (_, page) = upload(&office, &app, &csrf, "template.xlsx", template).await;
        assert!(page.contains("新增 0 条，更新 0 条，1 条未变"), "{b:?}: {page}");
        let export = bytes(&office, &app, "/innovation?family=consortium&format=xlsx").await;
        let (status, page) = upload(&office, &app, &csrf, "export.xlsx", export).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 0 条，更新 0 条"), "{b:?}: the export imports unchanged: {page}");

        // A chain office's file with bad rows: each named by row and column, nothing stored.
        let (c1, csrf1) = app.web_login("chain1").await;
        let before = carriers(&app).await;
        let bad = format!(
            "{HEADER}矩阵改性中心,企业技术中心,省级,2023,非金属新材料,,中塑（示范企业）,,改性\n\
             矩阵电子中心,企业技术中心,省级,2023,电子信息,,三兴精密（示范企业）,,\n\
             矩阵宇宙中心,企业技术中心,宇宙级,2023,非金属新材料,,矩阵大学,,\n\
             矩阵改性中心,众创空间,市级,2023,非金属新材料,,矩阵大学,,\n\
             矩阵未来中心,众创空间,市级,2999,非金属新材料,不存在的环节,矩阵大学,,\n"
        );
        let (status, page) = upload(&c1, &app, &csrf1, "bad.csv", bad.into_bytes()).await;
        assert_eq!(status, 422, "{b:?}: {page}");
        for (row, column) in [(3, "产业链"), (4, "级别"), (5, "名称"), (6, "环节")] {
            let cell = format!("data-label=\"行\">{row}</td><td data-label=\"列\">{column}</td>");
            assert!(page.contains(&cell), "{b:?}: row {row}, {column}: {page}");
        }
        for why in
            ["您不能维护电子信息产业链的创新载体", "认定级别“宇宙级”不存在", "出现了不止一次", "没有环节“不存在的环节”"]
        {
            assert!(page.contains(why), "{b:?}: {why}");
        }
        assert_eq!(carriers(&app).await, before, "{b:?}: nothing stored");

        // The good row alone: created; again: unchanged; with new content: updated, with history.
        let good = format!("{HEADER}矩阵改性中心,企业技术中心,省级,2023,非金属新材料,,中塑（示范企业）,,改性\n");
        let (status, page) = upload(&c1, &app, &csrf1, "good.csv", good.clone().into_bytes()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let (_, page) = upload(&c1, &app, &csrf1, "good.csv", good.into_bytes()).await;
        assert!(page.contains("1 条未变"), "{b:?}: {page}");
        let changed =
            format!("{HEADER}矩阵改性中心,企业技术中心,国家级,2023,非金属新材料,,中塑（示范企业）,,高值化改性\n");
        let (_, page) = upload(&c1, &app, &csrf1, "changed.csv", changed.into_bytes()).await;
        assert!(page.contains("更新 1 条"), "{b:?}: {page}");
        let store = app.db.store().await;
        let (id, level): (String, String) =
            sqlx::query_as("SELECT id, level FROM innovation_carriers WHERE name = '矩阵改性中心'")
                .fetch_one(store.pool())
                .await
                .expect("row");
        store.close().await;
        assert_eq!(level, "national", "{b:?}");
        let page = html(&app, &c1, &format!("/innovation/{id}")).await;
        assert!(page.contains("中塑（示范企业）") && page.contains("高值化改性"), "{b:?}: the host from the library");

        // Another chain's office cannot take it over by naming it.
        let (c2, csrf2) = app.web_login("chain2").await;
        let takeover = format!("{HEADER}矩阵改性中心,企业技术中心,省级,2023,电子信息,,三兴精密（示范企业）,,\n");
        let (status, page) = upload(&c2, &app, &csrf2, "takeover.csv", takeover.into_bytes()).await;
        assert_eq!(status, 422, "{b:?}");
        assert!(page.contains("属非金属新材料产业链，您不能修改"), "{b:?}: {page}");
        // Neither an enterprise nor a leader may import.
        let (ent, csrf_e) = app.web_login("ent1").await;
        let refused = ent
            .post(format!("{}/innovation/import?_csrf={csrf_e}", app.base))
            .multipart(
                reqwest::multipart::Form::new()
                    .part("file", reqwest::multipart::Part::bytes(HEADER.as_bytes().to_vec()).file_name("x.csv")),
            )
            .send()
            .await
            .expect("post");
        assert_eq!(refused.status(), 403, "{b:?}");
    }
}

async fn stages_of(app: &TestApp, name: &str) -> i64 {
    let store = app.db.store().await;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM technology_stages s JOIN key_technologies t ON t.id = s.technology_id WHERE t.name = $1",
    )
    .bind(name)
    .fetch_one(store.pool())
    .await
    .expect("n");
    store.close().await;
    n
}

const TECH_HEADER: &str =
    "技术名称,类别,产业链,环节,揭榜企业,合作单位,创新联合体,攻关阶段,完成年份,具体指标要求,进展\n";

#[tokio::test]
async fn key_technologies_come_in_from_a_sheet_and_their_stages_never_go_back() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;
        let upload = |c: reqwest::Client, csrf: String, name: &'static str, bytes: Vec<u8>| {
            let app = &app;
            async move {
                let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
                let res = c
                    .post(format!("{}/innovation/technologies/import?_csrf={csrf}", app.base))
                    .multipart(reqwest::multipart::Form::new().part("file", part))
                    .send()
                    .await
                    .expect("upload");
                (res.status().as_u16(), res.text().await.expect("text"))
            }
        };

        // The template and the exported list import as they are.
        let template = bytes(&office, &app, "/innovation/technologies/template.xlsx").await;
        let (status, page) = upload(office.clone(), csrf.clone(), "t.xlsx", template).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let export = bytes(&office, &app, "/innovation/technologies?format=xlsx").await;
        let (status, page) = upload(office.clone(), csrf.clone(), "e.xlsx", export).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 0 条，更新 0 条"), "{b:?}: the export imports unchanged: {page}");

        // A chain office's file with bad rows: each named, nothing stored.
        let (c1, csrf1) = app.web_login("chain1").await;
        let good = "矩阵再生改性攻关,关键核心技术,非金属新材料,,同力（示范企业）,中南大学、湘潭大学,高分子材料改性创新联合体（示范）,任务实施,2027,,";
        let bad = format!(
            "{TECH_HEADER}{good}\n\
             矩阵电子攻关,关键核心技术,电子信息,,,,,集中发榜,,,\n\
             矩阵无主攻关,关键核心技术,非金属新材料,,不存在的企业,,,集中发榜,,,\n\
             矩阵宇宙攻关,关键核心技术,非金属新材料,,,,,宇宙阶段,,,\n"
        );
        let (status, page) = upload(c1.clone(), csrf1.clone(), "bad.csv", bad.into_bytes()).await;
        assert_eq!(status, 422, "{b:?}: {page}");
        for why in ["您不能维护电子信息产业链的关键核心技术", "企业库中没有“不存在的企业”", "攻关阶段“宇宙阶段”不存在"]
        {
            assert!(page.contains(why), "{b:?}: {why} in {page}");
        }
        assert_eq!(stages_of(&app, "矩阵再生改性攻关").await, 0, "{b:?}: nothing stored");

        // The good row: created at its stage; a stage going back is refused; forward is kept.
        let (status, page) =
            upload(c1.clone(), csrf1.clone(), "good.csv", format!("{TECH_HEADER}{good}\n").into_bytes()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let back = good.replace("任务实施", "集中发榜");
        let (status, page) =
            upload(c1.clone(), csrf1.clone(), "back.csv", format!("{TECH_HEADER}{back}\n").into_bytes()).await;
        assert_eq!(status, 422, "{b:?}");
        assert!(page.contains("攻关阶段不能从“任务实施”退回到“集中发榜”"), "{b:?}: {page}");
        let on = good.replace("任务实施", "验收评估");
        let (status, page) =
            upload(c1.clone(), csrf1.clone(), "on.csv", format!("{TECH_HEADER}{on}\n").into_bytes()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("更新 1 条"), "{b:?}: {page}");
        assert_eq!(stages_of(&app, "矩阵再生改性攻关").await, 2, "{b:?}: the stage reached is recorded");
    }
}

const RESULT_HEADER: &str = "企业,类别,名称,编号,年份,奖励（万元）\n";

#[tokio::test]
async fn standards_and_patents_come_in_from_a_sheet_for_the_enterprises_the_importer_keeps() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let send = |c: reqwest::Client, csrf: String, name: &'static str, bytes: Vec<u8>| {
            let app = &app;
            async move {
                let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
                let res = c
                    .post(format!("{}/innovation/results/import?_csrf={csrf}", app.base))
                    .multipart(reqwest::multipart::Form::new().part("file", part))
                    .send()
                    .await
                    .expect("upload");
                (res.status().as_u16(), res.text().await.expect("text"))
            }
        };
        let (office, csrf) = app.web_login("office").await;
        let template = bytes(&office, &app, "/innovation/results/template.xlsx").await;
        let (status, page) = send(office.clone(), csrf.clone(), "t.xlsx", template.clone()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let (_, page) = send(office.clone(), csrf.clone(), "t.xlsx", template).await;
        assert!(page.contains("1 条未变"), "{b:?}: {page}");

        let (c1, csrf1) = app.web_login("chain1").await;
        let good = "同力（示范企业）,发明专利,一种矩阵改性方法,ZL-MATRIX-9,2025,8";
        let bad = format!(
            "{RESULT_HEADER}{good}\n三兴精密（示范企业）,发明专利,一种外链方法,ZL-MATRIX-8,2025,\n同力（示范企业）,宇宙标准,矩阵标准,T-MATRIX-1,2025,\n"
        );
        let (status, page) = send(c1.clone(), csrf1.clone(), "r.csv", bad.into_bytes()).await;
        assert_eq!(status, 422, "{b:?}: {page}");
        for why in ["您不能为“三兴精密（示范企业）”登记成果", "成果类别“宇宙标准”不存在"]
        {
            assert!(page.contains(why), "{b:?}: {why} in {page}");
        }
        let (status, page) =
            send(c1.clone(), csrf1.clone(), "r.csv", format!("{RESULT_HEADER}{good}\n").into_bytes()).await;
        assert_eq!(status, 200, "{b:?}: {page}");
        assert!(page.contains("新增 1 条"), "{b:?}: {page}");
        let other = good.replace("一种矩阵改性方法", "另一种方法");
        let (status, page) =
            send(c1.clone(), csrf1.clone(), "r.csv", format!("{RESULT_HEADER}{other}\n").into_bytes()).await;
        assert_eq!(status, 422, "{b:?}");
        assert!(page.contains("内容与本行不同"), "{b:?}: {page}");
        let list = html(&app, &c1, "/innovation/results").await;
        assert!(list.contains("ZL-MATRIX-9") && !list.contains("另一种方法"), "{b:?}");
    }
}
