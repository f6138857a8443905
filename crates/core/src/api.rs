//! Requests to and responses from the connector API as plain values. Each endpoint has a
//! builder that returns an [`ApiRequest`] and a parser that takes an [`ApiResponse`]
//! (status, headers, bytes); the app sends requests with `fetch`, native tests with an HTTP
//! client, and neither decides anything about the protocol. Every status code is looked at:
//! a 4xx or 5xx is an [`ApiError`] whatever the body says.

use crate::connection::{ApiBase, Credentials};
use crate::job::{JobId, JobStatus, JobSummary, RecordError};
use crate::metadata::ObjectMetadata;
use crate::secret::Secret;
use serde_json::{Map, Value};
use std::fmt;
use url::Url;

/// HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The form field name (`file`, `metaData`).
    pub name: String,
    /// A file name, for file parts.
    pub file_name: Option<String>,
    /// The part's media type.
    pub content_type: Option<String>,
    /// The content.
    pub data: Vec<u8>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// `multipart/form-data`; the transport chooses the boundary.
    Multipart(Vec<Part>),
}

/// A request, ready for any transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    /// The method.
    pub method: Method,
    /// The full URL; never contains a secret.
    pub url: Url,
    /// The `Authorization` header value.
    pub authorization: Secret,
    /// Other headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl ApiRequest {
    fn new(method: Method, url: Url, creds: &Credentials) -> ApiRequest {
        ApiRequest {
            method,
            url,
            authorization: creds.authorization(),
            headers: vec![("Accept".into(), "application/json".into())],
            body: Body::Empty,
        }
    }

    /// A `curl` command that reproduces the request, with every secret replaced by a
    /// placeholder and file contents referred to by name, for people who must reproduce it.
    /// Every argument is one single-quoted shell word ([`shell_quote`]): a file called
    /// `x'; touch pwned; echo '.csv` is a name, not a command, when the text is pasted.
    ///
    /// ```
    /// use bulk_core::{api, ApiBase, Credentials, Secret};
    /// let base = ApiBase::parse("https://t.example", None).unwrap();
    /// let creds = Credentials { user: Secret::new("s3cret"), organization: Secret::default(),
    ///                           element: Secret::new("e-77f3") };
    /// let curl = api::list_objects(&base, &creds).to_curl();
    /// assert!(!curl.contains("s3cret") && !curl.contains("e-77f3"));
    /// assert!(curl.contains("User <user-secret>, Element <element-token>"));
    /// ```
    pub fn to_curl(&self) -> String {
        let auth = self
            .authorization
            .expose()
            .split(',')
            .map(|p| match p.trim().split_once(' ') {
                Some(("User", _)) => "User <user-secret>",
                Some(("Organization", _)) => "Organization <organization-secret>",
                Some(("Element", _)) => "Element <element-token>",
                _ => "<redacted>",
            })
            .collect::<Vec<_>>()
            .join(", ");
        // Our own option names stay bare; every value is quoted.
        let mut args: Vec<(&str, String)> = vec![("-H", format!("Authorization: {auth}"))];
        for (k, v) in &self.headers {
            args.push(("-H", format!("{k}: {v}")));
        }
        if let Body::Multipart(parts) = &self.body {
            for p in parts {
                match &p.file_name {
                    // curl reads `;` and `,` in `-F name=@file` as its own syntax; a name in
                    // double quotes (with `\` and `"` escaped) is taken whole.
                    Some(name) => {
                        let name = name.replace('\\', "\\\\").replace('"', "\\\"");
                        args.push(("-F", format!("{}=@\"{name}\";type=text/csv", p.name)));
                    }
                    // `--form-string` sends the text as it is: with `-F`, a value starting
                    // with `@` or `<` would name a file, and `;type=` would be cut off.
                    None => args.push((
                        "--form-string",
                        format!("{}={}", p.name, String::from_utf8_lossy(&p.data)),
                    )),
                }
            }
        }
        let mut out = format!(
            "curl -X {} {}",
            self.method.as_str(),
            shell_quote(self.url.as_str())
        );
        for (option, value) in args {
            out.push_str(&format!(" \\\n  {option} {}", shell_quote(&value)));
        }
        out
    }
}

