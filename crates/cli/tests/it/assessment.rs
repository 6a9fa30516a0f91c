//! Assessment of chain offices through the real binary: items from the data, manual items with
//! evidence, publication only when complete, frozen afterwards, export.

use crate::harness::{TestApp, backends, html};

#[tokio::test]
async fn chain_offices_are_scored_ranked_published_and_exported() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("office").await;
        let year = chrono::Datelike::year(&crate::harness::today());
        let page = html(&app, &c, &format!("/assessment?round={year}")).await;
        assert!(page.contains("目标指标完成情况（40分）") && page.contains("待评"), "{b:?}");
        let chains: Vec<String> = page
            .match_indices("<option value=\"")
            .map(|(i, _)| page[i + 15..].chars().take_while(|c| *c != '"').collect::<String>())
            .filter(|v| v.len() == 36)
            .collect();
        assert_eq!(chains.len(), 4, "{b:?}: the four leading chains");
        let score = |chain: &str, score: &str, evidence: &str| {
            let form = [
                ("round", year.to_string()),
                ("chain_id", chain.to_string()),
                ("item", "practice".into()),
                ("score", score.into()),
                ("evidence", evidence.into()),
                ("_csrf", csrf.clone()),
            ];
            c.post(format!("{}/assessment/scores", app.base)).form(&form).send()
        };
        assert_eq!(score(&chains[0], "15", "").await.expect("post").status(), 422, "{b:?}: evidence is required");
        assert_eq!(score(&chains[0], "25", "专报一篇").await.expect("post").status(), 422, "{b:?}: above the weight");
        let publish = || {
            c.post(format!("{}/assessment/publish", app.base))
                .form(&[("round", year.to_string()), ("_csrf", csrf.clone())])
                .send()
        };
        assert_eq!(publish().await.expect("post").status(), 422, "{b:?}: manual items not all scored");
        for (i, chain) in chains.iter().enumerate() {
            let s = format!("{}", 12 + i * 2);
            assert_eq!(score(chain, &s, "向市委报送专报一篇").await.expect("post").status(), 303, "{b:?}");
        }
        assert_eq!(publish().await.expect("post").status(), 303, "{b:?}");
        assert_eq!(publish().await.expect("post").status(), 422, "{b:?}: once");
        assert_eq!(score(&chains[0], "20", "改分").await.expect("post").status(), 422, "{b:?}: frozen");
        let frozen = html(&app, &c, &format!("/assessment?round={year}")).await;
        assert!(frozen.contains("已由 office") && frozen.contains("向市委报送专报一篇"), "{b:?}");
        let xlsx = c.get(format!("{}/assessment?round={year}&format=xlsx", app.base)).send().await.expect("get");
        let table = chainchief_sheets::read_table(&xlsx.bytes().await.expect("bytes"), "a.xlsx").expect("xlsx");
        assert_eq!(table.rows.len(), 4, "{b:?}");
        let (chain1, csrf1) = app.web_login("chain1").await;
        let denied = chain1
            .post(format!("{}/assessment/scores", app.base))
            .form(&[
                ("round", "2025"),
                ("chain_id", chains[0].as_str()),
                ("item", "practice"),
                ("score", "20"),
                ("evidence", "x"),
                ("_csrf", csrf1.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(denied.status(), 403, "{b:?}");
        assert_eq!(app.get(&app.token("ent1").await, "/assessment").await.status(), 403, "{b:?}");
    }
}
