//! Users, their roles, login bookkeeping (failures, lockout) and server-side sessions.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, StoreError, unique_as};
use chainchief_domain::ids::new_id;
use chainchief_domain::roles::{Grant, Role};
use serde::Serialize;
use sqlx::{AnyPool, FromRow};

/// A user account.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct User {
    /// Id.
    pub id: String,
    /// City.
    pub city_id: String,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Argon2 hash.
    #[serde(skip)]
    pub password_hash: String,
    /// Unit the user works in.
    pub unit_id: Option<String>,
    /// 1 when disabled.
    pub disabled: i64,
    /// Locked until (epoch ms; 0 = not locked).
    pub locked_until: i64,
    /// Row version.
    pub version: i64,
    /// Last change time.
    pub updated_at: i64,
    /// Last change by.
    pub updated_by: String,
    /// When the password was last set.
    pub password_changed_at: i64,
    /// 1 when the password was set by someone else and is to be changed at the next login.
    pub must_change_password: i64,
    /// The second factor's secret (base32), when enrolled.
    #[serde(skip)]
    pub totp_secret: Option<String>,
    /// The last time step a second-factor code was accepted for (a code is used once).
    #[serde(skip)]
    pub totp_last_step: i64,
}

const USER_COLUMNS: &str = "id, city_id, username, display_name, password_hash, unit_id, disabled, \
                            locked_until, version, updated_at, updated_by, password_changed_at, must_change_password, \
                            totp_secret, totp_last_step";

/// A role grant as stored.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct RoleRow {
    /// Id.
    pub id: String,
    /// User.
    pub user_id: String,
    /// Role code.
    pub role: String,
    /// Chain scope.
    pub chain_id: Option<String>,
    /// Unit scope.
    pub unit_id: Option<String>,
    /// Enterprise scope.
    pub enterprise_id: Option<String>,
}

