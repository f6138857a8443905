//! One bulk job, live: its state and the states it went through, records processed and
//! failed, a progress bar, the elapsed time, and, once it ended, what happened to the rows,
//! with each failed record's message and line.

use crate::browser;
use crate::components::notice_view::NoticeView;
use crate::jobs::JobView;
use crate::model::plural;
use bulk_core::JobState;
use leptos::prelude::*;

/// A job's live card.
#[component]
pub fn JobCard(
    /// The job.
    job: JobView,
    /// Line numbers of the table rows, to point failed records at their lines.
    #[prop(into)]
    line_of: Callback<usize, u64>,
) -> impl IntoView {
    let total = job.rows.len();
    let state = move || {
        job.status
            .get()
            .map(|s| s.state)
            .or_else(|| job.states.get().last().map(|s| s.0.clone()))
    };
    let processed = move || job.status.get().and_then(|s| s.records_count).unwrap_or(0);
    let failed = move || {
        job.status
            .get()
            .and_then(|s| s.records_failed_count)
            .unwrap_or(0)
    };
    let terminal = move || state().is_some_and(|s| s.is_terminal());
    let elapsed = move || {
        let end = job
            .states
            .get()
            .iter()
            .find(|s| s.0.is_terminal())
            .map(|s| s.1);
        let _ = job.status.get();
        let ms = end.unwrap_or_else(browser::now_ms) - job.submitted_ms;
        format!("{:.1} s", ms.max(0.0) / 1000.0)
    };
    let outcome = move || {
        let s = job.status.get()?;
        if !s.state.is_terminal() {
            return None;
        }
        let ok = s.records_succeeded().unwrap_or(0);
        Some(match s.state {
            JobState::Completed => view! {
                <p class="outcome" data-testid="job-outcome">
                    {format!("Finished: {} created, {} failed, of {} sent.", ok, s.records_failed_count.unwrap_or(0), total)}
                </p>
            }.into_any(),
            JobState::Cancelled => view! { <p class="outcome">{format!("Cancelled after {} of {} records.", s.records_count.unwrap_or(0), total)}</p> }.into_any(),
            _ => view! {
                <div class="notice notice-error" role="alert">
                    <strong class="notice-title">{format!("The job ended {}", s.state)}</strong>
                    <p class="notice-detail">{s.error.clone().or(s.message.clone()).unwrap_or_else(|| "The connector gave no reason.".into())}</p>
                    <p class="notice-hint">"Fix what the message names (often a missing key column or a connector setting), then upload again."</p>
                </div>
            }.into_any(),
        })
    };
    let errors_job = job.clone();
    let errors = move || {
        let list = errors_job.errors.get()?;
        if list.is_empty() {
            return Some(
                view! { <p class="muted" data-testid="job-errors">"No failed records."</p> }
                    .into_any(),
            );
        }
        let job = errors_job.clone();
        Some(view! {
            <table class="failures" data-testid="job-errors">
                <caption>{plural(list.len(), "failed record", "failed records")}</caption>
                <thead><tr><th scope="col">"Line"</th><th scope="col">"Connector's message"</th></tr></thead>
                <tbody>
                    {list.iter().map(|e| {
                        let line = job.row_of(e).map(|r| line_of.run(r).to_string()).unwrap_or_else(|| "?".into());
                        view! { <tr><td>{line}</td><td>{e.message.clone()}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any())
    };
    view! {
        <article class="job-card" aria-label=format!("Bulk job {}", job.id)>
            <header class="job-head">
                <h3>"Job " <span data-testid="job-id">{job.id.to_string()}</span> " · " {job.object.clone()}</h3>
                <span class="state" class:state-done=terminal data-testid="job-state" role="status" aria-live="polite">
                    {move || state().map(|s| s.to_string()).unwrap_or_default()}
                </span>
            </header>
            <ol class="timeline" aria-label="States so far">
                {move || job.states.get().into_iter().map(|(s, _)| view! { <li>{s.to_string()}</li> }).collect_view()}
            </ol>
            <progress max=total.max(1) value=move || processed().min(total as u64)></progress>
            <p class="job-counts">
                <span>"Records processed: " <strong data-testid="records-count">{processed}</strong> " of " {total}</span>
                <span>"Failed: " <strong data-testid="failed-count">{failed}</strong></span>
                <span>"Elapsed: " {elapsed}</span>
            </p>
            {outcome}
            <NoticeView notice=job.notice />
            {errors}
        </article>
    }
}
