//! Supply-demand docking through the real binary: a need, capabilities, proposed suppliers with
//! reasons, and a deal that raises the local supporting rate.

use crate::harness::{TestApp, backends, html, option_value_starting};

async fn rate(app: &TestApp, token: &str) -> String {
    let list: serde_json::Value = app.get(token, "/api/v1/indicators").await.json().await.expect("json");
    let r = list.as_array().expect("list").iter().find(|i| i["code"] == "local-supporting-rate").expect("rate");
    r["actual"]["value"].as_str().expect("value").to_string()
}

#[tokio::test]
async fn a_need_is_matched_with_reasons_and_a_deal_raises_the_local_supporting_rate() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let leader = app.token("leader").await;
        assert_eq!(rate(&app, &leader).await, "44.0391", "{b:?}");
        let (c, csrf) = app.web_login("chain4").await;
        let page = html(&app, &c, "/supply").await;
        let sany = option_value_starting(&page, "三一集团");
        let parts = option_value_starting(&page, "汨罗示范结构件");
        let sheet = option_value_starting(&page, "汨罗示范钣金");
        let post = |form: Vec<(&'static str, String)>| {
            let mut form = form;
            form.push(("_csrf", csrf.clone()));
            c.post(format!("{}/supply", app.base)).form(&form).send()
        };
        let need = vec![
            ("kind", "need".into()),
            ("enterprise_id", sany),
            ("part", "结构件".into()),
            ("process", "焊接".into()),
            ("value", "8000".into()),
        ];
        assert_eq!(post(need).await.expect("post").status(), 303, "{b:?}");
        for (e, part) in [(parts.clone(), "结构件"), (sheet, "钣金结构件")] {
            let cap = vec![
                ("kind", "capability".into()),
                ("enterprise_id", e),
                ("part", part.into()),
                ("process", "焊接".into()),
            ];
            assert_eq!(post(cap).await.expect("post").status(), 303, "{b:?}");
        }
        let bad = post(vec![("kind", "need".into()), ("enterprise_id", parts.clone()), ("part", " ".into())])
            .await
            .expect("post");
        assert_eq!(bad.status(), 422, "{b:?}: a need names its part");
        let list = html(&app, &c, "/supply").await;
        let at = list.find("/supply/needs/").expect("need link") + "/supply/needs/".len();
        let need_id: String = list[at..].chars().take_while(|c| *c != '"').collect();
        let need_page = html(&app, &c, &format!("/supply/needs/{need_id}")).await;
        let first = need_page.find("汨罗示范结构件").expect("结构件 proposed");
        let second = need_page.find("汨罗示范钣金").expect("钣金 proposed");
        assert!(first < second && need_page.contains("生产所需零部件“结构件”") && need_page.contains("相近"), "{b:?}");
        let deal = c
            .post(format!("{}/supply/needs/{need_id}/deals", app.base))
            .form(&[
                ("supplier_id", parts.as_str()),
                ("value", "2000"),
                ("signed_on", "2026-01-05"),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await
            .expect("deal");
        assert_eq!(deal.status(), 303, "{b:?}");
        assert_eq!(rate(&app, &leader).await, "45.8185", "{b:?}: (49500 + 2000) ÷ 112400");
        let need_page = html(&app, &c, &format!("/supply/needs/{need_id}")).await;
        assert!(need_page.contains("年供货 2000万元"), "{b:?}: the deal in its unit");
        // An enterprise posts only for itself.
        let (ent, ent_csrf) = app.web_login("ent1").await;
        let other = ent
            .post(format!("{}/supply", app.base))
            .form(&[
                ("kind", "capability"),
                ("enterprise_id", parts.as_str()),
                ("part", "x件"),
                ("_csrf", ent_csrf.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(other.status(), 403, "{b:?}");
    }
}
