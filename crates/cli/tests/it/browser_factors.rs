//! Factor requests in the browser, phone first: an enterprise raises a financing request from its
//! workspace, the chain's lead bank grants part of it, the enterprise rates the answer, and the
//! general office finds it in the unit and bank summaries. Screenshots of the workspace at 390 and
//! 1440 wide.

use crate::browser::{Browser, body_text, follow, login, screenshot, start};
use crate::harness::{Backend, TestApp};
use fantoccini::Locator;

async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

async fn type_in(b: &Browser, id: &str, text: &str) {
    b.client.find(Locator::Id(id)).await.expect(id).send_keys(text).await.expect("type");
}

async fn submit(b: &Browser, label: &str) {
    let c = &b.client;
    c.find(Locator::XPath(&format!("//button[text()='{label}']"))).await.expect(label).click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("saved");
}

#[tokio::test]
async fn an_enterprise_asks_its_lead_bank_for_a_loan_gets_part_of_it_rates_it_and_the_office_sees_it() {
    let Some(b) = start(390, 844, true).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = &b.client;

    login(&b, &app, "ent1").await;
    let url = c.current_url().await.expect("url");
    assert!(url.path().ends_with("/my"), "an enterprise lands on its workspace: {url}");
    screenshot(&b, "workspace-390").await;
    click(&b, "#kind option[value='financing']").await;
    type_in(&b, "title", "再生颗粒仓储扩建贷款").await;
    type_in(&b, "asked", "800").await;
    type_in(&b, "detail", "新建原料仓库，需中长期贷款。").await;
    submit(&b, "提交诉求").await;
    let page = body_text(&b).await;
    assert!(page.contains("办理中") && page.contains("800万元"), "{page}");

    login(&b, &app, "bank1").await;
    c.goto(&format!("{}/requests?kind=financing", app.base)).await.expect("list");
    follow(&b, "再生颗粒仓储扩建贷款").await;
    click(&b, "input[name=outcome][value=partly]").await;
    type_in(&b, "granted", "500").await;
    type_in(&b, "reason", "按抵押物评估值核定500万元，其余待二期竣工后评估。").await;
    submit(&b, "提交答复").await;
    let page = body_text(&b).await;
    assert!(page.contains("部分满足：500万元"), "{page}");

    login(&b, &app, "ent1").await;
    let page = body_text(&b).await;
    assert!(page.contains("待评价"), "the workspace shows the answer waiting for a rating: {page}");
    follow(&b, "再生颗粒仓储扩建贷款").await;
    click(&b, "input[name=rating][value=basic]").await;
    type_in(&b, "comment", "放款快，额度偏低。").await;
    submit(&b, "提交评价").await;
    assert!(body_text(&b).await.contains("基本满意"), "rated");

    login(&b, &app, "office").await;
    c.goto(&format!("{}/requests", app.base)).await.expect("list");
    let page = body_text(&b).await;
    assert!(page.contains("按承办单位") && page.contains("汨罗市人民政府金融工作办公室"), "{page}");
    c.goto(&format!("{}/finance", app.base)).await.expect("banks");
    let page = body_text(&b).await;
    // The demo's 2,000万元 and these 500万元 of the 5亿元 line.
    assert!(page.contains("2500万元") && page.contains("占额度 5.0%"), "{page}");
    drop(b);

    let Some(wide) = start(1440, 1000, false).await else { return };
    login(&wide, &app, "ent1").await;
    screenshot(&wide, "workspace-1440").await;
    assert!(body_text(&wide).await.contains("再生颗粒仓储扩建贷款"), "the request on the wide workspace");
}
