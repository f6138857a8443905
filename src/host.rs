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
    /// What the server said about `config.json`, once it said it (handed to the app by the
    /// first screen, so the app neither asks again nor starts without its settings).
    pub config: StoredValue<Option<ConfigAnswer>>,
}

/// What the page's server said about `config.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigAnswer {
    /// No such file (or no answer at all): no config.
    Missing,
    /// Another HTTP status.
    Refused(u16),
    /// The file's text.
    Text(String),
}

impl Host {
    /// Starts reading the settings; applies the theme whenever it changes.
    pub fn start() -> Host {
        Host::start_with(None)
    }

    /// The same, with `config.json`'s answer already known (the first screen read it).
    pub fn start_with(known: Option<ConfigAnswer>) -> Host {
        let host = Host {
            settings: RwSignal::new(HostSettings::default()),
            loaded: RwSignal::new(false),
            warnings: RwSignal::new(Vec::new()),
            base_from_link: RwSignal::new(None),
            config: StoredValue::new(None),
        };
        // Not before the settings are known: a theme the first screen applied stays.
        Effect::new(move |_| {
            if host.loaded.get() {
                set_theme(host.settings.with(|s| s.theme).unwrap_or(Theme::System));
            }
        });
        match known {
            Some(answer) => host.apply(answer, false),
            None => leptos::task::spawn_local(async move { host.apply(read_config().await, true) }),
        }
        host
    }

    /// Takes `config.json`'s answer and the link's settings; `log` says the warnings in the
    /// console too (once per page: the first screen did, when it hands over).
    fn apply(self, answer: ConfigAnswer, log: bool) {
        let (config, mut warnings) = interpret(&answer);
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let (link, more) = HostSettings::from_query(&query);
        warnings.extend(more);
        if config.base_url.is_none() {
            self.base_from_link.set(link.base_url.clone());
        }
        let (settings, more) = link.link_over(config);
        warnings.extend(more);
        if log {
            for w in &warnings {
                leptos::logging::warn!("Bulk Uploader: {w}");
            }
        }
        self.config.set_value(Some(answer));
        self.warnings.set(warnings);
        self.settings.set(settings);
        self.loaded.set(true);
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

/// `config.json` next to the page, as the server answered.
async fn read_config() -> ConfigAnswer {
    let Some(url) = resolve("config.json") else {
        return ConfigAnswer::Missing;
    };
    let answer = gloo_net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await;
    match answer {
        Ok(r) if r.ok() => ConfigAnswer::Text(r.text().await.unwrap_or_default()),
        Ok(r) if r.status() == 404 => ConfigAnswer::Missing,
        Ok(r) => ConfigAnswer::Refused(r.status()),
        Err(_) => ConfigAnswer::Missing,
    }
}

/// The settings in `config.json`'s answer: a missing file is no config, a broken one a
/// warning.
fn interpret(answer: &ConfigAnswer) -> (HostSettings, Vec<String>) {
    match answer {
        ConfigAnswer::Missing => (HostSettings::default(), Vec::new()),
        ConfigAnswer::Refused(status) => (
            HostSettings::default(),
            vec![format!(
                "config.json could not be read (HTTP {status}); starting without it"
            )],
        ),
        ConfigAnswer::Text(text) => match HostSettings::from_config(text) {
            Ok(read) => read,
            Err(e) => (
                HostSettings::default(),
                vec![format!("{e}; starting without it")],
            ),
        },
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
