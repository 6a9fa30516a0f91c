//! Rendering pages and page errors: an unauthenticated visitor is sent to the login page,
//! any other error is a Chinese error page with the right status.

use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// An error on an HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

/// A standalone error page.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    (status, ErrorPage { title, message }).into_response()
}

/// The page shown when a signed-in user may not open a page.
pub fn forbidden_page(_user: &CurrentUser) -> Response {
    error_page(StatusCode::FORBIDDEN, "没有权限", "您的角色不能打开此页面。如需访问，请联系产业链办公室或安全管理员。")
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Unauthenticated => Redirect::to("/login").into_response(),
            AppError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "没有权限",
                "您的角色不能查看或修改此内容。如需访问，请联系产业链办公室或安全管理员。",
            ),
            AppError::NotFound => {
                error_page(StatusCode::NOT_FOUND, "找不到该记录", "该记录不存在，或不属于您所在的城市。")
            }
            AppError::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "服务器内部错误，请稍后再试。")
            }
            other => error_page(other.status(), "无法完成", &other.message()),
        }
    }
}

/// Result of a page handler.
pub type PageResult = Result<Response, PageError>;

/// The frame for a signed-in user's page (looks up the city's name).
pub async fn layout(state: &AppState, user: &CurrentUser, title: &str, path: &str) -> Result<Layout, PageError> {
    let pool = state.store.pool();
    let city = chainchief_store::org::city(pool, &user.principal.city_id).await?;
    let mut l = Layout::new(user, &city.name, title, path);
    // The general office goes by the name its plan gives it (总链办, 市链办, 县链办 …).
    let (_, office) = chainchief_app::general_office(state, &user.principal.city_id).await?;
    l.role_label = l.role_label.replace(chainchief_domain::roles::Role::GeneralOffice.label(), &office);
    l.office = office;
    l.people = chainchief_app::accounts::people(state, &user.principal.city_id).await?;
    Ok(l)
}

/// A page number asked for in a query: from 1 to a million (a larger one never overflows an offset).
pub fn page_number(asked: Option<i64>) -> i64 {
    asked.unwrap_or(1).clamp(1, 1_000_000)
}

/// Formats stored epoch milliseconds for pages.
pub fn when(ms: &i64) -> String {
    chainchief_domain::clock::format_millis(*ms)
}

/// Query of pages that may show a message after an action.
#[derive(serde::Deserialize)]
pub struct FlashQuery {
    /// Message code (see `Layout::with_flash`).
    pub msg: Option<String>,
}

/// A file to download, named `name` (any characters; sent as RFC 6266 `filename*`, with an ASCII
/// fallback for old clients).
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
