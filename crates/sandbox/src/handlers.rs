//! The HTTP handlers of the emulated connector API and of the sandbox's own endpoints.
//! Each answers in the documented shape; anything the documentation leaves open is chosen
//! to be what a careful client must already tolerate.

use crate::api_error::ApiFailure;
use crate::faults::ErrorShape;
use crate::processing;
use crate::state::{AppState, Job, RecordFailure, now_ms};
use crate::upload;
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bulk_core::{JobId, JobState, JobStatus};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// `{object}` in a path (any `{hub}` is ignored).
#[derive(Deserialize)]
pub struct ObjectPath {
    object: String,
}

/// `{id}` in a path.
#[derive(Deserialize)]
pub struct JobPath {
    id: String,
}

/// `pageSize` and `nextPage`.
#[derive(Deserialize, Default)]
pub struct Paging {
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
    #[serde(rename = "nextPage")]
    next_page: Option<String>,
    #[serde(rename = "where")]
    filter: Option<String>,
}

/// The largest page the platform serves.
const MAX_PAGE: usize = 500;
/// The documented default page.
const DEFAULT_PAGE: usize = 200;

impl Paging {
    fn window(&self, total: usize) -> Result<(usize, usize), ApiFailure> {
        let size = match self.page_size.as_deref() {
            None | Some("") => DEFAULT_PAGE,
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| {
                    ApiFailure::bad_request(format!("pageSize must be between 1 and {MAX_PAGE}"))
                })?,
        };
        let start = match self.next_page.as_deref() {
            None | Some("") => 0,
            Some(token) => decode_token(token)
                .filter(|s| *s <= total)
                .ok_or_else(|| ApiFailure::bad_request("nextPage is not a valid page token"))?,
        };
        Ok((start, (start + size).min(total)))
    }
}

fn encode_token(offset: usize) -> String {
    format!("pg{:x}", offset * 7 + 3)
}

fn decode_token(token: &str) -> Option<usize> {
    let n = usize::from_str_radix(token.strip_prefix("pg")?, 16).ok()?;
    (n >= 3 && (n - 3) % 7 == 0).then(|| (n - 3) / 7)
}

/// A JSON array page with the documented paging headers.
fn page(items: Vec<Value>, end: usize, total: usize) -> Response {
    let token = (end < total).then(|| encode_token(end));
    page_with_token(items, token)
}

/// A JSON array page whose `Elements-Next-Page-Token` is `token` (none on the last page).
fn page_with_token(items: Vec<Value>, token: Option<String>) -> Response {
    let count = items.len();
    let mut resp = Json(Value::Array(items)).into_response();
    let h = resp.headers_mut();
    h.insert("Elements-Returned-Count", HeaderValue::from(count));
    if let Some(v) = token.and_then(|t| HeaderValue::from_str(&t).ok()) {
        h.insert("Elements-Next-Page-Token", v);
    }
    resp
}

/// `GET /objects`.
pub async fn list_objects(State(state): State<Arc<AppState>>) -> Json<Vec<&'static str>> {
    Json(state.catalog.iter().map(|o| o.name).collect())
}

/// `GET /objects/{object}/metadata`.
pub async fn object_metadata(
    State(state): State<Arc<AppState>>,
    Path(p): Path<ObjectPath>,
) -> Result<Response, ApiFailure> {
    let spec = state.object(&p.object).ok_or_else(|| {
        ApiFailure::not_found(format!("No object named '{}' in this instance", p.object))
    })?;
    let mut v = serde_json::to_value(&spec.metadata).unwrap_or_else(|_| json!({"fields": []}));
    // The documented fixture lists the methods each field takes part in.
    if let Some(fields) = v.get_mut("fields").and_then(Value::as_array_mut) {
        for f in fields {
            let ro = f
                .get("vendorReadOnly")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            f["method"] = json!([
                {"name": "GET", "response": true, "request": false},
                {"name": "POST", "response": true, "request": !ro},
                {"name": "PATCH", "response": true, "request": !ro}
            ]);
        }
    }
    Ok(Json(v).into_response())
}

