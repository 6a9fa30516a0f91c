//! The login gate against floods and races: a burst of parallel wrong guesses gets no more
//! password checks than the lockout limit (and a right password after it is refused); a flood
//! from one address is answered 429 with Retry-After before anything is hashed; known and unknown
//! names answer alike; after login only paths of this site are followed.

use crate::harness::{PASSWORD, TestApp, backends};

/// Posts a login through the API.
async fn attempt(base: String, username: &'static str, password: &'static str) -> reqwest::Response {
    TestApp::browser()
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login")
}

#[tokio::test]
async fn sixty_parallel_guesses_get_five_checks_and_then_the_account_is_locked() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let guesses: Vec<_> =
            (0..60).map(|_| tokio::spawn(attempt(app.base.clone(), "chain2", "Wrong-Pass-1"))).collect();
        for g in guesses {
            // Refused after a check or unchecked (401), or turned away by the hashing queue (429).
            let status = g.await.expect("join").status().as_u16();
            assert!(status == 401 || status == 429, "{b:?}: {status}");
        }
        let store = app.db.store().await;
        let (checked,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND actor_name = 'chain2' \
             AND after_json LIKE '%bad_password%'",
        )
        .fetch_one(store.pool())
        .await
        .expect("count");
        store.close().await;
        assert_eq!(checked, 5, "{b:?}: only as many passwords checked as the lockout allows");
        let right = attempt(app.base.clone(), "chain2", PASSWORD).await;
        assert_eq!(right.status(), 401, "{b:?}: the right password after the burst is refused");
    }
}

#[tokio::test]
async fn a_flood_from_one_address_is_answered_429_before_hashing() {
    for b in backends() {
        let app = TestApp::spawn_with(b, &[("CHAINCHIEF_WEB__LOGIN_BURST", "10")]).await;
        let flood: Vec<_> =
            (0..40).map(|_| tokio::spawn(attempt(app.base.clone(), "nobody", "Wrong-Pass-1"))).collect();
        let mut refused = 0;
        for f in flood {
            let res = f.await.expect("join");
            if res.status() == 429 {
                refused += 1;
                let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).unwrap_or("");
                assert!(retry.parse::<u64>().is_ok_and(|s| s >= 1), "{b:?}: Retry-After {retry:?}");
                let body: serde_json::Value = res.json().await.expect("json");
                assert!(body["error"]["message"].as_str().unwrap_or("").contains("秒后再试"), "{body}");
            } else {
                assert_eq!(res.status(), 401, "{b:?}");
            }
        }
        assert!(refused >= 30, "{b:?}: at most the burst of 10 is let through, {refused} of 40 refused");
        let health = TestApp::browser().get(format!("{}/healthz", app.base)).send().await.expect("healthz");
        assert_eq!(health.status(), 200, "{b:?}");
    }
}

#[tokio::test]
async fn after_login_only_this_sites_paths_are_followed() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    let c = TestApp::browser();
    for next in ["/\t/evil.example", "/\n/x", "//evil.example", "/\\evil.example"] {
        let form = [("username", "office"), ("password", PASSWORD), ("next", next)];
        let res = c.post(format!("{}/login", app.base)).form(&form).send().await.expect("login");
        let to = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
        // Signed in and sent home, or (a line break in a field) refused as a bad request; never elsewhere, never a 500.
        assert!(
            (res.status().is_redirection() && to == "/") || res.status() == 400,
            "{next:?}: {} to {to:?}",
            res.status()
        );
    }
}

/// Posts a login as if from `from` (behind the trusted proxy).
async fn attempt_from(base: &str, from: &str, password: &str) -> u16 {
    TestApp::browser()
        .post(format!("{base}/api/v1/session"))
        .header("x-forwarded-for", from)
        .json(&serde_json::json!({"username": "chain3", "password": password}))
        .send()
        .await
        .expect("login")
        .status()
        .as_u16()
}

#[tokio::test]
async fn guesses_from_one_address_lock_out_that_address_and_many_addresses_the_account() {
    for b in backends() {
        let app = TestApp::spawn_with(b, &[("CHAINCHIEF_WEB__TRUSTED_PROXIES", "[\"127.0.0.1\",\"::1\"]")]).await;
        for _ in 0..5 {
            assert_eq!(attempt_from(&app.base, "10.0.0.1", "Wrong-Pass-1").await, 401);
        }
        assert_eq!(
            attempt_from(&app.base, "10.0.0.1", PASSWORD).await,
            401,
            "{b:?}: the guessing address is locked out"
        );
        assert_eq!(attempt_from(&app.base, "10.0.0.9", PASSWORD).await, 200, "{b:?}: the owner elsewhere is not");
        // Guessing spread over three addresses locks the account for everyone.
        for from in ["10.0.0.2", "10.0.0.3"] {
            for _ in 0..5 {
                assert_eq!(attempt_from(&app.base, from, "Wrong-Pass-1").await, 401);
            }
        }
        assert_eq!(attempt_from(&app.base, "10.0.0.9", PASSWORD).await, 401, "{b:?}: locked for everyone");
        let store = app.db.store().await;
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND after_json LIKE '%account_locked%'",
        )
        .fetch_one(store.pool())
        .await
        .expect("count");
        store.close().await;
        assert_eq!(n, 1, "{b:?}: the account lock is audited");
        // The system admin sees it locked and unlocks it.
        assert_eq!(app.unlock_the_locked_account().await, 303, "{b:?}");
        assert_eq!(attempt_from(&app.base, "10.0.0.1", PASSWORD).await, 200, "{b:?}: unlocked everywhere");
    }
}
