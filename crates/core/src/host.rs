//! What the place the app runs in may tell it, and what the app tells that place. Three
//! sources of settings, in rising precedence: the optional `config.json` beside `index.html`
//! (the operator's), the link's query string (whoever wrote the link), and messages from the
//! portal page around the iframe (only from origins the operator allowed). Secrets are never
//! read from the config file or the URL, and only the config file may say whom the app
//! listens to: a link or a message cannot widen the allow-list. The events the app posts to
//! its host are built here too, so their shape is tested natively and written down once.

use crate::secret::Secret;
use serde_json::{Map, Value, json};

/// The light/dark choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system's `prefers-color-scheme`.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Reads `light`, `dark` or `system` (also `auto`).
    pub fn parse(text: &str) -> Option<Theme> {
        match text.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "system" | "auto" => Some(Theme::System),
            _ => None,
        }
    }

    /// The root's `data-theme` value; `None` lets the system decide.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// The non-secret settings a host may give. `None` means "not said here".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSettings {
    /// The tenant's base URL; may be relative to the page (`/`), resolved by the app.
    pub base_url: Option<String>,
    /// The hub (e.g. `finance`).
    pub hub: Option<String>,
    /// The object chosen once connected.
    pub object: Option<String>,
    /// Rows per bulk job.
    pub rows_per_job: Option<usize>,
    /// Light, dark or the system's.
    pub theme: Option<Theme>,
    /// Show the app's own header (a portal has its own).
    pub header: Option<bool>,
    /// The page is served by the sandbox: ask it for its demo credentials.
    pub sandbox: Option<bool>,
    /// Host page origins the app talks to by `postMessage` (config file only).
    pub allowed_origins: Vec<String>,
}

/// Secrets a host page sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostCredentials {
    /// The user secret.
    pub user: Secret,
    /// The organization secret.
    pub organization: Secret,
    /// The element token.
    pub element: Secret,
}

/// A message from the host page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMessage {
    /// Settings, perhaps credentials, and whether to connect with them now.
    Settings {
        /// The settings (never an allow-list).
        settings: HostSettings,
        /// Credentials to fill in.
        credentials: Option<HostCredentials>,
        /// Connect as soon as they are filled in.
        connect: bool,
    },
}

/// The prefix of every message type of this app, both ways, so its messages never mix with
/// other `postMessage` traffic in the same window.
pub const MESSAGE_PREFIX: &str = "bulk-uploader:";

/// Largest rows-per-job a host may ask for (the connector's own limit is the caller's
/// problem; this keeps a typo from building one job of a billion rows).
pub const MAX_ROWS_PER_JOB: usize = 1_000_000;

const SETTING_KEYS: &[&str] = &[
    "baseUrl",
    "hub",
    "object",
    "rowsPerJob",
    "theme",
    "header",
    "sandbox",
    "allowedOrigins",
];

/// A key that looks like it carries a secret, wherever it appears.
fn secret_like(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "secret",
        "token",
        "password",
        "credential",
        "authorization",
        "apikey",
    ]
    .iter()
    .any(|s| k.contains(s))
        || matches!(k.as_str(), "user" | "organization" | "element")
}

/// `scheme://host[:port]` of an `http(s)` origin, or `None` for anything else (a path, `*`,
/// `null`, another scheme).
pub fn normalize_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    let plain = url.username().is_empty() && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || !bare || !plain || url.host().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

