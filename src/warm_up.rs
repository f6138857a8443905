//! Getting the reading and checking code compiled for speed before the person's file
//! arrives. Chromium compiles wasm lazily: a function first runs as quickly made, slow code,
//! and is compiled again for speed in the background only once it has run for a while; a
//! call already running keeps the slow code. Read on freshly loaded wasm, a 100 MB file
//! spent about a third of its time in slow code (the same work took 0.83–0.89 s cold and
//! 0.42 s once compiled, measured in headless Chromium). So as soon as the app has started
//! (usually well before the person has connected), it reads and checks a small made-up
//! file the way it reads theirs, in slices of a few ms, and drops it: in the worker that keeps
//! the rows, where theirs will be read. Any read or check the person starts stops it at its
//! next slice.
//!
//! How much is enough was measured, not guessed (V8's `--trace-wasm-compilation-times` in
//! Chromium 156): a function is compiled for speed once it has run about 13 MB of its own
//! code (V8's tiering budget). One read of a 1 MB file left the checks of rows with
//! problems, the web-address parser and the sort of the identifier index to be compiled at
//! the end of a person's big read, each on several MB of the compiler's memory at the
//! moment the table is whole: the tab's peak for a 100 MB file was 10 MB higher than its
//! rows. Twelve reads of a half-megabyte file, about one row in nine with a problem, get about 80
//! functions compiled first, in about 2 s after the app starts.

use crate::check_as_read::{AsRead, Plan};
use crate::loading::{self, Slices, Wanted};
use crate::shared::Shared;
use bulk_core::edits::Edits;
use bulk_core::ingest::Overrides;
use bulk_core::mapping;
use bulk_core::metadata::ObjectMetadata;

/// Rows of the made-up file (about half a megabyte): small, as the memory it takes stays
/// the worker's (a wasm memory never shrinks).
const ROWS: usize = 4_000;
/// Times it is read and checked: enough runs of each function for the browser to compile
/// it for speed (see the module's doc).
const ROUNDS: usize = 12;

/// Runs the warm-up while `wanted` says so: the made-up file goes through the very
/// functions a chosen file does ([`loading::read_text_file`] from a `File`, then
/// [`crate::keeper::check_rows`]), since the browser compiles function by function and the
/// hot loops are inlined into them. The keeper of the rows runs it as soon as it starts
/// ([`crate::keeper_work::Work::WarmUp`]), in its worker; it ends for good as soon as a read
/// or a check of the person's own starts. True when every round was done.
pub async fn run(wanted: Wanted) -> bool {
    let Some(file) = made_up_file(Slices::while_wanted(wanted.clone())).await else {
        return false;
    };
    let Some(object) = object() else {
        return false;
    };
    for _ in 0..ROUNDS {
        if !round(&file, &object, &wanted).await {
            return false;
        }
    }
    true
}

/// One read and check of the made-up file; false once the person's own work began.
async fn round(file: &web_sys::File, object: &ObjectMetadata, wanted: &Wanted) -> bool {
    // Its rows checked as they are read, as a file's are when the page plans it
    // ([`crate::check_as_read`]), and then again after the read.
    let header: Vec<String> = HEADER.trim_end().split(',').map(String::from).collect();
    let mut as_read = AsRead::planned(Plan {
        read: 0,
        check: 0,
        mapping: mapping::suggest(&header, object),
        header,
        metadata: Shared::new(object.clone()),
    });
    let slices = Slices::while_wanted(wanted.clone());
    let mut quiet = |_| {};
    let read =
        loading::read_text_file(file, Overrides::default(), slices, &mut quiet, &mut as_read);
    let Ok(ingested) = read.await else {
        return false;
    };
    if !wanted() {
        return false;
    }
    drop(as_read.finish(&ingested, &mut quiet, &**wanted).await);
    if !wanted() {
        return false;
    }
    let map = mapping::suggest(ingested.table.headers(), object);
    let mut pace = Slices::while_wanted(wanted.clone());
    let checked = crate::keeper::check_rows(
        &ingested,
        &Edits::default(),
        object,
        &map,
        &mut pace,
        &mut |_, _| {},
        &**wanted,
    )
    .await;
    drop(checked);
    wanted()
}

/// The made-up file as a `File`, as the file input gives one; written in `slices` (in one
/// go it held the page for 40 ms after the app's start, longer on a slow device); `None`
/// once the person's own read began.
async fn made_up_file(mut slices: Slices) -> Option<web_sys::File> {
    // Not in the task that mounts the app.
    slices.pause().await.ok()?;
    let mut text = String::from(HEADER);
    for rows in (0..ROWS).step_by(500) {
        push_rows(&mut text, rows..(rows + 500).min(ROWS));
        slices.end_of_step().await.ok()?;
    }
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    web_sys::File::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes), "warm-up.csv").ok()
}

