//! One bulk job, live: its state and the states it went through (announced to screen
//! readers), records processed and failed, a progress bar, the elapsed time, a Cancel
//! button while it runs, and, once it ended, what happened to its rows: each failed
//! record's line and the connector's message.

use crate::browser;
use crate::components::notice_view::NoticeView;
use crate::flow::Flow;
use crate::jobs::JobView;
use crate::model::plural;
use bulk_core::JobState;
use leptos::prelude::*;

/// A job's live card.
#[component]
pub fn JobCard(
    /// The job.
    job: JobView,
    /// The flow (to cancel).
    flow: Flow,
) -> impl IntoView {
    let total = job.rows.len();
    // Signals owned by this card that read the job's shared ones: cheap to copy into views.
    let status = RwSignal::from(job.status.clone());
    let states = RwSignal::from(job.states.clone());
    let job_errors = RwSignal::from(job.errors.clone());
    let notice = RwSignal::from(job.notice.clone());
    let cancelling = RwSignal::from(job.cancelling.clone());
    let state = move || {
        status
            .get()
            .map(|s| s.state)
            .or_else(|| states.get().last().map(|s| s.0.clone()))
    };
    let processed = move || status.get().and_then(|s| s.records_count).unwrap_or(0);
    let failed = move || {
        status
            .get()
            .and_then(|s| s.records_failed_count)
            .unwrap_or(0)
    };
    let terminal = move || state().is_some_and(|s| s.is_terminal());
    let submitted_ms = job.submitted_ms;
    let elapsed = move || {
        let end = states.get().iter().find(|s| s.0.is_terminal()).map(|s| s.1);
        let _ = status.get();
        let ms = end.unwrap_or_else(browser::now_ms) - submitted_ms;
        format!("{:.1} s", ms.max(0.0) / 1000.0)
    };
    let tally = RwSignal::from(job.tally.clone());
    let refused_lines = RwSignal::from(job.refused_lines.clone());
    let outcome = move || {
        let s = status.get()?;
        if !s.state.is_terminal() {
            return None;
        }
        // Until the failures are read and tied to rows, the connector's own counts.
        let numbers = match tally.get() {
            Some(t) => {
                let mut parts = vec![format!("{} {}", t.written, t.written_as.word())];
                let unidentified = t.unidentified.len();
                parts.push(if unidentified > 0 {
                    format!(
                        "{} refused ({} not identified by row)",
                        t.refused, unidentified
                    )
                } else {
                    format!("{} refused", t.refused)
                });
                if t.not_processed > 0 {
                    parts.push(format!("{} not processed", t.not_processed));
                }
                format!("{}, of {} sent.", parts.join(", "), t.rows)
            }
            None => format!(
                "{} processed, {} refused, of {} sent; reading the failed records…",
                s.records_count.unwrap_or(0),
                s.records_failed_count.unwrap_or(0),
                total
            ),
        };
        Some(match s.state {
            JobState::Completed => view! {
                <p class="outcome" data-testid="job-outcome">{format!("Finished: {numbers}")}</p>
            }
            .into_any(),
            JobState::Cancelled => view! {
                <p class="outcome" data-testid="job-outcome">{format!("Cancelled: {numbers}")}</p>
            }
            .into_any(),
            _ => view! {
                <div class="notice notice-error" role="alert" data-testid="job-outcome">
                    <strong class="notice-title">{format!("The job ended {}", s.state)}</strong>
                    <p class="notice-detail">{s.error.clone().or(s.message.clone()).unwrap_or_else(|| "The connector gave no reason.".into())}</p>
                    <p class="notice-hint">
                        {numbers} " "
                        "Fix what the message names (often a missing key column or a connector setting), then use “Send failed rows again”."
                    </p>
                </div>
            }
            .into_any(),
        })
    };
    let errors = move || {
        let list = job_errors.get()?;
        let t = tally.get();
        let lines = refused_lines.get();
        let unidentified = t.map(|t| t.unidentified).unwrap_or_default();
        if list.is_empty() && unidentified.is_empty() {
            return Some(
                view! { <p class="muted" data-testid="job-errors">"No failed records."</p> }
                    .into_any(),
            );
        }
        let count = lines.len() + unidentified.len();
        Some(
            view! {
                <table class="failures" data-testid="job-errors">
                    <caption>{plural(count, "refused record", "refused records")}</caption>
                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Connector's message"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|(line, m)| {
                            view! { <tr data-testid="refused-line"><td>{line}</td><td>{m}</td></tr> }
                        }).collect_view()}
                        {unidentified.into_iter().map(|m| {
                            view! { <tr data-testid="refused-unidentified"><td class="muted">"row not identified"</td><td>{m}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
        )
    };
    let cancel_job = job.clone();
    let stopped = RwSignal::from(job.stopped.clone());
    let unknown_state = move || matches!(state(), Some(JobState::Other(_))) && !stopped.get();
    let can_cancel = move || {
        !state().is_some_and(|s| s.is_terminal() || s == JobState::CancellationPending)
            && !cancelling.get()
    };
    view! {
        <article class="job-card" aria-label=format!("Bulk job {}", job.id)>
            <header class="job-head">
                <h3>"Job " <span data-testid="job-id">{job.id.to_string()}</span> " · " {job.object.clone()}
                    {job.action.map(|a| view! { " " <span class="badge" data-testid="job-action">{a.as_str()}</span> })}
                    <span class="muted small">{format!(" · {} from {}", plural(total, "row", "rows"), job.file)}</span>
                </h3>
                <span class="state" class:state-done=terminal data-testid="job-state" role="status" aria-live="polite">
                    {move || match state() {
                        Some(JobState::Other(s)) => format!("{s} (unknown state)"),
                        Some(s) => s.to_string(),
                        None => String::new(),
                    }}
                </span>
            </header>
            {job.recovered.then(|| view! { <p class="muted small">"Found in the job list after the answer to the upload was lost; sent once."</p> })}
            <ol class="timeline" aria-label="States so far">
                {move || states.get().into_iter().map(|(s, _)| view! { <li>{s.to_string()}</li> }).collect_view()}
            </ol>
            <progress max=total.max(1) value=move || processed().min(total as u64) aria-label="Records processed"></progress>
            <p class="job-counts">
                <span>"Records processed: " <strong data-testid="records-count">{processed}</strong> " of " {total}</span>
                <span>"Failed: " <strong data-testid="failed-count">{failed}</strong></span>
                <span>"Elapsed: " {elapsed}</span>
                <Show when=can_cancel>
                    <button type="button" class="small-button" on:click={
                        let j = cancel_job.clone();
                        move |_| flow.cancel_job(j.clone())
                    }>"Cancel job"</button>
                </Show>
                <Show when=unknown_state>
                    <button type="button" class="small-button" data-testid="stop-following" on:click=move |_| stopped.set(true)>"Stop following"</button>
                </Show>
            </p>
            {outcome}
            <NoticeView notice=notice />
            {errors}
        </article>
    }
}
