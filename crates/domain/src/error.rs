//! Field-level validation errors, worded in Chinese for the person who typed the value.

use serde::Serialize;

/// A value that failed validation: which field, and what is wrong with it in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// The form field or JSON key.
    pub field: String,
    /// A Chinese sentence saying what is wrong and how to fix it.
    pub message: String,
}

impl FieldError {
    /// A new error on `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}
