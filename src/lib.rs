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

/// Mounts the app on `<body>`; panics print to the console instead of a bare trap.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
