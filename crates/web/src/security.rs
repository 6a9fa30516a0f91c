//! Security headers on every response, and the CSRF and Origin checks on every state change.

use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The client's address: the peer, or behind a trusted reverse proxy the address it forwarded.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// Middleware: works out the client's address once for logs, audit and `/metrics`.
pub async fn client_address(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let proxies = &state.config.trusted_proxies;
        let mut ip = peer;
        if proxies.contains(&peer) {
            let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).unwrap_or("");
            // The rightmost address a trusted proxy did not add is the client.
            if let Some(found) = forwarded
                .split(',')
                .rev()
                .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
                .find(|a| !proxies.contains(a))
            {
                ip = found;
            }
        }
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

/// Adds CSP, frame, sniffing and referrer headers to every response, and HSTS when served over
/// TLS (`secure_cookies`).
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in set {
        h.insert(name, HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The origin a browser sent, if any (`Origin`, else the scheme and host of `Referer`).
fn sent_origin(req: &Request) -> Option<String> {
    if let Some(o) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return Some(o.to_string());
    }
    let r = req.headers().get(header::REFERER)?.to_str().ok()?;
    let rest = r.split_once("://")?;
    let host = rest.1.split('/').next()?;
    Some(format!("{}://{host}", rest.0))
}

/// Refuses cross-origin state changes, and cookie-authenticated ones without the session's CSRF token.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_state_changing(req.method()) {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    if let Some(origin) = sent_origin(&req) {
        let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let host_of_origin = origin.split_once("://").map(|x| x.1).unwrap_or("");
        if host_of_origin != host {
            return refused(api, "请求来源不符，已拒绝（跨站请求）。请从本系统的页面提交。");
        }
    }
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return next.run(req).await;
    };
    if user.via_bearer {
        return next.run(req).await;
    }
    if let Some(t) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        if t == user.csrf {
            return next.run(req).await;
        }
        return refused(api, CSRF_REFUSED);
    }
    // Uploads (multipart) carry the token in the query string of the form's action.
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let query = req.uri().query().unwrap_or("");
        let ok = form_urlencoded_pairs(query.as_bytes()).any(|(k, v)| k == "_csrf" && v == user.csrf);
        return if ok { next.run(req).await } else { refused(api, CSRF_REFUSED) };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refused(api, CSRF_REFUSED);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, state.config.max_body_bytes).await else {
        return refused(api, "提交的内容过大");
    };
    let token_ok = form_urlencoded_pairs(&bytes).any(|(k, v)| k == "_csrf" && v == user.csrf);
    if !token_ok {
        return refused(api, CSRF_REFUSED);
    }
    // No field of any form carries hidden characters or more text than any page takes.
    for (_, v) in form_urlencoded_pairs(&bytes) {
        if chainchief_domain::text::hidden_char(&v).is_some() {
            return unprocessable(api, "提交的内容含有不可见的控制字符（如 NUL 或文字方向控制符），请删除后重新提交");
        }
        if v.chars().count() > MAX_FIELD_CHARS {
            return unprocessable(api, &format!("提交的内容过长：每项最多{MAX_FIELD_CHARS}字"));
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The most text any one form field may carry (a report's body is the longest a page takes).
const MAX_FIELD_CHARS: usize = 20_000;

/// A 422 refusal of what a form carries: JSON for the API, an error page for forms.
fn unprocessable(api: bool, message: &str) -> Response {
    if api {
        AppError::BadRequest(message.into()).into_response()
    } else {
        crate::routes::pages::error_page(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "无法提交", message)
    }
}

const CSRF_REFUSED: &str = "页面已过期或请求无效（CSRF 校验失败），请刷新页面后重试";

/// A 400 refusal: JSON for the API, an error page for forms.
fn refused(api: bool, message: &str) -> Response {
    if api {
        AppError::BadRequest(message.into()).into_response()
    } else {
        crate::routes::pages::error_page(axum::http::StatusCode::BAD_REQUEST, "无法提交", message)
    }
}

fn form_urlencoded_pairs(bytes: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default().into_iter()
}
