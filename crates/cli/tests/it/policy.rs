//! Every route declares a policy; the role × route × relationship matrix; denials change nothing.

use crate::harness::{Backend, CHAIN1, CHAIN2, TestApp, TestDb, backends};
use chainchief_web::{Access, AppState, WebConfig};

pub(crate) async fn inventory() -> Vec<chainchief_web::RouteInfo> {
    let db = TestDb::new(Backend::Sqlite).await;
    let store = db.store().await;
    chainchief_web::route_inventory(AppState::new(store, WebConfig::default()))
}

#[tokio::test]
async fn every_route_is_guarded_by_its_declared_policy() {
    let routes = inventory().await;
    assert!(routes.len() >= 25, "inventory lists every route ({} found)", routes.len());
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = "0190a3b2-0000-7000-8000-000000000000";
    for r in &routes {
        let path = r
            .path
            .replace("{id}", id)
            .replace("{node}", id)
            .replace("{edge}", id)
            .replace("{item}", "think_tank")
            .replace("{*path}", "app.css");
        let url = format!("{}{path}", app.base);
        let req = TestApp::browser()
            .request(r.method.parse().expect("method"), &url)
            .header("content-type", "application/json");
        let res = req.body("{}").send().await.expect("request");
        let status = res.status().as_u16();
        match r.access {
            Access::Public => {
                assert!(status != 401 && status != 303, "{} {} is public but answered {status}", r.method, r.path)
            }
            _ if r.path.starts_with("/api/") => {
                assert_eq!(status, 401, "{} {} must refuse anonymous callers", r.method, r.path)
            }
            _ if r.method == "GET" => {
                assert_eq!(status, 303, "{} {}", r.method, r.path);
                let loc = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
                assert!(loc.starts_with("/login"), "{} {} redirects to {loc}", r.method, r.path);
            }
            _ => assert!(status == 303 || status == 401, "{} {} answered {status}", r.method, r.path),
        }
    }
}

