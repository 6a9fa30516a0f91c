//! Accounts and roles, with the admin roles kept apart (三权分立): the system admin keeps accounts,
//! the security admin grants roles, and no account holds an admin role besides a business role or
//! two admin roles. Every user changes the own password.

use crate::{Caller, Context, Error, Result, allow, passwords};
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::password;
use chainchief_domain::roles::{Grant, Principal, Role, ScopeKind};
use chainchief_domain::text;
use chainchief_store::users::{self, NewUser, RoleRow};
use chainchief_store::{enterprises, org};

/// Who keeps accounts (create, disable, enable, reset a password): the system admin.
pub fn may_keep_accounts(p: &Principal) -> bool {
    p.has(Role::SystemAdmin)
}

/// Who grants and revokes roles: the security admin.
pub fn may_grant(p: &Principal) -> bool {
    p.has(Role::SecurityAdmin)
}

/// An account as the admin pages list it.
pub struct Account {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// 姓名.
    pub display_name: String,
    /// Disabled.
    pub disabled: bool,
    /// Locked after failed logins, for everyone or for some address.
    pub locked: bool,
    /// Row version.
    pub version: i64,
    /// The unit its holder belongs to (id), if any.
    pub unit_id: Option<String>,
    /// That unit's name, or empty.
    pub unit: String,
    /// Its roles: (grant id, role with its scope in words).
    pub roles: Vec<(String, String)>,
    /// Another admin's account: not disabled nor its password reset by the caller.
    pub guarded: bool,
}

