//! Submitting a bulk job and following it to the end. The poll timing is `bulk-core`'s
//! [`Schedule`]; this module only sleeps, asks, and writes what it learns into the job's
//! signals. At a terminal state it always reads every page of `/errors`, since COMPLETED
//! may still hide failed records.

use crate::browser;
use crate::connection::Connected;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use crate::transport;
use bulk_core::api::{self, JobOptions};
use bulk_core::job::RecordError;
use bulk_core::poll::{Next, PollOptions, Schedule};
use bulk_core::{ApiError, JobId, JobState, JobStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One submitted job, as the screen sees it.
#[derive(Clone, Debug)]
pub struct JobView {
    /// The job id.
    pub id: JobId,
    /// The object it writes to.
    pub object: String,
    /// Table rows in the order of the job's file (record n is `rows[n - 1]`).
    pub rows: Shared<Vec<usize>>,
    /// When it was submitted (epoch ms).
    pub submitted_ms: f64,
    /// The latest status.
    pub status: RwSignal<Option<JobStatus>>,
    /// Each state seen, with when (epoch ms).
    pub states: RwSignal<Vec<(JobState, f64)>>,
    /// The failed records, once read.
    pub errors: RwSignal<Option<Vec<RecordError>>>,
    /// A problem with following the job.
    pub notice: RwSignal<Option<Notice>>,
}

impl JobView {
    fn saw(&self, state: &JobState) {
        self.states.update(|s| {
            if s.last().map(|l| &l.0) != Some(state) {
                s.push((state.clone(), browser::now_ms()));
            }
        });
    }

    /// The table row of a failed record, when the connector said which record it was.
    pub fn row_of(&self, error: &RecordError) -> Option<usize> {
        let n = error.record_number? as usize;
        self.rows.get(n.checked_sub(1)?).copied()
    }
}

/// Sends the upload file as a new job and starts following it.
pub async fn submit(
    conn: &Connected,
    object: &str,
    file_name: &str,
    csv: Vec<u8>,
    rows: Vec<usize>,
) -> Result<JobView, Notice> {
    let req = api::create_bulk_job(
        &conn.base,
        &conn.creds,
        object,
        file_name,
        csv,
        &JobOptions::default(),
    );
    let created = transport::call(&req, api::parse_job_created)
        .await
        .map_err(|e| Notice::api(&e, "creating the bulk job", Some(&conn.base)))?;
    let job = JobView {
        id: created.id.clone(),
        object: object.to_string(),
        rows: Shared::new(rows),
        submitted_ms: browser::now_ms(),
        status: RwSignal::new(None),
        states: RwSignal::new(Vec::new()),
        errors: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    job.saw(&created.state);
    follow(conn.clone(), job.clone());
    Ok(job)
}

/// Polls the job until it ends, then reads its errors.
pub fn follow(conn: Connected, job: JobView) {
    spawn_local(async move {
        let mut schedule = Schedule::new(PollOptions::default());
        let mut wait = schedule.first();
        loop {
            browser::sleep(wait).await;
            let req = api::job_status(&conn.base, &conn.creds, &job.id);
            match transport::call(&req, api::parse_job_status).await {
                Ok(status) => {
                    job.notice.set(None);
                    job.saw(&status.state);
                    let next = schedule.on_status(&status.state, browser::page_hidden());
                    job.status.set(Some(status));
                    match next {
                        Next::Wait(ms) => wait = ms,
                        Next::Done => break,
                        Next::GiveUp(e) => return give_up(&job, &conn, &e),
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
                    Next::GiveUp(e) => return give_up(&job, &conn, &e),
                },
            }
        }
        match all_errors(&conn, &job.id).await {
            Ok(errors) => job.errors.set(Some(errors)),
            Err(e) => job.notice.set(Some(Notice::api(
                &e,
                "reading the failed records",
                Some(&conn.base),
            ))),
        }
    });
}

fn give_up(job: &JobView, conn: &Connected, e: &ApiError) {
    let mut n = Notice::api(e, "checking the job", Some(&conn.base));
    n.hint = Some(format!(
        "Stopped following job {}; its state on the connector is unknown.",
        job.id
    ));
    job.notice.set(Some(n));
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
