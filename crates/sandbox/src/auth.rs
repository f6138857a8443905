//! The `Authorization` check in front of every API route: `User` and `Element` must match,
//! `Organization` must match when sent; anything else is a 401 in the platform's shape.
//! The header is read here, not with the app's reader, so a header the app writes wrongly
//! is refused.

use crate::api_error::ApiFailure;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
    let c = &state.config;
    if secret(header, "User") != Some(c.user_secret.as_str()) {
        return unauthorized("Invalid User secret");
    }
    if secret(header, "Element") != Some(c.element_token.as_str()) {
        return unauthorized("Invalid Element token");
    }
    if secret(header, "Organization").is_some_and(|o| o != c.organization_secret) {
        return unauthorized("Invalid Organization secret");
    }
    next.run(req).await
}

/// The value after `kind ` in `User <x>, Organization <y>, Element <z>` (any order).
fn secret<'a>(header: &'a str, kind: &str) -> Option<&'a str> {
    header
        .split(',')
        .filter_map(|part| part.trim().split_once(' '))
        .find(|(k, _)| *k == kind)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn unauthorized(message: &str) -> Response {
    ApiFailure::new(StatusCode::UNAUTHORIZED, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::secret;

    #[test]
    fn secrets_are_found_in_any_order() {
        let h = "Element e1, User u1 , Organization o1";
        assert_eq!(secret(h, "User"), Some("u1"));
        assert_eq!(secret(h, "Element"), Some("e1"));
        assert_eq!(secret(h, "Organization"), Some("o1"));
        assert_eq!(secret("User , Element e", "User"), None);
        assert_eq!(secret("User u", "Organization"), None);
    }
}
