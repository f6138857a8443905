//! Submitting bulk jobs and following them to the end. A submit is repeated only when the
//! answer proves nothing was created; when the outcome is unknown, the instance's job list
//! decides (see `bulk_core::submit`). Polling follows `bulk_core::poll`'s schedule, slows
//! down in a background tab and catches up when the tab is back. At a terminal state every
//! page of `/errors` is read, since COMPLETED may still hide failed records.

use crate::browser;
use crate::connection::Connected;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use crate::transport;
use bulk_core::api::{self, JobOptions};
use bulk_core::job::RecordError;
use bulk_core::poll::{Next, PollOptions, Schedule};
use bulk_core::submit::{self, AfterFailure, Reconciled};
use bulk_core::{ApiError, JobId, JobState, JobStatus};
use leptos::prelude::*;

/// One submitted job, as the screen sees it.
#[derive(Clone, Debug)]
pub struct JobView {
    /// The job id.
    pub id: JobId,
    /// The object it writes to.
    pub object: String,
    /// The source file's name.
    pub file: String,
    /// Table rows in the order of the job's file (record n is `rows[n - 1]`).
    pub rows: Shared<Vec<usize>>,
    /// Their lines in the file.
    pub lines: Shared<Vec<u64>>,
    /// Identifier values as sent (for failures that name their record, not its position).
    pub identifiers: Shared<Vec<String>>,
    /// When it was submitted (epoch ms).
    pub submitted_ms: f64,
    // Reference-counted signals: a job outlives whatever part of the page created it (a
    // button, a list that re-renders), and lives as long as anyone holds it.
    /// The latest status.
    pub status: ArcRwSignal<Option<JobStatus>>,
    /// Each state seen, with when (epoch ms).
    pub states: ArcRwSignal<Vec<(JobState, f64)>>,
    /// The failed records, once read.
    pub errors: ArcRwSignal<Option<Vec<RecordError>>>,
    /// A problem with following the job.
    pub notice: ArcRwSignal<Option<Notice>>,
    /// The submit's answer was lost and the job was found in the job list.
    pub recovered: bool,
    /// The person asked to cancel it.
    pub cancelling: ArcRwSignal<bool>,
}

impl JobView {
    /// A view of a job that was just created (or found again).
    pub fn new(
        id: JobId,
        object: &str,
        file: &str,
        rows: Vec<usize>,
        lines: Vec<u64>,
        identifiers: Vec<String>,
        recovered: bool,
    ) -> JobView {
        JobView {
            id,
            object: object.to_string(),
            file: file.to_string(),
            rows: Shared::new(rows),
            lines: Shared::new(lines),
            identifiers: Shared::new(identifiers),
            submitted_ms: browser::now_ms(),
            status: ArcRwSignal::new(None),
            states: ArcRwSignal::new(Vec::new()),
            errors: ArcRwSignal::new(None),
            notice: ArcRwSignal::new(None),
            recovered,
            cancelling: ArcRwSignal::new(false),
        }
    }

    /// Records a state, once per change.
    pub fn saw(&self, state: &JobState) {
        self.states.update(|s| {
            if s.last().map(|l| &l.0) != Some(state) {
                s.push((state.clone(), browser::now_ms()));
            }
        });
    }

    /// The line of a failed record, when the connector said which record it was.
    pub fn line_of(&self, error: &RecordError) -> Option<u64> {
        let n = error.record_number? as usize;
        self.lines.get(n.checked_sub(1)?).copied()
    }

    /// The latest state.
    pub fn state(&self) -> Option<JobState> {
        self.status
            .get()
            .map(|s| s.state)
            .or_else(|| self.states.get().last().map(|s| s.0.clone()))
    }
}

/// Why a submit ended without a job.
#[derive(Clone, Debug)]
pub struct SubmitFailed(pub Notice);

