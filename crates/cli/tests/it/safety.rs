//! 三同时 and attachments through the real binary: evidence checked by content and size, the
//! projects missing a checkpoint, files served only to those who may see their owner.

use crate::harness::{TestApp, backends, created_id, html, open_project};
use reqwest::multipart::{Form, Part};

fn form(fields: &[(&'static str, String)], name: &str, bytes: Vec<u8>) -> Form {
    let mut f = Form::new();
    for (k, v) in fields {
        f = f.text(*k, v.clone());
    }
    f.part("file", Part::bytes(bytes).file_name(name.to_string()))
}

#[tokio::test]
async fn checkpoints_need_real_evidence_and_files_stay_with_those_who_may_see_them() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain3").await;
        let project = open_project(&app, &c, &csrf, "安全示范项目", "5000").await;
        let day = crate::harness::today().format("%Y-%m-%d").to_string();
        let moved = c
            .post(format!("{}/projects/{project}/stage", app.base))
            .form(&[
                ("to", "approval"),
                ("version", "1"),
                ("signed", "5000"),
                ("signed_on", day.as_str()),
                ("approval_on", day.as_str()),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await
            .expect("stage");
        assert_eq!(moved.status(), 303, "{b:?}");
        let list = html(&app, &c, "/projects/safety").await;
        assert!(row_of(&list, "安全示范项目").contains("未登记"), "{b:?}: design is due at approval");

        let upload = |fields: Vec<(&'static str, String)>, name: &str, bytes: Vec<u8>| {
            c.post(format!("{}/projects/{project}/checkpoints?_csrf={csrf}", app.base))
                .multipart(form(&fields, name, bytes))
                .send()
        };
        let design = || vec![("checkpoint", "design".to_string()), ("done_on", day.clone())];
        let fake = upload(design(), "设计专篇.pdf", b"MZ\x90\x00 an executable".to_vec()).await.expect("post");
        assert_eq!(fake.status(), 422, "{b:?}");
        assert!(fake.text().await.expect("text").contains("内容不是 pdf"), "{b:?}");
        let early =
            upload(vec![("checkpoint", "acceptance".into()), ("done_on", day.clone())], "a.pdf", b"%PDF-1.4".to_vec())
                .await
                .expect("post");
        assert_eq!(early.status(), 422, "{b:?}: 投入使用 is recorded at production");
        // Beyond the limit the server answers 413 or closes the connection before reading it all.
        // (On a connection of its own: the refused body leaves that connection unusable.)
        let token = app.token("chain3").await;
        let huge = TestApp::browser()
            .post(format!("{}/projects/{project}/checkpoints", app.base))
            .bearer_auth(&token)
            .multipart(form(&design(), "大.pdf", vec![b'%'; 12 * 1024 * 1024]))
            .send();
        match huge.await {
            Ok(huge) => assert!(matches!(huge.status().as_u16(), 413 | 422), "{b:?}: {}", huge.status()),
            Err(e) => assert!(e.is_request(), "{b:?}: {e}"),
        }
        let still = html(&app, &c, "/projects/safety").await;
        assert!(row_of(&still, "安全示范项目").contains("未登记"), "{b:?}: nothing stored");
        let pdf = "%PDF-1.4\n% 安全设施设计专篇\n".as_bytes().to_vec();
        let ok = upload(design(), "设计专篇.pdf", pdf.clone()).await.expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        assert_eq!(upload(design(), "again.pdf", pdf.clone()).await.expect("post").status(), 422, "{b:?}: once");
        let list = html(&app, &c, "/projects/safety").await;
        let row = row_of(&list, "安全示范项目");
        assert!(!row.contains("未登记"), "{b:?}: {row}");
        let at =
            list.find(&row).expect("row") + row.find("/attachments/").expect("evidence link") + "/attachments/".len();
        let file: String = list[at..].chars().take_while(|c| *c != '"').collect();
        let got = c.get(format!("{}/attachments/{file}", app.base)).send().await.expect("get");
        assert_eq!(got.headers()["content-type"], "application/pdf", "{b:?}");
        assert_eq!(got.bytes().await.expect("bytes").to_vec(), pdf, "{b:?}: the file comes back intact");
        let ent = app.token("ent1").await;
        assert_eq!(app.get(&ent, &format!("/attachments/{file}")).await.status(), 403, "{b:?}");

        // A problem's photo is served to those who may see the problem only.
        let (e, e_csrf) = app.web_login("ent1").await;
        let raised = e
            .post(format!("{}/problems", app.base))
            .form(&[("title", "道路未硬化"), ("detail", "厂区外道路雨天无法通行"), ("_csrf", e_csrf.as_str())])
            .send()
            .await
            .expect("raise");
        let problem = created_id(&raised, "/problems/");
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        let up = e
            .post(format!("{}/problems/{problem}/attachments?_csrf={e_csrf}", app.base))
            .multipart(form(&[], "现场.png", png))
            .send()
            .await
            .expect("upload");
        assert_eq!(up.status(), 303, "{b:?}");
        let page = html(&app, &e, &format!("/problems/{problem}")).await;
        let at = page.find("/attachments/").expect("photo") + "/attachments/".len();
        let photo: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let unit = app.token("unit-gxq").await;
        assert_eq!(
            app.get(&unit, &format!("/attachments/{photo}")).await.status(),
            403,
            "{b:?}: not assigned to the unit"
        );
        assert_eq!(app.get(&app.token("office").await, &format!("/attachments/{photo}")).await.status(), 200, "{b:?}");
    }
}

/// The table row of a project on the 三同时 page.
fn row_of(page: &str, name: &str) -> String {
    let start = page.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name} listed"));
    page[start..start + page[start..].find("</tr>").expect("row end")].to_string()
}
