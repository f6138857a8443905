//! What became of every row: sent in which job, written (created, updated, or either for
//! upsert), refused by the connector (with its message), not processed because the job was
//! aborted or cancelled, or still waiting. A job's numbers are the connector's: refused is
//! never below its `recordsFailedCount`, and a failure that cannot be tied to a row
//! ([`crate::failures`]) stays a refusal "row not identified": the rows it may be are
//! *unconfirmed*, never counted as written. The latest attempt of a row decides its
//! outcome, so a row resubmitted after a fix is never counted twice.

use crate::api::Action;
use crate::failures::{self, SentJob};
use crate::job::{JobId, JobState, JobStatus, RecordError};
use std::collections::HashMap;

/// What a successful record became, as the job's action implies.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Written {
    /// `create` (the connector's default).
    #[default]
    Created,
    /// `update`.
    Updated,
    /// `upsert`: created or updated, the connector does not say which.
    Upserted,
}

impl Written {
    /// What the action of a job implies.
    pub fn of(action: Option<Action>) -> Written {
        match action {
            None | Some(Action::Create) => Written::Created,
            Some(Action::Update) => Written::Updated,
            Some(Action::Upsert) => Written::Upserted,
        }
    }
    /// The word for people.
    pub fn word(self) -> &'static str {
        match self {
            Written::Created => "created",
            Written::Updated => "updated",
            Written::Upserted => "created or updated",
        }
    }
}

/// The outcome of one row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    /// In a job that has not finished.
    Pending(JobId),
    /// Written by the connector.
    Written(JobId, Written),
    /// Refused by the connector, with its message.
    Failed(JobId, String),
    /// Not processed: the job ended ABORTED, ERROR or CANCELLED before reaching it.
    NotProcessed(JobId, String),
    /// The submit that carried the row lost its answer and the job list showed several new
    /// jobs: one of these may hold it (none named: the job list could not be read either).
    /// Never counted as sent again, never sent again without the person's explicit choice.
    PossiblySent(Vec<JobId>),
    /// Processed, but the job refused records it did not identify, and this row may be
    /// one of them: written unless it is one of those `unidentified`.
    Unconfirmed {
        /// The job.
        job: JobId,
        /// What it became if it went through.
        written: Written,
        /// Refusals of the job that name no row.
        unidentified: usize,
    },
}

impl Outcome {
    /// The job the row was last sent in, when that is known.
    pub fn job(&self) -> Option<&JobId> {
        match self {
            Outcome::Pending(j)
            | Outcome::Written(j, _)
            | Outcome::Failed(j, _)
            | Outcome::NotProcessed(j, _)
            | Outcome::Unconfirmed { job: j, .. } => Some(j),
            Outcome::PossiblySent(_) => None,
        }
    }
    /// A few words for people and reports.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Pending(j) => format!("sent in job {j}, not finished"),
            Outcome::Written(j, w) => format!("{} (job {j})", w.word()),
            Outcome::Failed(j, m) => format!("refused by the connector (job {j}): {m}"),
            Outcome::NotProcessed(j, why) => format!("not processed (job {j} {why})"),
            Outcome::PossiblySent(jobs) if jobs.is_empty() => "possibly sent: the answer to its upload was lost and the connector's job list could not be read; look at its jobs before sending it again".into(),
            Outcome::PossiblySent(jobs) => format!(
                "possibly sent: the answer to its upload was lost; check job {} on the connector",
                jobs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Outcome::Unconfirmed {
                job,
                written,
                unidentified,
            } => format!(
                "probably {} (job {job}), unless it is {} the connector refused without naming the row",
                written.word(),
                if *unidentified == 1 {
                    "the one record".to_string()
                } else {
                    format!("one of the {unidentified} records")
                }
            ),
        }
    }
    /// True for the outcomes that "Send failed rows again" sends again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Outcome::Failed(..) | Outcome::NotProcessed(..))
    }
}

