//! Login, tokens, lockout, sessions ended by disabling, CSRF and security headers.

use crate::harness::{PASSWORD, TestApp, backends, cli, text};

#[tokio::test]
async fn login_gives_token_and_cookie_and_wrong_password_is_401() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let c = TestApp::browser();
        let res = c
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "office", "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200);
        let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(
            cookie.starts_with("cc_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let body: serde_json::Value = res.json().await.expect("json");
        let token = body["token"].as_str().expect("token");
        assert_eq!(app.get(token, "/api/v1/me").await.status(), 200);
        assert_eq!(
            c.get(format!("{}/api/v1/me", app.base)).send().await.expect("me").status(),
            200,
            "cookie works too"
        );

        let wrong = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "office", "password": "Wrong-Pass-1"}))
            .send()
            .await
            .expect("login");
        assert_eq!(wrong.status(), 401);
        let err: serde_json::Value = wrong.json().await.expect("json");
        assert!(err["error"]["message"].as_str().unwrap_or("").starts_with("用户名或密码不正确"), "{err}");
        let nobody = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "nobody", "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(nobody.status(), 401);
        let unknown: serde_json::Value = nobody.json().await.expect("json");
        assert_eq!(unknown["error"]["message"], err["error"]["message"], "{b:?}: a name cannot be probed");
        let garbage = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .header("content-type", "application/json")
            .body("{\"username\": 5}")
            .send()
            .await
            .expect("login");
        assert_eq!(garbage.status(), 400);
        assert_eq!(
            TestApp::browser().get(format!("{}/api/v1/chains", app.base)).send().await.expect("get").status(),
            401
        );
        assert_eq!(app.get("not-a-token", "/api/v1/chains").await.status(), 401);
    }
}

#[tokio::test]
async fn five_failures_lock_the_account() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let attempt = |pw: &'static str| {
            let base = app.base.clone();
            async move {
                TestApp::browser()
                    .post(format!("{base}/api/v1/session"))
                    .json(&serde_json::json!({"username": "chain1", "password": pw}))
                    .send()
                    .await
                    .expect("login")
            }
        };
        for _ in 0..4 {
            assert_eq!(attempt("Wrong-Pass-1").await.status(), 401);
        }
        let fifth: serde_json::Value = attempt("Wrong-Pass-1").await.json().await.expect("json");
        assert!(fifth["error"]["message"].as_str().unwrap_or("").contains("已锁定"), "{fifth}");
        let right = attempt(PASSWORD).await;
        assert_eq!(right.status(), 401, "{b:?}: locked even with the right password");
        // The system admin sees the lock and ends it; the right password then signs in.
        assert_eq!(app.unlock_the_locked_account().await, 303, "{b:?}");
        assert_eq!(attempt(PASSWORD).await.status(), 200, "{b:?}: unlocked by the admin");
        for _ in 0..5 {
            attempt("Wrong-Pass-1").await;
        }
        let out = crate::harness::cli_with_stdin(
            &app.db,
            &["user", "reset-password", "chain1", "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(attempt(PASSWORD).await.status(), 200, "{b:?}: reset unlocks");
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let token = app.token("chain3").await;
        assert_eq!(app.get(&token, "/api/v1/me").await.status(), 200);
        let out = cli(&app.db, &["user", "disable", "chain3"]);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401, "{b:?}");
        let again = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "chain3", "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(again.status(), 401);
    }
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_the_same_origin() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let token = app.token("office").await;
        let id = app.chain_id(&token, crate::harness::CHAIN2).await;
        let url = format!("{}/chains/{id}/edit", app.base);
        let form = |csrf: &str| {
            vec![
                ("_csrf", csrf.to_string()),
                ("chief_name", "王五".into()),
                ("description", "简介".into()),
                ("version", "1".into()),
            ]
        };
        let no_token = c.post(&url).form(&form("forged")).send().await.expect("post");
        assert_eq!(no_token.status(), 400, "{b:?}: a forged CSRF token is refused");
        let cross = c.post(&url).header("origin", "http://evil.example").form(&form(&csrf)).send().await.expect("post");
        assert_eq!(cross.status(), 400, "{b:?}: a cross-origin post is refused");
        let chain: serde_json::Value =
            app.get(&token, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        assert_eq!(chain["version"], 1, "{b:?}: refused posts change nothing");
        let ok = c.post(&url).form(&form(&csrf)).send().await.expect("post");
        assert_eq!(ok.status(), 303, "{b:?}: a proper post is accepted");
    }
}

#[tokio::test]
async fn security_headers_on_every_page() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    for path in ["/login", "/healthz", "/api/v1/openapi.json", "/nope"] {
        let res = TestApp::browser().get(format!("{}{path}", app.base)).send().await.expect("get");
        let h = res.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
        assert!(h.contains_key("referrer-policy"));
    }
}

#[tokio::test]
async fn users_change_their_own_password() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("unit-gxq").await;
        let url = format!("{}/account/password", app.base);
        let wrong = c
            .post(&url)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("current", "Nope-1234"),
                ("new", "New-Pass-2027"),
                ("confirm", "New-Pass-2027"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(wrong.status(), 422);
        assert!(wrong.text().await.expect("html").contains("当前密码不正确"), "{b:?}");
        let mismatch = c
            .post(&url)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("current", PASSWORD),
                ("new", "New-Pass-2027"),
                ("confirm", "New-Pass-2028"),
            ])
            .send()
            .await
            .expect("post");
        assert!(mismatch.text().await.expect("html").contains("两次输入的新密码不一致"), "{b:?}");
        let ok = c
            .post(&url)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("current", PASSWORD),
                ("new", "New-Pass-2027"),
                ("confirm", "New-Pass-2027"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        assert_eq!(
            c.get(format!("{}/account", app.base)).send().await.expect("get").status(),
            303,
            "{b:?}: signed out everywhere"
        );
        let login = |pw: &'static str| {
            TestApp::browser()
                .post(format!("{}/api/v1/session", app.base))
                .json(&serde_json::json!({"username": "unit-gxq", "password": pw}))
                .send()
        };
        let signed_in = login("New-Pass-2027").await.expect("login");
        assert_eq!(signed_in.status(), 200);
        assert_eq!(login(PASSWORD).await.expect("login").status(), 401);
        // The failed check of the current password and a sign-out are audited.
        let token =
            signed_in.json::<serde_json::Value>().await.expect("json")["token"].as_str().expect("t").to_string();
        let out = TestApp::browser()
            .delete(format!("{}/api/v1/session", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("logout");
        assert_eq!(out.status(), 204, "{b:?}");
        let store = app.db.store().await;
        for action in ["password.failure", "session.logout"] {
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_name = 'unit-gxq'")
                    .bind(action)
                    .fetch_one(store.pool())
                    .await
                    .expect("count");
            assert_eq!(n, 1, "{b:?}: {action} audited once");
        }
        store.close().await;
    }
}
