//! Which file column goes to which field, and how each match was made; any column can be
//! pointed at another field or left out. Each column shows a few of its values, each field
//! its display name with the API name small; required fields no column fills yet are chips
//! above the table, with the other problems. A template of the object's fields can be
//! downloaded to start a file from.

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
        // Required fields without a column are the chips above; the rest are listed here.
        let p: Vec<_> = mapping
            .with(|map| map.problems(&headers.get(), &m))
            .into_iter()
            .filter(|p| !matches!(p, bulk_core::mapping::MappingProblem::RequiredUnmapped(_)))
            .collect();
        (!p.is_empty()).then(|| {
            view! {
                <ul class="mapping-problems" role="alert">
                    {p.into_iter().map(|p| view! { <li>"✖ " {crate::notice::capitalise(&p.to_string())}</li> }).collect_view()}
                </ul>
            }
        })
    };
    let missing = move || {
        let m = metadata.get()?;
        let names: Vec<String> = mapping.with(|map| {
            m.required()
                .filter(|f| map.column_of(&f.name).is_none())
                .map(|f| f.label().to_string())
                .collect()
        });
        (!names.is_empty()).then(|| {
            view! {
                <p class="required-missing" data-testid="required-missing">
                    <span>"Required, no column yet: "</span>
                    {names.into_iter().map(|n| view! { <span class="chip chip-error">{n}</span> }).collect_view()}
                </p>
            }
        })
    };
    // A few values of each column, so a column named "Field 7" can still be placed.
    let samples = Memo::new(move |_| {
        flow.reading.file.with(|f| {
            f.as_ref()
                .map(|f| f.facts.samples.clone())
                .unwrap_or_default()
        })
    });
    // The table's rows are drawn a slice at a time, a task each: the rows of 200 columns,
    // each with a list of every field, were thousands of elements drawn in one task
    // (110-200 ms on this machine), during which the page could not answer.
    let rows = move || {
        // Shared by the rows, not copied into each.
        let fields: std::sync::Arc<[_]> = metadata
            .get()
            .map(|m| m.fields.clone())
            .unwrap_or_default()
            .into();
        let listed: Vec<(usize, String)> = headers
            .get()
            .into_iter()
            .enumerate()
            // The first columns, and any column mapped beyond them.
            .filter(|(i, _)| {
                *i < MAX_SHOWN_COLUMNS
                    || mapping
                        .with_untracked(|m| m.columns.get(*i).is_some_and(|c| c.field.is_some()))
            })
            .collect();
        let drawn = RwSignal::new(SLICE);
        let total = listed.len();
        leptos::task::spawn_local(async move {
            // Ends when all are drawn, or when the table is drawn again (the signal is gone).
            while drawn.try_get_untracked().is_some_and(|d| d < total) {
                crate::browser::yield_now().await;
                drawn.try_update(|d| *d += SLICE);
            }
        });
        listed
            .chunks(SLICE)
            .enumerate()
            .map(|(k, slice)| {
                let slice = slice.to_vec();
                let fields = fields.clone();
                // A memo: a slice is drawn once, not again for every slice after it.
                let due = Memo::new(move |_| drawn.get() > k * SLICE);
                move || {
                    due.get().then(|| {
                        slice
                            .iter()
                            .map(|(i, h)| {
                                column_row(*i, h.clone(), fields.clone(), mapping, samples, flow)
                            })
                            .collect_view()
                    })
                }
            })
            .collect_view()
    };
    let remembered = move || {
        flow.review.mapping_remembered.get().then(|| {
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
        {missing}
        {problems}
        <div class="mapping-scroll">
        <table class="mapping">
            <caption>"Columns and the fields they go to (* required)"</caption>
            <thead><tr><th scope="col">"File column"</th><th scope="col">"Its values"</th><th scope="col">"Field"</th><th scope="col">"Matched by"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
        <p class="template-line">
            <button type="button" class="link-button" data-testid="template" on:click=move |_| flow.download_template()>
                "Download a template"
            </button>
            <span class="muted small">" a CSV with this object's fields as its header, required fields first."</span>
        </p>
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

/// Rows of the table drawn in one task.
const SLICE: usize = 25;

/// One column's row: its name, a few of its values, the field it goes to and how it was
/// matched.
fn column_row(
    i: usize,
    h: String,
    fields: std::sync::Arc<[bulk_core::metadata::Field]>,
    mapping: Signal<Mapping>,
    samples: Memo<Vec<String>>,
    flow: Flow,
) -> impl IntoView {
    let current = move || {
        mapping.with(|m| {
            m.columns
                .get(i)
                .and_then(|c| c.field.clone())
                .unwrap_or_default()
        })
    };
    let api_name = {
        let fields = fields.clone();
        move || {
            let name = current();
            fields
                .iter()
                .find(|f| f.name == name && f.display_name.as_deref().is_some_and(|d| d != name))
                .map(|f| view! { <code class="api-name">{f.name.clone()}</code> })
        }
    };
    let sample = move || samples.with(|s| s.get(i).cloned().unwrap_or_default());
    let how = move || {
        mapping.with(|m| match m.columns.get(i).and_then(|c| c.how) {
            Some(k) => k.describe().to_string(),
            None => "not imported".to_string(),
        })
    };
    view! {
        <tr>
            <th scope="row">{crate::shown_rows::shown_name(&h)}</th>
            <td class="samples">{sample}</td>
            <td>
                <select
                    aria-label=format!("Field for column {}", crate::shown_rows::shown_name(&h))
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
                            let star = if f.required { " *" } else { "" };
                            let label = match &f.display_name {
                                // The API name is shown small under the list.
                                Some(d) if *d != f.name => format!("{d}{star}"),
                                _ => format!("{}{star}", f.name),
                            };
                            view! { <option value=f.name.clone()>{label}</option> }
                        })
                        .collect_view()}
                </select>
                {api_name}
            </td>
            <td class="muted">{how}</td>
        </tr>
    }
}
