//! Show only what the user may open: each role of the demo city, signed in to chromium, follows
//! every link its pages show (as far as `LIMIT` pages); none may land on 没有权限 or 找不到.

use crate::browser::{login, start};
use crate::harness::{Backend, TestApp};
use std::collections::{BTreeSet, VecDeque};

/// Pages visited per role at most.
const LIMIT: usize = 160;

/// The demo city's roles, one account each.
const ROLES: [&str; 6] = ["leader", "office", "chief1", "chain1", "unit-gxq", "ent1"];

/// The internal page links of the page shown (no downloads, no sign-out), without fragments.
const LINKS: &str = "return [...document.querySelectorAll('a[href]')].map(a=>a.getAttribute('href'))\
    .filter(h=>h.startsWith('/')&&!h.startsWith('//')).map(h=>h.split('#')[0])\
    .filter(h=>h&&!['/logout','.xlsx','.svg','/docx','/pdf','format=','/attachments/','/static/','/assets/']\
    .some(s=>h.includes(s)));";

#[tokio::test]
async fn every_link_each_role_sees_opens_in_the_browser() {
    let Some(b) = start(1280, 900, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut faults = Vec::new();
    for user in ROLES {
        login(&b, &app, user).await;
        let mut seen = BTreeSet::from(["/".to_string()]);
        let mut queue = VecDeque::from([("/".to_string(), String::new())]);
        let mut visited = 0;
        while let Some((path, from)) = queue.pop_front() {
            if visited == LIMIT {
                break;
            }
            visited += 1;
            b.client.goto(&format!("{}{path}", app.base)).await.expect("goto");
            let title = b.client.title().await.expect("title");
            if title.starts_with("没有权限") || title.starts_with("找不到") {
                faults.push(format!("{user}: {from} links to {path}, which shows {title}"));
                continue;
            }
            let links = b.client.execute(LINKS, vec![]).await.expect("js");
            for next in links.as_array().into_iter().flatten().filter_map(|l| l.as_str()) {
                if seen.insert(next.to_string()) {
                    queue.push_back((next.to_string(), path.clone()));
                }
            }
        }
        eprintln!("{user}: {visited} pages opened, {} links seen", seen.len());
        assert!(visited > 5, "{user} reaches its pages ({visited})");
    }
    assert!(faults.is_empty(), "links to pages the user may not open:\n{}", faults.join("\n"));
}