/// `POST /bulk/{object}`: multipart `file` + optional `metaData`.
pub async fn create_job(
    State(state): State<Arc<AppState>>,
    Path(p): Path<ObjectPath>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiFailure> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(ApiFailure::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be multipart/form-data with a 'file' part",
        ));
    }
    let spec = state
        .object(&p.object)
        .ok_or_else(|| {
            ApiFailure::not_found(format!("No object named '{}' in this instance", p.object))
        })?
        .clone();
    if !spec.bulk_enabled {
        return Err(ApiFailure::bad_request(format!(
            "Bulk upload is not enabled for '{}'",
            spec.name
        )));
    }
    let mut multipart =
        multipart.map_err(|e| ApiFailure::bad_request(format!("Malformed multipart body: {e}")))?;
    let (mut file, mut meta): (Option<Vec<u8>>, Option<String>) = (None, None);
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|e| ApiFailure::bad_request(format!("Malformed multipart body: {e}")))?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or("").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiFailure::bad_request(format!("Malformed multipart body: {e}")))?;
        match name.as_str() {
            "file" => file = Some(bytes.to_vec()),
            "metaData" => meta = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    let file = file.ok_or_else(|| ApiFailure::bad_request("The request has no 'file' part"))?;
    let meta: Value = match meta.as_deref().map(str::trim) {
        None | Some("") => json!({}),
        Some(text) => serde_json::from_str(text)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| ApiFailure::bad_request("metaData must be a JSON object"))?,
    };
    let format = meta
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("csv")
        .to_ascii_lowercase();
    let upload = match format.as_str() {
        "json" => upload::read_json(&file)?,
        "csv" => upload::read_csv(&file)?,
        other => {
            return Err(ApiFailure::bad_request(format!(
                "Unsupported format '{other}'; use csv or json"
            )));
        }
    };
    let callback_url = headers
        .get("Elements-Async-Callback-Url")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let (id, numeric_ids) = {
        let mut s = state.lock();
        let id = s.next_job;
        s.next_job += 1;
        let mut status = JobStatus::new(JobId::new(id.to_string()), JobState::Created);
        status.object_name = Some(spec.name.to_string());
        status.job_direction = Some("UPLOAD".into());
        status.file_format = Some(format.clone());
        status.instance_id = Some(state.config.instance_id);
        s.jobs.insert(
            id,
            Job {
                status,
                errors: Vec::new(),
                cancel_requested: false,
                callback_url,
                created_ms: now_ms(),
            },
        );
        (id, s.faults.numeric_ids)
    };
    tokio::spawn(processing::run(state.clone(), id, spec, upload));
    let id_value = if numeric_ids {
        json!(id)
    } else {
        json!(id.to_string())
    };
    Ok(
        Json(json!({"id": id_value, "instanceId": state.config.instance_id, "status": "CREATED"}))
            .into_response(),
    )
}

fn job_id(s: &AppState, raw: &str) -> Result<u64, ApiFailure> {
    raw.parse::<u64>()
        .ok()
        .filter(|id| s.lock().jobs.contains_key(id))
        .ok_or_else(|| ApiFailure::not_found(format!("No bulk job with id '{raw}'")))
}

/// The status JSON of a job, with the active spelling faults applied.
fn status_json(s: &AppState, id: u64) -> Option<Value> {
    let inner = s.lock();
    let job = inner.jobs.get(&id)?;
    let mut v = serde_json::to_value(&job.status).ok()?;
    if inner.faults.numeric_ids {
        v["id"] = json!(id);
    }
    if inner.faults.complete_spelling && job.status.state == JobState::Completed {
        v["status"] = json!("COMPLETE");
    }
    Some(v)
}

