//! The account rules of 等保 2.0 三级 through the real binary: the three admins cannot take over
//! one another, a password set by someone else or grown old is changed first, earlier passwords
//! are not reused, admins sign in with a dynamic code used once, and sessions end on the clock.

use crate::harness::{PASSWORD, TestApp, backends, cli, cli_with_stdin, csrf_of, html, text};
use reqwest::StatusCode;

async fn api_login(app: &TestApp, user: &str, password: &str, code: &str) -> reqwest::Response {
    TestApp::browser()
        .post(format!("{}/api/v1/session", app.base))
        .json(&serde_json::json!({"username": user, "password": password, "code": code}))
        .send()
        .await
        .expect("login")
}

async fn user_id(app: &TestApp, username: &str) -> String {
    let store = app.db.store().await;
    let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(store.pool())
        .await
        .expect("id");
    store.close().await;
    id
}

async fn audited(app: &TestApp, action: &str) -> Vec<String> {
    let store = app.db.store().await;
    let rows: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT after_json FROM audit_log WHERE action = $1 ORDER BY seq")
            .bind(action)
            .fetch_all(store.pool())
            .await
            .expect("audit");
    store.close().await;
    rows.into_iter().map(|r| r.0.unwrap_or_default()).collect()
}

#[tokio::test]
async fn an_admin_cannot_take_over_another_admin_but_the_server_command_line_can() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (admin, csrf) = app.web_login("admin").await;
        let security = user_id(&app, "security").await;
        let page = html(&app, &admin, "/admin/users").await;
        assert!(!page.contains(&format!("/admin/users/{security}/password")), "{b:?}: no reset offered");
        assert!(page.contains("须在服务器上用命令行办理"), "{b:?}");
        let reset = admin
            .post(format!("{}/admin/users/{security}/password", app.base))
            .form(&[("_csrf", csrf.as_str()), ("password", "Taken-Over-2026")])
            .send()
            .await
            .expect("reset");
        assert_eq!(reset.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b:?}");
        assert!(reset.text().await.expect("html").contains("三权分立"), "{b:?}");
        let disable = admin
            .post(format!("{}/admin/users/{security}/disable", app.base))
            .form(&[("_csrf", csrf.as_str()), ("version", "2")])
            .send()
            .await
            .expect("disable");
        assert_eq!(disable.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b:?}");
        assert_eq!(api_login(&app, "security", "Taken-Over-2026", "").await.status(), 401, "{b:?}: not taken over");
        assert!(!audited(&app, "access.denied").await.is_empty(), "{b:?}: the attempts are audited");

        // On the server, the operator resets it; its holder must then change it first.
        let out =
            cli_with_stdin(&app.db, &["user", "reset-password", "security", "--password-stdin"], "Reset-By-Cli-2026\n");
        assert!(out.status.success() && text(&out).contains("下次登录须先修改密码"), "{b:?}: {}", text(&out));
        let code = app.code_of("security").await;
        let res = api_login(&app, "security", "Reset-By-Cli-2026", &code).await;
        assert_eq!(res.status(), 200, "{b:?}");
        let token: serde_json::Value = res.json().await.expect("json");
        let grants = app.get(token["token"].as_str().expect("token"), "/admin/users").await;
        assert_eq!(grants.status(), 303, "{b:?}: sent to change the password first");
        assert_eq!(grants.headers()["location"], "/account");
    }
}

