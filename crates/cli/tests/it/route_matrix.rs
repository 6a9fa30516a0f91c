//! The role × route × relationship matrix: every route of the inventory has rows in
//! `route_matrix.txt` naming, for a record of a given relationship (my chain, another chain, my
//! enterprise, my unit's task …), the demo users who may call it. Everyone else must be refused
//! with 403, and a refused call must leave no trace but its denial in the audit chain. A route
//! without a row fails, so a new route cannot be added without deciding who may call it.

use crate::harness::{CHAIN1, CHAIN2, TestApp, add_user, backends};
use std::collections::{BTreeMap, HashMap};

/// The demo users the matrix speaks of, one of each relationship.
const USERS: [&str; 11] =
    ["office", "leader", "chief1", "chain1", "chain2", "chain3", "unit-gxq", "ent1", "admin", "security", "auditor"];

/// Names for sets of users in the table.
fn group(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "ALL" => &USERS,
        "BUSINESS" => &USERS[..8],
        "READ1" => &["office", "leader", "chief1", "chain1"],
        "READ2" => &["office", "leader", "chain2"],
        "EDIT1" => &["office", "chain1"],
        "EDIT2" => &["office", "chain2"],
        "READ3" => &["office", "leader", "chain3"],
        "EDIT3" => &["office", "chain3"],
        "OFFICES" => &["office", "chain1", "chain2", "chain3"],
        _ => return None,
    })
}

/// One row of the table: a request and who may make it.
struct Row {
    method: String,
    /// The route's pattern, as the inventory names it.
    route: String,
    /// The path with fixture names in braces, e.g. `/chains/{chain1}`.
    path: String,
    body: String,
    may: Vec<&'static str>,
    /// A write that removes its record: a later permitted caller may find it gone (404).
    removes: bool,
    /// A sign-in: a wrong password is answered 401.
    public: bool,
    line: usize,
}

fn table() -> Vec<Row> {
    let text = include_str!("route_matrix.txt");
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(cols.len(), 5, "route_matrix.txt:{}: method | route | path | body | who may", i + 1);
        let mut may = Vec::new();
        let (mut removes, mut public) = (false, false);
        for w in cols[4].split_whitespace() {
            if w == "removes" {
                removes = true;
            } else if w == "public" {
                public = true;
            } else if w == "none" {
            } else if let Some(g) = group(w) {
                may.extend_from_slice(g);
            } else {
                let u = USERS
                    .iter()
                    .find(|u| **u == w)
                    .unwrap_or_else(|| panic!("route_matrix.txt:{}: who is {w}?", i + 1));
                may.push(*u);
            }
        }
        rows.push(Row {
            method: cols[0].to_string(),
            route: cols[1].to_string(),
            path: cols[2].to_string(),
            body: cols[3].to_string(),
            may,
            removes,
            public,
            line: i + 1,
        });
    }
    rows
}

#[tokio::test]
async fn every_route_has_rows_in_the_matrix() {
    let routes = crate::policy::inventory().await;
    let rows = table();
    let mut missing = Vec::new();
    for r in &routes {
        if !rows.iter().any(|row| row.method == r.method && row.route == r.path) {
            missing.push(format!("{} {}", r.method, r.path));
        }
    }
    assert!(missing.is_empty(), "routes without a row in route_matrix.txt:\n{}", missing.join("\n"));
    for row in &rows {
        assert!(
            routes.iter().any(|r| r.method == row.method && r.path == row.route),
            "route_matrix.txt:{}: {} {} is not a route",
            row.line,
            row.method,
            row.route
        );
    }
}