/// A job's numbers, adding up to its rows: `written + refused + not_processed + pending
/// == rows`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JobTally {
    /// Rows sent in the job.
    pub rows: usize,
    /// What its successful records became.
    pub written_as: Written,
    /// Records written.
    pub written: usize,
    /// Records refused (identified or not); never below the job's `recordsFailedCount`.
    pub refused: usize,
    /// Records not processed.
    pub not_processed: usize,
    /// Rows still in a running job.
    pub pending: usize,
    /// Refusals that name no row: the connector's messages.
    pub unidentified: Vec<String>,
}

/// A job as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Sent {
    rows: Vec<usize>,
    written_as: Written,
    tally: JobTally,
}

/// The rows of each job and the outcome of every row that was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    /// By row. Hashed with Fx, not the standard library's SipHash: a row number needs no
    /// defence against chosen keys, and a job's 10,000 rows went in on the page's thread.
    outcomes: rustc_hash::FxHashMap<usize, Outcome>,
    jobs: HashMap<JobId, Sent>,
    /// Jobs in the order they were sent (for reports).
    order: Vec<JobId>,
}

/// What one change to a ledger wrote: some jobs and the outcomes of some rows, as they are
/// after the change. A copy of the ledger elsewhere (the app's worker that keeps the rows)
/// takes it with [`Ledger::absorb`] and is then equal to the original again, without the
/// whole ledger (millions of rows after a big upload) being copied at every job's end.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerPart {
    jobs: Vec<(JobId, Sent)>,
    outcomes: Vec<(usize, Option<Outcome>)>,
}

/// Rows by outcome, across the jobs of a file; they add up to the rows sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// Written: created.
    pub created: usize,
    /// Written: updated.
    pub updated: usize,
    /// Written: created or updated (upsert).
    pub upserted: usize,
    /// Refused by the connector, identified or not.
    pub failed: usize,
    /// Of `failed`, refusals that name no row.
    pub unidentified: usize,
    /// Rows that may be among the unidentified refusals (counted in written or failed).
    pub unconfirmed: usize,
    /// Not processed (aborted, cancelled).
    pub not_processed: usize,
    /// In jobs still running.
    pub pending: usize,
    /// In a submit whose answer was lost, with more than one candidate job.
    pub possibly_sent: usize,
}

impl Totals {
    /// Rows these totals cover.
    pub fn rows(&self) -> usize {
        self.written() + self.failed + self.not_processed + self.pending + self.possibly_sent
    }
    /// Rows written, whatever the action.
    pub fn written(&self) -> usize {
        self.created + self.updated + self.upserted
    }
    fn add_written(&mut self, w: Written, n: usize) {
        match w {
            Written::Created => self.created += n,
            Written::Updated => self.updated += n,
            Written::Upserted => self.upserted += n,
        }
    }
}

/// How many of a job's records the connector processed. `recordsCount` counts failed
/// records too (every recorded test), but one CE formula reads it as the successes; for a
/// COMPLETED job whose `recordsCount + recordsFailedCount` is exactly its rows, that is
/// the only reading under which no record went missing.
fn processed(status: &JobStatus, rows: usize) -> usize {
    let failed = status.records_failed_count.unwrap_or(0) as usize;
    match (&status.state, status.records_count) {
        (JobState::Aborted, _) => 0,
        (JobState::Completed, Some(n)) if (n as usize) < rows && n as usize + failed == rows => {
            rows
        }
        (_, Some(n)) => (n as usize).min(rows),
        (JobState::Completed, None) => rows,
        // Ended without saying how far it got: nothing is known to be processed.
        (_, None) => 0,
    }
}

