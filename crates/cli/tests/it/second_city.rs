//! A second city's own plan (tests/fixtures/second-city.toml), loaded into a fresh database and
//! served: every page its users reach, its spreadsheets and its reports carry nothing of another
//! city — no 汨罗, no 岳阳, none of the Miluo demo enterprises — and no page shows a link its user
//! may not follow.

use crate::harness::{Backend, TestApp, TestDb, backends, cli, text};
use std::collections::{BTreeSet, VecDeque};
use std::io::Read;

/// Words of another city, and the program's own file paths, that must not show.
const FOREIGN: [&str; 6] = ["汨罗", "岳阳", "Miluo", "miluo", "plans/", ".toml"];

/// The second city's indicator codes (as its plan file writes them), which no page shows.
static CODES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    ["ls-ent-bamboo-output", "ls-bamboo-output", "ls-pharma-output", "ls-park-revenue"].map(String::from).to_vec()
});

/// The accounts of the second city: (username, roles).
const USERS: [(&str, &[&str]); 5] = [
    ("ls-office", &["general_office"]),
    ("ls-bamboo", &["chain_office:bamboo"]),
    ("ls-pharma", &["chain_office:pharma"]),
    ("ls-leader", &["city_leader"]),
    ("ls-unit", &["responsible_unit:ls-swj"]),
];

/// What names the demo city (its plan's parks, units other than groups, chains and indicator codes, its
/// maps file's enterprises), which must not show in another city either.
fn demo_names() -> Vec<String> {
    let maps: toml::Value =
        toml::from_str(include_str!("../../../../plans/miluo-2022.maps.toml")).expect("Miluo maps file");
    let plan: toml::Value = toml::from_str(include_str!("../../../../plans/miluo-2022.toml")).expect("Miluo plan");
    let values = |file: &toml::Value, table: &str, keys: &[&str]| -> Vec<String> {
        file[table]
            .as_array()
            .expect(table)
            .iter()
            .flat_map(|e| {
                keys.iter().filter_map(|k| e.get(*k).and_then(|v| v.as_str())).map(String::from).collect::<Vec<_>>()
            })
            .collect()
    };
    let mut names = values(&maps, "enterprises", &["name", "short"]);
    names.extend(values(&plan, "parks", &["name"]));
    // Group units are collective phrases (各产业链办公室, 相关市直单位) any plan may use.
    let units = plan["units"].as_array().expect("units");
    names.extend(
        units
            .iter()
            .filter(|u| u["kind"].as_str() != Some("group"))
            .filter_map(|u| u["name"].as_str())
            .map(String::from),
    );
    names.extend(values(&plan, "chains", &["name"]));
    names.extend(values(&plan, "indicators", &["code"]));
    names.sort();
    names.dedup();
    names
}

/// The words of `forbidden` found in `body`.
fn found<'a>(body: &str, forbidden: &'a [String]) -> Vec<&'a str> {
    forbidden.iter().filter(|w| body.contains(w.as_str())).map(String::as_str).collect()
}

/// The text of every XML part of an .xlsx or .docx file.
fn office_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an Office file");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("part");
        if part.name().expect("part name").ends_with(".xml") {
            part.read_to_string(&mut all).expect("xml text");
        }
    }
    all
}

/// The same-site page links of `html` (no downloads, no sign-out).
pub(crate) fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .filter(|href| {
            !href.is_empty()
                && !href.starts_with("/static/")
                && !href.starts_with("/assets/")
                && !["/logout", ".xlsx", ".svg", "/docx", "/pdf", "format=xlsx", "/attachments/"]
                    .iter()
                    .any(|skip| href.contains(skip))
        })
        .collect()
}

