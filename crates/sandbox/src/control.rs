//! The guard in front of the sandbox's own endpoints (`/sandbox/...`: reset, faults, info).
//! They change or reveal the whole sandbox, so no other web page may call them: they send
//! no CORS headers (CORS covers the API routes only), and a request whose `Origin` is not
//! the sandbox's own is refused with 403 before it does anything. The sandbox's own origin
//! is the one in the request's `Host`, whatever the address it was reached by, so the app
//! served with `--app-dir` keeps working; requests without `Origin` (curl, test runners)
//! are not from a page and pass.

use crate::api_error::ApiFailure;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The path prefix of the control endpoints.
const CONTROL_PREFIX: &str = "/sandbox";

/// Middleware: refuses control requests from another origin.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_control = path == CONTROL_PREFIX
        || path
            .strip_prefix(CONTROL_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'));
    if is_control && let Some(origin) = req.headers().get(header::ORIGIN) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let same = match (origin.to_str().ok(), host) {
            (Some(origin), Some(host)) => same_origin(origin, host),
            _ => false,
        };
        if !same {
            return ApiFailure::new(
                StatusCode::FORBIDDEN,
                "The sandbox's control endpoints only answer pages served by the sandbox itself",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Whether `origin` (`scheme://host[:port]`, as browsers send it) names the server reached
/// as `host` (the `Host` header). The sandbox speaks plain HTTP, but a TLS proxy in front
/// of it keeps `Host`, so `https` is accepted too; default ports may be left out on either
/// side.
fn same_origin(origin: &str, host: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => "80",
        "https" => "443",
        _ => return false,
    };
    let with_port = |a: &str| -> String {
        let a = a.to_ascii_lowercase();
        // An IPv6 literal is bracketed, so a port follows `]:`; otherwise the last `:`.
        let has_port = match a.rfind(']') {
            Some(close) => a[close..].contains(':'),
            None => a.contains(':'),
        };
        if has_port {
            a
        } else {
            format!("{a}:{default_port}")
        }
    };
    !authority.is_empty() && with_port(authority) == with_port(host)
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn the_origin_must_name_the_host() {
        assert!(same_origin("http://127.0.0.1:8787", "127.0.0.1:8787"));
        assert!(same_origin("http://LOCALHOST:8787", "localhost:8787"));
        assert!(same_origin("http://example.test", "example.test:80"));
        assert!(same_origin("https://example.test", "example.test"));
        assert!(same_origin("http://[::1]:8787", "[::1]:8787"));
        assert!(!same_origin("http://127.0.0.1:8080", "127.0.0.1:8787"));
        assert!(!same_origin("http://elsewhere.example", "127.0.0.1:8787"));
        assert!(!same_origin("null", "127.0.0.1:8787"));
        assert!(!same_origin("file://", "127.0.0.1:8787"));
        assert!(!same_origin("http://[::1]", "[::1]:8787"));
    }
}
