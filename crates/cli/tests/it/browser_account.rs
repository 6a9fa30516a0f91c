//! A new admin's first sign-in in the browser: the password the operator set is changed first,
//! then the dynamic code is enrolled from the key the page shows, and only then the work opens.

use crate::browser::{body_text, screenshot, start};
use crate::harness::{Backend, INITIAL_PASSWORD, PASSWORD, TestApp, add_user};
use chainchief_domain::totp;
use fantoccini::Locator;

async fn fill(b: &crate::browser::Browser, id: &str, value: &str) {
    b.client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}")).send_keys(value).await.expect("type");
}

async fn submit(b: &crate::browser::Browser, form_action: &str) {
    let button = format!("form[action=\"{form_action}\"] button[type=submit]");
    b.client.find(Locator::Css(&button)).await.expect("button").click().await.expect("click");
}

#[tokio::test]
async fn a_new_admin_changes_the_password_then_enrols_the_dynamic_code() {
    let Some(b) = start(1280, 900, false).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let out = add_user(
        &app.db,
        &["--city", "miluo", "--username", "ops-audit", "--name", "审计员乙", "--role", "audit_admin"],
    );
    assert!(out.status.success(), "{}", crate::harness::text(&out));

    b.client.goto(&format!("{}/login", app.base)).await.expect("login page");
    fill(&b, "username", "ops-audit").await;
    fill(&b, "password", INITIAL_PASSWORD).await;
    submit(&b, "/login").await;
    b.client.wait().for_element(Locator::Css(".flash.warning")).await.expect("told to change first");
    assert!(b.client.current_url().await.expect("url").path().ends_with("/account"));
    screenshot(&b, "account-change-first").await;
    fill(&b, "current", INITIAL_PASSWORD).await;
    fill(&b, "new", PASSWORD).await;
    fill(&b, "confirm", PASSWORD).await;
    submit(&b, "/account/password").await;
    b.client.wait().for_element(Locator::Css(".flash.success")).await.expect("signed out after the change");

    fill(&b, "username", "ops-audit").await;
    fill(&b, "password", PASSWORD).await;
    submit(&b, "/login").await;
    b.client.wait().for_element(Locator::Css("#second-factor .secret")).await.expect("the key to enrol");
    assert!(body_text(&b).await.contains("须启用动态口令"));
    screenshot(&b, "account-enrol-second-factor").await;
    let secret = b
        .client
        .find(Locator::Css("input[name=secret]"))
        .await
        .expect("secret")
        .attr("value")
        .await
        .expect("value")
        .expect("a key");
    let key = totp::from_base32(&secret).expect("base32");
    let step = totp::step_of(chainchief_domain::clock::Clock::System.now_millis());
    fill(&b, "code", &format!("{:06}", totp::hotp(&key, step as u64, totp::DIGITS))).await;
    submit(&b, "/account/second-factor").await;
    b.client.wait().for_element(Locator::Css("#second-factor p")).await.expect("page");
    assert!(body_text(&b).await.contains("已启用"), "{}", body_text(&b).await);
    b.client.goto(&format!("{}/audit", app.base)).await.expect("audit");
    let text = body_text(&b).await;
    assert!(text.contains("审计日志") && text.contains("second_factor.enrol"), "the work opens: {text}");
}