/// `s` as one word for a shell: in single quotes, inside which nothing is special, and each
/// `'` written `'\''` (close, escaped quote, reopen). A word holding a control character
/// (a line break, Ctrl-U, an escape sequence) is written `$'…'` with the character escaped
/// (bash, zsh, ksh): pasted raw into a terminal, such a character would edit or end the
/// line being typed before the shell ever saw the quotes, so none is ever shown as itself.
///
/// ```
/// use bulk_core::api::shell_quote;
/// assert_eq!(shell_quote("a b"), "'a b'");
/// assert_eq!(shell_quote("it's"), "'it'\\''s'");
/// assert_eq!(shell_quote(""), "''");
/// assert_eq!(shell_quote("a\u{15}b'c\n"), "$'a\\x15b\\'c\\n'");
/// ```
pub fn shell_quote(s: &str) -> String {
    // Bidirectional controls do nothing to the shell but make the text read otherwise than
    // it runs (U+202E shows `evil.csv` as `vsc.live`): escaped like control characters.
    let unseen = |c: char| {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unseen) {
        return format!("'{}'", s.replace('\'', "'\\''"));
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if unseen(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A response as any transport sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers, names in any case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// The first header called `name`, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a call did not give what was asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an HTTP answer (server down, DNS, CORS refusal, offline).
    #[error("no answer from the server: {detail}")]
    Network {
        /// What the transport said.
        detail: String,
    },
    /// The server answered, but the browser withheld the answer because the server does not
    /// allow this page's origin (CORS). Told apart from [`ApiError::Network`] by a probe.
    #[error("the server answered but does not allow this page (CORS): {detail}")]
    Cors {
        /// What the transport said.
        detail: String,
    },
    /// 401: the secrets are wrong or missing.
    #[error("the connector rejected these credentials (401){}", suffix(message))]
    Unauthorized {
        /// The connector's message.
        message: Option<String>,
    },
    /// 403.
    #[error("the connector refused this call (403){}", suffix(message))]
    Forbidden {
        /// The connector's message.
        message: Option<String>,
    },
    /// 404.
    #[error("not found (404){}", suffix(message))]
    NotFound {
        /// The connector's message.
        message: Option<String>,
    },
    /// 429.
    #[error("too many requests (429){}", suffix(message))]
    RateLimited {
        /// Seconds the server asked to wait.
        retry_after_secs: Option<u64>,
        /// The connector's message.
        message: Option<String>,
    },
    /// Any other 4xx.
    #[error("the connector refused the request ({status}){}", suffix(message))]
    Rejected {
        /// The status.
        status: u16,
        /// The connector's message.
        message: Option<String>,
    },
    /// 5xx.
    #[error("the connector failed ({status}){}", suffix(message))]
    Server {
        /// The status.
        status: u16,
        /// Seconds the server asked to wait (503).
        retry_after_secs: Option<u64>,
        /// The connector's message.
        message: Option<String>,
    },
    /// A success status with a body that is not what the API documents.
    #[error("unexpected response ({status}): {detail}")]
    Malformed {
        /// The status.
        status: u16,
        /// What was wrong.
        detail: String,
    },
}

fn suffix(message: &Option<String>) -> String {
    message
        .as_ref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

/// The longest `Retry-After` honoured (five minutes); longer waits are shortened to it.
pub const MAX_RETRY_AFTER_SECS: u64 = 300;

impl ApiError {
    /// True when the same request may succeed later: no answer, 429, 502-504.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::RateLimited { .. } => true,
            ApiError::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The wait the server asked for, if any, capped at [`MAX_RETRY_AFTER_SECS`]: a
    /// tenant asking for an hour (or a day) must not freeze the page without a word.
    ///
    /// ```
    /// let e = bulk_core::ApiError::RateLimited { retry_after_secs: Some(86_400), message: None };
    /// assert_eq!(e.retry_after_secs(), Some(300));
    /// ```
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited {
                retry_after_secs, ..
            }
            | ApiError::Server {
                retry_after_secs, ..
            } => retry_after_secs.map(|s| s.min(MAX_RETRY_AFTER_SECS)),
            _ => None,
        }
    }
}

/// Maps a non-2xx response to its error; `Ok` for 2xx.
///
/// ```
/// use bulk_core::{api, ApiResponse, ApiError};
/// let r = ApiResponse { status: 401, headers: vec![],
///     body: br#"{"requestId":"1","message":"Invalid Element token"}"#.to_vec() };
/// assert_eq!(api::check_status(&r),
///     Err(ApiError::Unauthorized { message: Some("Invalid Element token".into()) }));
/// ```
pub fn check_status(resp: &ApiResponse) -> Result<(), ApiError> {
    if (200..300).contains(&resp.status) {
        return Ok(());
    }
    let message = error_message(&resp.body);
    let retry_after_secs = resp
        .header("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    Err(match resp.status {
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        429 => ApiError::RateLimited {
            retry_after_secs,
            message,
        },
        s @ 500..=599 => ApiError::Server {
            status: s,
            retry_after_secs,
            message,
        },
        s => ApiError::Rejected { status: s, message },
    })
}

