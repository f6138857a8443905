//! The page's side of the conversation with the keeper of the rows ([`crate::keeper`]):
//! each request is sent as plain data and answered in a later task, as a keeper in a worker
//! would answer; the fetches here turn the answers back into what the components show.
//! What changes the answers is tracked in one place ([`Flow::track_rows`]).

use crate::checked::{Checked, Standing};
use crate::flow::Flow;
use crate::grid::{Filter, RowList};
use crate::keeper::{Answer, Edit, EditState, Request};
use crate::keeper_link::{self, Written};
use crate::keeper_work::{Done, Given, Work};
use crate::shown_rows::ShownRow;
use bulk_core::export;
use leptos::prelude::*;

impl Flow {
    /// Tracks whatever changes the answers about the rows: the file, the edits, the check.
    pub fn track_rows(self) {
        self.reading.file.track();
        self.review.changed.track();
    }

    /// Sends `request` to the keeper; its answer comes in a later task.
    pub(crate) async fn ask(self, request: Request) -> Answer {
        match keeper_link::send(Work::Answer(request), Given::default(), |_| {}).await {
            Done::Answer(answer) => answer,
            _ => Answer::Nothing,
        }
    }

    /// `rows` as shown.
    pub async fn fetch_shown(self, rows: Vec<usize>, whole: Option<usize>) -> Vec<ShownRow> {
        match self.ask(Request::Shown(rows, whole)).await {
            Answer::Shown(rows) => rows,
            _ => Vec::new(),
        }
    }

    /// The rows `filter` shows, in order.
    pub async fn fetch_rows_for(self, filter: Filter) -> RowList {
        match self.ask(Request::RowsFor(filter)).await {
            Answer::Rows(rows) => rows,
            _ => RowList::All(0),
        }
    }

    /// The first problem after `row` (round again at the end): its row and column.
    pub async fn fetch_next_problem(self, after: Option<usize>) -> Option<(usize, usize)> {
        match self.ask(Request::NextProblem(after)).await {
            Answer::Cell(cell) => cell,
            _ => None,
        }
    }

    /// How many cells of `column` hold `needle`.
    pub async fn fetch_count_matches(self, column: usize, needle: String) -> usize {
        match self.ask(Request::CountMatches(column, needle)).await {
            Answer::Count(n) => n,
            _ => 0,
        }
    }

    /// What the check found, counted; `None` until checked.
    pub async fn fetch_checked(self) -> Option<Checked> {
        match self.ask(Request::Checked).await {
            Answer::Checked(c) => c,
            _ => None,
        }
    }

    /// Where the rows stand with the upload; `None` until checked.
    pub async fn fetch_standing(self) -> Option<Standing> {
        match self.ask(Request::Standing).await {
            Answer::Standing(s) => s,
            _ => None,
        }
    }

    /// The rows (all, or those with problems) with their messages, as CSV; `None` until
    /// checked.
    pub async fn fetch_rows_csv(self, rows: export::Rows) -> Option<Result<Written, String>> {
        self.fetch_file(Request::RowsCsv(rows)).await
    }

    /// The result of every row as CSV; `None` until checked.
    pub async fn fetch_results_csv(self) -> Option<Result<Written, String>> {
        self.fetch_file(Request::ResultsCsv).await
    }

    /// A file the keeper writes: its bytes or its `Blob`, or why not; `None` until checked.
    async fn fetch_file(self, request: Request) -> Option<Result<Written, String>> {
        let work = Work::Answer(request);
        match keeper_link::send_for_file(work, Given::default(), |_| {}).await {
            (Done::Answer(Answer::Blob), Some(blob)) => Some(Ok(Written::Blob(blob))),
            (Done::Answer(Answer::Bytes(b)), _) => b.map(|b| b.map(|b| Written::Bytes(b.0))),
            _ => None,
        }
    }

    /// Tells the keeper what a change to the ledger wrote (these `jobs` and the outcomes of
    /// these `rows`), before anything asks about it: its copy of the ledger answers the
    /// questions about the rows sent.
    pub(crate) fn ledger_changed(self, jobs: &[bulk_core::JobId], rows: &[usize]) {
        let part = self.upload.ledger.with_untracked(|l| l.part(jobs, rows));
        leptos::task::spawn_local(async move {
            self.ask(Request::Ledger(part)).await;
        });
    }

    /// Applies `edit` at the keeper; what it did (`None` without rows). The rows' questions
    /// are asked again after it.
    pub(crate) async fn send_edit(self, edit: Edit) -> Option<EditState> {
        match self.ask(Request::Edit(edit)).await {
            Answer::Edited(state) => {
                self.review.undo.set((state.can_undo, state.can_redo));
                self.review.rows_changed();
                Some(state)
            }
            _ => None,
        }
    }
}
