//! The Upload button, which never sends a row twice by accident: it offers the valid rows
//! no job of this file has carried yet ("Upload 37 rows not yet sent"). Sending rows again
//! that the connector already wrote is a separate, explicit choice that names the count
//! and what it means (duplicates for create jobs). The button says which action the jobs
//! will carry when it is not the default create.

use crate::flow::Flow;
use crate::model::{plural, thousands};
use bulk_core::api::Action;
use bulk_core::validate::Severity;
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
        flow.report.with(|r| {
            let r = r.as_ref()?;
            let valid = r.valid_count();
            if valid == 0 {
                return Some((0, 0, 0));
            }
            flow.edits.with(|e| {
                flow.ledger.with(|l| {
                    let (mut sent, mut written) = (0, 0);
                    for (row, o) in l.sent_rows() {
                        if e.is_deleted(row) || r.row_severity(row) == Some(Severity::Error) {
                            continue;
                        }
                        sent += 1;
                        if !o.is_retryable() {
                            written += 1;
                        }
                    }
                    Some((valid, valid.saturating_sub(sent), written))
                })
            })
        })
    };
    let action = move || flow.settings.with(|s| s.action);
    let verb = move || match action() {
        Some(Action::Update) => "Update",
        Some(Action::Upsert) => "Upsert",
        _ => "Upload",
    };
    let fresh = move || counts().map(|c| c.1).unwrap_or(0);
    let any_sent = move || {
        flow.ledger
            .with(|l| l.sent_not_failed() > 0 || !l.to_resubmit().is_empty())
    };
    let label = move || {
        if flow.uploading.get() {
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
    let again = move || {
        let (valid, _, written) = counts()?;
        (written > 0).then_some((valid, written))
    };
    view! {
        <div class="upload-actions">
            <button type="button" class="primary" data-testid="upload"
                on:click=move |_| flow.upload()
                disabled=move || flow.uploading.get() || fresh() == 0>
                {label}
            </button>
            {move || (fresh() == 0 && any_sent() && !flow.uploading.get()).then(|| view! {
                <p class="muted small" data-testid="nothing-new">"Every valid row of this file has been sent. Rows the connector refused are sent again with “Send failed rows again” below."</p>
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
                            disabled=move || !confirm.get() || flow.uploading.get()
                            on:click=move |_| { confirm.set(false); flow.upload_again() }>
                            {format!("Send {} rows again", thousands(valid))}
                        </button>
                    </details>
                }
            })}
        </div>
    }
}
