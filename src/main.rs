//! The app's module: everything after the first screen. Trunk builds it beside the small
//! first-screen module (`src/bin/first_screen.rs`), which loads it as soon as the connection
//! form is shown and hands over with [`mount`]; it does nothing by itself when loaded.
//! Everything lives in the library so browser tests can mount the same components.

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {}

/// Takes over from the first screen: mounts the whole app with the form as the person left
/// it (`handover`, a plain object: see `bulk_uploader::handover`).
#[wasm_bindgen(js_name = bulkUploaderMount)]
pub fn mount(handover: wasm_bindgen::JsValue) {
    thread_local! {
        static MOUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // Once: a second call (by hand, from the console) would mount a second app.
    if MOUNTED.with(|m| m.replace(true)) {
        leptos::logging::warn!("Bulk Uploader: the app is already mounted");
        return;
    }
    let handover = bulk_uploader::handover::Handover::from_js(&handover);
    bulk_uploader::mount(Some(handover));
}

/// bulk-core's verdict on one e-mail value (`bulk_uploader::check_email`), for the browser
/// test that holds it against Chromium's `<input type=email>`; the first screen puts this
/// module's exports on `window.wasmBindings`.
#[wasm_bindgen(js_name = bulkCheckEmail)]
pub fn check_email(value: &str) -> bool {
    bulk_uploader::check_email(value)
}

/// The text an e-mail value is checked as and sent as (`bulk_uploader::email_sent`).
#[wasm_bindgen(js_name = bulkEmailSent)]
pub fn email_sent(value: &str) -> String {
    bulk_uploader::email_sent(value)
}

/// The keeper of the rows' one entry (`bulk_uploader::keeper_work`), called by its worker
/// (`src/rows_worker.js`) with each message as JSON; the answer as JSON, and a file it
/// wrote as a `Blob` beside it.
#[wasm_bindgen(js_name = bulkKeeperWork)]
pub async fn keeper_work(
    work: String,
    file: wasm_bindgen::JsValue,
    flat: wasm_bindgen::JsValue,
    text: wasm_bindgen::JsValue,
    progress: js_sys::Function,
) -> js_sys::Array {
    bulk_uploader::keeper_work::from_json(work, file, flat, text, progress).await
}
