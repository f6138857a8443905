//! What happens to rows with errors at upload: skipped (the default, and the summary says
//! how many and why) or the upload waits until none is left.

use crate::flow::Review;
use crate::model::plural;
use leptos::prelude::*;

/// The choice, with the consequence spelled out.
#[component]
pub fn UploadPolicy(
    /// The rows as they will be sent.
    review: Review,
    /// The object they go to.
    #[prop(into)]
    object: Signal<Option<String>>,
) -> impl IntoView {
    let errors = move || {
        review
            .checked
            .with(|c| c.as_ref().map(|c| c.error_rows).unwrap_or(0))
    };
    let skipped = move || {
        review.checked.with(|r| {
            let r = r.as_ref()?;
            let kinds: Vec<String> = r
                .counts
                .iter()
                .filter(|c| c.1 == bulk_core::validate::Severity::Error)
                .map(|(k, _, n)| format!("{n} {}", k.label()))
                .collect();
            (!kinds.is_empty()).then(|| {
                format!(
                    "{} skipped: {}.",
                    plural(r.error_rows, "row", "rows"),
                    kinds.join(", ")
                )
            })
        })
    };
    view! {
        <fieldset class="policy">
            <legend>"Rows with errors"</legend>
            <label>
                <input type="radio" name="policy" prop:checked=move || !review.block_on_errors.get() on:change=move |_| review.block_on_errors.set(false) />
                " Send the valid rows and skip the rest"
            </label>
            <label>
                <input type="radio" name="policy" prop:checked=move || review.block_on_errors.get() on:change=move |_| review.block_on_errors.set(true) />
                " Upload only when no row has an error"
            </label>
            <p class="muted" data-testid="skip-summary">
                {move || match (review.block_on_errors.get(), errors()) {
                    _ if review.checked.with(|c| c.as_ref().is_some_and(|c| !c.mapping_problems.is_empty())) =>
                        "No row can be sent until the columns are fixed (the Columns step says what is missing).".to_string(),
                    (_, 0) => format!("Every row can be sent to {}.", object.get().unwrap_or_default()),
                    (true, n) => format!("Fix or delete the {} with errors to upload.", plural(n, "row", "rows")),
                    (false, _) => skipped().unwrap_or_default(),
                }}
            </p>
        </fieldset>
    }
}
