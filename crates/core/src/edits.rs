//! The person's changes to the rows: edited cells and deleted rows, kept beside the
//! untouched table (so a 100 MB file is never copied for one fix), with undo and redo for
//! every change. A [`View`] reads the table through the changes; validation, the grid, the
//! upload file and the downloads all read through one.

use crate::table::{Row, Table};
use std::collections::{BTreeSet, HashMap};

/// One cell changed: its text before and after (`None`: the file's own text).
#[derive(Clone, Debug, PartialEq, Eq)]
struct CellChange {
    row: u32,
    column: u32,
    before: Option<String>,
    after: Option<String>,
}

/// One undoable step.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    Cells(Vec<CellChange>),
    Delete(Vec<u32>),
    Restore(Vec<u32>),
}

/// What a change did, for re-validating exactly what it touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Cells whose text changed: (row, column, text before, text after).
    pub cells: Vec<(usize, usize, String, String)>,
    /// Rows now deleted.
    pub deleted: Vec<usize>,
    /// Rows no longer deleted.
    pub restored: Vec<usize>,
}

impl Touched {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.deleted.is_empty() && self.restored.is_empty()
    }
}

/// Edited cells and deleted rows, with their history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    cells: HashMap<(u32, u32), String>,
    deleted: BTreeSet<u32>,
    undo: Vec<Change>,
    redo: Vec<Change>,
}

/// The table as the person changed it.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    /// The file's rows.
    pub table: &'a Table,
    /// The changes.
    pub edits: &'a Edits,
}

impl<'a> View<'a> {
    /// A view of `table` through `edits`.
    pub fn new(table: &'a Table, edits: &'a Edits) -> View<'a> {
        View { table, edits }
    }

    /// The text of a cell; `None` past the row's end (unless the person filled it in).
    pub fn get(&self, row: usize, column: usize) -> Option<&'a str> {
        if let Some(v) = self.edited(row, column) {
            return Some(v);
        }
        self.table.row(row)?.get(column)
    }

    /// The person's text for a cell they edited; `None` for a cell as the file has it.
    pub fn edited(&self, row: usize, column: usize) -> Option<&'a str> {
        if self.edits.cells.is_empty() {
            return None;
        }
        self.edits
            .cells
            .get(&(row as u32, column as u32))
            .map(String::as_str)
    }

    /// The first `width` cells of row `row` as [`get`](Self::get) gives them, into `out`
    /// (emptied first), in one pass over the row: a row's cells are found by splitting its
    /// text, so reading cell after cell with `get` would start from the row's start each
    /// time. `spans` is room for the pass.
    pub fn cells_of(
        &self,
        row: usize,
        width: usize,
        spans: &mut Vec<(u32, u32)>,
        out: &mut Vec<Option<&'a str>>,
    ) {
        out.clear();
        spans.clear();
        let text = self.table.row(row).map_or("", |r| r.cells_into(spans));
        for c in 0..width {
            out.push(self.edited(row, c).or_else(|| {
                let &(a, b) = spans.get(c)?;
                Some(text.get(a as usize..b as usize).unwrap_or(""))
            }));
        }
    }

    /// The row as the file has it, when no cell of the table is edited (its cells are then
    /// the view's): for reading a whole row with one lookup instead of one per cell.
    pub fn unedited_row(&self, row: usize) -> Option<Row<'a>> {
        if self.edits.cells.is_empty() {
            self.table.row(row)
        } else {
            None
        }
    }

    /// How many fields the row has (cells the person filled in past its end count).
    pub fn row_len(&self, row: usize) -> usize {
        let own = self.table.row(row).map(|r| r.len()).unwrap_or(0);
        if self.edits.cells.is_empty() {
            return own;
        }
        (own..self.table.headers().len())
            .rev()
            .find(|c| self.edits.cells.contains_key(&(row as u32, *c as u32)))
            .map(|c| c + 1)
            .unwrap_or(own)
    }

    /// The row's line in the file.
    pub fn line(&self, row: usize) -> u64 {
        self.table.row(row).map(|r| r.line()).unwrap_or(0)
    }

    /// True when the person deleted the row.
    pub fn is_deleted(&self, row: usize) -> bool {
        self.edits.is_deleted(row)
    }

    /// How many rows of the table the person deleted (without a pass over the rows).
    pub fn deleted_rows(&self) -> usize {
        let len = u32::try_from(self.table.len()).unwrap_or(u32::MAX);
        self.edits.deleted.range(..len).count()
    }

    /// True when the person changed this cell.
    pub fn is_edited(&self, row: usize, column: usize) -> bool {
        self.edits.cells.contains_key(&(row as u32, column as u32))
    }

    /// Rows in the table (deleted ones included).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

