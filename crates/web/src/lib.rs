//! ChainChief web UI and JSON API: `app(state)` builds the whole router.

mod assets;
pub mod auth;
mod board;
pub mod bundle;
mod error;
pub mod imports;
mod layout;
pub mod maps;
mod metrics;
pub mod notify;
mod openapi;
pub mod policy;
pub mod reports;
mod routes;
pub mod schedule;
mod security;
mod smtp;
pub mod value_io;
pub mod yearend;

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
    /// Failed logins before the account locks.
    pub lockout_failures: i64,
    /// How long a lockout lasts, in minutes.
    pub lockout_minutes: i64,
    /// Mark the session cookie `Secure` (serve behind TLS).
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
    /// An SMTP relay (host:port) on the intranet that accepts mail from this host, for reminders by e-mail; empty: no e-mail.
    pub smtp_server: String,
    /// The sender of reminder e-mails.
    pub mail_from: String,
    /// Who receives the daily digest of reminders (e.g. the general office's mailbox).
    pub mail_to: Vec<String>,
    /// A directory of fonts searched besides the system's for PDF reports (e.g. the official 仿宋_GB2312); empty: system fonts only.
    pub font_dir: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 30,
            secure_cookies: false,
            metrics_allow: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])],
            trusted_proxies: Vec::new(),
            max_body_bytes: 2 * 1024 * 1024,
            webhook_url: String::new(),
            notify_interval_seconds: 60,
            public_url: String::new(),
            report_due_day: 5,
            smtp_server: String::new(),
            mail_from: String::new(),
            mail_to: Vec::new(),
            font_dir: String::new(),
        }
    }
}

/// Shared state of every request.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// The one clock: now and today in Beijing.
    pub clock: chainchief_domain::clock::Clock,
    /// Monthly values of indicators, kept while the figures do not change.
    pub rollups: chainchief_store::rollup::Cache,
    metrics: Arc<metrics::Metrics>,
}

impl AppState {
    /// State over a store with the given settings.
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState {
            clock: store.clock(),
            store,
            config: Arc::new(config),
            rollups: Default::default(),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

/// The whole application router.
pub fn app(state: AppState) -> axum::Router {
    routes::build(state).0
}

/// The GB/T 4754-2017 classes shipped with the product.
pub fn industry_classes() -> &'static [chainchief_domain::industry::Class] {
    routes::structure::classes()
}

/// The OpenAPI document of the JSON API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi::document()
}

/// Every route with its declared access policy.
pub fn route_inventory(state: AppState) -> Vec<RouteInfo> {
    routes::build(state).1
}
