//! Scope by relationship, not by role: each office, unit, chief, leader and enterprise reads and
//! changes only what is theirs — another chain's enterprises, projects, tasks, needs and files are
//! refused (and the refusal audited), and drill-downs show them only as a total.

use crate::harness::{CHAIN1, TestApp, backends, html};
use reqwest::StatusCode;
use std::collections::BTreeSet;

/// Which chains each enterprise is on: linked to the chain, or placed on one of its nodes.
const ON_CHAINS: &str = "WITH m AS (SELECT enterprise_id, chain_id FROM enterprise_chains UNION \
    SELECT en.enterprise_id, n.chain_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id)";

/// Names of the enterprises `user` may open, by the list API.
async fn readable_names(app: &TestApp, user: &str) -> BTreeSet<String> {
    let token = app.token(user).await;
    let mut out = BTreeSet::new();
    for page in 1.. {
        let url = format!("/api/v1/enterprises?per_page=200&page={page}");
        let v: serde_json::Value = app.get(&token, &url).await.json().await.expect("json");
        let items = v["items"].as_array().expect("items");
        out.extend(items.iter().map(|e| e["name"].as_str().expect("name").to_string()));
        if items.len() < 200 {
            break;
        }
    }
    out
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> String {
    let store = app.db.store().await;
    let (v,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(bind)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    store.close().await;
    v
}

async fn post_form(c: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> StatusCode {
    c.post(format!("{}{path}", app.base)).form(form).send().await.expect("post").status()
}

#[tokio::test]
async fn drill_downs_show_other_chains_enterprises_only_as_a_total() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let everyone = readable_names(&app, "office").await;
        let mine = readable_names(&app, "chain1").await;
        let hidden: Vec<&String> = everyone.difference(&mine).filter(|n| n.chars().count() >= 4).collect();
        assert!(!hidden.is_empty(), "{b:?}: the demo has enterprises chain1 may not open");
        let (c, _) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let list: serde_json::Value = app.get(&token, "/api/v1/indicators").await.json().await.expect("json");
        let mut totals = 0;
        for ind in list.as_array().expect("indicators") {
            let id = ind["id"].as_str().expect("id");
            let res = c.get(format!("{}/indicators/{id}", app.base)).send().await.expect("page");
            if res.status() != StatusCode::OK {
                continue;
            }
            let page = res.text().await.expect("html");
            for name in &hidden {
                assert!(!page.contains(name.as_str()), "{b:?}: {} shows {name}", ind["name"]);
            }
            totals += usize::from(page.contains("其他企业（"));
        }
        assert!(totals > 0, "{b:?}: some drill-down counts other chains' enterprises in one total");
    }
}

#[tokio::test]
async fn offices_and_units_change_only_their_own_records() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        // An enterprise only on chain 1, and a project of chain 3: neither is chain 2's.
        let ent = scalar(
            &app,
            &format!(
                "{ON_CHAINS} SELECT m.enterprise_id FROM m JOIN chains c ON c.id = m.chain_id WHERE c.name = $1 \
             AND m.enterprise_id NOT IN (SELECT m2.enterprise_id FROM m m2 JOIN chains c2 ON c2.id = m2.chain_id \
             WHERE c2.name <> $1) ORDER BY m.enterprise_id LIMIT 1"
            ),
            CHAIN1,
        )
        .await;
        let project = scalar(
            &app,
            "SELECT p.id FROM projects p JOIN chains c ON c.id = p.chain_id WHERE c.name = $1 ORDER BY p.id LIMIT 1",
            "有色金属新材料产业链",
        )
        .await;
        let (c2, csrf2) = app.web_login("chain2").await;
        let today = crate::harness::today().to_string();

        // Another chain's enterprise: no diagnosis, no supply posting, no tier, no relation.
        let diagnosis = [("on", today.as_str()), ("_csrf", csrf2.as_str())];
        assert_eq!(post_form(&c2, &app, &format!("/enterprises/{ent}/diagnosis"), &diagnosis).await, 403, "{b:?}");
        let need = [
            ("kind", "need"),
            ("enterprise_id", ent.as_str()),
            ("part", "玻璃纤维"),
            ("process", ""),
            ("extra", ""),
            ("value", ""),
            ("_csrf", csrf2.as_str()),
        ];
        assert_eq!(post_form(&c2, &app, "/supply", &need).await, 403, "{b:?}: a need for another chain's enterprise");
        let tier = [("tier", "national_little_giant"), ("since", ""), ("_csrf", csrf2.as_str())];
        assert_eq!(post_form(&c2, &app, &format!("/enterprises/{ent}/tiers"), &tier).await, 403, "{b:?}");

        // Nor is another chain's enterprise brought onto chain 2's map (which would make chain 2 its keeper).
        let node = scalar(
            &app,
            "SELECT n.id FROM chain_nodes n JOIN chains c ON c.id = n.chain_id WHERE c.name = $1 ORDER BY n.id LIMIT 1",
            "电子信息产业链",
        )
        .await;
        let chain2 = scalar(&app, "SELECT id FROM chains WHERE name = $1", "电子信息产业链").await;
        let place = [("enterprise_id", ent.as_str()), ("_csrf", csrf2.as_str())];
        let path = format!("/chains/{chain2}/nodes/{node}/enterprises");
        assert_eq!(post_form(&c2, &app, &path, &place).await, 403, "{b:?}");
        let node_page = html(&app, &c2, &format!("/chains/{chain2}/nodes/{node}")).await;
        assert!(!node_page.contains(&format!("value=\"{ent}\"")), "{b:?}: not offered either");

        // Another chain's project: not listed, not opened, its files not downloaded.
        let list = html(&app, &c2, "/projects").await;
        assert!(!list.contains(&format!("/projects/{project}\"")), "{b:?}: another chain's project listed");
        let page = c2.get(format!("{}/projects/{project}", app.base)).send().await.expect("get");
        assert_eq!(page.status(), 403, "{b:?}");

        // The enterprise's own user certifies nothing and links itself to no one.
        let (e1, ecsrf) = app.web_login("ent1").await;
        let own = scalar(
            &app,
            "SELECT enterprise_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = $1",
            "ent1",
        )
        .await;
        let tier = [("tier", "national_little_giant"), ("since", ""), ("_csrf", ecsrf.as_str())];
        assert_eq!(
            post_form(&e1, &app, &format!("/enterprises/{own}/tiers"), &tier).await,
            403,
            "{b:?}: self-certified"
        );
        let relation = [
            ("direction", "customer"),
            ("other_id", ent.as_str()),
            ("product", "玻纤纱"),
            ("value", "100"),
            ("remove", ""),
            ("_csrf", ecsrf.as_str()),
        ];
        assert_eq!(post_form(&e1, &app, &format!("/enterprises/{own}/relations"), &relation).await, 403, "{b:?}");
        let edit = html(&app, &e1, &format!("/enterprises/{own}/edit")).await;
        assert!(!edit.contains(&format!("action=\"/enterprises/{own}/tiers\"")), "{b:?}: no tier form shown");

        // The leader reads and instructs but files no problem.
        let (leader, lcsrf) = app.web_login("leader").await;
        let problem =
            [("project_id", project.as_str()), ("title", "领导提出"), ("detail", "说明"), ("_csrf", lcsrf.as_str())];
        assert_eq!(post_form(&leader, &app, "/problems", &problem).await, 403, "{b:?}");

        // A unit changes only the targets it owns.
        let (unit, ucsrf) = app.web_login("unit-gxq").await;
        let target = scalar(
            &app,
            "SELECT t.id FROM investment_targets t LEFT JOIN units u ON u.id = t.owner_unit_id \
             WHERE u.code IS NULL OR u.code <> $1 ORDER BY t.id LIMIT 1",
            "gxq",
        )
        .await;
        let status = [("status", "contacted"), ("note", ""), ("version", "1"), ("_csrf", ucsrf.as_str())];
        assert_eq!(post_form(&unit, &app, &format!("/investment/targets/{target}"), &status).await, 403, "{b:?}");

        // Every refusal above is in the audit log.
        let store = app.db.store().await;
        let (denied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
            .fetch_one(store.pool())
            .await
            .expect("count");
        store.close().await;
        assert!(denied >= 9, "{b:?}: {denied} refusals audited");
    }
}
