//! The app's data about a loaded file, and the number formatting the screen shares.

use crate::file_facts::FileFacts;
use bulk_core::decode::{DecodeProblem, Detection};
use bulk_core::dialect::Dialect;
use bulk_core::guess::Guesses;
use bulk_core::ingest::{HeadRecord, Ingested};

/// A file (or pasted text, or a workbook sheet) read, as the page knows it: its rows are
/// with their keeper ([`crate::keeper`]).
#[derive(Debug)]
pub struct LoadedFile {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// How it was read.
    pub read: ReadAs,
    /// The fingerprint of its rows (`bulk_core::joblog::fingerprint`), taken once when read:
    /// the job log keeps it, so a renamed copy is known as uploaded before.
    pub fingerprint: String,
    /// Its rows described (columns, count, samples), for the screens that need no rows.
    pub facts: FileFacts,
}

/// How a file was read (all of [`Ingested`] but its rows): what the reading options and
/// the file's summary show.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadAs {
    /// The encoding used.
    #[serde(with = "bulk_core::decode::by_name")]
    pub encoding: &'static bulk_core::Encoding,
    /// Why that encoding.
    pub detection: Detection,
    /// Lines with bytes that are invalid in that encoding.
    pub decode_problems: Vec<DecodeProblem>,
    /// The dialect used (sniffed, then overridden).
    pub dialect: Dialect,
    /// The dialect as sniffed.
    pub sniffed: Dialect,
    /// The first characters of the decoded text, for the encoding preview.
    pub preview: String,
    /// The first records of the file with their lines, to choose the header row from.
    pub head: Vec<HeadRecord>,
    /// For a workbook: the sheet read.
    pub sheet: Option<String>,
    /// How sure the guesses are.
    pub guesses: Guesses,
}

impl ReadAs {
    /// How `ingested` was read.
    pub fn of(ingested: &Ingested) -> ReadAs {
        let i = ingested;
        ReadAs {
            encoding: i.encoding,
            detection: i.detection,
            decode_problems: i.decode_problems.clone(),
            dialect: i.dialect,
            sniffed: i.sniffed,
            preview: i.preview.clone(),
            head: i.head.clone(),
            sheet: i.sheet.clone(),
            guesses: i.guesses,
        }
    }
}

impl LoadedFile {
    /// The name without its extension, for the names of files made from it.
    pub fn stem(&self) -> String {
        self.name
            .rsplit_once('.')
            .map(|(s, _)| s)
            .unwrap_or(&self.name)
            .to_string()
    }
}

/// The most file columns the grid and the mapping table draw: beyond it (thousands of
/// columns, usually a wrong delimiter) drawing them all would hold the page for seconds.
pub const MAX_SHOWN_COLUMNS: usize = 200;

/// "1.1 kB", "12.4 MB".
pub fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1000.0),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
}

/// "1 row", "10 rows", "818,209 rows".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// "818,209".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
