//! Authentication: password hashing, login with lockout, server-side sessions reached by
//! cookie or bearer token, idle and absolute timeouts, and the current user of a request.

use crate::{AppError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use chainchief_domain::roles::Principal;
use chainchief_store::audit::{self, Actor, Event};
use chainchief_store::{logins, users};
use rand::RngCore;
use sm3::{Digest, Sm3};
use std::net::SocketAddr;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "cc_session";

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Session id (hash of the token).
    pub session_id: String,
    /// Who and what roles.
    pub principal: Principal,
    /// CSRF token of the session.
    pub csrf: String,
    /// Authenticated by `Authorization: Bearer` (no cookie, so no CSRF exposure).
    pub via_bearer: bool,
    /// Client address.
    pub ip: String,
    /// When the request came, in epoch milliseconds from the one clock.
    pub at: i64,
    /// What the user must do before anything else, if anything.
    pub obligation: Option<chainchief_app::sign_in::Obligation>,
}

impl CurrentUser {
    /// The user as a use case sees them: grants and audit identity.
    pub fn caller(&self) -> chainchief_app::Caller<'_> {
        chainchief_app::Caller { principal: &self.principal, actor: self.actor() }
    }

    /// The user as the audit log records them.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.principal.user_id.clone()),
            name: self.principal.username.clone(),
            city_id: Some(self.principal.city_id.clone()),
            ip: Some(self.ip.clone()),
            at: self.at,
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthenticated)
    }
}

/// A fresh random token (hex of 32 random bytes).
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored id of a session token (so a leaked database holds no usable tokens).
pub fn session_id_of(token: &str) -> String {
    hex::encode(Sm3::digest(token.as_bytes()))
}

/// The client address of a request.
pub fn client_ip(req_ext: &axum::http::Extensions) -> String {
    match req_ext.get::<crate::security::ClientIp>() {
        Some(ip) => ip.0.to_string(),
        None => req_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "-".into()),
    }
}

/// A successful login.
pub struct LoggedIn {
    /// The token to hand to the client.
    pub token: String,
    /// The user.
    pub user_id: String,
}

/// What a sign-in offers: the login name, the password and, for an account with a second factor,
/// the dynamic code.
pub struct Credentials<'a> {
    /// Login name.
    pub username: &'a str,
    /// Password.
    pub password: &'a str,
    /// Dynamic code (TOTP), or empty.
    pub code: &'a str,
}

/// Checks a username, password and, where enrolled, the dynamic code; on success starts a
/// session. Every attempt is audited.
pub async fn login(state: &AppState, given: Credentials<'_>, ip: &str) -> Result<LoggedIn, AppError> {
    let Credentials { username, password, code } = given;
    let cfg = &state.config;
    let store = &state.store;
    // Before anything is hashed: the client's and the account's rate, then a hashing slot.
    let limit = crate::throttle::Limit {
        burst: f64::from(cfg.login_burst.max(1)),
        refill_seconds: f64::from(cfg.login_refill_seconds.max(1)),
    };
    crate::throttle::admit(ip, username, state.clock.now_millis(), limit).map_err(AppError::TooManyRequests)?;
    let _slot = crate::throttle::hashing_slot().await.map_err(AppError::TooManyRequests)?;
    let user = users::by_username(store.pool(), username).await?;
    let fail = |reason: &str, city: Option<String>, user_id: Option<String>| {
        let actor = Actor {
            user_id,
            name: username.chars().take(64).collect(),
            city_id: city,
            ip: Some(ip.into()),
            at: state.clock.now_millis(),
        };
        let reason = reason.to_string();
        async move {
            let event = Event {
                action: "login.failure",
                entity: "session",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({"reason": reason})),
            };
            if let Err(e) = audit::record(store, &actor, event).await {
                tracing::error!(error = %e, "audit of failed login");
            }
        }
    };
    // Every refusal reads the same and costs one password check, so that names, disabled and
    // locked accounts cannot be told apart by answer or by time.
    let generic = || {
        AppError::LoginFailed(format!(
            "用户名或密码不正确，或账号已停用、已锁定（连续输错{}次锁定{}分钟）",
            cfg.lockout_failures, cfg.lockout_minutes
        ))
    };
    let check = |hash: String| chainchief_app::passwords::verify_off_thread(password.to_string(), hash);
    let refuse = |reason: &'static str, user: Option<&users::User>| {
        let (city, id) = user.map_or((None, None), |u| (Some(u.city_id.clone()), Some(u.id.clone())));
        let spent = check(dummy_hash().to_string());
        async move {
            spent.await.map_err(AppError::from)?;
            fail(reason, city, id).await;
            Err(generic())
        }
    };
    let Some(user) = user else { return refuse("unknown_user", None).await };
    if user.disabled == 1 {
        return refuse("disabled", Some(&user)).await;
    }
    // The attempt is counted before the check, atomically, per account and address: a burst gets
    // no more checks than the limit, and only the guessing address is locked out.
    let limits = logins::Limits {
        failures: cfg.lockout_failures,
        lock_ms: cfg.lockout_minutes * 60_000,
        addresses: cfg.lockout_addresses,
    };
    if logins::begin(store, &user.id, ip, limits).await? == logins::Attempt::Refused {
        return refuse("locked", Some(&user)).await;
    }
    let password_right = check(user.password_hash.clone()).await.map_err(AppError::from)?;
    // A right password without the code asked for is no failure: the code is asked for.
    let code_wanted = password_right && user.totp_secret.is_some() && code.trim().is_empty();
    let code_right = user.totp_secret.is_none()
        || code_wanted
        || (password_right && chainchief_app::sign_in::check_code(&state.ctx, &user, code).await?);
    let right = password_right && code_right;
    let settled = logins::settle(store, &user.id, ip, right, limits).await?;
    if !right {
        let reason = match (password_right, settled) {
            (_, logins::Settled::LockedAccount) => "account_locked",
            (true, logins::Settled::LockedForAddress) => "bad_second_factor_locked",
            (true, logins::Settled::Open) => "bad_second_factor",
            (false, logins::Settled::LockedForAddress) => "bad_password_locked",
            (false, logins::Settled::Open) => "bad_password",
        };
        fail(reason, Some(user.city_id.clone()), Some(user.id.clone())).await;
        return Err(generic());
    }
    if code_wanted {
        return Err(AppError::SecondFactor("该账号已启用动态口令：请输入手机验证器上显示的6位动态口令".into()));
    }
    let token = random_token();
    let sid = session_id_of(&token);
    users::start_session(store, &sid, &user.id, &random_token(), ip).await?;
    let actor = Actor {
        user_id: Some(user.id.clone()),
        name: user.username.clone(),
        city_id: Some(user.city_id.clone()),
        ip: Some(ip.into()),
        at: state.clock.now_millis(),
    };
    let event = Event { action: "login.success", entity: "session", entity_id: None, before: None, after: None };
    audit::record(store, &actor, event).await?;
    Ok(LoggedIn { token, user_id: user.id })
}