/// The made-up file's header.
const HEADER: &str = "Email,First name,Last name,Title,Phone,Company,Website,Employees,Revenue,Since,Active,Tier\r\n";

/// The made-up file: the kinds of cells real files hold, so each path of the reader and
/// of the checks runs: plain and quoted cells, doubled quotes, a cell over two lines,
/// letters beyond ASCII, CRLF line ends, and now and then a bad or repeated value. Rows
/// `rows` of it, appended to `s`.
fn push_rows(s: &mut String, rows: std::ops::Range<usize>) {
    const FIRST: [&str; 4] = ["Zoë", "Anna", "José", "Siobhán"];
    const TITLE: [&str; 4] = [
        "Director",
        "\"Director, Sales\"",
        "",
        "\"Head of \"\"Growth\"\"\"",
    ];
    const TIER: [&str; 3] = ["Gold", "Silver", "Bronze"];
    for i in rows {
        use std::fmt::Write;
        let email = match i % 13 {
            0 => format!("broken.{i}@"),
            1 => format!("person{}@example.com", i / 2),
            _ => format!("person{i}@example.com"),
        };
        let company = if i % 211 == 0 {
            "\"Acme\r\nEurope\"".to_string()
        } else {
            format!("Company {}", i % 500)
        };
        let site = if i % 11 == 0 {
            format!("www.site{i}.example")
        } else {
            format!("https://www.site{}.example/contact", i % 977)
        };
        let _ = write!(
            s,
            "{email},{},Müller{},{},+44 20 7946 {:04},{company},{site},{},{}.{:02},20{:02}-{:02}-{:02},{},{}\r\n",
            FIRST[i % 4],
            i % 89,
            TITLE[i % 4],
            i % 10_000,
            i % 5000,
            i % 100_000,
            i % 100,
            i % 25,
            1 + i % 12,
            1 + i % 28,
            if i % 2 == 0 { "true" } else { "false" },
            TIER[i % 3],
        );
    }
}

/// An object whose fields take the made-up file's columns, one of each kind of check.
fn object() -> Option<ObjectMetadata> {
    let fields = serde_json::json!({ "fields": [
        { "vendorPath": "email", "type": "string", "format": "email", "vendorRequired": true, "maxLength": 254 },
        { "vendorPath": "first_name", "type": "string", "maxLength": 60 },
        { "vendorPath": "last_name", "type": "string", "maxLength": 60, "vendorRequired": true },
        { "vendorPath": "title", "type": "string", "maxLength": 60 },
        { "vendorPath": "phone", "type": "string", "format": "phone" },
        { "vendorPath": "company", "type": "string", "maxLength": 60 },
        { "vendorPath": "website", "type": "string", "format": "url" },
        { "vendorPath": "employees", "type": "integer" },
        { "vendorPath": "revenue", "type": "number" },
        { "vendorPath": "since", "type": "date" },
        { "vendorPath": "active", "type": "boolean" },
        { "vendorPath": "tier", "type": "picklist", "picklistValues": ["Gold", "Silver", "Bronze"] },
    ]});
    ObjectMetadata::from_json(&fields).map(|(object, _)| object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulk_core::edits::View;
    use bulk_core::validate::{Options, ProblemKind, Validator};

    #[test]
    fn the_made_up_file_takes_every_path_it_is_there_for() {
        let mut text = String::from(HEADER);
        push_rows(&mut text, 0..1000);
        let file = bulk_core::ingest::from_text(&text, &Overrides::default()).unwrap();
        assert_eq!(file.table.len(), 1000);
        assert_eq!(file.dialect.delimiter, b',');
        let object = object().unwrap();
        let map = mapping::suggest(file.table.headers(), &object);
        // Every column goes to a field, so every kind of check runs.
        let mapped = map.columns.iter().filter(|c| c.field.is_some()).count();
        assert_eq!(mapped, 12, "{map:?}");
        let options = Options::for_object(&object, &file.dialect);
        let edits = Edits::default();
        let mut v = Validator::new(View::new(&file.table, &edits), &map, &object, &options);
        assert!(v.run(usize::MAX));
        let report = v.finish();
        // Most rows pass the quick first check; about one in nine goes through the rules
        // one by one (enough for the browser to compile that path for speed too).
        assert!(
            (800..=900).contains(&report.valid_count()),
            "{}",
            report.valid_count()
        );
        let kinds: Vec<ProblemKind> = report.problems().map(|p| p.kind).collect();
        for kind in [ProblemKind::Email, ProblemKind::Url, ProblemKind::Duplicate] {
            assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
        }
        assert!(
            (0..1000).any(|r| file.table.spans_lines(r)),
            "a cell over two lines"
        );
    }
}
