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
    /// Every cell after the one before it in sheet order (row, then column), as real files
    /// write them; kept as cells arrive so grouping them needs no pass of its own.
    in_order: bool,
    /// The sheet's first used column (the least column of any cell), likewise.
    col0: u32,
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
            in_order: true,
            col0: u32::MAX,
        }
    }

    /// Records where a cell stands against those before it.
    fn note(&mut self, row: u32, col: u32) {
        if let Some(&(r, c, _)) = self.cells.last() {
            self.in_order &= (r, c) < (row, col);
        }
        self.col0 = self.col0.min(col);
    }

    /// Keeps a cell unless it shows nothing (an empty cell is only a gap).
    pub fn push(&mut self, row: u32, col: u32, text: &str) -> Result<(), TooLarge> {
        if text.is_empty() {
            return Ok(());
        }
        if self.cells.len() >= self.max_cells || self.text.len() + text.len() > self.max_text {
            return Err(TooLarge);
        }
        self.note(row, col);
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
    /// `file_len` bytes, at once; [`arriving`](Self::arriving) takes them a slice at a time.
    pub fn from_parts(
        flat: &[u32],
        text: Vec<u8>,
        file_len: usize,
        sheet: &str,
    ) -> Result<SheetCells, IngestError> {
        let mut arrival = SheetCells::arriving(flat.len(), text, file_len, sheet)?;
        arrival.take(flat)?;
        arrival.finish()
    }

    /// Starts taking the cells back from [`into_parts`](Self::into_parts): `flat_len`
    /// numbers to come and the text they end in. They come from another module: whatever
    /// they hold is checked (text ends in order, inside the text, on character boundaries;
    /// within the bounds of the file's size), so a sheet that does not add up is refused
    /// with a sentence, not read wrong.
    pub fn arriving(
        flat_len: usize,
        text: Vec<u8>,
        file_len: usize,
        sheet: &str,
    ) -> Result<CellsArrival, IngestError> {
        if !flat_len.is_multiple_of(3) {
            return Err(garbled());
        }
        let text = String::from_utf8(text).map_err(|_| garbled())?;
        let mut cells = SheetCells::for_file(file_len);
        if flat_len / 3 > cells.max_cells || text.len() > cells.max_text {
            return Err(IngestError::SheetTooLarge(sheet.to_string()));
        }
        cells.cells.reserve_exact(flat_len / 3);
        cells.text = text;
        Ok(CellsArrival {
            cells,
            expected: flat_len / 3,
            start: 0,
        })
    }
}

/// Cells being taken back from another module, a slice at a time (see
/// [`SheetCells::arriving`]).
pub struct CellsArrival {
    cells: SheetCells,
    /// How many cells were announced.
    expected: usize,
    /// Where the next cell's text starts.
    start: usize,
}

impl CellsArrival {
    /// Takes the next whole (row, column, end) triples.
    pub fn take(&mut self, flat: &[u32]) -> Result<(), IngestError> {
        if !flat.len().is_multiple_of(3) || self.cells.cells.len() + flat.len() / 3 > self.expected
        {
            return Err(garbled());
        }
        for cell in flat.chunks_exact(3) {
            let end = cell[2] as usize;
            if end < self.start || !self.cells.text.is_char_boundary(end) {
                return Err(garbled());
            }
            self.start = end;
            self.cells.note(cell[0], cell[1]);
            self.cells.cells.push((cell[0], cell[1], cell[2]));
        }
        Ok(())
    }

    /// The cells, once every one announced has arrived.
    pub fn finish(self) -> Result<SheetCells, IngestError> {
        if self.cells.cells.len() != self.expected {
            return Err(garbled());
        }
        Ok(self.cells)
    }
}

/// A sheet handed over by the workbook reader that does not add up.
fn garbled() -> IngestError {
    IngestError::WorkbookUnreadable(
        "the workbook reader handed over cells that do not fit their text".into(),
    )
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
    while !build.push_rows(usize::MAX)? {}
    build.finish()
}

/// A sheet's rows being made, a number of rows at a time, so a page can yield between
/// slices of a big sheet: first the cells are grouped into rows, then (the header found and
/// the table sized) the rows are put in the table.
pub struct SheetBuild {
    sparse: SheetCells,
    name: String,
    header_record: Option<Option<usize>>,
    grouping: Grouping,
    /// Set once every cell is in a row.
    filling: Option<Filling>,
}

/// Cells being grouped into rows.
#[derive(Default)]
struct Grouping {
    rows: Vec<SheetRow>,
    /// The next cell to look at.
    next: usize,
    /// The first cell of the row under way.
    first: usize,
    /// The cells of the rows so far, the gaps inside them included.
    total: usize,
}

