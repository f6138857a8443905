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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_send_the_connectors_default_action_in_jobs_of_the_default_size() {
        let s = UploadSettings::default();
        assert_eq!(s.job_rows, DEFAULT_JOB_ROWS);
        let o = s
            .options()
            .ok()
            .unwrap_or_else(|| panic!("defaults are valid"));
        assert_eq!(o.action, None);
        assert!(o.callback_url.is_none() && o.identifier_field.is_none());
    }

    #[test]
    fn a_callback_url_must_be_http_without_credentials() {
        let with = |callback: &str| UploadSettings {
            callback: callback.into(),
            ..UploadSettings::default()
        };
        assert!(with("  https://hooks.example/jobs ").options().is_ok());
        for bad in [
            "ftp://x.example",
            "https://user:pw@x.example/",
            "not a url",
            "javascript:alert(1)",
        ] {
            let n = with(bad)
                .options()
                .err()
                .unwrap_or_else(|| panic!("{bad} accepted"));
            assert_eq!(n.title, "Check the callback URL", "{bad}");
            // The sentence quotes what was typed, and says what to do.
            assert!(n.detail.unwrap_or_default().contains(bad.trim()), "{bad}");
        }
    }

    #[test]
    fn update_and_upsert_need_the_identifier_which_create_does_not_send() {
        let mut s = UploadSettings {
            action: Some(Action::Upsert),
            ..UploadSettings::default()
        };
        assert!(s.options().is_err(), "upsert without an identifier");
        s.identifier = Some("email".into());
        assert_eq!(
            s.options().ok().and_then(|o| o.identifier_field),
            Some("email".into())
        );
        s.action = Some(Action::Create);
        assert_eq!(s.options().ok().and_then(|o| o.identifier_field), None);
    }
}
