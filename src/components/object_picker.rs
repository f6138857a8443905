//! Picks the connector object the rows go to, from the instance's `GET /objects`.

use leptos::prelude::*;

/// A labelled select of the instance's objects.
#[component]
pub fn ObjectPicker(
    /// The objects offered.
    #[prop(into)]
    objects: Signal<Vec<String>>,
    /// The chosen object.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field-label" for="object-select">"Object"</label>
            <select
                id="object-select"
                aria-describedby="object-hint"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    selected.set((!v.is_empty()).then_some(v));
                }
                prop:value=move || selected.get().unwrap_or_default()
            >
                <option value="">"Choose an object…"</option>
                {move || {
                    objects
                        .get()
                        .into_iter()
                        .map(|o| view! { <option value=o.clone()>{o.clone()}</option> })
                        .collect_view()
                }}
            </select>
            <span class="field-hint" id="object-hint">"Where the records go, e.g. contacts."</span>
        </div>
    }
}
