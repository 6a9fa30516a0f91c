//! Editing a chain's structure: nodes and edges with the chain's rules.

use crate::harness::{TestApp, backends};

async fn ids(app: &TestApp, chain: &str, names: &[&str]) -> (String, Vec<String>) {
    let store = app.db.store().await;
    let (chain_id,): (String,) = sqlx::query_as("SELECT id FROM chains WHERE name = $1")
        .bind(chain)
        .fetch_one(store.pool())
        .await
        .expect("chain");
    let mut out = Vec::new();
    for n in names {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM chain_nodes WHERE chain_id = $1 AND name = $2")
            .bind(&chain_id)
            .bind(n)
            .fetch_one(store.pool())
            .await
            .expect("node");
        out.push(id);
    }
    store.close().await;
    (chain_id, out)
}

#[tokio::test]
async fn offices_edit_nodes_and_edges_within_the_rules() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (chain, nodes) = ids(&app, "有色金属新材料产业链", &["废杂铜回收", "铜杆/铜线"]).await;
        let (_, others) = ids(&app, "电子信息产业链", &["覆铜板"]).await;
        let (c, csrf) = app.web_login("chain3").await;
        let post = |path: String, form: Vec<(&'static str, String)>| {
            let mut f = form;
            f.push(("_csrf", csrf.clone()));
            c.post(format!("{}{path}", app.base)).form(&f).send()
        };
        let node = |name: &str| {
            vec![
                ("name", name.to_string()),
                ("stage", "midstream".into()),
                ("products", "阴极铜板".into()),
                ("industry_codes", "3211".into()),
            ]
        };
        let ok = post(format!("/chains/{chain}/nodes"), node("铜精炼")).await.expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        let dup = post(format!("/chains/{chain}/nodes"), node("铜精炼")).await.expect("post");
        assert_eq!(dup.status(), 422, "{b:?}");
        assert!(dup.text().await.expect("html").contains("本产业链已有名为“铜精炼”的环节"));
        let bad_code = post(
            format!("/chains/{chain}/nodes"),
            vec![
                ("name", "x".into()),
                ("stage", "midstream".into()),
                ("products", "".into()),
                ("industry_codes", "32".into()),
            ],
        )
        .await
        .expect("post");
        assert!(bad_code.text().await.expect("html").contains("4位小类代码"), "{b:?}");
        let unknown_class = post(
            format!("/chains/{chain}/nodes"),
            vec![
                ("name", "x".into()),
                ("stage", "midstream".into()),
                ("products", "".into()),
                ("industry_codes", "9999".into()),
            ],
        )
        .await
        .expect("post");
        assert!(unknown_class.text().await.expect("html").contains("不是 GB/T 4754-2017 中收录的小类"), "{b:?}");

        let cross = post(format!("/chains/{chain}/edges"), vec![("from", nodes[0].clone()), ("to", others[0].clone())])
            .await
            .expect("post");
        assert_eq!(cross.status(), 422);
        assert!(cross.text().await.expect("html").contains("不能连到其他产业链"), "{b:?}");
        let back = vec![("from", nodes[1].clone()), ("to", nodes[0].clone())];
        let cycle = post(format!("/chains/{chain}/edges"), back.clone()).await.expect("post");
        assert!(cycle.text().await.expect("html").contains("确认形成循环"), "{b:?}: a cycle needs confirmation");
        let mut confirmed = back;
        confirmed.push(("confirm_cycle", "1".into()));
        assert_eq!(post(format!("/chains/{chain}/edges"), confirmed).await.expect("post").status(), 303, "{b:?}");

        let store = app.db.store().await;
        let (new_id, version): (String, i64) =
            sqlx::query_as("SELECT id, version FROM chain_nodes WHERE name = '铜精炼'")
                .fetch_one(store.pool())
                .await
                .expect("node");
        store.close().await;
        let mut edit = node("铜精炼（电解）");
        edit.push(("version", version.to_string()));
        assert_eq!(
            post(format!("/chains/{chain}/nodes/{new_id}/edit"), edit.clone()).await.expect("post").status(),
            303
        );
        assert_eq!(
            post(format!("/chains/{chain}/nodes/{new_id}/edit"), edit).await.expect("post").status(),
            409,
            "{b:?}: stale"
        );
        let (c2, csrf2) = app.web_login("chain2").await;
        let denied = c2
            .post(format!("{}/chains/{chain}/nodes/{new_id}/delete", app.base))
            .form(&[("_csrf", csrf2)])
            .send()
            .await
            .expect("post");
        assert_eq!(denied.status(), 403, "{b:?}");
        assert_eq!(post(format!("/chains/{chain}/nodes/{new_id}/delete"), vec![]).await.expect("post").status(), 303);
        let token = app.token("chain3").await;
        let page = app.get(&token, &format!("/chains/{chain}/structure")).await.text().await.expect("html");
        assert!(!page.contains("铜精炼") && page.contains("废杂铜回收"), "{b:?}");
    }
}
