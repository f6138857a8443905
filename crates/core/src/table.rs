//! Decoded text to rows. A [`Table`] keeps every cell's original text exactly (no trimming,
//! no number parsing) in one arena, so a 100 MB file costs little more than its text, and
//! each row keeps the line number a person sees in a spreadsheet: the header is line 1 when
//! it is the first line, blank lines count, and a newline inside quotes does not start a new
//! line. Blank rows are skipped and counted; ragged rows are kept whole and flagged by
//! validation; empty and duplicate column names get clear names and a warning.

use crate::dialect::Dialect;
use std::fmt;

mod quotes;
mod spare;

/// Something about the file that a person should know, that does not stop it being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableWarning {
    /// A column had no name; it was given one.
    EmptyHeader {
        /// 0-based column.
        column: usize,
        /// The name given.
        named: String,
    },
    /// Two columns had the same name; the later one was renamed.
    DuplicateHeader {
        /// 0-based column.
        column: usize,
        /// The name in the file.
        original: String,
        /// The name given.
        named: String,
    },
    /// Lines before the header row were not read as data.
    SkippedBeforeHeader {
        /// How many records.
        records: usize,
    },
    /// A name in the header row had text after its closing quote (`"email"x`): its quotes
    /// were dropped.
    HeaderQuote {
        /// 0-based column.
        column: usize,
        /// The name as read.
        named: String,
    },
}

impl fmt::Display for TableWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableWarning::EmptyHeader { column, named } => write!(
                f,
                "column {} has no name in the header row; it is called \"{named}\" here",
                column_letter(*column)
            ),
            TableWarning::DuplicateHeader {
                column,
                original,
                named,
            } => write!(
                f,
                "column {} repeats the name \"{original}\"; it is called \"{named}\" here",
                column_letter(*column)
            ),
            TableWarning::SkippedBeforeHeader { records } => write!(
                f,
                "{records} line(s) above the header row were left out (title or notes)"
            ),
            TableWarning::HeaderQuote { column, named } => write!(
                f,
                "the name of column {} has text after its closing quote, so its quotes were dropped and it reads '{named}'; check the header row in the file",
                column_letter(*column)
            ),
        }
    }
}

/// Why the text could not be read as a table. (The parser itself never fails: like a
/// spreadsheet, it prefers some reading of odd quoting over none.)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum TableError {
    /// Nothing but whitespace.
    #[error("the file is empty")]
    Empty,
    /// More text than one table may address.
    #[error("the file is too large to read here (over 4 GB of text)")]
    TooLarge,
}

/// True when `text` holds nothing a person would call a value: only whitespace, Unicode's
/// (spaces, tabs, line breaks, no-break spaces). The one definition of "blank" for the whole
/// reading path: the header guess, the skipping of blank rows and the empty-file check
/// must agree, or a row that one of them skips shifts the header the other one picks.
///
/// ```
/// assert!(bulk_core::table::is_blank(" \u{a0}\t"));
/// assert!(!bulk_core::table::is_blank(" x "));
/// ```
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// The spreadsheet letter of a 0-based column: A, B, ..., Z, AA, ...
///
/// ```
/// assert_eq!(bulk_core::table::column_letter(0), "A");
/// assert_eq!(bulk_core::table::column_letter(27), "AB");
/// ```
pub fn column_letter(mut column: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The rows' lines, kept as the steps of (line - row index): a row's line is its index plus
/// the offset of the last step at or before it. A file without blank lines or line breaks
/// inside cells has one step (the first data row's), not four bytes a row. Lines are `u32`: text has
/// fewer lines than the 4 GiB a table holds, a worksheet at most 1,048,576 rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LineSteps(Vec<(u32, u32)>);

impl LineSteps {
    /// Files the line of row `row` (rows come in order).
    fn push(&mut self, row: u32, line: u32) {
        let offset = line.wrapping_sub(row);
        if self.0.last().is_none_or(|s| s.1 != offset) {
            self.0.push((row, offset));
        }
    }

    /// The line of row `row`.
    fn line(&self, row: u32) -> u32 {
        let i = self.0.partition_point(|s| s.0 <= row);
        i.checked_sub(1)
            .and_then(|i| self.0.get(i))
            .map_or(0, |s| row.wrapping_add(s.1))
    }
}

/// The cell ends of the few rows whose cells cannot be found by splitting the row's text: a
/// row built cell by cell (quotes, a worksheet) one of whose cells holds [`UNIT`] itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Explicit {
    /// (row, where its ends start in `ends`), in row order.
    rows: Vec<(u32, u32)>,
    /// Where each cell ends, from its row's start.
    ends: Vec<u32>,
}

/// What separates two cells of a row in the arena when the row's text is not copied as it
/// stands (a row with quotes, a worksheet row): the ASCII unit separator, which text all
/// but never holds (a row whose cells do hold it keeps its cell ends, see [`Explicit`]).
const UNIT: u8 = 0x1f;

/// Calls `f` with the place of each `sep` in `bytes`, in order. Eight bytes at a time in a
/// plain 64-bit word (wasm32 has 64-bit integers): a row's cells are short, and a SIMD
/// search started again for each one (memchr's iterator) cost more per row than the cells'
/// stored ends did, where this costs less.
#[inline(always)]
fn each_sep(bytes: &[u8], sep: u8, mut f: impl FnMut(usize)) {
    each_sep_until(bytes, sep, |at| {
        f(at);
        false
    });
}

/// As [`each_sep`], stopping at the first place for which `f` says true.
#[inline(always)]
fn each_sep_until(bytes: &[u8], sep: u8, mut f: impl FnMut(usize) -> bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = ONES * u64::from(sep);
    let (words, rest) = bytes.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word) ^ pattern;
        // The top bit of each byte of `x` that is zero, and of no other (no carries cross
        // bytes: each byte's low seven bits plus 0x7f stays within the byte).
        let mut zero = !(((x & LOW7) + LOW7) | x | LOW7);
        while zero != 0 {
            if f(i * 8 + (zero.trailing_zeros() / 8) as usize) {
                return;
            }
            zero &= zero - 1;
        }
    }
    let at = words.len() * 8;
    for (i, &b) in rest.iter().enumerate() {
        if b == sep && f(at + i) {
            return;
        }
    }
}

