//! What the page knows of a file's rows without holding them: its columns, how many rows,
//! where its header was, and a look at its first rows (a few values of each column for the
//! mapping, and how wide each column starts in the grid). Taken once when the rows are
//! read, so the screens that describe a file ask these, not the rows: the first step
//! towards keeping the rows out of the page (in a worker) without changing those screens.

use crate::grid_window::column_width;
use crate::model::{MAX_SHOWN_COLUMNS, clip};
use bulk_core::table::Table;

/// Rows looked at for a column's sample values.
const SAMPLE_ROWS: usize = 500;
/// Different values shown per column.
const SAMPLES: usize = 3;
/// Rows looked at for a column's starting width.
const WIDTH_ROWS: usize = 200;

/// A file's rows, described.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    /// The column names (lettered when the file has no header row).
    pub headers: Vec<String>,
    /// How many rows (without the header and blank lines).
    pub rows: usize,
    /// The header's line, when the file has one.
    pub header_line: Option<u64>,
    /// Blank lines left out.
    pub blank_rows: u64,
    /// What the reading noticed about the rows (ragged rows, a header made unique), said.
    pub warnings: Vec<String>,
    /// Up to three different values of each shown column, clipped ("a · b · c").
    pub samples: Vec<String>,
    /// Each shown column's starting width in the grid, in pixels, from its header and
    /// first rows.
    pub widths: Vec<u32>,
}

impl FileFacts {
    /// The facts of `table`.
    pub fn of(table: &Table) -> FileFacts {
        let shown = table.headers().len().min(MAX_SHOWN_COLUMNS);
        let value = |r: usize, c: usize| table.row(r).and_then(|row| row.get(c));
        let samples = (0..shown)
            .map(|c| {
                let mut seen: Vec<&str> = Vec::new();
                for v in (0..table.len().min(SAMPLE_ROWS)).filter_map(|r| value(r, c)) {
                    let v = v.trim();
                    if !v.is_empty() && !seen.contains(&v) {
                        seen.push(v);
                        if seen.len() == SAMPLES {
                            break;
                        }
                    }
                }
                seen.iter()
                    .map(|v| clip(v, 24))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .collect();
        let widths = table.headers()[..shown]
            .iter()
            .enumerate()
            .map(|(c, h)| {
                column_width(
                    h,
                    (0..table.len().min(WIDTH_ROWS)).filter_map(|r| value(r, c)),
                )
            })
            .collect();
        FileFacts {
            headers: table.headers().to_vec(),
            rows: table.len(),
            header_line: table.header_line(),
            blank_rows: table.blank_rows(),
            warnings: table.warnings().iter().map(|w| w.to_string()).collect(),
            samples,
            widths,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulk_core::dialect::Dialect;

    #[test]
    fn samples_are_the_first_different_values_and_widths_follow_the_content() {
        let text = "Name,Notes\n a ,x\na,\nb,\nc,\nd,\n";
        let table = bulk_core::table::parse(text, &Dialect::default()).expect("a table");
        let facts = FileFacts::of(&table);
        assert_eq!(facts.headers, ["Name", "Notes"]);
        assert_eq!(facts.rows, 5);
        assert_eq!(facts.header_line, Some(1));
        assert_eq!(facts.samples, ["a · b · c", "x"]);
        assert_eq!(facts.widths.len(), 2);
    }
}