/// The `message` (and `providerMessage`) of a platform error body, if it is one.
fn error_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let msg = v
        .get("message")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let provider = v
        .get("providerMessage")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty());
    match (msg, provider) {
        (Some(m), Some(p)) => Some(format!("{m} ({p})")),
        (Some(m), None) => Some(m.to_string()),
        (None, Some(p)) => Some(p.to_string()),
        (None, None) => None,
    }
}

fn json_body(resp: &ApiResponse) -> Result<Value, ApiError> {
    check_status(resp)?;
    serde_json::from_slice(&resp.body).map_err(|e| ApiError::Malformed {
        status: resp.status,
        detail: format!("the body is not JSON ({e})"),
    })
}

fn malformed(resp: &ApiResponse, detail: &str) -> ApiError {
    ApiError::Malformed {
        status: resp.status,
        detail: detail.to_string(),
    }
}

/// `GET /objects`.
pub fn list_objects(base: &ApiBase, creds: &Credentials) -> ApiRequest {
    ApiRequest::new(Method::Get, base.endpoint(&["objects"]), creds)
}

/// Reads the object names of `GET /objects` (an array of strings; objects with a `name`
/// are accepted too), sorted.
pub fn parse_objects(resp: &ApiResponse) -> Result<Vec<String>, ApiError> {
    let v = json_body(resp)?;
    let items = v
        .as_array()
        .ok_or_else(|| malformed(resp, "expected a list of objects"))?;
    let mut names: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// `GET /objects/{object}/metadata`.
pub fn object_metadata(base: &ApiBase, creds: &Credentials, object: &str) -> ApiRequest {
    ApiRequest::new(
        Method::Get,
        base.endpoint(&["objects", object, "metadata"]),
        creds,
    )
}

/// Reads an object's metadata.
pub fn parse_metadata(resp: &ApiResponse) -> Result<ObjectMetadata, ApiError> {
    let v = json_body(resp)?;
    ObjectMetadata::from_json(&v)
        .map(|(m, _)| m)
        .ok_or_else(|| malformed(resp, "expected {\"fields\": [...]}"))
}

/// What to do with each record of an upload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    /// Create new records.
    #[default]
    Create,
    /// Update existing records found by the identifier field.
    Update,
    /// Update when found, create otherwise.
    Upsert,
}

impl Action {
    /// The `metaData` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Upsert => "upsert",
        }
    }
}

/// Options of one upload job, sent in the `metaData` part and headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobOptions {
    /// The action; `None` leaves it to the connector's default.
    pub action: Option<Action>,
    /// The key field for update and upsert.
    pub identifier_field: Option<String>,
    /// Records per vendor call.
    pub record_size: Option<u32>,
    /// Where the platform should POST the final status.
    pub callback_url: Option<Url>,
}

impl JobOptions {
    /// The `metaData` JSON, or `None` when no option is set.
    ///
    /// ```
    /// use bulk_core::api::{JobOptions, Action};
    /// let o = JobOptions { action: Some(Action::Upsert), identifier_field: Some("email".into()),
    ///                      ..Default::default() };
    /// assert_eq!(o.meta_data().unwrap(), r#"{"action":"upsert","identifierFieldName":"email"}"#);
    /// assert_eq!(JobOptions::default().meta_data(), None);
    /// ```
    pub fn meta_data(&self) -> Option<String> {
        let mut m = Map::new();
        if let Some(a) = self.action {
            m.insert("action".into(), a.as_str().into());
        }
        if let Some(f) = &self.identifier_field {
            m.insert("identifierFieldName".into(), f.clone().into());
        }
        if let Some(n) = self.record_size {
            m.insert("bulkUploadRecordSize".into(), n.into());
        }
        (!m.is_empty()).then(|| Value::Object(m).to_string())
    }
}

