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
        let unit = app.token("unit-gxq").await;
        assert_eq!(list(&app, &unit, "").await["total"], 0, "{b:?}");

        let id = found["items"][0]["id"].as_str().expect("id").to_string();
        let page = app.get(&office, &format!("/enterprises/{id}")).await.text().await.expect("html");
        assert!(page.contains("铜杆") && page.contains("客户"), "{b:?}: places and relations shown");
        assert_eq!(app.get(&chain1, &format!("/enterprises/{id}")).await.status(), 403, "{b:?}");
    }
}
