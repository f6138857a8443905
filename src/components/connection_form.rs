//! The connection form: base URL, hub, the three secrets, "Remember on this device" (off
//! unless ticked; Forget clears it), and "Connect". The state and the actions are
//! [`Fields`]'; this file lays them out. What Connect does is the caller's: the app lists the
//! instance's objects, the first screen hands over to the app.

use crate::components::notice_view::NoticeView;
use crate::connecting::Fields;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The connection form.
#[component]
pub fn ConnectionForm(
    /// Its state.
    fields: Fields,
    /// Connect was pressed.
    on_submit: Callback<()>,
) -> impl IntoView {
    let Fields {
        base,
        hub,
        user,
        organization,
        element,
        remember,
        remembered,
        remember_refused,
        sandbox,
        busy,
        notice,
        ..
    } = fields;
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    let on_remember = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        remember.set(on);
        // Unticking is forgetting: nothing stays behind that the person turned off.
        if !on && remembered.get_untracked() {
            crate::connection::forget();
            remembered.set(false);
        }
    };
    let field = |label: &'static str,
                 kind: &'static str,
                 value: RwSignal<String>,
                 hint: &'static str,
                 placeholder: &'static str| {
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
                    placeholder=placeholder
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
                {field("Base URL", "url", base, "The tenant's address; /elements/api-v2 is added if missing.", "https://api.openconnectors.ext.hana.ondemand.com")}
                {field("Hub (optional)", "text", hub, "e.g. finance for Sage 200.", "finance")}
            </div>
            {move || {
                let from_link = crate::host::Host::get()?.base_from_link.get()?;
                let shown = base.get();
                (!shown.is_empty() && crate::host::resolve(&from_link).is_some_and(|l| l.trim_end_matches('/') == shown.trim_end_matches('/'))).then(|| view! {
                    <p class="notice notice-warning" role="note" data-testid="base-from-link">
                        {format!("This address came from the link you opened, not from this site's settings. Check that {shown} is your tenant before you type the secrets: they are sent there.")}
                    </p>
                })
            }}
            {move || {
                let host = bulk_core::ApiBase::parse(&base.get(), None).ok()?.unencrypted_host()?;
                Some(view! {
                    <p class="notice notice-warning" role="note" data-testid="unencrypted">
                        {format!("This address starts with http://: the secrets would travel unencrypted to {host}, readable by anyone on the way. Use the tenant's https:// address.")}
                    </p>
                })
            }}
            <div class="field-row">
                {field("User secret", "password", user, "", "")}
                {field("Organization secret", "password", organization, "", "")}
                {field("Element token", "password", element, "", "")}
            </div>
            <p class="muted small">
                "Secrets are sent only to the base URL, in the Authorization header. They stay in this tab's memory unless you tick the box below."
            </p>
            <div class="remember-row">
                <label class="check">
                    <input type="checkbox" id="conn-remember" prop:checked=move || remember.get() on:change=on_remember aria-describedby="remember-what" />
                    " Remember on this device"
                </label>
                <Show when=move || remembered.get()>
                    <button type="button" class="link-button" id="conn-forget" on:click=move |_| fields.forget()>"Forget"</button>
                </Show>
                <p class="muted small" id="remember-what">
                    {move || format!(
                        "Keeps the base URL, hub and the three secrets in this browser's local storage for {}, unencrypted: anyone who can use this browser profile can read them. Forget (or unticking) removes them.",
                        crate::browser::page_origin().unwrap_or_else(|| "this site".into()),
                    )}
                    {move || remembered.get().then_some(" Remembered now.")}
                </p>
                <Show when=move || remember_refused.get()>
                    <p class="notice notice-warning" role="alert" data-testid="remember-refused">
                        "Not remembered: this browser refused to store it (a private window, storage turned off, or full). You are connected; the secrets stay in this tab only."
                    </p>
                </Show>
            </div>
            <button type="submit" class="primary" id="connect-button" disabled=move || busy.get()>
                {move || if busy.get() { "Connecting…" } else { "Connect" }}
            </button>
            <NoticeView notice=notice />
        </form>
    }
}
