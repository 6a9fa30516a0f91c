//! One error type for handlers: a Chinese message, the right status, and nothing internal leaked.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chainchief_domain::error::FieldError;
use chainchief_store::StoreError;

/// The body of every refusal: a code, a Chinese message, and the fields at fault.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorDetail {
    /// `bad_request`, `invalid`, `unauthenticated`, `forbidden`, `not_found`, `conflict` …
    code: &'static str,
    /// In Chinese, what to do.
    message: String,
    /// The fields at fault, each with its own message.
    fields: Vec<FieldMessage>,
}

/// One field at fault.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct FieldMessage {
    /// The form field or JSON key.
    field: String,
    /// Why, in Chinese.
    message: String,
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("请先登录")]
    Unauthenticated,
    /// Login failed.
    #[error("{0}")]
    LoginFailed(String),
    /// The password was right; the account's dynamic code is wanted too.
    #[error("{0}")]
    SecondFactor(String),
    /// Signed in, but not allowed.
    #[error("您没有权限进行此操作")]
    Forbidden,
    /// Signed in, but something must be done first (change the password, enrol a second factor).
    #[error("{0}")]
    ActionRequired(&'static str),
    /// No such thing (or not in the user's city).
    #[error("找不到该记录")]
    NotFound,
    /// Somebody else saved first.
    #[error("{0}")]
    Conflict(String),
    /// Input failed validation.
    #[error("提交的内容有误")]
    Invalid(Vec<FieldError>),
    /// A malformed request.
    #[error("{0}")]
    BadRequest(String),
    /// Too many attempts: retry after so many seconds.
    #[error("登录尝试过于频繁，请{0}秒后再试")]
    TooManyRequests(u64),
    /// Something broke; logged, never shown in detail.
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

impl AppError {
    /// One invalid field.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// HTTP status of the error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::LoginFailed(_) | AppError::SecondFactor(_) => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Forbidden | AppError::ActionRequired(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::LoginFailed(_) => "login_failed",
            AppError::SecondFactor(_) => "second_factor_required",
            AppError::Forbidden => "forbidden",
            AppError::ActionRequired(_) => "action_required",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Invalid(_) => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    /// The `Retry-After` header of a refusal that says when to come back.
    pub fn retry_after(&self) -> Option<(axum::http::HeaderName, String)> {
        match self {
            AppError::TooManyRequests(s) => Some((axum::http::header::RETRY_AFTER, s.to_string())),
            _ => None,
        }
    }

    /// The message shown to the user.
    pub fn message(&self) -> String {
        match self {
            AppError::Invalid(fields) if fields.len() == 1 => fields[0].message.clone(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        chainchief_app::Error::from(e).into()
    }
}

impl From<chainchief_app::Error> for AppError {
    fn from(e: chainchief_app::Error) -> Self {
        use chainchief_app::Error as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Conflict(m) => AppError::Conflict(m),
            E::Invalid(fields) => AppError::Invalid(fields),
            E::BadRequest(m) => AppError::BadRequest(m),
            E::Internal(m) => AppError::Internal(m),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let fields = match &self {
            AppError::Invalid(f) => {
                f.iter().map(|e| FieldMessage { field: e.field.clone(), message: e.message.clone() }).collect()
            }
            _ => Vec::new(),
        };
        let body = ErrorBody { error: ErrorDetail { code: self.code(), message: self.message(), fields } };
        let mut res = (self.status(), Json(body)).into_response();
        if let Some((name, value)) = self.retry_after()
            && let Ok(value) = value.parse()
        {
            res.headers_mut().insert(name, value);
        }
        res
    }
}

/// The query string of a JSON operation: one that does not parse is refused with the error body
/// (400), like a malformed JSON body, not with axum's plain text.
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(q)) => Ok(ApiQuery(q)),
            Err(e) => Err(AppError::BadRequest(format!("查询参数无效：{}", e.body_text()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_duplicate_names_its_field_and_the_other_record_in_the_error_body() {
        let e = StoreError::Duplicate {
            field: "credit_code".into(),
            message: "统一社会信用代码 914306817654321098 已属于 湖南示范有限公司".into(),
        };
        let res = AppError::from(e).into_response();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = axum::body::to_bytes(res.into_body(), 10_000).await.expect("body");
        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["error"]["code"], "invalid");
        assert_eq!(v["error"]["fields"][0]["field"], "credit_code");
        assert_eq!(v["error"]["message"], "统一社会信用代码 914306817654321098 已属于 湖南示范有限公司");
    }
}
