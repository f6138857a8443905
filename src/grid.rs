//! What the grid shows and where the person is in it: the filter (all rows, rows with
//! problems, or one kind of problem in one column), the active cell, and the cell being
//! edited. The rows shown are derived from the file, the edits and the report, so a fix
//! that clears a problem updates every filter at once.

use crate::flow::Flow;
use crate::shared::Shared;
use bulk_core::validate::ProblemKind;
use leptos::prelude::*;

/// Which rows the grid shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Every row that is not deleted.
    All,
    /// Rows with at least one problem.
    Problems,
    /// Rows with this kind of problem, in this column (`None`: whole-row problems).
    Kind(ProblemKind, Option<String>),
}

/// The grid's state.
#[derive(Clone, Copy)]
pub struct GridState {
    /// The filter.
    pub filter: RwSignal<Filter>,
    /// The active cell: (table row, column).
    pub active: RwSignal<Option<(usize, usize)>>,
    /// The cell being edited.
    pub editing: RwSignal<Option<(usize, usize)>>,
    /// The text being typed (kept apart so typing does not redraw the grid).
    pub draft: RwSignal<String>,
    /// The rows shown, in order.
    pub rows: Memo<Shared<Vec<u32>>>,
    /// Bumped to ask the grid to bring the active cell into view.
    pub reveal: RwSignal<u64>,
}

impl GridState {
    /// The grid state of `flow`.
    pub fn new(flow: Flow) -> GridState {
        let filter = RwSignal::new(Filter::All);
        let rows = Memo::new(move |_| {
            let f = filter.get();
            let n = flow
                .file
                .with(|f| f.as_ref().map(|f| f.ingested.table.len()).unwrap_or(0));
            let rows: Vec<u32> = flow.edits.with(|e| {
                flow.report.with(|r| match (&f, r) {
                    (Filter::All, _) | (_, None) => (0..n)
                        .filter(|i| !e.is_deleted(*i))
                        .map(|i| i as u32)
                        .collect(),
                    (Filter::Problems, Some(r)) => {
                        r.rows_with_problems().map(|i| i as u32).collect()
                    }
                    (Filter::Kind(kind, column), Some(r)) => {
                        let mut v: Vec<u32> = r
                            .problems()
                            .filter(|p| p.kind == *kind && p.column_name == *column)
                            .map(|p| p.row as u32)
                            .collect();
                        v.dedup();
                        v
                    }
                })
            });
            Shared::new(rows)
        });
        // A new file starts at the top with nothing selected.
        Effect::new(move |_| {
            flow.file.track();
            filter.set(Filter::All);
        });
        GridState {
            filter,
            active: RwSignal::new(None),
            editing: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            rows,
            reveal: RwSignal::new(0),
        }
    }

    /// Makes `row`, `column` the active cell and scrolls to it.
    pub fn focus(self, row: usize, column: usize) {
        self.active.set(Some((row, column)));
        self.reveal.update(|n| *n += 1);
    }

    /// The position of `row` in the rows shown (or where it would be).
    pub fn position(self, row: usize) -> usize {
        self.rows
            .with_untracked(|r| r.partition_point(|x| (*x as usize) < row))
    }

    /// Moves the active cell by rows and columns within the rows shown.
    pub fn step(self, down: isize, right: isize, width: usize) {
        let rows = self.rows.get_untracked();
        if rows.is_empty() || width == 0 {
            return;
        }
        let (row, col) = self.active.get_untracked().unwrap_or((rows[0] as usize, 0));
        let pos = self.position(row).min(rows.len() - 1);
        let pos = (pos as isize + down).clamp(0, rows.len() as isize - 1) as usize;
        let col = (col as isize + right).clamp(0, width as isize - 1) as usize;
        self.focus(rows[pos] as usize, col);
    }
}