impl HostSettings {
    /// Reads `config.json`'s text. Unknown and secret-looking keys are ignored with a
    /// warning each; a file that is not a JSON object is an error naming the problem.
    pub fn from_config(text: &str) -> Result<(HostSettings, Vec<String>), String> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| format!("config.json is not valid JSON (line {}): {e}", e.line()))?;
        let Value::Object(map) = value else {
            return Err(
                "config.json must hold one JSON object, like {\"hub\": \"finance\"}".into(),
            );
        };
        let mut warnings = Vec::new();
        let settings = read_map(&map, "config.json", true, &mut warnings);
        Ok((settings, warnings))
    }

    /// Reads a query string (`?base=…&hub=…&object=…&rowsPerJob=…&theme=…&header=0`).
    /// Parameters of other apps are ignored silently; secrets and the allow-list are
    /// refused with a warning.
    pub fn from_query(query: &str) -> (HostSettings, Vec<String>) {
        let mut s = HostSettings::default();
        let mut warnings = Vec::new();
        for (key, value) in url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let value = value.trim();
            match key.as_ref() {
                "base" | "baseUrl" => s.base_url = non_empty(value),
                "hub" => s.hub = non_empty(value),
                "object" => s.object = non_empty(value),
                "rowsPerJob" => match rows_per_job(value) {
                    Ok(n) => s.rows_per_job = Some(n),
                    Err(e) => warnings.push(format!("link: rowsPerJob {e}")),
                },
                "theme" => match Theme::parse(value) {
                    Some(t) => s.theme = Some(t),
                    None => warnings.push(format!(
                        "link: theme '{value}' ignored: use light, dark or system"
                    )),
                },
                "header" => match flag(value) {
                    Some(b) => s.header = Some(b),
                    None => warnings.push(format!("link: header '{value}' ignored: use 0 or 1")),
                },
                "allowedOrigins" | "sandbox" => warnings.push(format!(
                    "link: {key} ignored: only config.json may set it"
                )),
                k if secret_like(k) => warnings.push(format!(
                    "link: {k} ignored: secrets are never read from a link (it ends up in history and logs)"
                )),
                _ => {}
            }
        }
        (s, warnings)
    }

    /// A link's settings over the config file's. The link may not move the base URL the
    /// operator set (a link that did could send the secrets the person types anywhere); that
    /// is refused with a warning.
    pub fn link_over(self, config: HostSettings) -> (HostSettings, Vec<String>) {
        let mut link = self;
        let mut warnings = Vec::new();
        if let (Some(l), Some(c)) = (&link.base_url, &config.base_url) {
            if l != c {
                warnings.push(format!(
                    "link: base ignored: this server's config.json sets the base URL ({c})"
                ));
            }
            link.base_url = None;
        }
        (link.over(config), warnings)
    }

    /// These settings where said, `lower` elsewhere. The allow-list is only ever `lower`'s
    /// (the config file's).
    pub fn over(self, lower: HostSettings) -> HostSettings {
        HostSettings {
            base_url: self.base_url.or(lower.base_url),
            hub: self.hub.or(lower.hub),
            object: self.object.or(lower.object),
            rows_per_job: self.rows_per_job.or(lower.rows_per_job),
            theme: self.theme.or(lower.theme),
            header: self.header.or(lower.header),
            sandbox: self.sandbox.or(lower.sandbox),
            allowed_origins: lower.allowed_origins,
        }
    }

    /// True when `origin` may talk to the app.
    pub fn allows(&self, origin: &str) -> bool {
        normalize_origin(origin).is_some_and(|o| self.allowed_origins.contains(&o))
    }
}

/// A wrong value as a warning may show it: short scalars as they are, anything else by its
/// kind only, since a secret put under the wrong key must not be repeated on the page.
fn shown(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "a list".into(),
        Value::String(s) if s.chars().count() > 24 || secret_like(s) => "a long text".into(),
        v => v.to_string(),
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn rows_per_job(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_ROWS_PER_JOB).contains(&n) => Ok(n),
        _ => Err(format!(
            "'{text}' ignored: a whole number from 1 to {MAX_ROWS_PER_JOB}"
        )),
    }
}

