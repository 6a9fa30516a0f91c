//! Imports never take over a record: a row naming an enterprise its importer may not change is
//! held for that enterprise's keepers, who accept or reject it; nothing changes before, and the
//! decision is audited with the enterprise's before and after.

use crate::harness::{CHAIN1, TestApp, backends, html};

/// A local enterprise on chain 1 only, with its version.
async fn chain1_enterprise(app: &TestApp) -> (String, String, i64) {
    let store = app.db.store().await;
    let row = sqlx::query_as(
        "WITH m AS (SELECT enterprise_id, chain_id FROM enterprise_chains UNION \
         SELECT en.enterprise_id, n.chain_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id) \
         SELECT e.id, e.name, e.version FROM enterprises e JOIN m ON m.enterprise_id = e.id \
         JOIN chains c ON c.id = m.chain_id WHERE c.name = $1 AND e.is_local = 1 AND e.id NOT IN \
         (SELECT m2.enterprise_id FROM m m2 JOIN chains c2 ON c2.id = m2.chain_id WHERE c2.name <> $1) \
         ORDER BY e.name LIMIT 1",
    )
    .bind(CHAIN1)
    .fetch_one(store.pool())
    .await
    .expect("enterprise");
    store.close().await;
    row
}

async fn products_and_version(app: &TestApp, id: &str) -> (String, i64) {
    let store = app.db.store().await;
    let row = sqlx::query_as("SELECT products, version FROM enterprises WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .expect("enterprise");
    store.close().await;
    row
}

/// `user`, the office of `chain`, imports a file with a row for `name` (and one new enterprise of
/// its own); the page.
async fn import_by(app: &TestApp, user: &str, chain: &str, name: &str, products: &str, fresh: &str) -> (u16, String) {
    let (c2, csrf) = app.web_login(user).await;
    let csv = format!(
        "统一社会信用代码,企业名称,简称,园区,产业链,环节,规模,企业类型,是否上市,营业收入（亿元）,从业人员（人）,主要产品,梯队\n\
,{name},,,{chain},,规上,,,99,,{products},\n\
,{fresh},,,{chain},,,,,,,,\n"
    );
    // Even with the name match confirmed.
    let form = reqwest::multipart::Form::new()
        .text("accept_name_matches", "1")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("take.csv"));
    let res =
        c2.post(format!("{}/enterprises/import?_csrf={csrf}", app.base)).multipart(form).send().await.expect("import");
    let status = res.status().as_u16();
    (status, res.text().await.expect("html"))
}

async fn decide(c: &reqwest::Client, app: &TestApp, csrf: &str, id: &str, form: &[(&str, &str)]) -> u16 {
    let mut form = form.to_vec();
    form.push(("_csrf", csrf));
    let res = c.post(format!("{}/enterprises/reviews/{id}", app.base)).form(&form).send().await.expect("decide");
    res.status().as_u16()
}

async fn held(app: &TestApp) -> Vec<(String, i64, String)> {
    let store = app.db.store().await;
    let rows = sqlx::query_as("SELECT id, version, status FROM import_proposals ORDER BY proposed_at, row_number")
        .fetch_all(store.pool())
        .await
        .expect("held");
    store.close().await;
    rows
}

async fn audited(app: &TestApp, action: &str, entity_id: &str) -> Vec<(String, String)> {
    let store = app.db.store().await;
    let rows = sqlx::query_as(
        "SELECT COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log WHERE action = $1 AND entity_id = $2",
    )
    .bind(action)
    .bind(entity_id)
    .fetch_all(store.pool())
    .await
    .expect("audit");
    store.close().await;
    rows
}

