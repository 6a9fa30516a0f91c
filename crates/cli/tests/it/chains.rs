//! Chain pages and API: conflicts (409), bad input, escaping, the "five ones".

use crate::harness::{CHAIN1, TestApp, backends};

#[tokio::test]
async fn stale_update_gets_409_with_chinese_message_and_keeps_the_first_save() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let chain1 = app.token("chain1").await;
        let id = app.chain_id(&office, CHAIN1).await;
        let v: serde_json::Value = app.get(&office, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        let read = v["version"].as_i64().expect("version");
        let patch = |token: &str, name: &str| {
            TestApp::browser()
                .patch(format!("{}/api/v1/chains/{id}", app.base))
                .bearer_auth(token)
                .json(&serde_json::json!({"chief_name": name, "version": read}))
                .send()
        };
        assert_eq!(patch(&office, "张三").await.expect("first").status(), 200);
        let second = patch(&chain1, "李四").await.expect("second");
        assert_eq!(second.status(), 409, "{b:?}");
        let body: serde_json::Value = second.json().await.expect("json");
        let msg = body["error"]["message"].as_str().unwrap_or("");
        assert!(msg.contains("该记录已被他人修改") && msg.contains("office") && msg.contains("请刷新后再改"), "{msg}");
        let now: serde_json::Value =
            app.get(&office, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        assert_eq!(now["chief_name"], "张三", "{b:?}: no silent overwrite");

        // The HTML form: a stale save shows the conflict and keeps what the user typed.
        let (c, csrf) = app.web_login("chain1").await;
        let form =
            [("_csrf", csrf.as_str()), ("chief_name", "王五"), ("description", "我刚写的简介"), ("version", "1")];
        let res = c.post(format!("{}/chains/{id}/edit", app.base)).form(&form).send().await.expect("post");
        assert_eq!(res.status(), 409, "{b:?}");
        let html = res.text().await.expect("html");
        assert!(html.contains("该记录已被他人修改（office，") && html.contains("我刚写的简介"), "{b:?}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_named_and_nothing_stored() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let id = app.chain_id(&office, CHAIN1).await;
        let url = format!("{}/api/v1/chains/{id}", app.base);
        let send = |body: String| {
            TestApp::browser()
                .patch(&url)
                .bearer_auth(&office)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let long = "长".repeat(41);
        let cases = [
            (format!("{{\"chief_name\": \"{long}\", \"version\": 1}}"), 422, "链长姓名最多40个字"),
            ("{\"chief_name\": 5, \"version\": 1}".to_string(), 400, "请求体无效"),
            ("{\"chief_name\": \"张三\"}".to_string(), 400, "version"),
            ("{\"chief_name\": \"张三\", \"version\": 1, \"extra\": 1}".to_string(), 400, "extra"),
            ("not json".to_string(), 400, "请求体无效"),
        ];
        for (body, status, needle) in cases {
            let res = send(body.clone()).await.expect("patch");
            assert_eq!(res.status().as_u16(), status, "{b:?}: {body}");
            let j: serde_json::Value = res.json().await.expect("json");
            let text = j.to_string();
            assert!(text.contains(needle), "{b:?}: {body} → {text}");
        }
        let unknown = TestApp::browser()
            .patch(format!("{}/api/v1/chains/0190a3b2-0000-7000-8000-000000000000", app.base))
            .bearer_auth(&office)
            .json(&serde_json::json!({"chief_name": "x", "version": 1}))
            .send()
            .await
            .expect("patch");
        assert_eq!(unknown.status(), 404);
        assert_eq!(app.get(&office, "/api/v1/chains/not-an-id").await.status(), 404);
        let v: serde_json::Value = app.get(&office, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        assert_eq!(v["version"], 1, "{b:?}: nothing stored");

        // Script in a text field is stored as text and shown escaped.
        let script = "<script>alert(1)</script>";
        let ok = TestApp::browser()
            .patch(&url)
            .bearer_auth(&office)
            .json(&serde_json::json!({"description": script, "version": 1}))
            .send()
            .await
            .expect("patch");
        assert_eq!(ok.status(), 200);
        let page = app.get(&office, &format!("/chains/{id}")).await.text().await.expect("html");
        assert!(!page.contains(script) && page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{b:?}: escaped");
    }
}

#[tokio::test]
async fn chain_office_records_a_five_ones_item_with_evidence() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let id = app.chain_id(&token, CHAIN1).await;
        let url = format!("{}/chains/{id}/five-ones/think_tank", app.base);
        let missing = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("present", "1"), ("evidence", ""), ("version", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(missing.status(), 422, "{b:?}: present without evidence");
        assert!(missing.text().await.expect("html").contains("请填写佐证材料"));
        let ok = c
            .post(&url)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("present", "1"),
                ("evidence", "汨产链发〔2022〕3号 聘请专家名单"),
                ("version", "1"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        let v: serde_json::Value = app.get(&token, &format!("/api/v1/chains/{id}")).await.json().await.expect("json");
        let item =
            v["five_ones"].as_array().expect("list").iter().find(|f| f["item"] == "think_tank").cloned().expect("item");
        assert_eq!(item["present"], true);
        let stale = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("evidence", "x"), ("version", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(stale.status(), 409, "{b:?}: stale five-ones save");
    }
}