/// Reads the settings of a JSON object; `where_` names the source in warnings, `trusted`
/// allows the keys only the operator may set.
fn read_map(
    map: &Map<String, Value>,
    where_: &str,
    trusted: bool,
    warnings: &mut Vec<String>,
) -> HostSettings {
    let mut s = HostSettings::default();
    for (key, value) in map {
        // null and "" say nothing, so a template can list every key.
        if value.is_null() || value.as_str().is_some_and(|t| t.trim().is_empty()) {
            continue;
        }
        let wrong = |want: &str| {
            format!(
                "{where_}: {key} ignored: expected {want}, found {}",
                shown(value)
            )
        };
        match key.as_str() {
            "baseUrl" | "hub" | "object" => {
                let Some(v) = value.as_str() else {
                    warnings.push(wrong("text"));
                    continue;
                };
                let v = non_empty(v.trim());
                match key.as_str() {
                    "baseUrl" => s.base_url = v,
                    "hub" => s.hub = v,
                    _ => s.object = v,
                }
            }
            "rowsPerJob" => match value.as_u64().map(|n| rows_per_job(&n.to_string())) {
                Some(Ok(n)) => s.rows_per_job = Some(n),
                _ => warnings.push(wrong(&format!("a whole number from 1 to {MAX_ROWS_PER_JOB}"))),
            },
            "theme" => match value.as_str().and_then(Theme::parse) {
                Some(t) => s.theme = Some(t),
                None => warnings.push(wrong("\"light\", \"dark\" or \"system\"")),
            },
            "header" | "sandbox" if !trusted && key == "sandbox" => {
                warnings.push(format!("{where_}: sandbox ignored: only config.json may set it"))
            }
            "header" | "sandbox" => match value.as_bool() {
                Some(b) if key == "header" => s.header = Some(b),
                Some(b) => s.sandbox = Some(b),
                None => warnings.push(wrong("true or false")),
            },
            "allowedOrigins" if trusted => {
                let list = value.as_array().map(|a| a.as_slice()).unwrap_or_default();
                if !value.is_array() {
                    warnings.push(wrong("a list of origins like [\"https://portal.example.com\"]"));
                }
                for item in list {
                    match item.as_str().and_then(normalize_origin) {
                        Some(o) if !s.allowed_origins.contains(&o) => s.allowed_origins.push(o),
                        Some(_) => {}
                        None => warnings.push(format!(
                            "{where_}: allowedOrigins: {item} ignored: an origin is scheme://host[:port], nothing else (no *, no path)"
                        )),
                    }
                }
            }
            "allowedOrigins" => warnings.push(format!(
                "{where_}: allowedOrigins ignored: only config.json may set it"
            )),
            k if secret_like(k) => warnings.push(format!(
                "{where_}: {k} ignored: secrets are never read from the config file; type them, or let the portal page send them"
            )),
            k if k.starts_with('_') || k == "$schema" => {} // comments
            k => warnings.push(format!(
                "{where_}: unknown setting {k} ignored (known: {})",
                SETTING_KEYS.join(", ")
            )),
        }
    }
    s
}

impl HostMessage {
    /// Reads a message's data. `Ok(None)` for messages that are not this app's (no
    /// `bulk-uploader:` type). Settings that are wrong are left out with a warning each
    /// (the rest apply); wrong credentials or `connect` refuse the whole message, since
    /// connecting with half of what the host meant is worse than not connecting.
    pub fn parse(data: &Value) -> Result<Option<(HostMessage, Vec<String>)>, String> {
        let Some(kind) = data
            .get("type")
            .and_then(Value::as_str)
            .and_then(|t| t.strip_prefix(MESSAGE_PREFIX))
        else {
            return Ok(None);
        };
        let Some(map) = data.as_object() else {
            return Ok(None);
        };
        match kind {
            "settings" => {
                let mut rest = map.clone();
                rest.remove("type");
                let credentials = rest.remove("credentials");
                let connect = rest.remove("connect");
                let mut warnings = Vec::new();
                let settings = read_map(&rest, "message", false, &mut warnings);
                let credentials = match credentials {
                    None | Some(Value::Null) => None,
                    Some(c) => Some(read_credentials(&c)?),
                };
                let connect = match connect {
                    None => false,
                    Some(Value::Bool(b)) => b,
                    Some(v) => {
                        return Err(format!(
                            "message: connect must be true or false, found {}",
                            shown(&v)
                        ));
                    }
                };
                Ok(Some((
                    HostMessage::Settings {
                        settings,
                        credentials,
                        connect,
                    },
                    warnings,
                )))
            }
            other => Err(format!(
                "message: unknown type {MESSAGE_PREFIX}{other} (known: {MESSAGE_PREFIX}settings)"
            )),
        }
    }
}

