//! Parks [K1] through the real binary: the park list with the 区域分布图 drawn from the plan's
//! regions, a park's page with its chains, enterprises, projects and indicators, a park figure
//! entered by the park's committee (and refused to a chain office), and the bundle's 区域分布图.

use crate::harness::{TestApp, backends, html, last_month};

async fn park_id(app: &TestApp, code: &str) -> String {
    let store = app.db.store().await;
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM parks WHERE code = $1").bind(code).fetch_one(store.pool()).await.expect("park");
    store.close().await;
    id
}

#[tokio::test]
async fn a_park_shows_what_lies_in_it_and_its_committee_enters_its_figures() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, _) = app.web_login("office").await;
        let list = html(&app, &office, "/parks").await;
        assert!(list.contains("汨罗高新技术产业开发区") && list.contains("区域分布图"), "{b:?}");
        let map = &list[list.find("<svg").expect("the region map")..];
        assert!(map.contains("循环经济产业园") && map.contains("企业6家"), "{b:?}: xhjj holds six demo enterprises");

        let gxq = park_id(&app, "gxq").await;
        let page = html(&app, &office, &format!("/parks/{gxq}")).await;
        for needle in ["非金属新材料产业链", "循环经济产业园", "高新区规模工业增加值占全市比重", "2000亿元"]
        {
            assert!(page.contains(needle), "{b:?}: {needle}");
        }
        // Another chain's office sees the park's enterprises of its chains, and the others only as a count.
        let (chain4, _) = app.web_login("chain4").await;
        let seen = html(&app, &chain4, &format!("/parks/{gxq}")).await;
        assert!(seen.contains("不在您的查看范围内"), "{b:?}");

        // The park's committee enters the park's figure; a chain office may not.
        let list: serde_json::Value =
            app.get(&app.token("office").await, "/api/v1/indicators").await.json().await.expect("json");
        let ind = list
            .as_array()
            .expect("list")
            .iter()
            .find(|i| i["code"] == "gxq-scale-industry-share")
            .expect("park indicator");
        let id = ind["id"].as_str().expect("id");
        let body = serde_json::json!({"period": last_month(), "value": "76.5", "unit": "%"});
        let post = |user: &'static str| {
            let app = &app;
            let body = body.clone();
            async move {
                TestApp::browser()
                    .post(format!("{}/api/v1/indicators/{id}/values", app.base))
                    .bearer_auth(app.token(user).await)
                    .json(&body)
                    .send()
                    .await
                    .expect("post")
                    .status()
            }
        };
        assert_eq!(post("chain1").await, 403, "{b:?}");
        assert_eq!(post("unit-gxq").await, 200, "{b:?}");
        let shown = html(&app, &office, &format!("/indicators/{id}?period={}", last_month())).await;
        assert!(shown.contains("76.5") && shown.contains("高新区管委会"), "{b:?}: the figure with who entered it");
    }
}