/// The rows of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    headers: Vec<String>,
    header_line: Option<u64>,
    /// Every row's cells, rows back to back, the cells of a row one byte apart: a line
    /// without quotes (nearly every line) is copied as it stands, in one piece, its
    /// delimiters serving as the byte between cells, instead of cell by cell. Any other row
    /// has its cells' text written with [`UNIT`] between them.
    arena: String,
    /// Where each row's text starts in the arena: 4 bytes a row. It ends where the next
    /// row's starts (the last row's at `end`). Its cells are found by splitting it at the
    /// byte between them ([`each_sep`]), so no cell's end is stored: the ends took two
    /// bytes a cell, a tenth of a typical file.
    starts: Vec<u32>,
    /// Where the last row's text ends.
    end: u32,
    /// The delimiter, the byte between the cells of a row copied as it stands.
    delimiter: u8,
    /// One bit a row: its cells are separated by [`UNIT`], not by the delimiter.
    unit: Vec<u64>,
    explicit: Explicit,
    lines: LineSteps,
    /// The rows with a line break inside a cell, in order: few, and the only rows whose
    /// cells [`Table::spans_lines`] says need a look for rows read into a cell.
    multiline: Vec<u32>,
    /// The cells, in order, whose quotes changed what they read as (see [`quotes`]), as
    /// (row, column): few.
    stray_quotes: Vec<(u32, u32)>,
    blank_rows: u64,
    warnings: Vec<TableWarning>,
}

/// A row of a [`Table`].
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> Row<'a> {
    /// 0-based index among the data rows.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The line a person sees in a spreadsheet.
    pub fn line(&self) -> u64 {
        u64::from(self.table.lines.line(self.index as u32))
    }
    /// How many fields the row has (may differ from the header).
    pub fn len(&self) -> usize {
        let t = self.table;
        match t.explicit_ends(self.index) {
            Some(ends) => ends.len(),
            None => {
                let mut n = 1;
                each_sep(
                    t.text_of(self.index).as_bytes(),
                    t.separator(self.index),
                    |_| n += 1,
                );
                n
            }
        }
    }
    /// True when the row has no fields (never, for a parsed row).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The text of a field; `None` past the row's end.
    pub fn get(&self, column: usize) -> Option<&'a str> {
        let t = self.table;
        let text = t.text_of(self.index);
        match t.explicit_ends(self.index) {
            Some(ends) => {
                let end = *ends.get(column)? as usize;
                // One byte between the cells of a row.
                let from = column.checked_sub(1).map_or(0, |c| ends[c] as usize + 1);
                // Cells are appended whole, so their bounds are character boundaries.
                Some(text.get(from..end).unwrap_or(""))
            }
            None => {
                // The cell starts after the `column`th separator and ends at the next.
                let (mut seen, mut from, mut to) = (0, 0, None);
                each_sep_until(text.as_bytes(), t.separator(self.index), |at| {
                    if seen == column {
                        to = Some(at);
                        return true;
                    }
                    seen += 1;
                    from = at + 1;
                    false
                });
                if seen < column {
                    return None;
                }
                Some(text.get(from..to.unwrap_or(text.len())).unwrap_or(""))
            }
        }
    }
    /// Where each of the row's cells is in the text it returns, written into `spans` (which
    /// it empties first): one pass over the row, for a reader of every cell, where
    /// [`get`](Self::get) looks for its cell from the row's start each time.
    pub fn cells_into(&self, spans: &mut Vec<(u32, u32)>) -> &'a str {
        spans.clear();
        let t = self.table;
        let text = t.text_of(self.index);
        let mut from = 0u32;
        let mut end = |to: u32| {
            spans.push((from, to));
            // One byte (a delimiter or `UNIT`) between the cells of a row.
            from = to + 1;
        };
        match t.explicit_ends(self.index) {
            Some(ends) => ends.iter().for_each(|&to| end(to)),
            None => {
                each_sep(
                    text.as_bytes(),
                    t.separator(self.index),
                    |to| end(to as u32),
                );
                end(text.len() as u32);
            }
        }
        text
    }
    /// Every field.
    pub fn fields(&self) -> impl Iterator<Item = &'a str> + 'a {
        let mut spans = Vec::new();
        let text = self.cells_into(&mut spans);
        spans
            .into_iter()
            .map(move |(a, b)| text.get(a as usize..b as usize).unwrap_or(""))
    }
}

impl Table {
    /// True when a cell of row `row` holds a line break (a quoted cell over several lines,
    /// or a worksheet cell with one).
    pub fn spans_lines(&self, row: usize) -> bool {
        !self.multiline.is_empty()
            && u32::try_from(row).is_ok_and(|r| self.multiline.binary_search(&r).is_ok())
    }

    /// The cells of row `row` whose quotes changed what they read as: text after the
    /// closing quote, as in `"Al"pha"` (read `Alpha"`).
    pub fn stray_quotes(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        let from = self.stray_quotes.partition_point(|s| s.0 < row);
        self.stray_quotes
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(move |s| s.0 == row)
            .map(|s| s.1 as usize)
    }

    /// True when row `row` needs more than the folded first check: a cell over several
    /// lines, or one with a stray quote.
    pub fn needs_a_closer_look(&self, row: usize) -> bool {
        self.spans_lines(row) || self.stray_quotes(row).next().is_some()
    }

    /// The column names (cleaned: never empty, never repeated).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
    /// The line of the header row, `None` when the file has none.
    pub fn header_line(&self) -> Option<u64> {
        self.header_line
    }
    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    /// True when there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
    /// Blank rows that were skipped.
    pub fn blank_rows(&self) -> u64 {
        self.blank_rows
    }
    /// Things a person should know about the file.
    pub fn warnings(&self) -> &[TableWarning] {
        &self.warnings
    }
    /// Row `index`.
    pub fn row(&self, index: usize) -> Option<Row<'_>> {
        (index < self.starts.len()).then_some(Row { table: self, index })
    }
    /// All rows.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.starts.len()).map(move |index| Row { table: self, index })
    }
    /// Bytes held, for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.starts.capacity() * 4
            + self.unit.capacity() * 8
            + self.explicit.rows.capacity() * 8
            + self.explicit.ends.capacity() * 4
            + self.lines.0.capacity() * 8
    }

    /// The text of row `index`, its cells one byte apart.
    fn text_of(&self, index: usize) -> &str {
        let start = self.starts.get(index).map_or(0, |&s| s as usize);
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.end as usize, |&e| e as usize);
        // Rows are appended whole, so their bounds are character boundaries.
        self.arena.get(start..end).unwrap_or("")
    }

    /// The byte between the cells of row `index`.
    fn separator(&self, index: usize) -> u8 {
        let bit = self
            .unit
            .get(index / 64)
            .is_some_and(|w| w >> (index % 64) & 1 == 1);
        if bit { UNIT } else { self.delimiter }
    }

    /// The cell ends of row `index` when it keeps them (see [`Explicit`]).
    fn explicit_ends(&self, index: usize) -> Option<&[u32]> {
        if self.explicit.rows.is_empty() {
            return None;
        }
        let rows = &self.explicit.rows;
        let i = rows.binary_search_by_key(&(index as u32), |w| w.0).ok()?;
        let from = rows[i].1 as usize;
        let to = rows
            .get(i + 1)
            .map_or(self.explicit.ends.len(), |w| w.1 as usize);
        self.explicit.ends.get(from..to)
    }
}

