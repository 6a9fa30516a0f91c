//! The enterprise library: list within scope, filters, paging, the enterprise page.

use crate::harness::{TestApp, backends};

async fn list(app: &TestApp, token: &str, query: &str) -> serde_json::Value {
    let res = app.get(token, &format!("/api/v1/enterprises{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_library_is_scoped_filtered_and_paged() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let all = list(&app, &office, "").await;
        let total = all["total"].as_i64().expect("total");
        assert!(total >= 40, "{b:?}: the demo library has the plan's enterprises ({total})");
        let item = &all["items"][0];
        for key in ["id", "name", "credit_code"] {
            assert!(item.get(key).is_some(), "{b:?}: item has {key}");
        }
        let paged = list(&app, &office, "?per_page=10&page=2").await;
        assert_eq!(paged["items"].as_array().map(Vec::len), Some(10));
        assert_eq!(paged["total"], total);
        let found = list(&app, &office, "?q=%E5%B1%95%E5%A8%81").await; // 展威
        assert_eq!(found["total"], 1, "{b:?}");
        let leaders = list(&app, &office, "?tier=chain_leader").await;
        assert!(leaders["total"].as_i64().unwrap_or(0) >= 3, "{b:?}");
        let store = app.db.store().await;
        let (node,): (String,) = sqlx::query_as("SELECT id FROM chain_nodes WHERE name = '铜杆/铜线'")
            .fetch_one(store.pool())
            .await
            .expect("node");
        store.close().await;
        let on_node = list(&app, &office, &format!("?node={node}")).await;
        assert!(
            on_node["items"].as_array().expect("items").iter().any(|e| e["short_name"] == "展威"),
            "{b:?}: node filter"
        );
        let external = list(&app, &office, "?local=external").await;
        assert!(external["items"].as_array().expect("items").iter().all(|e| e["is_local"] == 0));

        let chain1 = app.token("chain1").await;
        let own_chain = list(&app, &chain1, "").await;
        let names: Vec<&str> =
            own_chain["items"].as_array().expect("items").iter().filter_map(|e| e["name"].as_str()).collect();
        assert!(names.contains(&"同力（示范企业）") && !names.contains(&"展威（示范企业）"), "{b:?}: {names:?}");
        let ent1 = app.token("ent1").await;
        let own = list(&app, &ent1, "").await;
        assert_eq!(own["total"], 1, "{b:?}: an enterprise user sees only itself");
        // The park committee sees the enterprises of its park, and only those.
        let unit = app.token("unit-gxq").await;
        let in_park = list(&app, &unit, "").await;
        let parks: Vec<&str> =
            in_park["items"].as_array().expect("items").iter().filter_map(|e| e["park"].as_str()).collect();
        assert!(!parks.is_empty(), "{b:?}: the committee sees its park's enterprises");
        assert!(parks.iter().all(|p| *p == "汨罗高新技术产业开发区"), "{b:?}: {parks:?}");
        let own_park = in_park["items"][0]["id"].as_str().expect("id").to_string();
        assert_eq!(app.get(&unit, &format!("/enterprises/{own_park}")).await.status(), 200, "{b:?}");
        let elsewhere = list(&app, &office, "?q=%E5%90%8C%E5%8A%9B").await; // 同力, in 循环经济产业园
        let elsewhere = elsewhere["items"][0]["id"].as_str().expect("id").to_string();
        assert_eq!(app.get(&unit, &format!("/enterprises/{elsewhere}")).await.status(), 403, "{b:?}");

        let id = found["items"][0]["id"].as_str().expect("id").to_string();
        let page = app.get(&office, &format!("/enterprises/{id}")).await.text().await.expect("html");
        assert!(page.contains("铜杆") && page.contains("客户"), "{b:?}: places and relations shown");
        assert_eq!(app.get(&chain1, &format!("/enterprises/{id}")).await.status(), 403, "{b:?}");
    }
}

#[tokio::test]
async fn an_enterprise_keeps_its_profile_with_checked_credit_code() {
    use chainchief_domain::credit_code::check_char;
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let store = app.db.store().await;
        let (id, version): (String, i64) =
            sqlx::query_as("SELECT id, version FROM enterprises WHERE name = '同力（示范企业）'")
                .fetch_one(store.pool())
                .await
                .expect("ent");
        store.close().await;
        let first17 = "91430681MA4L77777";
        let good = format!("{first17}{}", check_char(first17).expect("check"));
        let wrong = format!("{first17}{}", if good.ends_with('0') { '1' } else { '0' });
        let (c, csrf) = app.web_login("ent1").await;
        let form = |code: &str, reason: &str, v: i64| {
            vec![
                ("_csrf", csrf.clone()),
                ("name", "同力（示范企业）".to_string()),
                ("short_name", "同力".into()),
                ("credit_code", code.to_string()),
                ("override_reason", reason.to_string()),
                ("park_id", "".into()),
                ("scale", "above".into()),
                ("ownership", "domestic".into()),
                ("revenue", "12.5".into()),
                ("employees", "300".into()),
                ("products", "再生塑料".into()),
                ("contacts", "张三 13800000000".into()),
                ("version", v.to_string()),
            ]
        };
        let url = format!("{}/enterprises/{id}/edit", app.base);
        let bad = c.post(&url).form(&form(&wrong, "", version)).send().await.expect("post");
        assert_eq!(bad.status(), 422, "{b:?}");
        let expected = good.chars().last().expect("char");
        assert!(bad.text().await.expect("html").contains(&format!("第18位校验码应为“{expected}”")), "{b:?}");
        let overridden = c
            .post(&url)
            .form(&form(&wrong, "2015年试点期间登记的代码，经市场监管局核实", version))
            .send()
            .await
            .expect("post");
        assert_eq!(overridden.status(), 303, "{b:?}");
        let stale = c.post(&url).form(&form(&good, "", version)).send().await.expect("post");
        assert_eq!(stale.status(), 409, "{b:?}");
        // Another enterprise's code is refused on its field, naming the enterprise that holds it.
        let store = app.db.store().await;
        let taken = format!("91430681MA4L88888{}", check_char("91430681MA4L88888").expect("check"));
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE enterprises SET credit_code = '{taken}' WHERE name = (SELECT MIN(name) FROM enterprises WHERE id <> '{id}' AND is_local = 1)"
        )))
        .execute(store.pool())
        .await
        .expect("code");
        let (holder,): (String,) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT name FROM enterprises WHERE credit_code = '{taken}'")))
                .fetch_one(store.pool())
                .await
                .expect("holder");
        store.close().await;
        let clash = c.post(&url).form(&form(&taken, "", version + 1)).send().await.expect("post");
        assert_eq!(clash.status(), 422, "{b:?}");
        let page = clash.text().await.expect("html");
        assert!(page.contains(&format!("统一社会信用代码 {taken} 已属于 {holder}")), "{b:?}: names the holder");
        let token = app.token("office").await;
        let v: serde_json::Value =
            app.get(&token, &format!("/api/v1/enterprises/{id}")).await.json().await.expect("json");
        assert_eq!(v["credit_code"], wrong.as_str());
        let store = app.db.store().await;
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.update.code_override'")
                .fetch_one(store.pool())
                .await
                .expect("audit");
        store.close().await;
        assert_eq!(n, 1, "{b:?}: the override is audited");
        let (c2, csrf2) = app.web_login("chain2").await;
        let mut other = form(&good, "", version + 1);
        other[0] = ("_csrf", csrf2);
        assert_eq!(c2.post(&url).form(&other).send().await.expect("post").status(), 403, "{b:?}");
        // A tier is certified by a department and recorded by the offices, not claimed by the enterprise.
        let claimed = c
            .post(format!("{}/enterprises/{id}/tiers", app.base))
            .form(&[("_csrf", csrf.as_str()), ("tier", "high_tech"), ("since", "2025-11-30")])
            .send()
            .await
            .expect("post");
        assert_eq!(claimed.status(), 403, "{b:?}");
        let (go, go_csrf) = app.web_login("office").await;
        let tier = go
            .post(format!("{}/enterprises/{id}/tiers", app.base))
            .form(&[("_csrf", go_csrf.as_str()), ("tier", "high_tech"), ("since", "2025-11-30")])
            .send()
            .await
            .expect("post");
        assert_eq!(tier.status(), 303);
        let page = app.get(&token, &format!("/enterprises/{id}")).await.text().await.expect("html");
        assert!(page.contains("高新技术企业") && page.contains("特批"), "{b:?}");
    }
}

