//! Test harness: a fresh database per test (SQLite file, or a new PostgreSQL database when
//! CHAINCHIEF_TEST_POSTGRES_URL is set), the real `chainchief` binary serving the demo city on
//! a free port, and helpers to call it as each demo user.

use chainchief_store::Store;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Today in Beijing, as the server sees it on the system clock.
pub fn today() -> chrono::NaiveDate {
    chainchief_domain::clock::Clock::System.today()
}

/// The month normally reported now, `YYYY-MM`.
pub fn last_month() -> String {
    chainchief_domain::clock::Clock::System.last_month().to_string()
}

/// The quarter normally reported now, `YYYY-Qn`.
pub fn last_quarter() -> String {
    chainchief_domain::clock::Clock::System.last_quarter().to_string()
}

/// The password of every demo account in tests.
pub const PASSWORD: &str = "Test-Pass-2026";

/// The password an account created on the command line or by an admin starts with, which its
/// holder changes to [`PASSWORD`] at the first sign-in.
pub const INITIAL_PASSWORD: &str = "Initial-Pass-2026";

/// Creates an account on the command line (`user add ARGS --password-stdin`) with [`INITIAL_PASSWORD`].
pub fn add_user(db: &TestDb, args: &[&str]) -> Output {
    let mut all = vec!["user", "add"];
    all.extend(args);
    all.push("--password-stdin");
    cli_with_stdin(db, &all, &format!("{INITIAL_PASSWORD}\n"))
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when CHAINCHIEF_TEST_POSTGRES_URL names a server.
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    if std::env::var("CHAINCHIEF_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        out.push(Backend::Postgres);
    }
    out
}

