//! The policy library [F5], the fund pool [F3] and the talent pool [F4] through the real binary on
//! both databases: eligibility rules as data, applications only by qualifying enterprises, grants
//! never above what was asked, allocations never beyond the budget (also when two arrive at once).

use crate::harness::{TestApp, backends, created_id, html, option_value};

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(format!("{}{path}", app.base)).form(form).send().await.expect("post")
}

#[tokio::test]
async fn a_policys_conditions_decide_who_qualifies_and_who_may_apply() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;
        let res = post(
            &app,
            &office,
            "/policies",
            &[
                ("_csrf", &csrf),
                ("title", "单项冠军奖励"),
                ("level", "county"),
                ("issuer", "汨罗市人民政府"),
                ("tags", "奖补"),
                ("valid_from", "2026-01-01"),
                ("criterion_1", "tier"),
                ("op_1", "is"),
                ("value_1", "national_champion"),
            ],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: policy recorded");
        let champion = created_id(&res, "/policies/");
        // A condition that cannot be read is refused naming its row.
        let res = post(
            &app,
            &office,
            "/policies",
            &[
                ("_csrf", &csrf),
                ("title", "坏条件"),
                ("level", "county"),
                ("issuer", "x"),
                ("valid_from", "2026-01-01"),
                ("criterion_1", "revenue"),
                ("op_1", "is"),
                ("number_1", "2"),
            ],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: a number compared with 为");
        assert!(res.text().await.expect("text").contains("只能用“不低于或不高于”比较"), "{b:?}: said why");

        // 同力 holds no champion title: it cannot apply, and its workspace does not offer the policy.
        let (ent, ecsrf) = app.web_login("ent1").await;
        let page = html(&app, &ent, &format!("/policies/{champion}")).await;
        assert!(page.contains("本企业未满足"), "{b:?}: the own verdict shown");
        let res = post(
            &app,
            &ent,
            &format!("/policies/{champion}/applications"),
            &[("_csrf", &ecsrf), ("note", "申报奖励"), ("asked", "50")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: not eligible");
        assert!(
            res.text().await.expect("text").contains("不符合申报条件：培育梯度为国家级单项冠军"),
            "{b:?}: names the missed condition"
        );
        let my = html(&app, &ent, "/my").await;
        assert!(
            my.contains("非金属新材料产业链技改贴息") && !my.contains("单项冠军奖励"),
            "{b:?}: the workspace lists what it qualifies for"
        );

        // The demo's tech-upgrade subsidy: 同力 qualifies and applies; the office grants no more than asked.
        let list = html(&app, &office, "/policies").await;
        assert!(list.contains("单项冠军奖励"), "{b:?}: listed");
        let subsidy = {
            let at = list.find("非金属新材料产业链技改贴息").expect("the demo policy");
            let start = list[..at].rfind("/policies/").expect("link") + "/policies/".len();
            list[start..].chars().take_while(|c| *c != '"').collect::<String>()
        };
        let res = post(
            &app,
            &ent,
            &format!("/policies/{subsidy}/applications"),
            &[("_csrf", &ecsrf), ("note", "三期技改贴息"), ("asked", "40")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: applied");
        let store = app.db.store().await;
        let (id,): (String,) = sqlx::query_as("SELECT id FROM policy_applications WHERE note = $1")
            .bind("三期技改贴息")
            .fetch_one(store.pool())
            .await
            .expect("application");
        store.close().await;
        let decide = format!("/policies/applications/{id}");
        let res = post(
            &app,
            &office,
            &decide,
            &[("_csrf", &csrf), ("policy_id", &subsidy), ("decision", "approve"), ("granted", "45"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: more than asked");
        let res = post(
            &app,
            &office,
            &decide,
            &[("_csrf", &csrf), ("policy_id", &subsidy), ("decision", "reject"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: a rejection says why");
        let res = post(
            &app,
            &ent,
            &decide,
            &[("_csrf", &ecsrf), ("policy_id", &subsidy), ("decision", "approve"), ("granted", "40"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 403, "{b:?}: the enterprise does not decide");
        let res = post(
            &app,
            &office,
            &decide,
            &[("_csrf", &csrf), ("policy_id", &subsidy), ("decision", "approve"), ("granted", "30"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: granted");
        let page = html(&app, &ent, &format!("/policies/{subsidy}")).await;
        assert!(page.contains("已兑现") && page.contains("30万元"), "{b:?}: the enterprise sees its grant");
    }
}

#[tokio::test]
async fn nobody_allocates_beyond_a_funds_budget_even_at_the_same_moment() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;
        let year = crate::harness::today().format("%Y").to_string();
        let res = post(
            &app,
            &office,
            "/funds",
            &[("_csrf", &csrf), ("name", "技改专项"), ("kind", "guidance"), ("year", &year), ("budget", "100")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: fund set up");
        let page = html(&app, &office, "/funds").await;
        let at = page.find("技改专项").expect("the fund");
        let from = page[at..].find("/funds/").expect("form") + at + "/funds/".len();
        let fund: String = page[from..].chars().take_while(|c| *c != '/').collect();
        let ent = option_value(&page, "同力（示范企业）");
        let today = crate::harness::today().to_string();
        let allocate = |amount: &'static str| {
            let form = vec![
                ("_csrf", csrf.clone()),
                ("enterprise_id", ent.clone()),
                ("purpose", "技改".to_string()),
                ("decision", "常务会议纪要".to_string()),
                ("amount", amount.to_string()),
                ("decided_on", today.clone()),
            ];
            let (c, url) = (office.clone(), format!("{}/funds/{fund}/allocations", app.base));
            async move { c.post(url).form(&form).send().await.expect("allocate").status().as_u16() }
        };
        // Two allocations of 60万元 at once from a budget of 100万元: one passes, the other is refused.
        let (a, b2) = tokio::join!(allocate("60"), allocate("60"));
        let mut both = [a, b2];
        both.sort();
        assert_eq!(both, [303, 422], "{b:?}: one within the budget, one beyond it");
        let res = post(
            &app,
            &office,
            &format!("/funds/{fund}/allocations"),
            &[
                ("_csrf", &csrf),
                ("enterprise_id", &ent),
                ("purpose", "技改"),
                ("decision", "纪要"),
                ("amount", "50"),
                ("decided_on", &today),
            ],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: beyond the budget");
        assert!(res.text().await.expect("text").contains("超出预算：本年预算剩余40万元"), "{b:?}: says what is left");
        let res =
            post(&app, &office, &format!("/funds/{fund}"), &[("_csrf", &csrf), ("budget", "50"), ("version", "1")])
                .await;
        assert_eq!(res.status(), 422, "{b:?}: the budget cannot fall below what is allocated");
        let page = html(&app, &office, "/funds").await;
        assert!(page.contains("60万元") && page.contains("40万元"), "{b:?}: allocated and remaining");
        // A chain office neither reads nor allocates the funds.
        let (c1, c1csrf) = app.web_login("chain1").await;
        assert_eq!(
            c1.get(format!("{}/funds", app.base)).send().await.expect("get").status(),
            403,
            "{b:?}: chain office"
        );
        let res = post(
            &app,
            &c1,
            &format!("/funds/{fund}/allocations"),
            &[
                ("_csrf", &c1csrf),
                ("enterprise_id", &ent),
                ("purpose", "x"),
                ("decision", "x"),
                ("amount", "1"),
                ("decided_on", &today),
            ],
        )
        .await;
        assert_eq!(res.status(), 403, "{b:?}: chain office allocates nothing");
    }
}

#[tokio::test]
async fn an_enterprise_records_its_own_talent_intake_against_the_citys_aim() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let year = crate::harness::today().format("%Y").to_string();
        let (ent, csrf) = app.web_login("ent1").await;
        let page = html(&app, &ent, "/talent").await;
        assert!(page.contains("目标 30 人"), "{b:?}: the demo aim");
        // The demo recorded 同力's intake: a new record without the version read is a conflict.
        let res = post(&app, &ent, "/talent/intakes", &[("_csrf", &csrf), ("year", &year), ("high_end", "5")]).await;
        assert_eq!(res.status(), 409, "{b:?}: not a silent overwrite");
        let res = post(
            &app,
            &ent,
            "/talent/intakes",
            &[
                ("_csrf", &csrf),
                ("year", &year),
                ("high_end", "5"),
                ("skilled", "42"),
                ("graduates", "36"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: saved");
        let res = post(
            &app,
            &ent,
            "/talent/intakes",
            &[("_csrf", &csrf), ("year", &year), ("high_end", "-1"), ("version", "2")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: a negative count");
        let page = html(&app, &ent, "/talent").await;
        assert!(page.contains(">8<"), "{b:?}: 5 + 1 + 2 high-end talents: {page}");
        let (c2, c2csrf) = app.web_login("chain2").await;
        let store = app.db.store().await;
        let (ent_id,): (String,) = sqlx::query_as("SELECT id FROM enterprises WHERE short_name = $1")
            .bind("同力")
            .fetch_one(store.pool())
            .await
            .expect("enterprise");
        store.close().await;
        let res = post(
            &app,
            &c2,
            "/talent/intakes",
            &[("_csrf", &c2csrf), ("enterprise_id", &ent_id), ("year", &year), ("high_end", "9")],
        )
        .await;
        assert_eq!(res.status(), 403, "{b:?}: another chain's office");
    }
}
