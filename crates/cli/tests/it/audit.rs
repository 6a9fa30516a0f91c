//! The audit chain: logins, changes and denials are recorded; `audit verify` finds tampering.

use crate::harness::{CHAIN1, TestApp, backends, cli, text};

#[tokio::test]
async fn logins_changes_and_denials_are_recorded_and_verify() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let _ = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "office", "password": "Bad-Pass-123"}))
            .send()
            .await;
        let id = app.chain_id(&office, CHAIN1).await;
        let chain2 = app.token("chain2").await;
        let _ = TestApp::browser()
            .patch(format!("{}/api/v1/chains/{id}", app.base))
            .bearer_auth(&chain2)
            .json(&serde_json::json!({"chief_name": "x", "version": 1}))
            .send()
            .await;
        let _ = TestApp::browser()
            .patch(format!("{}/api/v1/chains/{id}", app.base))
            .bearer_auth(&office)
            .json(&serde_json::json!({"chief_name": "赵六", "version": 1}))
            .send()
            .await;
        let auditor = app.token("auditor").await;
        // Each action is looked up by itself (older ones too, the demo's loading): work the server
        // does on its own may fill the first page.
        for a in ["login.success", "login.failure", "access.denied", "chain.update", "plan.import", "user.create"] {
            let found: serde_json::Value =
                app.get(&auditor, &format!("/api/v1/audit?action={a}")).await.json().await.expect("json");
            assert!(found["total"].as_i64().unwrap_or(0) > 0, "{b:?}: {a} missing: {found}");
        }
        let log: serde_json::Value =
            app.get(&auditor, "/api/v1/audit?action=chain.update").await.json().await.expect("json");
        // The page shows a change field by field in words, not the stored JSON.
        let page = app.get(&auditor, "/audit?action=chain.update").await.text().await.expect("html");
        assert!(page.contains("项变化") && page.contains("<td>链长</td>") && page.contains("赵六"), "{b:?}: in words");
        assert!(!page.contains("&quot;chief_name&quot;") && !page.contains("{&quot;"), "{b:?}: no raw JSON");
        let update = log["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["action"] == "chain.update")
            .cloned()
            .expect("update");
        assert!(
            update["before"].as_str().unwrap_or("").contains("chief_name")
                && update["after"].as_str().unwrap_or("").contains("赵六")
        );
        let filtered: serde_json::Value =
            app.get(&auditor, "/api/v1/audit?action=login.failure").await.json().await.expect("json");
        assert_eq!(filtered["total"], 1, "{b:?}");
        let ok = cli(&app.db, &["audit", "verify"]);
        assert!(ok.status.success(), "{b:?}: {}", text(&ok));
        assert!(text(&ok).contains("校验通过"));
    }
}

async fn exec(app: &TestApp, sql: &str) {
    let store = app.db.store().await;
    for statement in sql.split("; ") {
        sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).execute(store.pool()).await.expect(statement);
    }
    store.close().await;
}

#[tokio::test]
async fn edited_deleted_or_reordered_records_are_detected() {
    for b in backends() {
        for (tamper, needle) in [
            ("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 3", "第3条审计记录"),
            ("DELETE FROM audit_log WHERE seq = 4", "第4条审计记录缺失"),
            (
                "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 5; \
              UPDATE audit_log SET seq = 5 WHERE seq = -2",
                "第2条审计记录",
            ),
            ("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)", "末尾的记录被删除"),
        ] {
            let app = TestApp::spawn(b).await;
            let _ = app.token("office").await;
            assert!(cli(&app.db, &["audit", "verify"]).status.success());
            exec(&app, tamper).await;
            let out = cli(&app.db, &["audit", "verify"]);
            assert!(!out.status.success(), "{b:?}: {tamper} must be detected");
            assert!(text(&out).contains(needle), "{b:?}: {tamper} → {}", text(&out));
        }
    }
}

#[tokio::test]
async fn nobody_can_change_the_log_through_the_app() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    let auditor = app.token("auditor").await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let res = TestApp::browser()
            .request(method.parse().expect("method"), format!("{}/api/v1/audit", app.base))
            .bearer_auth(&auditor)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 405, "{method} /api/v1/audit");
    }
}

#[tokio::test]
async fn a_change_is_recorded_with_the_record_before_and_after() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let period = crate::harness::last_month();
        let list = crate::harness::html(&app, &c, "/dispatch").await;
        let (y, m) = (&period[..4], period[5..].trim_start_matches('0'));
        let id = crate::harness::linked_id(&list, "/dispatch/", &format!("{CHAIN1}{y}年{m}月工作月报"));
        let res = c
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[
                ("action", "save"),
                ("body", "一、目标指标完成情况\n改写后的正文。"),
                ("version", "1"),
                ("_csrf", &csrf),
            ])
            .send()
            .await
            .expect("save");
        assert_eq!(res.status(), 303, "{b:?}");
        let auditor = app.token("auditor").await;
        let log: serde_json::Value =
            app.get(&auditor, "/api/v1/audit?action=dispatch.edit").await.json().await.expect("json");
        let row = &log["items"][0];
        let image = |k: &str| -> serde_json::Value { serde_json::from_str(row[k].as_str().expect(k)).expect("json") };
        let (before, after) = (image("before"), image("after"));
        assert!(before["body"].as_str().expect("body").contains("一、目标指标完成情况"), "{b:?}: {before}");
        assert_eq!(after["body"], "一、目标指标完成情况\n改写后的正文。", "{b:?}");
        assert_eq!((before["version"].as_i64(), after["version"].as_i64()), (Some(1), Some(2)), "{b:?}");
        assert_eq!(after["updated_by"], "chain1", "{b:?}");
    }
}

