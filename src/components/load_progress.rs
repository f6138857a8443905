//! The progress of a long read or check: what is happening, a bar, how far (bytes or rows),
//! and a Cancel button. Announced politely to screen readers.

use crate::loading::Progress;
use crate::model::{human_size, thousands};
use leptos::prelude::*;

/// The progress bar of the current run; nothing when idle.
#[component]
pub fn LoadProgress(
    /// The run's progress.
    #[prop(into)]
    progress: Signal<Option<Progress>>,
    /// Called when the person cancels.
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        progress.get().map(|p| {
            // No total: work that cannot say how far it is (a workbook opening in its
            // worker); the bar moves without a value.
            let unknown = p.total <= 0.0;
            let amount = if unknown {
                String::new()
            } else if p.bytes {
                format!("{} of {} · {} rows", human_size(p.done as usize), human_size(p.total as usize), thousands(p.rows))
            } else {
                format!("{} of {} rows", thousands(p.done as usize), thousands(p.total as usize))
            };
            let bar = if unknown {
                view! { <progress></progress> }.into_any()
            } else {
                view! { <progress max=p.total.max(1.0) value=p.done></progress> }.into_any()
            };
            view! {
                <div class="load-progress" role="status" aria-live="polite" data-testid="load-progress">
                    <span class="load-label">{p.label.clone()}</span>
                    {bar}
                    <span class="muted small">{amount}</span>
                    <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </div>
            }
        })
    }
}
