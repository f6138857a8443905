//! Excel and OpenDocument workbooks, read in the browser by calamine: the sheet names for
//! a picker, then one sheet as a [`Table`](crate::table::Table) whose cells read as Excel
//! showed them (dates as dates, `00742` with its zeros, `12,500.50` with its format; see
//! [`excel_format`](crate::excel_format)). Row numbers are the sheet's own, so "line 12"
//! means row 12 in Excel.
//!
//! Only the cells that exist are read (a sheet is sparse: one value in XFD1048576 must not
//! cost a 17-billion-cell grid), and a sheet may hold no more cells and text than a file of
//! its size can plausibly hold; past that it is refused with a sentence, never a crash.

use crate::decode::Detection;
use crate::dialect::{Dialect, LineEnding};
use crate::excel_format::{self, CellValue};
use crate::guess::{Certainty, Guesses};
use crate::ingest::{HeadRecord, IngestError, Ingested};
use crate::table::{TableBuilder, is_blank};
use calamine::{Data, DataRef, Reader, Sheets};
use std::io::Cursor;

/// True when `bytes` start like a workbook (zip container or old OLE file).
///
/// ```
/// assert!(bulk_core::workbook::looks_like_workbook(b"PK\x03\x04...."));
/// assert!(!bulk_core::workbook::looks_like_workbook(b"email,name"));
/// ```
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// An open workbook.
pub struct Workbook {
    sheets: Sheets<Cursor<Vec<u8>>>,
    names: Vec<String>,
    /// The file's size, which bounds what a sheet may hold.
    file_len: usize,
}

/// How many leading rows are searched for the header.
const HEADER_SEARCH: usize = 20;

/// How many cells (the gaps inside a row included) a sheet may hold per byte of its file,
/// and at least. A cell takes a few bytes of compressed XML at the very least, so a real
/// sheet stays far below; a sheet above is damaged or made to exhaust memory. Each cell
/// costs 4 bytes of the table (plus 12 while the sheet is read).
const CELLS_PER_BYTE: usize = 16;
const MIN_CELLS: usize = 1 << 20;
/// How many bytes of cell text a sheet may hold per byte of its file, and at least (shared
/// strings let a small file repeat a long text in many cells).
const TEXT_PER_BYTE: usize = 32;
const MIN_TEXT: usize = 16 << 20;

/// The cells of a sheet that hold something, in the order they were read: (row, column,
/// end of the cell's text in `text`).
struct SparseCells {
    cells: Vec<(u32, u32, u32)>,
    text: String,
    max_cells: usize,
    max_text: usize,
}

/// Why a sheet was refused: it holds more than its file can plausibly hold.
#[derive(Debug)]
struct TooLarge;

impl SparseCells {
    fn for_file(file_len: usize) -> SparseCells {
        SparseCells {
            cells: Vec::new(),
            text: String::new(),
            max_cells: file_len.saturating_mul(CELLS_PER_BYTE).max(MIN_CELLS),
            max_text: file_len
                .saturating_mul(TEXT_PER_BYTE)
                .max(MIN_TEXT)
                .min(u32::MAX as usize),
        }
    }

    /// Keeps a cell unless it shows nothing (an empty cell is only a gap).
    fn push(
        &mut self,
        row: u32,
        col: u32,
        cell: &Data,
        format: Option<&str>,
    ) -> Result<(), TooLarge> {
        let text = cell_text(cell, format);
        if text.is_empty() {
            return Ok(());
        }
        if self.cells.len() >= self.max_cells || self.text.len() + text.len() > self.max_text {
            return Err(TooLarge);
        }
        self.text.push_str(&text);
        // Bounded by `max_text`, which fits in u32.
        self.cells.push((row, col, self.text.len() as u32));
        Ok(())
    }
}