/// Parses `text` as `dialect` says.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse};
/// let text = "email\tname\n\na@x.io\t\"Ann\nSmith\"\nb@x.io\tBob\n";
/// let t = parse(text, &sniff(text)).unwrap();
/// assert_eq!(t.headers(), ["email", "name"]);
/// assert_eq!(t.len(), 2);
/// assert_eq!(t.blank_rows(), 1);
/// let lines: Vec<u64> = t.rows().map(|r| r.line()).collect();
/// assert_eq!(lines, [3, 4]);
/// assert_eq!(t.row(0).unwrap().get(1), Some("Ann\nSmith"));
/// ```
pub fn parse(text: &str, dialect: &Dialect) -> Result<Table, TableError> {
    if is_blank(text) {
        return Err(TableError::Empty);
    }
    let mut builder = TableBuilder::new(dialect, text.len());
    builder.push(text)?;
    builder.finish()
}

/// Builds a [`Table`] from text that arrives in pieces, so a large file can be parsed a
/// slice at a time without holding the page. Pieces may split records, quoted fields and
/// CRLF pairs anywhere (but not characters: they are `&str`).
///
/// Lines without a quote character (nearly all of a real file) are copied whole, their
/// cells found again when the row is read; lines whose quotes are whole quoted fields are split
/// field by field; any other record goes through csv-core, and all three read alike (the
/// tests hold the first two to csv-core on random text).
///
/// ```
/// use bulk_core::{dialect::Dialect, table::TableBuilder};
/// let mut b = TableBuilder::new(&Dialect::default(), 0);
/// for piece in ["email,na", "me\r", "\na@x.io,\"A", "nn\"\r\nb@x.io,Bob"] {
///     b.push(piece).unwrap();
/// }
/// let t = b.finish().unwrap();
/// assert_eq!(t.headers(), ["email", "name"]);
/// assert_eq!(t.row(1).unwrap().line(), 3);
/// ```
pub struct TableBuilder {
    dialect: Dialect,
    reader: csv_core::Reader,
    table: Table,
    /// csv-core's output for the record it is reading.
    core_out: Vec<u8>,
    core_used: usize,
    /// End offsets of the current record's fields, relative to its start in the arena
    /// (fast path; csv-core's once the record is complete) or in `core_out` (while csv-core
    /// reads it).
    scratch: Vec<usize>,
    scratch_len: usize,
    header: Option<Vec<String>>,
    records_seen: usize,
    /// Line breaks before the current record that belong to earlier lines (blank lines
    /// and record terminators, not newlines inside quotes).
    lines_before: u64,
    /// Line breaks at the start of the current record (blank lines above it).
    leading: u64,
    /// Line breaks inside the current record, its terminator included.
    body: u64,
    content_seen: bool,
    prev_cr: bool,
    last_byte: u8,
    bytes_in: u64,
    /// csv-core is inside a record; it must finish it before the fast path may go on.
    in_core_record: bool,
    /// Off only in tests, to check the fast path against csv-core alone.
    fast_path: bool,
    /// The record just appended is a line copied as it stands: its cells are split at the
    /// delimiter, and their ends were not noted.
    plain: bool,
    /// The text so far holds a [`UNIT`] byte: from then on, each row built cell by cell is
    /// looked at for one inside a cell. (One search of each piece, instead of one of each
    /// such row: nearly no file holds one.)
    unit_seen: bool,
    /// The line of the next record when its source numbers lines itself (a worksheet).
    forced_line: Option<u64>,
    /// A cell of the next record holds a line break (a worksheet's record; a text record
    /// tells by its line breaks).
    cell_breaks: bool,
    /// The quotes of the record csv-core is reading.
    quotes: quotes::QuoteScan,
    /// The cells of the last record with a stray quote (kept for its room).
    stray: Vec<u32>,
    /// csv-core has been called; before that it would drop a U+FEFF at the start of the
    /// first record it sees, wherever in the file that record is.
    core_started: bool,
    /// A U+FEFF at the start of the first piece that holds anything is the file's byte
    /// order mark (false once that piece came, or when the decoder removed the mark).
    strip_bom: bool,
}

/// Where csv-core stopped.
enum CoreStep {
    Record,
    NeedInput,
    End,
}

impl TableBuilder {
    /// A builder for text of about `expected_len` bytes (0 when unknown).
    pub fn new(dialect: &Dialect, expected_len: usize) -> TableBuilder {
        let reader = csv_core::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .quote(dialect.quote)
            .terminator(csv_core::Terminator::CRLF)
            .build();
        let (arena, starts) = spare::buffers(expected_len);
        let table = Table {
            arena,
            starts,
            delimiter: dialect.delimiter,
            ..Table::default()
        };
        TableBuilder {
            dialect: *dialect,
            reader,
            table,
            core_out: vec![0; 4096],
            core_used: 0,
            scratch: vec![0; 64],
            scratch_len: 0,
            header: None,
            records_seen: 0,
            lines_before: 0,
            leading: 0,
            body: 0,
            content_seen: false,
            prev_cr: false,
            last_byte: 0,
            bytes_in: 0,
            in_core_record: false,
            // The fast path cuts text at quotes and delimiters: only safe when they are ASCII
            // (character boundaries), distinct, and not line breaks.
            fast_path: [dialect.delimiter, dialect.quote]
                .iter()
                .all(|b| b.is_ascii() && !matches!(b, b'\r' | b'\n'))
                && dialect.delimiter != dialect.quote,
            plain: false,
            unit_seen: false,
            forced_line: None,
            cell_breaks: false,
            quotes: quotes::QuoteScan::default(),
            stray: Vec::new(),
            core_started: false,
            strip_bom: true,
        }
    }

    /// Data rows so far.
    pub fn rows(&self) -> usize {
        self.table.starts.len()
    }

    /// The rows read so far, for work done while the rest arrives (their rows only
    /// grow: a row once read stays as it is).
    pub fn rows_so_far(&self) -> &Table {
        &self.table
    }

    /// The header, once its record is read, named as the finished table will name it;
    /// `None` before, and for text without a header (named by its widest row, at the end).
    pub fn header_so_far(&self) -> Option<Vec<String>> {
        let raw = self.header.as_ref()?;
        Some(clean_headers(raw.clone(), raw.len()).0)
    }

