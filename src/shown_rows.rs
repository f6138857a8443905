//! The rows in view as the grid and the cell detail draw them: each shown cell's text and
//! whether it was edited or kept as read, the row's line, its problems and its worst
//! severity. Plain data, taken from the rows, the edits and the report for just the rows
//! asked for, so the components that draw rows hold no table and no report: the shape rows
//! take on their way from wherever they are kept to the screen.

use crate::flow::Flow;
use crate::model::{LoadedFile, MAX_SHOWN_COLUMNS};
use bulk_core::edits::{Edits, View};
use bulk_core::validate::{Problem, Report, Severity};
use leptos::prelude::*;

/// One cell as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownCell {
    /// Its text now (edited or as read).
    pub text: String,
    /// The person changed it (or kept it as read).
    pub edited: bool,
    /// Edited to the file's own text: only "Keep the value as read" does that.
    pub kept: bool,
}

/// One row as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownRow {
    /// Its index among the rows.
    pub index: usize,
    /// Its line in the file.
    pub line: u64,
    /// The person deleted it.
    pub deleted: bool,
    /// Its first [`MAX_SHOWN_COLUMNS`] cells.
    pub cells: Vec<ShownCell>,
    /// The rows were checked: `severity` and `problems` say something.
    pub checked: bool,
    /// Its worst problem, `None` when it has none.
    pub severity: Option<Severity>,
    /// Its problems, on cells and on the whole row.
    pub problems: Vec<Problem>,
}

/// `rows` of `file` as shown, with `edits` and (once checked) `report`.
pub fn shown(
    file: &LoadedFile,
    edits: &Edits,
    report: Option<&Report>,
    rows: impl IntoIterator<Item = usize>,
) -> Vec<ShownRow> {
    let table = &file.ingested.table;
    let view = View::new(table, edits);
    let width = table.headers().len().min(MAX_SHOWN_COLUMNS);
    rows.into_iter()
        .filter(|r| *r < table.len())
        .map(|index| ShownRow {
            index,
            line: view.line(index),
            deleted: view.is_deleted(index),
            cells: (0..width)
                .map(|c| {
                    let text = view.get(index, c).unwrap_or("");
                    let edited = view.is_edited(index, c);
                    let read = table.row(index).and_then(|r| r.get(c));
                    ShownCell {
                        text: text.to_string(),
                        edited,
                        kept: edited && read == Some(text),
                    }
                })
                .collect(),
            checked: report.is_some(),
            severity: report.and_then(|r| r.row_severity(index)),
            problems: report
                .map(|r| r.problems_of(index).cloned().collect())
                .unwrap_or_default(),
        })
        .collect()
}

impl Flow {
    /// Tracks whatever changes the rows as shown: the file, the edits, the check.
    pub fn track_rows(self) {
        self.reading.file.track();
        self.review.edits.track();
        self.review.report.track();
    }

    /// `rows` as shown, answered in a later task, as a keeper of the rows elsewhere (a
    /// worker) would answer: the components that draw rows are written for that already.
    pub async fn fetch_shown(self, rows: Vec<usize>) -> Vec<ShownRow> {
        crate::browser::yield_now().await;
        self.reading.file.with_untracked(|f| {
            let Some(f) = f else { return Vec::new() };
            self.review.edits.with_untracked(|e| {
                self.review
                    .report
                    .with_untracked(|r| shown(f, e, r.as_ref(), rows))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulk_core::ingest::{Overrides, from_text};

    #[test]
    fn a_row_shows_its_edits_and_kept_cells() {
        let ingested =
            from_text("Name,Notes\nAda,x\nBo,\"a\" b\n", &Overrides::default()).expect("a table");
        let file = LoadedFile {
            name: "f.csv".into(),
            size: 0,
            facts: Default::default(),
            fingerprint: String::new(),
            ingested,
        };
        let mut edits = Edits::default();
        let table = &file.ingested.table;
        edits.set(table, &[(0, 0, "Ann".into())]);
        edits.keep_as_read(table, 1, 1);
        let rows = shown(&file, &edits, None, [0, 1, 9]);
        assert_eq!(rows.len(), 2, "a row past the end is left out");
        assert_eq!((rows[0].line, rows[0].cells[0].text.as_str()), (2, "Ann"));
        assert!(rows[0].cells[0].edited && !rows[0].cells[0].kept);
        assert!(rows[1].cells[1].edited && rows[1].cells[1].kept);
        assert!(!rows[0].checked && rows[0].problems.is_empty());
    }
}
