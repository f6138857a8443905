//! Any bytes through the whole reading path: format sniffing, encoding detection (with the
//! restart when a late byte is not UTF-8), dialect sniffing, parsing in pieces, and
//! validation. Nothing may panic, and reading in pieces of random sizes (empty, 1, 2-3
//! bytes, pieces that cut characters; the sizes come from the input's last bytes) must give
//! exactly the table reading in one piece gives. Where nothing is guessed (comma, `"`,
//! UTF-8, no header row), every record must be what the `csv` crate reads from the text.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run read_any` in `fuzz/` (see the README).

#![no_main]

use bulk_core::edits::{Edits, View};
use bulk_core::ingest::{IngestError, Ingested, Overrides};
use bulk_core::mapping;
use bulk_core::metadata::{Field, FieldType, ObjectMetadata};
use bulk_core::reading::{PushError, StreamReader, read_all};
use bulk_core::validate::{Options, validate};
use libfuzzer_sys::fuzz_target;

/// Reads `bytes` in pieces whose sizes `sizes` gives in turn, restarting once as the app does.
fn read_in_pieces(
    bytes: &[u8],
    overrides: Overrides,
    sizes: &[u8],
) -> Result<Ingested, IngestError> {
    let run = |mut r: StreamReader| -> Result<Ingested, PushError> {
        let mut rest = bytes;
        let mut i = 0;
        while !rest.is_empty() {
            let s = sizes.get(i % sizes.len().max(1)).copied().unwrap_or(7);
            i += 1;
            // Mostly tiny pieces, sometimes empty ones, sometimes big ones.
            let n = match s % 8 {
                0 => 0,
                1..=5 => usize::from(s % 4) + 1,
                _ => usize::from(s) * 37 + 1,
            }
            .min(rest.len());
            r.push(&rest[..n])?;
            rest = &rest[n..];
            if i > bytes.len() * 8 + 64 {
                // Only empty pieces: push the rest at once.
                r.push(rest)?;
                break;
            }
        }
        r.finish()
    };
    let total = bytes.len() as u64;
    match run(StreamReader::new(total, overrides)) {
        Err(PushError::Restart(enc)) => {
            run(StreamReader::restart(total, overrides, enc)).map_err(|e| match e {
                PushError::Failed(f) => f,
                PushError::Restart(_) => IngestError::Binary,
                PushError::NeedsLegacy => panic!("the older encodings are built in here"),
            })
        }
        Err(PushError::Failed(f)) => Err(f),
        Err(PushError::NeedsLegacy) => panic!("the older encodings are built in here"),
        Ok(i) => Ok(i),
    }
}

fn same(a: &Ingested, b: &Ingested) {
    assert_eq!(a.encoding, b.encoding);
    assert_eq!(a.detection, b.detection);
    assert_eq!(a.dialect, b.dialect);
    assert_eq!(a.guesses, b.guesses);
    assert_eq!(a.decode_problems, b.decode_problems);
    assert_eq!(a.table.headers(), b.table.headers());
    assert_eq!(a.table.len(), b.table.len());
    assert_eq!(a.table.blank_rows(), b.table.blank_rows());
    for (x, y) in a.table.rows().zip(b.table.rows()) {
        assert_eq!(x.line(), y.line());
        assert!(x.fields().eq(y.fields()));
    }
}

fuzz_target!(|input: &[u8]| {
    // The last up-to-16 bytes choose the piece sizes; the rest is the file.
    let split = input.len().saturating_sub(16.min(input.len() / 4));
    let (data, sizes) = input.split_at(split);
    let whole = read_all(data, &Overrides::default(), usize::MAX);
    let pieces = read_in_pieces(data, Overrides::default(), sizes);
    match (&whole, &pieces) {
        (Ok(a), Ok(b)) => same(a, b),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!(
            "whole and pieces disagree: {:?} vs {:?}",
            whole.as_ref().err(),
            pieces.as_ref().err()
        ),
    }
    // Nothing guessed: the records are the csv crate's.
    let fixed = Overrides {
        encoding: Some(encoding_rs::UTF_8),
        delimiter: Some(b','),
        quote: Some(b'"'),
        header_record: Some(None),
    };
    if let Ok(text) = std::str::from_utf8(data) {
        let ours = read_in_pieces(data, fixed, sizes);
        let theirs: Result<Vec<Vec<String>>, csv::Error> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
            .collect();
        if let (Ok(ours), Ok(theirs)) = (&ours, theirs) {
            let theirs: Vec<Vec<String>> = theirs
                .into_iter()
                .filter(|r| !r.iter().all(|f| bulk_core::table::is_blank(f)))
                .collect();
            let mine: Vec<Vec<String>> = ours
                .table
                .rows()
                .map(|r| r.fields().map(str::to_string).collect())
                .collect();
            assert_eq!(mine, theirs);
        }
    }
    let Ok(a) = whole else { return };
    {
        let metadata = ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String).required(),
                Field::new("amount", FieldType::Number),
                Field::new("website", FieldType::String),
                Field::new("telephone", FieldType::String),
                Field::new("when", FieldType::Date),
            ],
        };
        let map = mapping::suggest(a.table.headers(), &metadata);
        let edits = Edits::default();
        let view = View::new(&a.table, &edits);
        let report = validate(
            &view,
            &map,
            &metadata,
            &Options::for_object(&metadata, &a.dialect),
        );
        assert_eq!(report.rows(), a.table.len());
        assert!(report.valid_count() <= report.rows());
    }
});
