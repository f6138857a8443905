//! The first screen, built alone into the small module the start page loads (the
//! `first-screen` bin): the header, the step bar and the connection form, filled in from the
//! host's settings exactly as the app does. As soon as it is shown it loads the app's
//! module (everything else: reading, checking, uploading, the tools) and hands over to it
//! in the task after the module has started, with the form as the person left it
//! ([`Handover`]): what they typed, the caret, a Connect or Tools they pressed meanwhile.
//! Keys pressed during the swap wait for it and land in the app's form. Nothing here talks
//! to the connector.

use crate::components::app_header::AppHeader;
use crate::components::connection_form::ConnectionForm;
use crate::components::host_warnings::HostWarnings;
use crate::components::next_step::CONNECT_HINT;
use crate::components::notice_view::NoticeView;
use crate::components::step::{Step, StepBar};
use crate::connecting::Fields;
use crate::handover::Handover;
use crate::host::Host;
use crate::notice::{Notice, Tone};
use crate::steps::{Reached, StepId, Steps};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/first_screen_load.js")]
extern "C" {
    /// Loads and starts the app's module (`attempt` 0 the first time); its exports.
    #[wasm_bindgen(catch, js_name = loadApp)]
    async fn load_app(attempt: u32) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// What tells a portal the first screen's height, until the app takes over.
    static SIZE: Cell<Option<web_sys::ResizeObserver>> = const { Cell::new(None) };
    /// The app has taken over: the host's settings arriving later start no observer (the
    /// app has its own).
    static HANDED_OVER: Cell<bool> = const { Cell::new(false) };
}

/// The first screen's state.
#[derive(Clone, Copy)]
struct Screen {
    host: Host,
    fields: Fields,
    /// The form was filled in from the host's settings.
    filled: RwSignal<bool>,
    /// Connect was pressed before the app loaded.
    connect: RwSignal<bool>,
    /// Tools was pressed before the app loaded.
    tools: RwSignal<bool>,
    /// The app's module could not be loaded.
    failed: RwSignal<Option<Notice>>,
    /// How many times loading it failed.
    attempts: RwSignal<u32>,
}

impl Screen {
    fn new() -> Screen {
        let host = Host::start();
        let screen = Screen {
            host,
            fields: Fields::new(),
            filled: RwSignal::new(false),
            connect: RwSignal::new(false),
            tools: RwSignal::new(false),
            failed: RwSignal::new(None),
            attempts: RwSignal::new(0),
        };
        // The same filling in as the app's, once the host's settings are known; in a portal's
        // frame, the height told to the portal as the app tells it (the settings name the
        // origins it may be told to).
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !host.loaded.get() {
                return done.unwrap_or(false);
            }
            if crate::embed::framed() && !HANDED_OVER.get() {
                SIZE.set(crate::embed::observe_size(host));
            }
            let settings = host.settings.get_untracked();
            spawn_local(async move {
                screen
                    .fields
                    .fill(crate::connection::prefill(&settings).await);
                screen.filled.set(true);
            });
            true
        });
        screen
    }

    /// The state the app takes over.
    fn handover(self) -> Handover {
        let (form, remember) = self.fields.values();
        Handover {
            form,
            remember,
            filled: self.filled.get_untracked(),
            connect: self.connect.get_untracked(),
            tools: self.tools.get_untracked(),
            focus: crate::browser::focused(),
            config: self.host.config.get_value(),
        }
    }

    /// Takes the first screen away and mounts the app in its place, in this one task. If the
    /// app cannot mount, whatever it drew goes and the first screen comes back as it was.
    fn hand_over(self, root: &web_sys::HtmlElement, app: &JsValue) -> Result<(), String> {
        let mount = js_sys::Reflect::get(app, &"bulkUploaderMount".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or("the app's module has no entry point (a file of another release?)")?;
        let state = self.handover();
        let handover = state.to_js();
        // Everything the first screen drew leaves the page (kept, to come back if need be):
        // the app's ids are the same, and the page's own header stays.
        let drawn = children(root);
        for c in &drawn {
            c.remove();
        }
        // The app tells the height from now on.
        HANDED_OVER.set(true);
        let size = SIZE.take();
        if let Some(o) = &size {
            o.disconnect();
        }
        let mounted = mount.call1(&JsValue::NULL, &handover);
        if let Err(e) = mounted {
            HANDED_OVER.set(false);
            if let Some(o) = &size {
                o.observe(root);
            }
            SIZE.set(size);
            for c in children(root) {
                c.remove();
            }
            for c in &drawn {
                let _ = root.append_child(c);
            }
            if let Some(focus) = &state.focus {
                crate::browser::restore_focus(focus);
            }
            return Err(js_text(&e));
        }
        Ok(())
    }
}

