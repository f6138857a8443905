//! What the sandbox remembers: the jobs with their status, failed records and cancel
//! requests, the records each object holds, and the active faults. One mutex guards it;
//! no lock is held across an await.

use crate::catalog::{self, ObjectSpec};
use crate::config::Config;
use crate::faults::Faults;
use bulk_core::JobStatus;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// One bulk job.
#[derive(Clone, Debug)]
pub struct Job {
    /// The status document, as served.
    pub status: JobStatus,
    /// The failed records in file order; `/errors` renders them in the active shape.
    pub errors: Vec<RecordFailure>,
    /// Set by `PUT /cancel`; the worker honours it before the next record.
    pub cancel_requested: bool,
    /// Where to POST the final status.
    pub callback_url: Option<String>,
    /// Creation time, epoch ms.
    pub created_ms: i64,
}

/// One record the vendor refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordFailure {
    /// The vendor's message.
    pub status: String,
    /// 1-based position of the record among the file's records.
    pub record_number: usize,
    /// The record's (field name as uploaded, value) pairs.
    pub values: Vec<(String, String)>,
}

/// The mutable part of the sandbox.
#[derive(Debug, Default)]
pub struct Inner {
    /// Jobs by numeric id.
    pub jobs: BTreeMap<u64, Job>,
    /// The next job id.
    pub next_job: u64,
    /// Records by object.
    pub records: HashMap<String, Vec<Map<String, Value>>>,
    /// The next record id.
    pub next_record: u64,
    /// Active faults.
    pub faults: Faults,
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// Start-up settings.
    pub config: Config,
    /// The hub's objects.
    pub catalog: Vec<ObjectSpec>,
    inner: Mutex<Inner>,
}

impl AppState {
    /// A fresh sandbox.
    pub fn new(config: Config) -> Arc<AppState> {
        Arc::new(AppState {
            config,
            catalog: catalog::objects(),
            inner: Mutex::new(Inner {
                next_job: 1001,
                next_record: 1,
                ..Inner::default()
            }),
        })
    }

    /// Locks the state; a panic elsewhere does not make it unusable.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Option<&ObjectSpec> {
        self.catalog.iter().find(|o| o.name == name)
    }
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
