//! Where a file comes in: a drop zone with a "Choose a file" button. The bytes are read by
//! the browser and handed on; what they mean is decided elsewhere.

use crate::browser;
use crate::components::notice_view::NoticeView;
use crate::notice::Notice;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The drop zone and file button.
#[component]
pub fn FilePicker(
    /// Called with the file's name and bytes.
    on_file: Callback<(String, Vec<u8>)>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let take = move |file: web_sys::File| {
        notice.set(None);
        let name = file.name();
        spawn_local(async move {
            match browser::read_file(&file).await {
                Ok(bytes) => on_file.run((name, bytes)),
                Err(e) => notice.set(Some(Notice::unreadable(&name, &e))),
            }
        });
    };
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
            <p>"Drop a CSV, TSV or text export here, or"</p>
            <label class="button">
                "Choose a file"
                <input
                    type="file"
                    class="visually-hidden"
                    accept=".csv,.tsv,.txt,.tab,text/csv,text/tab-separated-values,text/plain"
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
        <NoticeView notice=notice />
    }
}