#[tokio::test]
async fn openapi_covers_every_json_route() {
    let routes = inventory().await;
    let doc = serde_json::to_value(chainchief_web::openapi_document()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    for r in routes.iter().filter(|r| r.path.starts_with("/api/") && r.path != "/api/v1/openapi.json") {
        let entry = paths.get(r.path).unwrap_or_else(|| panic!("{} missing from OpenAPI", r.path));
        assert!(entry.get(r.method.to_lowercase()).is_some(), "{} {} missing from OpenAPI", r.method, r.path);
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let served: serde_json::Value = TestApp::browser()
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(served["paths"], doc["paths"]);
}

async fn version(app: &TestApp, token: &str, id: &str) -> i64 {
    let v: serde_json::Value = app.get(token, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
    v["version"].as_i64().expect("version")
}

async fn denials(app: &TestApp) -> i64 {
    let store = app.db.store().await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
        .fetch_one(store.pool())
        .await
        .expect("count");
    store.close().await;
    n
}

#[tokio::test]
async fn role_matrix_allows_and_denies_and_denied_requests_change_nothing() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let c1 = app.chain_id(&office, CHAIN1).await;
        let c2 = app.chain_id(&office, CHAIN2).await;
        let users =
            ["office", "leader", "chief1", "chain1", "chain2", "unit-gxq", "ent1", "admin", "security", "auditor"];
        let mut tokens = std::collections::HashMap::new();
        for u in users {
            tokens.insert(u, app.token(u).await);
        }
        // (user, method, path, expected status)
        let read1 = format!("/api/v1/chains/{c1}");
        let edit1 = format!("/chains/{c1}/edit");
        let page2 = format!("/chains/{c2}");
        let cases: Vec<(&str, &str, String, u16)> = vec![
            ("office", "GET", read1.clone(), 200),
            ("leader", "GET", read1.clone(), 200),
            ("chief1", "GET", read1.clone(), 200),
            ("chain1", "GET", read1.clone(), 200),
            ("chain2", "GET", read1.clone(), 403),
            ("chief1", "GET", page2.clone(), 403),
            ("unit-gxq", "GET", read1.clone(), 403),
            ("ent1", "GET", read1.clone(), 403),
            ("admin", "GET", read1.clone(), 403),
            ("auditor", "GET", read1.clone(), 403),
            ("chain1", "GET", edit1.clone(), 200),
            ("office", "GET", edit1.clone(), 200),
            ("chain2", "GET", edit1.clone(), 403),
            ("leader", "GET", edit1.clone(), 403),
            ("chief1", "GET", edit1.clone(), 403),
            ("admin", "GET", "/admin/users".into(), 200),
            ("security", "GET", "/admin/users".into(), 200),
            ("auditor", "GET", "/admin/users".into(), 403),
            ("office", "GET", "/admin/users".into(), 403),
            ("auditor", "GET", "/audit".into(), 200),
            ("auditor", "GET", "/api/v1/audit".into(), 200),
            ("admin", "GET", "/api/v1/audit".into(), 403),
            ("office", "GET", "/api/v1/audit".into(), 403),
            ("admin", "GET", "/chains".into(), 403),
            ("unit-gxq", "GET", "/org".into(), 200),
            ("ent1", "GET", "/plan".into(), 200),
        ];
        for (user, method, path, want) in &cases {
            let res = TestApp::browser()
                .request(method.parse().expect("method"), format!("{}{path}", app.base))
                .bearer_auth(&tokens[user])
                .send()
                .await
                .expect("request");
            assert_eq!(res.status().as_u16(), *want, "{b:?}: {user} {method} {path}");
        }

        // Writes: who may change chain 1, and that a refused write changes nothing.
        let writers = [
            ("office", 200),
            ("chain1", 200),
            ("chain2", 403),
            ("leader", 403),
            ("chief1", 403),
            ("unit-gxq", 403),
            ("ent1", 403),
            ("admin", 403),
        ];
        for (user, want) in writers {
            let before = version(&app, &office, &c1).await;
            let denied_before = denials(&app).await;
            let res = TestApp::browser()
                .patch(format!("{}/api/v1/chains/{c1}", app.base))
                .bearer_auth(&tokens[user])
                .json(&serde_json::json!({"chief_name": format!("{user}写入"), "version": before}))
                .send()
                .await
                .expect("patch");
            assert_eq!(res.status().as_u16(), want, "{b:?}: {user} PATCH chain 1");
            let after = version(&app, &office, &c1).await;
            if want == 200 {
                assert_eq!(after, before + 1, "{b:?}: {user}'s write is stored");
            } else {
                assert_eq!(after, before, "{b:?}: {user}'s refused write changes nothing");
                assert_eq!(denials(&app).await, denied_before + 1, "{b:?}: {user}'s denial is audited");
            }
        }
        let chain: serde_json::Value = app.get(&office, &read1).await.json().await.expect("json");
        assert_eq!(chain["chief_name"], "chain1写入", "{b:?}");
    }
}

pub(crate) async fn enterprise_id(app: &TestApp, name: &str) -> String {
    let store = app.db.store().await;
    let (id,): (String,) = sqlx::query_as("SELECT id FROM enterprises WHERE name = $1")
        .bind(name)
        .fetch_one(store.pool())
        .await
        .expect("enterprise");
    store.close().await;
    id
}

#[tokio::test]
async fn enterprise_matrix_own_and_other_enterprise_and_chain() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let own = enterprise_id(&app, "同力（示范企业）").await;
        let other_same_chain = enterprise_id(&app, "中塑（示范企业）").await;
        let other_chain = enterprise_id(&app, "龙智新材料（示范企业）").await;
        let mut tokens = std::collections::HashMap::new();
        for u in ["ent1", "chain1", "chain2", "office", "leader", "unit-gxq", "chief1"] {
            tokens.insert(u, app.token(u).await);
        }
        let reads = [
            ("ent1", &own, 200),
            ("ent1", &other_same_chain, 403),
            ("ent1", &other_chain, 403),
            ("chain1", &own, 200),
            ("chain1", &other_chain, 403),
            ("chain2", &other_chain, 200),
            ("chain2", &own, 403),
            ("chief1", &own, 200),
            ("leader", &other_chain, 200),
            ("unit-gxq", &own, 403),
        ];
        for (user, id, want) in reads {
            let res = app.get(&tokens[user], &format!("/api/v1/enterprises/{id}")).await;
            assert_eq!(res.status().as_u16(), want, "{b:?}: {user} reads {id}");
        }
        let writes = [
            ("ent1", &other_same_chain, 403),
            ("chain2", &own, 403),
            ("leader", &own, 403),
            ("chief1", &own, 403),
            ("ent1", &own, 200),
            ("chain1", &own, 200),
            ("office", &own, 200),
            ("chain2", &other_chain, 200),
        ];
        for (user, id, want) in writes {
            let current: serde_json::Value =
                app.get(&tokens["office"], &format!("/api/v1/enterprises/{id}")).await.json().await.expect("json");
            let before = current["version"].as_i64().expect("version");
            let res = TestApp::browser()
                .patch(format!("{}/api/v1/enterprises/{id}", app.base))
                .bearer_auth(&tokens[user])
                .json(&serde_json::json!({"short_name": format!("{user}改"), "version": before}))
                .send()
                .await
                .expect("patch");
            assert_eq!(res.status().as_u16(), want, "{b:?}: {user} writes {id}");
            let after: serde_json::Value =
                app.get(&tokens["office"], &format!("/api/v1/enterprises/{id}")).await.json().await.expect("json");
            let expected = if want == 200 { before + 1 } else { before };
            assert_eq!(after["version"].as_i64(), Some(expected), "{b:?}: {user} on {id}");
        }
    }
}
