//! Excel and OpenDocument workbooks, read in the browser by calamine: the sheet names for
//! a picker, then one sheet as a [`Table`](crate::table::Table) whose cells read as Excel
//! showed them (dates as dates, `00742` with its zeros, `12,500.50` with its format; see
//! [`excel_format`](crate::excel_format)). Row numbers are the sheet's own, so "line 12"
//! means row 12 in Excel.

use crate::decode::Detection;
use crate::dialect::{Dialect, LineEnding};
use crate::excel_format::{self, CellValue};
use crate::ingest::{HeadRecord, IngestError, Ingested};
use crate::table::TableBuilder;
use calamine::{Data, Reader, Sheets, StyleRange};
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
}

/// How many leading rows are searched for the header.
const HEADER_SEARCH: usize = 20;

impl Workbook {
    /// Opens a workbook held in memory.
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, IngestError> {
        let sheets = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| IngestError::WorkbookUnreadable(e.to_string()))?;
        let names = sheets.sheet_names();
        Ok(Workbook { sheets, names })
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
        let range = self
            .sheets
            .worksheet_range(name)
            .map_err(|e| IngestError::WorkbookUnreadable(e.to_string()))?;
        // Number formats are only in .xlsx; the others show Excel's General.
        let styles = self
            .sheets
            .worksheet_style(name)
            .unwrap_or_else(|_| StyleRange::empty());
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let text_rows: Vec<(u64, Vec<String>)> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let r = row0 + i as u32;
                let texts = cells
                    .iter()
                    .enumerate()
                    .map(|(j, cell)| {
                        let format = styles
                            .get((r, col0 + j as u32))
                            .and_then(|s| s.number_format.as_ref())
                            .map(|f| f.format_code.as_str());
                        cell_text(cell, format)
                    })
                    .collect();
                (u64::from(r) + 1, texts)
            })
            .collect();
        let sample: Vec<Vec<String>> = text_rows
            .iter()
            .filter(|(_, c)| c.iter().any(|x| !x.trim().is_empty()))
            .take(HEADER_SEARCH)
            .map(|(_, c)| c.clone())
            .collect();
        let sniffed_header = crate::dialect::sniff_header(&sample);
        let dialect = Dialect {
            delimiter: b',',
            quote: b'"',
            line_ending: LineEnding::None,
            header_record: header_record.unwrap_or(sniffed_header),
            decimal_comma: false,
        };
        let head = text_rows
            .iter()
            .filter(|(_, c)| c.iter().any(|x| !x.trim().is_empty()))
            .take(12)
            .enumerate()
            .map(|(record, (line, cells))| HeadRecord {
                record,
                line: *line,
                cells: cells
                    .iter()
                    .take(8)
                    .map(|c| c.chars().take(40).collect())
                    .collect(),
            })
            .collect();
        let bytes: usize = text_rows
            .iter()
            .flat_map(|(_, c)| c.iter().map(String::len))
            .sum();
        let mut builder = TableBuilder::new(&dialect, bytes);
        for (line, cells) in &text_rows {
            builder.push_cells(*line, cells.iter().map(String::as_str));
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
        })
    }
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

    /// Writes the workbook the browser tests drop on the page:
    /// `cargo test -p bulk-core write_browser_fixture -- --ignored`.
    #[test]
    #[ignore]
    fn write_browser_fixture() {
        std::fs::write("../../tests/data/customers-workbook.xlsx", workbook()).unwrap();
    }
}
