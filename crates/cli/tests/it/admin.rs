//! Accounts and roles through the web pages, with the admin roles kept apart; post holders.

use crate::harness::{CHAIN1, CHAIN2, INITIAL_PASSWORD, PASSWORD, TestApp, backends};

#[tokio::test]
async fn admin_creates_an_account_and_security_admin_grants_its_role() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (admin, csrf) = app.web_login("admin").await;
        let weak = admin
            .post(format!("{}/admin/users", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "zhang.san"),
                ("display_name", "张三"),
                ("password", "short"),
            ])
            .send()
            .await
            .expect("post");
        let html = weak.text().await.expect("html");
        assert!(html.contains("密码至少10位"), "{b:?}: weak password refused with the field named");
        let created = admin
            .post(format!("{}/admin/users", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "zhang.san"),
                ("display_name", "张三"),
                ("password", INITIAL_PASSWORD),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(created.status(), 303, "{b:?}");
        let dup = admin
            .post(format!("{}/admin/users", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "zhang.san"),
                ("display_name", "张三"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("post");
        assert!(dup.text().await.expect("html").contains("用户名“zhang.san”已被使用"), "{b:?}");

        // The password the admin set is the holder's to change before anything else.
        let first = TestApp::browser()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({"username": "zhang.san", "password": INITIAL_PASSWORD}))
            .send()
            .await
            .expect("login");
        let first: serde_json::Value = first.json().await.expect("json");
        let before_change = app.get(first["token"].as_str().expect("token"), "/api/v1/chains").await;
        assert_eq!(before_change.status(), 403, "{b:?}");
        assert!(before_change.text().await.expect("text").contains("action_required"), "{b:?}");
        app.first_sign_in("zhang.san").await;
        let new_token = app.token("zhang.san").await;
        assert_eq!(app.get(&new_token, "/api/v1/chains").await.status(), 403, "{b:?}: no role yet, no business data");

        let office = app.token("office").await;
        let chain2 = app.chain_id(&office, CHAIN2).await;
        let users: Vec<(String, String)> = {
            let store = app.db.store().await;
            let rows = sqlx::query_as("SELECT id, username FROM users").fetch_all(store.pool()).await.expect("users");
            store.close().await;
            rows
        };
        let id_of = |name: &str| users.iter().find(|u| u.1 == name).map(|u| u.0.clone()).expect("user");
        let zhang = id_of("zhang.san");
        // The system admin may not grant roles.
        let denied = admin
            .post(format!("{}/admin/users/{zhang}/roles", app.base))
            .form(&[("_csrf", csrf.as_str()), ("role", "chain_office"), ("scope", &format!("chain:{chain2}"))])
            .send()
            .await
            .expect("post");
        assert_eq!(denied.status(), 403, "{b:?}");
        let (security, scsrf) = app.web_login("security").await;
        let no_account_creation = security
            .post(format!("{}/admin/users", app.base))
            .form(&[("_csrf", scsrf.as_str()), ("username", "x.y"), ("display_name", "某"), ("password", PASSWORD)])
            .send()
            .await
            .expect("post");
        assert_eq!(no_account_creation.status(), 403, "{b:?}: the security admin creates no accounts");
        let unscoped = security
            .post(format!("{}/admin/users/{zhang}/roles", app.base))
            .form(&[("_csrf", scsrf.as_str()), ("role", "chain_office"), ("scope", "")])
            .send()
            .await
            .expect("post");
        assert_eq!(unscoped.status(), 422, "{b:?}: a chain office needs a chain");
        let granted = security
            .post(format!("{}/admin/users/{zhang}/roles", app.base))
            .form(&[("_csrf", scsrf.as_str()), ("role", "chain_office"), ("scope", &format!("chain:{chain2}"))])
            .send()
            .await
            .expect("post");
        assert_eq!(granted.status(), 303, "{b:?}");
        let mixed = security
            .post(format!("{}/admin/users/{zhang}/roles", app.base))
            .form(&[("_csrf", scsrf.as_str()), ("role", "audit_admin"), ("scope", "")])
            .send()
            .await
            .expect("post");
        assert_eq!(mixed.status(), 422, "{b:?}: admin and business roles never on one account");
        let page = mixed.text().await.expect("html");
        assert!(
            page.contains("请修改以下问题")
                && page.contains(&format!("href=\"#role-{zhang}\""))
                && page.contains("授予角色"),
            "{b:?}: the account list again, the reason linked to the account's role field"
        );
        assert_eq!(
            app.get(&new_token, &format!("/api/v1/chains/{chain2}")).await.status(),
            200,
            "{b:?}: role takes effect"
        );
        let chain1 = app.chain_id(&office, CHAIN1).await;
        assert_eq!(app.get(&new_token, &format!("/api/v1/chains/{chain1}")).await.status(), 403);
    }
}