#[tokio::test]
async fn the_reserve_library_shows_criteria_met_and_missed() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    let office = app.token("office").await;
    let page = app.get(&office, "/enterprises/reserve?target=provincial_little_giant").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("✓ 规模以上工业企业") && html.contains("✗ 尚未认定为专精特新中小企业"), "criteria shown");
    let unknown = app.get(&office, "/enterprises/reserve?target=nope").await;
    assert_eq!(unknown.status(), 422);
}

#[tokio::test]
async fn relations_are_recorded_both_ways() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let store = app.db.store().await;
        let id = |name: &'static str| {
            let pool = store.pool().clone();
            async move {
                let (x,): (String,) = sqlx::query_as("SELECT id FROM enterprises WHERE name = $1")
                    .bind(name)
                    .fetch_one(&pool)
                    .await
                    .expect(name);
                x
            }
        };
        let tongli = id("同力（示范企业）").await;
        let zhongsu = id("中塑（示范企业）").await;
        store.close().await;
        let (c, csrf) = app.web_login("chain1").await;
        let url = format!("{}/enterprises/{tongli}/relations", app.base);
        let form = |value: &str| {
            vec![
                ("_csrf", csrf.clone()),
                ("direction", "customer".into()),
                ("other_id", zhongsu.clone()),
                ("product", "再生塑料颗粒".into()),
                ("value", value.to_string()),
            ]
        };
        let refused = c.post(&url).form(&form("1.5万")).send().await.expect("post");
        assert_eq!(refused.status(), 422, "{b:?}: a unit inside the number");
        let body = refused.text().await.expect("body");
        assert!(body.contains("年交易额（万元）"), "{b:?}: the error names the field and its unit: {body}");
        assert_eq!(
            c.post(&url).form(&form("800.5")).send().await.expect("post").status(),
            303,
            "{b:?}: 万元 with decimals"
        );
        assert_eq!(c.post(&url).form(&form("800")).send().await.expect("post").status(), 422, "{b:?}: duplicate");
        let token = app.token("office").await;
        let page = app.get(&token, &format!("/enterprises/{zhongsu}")).await.text().await.expect("html");
        let suppliers = page.split("供应商（").nth(1).unwrap_or("");
        assert!(
            suppliers.split("客户（").next().unwrap_or("").contains("同力（示范企业）"),
            "{b:?}: seen from the customer's side"
        );
    }
}

