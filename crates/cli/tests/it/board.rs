//! Major-project tracking through the real binary: monthly investment against plan with its
//! status, milestones, the 龙虎榜 ranking, its publication (frozen) and export.

use crate::harness::{TestApp, backends, html, open_project};

#[tokio::test]
async fn the_ranking_follows_investment_and_milestones_and_freezes_when_published() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let post = |path: String, form: Vec<(&'static str, String)>| {
            let mut form = form;
            form.push(("_csrf", csrf.clone()));
            c.post(format!("{}{path}", app.base)).form(&form).send()
        };
        let mut projects = Vec::new();
        for (name, planned) in [("甲项目", "150000"), ("乙项目", "120000")] {
            projects.push(open_project(&app, &c, &csrf, name, planned).await);
        }
        let year = chrono::Datelike::year(&crate::harness::today());
        let jan = format!("{year}-01");
        // 甲 completes its plan, 乙 half of it.
        for (id, actual) in [(&projects[0], "1000"), (&projects[1], "500")] {
            let res = post(
                format!("/projects/{id}/investment"),
                vec![("period", jan.clone()), ("planned", "1000".into()), ("actual", actual.into())],
            )
            .await
            .expect("post");
            assert_eq!(res.status(), 303, "{b:?}");
        }
        let bad = post(
            format!("/projects/{}/investment", projects[0]),
            vec![("period", "2099-01".into()), ("actual", "5".into())],
        )
        .await
        .expect("post");
        assert_eq!(bad.status(), 422, "{b:?}: completed investment in a future month");
        let negative = post(
            format!("/projects/{}/investment", projects[0]),
            vec![("period", jan.clone()), ("planned", "-5".into())],
        )
        .await
        .expect("post");
        assert_eq!(negative.status(), 422, "{b:?}");
        let planned = format!("{year}-01-15");
        let ms = post(
            format!("/projects/{}/milestones", projects[1]),
            vec![("name", "主体完工".into()), ("planned_on", planned)],
        )
        .await
        .expect("post");
        assert_eq!(ms.status(), 303, "{b:?}");

        let board = html(&app, &c, &format!("/projects/board?period={jan}")).await;
        let first = board.find("甲项目").expect("甲");
        let second = board.find("乙项目").expect("乙");
        assert!(first < second, "{b:?}: 甲 (100% invested) ranks before 乙 (50%, a milestone missed)");
        assert!(board.contains("100.00") && board.contains("滞后"), "{b:?}: 甲 scores 70 + 30; 乙 is behind");
        assert!(board.contains("尚未发布"));
        assert_eq!(
            post("/projects/board".into(), vec![("period", jan.clone())]).await.expect("post").status(),
            303,
            "{b:?}"
        );
        assert_eq!(
            post("/projects/board".into(), vec![("period", jan.clone())]).await.expect("post").status(),
            422,
            "{b:?}: once"
        );
        // After publication the figures change but the published ranking does not.
        post(format!("/projects/{}/investment", projects[1]), vec![("period", jan.clone()), ("actual", "3000".into())])
            .await
            .expect("post");
        let frozen = html(&app, &c, &format!("/projects/board?period={jan}")).await;
        assert!(frozen.find("甲项目") < frozen.find("乙项目") && frozen.contains("发布"), "{b:?}: frozen");
        let xlsx = c.get(format!("{}/projects/board?period={jan}&format=xlsx", app.base)).send().await.expect("get");
        assert_eq!(xlsx.status(), 200);
        let table = chainchief_sheets::read_table(&xlsx.bytes().await.expect("bytes"), "b.xlsx").expect("xlsx");
        let names: Vec<&str> = table.rows.iter().map(|r| r.cells[1].as_str()).collect();
        assert!(names.contains(&"甲项目") && names.contains(&"乙项目"), "{b:?}: {names:?}");
        // An office edits a project's properties; a stale version is a conflict.
        let props = |version: &'static str| {
            vec![
                ("name", "乙项目".to_string()),
                ("company_name", "乙项目公司".into()),
                ("kind", "expansion".into()),
                ("method", "market".into()),
                ("version", version.into()),
            ]
        };
        assert_eq!(
            post(format!("/projects/{}/edit", projects[1]), props("1")).await.expect("post").status(),
            303,
            "{b:?}"
        );
        assert_eq!(
            post(format!("/projects/{}/edit", projects[1]), props("1")).await.expect("post").status(),
            409,
            "{b:?}"
        );
        let page = html(&app, &c, &format!("/projects/{}", projects[1])).await;
        assert!(page.contains("扩产扩能 · 市场化") && !page.contains("· 重大项目"), "{b:?}");
        let feb = format!("{year}-02");
        let next = html(&app, &c, &format!("/projects/board?period={feb}")).await;
        assert!(next.contains("甲项目") && !next.contains("乙项目"), "{b:?}: no longer a major project");
        let (chain1, csrf1) = app.web_login("chain1").await;
        let denied = chain1
            .post(format!("{}/projects/board", app.base))
            .form(&[("period", jan.as_str()), ("_csrf", csrf1.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(denied.status(), 403, "{b:?}: only the general office publishes");
    }
}
