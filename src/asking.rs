//! The page's questions to the rows ([`crate::rows::Rows`]), asked through [`Flow`] and
//! answered in a later task, as a keeper of the rows elsewhere (a worker) would answer: the
//! components that ask are written for that already. What changes the answers is tracked
//! in one place ([`Flow::track_rows`]).

use crate::checked::{Checked, Standing};
use crate::flow::Flow;
use crate::grid::{Filter, RowList};
use crate::rows::Rows;
use crate::shown_rows::ShownRow;
use leptos::prelude::*;

impl Flow {
    /// Tracks whatever changes the answers about the rows: the file, the edits, the check.
    pub fn track_rows(self) {
        self.reading.file.track();
        self.review.edits.track();
        self.review.report.track();
    }

    /// Asks `question` of the rows as they are now (untracked); `None` without a file.
    pub(crate) fn with_rows<R>(self, question: impl FnOnce(Rows) -> R) -> Option<R> {
        self.reading.file.with_untracked(|f| {
            let file = f.as_ref()?;
            Some(self.review.edits.with_untracked(|edits| {
                self.review.report.with_untracked(|report| {
                    question(Rows {
                        file,
                        edits,
                        report: report.as_ref(),
                    })
                })
            }))
        })
    }

    /// Asks `question` of the rows in a later task.
    async fn ask<R>(self, question: impl FnOnce(Rows) -> R) -> Option<R> {
        crate::browser::yield_now().await;
        self.with_rows(question)
    }

    /// `rows` as shown.
    pub async fn fetch_shown(self, rows: Vec<usize>) -> Vec<ShownRow> {
        self.ask(|r| r.shown(rows)).await.unwrap_or_default()
    }

    /// The rows `filter` shows, in order.
    pub async fn fetch_rows_for(self, filter: Filter) -> RowList {
        let ledger = self.upload.ledger;
        self.ask(|r| ledger.with_untracked(|l| r.rows_for(&filter, l)))
            .await
            .unwrap_or(RowList::All(0))
    }

    /// The first problem after `row` (round again at the end): its row and column.
    pub async fn fetch_next_problem(self, after: Option<usize>) -> Option<(usize, usize)> {
        self.ask(|r| r.next_problem(after)).await.flatten()
    }

    /// How many cells of `column` hold `needle`.
    pub async fn fetch_count_matches(self, column: usize, needle: String) -> usize {
        self.ask(|r| r.count_matches(column, &needle))
            .await
            .unwrap_or(0)
    }

    /// What the check found, counted; `None` until checked.
    pub async fn fetch_checked(self) -> Option<Checked> {
        self.ask(|r| r.checked()).await.flatten()
    }

    /// Where the rows stand with the upload; `None` until checked.
    pub async fn fetch_standing(self) -> Option<Standing> {
        let ledger = self.upload.ledger;
        self.ask(|r| ledger.with_untracked(|l| r.standing(l)))
            .await
            .flatten()
    }
}
