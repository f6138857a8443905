//! The reading is the same however the bytes arrive: random texts (quotes, line breaks,
//! multi-byte characters, invalid bytes, U+FEFF, no-break spaces, apostrophes) read in random
//! pieces (empty, 1, 2-3 bytes, pieces that cut characters) give exactly the whole read; and
//! where nothing is guessed (comma, `"`, UTF-8, no header) every record is what the `csv`
//! crate reads from the same text. A deterministic generator stands in for proptest (not a
//! dependency here); `fuzz/` runs the same comparison on libFuzzer's inputs.

use bulk_core::ingest::{IngestError, Ingested, Overrides};
use bulk_core::reading::{PushError, StreamReader};
use bulk_core::table::is_blank;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: &[&[u8]] = &[
    b"a",
    b"b",
    b"1",
    b",",
    b";",
    b"\"",
    b"'",
    b"\r",
    b"\n",
    b"\r\n",
    b" ",
    b"\t",
    "é".as_bytes(),
    "€".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{a0}".as_bytes(),
    b"\xE9",
    b"\xFF",
];

fn random_file(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(60);
    (0..len)
        .flat_map(|_| ALPHABET[rng.below(ALPHABET.len())].to_vec())
        .collect()
}

/// Reads `bytes` in pieces of the sizes `sizes` yields, restarting once as the app does.
fn read_in_pieces(
    bytes: &[u8],
    overrides: Overrides,
    rng: &mut Rng,
) -> Result<Ingested, IngestError> {
    let mut sizes: Vec<usize> = Vec::new();
    let run = |mut r: StreamReader,
               sizes: &mut Vec<usize>,
               rng: &mut Rng|
     -> Result<Ingested, PushError> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = match rng.below(6) {
                0 => 0,
                1 => 1,
                2 => 2 + rng.below(2),
                _ => 1 + rng.below(rest.len()),
            }
            .min(rest.len());
            sizes.push(n);
            r.push(&rest[..n])?;
            rest = &rest[n..];
        }
        r.finish()
    };
    let total = bytes.len() as u64;
    match run(StreamReader::new(total, overrides), &mut sizes, rng) {
        Err(PushError::Restart(enc)) => run(
            StreamReader::restart(total, overrides, enc),
            &mut sizes,
            rng,
        )
        .map_err(|e| match e {
            PushError::Failed(f) => f,
            PushError::Restart(_) => IngestError::Binary,
            PushError::NeedsLegacy => panic!("the older encodings are built in here"),
        }),
        Err(PushError::Failed(f)) => Err(f),
        Err(PushError::NeedsLegacy) => panic!("the older encodings are built in here"),
        Ok(i) => Ok(i),
    }
}

fn rows(i: &Ingested) -> Vec<(u64, Vec<String>)> {
    i.table
        .rows()
        .map(|r| (r.line(), r.fields().map(str::to_string).collect()))
        .collect()
}

#[test]
fn any_pieces_read_like_the_whole_and_like_the_csv_crate() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let fixed = Overrides {
        encoding: Some(encoding_rs::UTF_8),
        delimiter: Some(b','),
        quote: Some(b'"'),
        header_record: Some(None),
    };
    for case in 0..1_500 {
        let file = random_file(&mut rng);
        for overrides in [Overrides::default(), fixed] {
            let whole = bulk_core::reading::read_all(&file, &overrides, usize::MAX);
            let pieces = read_in_pieces(&file, overrides, &mut rng);
            match (&whole, &pieces) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(
                        (a.encoding, a.detection, a.dialect, a.guesses),
                        (b.encoding, b.detection, b.dialect, b.guesses),
                        "case {case}: {file:?}"
                    );
                    assert_eq!(rows(a), rows(b), "case {case}: {file:?}");
                    assert_eq!(a.decode_problems, b.decode_problems, "case {case}");
                    assert_eq!(a.table.headers(), b.table.headers(), "case {case}");
                }
                (a, b) => assert_eq!(a.as_ref().err(), b.as_ref().err(), "case {case}: {file:?}"),
            }
        }
        // No guess: every non-blank record as the csv crate reads the same text.
        let Ok(text) = std::str::from_utf8(&file) else {
            continue;
        };
        let ours = match bulk_core::reading::read_all(&file, &fixed, usize::MAX) {
            Ok(i) => rows(&i).into_iter().map(|r| r.1).collect(),
            Err(_) => Vec::new(),
        };
        let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect::<Vec<_>>()))
            .collect::<Result<Vec<Vec<String>>, csv::Error>>()
            .unwrap_or_default()
            .into_iter()
            .filter(|r: &Vec<String>| !r.iter().all(|f| is_blank(f)))
            .collect();
        assert_eq!(ours, theirs, "case {case}: {text:?}");
    }
}