#[tokio::test]
async fn a_password_set_by_an_admin_is_changed_first_and_earlier_ones_are_not_reused() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let old_session = app.token("chain1").await;
        let (admin, csrf) = app.web_login("admin").await;
        let chain1 = user_id(&app, "chain1").await;
        for (weak, why) in
            [("Chain1-Pass-2026", "不能包含用户名"), ("Welcome@2026", "过于常见"), ("Short-1a", "至少10位")]
        {
            let res = admin
                .post(format!("{}/admin/users/{chain1}/password", app.base))
                .form(&[("_csrf", csrf.as_str()), ("password", weak)])
                .send()
                .await
                .expect("reset");
            assert_eq!(res.status(), 422, "{b:?}: {weak}");
            assert!(res.text().await.expect("html").contains(why), "{b:?}: {weak} → {why}");
        }
        let res = admin
            .post(format!("{}/admin/users/{chain1}/password", app.base))
            .form(&[("_csrf", csrf.as_str()), ("password", "Set-By-Admin-77")])
            .send()
            .await
            .expect("reset");
        assert_eq!(res.status(), 303, "{b:?}");
        assert_eq!(app.get(&old_session, "/api/v1/me").await.status(), 401, "{b:?}: the old sessions ended");

        let c = TestApp::browser();
        let res = c
            .post(format!("{}/login", app.base))
            .form(&[("username", "chain1"), ("password", "Set-By-Admin-77"), ("next", "/tasks")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "{b:?}");
        let tasks = c.get(format!("{}/tasks", app.base)).send().await.expect("tasks");
        assert_eq!(tasks.headers()["location"], "/account", "{b:?}: nothing else before the change");
        let page = html(&app, &c, "/account").await;
        assert!(page.contains("由管理员设置或重置"), "{b:?}: told why");
        let change = |new: &'static str| {
            let form = [
                ("_csrf", csrf_of(&page)),
                ("current", "Set-By-Admin-77".into()),
                ("new", new.into()),
                ("confirm", new.into()),
            ];
            c.post(format!("{}/account/password", app.base)).form(&form).send()
        };
        let reused = change(PASSWORD).await.expect("change");
        assert_eq!(reused.status(), 422, "{b:?}: the password before the reset");
        assert!(reused.text().await.expect("html").contains("最近5次"), "{b:?}");
        assert_eq!(change("Own-Choice-2027").await.expect("change").status(), 303, "{b:?}");
        let token =
            api_login(&app, "chain1", "Own-Choice-2027", "").await.json::<serde_json::Value>().await.expect("json");
        assert_eq!(app.get(token["token"].as_str().expect("token"), "/api/v1/chains").await.status(), 200, "{b:?}");
    }
}

#[tokio::test]
async fn admins_sign_in_with_a_dynamic_code_that_counts_once() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let without = api_login(&app, "auditor", PASSWORD, "").await;
        assert_eq!(without.status(), 401, "{b:?}");
        assert!(without.text().await.expect("text").contains("second_factor_required"), "{b:?}");
        let wrong = api_login(&app, "auditor", PASSWORD, "000000").await;
        assert_eq!(wrong.status(), 401, "{b:?}");
        assert!(wrong.text().await.expect("text").contains("login_failed"), "{b:?}");
        let code = app.code_of("auditor").await;
        assert_eq!(api_login(&app, "auditor", PASSWORD, &code).await.status(), 200, "{b:?}");
        let replay = api_login(&app, "auditor", PASSWORD, &code).await;
        assert_eq!(replay.status(), 401, "{b:?}: a code is used once");
        let reasons = audited(&app, "login.failure").await;
        assert!(reasons.iter().filter(|r| r.contains("bad_second_factor")).count() >= 2, "{b:?}: {reasons:?}");
        // A lost phone: the operator clears the factor; the admin enrols a new one at the next sign-in.
        let out = cli(&app.db, &["user", "reset-second-factor", "auditor"]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        let token = api_login(&app, "auditor", PASSWORD, "").await.json::<serde_json::Value>().await.expect("json");
        let audit = app.get(token["token"].as_str().expect("token"), "/api/v1/audit").await;
        assert_eq!(audit.status(), 403, "{b:?}");
        assert!(audit.text().await.expect("text").contains("动态口令"), "{b:?}: told to enrol first");
    }
}

#[tokio::test]
async fn sessions_end_when_idle_and_passwords_when_old_on_the_one_clock() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let token = app.token("office").await;
        assert_eq!(app.get(&token, "/api/v1/me").await.status(), 200);
        let db = app.into_db();
        let later = |minutes: i64| {
            let at = chainchief_domain::clock::Clock::System.now_millis() + minutes * 60_000;
            chrono::DateTime::from_timestamp_millis(at).expect("instant").to_rfc3339()
        };
        let app = TestApp::serve_with(db, &["serve", "--port", "0"], &[("CHAINCHIEF_CLOCK_START", &later(31))]);
        assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401, "{b:?}: idle for 31 minutes");
        let expired = audited(&app, "session.expire").await;
        assert!(expired.iter().any(|e| e.contains("idle")), "{b:?}: {expired:?}");
        let db = app.into_db();
        let app = TestApp::serve_with(db, &["serve", "--port", "0"], &[("CHAINCHIEF_CLOCK_START", &later(91 * 1440))]);
        let token = app.token("office").await;
        let res = app.get(&token, "/api/v1/chains").await;
        assert_eq!(res.status(), 403, "{b:?}");
        assert!(res.text().await.expect("text").contains("超过有效期"), "{b:?}: 91 days old");
    }
}
