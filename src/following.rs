//! Following jobs: each submitted job is polled to its end, its failures are tied to rows
//! in the ledger, it is kept in the browser's job log (so a reload picks unfinished jobs
//! up again with [`Flow::resume`]), and it can be cancelled.

use crate::connection::Connected;
use crate::flow::Flow;
use crate::jobs::{self, JobView, Submitted};
use crate::storage;
use crate::uploading::JOB_LOG_KEY;
use bulk_core::joblog::{self, LoggedJob};
use bulk_core::outcome::Outcome;
use bulk_core::{JobId, JobState};
use leptos::prelude::*;
use leptos::task::spawn_local;

impl Flow {
    /// Follows a job; at its end its failures go onto their rows.
    pub(crate) fn watch(self, conn: Connected, job: JobView, identifier: Option<String>) {
        spawn_local(async move {
            let changed = || {
                self.log(&conn, &job);
                let (Some(status), Some(errors)) =
                    (job.status.get_untracked(), job.errors.get_untracked())
                else {
                    return;
                };
                let sent = job.sent(&errors);
                let tally = self
                    .upload
                    .ledger
                    .try_update(|l| l.finished(&status, &errors, &sent, identifier.as_deref()));
                let Some(tally) = tally.flatten() else {
                    // Another file was chosen while the job ran: its rows are not in this
                    // file's ledger, but the job still shows its own numbers.
                    return job.settle_alone(identifier.as_deref());
                };
                let rows = self
                    .upload
                    .ledger
                    .with_untracked(|l| l.rows_of(&job.id).to_vec());
                self.ledger_changed(std::slice::from_ref(&job.id), &rows);
                job.settled(Some(tally), |row| {
                    self.upload.ledger.with_untracked(|l| match l.outcome(row) {
                        Some(Outcome::Failed(j, m)) if *j == job.id => Some(m.clone()),
                        _ => None,
                    })
                });
            };
            jobs::follow(&conn, &job, &changed).await;
        });
    }

    /// Cancels a job.
    pub fn cancel_job(self, job: JobView) {
        let Some(conn) = self.connection.conn.get_untracked() else {
            return;
        };
        spawn_local(async move { jobs::cancel(&conn, &job).await });
    }

    /// Writes a job's latest state to the job log.
    pub(crate) fn log(self, conn: &Connected, job: &JobView) {
        let status = job.status.get_untracked();
        let entry = LoggedJob {
            job: job.id.to_string(),
            submitted_ms: job.submitted_ms,
            state: job.state().map(|s| s.to_string()).unwrap_or_default(),
            records: status.as_ref().and_then(|s| s.records_count),
            failed: status.as_ref().and_then(|s| s.records_failed_count),
            ..log_entry(
                conn,
                &job.object,
                &job.file,
                &job.rows,
                &job.lines,
                &job.fingerprint,
            )
        };
        self.write_log(|l| l.upsert(entry));
    }

    /// Writes to the job log the rows of an upload whose answer was lost while `candidates`
    /// were listed as new (see [`bulk_core::joblog::LoggedJob::possibly`]): after a reload
    /// the file's rows are then not offered as never sent, with no word (they were, once).
    pub(crate) fn log_possibly_sent(
        self,
        conn: &Connected,
        sent: &crate::jobs::Submitted,
        candidates: &[JobId],
    ) {
        let entry = log_entry(
            conn,
            &sent.object,
            &sent.file,
            &sent.rows,
            &sent.lines,
            &sent.fingerprint,
        );
        let ids = candidates.iter().map(ToString::to_string).collect();
        self.write_log(|l| l.note_possibly_sent(entry, ids));
    }

    /// Changes the job log and stores it.
    fn write_log(self, change: impl FnOnce(&mut bulk_core::joblog::JobLog)) {
        self.upload.joblog.update(change);
        self.upload
            .joblog
            .with_untracked(|l| storage::set(JOB_LOG_KEY, &l.to_json()));
    }

    /// Follows again a job from the log (after a reload).
    pub fn resume(self, logged: LoggedJob) {
        let Some(conn) = self.connection.conn.get_untracked() else {
            return;
        };
        // Not one followed already, nor one of this upload's.
        if self
            .upload
            .has_job(&bulk_core::JobId::new(logged.job.clone()))
        {
            return;
        }
        let rows = joblog::expand(&logged.rows)
            .into_iter()
            .map(|r: u32| r as usize)
            .collect();
        let mut job = JobView::new(
            JobId::new(&logged.job),
            Submitted {
                object: logged.object.clone(),
                file: logged.file.clone(),
                rows,
                lines: joblog::expand(&logged.lines),
                upload: None,
                action: None,
                fingerprint: logged.fingerprint.clone(),
                recovered: false,
            },
        );
        job.submitted_ms = logged.submitted_ms;
        job.saw(&JobState::parse(&logged.state));
        self.upload.jobs.update(|j| j.insert(0, job.clone()));
        // Its card is on the Upload step.
        self.steps.go(crate::steps::StepId::Upload);
        spawn_local(async move {
            // Its rows belong to a file of an earlier session: the job shows its own
            // failures by line, the ledger of the file open now is not touched.
            let changed = || {
                self.log(&conn, &job);
                job.settle_alone(None);
            };
            jobs::follow(&conn, &job, &changed).await;
        });
    }
}

/// A job log entry for rows of `file` sent to `object` (its job, times and states left to
/// the caller).
fn log_entry(
    conn: &Connected,
    object: &str,
    file: &str,
    rows: &[usize],
    lines: &[u64],
    fingerprint: &Option<String>,
) -> LoggedJob {
    LoggedJob {
        origin: conn.base.origin(),
        hub: conn.base.hub().map(str::to_string),
        object: object.to_string(),
        job: String::new(),
        file: file.to_string(),
        rows: joblog::ranges(&rows.iter().map(|r| *r as u32).collect::<Vec<_>>()),
        lines: joblog::ranges(lines),
        submitted_ms: crate::browser::now_ms(),
        state: String::new(),
        records: None,
        failed: None,
        fingerprint: fingerprint.clone(),
        possibly: false,
        candidates: Vec::new(),
    }
}
