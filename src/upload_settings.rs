//! The person's upload options (action, identifier field, records per vendor call,
//! callback URL, rows per job) and how they become the job's `metaData` and headers, with
//! a sentence for each option that cannot be sent as it is.

use crate::notice::{Notice, Tone};
use bulk_core::api::{Action, JobOptions};
use bulk_core::submit::DEFAULT_JOB_ROWS;

/// The browser-storage key of the job log.
pub const JOB_LOG_KEY: &str = "bulk-uploader/jobs";

/// The person's upload options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadSettings {
    /// create / update / upsert; `None` leaves the connector's default (create).
    pub action: Option<Action>,
    /// The key field for update and upsert.
    pub identifier: Option<String>,
    /// Records per vendor call.
    pub record_size: Option<u32>,
    /// Where the platform should POST the job's end (empty: nowhere).
    pub callback: String,
    /// Rows per job.
    pub job_rows: usize,
}

impl Default for UploadSettings {
    fn default() -> Self {
        UploadSettings {
            action: None,
            identifier: None,
            record_size: None,
            callback: String::new(),
            job_rows: DEFAULT_JOB_ROWS,
        }
    }
}

impl UploadSettings {
    /// The job options, or what is wrong with them.
    pub fn options(&self) -> Result<JobOptions, Notice> {
        let callback_url = match self.callback.trim() {
            "" => None,
            text => match bulk_core::url::Url::parse(text) {
                Ok(u)
                    if matches!(u.scheme(), "http" | "https")
                        && u.username().is_empty()
                        && u.password().is_none() =>
                {
                    Some(u)
                }
                _ => {
                    return Err(Notice {
                        tone: Tone::Error,
                        title: "Check the callback URL".into(),
                        detail: Some(format!("\u{201c}{text}\u{201d} is not an http(s) address (and must not hold a user name or password).")),
                        hint: Some("Leave it empty unless a server of yours should be told when each job ends.".into()),
                    });
                }
            },
        };
        if matches!(self.action, Some(Action::Update | Action::Upsert)) && self.identifier.is_none()
        {
            return Err(Notice::new(
                Tone::Error,
                "Choose the identifier field: update and upsert find existing records by it.",
            ));
        }
        Ok(JobOptions {
            action: self.action,
            identifier_field: self
                .identifier
                .clone()
                .filter(|_| matches!(self.action, Some(Action::Update | Action::Upsert))),
            record_size: self.record_size,
            callback_url,
        })
    }
}