impl Workbook {
    /// Opens a workbook held in memory.
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, IngestError> {
        let file_len = bytes.len();
        let sheets = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| IngestError::WorkbookUnreadable(e.to_string()))?;
        let names = sheets.sheet_names();
        Ok(Workbook {
            sheets,
            names,
            file_len,
        })
    }

    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads one sheet. `header_record` overrides the detected header row as in
    /// [`Overrides`](crate::ingest::Overrides).
    pub fn read_sheet(
        &mut self,
        name: &str,
        header_record: Option<Option<usize>>,
    ) -> Result<Ingested, IngestError> {
        if !self.names.iter().any(|n| n == name) {
            return Err(IngestError::NoSuchSheet(name.to_string()));
        }
        let mut sparse = SparseCells::for_file(self.file_len);
        let too_large = |_: TooLarge| IngestError::SheetTooLarge(name.to_string());
        let unreadable = |e: &dyn std::fmt::Display| IngestError::WorkbookUnreadable(e.to_string());
        match &mut self.sheets {
            // Cell by cell from the XML, with the number format of each (only .xlsx has
            // them in calamine; the others show Excel's General).
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
                let formats: Vec<Option<String>> = reader
                    .styles()
                    .iter()
                    .map(|s| s.number_format.as_ref().map(|f| f.format_code.clone()))
                    .collect();
                while let Some((cell, style)) = reader
                    .next_cell_with_style_id()
                    .map_err(|e| unreadable(&e))?
                {
                    let (row, col) = cell.get_position();
                    let format = formats.get(style).and_then(|f| f.as_deref());
                    let value = data(cell.get_value());
                    sparse.push(row, col, &value, format).map_err(too_large)?;
                }
            }
            Sheets::Xlsb(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                    let (row, col) = cell.get_position();
                    sparse
                        .push(row, col, &data(cell.get_value()), None)
                        .map_err(too_large)?;
                }
            }
            // .xls and .ods are read whole by calamine when the workbook opens (bounded by
            // their formats: 65,536 × 256 cells for .xls, 100 million for .ods).
            other => {
                let range = other.worksheet_range(name).map_err(|e| unreadable(&e))?;
                let (row0, col0) = range.start().unwrap_or((0, 0));
                for (r, c, cell) in range.used_cells() {
                    let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
                        return Err(IngestError::SheetTooLarge(name.to_string()));
                    };
                    sparse
                        .push(row0 + r, col0 + c, cell, None)
                        .map_err(too_large)?;
                }
            }
        }
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
        let pad = |row: &SheetRow| match header {
            Some((at, width)) if row.row > at => width.saturating_sub(row.width) as usize,
            _ => 0,
        };
        let stored: usize = rows.iter().map(|r| r.width as usize).sum();
        let padding: usize = rows.iter().map(pad).sum();
        let fill = stored.saturating_add(padding) <= sparse.max_cells;
        let cells = stored + if fill { padding } else { 0 };
        // The table keeps a byte between the cells of a row.
        let mut builder = TableBuilder::new(&dialect, sparse.text.len().saturating_add(cells));
        builder.reserve(rows.len(), cells);
        let mut next_row = None;
        for row in &rows {
            // Rows without a cell between two with cells are blank rows of the sheet.
            if let Some(next) = next_row {
                builder.blank_rows(u64::from(row.row - next));
            }
            next_row = Some(row.row + 1);
            let empty = std::iter::repeat_n("", if fill { pad(row) } else { 0 });
            builder.push_cells(u64::from(row.row) + 1, row.cells(&sparse).chain(empty));
        }
        let table = crate::ingest::usable(builder.finish())?;
        Ok(Ingested {
            encoding: encoding_rs::UTF_8,
            detection: Detection::Chosen,
            decode_problems: Vec::new(),
            dialect,
            sniffed: Dialect {
                header_record: sniffed_header,
                ..dialect
            },
            table,
            preview: String::new(),
            head,
            sheet: Some(name.to_string()),
            guesses: Guesses {
                header: if header_record.is_some() {
                    Certainty::Certain
                } else {
                    header_certainty
                },
                ..Guesses::default()
            },
        })
    }
}