impl Ledger {
    /// Records a submitted job, its rows (in the order of the job's file) and its action.
    pub fn sent(&mut self, job: &JobId, rows: Vec<usize>, action: Option<Action>) {
        self.outcomes.reserve(rows.len());
        for r in &rows {
            self.outcomes.insert(*r, Outcome::Pending(job.clone()));
        }
        let written_as = Written::of(action);
        let tally = JobTally {
            rows: rows.len(),
            written_as,
            pending: rows.len(),
            ..JobTally::default()
        };
        if !self.jobs.contains_key(job) {
            self.order.push(job.clone());
        }
        self.jobs.insert(
            job.clone(),
            Sent {
                rows,
                written_as,
                tally,
            },
        );
    }

    /// Rows whose submit lost its answer while the job list showed several candidate jobs,
    /// or none when the list could not be read.
    pub fn possibly_sent(&mut self, rows: &[usize], candidates: Vec<JobId>) {
        for r in rows {
            self.outcomes
                .insert(*r, Outcome::PossiblySent(candidates.clone()));
        }
    }

    /// These `jobs` and the outcomes of these `rows`, as they are now.
    pub fn part(&self, jobs: &[JobId], rows: &[usize]) -> LedgerPart {
        LedgerPart {
            jobs: jobs
                .iter()
                .filter_map(|j| Some((j.clone(), self.jobs.get(j)?.clone())))
                .collect(),
            outcomes: rows
                .iter()
                .map(|r| (*r, self.outcomes.get(r).cloned()))
                .collect(),
        }
    }

    /// Takes a part of another ledger (see [`LedgerPart`]).
    pub fn absorb(&mut self, part: LedgerPart) {
        for (job, sent) in part.jobs {
            if !self.jobs.contains_key(&job) {
                self.order.push(job.clone());
            }
            self.jobs.insert(job, sent);
        }
        for (row, outcome) in part.outcomes {
            match outcome {
                Some(o) => self.outcomes.insert(row, o),
                None => self.outcomes.remove(&row),
            };
        }
    }

    /// The rows of a job.
    pub fn rows_of(&self, job: &JobId) -> &[usize] {
        self.jobs.get(job).map(|s| s.rows.as_slice()).unwrap_or(&[])
    }

    /// The outcome of a row that was sent.
    pub fn outcome(&self, row: usize) -> Option<&Outcome> {
        self.outcomes.get(&row)
    }

    /// Every row sent, with its latest outcome (in no particular order).
    pub fn sent_rows(&self) -> impl Iterator<Item = (usize, &Outcome)> {
        self.outcomes.iter().map(|(r, o)| (*r, o))
    }

    /// True when the row went into any job of this file.
    pub fn was_sent(&self, row: usize) -> bool {
        self.outcomes.contains_key(&row)
    }

    /// Rows sent whose latest outcome is written or may be (pending, unconfirmed): sending
    /// them again may write them twice.
    pub fn sent_not_failed(&self) -> usize {
        self.outcomes.values().filter(|o| !o.is_retryable()).count()
    }

    /// A job's numbers, once sent.
    pub fn tally(&self, job: &JobId) -> Option<&JobTally> {
        self.jobs.get(job).map(|s| &s.tally)
    }

    /// Refusals that name no row, by job, in the order the jobs were sent.
    pub fn unidentified(&self) -> Vec<(JobId, String)> {
        self.order
            .iter()
            .filter_map(|j| Some((j, self.jobs.get(j)?)))
            .flat_map(|(j, s)| {
                s.tally
                    .unidentified
                    .iter()
                    .map(move |m| (j.clone(), m.clone()))
            })
            .collect()
    }