impl Edits {
    /// True when the row is deleted.
    pub fn is_deleted(&self, row: usize) -> bool {
        !self.deleted.is_empty() && self.deleted.contains(&(row as u32))
    }

    /// Deleted rows.
    pub fn deleted(&self) -> usize {
        self.deleted.len()
    }

    /// The deleted rows, in order.
    pub fn deleted_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.deleted.iter().map(|r| *r as usize)
    }

    /// Edited cells.
    pub fn edited(&self) -> usize {
        self.cells.len()
    }

    /// Whether there is a step to undo / redo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Sets cells to new texts as one undoable step. A text equal to the file's own clears
    /// the edit; a text equal to the cell's current one changes nothing (a cell kept as
    /// read stays kept).
    ///
    /// ```
    /// use bulk_core::{dialect::Dialect, table::parse, edits::{Edits, View}};
    /// let t = parse("email\nbob@\n", &Dialect::default()).unwrap();
    /// let mut e = Edits::default();
    /// let touched = e.set(&t, &[(0, 0, "bob@x.io".into())]);
    /// assert_eq!(touched.cells, [(0, 0, "bob@".into(), "bob@x.io".into())]);
    /// assert_eq!(View::new(&t, &e).get(0, 0), Some("bob@x.io"));
    /// e.undo(&t);
    /// assert_eq!(View::new(&t, &e).get(0, 0), Some("bob@"));
    /// ```
    pub fn set(&mut self, table: &Table, changes: &[(usize, usize, String)]) -> Touched {
        let mut step = Vec::new();
        for (row, column, text) in changes {
            let key = (*row as u32, *column as u32);
            let original = table.row(*row).and_then(|r| r.get(*column));
            let before = self.cells.get(&key).cloned();
            if before.as_deref().or(original) == Some(text.as_str()) {
                continue;
            }
            let after = (original != Some(text.as_str())).then(|| text.clone());
            step.push(CellChange {
                row: key.0,
                column: key.1,
                before,
                after,
            });
        }
        self.record_cells(table, step)
    }

    /// Applies a step of cell changes and makes it the one to undo (nothing when empty).
    fn record_cells(&mut self, table: &Table, step: Vec<CellChange>) -> Touched {
        if step.is_empty() {
            return Touched::default();
        }
        self.redo.clear();
        let touched = self.apply_cells(table, &step, false);
        self.undo.push(Change::Cells(step));
        touched
    }

    /// Keeps a cell whose quotes were dropped (a stray quote, see [`Table::stray_quotes`])
    /// as read, as one undoable step: an edit to the file's own text, which says the person
    /// confirmed the value (the warning is only on cells not edited). Nothing for any other
    /// cell, or one edited already.
    ///
    /// ```
    /// use bulk_core::{dialect::Dialect, table::parse, edits::{Edits, View}};
    /// let t = parse("name\n\"Bo\" \nAnn\n", &Dialect::default()).unwrap();
    /// let mut e = Edits::default();
    /// assert!(e.keep_as_read(&t, 1, 0).is_empty());
    /// assert!(!e.keep_as_read(&t, 0, 0).is_empty());
    /// assert!(View::new(&t, &e).is_edited(0, 0));
    /// assert_eq!(View::new(&t, &e).get(0, 0), Some("Bo "));
    /// ```
    pub fn keep_as_read(&mut self, table: &Table, row: usize, column: usize) -> Touched {
        let key = (row as u32, column as u32);
        let original = table.row(row).and_then(|r| r.get(column));
        let Some(original) = original.filter(|_| table.stray_quotes(row).any(|c| c == column))
        else {
            return Touched::default();
        };
        if self.cells.contains_key(&key) {
            return Touched::default();
        }
        let step = vec![CellChange {
            row: key.0,
            column: key.1,
            before: None,
            after: Some(original.to_string()),
        }];
        self.record_cells(table, step)
    }

    /// Deletes rows as one undoable step.
    pub fn delete(&mut self, rows: &[usize]) -> Touched {
        let rows: Vec<u32> = rows
            .iter()
            .map(|r| *r as u32)
            .filter(|r| !self.deleted.contains(r))
            .collect();
        if rows.is_empty() {
            return Touched::default();
        }
        self.redo.clear();
        self.deleted.extend(&rows);
        self.undo.push(Change::Delete(rows.clone()));
        Touched {
            deleted: rows.iter().map(|r| *r as usize).collect(),
            ..Touched::default()
        }
    }

    /// Brings deleted rows back as one undoable step.
    pub fn restore(&mut self, rows: &[usize]) -> Touched {
        let rows: Vec<u32> = rows
            .iter()
            .map(|r| *r as u32)
            .filter(|r| self.deleted.contains(r))
            .collect();
        if rows.is_empty() {
            return Touched::default();
        }
        self.redo.clear();
        for r in &rows {
            self.deleted.remove(r);
        }
        self.undo.push(Change::Restore(rows.clone()));
        Touched {
            restored: rows.iter().map(|r| *r as usize).collect(),
            ..Touched::default()
        }
    }

    /// Undoes the last step; `None` when there is none.
    pub fn undo(&mut self, table: &Table) -> Option<Touched> {
        let change = self.undo.pop()?;
        let touched = self.revert(table, &change, true);
        self.redo.push(change);
        Some(touched)
    }

    /// Redoes the last undone step; `None` when there is none.
    pub fn redo(&mut self, table: &Table) -> Option<Touched> {
        let change = self.redo.pop()?;
        let touched = self.revert(table, &change, false);
        self.undo.push(change);
        Some(touched)
    }

    fn revert(&mut self, table: &Table, change: &Change, backwards: bool) -> Touched {
        match (change, backwards) {
            (Change::Cells(step), _) => self.apply_cells(table, step, backwards),
            (Change::Delete(rows), true) | (Change::Restore(rows), false) => {
                for r in rows {
                    self.deleted.remove(r);
                }
                Touched {
                    restored: rows.iter().map(|r| *r as usize).collect(),
                    ..Touched::default()
                }
            }
            (Change::Delete(rows), false) | (Change::Restore(rows), true) => {
                self.deleted.extend(rows);
                Touched {
                    deleted: rows.iter().map(|r| *r as usize).collect(),
                    ..Touched::default()
                }
            }
        }
    }

    /// The edits as the rows were when they were sent: `runs` are the uploads, oldest first,
    /// each the edits it wrote its rows with and the rows it sent (ascending). A row sent
    /// reads as the last upload that carried it wrote it, whatever was edited, undone or
    /// deleted since; a row never sent reads as now. For the result report, which must say what
    /// the connector got. Only edited cells are looked at.
    ///
    /// ```
    /// use bulk_core::{dialect::Dialect, table::parse, edits::{Edits, View}};
    /// let t = parse("email\nbob@\nann@\n", &Dialect::default()).unwrap();
    /// let mut e = Edits::default();
    /// e.set(&t, &[(0, 0, "bob@x.io".into()), (1, 0, "ann@x.io".into())]);
    /// let sent = e.clone(); // row 0 is uploaded with these edits
    /// e.undo(&t);
    /// let report = e.as_sent(&[(&sent, &[0])]);
    /// assert_eq!(View::new(&t, &report).get(0, 0), Some("bob@x.io"));
    /// assert_eq!(View::new(&t, &report).get(1, 0), Some("ann@"));
    /// // Deleted after it was sent, a row is still in the report.
    /// e.delete(&[0]);
    /// assert!(!View::new(&t, &e.as_sent(&[(&sent, &[0])])).is_deleted(0));
    /// ```
    pub fn as_sent(&self, runs: &[(&Edits, &[u32])]) -> Edits {
        let sent_with = |row: u32| {
            runs.iter()
                .rev()
                .find(|(_, rows)| rows.binary_search(&row).is_ok())
                .map(|(e, _)| *e)
        };
        let cells: BTreeSet<(u32, u32)> = self
            .cells
            .keys()
            .chain(runs.iter().flat_map(|(e, _)| e.cells.keys()))
            .copied()
            .collect();
        let mut out = self.clone();
        // A row deleted after it was sent was not deleted when it was sent.
        out.deleted.retain(|&row| sent_with(row).is_none());
        for (row, column) in cells {
            let Some(e) = sent_with(row) else { continue };
            match e.cells.get(&(row, column)) {
                Some(text) => out.cells.insert((row, column), text.clone()),
                None => out.cells.remove(&(row, column)),
            };
        }
        out
    }

    fn apply_cells(&mut self, table: &Table, step: &[CellChange], backwards: bool) -> Touched {
        let mut cells = Vec::with_capacity(step.len());
        for c in step {
            let (from, to) = if backwards {
                (&c.after, &c.before)
            } else {
                (&c.before, &c.after)
            };
            let key = (c.row, c.column);
            let original = table
                .row(c.row as usize)
                .and_then(|r| r.get(c.column as usize))
                .unwrap_or("");
            let old = from.clone().unwrap_or_else(|| original.to_string());
            let new = to.clone().unwrap_or_else(|| original.to_string());
            match to {
                Some(t) => self.cells.insert(key, t.clone()),
                None => self.cells.remove(&key),
            };
            cells.push((c.row as usize, c.column as usize, old, new));
        }
        Touched {
            cells,
            ..Touched::default()
        }
    }
}