    /// The text will arrive with its byte order mark already removed (the decoder knows where
    /// the file starts): a U+FEFF at the start of the first piece is then a character of the
    /// first cell, not a mark.
    pub fn bom_removed(mut self) -> TableBuilder {
        self.strip_bom = false;
        self
    }

    /// Counts `n` blank rows that have no text at all (a worksheet's skipped rows).
    pub fn blank_rows(&mut self, n: u64) {
        if self
            .dialect
            .header_record
            .is_none_or(|h| self.records_seen > h)
        {
            self.table.blank_rows += n;
        }
    }

    /// Adds one record whose cells are already split (a worksheet row), on `line`.
    pub fn push_cells<'c>(&mut self, line: u64, cells: impl IntoIterator<Item = &'c str>) {
        let start = self.table.arena.len();
        for (n, cell) in cells.into_iter().enumerate() {
            if n > 0 {
                self.table.arena.push(char::from(UNIT));
            }
            self.table.arena.push_str(cell);
            self.end_cell(start);
            self.cell_breaks |= cell.contains(['\n', '\r']);
            self.unit_seen |= cell.as_bytes().contains(&UNIT);
        }
        self.forced_line = Some(line);
        self.record(start);
    }

    /// Makes room for about `rows` rows, so a big table is not copied while it grows
    /// (growth by doubling would also need twice the memory for a moment). The caller
    /// bounds it by what its input can hold.
    pub fn reserve(&mut self, rows: usize) {
        self.table.starts.reserve(rows);
        self.table.unit.reserve(rows / 64 + 1);
    }

    /// Bytes of text taken so far.
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Counts the line breaks in input csv-core consumed, telling leading blank lines apart.
    fn count(&mut self, consumed: &[u8]) {
        let mut rest = consumed;
        if !self.content_seen {
            let n = rest
                .iter()
                .position(|b| *b != b'\r' && *b != b'\n')
                .unwrap_or(rest.len());
            for &b in &rest[..n] {
                if b == b'\r' || !self.prev_cr {
                    self.leading += 1;
                }
                self.prev_cr = b == b'\r';
            }
            if n < rest.len() {
                self.content_seen = true;
                self.prev_cr = false;
            }
            rest = &rest[n..];
        }
        let Some(&last) = rest.last() else { return };
        let (breaks, ends_cr) = crate::decode::breaks_after(rest, self.prev_cr);
        self.body += breaks;
        self.prev_cr = ends_cr;
        self.last_byte = last;
    }

    /// Takes the next piece of text.
    pub fn push(&mut self, text: &str) -> Result<(), TableError> {
        if self.bytes_in + text.len() as u64 >= u32::MAX as u64 {
            return Err(TableError::TooLarge);
        }
        // Only the very start of the text may hold a byte order mark; csv-core is kept from
        // dropping any other U+FEFF (see `core_started`).
        // Looked for once, in the first piece that holds anything: a first piece that was
        // only the mark leaves `bytes_in` at 0, and a U+FEFF starting the next piece is a
        // character, not a second mark.
        let text = if self.strip_bom && !text.is_empty() {
            self.strip_bom = false;
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        self.bytes_in += text.len() as u64;
        self.unit_seen = self.unit_seen || memchr::memchr(UNIT, text.as_bytes()).is_some();
        self.feed(text, false)
    }

    /// Ends the input and returns the table.
    pub fn finish(mut self) -> Result<Table, TableError> {
        self.feed("", true)?;
        if self.records_seen == 0 {
            return Err(TableError::Empty);
        }
        let width = self
            .header
            .as_ref()
            .map(Vec::len)
            .unwrap_or_else(|| self.table.rows().map(|r| r.len()).max().unwrap_or(0));
        let (headers, warnings) = clean_headers(self.header.take().unwrap_or_default(), width);
        let mut table = self.table;
        table.headers = headers;
        table.warnings.extend(warnings);
        // Shrinking copies; only worth it when much is unused.
        if table.arena.capacity() > table.arena.len() + table.arena.len() / 4 + 4096 {
            table.arena.shrink_to_fit();
        }
        Ok(table)
    }

    fn feed(&mut self, text: &str, end: bool) -> Result<(), TableError> {
        // Where the unread input starts. csv-core may stop inside a character (when its
        // output buffer fills), so the input is tracked as an offset into `text`; it is a
        // character boundary again whenever a record has ended.
        let mut at = 0;
        loop {
            // csv-core reads empty input as the end of the file: only `finish` may say so.
            if at == text.len() && !end {
                return Ok(());
            }
            if self.in_core_record || end {
                match self.core_record(text.as_bytes(), &mut at, end)? {
                    CoreStep::Record => continue,
                    CoreStep::NeedInput | CoreStep::End => return Ok(()),
                }
            }
            let Some(mut rest) = text.get(at..) else {
                // Not a boundary although no record is open: cannot happen, since records
                // end at ASCII bytes; csv-core finishes whatever is left.
                self.in_core_record = true;
                continue;
            };
            let before = rest.len();
            let fast = self.fast_path && self.fast_line(&mut rest);
            at += before - rest.len();
            if !fast {
                self.in_core_record = true;
            }
        }
    }

    /// Lets csv-core read (the rest of) one record from `bytes[*at..]`.
    fn core_record(
        &mut self,
        bytes: &[u8],
        at: &mut usize,
        end: bool,
    ) -> Result<CoreStep, TableError> {
        use csv_core::ReadRecordResult::*;
        loop {
            let mut input = bytes.get(*at..).unwrap_or_default();
            // csv-core drops a UTF-8 BOM at the start of the first input it is given, which
            // is not the start of the file when the fast path read the lines before. Fewer
            // than 3 bytes in its first call keep the U+FEFF a character of the cell.
            if !self.core_started && input.starts_with(b"\xEF\xBB\xBF") {
                input = &input[..1];
            }
            let (res, nin, nout, nend) = self.reader.read_record(
                input,
                &mut self.core_out[self.core_used..],
                &mut self.scratch[self.scratch_len..],
            );
            if !input.is_empty() {
                self.core_started = true;
            }
            self.count(&input[..nin]);
            self.quotes
                .scan(&input[..nin], self.dialect.quote, self.dialect.delimiter);
            *at += nin;
            self.core_used += nout;
            self.scratch_len += nend;
            match res {
                InputEmpty if *at < bytes.len() => continue,
                InputEmpty if !end => return Ok(CoreStep::NeedInput),
                InputEmpty => continue,
                OutputFull => {
                    if self.core_out.len() >= u32::MAX as usize / 2 {
                        return Err(TableError::TooLarge);
                    }
                    let n = self.core_out.len();
                    self.core_out.resize(n * 2, 0);
                }
                OutputEndsFull => {
                    let n = self.scratch.len();
                    self.scratch.resize(n * 2, 0);
                }
                Record => {
                    self.in_core_record = false;
                    // The fields are pieces of a &str cut at ASCII quotes and delimiters
                    // (with a delimiter that is not ASCII, a field may not be).
                    let start = self.table.arena.len();
                    let mut from = 0;
                    for i in 0..self.scratch_len {
                        if i > 0 {
                            self.table.arena.push(char::from(UNIT));
                        }
                        let field = self.core_out.get(from..self.scratch[i]).unwrap_or_default();
                        from = self.scratch[i];
                        match crate::decode::utf8(field) {
                            Ok(text) => self.table.arena.push_str(text),
                            Err(_) => self.table.arena.push_str(&String::from_utf8_lossy(field)),
                        }
                        // In place: entry `i` of csv-core's ends has just been read.
                        self.scratch[i] = self.table.arena.len() - start;
                    }
                    self.core_used = 0;
                    self.record(start);
                    return Ok(CoreStep::Record);
                }
                End => return Ok(CoreStep::End),
            }
        }
    }

    /// Reads one whole line that needs no state carried over from other lines (nearly
    /// every line of a real file), exactly as csv-core would. False when the line needs
    /// csv-core: its end has not arrived yet, it has a CR before its end, or its quotes are
    /// anything but whole quoted fields (a quoted field that goes on to the next line, a
    /// quote inside an unquoted field, text after a closing quote).
    fn fast_line(&mut self, input: &mut &str) -> bool {
        let bytes = input.as_bytes();
        let Some(nl) = memchr::memchr(b'\n', bytes) else {
            return false;
        };
        if nl == 0 && self.prev_cr {
            // The LF of a CRLF whose CR ended the record before.
            *input = &input[1..];
            self.prev_cr = false;
            return true;
        }
        let mut end = nl;
        if end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &input[..end];
        let start = self.table.arena.len();
        if memchr::memchr2(self.dialect.quote, b'\r', line.as_bytes()).is_none() {
            if line.is_empty() {
                *input = &input[nl + 1..];
                self.prev_cr = false;
                self.leading += 1;
                return true;
            }
            self.plain_line(line);
        } else if !self.quoted_line(line, start) {
            self.table.arena.truncate(start);
            self.scratch_len = 0;
            return false;
        }
        *input = &input[nl + 1..];
        self.prev_cr = false;
        self.content_seen = true;
        self.body += 1;
        self.last_byte = b'\n';
        self.record(start);
        true
    }

    /// A line without quotes: copied as it stands, in one piece (its delimiters are the
    /// bytes between its cells, which are found again by splitting it).
    fn plain_line(&mut self, line: &str) {
        self.table.arena.push_str(line);
        self.plain = true;
    }

    /// A line with quotes but no CR, when each quote belongs to a whole quoted field on it:
    /// `"a, b",c,"say ""hi"""`. Writes the fields' text to the arena; false (with the arena
    /// to be cut back) for anything else, which csv-core then reads.
    fn quoted_line(&mut self, line: &str, start: usize) -> bool {
        let (quote, delimiter) = (self.dialect.quote, self.dialect.delimiter);
        let b = line.as_bytes();
        if memchr::memchr(b'\r', b).is_some() {
            return false;
        }
        // Quotes and delimiters are ASCII (see `feed`), so every cut below is at a
        // character boundary.
        let mut p = 0;
        loop {
            if p > 0 {
                self.table.arena.push(char::from(UNIT));
            }
            if b.get(p) == Some(&quote) {
                let mut from = p + 1;
                loop {
                    let Some(close) = memchr::memchr(quote, &b[from..]).map(|i| from + i) else {
                        // The field goes on past this line.
                        return false;
                    };
                    if b.get(close + 1) == Some(&quote) {
                        // A doubled quote stands for one.
                        self.table
                            .arena
                            .push_str(line.get(from..=close).unwrap_or(""));
                        from = close + 2;
                        continue;
                    }
                    self.table
                        .arena
                        .push_str(line.get(from..close).unwrap_or(""));
                    p = close + 1;
                    break;
                }
                self.end_cell(start);
                match b.get(p) {
                    None => return true,
                    Some(&c) if c == delimiter => p += 1,
                    Some(_) => return false,
                }
            } else {
                match memchr::memchr2(delimiter, quote, &b[p..]).map(|i| p + i) {
                    Some(d) if b[d] == delimiter => {
                        self.table.arena.push_str(line.get(p..d).unwrap_or(""));
                        self.end_cell(start);
                        p = d + 1;
                    }
                    // A quote inside an unquoted field.
                    Some(_) => return false,
                    None => {
                        self.table.arena.push_str(line.get(p..).unwrap_or(""));
                        self.end_cell(start);
                        return true;
                    }
                }
            }
        }
    }

    /// Ends the current record's next cell where the arena ends now.
    fn end_cell(&mut self, start: usize) {
        self.end_cell_at(self.table.arena.len() - start);
    }

    /// Ends the current record's next cell at `end`, relative to the record's start.
    fn end_cell_at(&mut self, end: usize) {
        let n = self.scratch_len;
        if n == self.scratch.len() {
            self.scratch.resize(n * 2, 0);
        }
        self.scratch[n] = end;
        self.scratch_len = n + 1;
    }

    /// Files the record whose fields were just appended to the arena at `start`.
    fn record(&mut self, start: usize) {
        let term = u64::from(self.body > 0 && matches!(self.last_byte, b'\r' | b'\n'));
        let (line, blank_above) = match self.forced_line.take() {
            Some(line) => (line, 0),
            None => (1 + self.lines_before + self.leading, self.leading),
        };
        // Line breaks in the record besides its end were inside a quoted cell.
        let spans = self.body > term || std::mem::take(&mut self.cell_breaks);
        self.quotes.take(&mut self.stray);
        self.lines_before += self.leading + term;
        self.leading = 0;
        self.body = 0;
        self.content_seen = false;
        let plain = std::mem::take(&mut self.plain);
        let fields = self.scratch_len;
        self.scratch_len = 0;
        let text = &self.table.arena[start..];
        let ends = &self.scratch[..fields];
        // The row's cells are found again by splitting it at the byte between them, unless
        // one of them holds that byte (then the row keeps its cells' ends). A plain line's
        // cells cannot hold its delimiter, and the delimiter is ASCII (see `fast_path`).
        let split = plain
            || !self.unit_seen
            || memchr::memchr_iter(UNIT, text.as_bytes()).count() + 1 == fields;
        let sep = char::from(if plain { self.dialect.delimiter } else { UNIT });
        let cell = |i: usize| {
            let s = if i == 0 { 0 } else { ends[i - 1] + 1 };
            text.get(s..ends[i]).unwrap_or("")
        };
        // Cell by cell: the bytes between cells are not text of the row.
        let blank = if text
            .as_bytes()
            .first()
            .is_some_and(|&b| b.is_ascii_graphic() && b != sep as u8)
        {
            // The first cell starts with something to see (the usual row).
            false
        } else if split {
            text.split(sep).all(is_blank)
        } else {
            (0..fields).all(|i| is_blank(cell(i)))
        };
        let past_header = self
            .dialect
            .header_record
            .is_none_or(|h| self.records_seen > h);
        if past_header {
            self.table.blank_rows += blank_above + u64::from(blank);
        }
        let discard = |t: &mut Table| t.arena.truncate(start);
        if blank {
            return discard(&mut self.table);
        }
        let index = self.records_seen;
        self.records_seen += 1;
        match self.dialect.header_record {
            Some(h) if index < h => return discard(&mut self.table),
            Some(h) if index == h => {
                let names: Vec<String> = if split {
                    text.split(sep).map(str::to_string).collect()
                } else {
                    (0..fields).map(|i| cell(i).to_string()).collect()
                };
                for &c in &self.stray {
                    self.table.warnings.push(TableWarning::HeaderQuote {
                        column: c as usize,
                        named: names.get(c as usize).cloned().unwrap_or_default(),
                    });
                }
                self.header = Some(names);
                self.table.header_line = Some(line);
                if h > 0 {
                    self.table
                        .warnings
                        .push(TableWarning::SkippedBeforeHeader { records: h });
                }
                return discard(&mut self.table);
            }
            _ => {}
        }
        let t = &mut self.table;
        let row = t.starts.len() as u32;
        if !split {
            let ends = &self.scratch[..fields];
            t.explicit.rows.push((row, t.explicit.ends.len() as u32));
            t.explicit.ends.extend(ends.iter().map(|&e| e as u32));
        }
        if row.is_multiple_of(64) {
            t.unit.push(0);
        }
        if !plain && let Some(w) = t.unit.last_mut() {
            *w |= 1 << (row % 64);
        }
        t.stray_quotes.extend(self.stray.iter().map(|&c| (row, c)));
        if spans {
            t.multiline.push(row);
        }
        t.lines.push(row, u32::try_from(line).unwrap_or(u32::MAX));
        t.starts.push(start as u32);
        t.end = t.arena.len() as u32;
    }
}

