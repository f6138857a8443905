//! A dropped or pasted file, from bytes to a table, with every decision recorded so the
//! screen can show it and a person can override it: what kind of file it is (a PDF or an
//! image gets a sentence, not garbage rows), the encoding, the dialect, the header row.

use crate::decode::{DecodeProblem, Detection};
use crate::dialect::{self, Dialect};
use crate::guess::Guesses;
use crate::table::{self, Table, TableError};
use encoding_rs::Encoding;

/// What the person chose instead of the detected values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overrides {
    /// The encoding.
    #[serde(with = "crate::decode::by_name::option")]
    pub encoding: Option<&'static Encoding>,
    /// The delimiter.
    pub delimiter: Option<u8>,
    /// The quote character.
    pub quote: Option<u8>,
    /// The header record (`Some(None)`: the file has no header row).
    pub header_record: Option<Option<usize>>,
}

/// A file read into a table, with how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingested {
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why that encoding.
    pub detection: Detection,
    /// Lines with bytes that are invalid in that encoding.
    pub decode_problems: Vec<DecodeProblem>,
    /// The dialect used (sniffed, then overridden).
    pub dialect: Dialect,
    /// The dialect as sniffed.
    pub sniffed: Dialect,
    /// The rows.
    pub table: Table,
    /// The first characters of the decoded text, for the encoding preview.
    pub preview: String,
    /// The first records of the file with their lines, to choose the header row from.
    pub head: Vec<HeadRecord>,
    /// For a workbook: the sheet read.
    pub sheet: Option<String>,
    /// How sure the encoding, delimiter, quote and header guesses are, and what could not
    /// be decided.
    pub guesses: Guesses,
}

/// One of the first records of a file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeadRecord {
    /// Its 0-based index among the records (what [`Overrides::header_record`] takes).
    pub record: usize,
    /// Its line.
    pub line: u64,
    /// Its first cells.
    pub cells: Vec<String>,
}

/// How many leading records are offered as header rows.
const HEAD_RECORDS: usize = 12;

/// The first records of `sample` as `dialect` reads them, with their lines.
pub(crate) fn head_records(sample: &str, dialect: &Dialect) -> Vec<HeadRecord> {
    let d = Dialect {
        header_record: None,
        ..*dialect
    };
    let Ok(t) = table::parse(sample, &d) else {
        return Vec::new();
    };
    t.rows()
        .take(HEAD_RECORDS)
        .enumerate()
        .map(|(record, r)| HeadRecord {
            record,
            line: r.line(),
            cells: r
                .fields()
                .take(8)
                .map(|c| c.chars().take(40).collect())
                .collect(),
        })
        .collect()
}

/// Why a file could not be read as a table; each says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum IngestError {
    /// No bytes at all.
    #[error("the file is empty (0 bytes); export the data again and choose the new file")]
    Empty,
    /// Bytes, but only blank lines and spaces.
    #[error(
        "the file holds only blank lines and spaces, no values; export the data again and choose the new file"
    )]
    Blank,
    /// A known binary format that is not a table.
    #[error(
        "this is {0}, not a spreadsheet; export the data as CSV (or .xlsx) and choose that file"
    )]
    NotATable(std::borrow::Cow<'static, str>),
    /// A workbook format this build does not read.
    #[error("this is {0}; save it as CSV (File > Save As > CSV UTF-8) and choose that file")]
    Workbook(std::borrow::Cow<'static, str>),
    /// A workbook the reader could not open.
    #[error(
        "the workbook could not be read ({0}); it may be damaged or password-protected. Open it in Excel and save it again, or save the sheet as CSV"
    )]
    WorkbookUnreadable(String),
    /// A sheet that spans more cells or text than a workbook of its size can hold.
    #[error(
        "the sheet \"{0}\" spans more cells than a workbook of this size can hold, so it was not read (it may be damaged, or have a value far below or to the right of the data). In Excel, delete the empty rows and columns after the data and save again, or save the sheet as CSV"
    )]
    SheetTooLarge(String),
    /// A workbook without the named sheet.
    #[error("the workbook has no sheet called \"{0}\"")]
    NoSuchSheet(String),
    /// Bytes that are neither text nor a known format.
    #[error(
        "this file is not text (it contains binary data); export the data as CSV and choose that file"
    )]
    Binary,
    /// A header row and nothing else.
    #[error(
        "the file has a header row ({0}) but no data rows; add rows below the header or check you exported the right data"
    )]
    NoRows(String),
    /// The parser gave up.
    #[error("{0}")]
    Table(TableError),
    /// The decoders of the older encodings (Windows-1252, Shift_JIS, ...) could not be had
    /// or failed (why).
    #[error(
        "the file is in an older encoding, and its decoder could not be used ({0}); choose the file again, or save it as CSV UTF-8"
    )]
    LegacyDecoder(String),
}

/// The formats [`sniff_format`] names (a name travels as text between the page and the
/// worker that reads the file, hence `Cow` in [`IngestError`]).
const FORMATS: [&str; 6] = [
    "a PDF document",
    "a PNG image",
    "a JPEG image",
    "a GIF image",
    "a zipped document such as an Excel workbook (.xlsx)",
    "an old Excel workbook (.xls) or Word document",
];

