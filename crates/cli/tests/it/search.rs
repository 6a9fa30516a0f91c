//! The search box through the real binary: names, short names and pinyin initials (full-width too)
//! find enterprises, targets, tasks and problems; each user finds only what they may open.

use crate::browser::{body_text, login, screenshot, start};
use crate::harness::{Backend, TestApp, backends, html};
use fantoccini::Locator;

/// The rows of a results page as (category, name) pairs.
fn results(page: &str) -> Vec<(String, String)> {
    page.split("<td data-label=\"类别\"><span class=\"tag grey\">")
        .skip(1)
        .map(|row| {
            let kind = row.split('<').next().unwrap_or_default().to_string();
            let name = row.split("\">").nth(2).and_then(|x| x.split("</a>").next()).unwrap_or_default().to_string();
            (kind, name)
        })
        .collect()
}

#[tokio::test]
async fn one_box_finds_what_the_user_may_open() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, _) = app.web_login("office").await;
        assert!(html(&app, &office, "/").await.contains("action=\"/search\""), "{b:?}: the box is in the top bar");
        let search = |c: &reqwest::Client, q: &str| {
            let request = c.get(format!("{}/search", app.base)).query(&[("q", q)]);
            async move { request.send().await.expect("get") }
        };
        let page = search(&office, "江西示范").await.text().await.expect("html");
        let found = results(&page);
        assert!(found.iter().any(|(k, n)| k == "招商目标" && n.contains("江西示范铜业")), "{b:?}: {found:?}");
        assert!(found.iter().any(|(k, n)| k == "企业" && n.contains("江西示范铜业")), "{b:?}: {found:?}");
        for q in ["jxsf", "ＪＸＳＦ", " JxSf "] {
            let page = search(&office, q).await.text().await.expect("html");
            assert!(results(&page).iter().any(|(_, n)| n.contains("江西示范铜业")), "{b:?}: initials {q}");
        }
        let page = search(&office, "阴极铜").await.text().await.expect("html");
        assert!(results(&page).contains(&("环节".into(), "电解/阴极铜".into())), "{b:?}: a link by its products");
        let page = search(&office, "精准招商").await.text().await.expect("html");
        assert_eq!(results(&page).first(), Some(&("任务".into(), "3.1.2 精准招商".into())), "{b:?}");
        let page = search(&office, "污水").await.text().await.expect("html");
        assert!(results(&page).contains(&("问题".into(), "再生塑料产业园污水管网未接通".into())), "{b:?}");
        let none = search(&office, "不存在的名称").await.text().await.expect("html");
        assert!(results(&none).is_empty() && none.contains("没有找到"), "{b:?}");
        // Scope: another chain's office does not find the problem, nor an enterprise its targets.
        let (chain2, _) = app.web_login("chain2").await;
        let page = search(&chain2, "污水").await.text().await.expect("html");
        assert!(!results(&page).iter().any(|(k, _)| k == "问题"), "{b:?}: {:?}", results(&page));
        let (ent1, _) = app.web_login("ent1").await;
        let page = search(&ent1, "江西示范").await.text().await.expect("html");
        assert!(results(&page).is_empty(), "{b:?}: {:?}", results(&page));
        // Bad input and roles.
        let long = search(&office, &"铜".repeat(51)).await;
        assert_eq!(long.status(), 422, "{b:?}");
        assert!(long.text().await.expect("html").contains("搜索词最多50个字"), "{b:?}");
        let (admin, _) = app.web_login("admin").await;
        assert_eq!(search(&admin, "铜").await.status(), 403, "{b:?}");
    }
}

#[tokio::test]
async fn the_box_in_the_top_bar_takes_pinyin_initials() {
    let Some(b) = start(1280, 900, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "office").await;
    let field = b.client.find(Locator::Id("site-search")).await.expect("search box");
    field.send_keys("tlsf\u{E007}").await.expect("type and press Enter");
    b.client.wait().for_element(Locator::Css("td[data-label='类别']")).await.expect("results");
    let text = body_text(&b).await;
    assert!(text.contains("铜陵示范有色") && text.contains("招商目标"), "{text}");
    screenshot(&b, "search").await;
}
