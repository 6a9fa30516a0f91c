//! Factor requests [F1] and the lead bank [F2] through the real binary, on both databases:
//! routing by kind with deadlines in working days (holidays and 调休 counted, clock injected),
//! the bank's scope, grants never above what was asked, conflicts, ratings by the requester only,
//! campaigns and the summaries.

use crate::harness::{TestApp, TestDb, backends, created_id, html};

/// Beijing Friday 2026-02-13 10:00, the eve of the Spring Festival holidays.
const FESTIVAL_EVE: &str = "2026-02-13T02:00:00Z";

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(format!("{}{path}", app.base)).form(form).send().await.expect("post")
}

async fn raise(app: &TestApp, c: &reqwest::Client, csrf: &str, form: &[(&str, &str)]) -> String {
    let mut f = vec![("_csrf", csrf)];
    f.extend_from_slice(form);
    let res = post(app, c, "/requests", &f).await;
    assert_eq!(res.status(), 303, "raise: {}", res.text().await.unwrap_or_default());
    created_id(&res, "/requests/")
}

async fn count(app: &TestApp) -> i64 {
    let store = app.db.store().await;
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM factor_requests").fetch_one(store.pool()).await.expect("count");
    store.close().await;
    n
}

#[tokio::test]
async fn a_request_goes_to_its_kinds_unit_due_in_working_days_across_the_spring_festival() {
    for b in backends() {
        let app = TestApp::serve_with(
            TestDb::new(b).await,
            &["demo", "--port", "0"],
            &[("CHAINCHIEF_CLOCK_START", FESTIVAL_EVE)],
        );
        let (ent, csrf) = app.web_login("ent1").await;
        // Financing: 10 working days from Friday 13 Feb — Saturday 14th is worked, 15th–23rd are
        // off, Saturday 28th is worked — is Thursday 5 March.
        let id =
            raise(&app, &ent, &csrf, &[("kind", "financing"), ("title", "春节后复产流动资金"), ("asked", "500")]).await;
        let page = html(&app, &ent, &format!("/requests/{id}")).await;
        assert!(page.contains("2026-03-05"), "{b:?}: deadline after the holidays: {page}");
        assert!(page.contains("汨罗市人民政府金融工作办公室"), "{b:?}: routed to the financial office");
        // An approval has no rule in the demo: the general office assigns it.
        let id = raise(&app, &ent, &csrf, &[("kind", "approval"), ("title", "环评批复加快")]).await;
        let page = html(&app, &ent, &format!("/requests/{id}")).await;
        assert!(page.contains("待分派"), "{b:?}: unrouted");
        let (office, ocsrf) = app.web_login("office").await;
        let routes = html(&app, &office, "/requests/routes").await;
        assert!(routes.contains("国务院办公厅关于2026年部分节假日安排的通知"), "{b:?}: the holiday notice named");
        let gxj = crate::harness::option_value(&routes, "汨罗市工业和信息化局");
        let res = post(
            &app,
            &office,
            "/requests/routes",
            &[("_csrf", &ocsrf), ("kind", "approval"), ("unit_id", &gxj), ("working_days", "3")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: rule set");
        // From now on approvals go to the bureau: three working days are 14th, 24th and 25th.
        let id = raise(&app, &ent, &csrf, &[("kind", "approval"), ("title", "能评批复加快")]).await;
        let page = html(&app, &ent, &format!("/requests/{id}")).await;
        assert!(page.contains("2026-02-25") && page.contains("汨罗市工业和信息化局"), "{b:?}: routed by the new rule");
        // A rule only the general office sets, with a sane number of days.
        let (c1, c1csrf) = app.web_login("chain1").await;
        let res =
            post(&app, &c1, "/requests/routes", &[("_csrf", &c1csrf), ("kind", "other"), ("working_days", "3")]).await;
        assert_eq!(res.status(), 403, "{b:?}: a chain office does not set rules");
        let res =
            post(&app, &office, "/requests/routes", &[("_csrf", &ocsrf), ("kind", "other"), ("working_days", "0")])
                .await;
        assert_eq!(res.status(), 422, "{b:?}: zero days refused");
        assert!(res.text().await.expect("text").contains("办理时限应为1至60个工作日"), "{b:?}: the field named");
    }
}

#[tokio::test]
async fn the_lead_bank_answers_its_chains_financing_never_above_what_was_asked_and_the_requester_rates_it() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (ent, csrf) = app.web_login("ent1").await;
        let mine =
            raise(&app, &ent, &csrf, &[("kind", "financing"), ("title", "技改设备贷款"), ("asked", "500")]).await;
        // A financing request of another chain (电子信息), raised by its office.
        let (c2, c2csrf) = app.web_login("chain2").await;
        let list = html(&app, &c2, "/requests").await;
        let other_ent = crate::harness::option_value(&list, "龙智新材料（示范企业）");
        let theirs = raise(
            &app,
            &c2,
            &c2csrf,
            &[("kind", "financing"), ("title", "电子材料产线贷款"), ("asked", "800"), ("enterprise_id", &other_ent)],
        )
        .await;

        let (bank, bcsrf) = app.web_login("bank1").await;
        let list = html(&app, &bank, "/requests").await;
        assert!(
            list.contains("技改设备贷款") && !list.contains("电子材料产线贷款"),
            "{b:?}: the bank sees its chain only"
        );
        assert!(!list.contains("扩建再生塑料造粒车间用地"), "{b:?}: and only financing");
        let res = bank.get(format!("{}/requests/{theirs}", app.base)).send().await.expect("get");
        assert_eq!(res.status(), 403, "{b:?}: another chain's request refused");
        let res = post(
            &app,
            &bank,
            &format!("/requests/{theirs}/answer"),
            &[("_csrf", &bcsrf), ("outcome", "granted"), ("version", "1")],
        )
        .await;
        assert_eq!(res.status(), 403, "{b:?}: another chain's request cannot be answered");

        let answer = |outcome: &'static str, granted: &'static str, reason: &'static str, version: &'static str| {
            vec![
                ("_csrf", bcsrf.clone()),
                ("outcome", outcome.into()),
                ("granted", granted.into()),
                ("reason", reason.into()),
                ("version", version.into()),
            ]
        };
        let path = format!("/requests/{mine}/answer");
        let send = |form: Vec<(&'static str, String)>| {
            let bank = bank.clone();
            let url = format!("{}{path}", app.base);
            async move { bank.post(url).form(&form).send().await.expect("answer") }
        };
        let res = send(answer("granted", "600", "", "1")).await;
        assert_eq!(res.status(), 422, "{b:?}: more than asked");
        assert!(res.text().await.expect("text").contains("满足数额不能大于诉求数额"), "{b:?}: said why");
        let res = send(answer("partly", "300", "", "1")).await;
        assert_eq!(res.status(), 422, "{b:?}: a partial grant says why");
        let res = send(answer("partly", "300", "按抵押物评估值核定", "1")).await;
        assert_eq!(res.status(), 303, "{b:?}: partly granted");
        // A second answer on the version read before: a conflict, not an overwrite.
        let res = send(answer("granted", "", "", "1")).await;
        assert_eq!(res.status(), 409, "{b:?}: the stale answer is a conflict");
        let page = html(&app, &ent, &format!("/requests/{mine}")).await;
        assert!(
            page.contains("部分满足：300万元") && page.contains("按抵押物评估值核定"),
            "{b:?}: the answer shown: {page}"
        );

        // Only the requester rates, once, and says why when unsatisfied.
        let (office, ocsrf) = app.web_login("office").await;
        let rate = format!("/requests/{mine}/rate");
        let res = post(&app, &office, &rate, &[("_csrf", &ocsrf), ("rating", "satisfied"), ("version", "2")]).await;
        assert_eq!(res.status(), 403, "{b:?}: the office does not rate");
        let res = post(&app, &ent, &rate, &[("_csrf", &csrf), ("rating", "unsatisfied"), ("version", "2")]).await;
        assert_eq!(res.status(), 422, "{b:?}: unsatisfied without a reason");
        let res = post(
            &app,
            &ent,
            &rate,
            &[("_csrf", &csrf), ("rating", "basic"), ("comment", "额度偏低"), ("version", "2")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: rated");
        let res = post(&app, &ent, &rate, &[("_csrf", &csrf), ("rating", "satisfied"), ("version", "3")]).await;
        assert_eq!(res.status(), 422, "{b:?}: rated once");

        // The line used: the demo's 2,000万元 and these 300万元 of a 5亿元 line.
        let finance = html(&app, &office, "/finance").await;
        assert!(finance.contains("2300万元") && finance.contains("占额度 4.6%"), "{b:?}: line used: {finance}");
        let summary = html(&app, &office, "/requests").await;
        assert!(
            summary.contains("按承办单位") && summary.contains("汨罗市人民政府金融工作办公室"),
            "{b:?}: unit summary"
        );
    }
}

#[tokio::test]
async fn bad_requests_and_campaigns_are_refused_naming_the_field_and_change_nothing() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (ent, csrf) = app.web_login("ent1").await;
        let before = count(&app).await;
        for (form, field) in [
            (vec![("kind", "gold"), ("title", "x")], "请选择诉求类型"),
            (vec![("kind", "land"), ("title", "用地"), ("asked", "三十亩")], "诉求数额应为数字"),
            (vec![("kind", "approval"), ("title", "审批"), ("asked", "3")], "审批手续不填诉求数额"),
            (vec![("kind", "land"), ("title", " ")], "诉求事项"),
        ] {
            let mut f = vec![("_csrf", csrf.as_str())];
            f.extend(form);
            let res = post(&app, &ent, "/requests", &f).await;
            assert_eq!(res.status(), 422, "{b:?}: {field}");
            assert!(res.text().await.expect("text").contains(field), "{b:?}: names {field}");
        }
        assert_eq!(count(&app).await, before, "{b:?}: nothing recorded");
        // An enterprise raises for itself only.
        let list = html(&app, &ent, "/requests").await;
        assert!(!list.contains("name=\"enterprise_id\""), "{b:?}: no enterprise picker for an enterprise");

        let (office, ocsrf) = app.web_login("office").await;
        let res = post(
            &app,
            &office,
            "/campaigns",
            &[
                ("_csrf", &ocsrf),
                ("name", "用地保障行动"),
                ("leader", "副市长"),
                ("starts_on", "2026-12-01"),
                ("ends_on", "2026-11-01"),
            ],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: ends before it starts");
        let res = post(
            &app,
            &office,
            "/campaigns",
            &[
                ("_csrf", &ocsrf),
                ("name", "用地保障行动"),
                ("leader", "副市长"),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-01"),
            ],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: campaign started");
        let id = created_id(&res, "/campaigns/");
        let (c1, c1csrf) = app.web_login("chain1").await;
        let res = post(
            &app,
            &c1,
            &format!("/campaigns/{id}/actions"),
            &[("_csrf", &c1csrf), ("done_on", "2026-11-02"), ("action", "走访")],
        )
        .await;
        assert_eq!(res.status(), 403, "{b:?}: a chain office does not keep the campaign");
        let res = post(
            &app,
            &office,
            &format!("/campaigns/{id}/actions"),
            &[("_csrf", &ocsrf), ("done_on", "2099-01-01"), ("action", "走访")],
        )
        .await;
        assert_eq!(res.status(), 422, "{b:?}: an action in the future");
        let res = post(
            &app,
            &office,
            &format!("/campaigns/{id}/actions"),
            &[("_csrf", &ocsrf), ("done_on", "2026-11-02"), ("action", "走访园区企业")],
        )
        .await;
        assert_eq!(res.status(), 303, "{b:?}: action recorded");
        // A request raised under the campaign is counted on its page.
        let list = html(&app, &ent, "/my").await;
        assert!(list.contains("用地保障行动"), "{b:?}: the workspace offers the campaign");
        let _ =
            raise(&app, &ent, &csrf, &[("kind", "land"), ("title", "仓储用地"), ("asked", "12"), ("campaign_id", &id)])
                .await;
        let page = html(&app, &office, &format!("/campaigns/{id}")).await;
        assert!(page.contains("走访园区企业") && page.contains("仓储用地"), "{b:?}: the campaign's work and requests");
    }
}

/// A webhook that answers 200 to everything.
async fn webhook() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
            });
        }
    });
    url
}

#[tokio::test]
async fn a_request_due_or_late_is_pushed_to_the_channels_once() {
    for b in backends() {
        let url = webhook().await;
        let env = [("CHAINCHIEF_WEB__WEBHOOK_URL", url.as_str()), ("CHAINCHIEF_WEB__NOTIFY_INTERVAL_SECONDS", "1")];
        let app = TestApp::spawn_with(b, &env).await;
        let (office, _) = app.web_login("office").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut page = String::new();
        while std::time::Instant::now() < deadline {
            page = html(&app, &office, "/pushes").await;
            if page.contains("焙烧炉迎峰度冬用电保障") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        assert!(
            page.contains("用能保障“焙烧炉迎峰度冬用电保障”已逾期"),
            "{b:?}: the demo's late request pushed: {page}"
        );
        assert_eq!(page.matches("焙烧炉迎峰度冬用电保障").count(), 1, "{b:?}: once");
    }
}