async fn one(store: &chainchief_store::Store, sql: &str, bind: &str) -> String {
    let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(bind)
        .fetch_optional(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.unwrap_or_else(|| panic!("no record for {sql} ({bind})")).0
}

/// An enterprise indicator of a chain, typed by hand.
const TYPED_INDICATOR: &str = "SELECT id FROM indicators WHERE chain_id = $1 AND scope = 'enterprise' AND formula = '' ORDER BY position, id LIMIT 1";

/// A task none of whose units (nor groups of units) is the user's unit or a chain's office.
const TASK_OF_NONE: &str = "WITH mine AS (SELECT $1 AS id UNION SELECT office_unit_id FROM chains WHERE office_unit_id IS NOT NULL), \
     theirs AS (SELECT id FROM mine UNION SELECT group_id FROM unit_members WHERE member_id IN (SELECT id FROM mine)) \
     SELECT m.id FROM measures m WHERE NOT EXISTS (SELECT 1 FROM measure_units u WHERE u.measure_id = m.id \
     AND u.unit_id IN (SELECT id FROM theirs)) ORDER BY m.id LIMIT 1";

/// The records the table's paths and bodies name, each of a known relationship to the users.
async fn fixtures(app: &TestApp) -> HashMap<&'static str, String> {
    let office = app.token("office").await;
    let mut f = HashMap::new();
    f.insert("chain1", app.chain_id(&office, CHAIN1).await);
    f.insert("chain2", app.chain_id(&office, CHAIN2).await);
    f.insert("chain3", app.chain_id(&office, "有色金属新材料产业链").await);
    let (c, csrf) = app.web_login("office").await;
    // A node of chain 1 without enterprises, to be removed.
    let res = c
        .post(format!("{}/chains/{}/nodes", app.base, f["chain1"]))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "矩阵备用环节"),
            ("stage", "upstream"),
            ("products", ""),
            ("industry_codes", ""),
        ])
        .send()
        .await
        .expect("node");
    assert_eq!(res.status(), 303, "spare node");
    // A meeting with an item for the high-tech zone's committee.
    let gxq = one(
        &app.db.store().await,
        "SELECT r.unit_id FROM user_roles r JOIN users s ON s.id = r.user_id WHERE s.username = $1",
        "unit-gxq",
    )
    .await;
    let res = c
        .post(format!("{}/meetings", app.base))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "onsite"),
            ("title", "矩阵现场办公会"),
            ("held_on", &crate::harness::today().to_string()),
            ("chair", "分管副市长"),
            ("item_1", "完成园区道路验收"),
            ("unit_1", gxq.as_str()),
            ("deadline_1", &(crate::harness::today() + chrono::Days::new(30)).to_string()),
        ])
        .send()
        .await
        .expect("meeting");
    assert_eq!(res.status(), 303, "meeting");
    f.insert("gxq", gxq);
    // A problem raised by an enterprise of chain 1.
    let (ent, ent_csrf) = app.web_login("ent1").await;
    let res = ent
        .post(format!("{}/problems", app.base))
        .form(&[("_csrf", ent_csrf.as_str()), ("title", "矩阵链一问题"), ("detail", "用地指标不足")])
        .send()
        .await
        .expect("problem");
    assert_eq!(res.status(), 303, "problem");
    let out = add_user(
        &app.db,
        &["--city", "miluo", "--username", "matrix-spare", "--name", "矩阵备用账号", "--role", "chain_office:nonmetal"],
    );
    assert!(out.status.success(), "{}", crate::harness::text(&out));

    let store = app.db.store().await;
    let (c1, c2, c3, gxq) = (f["chain1"].clone(), f["chain2"].clone(), f["chain3"].clone(), f["gxq"].clone());
    let q = [
        (
            "node1",
            "SELECT id FROM chain_nodes WHERE chain_id = $1 AND name <> '矩阵备用环节' ORDER BY position, id LIMIT 1",
            c1.as_str(),
        ),
        ("node2", "SELECT id FROM chain_nodes WHERE chain_id = $1 ORDER BY position, id LIMIT 1", c2.as_str()),
        ("spare_node", "SELECT id FROM chain_nodes WHERE name = $1", "矩阵备用环节"),
        ("edge1", "SELECT id FROM chain_edges WHERE chain_id = $1 ORDER BY id LIMIT 1", c1.as_str()),
        ("ent_own", "SELECT id FROM enterprises WHERE name = $1", "同力（示范企业）"),
        ("ent_same", "SELECT id FROM enterprises WHERE name = $1", "中塑（示范企业）"),
        ("ent_other", "SELECT id FROM enterprises WHERE name = $1", "龙智新材料（示范企业）"),
        (
            "target3",
            "SELECT t.id FROM investment_targets t JOIN target_nodes n ON n.target_id = t.id JOIN chain_nodes c ON c.id = n.node_id WHERE c.chain_id = $1 ORDER BY t.id LIMIT 1",
            c3.as_str(),
        ),
        (
            "node3",
            "SELECT n.node_id FROM target_nodes n JOIN chain_nodes c ON c.id = n.node_id WHERE c.chain_id = $1 ORDER BY n.target_id LIMIT 1",
            c3.as_str(),
        ),
        ("project2", "SELECT id FROM projects WHERE chain_id = $1 ORDER BY id LIMIT 1", c2.as_str()),
        ("project3", "SELECT id FROM projects WHERE chain_id = $1 ORDER BY id LIMIT 1", c3.as_str()),
        ("problem1", "SELECT id FROM problems WHERE title = $1", "矩阵链一问题"),
        (
            "report1",
            "SELECT id FROM dispatch_reports WHERE chain_id = $1 AND status = 'draft' ORDER BY id LIMIT 1",
            c1.as_str(),
        ),
        (
            "report2",
            "SELECT id FROM dispatch_reports WHERE chain_id = $1 AND status = 'draft' ORDER BY id LIMIT 1",
            c2.as_str(),
        ),
        (
            "task_gxq",
            "SELECT measure_id FROM measure_units WHERE unit_id = $1 ORDER BY measure_id LIMIT 1",
            gxq.as_str(),
        ),
        ("task_other", TASK_OF_NONE, gxq.as_str()),
        ("item_gxq", "SELECT id FROM action_items WHERE unit_id = $1 ORDER BY id LIMIT 1", gxq.as_str()),
        ("post1", "SELECT id FROM posts WHERE chain_id = $1 ORDER BY id LIMIT 1", c1.as_str()),
        ("ind1", TYPED_INDICATOR, c1.as_str()),
        ("spare_user", "SELECT id FROM users WHERE username = $1", "matrix-spare"),
        (
            "spare_role",
            "SELECT r.id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = $1",
            "matrix-spare",
        ),
    ];
    for (name, sql, bind) in q {
        f.insert(name, one(&store, sql, bind).await);
    }
    let ind = f["ind1"].clone();
    f.insert("ind1_unit", one(&store, "SELECT unit FROM indicators WHERE id = $1", &ind).await);
    let task = f["task_other"].clone();
    let sql = "SELECT unit_id FROM measure_units WHERE measure_id = $1 ORDER BY position LIMIT 1";
    f.insert("task_other_unit", one(&store, sql, &task).await);
    // An attachment of a project of chain 3 and a supply need of chain 1.
    let file = reqwest::multipart::Part::bytes(b"%PDF-1.4 matrix".to_vec()).file_name("matrix.pdf");
    let res = c
        .post(format!("{}/projects/{}/attachments", app.base, f["project3"]))
        .header("x-csrf-token", &csrf)
        .multipart(reqwest::multipart::Form::new().part("file", file))
        .send()
        .await
        .expect("attachment");
    assert_eq!(res.status(), 303, "attachment");
    let need =
        [("_csrf", csrf.as_str()), ("kind", "need"), ("enterprise_id", f["ent_same"].as_str()), ("part", "矩阵备用件")];
    let res = c.post(format!("{}/supply", app.base)).form(&need).send().await.expect("need");
    assert_eq!(res.status(), 303, "need");
    // A consortium of chain 1 hosted by ent_same with a spare member, and a key technology of
    // chain 1 taken on by ent_own.
    let consortium = [
        ("_csrf", csrf.as_str()),
        ("kind", "consortium"),
        ("name", "矩阵联合体"),
        ("level", "provincial"),
        ("chain_id", f["chain1"].as_str()),
        ("host_enterprise_id", f["ent_same"].as_str()),
    ];
    let res = c.post(format!("{}/innovation", app.base)).form(&consortium).send().await.expect("carrier");
    assert_eq!(res.status(), 303, "carrier");
    let carrier = crate::harness::created_id(&res, "/innovation/");
    let member = [("_csrf", csrf.as_str()), ("name", "矩阵备用成员"), ("member_type", "institute"), ("role", "member")];
    let res = c.post(format!("{}/innovation/{carrier}/members", app.base)).form(&member).send().await.expect("member");
    assert_eq!(res.status(), 303, "member");
    let tech = [
        ("_csrf", csrf.as_str()),
        ("chain_id", f["chain1"].as_str()),
        ("name", "矩阵技术"),
        ("category", "core_technology"),
        ("owner_enterprise_id", f["ent_own"].as_str()),
        ("stage", "published"),
    ];
    let res = c.post(format!("{}/innovation/technologies", app.base)).form(&tech).send().await.expect("technology");
    assert_eq!(res.status(), 303, "technology");
    // ent_same marked as cultivated towards the national little giants.
    let mark = [
        ("_csrf", csrf.as_str()),
        ("enterprise_id", f["ent_same"].as_str()),
        ("tier", "national_little_giant"),
        ("owner", "矩阵责任人"),
    ];
    let res = c.post(format!("{}/enterprises/reserve/marks", app.base)).form(&mark).send().await.expect("mark");
    assert_eq!(res.status(), 303, "mark");
    f.insert("mark1", crate::harness::created_id(&res, "/enterprises/reserve/marks/"));
    // A row of chain 1's import naming chain 2's enterprise, held for chain 2's keepers.
    let (web1, csrf1) = app.web_login("chain1").await;
    let csv = format!("统一社会信用代码,企业名称,产业链,主要产品\n,{},{CHAIN1},矩阵产品\n", "龙智新材料（示范企业）");
    let file = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("matrix.csv");
    let res = web1
        .post(format!("{}/enterprises/import?_csrf={csrf1}", app.base))
        .multipart(reqwest::multipart::Form::new().text("accept_name_matches", "1").part("file", file))
        .send()
        .await
        .expect("import");
    let status = res.status();
    let page = res.text().await.expect("page");
    assert_eq!(status, 200, "held import: {page}");
    let project3 = f["project3"].clone();
    let more = [
        ("held1", "SELECT id FROM import_proposals WHERE name_in_file = $1", "龙智新材料（示范企业）"),
        ("attachment1", "SELECT id FROM attachments WHERE owner_id = $1", project3.as_str()),
        ("need1", "SELECT id FROM supply_needs WHERE part = $1", "矩阵备用件"),
        ("carrier1", "SELECT id FROM innovation_carriers WHERE name = $1", "矩阵联合体"),
        ("member1", "SELECT id FROM carrier_members WHERE name = $1", "矩阵备用成员"),
        ("tech1", "SELECT id FROM key_technologies WHERE name = $1", "矩阵技术"),
        ("gxq_park", "SELECT id FROM parks WHERE code = $1", "gxq"),
        ("request1", "SELECT id FROM factor_requests WHERE title = $1", "二期再生颗粒生产线流动资金贷款"),
        ("request2", "SELECT id FROM factor_requests WHERE title = $1", "招聘高分子材料专业技术人员"),
        ("request3", "SELECT id FROM factor_requests WHERE title = $1", "焙烧炉迎峰度冬用电保障"),
        ("campaign1", "SELECT id FROM relief_campaigns WHERE name = $1", "市场主体融资纾困行动（演示）"),
        ("policy1", "SELECT id FROM policies WHERE title = $1", "非金属新材料产业链技改贴息（演示）"),
        (
            "application1",
            "SELECT a.id FROM policy_applications a JOIN enterprises e ON e.id = a.enterprise_id WHERE e.short_name = $1",
            "同力",
        ),
        ("fund1", "SELECT id FROM funds WHERE name = $1", "产业发展引导扶持资金（演示）"),
        ("guarantor1", "SELECT id FROM guarantors WHERE name = $1", "汨罗市融资担保有限公司（演示）"),
        (
            "case1",
            "SELECT c.id FROM guarantee_cases c JOIN enterprises e ON e.id = c.enterprise_id WHERE e.short_name = $1",
            "同力",
        ),
        (
            "allocation1",
            "SELECT a.id FROM fund_allocations a JOIN enterprises e ON e.id = a.enterprise_id WHERE e.short_name = $1",
            "同力",
        ),
    ];
    for (name, sql, bind) in more {
        f.insert(name, one(&store, sql, bind).await);
    }
    store.close().await;
    f.insert("month", crate::harness::last_month());
    f.insert("today", crate::harness::today().to_string());
    f
}

