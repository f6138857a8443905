//! Decoded text to rows. A [`Table`] keeps every cell's original text exactly (no trimming,
//! no number parsing) in one arena, so a 100 MB file costs little more than its text, and
//! each row keeps the line number a person sees in a spreadsheet: the header is line 1 when
//! it is the first line, blank lines count, and a newline inside quotes does not start a new
//! line. Blank rows are skipped and counted; ragged rows are kept whole and flagged by
//! validation; empty and duplicate column names get clear names and a warning.

use crate::decode::count_line_breaks;
use crate::dialect::Dialect;
use csv::ReaderBuilder;
use std::fmt;

/// Something about the file that a person should know, that does not stop it being read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
        }
    }
}

/// Why the text could not be read as a table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// Nothing but whitespace.
    #[error("the file is empty")]
    Empty,
    /// More text than one table may address.
    #[error("the file is too large to read here (over 4 GB of text)")]
    TooLarge,
    /// The CSV parser failed.
    #[error("line {line}: {detail}")]
    Csv {
        /// The line.
        line: u64,
        /// The parser's words.
        detail: String,
    },
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RowEntry {
    line: u64,
    first_cell: u32,
    cells: u32,
}

/// The rows of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    headers: Vec<String>,
    header_line: Option<u64>,
    arena: String,
    ends: Vec<u32>,
    rows: Vec<RowEntry>,
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
        self.table.rows[self.index].line
    }
    /// How many fields the row has (may differ from the header).
    pub fn len(&self) -> usize {
        self.table.rows[self.index].cells as usize
    }
    /// True when the row has no fields (never, for a parsed row).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The text of a field; `None` past the row's end.
    pub fn get(&self, column: usize) -> Option<&'a str> {
        let e = self.table.rows[self.index];
        if column >= e.cells as usize {
            return None;
        }
        let i = e.first_cell as usize + column;
        let start = if i == 0 {
            0
        } else {
            self.table.ends[i - 1] as usize
        };
        Some(&self.table.arena[start..self.table.ends[i] as usize])
    }
    /// Every field.
    pub fn fields(&self) -> impl Iterator<Item = &'a str> + 'a {
        let row = *self;
        (0..row.len()).filter_map(move |c| row.get(c))
    }
}

impl Table {
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
        self.rows.len()
    }
    /// True when there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
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
        (index < self.rows.len()).then_some(Row { table: self, index })
    }
    /// All rows.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.rows.len()).map(move |index| Row { table: self, index })
    }
    /// Bytes held, for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.ends.capacity() * 4
            + self.rows.capacity() * std::mem::size_of::<RowEntry>()
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
    if text.trim().is_empty() {
        return Err(TableError::Empty);
    }
    if text.len() >= u32::MAX as usize {
        return Err(TableError::TooLarge);
    }
    let mut rdr = ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table {
        arena: String::with_capacity(text.len()),
        ..Table::default()
    };
    let mut record = csv::StringRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut records_seen = 0usize;
    let mut embedded_breaks = 0u64; // newlines inside quoted fields so far
    let mut next_line = 1u64; // the spreadsheet line the next record would have
    // csv's own line numbers drift on CRLF, so physical lines are counted here from bytes.
    let (mut counted_to, mut physical_breaks) = (0usize, 0u64);
    loop {
        let more = rdr.read_record(&mut record).map_err(|e| TableError::Csv {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            detail: e.to_string(),
        })?;
        if !more {
            break;
        }
        let mut start = record
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(counted_to);
        // csv reports a record where it began reading: at the `\n` of a CRLF, or at blank
        // lines it skipped. A record never starts with a line break, so step over them.
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > counted_to && start <= text.len() {
            physical_breaks += count_line_breaks(&text[counted_to..start]);
            counted_to = start;
        }
        let line = (physical_breaks + 1).saturating_sub(embedded_breaks);
        let breaks: u64 = record.iter().map(count_line_breaks).sum();
        embedded_breaks += breaks;
        if record.iter().all(|f| f.trim().is_empty()) {
            table.blank_rows += line.saturating_sub(next_line) + 1;
            next_line = line + 1;
            continue;
        }
        if line > next_line && (header.is_some() || dialect.header_record.is_none()) {
            table.blank_rows += line - next_line;
        }
        next_line = line + 1;
        let index = records_seen;
        records_seen += 1;
        match dialect.header_record {
            Some(h) if index < h => continue,
            Some(h) if index == h => {
                header = Some(record.iter().map(str::to_string).collect());
                table.header_line = Some(line);
                if h > 0 {
                    table
                        .warnings
                        .push(TableWarning::SkippedBeforeHeader { records: h });
                }
                continue;
            }
            _ => {}
        }
        let first_cell = table.ends.len() as u32;
        for field in record.iter() {
            table.arena.push_str(field);
            table.ends.push(table.arena.len() as u32);
        }
        table.rows.push(RowEntry {
            line,
            first_cell,
            cells: record.len() as u32,
        });
    }
    let width = header.as_ref().map(Vec::len).unwrap_or_else(|| {
        table
            .rows
            .iter()
            .map(|r| r.cells as usize)
            .max()
            .unwrap_or(0)
    });
    let (headers, warnings) = clean_headers(header.unwrap_or_default(), width);
    table.headers = headers;
    table.warnings.extend(warnings);
    table.arena.shrink_to_fit();
    Ok(table)
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
}
