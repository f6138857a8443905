//! A sheet's cells into rows, without the workbook reader: the cells that hold something
//! (as the reader in [`workbook`](crate::workbook) found them, which may be another wasm
//! module) become a [`Table`](crate::table::Table) with the header row found, the sheet's
//! own row numbers and rows filled out to the header's width. Kept apart from the reader so
//! the app's module can build a sheet's rows without carrying the workbook formats.

use crate::decode::Detection;
use crate::dialect::{Dialect, LineEnding};
use crate::guess::{Certainty, Guesses};
use crate::ingest::{HeadRecord, IngestError, Ingested};
use crate::table::{TableBuilder, is_blank};

/// How many leading rows are searched for the header.
const HEADER_SEARCH: usize = 20;

/// How many cells (the gaps inside a row included) a sheet may hold per byte of its file,
/// and at least. A cell takes a few bytes of compressed XML at the very least, so a real
/// sheet stays far below; a sheet above is damaged or made to exhaust memory. Each cell
/// costs 4 bytes of the table (plus 12 while the sheet is read).
const CELLS_PER_BYTE: usize = 16;
const MIN_CELLS: usize = 1 << 20;
/// And at most, whatever the file's size: a limit that must hold on wasm32 too, where 16 ×
/// a file over 256 MiB saturates a 32-bit usize and would bound nothing.
const MAX_CELLS: usize = 1 << 28;
/// How many bytes of cell text a sheet may hold per byte of its file, and at least (shared
/// strings let a small file repeat a long text in many cells).
const TEXT_PER_BYTE: usize = 32;
const MIN_TEXT: usize = 16 << 20;

/// The cells of a sheet that hold something, in the order they were read: (row, column,
/// end of the cell's text in `text`). What the workbook reader hands over (see
/// [`SheetCells::into_parts`]), bounded by what a file of its size can plausibly hold.
pub struct SheetCells {
    cells: Vec<(u32, u32, u32)>,
    text: String,
    max_cells: usize,
    max_text: usize,
}

/// Why a sheet was refused: it holds more than its file can plausibly hold.
#[derive(Debug)]
pub struct TooLarge;

impl SheetCells {
    /// No cells yet, for a workbook file of `file_len` bytes.
    pub fn for_file(file_len: usize) -> SheetCells {
        SheetCells {
            cells: Vec::new(),
            text: String::new(),
            max_cells: file_len
                .saturating_mul(CELLS_PER_BYTE)
                .clamp(MIN_CELLS, MAX_CELLS),
            max_text: file_len
                .saturating_mul(TEXT_PER_BYTE)
                .max(MIN_TEXT)
                .min(u32::MAX as usize),
        }
    }

    /// Keeps a cell unless it shows nothing (an empty cell is only a gap).
    pub fn push(&mut self, row: u32, col: u32, text: &str) -> Result<(), TooLarge> {
        if text.is_empty() {
            return Ok(());
        }
        if self.cells.len() >= self.max_cells || self.text.len() + text.len() > self.max_text {
            return Err(TooLarge);
        }
        self.text.push_str(text);
        // Bounded by `max_text`, which fits in u32.
        self.cells.push((row, col, self.text.len() as u32));
        Ok(())
    }

    /// The cells as (row, column, end) triples one after another, and their text as UTF-8:
    /// two plain arrays, which is what passes between two wasm modules.
    pub fn into_parts(self) -> (Vec<u32>, Vec<u8>) {
        let flat = self
            .cells
            .iter()
            .flat_map(|&(r, c, end)| [r, c, end])
            .collect();
        (flat, self.text.into_bytes())
    }