/// Cells of `column` that contain `find` (plain text, case-sensitive), for the preview
/// count of a find and replace.
pub fn count_matches(view: &View, column: usize, find: &str) -> usize {
    if find.is_empty() {
        return 0;
    }
    (0..view.len())
        .filter(|r| !view.is_deleted(*r) && view.get(*r, column).is_some_and(|v| v.contains(find)))
        .count()
}

/// The changes a find and replace in `column` would make.
pub fn replacements(
    view: &View,
    column: usize,
    find: &str,
    replace: &str,
) -> Vec<(usize, usize, String)> {
    if find.is_empty() {
        return Vec::new();
    }
    (0..view.len())
        .filter(|r| !view.is_deleted(*r))
        .filter_map(|r| {
            let v = view.get(r, column)?;
            v.contains(find)
                .then(|| (r, column, v.replace(find, replace)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::table::parse;

    fn table() -> Table {
        parse(
            "email,name\na@x.io,Ann\nb@,Bob\nc@x.io,Cy\n",
            &Dialect::default(),
        )
        .unwrap()
    }

    #[test]
    fn every_change_undoes_and_redoes() {
        let t = table();
        let mut e = Edits::default();
        e.set(&t, &[(1, 0, "b@x.io".into())]);
        e.delete(&[2]);
        e.set(&t, &[(0, 1, "Anne".into()), (1, 1, "Robert".into())]);
        let v = |e: &Edits| {
            (0..3)
                .map(|r| {
                    (
                        View::new(&t, e).get(r, 0).unwrap().to_string(),
                        View::new(&t, e).get(r, 1).unwrap().to_string(),
                        e.is_deleted(r),
                    )
                })
                .collect::<Vec<_>>()
        };
        let end = v(&e);
        assert_eq!(end[1], ("b@x.io".into(), "Robert".into(), false));
        assert!(end[2].2);
        let touched = e.undo(&t).unwrap();
        assert_eq!(touched.cells.len(), 2);
        assert_eq!(v(&e)[0].1, "Ann");
        e.undo(&t).unwrap();
        assert!(!e.is_deleted(2));
        e.undo(&t).unwrap();
        assert_eq!(e.edited(), 0);
        assert!(e.undo(&t).is_none());
        e.redo(&t);
        e.redo(&t);
        e.redo(&t);
        assert_eq!(v(&e), end);
        assert!(!e.can_redo());
    }

    #[test]
    fn setting_the_original_text_clears_the_edit_and_a_new_edit_clears_redo() {
        let t = table();
        let mut e = Edits::default();
        e.set(&t, &[(0, 1, "X".into())]);
        e.set(&t, &[(0, 1, "Ann".into())]);
        assert_eq!(e.edited(), 0);
        e.undo(&t);
        assert!(e.can_redo());
        e.set(&t, &[(2, 1, "Z".into())]);
        assert!(!e.can_redo());
        assert!(
            e.set(&t, &[(2, 1, "Z".into())]).is_empty(),
            "no change, no step"
        );
    }

    #[test]
    fn find_and_replace_counts_then_changes_one_column() {
        let t = table();
        let e = Edits::default();
        let v = View::new(&t, &e);
        assert_eq!(count_matches(&v, 0, "x.io"), 2);
        assert_eq!(count_matches(&v, 1, "x.io"), 0);
        let r = replacements(&v, 0, "x.io", "example.com");
        assert_eq!(
            r,
            [
                (0, 0, "a@example.com".to_string()),
                (2, 0, "c@example.com".to_string())
            ]
        );
    }

    #[test]
    fn a_ragged_row_grows_when_its_missing_cells_are_filled_in() {
        let t = parse("a,b,c\n1\n", &Dialect::default()).unwrap();
        let mut e = Edits::default();
        assert_eq!(View::new(&t, &e).row_len(0), 1);
        e.set(&t, &[(0, 2, "3".into())]);
        let v = View::new(&t, &e);
        assert_eq!(
            (v.row_len(0), v.get(0, 1), v.get(0, 2)),
            (3, None, Some("3"))
        );
    }
}