/// `POST /bulk/{object}` with the CSV as the `file` part.
pub fn create_bulk_job(
    base: &ApiBase,
    creds: &Credentials,
    object: &str,
    file_name: &str,
    csv: Vec<u8>,
    options: &JobOptions,
) -> ApiRequest {
    let mut req = ApiRequest::new(Method::Post, base.endpoint(&["bulk", object]), creds);
    let mut parts = vec![Part {
        name: "file".into(),
        file_name: Some(file_name.to_string()),
        content_type: Some("text/csv".into()),
        data: csv,
    }];
    if let Some(meta) = options.meta_data() {
        parts.push(Part {
            name: "metaData".into(),
            file_name: None,
            content_type: None,
            data: meta.into_bytes(),
        });
    }
    if let Some(cb) = &options.callback_url {
        req.headers
            .push(("Elements-Async-Callback-Url".into(), cb.to_string()));
    }
    req.body = Body::Multipart(parts);
    req
}

/// The answer to creating a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobCreated {
    /// The new job's id.
    pub id: JobId,
    /// Its first state (normally CREATED).
    pub state: crate::JobState,
}

/// Reads `{"id": ..., "status": "CREATED"}` (id as string or number).
pub fn parse_job_created(resp: &ApiResponse) -> Result<JobCreated, ApiError> {
    let v = json_body(resp)?;
    let id = v
        .get("id")
        .and_then(JobId::from_json)
        .ok_or_else(|| malformed(resp, "the answer has no job id"))?;
    let state = v
        .get("status")
        .and_then(Value::as_str)
        .map(crate::JobState::parse)
        .unwrap_or(crate::JobState::Created);
    Ok(JobCreated { id, state })
}

/// `GET /bulk/{id}/status`.
pub fn job_status(base: &ApiBase, creds: &Credentials, id: &JobId) -> ApiRequest {
    ApiRequest::new(
        Method::Get,
        base.endpoint(&["bulk", id.as_str(), "status"]),
        creds,
    )
}

/// Reads a job status.
pub fn parse_job_status(resp: &ApiResponse) -> Result<JobStatus, ApiError> {
    let v = json_body(resp)?;
    JobStatus::from_json(&v).ok_or_else(|| malformed(resp, "the status has no id or status"))
}

/// `PUT /bulk/{id}/cancel`.
pub fn cancel_job(base: &ApiBase, creds: &Credentials, id: &JobId) -> ApiRequest {
    ApiRequest::new(
        Method::Put,
        base.endpoint(&["bulk", id.as_str(), "cancel"]),
        creds,
    )
}

/// `GET /bulk/{id}/errors?pageSize=&nextPage=`.
pub fn job_errors(
    base: &ApiBase,
    creds: &Credentials,
    id: &JobId,
    page_size: u32,
    next_page: Option<&str>,
) -> ApiRequest {
    let mut url = base.endpoint(&["bulk", id.as_str(), "errors"]);
    paging(&mut url, page_size, next_page);
    ApiRequest::new(Method::Get, url, creds)
}

fn paging(url: &mut Url, page_size: u32, next_page: Option<&str>) {
    let mut q = url.query_pairs_mut();
    q.append_pair("pageSize", &page_size.to_string());
    if let Some(token) = next_page {
        q.append_pair("nextPage", token);
    }
}

/// One page of a paged list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// The token for the next page; `None` on the last one.
    pub next_page: Option<String>,
}

