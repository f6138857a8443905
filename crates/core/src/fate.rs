//! What happened to each row of the file, decided in one place: what the connector made of
//! it if it was sent (the [`Ledger`]'s [`Outcome`]), else deleted by the person, skipped
//! because of errors, or not sent yet. The grid's marks, the totals line and the result
//! report all read [`Fate`] and [`FileTotals`], so they cannot disagree, and the totals
//! always add up to the rows of the file (property-tested below).

use crate::outcome::{Ledger, Outcome, Totals};
use crate::validate::Severity;

/// What happened to one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate<'a> {
    /// Sent: what the connector made of it. A sent row stays sent even if deleted later.
    Sent(&'a Outcome),
    /// Deleted by the person before it was sent.
    Deleted,
    /// Has errors, so it is not sent.
    Skipped,
    /// Valid and not sent yet (perhaps with warnings).
    Ready {
        /// It has warnings.
        warnings: bool,
    },
}

impl<'a> Fate<'a> {
    /// The fate of `row`, given whether it is deleted and its worst problem.
    pub fn of(
        row: usize,
        ledger: &'a Ledger,
        deleted: bool,
        severity: Option<Severity>,
    ) -> Fate<'a> {
        match ledger.outcome(row) {
            Some(o) => Fate::Sent(o),
            None => Fate::unsent(deleted, severity),
        }
    }

    /// The fate of a row no job carried, given whether it is deleted and its worst problem.
    pub fn unsent(deleted: bool, severity: Option<Severity>) -> Fate<'a> {
        match (deleted, severity) {
            (true, _) => Fate::Deleted,
            (false, Some(Severity::Error)) => Fate::Skipped,
            (false, s) => Fate::Ready {
                warnings: s == Some(Severity::Warning),
            },
        }
    }

    /// In words, as the grid, the report and a screen reader give it.
    pub fn describe(&self) -> String {
        match self {
            Fate::Sent(o) => o.describe(),
            Fate::Deleted => "deleted, not sent".into(),
            Fate::Skipped => "not sent: has errors".into(),
            Fate::Ready { warnings: false } => "valid, not sent yet".into(),
            Fate::Ready { warnings: true } => "valid with warnings, not sent yet".into(),
        }
    }
}

/// Two ascending sequences as one ascending sequence (repeats kept).
fn merged(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (Some(_), Some(_)) | (None, Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, None) => None,
    })
}

/// Where the rows of a file stand; [`FileTotals::rows`] is always the file's row count.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileTotals {
    /// The rows that were sent, as the ledger counts them.
    pub sent: Totals,
    /// Rows deleted before they were sent.
    pub deleted: usize,
    /// Rows not sent because of errors.
    pub skipped: usize,
    /// Valid rows not sent yet.
    pub ready: usize,
}

impl FileTotals {
    /// Counts the fates of rows `0..rows`. `deleted_rows` and `problem_rows` name, each in
    /// ascending order, every row that is deleted and every row that has a problem (more rows
    /// do no harm, a row in both counts once): any other row is ready, and is not looked at.
    ///
    /// Every row is first counted as if none was sent, then the rows the ledger holds are
    /// taken back out: no ledger lookup per row, and no pass over the file's rows, only over
    /// the named ones, without allocating. The totals are recounted at each job's news and
    /// whenever the page draws them after a check: a lookup per row made every status update
    /// of a 100 MB file's upload a task of 50 ms, and a pass over the 8 million rows of a
    /// 1 GB file a task of 80 ms when its rows were ready.
    pub fn of(
        rows: usize,
        ledger: &Ledger,
        deleted: impl Fn(usize) -> bool,
        severity: impl Fn(usize) -> Option<Severity>,
        deleted_rows: impl IntoIterator<Item = usize>,
        problem_rows: impl IntoIterator<Item = usize>,
    ) -> FileTotals {
        let mut t = FileTotals {
            sent: ledger.totals(),
            ready: rows,
            ..FileTotals::default()
        };
        let unsent = |row: usize| Fate::unsent(deleted(row), severity(row));
        let mut last = None;
        for row in merged(deleted_rows.into_iter(), problem_rows.into_iter()) {
            if row >= rows || last == Some(row) {
                continue;
            }
            last = Some(row);
            match unsent(row) {
                Fate::Deleted => t.deleted += 1,
                Fate::Skipped => t.skipped += 1,
                _ => continue,
            }
            t.ready -= 1;
        }
        for (row, _) in ledger.sent_rows().filter(|(row, _)| *row < rows) {
            match unsent(row) {
                Fate::Deleted => t.deleted -= 1,
                Fate::Skipped => t.skipped -= 1,
                _ => t.ready -= 1,
            }
        }
        t
    }

