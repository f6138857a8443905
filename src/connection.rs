//! Connecting to a tenant: checks the typed base URL and secrets with `bulk-core`, lists the
//! instance's objects with `GET /objects`, and works out what the form starts with (the
//! host's settings; the sandbox's demo credentials when the config says the page is the
//! sandbox's). Secrets stay in memory unless the person ticks "Remember on this device";
//! then [`remember`] keeps them in this origin's local storage until [`forget`].

use crate::notice::Notice;
use crate::storage;
use crate::transport;
use bulk_core::host::HostSettings;
use bulk_core::{ApiBase, Credentials, Secret, api};

/// A working connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connected {
    /// Where the API is.
    pub base: ApiBase,
    /// Who is calling.
    pub creds: Credentials,
    /// The instance's objects.
    pub objects: Vec<String>,
}

/// What the connection form starts with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefill {
    /// Base URL.
    pub base: String,
    /// Hub.
    pub hub: String,
    /// User secret.
    pub user: String,
    /// Organization secret.
    pub organization: String,
    /// Element token.
    pub element: String,
    /// True when the values came from a sandbox.
    pub sandbox: bool,
    /// True when the values were remembered on this device.
    pub remembered: bool,
}

/// Where remembered connection details live (only when the person opted in).
pub const REMEMBER_KEY: &str = "bulk-uploader.connection";

/// What the form starts with: the host's settings (config file, link), the connection
/// remembered on this device if the person opted in, and, only when the config says the
/// page is the sandbox's, the sandbox's printed demo credentials. Nothing else is asked.
pub async fn prefill(settings: &HostSettings) -> Prefill {
    let mut p = Prefill {
        base: settings
            .base_url
            .as_deref()
            .and_then(crate::host::resolve)
            .map(|b| b.strip_suffix('/').map(str::to_string).unwrap_or(b))
            .unwrap_or_default(),
        hub: settings.hub.clone().unwrap_or_default(),
        ..Prefill::default()
    };
    if let Some(r) = remembered() {
        return Prefill {
            remembered: true,
            ..r
        };
    }
    let demo = match settings.sandbox {
        Some(true) => sandbox_info().await,
        _ => None,
    };
    // The badge says the demo credentials are filled in: only when there are some.
    if let Some(demo) = demo.filter(|d| !d.user.is_empty() && !d.element.is_empty()) {
        crate::browser::mark_served_by_sandbox();
        p.user = demo.user;
        p.organization = demo.organization;
        p.element = demo.element;
        if p.hub.is_empty() {
            p.hub = demo.hub;
        }
        p.sandbox = true;
    }
    p
}

/// The sandbox's demo credentials (and hub), from the page's own origin.
async fn sandbox_info() -> Option<Prefill> {
    let url = crate::host::resolve("/sandbox/info")?;
    let resp = gloo_net::http::Request::get(&url).send().await.ok()?;
    if !resp.ok() {
        return None;
    }
    let info: serde_json::Value = serde_json::from_slice(&resp.binary().await.ok()?).ok()?;
    if info.get("sandbox").and_then(|v| v.as_bool()) != Some(true) {
        return None;
    }
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
    };
    let demo = info.get("demoCredentials").cloned().unwrap_or_default();
    Some(Prefill {
        hub: text(&info, "hub"),
        user: text(&demo, "user"),
        organization: text(&demo, "organization"),
        element: text(&demo, "element"),
        ..Prefill::default()
    })
}

/// The connection this device remembers, if the person asked it to.
fn remembered() -> Option<Prefill> {
    let v: serde_json::Value = serde_json::from_str(&storage::get(REMEMBER_KEY)?).ok()?;
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    Some(Prefill {
        base: text("base"),
        hub: text("hub"),
        user: text("user"),
        organization: text("organization"),
        element: text("element"),
        ..Prefill::default()
    })
}

/// Keeps the connection on this device (the person opted in); false when storage refused.
pub fn remember(p: &Prefill) -> bool {
    let v = serde_json::json!({
        "base": p.base, "hub": p.hub, "user": p.user,
        "organization": p.organization, "element": p.element,
    });
    storage::set(REMEMBER_KEY, &v.to_string())
}

/// Forgets the remembered connection.
pub fn forget() {
    storage::remove(REMEMBER_KEY);
}

/// Checks the inputs and lists the objects.
pub async fn connect(base: &str, hub: &str, creds: Credentials) -> Result<Connected, Notice> {
    let base = ApiBase::parse(base, Some(hub)).map_err(|e| Notice::base_url(&e))?;
    creds.check().map_err(|e| Notice::credentials(&e))?;
    let objects = transport::call(&api::list_objects(&base, &creds), api::parse_objects)
        .await
        .map_err(|e| Notice::api(&e, "listing the objects", Some(&base)))?;
    Ok(Connected {
        base,
        creds,
        objects,
    })
}

/// Credentials from the form's text.
pub fn credentials(user: String, organization: String, element: String) -> Credentials {
    Credentials {
        user: Secret::new(user),
        organization: Secret::new(organization),
        element: Secret::new(element),
    }
}