fn next_page_token(resp: &ApiResponse) -> Option<String> {
    resp.header("Elements-Next-Page-Token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Reads a page of `GET /bulk/{id}/errors`.
pub fn parse_job_errors(resp: &ApiResponse) -> Result<Page<RecordError>, ApiError> {
    let v = json_body(resp)?;
    let items = v
        .as_array()
        .ok_or_else(|| malformed(resp, "expected a list of errors"))?;
    Ok(Page {
        items: items.iter().map(RecordError::from_json).collect(),
        next_page: next_page_token(resp),
    })
}

/// `GET /bulk/jobs`.
pub fn list_jobs(
    base: &ApiBase,
    creds: &Credentials,
    page_size: u32,
    next_page: Option<&str>,
) -> ApiRequest {
    let mut url = base.endpoint(&["bulk", "jobs"]);
    paging(&mut url, page_size, next_page);
    ApiRequest::new(Method::Get, url, creds)
}

/// Reads a page of `GET /bulk/jobs`; unreadable items are skipped.
pub fn parse_jobs(resp: &ApiResponse) -> Result<Page<JobSummary>, ApiError> {
    let v = json_body(resp)?;
    let items = v
        .as_array()
        .ok_or_else(|| malformed(resp, "expected a list of jobs"))?;
    Ok(Page {
        items: items.iter().filter_map(JobSummary::from_json).collect(),
        next_page: next_page_token(resp),
    })
}

/// `GET /{object}`: the records the instance holds (the "log in and find your new
/// contacts" check).
pub fn list_records(
    base: &ApiBase,
    creds: &Credentials,
    object: &str,
    page_size: u32,
) -> ApiRequest {
    let mut url = base.endpoint(&[object]);
    paging(&mut url, page_size, None);
    ApiRequest::new(Method::Get, url, creds)
}

/// Reads a page of records (JSON objects).
pub fn parse_records(resp: &ApiResponse) -> Result<Page<Map<String, Value>>, ApiError> {
    let v = json_body(resp)?;
    let items = v
        .as_array()
        .ok_or_else(|| malformed(resp, "expected a list of records"))?;
    Ok(Page {
        items: items
            .iter()
            .filter_map(|i| i.as_object().cloned())
            .collect(),
        next_page: next_page_token(resp),
    })
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::JobState;

    fn resp(status: u16, body: &str) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    fn base() -> ApiBase {
        ApiBase::parse("http://127.0.0.1:8787", None).unwrap()
    }

    fn creds() -> Credentials {
        Credentials {
            user: Secret::new("u"),
            organization: Secret::new("o"),
            element: Secret::new("e"),
        }
    }

    #[test]
    fn every_error_status_maps_to_its_kind() {
        assert!(matches!(
            check_status(&resp(404, "")),
            Err(ApiError::NotFound { message: None })
        ));
        assert!(matches!(
            check_status(&resp(403, "{}")),
            Err(ApiError::Forbidden { .. })
        ));
        assert!(matches!(
            check_status(&resp(409, "x")),
            Err(ApiError::Rejected { status: 409, .. })
        ));
        let mut r = resp(429, "");
        r.headers.push(("retry-after".into(), "7".into()));
        assert_eq!(check_status(&r).unwrap_err().retry_after_secs(), Some(7));
        let e = check_status(&resp(502, r#"{"message":"m","providerMessage":"p"}"#)).unwrap_err();
        assert_eq!(
            e,
            ApiError::Server {
                status: 502,
                retry_after_secs: None,
                message: Some("m (p)".into())
            }
        );
        assert!(e.is_transient());
        assert!(!ApiError::NotFound { message: None }.is_transient());
        assert_eq!(check_status(&resp(204, "")), Ok(()));
    }

    #[test]
    fn job_created_accepts_numeric_ids_and_rejects_missing_ones() {
        let c = parse_job_created(&resp(
            200,
            r#"{"id": 42114492, "instanceId": 1, "status": "CREATED"}"#,
        ))
        .unwrap();
        assert_eq!(
            c,
            JobCreated {
                id: JobId::new("42114492"),
                state: JobState::Created
            }
        );
        assert!(matches!(
            parse_job_created(&resp(200, "{}")),
            Err(ApiError::Malformed { .. })
        ));
        assert!(matches!(
            parse_job_created(&resp(200, "<html>")),
            Err(ApiError::Malformed { .. })
        ));
    }

    #[test]
    fn error_pages_carry_the_next_token() {
        let mut r = resp(200, r#"[{"status":"bad"}]"#);
        r.headers
            .push(("Elements-Next-Page-Token".into(), "abc".into()));
        let p = parse_job_errors(&r).unwrap();
        assert_eq!((p.items.len(), p.next_page.as_deref()), (1, Some("abc")));
        let req = job_errors(&base(), &creds(), &JobId::new("7"), 30, Some("abc"));
        assert_eq!(
            req.url.as_str(),
            "http://127.0.0.1:8787/elements/api-v2/bulk/7/errors?pageSize=30&nextPage=abc"
        );
    }

    #[test]
    fn the_upload_is_multipart_with_file_and_optional_metadata() {
        let opts = JobOptions {
            record_size: Some(1),
            callback_url: Some(Url::parse("https://hook.example/x").unwrap()),
            ..Default::default()
        };
        let req = create_bulk_job(
            &base(),
            &creds(),
            "contacts",
            "c.csv",
            b"email\n".to_vec(),
            &opts,
        );
        assert_eq!(
            req.url.as_str(),
            "http://127.0.0.1:8787/elements/api-v2/bulk/contacts"
        );
        let Body::Multipart(parts) = &req.body else {
            panic!("multipart expected")
        };
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[1].data, br#"{"bulkUploadRecordSize":1}"#);
        assert!(req.headers.contains(&(
            "Elements-Async-Callback-Url".into(),
            "https://hook.example/x".into()
        )));
        let curl = req.to_curl();
        assert!(
            curl.contains("-F 'file=@\"c.csv\";type=text/csv'"),
            "{curl}"
        );
        assert!(
            !format!("{req:?}").contains("User u"),
            "Debug must not show secrets"
        );
    }

    /// The words a POSIX shell makes of `command` after its first word, found by running
    /// it in `dir` with `printf` in the place of curl.
    #[cfg(unix)]
    fn shell_words(command: &str, dir: &std::path::Path) -> Vec<String> {
        let rest = command.strip_prefix("curl ").unwrap();
        // bash, as people paste into (and for `$'…'`, which a word with a control
        // character needs).
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s\\0' {rest}"))
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let mut words: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .split('\0')
            .map(str::to_string)
            .collect();
        assert_eq!(
            words.pop().as_deref(),
            Some(""),
            "printf ends each word with NUL"
        );
        words
    }

    #[cfg(unix)]
    #[test]
    fn the_shown_request_pastes_into_a_shell_as_exactly_its_arguments() {
        let dir = std::env::temp_dir().join(format!("bulk-curl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let hostile = [
            "contacts'; touch pwned; echo '.csv",
            "$(touch pwned).csv",
            "`touch pwned`.csv",
            "a\"b\\c;type=x,y.csv",
            "two\nlines'\n.csv",
            "it's \u{a0}ünïcode.csv",
            // Control characters act on a terminal's line before the shell reads it.
            "\u{15} ; touch pwned #.csv",
            "esc\u{1b}[31m red'.csv",
            "del\u{7f} and c1\u{85}.csv",
            "bidi\u{202e}vsc.live'.csv",
        ];
        let base = ApiBase::parse("https://t.example/it's/$(touch pwned)/`id`", None).unwrap();
        let creds = Credentials {
            user: Secret::new("us3r'; touch pwned; '"),
            organization: Secret::new("0rg"),
            element: Secret::new("el3ment"),
        };
        let opts = JobOptions {
            action: Some(Action::Upsert),
            identifier_field: Some("e'mail\"; touch pwned; '".into()),
            callback_url: Some(Url::parse("https://hook.example/x'y?q=$(touch pwned)").unwrap()),
            ..Default::default()
        };
        for name in hostile {
            let req = create_bulk_job(&base, &creds, "con'tacts", name, b"e\n".to_vec(), &opts);
            let curl = req.to_curl();
            // Only the command's own line continuations break its lines.
            let one_line = curl.replace(" \\\n  ", " ");
            assert!(
                !one_line.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "a control character is shown: {curl:?}"
            );
            for secret in ["us3r", "0rg", "el3ment"] {
                assert!(!curl.contains(secret), "{curl}");
            }
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            let expected = [
                "-X".to_string(),
                "POST".into(),
                req.url.to_string(),
                "-H".into(),
                "Authorization: User <user-secret>, Organization <organization-secret>, Element <element-token>".into(),
                "-H".into(),
                "Accept: application/json".into(),
                "-H".into(),
                format!("Elements-Async-Callback-Url: {}", opts.callback_url.as_ref().unwrap()),
                "-F".into(),
                format!("file=@\"{quoted}\";type=text/csv"),
                "--form-string".into(),
                format!("metaData={}", opts.meta_data().unwrap()),
            ];
            assert_eq!(shell_words(&curl, &dir), expected, "{curl}");
            assert!(!dir.join("pwned").exists(), "{curl}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn objects_may_be_strings_or_named_objects() {
        let names = parse_objects(&resp(200, r#"["contacts", {"name": "accounts"}, 3]"#)).unwrap();
        assert_eq!(names, vec!["accounts", "contacts"]);
        assert!(matches!(
            parse_objects(&resp(200, "{}")),
            Err(ApiError::Malformed { .. })
        ));
    }
}
