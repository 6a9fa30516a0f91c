//! Meetings and action items through the real binary: decisions become items of units with
//! deadlines, closed by the unit with how; bad input stores nothing.

use crate::harness::{TestApp, backends, html, option_value};

#[tokio::test]
async fn decisions_become_action_items_that_the_unit_closes() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let page = html(&app, &c, "/meetings").await;
        let gxq = option_value(&page, "汨罗高新技术产业开发区管理委员会");
        let today = crate::harness::today();
        let day = |d: i64| (today + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
        let post = |held: String, deadline: String| {
            let form = vec![
                ("kind", "onsite".to_string()),
                ("title", "再生塑料产业园现场办公会".into()),
                ("held_on", held),
                ("chair", "分管副市长".into()),
                ("item_1", "三个月内接通东区污水管网".into()),
                ("unit_1", gxq.clone()),
                ("deadline_1", deadline),
                ("_csrf", csrf.clone()),
            ];
            c.post(format!("{}/meetings", app.base)).form(&form).send()
        };
        assert_eq!(post(day(3), day(30)).await.expect("post").status(), 422, "{b:?}: a meeting not yet held");
        assert_eq!(post(day(0), day(-5)).await.expect("post").status(), 422, "{b:?}: a deadline before the meeting");
        assert_eq!(post(day(0), day(2)).await.expect("post").status(), 303, "{b:?}");
        let (unit, unit_csrf) = app.web_login("unit-gxq").await;
        let seen = html(&app, &unit, "/meetings").await;
        assert!(
            seen.contains("三个月内接通东区污水管网") && seen.contains("临期"),
            "{b:?}: the unit sees its item, yellow two days ahead"
        );
        let at = seen.find("/meetings/items/").expect("close form") + "/meetings/items/".len();
        let item: String = seen[at..].chars().take_while(|c| *c != '"').collect();
        let close = |client: &reqwest::Client, csrf: &str, note: &str| {
            client
                .post(format!("{}/meetings/items/{item}", app.base))
                .form(&[("note", note), ("version", "1"), ("_csrf", csrf)])
                .send()
        };
        let (other, other_csrf) = app.web_login("chain2").await;
        assert_eq!(close(&other, &other_csrf, "x").await.expect("post").status(), 403, "{b:?}");
        assert_eq!(
            close(&unit, &unit_csrf, " ").await.expect("post").status(),
            422,
            "{b:?}: how it was done is required"
        );
        assert_eq!(close(&unit, &unit_csrf, "管网已接通").await.expect("post").status(), 303, "{b:?}");
        assert_eq!(close(&unit, &unit_csrf, "again").await.expect("post").status(), 409, "{b:?}: stale version");
        assert!(html(&app, &c, "/meetings").await.contains("落实：管网已接通（高新区管委会）"), "{b:?}");
    }
}
