//! Pasting rows instead of choosing a file: a folded text area, for a few rows copied from
//! a spreadsheet or an e-mail.

use leptos::prelude::*;

/// The paste area.
#[component]
pub fn PasteBox(
    /// Called with the pasted text.
    on_text: Callback<String>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    view! {
        <details class="paste-box">
            <summary>"Or paste the rows as text"</summary>
            <label class="field-label" for="paste-text">"Rows with a header line (copied from a spreadsheet, or CSV)"</label>
            <textarea
                id="paste-text"
                rows="6"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <button type="button" disabled=move || text.get().trim().is_empty() on:click=move |_| on_text.run(text.get_untracked())>
                "Use this text"
            </button>
        </details>
    }
}