/// `GET /bulk/{id}/status`.
pub async fn job_status(
    State(state): State<Arc<AppState>>,
    Path(p): Path<JobPath>,
) -> Result<Response, ApiFailure> {
    let id = job_id(&state, &p.id)?;
    let mut v = status_json(&state, id).ok_or_else(|| ApiFailure::not_found("No such job"))?;
    {
        let s = state.lock();
        if let (Some(unknown), Some(job)) = (&s.faults.unknown_status, s.jobs.get(&id))
            && !job.status.state.is_terminal()
        {
            v["status"] = json!(unknown);
        }
    }
    Ok(Json(v).into_response())
}

/// One `/errors` item in `shape`. In the flat shape `status` is written last, so that the
/// vendor's message wins over an uploaded column that happens to be called `status`.
fn error_item(failure: &RecordFailure, shape: ErrorShape) -> Value {
    let values = || -> Map<String, Value> {
        failure
            .values
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()
    };
    match shape {
        ErrorShape::Nested => json!({
            "status": failure.status,
            "recordNumber": failure.record_number,
            "record": values(),
        }),
        ErrorShape::Flat => {
            let mut item = values();
            item.insert("status".into(), json!(failure.status));
            Value::Object(item)
        }
        ErrorShape::StatusOnly => json!({"status": failure.status}),
    }
}

