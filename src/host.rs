//! The settings of the place the app runs in: the optional `config.json` beside
//! `index.html`, then the link's query string (see `bulk_core::host` for what each may say),
//! later the portal page's messages ([`crate::embed`]). Owns the theme and header choices
//! and the root's `data-theme`. Nothing is asked of any server but `config.json` until the
//! person connects, unless the config says the page is the sandbox's.

use bulk_core::host::{HostSettings, Theme};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The host's settings, shared through context.
#[derive(Clone, Copy)]
pub struct Host {
    /// The settings in force (config, then link, then messages).
    pub settings: RwSignal<HostSettings>,
    /// True once `config.json` was read (or found missing).
    pub loaded: RwSignal<bool>,
    /// What was wrong with the config or the link, for the operator.
    pub warnings: RwSignal<Vec<String>>,
    /// The base URL came from the link, not from this server's config: the form says so,
    /// since whoever wrote the link chose where the secrets go.
    pub base_from_link: RwSignal<Option<String>>,
}

impl Host {
    /// Starts reading the settings; applies the theme whenever it changes.
    pub fn start() -> Host {
        let host = Host {
            settings: RwSignal::new(HostSettings::default()),
            loaded: RwSignal::new(false),
            warnings: RwSignal::new(Vec::new()),
            base_from_link: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let theme = host.settings.with(|s| s.theme).unwrap_or(Theme::System);
            set_theme(theme);
        });
        leptos::task::spawn_local(async move {
            let (config, mut warnings) = read_config().await;
            let query = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .unwrap_or_default();
            let (link, more) = HostSettings::from_query(&query);
            warnings.extend(more);
            if config.base_url.is_none() {
                host.base_from_link.set(link.base_url.clone());
            }
            let (settings, more) = link.link_over(config);
            warnings.extend(more);
            for w in &warnings {
                leptos::logging::warn!("Bulk Uploader: {w}");
            }
            host.warnings.set(warnings);
            host.settings.set(settings);
            host.loaded.set(true);
        });
        host
    }

    /// The host from context.
    pub fn get() -> Option<Host> {
        use_context::<Host>()
    }

    /// Whether the app shows its own header.
    pub fn header(self) -> bool {
        self.settings.with(|s| s.header) != Some(false)
    }
}

/// `config.json` next to the page; a missing file is no config, a broken one a warning.
async fn read_config() -> (HostSettings, Vec<String>) {
    let Some(url) = resolve("config.json") else {
        return (HostSettings::default(), Vec::new());
    };
    let answer = gloo_net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await;
    let resp = match answer {
        Ok(r) if r.ok() => r,
        Ok(r) if r.status() == 404 => return (HostSettings::default(), Vec::new()),
        Ok(r) => {
            let w = format!(
                "config.json could not be read (HTTP {}); starting without it",
                r.status()
            );
            return (HostSettings::default(), vec![w]);
        }
        Err(_) => return (HostSettings::default(), Vec::new()),
    };
    let text = resp.text().await.unwrap_or_default();
    match HostSettings::from_config(&text) {
        Ok(read) => read,
        Err(e) => (
            HostSettings::default(),
            vec![format!("{e}; starting without it")],
        ),
    }
}

/// `path` resolved against the page's address (`/` → the page's origin).
pub fn resolve(path: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(web_sys::Url::new_with_base(path, &href).ok()?.href())
}

/// Sets `data-theme` on the app's root (none: the system decides).
fn set_theme(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bulk-uploader"))
    else {
        return;
    };
    let _ = match theme.attribute() {
        Some(t) => root.set_attribute("data-theme", t),
        None => root.remove_attribute("data-theme"),
    };
}

/// The app's root element.
pub fn root() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id("bulk-uploader")?
        .dyn_into()
        .ok()
}
