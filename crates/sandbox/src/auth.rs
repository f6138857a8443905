//! The `Authorization` check in front of every API route: `User` and `Element` must match,
//! `Organization` must match when sent; anything else is a 401 in the platform's shape.

use crate::api_error::ApiFailure;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bulk_core::connection::parse_authorization;
use std::sync::Arc;

/// Rejects requests without the configured secrets.
pub async fn require(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some(header) = header else {
        return unauthorized("Authorization header is missing");
    };
    let parts = parse_authorization(header);
    let c = &state.config;
    if parts.user.as_deref() != Some(c.user_secret.as_str()) {
        return unauthorized("Invalid User secret");
    }
    if parts.element.as_deref() != Some(c.element_token.as_str()) {
        return unauthorized("Invalid Element token");
    }
    if parts
        .organization
        .as_deref()
        .is_some_and(|o| o != c.organization_secret)
    {
        return unauthorized("Invalid Organization secret");
    }
    next.run(req).await
}

fn unauthorized(message: &str) -> Response {
    ApiFailure::new(StatusCode::UNAUTHORIZED, message).into_response()
}
