//! The options of an upload, as the Open Connectors bulk API takes them in the `metaData`
//! part and headers: the action (and the identifier field for update and upsert), the
//! records per vendor call, a callback URL, and how many rows go into one job. The request
//! that will be sent can be shown as curl, secrets replaced by placeholders.

use crate::flow::Flow;
use bulk_core::api::Action;
use leptos::prelude::*;

/// The upload options form.
#[component]
pub fn UploadOptions(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let s = flow.upload.settings;
    let mapped_fields = move || {
        flow.review.mapping.with(|m| {
            m.columns
                .iter()
                .filter_map(|c| c.field.clone())
                .collect::<Vec<_>>()
        })
    };
    let action_value =
        move || s.with(|s| s.action.map(|a| a.as_str().to_string()).unwrap_or_default());
    let needs_identifier =
        move || s.with(|s| matches!(s.action, Some(Action::Update | Action::Upsert)));
    view! {
        <details class="upload-options">
            <summary>"Upload options"</summary>
            <div class="field-row">
                <div class="field">
                    <label class="field-label" for="opt-action">"Action"</label>
                    <select id="opt-action" prop:value=action_value on:change=move |ev| {
                        let v = event_target_value(&ev);
                        s.update(|s| s.action = match v.as_str() { "create" => Some(Action::Create), "update" => Some(Action::Update), "upsert" => Some(Action::Upsert), _ => None });
                    }>
                        <option value="">"create (the connector's default)"</option>
                        <option value="create">"create"</option>
                        <option value="update">"update existing records"</option>
                        <option value="upsert">"upsert: update, or create when missing"</option>
                    </select>
                </div>
                <Show when=needs_identifier>
                    <div class="field">
                        <label class="field-label" for="opt-identifier">"Identifier field"</label>
                        <select id="opt-identifier" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            s.update(|s| s.identifier = (!v.is_empty()).then_some(v));
                        }>
                            <option value="">"Choose…"</option>
                            {move || mapped_fields().into_iter().map(|f| view! { <option value=f.clone() selected=s.with(|s| s.identifier.as_deref() == Some(f.as_str()))>{f.clone()}</option> }).collect_view()}
                        </select>
                        <span class="field-hint">"Existing records are found by this field."</span>
                    </div>
                </Show>
                <div class="field">
                    <label class="field-label" for="opt-record-size">"Records per vendor call"</label>
                    <input id="opt-record-size" type="number" min="1" placeholder="connector default"
                        prop:value=move || s.with(|s| s.record_size.map(|n| n.to_string()).unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); s.update(|s| s.record_size = v.trim().parse().ok().filter(|n| *n > 0)); } />
                    <span class="field-hint">"1 keeps one bad record from failing a whole vendor batch."</span>
                </div>
                <div class="field">
                    <label class="field-label" for="opt-job-rows">"Rows per job"</label>
                    <input id="opt-job-rows" type="number" min="1"
                        prop:value=move || s.with(|s| s.job_rows.to_string())
                        on:change=move |ev| { let v = event_target_value(&ev); s.update(|s| s.job_rows = v.trim().parse().ok().filter(|n| *n > 0).unwrap_or(bulk_core::submit::DEFAULT_JOB_ROWS)); } />
                    <span class="field-hint">"Larger uploads are split; two jobs run at a time."</span>
                </div>
            </div>
            <div class="field">
                <label class="field-label" for="opt-callback">"Callback URL (optional)"</label>
                <input id="opt-callback" type="url" placeholder="https://your-server.example/bulk-done"
                    prop:value=move || s.with(|s| s.callback.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); s.update(|s| s.callback = v); } />
                <span class="field-hint">"The platform POSTs each job's end there (Elements-Async-Callback-Url), signed when the instance has a signature key."</span>
            </div>
        </details>
    }
}

/// The request the upload would make, as a shell command with the secrets left out: a
/// developer tool, shown in the Tools view.
#[component]
pub fn RequestPreview(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    view! {
        <details class="request-preview">
            <summary>"Show the request"</summary>
            <pre data-testid="request-preview">{move || flow.request_preview().unwrap_or_else(|| "Connect, choose a file and fix the upload options first.".into())}</pre>
        </details>
    }
}