/// Every page `c` reaches from its home page by following links (at most `limit`), with its body.
async fn crawl(app: &TestApp, c: &reqwest::Client, limit: usize) -> Vec<(String, u16, String, String)> {
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut queue = VecDeque::from([("/".to_string(), String::new())]);
    let mut pages = Vec::new();
    while let Some((path, from)) = queue.pop_front() {
        if pages.len() >= limit {
            break;
        }
        let res = c.get(format!("{}{path}", app.base)).send().await.expect("get");
        let status = res.status().as_u16();
        let body = res.text().await.unwrap_or_default();
        for next in links(&body) {
            if seen.insert(next.clone()) {
                queue.push_back((next, path.clone()));
            }
        }
        pages.push((path, status, body, from));
    }
    pages
}

/// Loads the second city into a fresh database with its accounts, and serves it.
pub(crate) async fn serve_second_city(b: Backend) -> TestApp {
    let db = TestDb::new(b).await;
    let plan = format!("{}/tests/fixtures/second-city.toml", env!("CARGO_MANIFEST_DIR"));
    let out = cli(&db, &["plan", "import", &plan]);
    assert!(out.status.success(), "{b:?}: {}", text(&out));
    for (username, roles) in USERS {
        let mut args = vec!["--city", "lanshan", "--username", username, "--name", username];
        for role in roles {
            args.extend(["--role", role]);
        }
        let out = crate::harness::add_user(&db, &args);
        assert!(out.status.success(), "{b:?}: {}", text(&out));
    }
    let app = TestApp::serve(db, &["serve", "--port", "0"]);
    for (username, _) in USERS {
        app.first_sign_in(username).await;
    }
    app
}

/// The office gives the bamboo chain its first node (竹材初加工).
pub(crate) async fn add_a_bamboo_node(app: &TestApp, b: Backend) {
    let (c, csrf) = app.web_login("ls-office").await;
    let token = app.token("ls-office").await;
    let chain = app.chain_id(&token, "竹木精深加工产业链").await;
    let node_form =
        [("name", "竹材初加工"), ("stage", "upstream"), ("products", "竹条"), ("industry_codes", ""), ("_csrf", &csrf)];
    post_ok(app, &c, &format!("/chains/{chain}/nodes"), &node_form, &format!("{b:?}: a node")).await;
}

/// Posts a form as `c` and expects a redirect; returns where to.
async fn post_ok(app: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)], what: &str) -> String {
    let res = c.post(format!("{}{path}", app.base)).form(form).send().await.expect("post");
    let status = res.status();
    let to = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(status, 303, "{what}: {}", res.text().await.unwrap_or_default());
    to
}

/// The office gives the first chain a node, imports the enterprise and target templates as
/// downloaded (their example rows are the city's own and are accepted unchanged), and opens a
/// project from the imported target.
async fn work_in_the_second_city(app: &TestApp, b: Backend) {
    let (c, csrf) = app.web_login("ls-office").await;
    add_a_bamboo_node(app, b).await;
    for (template, import, done) in [
        ("/enterprises/template.xlsx", "/enterprises/import", "已导入"),
        ("/investment/targets/template.xlsx", "/investment/targets/import", "已导入"),
    ] {
        let bytes =
            c.get(format!("{}{template}", app.base)).send().await.expect("template").bytes().await.expect("bytes");
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("template.xlsx");
        let form = reqwest::multipart::Form::new().part("file", part);
        let res = c.post(format!("{}{import}?_csrf={csrf}", app.base)).multipart(form).send().await.expect("import");
        let status = res.status();
        let page = res.text().await.expect("html");
        assert!(status == 200 && page.contains(done), "{b:?}: {template} imports unchanged ({status}): {page}");
    }
    let targets = crate::harness::html(app, &c, "/investment/targets").await;
    let target =
        links(&targets).into_iter().find(|l| l.starts_with("/investment/targets/") && l.len() > 30).expect("a target");
    let target_id = target.trim_start_matches("/investment/targets/").to_string();
    let page = crate::harness::html(app, &c, &target).await;
    let node = page
        .split("name=\"node_id\"")
        .nth(1)
        .and_then(|r| r.split("value=\"").nth(1))
        .and_then(|r| r.split('"').next());
    let node = node.expect("the target offers the chain's node").to_string();
    let project_form = [
        ("target_id", target_id.as_str()),
        ("name", "竹材精深加工项目"),
        ("node_id", node.as_str()),
        ("planned", "30000"),
        ("_csrf", csrf.as_str()),
    ];
    post_ok(app, &c, "/projects", &project_form, &format!("{b:?}: a project")).await;
}