/// A fresh, empty database.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    /// The audit key the server and the commands sign anchors and backups with.
    pub key_file: std::path::PathBuf,
    /// Where the server anchors the audit chain.
    pub anchor_file: std::path::PathBuf,
    /// Whether this handle drops the PostgreSQL database when it goes.
    owns: bool,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("chainchief.db").display()),
            Backend::Postgres => {
                let base = std::env::var("CHAINCHIEF_TEST_POSTGRES_URL").expect("postgres url");
                let name = format!("cc_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Store::connect(&base).await.expect("connect to postgres");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await
                    .expect("create database");
                admin.close().await;
                match base.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("CHAINCHIEF_TEST_POSTGRES_URL must end in /DATABASE"),
                }
            }
        };
        TestDb::at(url, dir, true)
    }

    fn at(url: String, dir: tempfile::TempDir, owns: bool) -> TestDb {
        let (key_file, anchor_file) = (dir.path().join("audit-key"), dir.path().join("audit-anchor"));
        TestDb { url, dir, key_file, anchor_file, owns }
    }

    /// The settings that point the binary at this database's audit key and anchors.
    pub fn env(&self) -> [(&'static str, &std::path::Path); 2] {
        [("CHAINCHIEF_AUDIT_KEY_FILE", &self.key_file), ("CHAINCHIEF_AUDIT_ANCHOR_FILE", &self.anchor_file)]
    }

    /// Another handle on the same database (for a second server); it drops nothing.
    pub fn shared(&self) -> TestDb {
        let mut db = TestDb::at(self.url.clone(), tempfile::tempdir().expect("temp dir"), false);
        db.key_file.clone_from(&self.key_file);
        db.anchor_file.clone_from(&self.anchor_file);
        db
    }

    /// A handle on a database URL that is not the test's own.
    pub fn foreign(url: &str) -> TestDb {
        TestDb::at(url.to_string(), tempfile::tempdir().expect("temp dir"), false)
    }

    /// The PostgreSQL database name of this test, if it has one.
    fn pg_name(&self) -> Option<(String, String)> {
        let base = std::env::var("CHAINCHIEF_TEST_POSTGRES_URL").ok()?;
        let name = self.url.rsplit_once('/')?.1.to_string();
        (self.owns && name.starts_with("cc_test_")).then_some((base, name))
    }

    /// A connection to the database for direct checks.
    pub async fn store(&self) -> Store {
        Store::connect(&self.url).await.expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((base, name)) = self.pg_name() else { return };
        // Drop the test's database on a runtime of its own (Drop cannot await).
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(admin) = Store::connect(&base).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(admin.pool()).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

/// Runs the binary with `--database-url` of `db`.
pub fn cli(db: &TestDb, args: &[&str]) -> Output {
    cli_with_stdin(db, args, "")
}

/// Runs the binary with `--database-url` of `db`, feeding `stdin`.
pub fn cli_with_stdin(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainchief"))
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .env_remove("CHAINCHIEF_DATABASE_URL")
        .envs(db.env())
        .env("CHAINCHIEF_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chainchief");
    if let Some(mut s) = child.stdin.take() {
        let _ = s.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait for chainchief")
}

/// Text of a command's standard output and error.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The real server running the demo city.
pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    child: Child,
}

impl TestApp {
    /// A fresh database with the demo city, served on a free port.
    pub async fn spawn(backend: Backend) -> TestApp {
        let db = TestDb::new(backend).await;
        Self::serve(db, &["demo", "--port", "0"])
    }

    /// Serves `db` with the given subcommand (e.g. `serve --port 0`), waiting for the URL.
    pub fn serve(db: TestDb, args: &[&str]) -> TestApp {
        Self::serve_with(db, args, &[])
    }

    /// The demo city served with extra environment variables (settings).
    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> TestApp {
        Self::serve_with(TestDb::new(backend).await, &["demo", "--port", "0"], env)
    }

    /// Serves `db` with a subcommand and extra environment variables.
    pub fn serve_with(db: TestDb, args: &[&str], env: &[(&str, &str)]) -> TestApp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chainchief"))
            .arg("--database-url")
            .arg(&db.url)
            .args(args)
            // Tests sign in many times from one address; a test of the login gate sets its own.
            .env("CHAINCHIEF_WEB__LOGIN_BURST", "100000")
            .envs(db.env())
            .envs(env.iter().copied())
            .env("CHAINCHIEF_DEMO_PASSWORD", PASSWORD)
            .env("CHAINCHIEF_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start chainchief");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(i) = line.find("http://") {
                        break line[i..].trim_end_matches('/').to_string();
                    }
                }
                _ => panic!("chainchief exited before printing its URL"),
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        TestApp { base, db, child }
    }

    /// Stops the server and hands back its database, to serve it again.
    pub fn into_db(mut self) -> TestDb {
        self.kill9();
        std::mem::replace(&mut self.db, TestDb::foreign(""))
    }

    /// Kills the server with SIGKILL (no chance to flush anything).
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// An HTTP client that keeps cookies and does not follow redirects.
    pub fn browser() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client")
    }

    /// The dynamic code `user` signs in with now, as the user's authenticator app would show it
    /// (empty for an account without a second factor). A code counts once: a second sign-in within
    /// the same 30 seconds takes the next step's code, which the server accepts as clock drift, or
    /// waits for it.
    pub async fn code_of(&self, user: &str) -> String {
        use chainchief_domain::totp;
        let store = self.db.store().await;
        let row: Option<(Option<String>, i64)> =
            sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE username = $1")
                .bind(user)
                .fetch_optional(store.pool())
                .await
                .expect("read second factor");
        store.close().await;
        let Some((Some(secret), last)) = row else { return String::new() };
        let key = totp::from_base32(&secret).expect("base32 secret");
        loop {
            let now = totp::step_of(chainchief_domain::clock::Clock::System.now_millis());
            let step = (now - 1).max(last + 1);
            if step <= now + 1 {
                return format!("{:06}", totp::hotp(&key, step as u64, totp::DIGITS));
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    }

    /// Logs `user` in through the API and returns the bearer token.
    pub async fn token(&self, user: &str) -> String {
        let code = self.code_of(user).await;
        let res = Self::browser()
            .post(format!("{}/api/v1/session", self.base))
            .json(&serde_json::json!({"username": user, "password": PASSWORD, "code": code}))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status(), 200, "login of {user}");
        let body: serde_json::Value = res.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// GET with a bearer token.
    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        Self::browser().get(format!("{}{path}", self.base)).bearer_auth(token).send().await.expect("get")
    }

    /// A cookie-holding client logged in through the login form, and the CSRF token of its session.
    pub async fn web_login(&self, user: &str) -> (reqwest::Client, String) {
        let c = Self::browser();
        let code = self.code_of(user).await;
        let res = c
            .post(format!("{}/login", self.base))
            .form(&[("username", user), ("password", PASSWORD), ("code", &code), ("next", "/")])
            .send()
            .await
            .expect("login form");
        assert_eq!(res.status(), 303, "form login of {user}");
        let mut res = c.get(format!("{}/", self.base)).send().await.expect("home");
        if res.status() == 303 {
            let to = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("/").to_string();
            res = c.get(format!("{}{to}", self.base)).send().await.expect("landing page");
        }
        (c, csrf_of(&res.text().await.expect("text")))
    }

    /// The first sign-in of an account made with [`INITIAL_PASSWORD`], as its holder does it: the
    /// password is changed to [`PASSWORD`] and, where the roles require it, a second factor is
    /// enrolled with the key the account page shows.
    pub async fn first_sign_in(&self, user: &str) {
        let c = Self::browser();
        let res = c
            .post(format!("{}/login", self.base))
            .form(&[("username", user), ("password", INITIAL_PASSWORD), ("next", "/")])
            .send()
            .await
            .expect("first login");
        assert_eq!(res.status(), 303, "first login of {user}");
        let home = c.get(format!("{}/", self.base)).send().await.expect("home");
        assert_eq!(home.headers()["location"], "/account", "{user} is sent to change the password first");
        let page = c.get(format!("{}/account", self.base)).send().await.expect("account").text().await.expect("html");
        assert!(page.contains("请先修改"), "{user} is told why");
        let form = [
            ("_csrf", csrf_of(&page)),
            ("current", INITIAL_PASSWORD.into()),
            ("new", PASSWORD.into()),
            ("confirm", PASSWORD.into()),
        ];
        let res = c.post(format!("{}/account/password", self.base)).form(&form).send().await.expect("change");
        assert_eq!(res.status(), 303, "{user} changes the initial password");
        let c = Self::browser();
        let res = c
            .post(format!("{}/login", self.base))
            .form(&[("username", user), ("password", PASSWORD), ("next", "/account")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "{user} signs in with the new password");
        let page = c.get(format!("{}/account", self.base)).send().await.expect("account").text().await.expect("html");
        if let Some(at) = page.find("name=\"secret\" value=\"") {
            let secret: String = page[at + 21..].chars().take_while(|c| *c != '"').collect();
            let key = chainchief_domain::totp::from_base32(&secret).expect("secret");
            let step = chainchief_domain::totp::step_of(chainchief_domain::clock::Clock::System.now_millis());
            let code = format!("{:06}", chainchief_domain::totp::hotp(&key, step as u64, 6));
            let form = [("_csrf", csrf_of(&page)), ("secret", secret), ("code", code)];
            let res = c.post(format!("{}/account/second-factor", self.base)).form(&form).send().await.expect("enrol");
            assert_eq!(res.status(), 303, "{user} enrols the second factor");
        }
    }

    /// The system admin unlocks the (one) account the account list shows as locked, with its
    /// 解锁 button; returns the answer's status.
    pub async fn unlock_the_locked_account(&self) -> u16 {
        let (admin, csrf) = self.web_login("admin").await;
        let page = html(self, &admin, "/admin/users").await;
        let unlock = page.split("action=\"/admin/users/").find(|s| s.contains("/unlock\"")).expect("a 解锁 button");
        let id = unlock.split('/').next().expect("id").to_string();
        let version = unlock.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("v");
        let res = admin
            .post(format!("{}/admin/users/{id}/unlock", self.base))
            .form(&[("version", version), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("unlock");
        res.status().as_u16()
    }

    /// The id of a chain by its name.
    pub async fn chain_id(&self, token: &str, name: &str) -> String {
        let chains: serde_json::Value = self.get(token, "/api/v1/chains").await.json().await.expect("json");
        chains.as_array().expect("array").iter().find(|c| c["name"] == name).expect("chain")["id"]
            .as_str()
            .expect("id")
            .to_string()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.kill9();
        if !std::thread::panicking() {
            let faults = audit_faults(&self.db.url);
            assert!(faults.is_empty(), "audit rows without the images their action needs:\n{}", faults.join("\n"));
        }
    }
}

/// The audit rows of the database at `url` whose before and after images do not fit their action.
pub fn audit_faults(url: &str) -> Vec<String> {
    if url.is_empty() {
        return Vec::new();
    }
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let store = Store::connect(&url).await.expect("connect");
            let faults = chainchief_store::audit::incomplete(store.pool()).await.expect("audit rows");
            store.close().await;
            faults
        })
    })
    .join()
    .expect("audit check")
}

