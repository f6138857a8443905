//! The app's own header, drawn by the first screen and by the app alike. `index.html`
//! paints it with its first bytes (the first screen's largest paint): the app keeps that one,
//! draws one only on a portal page that made the root without it, and takes it away when the
//! host asks for no header. Only a header of the app's root counts: a portal's own header is
//! none of the app's business.

use crate::host::Host;
use leptos::prelude::*;

/// The header the page painted, if it is still there.
fn page_header() -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .query_selector("#bulk-uploader > #bulk-uploader-header")
        .ok()
        .flatten()
}

/// The header, as the host wants it.
#[component]
pub fn AppHeader(
    /// The host's settings.
    host: Host,
) -> impl IntoView {
    Effect::new(move || {
        if let Some(h) = page_header().filter(|_| host.loaded.get() && !host.header()) {
            h.remove();
        }
    });
    view! {
        // Not before the settings are known: a header hidden by the link stays hidden.
        <Show when=move || host.loaded.get() && host.header() && page_header().is_none()>
            <header class="app-header">
                <h1>"Bulk Uploader"</h1>
                <p class="tagline">"Spreadsheet rows into your SaaS system, through an SAP Open Connectors bulk job: checked first, followed to the end."</p>
            </header>
        </Show>
    }
}
