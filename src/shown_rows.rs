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
    /// `text` is the first [`SHOWN_CHARS`] characters of a longer text of this many
    /// characters; `None` when it is the whole text.
    pub cut_from: Option<usize>,
}

/// At most this many characters of a cell are sent to the page to be drawn (a grid cell shows
/// a line of it; the editor asks for the whole text): a cell of megabytes took the page
/// 0.1-0.2 s to take in from the worker and seconds to lay out, and one character with
/// thousands of combining marks a minute.
pub const SHOWN_CHARS: usize = 500;

/// A column's name as the page shows it: its first 100 characters and "…" when longer (a
/// header of a megabyte, or of thousands of combining marks, is the file's, but laid out on
/// the grid, the columns step and every message about its cells it held the page for
/// seconds). Kept whole wherever it is matched.
pub fn shown_name(name: &str) -> String {
    bulk_core::checks::first_chars(name, 100).into_owned()
}

/// `text` cut after [`SHOWN_CHARS`] characters, with the whole text's length in characters
/// when it was cut.
pub fn cut(text: &str) -> (&str, Option<usize>) {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => (&text[..at], Some(text.chars().count())),
        None => (text, None),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_at_a_character() {
        let long = "é".repeat(SHOWN_CHARS + 10);
        let (shown, whole) = cut(&long);
        assert_eq!(shown.chars().count(), SHOWN_CHARS);
        assert_eq!(whole, Some(SHOWN_CHARS + 10));
        let exact = "x".repeat(SHOWN_CHARS);
        assert_eq!(cut(&exact), (exact.as_str(), None));
        // One character with many combining marks: no more than the limit goes to the page.
        let marks = format!("a{}", "\u{301}".repeat(200_000));
        assert_eq!(cut(&marks).0.chars().count(), SHOWN_CHARS);
        assert_eq!(cut(&marks).1, Some(200_001));
        assert_eq!(shown_name("Email"), "Email");
        assert_eq!(shown_name(&"é".repeat(300)).chars().count(), 101);
    }
}