    /// Settles a finished job: failures are tied to rows ([`failures::match_failures`]
    /// against the job's file as sent), the rest follow from the job's state and counts.
    /// `identifier` names the field that identifies a record. Returns the job's numbers.
    pub fn finished(
        &mut self,
        status: &JobStatus,
        errors: &[RecordError],
        sent: &SentJob,
        identifier: Option<&str>,
    ) -> Option<JobTally> {
        let job = &status.id;
        let entry = self.jobs.get(job)?;
        let rows = entry.rows.clone();
        let written_as = entry.written_as;
        let n = rows.len();
        let mut processed = processed(status, n);
        let matched = failures::match_failures(sent, errors, identifier, processed);
        let identified = matched.refused.len();
        let listed = identified + matched.unidentified.len();
        // The connector's count wins over the list when the list is short, and the list
        // over the count when the count is short; neither can exceed the rows.
        let refused = (status.records_failed_count.unwrap_or(0) as usize)
            .max(listed)
            .min(n);
        processed = processed.max(refused);
        let mut unidentified = matched.unidentified;
        let counted = refused.saturating_sub(identified);
        unidentified.truncate(counted);
        if unidentified.len() < counted {
            let missing = counted - unidentified.len();
            unidentified.push(format!(
                "the connector counted {refused} refused record{} but listed {listed}; {missing} {} no message",
                if refused == 1 { "" } else { "s" },
                if missing == 1 { "has" } else { "have" },
            ));
        }
        let unidentified_n = counted;
        let why = match &status.state {
            JobState::Aborted | JobState::Error => format!(
                "ended {}: {}",
                status.state,
                status.error.clone().unwrap_or_default()
            ),
            JobState::Cancelled => "was cancelled".to_string(),
            other => format!("ended {other}"),
        };
        let mut failed_at: HashMap<usize, String> = matched
            .refused
            .into_iter()
            .map(|r| (r.position, r.message))
            .collect();
        let mut tally = JobTally {
            rows: n,
            written_as,
            unidentified: unidentified.clone(),
            ..JobTally::default()
        };
        let mut unconfirmed = 0;
        for (i, r) in rows.iter().enumerate() {
            let outcome = if let Some(m) = failed_at.remove(&i) {
                tally.refused += 1;
                Outcome::Failed(job.clone(), m)
            } else if i >= processed {
                tally.not_processed += 1;
                Outcome::NotProcessed(job.clone(), why.clone())
            } else if unidentified_n > 0 {
                unconfirmed += 1;
                Outcome::Unconfirmed {
                    job: job.clone(),
                    written: written_as,
                    unidentified: unidentified_n,
                }
            } else {
                tally.written += 1;
                Outcome::Written(job.clone(), written_as)
            };
            // A row resubmitted in a later job is that job's business now.
            if self.outcomes.get(r).is_some_and(|o| o.job() != Some(job)) {
                continue;
            }
            self.outcomes.insert(*r, outcome);
        }
        // Of the unconfirmed rows, the connector refused `unidentified_n`; the rest went
        // through. Which ones is unknown, the numbers are not.
        let u = unidentified_n.min(unconfirmed);
        tally.refused += u;
        tally.written += unconfirmed - u;
        if let Some(s) = self.jobs.get_mut(job) {
            s.tally = tally.clone();
        }
        Some(tally)
    }

