//! ChainChief web UI and JSON API: `app(state)` builds the whole router.

mod assets;
pub mod auth;
mod error;
mod layout;
mod metrics;
pub mod notify;
mod openapi;
pub mod policy;
mod routes;
mod security;
pub mod smtp;
mod throttle;

use chainchief_app::{Context, Settings};
use chainchief_store::Store;
use std::net::IpAddr;
use std::sync::Arc;

pub use error::AppError;
pub use policy::{Access, RouteInfo};

/// Settings of the web server (defaults follow 等保 2.0 三级).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct WebConfig {
    /// Idle session timeout in minutes.
    pub session_idle_minutes: i64,
    /// Absolute session lifetime in hours.
    pub session_absolute_hours: i64,
    /// Failed logins from one address before the account locks for that address.
    pub lockout_failures: i64,
    /// How long a lockout lasts, in minutes.
    pub lockout_minutes: i64,
    /// Addresses locked out on one account at once before the account locks for everyone.
    pub lockout_addresses: i64,
    /// Login attempts a client address or an account name may make in a burst.
    pub login_burst: u32,
    /// Seconds for one login attempt of a burst to come back.
    pub login_refill_seconds: u32,
    /// Served over TLS (directly or behind a TLS proxy): the session cookie is `Secure` and HSTS is sent.
    pub secure_cookies: bool,
    /// Client addresses allowed to read `/metrics`.
    pub metrics_allow: Vec<IpAddr>,
    /// Reverse proxies whose `X-Forwarded-For` names the real client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Where reminders are POSTed as JSON (a 政务微信/钉钉-style robot); empty: in the app only.
    pub webhook_url: String,
    /// How often reminders are gathered and deliveries retried, in seconds.
    pub notify_interval_seconds: u64,
    /// The address users open, put in front of the links of reminders (e.g. https://lzt.example.gov.cn).
    pub public_url: String,
    /// Day of the following month by which a chain office's monthly report is due (1–28).
    pub report_due_day: u32,
    /// The mail server (host:port) for reminders by e-mail; empty: no e-mail.
    pub smtp_server: String,
    /// How it is reached: `none` (a relay on the intranet), `starttls` or `tls`.
    pub smtp_security: smtp::Security,
    /// The user name to sign in to it with; empty: no sign-in.
    pub smtp_username: String,
    /// Its password.
    pub smtp_password: String,
    /// The sender of reminder e-mails.
    pub mail_from: String,
    /// Who receives the daily digest of reminders (e.g. the general office's mailbox).
    pub mail_to: Vec<String>,
    /// A directory of fonts searched besides the system's for PDF reports (e.g. the official 仿宋_GB2312); empty: system fonts only.
    pub font_dir: String,
    /// Days a password may be used before it must be changed; 0: no expiry.
    pub password_max_age_days: i64,
    /// Business roles (codes such as `general_office`) that sign in with a second factor too; the admin roles always do.
    pub second_factor_roles: Vec<chainchief_domain::roles::Role>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 30,
            lockout_addresses: 3,
            login_burst: 10,
            login_refill_seconds: 6,
            secure_cookies: false,
            metrics_allow: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])],
            trusted_proxies: Vec::new(),
            max_body_bytes: 2 * 1024 * 1024,
            webhook_url: String::new(),
            notify_interval_seconds: 60,
            public_url: String::new(),
            report_due_day: 5,
            smtp_server: String::new(),
            smtp_security: smtp::Security::None,
            smtp_username: String::new(),
            smtp_password: String::new(),
            mail_from: String::new(),
            mail_to: Vec::new(),
            font_dir: String::new(),
            password_max_age_days: 90,
            second_factor_roles: Vec::new(),
        }
    }
}

impl WebConfig {
    /// The settings the use cases read.
    pub fn settings(&self) -> Settings {
        Settings {
            report_due_day: self.report_due_day,
            font_dir: self.font_dir.clone(),
            password_max_age_days: self.password_max_age_days,
            second_factor_roles: self.second_factor_roles.clone(),
        }
    }
}

/// Shared state of every request: the use cases' context and the web's own settings.
#[derive(Clone)]
pub struct AppState {
    /// The database, the clock and the use cases' settings.
    pub ctx: Context,
    /// Web settings.
    pub config: Arc<WebConfig>,
    metrics: Arc<metrics::Metrics>,
}

impl AppState {
    /// State over a store with the given settings.
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState {
            ctx: Context::new(store, config.settings()),
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.ctx
    }
}

/// The whole application router.
pub fn app(state: AppState) -> axum::Router {
    routes::build(state).0
}

/// The OpenAPI document of the JSON API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi::document()
}

/// Every route with its declared access policy.
pub fn route_inventory(state: AppState) -> Vec<RouteInfo> {
    routes::build(state).1
}
