//! Any bytes through the whole reading path: format sniffing, encoding detection (with the
//! restart when a late byte is not UTF-8), dialect sniffing, parsing in pieces, and
//! validation. Nothing may panic, and reading in small pieces must give exactly the table
//! reading in one piece gives.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run read_any` in `fuzz/` (see the README).

#![no_main]

use bulk_core::edits::{Edits, View};
use bulk_core::ingest::Overrides;
use bulk_core::mapping;
use bulk_core::metadata::{Field, FieldType, ObjectMetadata};
use bulk_core::reading::read_all;
use bulk_core::validate::{Options, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = read_all(data, &Overrides::default(), usize::MAX);
    let pieces = read_all(data, &Overrides::default(), 7);
    match (&whole, &pieces) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.encoding, b.encoding);
            assert_eq!(a.dialect, b.dialect);
            assert_eq!(a.table.headers(), b.table.headers());
            assert_eq!(a.table.len(), b.table.len());
            let mut last_line = 0;
            for (x, y) in a.table.rows().zip(b.table.rows()) {
                assert_eq!(x.line(), y.line());
                assert!(x.line() > last_line, "lines only grow");
                last_line = x.line();
                assert!(x.fields().eq(y.fields()));
            }
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
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!(
            "whole and pieces disagree: {:?} vs {:?}",
            whole.is_ok(),
            pieces.is_ok()
        ),
    }
});