/// Replaces every `{name}` by its fixture.
fn fill(text: &str, f: &HashMap<&'static str, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in f {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    assert!(!out.contains('{') || text.starts_with('{'), "unknown fixture in {text}");
    out
}

/// Audit records of anything but a refusal: a refused call must add none.
async fn written(store: &chainchief_store::Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action <> 'access.denied'")
        .fetch_one(store.pool())
        .await
        .expect("count");
    n
}

async fn call(app: &TestApp, token: &str, row: &Row, f: &HashMap<&'static str, String>) -> u16 {
    let url = format!("{}{}", app.base, fill(&row.path, f));
    let req = TestApp::browser().request(row.method.parse().expect("method"), &url).bearer_auth(token);
    let body = fill(&row.body, f);
    let req = if body == "-" || body.is_empty() {
        req
    } else if body.starts_with('{') {
        req.header("content-type", "application/json").body(body)
    } else if let Some(fields) = body.strip_prefix("multipart:") {
        let mut form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 matrix".to_vec()).file_name("matrix.pdf"));
        for (k, v) in fields.split('&').filter_map(|kv| kv.split_once('=')) {
            form = form.text(k.to_string(), v.to_string());
        }
        req.multipart(form)
    } else {
        req.header("content-type", "application/x-www-form-urlencoded").body(body)
    };
    req.send().await.expect("request").status().as_u16()
}

#[tokio::test]
async fn every_route_answers_by_role_and_relationship_and_refusals_change_nothing() {
    let rows = table();
    for b in backends() {
        let app = TestApp::spawn_with(b, &[("CHAINCHIEF_WEB__LOGIN_BURST", "100")]).await;
        let f = fixtures(&app).await;
        let mut tokens = BTreeMap::new();
        for u in USERS {
            tokens.insert(u, app.token(u).await);
        }
        let store = app.db.store().await;
        let mut wrong = Vec::new();
        // Signing out ends the session the rest of the table uses: it comes last.
        let (closing, rest): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.route == "/logout");
        for row in rest.iter().chain(closing.iter()) {
            let denied: Vec<&str> = USERS.iter().copied().filter(|u| !row.may.contains(u)).collect();
            for u in denied {
                let before = written(&store).await;
                let status = call(&app, &tokens[u], row, &f).await;
                if status != 403 {
                    wrong.push(format!(
                        "{b:?} line {}: {u} {} {} → {status}, should be refused (403)",
                        row.line, row.method, row.path
                    ));
                } else if written(&store).await != before {
                    wrong.push(format!(
                        "{b:?} line {}: {u}'s refused {} {} changed data",
                        row.line, row.method, row.path
                    ));
                }
            }
            for u in &row.may {
                // Ending an API session is tried on a session of its own.
                let fresh = row.method == "DELETE" && row.route == "/api/v1/session";
                let token = if fresh { app.token(u).await } else { tokens[u].clone() };
                let status = call(&app, &token, row, &f).await;
                let ok = match status {
                    401 => row.public,
                    403 => false,
                    404 => row.removes,
                    s if row.method == "GET" => (200..400).contains(&s),
                    s => s < 500,
                };
                if !ok {
                    wrong.push(format!(
                        "{b:?} line {}: {u} {} {} → {status}, should be allowed",
                        row.line, row.method, row.path
                    ));
                }
            }
        }
        store.close().await;
        assert!(wrong.is_empty(), "{} answers off the matrix:\n{}", wrong.len(), wrong.join("\n"));
    }
}
