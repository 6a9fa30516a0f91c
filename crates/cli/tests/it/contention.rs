//! Many writers on the same records at the same moment: each gets its answer (done, or a
//! conflict to retry), never a server error, and the audit chain stays whole.

use crate::harness::{CHAIN1, TestApp, audit_faults, backends};
use reqwest::StatusCode;

const WRITERS: usize = 40;

async fn indicator_id(app: &TestApp, token: &str, code: &str) -> String {
    let list: serde_json::Value = app.get(token, "/api/v1/indicators").await.json().await.expect("json");
    let found = list.as_array().expect("list").iter().find(|i| i["code"] == code).cloned();
    found.unwrap_or_else(|| panic!("{code}"))["id"].as_str().expect("id").to_string()
}

async fn enterprise_id(app: &TestApp, token: &str, short: &str) -> String {
    let q: String = short.bytes().map(|b| format!("%{b:02X}")).collect();
    let list: serde_json::Value =
        app.get(token, &format!("/api/v1/enterprises?q={q}")).await.json().await.expect("json");
    list["items"][0]["id"].as_str().expect("id").to_string()
}

/// Sends every request at once and counts the answers by status.
async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<StatusCode> {
    let sent = requests.into_iter().map(|r| tokio::spawn(async move { r.send().await.expect("send").status() }));
    let mut out = Vec::new();
    for s in sent {
        out.push(s.await.expect("join"));
    }
    out
}

fn count(statuses: &[StatusCode], s: StatusCode) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

#[tokio::test]
async fn writers_racing_on_one_record_get_one_success_and_conflicts_never_a_server_error() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let client = TestApp::browser();

        // The same new figure entered by many at once: one is stored, the others are told.
        let plastic = indicator_id(&app, &office, "ent-recycled-plastic").await;
        let tongli = enterprise_id(&app, &office, "同力").await;
        let url = format!("{}/api/v1/indicators/{plastic}/values", app.base);
        let body = serde_json::json!({"period": "2021-03", "value": "12345", "unit": "吨", "enterprise": tongli});
        let same = (0..WRITERS).map(|_| client.post(&url).bearer_auth(&office).json(&body)).collect();
        let statuses = all_at_once(same).await;
        assert!(statuses.iter().all(|s| !s.is_server_error()), "{b:?}: {statuses:?}");
        assert_eq!(count(&statuses, StatusCode::OK), 1, "{b:?}: {statuses:?}");
        assert_eq!(count(&statuses, StatusCode::CONFLICT), WRITERS - 1, "{b:?}: {statuses:?}");

        // Different new figures at once (months before the demo's figures): all stored.
        let months: Vec<String> = (1..=12).map(|m| format!("2021-{m:02}")).collect();
        let distinct = months
            .iter()
            .filter(|m| *m != "2021-03")
            .map(|m| {
                let body = serde_json::json!({"period": m, "value": "12000", "unit": "吨", "enterprise": tongli});
                client.post(&url).bearer_auth(&office).json(&body)
            })
            .collect();
        let statuses = all_at_once(distinct).await;
        assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{b:?}: {statuses:?}");

        // The same version of a chain saved by many at once: one wins, the others get a conflict.
        let chain = app.chain_id(&office, CHAIN1).await;
        let url = format!("{}/api/v1/chains/{chain}", app.base);
        let edits = (0..WRITERS)
            .map(|i| {
                let body = serde_json::json!({"description": format!("第{i}位的修改"), "version": 1});
                client.patch(&url).bearer_auth(&office).json(&body)
            })
            .collect();
        let statuses = all_at_once(edits).await;
        assert!(statuses.iter().all(|s| !s.is_server_error()), "{b:?}: {statuses:?}");
        assert_eq!(count(&statuses, StatusCode::OK), 1, "{b:?}: {statuses:?}");
        assert_eq!(count(&statuses, StatusCode::CONFLICT), WRITERS - 1, "{b:?}: {statuses:?}");

        assert!(audit_faults(&app.db.url).is_empty(), "{b:?}: {:?}", audit_faults(&app.db.url));
    }
}