impl RoleRow {
    /// The grant this row stands for; an unknown role code is an error, never skipped.
    pub fn grant(&self) -> Result<Grant> {
        let role = Role::from_code(&self.role)
            .ok_or_else(|| StoreError::Invalid(format!("账号 {} 有未知的角色代码“{}”", self.user_id, self.role)))?;
        Ok(Grant {
            role,
            chain_id: self.chain_id.clone(),
            unit_id: self.unit_id.clone(),
            enterprise_id: self.enterprise_id.clone(),
        })
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// City.
    pub city_id: String,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Argon2 hash of the password.
    pub password_hash: String,
    /// Unit.
    pub unit_id: Option<String>,
    /// Roles.
    pub grants: Vec<Grant>,
    /// Whether the holder must change the password at the first login (set by someone else).
    pub must_change_password: bool,
}

/// Creates a user with roles; audited.
pub async fn create(store: &Store, actor: &Actor, new: &NewUser) -> Result<String> {
    let id = new_id();
    let now = actor.at;
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "INSERT INTO users (id, city_id, username, display_name, password_hash, unit_id, disabled, failed_logins, \
         locked_until, password_changed_at, version, created_at, updated_at, updated_by, must_change_password) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, $7, 1, $7, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&new.city_id)
    .bind(&new.username)
    .bind(&new.display_name)
    .bind(&new.password_hash)
    .bind(&new.unit_id)
    .bind(now)
    .bind(&actor.name)
    .bind(i64::from(new.must_change_password))
    .execute(&mut *tx)
    .await
    .map_err(unique_as("username", &format!("用户名“{}”已被使用，请换一个", new.username)))?;
    remember_password(&mut tx, &id, &new.password_hash, now).await?;
    for g in &new.grants {
        insert_grant(&mut tx, &id, g).await?;
    }
    let after = serde_json::json!({"username": new.username, "display_name": new.display_name, "grants": new.grants});
    let event = Event { action: "user.create", entity: "user", entity_id: Some(&id), before: None, after: Some(after) };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_grant(tx: &mut crate::Tx, user_id: &str, g: &Grant) -> Result<String> {
    if !g.is_well_scoped() {
        return Err(StoreError::Invalid(format!("角色“{}”的适用范围不正确", g.role.label())));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO user_roles (id, user_id, role, chain_id, unit_id, enterprise_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(g.role.code())
    .bind(&g.chain_id)
    .bind(&g.unit_id)
    .bind(&g.enterprise_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Finds a user by login name.
pub async fn by_username(pool: &AnyPool, username: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await?)
}

/// Finds a user of a city by id.
pub async fn get(pool: &AnyPool, city_id: &str, user_id: &str) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND city_id = $2");
    let row = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(city_id).fetch_optional(pool).await?;
    row.ok_or(StoreError::NotFound)
}

/// The users of a city, by login name.
pub async fn list(pool: &AnyPool, city_id: &str) -> Result<Vec<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE city_id = $1 ORDER BY username");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// The role rows of a city's users.
pub async fn roles_in_city(pool: &AnyPool, city_id: &str) -> Result<Vec<RoleRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.user_id, r.role, r.chain_id, r.unit_id, r.enterprise_id FROM user_roles r \
         JOIN users u ON u.id = r.user_id WHERE u.city_id = $1 ORDER BY r.role",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// The grants of one user.
pub async fn grants(pool: &AnyPool, user_id: &str) -> Result<Vec<Grant>> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT id, user_id, role, chain_id, unit_id, enterprise_id FROM user_roles WHERE user_id = $1 ORDER BY role",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(RoleRow::grant).collect()
}

/// Adds a role to a user of the city; audited.
pub async fn add_grant(store: &Store, actor: &Actor, city_id: &str, user_id: &str, g: &Grant) -> Result<()> {
    get(store.pool(), city_id, user_id).await?;
    let mut tx = store.begin_write().await?;
    let id = insert_grant(&mut tx, user_id, g).await?;
    let event = Event {
        action: "user.grant",
        entity: "user_role",
        entity_id: Some(&id),
        before: None,
        after: Some(serde_json::json!({"user_id": user_id, "grant": g})),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a role row from a user of the city; audited.
pub async fn remove_grant(store: &Store, actor: &Actor, city_id: &str, role_id: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let row: Option<RoleRow> = sqlx::query_as(
        "SELECT r.id, r.user_id, r.role, r.chain_id, r.unit_id, r.enterprise_id FROM user_roles r \
         JOIN users u ON u.id = r.user_id WHERE r.id = $1 AND u.city_id = $2",
    )
    .bind(role_id)
    .bind(city_id)
    .fetch_optional(&mut *tx)
    .await?;
    let row = row.ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM user_roles WHERE id = $1").bind(role_id).execute(&mut *tx).await?;
    let before = serde_json::to_value(&row).ok();
    let event = Event { action: "user.revoke", entity: "user_role", entity_id: Some(role_id), before, after: None };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Enables or disables an account (disabling ends its sessions); audited, versioned.
pub async fn set_disabled(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    user_id: &str,
    disabled: bool,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("disabled", crate::Val::Int(i64::from(disabled)))];
    let change = crate::Versioned { table: "users", id: user_id, city_id: Some(city_id), version, sets };
    let before = crate::update_versioned(&mut tx, actor, change).await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    let event = Event { action, entity: "user", entity_id: Some(user_id), before, after: None };
    append_changed(&mut tx, actor, "users", &[("id", user_id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Unlocks an account read at `version`: its lock and its count of failed attempts end; audited.
pub async fn unlock(store: &Store, actor: &Actor, city_id: &str, user_id: &str, version: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("locked_until", crate::Val::Int(0))];
    let change = crate::Versioned { table: "users", id: user_id, city_id: Some(city_id), version, sets };
    let before = crate::update_versioned(&mut tx, actor, change).await?;
    sqlx::query("DELETE FROM login_failures WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    let event = Event { action: "user.unlock", entity: "user", entity_id: Some(user_id), before, after: None };
    append_changed(&mut tx, actor, "users", &[("id", user_id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the unit an account's holder belongs to (none: no unit), read at `version`; audited.
pub async fn set_unit(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    user_id: &str,
    unit_id: Option<&str>,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("unit_id", crate::Val::Text(unit_id.map(str::to_string)))];
    let change = crate::Versioned { table: "users", id: user_id, city_id: Some(city_id), version, sets };
    let before = crate::update_versioned(&mut tx, actor, change).await?;
    let event = Event { action: "user.unit", entity: "user", entity_id: Some(user_id), before, after: None };
    append_changed(&mut tx, actor, "users", &[("id", user_id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Who sets a password: its owner, or someone else (who resets it, so the owner changes it next).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBy {
    /// The account's holder, knowing the current password.
    Owner,
    /// An administrator or the command line.
    Other,
}

/// Sets a new password hash, unlocks the account and ends its sessions; audited as a change by
/// the owner or a reset by someone else, which the owner must follow with an own change.
pub async fn set_password(store: &Store, actor: &Actor, user_id: &str, password_hash: &str, by: SetBy) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    let before = crate::audit::image(&mut tx, "users", &[("id", user_id)]).await?;
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, locked_until = 0, password_changed_at = $2, \
         must_change_password = $5, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(now)
    .bind(&actor.name)
    .bind(user_id)
    .bind(i64::from(by == SetBy::Other))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    remember_password(&mut tx, user_id, password_hash, now).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM login_failures WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    let action = if by == SetBy::Owner { "password.change" } else { "user.reset_password" };
    let event = Event { action, entity: "user", entity_id: Some(user_id), before, after: None };
    append_changed(&mut tx, actor, "users", &[("id", user_id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps a password's hash in the account's history, the last few only.
async fn remember_password(tx: &mut crate::Tx, user_id: &str, password_hash: &str, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO password_history (id, user_id, password_hash, set_at) VALUES ($1, $2, $3, $4)")
        .bind(new_id())
        .bind(user_id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let keep = chainchief_domain::password::HISTORY as i64;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN \
         (SELECT id FROM password_history WHERE user_id = $1 ORDER BY set_at DESC, id DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The hashes of the account's current and last few passwords, which a new one may not repeat.
pub async fn recent_password_hashes(pool: &AnyPool, user_id: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> =
        sqlx::query_scalar("SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY set_at DESC")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    let current: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_optional(pool).await?;
    out.extend(current.filter(|c| !out.contains(c)));
    Ok(out)
}

/// Enrols (with a base32 secret and the step of the code that confirmed it) or removes the
/// account's second factor; audited without the secret.
pub async fn set_second_factor(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    secret: Option<&str>,
    step: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let done = sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = $2, version = version + 1, updated_at = $3, \
         updated_by = $4 WHERE id = $5",
    )
    .bind(secret)
    .bind(step)
    .bind(actor.at)
    .bind(&actor.name)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let action = if secret.is_some() { "second_factor.enrol" } else { "second_factor.remove" };
    let event = Event { action, entity: "user", entity_id: Some(user_id), before: None, after: None };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a second-factor code's step as used, in one statement; false when that step or a later
/// one was used already (a replayed code).
pub async fn use_second_factor_step(store: &Store, user_id: &str, step: i64) -> Result<bool> {
    let mut tx = store.begin_write().await?;
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
        .bind(step)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// A session row joined with its user.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    /// Session id (hash of the token).
    pub id: String,
    /// User.
    pub user_id: String,
    /// CSRF token of the session.
    pub csrf_token: String,
    /// Created.
    pub created_at: i64,
    /// Last request.
    pub last_seen_at: i64,
}

/// Starts a session after a successful login (also resets the failure count).
pub async fn start_session(store: &Store, session_id: &str, user_id: &str, csrf: &str, ip: &str) -> Result<()> {
    let now = store.clock().now_millis();
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE users SET locked_until = 0 WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(csrf)
    .bind(now)
    .bind(ip)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Looks a session up.
pub async fn session(pool: &AnyPool, session_id: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as("SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id = $1")
        .bind(session_id)
        .fetch_optional(pool)
        .await?)
}

/// Records activity on a session.
pub async fn touch_session(pool: &AnyPool, session_id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2").bind(now).bind(session_id).execute(pool).await?;
    Ok(())
}

/// Ends a session.
pub async fn end_session(pool: &AnyPool, session_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(session_id).execute(pool).await?;
    Ok(())
}

/// Finds a user by id in any city (sessions carry only the user id).
pub async fn get_any(pool: &AnyPool, user_id: &str) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await?;
    row.ok_or(StoreError::NotFound)
}
