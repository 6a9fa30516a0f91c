//! Liaisons and experts of a chain, and guarantees, through the real binary on both databases: a
//! liaison records its 对接 work and comments on its own chain's requests only; a lead bank records
//! and closes guarantee cases of its chain's enterprises only, compensation never above the amount.

use crate::harness::{CHAIN1, CHAIN2, TestApp, backends, created_id, html};

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(format!("{}{path}", app.base)).form(form).send().await.expect("post")
}

async fn id_of(app: &TestApp, sql: &str, bind: &str) -> String {
    let store = app.db.store().await;
    let (id,): (String,) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).bind(bind).fetch_one(store.pool()).await.expect(sql);
    store.close().await;
    id
}

#[tokio::test]
async fn a_liaison_records_its_work_and_comments_on_its_own_chains_requests_only() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let token = app.token("office").await;
        let (chain1, chain2) = (app.chain_id(&token, CHAIN1).await, app.chain_id(&token, CHAIN2).await);
        let (li, csrf) = app.web_login("liaison1").await;
        let page = html(&app, &li, &format!("/chains/{chain1}/liaison")).await;
        assert!(page.contains("岳阳市新材料产业链链办"), "{b:?}: the demo's records");
        let today = crate::harness::today().to_string();
        let res = post(
            &app,
            &li,
            &format!("/chains/{chain1}/liaison"),
            &[
                ("_csrf", &csrf),
                ("done_on", &today),
                ("counterpart", "岳阳市新材料产业链链长"),
                ("content", "汇报季度进展"),
            ],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: recorded");
        assert!(html(&app, &li, &format!("/chains/{chain1}/liaison")).await.contains("汇报季度进展"), "{b:?}: shown");
        let res = li.get(format!("{}/chains/{chain2}/liaison", app.base)).send().await.expect("get");
        assert_eq!(res.status(), 403, "{b:?}: another chain's records");
        let res = post(
            &app,
            &li,
            &format!("/chains/{chain1}/liaison"),
            &[("_csrf", &csrf), ("done_on", "2099-01-01"), ("counterpart", "x"), ("content", "x")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: a day in the future");

        // Its chain's request: read and comment; another chain's: neither.
        let energy = id_of(&app, "SELECT id FROM factor_requests WHERE title = $1", "焙烧炉迎峰度冬用电保障").await;
        let page = html(&app, &li, &format!("/requests/{energy}")).await;
        assert!(page.contains("已向岳阳供电公司反映"), "{b:?}: the demo comment");
        let res = post(
            &app,
            &li,
            &format!("/requests/{energy}/comments"),
            &[("_csrf", &csrf), ("body", "已协调供电所现场勘查")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: commented");
        let (c2, c2csrf) = app.web_login("chain2").await;
        let list = html(&app, &c2, "/requests").await;
        let other = crate::harness::option_value(&list, "龙智新材料（示范企业）");
        let res = post(
            &app,
            &c2,
            "/requests",
            &[("_csrf", &c2csrf), ("kind", "other"), ("title", "电子信息链的诉求"), ("enterprise_id", &other)],
        )
        .await;
        let theirs = created_id(&res, "/requests/");
        assert_eq!(li.get(format!("{}/requests/{theirs}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
        let res = post(&app, &li, &format!("/requests/{theirs}/comments"), &[("_csrf", &csrf), ("body", "x")]).await;
        assert_eq!(res.status(), 403, "{b:?}: no comment on another chain's request");
        // The requester reads the comments but does not add to them.
        let (ent, ecsrf) = app.web_login("ent1").await;
        let mine = id_of(&app, "SELECT id FROM factor_requests WHERE title = $1", "招聘高分子材料专业技术人员").await;
        let res = post(&app, &ent, &format!("/requests/{mine}/comments"), &[("_csrf", &ecsrf), ("body", "x")]).await;
        assert_eq!(res.status(), 403, "{b:?}: the enterprise does not comment");
    }
}

#[tokio::test]
async fn a_lead_bank_records_guarantees_of_its_chain_and_compensation_never_passes_the_amount() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (bank, csrf) = app.web_login("bank1").await;
        let page = html(&app, &bank, "/finance").await;
        assert!(
            page.contains("汨罗市融资担保有限公司（演示）") && page.contains("在保"),
            "{b:?}: the demo's guarantees"
        );
        let guarantor =
            id_of(&app, "SELECT id FROM guarantors WHERE name = $1", "汨罗市融资担保有限公司（演示）").await;
        let own = id_of(&app, "SELECT id FROM enterprises WHERE short_name = $1", "中塑").await;
        let other = id_of(&app, "SELECT id FROM enterprises WHERE short_name = $1", "龙智新材料").await;
        let today = crate::harness::today().to_string();
        let case = |e: &str| {
            vec![
                ("_csrf", csrf.clone()),
                ("guarantor_id", guarantor.clone()),
                ("enterprise_id", e.to_string()),
                ("bank", "示范农商银行".into()),
                ("amount", "300".into()),
                ("started_on", today.clone()),
            ]
        };
        let res = bank.post(format!("{}/finance/guarantees", app.base)).form(&case(&other)).send().await.expect("post");
        assert_eq!(res.status(), 403, "{b:?}: another chain's enterprise");
        let res = bank.post(format!("{}/finance/guarantees", app.base)).form(&case(&own)).send().await.expect("post");
        assert_eq!(res.status(), 303, "{b:?}: its chain's enterprise");
        let id = id_of(&app, "SELECT c.id FROM guarantee_cases c WHERE c.enterprise_id = $1", &own).await;
        let close = format!("/finance/guarantees/{id}");
        let res = post(
            &app,
            &bank,
            &close,
            &[("_csrf", &csrf), ("outcome", "compensated"), ("paid", "301"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: more than guaranteed");
        let res = post(
            &app,
            &bank,
            &close,
            &[("_csrf", &csrf), ("outcome", "compensated"), ("paid", "120"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: compensated");
        let res = post(&app, &bank, &close, &[("_csrf", &csrf), ("outcome", "released"), ("version", "2")]).await;
        assert_eq!(res.status(), 422, "{b:?}: a closed case stays closed");
        assert!(html(&app, &bank, "/finance").await.contains("已代偿：120万元"), "{b:?}: shown");
        let (c2, c2csrf) = app.web_login("chain2").await;
        let res = post(&app, &c2, &close, &[("_csrf", &c2csrf), ("outcome", "released"), ("version", "2")]).await;
        assert_eq!(res.status(), 403, "{b:?}: another chain's office");
    }
}
