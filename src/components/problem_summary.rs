//! The count that matters before uploading: how many rows will be sent, how many are
//! skipped because of errors, how many carry warnings, and the problems counted by kind.

use crate::model::{plural, thousands};
use crate::shared::Shared;
use bulk_core::validate::{Report, Severity};
use leptos::prelude::*;

/// The validation summary.
#[component]
pub fn ProblemSummary(
    /// The validation of the rows.
    #[prop(into)]
    report: Signal<Option<Shared<Report>>>,
) -> impl IntoView {
    move || {
        report.get().map(|r| {
            let send = r.valid_count();
            let errors = r.error_rows();
            let warnings = r.warning_rows();
            let counts = r.counts();
            let err_class = if errors > 0 { "bad" } else { "" };
            view! {
                <div class="summary" role="status" aria-live="polite">
                    <p class="summary-line">
                        <strong data-testid="send-count">{plural(send, "row", "rows")}</strong>
                        " of " {thousands(r.rows())} " will be sent. "
                        <span data-testid="error-rows" class=err_class>{plural(errors, "row has", "rows have")} " errors and will be skipped"</span>
                        "; " {plural(warnings, "row has", "rows have")} " only warnings."
                    </p>
                    {(!counts.is_empty()).then(|| view! {
                        <ul class="counts" aria-label="Problems by kind">
                            {counts.into_iter().map(|(kind, sev, n)| {
                                let (icon, class) = match sev { Severity::Error => ("✖", "count-error"), Severity::Warning => ("⚠", "count-warning") };
                                view! { <li class=class>{icon} " " {kind.label()} ": " <strong>{n}</strong></li> }
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    }
}