/// `GET /bulk/{id}/errors`: failed records in file order, in the active shape.
pub async fn job_errors(
    State(state): State<Arc<AppState>>,
    Path(p): Path<JobPath>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiFailure> {
    let id = job_id(&state, &p.id)?;
    let (errors, shape, repeat, cap) = {
        let s = state.lock();
        let errors = s
            .jobs
            .get(&id)
            .map(|j| j.errors.clone())
            .unwrap_or_default();
        (
            errors,
            s.faults.error_shape,
            s.faults.repeat_page_token,
            s.faults.errors_page_size,
        )
    };
    let (start, mut end) = paging.window(errors.len())?;
    if let Some(cap) = cap {
        end = end.min(start + cap.max(1) as usize);
    }
    let items = errors[start..end]
        .iter()
        .map(|f| error_item(f, shape))
        .collect();
    if repeat {
        let token = match paging.next_page.as_deref() {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => encode_token(end),
        };
        return Ok(page_with_token(items, Some(token)));
    }
    Ok(page(items, end, errors.len()))
}

/// `PUT /bulk/{id}/cancel`.
pub async fn cancel_job(
    State(state): State<Arc<AppState>>,
    Path(p): Path<JobPath>,
) -> Result<Response, ApiFailure> {
    let id = job_id(&state, &p.id)?;
    {
        let mut s = state.lock();
        if let Some(job) = s.jobs.get_mut(&id) {
            if job.status.state.is_terminal() {
                return Err(ApiFailure::bad_request(format!(
                    "Job {id} has already ended ({}) and cannot be cancelled",
                    job.status.state
                )));
            }
            job.cancel_requested = true;
            job.status.state = JobState::CancellationPending;
        }
    }
    let v = status_json(&state, id).ok_or_else(|| ApiFailure::not_found("No such job"))?;
    Ok(Json(v).into_response())
}

/// `GET /bulk/jobs`, newest first, with a minimal `where` (`key='value'` joined by `and`).
pub async fn list_jobs(
    State(state): State<Arc<AppState>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiFailure> {
    let filters = parse_where(paging.filter.as_deref().unwrap_or(""))?;
    let items: Vec<Value> = {
        let s = state.lock();
        s.jobs
            .iter()
            .rev()
            .map(|(id, j)| {
                json!({
                    "id": if s.faults.numeric_ids { json!(id) } else { json!(id.to_string()) },
                    "instanceId": state.config.instance_id,
                    "object_name": j.status.object_name,
                    "job_direction": "UPLOAD",
                    "status": j.status.state.as_str(),
                    "record_count": j.status.records_count.unwrap_or(0),
                    "error_count": j.status.records_failed_count.unwrap_or(0),
                    "fileFormat": j.status.file_format,
                    "createdDate": j.created_ms,
                    "completion_time": j.status.finished_at_ms,
                    "notification_url": j.callback_url,
                })
            })
            .filter(|item| {
                filters.iter().all(|(k, v)| {
                    item.get(k).is_some_and(|x| match x {
                        Value::String(s) => s.eq_ignore_ascii_case(v),
                        Value::Number(n) => v.parse::<f64>().ok() == n.as_f64(),
                        Value::Bool(b) => v.parse::<bool>().ok() == Some(*b),
                        _ => false,
                    })
                })
            })
            .collect()
    };
    let (start, end) = paging.window(items.len())?;
    Ok(page(items[start..end].to_vec(), end, items.len()))
}

fn parse_where(text: &str) -> Result<Vec<(String, String)>, ApiFailure> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut rest = text;
    let mut rest_lower = lower.as_str();
    loop {
        let (clause, next, next_lower) = match rest_lower.find(" and ") {
            Some(i) => (&rest[..i], &rest[i + 5..], &rest_lower[i + 5..]),
            None => (rest, "", ""),
        };
        let (k, v) = clause.split_once('=').ok_or_else(|| {
            ApiFailure::bad_request(format!("Unsupported where clause '{clause}'"))
        })?;
        let v = v.trim().trim_matches('\'');
        let key = match k.trim() {
            "job_status" => "status",
            "record_count" | "error_count" | "object_name" | "job_direction" | "status" => k.trim(),
            other => {
                return Err(ApiFailure::bad_request(format!(
                    "Unsupported where field '{other}'"
                )));
            }
        };
        out.push((key.to_string(), v.to_string()));
        if next.is_empty() {
            break;
        }
        rest = next;
        rest_lower = next_lower;
    }
    Ok(out)
}

/// `GET /{object}`: the records the object holds, oldest first.
pub async fn list_records(
    State(state): State<Arc<AppState>>,
    Path(p): Path<ObjectPath>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiFailure> {
    if state.object(&p.object).is_none() {
        return Err(ApiFailure::not_found(format!(
            "No resource named '{}'",
            p.object
        )));
    }
    let records: Vec<Value> = state
        .lock()
        .records
        .get(&p.object)
        .map(|rs| rs.iter().cloned().map(Value::Object).collect())
        .unwrap_or_default();
    let (start, end) = paging.window(records.len())?;
    Ok(page(records[start..end].to_vec(), end, records.len()))
}

/// Any other API path.
pub async fn not_found() -> ApiFailure {
    ApiFailure::not_found("No such resource")
}

/// `GET /sandbox/info`: what the app may pre-fill. Only demo credentials are ever shown.
pub async fn info(State(state): State<Arc<AppState>>) -> Json<Value> {
    let c = &state.config;
    let demo = c.demo_credentials.then(|| {
        json!({"user": c.user_secret, "organization": c.organization_secret, "element": c.element_token})
    });
    Json(json!({"sandbox": true, "hub": c.hub, "demoCredentials": demo}))
}

/// `GET /config.json` when serving the app: the app's runtime settings for this sandbox
/// (the API on this origin, its hub, "ask /sandbox/info for the demo credentials", and the
/// portal origins given with `--host-origin`). Replaces any `config.json` in the app folder.
pub async fn app_config(State(state): State<Arc<AppState>>) -> Json<Value> {
    let c = &state.config;
    Json(json!({
        "baseUrl": "/",
        "hub": c.hub,
        "sandbox": true,
        "allowedOrigins": c.host_origins,
    }))
}

/// `POST /sandbox/reset`: forget jobs, records and faults (tests call it between cases).
pub async fn reset(State(state): State<Arc<AppState>>) -> Json<Value> {
    let mut s = state.lock();
    s.jobs.clear();
    s.records.clear();
    s.faults = Default::default();
    Json(json!({"reset": true}))
}
