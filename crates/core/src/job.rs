//! The bulk job lifecycle: ids, states and status documents. The platform's documents vary
//! (ids as strings or numbers, `COMPLETE` beside `COMPLETED`, the legacy snake_case shape
//! beside the v3 camelCase one, counts as numbers or strings), so reading is lenient and
//! goes through `serde_json::Value`; writing (the sandbox) always emits the legacy shape that
//! upload jobs return in every recorded test.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// A job id, kept as an opaque string; numeric ids are stringified.
///
/// ```
/// let id: bulk_core::JobId = serde_json::from_str("42114492").unwrap();
/// assert_eq!(id.as_str(), "42114492");
/// let id: bulk_core::JobId = serde_json::from_str("\"abc\"").unwrap();
/// assert_eq!(id.to_string(), "abc");
/// ```
///
/// Shared, not copied, when cloned: every row a job carries names its job in the upload's
/// ledger (10,000 rows a job by default), and a copy of the text for each row took a
/// quarter of the page's work when a job was sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(Arc<str>);

impl JobId {
    /// Wraps an id.
    pub fn new(id: impl Into<String>) -> Self {
        JobId(Arc::from(id.into()))
    }
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Reads an id from a JSON string or number.
    pub fn from_json(value: &Value) -> Option<JobId> {
        match value {
            Value::String(s) if !s.trim().is_empty() => Some(JobId(Arc::from(s.trim()))),
            Value::Number(n) => Some(JobId(Arc::from(n.to_string()))),
            _ => None,
        }
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for JobId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for JobId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        JobId::from_json(&v)
            .ok_or_else(|| serde::de::Error::custom("job id must be a string or number"))
    }
}

/// A job state as documented, plus whatever else a tenant may send.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum JobState {
    /// Created, not started.
    Created,
    /// Has begun.
    Started,
    /// Working.
    Running,
    /// Cancel requested, in progress.
    CancellationPending,
    /// Finished; may still contain failed records.
    Completed,
    /// Failed because of a platform-side problem.
    Aborted,
    /// Failed because of a vendor-side problem.
    Error,
    /// Cancelled by a user.
    Cancelled,
    /// A value not in the documentation; shown as is and treated as still running.
    Other(String),
}

impl JobState {
    /// Reads a status string; case-insensitive, accepting the documented spellings
    /// `COMPLETE` and `CANCELED`.
    ///
    /// ```
    /// use bulk_core::JobState;
    /// assert_eq!(JobState::parse("COMPLETE"), JobState::Completed);
    /// assert_eq!(JobState::parse("CREATEd"), JobState::Created);
    /// assert!(!JobState::parse("QUEUED").is_terminal());
    /// ```
    pub fn parse(s: &str) -> JobState {
        match s.trim().to_ascii_uppercase().as_str() {
            "CREATED" => JobState::Created,
            "STARTED" => JobState::Started,
            "RUNNING" => JobState::Running,
            "CANCELLATION_PENDING" => JobState::CancellationPending,
            "COMPLETED" | "COMPLETE" => JobState::Completed,
            "ABORTED" => JobState::Aborted,
            "ERROR" => JobState::Error,
            "CANCELLED" | "CANCELED" => JobState::Cancelled,
            _ => JobState::Other(s.trim().to_string()),
        }
    }

    /// The canonical spelling.
    pub fn as_str(&self) -> &str {
        match self {
            JobState::Created => "CREATED",
            JobState::Started => "STARTED",
            JobState::Running => "RUNNING",
            JobState::CancellationPending => "CANCELLATION_PENDING",
            JobState::Completed => "COMPLETED",
            JobState::Aborted => "ABORTED",
            JobState::Error => "ERROR",
            JobState::Cancelled => "CANCELLED",
            JobState::Other(s) => s,
        }
    }

