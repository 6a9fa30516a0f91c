//! Operator endpoints and commands: health, metrics restricted by address, user commands.

use crate::harness::{Backend, TestApp, TestDb, cli, cli_with_stdin, text};

#[tokio::test]
async fn health_and_metrics() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let health = TestApp::browser().get(format!("{}/healthz", app.base)).send().await.expect("get");
    assert_eq!(health.status(), 200);
    let token = app.token("office").await;
    let _ = app.get(&token, "/api/v1/chains").await;
    // Any method token a client sends is one label, OTHER: the series cannot grow without bound.
    for m in ["FOO", "BAR1", "X-ANYTHING"] {
        let _ = TestApp::browser().request(m.parse().expect("method"), format!("{}/healthz", app.base)).send().await;
    }
    let metrics =
        TestApp::browser().get(format!("{}/metrics", app.base)).send().await.expect("get").text().await.expect("text");
    assert!(
        metrics.contains("chainchief_http_requests_total{method=\"GET\",route=\"/api/v1/chains\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("method=\"OTHER\"") && !metrics.contains("FOO"), "{metrics}");
    assert!(
        metrics.contains("chainchief_http_request_duration_seconds_bucket")
            && metrics.contains("chainchief_db_pool_connections")
    );

    let db = TestDb::new(Backend::Sqlite).await;
    let config = db.dir.path().join("chainchief.toml");
    std::fs::write(&config, "[web]\nmetrics_allow = [\"10.9.8.7\"]\n").expect("config");
    let restricted = TestApp::serve(db, &["--config", config.to_str().expect("path"), "demo", "--port", "0"]);
    let res = TestApp::browser().get(format!("{}/metrics", restricted.base)).send().await.expect("get");
    assert_eq!(res.status(), 403, "metrics only from configured addresses");
}