    /// Rows by their latest outcome, with each job's unidentified refusals counted among
    /// its unconfirmed rows; they add up to the rows sent.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        let mut unconfirmed: HashMap<&JobId, (usize, usize, Written)> = HashMap::new();
        for o in self.outcomes.values() {
            match o {
                Outcome::Pending(_) => t.pending += 1,
                Outcome::Written(_, w) => t.add_written(*w, 1),
                Outcome::Failed(..) => t.failed += 1,
                Outcome::NotProcessed(..) => t.not_processed += 1,
                Outcome::PossiblySent(_) => t.possibly_sent += 1,
                Outcome::Unconfirmed {
                    job,
                    written,
                    unidentified,
                } => {
                    let e = unconfirmed
                        .entry(job)
                        .or_insert((0, *unidentified, *written));
                    e.0 += 1;
                }
            }
        }
        for (rows, unidentified, written) in unconfirmed.into_values() {
            let u = unidentified.min(rows);
            t.unconfirmed += rows;
            t.unidentified += u;
            t.failed += u;
            t.add_written(written, rows - u);
        }
        t
    }

    /// Rows to send again: refused or not processed, in order.
    pub fn to_resubmit(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .outcomes
            .iter()
            .filter(|(_, o)| o.is_retryable())
            .map(|(r, _)| *r)
            .collect();
        rows.sort_unstable();
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(id: &str, state: JobState, count: u64, failed: u64) -> JobStatus {
        let mut s = JobStatus::new(JobId::new(id), state);
        s.records_count = Some(count);
        s.records_failed_count = Some(failed);
        s
    }

    fn sent_job(n: usize) -> SentJob {
        SentJob::new(
            vec!["email".into()],
            (0..n).map(|i| vec![format!("u{i}@x.io")]).collect(),
        )
    }

    fn errs(items: &[serde_json::Value]) -> Vec<RecordError> {
        items.iter().map(RecordError::from_json).collect()
    }

    #[test]
    fn failures_map_back_by_position_and_the_rest_are_created() {
        let mut l = Ledger::default();
        let j = JobId::new("1");
        l.sent(&j, vec![10, 11, 12, 13], None);
        assert_eq!(l.totals().pending, 4);
        let errors = errs(&[json!({"status": "bad email", "recordNumber": 2})]);
        let tally = l
            .finished(
                &status("1", JobState::Completed, 4, 1),
                &errors,
                &sent_job(4),
                None,
            )
            .unwrap();
        assert_eq!((tally.written, tally.refused), (3, 1));
        assert_eq!(
            l.outcome(11),
            Some(&Outcome::Failed(j.clone(), "bad email".into()))
        );
        assert_eq!(
            l.totals(),
            Totals {
                created: 3,
                failed: 1,
                ..Totals::default()
            }
        );
        assert_eq!(l.to_resubmit(), [11]);
    }

    #[test]
    fn a_failure_that_names_no_row_never_turns_rows_into_created() {
        // The reported bug: 12 refused of 30, items with only a message.
        let mut l = Ledger::default();
        let j = JobId::new("1");
        l.sent(&j, (0..30).collect(), None);
        let errors: Vec<RecordError> = (0..12)
            .map(|i| {
                RecordError::message_only(format!("74234: Invalid prospect email address {i}"))
            })
            .collect();
        let tally = l
            .finished(
                &status("1", JobState::Completed, 30, 12),
                &errors,
                &sent_job(30),
                Some("email"),
            )
            .unwrap();
        assert_eq!(
            (tally.written, tally.refused, tally.unidentified.len()),
            (18, 12, 12)
        );
        assert!(
            l.outcome(0)
                .is_some_and(|o| matches!(o, Outcome::Unconfirmed { .. }))
        );
        assert!(!l.outcome(0).unwrap().describe().starts_with("created"));
        let t = l.totals();
        assert_eq!(
            (t.created, t.failed, t.unidentified, t.unconfirmed),
            (18, 12, 12, 30)
        );
        assert_eq!(l.unidentified().len(), 12);
        assert!(
            l.to_resubmit().is_empty(),
            "unknown rows are not resent blindly"
        );
    }

    #[test]
    fn the_refused_count_is_never_below_records_failed_count() {
        let mut l = Ledger::default();
        let j = JobId::new("1");
        l.sent(&j, (0..5).collect(), None);
        // The connector counts 3 failures but lists one.
        let errors = errs(&[json!({"status": "x", "recordNumber": 1})]);
        let tally = l
            .finished(
                &status("1", JobState::Completed, 5, 3),
                &errors,
                &sent_job(5),
                None,
            )
            .unwrap();
        assert_eq!((tally.written, tally.refused), (2, 3));
        assert_eq!(tally.unidentified.len(), 1);
        assert!(tally.unidentified[0].contains("counted 3"));
    }

    #[test]
    fn rows_of_an_unclear_submit_are_possibly_sent_never_resent_and_counted() {
        let mut l = Ledger::default();
        l.sent(&JobId::new("1"), vec![0, 1], None);
        l.possibly_sent(&[2, 3], vec![JobId::new("7"), JobId::new("8")]);
        assert!(l.was_sent(2));
        assert!(l.to_resubmit().is_empty());
        assert!(l.outcome(3).unwrap().describe().contains("job 7 or 8"));
        let t = l.totals();
        assert_eq!((t.pending, t.possibly_sent, t.rows()), (2, 2, 4));
    }

    #[test]
    fn update_and_upsert_jobs_say_what_they_did() {
        let mut l = Ledger::default();
        l.sent(&JobId::new("1"), vec![0], Some(Action::Update));
        l.sent(&JobId::new("2"), vec![1], Some(Action::Upsert));
        l.finished(
            &status("1", JobState::Completed, 1, 0),
            &[],
            &sent_job(1),
            None,
        );
        l.finished(
            &status("2", JobState::Completed, 1, 0),
            &[],
            &sent_job(1),
            None,
        );
        assert_eq!(l.outcome(0).unwrap().describe(), "updated (job 1)");
        assert_eq!(
            l.outcome(1).unwrap().describe(),
            "created or updated (job 2)"
        );
        let t = l.totals();
        assert_eq!((t.created, t.updated, t.upserted), (0, 1, 1));
    }

    #[test]
    fn records_count_read_as_successes_when_only_that_adds_up() {
        let mut l = Ledger::default();
        l.sent(&JobId::new("1"), (0..30).collect(), None);
        let errors: Vec<RecordError> = (1..=12)
            .map(|i| RecordError::from_json(&json!({"status": "x", "recordNumber": i})))
            .collect();
        let tally = l
            .finished(
                &status("1", JobState::Completed, 18, 12),
                &errors,
                &sent_job(30),
                None,
            )
            .unwrap();
        assert_eq!(
            (tally.written, tally.refused, tally.not_processed),
            (18, 12, 0)
        );
    }

    #[test]
    fn a_resubmitted_row_is_counted_once_with_its_latest_outcome() {
        let mut l = Ledger::default();
        let (a, b) = (JobId::new("1"), JobId::new("2"));
        l.sent(&a, vec![0, 1, 2], None);
        let e = errs(&[json!({"status": "x", "recordNumber": 3})]);
        l.finished(
            &status("1", JobState::Completed, 3, 1),
            &e,
            &sent_job(3),
            None,
        );
        l.sent(&b, l.to_resubmit(), None);
        l.finished(
            &status("2", JobState::Completed, 1, 0),
            &[],
            &sent_job(1),
            None,
        );
        assert_eq!(
            l.totals(),
            Totals {
                created: 3,
                ..Totals::default()
            }
        );
        // Settling the first job again (a late poll) must not undo the second.
        l.finished(
            &status("1", JobState::Completed, 3, 1),
            &e,
            &sent_job(3),
            None,
        );
        assert_eq!(l.outcome(2), Some(&Outcome::Written(b, Written::Created)));
    }

    #[test]
    fn aborted_and_cut_short_jobs_leave_rows_not_processed() {
        let mut l = Ledger::default();
        l.sent(&JobId::new("1"), vec![0, 1, 2, 3], None);
        let mut s = status("1", JobState::Error, 2, 0);
        s.error = Some("vendor down".into());
        l.finished(&s, &[], &sent_job(4), None);
        assert_eq!(
            l.totals(),
            Totals {
                created: 2,
                not_processed: 2,
                ..Totals::default()
            }
        );
        assert!(l.outcome(3).unwrap().describe().contains("vendor down"));
        let mut l = Ledger::default();
        l.sent(&JobId::new("2"), vec![0, 1], None);
        l.finished(
            &status("2", JobState::Aborted, 0, 0),
            &[],
            &sent_job(2),
            None,
        );
        assert_eq!(l.totals().not_processed, 2);
    }

    use crate::test_rng::Rng;

    #[test]
    fn per_job_and_per_file_the_numbers_add_up_to_the_rows() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let states = [
            JobState::Completed,
            JobState::Error,
            JobState::Aborted,
            JobState::Cancelled,
            JobState::Running,
        ];
        for case in 0..2_000 {
            let mut l = Ledger::default();
            let jobs = 1 + rng.next(4);
            let mut next_row = 0;
            let mut all_rows = 0;
            for j in 0..jobs {
                let id = JobId::new(format!("{case}-{j}"));
                let n = rng.next(12);
                let rows: Vec<usize> = (next_row..next_row + n).collect();
                next_row += n;
                all_rows += n;
                let action = [None, Some(Action::Update), Some(Action::Upsert)][rng.next(3)];
                l.sent(&id, rows, action);
                let state = states[rng.next(states.len())].clone();
                if !state.is_terminal() {
                    continue;
                }
                let records = rng.next(n + 3) as u64; // sometimes more than sent
                let failed = rng.next(n + 2) as u64;
                let sent = sent_job(n);
                let items: Vec<RecordError> = (0..rng.next(n + 3))
                    .map(|_| match rng.next(5) {
                        0 => RecordError::message_only("m"),
                        1 => RecordError::from_json(
                            &json!({"status": "p", "recordNumber": rng.next(n + 2)}),
                        ),
                        2 => RecordError::from_json(
                            &json!({"status": "e", "email": format!("u{}@x.io", rng.next(n + 1))}),
                        ),
                        3 => RecordError::from_json(
                            &json!({"status": "r", "record": {"email": "nobody@x.io"}}),
                        ),
                        _ => RecordError::from_json(
                            &json!({"status": format!("u{}@x.io is taken", rng.next(n + 1))}),
                        ),
                    })
                    .collect();
                let mut s = status(&id.to_string(), state, records, failed);
                if rng.next(4) == 0 {
                    s.records_count = None;
                }
                let t = l
                    .finished(&s, &items, &sent, [None, Some("email")][rng.next(2)])
                    .unwrap();
                assert_eq!(
                    t.written + t.refused + t.not_processed + t.pending,
                    n,
                    "{case}: {t:?}"
                );
                assert!(t.refused >= (failed as usize).min(n), "{case}: {t:?}");
            }
            // Resend what failed once, and finish that job cleanly.
            let again = l.to_resubmit();
            if !again.is_empty() && rng.next(2) == 0 {
                let id = JobId::new(format!("{case}-again"));
                let n = again.len();
                l.sent(&id, again, None);
                l.finished(
                    &status(&id.to_string(), JobState::Completed, n as u64, 0),
                    &[],
                    &sent_job(n),
                    None,
                );
            }
            assert_eq!(l.totals().rows(), all_rows, "case {case}");
        }
    }

    #[test]
    fn a_copy_kept_by_parts_stays_equal() {
        let (a, b) = (JobId::new("a"), JobId::new("b"));
        let mut ledger = Ledger::default();
        let mut copy = Ledger::default();
        ledger.sent(&a, vec![0, 1, 2], None);
        copy.absorb(ledger.part(std::slice::from_ref(&a), &[0, 1, 2]));
        ledger.sent(&b, vec![3], Some(Action::Update));
        copy.absorb(ledger.part(std::slice::from_ref(&b), &[3]));
        ledger.possibly_sent(&[4, 5], vec![a.clone(), b.clone()]);
        copy.absorb(ledger.part(&[], &[4, 5]));
        assert_eq!(copy, ledger);
        assert_eq!(copy.totals(), ledger.totals());
        // A part says what a row is not (any more), too.
        let mut fresh = Ledger::default();
        fresh.absorb(ledger.part(&[], &[0, 9]));
        assert!(fresh.outcome(0).is_some() && fresh.outcome(9).is_none());
    }
}