#[tokio::test]
async fn imports_of_the_same_figures_in_different_orders_at_once_never_fail_in_the_database() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        // Twelve months of two enterprises' figures, each file in its own order: without one
        // writer at a time, two imports would each hold a row the other waits for.
        let rows: Vec<String> = (1..=12)
            .flat_map(|m| ["同力", "中塑"].map(|e| format!("ent-recycled-plastic,{e},2021-{m:02},{},吨", 1000 + m)))
            .collect();
        let files: Vec<std::path::PathBuf> = (0..6)
            .map(|i| {
                let mut mine = rows.clone();
                mine.rotate_left(i * 4);
                if i % 2 == 1 {
                    mine.reverse();
                }
                let path = app.db.dir.path().join(format!("values-{i}.csv"));
                std::fs::write(&path, format!("指标代码,企业,月份,数值,单位\n{}\n", mine.join("\n"))).expect("write");
                path
            })
            .collect();
        let runs: Vec<_> = files
            .iter()
            .map(|f| {
                let (url, f) = (app.db.url.clone(), f.clone());
                std::thread::spawn(move || {
                    let db = crate::harness::TestDb::foreign(&url);
                    crate::harness::text(&crate::harness::cli(
                        &db,
                        &["import", "values", "--city", "miluo", f.to_str().expect("path")],
                    ))
                })
            })
            .collect();
        let outputs: Vec<String> = runs.into_iter().map(|r| r.join().expect("join")).collect();
        // One writer at a time: the first stores the figures, the others find them stored.
        assert_eq!(outputs.iter().filter(|o| o.contains("新增 24 个")).count(), 1, "{b:?}: {outputs:?}");
        assert_eq!(outputs.iter().filter(|o| o.contains("无变化 24 个")).count(), 5, "{b:?}: {outputs:?}");
        assert!(audit_faults(&app.db.url).is_empty(), "{b:?}");
    }
}

/// One of many writers for a while: corrects a shared figure from the version it read, enters
/// figures of its own months, and saves a shared chain from the version it read; counts answers.
async fn keep_writing(
    token: String,
    enterprise: String,
    urls: (String, String),
    writer: usize,
    until: std::time::Instant,
) -> Vec<u16> {
    let (figures, chain) = urls;
    let client = TestApp::browser();
    let mut out = Vec::new();
    let mut i = 0;
    while std::time::Instant::now() < until {
        i += 1;
        let month = format!("20{:02}-{:02}", 10 + (writer + i) % 10, 1 + (writer * 7 + i) % 12);
        let body = serde_json::json!({"period": month, "value": format!("{}", 12_000 + i), "unit": "吨",
            "enterprise": enterprise, "version": 1});
        let figure = client.post(&figures).bearer_auth(&token).json(&body).send().await.expect("post");
        out.push(figure.status().as_u16());
        let read: serde_json::Value =
            client.get(&chain).bearer_auth(&token).send().await.expect("get").json().await.expect("json");
        let body = serde_json::json!({"description": format!("{writer}-{i}"), "version": read["version"]});
        out.push(client.patch(&chain).bearer_auth(&token).json(&body).send().await.expect("patch").status().as_u16());
    }
    out
}

#[tokio::test]
async fn fifty_writers_for_a_while_get_answers_never_a_server_error() {
    let seconds: u64 = std::env::var("CHAINCHIEF_CONTENTION_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let plastic = indicator_id(&app, &office, "ent-recycled-plastic").await;
        let tongli = enterprise_id(&app, &office, "同力").await;
        let chain = app.chain_id(&office, CHAIN1).await;
        let figures = format!("{}/api/v1/indicators/{plastic}/values", app.base);
        let chain_url = format!("{}/api/v1/chains/{chain}", app.base);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        let writers: Vec<_> = (0..50)
            .map(|w| {
                let urls = (figures.clone(), chain_url.clone());
                tokio::spawn(keep_writing(office.clone(), tongli.clone(), urls, w, until))
            })
            .collect();
        let mut statuses = Vec::new();
        for w in writers {
            statuses.extend(w.await.expect("writer"));
        }
        let server_errors = statuses.iter().filter(|s| **s >= 500).count();
        let ok = statuses.iter().filter(|s| **s == 200).count();
        let conflicts = statuses.iter().filter(|s| **s == 409).count();
        eprintln!(
            "{b:?}: 50 writers × {seconds} s: {} answers, {ok} saved, {conflicts} conflicts, {server_errors} server errors",
            statuses.len()
        );
        assert_eq!(server_errors, 0, "{b:?}");
        assert!(ok > 0 && conflicts > 0, "{b:?}: both saves and conflicts happen");
        assert!(audit_faults(&app.db.url).is_empty(), "{b:?}");
    }
}
