//! Indicators and monthly figures: targets in the API, figures with provenance, exact units,
//! conflicts on correction, scope.

use crate::harness::{TestApp, backends};

async fn indicator(app: &TestApp, token: &str, name: &str) -> serde_json::Value {
    let list: serde_json::Value = app.get(token, "/api/v1/indicators").await.json().await.expect("json");
    list.as_array().expect("list").iter().find(|i| i["name"] == name).cloned().unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn figures_are_recorded_with_units_checked_and_progress_follows() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let ind = indicator(&app, &office, "高分子材料再生塑料年产量").await;
        assert_eq!(ind["unit"], "万吨", "{b:?}");
        assert_eq!(ind["scope"], "chain");
        assert_eq!(ind["targets"][0], serde_json::json!({"year": 2025, "value": "150"}));
        assert_eq!(ind["status"], "无数据");
        let id = ind["id"].as_str().expect("id").to_string();
        let chain1 = app.token("chain1").await;
        let post = |token: &str, body: serde_json::Value| {
            TestApp::browser()
                .post(format!("{}/api/v1/indicators/{id}/values", app.base))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let cases = [
            (serde_json::json!({"period": "2025-01", "value": "100000", "unit": "吨"}), "单位应为“万吨”"),
            (serde_json::json!({"period": "2099-01", "value": "10", "unit": "万吨"}), "未来月份"),
            (serde_json::json!({"period": "2025-13", "value": "10", "unit": "万吨"}), "YYYY-MM"),
            (serde_json::json!({"period": "2025-01", "value": "-1", "unit": "万吨"}), "负数"),
            (serde_json::json!({"period": "2025-01", "value": "十", "unit": "万吨"}), "不是数字"),
        ];
        for (body, needle) in cases {
            let res = post(&chain1, body.clone()).await.expect("post");
            assert_eq!(res.status(), 422, "{b:?}: {body}");
            assert!(res.text().await.expect("text").contains(needle), "{b:?}: {body}");
        }
        let other = app.token("chain2").await;
        assert_eq!(
            post(&other, serde_json::json!({"period": "2025-01", "value": "10", "unit": "万吨"}))
                .await
                .expect("post")
                .status(),
            403
        );
        for m in 1..=12 {
            let res =
                post(&chain1, serde_json::json!({"period": format!("2025-{m:02}"), "value": "10", "unit": "万吨"}))
                    .await
                    .expect("post");
            assert_eq!(res.status(), 200, "{b:?}: month {m}");
        }
        let progress = indicator(&app, &office, "高分子材料再生塑料年产量").await;
        assert_eq!(progress["forecast"]["value"], "120", "{b:?}: 12 × 10万吨 in 2025");
        assert_eq!(progress["status"], "滞后", "{b:?}: 120 of 150 is behind");
        assert!(progress["forecast"]["method"].as_str().unwrap_or("").contains("2025年已结束"));

        // Tonnes typed where 万吨 is expected: flagged, stored only when confirmed.
        let wrong = post(&chain1, serde_json::json!({"period": "2026-01", "value": "100000", "unit": "万吨"}))
            .await
            .expect("post");
        assert_eq!(wrong.status(), 422, "{b:?}");
        assert!(wrong.text().await.expect("text").contains("相差上千倍"));
        let sure =
            post(&chain1, serde_json::json!({"period": "2026-01", "value": "100000", "unit": "万吨", "confirm": true}))
                .await
                .expect("post");
        assert_eq!(sure.status(), 200);

        // A correction names the version it read; a second office correcting the same value gets 409.
        let stale =
            post(&office, serde_json::json!({"period": "2025-03", "value": "11", "unit": "万吨"})).await.expect("post");
        assert_eq!(stale.status(), 409, "{b:?}");
        let fixed =
            post(&office, serde_json::json!({"period": "2025-03", "value": "11", "unit": "万吨", "version": 1}))
                .await
                .expect("post");
        assert_eq!(fixed.status(), 200, "{b:?}");
        let again =
            post(&chain1, serde_json::json!({"period": "2025-03", "value": "12", "unit": "万吨", "version": 1}))
                .await
                .expect("post");
        assert_eq!(again.status(), 409, "{b:?}: no silent overwrite");
        let store = app.db.store().await;
        let (history,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM indicator_value_history")
            .fetch_one(store.pool())
            .await
            .expect("history");
        let (who, source): (String, String) =
            sqlx::query_as("SELECT updated_by, source FROM indicator_values WHERE period = '2025-03'")
                .fetch_one(store.pool())
                .await
                .expect("value");
        store.close().await;
        assert_eq!(history, 1, "{b:?}: the corrected value is kept");
        assert_eq!((who.as_str(), source.as_str()), ("office", "entered"), "{b:?}: provenance");
    }
}