/// Rows being put in the table.
struct Filling {
    /// The next of the rows to put in the table.
    next: usize,
    /// The sheet row after the last one put in (rows between are blank rows of the sheet).
    next_row: Option<u32>,
    builder: TableBuilder,
    /// The header's row and width, when there is a header.
    header: Option<(u32, u32)>,
    /// Rows below the header are filled out to its width.
    fill: bool,
    dialect: Dialect,
    sniffed_header: Option<usize>,
    header_certainty: Certainty,
    head: Vec<HeadRecord>,
}

impl SheetBuild {
    /// Takes a sheet's cells (put in sheet order at once in the rare sheet whose cells
    /// arrived out of it).
    pub fn new(
        mut sparse: SheetCells,
        name: &str,
        header_record: Option<Option<usize>>,
    ) -> Result<SheetBuild, IngestError> {
        if !sparse.in_order {
            put_in_order(&mut sparse);
        }
        Ok(SheetBuild {
            sparse,
            name: name.to_string(),
            header_record,
            grouping: Grouping::default(),
            filling: None,
        })
    }

    /// Does up to `count` rows more: groups cells into rows until every cell is in one,
    /// then puts rows in the table. True when every row is in the table; refused when the
    /// rows, with the gaps inside them, would exceed what the file may hold.
    pub fn push_rows(&mut self, count: usize) -> Result<bool, IngestError> {
        let Some(filling) = &mut self.filling else {
            if self.group(count)? {
                self.filling = Some(self.prepare());
            }
            return Ok(false);
        };
        let rows = &self.grouping.rows;
        let end = rows.len().min(filling.next.saturating_add(count));
        for row in &rows[filling.next..end] {
            // Rows without a cell between two with cells are blank rows of the sheet.
            if let Some(next) = filling.next_row {
                filling.builder.blank_rows(u64::from(row.row - next));
            }
            filling.next_row = Some(row.row.saturating_add(1));
            let pad = if filling.fill {
                padding(filling.header, row)
            } else {
                0
            };
            let empty = std::iter::repeat_n("", pad);
            filling
                .builder
                .push_cells(u64::from(row.row) + 1, row.cells(&self.sparse).chain(empty));
        }
        filling.next = end;
        Ok(filling.next == rows.len())
    }

    /// The rows put in the table so far, of the rows found so far.
    pub fn progress(&self) -> (usize, usize) {
        let put = self.filling.as_ref().map_or(0, |f| f.next);
        (put, self.grouping.rows.len())
    }

    /// Groups up to `count` more rows' cells; true when every cell is in a row.
    fn group(&mut self, count: usize) -> Result<bool, IngestError> {
        let too_large = || IngestError::SheetTooLarge(self.name.clone());
        let cells = &self.sparse.cells;
        let col0 = self.sparse.col0;
        let g = &mut self.grouping;
        let mut made = 0;
        while g.next < cells.len() && made < count {
            let i = g.next;
            let (r, c, _) = cells[i];
            g.next += 1;
            if cells.get(i + 1).is_some_and(|n| n.0 == r) {
                continue;
            }
            // `col0` is the least column. A column number at the end of u32 would make the
            // width wrap.
            let width = (c - col0).checked_add(1).ok_or_else(too_large)?;
            g.total = g.total.saturating_add(width as usize);
            if g.total > self.sparse.max_cells {
                return Err(too_large());
            }
            g.rows.push(SheetRow {
                row: r,
                first: g.first,
                end: i + 1,
                width,
            });
            g.first = i + 1;
            made += 1;
        }
        Ok(g.next == cells.len())
    }

    /// Finds the header among the rows grouped and sizes the table.
    fn prepare(&self) -> Filling {
        let sparse = &self.sparse;
        let rows = &self.grouping.rows;
        let sample: Vec<Vec<String>> = rows
            .iter()
            .filter(|r| !r.blank(sparse))
            .take(HEADER_SEARCH)
            .map(|r| r.cells(sparse).map(str::to_string).collect())
            .collect();
        let (sniffed_header, header_certainty) = crate::dialect::sniff_header_report(&sample);
        let dialect = Dialect {
            delimiter: b',',
            quote: b'"',
            line_ending: LineEnding::None,
            header_record: self.header_record.unwrap_or(sniffed_header),
            decimal_comma: false,
        };
        let head = sample
            .iter()
            .zip(rows.iter().filter(|r| !r.blank(sparse)))
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
            .and_then(|h| rows.iter().filter(|r| !r.blank(sparse)).nth(h))
            .map(|r| (r.row, r.width));
        let pad = |row: &SheetRow| padding(header, row);
        // Saturating: on wasm32 a usize is 32 bits, and the padding of many rows could wrap.
        let stored = self.grouping.total;
        let padding = rows.iter().fold(0usize, |n, r| n.saturating_add(pad(r)));
        let fill = stored.saturating_add(padding) <= sparse.max_cells;
        let cells = stored + if fill { padding } else { 0 };
        // The table keeps a byte between the cells of a row.
        let mut builder = TableBuilder::new(&dialect, sparse.text.len().saturating_add(cells));
        builder.reserve(rows.len());
        Filling {
            next: 0,
            next_row: None,
            builder,
            header,
            fill,
            dialect,
            sniffed_header,
            header_certainty,
            head,
        }
    }