#[tokio::test]
async fn the_second_city_shows_nothing_of_another_city() {
    let mut forbidden: Vec<String> = FOREIGN.iter().map(|w| w.to_string()).collect();
    forbidden.extend(demo_names());
    for b in backends() {
        let app = serve_second_city(b).await;
        let mut faults: Vec<String> = Vec::new();
        work_in_the_second_city(&app, b).await;
        // Last month's monthly reports were drafted when the server started; the chain office opens its own.
        let (office, _) = app.web_login("ls-bamboo").await;
        let token = app.token("ls-office").await;
        let list = crate::harness::html(&app, &office, "/dispatch").await;
        let period = crate::harness::last_month();
        let report = links(&list).into_iter().find(|l| l.starts_with("/dispatch/") && l.len() > 20).expect("a report");
        let docx = office.get(format!("{}{report}/docx", app.base)).send().await.expect("docx");
        assert_eq!(docx.status(), 200, "{b:?}");
        let named = docx.headers()["content-disposition"].to_str().expect("disposition").to_string();
        let expected = format!("岚山县_竹木精深加工产业链_工作月报_{period}.docx");
        let encoded: String = expected
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            named.ends_with(&format!("filename*=UTF-8''{encoded}")),
            "{b:?}: named by city, chain, kind, period: {named}"
        );
        let words = found(&office_text(&docx.bytes().await.expect("bytes")), &forbidden);
        if !words.is_empty() {
            faults.push(format!("{report}/docx: {words:?}"));
        }
        for file in ["/enterprises/template.xlsx", "/figures/template.xlsx", "/investment/targets/template.xlsx"] {
            let res = app.get(&token, file).await;
            assert_eq!(res.status(), 200, "{b:?}: {file}");
            let words = found(&office_text(&res.bytes().await.expect("bytes")), &forbidden);
            if !words.is_empty() {
                faults.push(format!("{file}: {words:?}"));
            }
        }
        for (user, _) in USERS {
            let (c, _) = app.web_login(user).await;
            let pages = crawl(&app, &c, 300).await;
            assert!(pages.len() > 5, "{b:?}: {user} reaches its pages ({} pages)", pages.len());
            // Every link a page shows leads to a page the user may open.
            for (path, status, _, from) in pages.iter().filter(|p| p.1 == 403 || p.1 == 404) {
                faults.push(format!("{user} {from} links to {path}, which answers {status}"));
            }
            for (path, status, body, _) in &pages {
                let words = found(body, &forbidden);
                if !words.is_empty() {
                    faults.push(format!("{user} {path} ({status}): {words:?}"));
                }
                // The plan's indicator codes are the program's, not words for the page.
                let codes = found(body, &CODES);
                if !codes.is_empty() {
                    faults.push(format!("{user} {path} shows the indicator codes {codes:?}"));
                }
            }
        }
        assert!(faults.is_empty(), "{b:?}: the second city shows what it must not:\n{}", faults.join("\n"));
    }
}

#[tokio::test]
async fn a_task_of_a_group_is_reported_when_every_member_has_reported() {
    for b in backends() {
        let app = serve_second_city(b).await;
        let (office, _) = app.web_login("ls-office").await;
        let list = crate::harness::html(&app, &office, "/tasks").await;
        let task = format!("/tasks/{}", crate::harness::linked_id(&list, "/tasks/", "走访链上企业"));
        let report = |user: &'static str| {
            let app = &app;
            let task = task.clone();
            async move {
                let (c, csrf) = app.web_login(user).await;
                let form = reqwest::multipart::Form::new()
                    .text("body", "走访链上企业3家")
                    .text("reported_on", crate::harness::today().format("%Y-%m-%d").to_string());
                let res = c
                    .post(format!("{}{task}/reports?_csrf={csrf}", app.base))
                    .multipart(form)
                    .send()
                    .await
                    .expect("report");
                assert_eq!(res.status(), 303, "{b:?}: {user} reports");
            }
        };
        report("ls-bamboo").await;
        let page = crate::harness::html(&app, &office, &task).await;
        assert!(
            page.contains("竹木精深加工产业链办公室") && page.contains("本期尚未报送进展"),
            "{b:?}: one of two is not all"
        );
        report("ls-pharma").await;
        let page = crate::harness::html(&app, &office, &task).await;
        assert!(page.contains("本期已报送进展"), "{b:?}: both members reported");
    }
}

