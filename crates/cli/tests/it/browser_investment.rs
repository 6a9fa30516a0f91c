//! Investment promotion in the browser: from the copper gap to a recommended target, a signed
//! project and a signing ceremony that counts toward the plan's signing quota.

use crate::browser::{body_text, follow, login, screenshot, start};
use crate::harness::{Backend, TestApp};
use fantoccini::Locator;

#[tokio::test]
async fn from_the_copper_gap_to_a_signed_project_counted_in_the_quota() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = &b.client;
    login(&b, &app, "chain3").await;
    follow(&b, "产业链").await;
    follow(&b, "有色金属新材料产业链").await;
    follow(&b, "现状图与缺口").await;
    c.find(Locator::XPath("//section[h2[starts-with(., '补链')]]//a[text()='电解/阴极铜']"))
        .await
        .expect("the copper gap")
        .click()
        .await
        .expect("click");
    let ranked = c.find(Locator::Css("ol.ranked")).await.expect("recommendations").text().await.expect("text");
    assert!(ranked.contains("可填补本环节") && ranked.contains("以商招商"), "reasons are shown: {ranked}");
    screenshot(&b, "investment-recommend").await;
    let first = c.find(Locator::Css("ol.ranked > li > a")).await.expect("first target");
    let name = first.text().await.expect("name");
    first.click().await.expect("click");
    c.wait().for_element(Locator::Css("form[action$='/contacts']")).await.expect("target page");
    c.find(Locator::Id("summary"))
        .await
        .expect("summary")
        .send_keys("赴企业总部洽谈电解铜项目落地")
        .await
        .expect("type");
    c.find(Locator::XPath("//button[text()='记录对接']")).await.expect("button").click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("saved");
    assert!(body_text(&b).await.contains("赴企业总部洽谈"), "the contact is on the timeline");
    c.find(Locator::Id("planned")).await.expect("planned").send_keys("50000").await.expect("type");
    c.find(Locator::XPath("//button[text()='立项']")).await.expect("button").click().await.expect("click");
    c.wait().for_element(Locator::Css("ol.stages")).await.expect("project page");

    // 签约 without the signed amount is refused, naming the field.
    c.find(Locator::Css("select#to option[value='signed']")).await.expect("option").click().await.expect("choose");
    c.find(Locator::XPath("//button[text()='推进']")).await.expect("button").click().await.expect("click");
    let refused = c.find(Locator::Css(".error-summary")).await.expect("errors").text().await.expect("text");
    assert!(refused.contains("签约金额"), "{refused}");
    let today = crate::harness::today().format("%Y-%m-%d").to_string();
    c.find(Locator::Css("select#to option[value='signed']")).await.expect("option").click().await.expect("choose");
    c.find(Locator::Id("signed")).await.expect("signed").send_keys("48000").await.expect("type");
    let on = c.find(Locator::Id("signed_on")).await.expect("date");
    on.clear().await.expect("clear");
    on.send_keys(&today).await.expect("type");
    c.find(Locator::XPath("//button[text()='推进']")).await.expect("button").click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("moved");
    let page = body_text(&b).await;
    assert!(page.contains("当前阶段：签约") && page.contains("由“线索”到“签约”"), "{page}");
    screenshot(&b, "investment-project").await;

    follow(&b, "活动与任务量").await;
    c.find(Locator::Css("select#kind option[value='signing']")).await.expect("kind").click().await.expect("choose");
    c.find(Locator::Id("title")).await.expect("title").send_keys("第一批重点项目集中签约").await.expect("type");
    c.find(Locator::XPath(&format!("//label[contains(., '{name}')]/input")))
        .await
        .expect("project box")
        .click()
        .await
        .expect("tick");
    c.find(Locator::XPath("//button[text()='登记']")).await.expect("button").click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("created");
    let row = c
        .find(Locator::XPath("//tr[td[@data-label='任务' and text()='项目集中签约']]/td[@data-label='已完成']"))
        .await
        .expect("signing quota")
        .text()
        .await
        .expect("text");
    assert_eq!(row, "1次", "the signing ceremony counts toward the quota");
    screenshot(&b, "investment-quotas").await;
}
