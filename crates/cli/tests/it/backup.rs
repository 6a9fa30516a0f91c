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
            // The new database's host holds the audit key the backup was signed with.
            let mut target = TestDb::new(target_backend).await;
            target.key_file.clone_from(&app.db.key_file);
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
    // The database, its journal, the backup, its digest and the audit key: the server's user's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let db = app.db.dir.path().join("chainchief.db");
        let wal = app.db.dir.path().join("chainchief.db-wal");
        let digest = app.db.dir.path().join("b.db.digest");
        for f in [&db, &wal, &file, &digest, &app.db.key_file, &app.db.anchor_file] {
            let mode = std::fs::metadata(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())).permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", f.display());
        }
    }
    let mut target = TestDb::new(Backend::Sqlite).await;
    target.key_file.clone_from(&app.db.key_file);
    assert!(cli(&target, &["restore", file.to_str().expect("path")]).status.success());
    let restored = TestApp::serve(target, &["serve", "--port", "0"]);
    let token = restored.token("leader").await;
    assert_eq!(restored.get(&token, "/api/v1/chains").await.status(), 200);
}

#[tokio::test]
async fn a_backup_from_a_newer_version_is_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let store = app.db.store().await;
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
        .execute(store.pool())
        .await
        .expect("insert");
    store.close().await;
    let file = app.db.dir.path().join("newer.db");
    assert!(cli(&app.db, &["backup", "-o", file.to_str().expect("path")]).status.success());
    let mut target = TestDb::new(Backend::Sqlite).await;
    target.key_file.clone_from(&app.db.key_file);
    let out = cli(&target, &["restore", file.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(text(&out).contains("比本程序") && text(&out).contains("新"), "{}", text(&out));
    let missing = cli(&TestDb::foreign("sqlite:///nonexistent/dir/x.db"), &["audit", "verify"]);
    assert!(!missing.status.success() && text(&missing).contains("找不到数据库文件"), "{}", text(&missing));
}

#[tokio::test]
async fn a_backup_altered_after_it_was_written_or_without_its_digest_is_not_restored() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let _ = app.token("office").await;
        let file = app.db.dir.path().join("b.db");
        let out = cli(&app.db, &["backup", "-o", file.to_str().expect("path")]);
        assert!(out.status.success() && text(&out).contains("摘要"), "{b:?}: {}", text(&out));
        // Someone edits a row in the backup and recomputes its audit chain's hashes to match.
        let backup = TestDb::foreign(&format!("sqlite://{}", file.display()));
        let store = backup.store().await;
        sqlx::query("UPDATE chains SET chief_name = '冒名'").execute(store.pool()).await.expect("edit");
        store.close().await;
        let mut target = TestDb::new(b).await;
        target.key_file.clone_from(&app.db.key_file);
        let out = cli(&target, &["restore", file.to_str().expect("path")]);
        assert!(!out.status.success() && text(&out).contains("与摘要"), "{b:?}: {}", text(&out));
        // A backup without its digest, or restored with another key, is not trusted either.
        let other = app.db.dir.path().join("c.db");
        assert!(cli(&app.db, &["backup", "-o", other.to_str().expect("path")]).status.success());
        let stranger = TestDb::new(b).await;
        let out = cli(&stranger, &["restore", other.to_str().expect("path")]);
        assert!(!out.status.success() && text(&out).contains("不是本系统密钥签发的"), "{b:?}: {}", text(&out));
        std::fs::remove_file(other.with_extension("db.digest")).expect("remove digest");
        let out = cli(&target, &["restore", other.to_str().expect("path")]);
        assert!(!out.status.success() && text(&out).contains("找不到备份的摘要文件"), "{b:?}: {}", text(&out));
        // Refused before the database was touched: it holds no tables, let alone a city.
        let store = target.store().await;
        let cities: Result<(i64,), _> = sqlx::query_as("SELECT COUNT(*) FROM cities").fetch_one(store.pool()).await;
        store.close().await;
        assert!(cities.map_or(true, |(n,)| n == 0), "{b:?}: nothing restored");
    }
}
