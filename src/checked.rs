//! What the check of the rows found, as the screens show it ([`Checked`]: counts of rows and
//! problems, the mapping's problems), and the questions only the rows themselves can answer
//! (which rows a filter shows, the next problem, the fixes of one kind, the rows a resend
//! would take), asked of [`Flow`]. The components ask these, never the report: the report
//! stays with the rows, wherever they are kept.

use crate::flow::Flow;
use crate::grid::{Filter, RowList};
use crate::shared::Shared;
use bulk_core::mapping::MappingProblem;
use bulk_core::validate::{ProblemKind, Report, Severity};
use leptos::prelude::*;

/// Fixes the app offers to apply to every cell at once.
const FIXES: [ProblemKind; 2] = [ProblemKind::Whitespace, ProblemKind::Url];

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
    /// The rows `filter` shows, in order (tracked).
    pub fn rows_for(self, filter: &Filter) -> RowList {
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
    /// its row and its cell's column (0 for a whole-row problem).
    pub fn next_problem(self, after: Option<usize>) -> Option<(usize, usize)> {
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
    pub fn fixes_of(self, kind: ProblemKind) -> Vec<(usize, usize, String)> {
        self.review.report.with_untracked(|r| {
            r.iter()
                .flat_map(|r| r.problems())
                .filter(|p| p.kind == kind)
                .filter_map(|p| Some((p.row, p.column?, p.suggestion.clone()?)))
                .collect()
        })
    }

    /// Of `items`, those whose row (`row_of`) an upload would take: not deleted, without
    /// an error (tracked).
    pub fn sendable<T>(
        self,
        items: impl IntoIterator<Item = T>,
        row_of: impl Fn(&T) -> usize,
    ) -> Vec<T> {
        self.review.edits.with(|e| {
            self.review.report.with(|r| {
                items
                    .into_iter()
                    .filter(|item| {
                        let row = row_of(item);
                        !e.is_deleted(row)
                            && r.as_ref()
                                .is_none_or(|r| r.row_severity(row) != Some(Severity::Error))
                    })
                    .collect()
            })
        })
    }
}
