//! Checking a job-end callback: paste the raw body a receiver got, its
//! `Elements-Webhook-Signature` header and the instance's signature key; the answer is
//! valid, invalid, or a malformed header, by bulk-core's constant-time check. The key stays
//! in this panel's memory only.

use bulk_core::signature::{self, SignatureError, SignatureKey};
use leptos::prelude::*;

/// The verification panel.
#[component]
pub fn CallbackVerifier() -> impl IntoView {
    let body = RwSignal::new(String::new());
    let header = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let verdict = move || {
        let (b, h, k) = (body.get(), header.get(), key.get());
        if h.trim().is_empty() || k.is_empty() {
            return (
                "muted",
                "Paste the body, the header value and the key.".to_string(),
            );
        }
        match signature::verify(&SignatureKey::new(k), &h, b.as_bytes()) {
            Ok(()) => ("ok", "✓ Valid: this body was signed with this key.".into()),
            Err(SignatureError::Mismatch) => ("bad", "✖ Invalid: this body was not signed with this key (or it was changed, even by a space).".into()),
            Err(e) => ("bad", format!("✖ Malformed header: {e}. It should look like sha256=<base64>.")),
        }
    };
    view! {
        <details class="verifier">
            <summary>"Verify a callback signature"</summary>
            <div class="field">
                <label class="field-label" for="cb-body">"Raw body, exactly as received"</label>
                <textarea id="cb-body" rows="4" spellcheck="false" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field-row">
                <div class="field">
                    <label class="field-label" for="cb-header">"Elements-Webhook-Signature"</label>
                    <input id="cb-header" type="text" spellcheck="false" placeholder="sha256=…" prop:value=move || header.get() on:input=move |ev| header.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label class="field-label" for="cb-key">"Signature key"</label>
                    <input id="cb-key" type="password" autocomplete="off" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev)) />
                    <span class="field-hint">"Kept only while this page is open."</span>
                </div>
            </div>
            <p class=move || format!("verdict {}", verdict().0) role="status" aria-live="polite" data-testid="verdict">{move || verdict().1}</p>
        </details>
    }
}