    /// The sheet read (the rows not yet put in are left out: call once `push_rows` said
    /// every row is in).
    pub fn finish(self) -> Result<Ingested, IngestError> {
        let filling = match self.filling {
            Some(f) => f,
            None => self.prepare(),
        };
        let table = crate::ingest::usable(filling.builder.finish())?;
        let dialect = filling.dialect;
        Ok(Ingested {
            encoding: encoding_rs::UTF_8,
            detection: Detection::Chosen,
            decode_problems: Vec::new(),
            dialect,
            sniffed: Dialect {
                header_record: filling.sniffed_header,
                ..dialect
            },
            table,
            preview: String::new(),
            head: filling.head,
            sheet: Some(self.name),
            guesses: Guesses {
                header: if self.header_record.is_some() {
                    Certainty::Certain
                } else {
                    filling.header_certainty
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
    width: u32,
}

impl SheetRow {
    /// The row's cells, the gaps between them empty.
    fn cells<'s>(&self, sparse: &'s SheetCells) -> impl Iterator<Item = &'s str> + 's {
        let cells = &sparse.cells[self.first..self.end];
        let first = self.first;
        let col0 = sparse.col0;
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

/// Puts cells that did not arrive in sheet order in it (real files write them in order),
/// the text rebuilt so each cell's text still ends where the next begins; of two cells at
/// one place the first read is kept.
fn put_in_order(sparse: &mut SheetCells) {
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
    sparse.in_order = true;
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
        // A duplicate place: the first read is kept.
        sparse.push(0, 0, "again").unwrap();
        assert!(!sparse.in_order);
        let mut build = SheetBuild::new(sparse, "S", Some(None)).unwrap();
        while !build.push_rows(1).unwrap() {}
        let got: Vec<(u64, Vec<String>)> = build
            .finish()
            .unwrap()
            .table
            .rows()
            .map(|r| (r.line(), r.fields().map(str::to_string).collect()))
            .collect();
        assert_eq!(
            got,
            [
                (1, vec!["a".into(), "b".into()]),
                (3, vec!["c".into(), "d".into()])
            ]
        );
    }

    #[test]
    fn cells_taken_a_slice_at_a_time_read_as_at_once() {
        let mut sparse = SheetCells::for_file(0);
        for (r, c, t) in [
            (0, 2, "a"),
            (0, 3, "b"),
            (1, 2, "1"),
            (1, 3, "2"),
            (3, 3, "x"),
        ] {
            sparse.push(r, c, t).unwrap();
        }
        let (flat, text) = sparse.into_parts();
        let whole = SheetCells::from_parts(&flat, text.clone(), 0, "S").unwrap();
        let mut arrival = SheetCells::arriving(flat.len(), text.clone(), 0, "S").unwrap();
        for slice in flat.chunks(6) {
            arrival.take(slice).unwrap();
        }
        let sliced = arrival.finish().unwrap();
        assert_eq!(sliced.cells, whole.cells);
        assert_eq!((sliced.col0, sliced.in_order), (2, true));
        // Fewer cells than announced, or more, do not add up.
        let mut short = SheetCells::arriving(flat.len(), text.clone(), 0, "S").unwrap();
        short.take(&flat[..6]).unwrap();
        assert!(matches!(
            short.finish(),
            Err(IngestError::WorkbookUnreadable(_))
        ));
        let mut long = SheetCells::arriving(6, text, 0, "S").unwrap();
        assert!(matches!(
            long.take(&flat),
            Err(IngestError::WorkbookUnreadable(_))
        ));
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

/// The sheet's bounds in wasm32, where a `usize` is 32 bits: 16 × a file over 256 MiB
/// saturates it, and a width at the end of u32 must still be refused, not wrapped.
/// `cargo test --target wasm32-unknown-unknown -p bulk-core --lib wasm_width`.
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_sheet_is_bounded_in_wasm() {
        assert_eq!(usize::BITS, 32);
        for len in [300 << 20, usize::MAX] {
            let cells = SheetCells::for_file(len);
            assert_eq!(
                (cells.max_cells, cells.max_text),
                (MAX_CELLS, u32::MAX as usize)
            );
        }
        let far = SheetCells::from_parts(&[0, 0, 1, 0, u32::MAX, 2], b"ab".to_vec(), 10, "S");
        assert_eq!(
            read_cells(far.unwrap(), "S", None).err(),
            Some(IngestError::SheetTooLarge("S".into()))
        );
        let many = vec![0; 3 * (MIN_CELLS + 1)];
        assert_eq!(
            SheetCells::from_parts(&many, Vec::new(), 10, "S").err(),
            Some(IngestError::SheetTooLarge("S".into()))
        );
    }
}