#[tokio::test]
async fn yearly_facts_are_kept_per_year() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let store = app.db.store().await;
        let (id,): (String,) = sqlx::query_as("SELECT id FROM enterprises WHERE name = '同力（示范企业）'")
            .fetch_one(store.pool())
            .await
            .expect("ent");
        store.close().await;
        let (c, csrf) = app.web_login("ent1").await;
        let url = format!("{}/enterprises/{id}/years", app.base);
        let post = |year: &str, revenue: &str| {
            c.post(&url)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("year", year),
                    ("revenue", revenue),
                    ("output", "15"),
                    ("tax", "820"),
                    ("employees", "310"),
                ])
                .send()
        };
        // Last year's facts replace the demo's (the demo records last year's revenue).
        let last = (chrono::Datelike::year(&crate::harness::today()) - 1).to_string();
        assert_eq!(post(&last, "12.5").await.expect("post").status(), 303, "{b:?}");
        assert_eq!(post("2099", "1").await.expect("post").status(), 422, "{b:?}: future year refused");
        assert_eq!(post("2023", "3.5万").await.expect("post").status(), 422, "{b:?}: units in the number refused");
        let token = app.token("office").await;
        let page = app.get(&token, &format!("/enterprises/{id}/edit")).await.text().await.expect("html");
        assert!(page.contains("12.5") && page.contains("820") && page.contains("310"), "{b:?}");
        let v: serde_json::Value =
            app.get(&token, "/api/v1/enterprises?q=%E5%90%8C%E5%8A%9B").await.json().await.expect("json");
        assert_eq!(
            v["items"][0]["revenue_fen"], 125_000_000_000_i64,
            "{b:?}: the latest year becomes the profile's revenue"
        );
    }
}