fn read_credentials(value: &Value) -> Result<HostCredentials, String> {
    let part = |k: &str| {
        value
            .get(k)
            .and_then(Value::as_str)
            .map(|s| Secret::new(s.to_string()))
            .ok_or_else(|| {
                format!(
                    "message: credentials.{k} missing (user, organization and element are needed)"
                )
            })
    };
    Ok(HostCredentials {
        user: part("user")?,
        organization: part("organization")?,
        element: part("element")?,
    })
}

/// What the app tells its host page, in the order things happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// The app has started and listens.
    Ready,
    /// Connected: the tenant's origin, the hub, how many objects.
    Connected {
        /// The tenant's origin (never a secret).
        origin: String,
        /// The hub, if any.
        hub: Option<String>,
        /// Objects available.
        objects: usize,
    },
    /// A file was read and checked.
    FileRead {
        /// Its name.
        file: String,
        /// Data rows.
        rows: usize,
        /// Rows with a problem that keeps them from being sent.
        problems: usize,
    },
    /// A job was created.
    JobSubmitted {
        /// Its id.
        job: String,
        /// The object.
        object: String,
        /// Rows in it.
        rows: usize,
    },
    /// A job ended and its failures were read.
    JobFinished {
        /// Its id.
        job: String,
        /// The final state.
        state: String,
        /// Rows written.
        written: usize,
        /// Rows refused.
        failed: usize,
        /// Rows not processed.
        not_processed: usize,
    },
    /// Every job of the file has ended.
    AllFinished {
        /// The file's totals.
        totals: crate::outcome::Totals,
    },
    /// Something went wrong that the person sees as an error.
    Error {
        /// What happened, as the page says it.
        message: String,
    },
    /// The app's content height changed (CSS pixels), for sizing the iframe.
    Resize {
        /// The height.
        height: u32,
    },
}

