//! Online backup while the server runs, and restore into an empty database with every row intact.

use crate::harness::{Backend, CHAIN1, TestApp, TestDb, backends, cli, text};
use chainchief_store::backup::digest;

#[tokio::test]
async fn backup_while_serving_and_restore_preserves_every_row() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let id = app.chain_id(&office, CHAIN1).await;
        let _ = TestApp::browser()
            .patch(format!("{}/api/v1/chains/{id}", app.base))
            .bearer_auth(&office)
            .json(&serde_json::json!({"chief_name": "备份前的修改", "version": 1}))
            .send()
            .await
            .expect("patch");
        let file = app.db.dir.path().join("backup.db");
        let out = cli(&app.db, &["backup", "-o", file.to_str().expect("path")]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        let again = cli(&app.db, &["backup", "-o", file.to_str().expect("path")]);
        assert!(!again.status.success(), "an existing backup file is never overwritten");

        for target_backend in backends() {
            let target = TestDb::new(target_backend).await;
            let out = cli(&target, &["restore", file.to_str().expect("path")]);
            assert!(out.status.success(), "{b:?} → {target_backend:?}: {}", text(&out));
            let source = app.db.store().await;
            let restored = target.store().await;
            let want = digest(source.pool()).await.expect("digest");
            let got = digest(restored.pool()).await.expect("digest");
            let sessions = |d: &Vec<chainchief_store::backup::TableDigest>| {
                d.iter().filter(|t| t.table != "sessions").cloned().collect::<Vec<_>>()
            };
            assert_eq!(sessions(&want), sessions(&got), "{b:?} → {target_backend:?}: every row restored");
            assert!(got.iter().any(|t| t.table == "audit_log" && t.rows > 10));
            let verify = cli(&target, &["audit", "verify"]);
            assert!(verify.status.success(), "restored audit chain verifies: {}", text(&verify));
            let twice = cli(&target, &["restore", file.to_str().expect("path")]);
            assert!(
                !twice.status.success() && text(&twice).contains("空数据库"),
                "restore only into an empty database"
            );
            source.close().await;
            restored.close().await;
        }
    }
}

#[tokio::test]
async fn restored_demo_serves_and_logs_in() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let file = app.db.dir.path().join("b.db");
    assert!(cli(&app.db, &["backup", "-o", file.to_str().expect("path")]).status.success());
    let target = TestDb::new(Backend::Sqlite).await;
    assert!(cli(&target, &["restore", file.to_str().expect("path")]).status.success());
    let restored = TestApp::serve(target, &["serve", "--port", "0"]);
    let token = restored.token("leader").await;
    assert_eq!(restored.get(&token, "/api/v1/chains").await.status(), 200);
}

#[tokio::test]
async fn a_backup_from_a_newer_version_is_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let file = app.db.dir.path().join("newer.db");
    assert!(cli(&app.db, &["backup", "-o", file.to_str().expect("path")]).status.success());
    let backup = TestDb::foreign(&format!("sqlite://{}", file.display()));
    let store = backup.store().await;
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
        .execute(store.pool())
        .await
        .expect("insert");
    store.close().await;
    let target = TestDb::new(Backend::Sqlite).await;
    let out = cli(&target, &["restore", file.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(text(&out).contains("比本程序") && text(&out).contains("新"), "{}", text(&out));
    let missing = cli(&TestDb::foreign("sqlite:///nonexistent/dir/x.db"), &["audit", "verify"]);
    assert!(!missing.status.success() && text(&missing).contains("找不到数据库文件"), "{}", text(&missing));
}
