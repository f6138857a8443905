//! Bulk Uploader, the web app: a Leptos single-page app that reads a spreadsheet in the
//! browser, checks every row against the connector object's live metadata, submits the
//! valid rows as Open Connectors bulk jobs and follows them to the end. Decisions live in
//! `bulk-core`; this crate is the screen, the browser glue (fetch, files, timers) and the
//! wording for people ([`notice`]).

pub mod asking;
pub mod browser;
pub mod bytes_as_text;
pub mod check_as_read;
pub mod checked;
pub mod components;
pub mod connecting;
pub mod connection;
pub mod connector;
pub mod earlier_uploads;
pub mod editing;
pub mod embed;
pub mod embed_events;
pub mod file_blocks;
pub mod file_facts;
pub mod first_screen;
pub mod flow;
pub mod following;
pub mod grid;
pub mod grid_window;
pub mod handover;
pub mod host;
pub mod jobs;
pub mod keeper;
pub mod keeper_link;
pub mod keeper_work;
pub mod legacy_encodings;
pub mod loading;
pub mod model;
pub mod notice;
pub mod pages;
pub mod reading;
pub mod results;
pub mod rows;
pub mod shared;
pub mod shown_rows;
pub mod steps;
pub mod storage;
pub mod submitting;
pub mod transport;
pub mod upload_settings;
pub mod uploading;
pub mod warm_up;
pub mod workbook_reader;

use leptos::prelude::*;

/// The whole app. `handover` is the first screen's state when the app took its place
/// (see [`first_screen`]); `None` when the app is mounted on its own (the browser tests).
#[component]
pub fn App(handover: Option<handover::Handover>) -> impl IntoView {
    let host = host::Host::start_with(handover.as_ref().and_then(|h| h.config.clone()));
    provide_context(host);
    view! { <pages::uploader::Uploader host=host handover=handover /> }
}

/// The app's root, `#bulk-uploader` (made at the end of `<body>` when the page has none),
/// with the light "loading…" shell `index.html` shows while the wasm downloads taken away.
pub fn root() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().and_then(|w| w.document())?;
    if let Some(shell) = document.get_element_by_id("loading-shell") {
        shell.remove();
    }
    let root = document
        .get_element_by_id("bulk-uploader")
        .or_else(|| {
            let made = document.create_element("div").ok()?;
            made.set_id("bulk-uploader");
            document.body()?.append_child(&made).ok()?;
            Some(made)
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(root) = root else {
        leptos::logging::error!("Bulk Uploader: the page has no <body> to mount in");
        return None;
    };
    // The class scopes the app's CSS (a host page may have made the root itself).
    let _ = root.class_list().add_1("bu-root");
    Some(root)
}

/// Mounts the whole app in its root, taking over from the first screen with `handover`;
/// panics print to the console instead of a bare trap.
pub fn mount(handover: Option<handover::Handover>) {
    console_error_panic_hook::set_once();
    let Some(root) = root() else {
        return;
    };
    let focus = handover.as_ref().and_then(|h| h.focus.clone());
    leptos::mount::mount_to(root, move || view! { <App handover=handover /> }).forget();
    // The swap runs in one task: keys pressed meanwhile wait, and land where the caret was.
    if let Some(focus) = focus {
        browser::restore_focus(&focus);
    }
}

/// bulk-core's verdict on one e-mail value, exactly as the validator gives it, exported (by
/// the app's module, `src/main.rs`) so that the browser test can hold it against Chromium's
/// own `<input type=email>`. The platform is the judge; this is the witness.
pub fn check_email(value: &str) -> bool {
    let field = bulk_core::metadata::Field::new("email", bulk_core::metadata::FieldType::String);
    bulk_core::validate::accepts(&field, value)
}

/// The text an e-mail value is checked as and sent as, for the same test to compare with
/// the browser's sanitized `.value`.
pub fn email_sent(value: &str) -> String {
    bulk_core::validate::checked_text(
        &bulk_core::metadata::FieldType::String,
        bulk_core::metadata::TextKind::Email,
        value,
    )
    .into_owned()
}
