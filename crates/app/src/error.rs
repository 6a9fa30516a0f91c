//! Why a use case failed: a Chinese message, the field it concerns, nothing internal leaked.

use chainchief_domain::error::FieldError;
use chainchief_store::StoreError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not allowed for this principal.
    #[error("您没有权限进行此操作")]
    Forbidden,
    /// No such thing (or not in the principal's city).
    #[error("找不到该记录")]
    NotFound,
    /// Somebody else saved first.
    #[error("{0}")]
    Conflict(String),
    /// Input failed validation, field by field.
    #[error("提交的内容有误")]
    Invalid(Vec<FieldError>),
    /// A request that breaks a rule of the data.
    #[error("{0}")]
    BadRequest(String),
    /// Something broke; logged, never shown in detail.
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

impl Error {
    /// One invalid field.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } => Error::Conflict(e.to_string()),
            StoreError::NotFound => Error::NotFound,
            StoreError::Duplicate { field, message } | StoreError::Refused { field, message } => {
                Error::field(&field, message)
            }
            StoreError::Invalid(m) => Error::BadRequest(m),
            StoreError::UnsupportedUrl(_) | StoreError::Db(_) => Error::Internal(e.to_string()),
        }
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(vec![e])
    }
}

/// Result of a use case.
pub type Result<T> = std::result::Result<T, Error>;