/// The value of the first hidden or selected field `name` on `page`.
fn field_value(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("field {name}"));
    page[at..].split("value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_work_waiting_for_each_role_starts_its_home_page() {
    for b in backends() {
        let app = serve_second_city(b).await;
        work_in_the_second_city(&app, b).await;
        let (chain, csrf) = app.web_login("ls-bamboo").await;
        // The chain office submits its monthly report: the general office has it to acknowledge.
        let list = crate::harness::html(&app, &chain, "/dispatch").await;
        let report = links(&list).into_iter().find(|l| l.starts_with("/dispatch/") && l.len() > 20).expect("a report");
        let page = crate::harness::html(&app, &chain, &report).await;
        let version = field_value(&page, "version");
        let form = [("action", "submit"), ("version", version.as_str()), ("_csrf", csrf.as_str())];
        post_ok(&app, &chain, &report, &form, &format!("{b:?}: submitted")).await;
        // It raises a problem on its project: the general office has it to assign.
        let problems = crate::harness::html(&app, &chain, "/problems").await;
        let project = crate::harness::option_value(&problems, "竹材精深加工项目");
        let form = [
            ("title", "用地指标不足"),
            ("detail", "项目二期用地尚未落实"),
            ("project_id", project.as_str()),
            ("_csrf", csrf.as_str()),
        ];
        post_ok(&app, &chain, "/problems", &form, &format!("{b:?}: raised")).await;
        let (office, _) = app.web_login("ls-office").await;
        let home = crate::harness::html(&app, &office, "/").await;
        assert!(home.contains("<span class=\"user-role\">县链办</span>"), "{b:?}: the office goes by its plan's name");
        assert!(home.contains("待签收") && home.contains("工作月报（已提交）"), "{b:?}: the report to acknowledge");
        assert!(home.contains("待交办") && home.contains("用地指标不足"), "{b:?}: the problem to assign");
        let chain_home = crate::harness::html(&app, &chain, "/").await;
        assert!(!chain_home.contains("待签收"), "{b:?}: the chain office acknowledges nothing");
        // Assigned to 县商务局, the problem waits for that unit, not for the office that oversees it.
        let (office, office_csrf) = app.web_login("ls-office").await;
        let list = crate::harness::html(&app, &office, "/problems").await;
        let problem = format!("/problems/{}", crate::harness::linked_id(&list, "/problems/", "用地指标不足"));
        let page = crate::harness::html(&app, &office, &problem).await;
        let unit = crate::harness::option_value(&page, "岚山县商务局");
        let deadline = (crate::harness::today() + chrono::Days::new(10)).format("%Y-%m-%d").to_string();
        let version = field_value(&page, "version");
        let form = [
            ("action", "assign"),
            ("lead", unit.as_str()),
            ("deadline", deadline.as_str()),
            ("version", version.as_str()),
            ("_csrf", office_csrf.as_str()),
        ];
        post_ok(&app, &office, &problem, &form, &format!("{b:?}: assigned")).await;
        let home = crate::harness::html(&app, &office, "/").await;
        assert!(!home.contains("用地指标不足"), "{b:?}: nothing left for the office to do about it");
        let (unit_user, _) = app.web_login("ls-unit").await;
        let unit_home = crate::harness::html(&app, &unit_user, "/").await;
        assert!(unit_home.contains("待办理") && unit_home.contains("用地指标不足"), "{b:?}: the unit has it to do");
    }
}