/// A calamine cell value borrowed from the sheet, as an owned value for [`cell_text`].
fn data(value: &DataRef<'_>) -> Data {
    Data::from(value.clone())
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
    fn cells<'s>(&self, sparse: &'s SparseCells) -> impl Iterator<Item = &'s str> + 's {
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

    fn blank(&self, sparse: &SparseCells) -> bool {
        self.cells(sparse).all(is_blank)
    }
}

/// Groups the cells into rows, in sheet order. Cells arrive in row order from real files;
/// if not, they are sorted (text offsets stay with their cells). Refused when the rows,
/// with the gaps inside them, would exceed what the file may hold.
fn rows_of(sparse: &mut SparseCells) -> Result<Vec<SheetRow>, TooLarge> {
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
            let width = c - col0 + 1;
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

/// One cell as Excel shows it.
fn cell_text(cell: &Data, format: Option<&str>) -> String {
    let error;
    let value = match cell {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(s),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) if d.is_duration() => CellValue::Number(d.as_f64()),
        Data::DateTime(d) => CellValue::Date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s),
        Data::Error(e) => {
            error = e.to_string();
            CellValue::Error(&error)
        }
    };
    excel_format::render(&value, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Writer};

    fn workbook() -> Vec<u8> {
        let mut w = Writer::new();
        let notes = w.add_worksheet();
        notes.set_name("Notes").unwrap();
        notes.write(0, 0, "Exported from the CRM").unwrap();
        let sheet = w.add_worksheet();
        sheet.set_name("Customers").unwrap();
        sheet.write(0, 0, "Customer export 2026").unwrap();
        for (c, h) in [
            "reference",
            "name",
            "postcode",
            "credit_limit",
            "opened",
            "active",
        ]
        .iter()
        .enumerate()
        {
            sheet.write(2, c as u16, *h).unwrap();
        }
        let zip = Format::new().set_num_format("00000");
        let money = Format::new().set_num_format("#,##0.00");
        let day = Format::new().set_num_format("dd/mm/yyyy");
        sheet.write(3, 0, "CUST001").unwrap();
        sheet.write(3, 1, "Acme Europe B.V.").unwrap();
        sheet.write_with_format(3, 2, 742, &zip).unwrap();
        sheet.write_with_format(3, 3, 12500.5, &money).unwrap();
        sheet
            .write_with_format(3, 4, ExcelDateTime::from_ymd(2026, 2, 28).unwrap(), &day)
            .unwrap();
        sheet.write(3, 5, true).unwrap();
        sheet.write(5, 0, "CUST002").unwrap();
        sheet.write(5, 1, "Dupont").unwrap();
        sheet.write(5, 2, "00123").unwrap();
        sheet.write(5, 3, 750).unwrap();
        w.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_reads_as_excel_shows_it() {
        let bytes = workbook();
        assert!(looks_like_workbook(&bytes));
        let mut wb = Workbook::open(bytes).unwrap();
        assert_eq!(wb.sheet_names(), ["Notes", "Customers"]);
        let i = wb.read_sheet("Customers", None).unwrap();
        assert_eq!(
            i.table.headers(),
            [
                "reference",
                "name",
                "postcode",
                "credit_limit",
                "opened",
                "active"
            ]
        );
        assert_eq!(
            i.table.header_line(),
            Some(3),
            "the title line above the header is skipped"
        );
        let r = i.table.row(0).unwrap();
        assert_eq!(
            r.fields().collect::<Vec<_>>(),
            [
                "CUST001",
                "Acme Europe B.V.",
                "00742",
                "12,500.50",
                "28/02/2026",
                "TRUE"
            ]
        );
        assert_eq!(r.line(), 4);
        let r = i.table.row(1).unwrap();
        assert_eq!(
            (r.line(), r.get(2), r.get(3)),
            (6, Some("00123"), Some("750"))
        );
        // Its last two cells are empty, which a sheet does not store: the row is as wide
        // as the header, not short.
        assert_eq!(r.fields().count(), 6);
        assert_eq!((r.get(4), r.get(5)), (Some(""), Some("")));
        assert_eq!(i.table.blank_rows(), 1);
        assert_eq!(i.sheet.as_deref(), Some("Customers"));
        assert!(matches!(
            wb.read_sheet("Nope", None),
            Err(IngestError::NoSuchSheet(_))
        ));
        assert!(matches!(
            wb.read_sheet("Notes", None),
            Err(IngestError::NoRows(_))
        ));
    }

    #[test]
    fn damaged_workbooks_get_a_sentence() {
        let mut bytes = workbook();
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(
            Workbook::open(bytes),
            Err(IngestError::WorkbookUnreadable(_))
        ));
    }

    /// A sheet with a header, one row, and `far` (row, column) cells.
    fn sparse(far: &[(u32, u16)]) -> Vec<u8> {
        let mut w = Writer::new();
        let sheet = w.add_worksheet();
        sheet.write(0, 0, "name").unwrap();
        sheet.write(0, 1, "city").unwrap();
        sheet.write(1, 0, "Ann").unwrap();
        sheet.write(1, 1, "Utrecht").unwrap();
        for &(r, c) in far {
            sheet.write(r, c, "far").unwrap();
        }
        w.save_to_buffer().unwrap()
    }

    #[test]
    fn one_far_away_cell_reads_only_the_cells_that_exist() {
        let bytes = sparse(&[(1_048_575, 16_383)]);
        assert!(bytes.len() < 8 * 1024, "{}", bytes.len());
        let mut wb = Workbook::open(bytes).unwrap();
        let i = wb.read_sheet("Sheet1", None).unwrap();
        assert_eq!(i.table.headers()[..2], ["name", "city"]);
        assert_eq!(i.table.len(), 2);
        let far = i.table.row(1).unwrap();
        assert_eq!((far.line(), far.len()), (1_048_576, 16_384));
        assert_eq!(far.get(16_383), Some("far"));
        assert_eq!(far.get(0), Some(""));
        assert_eq!(i.table.blank_rows(), 1_048_576 - 3);

        let mut wb = Workbook::open(sparse(&[(199_999, 25)])).unwrap();
        let i = wb.read_sheet("Sheet1", None).unwrap();
        let far = i.table.row(1).unwrap();
        assert_eq!(
            (far.line(), far.len(), far.get(25)),
            (200_000, 26, Some("far"))
        );
    }

    #[test]
    fn a_sheet_larger_than_its_file_can_hold_gets_a_sentence() {
        // Each far cell widens its row to 16,384 cells: 70 rows are over a million.
        let far: Vec<(u32, u16)> = (2..72).map(|r| (r, 16_383)).collect();
        let mut wb = Workbook::open(sparse(&far)).unwrap();
        let e = wb.read_sheet("Sheet1", None).unwrap_err();
        assert_eq!(e, IngestError::SheetTooLarge("Sheet1".into()));
        assert!(e.to_string().starts_with(
            "the sheet \"Sheet1\" spans more cells than a workbook of this size can hold"
        ));
    }

    #[test]
    fn cells_out_of_order_are_put_in_order() {
        let mut sparse = SparseCells::for_file(0);
        for (r, c, t) in [(2, 1, "d"), (0, 0, "a"), (2, 0, "c"), (0, 1, "b")] {
            sparse.push(r, c, &Data::String(t.into()), None).unwrap();
        }
        let rows = rows_of(&mut sparse).unwrap();
        let got: Vec<(u32, Vec<&str>)> = rows
            .iter()
            .map(|r| (r.row, r.cells(&sparse).collect()))
            .collect();
        assert_eq!(got, [(0, vec!["a", "b"]), (2, vec!["c", "d"])]);
    }

    /// Writes the workbook the browser tests drop on the page:
    /// `cargo test -p bulk-core write_browser_fixture -- --ignored`.
    #[test]
    #[ignore]
    fn write_browser_fixture() {
        std::fs::write("../../tests/data/customers-workbook.xlsx", workbook()).unwrap();
    }
}
