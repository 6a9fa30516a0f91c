//! Plan tasks through the real binary: quotas counted from the data, progress reported by the
//! responsible unit with evidence, refused for others, bad evidence refused whole.

use crate::harness::{TestApp, backends, html, linked_id};
use reqwest::multipart::{Form, Part};

fn report(body: &str, evidence: Option<(&str, Vec<u8>)>) -> Form {
    let day = crate::harness::today().format("%Y-%m-%d").to_string();
    let f = Form::new().text("body", body.to_string()).text("reported_on", day);
    match evidence {
        Some((name, bytes)) => f.part("file", Part::bytes(bytes).file_name(name.to_string())),
        None => f,
    }
}

#[tokio::test]
async fn the_responsible_unit_reports_progress_with_evidence_and_quotas_count_themselves() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (unit, csrf) = app.web_login("unit-gxq").await;
        let list = html(&app, &unit, "/tasks").await;
        let id = linked_id(&list, "/tasks/", "精准招商");
        let page = html(&app, &unit, &format!("/tasks/{id}")).await;
        assert!(page.contains("外出专题招商活动：1 / 不少于4次"), "{b:?}: the demo's trip counts");
        let post = |c: &reqwest::Client, csrf: &str, form: Form| {
            c.post(format!("{}/tasks/{id}/reports?_csrf={csrf}", app.base)).multipart(form).send()
        };
        let fake = post(&unit, &csrf, report("赴宁波对接两家企业", Some(("照片.png", b"not a png".to_vec()))))
            .await
            .expect("post");
        assert_eq!(fake.status(), 422, "{b:?}");
        let ok = post(&unit, &csrf, report("赴宁波对接两家企业", Some(("照片.png", b"\x89PNG\r\n\x1a\nimg".to_vec()))))
            .await
            .expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        let page = html(&app, &unit, &format!("/tasks/{id}")).await;
        assert_eq!(page.matches("赴宁波对接两家企业").count(), 1, "{b:?}: the refused report stored nothing");
        assert!(page.contains("照片.png") && page.contains("高新区管委会"), "{b:?}");
        let (other, other_csrf) = app.web_login("chain2").await;
        let refused = post(&other, &other_csrf, report("x", None)).await.expect("post");
        assert_eq!(refused.status(), 403, "{b:?}: not a unit of this task");
    }
}

#[tokio::test]
async fn the_general_office_drafts_measures_from_an_uploaded_plan_text() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    let (c, csrf) = app.web_login("office").await;
    let upload = |bytes: Vec<u8>| {
        let form = Form::new().part("file", Part::bytes(bytes).file_name("方案.txt"));
        c.post(format!("{}/plan/extract?_csrf={csrf}", app.base)).multipart(form).send()
    };
    let text = include_str!("../../../../plans/miluo-2022-plan.txt");
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    let ok = upload(gbk.to_vec()).await.expect("post");
    assert_eq!(ok.status(), 200);
    let page = ok.text().await.expect("html");
    assert!(page.contains("找到举措 16 项") && page.contains("外出专题招商活动 ≥4次"), "the GB18030 text is read");
    let bad = upload(vec![0xff, 0xfe, 0xff, 0x00, 0x81]).await.expect("post");
    assert_eq!(bad.status(), 422, "bytes that are no text are refused");
    let (chain1, csrf1) = app.web_login("chain1").await;
    let form = Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("a.txt"));
    let denied =
        chain1.post(format!("{}/plan/extract?_csrf={csrf1}", app.base)).multipart(form).send().await.expect("post");
    assert_eq!(denied.status(), 403);
}

