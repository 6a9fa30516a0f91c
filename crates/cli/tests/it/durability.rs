//! Nothing acknowledged is lost on `kill -9`.

use crate::harness::{CHAIN1, TestApp, backends};

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    for b in backends() {
        let mut app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let id = app.chain_id(&office, CHAIN1).await;
        let url = format!("{}/api/v1/chains/{id}", app.base);
        let mut acknowledged = None;
        let mut version = 1;
        for i in 0..30 {
            let res = TestApp::browser()
                .patch(&url)
                .bearer_auth(&office)
                .json(&serde_json::json!({"description": format!("第{i}次写入"), "version": version}))
                .send()
                .await
                .expect("patch");
            assert_eq!(res.status(), 200);
            acknowledged = Some(i);
            version += 1;
            if i == 20 {
                app.kill9();
                break;
            }
        }
        let last = acknowledged.expect("some writes");
        let restarted = TestApp::serve(app.db.shared(), &["serve", "--port", "0"]);
        let token = restarted.token("office").await;
        let v: serde_json::Value =
            restarted.get(&token, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        assert_eq!(v["description"], format!("第{last}次写入"), "{b:?}: the last acknowledged write survives");
        assert_eq!(v["version"], version, "{b:?}");
        let out = crate::harness::cli(&restarted.db, &["audit", "verify"]);
        assert!(out.status.success(), "{b:?}: audit chain intact after kill -9");
    }
}
