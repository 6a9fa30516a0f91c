//! Chain maps: the demo chains, ratings and gaps, manual ratings with reasons, the map command.

use crate::harness::{Backend, TestApp, backends, cli, text};

async fn node_id(app: &TestApp, name: &str) -> (String, String) {
    let store = app.db.store().await;
    let row: (String, String) = sqlx::query_as("SELECT id, chain_id FROM chain_nodes WHERE name = $1")
        .bind(name)
        .fetch_one(store.pool())
        .await
        .expect("node");
    store.close().await;
    row
}

#[tokio::test]
async fn copper_cathode_is_the_blank_gap_and_a_manual_rating_needs_a_reason() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (node, chain) = node_id(&app, "电解/阴极铜").await;
        let token = app.token("chain3").await;
        let page = app.get(&token, &format!("/chains/{chain}/map?kind=status")).await;
        assert_eq!(page.status(), 200, "{b:?}");
        let html = page.text().await.expect("html");
        let fill = html.split("补链（").nth(1).expect("补链 list").split("</section>").next().unwrap_or("");
        assert!(fill.contains("电解/阴极铜"), "{b:?}: {fill}");
        assert!(
            html.contains("<svg") && html.contains("stroke-dasharray"),
            "{b:?}: status map with dashed blank nodes"
        );
        let other = app.token("chain2").await;
        assert_eq!(
            app.get(&other, &format!("/chains/{chain}/map")).await.status(),
            403,
            "{b:?}: another chain's office"
        );

        let (c, csrf) = app.web_login("chain3").await;
        let url = format!("{}/chains/{chain}/nodes/{node}/rating", app.base);
        let no_reason = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("rating", "weak"), ("reason", "")])
            .send()
            .await
            .expect("post");
        assert_eq!(no_reason.status(), 422, "{b:?}");
        let ok = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("rating", "weak"), ("reason", "阴极铜项目已签约")])
            .send()
            .await
            .expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        let node_page = app.get(&token, &format!("/chains/{chain}/nodes/{node}")).await.text().await.expect("html");
        assert!(node_page.contains("人工认定为薄弱") && node_page.contains("阴极铜项目已签约"), "{b:?}");
        let store = app.db.store().await;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'node.rating_override'")
            .fetch_one(store.pool())
            .await
            .expect("audit");
        store.close().await;
        assert_eq!(n, 1, "{b:?}: the override is audited");
    }
}

#[tokio::test]
async fn map_command_writes_svg_json_and_dot() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let dir = app.db.dir.path();
    for (format, needle) in [("svg", "<svg"), ("json", "\"rating\": \"blank\""), ("dot", "digraph")] {
        let out_file = dir.join(format!("cu.{format}"));
        let out = cli(
            &app.db,
            &[
                "map",
                "有色金属新材料产业链",
                "--kind",
                "status",
                "--format",
                format,
                "-o",
                out_file.to_str().expect("path"),
            ],
        );
        assert!(out.status.success(), "{format}: {}", text(&out));
        let content = std::fs::read_to_string(&out_file).expect("output");
        assert!(content.contains(needle) && content.contains("电解/阴极铜"), "{format}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cu.json")).expect("json")).expect("parse");
    let node =
        json["nodes"].as_array().expect("nodes").iter().find(|n| n["name"] == "电解/阴极铜").expect("node").clone();
    for key in ["id", "stage", "x", "y", "width", "height"] {
        assert!(!node[key].is_null(), "json node has {key}");
    }
    assert!(json["edges"][0]["points"].as_array().is_some_and(|p| p.len() >= 2));
    let unknown = cli(&app.db, &["map", "不存在的链", "-o", dir.join("x.svg").to_str().expect("path")]);
    assert!(!unknown.status.success() && text(&unknown).contains("没有 id 或名称为“不存在的链”的产业链"));
}

