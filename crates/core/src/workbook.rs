//! Excel and OpenDocument workbooks, read in the browser by calamine: the sheet names for
//! a picker, then one sheet as a [`Table`](crate::table::Table) whose cells read as Excel
//! showed them (dates as dates, `00742` with its zeros, `12,500.50` with its format; see
//! [`excel_format`](crate::excel_format)). Row numbers are the sheet's own, so "line 12"
//! means row 12 in Excel.
//!
//! Only the cells that exist are read (a sheet is sparse: one value in XFD1048576 must not
//! cost a 17-billion-cell grid), and a sheet may hold no more cells and text than a file of
//! its size can plausibly hold; past that it is refused with a sentence, never a crash.

use crate::excel_format::{self, CellValue};
use crate::ingest::{IngestError, Ingested};
use crate::sheet::{SheetCells, TooLarge, read_cells};
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
        let cells = self.sheet_cells(name)?;
        read_cells(cells, name, header_record)
    }

    /// The cells of one sheet that show something, as Excel shows them; [`read_cells`]
    /// makes them rows.
    pub fn sheet_cells(&mut self, name: &str) -> Result<SheetCells, IngestError> {
        if !self.names.iter().any(|n| n == name) {
            return Err(IngestError::NoSuchSheet(name.to_string()));
        }
        let mut sparse = SheetCells::for_file(self.file_len);
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
                    sparse
                        .push(row, col, &cell_text(&value, format))
                        .map_err(too_large)?;
                }
            }
            Sheets::Xlsb(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                    let (row, col) = cell.get_position();
                    sparse
                        .push(row, col, &cell_text(&data(cell.get_value()), None))
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
                        .push(row0 + r, col0 + c, &cell_text(cell, None))
                        .map_err(too_large)?;
                }
            }
        }
        Ok(sparse)
    }
}

/// A calamine cell value borrowed from the sheet, as an owned value for [`cell_text`].
fn data(value: &DataRef<'_>) -> Data {
    Data::from(value.clone())
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
    fn a_sheet_handed_over_as_parts_reads_the_same() {
        let bytes = workbook();
        let len = bytes.len();
        let mut wb = Workbook::open(bytes).unwrap();
        let direct = wb.read_sheet("Customers", None).unwrap();
        let (flat, text) = wb.sheet_cells("Customers").unwrap().into_parts();
        let cells = SheetCells::from_parts(&flat, text, len, "Customers").unwrap();
        let passed = read_cells(cells, "Customers", None).unwrap();
        let rows = |i: &Ingested| -> Vec<(u64, Vec<String>)> {
            (0..i.table.len())
                .filter_map(|r| i.table.row(r))
                .map(|r| (r.line(), r.fields().map(str::to_string).collect()))
                .collect()
        };
        assert_eq!(rows(&passed), rows(&direct));
        // And a row at a time, as the page builds a big sheet.
        let (flat, text) = wb.sheet_cells("Customers").unwrap().into_parts();
        let cells = SheetCells::from_parts(&flat, text, len, "Customers").unwrap();
        let mut build = crate::sheet::SheetBuild::new(cells, "Customers", None).unwrap();
        let mut slices = 1;
        while !build.push_rows(1).unwrap() {
            slices += 1;
        }
        // One row a slice: grouped, then put in the table.
        let (put, found) = build.progress();
        assert_eq!((put, slices), (found, 2 * found));
        let sliced = build.finish().unwrap();
        assert_eq!(rows(&sliced), rows(&direct));
        assert_eq!(sliced.table.blank_rows(), direct.table.blank_rows());
        assert_eq!(passed.table.headers(), direct.table.headers());
        assert_eq!(passed.head, direct.head);
    }

    /// Writes the workbook the browser tests drop on the page:
    /// `cargo test -p bulk-core write_browser_fixture -- --ignored`.
    #[test]
    #[ignore]
    fn write_browser_fixture() {
        std::fs::write("../../tests/data/customers-workbook.xlsx", workbook()).unwrap();
    }
}
