//! The benchmark's shared pieces: a deterministic generator of realistic contacts files
//! (Eloqua-style headers, quoted commas, accents, some bad e-mails and duplicates), the
//! contacts metadata the sandbox serves, and the pipeline being measured: decode, sniff,
//! parse, validate and keep every row, exactly as the app does it.

use bulk_core::edits::{Edits, View};
use bulk_core::ingest::{Ingested, Overrides};
use bulk_core::mapping;
use bulk_core::metadata::{Field, FieldType, ObjectMetadata};
use bulk_core::reading::{PushError, StreamReader};
use bulk_core::validate::{Options, Validator};

/// The header of generated files.
pub const HEADER: &str =
    "C_EmailAddress,C_FirstName,C_LastName,C_Title,C_BusPhone,C_Company,C_Website1\n";

const FIRST: &[&str] = &[
    "Anna",
    "José",
    "Norm",
    "Wei",
    "Siobhán",
    "Jürgen",
    "Núria",
    "Chuck",
    "Penny",
    "Ron",
    "Zoë",
    "François",
];
const LAST: &[&str] = &[
    "Müller",
    "Núñez",
    "Smith",
    "Li",
    "O’Connor",
    "Groß",
    "Peña",
    "Taylor",
    "Jones",
    "Burgandy",
    "Lefèvre",
    "Kowalski",
];
const TITLES: &[&str] = &[
    "Director",
    "Design Engineer",
    "\"Director, Sales\"",
    "Chief Financial Officer",
    "",
    "Analyst",
    "\"Head of \"\"Growth\"\"\"",
];
const COMPANIES: &[&str] = &[
    "Acme",
    "Acme Publishing",
    "\"Kowalski i Syn, Sp. z o.o.\"",
    "Müller & Söhne GmbH",
    "Example S.L.",
    "Café Crème SARL",
];

/// A small deterministic generator (xorshift), so every run measures the same bytes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// A contacts CSV of at least `bytes` bytes. About 1 row in 200 has a bad e-mail, 1 in 500
/// repeats an earlier e-mail, 1 in 300 has a website without `https://`.
pub fn generate(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    out.extend_from_slice(HEADER.as_bytes());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut i = 0u64;
    while out.len() < bytes {
        let r = rng.next();
        let email = if r.is_multiple_of(200) {
            format!("broken.{i}@")
        } else if r % 500 == 1 && i > 10 {
            format!("person{}@example.com", i / 2)
        } else {
            format!("person{i}@example.com")
        };
        let site = if r % 300 == 2 {
            format!("www.site{}.example", i % 977)
        } else {
            format!("https://www.site{}.example/contact", i % 977)
        };
        let line = format!(
            "{email},{},{},{},+44 20 7946 {:04},{},{site}\n",
            rng.pick(FIRST),
            rng.pick(LAST),
            rng.pick(TITLES),
            rng.next() % 10_000,
            rng.pick(COMPANIES),
        );
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    out
}

/// The contacts object, as the sandbox describes it.
pub fn contacts() -> ObjectMetadata {
    let text = |n: &str| Field {
        max_length: Some(60),
        ..Field::new(n, FieldType::String)
    };
    ObjectMetadata {
        fields: vec![
            Field::new("id", FieldType::String).read_only(),
            Field {
                max_length: Some(254),
                ..Field::new("email", FieldType::String)
                    .required()
                    .format("email")
            },
            text("first_name"),
            text("last_name").required(),
            text("job_title"),
            Field::new("telephone", FieldType::String).format("phone"),
            text("company_name"),
            Field::new("website", FieldType::String).format("url"),
        ],
    }
}

/// What one run found, to check every contender did the same work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Data rows.
    pub rows: usize,
    /// Rows that may be sent.
    pub valid: usize,
    /// Rows with errors.
    pub invalid: usize,
}

/// The app's pipeline on `bytes`, fed in `piece`-byte pieces.
pub fn pipeline(bytes: &[u8], piece: usize) -> Result<Outcome, String> {
    read(bytes, piece).map(|file| check(&file))
}

/// Decode, sniff and parse `bytes` in `piece`-byte pieces, as the app reads a file.
pub fn read(bytes: &[u8], piece: usize) -> Result<Ingested, String> {
    let mut reader = StreamReader::new(bytes.len() as u64, Overrides::default());
    for chunk in bytes.chunks(piece) {
        reader.push(chunk).map_err(|e: PushError| e.to_string())?;
    }
    reader.finish().map_err(|e| e.to_string())
}

/// Map and validate every row against the contacts object.
pub fn check(file: &Ingested) -> Outcome {
    let metadata = contacts();
    let map = mapping::suggest(file.table.headers(), &metadata);
    let options = Options::for_object(&metadata, &file.dialect);
    let edits = Edits::default();
    let mut v = Validator::new(View::new(&file.table, &edits), &map, &metadata, &options);
    // In calls of 500 rows, as the app checks: a wasm engine swaps in the code it compiled
    // for speed only at a call's start, so one call for every row would run the whole
    // check on the first, slow code (in Node it took twice as long).
    while !v.run(500) {}
    let report = v.finish();
    Outcome {
        rows: file.table.len(),
        valid: report.valid_count(),
        invalid: report.error_rows(),
    }
}
