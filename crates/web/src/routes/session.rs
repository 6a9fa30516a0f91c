//! Signing in and out: the login page, `POST /api/v1/session`, and who am I.

use super::pages::PageResult;
use crate::auth::{self, CurrentUser, client_ip};
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, Request, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
    notice: Option<&'static str>,
    username: String,
    next: String,
}

/// Query of the login page.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    changed: Option<String>,
}

/// Only local paths are followed after login (no open redirect): a path of this site, without
/// the backslashes, control characters and spaces browsers drop or turn into another host.
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            n
        }
        _ => "/".into(),
    }
}

/// `GET /login`.
pub async fn login_page(Query(q): Query<NextQuery>) -> PageResult {
    let notice = q.changed.map(|_| "密码已修改，请用新密码登录。");
    Ok(LoginPage { error: None, notice, username: String::new(), next: safe_next(q.next) }.into_response())
}

/// Login form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    code: String,
    next: Option<String>,
}

/// `POST /login`.
pub async fn login_submit(State(state): State<AppState>, req: Request) -> Response {
    let ip = client_ip(req.extensions());
    let form = match axum::extract::Form::<LoginForm>::from_request(req, &state).await {
        Ok(f) => f.0,
        Err(_) => {
            return LoginPage {
                error: Some("请填写用户名和密码".into()),
                notice: None,
                username: String::new(),
                next: "/".into(),
            }
            .into_response();
        }
    };
    let next = safe_next(form.next.clone());
    if form.username.trim().is_empty() || form.password.is_empty() {
        return LoginPage {
            error: Some("请填写用户名和密码".into()), notice: None, username: form.username, next
        }
        .into_response();
    }
    let given = auth::Credentials { username: form.username.trim(), password: &form.password, code: &form.code };
    match auth::login(&state, given, &ip).await {
        Ok(done) => {
            let cookie = auth::session_cookie(&done.token, state.config.secure_cookies);
            ([(SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(e) => {
            let status = e.status();
            let mut res = (status, LoginPage { error: Some(e.message()), notice: None, username: form.username, next })
                .into_response();
            if let Some((name, value)) = e.retry_after()
                && let Ok(value) = value.parse()
            {
                res.headers_mut().insert(name, value);
            }
            res
        }
    }
}

use axum::extract::FromRequest;

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    auth::logout(&state, &user).await?;
    let cookie = auth::clear_cookie(state.config.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

/// Credentials for `POST /api/v1/session`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// Login name.
    username: String,
    /// Password.
    password: String,
    /// The 6-digit dynamic code (TOTP), for an account with a second factor.
    #[serde(default)]
    code: String,
}

/// A new session.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SessionToken {
    /// Bearer token (also set as the session cookie).
    token: String,
}

/// `POST /api/v1/session`: signs in and returns a bearer token.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = Credentials,
    responses((status = 200, body = SessionToken),
        (status = 401, description = "用户名或密码不正确；或 code = second_factor_required：该账号须同时提交动态口令")))]
pub async fn api_login(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let ip = client_ip(req.extensions());
    let Json(c) = Json::<Credentials>::from_request(req, &state).await.map_err(|e| {
        AppError::BadRequest(format!("请求体应为 JSON {{\"username\", \"password\"}}：{}", e.body_text()))
    })?;
    let given = auth::Credentials { username: c.username.trim(), password: &c.password, code: &c.code };
    let done = auth::login(&state, given, &ip).await?;
    let cookie = auth::session_cookie(&done.token, state.config.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Json(SessionToken { token: done.token })).into_response())
}

/// `DELETE /api/v1/session`: signs out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn api_logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    auth::logout(&state, &user).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// The signed-in user.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Me {
    /// User id.
    id: String,
    /// Login name.
    username: String,
    /// Name shown.
    display_name: String,
    /// City id.
    city_id: String,
    /// Role codes.
    roles: Vec<String>,
}

/// `GET /api/v1/me`.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = Me), (status = 401)))]
pub async fn api_me(user: CurrentUser) -> Json<Me> {
    let p = user.principal;
    Json(Me {
        id: p.user_id,
        username: p.username,
        display_name: p.display_name,
        city_id: p.city_id,
        roles: p.grants.iter().map(|g| g.role.code().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        for (next, want) in [
            (Some("/chains"), "/chains"),
            (Some("//evil.example/x"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("/\\evil"), "/"),
            (Some("/\t/evil.example"), "/"),
            (Some("/\n/x"), "/"),
            (Some("/ /evil.example"), "/"),
            (Some("/chains?q=1"), "/chains?q=1"),
            (None, "/"),
        ] {
            assert_eq!(safe_next(next.map(str::to_string)), want);
        }
    }
}
