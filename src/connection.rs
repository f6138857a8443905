//! Connecting to a tenant: checks the typed base URL and secrets with `bulk-core`, lists the
//! instance's objects with `GET /objects`, and, when the page is served by the sandbox,
//! fetches the sandbox's printed demo credentials to pre-fill the form. Secrets stay in
//! memory; nothing here writes them anywhere.

use crate::notice::Notice;
use crate::transport;
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
}

/// The sandbox's address when the page is not served by it.
pub const DEFAULT_SANDBOX: &str = "http://127.0.0.1:8787";

/// Asks the page's own origin whether it is a sandbox, and for its demo credentials.
pub async fn prefill() -> Prefill {
    let Some(origin) = crate::browser::page_origin() else {
        return Prefill {
            base: DEFAULT_SANDBOX.into(),
            hub: "finance".into(),
            ..Prefill::default()
        };
    };
    let fallback = Prefill {
        base: origin.clone(),
        hub: String::new(),
        ..Prefill::default()
    };
    let Ok(resp) = gloo_net::http::Request::get(&format!("{origin}/sandbox/info"))
        .send()
        .await
    else {
        return fallback;
    };
    if !resp.ok() {
        return fallback;
    }
    let Ok(body) = resp.binary().await else {
        return fallback;
    };
    let Ok(info) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return fallback;
    };
    if info.get("sandbox").and_then(|v| v.as_bool()) != Some(true) {
        return fallback;
    }
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
    };
    crate::browser::mark_served_by_sandbox();
    let demo = info.get("demoCredentials").cloned().unwrap_or_default();
    Prefill {
        base: origin,
        hub: text(&info, "hub"),
        user: text(&demo, "user"),
        organization: text(&demo, "organization"),
        element: text(&demo, "element"),
        sandbox: true,
    }
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