/// The city's accounts with their roles, and the scopes a role may be granted for (code, words).
pub async fn overview(ctx: &Context, c: &Caller<'_>) -> Result<(Vec<Account>, Vec<(String, String)>)> {
    let p = c.principal;
    allow(ctx, c, may_keep_accounts(p) || may_grant(p), "GET /admin/users").await?;
    let city = &p.city_id;
    let pool = ctx.store.pool();
    let chains = org::chains(pool, city).await?;
    let units = org::units(pool, city).await?;
    let ents = enterprises::names(pool, city).await?;
    let roles = users::roles_in_city(pool, city).await?;
    let scope_name = |r: &RoleRow| -> String {
        if let Some(c) = &r.chain_id {
            return chains.iter().find(|x| &x.id == c).map(|x| x.name.clone()).unwrap_or_default();
        }
        if let Some(u) = &r.unit_id {
            return units.iter().find(|x| &x.id == u).map(|x| x.name.clone()).unwrap_or_default();
        }
        if let Some(e) = &r.enterprise_id {
            return ents.iter().find(|x| &x.0 == e).map(|x| x.1.clone()).unwrap_or_default();
        }
        String::new()
    };
    let now = ctx.clock.now_millis();
    let locked = chainchief_store::logins::locked(pool, city, now).await?;
    let accounts = users::list(pool, city)
        .await?
        .into_iter()
        .map(|u| Account {
            locked: locked.contains(&u.id),
            guarded: u.id != p.user_id
                && roles.iter().any(|r| r.user_id == u.id && Role::from_code(&r.role).is_some_and(Role::is_admin)),
            roles: roles
                .iter()
                .filter(|r| r.user_id == u.id)
                .map(|r| {
                    let label = Role::from_code(&r.role).map(|x| x.label()).unwrap_or("?");
                    let scope = scope_name(r);
                    (r.id.clone(), if scope.is_empty() { label.to_string() } else { format!("{label}（{scope}）") })
                })
                .collect(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled == 1,
            version: u.version,
            unit: u
                .unit_id
                .as_ref()
                .and_then(|id| units.iter().find(|x| &x.id == id))
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            unit_id: u.unit_id,
        })
        .collect();
    let mut scopes = vec![(String::new(), "全市（不限范围）".to_string())];
    scopes.extend(chains.iter().map(|c| (format!("chain:{}", c.id), format!("产业链：{}", c.name))));
    scopes.extend(units.iter().map(|u| (format!("unit:{}", u.id), format!("单位：{}", u.name))));
    scopes.extend(ents.iter().map(|e| (format!("enterprise:{}", e.0), format!("企业：{}", e.1))));
    Ok((accounts, scopes))
}

/// The unit of the caller's city named by `id` (empty: none), or an error naming the field.
async fn unit_of(ctx: &Context, city_id: &str, id: &str) -> Result<Option<String>> {
    let id = id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if is_valid_id(id) && org::unit(ctx.store.pool(), city_id, id).await.is_ok() {
        return Ok(Some(id.to_string()));
    }
    Err(Error::field("unit_id", "所属单位不是本市规划中的单位，请从列表中选择"))
}

/// Sets the unit an account's holder belongs to (empty: none), read at `version`.
pub async fn set_unit(ctx: &Context, c: &Caller<'_>, id: &str, unit_id: &str, version: i64) -> Result<()> {
    account(ctx, c, id, may_keep_accounts(c.principal), "POST /admin/users/{id}/unit").await?;
    let unit = unit_of(ctx, &c.principal.city_id, unit_id).await?;
    Ok(users::set_unit(&ctx.store, &c.actor, &c.principal.city_id, id, unit.as_deref(), version).await?)
}

/// Creates an account of the caller's city with no role yet, in `unit_id` (empty: none); returns its id.
pub async fn create(
    ctx: &Context,
    c: &Caller<'_>,
    username: &str,
    display_name: &str,
    password: &str,
    unit_id: &str,
) -> Result<String> {
    allow(ctx, c, may_keep_accounts(c.principal), "POST /admin/users").await?;
    let mut errors = Vec::new();
    let unit = unit_of(ctx, &c.principal.city_id, unit_id).await.map_err(|e| errors.extend(invalid(e))).ok().flatten();
    if let Err(e) = password::check(password, username) {
        errors.push(e);
    }
    let username = text::username(username).map_err(|e| errors.push(e)).ok();
    let display = text::required("display_name", "姓名", display_name, 40).map_err(|e| errors.push(e)).ok();
    let (Some(username), Some(display_name)) = (username, display) else { return Err(Error::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let new = NewUser {
        city_id: c.principal.city_id.clone(),
        username,
        display_name,
        password_hash: passwords::hash(password)?,
        unit_id: unit,
        grants: vec![],
        must_change_password: true,
    };
    Ok(users::create(&ctx.store, &c.actor, &new).await?)
}

/// An account of the caller's city; `what` names the request.
async fn account(ctx: &Context, c: &Caller<'_>, id: &str, allowed: bool, what: &str) -> Result<users::User> {
    allow(ctx, c, allowed, what).await?;
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(users::get(ctx.store.pool(), &c.principal.city_id, id).await?)
}

/// Disables (or enables) an account read at `version`; nobody disables the own account.
pub async fn set_disabled(ctx: &Context, c: &Caller<'_>, id: &str, disabled: bool, version: i64) -> Result<()> {
    let what = if disabled { "POST /admin/users/{id}/disable" } else { "POST /admin/users/{id}/enable" };
    account(ctx, c, id, may_keep_accounts(c.principal), what).await?;
    if disabled && id == c.principal.user_id {
        return Err(Error::BadRequest("不能停用自己的账号".into()));
    }
    if disabled {
        other_admin_guarded(ctx, c, id, "停用").await?;
    }
    Ok(users::set_disabled(&ctx.store, &c.actor, &c.principal.city_id, id, disabled, version).await?)
}

/// Unlocks an account locked after failed logins, read at `version`: the system admin's to do.
pub async fn unlock(ctx: &Context, c: &Caller<'_>, id: &str, version: i64) -> Result<()> {
    account(ctx, c, id, may_keep_accounts(c.principal), "POST /admin/users/{id}/unlock").await?;
    Ok(users::unlock(&ctx.store, &c.actor, &c.principal.city_id, id, version).await?)
}

/// Resets the password of a business account (strong enough): its sessions end, and its holder
/// must change it at the next login. An admin account's password is changed only by its holder,
/// or on the server's command line (三权分立).
pub async fn reset_password(ctx: &Context, c: &Caller<'_>, id: &str, password: &str) -> Result<()> {
    let u = account(ctx, c, id, may_keep_accounts(c.principal), "POST /admin/users/{id}/password").await?;
    other_admin_guarded(ctx, c, id, "重置密码").await?;
    password::check(password, &u.username)?;
    Ok(users::set_password(&ctx.store, &c.actor, &u.id, &passwords::hash(password)?, users::SetBy::Other).await?)
}

/// Refuses, and audits, an admin's `what` on another admin's account: one admin cannot take over
/// or silence another; that is done on the server's command line.
async fn other_admin_guarded(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<()> {
    let is_admin = users::grants(ctx.store.pool(), id).await?.iter().any(|g| g.role.is_admin());
    if is_admin && id != c.principal.user_id {
        allow(ctx, c, false, &format!("{what} admin account {id}")).await.ok();
        return Err(Error::field(
            "account",
            format!(
                "管理员账号不能由其他管理员{what}（三权分立）：请本人操作，或在服务器上用 chainchief user 命令办理"
            ),
        ));
    }
    Ok(())
}

/// Grants a role for a scope (`chain:ID`, `unit:ID`, `enterprise:ID` or empty for the city) to
/// another account, keeping admin and business roles on different accounts.
pub async fn grant(ctx: &Context, c: &Caller<'_>, id: &str, role: Role, scope: &str) -> Result<()> {
    account(ctx, c, id, may_grant(c.principal), "POST /admin/users/{id}/roles").await?;
    if id == c.principal.user_id {
        return Err(Error::BadRequest("不能给自己授予角色".into()));
    }
    let mut g = Grant::city(role);
    let city = &c.principal.city_id;
    let pool = ctx.store.pool();
    let valid = |x: &str| is_valid_id(x);
    match scope.split_once(':') {
        Some(("chain", x)) if valid(x) && org::chain(pool, city, x).await.is_ok() => g.chain_id = Some(x.into()),
        Some(("unit", x)) if valid(x) && org::unit(pool, city, x).await.is_ok() => g.unit_id = Some(x.into()),
        Some(("enterprise", x)) if valid(x) && enterprises::get(pool, city, x).await.is_ok() => {
            g.enterprise_id = Some(x.into())
        }
        None if scope.is_empty() => {}
        _ => return Err(Error::field("scope", "适用范围无效")),
    }
    if !g.is_well_scoped() {
        let need = match role.scope_kind() {
            ScopeKind::City => "全市（不限范围）",
            ScopeKind::Chain => "一条产业链",
            ScopeKind::Unit => "一个单位",
            ScopeKind::Enterprise => "一家企业",
        };
        return Err(Error::field("scope", format!("“{}”角色的适用范围应为{need}", role.label())));
    }
    let existing = users::grants(pool, id).await?;
    if existing.iter().any(|x| x.role.is_admin() != role.is_admin()) {
        return Err(Error::field("role", "管理员角色与业务角色不能授予同一账号（三权分立）"));
    }
    if existing.iter().any(|x| x.role.is_admin() && role.is_admin() && x.role != role) {
        return Err(Error::field("role", "系统管理员、安全管理员、审计管理员须由不同账号担任"));
    }
    Ok(users::add_grant(&ctx.store, &c.actor, city, id, &g).await?)
}

/// Revokes a role grant of the caller's city.
pub async fn revoke(ctx: &Context, c: &Caller<'_>, grant_id: &str) -> Result<()> {
    allow(ctx, c, may_grant(c.principal), "POST /admin/roles/{id}/revoke").await?;
    if !is_valid_id(grant_id) {
        return Err(Error::NotFound);
    }
    Ok(users::remove_grant(&ctx.store, &c.actor, &c.principal.city_id, grant_id).await?)
}

/// Changes the caller's own password after checking the current one; every session of the account
/// ends, so the user signs in again.
pub async fn change_own_password(ctx: &Context, c: &Caller<'_>, current: &str, new: &str, confirm: &str) -> Result<()> {
    let p = c.principal;
    let me = users::get(ctx.store.pool(), &p.city_id, &p.user_id).await?;
    let ok = passwords::verify_off_thread(current.to_string(), me.password_hash.clone()).await?;
    let mut errors = Vec::new();
    if !ok {
        // A wrong current password is a failed password check, audited like a failed login.
        let event = chainchief_store::audit::Event {
            action: "password.failure",
            entity: "user",
            entity_id: Some(&me.id),
            before: None,
            after: None,
        };
        chainchief_store::audit::record(&ctx.store, &c.actor, event).await?;
        errors.push(FieldError::new("current", "当前密码不正确"));
    }
    if let Err(e) = password::check(new, &me.username) {
        errors.push(FieldError::new("new", e.message));
    } else if new != confirm {
        errors.push(FieldError::new("confirm", "两次输入的新密码不一致"));
    } else if ok && used_before(ctx, &me.id, new).await? {
        errors.push(FieldError::new("new", format!("新密码不能与最近{}次用过的密码相同", password::HISTORY)));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(users::set_password(&ctx.store, &c.actor, &me.id, &passwords::hash(new)?, users::SetBy::Owner).await?)
}

/// Whether `new` is the account's current password or one of its last few.
async fn used_before(ctx: &Context, user_id: &str, new: &str) -> Result<bool> {
    for hash in users::recent_password_hashes(ctx.store.pool(), user_id).await? {
        if passwords::verify_off_thread(new.to_string(), hash).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The field errors of a refusal.
fn invalid(e: Error) -> Vec<chainchief_domain::error::FieldError> {
    match e {
        Error::Invalid(errors) => errors,
        other => vec![FieldError::new("unit_id", other.to_string())],
    }
}

/// Who did something, as pages say it: a person's name with the unit they belong to, not the
/// login name the records keep.
#[derive(Debug, Clone, Default)]
pub struct People(std::collections::HashMap<String, String>);

impl People {
    /// The person behind a login name recorded as author (the command line and the system by their role).
    pub fn who(&self, username: &str) -> String {
        match (self.0.get(username), username) {
            (Some(words), _) => words.clone(),
            (None, "cli") => "系统管理员（服务器命令行）".into(),
            (None, other) => other.to_string(),
        }
    }
}

/// The city's people by login name: "姓名（单位简称）", or the name alone when no unit is set or the name says it.
pub async fn people(ctx: &Context, city_id: &str) -> Result<People> {
    let pool = ctx.store.pool();
    let units = org::units(pool, city_id).await?;
    let named = users::list(pool, city_id).await?.into_iter().map(|u| {
        let unit = u.unit_id.as_ref().and_then(|id| units.iter().find(|x| &x.id == id));
        let called = unit.map(|x| if x.short_name.is_empty() { x.name.as_str() } else { x.short_name.as_str() });
        // A name that already says the unit ("高新区管委会", "总链办") is not repeated.
        let words = match called {
            Some(c) if !u.display_name.contains(c) => format!("{}（{c}）", u.display_name),
            _ => u.display_name,
        };
        (u.username, words)
    });
    Ok(People(named.collect()))
}