/// The root's elements but the page's own header.
fn children(root: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    let all = root.children();
    (0..all.length())
        .filter_map(|i| all.item(i))
        .filter(|c| c.id() != "bulk-uploader-header")
        .collect()
}

/// What a JS error says.
fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no reason given".into())
}

/// The notice when the app's module cannot be loaded.
fn load_failed(reason: &str) -> Notice {
    Notice {
        tone: Tone::Error,
        title: "The rest of the app could not be loaded".into(),
        detail: Some(format!("The browser said: {reason}.")),
        hint: Some("Check the network connection, then Try again (what you typed stays). If it keeps failing, the site may lack the app's files beside index.html (bulk-uploader-….js and its .wasm), or hold those of another release.".into()),
    }
}

/// Shows the first screen, then loads the app's module and hands over to it.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(root) = crate::root() else {
        return;
    };
    if crate::embed::framed() {
        // Sized by its content in a portal's frame, as the app is (see the stylesheet).
        let _ = root.class_list().add_1("bu-framed");
    }
    let made: Rc<Cell<Option<Screen>>> = Rc::default();
    let keep = made.clone();
    // Never unmounted: replies that arrive after the swap (config.json, /sandbox/info) land
    // in signals nobody shows, not in disposed ones.
    leptos::mount::mount_to(root, move || {
        let screen = Screen::new();
        keep.set(Some(screen));
        view! { <FirstScreen screen=screen /> }
    })
    .forget();
    if let Some(screen) = made.get() {
        load(screen, 0);
    }
}

/// Loads the app's module and hands over; says why on the first screen when it cannot.
fn load(screen: Screen, attempt: u32) {
    screen.failed.set(None);
    spawn_local(async move {
        let loaded = load_app(attempt).await;
        // Starting the app's module and mounting the app are each a few tens of
        // milliseconds: in one task they held the page past 50 ms.
        crate::browser::yield_now().await;
        let swapped = match (loaded, crate::host::root()) {
            (Ok(app), Some(root)) => screen.hand_over(&root, &app),
            (Ok(_), None) => Err("the page has no #bulk-uploader to start in".into()),
            (Err(e), _) => Err(js_text(&e)),
        };
        if let Err(reason) = swapped {
            leptos::logging::error!("Bulk Uploader: {reason}");
            screen.fields.busy.set(false);
            screen.connect.set(false);
            screen.attempts.set(attempt + 1);
            screen.failed.set(Some(load_failed(&reason)));
        }
    });
}

/// The first screen.
#[component]
fn FirstScreen(screen: Screen) -> impl IntoView {
    let Screen {
        host,
        fields,
        connect,
        tools,
        failed,
        attempts,
        ..
    } = screen;
    provide_context(host);
    let steps = Steps::new(Signal::derive(Reached::default));
    let on_submit = Callback::new(move |_| {
        // Connect is pressed again by the app as soon as it is here (after another attempt
        // to load it, if the last one failed).
        fields.busy.set(true);
        connect.set(true);
        if failed.with_untracked(Option::is_some) {
            load(screen, attempts.get_untracked());
        }
    });
    view! {
        <AppHeader host=host />
        <HostWarnings host=host />
        <nav class="view-switch" aria-label="Views">
            <button type="button" id="view-import" aria-pressed=move || (!tools.get()).to_string() on:click=move |_| tools.set(false)>"Import"</button>
            <button type="button" id="view-tools" aria-pressed=move || tools.get().to_string() on:click=move |_| tools.set(true)>"Tools"</button>
        </nav>
        <div class="flow tools" role="region" aria-label="Tools" hidden=move || !tools.get()>
            <p class="muted" role="status">"Opening the tools…"</p>
        </div>
        <main class="flow" hidden=move || tools.get()>
            <StepBar steps=steps />
            <Step id=StepId::Connect steps=steps>
                <ConnectionForm fields=fields on_submit=on_submit />
            </Step>
            <NoticeView notice=failed />
            <div class="next-step" role="status" aria-live="polite" data-testid="next-step">
                {move || match failed.with(Option::is_some) {
                    false => view! {
                        <span>{CONNECT_HINT}</span>
                        <button type="button" class="primary" id="next-step-action" data-testid="next-step-action" on:click=move |_| crate::browser::click("connect-button")>"Continue"</button>
                    }.into_any(),
                    // Not a reload: that would lose what was typed.
                    true => view! {
                        <span>"Check the network connection, then Try again."</span>
                        <button type="button" class="primary" id="next-step-action" data-testid="next-step-action" on:click=move |_| {
                            load(screen, attempts.get_untracked());
                        }>"Try again"</button>
                    }.into_any(),
                }}
            </div>
        </main>
    }
}