/// Recognises formats by their first bytes.
pub(crate) fn sniff_format(bytes: &[u8]) -> Result<(), IngestError> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF") {
        Err(IngestError::NotATable(FORMATS[0].into()))
    } else if starts(b"\x89PNG") {
        Err(IngestError::NotATable(FORMATS[1].into()))
    } else if starts(b"\xFF\xD8\xFF") {
        Err(IngestError::NotATable(FORMATS[2].into()))
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Err(IngestError::NotATable(FORMATS[3].into()))
    } else if starts(b"PK\x03\x04") {
        Err(IngestError::Workbook(FORMATS[4].into()))
    } else if starts(b"\xD0\xCF\x11\xE0") {
        Err(IngestError::Workbook(FORMATS[5].into()))
    } else {
        Ok(())
    }
}

/// A parsed table with at least one data row, or why not.
pub(crate) fn usable(parsed: Result<Table, TableError>) -> Result<Table, IngestError> {
    let table = parsed.map_err(|e| match e {
        TableError::Empty => IngestError::Empty,
        other => IngestError::Table(other),
    })?;
    if table.is_empty() {
        return Err(IngestError::NoRows(table.headers().join(", ")));
    }
    Ok(table)
}

/// Reads `bytes` into a table (the whole file is in memory; see
/// [`StreamReader`](crate::reading::StreamReader) for reading it piece by piece).
///
/// ```
/// use bulk_core::ingest::{read, Overrides, IngestError};
/// let f = read(b"C_EmailAddress\tC_LastName\na@x.io\tA\n", &Overrides::default()).unwrap();
/// assert_eq!((f.dialect.delimiter, f.table.len()), (b'\t', 1));
/// assert!(matches!(read(b"%PDF-1.7", &Overrides::default()), Err(IngestError::NotATable(_))));
/// assert!(matches!(read(b"email,name\r\n", &Overrides::default()), Err(IngestError::NoRows(_))));
/// ```
pub fn read(bytes: &[u8], overrides: &Overrides) -> Result<Ingested, IngestError> {
    crate::reading::read_all(bytes, overrides, 1 << 20)
}

/// Reads text that is already decoded (pasted into the page) into a table.
///
/// ```
/// let i = bulk_core::ingest::from_text("email;name\na@x.io;Ann\n", &Default::default()).unwrap();
/// assert_eq!(i.table.headers(), ["email", "name"]);
/// ```
pub fn from_text(text: &str, overrides: &Overrides) -> Result<Ingested, IngestError> {
    if text.is_empty() {
        return Err(IngestError::Empty);
    }
    if table::is_blank(text) {
        return Err(IngestError::Blank);
    }
    let report = dialect::sniff_report(text);
    let sniffed = report.dialect;
    let d = crate::reading::apply(text, sniffed, overrides);
    let table = usable(table::parse(text, &d))?;
    Ok(Ingested {
        encoding: encoding_rs::UTF_8,
        detection: Detection::Chosen,
        decode_problems: Vec::new(),
        dialect: d,
        sniffed,
        table,
        preview: text.chars().take(400).collect(),
        head: head_records(text.get(..text.len().min(64 * 1024)).unwrap_or(text), &d),
        sheet: None,
        guesses: Guesses::of_dialect(&report, overrides),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> IngestError {
        read(bytes, &Overrides::default()).unwrap_err()
    }

    #[test]
    fn other_kinds_of_file_get_a_sentence() {
        assert_eq!(err(b""), IngestError::Empty);
        assert_eq!(err(b"  \r\n"), IngestError::Blank);
        assert_eq!(err(b"\n\n\r\n  \n"), IngestError::Blank);
        assert_eq!(
            err(b"\x89PNG\r\n\x1a\n...."),
            IngestError::NotATable("a PNG image".into())
        );
        assert!(matches!(err(b"PK\x03\x04rest"), IngestError::Workbook(_)));
        assert!(matches!(
            err(b"abc\x00\x01\x02def\x00"),
            IngestError::Binary
        ));
        let e = err(b"email,name\n");
        assert_eq!(
            e.to_string(),
            "the file has a header row (email, name) but no data rows; add rows below the header or check you exported the right data"
        );
    }

    #[test]
    fn overrides_reparse() {
        let text = b"a;b,c\n1;2,3\n";
        let f = read(text, &Overrides::default()).unwrap();
        let g = read(
            text,
            &Overrides {
                delimiter: Some(b';'),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(g.table.headers(), ["a", "b,c"]);
        assert_ne!(f.table.headers(), g.table.headers());
        let h = read(
            text,
            &Overrides {
                header_record: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(h.table.len(), 2);
        let w = read(
            "naïve\n1\n".as_bytes(),
            &Overrides {
                encoding: Some(encoding_rs::WINDOWS_1252),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(w.table.headers(), ["naÃ¯ve"]);
    }
}
