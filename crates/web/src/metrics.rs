//! Prometheus metrics: request counts and latency by route, and the database pool.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Counters kept in memory per instance.
#[derive(Default)]
pub struct Metrics {
    by_route: Mutex<BTreeMap<(String, String, u16), Series>>,
}

/// Middleware: times each request and counts it by method, route and status.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    // A bounded label set: the standard methods by name, any other as OTHER (a client may send any token).
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m.to_string(),
        _ => "OTHER".to_string(),
    };
    let start = Instant::now();
    let res = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    if let Ok(mut map) = state.metrics.by_route.lock() {
        let s = map.entry((method, route, res.status().as_u16())).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }
    res
}

/// `GET /metrics`: the text exposition format, only for configured client addresses, and never
/// for a request passed on by a proxy (a proxy on the same host would otherwise lend any visitor
/// its local address).
pub async fn render(State(state): State<AppState>, req: Request) -> Response {
    let ip = req.extensions().get::<crate::security::ClientIp>().map(|c| c.0);
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip", "via"].iter().any(|h| req.headers().contains_key(*h));
    if proxied || !ip.is_some_and(|ip| state.config.metrics_allow.contains(&ip)) {
        return (StatusCode::FORBIDDEN, "metrics are not available from this address\n").into_response();
    }
    let mut out = String::new();
    out.push_str("# HELP chainchief_http_requests_total Requests by method, route and status.\n");
    out.push_str("# TYPE chainchief_http_requests_total counter\n");
    let map = match state.metrics.by_route.lock() {
        Ok(m) => m,
        Err(p) => p.into_inner(),
    };
    for ((m, r, st), s) in map.iter() {
        let _ =
            writeln!(out, "chainchief_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}", s.count);
    }
    out.push_str("# HELP chainchief_http_request_duration_seconds Request latency by method and route.\n");
    out.push_str("# TYPE chainchief_http_request_duration_seconds histogram\n");
    for ((m, r, st), s) in map.iter() {
        let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{st}\"");
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "chainchief_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                s.buckets[i]
            );
        }
        let _ = writeln!(out, "chainchief_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
        let _ = writeln!(out, "chainchief_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
        let _ = writeln!(out, "chainchief_http_request_duration_seconds_count{{{labels}}} {}", s.count);
    }
    drop(map);
    let (size, idle) = state.store.pool_stats();
    out.push_str("# HELP chainchief_db_pool_connections Open database connections.\n");
    out.push_str("# TYPE chainchief_db_pool_connections gauge\n");
    let _ = writeln!(out, "chainchief_db_pool_connections {size}");
    out.push_str("# HELP chainchief_db_pool_idle Idle database connections.\n");
    out.push_str("# TYPE chainchief_db_pool_idle gauge\n");
    let _ = writeln!(out, "chainchief_db_pool_idle {idle}");
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
