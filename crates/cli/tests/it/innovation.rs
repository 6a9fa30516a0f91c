//! Innovation resources [N1]–[N5] through the real binary: a chain office records a consortium
//! with its members and a key technology worked on by it; bad input, twice-added members, a stage
//! going back and a stale save are refused; scope holds; the map layer and the bundle show them.

use crate::harness::{CHAIN1, TestApp, backends, created_id, html};
use crate::policy::enterprise_id;

async fn post(c: &reqwest::Client, app: &TestApp, csrf: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut form = form.to_vec();
    form.push(("_csrf", csrf));
    c.post(format!("{}{path}", app.base)).form(&form).send().await.expect("post")
}

#[tokio::test]
async fn a_consortium_and_its_key_technology_are_kept_by_their_chain_office_and_shown_on_the_map_and_roadmap() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let chain1 = app.chain_id(&office, CHAIN1).await;
        let own = enterprise_id(&app, "同力（示范企业）").await;
        let same = enterprise_id(&app, "中塑（示范企业）").await;
        let (c, csrf) = app.web_login("chain1").await;

        // A consortium of chain 1, led by 同力, with 中塑 downstream and 中南大学.
        let consortium = [
            ("kind", "consortium"),
            ("name", "矩阵新材料创新联合体"),
            ("level", "provincial"),
            ("since_year", "2024"),
            ("chain_id", chain1.as_str()),
            ("host_enterprise_id", own.as_str()),
            ("purpose", "高性能非金属材料攻关"),
        ];
        let res = post(&c, &app, &csrf, "/innovation", &consortium).await;
        assert_eq!(res.status(), 303, "{b:?}");
        let id = created_id(&res, "/innovation/");
        let again = post(&c, &app, &csrf, "/innovation", &consortium).await;
        assert_eq!(again.status(), 422, "{b:?}");
        assert!(again.text().await.unwrap_or_default().contains("已有同名的创新载体“矩阵新材料创新联合体”"), "{b:?}");
        let mut bad = consortium.to_vec();
        bad[1] = ("name", "另一个联合体");
        bad[2] = ("level", "galactic");
        let refused = post(&c, &app, &csrf, "/innovation", &bad).await;
        assert_eq!(refused.status(), 422, "{b:?}");
        assert!(refused.text().await.unwrap_or_default().contains("认定级别“galactic”不存在"), "{b:?}");

        let members = format!("/innovation/{id}/members");
        let lead = [("enterprise_id", own.as_str()), ("member_type", "enterprise"), ("role", "lead")];
        assert_eq!(post(&c, &app, &csrf, &members, &lead).await.status(), 303, "{b:?}");
        let twice = post(&c, &app, &csrf, &members, &lead).await;
        assert_eq!(twice.status(), 422, "{b:?}");
        assert!(twice.text().await.unwrap_or_default().contains("已是该载体的牵头成员"), "{b:?}");
        let second_lead = [("enterprise_id", same.as_str()), ("member_type", "enterprise"), ("role", "lead")];
        let refused = post(&c, &app, &csrf, &members, &second_lead).await;
        assert!(refused.text().await.unwrap_or_default().contains("已有牵头单位"), "{b:?}");
        let down = [("enterprise_id", same.as_str()), ("member_type", "enterprise"), ("role", "downstream")];
        assert_eq!(post(&c, &app, &csrf, &members, &down).await.status(), 303, "{b:?}");
        let csu = [("name", "中南大学"), ("member_type", "university"), ("role", "research")];
        assert_eq!(post(&c, &app, &csrf, &members, &csu).await.status(), 303, "{b:?}");
        let page = html(&app, &c, &format!("/innovation/{id}")).await;
        assert!(page.contains("成员（3）") && page.contains("中南大学") && page.contains("增加成员"), "{b:?}");

        // Scope: chain 2's office neither opens nor changes it, and does not see it listed.
        let (c2, csrf2) = app.web_login("chain2").await;
        assert_eq!(c2.get(format!("{}/innovation/{id}", app.base)).send().await.expect("get").status(), 403, "{b:?}");
        let other = [("name", "湘潭大学"), ("member_type", "university"), ("role", "research")];
        assert_eq!(post(&c2, &app, &csrf2, &members, &other).await.status(), 403, "{b:?}");
        assert!(!html(&app, &c2, "/innovation?family=consortium").await.contains("矩阵新材料创新联合体"), "{b:?}");
        // 同力's own user sees the consortium it leads, without the forms.
        let (ent, _) = app.web_login("ent1").await;
        let seen = ent.get(format!("{}/innovation/{id}", app.base)).send().await.expect("get");
        assert_eq!(seen.status(), 200, "{b:?}");
        let seen = seen.text().await.expect("html");
        assert!(seen.contains("矩阵新材料创新联合体") && !seen.contains("name=\"member_type\""), "{b:?}: no forms");

        // A key technology worked on by the consortium, moved forward, never back.
        let tech = |stage: &'static str, version: Option<&'static str>| {
            let mut f = vec![
                ("chain_id", chain1.clone()),
                ("name", "矩阵高纯石英提纯".to_string()),
                ("category", "core_technology".to_string()),
                ("owner_enterprise_id", own.clone()),
                ("partners", "中南大学、湘潭大学".to_string()),
                ("consortium_id", id.clone()),
                ("stage", stage.to_string()),
                ("target_year", "2027".to_string()),
                ("progress", format!("进入{stage}")),
            ];
            if let Some(v) = version {
                f.push(("version", v.to_string()));
            }
            f.push(("_csrf", csrf.clone()));
            f
        };
        let res = c.post(format!("{}/innovation/technologies", app.base)).form(&tech("applied", None)).send().await;
        let res = res.expect("post");
        assert_eq!(res.status(), 303, "{b:?}");
        let tid = created_id(&res, "/innovation/technologies/");
        let path = format!("{}/innovation/technologies/{tid}", app.base);
        let forward = c.post(&path).form(&tech("underway", Some("1"))).send().await.expect("post");
        assert_eq!(forward.status(), 303, "{b:?}");
        let stale = c.post(&path).form(&tech("accepted", Some("1"))).send().await.expect("post");
        assert_eq!(stale.status(), 409, "{b:?}: the second save of version 1 is a conflict");
        let back = c.post(&path).form(&tech("published", Some("2"))).send().await.expect("post");
        assert_eq!(back.status(), 422, "{b:?}");
        assert!(back.text().await.unwrap_or_default().contains("不能从“任务实施”退回到“集中发榜”"), "{b:?}");
        let page = html(&app, &c, &format!("/innovation/technologies/{tid}")).await;
        assert!(
            page.contains("申请揭榜") && page.contains("进入underway") && page.contains("矩阵新材料创新联合体"),
            "{b:?}"
        );
        assert_eq!(c2.get(&path).send().await.expect("get").status(), 403, "{b:?}");
        // The search box finds the technology and the consortium for chain 1, not for chain 2.
        let found = html(&app, &c, "/search?q=矩阵").await;
        assert!(found.contains(&format!("/innovation/technologies/{tid}")), "{b:?}");
        assert!(found.contains(&format!("/innovation/{id}\"")), "{b:?}");
        assert!(!html(&app, &c2, "/search?q=矩阵").await.contains("/innovation/"), "{b:?}");

        // Evaluations: not before it was recognised, not in the future, once a year; two fails in
        // a row call for its revocation; another chain's office may not record one.
        let evals = format!("/innovation/{id}/evaluations");
        for (year, band, score, why) in [
            ("2023", "good", "", "不能早于认定（成立）年份2024年"),
            ("2099", "good", "", "评价年份应为"),
            ("2025", "galactic", "", "评价结果“galactic”不存在"),
            ("2025", "fail", "120", "评价得分应为0至100的整数"),
        ] {
            let res = post(&c, &app, &csrf, &evals, &[("year", year), ("band", band), ("score", score)]).await;
            assert_eq!(res.status(), 422, "{b:?}: {year} {band} {score}");
            assert!(res.text().await.unwrap_or_default().contains(why), "{b:?}: {why}");
        }
        let fail = |year| [("year", year), ("band", "fail"), ("score", "52"), ("note", "研发投入未达标")];
        assert_eq!(post(&c, &app, &csrf, &evals, &fail("2025")).await.status(), 303, "{b:?}");
        let again = post(&c, &app, &csrf, &evals, &fail("2025")).await;
        assert!(again.text().await.unwrap_or_default().contains("该载体2025年已有评价结果"), "{b:?}");
        assert_eq!(post(&c2, &app, &csrf2, &evals, &fail("2026")).await.status(), 403, "{b:?}");
        assert!(html(&app, &c, &format!("/innovation/{id}")).await.contains("2025年评价不合格，须整改或撤销认定"));
        assert_eq!(post(&c, &app, &csrf, &evals, &fail("2026")).await.status(), 303, "{b:?}");
        let page = html(&app, &c, &format!("/innovation/{id}")).await;
        assert!(page.contains("截至2026年连续两次评价不合格，应撤销认定") && page.contains("研发投入未达标"), "{b:?}");

        // The map's innovation layer names the consortium on its members' nodes.
        let svg = html(&app, &c, &format!("/chains/{chain1}/map.svg?layer=innovation")).await;
        assert!(svg.contains("牵头·矩阵新材料创新联合体"), "{b:?}: the layer on the leader's node");
        assert!(!html(&app, &c, &format!("/chains/{chain1}/map.svg")).await.contains("矩阵新材料创新联合体"), "{b:?}");
        // The bundle's workbook is unchanged in shape; its document carries the roadmap.
        let docx = c.get(format!("{}/chains/{chain1}/bundle?format=docx", app.base)).send().await.expect("get");
        assert_eq!(docx.status(), 200, "{b:?}");
        let text = crate::reports::document_xml(&docx.bytes().await.expect("bytes"));
        assert!(text.contains("矩阵高纯石英提纯") && text.contains("申请揭榜→") && text.contains("任务实施"), "{b:?}");
        let platforms = &text[text.find("创新平台与联合体").expect("the carriers' list")..];
        assert!(platforms.contains("矩阵新材料创新联合体") && platforms.contains("2026年 不合格"), "{b:?}");
        // The 2023 version knows neither: the consortium dates from 2024, the technology from today.
        let old =
            c.get(format!("{}/chains/{chain1}/bundle?year=2023&format=docx", app.base)).send().await.expect("get");
        let old = crate::reports::document_xml(&old.bytes().await.expect("bytes"));
        assert!(old.contains("创新平台与联合体"), "{b:?}: the 2023 version has the list");
        assert!(!old.contains("矩阵新材料创新联合体") && !old.contains("矩阵高纯石英提纯"), "{b:?}: as of 2023");

        // Excel out of both lists.
        for list in ["/innovation?family=consortium&format=xlsx", "/innovation/technologies?format=xlsx"] {
            let x = c.get(format!("{}{list}", app.base)).send().await.expect("get");
            assert_eq!(x.status(), 200, "{b:?}: {list}");
            let bytes = x.bytes().await.expect("bytes");
            assert!(bytes.starts_with(b"PK"), "{b:?}: {list} is a workbook");
        }

        // A patent with its reward; the same number twice is refused.
        let patent = [
            ("enterprise_id", own.as_str()),
            ("kind", "invention_patent"),
            ("title", "一种矩阵石英提纯方法"),
            ("number", "ZL202410000001.X"),
            ("granted_year", "2025"),
            ("reward", "5"),
        ];
        assert_eq!(post(&c, &app, &csrf, "/innovation/results", &patent).await.status(), 303, "{b:?}");
        assert_eq!(post(&c, &app, &csrf, "/innovation/results", &patent).await.status(), 422, "{b:?}");
        let results = html(&app, &c, "/innovation/results").await;
        let row = &results[results.find("ZL202410000001.X").expect("the patent listed")..];
        assert!(row[..row.find("</tr>").unwrap_or(row.len())].contains("5万元"), "{b:?}: with its reward");
    }
}