#[tokio::test]
async fn yearly_snapshots_are_frozen_and_compared() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (node, chain) = node_id(&app, "电解/阴极铜").await;
        let out = cli(&app.db, &["snapshot", "--year", "2025"]);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
        assert!(text(&out).contains("有色金属新材料产业链"), "{}", text(&out));
        let again = cli(&app.db, &["snapshot", "--year", "2025", "--chain", "有色金属新材料产业链"]);
        assert!(!again.status.success() && text(&again).contains("快照一经冻结不能修改"), "{b:?}: {}", text(&again));

        let (c, csrf) = app.web_login("chain3").await;
        let store = app.db.store().await;
        let (ent,): (String,) = sqlx::query_as("SELECT id FROM enterprises WHERE short_name = '展威'")
            .fetch_one(store.pool())
            .await
            .expect("ent");
        store.close().await;
        let placed = c
            .post(format!("{}/chains/{chain}/nodes/{node}/enterprises", app.base))
            .form(&[("_csrf", csrf.as_str()), ("enterprise_id", ent.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(placed.status(), 303);
        let made = c
            .post(format!("{}/chains/{chain}/snapshots", app.base))
            .form(&[("_csrf", csrf.as_str()), ("year", "2026")])
            .send()
            .await
            .expect("post");
        assert_eq!(made.status(), 303, "{b:?}");
        let token = app.token("chain3").await;
        let page =
            app.get(&token, &format!("/chains/{chain}/versions?from=2025&to=2026")).await.text().await.expect("html");
        assert!(page.contains("电解/阴极铜：空白 →"), "{b:?}: rating change shown");
        assert!(page.contains("电解/阴极铜：展威"), "{b:?}: enterprise gained shown");
    }
}

#[tokio::test]
async fn the_rubric_is_tuned_per_chain_and_ratings_follow() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (_, chain) = node_id(&app, "电解/阴极铜").await;
        let (c, csrf) = app.web_login("chain3").await;
        let url = format!("{}/chains/{chain}/rubric", app.base);
        let form = |w_scale: &str, advantage: &str, version: Option<&str>| {
            let mut f = vec![
                ("_csrf", csrf.clone()),
                ("w_enterprises", "25".to_string()),
                ("w_scale", w_scale.to_string()),
                ("w_revenue", "25".into()),
                ("w_innovation", "15".into()),
                ("w_relations", "15".into()),
                ("ref_enterprises", "5".into()),
                ("ref_scale", "3".into()),
                ("ref_revenue_yi", "20".into()),
                ("ref_innovation", "2".into()),
                ("ref_relations", "3".into()),
                ("advantage_from", advantage.to_string()),
                ("potential_from", "35".into()),
            ];
            if let Some(v) = version {
                f.push(("version", v.to_string()));
            }
            f
        };
        let bad = c.post(&url).form(&form("30", "60", None)).send().await.expect("post");
        assert_eq!(bad.status(), 422, "{b:?}");
        assert!(bad.text().await.expect("html").contains("各项权重之和应为100，现在是110"), "{b:?}");
        let token = app.token("chain3").await;
        let before = app.get(&token, &format!("/chains/{chain}/map?kind=status")).await.text().await.expect("html");
        let advantages = |html: &str| html.matches("rating-advantage\">优势").count();
        assert!(advantages(&before) > 0, "{b:?}: some nodes are 优势 by default");
        assert_eq!(c.post(&url).form(&form("20", "100", None)).send().await.expect("post").status(), 303, "{b:?}");
        let after = app.get(&token, &format!("/chains/{chain}/map?kind=status")).await.text().await.expect("html");
        assert!(advantages(&after) < advantages(&before), "{b:?}: a stricter rule lowers ratings");
        let stale = c.post(&url).form(&form("20", "90", None)).send().await.expect("post");
        assert_eq!(stale.status(), 409, "{b:?}: saved by someone since");
        let (c2, csrf2) = app.web_login("chain2").await;
        let mut other = form("20", "90", Some("1"));
        other[0] = ("_csrf", csrf2);
        assert_eq!(c2.post(&url).form(&other).send().await.expect("post").status(), 403, "{b:?}");
    }
}

#[tokio::test]
async fn node_and_reserve_lists_export_to_xlsx() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, chain) = node_id(&app, "电解/阴极铜").await;
    let token = app.token("office").await;
    for (path, needle) in [
        (format!("/chains/{chain}/map?kind=status&format=xlsx"), "电解/阴极铜"),
        ("/enterprises/reserve?target=provincial_little_giant&format=xlsx".to_string(), "满足条件数"),
    ] {
        let res = app.get(&token, &path).await;
        assert_eq!(res.status(), 200, "{path}");
        let bytes = res.bytes().await.expect("bytes");
        let table = chainchief_sheets::read_table(&bytes, "x.xlsx").expect("xlsx");
        let text =
            format!("{:?} {:?}", table.headers, table.rows.iter().map(|r| r.cells.join(",")).collect::<Vec<_>>());
        assert!(text.contains(needle), "{path}: {text}");
    }
}
