//! Where every row stands after the uploads, adding up to the rows of the file: created,
//! refused by the connector, not processed, in progress, skipped because of errors, not
//! sent yet, deleted (`bulk_core::fate::FileTotals`, the same fates the grid and the report
//! show). From here the refused rows are sent again, and the result report
//! (every row with its outcome) is downloaded.

use crate::flow::Flow;
use crate::model::{plural, thousands};
use leptos::prelude::*;

/// The totals across every job.
#[component]
pub fn UploadTotals(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let numbers = move || {
        flow.review
            .standing
            .with(|s| s.as_ref().map(|s| (s.totals.clone(), s.resendable)))
    };
    let unidentified = move || flow.upload.ledger.with(|l| l.unidentified());
    move || {
        // Shown once a row was sent, even when no job is known: rows whose job could not be
        // found after their upload lost its answer are "possibly sent".
        if flow.upload.jobs.with(Vec::is_empty)
            && flow.upload.ledger.with(|l| l.sent_rows().next().is_none())
        {
            return None;
        }
        let (file, again) = numbers()?;
        let (rows, t) = (file.rows(), file.sent);
        // Only the numbers that are not zero; together they are the rows of the file.
        let mut parts: Vec<(&'static str, String)> = Vec::new();
        let mut add = |id: &'static str, n: usize, what: String| {
            if n > 0 {
                parts.push((id, format!("{} {what}", thousands(n))));
            }
        };
        add("total-created", t.created, "created".into());
        add("total-updated", t.updated, "updated".into());
        add("total-upserted", t.upserted, "created or updated".into());
        add(
            "total-refused",
            t.failed,
            if t.unidentified > 0 {
                format!(
                    "refused by the connector ({} not identified by row)",
                    thousands(t.unidentified)
                )
            } else {
                "refused by the connector".into()
            },
        );
        add(
            "total-not-processed",
            t.not_processed,
            "not processed".into(),
        );
        add("total-pending", t.pending, "in progress".into());
        add(
            "total-possibly-sent",
            t.possibly_sent,
            "possibly sent (the answer to their upload was lost)".into(),
        );
        add("total-skipped", file.skipped, "skipped (errors)".into());
        add("total-unsent", file.ready, "not sent yet".into());
        add("total-deleted", file.deleted, "deleted".into());
        // The refusals that name a row, and the rows not processed: what could go again.
        let refused_total = t.failed - t.unidentified + t.not_processed;
        Some(view! {
            <div class="totals" role="status" aria-live="polite" data-testid="totals">
                <p>
                    <strong>{format!("Of {}: ", plural(rows, "row", "rows"))}</strong>
                    {parts.into_iter().enumerate().map(|(i, (id, text))| view! {
                        {(i > 0).then_some(" · ")}
                        <span data-testid=id>{text}</span>
                    }).collect_view()}
                </p>
                {(t.unconfirmed > 0).then(|| view! {
                    <details class="unidentified" data-testid="unidentified">
                        <summary>{format!(
                            "{} refused without naming the row: {} rows may be among them",
                            plural(t.unidentified, "record was", "records were"),
                            thousands(t.unconfirmed),
                        )}</summary>
                        <p class="muted small">"The connector counted these refusals but did not say which rows they were, so those rows are not called created. Check them in the connector (“Find the records”), then send again only what is missing."</p>
                        <ul>
                            {move || unidentified().into_iter().map(|(job, m)| view! {
                                <li>{format!("Job {job}: {m}")}</li>
                            }).collect_view()}
                        </ul>
                    </details>
                })}
                <p class="totals-actions">
                    <button type="button" class="primary" id="resend-failed" data-testid="resend-failed" disabled=move || again == 0 || flow.upload.uploading.get() on:click=move |_| flow.resubmit_failed()>
                        {format!("Send failed rows again ({again})")}
                    </button>
                    <button type="button" on:click=move |_| flow.download_results()>"Download the result report"</button>
                </p>
                {(refused_total > again).then(|| view! {
                    <p class="muted small">"Some refused rows have errors now; fix them in the grid to send them again."</p>
                })}
            </div>
        })
    }
}