/// Ends the caller's session; audited as `session.logout`.
pub async fn logout(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    users::end_session(state.store.pool(), &user.session_id).await?;
    let event = Event { action: "session.logout", entity: "session", entity_id: None, before: None, after: None };
    audit::record(&state.store, &user.actor(), event).await?;
    Ok(())
}

/// A hash of a random password, verified against when the user does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| chainchief_app::passwords::hash(&random_token()).unwrap_or_default())
}

/// Reads the session token from `Authorization: Bearer …` or the session cookie.
fn token_of(parts: &axum::http::HeaderMap) -> Option<(String, bool)> {
    if let Some(v) = parts.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some((t.trim().to_string(), true));
    }
    for cookie in parts.get_all(COOKIE) {
        let Ok(s) = cookie.to_str() else { continue };
        for pair in s.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=')
                && k == SESSION_COOKIE
                && !v.is_empty()
            {
                return Some((v.to_string(), false));
            }
        }
    }
    None
}

/// Middleware: resolves the session of the request, ending it when it has timed out.
pub async fn resolve_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some((token, via_bearer)) = token_of(req.headers()) {
        let ip = client_ip(req.extensions());
        match load_session(&state, &token, via_bearer, ip).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(e) => return axum::response::IntoResponse::into_response(e),
        }
    }
    next.run(req).await
}

async fn load_session(
    state: &AppState,
    token: &str,
    via_bearer: bool,
    ip: String,
) -> Result<Option<CurrentUser>, AppError> {
    let pool = state.store.pool();
    let sid = session_id_of(token);
    let Some(session) = users::session(pool, &sid).await? else { return Ok(None) };
    let now = state.clock.now_millis();
    let idle = state.config.session_idle_minutes * 60_000;
    let absolute = state.config.session_absolute_hours * 3_600_000;
    let user = users::get_any(pool, &session.user_id).await?;
    if now - session.last_seen_at > idle || now - session.created_at > absolute {
        users::end_session(pool, &sid).await?;
        let why = if now - session.created_at > absolute { "absolute" } else { "idle" };
        let actor = Actor {
            user_id: Some(user.id.clone()),
            name: user.username.clone(),
            city_id: Some(user.city_id.clone()),
            ip: Some(ip),
            at: now,
        };
        let after = Some(serde_json::json!({"timeout": why}));
        let event = Event { action: "session.expire", entity: "session", entity_id: None, before: None, after };
        audit::record(&state.store, &actor, event).await?;
        return Ok(None);
    }
    if user.disabled == 1 {
        users::end_session(pool, &sid).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > 30_000 {
        users::touch_session(pool, &sid, now).await?;
    }
    let grants = users::grants(pool, &user.id).await?;
    let obligation = chainchief_app::sign_in::obligation(&state.ctx, &user, &grants, now);
    let units: Vec<&str> = grants.iter().filter_map(|g| g.unit_id.as_deref()).collect();
    let parks = chainchief_store::org::parks_of_units(pool, &units).await?;
    let principal = Principal {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        city_id: user.city_id,
        grants,
        parks,
    };
    Ok(Some(CurrentUser { session_id: sid, principal, csrf: session.csrf_token, via_bearer, ip, at: now, obligation }))
}

/// Records in the audit log that the user exported a list (`what`) or downloaded a file.
pub async fn record_taken(
    state: &AppState,
    user: &CurrentUser,
    taken: chainchief_app::Taken,
    what: &str,
    id: Option<&str>,
) -> Result<(), AppError> {
    Ok(chainchief_app::record_taken(&state.ctx, &user.caller(), taken, what, id).await?)
}

/// Records a refused request in the audit log.
pub async fn audit_denial(state: &AppState, user: &CurrentUser, what: &str) {
    let _ = chainchief_app::allow(&state.ctx, &user.caller(), false, what).await;
}

/// Refuses with 403 and audits, unless `allowed`.
pub async fn require(state: &AppState, user: &CurrentUser, allowed: bool, what: &str) -> Result<(), AppError> {
    Ok(chainchief_app::allow(&state.ctx, &user.caller(), allowed, what).await?)
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that clears the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