impl HostEvent {
    /// The message posted to the host: `{"type": "bulk-uploader:…", …}`.
    pub fn to_json(&self) -> Value {
        let (kind, mut body) = match self {
            HostEvent::Ready => ("ready", json!({ "version": env!("CARGO_PKG_VERSION") })),
            HostEvent::Connected {
                origin,
                hub,
                objects,
            } => (
                "connected",
                json!({ "origin": origin, "hub": hub, "objects": objects }),
            ),
            HostEvent::FileRead {
                file,
                rows,
                problems,
            } => (
                "file-read",
                json!({ "file": file, "rows": rows, "problems": problems }),
            ),
            HostEvent::JobSubmitted { job, object, rows } => (
                "job-submitted",
                json!({ "job": job, "object": object, "rows": rows }),
            ),
            HostEvent::JobFinished {
                job,
                state,
                written,
                failed,
                not_processed,
            } => (
                "job-finished",
                json!({ "job": job, "state": state, "written": written, "failed": failed,
                        "notProcessed": not_processed }),
            ),
            HostEvent::AllFinished { totals: t } => (
                "all-finished",
                json!({ "rows": t.rows(), "created": t.created, "updated": t.updated,
                        "upserted": t.upserted, "failed": t.failed, "unidentified": t.unidentified,
                        "notProcessed": t.not_processed, "possiblySent": t.possibly_sent }),
            ),
            HostEvent::Error { message } => ("error", json!({ "message": message })),
            HostEvent::Resize { height } => ("resize", json!({ "height": height })),
        };
        if let Value::Object(m) = &mut body {
            m.insert(
                "type".into(),
                Value::String(format!("{MESSAGE_PREFIX}{kind}")),
            );
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_reads_every_setting_and_warns_about_the_rest() {
        let (s, w) = HostSettings::from_config(
            r#"{"baseUrl": "/", "hub": "finance", "object": "contacts", "rowsPerJob": 500,
                "theme": "dark", "header": false, "sandbox": true,
                "allowedOrigins": ["https://portal.example.com/", "https://portal.example.com", "*", "https://x.example/path"],
                "userSecret": "s3cret", "colour": "blue", "_comment": "fine"}"#,
        )
        .unwrap();
        assert_eq!(s.base_url.as_deref(), Some("/"));
        assert_eq!(s.hub.as_deref(), Some("finance"));
        assert_eq!(s.object.as_deref(), Some("contacts"));
        assert_eq!(s.rows_per_job, Some(500));
        assert_eq!(s.theme, Some(Theme::Dark));
        assert_eq!((s.header, s.sandbox), (Some(false), Some(true)));
        assert_eq!(s.allowed_origins, vec!["https://portal.example.com"]);
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(
            w.iter()
                .any(|m| m.contains("userSecret ignored: secrets are never read"))
        );
        assert!(w.iter().any(|m| m.contains("unknown setting colour")));
        assert!(w.iter().any(|m| m.contains("\"*\" ignored")));
        assert!(
            !w.iter().any(|m| m.contains("s3cret")),
            "a warning repeats a secret: {w:?}"
        );
    }

    #[test]
    fn a_bad_config_says_what_is_wrong() {
        assert!(
            HostSettings::from_config("{\"hub\": ")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            HostSettings::from_config("[1]")
                .unwrap_err()
                .contains("one JSON object")
        );
        let (s, w) =
            HostSettings::from_config(r#"{"rowsPerJob": 0, "theme": "pink", "header": "no"}"#)
                .unwrap();
        assert_eq!(s, HostSettings::default());
        assert_eq!(w.len(), 3, "{w:?}");
        let (s, w) =
            HostSettings::from_config(r#"{"baseUrl": "", "hub": null, "allowedOrigins": []}"#)
                .unwrap();
        assert_eq!((s, w.len()), (HostSettings::default(), 0));
    }

    #[test]
    fn a_link_sets_what_it_may_and_never_secrets_or_the_allow_list() {
        let (s, w) = HostSettings::from_query(
            "?base=https%3A%2F%2Ftenant.example.com&hub=crm&object=leads&rowsPerJob=250&theme=light&header=0\
             &allowedOrigins=https://evil.example&sandbox=1&elementToken=abc&utm_source=mail",
        );
        assert_eq!(s.base_url.as_deref(), Some("https://tenant.example.com"));
        assert_eq!(
            (s.hub.as_deref(), s.object.as_deref()),
            (Some("crm"), Some("leads"))
        );
        assert_eq!(
            (s.rows_per_job, s.theme, s.header),
            (Some(250), Some(Theme::Light), Some(false))
        );
        assert!(s.allowed_origins.is_empty() && s.sandbox.is_none());
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(!w.iter().any(|m| m.contains("abc")));
    }

    #[test]
    fn the_link_wins_over_the_config_but_never_for_the_allow_list() {
        let (config, _) = HostSettings::from_config(
            r#"{"hub": "finance", "theme": "dark", "allowedOrigins": ["https://portal.example.com"]}"#,
        )
        .unwrap();
        let (link, _) = HostSettings::from_query("hub=crm");
        let s = link.over(config);
        assert_eq!(s.hub.as_deref(), Some("crm"));
        assert_eq!(s.theme, Some(Theme::Dark));
        assert!(s.allows("https://portal.example.com"));
        assert!(!s.allows("https://portal.example.com.evil.example"));
        assert!(!s.allows("http://portal.example.com"));
        assert!(!s.allows("null"));
    }

    #[test]
    fn a_link_cannot_move_the_base_url_the_config_sets_nor_repeat_a_misplaced_secret() {
        let (config, _) =
            HostSettings::from_config(r#"{"baseUrl": "https://tenant.example.com"}"#).unwrap();
        let (link, _) = HostSettings::from_query("base=https://evil.example&hub=crm");
        let (s, w) = link.link_over(config);
        assert_eq!(s.base_url.as_deref(), Some("https://tenant.example.com"));
        assert_eq!(s.hub.as_deref(), Some("crm"));
        assert_eq!(w.len(), 1, "{w:?}");
        let (link, _) = HostSettings::from_query("base=https://tenant.example.com");
        let (s, w) = link.link_over(HostSettings::default());
        assert_eq!(
            (s.base_url.as_deref(), w.len()),
            (Some("https://tenant.example.com"), 0)
        );
        let (_, w) = HostSettings::from_config(
            r#"{"hub": {"userSecret": "LEAKME"}, "object": "aVeryLongValueThatMightBeAToken123"}"#,
        )
        .unwrap();
        assert!(
            w.iter()
                .all(|m| !m.contains("LEAKME") && !m.contains("aVeryLong")),
            "{w:?}"
        );
    }

    #[test]
    fn origins_are_normalized_strictly() {
        assert_eq!(
            normalize_origin("HTTPS://Portal.Example.com:443/").as_deref(),
            Some("https://portal.example.com")
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        for bad in [
            "*",
            "null",
            "",
            "file:///x",
            "https://a.example/p",
            "https://u:p@a.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn messages_carry_settings_and_credentials_but_not_the_allow_list() {
        let m = HostMessage::parse(&json!({
            "type": "bulk-uploader:settings", "baseUrl": "https://t.example", "hub": "finance",
            "theme": "dark", "credentials": {"user": "u", "organization": "o", "element": "e"}, "connect": true
        }))
        .unwrap()
        .unwrap();
        let (
            HostMessage::Settings {
                settings,
                credentials,
                connect,
            },
            warnings,
        ) = m;
        assert!(warnings.is_empty());
        assert_eq!(settings.base_url.as_deref(), Some("https://t.example"));
        assert_eq!(credentials.unwrap().element.expose(), "e");
        assert!(connect);
        // A wrong setting is left out, the rest applies.
        let widen = json!({"type": "bulk-uploader:settings", "allowedOrigins": ["https://evil.example"],
                           "hub": "crm", "theme": "pink", "connect": true});
        let (
            HostMessage::Settings {
                settings, connect, ..
            },
            warnings,
        ) = HostMessage::parse(&widen).unwrap().unwrap();
        assert_eq!(
            (
                settings.hub.as_deref(),
                settings.allowed_origins.len(),
                connect
            ),
            (Some("crm"), 0, true)
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("only config.json")));
        let nested = json!({"type": "bulk-uploader:settings", "hub": {"element": "E-SECRET"},
                            "connect": "SECRET-IN-CONNECT-VALUE"});
        let refused = HostMessage::parse(&nested).unwrap_err();
        assert!(!refused.contains("SECRET"), "{refused}");
        let partial = json!({"type": "bulk-uploader:settings", "credentials": {"user": "u"}});
        assert!(
            HostMessage::parse(&partial)
                .unwrap_err()
                .contains("credentials.organization missing")
        );
        assert_eq!(
            HostMessage::parse(&json!({"type": "other-app:hello"})).unwrap(),
            None
        );
        assert_eq!(HostMessage::parse(&json!("text")).unwrap(), None);
        assert!(HostMessage::parse(&json!({"type": "bulk-uploader:dance"})).is_err());
    }

    #[test]
    fn events_have_the_documented_shape() {
        let e = HostEvent::JobFinished {
            job: "42".into(),
            state: "COMPLETED".into(),
            written: 28,
            failed: 2,
            not_processed: 0,
        }
        .to_json();
        assert_eq!(
            e,
            json!({"type": "bulk-uploader:job-finished", "job": "42", "state": "COMPLETED",
                   "written": 28, "failed": 2, "notProcessed": 0})
        );
        assert_eq!(
            HostEvent::Resize { height: 900 }.to_json()["type"],
            "bulk-uploader:resize"
        );
        assert_eq!(HostEvent::Ready.to_json()["type"], "bulk-uploader:ready");
    }
}
