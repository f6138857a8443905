//! Find and replace within one column: plain text, with a count of the cells it would
//! change before anything changes, applied as one undoable step.

use crate::flow::Flow;
use leptos::prelude::*;

/// The find-and-replace form.
#[component]
pub fn FindReplace(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let column = RwSignal::new(0usize);
    let find = RwSignal::new(String::new());
    let replace = RwSignal::new(String::new());
    let done = RwSignal::new(None::<usize>);
    let headers = move || {
        flow.reading.file.with(|f| {
            f.as_ref()
                .map(|f| f.facts.headers.clone())
                .unwrap_or_default()
        })
    };
    // The cells that hold the text, counted again (in a later task) as it is typed or the
    // rows change; `None` until the count for what is typed now arrives.
    let matches = RwSignal::new(None::<usize>);
    let counts = crate::loading::Tickets::new();
    Effect::new(move |_| {
        let (c, needle) = (column.get(), find.get());
        flow.track_rows();
        matches.set(None);
        counts.latest(flow.fetch_count_matches(c, needle), move |n| {
            matches.set(Some(n))
        });
    });
    // A replace under way: the button waits for it (a second click would replace nothing
    // and say so over the first's count).
    let replacing = RwSignal::new(false);
    let apply = move |_| {
        if replacing.get_untracked() {
            return;
        }
        replacing.set(true);
        let (c, f, r) = (
            column.get_untracked(),
            find.get_untracked(),
            replace.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let n = flow.replace_all(c, f, r).await;
            done.set(Some(n));
            replacing.set(false);
        });
    };
    view! {
        <details class="find-replace">
            <summary>"Find and replace in a column"</summary>
            <div class="field-row">
                <div class="field">
                    <label class="field-label" for="fr-column">"Column"</label>
                    <select id="fr-column" on:change=move |ev| column.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {move || headers().into_iter().enumerate().map(|(i, h)| view! { <option value=i.to_string()>{crate::shown_rows::shown_name(&h)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field-label" for="fr-find">"Find (exact text)"</label>
                    <input id="fr-find" type="text" prop:value=move || find.get() on:input=move |ev| { done.set(None); find.set(event_target_value(&ev)) } />
                </div>
                <div class="field">
                    <label class="field-label" for="fr-replace">"Replace with"</label>
                    <input id="fr-replace" type="text" prop:value=move || replace.get() on:input=move |ev| replace.set(event_target_value(&ev)) />
                </div>
            </div>
            <p class="muted" data-testid="replace-preview">
                {move || match done.get() {
                    Some(n) => format!("Replaced in {n} cell(s). Undo brings them back."),
                    None if find.get().is_empty() => "Type the text to find.".to_string(),
                    None => match matches.get() {
                        Some(n) => format!("{n} cell(s) contain it."),
                        None => "Counting…".to_string(),
                    },
                }}
            </p>
            <button type="button" on:click=apply disabled=move || replacing.get() || find.get().is_empty() || matches.get().unwrap_or(0) == 0>"Replace all"</button>
        </details>
    }
}
