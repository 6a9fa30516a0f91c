//! Browser tests in Debian's headless chromium (through chromedriver) against the real binary.
//! Without chromium they are skipped, unless CHAINCHIEF_REQUIRE_BROWSER=1 (as in CI).

use crate::harness::{Backend, PASSWORD, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A headless chromium driven through chromedriver; both are killed on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// Starts chromium, or returns None when it is not installed and not required.
pub async fn start(width: u32, height: u32, phone: bool) -> Option<Browser> {
    let driver_bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(driver_bin) = driver_bin else {
        assert!(std::env::var("CHAINCHIEF_REQUIRE_BROWSER").is_err(), "chromium-driver is required but not installed");
        eprintln!("skipping browser test: chromium-driver is not installed (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    let mut driver = Command::new(driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let profile = tempfile::tempdir().expect("profile dir");
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.path().display()),
                "--lang=zh-CN",
            ]
        }
    });
    let mut caps = caps.as_object().cloned().expect("caps");
    if phone {
        // Desktop windows cannot be narrower than ~500px: emulate a phone's viewport instead.
        caps["goog:chromeOptions"]["mobileEmulation"] =
            serde_json::json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}});
    }
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            // Elements of a page that is still loading are waited for, not missed.
            let waits = fantoccini::wd::TimeoutConfiguration::new(None, None, Some(Duration::from_secs(10)));
            client.update_timeouts(waits).await.expect("timeouts");
            return Some(Browser { client, driver, _profile: profile });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = driver.kill();
    let _ = driver.wait();
    panic!("chromedriver did not answer");
}

