//! Prometheus metrics (the `prometheus-client` library): request counts and latency by method,
//! route and status — a bounded label set — and the database pool.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Instant;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The labels of a request: a standard method (any other is `OTHER`), the route pattern (not the
/// path, so ids do not multiply series) and the status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

fn latency() -> Histogram {
    Histogram::new(BUCKETS)
}

/// The metrics of one instance, registered once.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    pool_size: Gauge,
    pool_idle: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency =
            Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency as fn() -> Histogram);
        let (pool_size, pool_idle) = (Gauge::default(), Gauge::default());
        let mut registry = Registry::default();
        registry.register("chainchief_http_requests", "Requests by method, route and status", requests.clone());
        registry.register(
            "chainchief_http_request_duration_seconds",
            "Request latency by method, route and status",
            latency.clone(),
        );
        registry.register("chainchief_db_pool_connections", "Open database connections", pool_size.clone());
        registry.register("chainchief_db_pool_idle", "Idle database connections", pool_idle.clone());
        Metrics { registry, requests, latency, pool_size, pool_idle }
    }
}

/// Middleware: times each request and counts it by method, route and status.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    // A client may send any token as its method: only the standard ones are labels of their own.
    let method = match req.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let start = Instant::now();
    let res = next.run(req).await;
    let labels = RequestLabels { method, route, status: res.status().as_u16() };
    state.metrics.latency.get_or_create(&labels).observe(start.elapsed().as_secs_f64());
    state.metrics.requests.get_or_create(&labels).inc();
    res
}

/// `GET /metrics`: the OpenMetrics text format, only for configured client addresses, and never
/// for a request passed on by a proxy (a proxy on the same host would otherwise lend any visitor
/// its local address).
pub async fn render(State(state): State<AppState>, req: Request) -> Response {
    let ip = req.extensions().get::<crate::security::ClientIp>().map(|c| c.0);
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip", "via"].iter().any(|h| req.headers().contains_key(*h));
    if proxied || !ip.is_some_and(|ip| state.config.metrics_allow.contains(&ip)) {
        return (StatusCode::FORBIDDEN, "metrics are not available from this address\n").into_response();
    }
    let (size, idle) = state.store.pool_stats();
    state.metrics.pool_size.set(i64::from(size));
    state.metrics.pool_idle.set(idle as i64);
    let mut out = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &state.metrics.registry) {
        return crate::AppError::Internal(e.to_string()).into_response();
    }
    let kind = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(axum::http::header::CONTENT_TYPE, kind)], out).into_response()
}
