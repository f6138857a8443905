//! Where a file comes in: a drop zone with a "Choose a file" button. The file is handed
//! on unread; reading it (a slice at a time) is decided elsewhere.

use leptos::ev::DragEvent;
use leptos::prelude::*;

/// The drop zone and file button.
#[component]
pub fn FilePicker(
    /// Called with the chosen or dropped file.
    on_file: Callback<web_sys::File>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let take = move |file: web_sys::File| on_file.run(file);
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take(file);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>"Drop a CSV, TSV, text export or Excel workbook here, or"</p>
            <label class="button">
                "Choose a file"
                <input
                    id="file-input"
                    type="file"
                    class="visually-hidden"
                    accept=".csv,.tsv,.txt,.tab,.xlsx,.xlsm,.xlsb,.xls,.ods,text/csv,text/tab-separated-values,text/plain"
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        if let Some(file) = input.files().and_then(|l| l.get(0)) {
                            take(file);
                        }
                        input.set_value("");
                    }
                />
            </label>
            <p class="muted small">"The file is read in this browser; only the checked rows are sent, and only to the connector."</p>
        </div>
    }
}
