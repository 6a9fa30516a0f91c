//! One clock on Beijing days, through the real binary: started at 2026-12-31T16:30Z (Beijing
//! 2027-01-01 00:30) the server already lives in 2027, on both databases.

use crate::harness::{TestApp, TestDb, backends, html, option_value};

/// Beijing 2026-12-31 18:00.
const NEW_YEARS_EVE: &str = "2026-12-31T10:00:00Z";
/// Beijing 2027-01-01 00:30: still 2026-12-31 in UTC.
const NEW_YEAR_NIGHT: &str = "2026-12-31T16:30:00Z";

fn demo_at(db: TestDb, start: &str) -> TestApp {
    TestApp::serve_with(db, &["demo", "--port", "0"], &[("CHAINCHIEF_CLOCK_START", start)])
}

#[tokio::test]
async fn the_demo_started_after_beijing_midnight_works_in_the_new_year() {
    for b in backends() {
        let app = demo_at(TestDb::new(b).await, NEW_YEAR_NIGHT);
        let (office, csrf) = app.web_login("office").await;
        // December's monthly reports and the fourth quarter's report are drafted at start.
        let list = html(&app, &office, "/dispatch").await;
        assert!(list.contains("非金属新材料产业链2026年12月工作月报"), "{b:?}: December's report drafted");
        assert!(list.contains("2026年第4季度工作报告"), "{b:?}: the fourth quarter's report drafted");
        assert!(!list.contains("2026年11月工作月报"), "{b:?}: November is not last month any more");
        // The demo figures run through December: most enterprises have reported it, on time.
        let status = html(&app, &office, "/figures/status?period=2026-12").await;
        assert!(status.contains("已报齐"), "{b:?}: December's figures were generated");
        assert!(
            !status.contains("已过截止日") && !status.contains("逾期未报</span>"),
            "{b:?}: December's figures are not late on 1 January"
        );
        // A figure of January 2027 is this month's, not the future's.
        let token = app.token("office").await;
        let inds: serde_json::Value = app.get(&token, "/api/v1/indicators").await.json().await.expect("json");
        let ind = inds.as_array().expect("list").iter().find(|i| i["name"] == "高新区智能制造示范工厂（车间）");
        let id = ind.expect("indicator")["id"].as_str().expect("id").to_string();
        for (period, status) in [("2027-01", 200), ("2026-12", 200), ("2027-02", 422)] {
            let res = TestApp::browser()
                .post(format!("{}/api/v1/indicators/{id}/values", app.base))
                .bearer_auth(&token)
                .json(&serde_json::json!({"period": period, "value": "10", "unit": "家", "confirm": true}))
                .send()
                .await
                .expect("post");
            assert_eq!(res.status(), status, "{b:?}: a figure of {period}");
        }
        // A special report written now carries the new year's date and number.
        let chain1 = app.chain_id(&token, "非金属新材料产业链").await;
        let (c1, csrf1) = app.web_login("chain1").await;
        let res = c1
            .post(format!("{}/dispatch/special", app.base))
            .form(&[("chain_id", chain1.as_str()), ("title", "新年第一份专报"), ("body", "正文。"), ("_csrf", &csrf1)])
            .send()
            .await
            .expect("special");
        assert_eq!(res.status(), 303, "{b:?}");
        let to = res.headers()["location"].to_str().expect("location").to_string();
        let page = html(&app, &c1, &to).await;
        assert!(page.contains("2027年专报"), "{b:?}: numbered in 2027");
        drop(csrf);
    }
}

#[tokio::test]
async fn a_deadline_of_new_years_eve_is_late_after_beijing_midnight() {
    for b in backends() {
        let eve = demo_at(TestDb::new(b).await, NEW_YEARS_EVE);
        let (office, csrf) = eve.web_login("office").await;
        let gxq = option_value(&html(&eve, &office, "/meetings").await, "汨罗高新技术产业开发区管理委员会");
        let form = [
            ("kind", "onsite"),
            ("title", "年终现场办公会"),
            ("held_on", "2026-12-31"),
            ("chair", "分管副市长"),
            ("item_1", "年底前完成园区道路验收"),
            ("unit_1", gxq.as_str()),
            ("deadline_1", "2026-12-31"),
            ("_csrf", csrf.as_str()),
        ];
        let res = office.post(format!("{}/meetings", eve.base)).form(&form).send().await.expect("meeting");
        assert_eq!(res.status(), 303, "{b:?}: a deadline of today is accepted on the evening of 31 December");
        let (unit, _) = eve.web_login("unit-gxq").await;
        let light = |label: &str| format!("<span class=\"dot\" aria-hidden=\"true\"></span>{label}</span>");
        let seen = html(&eve, &unit, "/meetings").await;
        assert!(seen.contains(&light("临期")) && !seen.contains(&light("逾期")), "{b:?}: due today, not yet late");
        let db = eve.into_db();

        let night = demo_at(db, NEW_YEAR_NIGHT);
        let (unit, _) = night.web_login("unit-gxq").await;
        let seen = html(&night, &unit, "/meetings").await;
        assert!(
            seen.contains("年底前完成园区道路验收") && seen.contains(&light("逾期")),
            "{b:?}: late after Beijing midnight"
        );
    }
}
