//! Innovation in the browser: the general office records a consortium with its leader, lists a
//! key technology worked on by it, and finds the consortium on the chain map's layer and the
//! technology's stages in the bundle's 技术路线图.

use crate::browser::{body_text, follow, login, screenshot, start};
use crate::harness::{Backend, CHAIN1, TestApp};
use fantoccini::Locator;

async fn choose(b: &crate::browser::Browser, select: &str, label: &str) {
    b.client
        .find(Locator::XPath(&format!("//select[@id='{select}']/option[normalize-space(.)='{label}']")))
        .await
        .unwrap_or_else(|e| panic!("{select} {label}: {e}"))
        .click()
        .await
        .expect("choose");
}

async fn type_in(b: &crate::browser::Browser, id: &str, text: &str) {
    b.client.find(Locator::Id(id)).await.expect(id).send_keys(text).await.expect("type");
}

async fn press(b: &crate::browser::Browser, label: &str) {
    let c = &b.client;
    c.find(Locator::XPath(&format!("//button[text()='{label}']"))).await.expect(label).click().await.expect("click");
    c.wait().for_element(Locator::Css(".flash")).await.expect("saved");
}

#[tokio::test]
async fn the_office_adds_a_key_technology_with_a_consortium_seen_on_the_map_layer_and_the_roadmap() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = &b.client;
    login(&b, &app, "office").await;
    follow(&b, "创新资源").await;
    follow(&b, "创新联合体与联盟").await;
    c.find(Locator::XPath("//summary[h2[contains(., '登记创新联合体与联盟')]]"))
        .await
        .expect("form")
        .click()
        .await
        .expect("open");
    type_in(&b, "name", "碳基新材料创新联合体").await;
    choose(&b, "chain_id", CHAIN1).await;
    choose(&b, "host_enterprise_id", "鑫祥碳素（示范企业）").await;
    type_in(&b, "purpose", "负极材料用碳素关键技术").await;
    press(&b, "登记").await;
    choose(&b, "m-enterprise", "鑫祥碳素（示范企业）").await;
    choose(&b, "m-role", "牵头").await;
    press(&b, "增加成员").await;
    type_in(&b, "m-name", "湘潭大学").await;
    choose(&b, "m-type", "高校").await;
    choose(&b, "m-role", "产学研").await;
    press(&b, "增加成员").await;
    let page = body_text(&b).await;
    assert!(page.contains("成员（2）") && page.contains("湘潭大学"), "{page}");

    c.goto(&format!("{}/innovation/technologies", app.base)).await.expect("the key-technology list");
    c.find(Locator::XPath("//summary[h2[contains(., '列入攻关清单')]]"))
        .await
        .expect("form")
        .click()
        .await
        .expect("open");
    type_in(&b, "t-name", "硅碳负极材料制备").await;
    choose(&b, "t-chain", CHAIN1).await;
    choose(&b, "t-node", "碳素制品").await;
    choose(&b, "t-owner", "鑫祥碳素（示范企业）").await;
    type_in(&b, "t-partners", "湘潭大学、中南大学").await;
    choose(&b, "t-consortium", "碳基新材料创新联合体").await;
    choose(&b, "t-stage", "揭榜遴选").await;
    type_in(&b, "t-year", "2027").await;
    press(&b, "列入清单").await;
    let stages = c.find(Locator::Css("ol.stages li.current")).await.expect("stage").text().await.expect("text");
    assert!(stages.contains("揭榜遴选"), "{stages}");
    screenshot(&b, "innovation-technology").await;

    follow(&b, "产业链").await;
    follow(&b, CHAIN1).await;
    follow(&b, "全景图").await;
    follow(&b, "显示创新联合体图层").await;
    let map = c.find(Locator::Css(".map-frame svg")).await.expect("map").html(false).await.expect("svg");
    assert!(map.contains("牵头·碳基新材料创新联合体"), "the consortium on its leader's node");
    screenshot(&b, "map-innovation-layer").await;

    // The bundle's 技术路线图 (as PDF, whose pictures keep their text) shows the technology on its
    // node with its stage, and lists it with the day the stage was reached.
    let (web, _) = app.web_login("office").await;
    let chain = app.chain_id(&app.token("office").await, CHAIN1).await;
    let pdf = web.get(format!("{}/chains/{chain}/bundle?format=pdf", app.base)).send().await.expect("bundle");
    let file = app.db.dir.path().join("bundle.pdf");
    std::fs::write(&file, pdf.bytes().await.expect("bytes")).expect("write");
    let words = crate::reports::text_of_pdf(&file);
    let today = crate::harness::today().format("%Y-%m-%d").to_string();
    assert!(
        words.contains("硅碳负极材料制备·揭榜遴选"),
        "the technology on its node in the roadmap's picture: {words}"
    );
    // Table cells wrap in the PDF, so the list is read as the day the stage was reached after its caption.
    let list = &words[words.find("关键核心技术攻关清单").expect("the list")..];
    assert!(list.contains("硅碳负极材料制备") && list.contains(&today), "the stage with its day in the list: {list}");
}
