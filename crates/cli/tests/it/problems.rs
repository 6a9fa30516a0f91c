//! Problems and 督办 through the real binary: raised by an enterprise, assigned with a deadline,
//! seen only by the units it is assigned to, resolved and confirmed; conflicts and bad input.

use crate::harness::{TestApp, backends, html, option_value};

#[tokio::test]
async fn a_problem_goes_from_enterprise_to_unit_and_back_with_deadline_and_scope() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (ent, ent_csrf) = app.web_login("ent1").await;
        let raised = ent
            .post(format!("{}/problems", app.base))
            .form(&[
                ("title", "再生塑料项目用电增容未批复"),
                ("detail", "申请增容两个月仍未批复，影响二期投产"),
                ("_csrf", ent_csrf.as_str()),
            ])
            .send()
            .await
            .expect("raise");
        assert_eq!(raised.status(), 303, "{b:?}");
        let path =
            raised.headers()["location"].to_str().expect("location").split('?').next().expect("path").to_string();
        let empty = ent
            .post(format!("{}/problems", app.base))
            .form(&[("title", " "), ("detail", "x"), ("_csrf", ent_csrf.as_str())])
            .send()
            .await
            .expect("raise");
        assert_eq!(empty.status(), 422, "{b:?}: a problem needs a title");

        let (unit, unit_csrf) = app.web_login("unit-gxq").await;
        assert_eq!(
            unit.get(format!("{}{path}", app.base)).send().await.expect("get").status(),
            403,
            "{b:?}: not assigned yet"
        );

        let (office, office_csrf) = app.web_login("chain1").await;
        let page = html(&app, &office, &path).await;
        let gxq = option_value(&page, "汨罗高新技术产业开发区管理委员会");
        let today = crate::harness::today();
        let past = (today - chrono::Days::new(1)).format("%Y-%m-%d").to_string();
        let due = (today + chrono::Days::new(2)).format("%Y-%m-%d").to_string();
        let assign = |deadline: String, version: &'static str| {
            office
                .post(format!("{}{path}", app.base))
                .form(&[
                    ("action", "assign".to_string()),
                    ("lead", gxq.clone()),
                    ("deadline", deadline),
                    ("version", version.into()),
                    ("_csrf", office_csrf.clone()),
                ])
                .send()
        };
        let refused = assign(past.clone(), "1").await.expect("post");
        assert_eq!(refused.status(), 422, "{b:?}: a deadline in the past");
        let refused = refused.text().await.expect("html");
        assert!(
            refused.contains(&format!("value=\"{past}\"")) && refused.contains("href=\"#deadline\""),
            "{b:?}: the form again with what was typed and the reason linked to the field"
        );
        let before = html(&app, &office, &path).await;
        assert!(
            before.contains("<option value=\"\">请选择牵头单位</option>"),
            "{b:?}: no unit is chosen for the office"
        );
        assert_eq!(assign(due.clone(), "1").await.expect("post").status(), 303, "{b:?}");
        let stale = assign(due.clone(), "1").await.expect("post");
        assert_eq!(stale.status(), 409, "{b:?}: stale version");
        let stale = stale.text().await.expect("html");
        assert!(
            stale.contains("该问题已有新的办理记录") && stale.contains(&format!("value=\"{due}\"")),
            "{b:?}: a conflict keeps what was typed"
        );
        let after = html(&app, &office, &path).await;
        assert!(
            after.contains(&format!("<option value=\"{gxq}\" selected>")),
            "{b:?}: the form starts from the current lead"
        );

        let (other, _) = app.web_login("chain2").await;
        assert_eq!(other.get(format!("{}{path}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
        let seen = html(&app, &unit, &path).await;
        assert!(seen.contains("临期"), "{b:?}: two days before the deadline the light is yellow");
        let list = html(&app, &unit, "/problems").await;
        assert!(list.contains("再生塑料项目用电增容未批复"), "{b:?}: the unit sees what is assigned to it");
        let act = |action: &'static str, note: &'static str, version: &'static str| {
            unit.post(format!("{}{path}", app.base))
                .form(&[("action", action), ("note", note), ("version", version), ("_csrf", unit_csrf.as_str())])
                .send()
        };
        assert_eq!(act("progress", "已与供电公司对接", "2").await.expect("post").status(), 303, "{b:?}");
        assert_eq!(act("resolve", "增容已批复，下周送电", "3").await.expect("post").status(), 303, "{b:?}");
        let confirm = ent
            .post(format!("{}{path}", app.base))
            .form(&[("action", "confirm"), ("note", ""), ("version", "4"), ("_csrf", ent_csrf.as_str())])
            .send()
            .await
            .expect("confirm");
        assert_eq!(confirm.status(), 303, "{b:?}");
        let done = html(&app, &ent, &path).await;
        assert!(done.contains("已确认") && done.contains("增容已批复") && done.contains("高新区管委会"), "{b:?}");
        // Only the raiser confirms.
        let not_raiser = act("confirm", "", "5").await.expect("post");
        assert_eq!(not_raiser.status(), 403, "{b:?}");
    }
}
