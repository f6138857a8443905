//! Where every row stands after the uploads, adding up to the rows of the file: created,
//! refused by the connector, not processed, in progress, skipped because of errors, not
//! sent yet, deleted. From here the refused rows are sent again, and the result report
//! (every row with its outcome) is downloaded.

use crate::flow::Flow;
use crate::model::thousands;
use bulk_core::validate::Severity;
use leptos::prelude::*;

/// The totals across every job.
#[component]
pub fn UploadTotals(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let numbers = move || {
        let totals = flow.ledger.with(|l| l.totals());
        flow.report.with(|r| {
            let r = r.as_ref()?;
            let rows = r.rows();
            let deleted = r.deleted();
            let (mut invalid, mut unsent) = (0, 0);
            flow.edits.with(|e| {
                flow.ledger.with(|l| {
                    for row in 0..rows {
                        if e.is_deleted(row) || l.outcome(row).is_some() {
                            continue;
                        }
                        if r.row_severity(row) == Some(Severity::Error) {
                            invalid += 1
                        } else {
                            unsent += 1
                        }
                    }
                })
            });
            let again = flow
                .ledger
                .with(|l| l.to_resubmit())
                .into_iter()
                .filter(|row| r.row_severity(*row) != Some(Severity::Error))
                .count();
            Some((rows, totals, invalid, unsent, deleted, again))
        })
    };
    move || {
        if flow.jobs.with(Vec::is_empty) {
            return None;
        }
        let (rows, t, invalid, unsent, deleted, again) = numbers()?;
        Some(view! {
            <div class="totals" role="status" aria-live="polite" data-testid="totals">
                <p>
                    <strong>{format!("Of {} rows: ", thousands(rows))}</strong>
                    <span data-testid="total-created">{format!("{} created", thousands(t.created))}</span>
                    " · " <span data-testid="total-refused">{format!("{} refused by the connector", thousands(t.failed))}</span>
                    " · " {format!("{} not processed", thousands(t.not_processed))}
                    " · " {format!("{} in progress", thousands(t.pending))}
                    " · " <span data-testid="total-skipped">{format!("{} skipped (errors)", thousands(invalid))}</span>
                    " · " {format!("{} not sent", thousands(unsent))}
                    " · " {format!("{} deleted", thousands(deleted))}
                </p>
                <p class="totals-actions">
                    <button type="button" class="primary" disabled=move || again == 0 || flow.uploading.get() on:click=move |_| flow.resubmit_failed()>
                        {format!("Send failed rows again ({again})")}
                    </button>
                    <button type="button" on:click=move |_| flow.download_results()>"Download the result report"</button>
                </p>
                {(t.failed + t.not_processed > again).then(|| view! {
                    <p class="muted small">"Some refused rows have errors now; fix them in the grid to send them again."</p>
                })}
            </div>
        })
    }
}