#[tokio::test]
async fn user_commands_validate_and_refuse_clearly() {
    let db = TestDb::new(Backend::Sqlite).await;
    let plan = format!("{}/../../plans/miluo-2022.toml", env!("CARGO_MANIFEST_DIR"));
    assert!(cli(&db, &["plan", "import", &plan]).status.success());
    let bad_role =
        cli(&db, &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某", "--role", "chain_office"]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role).contains("范围不对"), "{}", text(&bad_role));
    let unknown_chain = cli(
        &db,
        &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某", "--role", "chain_office:nope"],
    );
    assert!(text(&unknown_chain).contains("没有代码为“nope”的产业链"), "{}", text(&unknown_chain));
    let weak = cli_with_stdin(
        &db,
        &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某", "--password-stdin"],
        "abc\n",
    );
    assert!(!weak.status.success() && text(&weak).contains("密码至少10位"));
    let common = cli_with_stdin(
        &db,
        &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某", "--password-stdin"],
        "Password@2026\n",
    );
    assert!(!common.status.success() && text(&common).contains("密码过于常见"), "{}", text(&common));
    let own_name = cli_with_stdin(
        &db,
        &["user", "add", "--city", "miluo", "--username", "wangwu", "--name", "某", "--password-stdin"],
        "Wangwu#20261203\n",
    );
    assert!(!own_name.status.success() && text(&own_name).contains("不能包含用户名"), "{}", text(&own_name));
    let generated = cli(
        &db,
        &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某", "--role", "chain_office:nonmetal"],
    );
    assert!(generated.status.success(), "{}", text(&generated));
    assert!(text(&generated).contains("初始密码："));
    let dup = cli(&db, &["user", "add", "--city", "miluo", "--username", "u1", "--name", "某"]);
    assert!(!dup.status.success() && text(&dup).contains("已被使用"));
    let missing = cli(&db, &["user", "disable", "nobody"]);
    assert!(!missing.status.success() && text(&missing).contains("没有账号 nobody"));
    let bad_url = crate::harness::cli(&TestDb::foreign("mysql://x"), &["migrate"]);
    assert!(!bad_url.status.success() && text(&bad_url).contains("不支持的数据库地址"));
}

#[tokio::test]
async fn several_instances_share_one_postgresql() {
    if !crate::harness::backends().contains(&Backend::Postgres) {
        return;
    }
    let first = TestApp::spawn(Backend::Postgres).await;
    let second = TestApp::serve(first.db.shared(), &["serve", "--port", "0"]);
    let token = first.token("office").await;
    assert_eq!(second.get(&token, "/api/v1/me").await.status(), 200, "a session made on one instance works on another");
    let id = first.chain_id(&token, crate::harness::CHAIN1).await;
    let res = TestApp::browser()
        .patch(format!("{}/api/v1/chains/{id}", second.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"chief_name": "第二实例写入", "version": 1}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), 200);
    let stale = TestApp::browser()
        .patch(format!("{}/api/v1/chains/{id}", first.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"chief_name": "第一实例写入", "version": 1}))
        .send()
        .await
        .expect("patch");
    assert_eq!(stale.status(), 409, "conflicts are caught across instances");
    let v: serde_json::Value = first.get(&token, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
    assert_eq!(v["chief_name"], "第二实例写入");
    assert!(cli(&first.db, &["audit", "verify"]).status.success(), "one audit chain across instances");
    drop(second);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_recorded() {
    let db = TestDb::new(Backend::Sqlite).await;
    let config = db.dir.path().join("chainchief.toml");
    std::fs::write(&config, "[web]\ntrusted_proxies = [\"127.0.0.1\"]\nmetrics_allow = [\"10.1.2.3\"]\n")
        .expect("config");
    let app = TestApp::serve(db, &["--config", config.to_str().expect("path"), "demo", "--port", "0"]);
    let res = TestApp::browser()
        .post(format!("{}/api/v1/session", app.base))
        .header("x-forwarded-for", "198.51.100.7, 10.1.2.3")
        .json(&serde_json::json!({"username": "office", "password": "wrong-Pass-1"}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 401);
    let store = app.db.store().await;
    let (ip,): (String,) = sqlx::query_as("SELECT ip FROM audit_log WHERE action = 'login.failure'")
        .fetch_one(store.pool())
        .await
        .expect("audit");
    store.close().await;
    assert_eq!(ip, "10.1.2.3", "the rightmost address not added by a trusted proxy");
    let metrics = TestApp::browser()
        .get(format!("{}/metrics", app.base))
        .header("x-forwarded-for", "10.1.2.3")
        .send()
        .await
        .expect("get");
    assert_eq!(metrics.status(), 403, "metrics are never served through a proxy, whatever it forwards");
    let direct = TestApp::browser().get(format!("{}/metrics", app.base)).send().await.expect("get");
    assert_eq!(direct.status(), 403);
}

#[tokio::test]
async fn synthetic_enterprises_import_cleanly() {
    let db = TestDb::new(Backend::Sqlite).await;
    let plan = format!("{}/../../plans/miluo-2022.toml", env!("CARGO_MANIFEST_DIR"));
    assert!(cli(&db, &["plan", "import", &plan]).status.success());
    let file = db.dir.path().join("s.csv");
    let out = cli(&db, &["synth", "enterprises", "--rows", "500", "-o", file.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out));
    let imported = cli(&db, &["import", "enterprises", "--city", "miluo", file.to_str().expect("path")]);
    assert!(imported.status.success() && text(&imported).contains("新增 500 家"), "{}", text(&imported));
}

#[tokio::test]
async fn postgresql_is_reached_over_tls_when_the_url_asks_and_its_certificate_is_checked() {
    if !crate::harness::backends().contains(&Backend::Postgres) {
        return;
    }
    let db = TestDb::new(Backend::Postgres).await;
    let plain = db.store().await;
    let (ssl_on,): (String,) = sqlx::query_as("SHOW ssl").fetch_one(plain.pool()).await.expect("show ssl");
    plain.close().await;
    if ssl_on != "on" {
        eprintln!("skipping: this PostgreSQL server has ssl = {ssl_on}");
        return;
    }
    let store =
        chainchief_store::Store::connect(&format!("{}?sslmode=require", db.url)).await.expect("connect with TLS");
    let (ssl,): (bool,) = sqlx::query_as("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(store.pool())
        .await
        .expect("pg_stat_ssl");
    store.close().await;
    assert!(ssl, "the connection is encrypted");
    // verify-full checks the server's certificate against the trust store: this test server's
    // self-signed certificate is refused, not silently accepted.
    let strict = chainchief_store::Store::connect(&format!("{}?sslmode=verify-full", db.url)).await;
    let refused = match strict {
        Err(_) => true,
        Ok(s) => {
            let r = sqlx::query("SELECT 1").execute(s.pool()).await.is_err();
            s.close().await;
            r
        }
    };
    assert!(refused, "an untrusted server certificate is refused under verify-full");
    // The binary itself connects with the same URL.
    let out = crate::harness::cli(&TestDb::foreign(&format!("{}?sslmode=require", db.url)), &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
}
