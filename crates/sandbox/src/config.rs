//! The sandbox's settings: where it listens, which credentials it accepts, how fast jobs
//! run, and what it serves besides the API. `main.rs` fills them from the command line;
//! tests build them in code.

use std::path::PathBuf;

/// Everything the sandbox can be told at start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Interface to listen on.
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// The accepted `User` secret.
    pub user_secret: String,
    /// The accepted `Organization` secret (optional in requests, checked when sent).
    pub organization_secret: String,
    /// The accepted `Element` token.
    pub element_token: String,
    /// True when the credentials are the printed demo ones, which `/sandbox/info` may hand
    /// to the app for pre-filling.
    pub demo_credentials: bool,
    /// Milliseconds between CREATED, STARTED and RUNNING.
    pub step_delay_ms: u64,
    /// Milliseconds spent on each record.
    pub row_delay_ms: u64,
    /// The key that signs callbacks; no signature header without one.
    pub signature_key: Option<String>,
    /// Send CORS headers.
    pub cors: bool,
    /// The built app to serve at `/`.
    pub app_dir: Option<PathBuf>,
    /// The connector instance id in responses.
    pub instance_id: i64,
    /// The hub name reported to the app.
    pub hub: String,
    /// Portal origins the served app may talk to by postMessage (its `config.json`).
    pub host_origins: Vec<String>,
}

/// The demo credentials printed at start.
pub const DEMO_USER: &str = "sandbox-user-secret";
/// The demo organization secret.
pub const DEMO_ORGANIZATION: &str = "sandbox-org-secret";
/// The demo element token.
pub const DEMO_ELEMENT: &str = "sandbox-element-token";

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 0,
            user_secret: DEMO_USER.into(),
            organization_secret: DEMO_ORGANIZATION.into(),
            element_token: DEMO_ELEMENT.into(),
            demo_credentials: true,
            step_delay_ms: 0,
            row_delay_ms: 0,
            signature_key: None,
            cors: true,
            app_dir: None,
            instance_id: 425904,
            hub: "finance".into(),
            host_origins: Vec::new(),
        }
    }
}
