//! The rows in view as the grid and the cell detail draw them: each shown cell's text and
//! whether it was edited or kept as read, the row's line, its problems and its worst
//! severity. Plain data, made by [`crate::rows::Rows::shown`] for just the rows asked for,
//! so the components that draw rows hold no table and no report: the shape rows take on
//! their way from wherever they are kept to the screen.

use bulk_core::validate::{Problem, Severity};

/// One cell as shown.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownCell {
    /// Its text now (edited or as read).
    pub text: String,
    /// The person changed it (or kept it as read).
    pub edited: bool,
    /// Edited to the file's own text: only "Keep the value as read" does that.
    pub kept: bool,
}

/// One row as shown.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownRow {
    /// Its index among the rows.
    pub index: usize,
    /// Its line in the file.
    pub line: u64,
    /// The person deleted it.
    pub deleted: bool,
    /// Its first [`crate::model::MAX_SHOWN_COLUMNS`] cells.
    pub cells: Vec<ShownCell>,
    /// The rows were checked: `severity` and `problems` say something.
    pub checked: bool,
    /// Its worst problem, `None` when it has none.
    pub severity: Option<Severity>,
    /// Its problems, on cells and on the whole row.
    pub problems: Vec<Problem>,
}
