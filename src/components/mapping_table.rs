//! Which file column goes to which field, and how each match was made; any column can be
//! pointed at another field or left out. Problems with the mapping are listed above it.

use crate::flow::Flow;
use crate::model::MAX_SHOWN_COLUMNS;
use crate::shared::Shared;
use bulk_core::mapping::Mapping;
use bulk_core::metadata::ObjectMetadata;
use leptos::prelude::*;

/// The column-to-field table.
#[component]
pub fn MappingTable(
    /// The file's column names.
    #[prop(into)]
    headers: Signal<Vec<String>>,
    /// The object's fields.
    #[prop(into)]
    metadata: Signal<Option<Shared<ObjectMetadata>>>,
    /// The mapping.
    #[prop(into)]
    mapping: Signal<Mapping>,
    /// The flow, to change and remember the mapping.
    flow: Flow,
) -> impl IntoView {
    let problems = move || {
        let m = metadata.get()?;
        let p = mapping.with(|map| map.problems(&headers.get(), &m));
        (!p.is_empty()).then(|| {
            view! {
                <ul class="mapping-problems" role="alert">
                    {p.into_iter().map(|p| view! { <li>"✖ " {crate::notice::capitalise(&p.to_string())}</li> }).collect_view()}
                </ul>
            }
        })
    };
    let rows = move || {
        let fields = metadata.get().map(|m| m.fields.clone()).unwrap_or_default();
        headers
            .get()
            .into_iter()
            .enumerate()
            // The first columns, and any column mapped beyond them.
            .filter(|(i, _)| {
                *i < MAX_SHOWN_COLUMNS
                    || mapping.with_untracked(|m| m.columns.get(*i).is_some_and(|c| c.field.is_some()))
            })
            .map(|(i, h)| {
                let fields = fields.clone();
                let current = move || mapping.with(|m| m.columns.get(i).and_then(|c| c.field.clone()).unwrap_or_default());
                let how = move || {
                    mapping.with(|m| match m.columns.get(i).and_then(|c| c.how) {
                        Some(k) => k.describe().to_string(),
                        None => "not imported".to_string(),
                    })
                };
                view! {
                    <tr>
                        <th scope="row">{h.clone()}</th>
                        <td>
                            <select
                                aria-label=format!("Field for column {h}")
                                prop:value=current
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    flow.map_column(i, (!v.is_empty()).then_some(v));
                                }
                            >
                                <option value="">"— not imported —"</option>
                                {fields
                                    .iter()
                                    .filter(|f| !f.read_only)
                                    .map(|f| {
                                        let label = match &f.display_name {
                                            Some(d) => format!("{} ({d}){}", f.name, if f.required { " *" } else { "" }),
                                            None => format!("{}{}", f.name, if f.required { " *" } else { "" }),
                                        };
                                        view! { <option value=f.name.clone()>{label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </td>
                        <td class="muted">{how}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let remembered = move || {
        flow.mapping_remembered.get().then(|| {
            view! {
                <p class="notice notice-info">
                    "These columns were mapped as you mapped them last time for this object. "
                    <button type="button" class="link" on:click=move |_| flow.forget_mapping()>"Use the suggestions instead"</button>
                </p>
            }
        })
    };
    view! {
        {remembered}
        {problems}
        <table class="mapping">
            <caption>"Columns and the fields they go to (* required)"</caption>
            <thead><tr><th scope="col">"File column"</th><th scope="col">"Field"</th><th scope="col">"Matched by"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {move || {
            let n = headers.with(Vec::len);
            (n > MAX_SHOWN_COLUMNS).then(|| view! {
                <p class="muted small">{format!(
                    "{} more columns are not listed; those that match a field are mapped and listed above.",
                    crate::model::thousands(n - MAX_SHOWN_COLUMNS)
                )}</p>
            })
        }}
    }
}
