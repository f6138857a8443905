//! What became of every row: sent in which job, created, refused by the connector (with
//! its message), not processed because the job was aborted or cancelled, or still waiting.
//! Failed records are mapped back to their rows by their position in the job's file, or
//! else by the identifier value the connector echoed. The latest attempt of a row decides
//! its outcome, so a row resubmitted after a fix is never counted twice.

use crate::job::{JobId, JobState, JobStatus, RecordError};
use std::collections::HashMap;

/// The outcome of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// In a job that has not finished.
    Pending(JobId),
    /// Created by the connector.
    Created(JobId),
    /// Refused by the connector, with its message.
    Failed(JobId, String),
    /// Not processed: the job ended ABORTED, ERROR or CANCELLED before reaching it.
    NotProcessed(JobId, String),
}

impl Outcome {
    /// The job the row was last sent in.
    pub fn job(&self) -> &JobId {
        match self {
            Outcome::Pending(j)
            | Outcome::Created(j)
            | Outcome::Failed(j, _)
            | Outcome::NotProcessed(j, _) => j,
        }
    }
    /// A few words for people and reports.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Pending(j) => format!("sent in job {j}, not finished"),
            Outcome::Created(j) => format!("created (job {j})"),
            Outcome::Failed(j, m) => format!("refused by the connector (job {j}): {m}"),
            Outcome::NotProcessed(j, why) => format!("not processed (job {j} {why})"),
        }
    }
}

/// The rows of each job and the outcome of every row that was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    outcomes: HashMap<usize, Outcome>,
    jobs: HashMap<JobId, Vec<usize>>,
    unmatched: HashMap<JobId, usize>,
}

/// Rows by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Created.
    pub created: usize,
    /// Refused by the connector.
    pub failed: usize,
    /// Not processed (aborted, cancelled).
    pub not_processed: usize,
    /// In jobs still running.
    pub pending: usize,
}

impl Ledger {
    /// Records a submitted job and its rows (in the order of the job's file).
    pub fn sent(&mut self, job: &JobId, rows: Vec<usize>) {
        for r in &rows {
            self.outcomes.insert(*r, Outcome::Pending(job.clone()));
        }
        self.jobs.insert(job.clone(), rows);
    }