    /// Every row of the file, each counted once.
    pub fn rows(&self) -> usize {
        self.sent.rows() + self.deleted + self.skipped + self.ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failures::SentJob;
    use crate::job::{JobId, JobState, JobStatus, RecordError};
    use serde_json::json;

    use crate::test_rng::Rng;

    #[test]
    fn the_totals_add_up_to_the_rows_of_the_file_whatever_happened() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let states = [JobState::Completed, JobState::Aborted, JobState::Running];
        for case in 0..2_000 {
            let rows = rng.next(40);
            let deleted: Vec<bool> = (0..rows).map(|_| rng.next(6) == 0).collect();
            let severity: Vec<Option<Severity>> = (0..rows)
                .map(|_| [None, None, Some(Severity::Warning), Some(Severity::Error)][rng.next(4)])
                .collect();
            // Some of the rows (even deleted or invalid ones: they may have changed since)
            // were sent, in up to three jobs, some finished with refusals.
            let mut ledger = Ledger::default();
            let mut next = 0;
            for j in 0..rng.next(4) {
                let n = rng.next(rows.saturating_sub(next) + 1);
                if n == 0 {
                    continue;
                }
                let id = JobId::new(format!("{case}-{j}"));
                ledger.sent(&id, (next..next + n).collect(), None);
                next += n;
                let state = states[rng.next(states.len())].clone();
                if !state.is_terminal() {
                    continue;
                }
                let mut s = JobStatus::new(id.clone(), state);
                s.records_count = Some(rng.next(n + 1) as u64);
                s.records_failed_count = Some(rng.next(n + 1) as u64);
                let items: Vec<RecordError> = (0..rng.next(n + 1))
                    .map(|_| match rng.next(2) {
                        0 => RecordError::message_only("refused"),
                        _ => RecordError::from_json(
                            &json!({"status": "bad", "recordNumber": 1 + rng.next(n)}),
                        ),
                    })
                    .collect();
                let sent = SentJob::new(
                    vec!["email".into()],
                    (0..n).map(|i| vec![format!("u{i}@x.io")]).collect(),
                );
                ledger.finished(&s, &items, &sent, Some("email"));
            }
            let gone = (0..rows).filter(|&r| deleted[r]);
            let flagged = (0..rows).filter(|&r| severity[r].is_some());
            let t = FileTotals::of(
                rows,
                &ledger,
                |r| deleted[r],
                |r| severity[r],
                gone,
                flagged,
            );
            assert_eq!(t.rows(), rows, "case {case}: {t:?}");
            // Naming every row in both, and rows past the end, changes nothing.
            let again = FileTotals::of(
                rows,
                &ledger,
                |r| deleted[r],
                |r| severity[r],
                0..rows + 3,
                0..rows,
            );
            assert_eq!(again, t, "case {case}");
            // The same counts as each row's own fate.
            let (mut del, mut skip, mut ready) = (0, 0, 0);
            for r in 0..rows {
                match Fate::of(r, &ledger, deleted[r], severity[r]) {
                    Fate::Sent(_) => {}
                    Fate::Deleted => del += 1,
                    Fate::Skipped => skip += 1,
                    Fate::Ready { .. } => ready += 1,
                }
            }
            assert_eq!(
                (t.deleted, t.skipped, t.ready),
                (del, skip, ready),
                "case {case}"
            );
            let sent = (0..rows)
                .filter(|&r| matches!(Fate::of(r, &ledger, deleted[r], severity[r]), Fate::Sent(_)))
                .count();
            assert_eq!(
                t.sent.rows(),
                sent,
                "case {case}: the ledger and the rows agree on what was sent"
            );
        }
    }

    #[test]
    fn a_sent_row_stays_sent_when_deleted_later_and_each_fate_reads_plainly() {
        let mut ledger = Ledger::default();
        let id = JobId::new("7");
        ledger.sent(&id, vec![0], None);
        assert!(matches!(Fate::of(0, &ledger, true, None), Fate::Sent(_)));
        assert_eq!(
            Fate::of(0, &ledger, true, None).describe(),
            "sent in job 7, not finished"
        );
        assert_eq!(
            Fate::of(1, &ledger, true, Some(Severity::Error)).describe(),
            "deleted, not sent"
        );
        assert_eq!(
            Fate::of(1, &ledger, false, Some(Severity::Error)).describe(),
            "not sent: has errors"
        );
        assert_eq!(
            Fate::of(1, &ledger, false, Some(Severity::Warning)).describe(),
            "valid with warnings, not sent yet"
        );
        let t = FileTotals::of(3, &ledger, |r| r < 2, |_| None, [0, 1], []);
        assert_eq!((t.sent.pending, t.deleted, t.ready, t.rows()), (1, 1, 1, 3));
    }
}
