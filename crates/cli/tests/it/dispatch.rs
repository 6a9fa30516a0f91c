//! Monthly reports through the real binary and the browser: drafted from the data, edited,
//! submitted once, acknowledged by the chain chief and the general office.

use crate::browser::{body_text, follow, login, screenshot, start};
use crate::harness::{Backend, TestApp, backends, created_id, html, linked_id};
use fantoccini::Locator;

#[tokio::test]
async fn a_monthly_report_is_drafted_from_data_submitted_once_and_acknowledged() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let chain = app.chain_id(&token, "非金属新材料产业链").await;
        let period = crate::harness::last_month();
        // Last month's report is already drafted when the office comes to it.
        let list = html(&app, &c, "/dispatch").await;
        let (y, m) = (&period[..4], period[5..].trim_start_matches('0'));
        let id = linked_id(&list, "/dispatch/", &format!("非金属新材料产业链{y}年{m}月工作月报"));
        assert!(list.contains("系统已起草，待修改提交"), "{b:?}");
        let again = c
            .post(format!("{}/dispatch", app.base))
            .form(&[("chain_id", chain.as_str()), ("period", period.as_str()), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("draft");
        assert_eq!(again.status(), 422, "{b:?}: one report per chain and month");
        let earlier = c
            .post(format!("{}/dispatch", app.base))
            .form(&[("chain_id", chain.as_str()), ("period", "2025-01"), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("draft");
        assert_eq!(earlier.status(), 303, "{b:?}: an earlier month is drafted by hand");
        let page = html(&app, &c, &format!("/dispatch/{id}")).await;
        assert!(
            page.contains("高分子材料再生塑料年产量") && page.contains("一、目标指标完成情况") && page.contains("空白"),
            "{b:?}: drafted from the data"
        );
        let act = |action: &'static str, version: &'static str| {
            c.post(format!("{}/dispatch/{id}", app.base))
                .form(&[
                    ("action", action),
                    ("body", "一、目标指标完成情况\n本月再生塑料产量稳步增长。"),
                    ("version", version),
                    ("_csrf", csrf.as_str()),
                ])
                .send()
        };
        assert_eq!(act("save", "1").await.expect("post").status(), 303, "{b:?}");
        assert_eq!(act("save", "1").await.expect("post").status(), 409, "{b:?}: stale");
        assert_eq!(act("submit", "2").await.expect("post").status(), 303, "{b:?}");
        assert_eq!(act("submit", "3").await.expect("post").status(), 422, "{b:?}: submitted once");
        let (other, other_csrf) = app.web_login("chief1").await;
        let ack = other
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "office_ack"), ("version", "3"), ("_csrf", other_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(ack.status(), 403, "{b:?}: the chief acknowledges as the chief only");
        let chief = other
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "chief_ack"), ("version", "3"), ("_csrf", other_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(chief.status(), 303, "{b:?}");
        let (chain2, _) = app.web_login("chain2").await;
        assert_eq!(chain2.get(format!("{}/dispatch/{id}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
        let done = html(&app, &c, "/dispatch").await;
        assert!(done.contains("链长已签收（非金属新材料产业链链长") && done.contains("总链办未签收"), "{b:?}");
    }
}

#[tokio::test]
async fn chain1_edits_and_submits_its_monthly_report_and_chief1_acknowledges_it() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "chain1").await;
    assert!(body_text(&b).await.contains("工作月报尚未提交"), "chain1 is reminded of its report");
    follow(&b, "月报与调度").await;
    b.client
        .find(Locator::XPath(
            "//td[@data-label='报告']/a[contains(., '非金属新材料产业链') and contains(., '月工作月报')]",
        ))
        .await
        .expect("last month's report, drafted")
        .click()
        .await
        .expect("click");
    // The text is edited as a page: a new paragraph made a heading is numbered after the draft's seven.
    let field = b.client.find(Locator::Id("body")).await.expect("text field");
    assert!(!field.is_displayed().await.expect("displayed"), "the plain field gives way to the editor");
    let page = b.client.find(Locator::Css(".doc-editor")).await.expect("editor");
    page.send_keys("\n其他工作").await.expect("type");
    b.client.find(Locator::XPath("//button[text()='一级标题']")).await.expect("h1").click().await.expect("click");
    page.send_keys("\n本月召开链长调度会一次。").await.expect("type");
    let heading = b.client.find(Locator::XPath("//div[@class='doc-editor']/p[@class='doc-h1'][last()]")).await;
    assert_eq!(heading.expect("heading").text().await.expect("text"), "八、其他工作");
    b.client.find(Locator::XPath("//button[text()='保存']")).await.expect("save").click().await.expect("click");
    b.client.wait().for_element(Locator::Css(".flash")).await.expect("saved");
    let saved = b.client.find(Locator::XPath("//article//h2[text()='八、其他工作']")).await;
    assert!(saved.is_ok(), "the heading is saved as a heading");
    screenshot(&b, "dispatch-edit").await;
    b.client
        .find(Locator::XPath("//button[text()='提交链长和总链办']"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    b.client.wait().for_element(Locator::Css("article.report")).await.expect("submitted");
    assert!(body_text(&b).await.contains("本月召开链长调度会一次"));
    login(&b, &app, "chief1").await;
    follow(&b, "月报与调度").await;
    b.client.find(Locator::Css("td[data-label='报告'] a")).await.expect("report").click().await.expect("click");
    b.client.find(Locator::XPath("//button[text()='链长签收']")).await.expect("ack").click().await.expect("click");
    b.client.wait().for_element(Locator::Css(".flash")).await.expect("acknowledged");
    let text = body_text(&b).await;
    assert!(text.contains("链长已签收（非金属新材料产业链链长"), "{text}");
    screenshot(&b, "dispatch-acknowledged").await;
}

#[tokio::test]
async fn the_quarterly_report_goes_from_the_general_office_to_the_city_leaders() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let quarter = crate::harness::last_quarter();
        let draft = |q: String| {
            c.post(format!("{}/dispatch/quarterly", app.base)).form(&[("quarter", q), ("_csrf", csrf.clone())]).send()
        };
        assert_eq!(draft(format!("{}-Q5", &quarter[..4])).await.expect("post").status(), 422, "{b:?}");
        assert_eq!(draft(quarter.clone()).await.expect("post").status(), 422, "{b:?}: already drafted");
        let title = format!("{}年第{}季度工作报告", &quarter[..4], &quarter[6..]);
        let id = linked_id(&html(&app, &c, "/dispatch").await, "/dispatch/", &format!("汨罗市产业链链长制{title}"));
        let page = html(&app, &c, &format!("/dispatch/{id}")).await;
        assert!(page.contains("二、各产业链月报") && page.contains("项目集中签约"), "{b:?}");
        let submit = c
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "submit"), ("version", "1"), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(submit.status(), 303, "{b:?}");
        let (leader, leader_csrf) = app.web_login("leader").await;
        let ack = leader
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "chief_ack"), ("version", "2"), ("_csrf", leader_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(ack.status(), 303, "{b:?}");
        assert!(
            html(&app, &leader, &format!("/dispatch/{id}")).await.contains("市领导已签收（市长（总链长）"),
            "{b:?}"
        );
        let (chain1, _) = app.web_login("chain1").await;
        assert_eq!(chain1.get(format!("{}/dispatch/{id}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
    }
}

#[tokio::test]
async fn a_special_report_goes_to_the_chief_and_the_general_office() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let chain = app.chain_id(&app.token("chain1").await, "非金属新材料产业链").await;
        let post = |title: &'static str| {
            c.post(format!("{}/dispatch/special", app.base))
                .form(&[
                    ("chain_id", chain.as_str()),
                    ("title", title),
                    ("body", "以商招商引进再生塑料项目三个。"),
                    ("_csrf", csrf.as_str()),
                ])
                .send()
        };
        assert_eq!(post(" ").await.expect("post").status(), 422, "{b:?}: a title is required");
        let made = post("以商招商的做法").await.expect("post");
        assert_eq!(made.status(), 303, "{b:?}");
        let id = created_id(&made, "/dispatch/");
        let submit = c
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "submit"), ("version", "1"), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(submit.status(), 303, "{b:?}");
        let (office, office_csrf) = app.web_login("office").await;
        let ack = office
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "office_ack"), ("version", "2"), ("_csrf", office_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(ack.status(), 303, "{b:?}");
        assert!(html(&app, &office, "/dispatch").await.contains("专报：以商招商的做法"), "{b:?}");
        let (chain2, chain2_csrf) = app.web_login("chain2").await;
        let other = chain2
            .post(format!("{}/dispatch/special", app.base))
            .form(&[("chain_id", chain.as_str()), ("title", "x"), ("body", "y"), ("_csrf", chain2_csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(other.status(), 403, "{b:?}");
    }
}

#[tokio::test]
async fn tables_and_figures_are_moved_in_the_editor_of_a_year_end_report() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "chain1").await;
    follow(&b, "月报与调度").await;
    let c = &b.client;
    c.find(Locator::XPath("//summary[contains(., '起草年度报告')]"))
        .await
        .expect("details")
        .click()
        .await
        .expect("open");
    c.find(Locator::XPath("//form[@action='/dispatch/yearend']//button"))
        .await
        .expect("draft")
        .click()
        .await
        .expect("click");
    c.wait().for_element(Locator::Css(".doc-editor")).await.expect("editor");
    let inserts = || async { c.find_all(Locator::Css(".doc-editor .doc-insert")).await.expect("inserts").len() };
    let n = inserts().await;
    assert!(n >= 3, "the draft places its tables and figures: {n}");
    // The map is removed from where the draft put it and placed again after the first paragraph.
    c.find(Locator::Css("button[aria-label='移除图1 产业链现状图']"))
        .await
        .expect("remove")
        .click()
        .await
        .expect("click");
    assert_eq!(inserts().await, n - 1);
    c.find(Locator::XPath("//div[@class='doc-editor']/p[@class='doc-p'][1]"))
        .await
        .expect("paragraph")
        .click()
        .await
        .expect("click");
    let pick = c.find(Locator::Css("select[aria-label='插入表或图']")).await.expect("insert list");
    pick.select_by_value("图1 产业链现状图").await.expect("select");
    assert_eq!(inserts().await, n);
    let field = c.find(Locator::Id("body")).await.expect("field");
    let text = field.prop("value").await.expect("value").unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == "【插入：图1 产业链现状图】").expect("the map's line");
    assert!(
        at > 0 && !lines[at - 1].is_empty() && !lines[at - 1].starts_with('【'),
        "placed after a paragraph: {text}"
    );
    c.find(Locator::XPath("//button[text()='保存']")).await.expect("save").click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("saved");
    assert!(
        c.find(Locator::XPath("//article//figcaption[text()='图1 产业链现状图']")).await.is_ok(),
        "the map in the preview"
    );
    screenshot(&b, "dispatch-yearend-editor").await;
}
