//! Every sentence the app shows about something that went wrong (or right) is written here
//! and nowhere else: errors from the API, the base URL, the credentials, and files become a
//! [`Notice`] with a title, the detail, and what to do. Raw server bodies never reach the
//! screen; they go to the browser console.

use bulk_core::connection::{BaseUrlError, CredentialsError};
use bulk_core::ingest::IngestError;
use bulk_core::{ApiBase, ApiError};

/// How a notice looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Something failed.
    Error,
    /// Something needs attention.
    Warning,
    /// Neutral news.
    Info,
    /// Something worked.
    Success,
}

impl Tone {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Error => "notice notice-error",
            Tone::Warning => "notice notice-warning",
            Tone::Info => "notice notice-info",
            Tone::Success => "notice notice-success",
        }
    }
}

/// A message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// How it looks.
    pub tone: Tone,
    /// One line: what happened.
    pub title: String,
    /// More about it.
    pub detail: Option<String>,
    /// What to do.
    pub hint: Option<String>,
}

impl Notice {
    /// A notice with only a title.
    pub fn new(tone: Tone, title: impl Into<String>) -> Notice {
        Notice {
            tone,
            title: title.into(),
            detail: None,
            hint: None,
        }
    }

    fn with(mut self, detail: Option<String>, hint: Option<&str>) -> Notice {
        self.detail = detail;
        self.hint = hint.map(str::to_string);
        self
    }

    /// An API failure while `doing` something ("listing the objects").
    pub fn api(err: &ApiError, doing: &str, base: Option<&ApiBase>) -> Notice {
        let server = base
            .map(ApiBase::origin)
            .unwrap_or_else(|| "the server".into());
        let said = |m: &Option<String>| {
            m.as_ref()
                .map(|m| format!("The connector said: \u{201c}{m}\u{201d}"))
        };
        match err {
            ApiError::Network { detail } => {
                leptos::logging::warn!("network failure while {doing}: {detail}");
                let hint = if crate::browser::served_by_sandbox() {
                    "Check that the sandbox is still running (./run.sh starts it again)."
                } else {
                    "Check the base URL, your network, and that the tenant is up; then try again."
                };
                Notice::new(Tone::Error, "The server could not be reached").with(
                    Some(format!("Nothing answered at {server} while {doing}.")),
                    Some(hint),
                )
            }
            ApiError::Cors { detail } => {
                leptos::logging::warn!("CORS refusal while {doing}: {detail}");
                Notice::new(Tone::Error, "The tenant answered, but does not allow this page (CORS)").with(
                    Some(format!("{server} is reachable, but the browser withheld its answer while {doing}: the tenant does not allow requests from {}.", crate::browser::page_origin().unwrap_or_else(|| "this page".into()))),
                    Some("Serve this app and a proxy to the tenant on one origin (see “Hosting and embedding” in the README), or ask the tenant's administrators to allow this origin."),
                )
            }
            ApiError::Unauthorized { message } => {
                Notice::new(Tone::Error, "The connector rejected these credentials (401)").with(
                    said(message),
                    Some("Check the User secret, the Organization secret and the Element token; copy them again from the Open Connectors console."),
                )
            }
            ApiError::Forbidden { message } => Notice::new(Tone::Error, format!("The connector refused {doing} (403)"))
                .with(said(message), Some("These credentials may not have access to this connector instance.")),
            ApiError::NotFound { message } => Notice::new(Tone::Error, format!("Not found while {doing} (404)"))
                .with(said(message), Some("Check the base URL and the hub; the object or job may not exist on this instance.")),
            ApiError::RateLimited { retry_after_secs, message } => {
                Notice::new(Tone::Warning, format!("The connector is busy (429) while {doing}")).with(
                    said(message),
                    Some(&match err.retry_after_secs() {
                        Some(s) if retry_after_secs.is_some_and(|asked| asked > s) => format!(
                            "It asked to wait {} s; the app waits {s} s at most, then retries by itself.",
                            retry_after_secs.unwrap_or(s)
                        ),
                        Some(s) => format!("It asked to wait {s} s; the app retries by itself."),
                        None => "The app retries by itself after a pause.".into(),
                    }),
                )
            }
            ApiError::Rejected { status, message } => {
                Notice::new(Tone::Error, format!("The connector refused {doing} ({status})"))
                    .with(said(message), None)
            }
            ApiError::Server { status, message, .. } => {
                Notice::new(Tone::Error, format!("The connector failed while {doing} ({status})"))
                    .with(said(message), Some("This is a problem on the server side; try again in a moment."))
            }
            ApiError::Malformed { status, detail } => {
                leptos::logging::warn!("unexpected response ({status}) while {doing}: {detail}");
                Notice::new(Tone::Error, format!("The server gave an answer this app cannot read while {doing}"))
                    .with(Some(format!("HTTP {status}: {detail}.")), Some("Check that the base URL points at an Open Connectors API (…/elements/api-v2)."))
            }
        }
    }

