//! The app's data about a loaded file, and the number formatting the screen shares.

use crate::file_facts::FileFacts;
use bulk_core::ingest::Ingested;

/// A file (or pasted text, or a workbook sheet) read into a table.
#[derive(Debug)]
pub struct LoadedFile {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// What was read and how.
    pub ingested: Ingested,
    /// The fingerprint of its rows (`bulk_core::joblog::fingerprint`), taken once when read:
    /// the job log keeps it, so a renamed copy is known as uploaded before.
    pub fingerprint: String,
    /// Its rows described (columns, count, samples), for the screens that need no rows.
    pub facts: FileFacts,
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
