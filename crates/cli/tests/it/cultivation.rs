//! The reserve library ranks candidates by their distance to each criterion of a goal, shows the
//! gap per criterion from the yearly facts and the patents recorded, and lets the offices mark
//! the candidates they cultivate, with the one responsible and follow-up notes, within scope.

use crate::harness::{TestApp, backends, created_id, html};
use crate::policy::enterprise_id;
use chrono::Datelike;

async fn post(c: &reqwest::Client, app: &TestApp, csrf: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut form = form.to_vec();
    form.push(("_csrf", csrf));
    c.post(format!("{}{path}", app.base)).form(&form).send().await.expect("post")
}

/// The table of the reserve page, from its first row on.
fn table(page: &str) -> &str {
    &page[page.find("<tbody>").unwrap_or(0)..]
}

#[tokio::test]
async fn candidates_rank_by_their_gap_to_each_criterion_and_the_offices_mark_whom_they_cultivate() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, csrf) = app.web_login("office").await;
        let near = enterprise_id(&app, "同力（示范企业）").await;
        let far = enterprise_id(&app, "中塑（示范企业）").await;
        let year = (crate::harness::today().year() - 1).to_string();
        let facts = |revenue: &'static str, main: &'static str, rd: &'static str, debt: &'static str| {
            vec![
                ("year", year.clone()),
                ("revenue", revenue.to_string()),
                ("output", String::new()),
                ("tax", String::new()),
                ("employees", String::new()),
                ("rd", rd.to_string()),
                ("main_business", main.to_string()),
                ("debt_ratio", debt.to_string()),
                ("_csrf", csrf.clone()),
            ]
        };
        let years = |id: &str| format!("{}/enterprises/{id}/years", app.base);
        let send = |id: String, form: Vec<(&'static str, String)>| {
            let office = office.clone();
            let url = years(&id);
            async move { office.post(url).form(&form).send().await.expect("post") }
        };
        assert_eq!(send(near.clone(), facts("1.5", "1.2", "600", "50")).await.status(), 303, "{b:?}");
        assert_eq!(send(far.clone(), facts("1.2", "0.6", "240", "80")).await.status(), 303, "{b:?}");
        // Bad facts are refused naming the field, and change nothing.
        let refused = send(far.clone(), facts("1.2", "0.6", "240", "150")).await;
        assert_eq!(refused.status(), 422, "{b:?}");
        assert!(refused.text().await.unwrap_or_default().contains("资产负债率应为0到100之间的百分数"), "{b:?}");
        let refused = send(far.clone(), facts("1.2", "1.3", "240", "80")).await;
        assert!(refused.text().await.unwrap_or_default().contains("主营业务收入不能大于营业收入"), "{b:?}");
        // 同力 is a 专精特新 SME with two invention patents; 中塑 has neither.
        let tier = [("tier", "specialised_sme"), ("since", "2024-05-01")];
        assert_eq!(
            post(&office, &app, &csrf, &format!("/enterprises/{near}/tiers"), &tier).await.status(),
            303,
            "{b:?}"
        );
        for number in ["ZL-RESERVE-1", "ZL-RESERVE-2"] {
            let patent = [
                ("enterprise_id", near.as_str()),
                ("kind", "invention_patent"),
                ("title", "一种改性方法"),
                ("number", number),
                ("granted_year", "2024"),
            ];
            assert_eq!(post(&office, &app, &csrf, "/innovation/results", &patent).await.status(), 303, "{b:?}");
        }

        // 中塑 was founded last year (the form refuses a year to come): one year in its niche.
        let store = app.db.store().await;
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM enterprises WHERE id = $1")
            .bind(&far)
            .fetch_one(store.pool())
            .await
            .expect("version");
        store.close().await;
        let profile = |founded: String| {
            vec![
                ("_csrf", csrf.clone()),
                ("name", "中塑（示范企业）".to_string()),
                ("short_name", "中塑".into()),
                ("credit_code", String::new()),
                ("override_reason", String::new()),
                ("park_id", String::new()),
                ("scale", "above".into()),
                ("ownership", "domestic".into()),
                ("revenue", "1.2".into()),
                ("employees", "300".into()),
                ("products", "改性塑料".into()),
                ("contacts", String::new()),
                ("founded_year", founded),
                ("version", version.to_string()),
            ]
        };
        let edit = format!("{}/enterprises/{far}/edit", app.base);
        let refused = office.post(&edit).form(&profile("2999".into())).send().await.expect("post");
        assert_eq!(refused.status(), 422, "{b:?}");
        assert!(refused.text().await.unwrap_or_default().contains("成立年份应为1949至"), "{b:?}");
        let last_year = (crate::harness::today().year() - 1).to_string();
        assert_eq!(office.post(&edit).form(&profile(last_year)).send().await.expect("post").status(), 303, "{b:?}");

        let page = html(&app, &office, "/enterprises/reserve?target=national_little_giant").await;
        let rows = table(&page);
        let (a, z) = (rows.find("同力（示范企业）").expect("同力"), rows.find("中塑（示范企业）").expect("中塑"));
        assert!(a < z, "{b:?}: the one meeting every criterion ranks first");
        assert!(rows.contains("7/7"), "{b:?}: 同力 (founded 2006) meets all seven");
        let far_row = &rows[z..];
        let far_row = &far_row[..far_row.find("</tr>").unwrap_or(far_row.len())];
        for gap in [
            "✗ 研发投入占营业收入比重还差1个百分点",
            "✗ 主营业务收入占比还差20个百分点",
            "✗ 资产负债率高出10个百分点",
            "✗ 发明专利还差2件",
            "✗ 尚未认定为专精特新中小企业",
            "✓ 上年营业收入不低于1亿元",
            "✗ 年限还差2年",
        ] {
            assert!(far_row.contains(gap), "{b:?}: {gap} in {far_row}");
        }

        // Chain 1's office marks 中塑; twice is refused; chain 2's office may not.
        let (chain1, csrf1) = app.web_login("chain1").await;
        let mark = [
            ("enterprise_id", far.as_str()),
            ("tier", "national_little_giant"),
            ("owner", "高新区 王五"),
            ("next_step", "辅导研发费用归集"),
        ];
        let res = post(&chain1, &app, &csrf1, "/enterprises/reserve/marks", &mark).await;
        assert_eq!(res.status(), 303, "{b:?}");
        let id = created_id(&res, "/enterprises/reserve/marks/");
        let twice = post(&chain1, &app, &csrf1, "/enterprises/reserve/marks", &mark).await;
        assert!(twice.text().await.unwrap_or_default().contains("已列为这一目标的重点培育对象"), "{b:?}");
        let (chain2, csrf2) = app.web_login("chain2").await;
        assert_eq!(post(&chain2, &app, &csrf2, "/enterprises/reserve/marks", &mark).await.status(), 403, "{b:?}");
        let note = [("noted_on", crate::harness::today().to_string()), ("body", "已上门辅导研发费用加计扣除".into())];
        let note: Vec<(&str, &str)> = note.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let path = format!("/enterprises/reserve/marks/{id}");
        assert_eq!(post(&chain1, &app, &csrf1, &format!("{path}/notes"), &note).await.status(), 303, "{b:?}");
        assert_eq!(post(&chain2, &app, &csrf2, &format!("{path}/notes"), &note).await.status(), 403, "{b:?}");
        let edit = [("owner", "高新区 赵六"), ("next_step", ""), ("version", "1")];
        assert_eq!(post(&chain1, &app, &csrf1, &path, &edit).await.status(), 303, "{b:?}");
        assert_eq!(post(&office, &app, &csrf, &path, &edit).await.status(), 409, "{b:?}: version 1 was saved over");
        let shown = html(&app, &chain1, &path).await;
        assert!(shown.contains("已上门辅导研发费用加计扣除") && shown.contains("高新区 赵六"), "{b:?}");
        assert!(shown.contains("✗ 发明专利还差2件"), "{b:?}: the gaps beside the notes");
        let (ent, _) = app.web_login("ent1").await;
        assert_eq!(ent.get(format!("{}{path}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
        // Only the marked candidates, with the one responsible.
        let marked = html(&app, &office, "/enterprises/reserve?target=national_little_giant&marked=1").await;
        let rows = table(&marked);
        assert!(
            rows.contains("中塑（示范企业）") && rows.contains("高新区 赵六") && !rows.contains("同力（示范企业）"),
            "{b:?}"
        );
    }
}
