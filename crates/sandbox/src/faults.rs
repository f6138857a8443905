//! Fault injection, so tests can show the app copes with what real tenants do: latency,
//! 429 with `Retry-After`, 500s, dropped connections, malformed JSON, numeric ids, the
//! `COMPLETE` spelling, jobs ending ABORTED or ERROR, records failing vendor-side, slow
//! processing, duplicate or badly signed callbacks, each shape of `/errors` item, a paging
//! token that never ends, a status the client has never heard of. Set with
//! `PUT /sandbox/faults` (a JSON object; omitted keys are off, unknown keys are refused so a
//! typo cannot pass for a switch) or `--faults '<json>'`; read with `GET /sandbox/faults`.
//! Counted faults (`rateLimitNext`, ...) hit the next N API requests whose path contains
//! `pathContains` (all when unset), then switch themselves off.

use crate::api_error::ApiFailure;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// The shape of each item of `GET /bulk/{id}/errors`. The API notes only know `status`
/// (§6.1), so the sandbox offers every plausible shape and the app must cope with each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorShape {
    /// `{"status", "recordNumber", "record": {field: value}}`.
    #[default]
    Nested,
    /// `{"status", field: value, ...}`: the row's values beside `status`.
    Flat,
    /// `{"status"}` only.
    StatusOnly,
}

/// The active faults. The snake_case aliases accept the spelling the issue used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Faults {
    /// Added to every API response, in ms.
    pub latency_ms: u64,
    /// The next N matching requests get 429.
    pub rate_limit_next: u32,
    /// The `Retry-After` of those 429s, in seconds.
    pub retry_after_secs: u64,
    /// The next N matching requests get 500.
    pub server_error_next: u32,
    /// The next N matching requests lose their connection before any answer.
    pub drop_next: u32,
    /// The next N matching successful answers are cut-off JSON.
    pub malformed_next: u32,
    /// Only requests whose path contains this are hit by counted faults.
    pub path_contains: Option<String>,
    /// Job ids are JSON numbers.
    pub numeric_ids: bool,
    /// Finished jobs say `COMPLETE`.
    pub complete_spelling: bool,
    /// Jobs end `ABORTED` (before any record) or `ERROR` (half way) instead of COMPLETED.
    pub end_jobs_with: Option<String>,
    /// Percent of otherwise valid records that fail vendor-side.
    pub vendor_failure_percent: u8,
    /// Per-record processing time, overriding `--row-delay-ms`.
    pub row_delay_ms: Option<u64>,
    /// Callbacks are delivered twice.
    pub callback_duplicate: bool,
    /// Callbacks carry a signature made with the wrong key.
    pub callback_bad_signature: bool,
    /// The shape of `/errors` items, applied when they are served (so it also changes the
    /// errors of jobs that already ended).
    #[serde(alias = "error_shape")]
    pub error_shape: ErrorShape,
    /// `/errors` always sends `Elements-Next-Page-Token`: the token it was asked with, or
    /// the next page's on a first request. A client that follows tokens blindly never stops.
    #[serde(alias = "repeat_page_token")]
    pub repeat_page_token: bool,
    /// While set, status answers of unfinished jobs say this instead of their status, and
    /// no job finishes (a cancel still ends it) until the switch is cleared.
    #[serde(alias = "unknown_status")]
    pub unknown_status: Option<String>,
    /// `/errors` pages hold at most this many items, whatever `pageSize` asked (tenants cap
    /// pages below what clients ask, and small pages show that every page is read).
    pub errors_page_size: Option<u32>,
}

enum Action {
    Pass,
    RateLimit(u64),
    ServerError,
    Drop,
    Malformed,
}

/// Middleware applying the faults to API requests.
pub async fn inject(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let (latency, action) = {
        let mut s = state.lock();
        let f = &mut s.faults;
        let hit = f.path_contains.as_deref().is_none_or(|p| path.contains(p));
        let action = if !hit {
            Action::Pass
        } else if f.drop_next > 0 {
            f.drop_next -= 1;
            Action::Drop
        } else if f.rate_limit_next > 0 {
            f.rate_limit_next -= 1;
            Action::RateLimit(f.retry_after_secs.max(1))
        } else if f.server_error_next > 0 {
            f.server_error_next -= 1;
            Action::ServerError
        } else if f.malformed_next > 0 {
            f.malformed_next -= 1;
            Action::Malformed
        } else {
            Action::Pass
        };
        (f.latency_ms, action)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match action {
        Action::Pass => next.run(req).await,
        Action::RateLimit(secs) => {
            let mut r = ApiFailure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit exceeded; retry later",
            )
            .into_response();
            r.headers_mut()
                .insert("Retry-After", HeaderValue::from(secs));
            r
        }
        Action::ServerError => ApiFailure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error (injected fault)",
        )
        .into_response(),
        Action::Drop => {
            // A body that fails before its first byte makes the server close the connection
            // without an answer, as a crashed proxy would.
            let failing = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(
                    "injected dropped connection",
                ))
            });
            Response::new(Body::from_stream(failing))
        }
        Action::Malformed => {
            let resp = next.run(req).await;
            let (parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            let mut r = Response::from_parts(parts, Body::from(cut));
            r.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
            r
        }
    }
}

/// `GET /sandbox/faults`.
pub async fn get_faults(State(state): State<Arc<AppState>>) -> Json<Faults> {
    Json(state.lock().faults.clone())
}

/// `PUT /sandbox/faults`: replaces the active faults.
pub async fn put_faults(
    State(state): State<Arc<AppState>>,
    Json(faults): Json<Faults>,
) -> Result<Json<Faults>, ApiFailure> {
    faults.check().map_err(ApiFailure::bad_request)?;
    state.lock().faults = faults.clone();
    Ok(Json(faults))
}

impl Faults {
    /// Refuses values the switches cannot act on; `--faults` and the PUT share it.
    pub fn check(&self) -> Result<(), String> {
        if let Some(end) = &self.end_jobs_with
            && end != "ABORTED"
            && end != "ERROR"
        {
            return Err("endJobsWith must be ABORTED or ERROR".into());
        }
        if self.vendor_failure_percent > 100 {
            return Err("vendorFailurePercent must be 0 to 100".into());
        }
        if self
            .unknown_status
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            return Err("unknownStatus must be a non-empty status string".into());
        }
        Ok(())
    }
}
