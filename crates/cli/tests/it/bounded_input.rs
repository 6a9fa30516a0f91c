//! Inputs that are bounded everywhere: no form field carries NUL, a bidirectional override or more
//! than 20,000 characters (refused with a Chinese message, nothing stored, on both databases); a
//! page number of any size answers a page, not a 500.

use crate::harness::{TestApp, backends};

#[tokio::test]
async fn hidden_characters_and_endless_text_are_refused_and_store_nothing() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (ent, csrf) = app.web_login("ent1").await;
        let count = || async {
            let store = app.db.store().await;
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM problems").fetch_one(store.pool()).await.expect("n");
            store.close().await;
            n
        };
        let before = count().await;
        let long = "长".repeat(100_000);
        for (title, detail, why) in [
            ("用电\0增容", "说明", "不可见的控制字符"),
            ("示范\u{202E}企业", "说明", "不可见的控制字符"),
            ("用电增容", long.as_str(), "过长"),
        ] {
            let res = ent
                .post(format!("{}/problems", app.base))
                .form(&[("title", title), ("detail", detail), ("_csrf", csrf.as_str())])
                .send()
                .await
                .expect("raise");
            assert_eq!(res.status(), 422, "{b:?}: {why}");
            assert!(res.text().await.expect("html").contains(why), "{b:?}: says {why}");
        }
        assert_eq!(count().await, before, "{b:?}: nothing stored");
    }
}

#[tokio::test]
async fn a_page_number_of_any_size_answers_a_page_or_names_the_field() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        assert_eq!(app.get(&office, "/enterprises?page=9223372036854775807").await.status(), 200, "{b:?}");
        // The API refuses what its document says is out of range, naming the parameter.
        for (query, field) in
            [("page=9223372036854775807", "page"), ("per_page=0", "per_page"), ("per_page=201", "per_page")]
        {
            let res = app.get(&office, &format!("/api/v1/enterprises?{query}")).await;
            assert_eq!(res.status(), 422, "{b:?}: {query}");
            let body: serde_json::Value = res.json().await.expect("json");
            assert_eq!(body["error"]["fields"][0]["field"], field, "{b:?}: {query}");
        }
        let auditor = app.token("auditor").await;
        assert_eq!(app.get(&auditor, "/audit?page=9223372036854775807").await.status(), 200, "{b:?}");
    }
}
