//! Cultivation goals counted in the enterprise library [E3]: a yearly revenue or a tier recorded
//! on an enterprise moves exactly the goal it belongs to, and the goal's drill-down lists exactly
//! the enterprises that make it, as of the month asked.

use crate::harness::{TestApp, backends, html};
use crate::policy::enterprise_id as enterprise;

async fn indicator(app: &TestApp, code: &str) -> String {
    let store = app.db.store().await;
    let (id,): (String,) = sqlx::query_as("SELECT id FROM indicators WHERE code = $1")
        .bind(code)
        .fetch_one(store.pool())
        .await
        .expect("id");
    store.close().await;
    id
}

async fn post(c: &reqwest::Client, app: &TestApp, csrf: &str, path: &str, form: &[(&str, &str)]) -> u16 {
    let mut form = form.to_vec();
    form.push(("_csrf", csrf));
    c.post(format!("{}{path}", app.base)).form(&form).send().await.expect("post").status().as_u16()
}

/// The drill-down table of the indicator page for `period`, as text.
async fn drill(app: &TestApp, c: &reqwest::Client, id: &str, period: &str) -> String {
    let page = html(app, c, &format!("/indicators/{id}?period={period}")).await;
    let start = page.find("<main").unwrap_or(0);
    page[start..].to_string()
}

#[tokio::test]
async fn a_revenue_or_a_tier_recorded_moves_its_goal_and_the_drill_down_names_the_enterprises() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;
        let big = enterprise(&app, "展威（示范企业）").await;
        let small = enterprise(&app, "龙智新材料（示范企业）").await;
        let fifty = indicator(&app, "enterprises-revenue-50yi").await;
        let giants = indicator(&app, "national-little-giants").await;

        // Yearly revenue: 62亿 and 48亿 in 2025; only the first counts towards 突破50亿元.
        let year = |revenue: &'static str| {
            vec![("year", "2025"), ("revenue", revenue), ("output", ""), ("tax", ""), ("employees", "")]
        };
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{big}/years"), &year("62")).await, 303, "{b:?}");
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{small}/years"), &year("48")).await, 303, "{b:?}");
        let page = drill(&app, &office, &fifty, "2025-12").await;
        assert!(page.contains("展威（示范企业）") && page.contains("营业收入 62亿元（2025年）"), "{b:?}");
        assert!(!page.contains("龙智新材料（示范企业）"), "{b:?}: 48亿 does not count");
        assert!(page.contains("按企业库中当年营业收入达到50亿元的企业家数计数"), "{b:?}: how it is counted");
        // Before the year closes, the figure is the year before's.
        assert!(!drill(&app, &office, &fifty, "2025-11").await.contains("展威（示范企业）"), "{b:?}");
        // The other grows: 51亿 for 2025 moves the goal to two.
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{small}/years"), &year("51")).await, 303, "{b:?}");
        let page = drill(&app, &office, &fifty, "2025-12").await;
        assert!(page.contains("展威（示范企业）") && page.contains("龙智新材料（示范企业）"), "{b:?}");

        // The cockpit's cultivation goals show the count and lead to the same drill-down.
        let cockpit = html(&app, &office, "/cockpit?period=2025-12").await;
        let goals = &cockpit[cockpit.find("企业培育目标").expect("the goals card")..];
        let goals = &goals[..goals.find("</section>").expect("end")];
        let link = format!("/indicators/{fifty}?period=2025-12#entries\">2家</a>");
        assert!(goals.contains(&link), "{b:?}: {goals}");
        assert!(goals.contains("/enterprises/reserve") && !goals.contains("电子信息产业年产值"), "{b:?}");

        // The 10亿 goal counts both, from the same yearly revenues.
        let ten = indicator(&app, "enterprises-revenue-10yi").await;
        let page = drill(&app, &office, &ten, "2025-12").await;
        assert!(page.contains("营业收入 62亿元（2025年）") && page.contains("营业收入 51亿元（2025年）"), "{b:?}");

        // A listing recorded with its day counts towards the listing goal from that month, and the
        // library's 是否上市 follows it.
        let sanxing = enterprise(&app, "三兴精密（示范企业）").await;
        let listed = indicator(&app, "listed-enterprises").await;
        let tier = [("tier", "listed"), ("since", "2026-05-10")];
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{sanxing}/tiers"), &tier).await, 303, "{b:?}");
        assert!(drill(&app, &office, &listed, "2026-05").await.contains("三兴精密（示范企业）"), "{b:?}");
        assert!(!drill(&app, &office, &listed, "2026-04").await.contains("三兴精密（示范企业）"), "{b:?}");
        let store = app.db.store().await;
        let (flag,): (i64,) = sqlx::query_as("SELECT listed FROM enterprises WHERE id = $1")
            .bind(&sanxing)
            .fetch_one(store.pool())
            .await
            .expect("listed");
        store.close().await;
        assert_eq!(flag, 1, "{b:?}: 是否上市 follows the listing");

        // A tier granted on 2025-07-01 counts from July, and only towards its own goal.
        let tier = [("tier", "national_little_giant"), ("since", "2025-07-01")];
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{small}/tiers"), &tier).await, 303, "{b:?}");
        let july = drill(&app, &office, &giants, "2025-07").await;
        assert!(july.contains("龙智新材料（示范企业）") && july.contains("2025-07-01 认定"), "{b:?}");
        assert!(!drill(&app, &office, &giants, "2025-06").await.contains("龙智新材料（示范企业）"), "{b:?}");
        let page = drill(&app, &office, &fifty, "2025-12").await;
        assert!(!page.contains("认定"), "{b:?}: the revenue goal does not count tiers");

        // A provincial little giant granted in March 2025 is that year's new one, not 2026's.
        let yearly = indicator(&app, "new-provincial-champions-giants").await;
        let tier = [("tier", "provincial_little_giant"), ("since", "2025-03-15")];
        assert_eq!(post(&office, &app, &csrf, &format!("/enterprises/{big}/tiers"), &tier).await, 303, "{b:?}");
        let march = drill(&app, &office, &yearly, "2025-03").await;
        assert!(march.contains("展威（示范企业）") && march.contains("2025-03-15 认定"), "{b:?}");
        assert!(!drill(&app, &office, &yearly, "2026-03").await.contains("展威（示范企业）"), "{b:?}: a new year");

        // Counted goals are not typed: the figure of an office is refused.
        let token = app.token("office").await;
        let res = TestApp::browser()
            .post(format!("{}/api/v1/indicators/{giants}/values", app.base))
            .bearer_auth(&token)
            .json(&serde_json::json!({"period": "2025-12", "value": "3", "unit": "家"}))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 422, "{b:?}");
        assert!(res.text().await.expect("text").contains("由企业库计数得出"), "{b:?}");
    }
}