    /// A base URL that cannot be used.
    pub fn base_url(err: &BaseUrlError) -> Notice {
        Notice::new(Tone::Error, "Check the base URL").with(
            Some(capitalise(&err.to_string())),
            Some("Use the tenant's address, e.g. https://api.openconnectors.us2.ext.hana.ondemand.com"),
        )
    }

    /// Credentials with a part missing.
    pub fn credentials(err: &CredentialsError) -> Notice {
        Notice::new(Tone::Error, capitalise(&err.to_string())).with(
            None,
            Some("Every call needs at least the User secret and the Element token."),
        )
    }

    /// A file that could not be read as a table.
    pub fn file(file_name: &str, err: &IngestError) -> Notice {
        Notice::new(Tone::Error, format!("{file_name} cannot be used"))
            .with(Some(capitalise(&err.to_string())), None)
    }

    /// A file the browser could not read at all.
    pub fn unreadable(file_name: &str, reason: &str) -> Notice {
        Notice::new(Tone::Error, format!("{file_name} could not be read")).with(
            Some(capitalise(reason)),
            Some("Check the file is not open elsewhere or too large, then choose it again."),
        )
    }

    /// The workbook reader (a module of its own, fetched for the first workbook) could not
    /// be downloaded: the file itself may be fine.
    pub fn reader_missing(file_name: &str, reason: &str) -> Notice {
        Notice::module_missing(
            format!("{file_name} could not be opened: the workbook reader did not download"),
            reason,
            "the workbook reader's files (workbook-reader-….js",
            "choose the file again",
        )
    }

    /// A file in an older encoding (Windows-1252, Shift_JIS, ...), or read in one the
    /// person `chosen`, whose decoders' module could not be downloaded.
    pub fn decoder_missing(file_name: &str, reason: &str, chosen: Option<&str>) -> Notice {
        let title = match chosen {
            Some(encoding) => format!(
                "{file_name} could not be read as {encoding}: the decoder for it did not download"
            ),
            None => format!(
                "{file_name} could not be read: it is in an older encoding (not UTF-8), and the decoder for it did not download"
            ),
        };
        Notice::module_missing(
            title,
            reason,
            "the older encodings' files (legacy-encodings-….js",
            if chosen.is_some() {
                "choose the encoding again"
            } else {
                "choose the file again"
            },
        )
    }

    /// A module the app loads when a file needs it did not download; `files` names its
    /// files up to their wasm.
    /// `again` says what to do once the connection is back.
    fn module_missing(title: String, reason: &str, files: &str, again: &str) -> Notice {
        Notice::new(Tone::Error, title).with(
            Some(capitalise(reason)),
            Some(&format!("Check the network connection, then {again}. If it keeps failing, the site may lack {files} and its .wasm) beside index.html, or hold those of another release.")),
        )
    }
}

/// Upper-cases the first letter: core errors are lowercase to fit inside sentences.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
