//! The app's derived data: a loaded file with how it was read, and the validation of its
//! rows against the chosen object. Kept out of the components so the screen only formats.

use crate::shared::Shared;
use bulk_core::ingest::Ingested;
use bulk_core::mapping::Mapping;
use bulk_core::metadata::ObjectMetadata;
use bulk_core::validate::{self, Options, Report};

/// A file the person chose, read into a table.
#[derive(Debug)]
pub struct LoadedFile {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// What was read and how.
    pub ingested: Ingested,
}

/// Validates the loaded file against the object, when both are there.
pub fn derive_report(
    file: Option<&Shared<LoadedFile>>,
    metadata: Option<&Shared<ObjectMetadata>>,
    mapping: &Mapping,
) -> Option<Shared<Report>> {
    let (file, metadata) = (file?, metadata?);
    let table = &file.ingested.table;
    if mapping.columns.len() != table.headers().len() {
        return None;
    }
    let options = Options::for_object(metadata, &file.ingested.dialect);
    Some(Shared::new(validate::validate(
        table, mapping, metadata, &options,
    )))
}

/// "1.1 kB", "12.4 MB".
pub fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1000.0),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
}

/// "1 row", "10 rows".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
