//! A submitted job as the screen sees it, and following it to the end (submitting it is
//! [`crate::submitting`]'s; its items are re-exported here). Polling follows `bulk_core::poll`'s schedule, slows
//! down in a background tab and catches up when the tab is back. At a terminal state every
//! page of `/errors` is read, since COMPLETED may still hide failed records.

use crate::browser;
use crate::connection::Connected;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use crate::transport;
use bulk_core::api::{self, Action};
use bulk_core::failures::SentJob;
use bulk_core::job::RecordError;
use bulk_core::outcome::JobTally;
use bulk_core::poll::{Next, PollOptions, Schedule};
use bulk_core::{ApiError, JobId, JobState, JobStatus};
use leptos::prelude::*;

pub use crate::submitting::{Lanes, SubmitFailed, create};

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
    /// The job's upload file as sent, until its failures are tied to rows (then dropped).
    pub upload: ArcRwSignal<Option<Shared<Vec<u8>>>>,
    /// create / update / upsert, as sent.
    pub action: Option<Action>,
    /// The fingerprint of the rows of its file (`bulk_core::joblog::fingerprint`).
    pub fingerprint: Option<String>,
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
    /// The person stopped following it (a state this app does not know, say).
    pub stopped: ArcRwSignal<bool>,
    /// Its numbers once settled: written, refused (with those that name no row), not
    /// processed.
    pub tally: ArcRwSignal<Option<JobTally>>,
    /// Its refused rows once settled: line and the connector's message.
    pub refused_lines: ArcRwSignal<Vec<(u64, String)>>,
}

/// What a submitted job carries besides its id.
pub struct Submitted {
    /// The object it writes to.
    pub object: String,
    /// The source file's name.
    pub file: String,
    /// Table rows in the order of the job's file.
    pub rows: Vec<usize>,
    /// Their lines in the file.
    pub lines: Vec<u64>,
    /// The upload file, when this session sent it.
    pub upload: Option<Vec<u8>>,
    /// create / update / upsert.
    pub action: Option<Action>,
    /// The fingerprint of the rows of its file.
    pub fingerprint: Option<String>,
    /// The submit's answer was lost and the job was found in the job list.
    pub recovered: bool,
}

impl JobView {
    /// A view of a job that was just created (or found again).
    pub fn new(id: JobId, job: Submitted) -> JobView {
        JobView {
            id,
            object: job.object,
            file: job.file,
            rows: Shared::new(job.rows),
            lines: Shared::new(job.lines),
            upload: ArcRwSignal::new(job.upload.map(Shared::new)),
            action: job.action,
            fingerprint: job.fingerprint,
            submitted_ms: browser::now_ms(),
            status: ArcRwSignal::new(None),
            states: ArcRwSignal::new(Vec::new()),
            errors: ArcRwSignal::new(None),
            notice: ArcRwSignal::new(None),
            recovered: job.recovered,
            cancelling: ArcRwSignal::new(false),
            stopped: ArcRwSignal::new(false),
            tally: ArcRwSignal::new(None),
            refused_lines: ArcRwSignal::new(Vec::new()),
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

    /// The job's file as sent, to tie its failures (`errors`) to rows; for a job followed
    /// again after a reload only its length is known, so only positions can tie them.
    /// Read back only when there is a failure to tie: reading 10,000 rows back held the
    /// page's thread for tens of milliseconds at the end of every job.
    pub fn sent(&self, errors: &[RecordError]) -> SentJob {
        if errors.is_empty() {
            return SentJob::new(Vec::new(), Vec::new());
        }
        let bytes = self.upload.get_untracked();
        match bytes.as_deref().map(|b| SentJob::from_upload(b)) {
            Some(Ok(sent)) => sent,
            Some(Err(e)) => {
                leptos::logging::warn!("job {}: the upload file did not read back: {e}", self.id);
                SentJob::new(Vec::new(), vec![Vec::new(); self.rows.len()])
            }
            None => SentJob::new(Vec::new(), vec![Vec::new(); self.rows.len()]),
        }
    }

    /// Keeps the job's numbers and refused lines once its failures are tied to rows, and
    /// lets the upload file go. `refused` gives the message of a row the job refused.
    pub fn settled(&self, tally: Option<JobTally>, refused: impl Fn(usize) -> Option<String>) {
        let Some(tally) = tally else { return };
        let lines: Vec<(u64, String)> = self
            .rows
            .iter()
            .zip(self.lines.iter())
            .filter_map(|(row, line)| Some((*line, refused(*row)?)))
            .collect();
        self.refused_lines.set(lines);
        self.tally.set(Some(tally));
        self.upload.set(None);
    }

    /// Settles a job on its own, when no ledger of its file is open (followed again after a
    /// reload, or another file was chosen while it ran).
    pub fn settle_alone(&self, identifier: Option<&str>) {
        let (Some(status), Some(errors)) =
            (self.status.get_untracked(), self.errors.get_untracked())
        else {
            return;
        };
        let mut ledger = bulk_core::outcome::Ledger::default();
        ledger.sent(&self.id, self.rows.to_vec(), self.action);
        let tally = ledger.finished(&status, &errors, &self.sent(&errors), identifier);
        self.settled(tally, |row| match ledger.outcome(row) {
            Some(bulk_core::outcome::Outcome::Failed(_, m)) => Some(m.clone()),
            _ => None,
        });
    }

    /// The latest state.
    pub fn state(&self) -> Option<JobState> {
        self.status
            .get()
            .map(|s| s.state)
            .or_else(|| self.states.get().last().map(|s| s.0.clone()))
    }
}

/// Polls the job until it ends, then reads its errors. `changed` runs after each new
/// status and once more when the errors are in.
pub async fn follow(conn: &Connected, job: &JobView, changed: &dyn Fn()) {
    let mut schedule = Schedule::new(PollOptions::default());
    let mut wait = schedule.first();
    loop {
        browser::sleep_unless_visible(wait).await;
        if job.stopped.get_untracked() {
            let mut n = Notice::new(Tone::Info, format!("Stopped following job {}", job.id));
            n.hint = Some("Its rows keep the outcome “sent, not finished”; “Jobs on this connector” shows where it stands.".into());
            job.notice.set(Some(n));
            return;
        }
        let req = api::job_status(&conn.base, &conn.creds, &job.id);
        match transport::call(&req, api::parse_job_status).await {
            Ok(status) => {
                job.notice.set(match &status.state {
                    JobState::Other(s) => Some(Notice {
                        tone: Tone::Warning,
                        title: format!("The connector reports a state this app does not know: “{s}”"),
                        detail: Some("The job is still followed, in case the state moves on to one of the documented ones.".into()),
                        hint: Some("Use “Stop following” if it never does.".into()),
                    }),
                    _ => None,
                });
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
    match crate::connector::job_errors(conn, &job.id).await {
        Ok((errors, repeated)) => {
            if let Some(token) = repeated {
                job.notice.set(Some(Notice {
                    tone: Tone::Warning,
                    title: "The connector's list of failed records went round in circles".into(),
                    detail: Some(format!("It handed back a page token it had sent before (“{token}”), after {} failed records; reading stopped there.", errors.len())),
                    hint: Some("The job's own counts still decide the numbers: failures it counted but did not list are shown as refused, row not identified.".into()),
                }));
            }
            job.errors.set(Some(errors));
        }
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