    /// The cells back from [`into_parts`](Self::into_parts), for a workbook file of
    /// `file_len` bytes. They come from another module: whatever they hold is checked
    /// (text ends in order, inside the text, on character boundaries; within the bounds of
    /// the file's size), so a sheet that does not add up is refused with a sentence.
    pub fn from_parts(
        flat: &[u32],
        text: Vec<u8>,
        file_len: usize,
        sheet: &str,
    ) -> Result<SheetCells, IngestError> {
        let garbled = || {
            IngestError::WorkbookUnreadable(
                "the workbook reader handed over cells that do not fit their text".into(),
            )
        };
        let text = String::from_utf8(text).map_err(|_| garbled())?;
        let mut cells = SheetCells::for_file(file_len);
        if !flat.len().is_multiple_of(3) {
            return Err(garbled());
        }
        if flat.len() / 3 > cells.max_cells || text.len() > cells.max_text {
            return Err(IngestError::SheetTooLarge(sheet.to_string()));
        }
        let mut start = 0;
        cells.cells.reserve_exact(flat.len() / 3);
        for cell in flat.chunks_exact(3) {
            let end = cell[2] as usize;
            if end < start || !text.is_char_boundary(end) {
                return Err(garbled());
            }
            start = end;
            cells.cells.push((cell[0], cell[1], cell[2]));
        }
        cells.text = text;
        Ok(cells)
    }
}

/// The rows of a sheet from its cells: the header row found (or `header_record`, as in
/// [`Overrides`](crate::ingest::Overrides)), rows below it filled out to its width, row
/// numbers the sheet's own. At once; [`SheetBuild`] does the same a slice at a time.
pub fn read_cells(
    sparse: SheetCells,
    name: &str,
    header_record: Option<Option<usize>>,
) -> Result<Ingested, IngestError> {
    let mut build = SheetBuild::new(sparse, name, header_record)?;
    build.push_rows(usize::MAX);
    build.finish()
}

/// A sheet's rows being made, a number of rows at a time, so a page can yield between
/// slices of a big sheet.
pub struct SheetBuild {
    sparse: SheetCells,
    rows: Vec<SheetRow>,
    /// The next of `rows` to put in the table.
    next: usize,
    /// The sheet row after the last one put in (rows between are blank rows of the sheet).
    next_row: Option<u32>,
    builder: TableBuilder,
    /// The header's row and width, when there is a header.
    header: Option<(u32, u32)>,
    /// Rows below the header are filled out to its width.
    fill: bool,
    name: String,
    dialect: Dialect,
    sniffed_header: Option<usize>,
    header_certainty: Certainty,
    header_record: Option<Option<usize>>,
    head: Vec<HeadRecord>,
}

impl SheetBuild {
    /// Groups the cells into rows, finds the header and sizes the table.
    pub fn new(
        mut sparse: SheetCells,
        name: &str,
        header_record: Option<Option<usize>>,
    ) -> Result<SheetBuild, IngestError> {
        let too_large = |_: TooLarge| IngestError::SheetTooLarge(name.to_string());
        let rows = rows_of(&mut sparse).map_err(too_large)?;
        let sample: Vec<Vec<String>> = rows
            .iter()
            .filter(|r| !r.blank(&sparse))
            .take(HEADER_SEARCH)
            .map(|r| r.cells(&sparse).map(str::to_string).collect())
            .collect();
        let (sniffed_header, header_certainty) = crate::dialect::sniff_header_report(&sample);
        let dialect = Dialect {
            delimiter: b',',
            quote: b'"',
            line_ending: LineEnding::None,
            header_record: header_record.unwrap_or(sniffed_header),
            decimal_comma: false,
        };
        let head = sample
            .iter()
            .zip(rows.iter().filter(|r| !r.blank(&sparse)))
            .take(12)
            .enumerate()
            .map(|(record, (cells, row))| HeadRecord {
                record,
                line: u64::from(row.row) + 1,
                cells: cells
                    .iter()
                    .take(8)
                    .map(|c| c.chars().take(40).collect())
                    .collect(),
            })
            .collect();
        // A sheet stores no empty cell: a row whose last cells are empty ends early, and is
        // not "too few fields" as a short CSV line is. Rows below the header are filled out
        // to its width with empty cells (unless that would pass the sheet's cell limit).
        let header = dialect
            .header_record
            .and_then(|h| rows.iter().filter(|r| !r.blank(&sparse)).nth(h))
            .map(|r| (r.row, r.width));
        let pad = |row: &SheetRow| padding(header, row);
        // Saturating: on wasm32 a usize is 32 bits, and the padding of many rows could wrap.
        let stored = rows
            .iter()
            .fold(0usize, |n, r| n.saturating_add(r.width as usize));
        let padding = rows.iter().fold(0usize, |n, r| n.saturating_add(pad(r)));
        let fill = stored.saturating_add(padding) <= sparse.max_cells;
        let cells = stored + if fill { padding } else { 0 };
        // The table keeps a byte between the cells of a row.
        let mut builder = TableBuilder::new(&dialect, sparse.text.len().saturating_add(cells));
        builder.reserve(rows.len(), cells);
        Ok(SheetBuild {
            sparse,
            rows,
            next: 0,
            next_row: None,
            builder,
            header,
            fill,
            name: name.to_string(),
            dialect,
            sniffed_header,
            header_certainty,
            header_record,
            head,
        })
    }

