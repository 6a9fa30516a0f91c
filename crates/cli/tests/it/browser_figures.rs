//! Monthly figures in the browser: an enterprise enters its month, the chain office finds it in
//! the cockpit's drill-down with who entered it and how; the cockpits and the reporting page.

use crate::browser::{body_text, follow, login, screenshot, start};
use crate::harness::{Backend, TestApp};
use fantoccini::Locator;

#[tokio::test]
async fn an_enterprise_month_reaches_the_chain_cockpit_drill_down_with_provenance() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "ent1").await;
    let home = body_text(&b).await;
    assert!(home.contains("待办提醒") && home.contains("同力"), "ent1 is reminded of its month: {home}");
    follow(&b, "数据填报").await;
    let period = b
        .client
        .find(Locator::Css("input[name=period]"))
        .await
        .expect("period")
        .attr("value")
        .await
        .expect("attr")
        .expect("value");
    let input = b
        .client
        .find(Locator::XPath("//tr[td/label[text()='企业再生塑料产量']]//input[starts-with(@name, 'v:')]"))
        .await
        .expect("recycled plastic input");
    input.clear().await.expect("clear");
    input.send_keys("1234.5").await.expect("type");
    screenshot(&b, "figures-entry").await;
    b.client.find(Locator::XPath("//button[text()='保存']")).await.expect("save").click().await.expect("click");
    b.client.wait().for_element(Locator::Css(".flash")).await.expect("saved");
    let saved = body_text(&b).await;
    assert!(saved.contains("已保存") && saved.contains("同力（示范企业） · "), "{saved}");

    login(&b, &app, "chain1").await;
    follow(&b, "产业链").await;
    follow(&b, "非金属新材料产业链").await;
    let tab = b.client.find(Locator::XPath("//nav[@class='tabs']/a[text()='驾驶舱']")).await.expect("cockpit tab");
    let href = tab.attr("href").await.expect("attr").expect("href");
    b.client.goto(&format!("{}{href}", app.base)).await.expect("chain cockpit");
    let cockpit = body_text(&b).await;
    assert!(cockpit.contains("高分子材料再生塑料年产量") && cockpit.contains("预测"), "{cockpit}");
    screenshot(&b, "cockpit-chain").await;
    follow(&b, "高分子材料再生塑料年产量").await;
    follow(&b, &period).await;
    let row = b
        .client
        .find(Locator::XPath("//section[@id='entries']//tr[td/a[contains(text(), '同力')]]"))
        .await
        .expect("同力 among the month's entries")
        .text()
        .await
        .expect("text");
    assert!(row.contains("1234.5") && row.contains("同力（示范企业） · ") && row.contains("页面填报"), "{row}");
    screenshot(&b, "cockpit-drill-down").await;

    b.client.goto(&format!("{}/figures/status", app.base)).await.expect("status page");
    let status = body_text(&b).await;
    assert!(status.contains("逾期未报") || status.contains("未报"), "{status}");
    screenshot(&b, "figures-status").await;

    login(&b, &app, "leader").await;
    follow(&b, "驾驶舱").await;
    let city = body_text(&b).await;
    assert!(city.contains("预警清单") && city.contains("电子信息产业年产值"), "{city}");
    screenshot(&b, "cockpit-city").await;
}
