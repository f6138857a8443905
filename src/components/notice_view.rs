//! Shows a [`Notice`]: title, detail and what to do, announced to screen readers.

use crate::notice::Notice;
use leptos::prelude::*;

/// A notice box; empty when there is none.
#[component]
pub fn NoticeView(
    /// The notice to show.
    #[prop(into)]
    notice: Signal<Option<Notice>>,
) -> impl IntoView {
    move || {
        notice.get().map(|n| {
            view! {
                <div class=n.tone.class() role="status" aria-live="polite">
                    <strong class="notice-title">{n.title}</strong>
                    {n.detail.map(|d| view! { <p class="notice-detail">{d}</p> })}
                    {n.hint.map(|h| view! { <p class="notice-hint">{h}</p> })}
                </div>
            }
        })
    }
}
