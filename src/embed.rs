//! The `postMessage` API for a portal page that embeds the app in an iframe. Messages are
//! taken only from origins in `config.json`'s `allowedOrigins` (others are ignored and
//! counted in the console), and events are posted only to those origins, never to `*`:
//! `ready`, `connected`, `file-read`, `job-submitted`, `job-finished`, `all-finished`,
//! `error` and `resize`. Shapes and parsing are `bulk_core::host`'s; this file listens,
//! applies and watches the flow.

use crate::connecting::Fields;
use crate::connection::Connected;
use crate::flow::Flow;
use crate::host::{self, Host};

use bulk_core::host::{HostEvent, HostMessage};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Starts listening and reporting; call once, after the host's settings are loaded.
pub fn start(flow: Flow, fields: Fields, host: Host, on_connected: Callback<Connected>) {
    if framed() {
        // Sized by its content, so the host can size the frame to it (see the stylesheet).
        if let Some(root) = host::root() {
            let _ = root.class_list().add_1("bu-framed");
        }
    }
    listen(flow, fields, host, on_connected);
    crate::embed_events::watch(flow, fields, host);
    let _ = observe_size(host);
    post(host, &HostEvent::Ready);
}

/// The parent page's origin, from `location.ancestorOrigins` where the browser has it.
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    // Not in web-sys's Location: read the property by name.
    let list = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into()).ok()?;
    let first = js_sys::Reflect::get(&list, &0.into()).ok()?.as_string()?;
    bulk_core::host::normalize_origin(&first)
}

/// True when the app runs inside a frame (the first screen asks too).
pub fn framed() -> bool {
    web_sys::window().is_some_and(|w| {
        w.parent()
            .ok()
            .flatten()
            .is_some_and(|p| !js_sys::Object::is(&p, &w))
    })
}

/// Posts an event to the host page, once per allowed origin (the browser drops it unless
/// the parent is that origin). Nothing is posted when the app is not in a frame.
pub fn post(host: Host, event: &HostEvent) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    let Ok(message) = js_sys::JSON::parse(&event.to_json().to_string()) else {
        return;
    };
    let allowed = host.settings.with_untracked(|s| s.allowed_origins.clone());
    // Where the browser names the parent's origin (Chromium, Safari), post only there, and
    // only if it is allowed; elsewhere (Firefox) to each allowed origin, and the browser
    // delivers the one that matches.
    let targets = match parent_origin(&window) {
        Some(p) => allowed.into_iter().filter(|o| *o == p).collect(),
        None => allowed,
    };
    for origin in targets {
        let _ = parent.post_message(&message, &origin);
    }
}

fn listen(flow: Flow, fields: Fields, host: Host, on_connected: Callback<Connected>) {
    let ignored = Rc::new(Cell::new(0u32));
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        move |ev: web_sys::MessageEvent| {
            // Only this app's messages matter; other traffic (extensions, other scripts) is not
            // even counted.
            let text = js_sys::JSON::stringify(&ev.data())
                .ok()
                .and_then(|s| s.as_string());
            let Some(value) = text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            else {
                return;
            };
            let ours = value
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t.starts_with(bulk_core::host::MESSAGE_PREFIX));
            if !ours {
                return;
            }
            let origin = ev.origin();
            if !host.settings.with_untracked(|s| s.allows(&origin)) {
                ignored.set(ignored.get() + 1);
                leptos::logging::warn!(
                    "Bulk Uploader ignored a message from {origin}: not in config.json's allowedOrigins ({} ignored so far)",
                    ignored.get()
                );
                return;
            }
            match HostMessage::parse(&value) {
                Ok(None) => {}
                Ok(Some((message, warnings))) => {
                    for w in warnings {
                        leptos::logging::warn!("Bulk Uploader: {w}");
                        post(host, &HostEvent::Error { message: w });
                    }
                    apply(message, flow, fields, host, on_connected);
                }
                Err(e) => {
                    leptos::logging::warn!("Bulk Uploader: {e}");
                    post(host, &HostEvent::Error { message: e });
                }
            }
        },
    );
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    }
    // Listens for the page's whole life.
    handler.forget();
}

fn apply(
    message: HostMessage,
    flow: Flow,
    fields: Fields,
    host: Host,
    on_connected: Callback<Connected>,
) {
    let HostMessage::Settings {
        settings,
        credentials,
        connect,
    } = message;
    Fields::set(fields.base, settings.base_url.as_deref());
    Fields::set(fields.hub, settings.hub.as_deref());
    if let Some(n) = settings.rows_per_job {
        flow.upload.settings.update(|s| s.job_rows = n);
    }
    let known = |o: &String| {
        flow.connection
            .conn
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.objects.contains(o)))
    };
    if let Some(o) = settings.object.clone().filter(known) {
        flow.connection.object.set(Some(o));
    }
    if let Some(c) = credentials {
        fields.take_secrets(c.user.expose(), c.organization.expose(), c.element.expose());
    }
    host.settings.update(|s| *s = settings.over(s.clone()));
    if connect {
        fields.connect(on_connected);
    }
}

/// Posts the app's height whenever it changes, so the host can size the iframe to it (the
/// first screen too, until it hands over: it disconnects the observer it gets).
pub fn observe_size(host: Host) -> Option<web_sys::ResizeObserver> {
    let root = host::root()?;
    let last = Rc::new(Cell::new(0u32));
    let target = root.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let height = target.get_bounding_client_rect().height().ceil().max(0.0) as u32;
        if height != last.get() {
            last.set(height);
            post(host, &HostEvent::Resize { height });
        }
    });
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    if let Some(o) = &observer {
        o.observe(&root);
    }
    on_resize.forget();
    observer
}