    /// The rows of a job.
    pub fn rows_of(&self, job: &JobId) -> &[usize] {
        self.jobs.get(job).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The outcome of a row that was sent.
    pub fn outcome(&self, row: usize) -> Option<&Outcome> {
        self.outcomes.get(&row)
    }

    /// Failures of a job that could not be matched to a row.
    pub fn unmatched(&self, job: &JobId) -> usize {
        self.unmatched.get(job).copied().unwrap_or(0)
    }

    /// Settles a finished job: failed records (mapped back to rows), then the rest by the
    /// job's state. `identifier` names the field and the column it was read from, for
    /// failures that carry the record but not its position; `value_of` reads a row's cell.
    pub fn finished(
        &mut self,
        status: &JobStatus,
        errors: &[RecordError],
        identifier: Option<(&str, usize)>,
        value_of: &dyn Fn(usize, usize) -> Option<String>,
    ) {
        let job = &status.id;
        let rows = self.jobs.get(job).cloned().unwrap_or_default();
        let mut failed: HashMap<usize, String> = HashMap::new();
        let mut unmatched = 0;
        for e in errors {
            let by_position = e
                .record_number
                .and_then(|n| rows.get((n as usize).checked_sub(1)?))
                .copied();
            let by_value = || {
                let (field, column) = identifier?;
                let wanted = e
                    .record
                    .as_ref()?
                    .get(field)?
                    .as_str()?
                    .trim()
                    .to_lowercase();
                rows.iter().copied().find(|r| {
                    !failed.contains_key(r)
                        && value_of(*r, column).is_some_and(|v| v.trim().to_lowercase() == wanted)
                })
            };
            match by_position.or_else(by_value) {
                Some(r) => {
                    failed.insert(r, e.message.clone());
                }
                None => unmatched += 1,
            }
        }
        self.unmatched.insert(job.clone(), unmatched);
        // Records are processed in file order; ones past `recordsCount` were never reached.
        let processed = status
            .records_count
            .map(|n| n as usize)
            .unwrap_or(rows.len());
        let why = match &status.state {
            JobState::Aborted | JobState::Error => format!(
                "ended {}: {}",
                status.state,
                status.error.clone().unwrap_or_default()
            ),
            JobState::Cancelled => "was cancelled".to_string(),
            other => format!("ended {other}"),
        };
        for (i, r) in rows.iter().enumerate() {
            // A row resubmitted in a later job is that job's business now.
            if self.outcomes.get(r).is_some_and(|o| o.job() != job) {
                continue;
            }
            let outcome = if let Some(m) = failed.remove(r) {
                Outcome::Failed(job.clone(), m)
            } else if status.state == JobState::Aborted || i >= processed {
                Outcome::NotProcessed(job.clone(), why.clone())
            } else {
                Outcome::Created(job.clone())
            };
            self.outcomes.insert(*r, outcome);
        }
    }

    /// Rows by their latest outcome.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for o in self.outcomes.values() {
            match o {
                Outcome::Pending(_) => t.pending += 1,
                Outcome::Created(_) => t.created += 1,
                Outcome::Failed(..) => t.failed += 1,
                Outcome::NotProcessed(..) => t.not_processed += 1,
            }
        }
        t
    }

    /// Rows to send again: refused or not processed, in order.
    pub fn to_resubmit(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(..) | Outcome::NotProcessed(..)))
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

    fn status(id: &str, state: JobState, count: u64) -> JobStatus {
        let mut s = JobStatus::new(JobId::new(id), state);
        s.records_count = Some(count);
        s
    }

    fn none(_: usize, _: usize) -> Option<String> {
        None
    }

    #[test]
    fn failures_map_back_by_position_and_the_rest_are_created() {
        let mut l = Ledger::default();
        let j = JobId::new("1");
        l.sent(&j, vec![10, 11, 12, 13]);
        assert_eq!(l.totals().pending, 4);
        let errors = [RecordError::from_json(
            &json!({"status": "bad email", "recordNumber": 2}),
        )];
        l.finished(&status("1", JobState::Completed, 4), &errors, None, &none);
        assert_eq!(
            l.outcome(11),
            Some(&Outcome::Failed(j.clone(), "bad email".into()))
        );
        assert_eq!(
            l.totals(),
            Totals {
                created: 3,
                failed: 1,
                not_processed: 0,
                pending: 0
            }
        );
        assert_eq!(l.to_resubmit(), [11]);
    }

    #[test]
    fn failures_without_a_position_map_back_by_identifier() {
        let mut l = Ledger::default();
        let j = JobId::new("1");
        l.sent(&j, vec![0, 1]);
        let emails = ["a@x.io", "B@x.io"];
        let value_of = |r: usize, _c: usize| emails.get(r).map(|s| s.to_string());
        let errors = [
            RecordError::from_json(&json!({"status": "dup", "record": {"email": "b@x.io"}})),
            RecordError::from_json(&json!({"status": "who?"})),
        ];
        l.finished(
            &status("1", JobState::Completed, 2),
            &errors,
            Some(("email", 0)),
            &value_of,
        );
        assert!(matches!(l.outcome(1), Some(Outcome::Failed(_, m)) if m == "dup"));
        assert_eq!(l.unmatched(&j), 1);
    }

    #[test]
    fn a_resubmitted_row_is_counted_once_with_its_latest_outcome() {
        let mut l = Ledger::default();
        let (a, b) = (JobId::new("1"), JobId::new("2"));
        l.sent(&a, vec![0, 1, 2]);
        l.finished(
            &status("1", JobState::Completed, 3),
            &[RecordError::from_json(
                &json!({"status": "x", "recordNumber": 3}),
            )],
            None,
            &none,
        );
        l.sent(&b, l.to_resubmit());
        l.finished(&status("2", JobState::Completed, 1), &[], None, &none);
        assert_eq!(
            l.totals(),
            Totals {
                created: 3,
                failed: 0,
                not_processed: 0,
                pending: 0
            }
        );
        // Settling the first job again (a late poll) must not undo the second.
        l.finished(
            &status("1", JobState::Completed, 3),
            &[RecordError::from_json(
                &json!({"status": "x", "recordNumber": 3}),
            )],
            None,
            &none,
        );
        assert_eq!(l.outcome(2), Some(&Outcome::Created(b)));
    }

    #[test]
    fn aborted_and_cut_short_jobs_leave_rows_not_processed() {
        let mut l = Ledger::default();
        l.sent(&JobId::new("1"), vec![0, 1, 2, 3]);
        let mut s = status("1", JobState::Error, 2);
        s.error = Some("vendor down".into());
        l.finished(&s, &[], None, &none);
        assert_eq!(
            l.totals(),
            Totals {
                created: 2,
                failed: 0,
                not_processed: 2,
                pending: 0
            }
        );
        assert!(l.outcome(3).unwrap().describe().contains("vendor down"));
        let mut l = Ledger::default();
        l.sent(&JobId::new("2"), vec![0, 1]);
        l.finished(&status("2", JobState::Aborted, 0), &[], None, &none);
        assert_eq!(l.totals().not_processed, 2);
    }
}
