//! The connection form: base URL, hub, the three secrets, and "Connect", which lists the
//! instance's objects. Pre-filled when the page is served by the sandbox. Secret fields are
//! password inputs and live only in this tab's memory.

use crate::components::notice_view::NoticeView;
use crate::connection::{self, Connected};
use crate::notice::Notice;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The connection form.
#[component]
pub fn ConnectionForm(
    /// Called with the connection once `GET /objects` worked.
    on_connected: Callback<Connected>,
) -> impl IntoView {
    let base = RwSignal::new(String::new());
    let hub = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let organization = RwSignal::new(String::new());
    let element = RwSignal::new(String::new());
    let sandbox = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    spawn_local(async move {
        let p = connection::prefill().await;
        // Never overwrite what the person typed while this was loading.
        let fill = |s: RwSignal<String>, v: String| {
            if s.get_untracked().is_empty() {
                s.set(v)
            }
        };
        fill(base, p.base);
        fill(hub, p.hub);
        fill(user, p.user);
        fill(organization, p.organization);
        fill(element, p.element);
        sandbox.set(p.sandbox);
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        notice.set(None);
        let creds = connection::credentials(
            user.get_untracked(),
            organization.get_untracked(),
            element.get_untracked(),
        );
        let (b, h) = (base.get_untracked(), hub.get_untracked());
        spawn_local(async move {
            match connection::connect(&b, &h, creds).await {
                Ok(c) => on_connected.run(c),
                Err(n) => notice.set(Some(n)),
            }
            busy.set(false);
        });
    };
    let field =
        |label: &'static str, kind: &'static str, value: RwSignal<String>, hint: &'static str| {
            let id = format!(
                "conn-{}",
                label
                    .split_whitespace()
                    .next()
                    .unwrap_or("x")
                    .to_lowercase()
            );
            let hint_id = format!("{id}-hint");
            view! {
                <div class="field">
                    <label class="field-label" for=id.clone()>{label}</label>
                    <input
                        id=id
                        type=kind
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=hint_id.clone()
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                    <span class="field-hint" id=hint_id>{hint}</span>
                </div>
            }
        };
    view! {
        <form class="connection-form" on:submit=submit>
            <Show when=move || sandbox.get()>
                <p class="badge-line">
                    <span class="badge">"Sandbox"</span>
                    " This page is served by the local sandbox; its demo credentials are filled in."
                </p>
            </Show>
            <div class="field-row">
                {field("Base URL", "url", base, "The tenant's address; /elements/api-v2 is added if missing.")}
                {field("Hub (optional)", "text", hub, "e.g. finance for Sage 200.")}
            </div>
            {move || {
                let host = bulk_core::ApiBase::parse(&base.get(), None).ok()?.unencrypted_host()?;
                Some(view! {
                    <p class="notice notice-warning" role="note" data-testid="unencrypted">
                        {format!("This address starts with http://: the secrets would travel unencrypted to {host}, readable by anyone on the way. Use the tenant's https:// address.")}
                    </p>
                })
            }}
            <div class="field-row">
                {field("User secret", "password", user, "")}
                {field("Organization secret", "password", organization, "")}
                {field("Element token", "password", element, "")}
            </div>
            <p class="muted small">
                "Secrets stay in this tab's memory and are sent only to the base URL, in the Authorization header."
            </p>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { "Connecting…" } else { "Connect" }}
            </button>
            <NoticeView notice=notice />
        </form>
    }
}