/// Where screenshots go: target/screenshots.
pub fn shot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Saves a screenshot of the page shown.
pub async fn screenshot(b: &Browser, name: &str) {
    let png = b.client.screenshot().await.expect("screenshot");
    std::fs::write(shot_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

/// Signs in through the login form.
pub async fn login(b: &Browser, app: &TestApp, user: &str) {
    let c = &b.client;
    c.delete_all_cookies().await.expect("clear cookies");
    c.goto(&format!("{}/login", app.base)).await.expect("login page");
    c.find(Locator::Id("username")).await.expect("username").send_keys(user).await.expect("type");
    c.find(Locator::Id("password")).await.expect("password").send_keys(PASSWORD).await.expect("type");
    c.find(Locator::Css("button[type=submit]")).await.expect("submit").click().await.expect("click");
    c.wait().for_element(Locator::Css(".topbar .user-name")).await.expect("signed in");
}

/// Follows a link by its text and waits until the next page has replaced this one.
pub async fn follow(b: &Browser, text: &str) {
    let before = b.client.current_url().await.expect("url");
    b.client
        .find(Locator::LinkText(text))
        .await
        .unwrap_or_else(|e| panic!("link {text}: {e}"))
        .click()
        .await
        .expect("click");
    for _ in 0..100 {
        if b.client.current_url().await.expect("url") != before {
            b.client.wait().for_element(Locator::Css("main")).await.expect("page");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("following {text} did not leave {before}");
}

/// Text of the page body (read again when a navigation replaced the body being read).
pub async fn body_text(b: &Browser) -> String {
    for _ in 0..50 {
        if let Ok(body) = b.client.find(Locator::Css("body")).await
            && let Ok(text) = body.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page body could not be read");
}

#[tokio::test]
async fn office_sees_four_chains_and_org_chart_and_chain2_is_refused_chain1_edit() {
    let Some(b) = start(1280, 900, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    b.client.goto(&format!("{}/login", app.base)).await.expect("goto");
    screenshot(&b, "login").await;

    login(&b, &app, "office").await;
    screenshot(&b, "home-office").await;
    follow(&b, "产业链").await;
    let text = body_text(&b).await;
    for chain in ["非金属新材料产业链", "电子信息产业链", "有色金属新材料产业链", "工程机械及汽车零部件产业链"]
    {
        assert!(text.contains(chain), "{chain} on the chain list");
    }
    screenshot(&b, "chains").await;
    follow(&b, "组织架构").await;
    let text = body_text(&b).await;
    for word in ["政委", "总链长", "总链办", "高新区管委会", "链条办主任", "联络员"] {
        assert!(text.contains(word), "{word} on the org chart");
    }
    screenshot(&b, "org").await;
    follow(&b, "非金属新材料产业链").await;
    let chain1_url = b.client.current_url().await.expect("url").to_string();
    screenshot(&b, "chain").await;

    login(&b, &app, "chain2").await;
    b.client.goto(&format!("{chain1_url}/edit")).await.expect("goto");
    let text = body_text(&b).await;
    assert!(text.contains("没有权限"), "chain2 is refused chain 1's edit page: {text}");
    assert!(!text.contains("编辑：非金属新材料产业链"));
    screenshot(&b, "refused").await;
    b.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn pages_fit_a_phone_without_sideways_scrolling() {
    let Some(b) = start(375, 812, true).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "office").await;
    let token = app.token("office").await;
    let chain = app.chain_id(&token, "有色金属新材料产业链").await;
    let map = format!("/chains/{chain}/map?kind=status");
    let cockpit = format!("/chains/{chain}/cockpit");
    let pages = [
        ("/cockpit", "phone-cockpit"),
        (cockpit.as_str(), "phone-chain-cockpit"),
        ("/figures/status", "phone-figures-status"),
        ("/figures", "phone-figures"),
        ("/projects/board", "phone-board"),
        ("/projects/safety", "phone-safety"),
        ("/investment/targets", "phone-targets"),
        ("/investment/events", "phone-events"),
        ("/tasks", "phone-tasks"),
        ("/problems", "phone-problems"),
        ("/supply", "phone-supply"),
        ("/dispatch", "phone-dispatch"),
        ("/meetings", "phone-meetings"),
        ("/assessment", "phone-assessment"),
        ("/", "phone-home"),
        ("/search?q=%E7%A4%BA%E8%8C%83", "phone-search"),
        ("/chains", "phone-chains"),
        ("/org", "phone-org"),
        ("/plan", "phone-plan"),
        ("/enterprises", "phone-enterprises"),
        (map.as_str(), "phone-map"),
    ];
    for (path, name) in pages {
        b.client.goto(&format!("{}{path}", app.base)).await.expect("goto");
        let width = b.client.execute("return document.documentElement.scrollWidth", vec![]).await.expect("js");
        let width = width.as_i64().expect("number");
        screenshot(&b, name).await;
        let widest = b
            .client
            .execute(
                "let w=[...document.querySelectorAll('body *')].filter(e=>e.getBoundingClientRect().right>376);\
                 return w.slice(0,5).map(e=>e.tagName+'.'+e.className+' '+Math.round(e.getBoundingClientRect().right)).join(', ')",
                vec![],
            )
            .await
            .expect("js");
        assert!(width <= 375, "{path} is {width}px wide on a 375px phone; too wide: {widest}");
    }
    b.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn copper_gap_is_blank_until_an_enterprise_is_placed_on_it() {
    let Some(b) = start(1400, 1000, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "chain3").await;
    follow(&b, "产业链").await;
    follow(&b, "有色金属新材料产业链").await;
    follow(&b, "全景图").await;
    screenshot(&b, "map-panorama").await;
    follow(&b, "现状图与缺口").await;
    screenshot(&b, "map-status").await;
    let fill = b
        .client
        .find(Locator::XPath("//section[h2[starts-with(., '补链')]]"))
        .await
        .expect("补链 list")
        .text()
        .await
        .expect("text");
    assert!(fill.contains("电解/阴极铜"), "电解/阴极铜 is a 补链 gap: {fill}");
    let cell = b
        .client
        .find(Locator::XPath("//tr[td/a[text()='电解/阴极铜']]/td[3]"))
        .await
        .expect("row")
        .text()
        .await
        .expect("text");
    assert!(cell.starts_with("空白"), "{cell}");

    b.client
        .find(Locator::XPath("//section[h2[starts-with(., '补链')]]//a"))
        .await
        .expect("gap link")
        .click()
        .await
        .expect("click");
    let select = b.client.find(Locator::Id("enterprise_id")).await.expect("select");
    select.select_by_label("展威（示范企业）").await.expect("choose");
    b.client
        .find(Locator::XPath("//button[text()='放到这个环节']"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    b.client.wait().for_element(Locator::Css(".flash")).await.expect("saved");
    let text = body_text(&b).await;
    assert!(text.contains("已保存") && text.contains("展威"), "{text}");
    assert!(!text.contains("空白环节"), "the node is no longer blank: {text}");
    screenshot(&b, "map-node").await;
    follow(&b, "有色金属新材料产业链").await;
    let cell = b
        .client
        .find(Locator::XPath("//tr[td/a[text()='电解/阴极铜']]/td[3]"))
        .await
        .expect("row")
        .text()
        .await
        .expect("text");
    assert!(!cell.starts_with("空白"), "the status map rates the node anew: {cell}");

    follow(&b, "企业库").await;
    screenshot(&b, "enterprises").await;
    let export = b.client.find(Locator::LinkText("导出 Excel")).await.expect("export link");
    let href = export.attr("href").await.expect("attr").expect("href");
    let answer = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done(r.status + ' ' + r.headers.get('content-type') + ' ' + b.byteLength)));",
            vec![serde_json::json!(href)],
        )
        .await
        .expect("fetch export");
    let answer = answer.as_str().unwrap_or("").to_string();
    assert!(answer.starts_with("200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "{answer}");
    b.client.clone().close().await.expect("close");
}