    /// Puts up to `count` more rows in the table; true when every row is in.
    pub fn push_rows(&mut self, count: usize) -> bool {
        let end = self.rows.len().min(self.next.saturating_add(count));
        for row in &self.rows[self.next..end] {
            // Rows without a cell between two with cells are blank rows of the sheet.
            if let Some(next) = self.next_row {
                self.builder.blank_rows(u64::from(row.row - next));
            }
            self.next_row = Some(row.row.saturating_add(1));
            let pad = if self.fill {
                padding(self.header, row)
            } else {
                0
            };
            let empty = std::iter::repeat_n("", pad);
            self.builder
                .push_cells(u64::from(row.row) + 1, row.cells(&self.sparse).chain(empty));
        }
        self.next = end;
        self.next == self.rows.len()
    }

    /// The rows put in so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.rows.len())
    }

    /// The sheet read (the rows not yet put in are left out: call once `push_rows` said
    /// every row is in).
    pub fn finish(self) -> Result<Ingested, IngestError> {
        let table = crate::ingest::usable(self.builder.finish())?;
        let dialect = self.dialect;
        Ok(Ingested {
            encoding: encoding_rs::UTF_8,
            detection: Detection::Chosen,
            decode_problems: Vec::new(),
            dialect,
            sniffed: Dialect {
                header_record: self.sniffed_header,
                ..dialect
            },
            table,
            preview: String::new(),
            head: self.head,
            sheet: Some(self.name),
            guesses: Guesses {
                header: if self.header_record.is_some() {
                    Certainty::Certain
                } else {
                    self.header_certainty
                },
                ..Guesses::default()
            },
        })
    }
}

/// The empty cells that fill a row below the header out to the header's width.
fn padding(header: Option<(u32, u32)>, row: &SheetRow) -> usize {
    match header {
        Some((at, width)) if row.row > at => width.saturating_sub(row.width) as usize,
        _ => 0,
    }
}

/// One row of a sheet: its 0-based number, its cells in `sparse` (`first..end`, sorted by
/// column) and its width from the sheet's first used column to its last cell.
struct SheetRow {
    row: u32,
    first: usize,
    end: usize,
    col0: u32,
    width: u32,
}

impl SheetRow {
    /// The row's cells, the gaps between them empty.
    fn cells<'s>(&self, sparse: &'s SheetCells) -> impl Iterator<Item = &'s str> + 's {
        let cells = &sparse.cells[self.first..self.end];
        let first = self.first;
        let col0 = self.col0;
        let mut next = 0;
        (0..self.width).map(move |col| match cells.get(next) {
            Some(&(_, c, end)) if c - col0 == col => {
                let start = match (first + next).checked_sub(1) {
                    Some(prev) => sparse.cells[prev].2 as usize,
                    None => 0,
                };
                next += 1;
                sparse.text.get(start..end as usize).unwrap_or("")
            }
            _ => "",
        })
    }

    fn blank(&self, sparse: &SheetCells) -> bool {
        self.cells(sparse).all(is_blank)
    }
}

