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
        let name = "高新区智能制造示范工厂（车间）";
        let ind = indicator(&app, &office, name).await;
        assert_eq!(ind["unit"], "家", "{b:?}");
        assert_eq!(ind["scope"], "park");
        assert_eq!(ind["targets"], serde_json::json!([]), "{b:?}: the plan sets this park figure no target");
        assert_eq!(ind["actual"], serde_json::json!({"value": "5", "year": 2025}), "{b:?}: the demo's latest count");
        let id = ind["id"].as_str().expect("id").to_string();
        let post = |token: &str, body: serde_json::Value| {
            TestApp::browser()
                .post(format!("{}/api/v1/indicators/{id}/values", app.base))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let cases = [
            (serde_json::json!({"period": "2026-01", "value": "25", "unit": "吨"}), "单位应为“家”"),
            (serde_json::json!({"period": "2099-01", "value": "25", "unit": "家"}), "未来月份"),
            (serde_json::json!({"period": "2026-13", "value": "25", "unit": "家"}), "YYYY-MM"),
            (serde_json::json!({"period": "2026-01", "value": "十", "unit": "家"}), "不是数字"),
            (serde_json::json!({"period": "2026-01", "value": "25", "unit": "家", "enterprise": "x"}), "不按企业填报"),
        ];
        for (body, needle) in cases {
            let res = post(&office, body.clone()).await.expect("post");
            assert_eq!(res.status(), 422, "{b:?}: {body}");
            assert!(res.text().await.expect("text").contains(needle), "{b:?}: {body}");
        }
        // A park's figure is the general office's or its committee's to enter, not a chain office's.
        let chain4 = app.token("chain4").await;
        let refused = post(&chain4, serde_json::json!({"period": "2026-01", "value": "25", "unit": "家"}));
        assert_eq!(refused.await.expect("post").status(), 403, "{b:?}");

        // A figure a thousand times the history's size: confirmed before it is kept.
        let wrong = post(&office, serde_json::json!({"period": "2026-01", "value": "25000", "unit": "家"}));
        let wrong = wrong.await.expect("post");
        assert_eq!(wrong.status(), 422, "{b:?}");
        assert!(wrong.text().await.expect("text").contains("相差上千倍"));
        let sure =
            post(&office, serde_json::json!({"period": "2026-01", "value": "25000", "unit": "家", "confirm": true}));
        assert_eq!(sure.await.expect("post").status(), 200);

        // A correction names the version it read; a stale version gets 409, never an overwrite.
        let stale =
            post(&office, serde_json::json!({"period": "2025-12", "value": "10", "unit": "家", "confirm": true}));
        assert_eq!(stale.await.expect("post").status(), 409, "{b:?}");
        let fixed = post(
            &office,
            serde_json::json!({"period": "2025-12", "value": "10", "unit": "家", "version": 1, "confirm": true}),
        );
        assert_eq!(fixed.await.expect("post").status(), 200, "{b:?}");
        let again = post(
            &office,
            serde_json::json!({"period": "2025-12", "value": "11", "unit": "家", "version": 1, "confirm": true}),
        );
        assert_eq!(again.await.expect("post").status(), 409, "{b:?}: no silent overwrite");
        let progress = indicator(&app, &office, name).await;
        assert_eq!(
            progress["actual"],
            serde_json::json!({"value": "25000", "year": 2026}),
            "{b:?}: the latest count, as confirmed"
        );

        let store = app.db.store().await;
        let (history,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM indicator_value_history h JOIN indicator_values v ON v.id = h.value_id \
             WHERE v.period = '2025-12' AND v.indicator_id = $1",
        )
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .expect("history");
        let (who, source): (String, String) = sqlx::query_as(
            "SELECT updated_by, source FROM indicator_values WHERE period = '2025-12' AND indicator_id = $1",
        )
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .expect("value");
        let (was,): (String,) = sqlx::query_as("SELECT source FROM indicator_value_history WHERE value_id = (SELECT id FROM indicator_values WHERE period = '2025-12' AND indicator_id = $1)")
            .bind(&id)
            .fetch_one(store.pool())
            .await
            .expect("old");
        store.close().await;
        assert_eq!(history, 1, "{b:?}: the corrected value is kept");
        assert_eq!(was, "demo", "{b:?}: the history says the old value was demo data");
        assert_eq!((who.as_str(), source.as_str()), ("office", "entered"), "{b:?}: provenance");
    }
}
