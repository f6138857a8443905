//! Error responses in the platform's shape, `{"requestId": "<24 hex>", "message": "..."}`,
//! with the status code the documentation gives for each case.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// The status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiFailure {
    /// Any status with a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            message: message.into(),
        }
    }
    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
}

/// A fresh request id: 24 hex digits, as the platform sends.
pub fn request_id() -> String {
    (0..24)
        .map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap_or('0'))
        .collect()
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({"requestId": request_id(), "message": self.message})),
        )
            .into_response()
    }
}