    /// True when the job will not change any more, so polling stops.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobState::Completed | JobState::Aborted | JobState::Error | JobState::Cancelled
        )
    }

    /// True for the terminal states in which the job as a whole failed.
    pub fn is_failure(&self) -> bool {
        matches!(self, JobState::Aborted | JobState::Error)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status document of one job (`GET /bulk/{id}/status`, also the callback body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobStatus {
    /// The job id.
    pub id: JobId,
    /// The state.
    #[serde(rename = "status", serialize_with = "ser_state")]
    pub state: JobState,
    /// Records processed, failed ones included.
    #[serde(rename = "recordsCount", skip_serializing_if = "Option::is_none")]
    pub records_count: Option<u64>,
    /// Records that failed.
    #[serde(rename = "recordsFailedCount", skip_serializing_if = "Option::is_none")]
    pub records_failed_count: Option<u64>,
    /// The object the job writes to.
    #[serde(rename = "object_name", skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// `UPLOAD` or `DOWNLOAD`.
    #[serde(rename = "job_direction", skip_serializing_if = "Option::is_none")]
    pub job_direction: Option<String>,
    /// `csv` or `json`.
    #[serde(rename = "fileFormat", skip_serializing_if = "Option::is_none")]
    pub file_format: Option<String>,
    /// The connector instance.
    #[serde(rename = "instanceId", skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<i64>,
    /// Start, epoch milliseconds.
    #[serde(rename = "bulk_start_time", skip_serializing_if = "Option::is_none")]
    pub started_at_ms: Option<i64>,
    /// Finish, epoch milliseconds; only once terminal.
    #[serde(rename = "bulk_finish_time", skip_serializing_if = "Option::is_none")]
    pub finished_at_ms: Option<i64>,
    /// Why the job failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Any other human text the tenant added (`message`, `statusMessage`, `infoMessage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn ser_state<S: serde::Serializer>(state: &JobState, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(state.as_str())
}

impl JobStatus {
    /// A new status with only id and state set.
    pub fn new(id: JobId, state: JobState) -> JobStatus {
        JobStatus {
            id,
            state,
            records_count: None,
            records_failed_count: None,
            object_name: None,
            job_direction: None,
            file_format: None,
            instance_id: None,
            started_at_ms: None,
            finished_at_ms: None,
            error: None,
            message: None,
        }
    }

    /// Reads a status object in the legacy or the v3 shape. `None` when it has no usable id
    /// or status.
    ///
    /// ```
    /// let v = serde_json::json!({"id": 7, "jobStatus": "COMPLETE", "recordCount": "3",
    ///                            "errorCount": 1});
    /// let s = bulk_core::JobStatus::from_json(&v).unwrap();
    /// assert_eq!((s.id.as_str(), s.records_count, s.records_failed_count), ("7", Some(3), Some(1)));
    /// assert!(s.state.is_terminal());
    /// ```
    pub fn from_json(value: &Value) -> Option<JobStatus> {
        let obj = value.as_object()?;
        let id = JobId::from_json(obj.get("id")?)?;
        let state =
            text(obj, &["status", "jobStatus", "job_status"]).map(|s| JobState::parse(&s))?;
        Some(JobStatus {
            id,
            state,
            records_count: count(obj, &["recordsCount", "recordCount", "record_count"]),
            records_failed_count: count(
                obj,
                &[
                    "recordsFailedCount",
                    "errorCount",
                    "error_count",
                    "recordsFailed",
                ],
            ),
            object_name: text(obj, &["object_name", "objectName"]),
            job_direction: text(obj, &["job_direction", "jobDirection"]),
            file_format: text(obj, &["fileFormat"]),
            instance_id: obj.get("instanceId").and_then(as_i64),
            started_at_ms: ["bulk_start_time", "createdDate"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(as_i64)),
            finished_at_ms: ["bulk_finish_time", "completionTime", "completion_time"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(as_i64)),
            error: text(obj, &["error"]),
            message: text(obj, &["message", "statusMessage", "infoMessage"]),
        })
    }

    /// Records that went through: processed minus failed (never negative).
    pub fn records_succeeded(&self) -> Option<u64> {
        Some(
            self.records_count?
                .saturating_sub(self.records_failed_count.unwrap_or(0)),
        )
    }
}

/// The first non-empty text among `keys`; numbers are stringified.
fn text(obj: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The first count among `keys`, from a number or a numeric string.
fn count(obj: &Map<String, Value>, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|k| match obj.get(*k)? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One failed record from `GET /bulk/{id}/errors`.
///
/// Only `status` (the vendor's message) is documented; tenants add a position, echo the
/// record nested or flat beside `status`, or add nothing. The item is therefore kept whole
/// (less its message) and interpreted by [`crate::failures`] against the job's own file,
/// where a key can be told apart from a field name.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordError {
    /// The connector's message (the documented `status` key, or `message`/`error`).
    pub message: String,
    /// The record as the connector echoed it nested under `record` (or `data`, `input`,
    /// `original`, `fields`), when it did.
    pub record: Option<Map<String, Value>>,
    /// A 1-based position read from a key named like one ([`POSITION_KEYS`]).
    pub record_number: Option<u64>,
    /// The key the position was read from: a field of the object with that name is data.
    pub position_key: Option<String>,
    /// Every other key of the item, as sent: a flat echo of the record's values, or noise.
    pub rest: Map<String, Value>,
}

/// Keys that carry a record's 1-based position in the job's file, as tenants name them.
pub const POSITION_KEYS: &[&str] = &[
    "recordNumber",
    "record_number",
    "recordNo",
    "recordNum",
    "rowNumber",
    "row_number",
    "rowNo",
    "rowNum",
    "row",
    "recordIndex",
    "position",
];

/// Keys that hold the message; the first present wins.
const MESSAGE_KEYS: &[&str] = &[
    "status",
    "message",
    "error",
    "errorMessage",
    "statusMessage",
];

/// Keys under which a tenant nests the record it echoes.
const RECORD_KEYS: &[&str] = &[
    "record", "data", "input", "original", "fields", "object", "row",
];

impl RecordError {
    /// A failure with a message and nothing else.
    pub fn message_only(message: impl Into<String>) -> RecordError {
        RecordError {
            message: message.into(),
            record: None,
            record_number: None,
            position_key: None,
            rest: Map::new(),
        }
    }

    /// Reads one error item; a bare string (as an old swagger typed them) is the message.
    ///
    /// ```
    /// let e = bulk_core::job::RecordError::from_json(
    ///     &serde_json::json!({"status": "74234: Invalid prospect email address"}));
    /// assert_eq!(e.message, "74234: Invalid prospect email address");
    /// let e = bulk_core::job::RecordError::from_json(
    ///     &serde_json::json!({"status": "dup", "email": "a@x.io", "rowNum": 3}));
    /// assert_eq!((e.record_number, e.rest["email"].as_str()), (Some(3), Some("a@x.io")));
    /// ```
    pub fn from_json(value: &Value) -> RecordError {
        let Value::Object(obj) = value else {
            return RecordError::message_only(match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        };
        let message_key = MESSAGE_KEYS
            .iter()
            .find(|k| matches!(obj.get(**k), Some(Value::String(s)) if !s.trim().is_empty()));
        let record_key = RECORD_KEYS
            .iter()
            .find(|k| matches!(obj.get(**k), Some(Value::Object(_))));
        let position_key = POSITION_KEYS
            .iter()
            .find(|k| count(obj, &[**k]).is_some())
            .map(|k| k.to_string());
        let mut rest = obj.clone();
        let message = match message_key {
            Some(k) => match rest.remove(*k) {
                Some(Value::String(s)) => s,
                _ => String::new(),
            },
            None => value.to_string(),
        };
        let record = record_key.and_then(|k| match rest.remove(*k) {
            Some(Value::Object(m)) => Some(m),
            _ => None,
        });
        RecordError {
            message,
            record,
            record_number: position_key.as_deref().and_then(|k| count(obj, &[k])),
            position_key,
            rest,
        }
    }
}

/// One entry of `GET /bulk/jobs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobSummary {
    /// The job id.
    pub id: JobId,
    /// Its state.
    pub state: JobState,
    /// The object.
    pub object_name: Option<String>,
    /// `UPLOAD` or `DOWNLOAD`.
    pub job_direction: Option<String>,
    /// Records processed.
    pub record_count: Option<u64>,
    /// Records failed.
    pub error_count: Option<u64>,
    /// Creation time, epoch milliseconds.
    pub created_ms: Option<i64>,
}

impl JobSummary {
    /// Reads one list item in the documented `GET /bulk/jobs` shape (or a status shape).
    pub fn from_json(value: &Value) -> Option<JobSummary> {
        let obj = value.as_object()?;
        Some(JobSummary {
            id: JobId::from_json(obj.get("id")?)?,
            state: JobState::parse(&text(obj, &["status", "job_status", "jobStatus"])?),
            object_name: text(obj, &["object_name", "objectName"]),
            job_direction: text(obj, &["job_direction", "jobDirection"]),
            record_count: count(obj, &["record_count", "recordsCount", "recordCount"]),
            error_count: count(obj, &["error_count", "recordsFailedCount", "errorCount"]),
            created_ms: obj.get("createdDate").and_then(as_i64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_status_spelling_is_read() {
        let table = [
            ("CREATED", JobState::Created, false),
            ("STARTED", JobState::Started, false),
            ("RUNNING", JobState::Running, false),
            ("CANCELLATION_PENDING", JobState::CancellationPending, false),
            ("COMPLETED", JobState::Completed, true),
            ("COMPLETE", JobState::Completed, true),
            ("ABORTED", JobState::Aborted, true),
            ("ERROR", JobState::Error, true),
            ("CANCELLED", JobState::Cancelled, true),
            ("CANCELED", JobState::Cancelled, true),
            (" completed ", JobState::Completed, true),
        ];
        for (text, state, terminal) in table {
            assert_eq!(JobState::parse(text), state, "{text}");
            assert_eq!(JobState::parse(text).is_terminal(), terminal, "{text}");
        }
        assert_eq!(JobState::parse("QUEUED"), JobState::Other("QUEUED".into()));
    }

    #[test]
    fn legacy_status_round_trips() {
        let mut s = JobStatus::new(JobId::new("12"), JobState::Aborted);
        s.records_count = Some(0);
        s.error = Some("All prospects require either 'email' or 'id'".into());
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["status"], "ABORTED");
        assert_eq!(v["recordsCount"], 0);
        assert!(v.get("bulk_finish_time").is_none());
        assert_eq!(JobStatus::from_json(&v), Some(s));
    }

    #[test]
    fn status_without_id_or_state_is_not_a_status() {
        assert_eq!(JobStatus::from_json(&json!({"status": "RUNNING"})), None);
        assert_eq!(JobStatus::from_json(&json!({"id": "1"})), None);
        assert_eq!(JobStatus::from_json(&json!(["id"])), None);
    }

    #[test]
    fn succeeded_is_processed_minus_failed() {
        let mut s = JobStatus::new(JobId::new("1"), JobState::Completed);
        assert_eq!(s.records_succeeded(), None);
        s.records_count = Some(10);
        s.records_failed_count = Some(3);
        assert_eq!(s.records_succeeded(), Some(7));
        s.records_failed_count = Some(30);
        assert_eq!(s.records_succeeded(), Some(0));
    }

    #[test]
    fn error_items_of_every_shape_are_read() {
        let e = RecordError::from_json(&json!({"message": "m", "record": {"email": "x"},
                                               "recordNumber": "4"}));
        assert_eq!(e.message, "m");
        assert_eq!(e.record_number, Some(4));
        assert_eq!(e.record.unwrap()["email"], "x");
        assert_eq!(RecordError::from_json(&json!("plain")).message, "plain");
        assert_eq!(
            RecordError::from_json(&json!({"x": 1})).message,
            "{\"x\":1}"
        );
    }
}
