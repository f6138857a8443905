//! Small browser helpers: sleeping, page visibility, the clock, reading a chosen file and
//! saving a download. Everything from outside (files, JS values) is checked, never unwrapped.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32).await;
}

/// True while the tab is in the background.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.hidden())
        .unwrap_or(false)
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The page's origin (`http://127.0.0.1:8787`), or `None` for `file:` pages.
pub fn page_origin() -> Option<String> {
    let origin = web_sys::window()?.location().origin().ok()?;
    (origin.starts_with("http://") || origin.starts_with("https://")).then_some(origin)
}

thread_local! {
    static SERVED_BY_SANDBOX: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Remembers that the page's own origin said it is the sandbox (`/sandbox/info`).
pub fn mark_served_by_sandbox() {
    SERVED_BY_SANDBOX.with(|s| s.set(true));
}

/// True when the page is served by the sandbox: only then do hints name `./run.sh`.
pub fn served_by_sandbox() -> bool {
    SERVED_BY_SANDBOX.with(|s| s.get())
}

/// Marks the app's root (`#bulk-uploader`, not the page's `<html>`, which may be a portal's)
/// with `data-<name>="<value>"`: a state a person cannot see but a benchmark or test may
/// wait for (the warm-up ended).
pub fn mark_root(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bulk-uploader"))
    {
        let _ = root.set_attribute(&format!("data-{name}"), value);
    }
}

/// The bytes of a file the person chose or dropped.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "the browser could not read the file".into())
    })?;
    let buffer: js_sys::ArrayBuffer = buffer
        .dyn_into()
        .map_err(|_| "the browser returned something other than bytes".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `bytes` as a download called `file_name`.
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    download_blob(file_name, &blob_of(bytes, mime)?)
}

/// Saves a file the keeper of the rows wrote (its bytes, or the `Blob` its worker made).
pub fn save(file_name: &str, written: crate::keeper_link::Written) -> Result<(), String> {
    match written {
        crate::keeper_link::Written::Bytes(b) => download(file_name, "text/csv;charset=utf-8", &b),
        crate::keeper_link::Written::Blob(b) => download_blob(file_name, &b),
    }
}

/// `bytes` as a `Blob` of type `mime`.
pub fn blob_of(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, String> {
    let data = js_sys::Uint8Array::from(bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&data), &options)
        .map_err(|_| "the browser refused to save the file".to_string())
}

/// Saves `blob` as a download named `file_name` (a file written by the keeper of the rows
/// comes as a `Blob` from its worker: the page never holds its bytes).
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let fail = |_| "the browser refused to save the file".to_string();
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Waits `ms` milliseconds, or less when the page was hidden at the start and becomes
/// visible again (a background poll slowed down; the person is back and should see news).
pub async fn sleep_unless_visible(ms: u64) {
    let hidden_at_start = page_hidden();
    let mut left = ms;
    while left > 0 {
        let step = left.min(250);
        sleep(step).await;
        left -= step;
        if hidden_at_start && !page_hidden() {
            return;
        }
    }
}

/// Lets the browser handle input and paint, then continues: a message to ourselves, which
/// (unlike a zero timeout, clamped to 4 ms when repeated) comes back at once.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(channel) => {
                channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
                if channel
                    .port2()
                    .post_message(&wasm_bindgen::JsValue::NULL)
                    .is_err()
                {
                    let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
                }
            }
            Err(_) => {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        },
    );
    let _ = JsFuture::from(promise).await;
}

/// Moves the keyboard focus to the element `id` once the page has drawn it (a control the
/// person used may have just been disabled or removed, which would drop focus to the body).
pub fn focus_when_drawn(id: &'static str) {
    leptos::task::spawn_local(async move {
        for _ in 0..20 {
            yield_now().await;
            let el = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = el {
                let _ = el.focus();
                return;
            }
        }
    });
}

/// Clicks the element `id` (to open the file chooser from another control): at once, or
/// once the page has drawn it (a step's content is drawn a task after the step is first
/// shown, and the footer's button that clicks in it shows with the step).
pub fn click(id: &'static str) {
    let find = move || {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    if let Some(el) = find() {
        el.click();
        return;
    }
    leptos::task::spawn_local(async move {
        for _ in 0..20 {
            yield_now().await;
            if let Some(el) = find() {
                el.click();
                return;
            }
        }
    });
}

/// Gives the focus back to where it was, with the text and the caret or selection in place
/// (a checkbox or button has neither). The text is set here rather than left to the field's
/// own binding, which Leptos applies a moment later: the caret must not be placed in an empty
/// field, and setting the same text again later leaves it where it is.
pub fn restore_focus(focus: &crate::handover::Focus) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&focus.id))
    else {
        return;
    };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        if let Some(v) = &focus.value {
            input.set_value(v);
        }
        let _ = input.focus();
        let _ = input.set_selection_range(focus.start, focus.end);
    } else if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The element with the keyboard focus inside the app's root (one with an id), with a text
/// field's value and selection.
pub fn focused() -> Option<crate::handover::Focus> {
    let active = web_sys::window()?.document()?.active_element()?;
    let id = active.id();
    if id.is_empty() || active.closest("#bulk-uploader").ok().flatten().is_none() {
        return None;
    }
    let input = active.dyn_ref::<web_sys::HtmlInputElement>();
    // A checkbox has no selection: reading it throws, which is "none" here.
    let selection = input.and_then(|i| {
        Some((
            i.selection_start().ok().flatten()?,
            i.selection_end().ok().flatten()?,
        ))
    });
    Some(crate::handover::Focus {
        id,
        value: selection.and(input.map(|i| i.value())),
        start: selection.map_or(0, |s| s.0),
        end: selection.map_or(0, |s| s.1),
    })
}
