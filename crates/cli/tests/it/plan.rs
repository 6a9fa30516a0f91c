//! Plan files: import, idempotent re-import, refusal with line numbers, several cities apart.

use crate::harness::{TestApp, TestDb, backends, cli, text};
use chainchief_store::Store;

async fn count(store: &Store, table: &str) -> i64 {
    let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(store.pool())
        .await
        .expect("count");
    row.0
}

fn plan_path(name: &str) -> String {
    format!("{}/../../plans/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn miluo_plan_loads_whole_and_reimport_changes_nothing() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let out = cli(&db, &["plan", "import", &plan_path("miluo-2022.toml")]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        let store = db.store().await;
        assert_eq!(count(&store, "cities").await, 1);
        let chains: Vec<(String, String)> =
            sqlx::query_as("SELECT name, level FROM chains WHERE level = 'city_leading' ORDER BY position")
                .fetch_all(store.pool())
                .await
                .expect("chains");
        let names: Vec<&str> = chains.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            names,
            ["非金属新材料产业链", "电子信息产业链", "有色金属新材料产业链", "工程机械及汽车零部件产业链"]
        );
        // The plan's 2025 targets, exactly, with their units.
        let targets: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT i.name, t.value_scaled, t.unit FROM indicator_targets t JOIN indicators i ON i.id = t.indicator_id \
             WHERE t.year = 2025 AND t.kind = 'target' ORDER BY i.position",
        )
        .fetch_all(store.pool())
        .await
        .expect("targets");
        let shown: Vec<String> = targets.iter().map(|(_, v, u)| format!("{}{u}", v / 10_000)).collect();
        for want in ["150万吨", "30万吨", "100亿元", "6万吨", "100万吨", "20万吨", "50%", "30%", "2000亿元"]
        {
            assert!(shown.contains(&want.to_string()), "{b:?}: target {want} missing from {shown:?}");
        }
        // Every "(责任单位:…)" measure of section 三 with its quotas.
        let quotas: Vec<(String, i64)> = sqlx::query_as("SELECT code, min_count FROM quotas ORDER BY code")
            .fetch_all(store.pool())
            .await
            .expect("quotas");
        let q: Vec<(&str, i64)> = quotas.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        assert!(
            q.contains(&("investment-trips", 4)) && q.contains(&("signings", 2)) && q.contains(&("groundbreakings", 2))
        );
        assert!(q.contains(&("new-above-scale", 15)) && q.contains(&("champion-or-giant", 1)));
        let lead_of_312: (String,) = sqlx::query_as(
            "SELECT u.short_name FROM measure_units mu JOIN measures m ON m.id = mu.measure_id \
             JOIN units u ON u.id = mu.unit_id WHERE m.code = '3.1.2' AND mu.role = 'lead'",
        )
        .fetch_one(store.pool())
        .await
        .expect("lead unit");
        assert_eq!(lead_of_312.0, "高新区管委会");
        let measures = count(&store, "measures").await;
        assert!(measures >= 16, "{b:?}: {measures} measures");

        let audit_before = count(&store, "audit_log").await;
        let again = cli(&db, &["plan", "import", &plan_path("miluo-2022.toml")]);
        assert!(again.status.success());
        assert!(text(&again).contains("未做任何改动"), "{}", text(&again));
        assert_eq!(count(&store, "audit_log").await, audit_before, "{b:?}: re-import must change nothing");
        store.close().await;
    }
}

#[tokio::test]
async fn a_plan_with_errors_is_refused_whole_with_line_and_reason() {
    for b in backends() {
        let db = TestDb::new(b).await;
        assert!(cli(&db, &["migrate"]).status.success());
        let good = std::fs::read_to_string(fixture("other-city.toml")).expect("fixture");
        let bad =
            good.replace("lead = [\"qx-gxj\"]", "lead = [\"qx-nobody\"]").replace("unit = \"亿元\"", "unit = \"\"");
        let path = db.dir.path().join("bad.toml");
        std::fs::write(&path, &bad).expect("write");
        let out = cli(&db, &["plan", "import", path.to_str().expect("path")]);
        assert!(!out.status.success(), "{b:?}: a bad plan must be refused");
        let msg = text(&out);
        let unit_line = bad.lines().position(|l| l == "unit = \"\"").expect("line") + 1;
        let lead_line = bad.lines().position(|l| l.contains("qx-nobody")).expect("line") + 1;
        assert!(msg.contains(&format!("第{unit_line}行：指标“茶叶加工产值”没有单位")), "{msg}");
        assert!(msg.contains(&format!("第{lead_line}行：没有代码为“qx-nobody”的责任单位")), "{msg}");
        let store = db.store().await;
        assert_eq!(count(&store, "cities").await, 0, "{b:?}: nothing may be stored");
        store.close().await;
    }
}

#[tokio::test]
async fn a_second_city_is_kept_apart() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let out = cli(&app.db, &["plan", "import", &fixture("other-city.toml")]);
        assert!(out.status.success(), "{}", text(&out));
        let add = crate::harness::add_user(
            &app.db,
            &["--city", "qingxi", "--username", "qx-office", "--name", "清溪总链办", "--role", "general_office"],
        );
        assert!(add.status.success(), "{}", text(&add));
        app.first_sign_in("qx-office").await;
        let miluo = app.token("office").await;
        let qingxi = app.token("qx-office").await;
        let ours: serde_json::Value = app.get(&qingxi, "/api/v1/chains").await.json().await.expect("json");
        let names: Vec<&str> = ours.as_array().expect("list").iter().filter_map(|c| c["name"].as_str()).collect();
        assert_eq!(names, ["茶叶精深加工产业链"], "{b:?}");
        let miluo_chain = app.chain_id(&miluo, crate::harness::CHAIN1).await;
        let res = app.get(&qingxi, &format!("/api/v1/chains/{miluo_chain}")).await;
        assert_eq!(res.status(), 404, "{b:?}: another city's chain is not found");
        let page = TestApp::browser()
            .get(format!("{}/chains/{miluo_chain}", app.base))
            .bearer_auth(&qingxi)
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 404);
    }
}

#[test]
fn plan_extract_reads_gb18030_text_and_lists_what_it_cannot_read() {
    let dir = tempfile::tempdir().expect("dir");
    let text = include_str!("../../../../plans/miluo-2022-plan.txt");
    let (gbk, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad, "the plan text encodes in GB18030");
    let path = dir.path().join("plan.txt");
    std::fs::write(&path, &gbk).expect("write");
    let out_file = dir.path().join("draft.toml");
    let db = crate::harness::TestDb::foreign("sqlite://unused.db");
    let out = crate::harness::cli(
        &db,
        &["plan", "extract", path.to_str().expect("path"), "-o", out_file.to_str().expect("path")],
    );
    assert!(out.status.success(), "{}", crate::harness::text(&out));
    assert!(crate::harness::text(&out).contains("找到举措 16 项、任务量 5 项"), "{}", crate::harness::text(&out));
    let draft: toml::Table =
        toml::from_str(&std::fs::read_to_string(&out_file).expect("draft")).expect("the draft is TOML");
    assert_eq!(draft["measures"].as_array().map(Vec::len), Some(16));
    let none = dir.path().join("none.txt");
    std::fs::write(&none, "某县关于推进产业发展的意见\n一、总体要求\n加快发展。\n").expect("write");
    let out = crate::harness::cli(&db, &["plan", "extract", none.to_str().expect("path")]);
    assert!(crate::harness::text(&out).contains("全文未找到责任单位"), "{}", crate::harness::text(&out));
}
