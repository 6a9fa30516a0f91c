//! Reports of their own period, redrafted from the data until they are submitted: an earlier
//! month's report quotes that month's figures only; a draft made when the chain was empty is
//! redrafted with the change shown, and the writer's own edits are replaced only when confirmed.

use crate::harness::{backends, created_id, html, last_month};
use crate::second_city::serve_second_city;
use chainchief_domain::period::Month;

#[tokio::test]
async fn an_earlier_months_report_quotes_that_month_only() {
    for b in backends() {
        let app = crate::harness::TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let chain = app.chain_id(&token, "非金属新材料产业链").await;
        let month = Month::parse(&last_month()).expect("month").previous().previous();
        let period = month.to_string();
        let res = c
            .post(format!("{}/dispatch", app.base))
            .form(&[("chain_id", chain.as_str()), ("period", period.as_str()), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("draft");
        assert_eq!(res.status(), 303, "{b:?}");
        let id = created_id(&res, "/dispatch/");
        let page = html(&app, &c, &format!("/dispatch/{id}")).await;
        let (y, m) = (month.year(), month.number());
        let last = month.last_day().format("%-d").to_string();
        assert!(page.contains(&format!("本报告数据截至{y}年{m}月{last}日")), "{b:?}: the text says its date");
        let spans: Vec<u32> =
            page.split(&format!("{y}年1–")).skip(1).filter_map(|rest| rest.split('月').next()?.parse().ok()).collect();
        assert!(spans.contains(&m), "{b:?}: the year to {m} months is quoted: {spans:?}");
        assert!(spans.iter().all(|n| *n <= m), "{b:?}: no later month is quoted: {spans:?}");
    }
}

#[tokio::test]
async fn a_draft_is_redrafted_from_the_data_and_own_edits_are_replaced_only_when_confirmed() {
    for b in backends() {
        let app = serve_second_city(b).await;
        let (c, csrf) = app.web_login("ls-bamboo").await;
        let list = html(&app, &c, "/dispatch").await;
        let report = crate::second_city::links(&list)
            .into_iter()
            .find(|l| l.starts_with("/dispatch/") && l.len() > 20)
            .expect("last month's report, drafted at start");
        let page = html(&app, &c, &report).await;
        assert!(page.contains("本链共0个环节"), "{b:?}: drafted when the chain was empty");
        crate::second_city::add_a_bamboo_node(&app, b).await;

        let compare = html(&app, &c, &format!("{report}/redraft")).await;
        assert!(compare.contains("− 本链共0个环节") && compare.contains("+ 本链共1个环节"), "{b:?}: {compare}");
        assert!(!compare.contains("起草后修改过的内容"), "{b:?}: nothing edited yet");
        let post = |form: Vec<(&'static str, String)>| {
            let mut form = form;
            form.push(("_csrf", csrf.clone()));
            c.post(format!("{}{report}", app.base)).form(&form).send()
        };
        let redraft = |version: &str, replace: bool| {
            let mut form = vec![("action", "redraft".to_string()), ("version", version.to_string())];
            if replace {
                form.push(("replace_edits", "1".into()));
            }
            post(form)
        };
        assert_eq!(redraft("1", false).await.expect("post").status(), 303, "{b:?}");
        let page = html(&app, &c, &report).await;
        assert!(page.contains("本链共1个环节") && !page.contains("本链共0个环节"), "{b:?}: redrafted");

        // The writer adds a line; a redraft now asks before replacing it and changes nothing.
        let body = page
            .split("name=\"body\"")
            .nth(1)
            .and_then(|r| r.split('>').nth(1))
            .and_then(|r| r.split("</textarea").next());
        let body = unescape(body.expect("the text in the editor"));
        let saved =
            post(vec![("action", "save".into()), ("body", format!("{body}\n我们的补充说明")), ("version", "2".into())])
                .await
                .expect("save");
        assert_eq!(saved.status(), 303, "{b:?}");
        // A second writer who read version 2 saves late: a conflict keeps that writer's text.
        let late = post(vec![("action", "save".into()), ("body", "另一位同事的文字".into()), ("version", "2".into())])
            .await
            .expect("save");
        assert_eq!(late.status(), 409, "{b:?}");
        let late = late.text().await.expect("html");
        let editor = late.split("id=\"body\"").nth(1).and_then(|r| r.split("</textarea>").next()).unwrap_or("");
        assert!(editor.contains("另一位同事的文字"), "{b:?}: the late writer's text stays in the editor");
        assert!(
            late.contains("他人已保存的正文") && late.contains("我们的补充说明"),
            "{b:?}: the saved text beside it"
        );
        let refused = redraft("3", false).await.expect("post");
        assert_eq!(refused.status(), 422, "{b:?}");
        let refused = refused.text().await.expect("html");
        assert!(
            refused.contains("替换我的修改") && refused.contains("+ 我们的补充说明") && refused.contains("未重新起草"),
            "{b:?}: the comparison again, with the reason and the edit: {refused}"
        );
        assert!(html(&app, &c, &report).await.contains("我们的补充说明"), "{b:?}: nothing replaced");
        assert_eq!(redraft("3", true).await.expect("post").status(), 303, "{b:?}");
        assert!(!html(&app, &c, &report).await.contains("我们的补充说明"), "{b:?}: replaced once confirmed");

        let submitted = post(vec![("action", "submit".into()), ("version", "4".into())]).await.expect("submit");
        assert_eq!(submitted.status(), 303, "{b:?}");
        let page = html(&app, &c, &report).await;
        assert!(page.contains("县链办未签收") && !page.contains("总链办"), "{b:?}: the office by its plan's name");
        let after = c.get(format!("{}{report}/redraft", app.base)).send().await.expect("get");
        assert_eq!(after.status(), 403, "{b:?}: a submitted report is not redrafted");
    }
}

/// Text as it was before HTML escaping.
fn unescape(html: &str) -> String {
    [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&#39;", "'"), ("&#x2F;", "/"), ("&amp;", "&")]
        .iter()
        .fold(html.to_string(), |t, (from, to)| t.replace(from, to))
}

#[tokio::test]
async fn the_redraft_comparison_and_the_cockpit_in_the_browser() {
    use crate::browser::{body_text, follow, login, screenshot, start};
    let Some(b) = start(1366, 900, false).await else { return };
    let app = crate::harness::TestApp::spawn(crate::harness::Backend::Sqlite).await;
    login(&b, &app, "chain1").await;
    b.client.goto(&format!("{}/dispatch", app.base)).await.expect("dispatch");
    let month = Month::parse(&last_month()).expect("month");
    follow(&b, &format!("非金属新材料产业链{}年{}月工作月报", month.year(), month.number())).await;
    follow(&b, "按最新数据重新起草…").await;
    let text = body_text(&b).await;
    assert!(text.contains("正文的变化") && text.contains("返回，不重新起草"), "{text}");
    screenshot(&b, "dispatch-redraft").await;
    b.client
        .find(fantoccini::Locator::Css("button[value=redraft]"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    b.client.wait().for_element(fantoccini::Locator::Css(".flash")).await.expect("saved");
    assert!(body_text(&b).await.contains("本报告数据截至"), "back on the report, redrafted");

    login(&b, &app, "office").await;
    b.client.goto(&format!("{}/cockpit", app.base)).await.expect("cockpit");
    let text = body_text(&b).await;
    assert!(text.contains(&format!("数据截至{}年{}月", month.year(), month.number())), "{text}");
    assert!(text.contains("完成进度"), "the one ratio is shown");
    screenshot(&b, "cockpit").await;
}