/// The CSRF token embedded in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let key = "name=\"_csrf\" value=\"";
    let start = html.find(key).expect("page has a CSRF field") + key.len();
    html[start..].split('"').next().expect("token").to_string()
}

/// The first chain of the demo plan, and the second.
pub const CHAIN1: &str = "非金属新材料产业链";
pub const CHAIN2: &str = "电子信息产业链";

/// The value of the `<option>` labelled `label` on `page`.
pub fn option_value(page: &str, label: &str) -> String {
    option_value_starting(page, &format!("{label}</option>"))
}

/// The value of the first `<option>` whose label starts with `label_start` on `page`.
pub fn option_value_starting(page: &str, label_start: &str) -> String {
    let at = page.find(&format!(">{label_start}")).unwrap_or_else(|| panic!("{label_start}"));
    let start = page[..at].rfind("value=\"").expect("value") + 7;
    page[start..].split('"').next().expect("id").to_string()
}

/// The id in the `Location` of a redirect to `{prefix}{id}?…`.
pub fn created_id(res: &reqwest::Response, prefix: &str) -> String {
    let to = res.headers()["location"].to_str().expect("location");
    to.trim_start_matches(prefix).split('?').next().expect("id").to_string()
}

/// Opens a project from the first target of the library (through the pages); returns its id.
pub async fn open_project(app: &TestApp, c: &reqwest::Client, csrf: &str, name: &str, planned: &str) -> String {
    let get = |path: String| async move {
        c.get(format!("{}{path}", app.base)).send().await.expect("get").text().await.expect("html")
    };
    let targets = get("/investment/targets".into()).await;
    let link = "data-label=\"企业\"><a href=\"/investment/targets/";
    let at = targets.find(link).expect("a target") + link.len();
    let target: String = targets[at..].chars().take_while(|c| *c != '"').collect();
    let page = get(format!("/investment/targets/{target}")).await;
    let at = page.find("name=\"node_id\"").expect("node select");
    let v = page[at..].find("value=\"").expect("option") + at + 7;
    let node: String = page[v..].chars().take_while(|c| *c != '"').collect();
    let res = c
        .post(format!("{}/projects", app.base))
        .form(&[
            ("target_id", target.as_str()),
            ("node_id", node.as_str()),
            ("name", name),
            ("planned", planned),
            ("_csrf", csrf),
        ])
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 303, "opening {name}");
    created_id(&res, "/projects/")
}

/// The id in the link `{prefix}{id}"…>{label}</a>` on `page`.
pub fn linked_id(page: &str, prefix: &str, label: &str) -> String {
    let at = page.find(&format!(">{label}</a>")).unwrap_or_else(|| panic!("{label} is listed"));
    let start = page[..at].rfind(prefix).expect("link") + prefix.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

/// The HTML of a page as the client `c` sees it.
pub async fn html(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    c.get(format!("{}{path}", app.base)).send().await.expect("get").text().await.expect("html")
}
