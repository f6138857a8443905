//! Bulk Uploader, the web app: a Leptos single-page app that reads a spreadsheet in the
//! browser, checks every row against the connector object's live metadata, submits the
//! valid rows as Open Connectors bulk jobs and follows them to the end. Decisions live in
//! `bulk-core`; this crate is the screen, the browser glue (fetch, files, timers) and the
//! wording for people ([`notice`]).

pub mod browser;
pub mod components;
pub mod connection;
pub mod flow;
pub mod grid;
pub mod jobs;
pub mod loading;
pub mod model;
pub mod notice;
pub mod pages;
pub mod shared;
pub mod storage;
pub mod transport;
pub mod uploading;

use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! { <pages::uploader::Uploader /> }
}

/// Mounts the app on `<body>`, in place of the light "loading…" shell `index.html` shows
/// while the wasm downloads; panics print to the console instead of a bare trap.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// bulk-core's verdict on one e-mail value, exactly as the validator gives it, exported so
/// that the browser test can hold it against Chromium's own `<input type=email>` (Trunk puts
/// the exports on `window.wasmBindings`). The platform is the judge; this is the witness.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = bulkCheckEmail)]
pub fn check_email(value: &str) -> bool {
    let field = bulk_core::metadata::Field::new("email", bulk_core::metadata::FieldType::String);
    bulk_core::validate::accepts(&field, value)
}

/// The text an e-mail value is checked as and sent as, for the same test to compare with
/// the browser's sanitized `.value`.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = bulkEmailSent)]
pub fn email_sent(value: &str) -> String {
    bulk_core::validate::checked_text(
        &bulk_core::metadata::FieldType::String,
        bulk_core::metadata::TextKind::Email,
        value,
    )
    .into_owned()
}
