//! What happens to rows with errors at upload: skipped (the default, and the summary says
//! how many and why) or the upload waits until none is left.

use crate::flow::Flow;
use crate::model::plural;
use leptos::prelude::*;

/// The choice, with the consequence spelled out.
#[component]
pub fn UploadPolicy(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let errors = move || {
        flow.review
            .report
            .with(|r| r.as_ref().map(|r| r.error_rows()).unwrap_or(0))
    };
    let skipped = move || {
        flow.review.report.with(|r| {
            let r = r.as_ref()?;
            let kinds: Vec<String> = r
                .counts()
                .into_iter()
                .filter(|c| c.1 == bulk_core::validate::Severity::Error)
                .map(|(k, _, n)| format!("{n} {}", k.label()))
                .collect();
            (!kinds.is_empty()).then(|| {
                format!(
                    "{} skipped: {}.",
                    plural(r.error_rows(), "row", "rows"),
                    kinds.join(", ")
                )
            })
        })
    };
    view! {
        <fieldset class="policy">
            <legend>"Rows with errors"</legend>
            <label>
                <input type="radio" name="policy" prop:checked=move || !flow.review.block_on_errors.get() on:change=move |_| flow.review.block_on_errors.set(false) />
                " Send the valid rows and skip the rest"
            </label>
            <label>
                <input type="radio" name="policy" prop:checked=move || flow.review.block_on_errors.get() on:change=move |_| flow.review.block_on_errors.set(true) />
                " Upload only when no row has an error"
            </label>
            <p class="muted" data-testid="skip-summary">
                {move || match (flow.review.block_on_errors.get(), errors()) {
                    (_, 0) => format!("Every row can be sent to {}.", flow.connection.object.get().unwrap_or_default()),
                    (true, n) => format!("Fix or delete the {} with errors to upload.", plural(n, "row", "rows")),
                    (false, _) => skipped().unwrap_or_default(),
                }}
            </p>
        </fieldset>
    }
}