/// Creates a job, repeating only when that is safe, and adopting a job the lost answer of
/// an earlier attempt had created. `known` are job ids this session already follows.
pub async fn create(
    conn: &Connected,
    object: &str,
    file_name: &str,
    csv: Vec<u8>,
    options: &JobOptions,
    known: &[JobId],
    progress: &dyn Fn(Notice),
) -> Result<(JobId, bool), SubmitFailed> {
    let since = browser::now_ms() as i64;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let req = api::create_bulk_job(
            &conn.base,
            &conn.creds,
            object,
            file_name,
            csv.clone(),
            options,
        );
        let error = match transport::call(&req, api::parse_job_created).await {
            Ok(created) => return Ok((created.id, false)),
            Err(e) => e,
        };
        match submit::after_failure(&error, attempt) {
            AfterFailure::Retry(ms) => {
                let mut n = Notice::api(&error, "creating the bulk job", Some(&conn.base));
                n.tone = Tone::Warning;
                n.hint = Some(format!(
                    "Nothing was created; sending again in {:.0} s.",
                    ms as f64 / 1000.0
                ));
                progress(n);
                browser::sleep(ms).await;
            }
            AfterFailure::Reconcile => {
                progress(Notice::new(
                    Tone::Warning,
                    "The answer to the upload was lost; checking whether the job was created…",
                ));
                // Clocks differ: look two minutes back, leaving out the jobs already known.
                let list = transport::call(
                    &api::list_jobs(&conn.base, &conn.creds, 200, None),
                    api::parse_jobs,
                )
                .await;
                match list.map(|p| submit::reconcile(&p.items, object, since, 120_000, known)) {
                    Ok(Reconciled::Adopt(id)) => return Ok((id, true)),
                    Ok(Reconciled::NotCreated) => browser::sleep(1000 << attempt.min(4)).await,
                    Ok(Reconciled::Ambiguous(ids)) => {
                        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
                        return Err(SubmitFailed(Notice {
                            tone: Tone::Error,
                            title: "The upload may have created a job, but which one is unclear".into(),
                            detail: Some(format!("New jobs for {object}: {}. Nothing was sent again.", ids.join(", "))),
                            hint: Some("Look at them under “Jobs on this connector” before uploading again.".into()),
                        }));
                    }
                    Err(e) => {
                        let mut n = Notice::api(
                            &e,
                            "checking whether the job was created",
                            Some(&conn.base),
                        );
                        n.hint = Some("Nothing was sent again. Look under “Jobs on this connector” before uploading again.".into());
                        return Err(SubmitFailed(n));
                    }
                }
            }
            AfterFailure::GiveUp => {
                return Err(SubmitFailed(Notice::api(
                    &error,
                    "creating the bulk job",
                    Some(&conn.base),
                )));
            }
        }
    }
}

/// Polls the job until it ends, then reads its errors. `changed` runs after each new
/// status and once more when the errors are in.
pub async fn follow(conn: &Connected, job: &JobView, changed: &dyn Fn()) {
    let mut schedule = Schedule::new(PollOptions::default());
    let mut wait = schedule.first();
    loop {
        browser::sleep_unless_visible(wait).await;
        let req = api::job_status(&conn.base, &conn.creds, &job.id);
        match transport::call(&req, api::parse_job_status).await {
            Ok(status) => {
                job.notice.set(None);
                job.saw(&status.state);
                let next = schedule.on_status(&status.state, browser::page_hidden());
                job.status.set(Some(status));
                changed();
                match next {
                    Next::Wait(ms) => wait = ms,
                    Next::Done => break,
                    Next::GiveUp(e) => return give_up(job, conn, &e),
                }
            }
            Err(e) => match schedule.on_error(e.clone()) {
                Next::Wait(ms) => {
                    let mut n = Notice::api(&e, "checking the job", Some(&conn.base));
                    n.tone = Tone::Warning;
                    n.hint = Some(format!("Trying again in {:.0} s.", ms as f64 / 1000.0));
                    job.notice.set(Some(n));
                    wait = ms;
                }
                Next::Done => break,
                Next::GiveUp(e) => return give_up(job, conn, &e),
            },
        }
    }
    match all_errors(conn, &job.id).await {
        Ok(errors) => job.errors.set(Some(errors)),
        Err(e) => job.notice.set(Some(Notice::api(
            &e,
            "reading the failed records",
            Some(&conn.base),
        ))),
    }
    changed();
}

fn give_up(job: &JobView, conn: &Connected, e: &ApiError) {
    let mut n = Notice::api(e, "checking the job", Some(&conn.base));
    n.hint = Some(format!(
        "Stopped following job {}; its state on the connector is unknown. “Jobs on this connector” shows it.",
        job.id
    ));
    job.notice.set(Some(n));
}

/// Asks the connector to cancel the job; the poller shows CANCELLATION_PENDING, then
/// CANCELLED.
pub async fn cancel(conn: &Connected, job: &JobView) {
    job.cancelling.set(true);
    let req = api::cancel_job(&conn.base, &conn.creds, &job.id);
    match transport::call(&req, api::parse_job_status).await {
        Ok(status) => {
            job.saw(&status.state);
            job.status.set(Some(status));
        }
        Err(e) => {
            job.cancelling.set(false);
            job.notice.set(Some(Notice::api(
                &e,
                "cancelling the job",
                Some(&conn.base),
            )));
        }
    }
}

/// Every page of `/bulk/{id}/errors`.
pub async fn all_errors(conn: &Connected, id: &JobId) -> Result<Vec<RecordError>, ApiError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    let mut schedule = Schedule::new(PollOptions::default());
    loop {
        let req = api::job_errors(&conn.base, &conn.creds, id, 200, token.as_deref());
        match transport::call(&req, api::parse_job_errors).await {
            Ok(page) => {
                out.extend(page.items);
                match page.next_page {
                    // A token that repeats would loop for ever.
                    Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                    _ => return Ok(out),
                }
            }
            Err(e) => match schedule.on_error(e) {
                Next::Wait(ms) => browser::sleep(ms).await,
                Next::GiveUp(e) => return Err(e),
                Next::Done => return Ok(out),
            },
        }
    }
}
