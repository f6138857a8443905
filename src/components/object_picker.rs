//! Picks the connector object the rows go to, from the instance's `GET /objects`. Objects
//! this browser saw refuse bulk uploads on this host are marked in the list, and chosen,
//! say what to do, so the person learns it before uploading rather than at the upload.

use bulk_core::capability::Refusals;
use leptos::prelude::*;

/// A labelled select of the instance's objects.
#[component]
pub fn ObjectPicker(
    /// The objects offered.
    #[prop(into)]
    objects: Signal<Vec<String>>,
    /// The objects that refused bulk uploads.
    #[prop(into)]
    refused: Signal<Refusals>,
    /// The chosen object.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let chosen_refused = move || selected.get().filter(|o| refused.with(|r| r.refused(o)));
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
                        .map(|o| {
                            let label = if refused.with(|r| r.refused(&o)) {
                                format!("{o} (no bulk upload)")
                            } else {
                                o.clone()
                            };
                            view! { <option value=o.clone()>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <span class="field-hint" id="object-hint">
                {move || match chosen_refused() {
                    Some(o) => view! {
                        <span class="bad" data-testid="no-bulk">
                            {format!("The connector refused bulk uploads for “{o}” when this browser last tried. Ask its administrator to enable bulk upload for it, or choose another object.")}
                        </span>
                    }.into_any(),
                    None => "Where the records go, e.g. contacts.".into_any(),
                }}
            </span>
        </div>
    }
}