#[tokio::test]
async fn post_holders_are_kept_by_the_right_office() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let office = app.token("office").await;
        let chain1 = app.chain_id(&office, CHAIN1).await;
        let store = app.db.store().await;
        let (post_id, version): (String, i64) =
            sqlx::query_as("SELECT id, version FROM posts WHERE chain_id = $1 AND kind = 'chain_office_director'")
                .bind(&chain1)
                .fetch_one(store.pool())
                .await
                .expect("post");
        store.close().await;
        let form = |csrf: &str, name: &str, v: i64| {
            vec![("_csrf", csrf.to_string()), ("holders", name.to_string()), ("version", v.to_string())]
        };
        let (c2, csrf2) = app.web_login("chain2").await;
        let denied = c2
            .post(format!("{}/posts/{post_id}/holders", app.base))
            .form(&form(&csrf2, "冒名", version))
            .send()
            .await
            .expect("post");
        assert_eq!(denied.status(), 403, "{b:?}: another chain's office");
        let (c1, csrf1) = app.web_login("chain1").await;
        let ok = c1
            .post(format!("{}/posts/{post_id}/holders", app.base))
            .form(&form(&csrf1, "李明", version))
            .send()
            .await
            .expect("post");
        assert_eq!(ok.status(), 303, "{b:?}");
        let stale = c1
            .post(format!("{}/posts/{post_id}/holders", app.base))
            .form(&form(&csrf1, "王刚", version))
            .send()
            .await
            .expect("post");
        assert_eq!(stale.status(), 409, "{b:?}");
        let page = app.get(&office, &format!("/chains/{chain1}")).await.text().await.expect("html");
        assert!(page.contains("李明") && !page.contains("王刚") && !page.contains("冒名"), "{b:?}");
    }
}

#[tokio::test]
async fn an_account_belongs_to_a_unit_of_its_city_given_on_the_command_line_or_the_page() {
    use crate::harness::{cli, text};
    for b in backends() {
        let app = crate::second_city::serve_second_city(b).await;
        let add = |username: &str, extra: &[&str]| {
            let mut args = vec!["--city", "lanshan", "--username", username, "--name", username];
            args.extend(extra);
            crate::harness::add_user(&app.db, &args)
        };
        assert!(add("ls-admin", &["--role", "system_admin"]).status.success(), "{b:?}");
        assert!(add("ls-clerk", &["--unit", "ls-gxj"]).status.success(), "{b:?}");
        let unknown = add("ls-other", &["--unit", "nope"]);
        assert!(!unknown.status.success() && text(&unknown).contains("没有代码为“nope”的单位"), "{b:?}");
        app.first_sign_in("ls-admin").await;

        let (admin, csrf) = app.web_login("ls-admin").await;
        let page = crate::harness::html(&app, &admin, "/admin/users").await;
        assert!(page.contains("岚山县工业和信息化局"), "{b:?}: the clerk's unit is shown");
        let unit = |name: &str| {
            let at = page.find(&format!(">{name}</option>")).unwrap_or_else(|| panic!("{name} offered"));
            page[..at].rsplit("value=\"").next().and_then(|v| v.split('"').next()).expect("id").to_string()
        };
        let swj = unit("岚山县商务局");
        let form = [
            ("_csrf", csrf.as_str()),
            ("username", "ls-new"),
            ("display_name", "新同事"),
            ("password", PASSWORD),
            ("unit_id", swj.as_str()),
        ];
        let created = admin.post(format!("{}/admin/users", app.base)).form(&form).send().await.expect("post");
        assert_eq!(created.status(), 303, "{b:?}");
        let (id, version): (String, i64) = {
            let store = app.db.store().await;
            let row = sqlx::query_as("SELECT id, version FROM users WHERE username = 'ls-new'")
                .fetch_one(store.pool())
                .await
                .expect("user");
            store.close().await;
            row
        };
        let set = |unit_id: String, version: i64| {
            let form = [("_csrf", csrf.clone()), ("unit_id", unit_id), ("version", version.to_string())];
            admin.post(format!("{}/admin/users/{id}/unit", app.base)).form(&form).send()
        };
        let bad = set("no-such-unit".into(), version).await.expect("post");
        assert_eq!(bad.status(), 422, "{b:?}");
        assert!(bad.text().await.expect("html").contains("所属单位不是本市规划中的单位"), "{b:?}");
        assert_eq!(set(unit("岚山县农业农村局"), version).await.expect("post").status(), 303, "{b:?}");
        assert_eq!(set(String::new(), version).await.expect("post").status(), 409, "{b:?}: stale version");
        let moved = cli(&app.db, &["user", "set-unit", "ls-clerk", "--unit", "ls-swj"]);
        assert!(moved.status.success(), "{b:?}: {}", text(&moved));
        let page = crate::harness::html(&app, &admin, "/admin/users").await;
        // The 所属单位 cell of the user's row.
        let row = |user: &str| {
            let rest = page.split(&format!("data-label=\"用户名\">{user}</td>")).nth(1).unwrap_or("");
            rest.split("data-label=\"所属单位\">")
                .nth(1)
                .and_then(|r| r.split("</td>").next())
                .unwrap_or("")
                .to_string()
        };
        assert!(row("ls-new").contains("岚山县农业农村局"), "{b:?}");
        assert!(row("ls-clerk").contains("岚山县商务局"), "{b:?}");
    }
}
