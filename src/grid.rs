//! What the grid shows and where the person is in it: the filter (all rows, rows with
//! problems, or one kind of problem in one column), the active cell, and the cell being
//! edited. The rows a filter shows are asked of the rows again whenever the file, the edits
//! or the report change, so a fix that clears a problem updates every filter at once.

use crate::flow::Flow;
use crate::loading::Tickets;
use crate::shared::Shared;
use bulk_core::validate::ProblemKind;
use leptos::prelude::*;

/// Which rows the grid shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Filter {
    /// Every row that is not deleted.
    All,
    /// Rows with at least one problem.
    Problems,
    /// Rows with this kind of problem, in this column (`None`: whole-row problems).
    Kind(ProblemKind, Option<String>),
    /// Rows the connector refused or did not process.
    Refused,
}

/// The rows a grid shows: every row (without listing 800,000 numbers), or a list.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum RowList {
    /// Rows 0..n.
    All(usize),
    /// These rows, ascending.
    Some(Shared<Vec<u32>>),
}

impl RowList {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            RowList::All(n) => *n,
            RowList::Some(v) => v.len(),
        }
    }
    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The row at a position.
    pub fn get(&self, pos: usize) -> Option<usize> {
        match self {
            RowList::All(n) => (pos < *n).then_some(pos),
            RowList::Some(v) => v.get(pos).map(|r| *r as usize),
        }
    }
    /// Where `row` is (or would be).
    pub fn position(&self, row: usize) -> usize {
        match self {
            RowList::All(n) => row.min(*n),
            RowList::Some(v) => v.partition_point(|x| (*x as usize) < row),
        }
    }
    /// True when both list the same rows.
    pub fn same_rows(&self, other: &RowList) -> bool {
        match (self, other) {
            (RowList::All(a), RowList::All(b)) => a == b,
            (RowList::Some(a), RowList::Some(b)) => **a == **b,
            _ => false,
        }
    }
    /// Whether `row` is shown.
    pub fn contains(&self, row: usize) -> bool {
        match self {
            RowList::All(n) => row < *n,
            RowList::Some(v) => v.binary_search(&(row as u32)).is_ok(),
        }
    }
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
    /// The text the editor opened with.
    pub opened_with: StoredValue<String>,
    /// The editor waits for the cell's whole text (the grid held none, or only its first
    /// characters): it takes no typing until it arrives, or what was typed would replace a
    /// text the person never saw.
    pub loading: RwSignal<bool>,
    /// The rows shown, in order.
    pub rows: RwSignal<RowList>,
    /// The rows a new filter shows were asked for and have not arrived yet.
    pub listing: RwSignal<bool>,
    /// Bumped to ask the grid to bring the active cell into view.
    pub reveal: RwSignal<u64>,
}

impl GridState {
    /// The grid state of `flow`.
    pub fn new(flow: Flow) -> GridState {
        let filter = RwSignal::new(Filter::All);
        let (rows, listing) = (RwSignal::new(RowList::All(0)), RwSignal::new(false));
        // The rows a filter shows are asked for whenever it or the rows change; only the
        // latest answer is kept, and an answer that lists the same rows changes nothing.
        let asks = Tickets::new();
        Effect::new(move |_| {
            let wanted = filter.get();
            flow.track_rows();
            flow.upload.ledger.track();
            listing.set(true);
            asks.latest(flow.fetch_rows_for(wanted), move |list| {
                if rows.with_untracked(|r| !r.same_rows(&list)) {
                    rows.set(list);
                }
                listing.set(false);
            });
        });
        // A new file starts at the top with nothing selected.
        Effect::new(move |_| {
            flow.reading.file.track();
            filter.set(Filter::All);
        });
        GridState {
            filter,
            active: RwSignal::new(None),
            editing: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            opened_with: StoredValue::new(String::new()),
            loading: RwSignal::new(false),
            rows,
            listing,
            reveal: RwSignal::new(0),
        }
    }

    /// Makes `row`, `column` the active cell and scrolls to it.
    pub fn focus(self, row: usize, column: usize) {
        self.active.set(Some((row, column)));
        self.reveal.update(|n| *n += 1);
    }

    /// Opens the editor on a cell at once (so a quick Enter, Enter opens and closes it, as
    /// in a spreadsheet), starting from `drawn`, the text the grid holds for it; not while a
    /// full read or check runs. When that text may be behind (the rows changed since it was
    /// fetched, an edit waits to be applied, or the grid holds none), the cell's text is
    /// asked of the rows, which answer after every edit asked before, and replaces the
    /// draft if the person has not typed yet. Leaving an editor in which nothing was typed
    /// changes nothing ([`GridState::typed`]), so a text that was behind is never saved.
    pub fn edit(self, flow: Flow, row: usize, column: usize, drawn: Option<String>) {
        if flow.reading.progress.get_untracked().is_some() {
            return;
        }
        // Open already on this cell: what was typed stays.
        if self.editing.get_untracked() == Some((row, column)) {
            return;
        }
        // Another cell's editor still open with text typed in it: that text is saved first,
        // as a spreadsheet does (it was replaced by this cell's text, lost without a word).
        self.save_draft(flow);
        let current = drawn
            .as_ref()
            .is_some_and(|_| flow.review.edits_pending.get_untracked() == 0);
        // No text to start from: the editor waits for the whole text, typing nothing.
        let waits = drawn.is_none();
        let text = drawn.unwrap_or_default();
        self.draft.set(text.clone());
        self.opened_with.set_value(text);
        self.loading.set(waits);
        self.active.set(Some((row, column)));
        self.editing.set(Some((row, column)));
        if current {
            return;
        }
        leptos::task::spawn_local(async move {
            let shown = flow.fetch_shown(vec![row], Some(column)).await.pop();
            let fresh = shown.and_then(|r| r.cells.into_iter().nth(column));
            if self.editing.try_get_untracked().flatten() != Some((row, column)) {
                return;
            }
            if let Some(fresh) = fresh
                && !self.typed()
            {
                self.draft.set(fresh.text.clone());
                self.opened_with.set_value(fresh.text);
            }
            self.loading.set(false);
        });
    }

    /// Saves what was typed in the open editor, if anything was (the editor stays as it is).
    pub fn save_draft(self, flow: Flow) {
        if let Some((row, column)) = self.editing.get_untracked()
            && self.typed()
        {
            flow.edit_cells(vec![(row, column, self.draft.get_untracked())]);
        }
    }

    /// True when the person typed in the editor (its text is not the one it opened with).
    pub fn typed(self) -> bool {
        self.draft
            .with_untracked(|d| self.opened_with.with_value(|o| d != o))
    }

    /// The position of `row` in the rows shown (or where it would be).
    pub fn position(self, row: usize) -> usize {
        self.rows.with_untracked(|r| r.position(row))
    }

    /// Moves the active cell by rows and columns within the rows shown.
    pub fn step(self, down: isize, right: isize, width: usize) {
        let rows = self.rows.get_untracked();
        if rows.is_empty() || width == 0 {
            return;
        }
        // Nothing active yet: the first key lands on the first cell.
        let Some((row, col)) = self.active.get_untracked() else {
            if let Some(first) = rows.get(0) {
                self.focus(first, 0);
            }
            return;
        };
        let pos = self.position(row).min(rows.len() - 1);
        let pos = (pos as isize + down).clamp(0, rows.len() as isize - 1) as usize;
        let col = (col as isize + right).clamp(0, width as isize - 1) as usize;
        if let Some(row) = rows.get(pos) {
            self.focus(row, col);
        }
    }
}