#[tokio::test]
async fn a_row_naming_another_chains_enterprise_waits_for_its_keepers() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (id, name, version) = chain1_enterprise(&app).await;
        let (before, _) = products_and_version(&app, &id).await;

        let (status, page) = import_by(&app, "chain2", "电子信息产业链", &name, "抢来的产品", "矩阵新企业甲").await;
        assert_eq!(status, 200, "{b:?}: the rest of the file is imported");
        assert!(page.contains("1 行待审核，未导入") && page.contains(&name), "{b:?}: the importer is told");
        assert_eq!(products_and_version(&app, &id).await, (before.clone(), version), "{b:?}: nothing changed yet");
        let list = held(&app).await;
        assert_eq!(list.len(), 1, "{b:?}");
        let (pid, pv, _) = list[0].clone();
        assert_eq!(audited(&app, "enterprise.import_held", &pid).await.len(), 1, "{b:?}: the hold is audited");

        // The importer may not decide it; the keeper (chain 1's office) sees it, with what it changes.
        let (c2, csrf2) = app.web_login("chain2").await;
        assert!(!html(&app, &c2, "/enterprises/reviews").await.contains(&name), "{b:?}");
        let v = pv.to_string();
        assert_eq!(decide(&c2, &app, &csrf2, &pid, &[("decision", "accept"), ("version", &v)]).await, 403, "{b:?}");
        let (c1, csrf1) = app.web_login("chain1").await;
        let reviews = html(&app, &c1, "/enterprises/reviews").await;
        assert!(reviews.contains(&name) && reviews.contains("抢来的产品") && reviews.contains("take.csv"), "{b:?}");
        assert!(reviews.contains("加入电子信息产业链"), "{b:?}: and that it would join the importer's chain");
        assert!(html(&app, &c1, "/").await.contains("待审核"), "{b:?}: on the keeper's to-do list");
        assert!(html(&app, &c1, "/enterprises").await.contains("待审核的导入（1）"), "{b:?}");

        // A rejection needs a reason; a stale decision is a conflict; acceptance applies the row.
        assert_eq!(decide(&c1, &app, &csrf1, &pid, &[("decision", "reject"), ("version", &v)]).await, 422, "{b:?}");
        assert_eq!(decide(&c1, &app, &csrf1, &pid, &[("decision", "accept"), ("version", &v)]).await, 303, "{b:?}");
        assert_eq!(decide(&c1, &app, &csrf1, &pid, &[("decision", "accept"), ("version", &v)]).await, 409, "{b:?}");
        let (after, new_version) = products_and_version(&app, &id).await;
        assert_eq!((after.as_str(), new_version), ("抢来的产品", version + 1), "{b:?}: applied once");
        let store = app.db.store().await;
        let (short,): (String,) = sqlx::query_as("SELECT short_name FROM enterprises WHERE id = $1")
            .bind(&id)
            .fetch_one(store.pool())
            .await
            .expect("short");
        store.close().await;
        assert_ne!(short, name, "{b:?}: a row without a short name keeps the stored one");
        let changes = audited(&app, "enterprise.update", &id).await;
        assert!(
            changes.iter().any(|(b, a)| b.contains(&before) && a.contains("抢来的产品")),
            "{b:?}: audited with before and after"
        );
        assert!(!html(&app, &c1, "/enterprises/reviews").await.contains(&name), "{b:?}: decided");

        // A file of a third chain's office, held and rejected, changes nothing.
        let (status, _) = import_by(&app, "chain3", "有色金属新材料产业链", &name, "又来的产品", "矩阵新企业乙").await;
        assert_eq!(status, 200, "{b:?}");
        let (pid, pv, _) = held(&app).await.into_iter().find(|h| h.2 == "pending").expect("held again");
        let v = pv.to_string();
        let reject = [("decision", "reject"), ("reason", "产品以企业自报为准"), ("version", v.as_str())];
        assert_eq!(decide(&c1, &app, &csrf1, &pid, &reject).await, 303, "{b:?}");
        assert_eq!(products_and_version(&app, &id).await.0, "抢来的产品", "{b:?}: a rejected row is not applied");
        assert!(held(&app).await.iter().any(|h| h.0 == pid && h.2 == "rejected"), "{b:?}");
    }
}

#[tokio::test]
async fn the_keeper_accepts_a_held_row_in_the_browser() {
    use crate::browser::{body_text, follow, login, screenshot, start};
    use fantoccini::Locator;
    let Some(b) = start(1280, 900, false).await else { return };
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    let (id, name, _) = chain1_enterprise(&app).await;
    let (status, _) = import_by(&app, "chain2", "电子信息产业链", &name, "抢来的产品", "矩阵新企业甲").await;
    assert_eq!(status, 200);

    login(&b, &app, "chain1").await;
    b.client.goto(&format!("{}/enterprises", app.base)).await.expect("library");
    follow(&b, "待审核的导入（1）").await;
    let page = body_text(&b).await;
    assert!(page.contains(&name) && page.contains("抢来的产品") && page.contains("加入电子信息产业链"), "{page}");
    screenshot(&b, "enterprise-import-review").await;
    let accept = "main form button.primary";
    b.client.find(Locator::Css(accept)).await.expect("accept").click().await.expect("click");
    b.client.wait().for_element(Locator::Css(".flash.success")).await.expect("accepted");
    assert!(body_text(&b).await.contains("没有待审核的导入"));
    assert_eq!(products_and_version(&app, &id).await.0, "抢来的产品");
}