/// Groups the cells into rows, in sheet order. Cells arrive in row order from real files;
/// if not, they are sorted (text offsets stay with their cells). Refused when the rows,
/// with the gaps inside them, would exceed what the file may hold.
fn rows_of(sparse: &mut SheetCells) -> Result<Vec<SheetRow>, TooLarge> {
    let sorted = sparse
        .cells
        .windows(2)
        .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1));
    if !sorted {
        // Rebuild text in sorted order so each cell's text ends where the next begins.
        let mut order: Vec<usize> = (0..sparse.cells.len()).collect();
        order.sort_by_key(|&i| (sparse.cells[i].0, sparse.cells[i].1));
        order.dedup_by_key(|i| (sparse.cells[*i].0, sparse.cells[*i].1));
        let mut text = String::with_capacity(sparse.text.len());
        let mut cells = Vec::with_capacity(order.len());
        for i in order {
            let start = match i.checked_sub(1) {
                Some(prev) => sparse.cells[prev].2 as usize,
                None => 0,
            };
            let (r, c, end) = sparse.cells[i];
            text.push_str(sparse.text.get(start..end as usize).unwrap_or(""));
            cells.push((r, c, text.len() as u32));
        }
        sparse.cells = cells;
        sparse.text = text;
    }
    let col0 = sparse.cells.iter().map(|c| c.1).min().unwrap_or(0);
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut total: usize = 0;
    let mut first = 0;
    for (i, &(r, c, _)) in sparse.cells.iter().enumerate() {
        let last_of_row = sparse.cells.get(i + 1).is_none_or(|n| n.0 != r);
        if last_of_row {
            // A column number at the end of u32 would make the width wrap.
            let width = (c - col0).checked_add(1).ok_or(TooLarge)?;
            total = total.saturating_add(width as usize);
            if total > sparse.max_cells {
                return Err(TooLarge);
            }
            rows.push(SheetRow {
                row: r,
                first,
                end: i + 1,
                col0,
                width,
            });
            first = i + 1;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_out_of_order_are_put_in_order() {
        let mut sparse = SheetCells::for_file(0);
        for (r, c, t) in [(2, 1, "d"), (0, 0, "a"), (2, 0, "c"), (0, 1, "b")] {
            sparse.push(r, c, t).unwrap();
        }
        let rows = rows_of(&mut sparse).unwrap();
        let got: Vec<(u32, Vec<&str>)> = rows
            .iter()
            .map(|r| (r.row, r.cells(&sparse).collect()))
            .collect();
        assert_eq!(got, [(0, vec!["a", "b"]), (2, vec!["c", "d"])]);
    }

    #[test]
    fn parts_that_do_not_add_up_are_refused_with_a_sentence() {
        let unreadable = |r: Result<SheetCells, IngestError>| {
            matches!(r, Err(IngestError::WorkbookUnreadable(_)))
        };
        // Not whole triples; an end past the text; ends going back; an end inside "é";
        // text that is not UTF-8.
        assert!(unreadable(SheetCells::from_parts(
            &[0, 0],
            b"a".to_vec(),
            10,
            "S"
        )));
        assert!(unreadable(SheetCells::from_parts(
            &[0, 0, 2],
            b"a".to_vec(),
            10,
            "S"
        )));
        assert!(unreadable(SheetCells::from_parts(
            &[0, 0, 2, 0, 1, 1],
            b"ab".to_vec(),
            10,
            "S"
        )));
        assert!(unreadable(SheetCells::from_parts(
            &[0, 0, 1],
            "é".as_bytes().to_vec(),
            10,
            "S"
        )));
        assert!(unreadable(SheetCells::from_parts(
            &[0, 0, 1],
            vec![0xFF],
            10,
            "S"
        )));
        // More cells than a file of its size may hold.
        let many = vec![0; 3 * (MIN_CELLS + 1)];
        assert_eq!(
            SheetCells::from_parts(&many, Vec::new(), 10, "S").err(),
            Some(IngestError::SheetTooLarge("S".into()))
        );
        // A column at the end of u32 makes the row too wide, not a row of no width.
        let far = SheetCells::from_parts(&[0, 0, 1, 0, u32::MAX, 2], b"ab".to_vec(), 10, "S");
        assert_eq!(
            read_cells(far.unwrap(), "S", None).err(),
            Some(IngestError::SheetTooLarge("S".into()))
        );
        // A file past 256 MiB still has a bound on its cells.
        assert_eq!(SheetCells::for_file(usize::MAX).max_cells, MAX_CELLS);
        let ok = SheetCells::from_parts(&[0, 0, 1, 0, 1, 3], "aé".as_bytes().to_vec(), 10, "S");
        let rows = read_cells(ok.unwrap(), "S", Some(None)).unwrap();
        assert_eq!(
            rows.table.row(0).unwrap().fields().collect::<Vec<_>>(),
            ["a", "é"]
        );
    }
}