#[tokio::test]
async fn a_task_past_its_deadline_is_escalated_until_its_unit_completes_it() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        // Arrange a one-off measure whose deadline has passed.
        let store = app.db.store().await;
        sqlx::query("UPDATE measures SET frequency = 'once', deadline = '2020-06-30' WHERE code = '3.1.1'")
            .execute(store.pool())
            .await
            .expect("update");
        store.close().await;
        let (chief, _) = app.web_login("chief1").await;
        let home = html(&app, &chief, "/").await;
        assert!(home.contains("逾期的方案任务（已升级）"), "{b:?}: the chief sees red tasks");
        assert!(home.contains("3.1.1 产业链全景图、现状图与年度报告") && home.contains("限2020-06-30前完成"), "{b:?}");
        let (office, _) = app.web_login("office").await;
        assert!(html(&app, &office, "/").await.contains("3.1.1 产业链全景图"), "{b:?}: so does the general office");
        let (unit, _) = app.web_login("unit-gxq").await;
        let mine = html(&app, &unit, "/").await;
        assert!(mine.contains("本单位承担的任务") && mine.contains(">精准招商</a>"), "{b:?}: the unit sees its tasks");
        assert!(!mine.contains("逾期的方案任务"), "{b:?}: escalation is for leaders, not units");
        // A chain office, which carries 3.1.1, completes it.
        let (chain1, csrf) = app.web_login("chain1").await;
        let list = html(&app, &chain1, "/tasks").await;
        let id = linked_id(&list, "/tasks/", "产业链全景图、现状图与年度报告");
        let done = chain1
            .post(format!("{}/tasks/{id}/reports?_csrf={csrf}", app.base))
            .multipart(report("全景图、现状图已更新", None).text("done", "1"))
            .send()
            .await
            .expect("post");
        assert_eq!(done.status(), 303, "{b:?}");
        let home = html(&app, &chief, "/").await;
        assert!(!home.contains("3.1.1 产业链全景图"), "{b:?}: a completed task is no longer escalated");
    }
}

#[tokio::test]
async fn submitted_reports_are_the_progress_of_the_tasks_about_them() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (office, office_csrf) = app.web_login("office").await;
        let tasks = html(&app, &office, "/tasks").await;
        let monthly_task = linked_id(&tasks, "/tasks/", "链条办月度汇报");
        let quarterly_task = linked_id(&tasks, "/tasks/", "总链办季度报告");
        let page = html(&app, &office, &format!("/tasks/{quarterly_task}")).await;
        assert!(page.contains("季度报告提交即计为进展（尚未提交）"), "{b:?}");
        let list = html(&app, &office, "/dispatch").await;
        let quarter = crate::harness::last_quarter();
        let title = format!("汨罗市产业链链长制{}年第{}季度工作报告", &quarter[..4], &quarter[6..]);
        let submit = |c: &reqwest::Client, csrf: &str, id: String| {
            c.post(format!("{}/dispatch/{id}", app.base))
                .form(&[("action", "submit"), ("version", "1"), ("_csrf", csrf)])
                .send()
        };
        let done = submit(&office, &office_csrf, linked_id(&list, "/dispatch/", &title)).await.expect("post");
        assert_eq!(done.status(), 303, "{b:?}");
        let today = crate::harness::today();
        let page = html(&app, &office, &format!("/tasks/{quarterly_task}")).await;
        assert!(page.contains(&format!("最近一次提交于{today}")) && page.contains("本期已报送进展"), "{b:?}");
        // The monthly task counts once every chain office has submitted.
        let period = crate::harness::last_month();
        let (y, m) = (&period[..4], period[5..].trim_start_matches('0'));
        let offices = [
            ("chain1", "非金属新材料产业链"),
            ("chain2", "电子信息产业链"),
            ("chain3", "有色金属新材料产业链"),
            ("chain4", "工程机械及汽车零部件产业链"),
        ];
        for (i, (user, chain)) in offices.iter().enumerate() {
            let page = html(&app, &office, &format!("/tasks/{monthly_task}")).await;
            assert!(page.contains("各链条办提交工作月报即计为进展（尚未提交）"), "{b:?}: {i} of 4 submitted");
            let (c, csrf) = app.web_login(user).await;
            let id = linked_id(&list, "/dispatch/", &format!("{chain}{y}年{m}月工作月报"));
            assert_eq!(submit(&c, &csrf, id).await.expect("post").status(), 303, "{b:?}: {user}");
        }
        let page = html(&app, &office, &format!("/tasks/{monthly_task}")).await;
        assert!(page.contains(&format!("最近一次各链条办均已提交于{today}")), "{b:?}");
    }
}
