//! The Upload button, which never sends a row twice by accident: it offers the valid rows
//! no job of this file has carried yet ("Upload 37 rows not yet sent"). Sending rows again
//! that the connector already wrote is a separate, explicit choice that names the count
//! and what it means (duplicates for create jobs). The button says which action the jobs
//! will carry when it is not the default create. When the browser's job log shows jobs that
//! carried a file of the same name into the same object before this reading of it (chosen
//! again, read with other options, an earlier session), it says so above the button: those
//! rows cannot be told apart from new ones, and uploading may write them twice.

use crate::earlier_uploads::EarlierUploads;
use crate::flow::Flow;
use crate::model::{plural, thousands};
use bulk_core::api::Action;
use leptos::prelude::*;

/// The upload button and the explicit "send again" choice.
#[component]
pub fn UploadButton(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    // (valid rows, valid rows not sent yet, of the valid rows those already written or
    // possibly written)
    // Counted from the rows sent (at most the jobs' rows), not by walking every row of a
    // file of a million: the ledger changes at every job's end.
    let counts = move || {
        flow.review.standing.with(|s| {
            let s = s.as_ref()?;
            Some((
                s.valid,
                s.valid.saturating_sub(s.sent_valid),
                s.written_valid,
            ))
        })
    };
    let action = move || flow.upload.settings.with(|s| s.action);
    let verb = move || match action() {
        Some(Action::Update) => "Update",
        Some(Action::Upsert) => "Upsert",
        _ => "Upload",
    };
    let fresh = move || counts().map(|c| c.1).unwrap_or(0);
    let any_sent = move || {
        flow.upload
            .ledger
            .with(|l| l.sent_not_failed() > 0 || !l.to_resubmit().is_empty())
    };
    let label = move || {
        if flow.upload.uploading.get() {
            return "Sending…".to_string();
        }
        let n = fresh();
        if any_sent() {
            format!("{} {} not yet sent", verb(), plural(n, "row", "rows"))
        } else {
            format!("{} {}", verb(), plural(n, "row", "rows"))
        }
    };
    let confirm = RwSignal::new(false);
    let acknowledged = flow.upload.acknowledged;
    let again = move || {
        let (valid, _, written) = counts()?;
        (written > 0).then_some((valid, written))
    };
    view! {
        <div class="upload-actions">
            {move || flow.earlier_uploads().map(|EarlierUploads { file: name, object, jobs }| {
                let list = jobs
                    .iter()
                    .take(5)
                    .map(|j| match (j.possibly, j.records) {
                        (true, _) if j.candidates.is_empty() => {
                            "an upload whose answer was lost".to_string()
                        }
                        (true, _) => format!(
                            "an upload whose answer was lost (perhaps in job {})",
                            j.candidates.join(" or ")
                        ),
                        (false, Some(n)) => format!("job {} ({}, {n} records)", j.job, j.state),
                        (false, None) => format!("job {} ({})", j.job, j.state),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let more = jobs.len().saturating_sub(5);
                view! {
                    <div class="notice notice-warning" role="note" data-testid="earlier-uploads">
                        <strong class="notice-title">{format!("{name}, or a file with the same rows, was uploaded to {object} before")}</strong>
                        <p class="notice-detail">{format!(
                            "{}{} carried its rows, before this reading of the file. This app cannot tell those rows from new ones.",
                            crate::notice::capitalise(&list),
                            if more > 0 { format!(" and {more} more") } else { String::new() },
                        )}</p>
                        <p class="notice-hint">"Uploading again may create those records twice. Check “Jobs on this connector” and the records in the connector first, or remove the rows that were already sent."</p>
                        <label class="ack">
                            <input type="checkbox" id="earlier-uploads-ack" data-testid="earlier-uploads-ack"
                                prop:checked=move || acknowledged.get()
                                on:change=move |ev| acknowledged.set(event_target_checked(&ev)) />
                            " I have checked: upload the rows of this file anyway."
                        </label>
                    </div>
                }
            })}
            <button type="button" class="primary" id="upload-button" data-testid="upload"
                on:click=move |_| flow.upload()
                disabled=move || flow.upload.uploading.get() || fresh() == 0 || flow.upload_held()>
                {label}
            </button>
            {move || (!flow.upload.uploading.get()).then(|| {
                // Rows whose upload lost its answer are not known to be sent: said so, also
                // when other rows are ready to go (they are not among them).
                let possibly = flow.review.standing.with(|s| s.as_ref().map_or(0, |s| s.totals.sent.possibly_sent));
                if fresh() > 0 || !any_sent() {
                    return (possibly > 0).then(|| view! {
                        <p class="muted small" data-testid="possibly-sent">{format!(
                            "{} possibly sent (the answer to their upload was lost) {} not in this upload: check the connector's records before sending {} again.",
                            plural(possibly, "row", "rows"),
                            if possibly == 1 { "is" } else { "are" },
                            if possibly == 1 { "it" } else { "them" },
                        )}</p>
                    }.into_any());
                }
                let text = if possibly > 0 {
                    format!(
                        "Every valid row of this file has been sent or possibly sent: the answer to the upload of {} was lost, so check the connector's records before sending {} again. Rows the connector refused are sent again with “Send failed rows again” below.",
                        plural(possibly, "row", "rows"),
                        if possibly == 1 { "it" } else { "them" },
                    )
                } else {
                    "Every valid row of this file has been sent. Rows the connector refused are sent again with “Send failed rows again” below.".to_string()
                };
                Some(view! { <p class="muted small" data-testid="nothing-new">{text}</p> }.into_any())
            })}
            {move || again().map(|(valid, written)| {
                let dup = match action() {
                    Some(Action::Update) => format!("{} already updated would be updated again.", thousands(written)),
                    Some(Action::Upsert) => format!("{} already written would be written again (upsert).", thousands(written)),
                    _ => format!("{} of them the connector already created: they would be created twice, as duplicates.", thousands(written)),
                };
                view! {
                    <details class="send-again" data-testid="send-again">
                        <summary>"Send rows again that were already sent…"</summary>
                        <label>
                            <input type="checkbox" data-testid="send-again-confirm"
                                prop:checked=move || confirm.get()
                                on:change=move |ev| confirm.set(event_target_checked(&ev)) />
                            {format!(" Send all {} valid rows again. {dup}", thousands(valid))}
                        </label>
                        <button type="button" class="danger" data-testid="send-again-button"
                            disabled=move || !confirm.get() || flow.upload.uploading.get()
                            on:click=move |_| { confirm.set(false); flow.upload_again() }>
                            {format!("Send {} rows again", thousands(valid))}
                        </button>
                    </details>
                }
            })}
        </div>
    }
}