/// Reads every audit row, lets `change` alter them, recomputes every hash from the first changed
/// row on and the head: what someone who can write the database but not read the key can do.
async fn rewrite_chain(app: &TestApp, change: impl Fn(&mut Vec<chainchief_domain::audit::AuditRecord>)) {
    use chainchief_domain::audit::{AuditRecord, GENESIS_HASH};
    let store = app.db.store().await;
    type Row = (i64, String, Option<String>, i64, Option<String>, String, String, String, Option<String>);
    type Rest = (Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, id, city_id, at, actor_id, actor_name, action, entity, entity_id FROM audit_log ORDER BY seq",
    )
    .fetch_all(store.pool())
    .await
    .expect("rows");
    let mut records = Vec::new();
    for r in rows {
        let rest: Rest = sqlx::query_as("SELECT before_json, after_json, ip FROM audit_log WHERE seq = $1")
            .bind(r.0)
            .fetch_one(store.pool())
            .await
            .expect("row");
        records.push(AuditRecord {
            seq: r.0,
            id: r.1,
            city_id: r.2,
            at: r.3,
            actor_id: r.4,
            actor_name: r.5,
            action: r.6,
            entity: r.7,
            entity_id: r.8,
            before: rest.0,
            after: rest.1,
            ip: rest.2,
            prev_hash: String::new(),
            hash: String::new(),
        });
    }
    change(&mut records);
    sqlx::query("DELETE FROM audit_log").execute(store.pool()).await.expect("clear");
    let mut prev = GENESIS_HASH.to_string();
    for r in &mut records {
        r.prev_hash = prev.clone();
        r.hash = r.compute_hash();
        prev = r.hash.clone();
        sqlx::query(
            "INSERT INTO audit_log (seq, id, city_id, at, actor_id, actor_name, action, entity, entity_id, \
             before_json, after_json, ip, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
        )
        .bind(r.seq)
        .bind(&r.id)
        .bind(&r.city_id)
        .bind(r.at)
        .bind(&r.actor_id)
        .bind(&r.actor_name)
        .bind(&r.action)
        .bind(&r.entity)
        .bind(&r.entity_id)
        .bind(&r.before)
        .bind(&r.after)
        .bind(&r.ip)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .execute(store.pool())
        .await
        .expect("insert");
    }
    let last = records.last().map_or(0, |r| r.seq);
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last)
        .bind(&prev)
        .execute(store.pool())
        .await
        .expect("head");
    store.close().await;
}

#[tokio::test]
async fn a_chain_recomputed_cut_or_padded_in_the_database_is_caught_by_its_anchors() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let _ = app.token("office").await;
        let _ = app.token("chain1").await;
        let anchored = cli(&app.db, &["audit", "anchor"]);
        assert!(anchored.status.success(), "{b:?}: {}", text(&anchored));
        let ok = cli(&app.db, &["audit", "verify"]);
        assert!(ok.status.success() && text(&ok).contains("签名锚点一致"), "{b:?}: {}", text(&ok));

        // A row forged outside the numbering.
        exec(
            &app,
            "INSERT INTO audit_log (seq, id, city_id, at, actor_id, actor_name, action, entity, entity_id, \
             before_json, after_json, ip, prev_hash, hash) VALUES (0, 'forged', NULL, 0, NULL, 'x', 'x', 'x', NULL, \
             NULL, NULL, NULL, 'x', 'x')",
        )
        .await;
        let out = cli(&app.db, &["audit", "verify"]);
        assert!(!out.status.success() && text(&out).contains("在链外被插入"), "{b:?}: {}", text(&out));
        exec(&app, "DELETE FROM audit_log WHERE seq = 0").await;

        // A record altered and every hash after it recomputed, the head too.
        rewrite_chain(&app, |records| records[2].actor_name = "mallory".into()).await;
        let out = cli(&app.db, &["audit", "verify"]);
        assert!(!out.status.success() && text(&out).contains("被改写后重算"), "{b:?}: {}", text(&out));

        // The tail cut off with the head moved back.
        rewrite_chain(&app, |records| {
            let keep = records.len() - 3;
            records.truncate(keep);
        })
        .await;
        let out = cli(&app.db, &["audit", "verify"]);
        assert!(!out.status.success() && text(&out).contains("末尾记录被删除"), "{b:?}: {}", text(&out));

        // The anchor file itself edited to match.
        let anchors = std::fs::read_to_string(&app.db.anchor_file).expect("anchors");
        std::fs::write(&app.db.anchor_file, anchors.replace(' ', "  ").replacen('1', "2", 1)).expect("edit");
        let out = cli(&app.db, &["audit", "verify"]);
        assert!(!out.status.success() && text(&out).contains("不是本系统密钥签发的"), "{b:?}: {}", text(&out));
    }
}

#[tokio::test]
async fn exports_and_downloads_are_recorded() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        for path in ["/enterprises/export.xlsx", "/investment/targets/export.xlsx", "/projects/board?format=xlsx"] {
            assert_eq!(app.get(&office, path).await.status(), 200, "{b:?}: {path}");
        }
        let store = app.db.store().await;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT action, entity FROM audit_log WHERE action IN ('data.export', 'file.download') ORDER BY seq",
        )
        .fetch_all(store.pool())
        .await
        .expect("audit");
        store.close().await;
        let exported: Vec<&str> = rows.iter().filter(|r| r.0 == "data.export").map(|r| r.1.as_str()).collect();
        assert_eq!(exported, ["enterprises", "investment_targets", "project_board"], "{b:?}");
    }
}
