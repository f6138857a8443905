//! What the check of the rows found, as the screens show it ([`Checked`]: counts of rows and
//! problems, the mapping's problems), and the questions only the rows themselves can answer
//! (which rows a filter shows, the next problem, the fixes of one kind, the rows a resend
//! would take), asked of [`Flow`]. The components ask these, never the report: the report
//! stays with the rows, wherever they are kept.

use crate::flow::Flow;
use crate::grid::{Filter, RowList};
use crate::shared::Shared;
use bulk_core::fate::FileTotals;
use bulk_core::mapping::MappingProblem;
use bulk_core::validate::{ProblemKind, Report, Severity};
use leptos::prelude::*;

/// Fixes the app offers to apply to every cell at once.
const FIXES: [ProblemKind; 2] = [ProblemKind::Whitespace, ProblemKind::Url];

/// Where the rows stand with the upload: the file's totals, and the counts the upload
/// buttons give, all taken together from the rows, the check and the upload's ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Standing {
    /// Every row of the file, by what became of it.
    pub totals: FileTotals,
    /// The rows "Send failed rows again" would send: refused or not processed, valid now
    /// and not deleted.
    pub resendable: usize,
    /// Of the rows sent, those valid now and not deleted.
    pub sent_valid: usize,
    /// Of those, the rows written (or possibly written): not to be sent again.
    pub written_valid: usize,
}

/// The check's findings, counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    /// Rows checked (deleted ones included).
    pub rows: usize,
    /// Rows the person deleted.
    pub deleted: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Rows with warnings but no error.
    pub warning_rows: usize,
    /// Rows with a problem of either kind.
    pub problem_rows: usize,
    /// Rows that may be uploaded.
    pub valid: usize,
    /// Problems by kind and severity, errors first, then most frequent.
    pub counts: Vec<(ProblemKind, Severity, usize)>,
    /// Problems by kind, severity and column (`None`: whole-row problems).
    pub counts_by_column: Vec<(ProblemKind, Severity, Option<String>, usize)>,
    /// Cells with a suggested fix, for each kind of fix offered at once.
    pub fixable: Vec<(ProblemKind, usize)>,
    /// Problems with the mapping itself: while any is present, no row can be sent.
    pub mapping_problems: Vec<MappingProblem>,
}

impl Checked {
    /// The findings of `report`.
    pub fn of(report: &Report) -> Checked {
        Checked {
            rows: report.rows(),
            deleted: report.deleted(),
            error_rows: report.error_rows(),
            warning_rows: report.warning_rows(),
            problem_rows: report.rows_with_problems().count(),
            valid: report.valid_count(),
            counts: report.counts(),
            counts_by_column: report.counts_by_column(),
            fixable: FIXES
                .into_iter()
                .map(|k| {
                    let n = report
                        .problems()
                        .filter(|p| p.kind == k && p.suggestion.is_some())
                        .count();
                    (k, n)
                })
                .filter(|(_, n)| *n > 0)
                .collect(),
            mapping_problems: report.mapping_problems.clone(),
        }
    }
}

impl Flow {
    /// The rows `filter` shows, in order, answered in a later task (as a keeper of the rows
    /// in a worker would).
    pub async fn fetch_rows_for(self, filter: Filter) -> RowList {
        crate::browser::yield_now().await;
        untrack(|| self.rows_for(&filter))
    }

    fn rows_for(self, filter: &Filter) -> RowList {
        let n = self
            .reading
            .file
            .with(|f| f.as_ref().map(|f| f.facts.rows).unwrap_or(0));
        self.review.edits.with(|e| {
            let list = |v: Vec<u32>| RowList::Some(Shared::new(v));
            match filter {
                Filter::All if e.deleted() == 0 => RowList::All(n),
                Filter::All => list(
                    (0..n)
                        .filter(|i| !e.is_deleted(*i))
                        .map(|i| i as u32)
                        .collect(),
                ),
                Filter::Refused => self
                    .upload
                    .ledger
                    .with(|l| list(l.to_resubmit().into_iter().map(|i| i as u32).collect())),
                Filter::Problems => self.review.report.with(|r| match r {
                    Some(r) => list(r.rows_with_problems().map(|i| i as u32).collect()),
                    None => RowList::All(n),
                }),
                Filter::Kind(kind, column) => self.review.report.with(|r| {
                    let mut v: Vec<u32> = r
                        .iter()
                        .flat_map(|r| r.problems())
                        .filter(|p| p.kind == *kind && p.column_name == *column)
                        .map(|p| p.row as u32)
                        .collect();
                    v.dedup();
                    list(v)
                }),
            }
        })
    }

    /// The first problem after `row` (from the top when none, and round again at the end):
    /// its row and its cell's column (0 for a whole-row problem); answered in a later task.
    pub async fn fetch_next_problem(self, after: Option<usize>) -> Option<(usize, usize)> {
        crate::browser::yield_now().await;
        self.review.report.with_untracked(|r| {
            let r = r.as_ref()?;
            let start = after.map(|a| a + 1).unwrap_or(0);
            let row = r
                .rows_with_problems()
                .find(|x| *x >= start)
                .or_else(|| r.rows_with_problems().next())?;
            let column = r.problems_of(row).find_map(|p| p.column).unwrap_or(0);
            Some((row, column))
        })
    }

    /// Every suggested fix of `kind`, as cell edits.
    pub(crate) fn fixes_of(self, kind: ProblemKind) -> Vec<(usize, usize, String)> {
        self.review.report.with_untracked(|r| {
            r.iter()
                .flat_map(|r| r.problems())
                .filter(|p| p.kind == kind)
                .filter_map(|p| Some((p.row, p.column?, p.suggestion.clone()?)))
                .collect()
        })
    }

    /// Where the rows stand now, answered in a later task (as a keeper of the rows in a
    /// worker would); `None` until the rows are checked.
    pub async fn fetch_standing(self) -> Option<Standing> {
        crate::browser::yield_now().await;
        untrack(|| self.standing())
    }

    fn standing(self) -> Option<Standing> {
        self.review.report.with(|r| {
            let r = r.as_ref()?;
            self.review.edits.with(|e| {
                self.upload.ledger.with(|l| {
                    let totals = FileTotals::of(
                        r.rows(),
                        l,
                        |row| e.is_deleted(row),
                        |row| r.row_severity(row),
                        e.deleted_rows(),
                        r.rows_with_problems(),
                    );
                    let sendable = |row: usize| {
                        !e.is_deleted(row) && r.row_severity(row) != Some(Severity::Error)
                    };
                    let resendable = l
                        .to_resubmit()
                        .into_iter()
                        .filter(|row| sendable(*row))
                        .count();
                    let (mut sent_valid, mut written_valid) = (0, 0);
                    for (_, o) in l.sent_rows().filter(|(row, _)| sendable(*row)) {
                        sent_valid += 1;
                        if !o.is_retryable() {
                            written_valid += 1;
                        }
                    }
                    Some(Standing {
                        totals,
                        resendable,
                        sent_valid,
                        written_valid,
                    })
                })
            })
        })
    }
}