/// Names every column: empty names become "Column C", repeats get " (2)", " (3)"...
fn clean_headers(raw: Vec<String>, width: usize) -> (Vec<String>, Vec<TableWarning>) {
    let has_header = !raw.is_empty();
    let mut out: Vec<String> = Vec::with_capacity(width);
    let mut warnings = Vec::new();
    for column in 0..width {
        let original = raw
            .get(column)
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let mut name = if original.is_empty() {
            let named = format!("Column {}", column_letter(column));
            if has_header {
                warnings.push(TableWarning::EmptyHeader {
                    column,
                    named: named.clone(),
                });
            }
            named
        } else {
            original.clone()
        };
        if out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            let mut n = 2;
            while out
                .iter()
                .any(|o| o.eq_ignore_ascii_case(&format!("{name} ({n})")))
            {
                n += 1;
            }
            let named = format!("{name} ({n})");
            warnings.push(TableWarning::DuplicateHeader {
                column,
                original,
                named: named.clone(),
            });
            name = named;
        }
        out.push(name);
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::sniff;

    fn table(text: &str) -> Table {
        parse(text, &sniff(text)).unwrap()
    }

    #[test]
    fn empty_and_duplicate_headers_get_names_and_warnings() {
        let t = table("email,,Email,name\na@x.io,1,2,3\n");
        assert_eq!(t.headers(), ["email", "Column B", "Email (2)", "name"]);
        assert_eq!(t.warnings().len(), 2);
        assert!(matches!(
            t.warnings()[1],
            TableWarning::DuplicateHeader { column: 2, .. }
        ));
    }

    #[test]
    fn a_header_name_whose_quotes_were_dropped_is_a_warning() {
        let t = table("\"email\"x,name\na@x.io,Ann\n");
        assert_eq!(t.headers(), ["emailx", "name"]);
        assert_eq!(
            t.warnings()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "the name of column A has text after its closing quote, so its quotes were dropped and it reads 'emailx'; check the header row in the file"
            ]
        );
        assert_eq!(t.stray_quotes(0).count(), 0);
    }

    #[test]
    fn ragged_rows_are_kept_whole() {
        let t = table("a,b,c\n1,2,3\n4\n5,6,7,8\n");
        let lens: Vec<usize> = t.rows().map(|r| r.len()).collect();
        assert_eq!(lens, [3, 1, 4]);
        assert_eq!(t.row(2).unwrap().get(3), Some("8"));
        assert_eq!(t.row(1).unwrap().get(1), None);
    }

    #[test]
    fn blank_and_comma_only_rows_are_skipped_and_counted() {
        let t = table("a,b\r\n1,2\r\n\r\n,\r\n3,4\r\n");
        assert_eq!(t.len(), 2);
        assert_eq!(t.blank_rows(), 2);
        assert_eq!(t.row(1).unwrap().line(), 5);
    }

    #[test]
    fn cr_only_endings_and_lines_after_an_embedded_newline() {
        let t = table("a,b\r1,\"x\r\ny\"\r2,z\r");
        assert_eq!(t.len(), 2);
        assert_eq!(t.row(0).unwrap().get(1), Some("x\r\ny"));
        assert_eq!(t.row(1).unwrap().line(), 3);
    }

    #[test]
    fn values_are_kept_exactly() {
        let t = table("id,amount,note\n007,\"1,50\",\"  spaced \"\"q\"\" \"\n");
        let r = t.row(0).unwrap();
        assert_eq!(
            r.fields().collect::<Vec<_>>(),
            ["007", "1,50", "  spaced \"q\" "]
        );
    }

    #[test]
    fn a_header_only_file_has_no_rows_and_an_empty_file_is_an_error() {
        let t = table("email,name\n");
        assert_eq!((t.headers().len(), t.len()), (2, 0));
        assert_eq!(parse(" \n", &Dialect::default()), Err(TableError::Empty));
    }

    #[test]
    fn title_lines_before_the_header_are_left_out() {
        let t = table("My export\n\nemail,name\na@x.io,A\n");
        assert_eq!(t.header_line(), Some(3));
        assert_eq!(t.row(0).unwrap().line(), 4);
        assert_eq!(
            t.warnings(),
            [TableWarning::SkippedBeforeHeader { records: 1 }]
        );
    }

    #[test]
    fn without_a_header_columns_are_lettered() {
        let mut d = sniff("a@x.io,1\n");
        d.header_record = None;
        let t = parse("a@x.io,1\nb@x.io,2\n", &d).unwrap();
        assert_eq!(t.headers(), ["Column A", "Column B"]);
        assert_eq!(t.row(0).unwrap().line(), 1);
        assert!(t.warnings().is_empty());
    }

    /// Every row's line and cells; each cell read in every way a row offers.
    fn snapshot(t: &Table) -> Vec<(u64, Vec<String>)> {
        t.rows()
            .map(|r| {
                let cells: Vec<String> = r.fields().map(str::to_string).collect();
                assert_eq!(r.len(), cells.len());
                for (c, cell) in cells.iter().enumerate() {
                    assert_eq!(r.get(c), Some(cell.as_str()));
                }
                assert_eq!(r.get(cells.len()), None);
                (r.line(), cells)
            })
            .collect()
    }

    #[test]
    fn an_empty_piece_does_not_end_a_record() {
        let mut b = TableBuilder::new(&Dialect::default(), 0);
        for piece in ["h1,h2\n", "a,", "", "b\n"] {
            b.push(piece).unwrap();
        }
        let t = b.finish().unwrap();
        assert_eq!(snapshot(&t), [(2, vec!["a".to_string(), "b".to_string()])]);
        // Inside a quoted field too.
        let mut b = TableBuilder::new(&Dialect::default(), 0);
        for piece in ["h1,h2\n", "\"a", "", "\n", "", "x\",b\n"] {
            b.push(piece).unwrap();
        }
        let t = b.finish().unwrap();
        assert_eq!(
            snapshot(&t),
            [(2, vec!["a\nx".to_string(), "b".to_string()])]
        );
    }

    #[test]
    fn a_feff_after_the_start_stays_a_character() {
        let text = "id,note\n\u{feff}\"1,x\n2,y\n3,z\n";
        let t = parse(text, &Dialect::default()).unwrap();
        let cells: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
        assert_eq!(cells, [["\u{feff}\"1", "x"], ["2", "y"], ["3", "z"]]);
        // As the csv crate reads it.
        let theirs: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(cells, theirs);
        // At the very start it is the byte order mark; a second one is a character.
        let t = parse("\u{feff}a,b\n1,2\n", &Dialect::default()).unwrap();
        assert_eq!(t.headers(), ["a", "b"]);
        let t = parse("\u{feff}\u{feff}a,b\n1,2\n", &Dialect::default()).unwrap();
        assert_eq!(t.headers(), ["\u{feff}a", "b"]);
        // The same in pieces: the mark alone first, then the character.
        let mut b = TableBuilder::new(&Dialect::default(), 0);
        for piece in ["", "\u{feff}", "\u{feff}a,b\n", "1,2\n"] {
            b.push(piece).unwrap();
        }
        assert_eq!(b.finish().unwrap().headers(), ["\u{feff}a", "b"]);
        // A quoted record that starts with U+FEFF as the first thing csv-core reads.
        let t = parse("id,note\n\u{feff}\"1\",x\n", &Dialect::default()).unwrap();
        assert_eq!(t.row(0).unwrap().get(0), Some("\u{feff}\"1\""));
    }

    #[test]
    fn a_long_quoted_record_of_multibyte_characters_is_kept_whole() {
        // csv-core's output buffer fills in the middle of a character.
        let note = "é€".repeat(3000);
        let text = format!("id,note\n1,\"{note}\"\n2,\"x\"\n");
        for piece in [1usize, 5, 4096, usize::MAX] {
            let mut b = TableBuilder::new(&Dialect::default(), 0);
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let mut cut = rest.len().min(piece);
                while !rest.is_char_boundary(cut) {
                    cut += 1;
                }
                b.push(&rest[..cut]).unwrap();
                rest = &rest[cut..];
            }
            let t = b.finish().unwrap();
            assert_eq!(
                t.row(0).unwrap().get(1),
                Some(note.as_str()),
                "piece {piece}"
            );
            assert_eq!(t.row(1).unwrap().get(1), Some("x"));
        }
    }

    #[test]
    fn pieces_split_anywhere_give_the_same_table() {
        let samples = [
            include_str!("../../../tests/data/contacts-with-problems.csv"),
            include_str!("../../../tests/data/seed-contacts.tsv"),
            "a,b\r\n\r\n1,\"x\r\ny\"\r\n,\r\n\n2,z\r3,q",
            "title\n\nh1;h2\n\"a;b\";\"c\"\"d\"\n",
        ];
        for text in samples {
            let d = sniff(text);
            let whole = parse(text, &d).unwrap();
            for cut in (1..text.len()).filter(|c| text.is_char_boundary(*c)) {
                let mut b = TableBuilder::new(&d, 0);
                b.push(&text[..cut]).unwrap();
                b.push(&text[cut..]).unwrap();
                let t = b.finish().unwrap();
                assert_eq!(snapshot(&t), snapshot(&whole), "cut at {cut} of {text:?}");
                assert_eq!(
                    (t.blank_rows(), t.headers()),
                    (whole.blank_rows(), whole.headers()),
                    "cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn cells_agree_with_the_csv_crate() {
        let text = include_str!("../../../tests/data/contacts-with-problems.csv");
        let t = table(text);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let theirs: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let ours: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn rows_longer_than_64_kib_keep_every_cell_among_short_rows() {
        // Around the widths two-byte ends can measure: the csv crate is the judge.
        let long = |n: usize| "x".repeat(n);
        let mut text = String::from("a,b,c\n1,2,3\n");
        for n in [65_530, 65_535, 65_536, 70_000, 200_000] {
            text.push_str(&format!(
                "{},\"{}\",end\nshort,row,{n}\n",
                long(n / 2),
                long(n / 2)
            ));
        }
        let t = table(&text);
        let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let ours: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
        assert_eq!(ours, theirs);
        assert!(t.explicit.rows.is_empty(), "{:?}", t.explicit.rows);
        assert_eq!(t.row(t.len() - 1).map(|r| r.line()), Some(12));
        assert_eq!(t.row(11).and_then(|r| r.get(3)), None);
    }

    #[test]
    fn a_cell_holding_the_byte_between_cells_keeps_the_row_whole() {
        // The byte written between the cells of a quoted row, inside a cell, and in a plain
        // line, where the delimiter separates the cells.
        let text = "a,b,c\n\"x\u{1f}y\",2,3\n\"q\",\u{1f},\u{1f}\u{1f}\nplain\u{1f},1,2\n";
        let t = table(text);
        let rows: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
        assert_eq!(
            rows,
            [
                ["x\u{1f}y", "2", "3"],
                ["q", "\u{1f}", "\u{1f}\u{1f}"],
                ["plain\u{1f}", "1", "2"]
            ]
        );
        assert_eq!(t.explicit.rows.len(), 2);
        for r in t.rows() {
            assert_eq!(r.len(), 3);
            assert_eq!(r.get(2), r.fields().nth(2));
            assert_eq!(r.get(3), None);
        }
        // A worksheet's rows come cell by cell.
        let mut b = TableBuilder::new(&Dialect::default(), 0);
        b.push_cells(1, ["a", "b"]);
        b.push_cells(2, ["1", "2"]);
        b.push_cells(3, ["x\u{1f}", "\u{1f}y"]);
        let t = b.finish().unwrap();
        let rows: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
        assert_eq!(rows, [["1", "2"], ["x\u{1f}", "\u{1f}y"]]);
    }

    /// A tiny deterministic generator for the property tests below: texts of up to 40
    /// pieces.
    fn random_texts(count: usize) -> Vec<String> {
        random_texts_of(count, 40, 0x2545_F491_4F6C_DD1D)
    }

    /// Texts of up to `pieces` pieces, each from a small alphabet of letters and of what
    /// CSV gives meaning to.
    fn random_texts_of(count: usize, pieces: u64, seed: u64) -> Vec<String> {
        let mut x = seed;
        let alphabet = [
            "a", "b", ",", ";", "\"", "\r", "\n", "\r\n", " ", "é", "\t", "''", "\u{1f}",
        ];
        (0..count)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let len = (x % pieces) as usize;
                (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        alphabet[(x % alphabet.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    pub(crate) fn the_fast_path_reads_exactly_as_csv_core_alone() {
        // Short texts, and long ones whose quotes and CRs are rarer, so that most of their
        // lines are long and plain (read by the fast path whole).
        let long = random_texts_of(1_500, 600, 0x9E37_79B9_7F4A_7C15)
            .into_iter()
            .map(|t| plainer(&t));
        for text in random_texts(4_000).into_iter().chain(long) {
            for delimiter in [b',', b';'] {
                let d = Dialect {
                    delimiter,
                    ..Dialect::default()
                };
                let mut fast = TableBuilder::new(&d, 0);
                let mut slow = TableBuilder::new(&d, 0);
                slow.fast_path = false;
                let (a, b) = (
                    fast.push(&text).and_then(|_| fast.finish()),
                    slow.push(&text).and_then(|_| slow.finish()),
                );
                match (a, b) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(snapshot(&a), snapshot(&b), "{text:?}");
                        assert_eq!(
                            (a.headers(), a.blank_rows(), a.header_line()),
                            (b.headers(), b.blank_rows(), b.header_line()),
                            "{text:?}"
                        );
                    }
                    (a, b) => assert_eq!(a.is_err(), b.is_err(), "{text:?}"),
                }
            }
        }
    }

    /// `text` with most quotes and CRs, and some LFs, made letters: longer lines, most of
    /// them plain.
    fn plainer(text: &str) -> String {
        text.char_indices()
            .map(|(i, c)| match c {
                '"' | '\r' if i % 5 != 0 => 'x',
                '\n' if i % 3 != 0 => 'y',
                c => c,
            })
            .collect()
    }

    #[test]
    fn the_fast_path_reads_the_same_wherever_the_pieces_are_cut() {
        let d = Dialect::default();
        let read = |pieces: &[&str]| {
            let mut b = TableBuilder::new(&d, 0);
            for p in pieces {
                b.push(p)?;
            }
            b.finish()
        };
        let long = random_texts_of(60, 600, 0x51_7CC1_B727_220A)
            .into_iter()
            .map(|t| plainer(&t));
        for text in random_texts(600).into_iter().chain(long) {
            let whole = read(&[&text]).map(|t| (snapshot(&t), t.blank_rows(), t.header_line()));
            for at in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
                let cut = read(&[&text[..at], &text[at..]])
                    .map(|t| (snapshot(&t), t.blank_rows(), t.header_line()));
                assert_eq!(cut.ok(), whole.clone().ok(), "{text:?} cut at {at}");
            }
        }
    }

    #[test]
    fn whole_quoted_fields_are_read_without_csv_core_and_the_rest_with_it() {
        let read = |text: &str, fast: bool| {
            let mut b = TableBuilder::new(&Dialect::default(), 0);
            b.fast_path = fast;
            b.push(text).unwrap();
            let used_core = b.core_started;
            (b.finish().unwrap(), used_core)
        };
        // Quoted fields that open and close on their line: the fast path reads them all.
        let text = "h1,h2,h3\r\n\"x, y\",\"say \"\"hi\"\"\",z\r\n\"\",,\"\"\n1,\"2\",\n\"\"\"\"\n";
        let (fast, used_core) = read(text, true);
        assert!(!used_core);
        assert_eq!(snapshot(&fast), snapshot(&read(text, false).0));
        assert_eq!(
            snapshot(&fast),
            [
                (2, vec!["x, y".into(), "say \"hi\"".into(), "z".into()]),
                (4, vec!["1".into(), "2".into(), "".into()]),
                (5, vec!["\"".into()]),
            ]
        );
        assert_eq!(fast.blank_rows(), 1);
        // Anything else goes to csv-core, and reads the same as csv-core alone.
        for text in [
            "h\n\"open\nclose\"\nx\n",
            "h\nx\"y\n",
            "h\n\"a\"b,c\n",
            "h\n\"a\" ,b\n",
            "h\n\"a\rb\",c\n",
            "h\nq,\"unclosed\n",
        ] {
            let (fast, used_core) = read(text, true);
            assert!(used_core, "{text:?}");
            assert_eq!(snapshot(&fast), snapshot(&read(text, false).0), "{text:?}");
        }
    }

    #[test]
    fn cells_match_the_csv_crate_on_random_text() {
        for text in random_texts(4_000) {
            let d = Dialect {
                header_record: None,
                ..Dialect::default()
            };
            let Ok(t) = parse(&text, &d) else { continue };
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let theirs: Vec<Vec<String>> = rdr
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
                .filter(|r: &Vec<String>| !r.iter().all(|f| is_blank(f)))
                .collect();
            let ours: Vec<Vec<String>> = snapshot(&t).into_iter().map(|r| r.1).collect();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}

/// The rows' splitting (eight bytes in a 64-bit word) and the fast path, against csv-core, in
/// wasm32: `cargo test --target wasm32-unknown-unknown -p bulk-core --lib wasm_width`.
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_fast_path_reads_exactly_as_csv_core_alone() {
        super::tests::the_fast_path_reads_exactly_as_csv_core_alone();
    }
}
