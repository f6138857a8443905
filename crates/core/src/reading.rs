//! Reading a file a piece at a time: bytes in, table out, with the same decisions as
//! [`ingest::read`](crate::ingest::read) but without ever holding the whole file or its
//! whole text. The first 64 KB decide the format, the encoding and the dialect; every
//! later piece is decoded and parsed straight into the table. A file that starts as valid
//! UTF-8 but has bytes that are not is judged by evidence, not by its first bad byte: while
//! the valid multi-byte characters clearly outnumber the bad bytes it stays UTF-8 and each
//! bad byte is listed on its line; otherwise the reader asks to be restarted with the
//! encoding chardetng guesses, so nothing is silently mis-decoded. UTF-8 and UTF-16 are
//! always at hand; the older encodings and the guess among them come from a
//! [`Legacy`](crate::legacy::Legacy) the reader is given, or asks for.
//!
//! Memory stays linear in the file: the table is pre-sized from what the first 64 KB held,
//! bounded by what a file of this size can hold, and text is decoded in bounded chunks.

use crate::decode::{DecodeProblem, Detection, Utf8Evidence};
use crate::dialect::{self, Dialect};
use crate::ingest::{IngestError, Ingested, Overrides, sniff_format};
use crate::legacy::Legacy;
use crate::table::{Table, TableBuilder};
use crate::text_decoder::{Stop, TextDecoder};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use std::rc::Rc;

/// How many bytes decide the format, encoding and dialect.
const HEAD: usize = 64 * 1024;
/// How many bytes go through the decoder at once: its output buffer is up to three times
/// this, so a whole file passed as one piece never doubles the memory.
const DECODE_CHUNK: usize = 64 * 1024;

/// Why a push stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The file is not what the start said: read it again from the start with this
    /// encoding (see [`StreamReader::restart`]).
    #[error("the file is not UTF-8 after all; read it again as {}", .0.name())]
    Restart(&'static Encoding),
    /// The file cannot be read as a table.
    #[error(transparent)]
    Failed(#[from] IngestError),
    /// The file is in an older encoding (or its start must be guessed among them), and the
    /// reader has no [`Legacy`]: read it again from the start with one
    /// ([`StreamReader::with_legacy`]).
    #[error("the file needs the decoders of the older encodings, which are not loaded")]
    NeedsLegacy,
}

struct Decoding {
    encoding: &'static Encoding,
    detection: Detection,
    decoder: TextDecoder,
    /// UTF-8 chosen from the head alone: bad bytes are weighed against the valid multi-byte
    /// characters seen so far, and may still mean a restart with another encoding.
    tentative: bool,
    /// The evidence for UTF-8 so far (while `tentative`).
    evidence: Utf8Evidence,
    text: String,
    pending: String,
    sniffed: Option<(Dialect, Dialect)>,
    /// How sure the dialect's guesses are (set with `sniffed`).
    guesses: Option<crate::guess::Guesses>,
    head: Vec<crate::ingest::HeadRecord>,
    builder: Option<TableBuilder>,
    problems: Vec<DecodeProblem>,
    lines: u64,
    prev_cr: bool,
    preview: String,
    /// UTF-8 bytes that passed validation are taken as they are, without a copy through
    /// the decoder; the first invalid byte switches to the decoder for good.
    utf8_direct: bool,
    /// The start of a character cut off at the end of the last piece.
    carry: Vec<u8>,
    /// Bytes of a byte order mark still to skip at the start of the file.
    bom_left: usize,
    /// Bytes through the decoder so far, and the bytes of text they became: how much text
    /// the rest of a file in a legacy encoding will make.
    decoded_in: u64,
    decoded_out: u64,
}

/// A file read piece by piece.
pub struct StreamReader {
    total: u64,
    overrides: Overrides,
    forced: Option<(&'static Encoding, Detection)>,
    head: Vec<u8>,
    decoding: Option<Box<Decoding>>,
    bytes_in: u64,
    /// The older encodings, when at hand.
    legacy: Option<Rc<dyn Legacy>>,
}

impl StreamReader {
    /// A reader for a file of `total` bytes, with the built-in older encodings if this
    /// build has them ([`legacy::builtin`](crate::legacy::builtin)).
    pub fn new(total: u64, overrides: Overrides) -> StreamReader {
        StreamReader {
            total,
            overrides,
            forced: None,
            head: Vec::new(),
            decoding: None,
            bytes_in: 0,
            legacy: crate::legacy::builtin(),
        }
    }

    /// The same reader, with these older encodings.
    pub fn with_legacy(self, legacy: Option<Rc<dyn Legacy>>) -> StreamReader {
        StreamReader { legacy, ..self }
    }

    /// A reader for the same file again, decoding as `encoding` (after [`PushError::Restart`]).
    pub fn restart(total: u64, overrides: Overrides, encoding: &'static Encoding) -> StreamReader {
        StreamReader {
            forced: Some((encoding, Detection::Guessed)),
            ..StreamReader::new(total, overrides)
        }
    }

    /// Bytes taken so far.
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows so far.
    pub fn rows(&self) -> usize {
        self.decoding
            .as_ref()
            .and_then(|d| d.builder.as_ref())
            .map(TableBuilder::rows)
            .unwrap_or(0)
    }

    /// About how many data rows the whole file holds, from the rows so far in the bytes so
    /// far; bounded as the table's room for rows is ([`presize`]), whatever the start of the
    /// file suggests.
    pub fn rows_expected(&self) -> usize {
        let so_far = self.bytes_in.max(1) as f64;
        let guess = (self.rows() as f64 * self.total as f64 / so_far) as u64;
        presize(self.total, guess).max(self.rows())
    }

    /// The rows read so far (see [`TableBuilder::rows_so_far`]).
    pub fn rows_so_far(&self) -> Option<&Table> {
        let builder = self.decoding.as_ref()?.builder.as_ref()?;
        Some(builder.rows_so_far())
    }

    /// The header and dialect, once the header is read (see
    /// [`TableBuilder::header_so_far`]): what checking rows as they arrive needs.
    pub fn header_so_far(&self) -> Option<(Vec<String>, Dialect)> {
        let d = self.decoding.as_ref()?;
        let dialect = d.sniffed.as_ref()?.0;
        Some((d.builder.as_ref()?.header_so_far()?, dialect))
    }

    /// Takes the next piece of the file.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), PushError> {
        self.bytes_in += bytes.len() as u64;
        if self.decoding.is_none() {
            // Only the head is held; the rest of a big piece is decoded where it lies.
            let (first, rest) = bytes.split_at(bytes.len().min(HEAD - self.head.len()));
            self.head.extend_from_slice(first);
            if self.head.len() < HEAD {
                return Ok(());
            }
            let head = std::mem::take(&mut self.head);
            let whole = self.bytes_in >= self.total && rest.is_empty();
            self.begin(&head, whole)?;
            self.decode(&head, false)?;
            if rest.is_empty() {
                return Ok(());
            }
            return self.decode(rest, false);
        }
        self.decode(bytes, false)
    }

    /// Ends the file and returns what was read.
    pub fn finish(mut self) -> Result<Ingested, PushError> {
        if self.decoding.is_none() {
            let head = std::mem::take(&mut self.head);
            if head.is_empty() {
                return Err(IngestError::Empty.into());
            }
            self.begin(&head, true)?;
            self.decode(&head, true)?;
        } else {
            self.decode(&[], true)?;
        }
        let Some(mut d) = self.decoding.take() else {
            return Err(IngestError::Empty.into());
        };
        if d.sniffed.is_none() {
            self.start_table(&mut d)?;
        }
        let builder = d.builder.take().ok_or(IngestError::Empty)?;
        // The file had bytes (the head is read): no rows means only blank lines.
        let table = crate::ingest::usable(builder.finish()).map_err(|e| match e {
            IngestError::Empty => IngestError::Blank,
            other => other,
        })?;
        let (dialect, sniffed) = d.sniffed.unwrap_or_default();
        Ok(Ingested {
            encoding: d.encoding,
            detection: d.detection,
            decode_problems: d.problems,
            dialect,
            sniffed,
            table,
            preview: d.preview,
            head: d.head,
            sheet: None,
            guesses: d.guesses.unwrap_or_default().with_encoding(d.detection),
        })
    }

    /// Chooses the encoding from the head of the file.
    fn begin(&mut self, head: &[u8], whole: bool) -> Result<(), PushError> {
        sniff_format(head)?;
        let (encoding, detection, tentative) = match (self.overrides.encoding, self.forced) {
            (Some(e), _) => (e, Detection::Chosen, false),
            (None, Some((e, how))) => (e, how, false),
            (None, None) => detect_head(head, whole, self.legacy.as_deref())?,
        };
        if encoding != UTF_16LE && encoding != UTF_16BE && has_zero_byte(head) {
            return Err(IngestError::Binary.into());
        }
        // A BOM of the chosen encoding is not content; another BOM stays visible. It is
        // skipped here, where the start of the file is known, so the table keeps any later
        // U+FEFF as a character.
        let bom_left = match Encoding::for_bom(head) {
            Some((bom, len)) if bom == encoding => len,
            _ => 0,
        };
        let decoder = TextDecoder::new(encoding, self.legacy.as_deref())?;
        self.decoding = Some(Box::new(Decoding {
            encoding,
            detection,
            decoder,
            tentative,
            text: String::new(),
            pending: String::new(),
            sniffed: None,
            guesses: None,
            head: Vec::new(),
            builder: None,
            problems: Vec::new(),
            lines: 0,
            prev_cr: false,
            preview: String::new(),
            utf8_direct: encoding == UTF_8,
            carry: Vec::new(),
            bom_left,
            evidence: Utf8Evidence::default(),
            decoded_in: 0,
            decoded_out: 0,
        }));
        Ok(())
    }

    fn decode(&mut self, bytes: &[u8], last: bool) -> Result<(), PushError> {
        let Some(mut d) = self.decoding.take() else {
            return Ok(());
        };
        let result = self.decode_into(&mut d, bytes, last);
        self.decoding = Some(d);
        result
    }

    fn decode_into(&mut self, d: &mut Decoding, bytes: &[u8], last: bool) -> Result<(), PushError> {
        let mut src = bytes;
        if d.bom_left > 0 {
            let n = d.bom_left.min(src.len());
            d.bom_left -= n;
            src = &src[n..];
        }
        if d.utf8_direct && !d.carry.is_empty() {
            // Finish the character cut at the end of the last piece with the first bytes of
            // this one (at most three: no copy of the piece).
            let need = crate::decode::utf8_width(d.carry[0]).max(d.carry.len());
            let take = need.saturating_sub(d.carry.len()).min(src.len());
            d.carry.extend_from_slice(&src[..take]);
            src = &src[take..];
            if d.carry.len() < need && !last {
                return Ok(());
            }
            let carry = std::mem::take(&mut d.carry);
            self.decode_part(d, &carry, last && src.is_empty())?;
        }
        self.decode_part(d, src, last)?;
        if last && d.sniffed.is_none() {
            self.start_table(d)?;
        }
        Ok(())
    }

    /// Decodes bytes that start at a character boundary (or in the decoder's own state).
    fn decode_part(&mut self, d: &mut Decoding, bytes: &[u8], last: bool) -> Result<(), PushError> {
        let mut src = bytes;
        if d.utf8_direct {
            let valid = match crate::decode::utf8(src) {
                Ok(text) => text,
                // Valid up to a character cut at the end: keep its start for the next piece.
                Err(e) if e.error_len().is_none() && !last => {
                    d.carry.extend_from_slice(&src[e.valid_up_to()..]);
                    crate::decode::utf8(&src[..e.valid_up_to()]).unwrap_or("")
                }
                Err(e) => {
                    if e.error_len().is_none() {
                        // The file ends inside a character: a cut-off file, weaker evidence.
                        d.evidence.cut_at_end();
                    }
                    d.utf8_direct = false;
                    crate::decode::utf8(&src[..e.valid_up_to()]).unwrap_or("")
                }
            };
            // One pass counts both what the evidence needs and the line breaks.
            let tally = crate::decode::tally(valid.as_bytes());
            if d.tentative {
                d.evidence.add_leads(tally.leads);
            }
            let (n, ends_cr) =
                crate::decode::breaks_counted(valid.as_bytes(), d.prev_cr, tally.lf, tally.cr);
            d.lines += n;
            d.prev_cr = ends_cr;
            self.take_text(d, valid)?;
            src = &src[valid.len() + d.carry.len()..];
            if d.utf8_direct {
                return Ok(());
            }
        }
        // In bounded chunks: the decoder's output buffer is sized for the worst case.
        loop {
            let n = src.len().min(DECODE_CHUNK);
            let (chunk, rest) = src.split_at(n);
            self.decode_chunk(d, chunk, last && rest.is_empty())?;
            src = rest;
            if src.is_empty() {
                return Ok(());
            }
        }
    }

    fn decode_chunk(
        &mut self,
        d: &mut Decoding,
        bytes: &[u8],
        last: bool,
    ) -> Result<(), PushError> {
        let mut src = bytes;
        loop {
            d.text.clear();
            d.text
                .reserve(src.len().saturating_mul(3).saturating_add(16));
            let (done, read, replaced) = if d.tentative {
                // Stop at each bad byte, so the evidence is weighed exactly there whatever
                // the pieces were: the same file always gets the same decision.
                let (stop, read) = d.decoder.decode_until_malformed(src, &mut d.text, last)?;
                d.evidence.add_valid(d.text.as_bytes());
                match stop {
                    Stop::Done => (true, read, false),
                    Stop::Malformed => {
                        d.evidence.add_invalid();
                        if !d.evidence.is_utf8() {
                            let legacy = self.legacy.as_deref().ok_or(PushError::NeedsLegacy)?;
                            let guess = legacy
                                .guess(bytes, last)
                                .map_err(crate::text_decoder::legacy_failed)?;
                            if guess != UTF_8 {
                                return Err(PushError::Restart(guess));
                            }
                            // The guess reads it as UTF-8 too: keep it, with the bytes listed.
                            d.tentative = false;
                        }
                        d.text.push('\u{FFFD}');
                        (false, read, true)
                    }
                }
            } else {
                let replaced = d.decoder.decode(src, &mut d.text, last)?;
                (true, src.len(), replaced)
            };
            if replaced {
                if d.encoding == UTF_8 && d.detection == Detection::ValidUtf8 {
                    d.detection = Detection::MostlyUtf8;
                }
                note_problems(d);
            }
            count_lines(d);
            d.decoded_in += read as u64;
            d.decoded_out += d.text.len() as u64;
            let text = std::mem::take(&mut d.text);
            self.take_text(d, &text)?;
            d.text = text;
            src = &src[read..];
            if done {
                return Ok(());
            }
        }
    }

    /// Passes decoded text to the table, holding it until the dialect is sniffed.
    fn take_text(&mut self, d: &mut Decoding, text: &str) -> Result<(), PushError> {
        if text.is_empty() {
            return Ok(());
        }
        if d.preview.chars().count() < 400 {
            d.preview
                .extend(text.chars().take(400 - d.preview.chars().count()));
        }
        match d.builder.as_mut() {
            Some(b) => b
                .push(text)
                .map_err(|e| PushError::Failed(IngestError::Table(e))),
            None => {
                // Hold only what the sniffer reads; the rest goes straight to the table.
                let mut cut = HEAD.saturating_sub(d.pending.len()).min(text.len());
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                let (first, rest) = text.split_at(cut);
                d.pending.push_str(first);
                if d.pending.len() >= HEAD {
                    self.start_table(d)?;
                    if !rest.is_empty() {
                        return self.take_text(d, rest);
                    }
                }
                Ok(())
            }
        }
    }

    /// Sniffs the dialect from the held text and starts the table with it.
    fn start_table(&mut self, d: &mut Decoding) -> Result<(), PushError> {
        let pending = std::mem::take(&mut d.pending);
        let report = dialect::sniff_report(&pending);
        let sniffed = report.dialect;
        let dialect = apply(&pending, sniffed, &self.overrides);
        d.guesses = Some(crate::guess::Guesses::of_dialect(&report, &self.overrides));
        // The table holds about as many bytes as the decoded file: size it once, so a big
        // file never needs the arena copied while it grows. UTF-8 read directly never makes
        // more text than bytes (a replaced bad byte adds two, but each line break the table
        // leaves out takes one away; past the room, the arena grows as usual); through a
        // decoder, the text the bytes so far made tells (Windows-1252 accents take two bytes
        // of UTF-8, UTF-16 ASCII one of two).
        let factor = match (d.decoded_in, d.encoding) {
            (0, e) if e == UTF_16LE || e == UTF_16BE => 0.6,
            (0, _) => 1.0,
            (_, e) if e == UTF_8 => 1.0,
            (bytes, _) => d.decoded_out as f64 / bytes as f64 * 1.05,
        };
        let text_len = (self.total as f64 * factor) as usize;
        let mut builder = TableBuilder::new(&dialect, text_len.saturating_add(4096)).bom_removed();
        builder
            .push(&pending)
            .map_err(|e| PushError::Failed(IngestError::Table(e)))?;
        // Rows in proportion to what the sample really held (the records parsed, not its
        // line breaks: a first record of many quoted line breaks is one row), plus a tenth;
        // never more than a file of this size can hold, whatever the sample says.
        if !pending.is_empty() && (pending.len() as u64) < self.total {
            let scale = self.total as f64 / pending.len() as f64 * 1.1;
            builder.reserve(presize(self.total, (builder.rows() as f64 * scale) as u64));
        }
        d.head = crate::ingest::head_records(&pending, &dialect);
        d.builder = Some(builder);
        d.sniffed = Some((dialect, sniffed));
        Ok(())
    }
}

/// Rows to reserve for a file of `total` bytes when the sample suggests `rows`: a data row
/// takes at least two bytes of the file (a character and a line break), so no more is ever
/// reserved than that, nor more than 64 Mi rows (past those the table grows as rows really
/// arrive).
pub(crate) fn presize(total: u64, rows: u64) -> usize {
    usize::try_from(rows.min(total / 2 + 1).min(1 << 26)).unwrap_or(0)
}

/// The dialect after the person's overrides.
pub(crate) fn apply(text: &str, sniffed: Dialect, overrides: &Overrides) -> Dialect {
    let mut d = sniffed;
    if overrides.delimiter.is_some() || overrides.quote.is_some() {
        let again = dialect::sniff_with(
            text,
            overrides.delimiter.unwrap_or(d.delimiter),
            overrides.quote.unwrap_or(d.quote),
        );
        d = Dialect {
            line_ending: d.line_ending,
            ..again
        };
    }
    if let Some(h) = overrides.header_record {
        d.header_record = h;
    }
    d
}

/// The encoding of a file from its head: BOM, UTF-16 pattern, UTF-8 (tentative unless the
/// head is the whole file), or a guess. A head with bytes that are not UTF-8 is still UTF-8
/// when its valid multi-byte characters clearly outnumber them (see [`Utf8Evidence`]): one
/// stray byte must not turn every `ü` of a file into `Ã¼`.
fn detect_head(
    head: &[u8],
    whole: bool,
    legacy: Option<&dyn Legacy>,
) -> Result<(&'static Encoding, Detection, bool), PushError> {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return Ok((enc, Detection::Bom, false));
    }
    let (enc, how) = crate::decode::detect_without_utf8_check(head);
    if let Some(enc) = enc {
        return Ok((enc, how, false));
    }
    let evidence = Utf8Evidence::of(head, whole);
    if evidence.all_valid() {
        return Ok((UTF_8, Detection::ValidUtf8, !whole));
    }
    if evidence.is_utf8() {
        return Ok((UTF_8, Detection::MostlyUtf8, !whole));
    }
    // Zero bytes are binary in every encoding the guess can name (it never names UTF-16):
    // said here, so that a binary file never waits for the older encodings to load.
    if has_zero_byte(head) {
        return Err(IngestError::Binary.into());
    }
    let guess = legacy
        .ok_or(PushError::NeedsLegacy)?
        .guess(head, whole)
        .map_err(crate::text_decoder::legacy_failed)?;
    Ok((guess, Detection::Guessed, false))
}

/// Whether the first 8 KB hold a zero byte, which no text but UTF-16 has.
fn has_zero_byte(head: &[u8]) -> bool {
    head.iter().take(8192).any(|b| *b == 0)
}

/// Records a problem on each line of the just-decoded text that holds U+FFFD.
fn note_problems(d: &mut Decoding) {
    let mut line = d.lines + 1;
    let mut prev_cr = d.prev_cr;
    for c in d.text.chars() {
        match c {
            '\n' if prev_cr => {}
            '\n' | '\r' => line += 1,
            '\u{FFFD}' => match d.problems.last_mut() {
                Some(p) if p.line == line => p.count += 1,
                _ => d.problems.push(DecodeProblem { line, count: 1 }),
            },
            _ => {}
        }
        prev_cr = c == '\r';
    }
}

/// Counts the line breaks of the just-decoded text (for the lines of later problems).
fn count_lines(d: &mut Decoding) {
    let text = std::mem::take(&mut d.text);
    count_text_lines(d, &text);
    d.text = text;
}

fn count_text_lines(d: &mut Decoding, text: &str) {
    let (n, ends_cr) = crate::decode::breaks_after(text.as_bytes(), d.prev_cr);
    d.lines += n;
    d.prev_cr = ends_cr;
}

/// Reads a whole file held in memory, restarting once if the start misled the detection.
pub fn read_all(
    bytes: &[u8],
    overrides: &Overrides,
    piece: usize,
) -> Result<Ingested, IngestError> {
    let run = |mut r: StreamReader| -> Result<Ingested, PushError> {
        for chunk in bytes.chunks(piece.max(1)) {
            r.push(chunk)?;
        }
        r.finish()
    };
    let failed = |e: PushError| match e {
        PushError::Failed(f) => f,
        PushError::Restart(_) => IngestError::Binary,
        PushError::NeedsLegacy => {
            IngestError::LegacyDecoder("the older encodings are not part of this build".into())
        }
    };
    match run(StreamReader::new(bytes.len() as u64, *overrides)) {
        Ok(i) => Ok(i),
        Err(PushError::Restart(enc)) => {
            run(StreamReader::restart(bytes.len() as u64, *overrides, enc)).map_err(failed)
        }
        Err(e) => Err(failed(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Also run in wasm32, where `usize` is 32 bits (see `wasm_width`).
    #[test]
    pub(crate) fn the_rows_expected_never_pass_what_the_file_can_hold() {
        // A start of one-character rows, in a file said to be 1 GB: the guess from the start
        // (hundreds of millions of rows) is held to the bound the table's room has.
        let mut r = StreamReader::new(1_000_000_000, Overrides::default());
        let head = "h\n".to_string() + &"a\n".repeat(40_000);
        r.push(head.as_bytes()).unwrap();
        assert!(r.rows() > 30_000);
        assert!(r.rows_expected() >= r.rows());
        assert!(r.rows_expected() <= 1 << 26, "{}", r.rows_expected());
    }

    fn rows(i: &Ingested) -> Vec<(u64, Vec<String>)> {
        i.table
            .rows()
            .map(|r| (r.line(), r.fields().map(str::to_string).collect()))
            .collect()
    }

    const FILES: &[&[u8]] = &[
        include_bytes!("../../../tests/data/seed-contacts.tsv"),
        include_bytes!("../../../tests/data/contacts-with-problems.csv"),
        include_bytes!("../../../tests/data/contacts-windows-1252.csv"),
        include_bytes!("../../../tests/data/contacts-excel-unicode.txt"),
        include_bytes!("../../../tests/data/customers-semicolon.csv"),
    ];

    #[test]
    fn any_piece_size_reads_every_sample_the_same() {
        for file in FILES {
            let whole = read_all(file, &Overrides::default(), usize::MAX).unwrap();
            for piece in [1, 2, 3, 7, 64, 1000] {
                let i = read_all(file, &Overrides::default(), piece).unwrap();
                assert_eq!(rows(&i), rows(&whole), "piece {piece}");
                assert_eq!(
                    (i.encoding, i.dialect),
                    (whole.encoding, whole.dialect),
                    "piece {piece}"
                );
            }
        }
    }

    /// Reads `bytes` in `piece`-byte pieces with `reader`.
    fn read_with(
        mut reader: StreamReader,
        bytes: &[u8],
        piece: usize,
    ) -> Result<Ingested, PushError> {
        for chunk in bytes.chunks(piece) {
            reader.push(chunk)?;
        }
        reader.finish()
    }

    #[test]
    fn without_the_older_encodings_a_file_that_needs_them_asks_for_them() {
        let without = |bytes: &[u8], overrides: Overrides| {
            StreamReader::new(bytes.len() as u64, overrides).with_legacy(None)
        };
        let ask = Err(PushError::NeedsLegacy);
        // A head that must be guessed among them; one of them chosen by the person; a
        // restart in one of them.
        assert_eq!(
            read_with(without(FILES[2], Overrides::default()), FILES[2], 100),
            ask
        );
        let chosen = Overrides {
            encoding: Some(encoding_rs::WINDOWS_1252),
            ..Overrides::default()
        };
        assert_eq!(read_with(without(FILES[1], chosen), FILES[1], 100), ask);
        let restart = StreamReader::restart(
            FILES[2].len() as u64,
            Overrides::default(),
            encoding_rs::WINDOWS_1252,
        );
        assert_eq!(read_with(restart.with_legacy(None), FILES[2], 100), ask);
        // A late byte that is not UTF-8, in a file that started as UTF-8.
        let mut late = b"email,name\n".to_vec();
        for i in 0..9000 {
            late.extend_from_slice(format!("user{i}@example.com,Plain Ascii\n").as_bytes());
        }
        late.extend_from_slice(b"francois@exemple.fr,Fran\xE7ois\n");
        assert_eq!(
            read_with(without(&late, Overrides::default()), &late, 4096),
            ask
        );
        // UTF-8, UTF-8 with a BOM and UTF-16 never ask, and read as with them.
        for file in [FILES[0], FILES[1], FILES[3], FILES[4]] {
            let read = read_with(without(file, Overrides::default()), file, 100).unwrap();
            assert_eq!(read, read_all(file, &Overrides::default(), 100).unwrap());
        }
        // Nor does a binary file: it is binary before any guess.
        let binary: Vec<u8> = (0..5000)
            .map(|i| [0xE9, 0x00, b'A', b'B', b'C'][i % 5])
            .collect();
        assert_eq!(
            read_with(without(&binary, Overrides::default()), &binary, 1000),
            Err(PushError::Failed(IngestError::Binary))
        );
    }

    #[test]
    fn a_late_legacy_byte_restarts_with_the_guess() {
        let mut file = b"email,name\n".to_vec();
        for i in 0..9000 {
            file.extend_from_slice(format!("user{i}@example.com,Plain Ascii\n").as_bytes());
        }
        file.extend_from_slice(b"francois@exemple.fr,Fran\xE7ois Lef\xE8vre caf\xE9\n");
        assert!(file.len() > HEAD);
        let mut r = StreamReader::new(file.len() as u64, Overrides::default());
        let err = file
            .chunks(4096)
            .try_for_each(|c| r.push(c))
            .and_then(|_| r.finish().map(|_| ()));
        assert!(
            matches!(err, Err(PushError::Restart(e)) if e.name() == "windows-1252"),
            "{err:?}"
        );
        let i = read_all(&file, &Overrides::default(), 4096).unwrap();
        assert_eq!(i.encoding.name(), "windows-1252");
        assert_eq!(
            i.table.row(9000).unwrap().get(1),
            Some("François Lefèvre café")
        );
        assert!(i.decode_problems.is_empty());
    }

    #[test]
    fn a_stray_byte_in_utf8_is_reported_on_its_line() {
        let mut file = "name\nJürgen\n".as_bytes().to_vec();
        file.extend_from_slice(b"bad \xFF here\nok\n");
        let i = read_all(
            &file,
            &Overrides {
                encoding: Some(UTF_8),
                ..Default::default()
            },
            3,
        )
        .unwrap();
        assert_eq!(i.decode_problems, vec![DecodeProblem { line: 3, count: 1 }]);
    }

    #[test]
    fn the_samples_decode_as_their_readme_says() {
        let w = read_all(FILES[2], &Overrides::default(), 100).unwrap();
        assert_eq!(w.encoding.name(), "windows-1252");
        let u = read_all(FILES[3], &Overrides::default(), 100).unwrap();
        assert_eq!(u.encoding.name(), "UTF-16LE");
        assert_eq!(u.dialect.delimiter, b'\t');
        assert_eq!(rows(&w), rows(&u), "the two exports hold identical rows");
        assert!(
            rows(&w)
                .iter()
                .any(|r| r.1.contains(&"O’Connor".to_string()))
        );
        assert!(rows(&w).iter().any(|r| r.1.iter().any(|c| c.contains('€'))));
        let s = read_all(FILES[4], &Overrides::default(), 100).unwrap();
        assert_eq!((s.dialect.delimiter, s.dialect.decimal_comma), (b';', true));
        assert_eq!(
            s.table.headers()[0],
            "reference",
            "the BOM is not part of the first header"
        );
        assert_eq!(s.table.row(0).unwrap().get(2), Some("12500,50"));
    }
}

#[cfg(test)]
mod guess_tests {
    use super::*;
    use crate::guess::{Certainty, Doubt};

    fn cells(i: &Ingested) -> Vec<Vec<String>> {
        i.table
            .rows()
            .map(|r| r.fields().map(str::to_string).collect())
            .collect()
    }

    /// Reads with several piece sizes and checks they agree; returns the whole read.
    fn read_every_way(file: &[u8]) -> Ingested {
        let whole = read_all(file, &Overrides::default(), usize::MAX).unwrap();
        for piece in [1, 2, 3, 4, 7, 64] {
            let i = read_all(file, &Overrides::default(), piece).unwrap();
            assert_eq!(cells(&i), cells(&whole), "piece {piece}");
            assert_eq!(
                (i.encoding, i.detection, &i.decode_problems, i.guesses),
                (
                    whole.encoding,
                    whole.detection,
                    &whole.decode_problems,
                    whole.guesses
                ),
                "piece {piece}"
            );
        }
        whole
    }

    #[test]
    fn one_stray_byte_keeps_a_utf8_file_utf8() {
        let i = read_every_way(b"name,city\r\nFran\xC3\xA7ois,Z\xC3\xBCrich\r\nRen\xE9,Paris\r\n");
        assert_eq!(i.encoding, UTF_8);
        assert_eq!(i.detection, Detection::MostlyUtf8);
        assert_eq!(
            cells(&i),
            [["François", "Zürich"], ["Ren\u{fffd}", "Paris"]]
        );
        assert_eq!(i.decode_problems, [DecodeProblem { line: 3, count: 1 }]);
        assert_eq!(i.guesses.encoding, Certainty::Uncertain(Doubt::StrayBytes));
    }

    #[test]
    fn a_cut_off_last_character_keeps_a_utf8_file_utf8() {
        let i = read_every_way(b"name,city\nJ\xC3\xBCrgen,Z\xC3\xBCrich\nZo\xC3");
        assert_eq!((i.encoding, i.detection), (UTF_8, Detection::MostlyUtf8));
        assert_eq!(cells(&i)[1], ["Zo\u{fffd}"]);
        assert_eq!(i.decode_problems, [DecodeProblem { line: 3, count: 1 }]);
        // With one valid character only, a cut-off one still leaves it UTF-8.
        let i = read_every_way(b"name\nJ\xC3\xBCrgen\nZo\xC3");
        assert_eq!(i.encoding, UTF_8);
    }

    #[test]
    fn the_stray_byte_sample_stays_utf8() {
        let i = read_every_way(include_bytes!(
            "../../../tests/data/contacts-utf8-one-stray-byte.csv"
        ));
        assert_eq!(i.encoding, UTF_8);
        let all: Vec<String> = cells(&i).concat();
        for name in [
            "François",
            "Müller",
            "Zürich",
            "Zoë",
            "Châtelet",
            "Besançon",
        ] {
            assert!(all.iter().any(|c| c == name), "{name} in {all:?}");
        }
        assert_eq!(i.decode_problems, [DecodeProblem { line: 3, count: 1 }]);
        assert_eq!(i.table.row(1).unwrap().get(1), Some("Ren\u{fffd}"));
    }

    #[test]
    fn a_windows_1252_file_is_still_windows_1252() {
        let i = read_every_way(include_bytes!(
            "../../../tests/data/contacts-windows-1252.csv"
        ));
        assert_eq!(
            (i.encoding.name(), i.detection),
            ("windows-1252", Detection::Guessed)
        );
        assert!(i.decode_problems.is_empty());
        assert_eq!(i.guesses.encoding, Certainty::Likely);
        let i = read_every_way(b"name,city\nFran\xE7ois,Z\xFCrich\nRen\xE9,Paris\n");
        assert_eq!(i.encoding.name(), "windows-1252");
    }

    #[test]
    fn a_late_stray_byte_after_many_utf8_characters_is_listed_not_restarted() {
        let mut file = b"email,name\n".to_vec();
        for i in 0..9000 {
            file.extend_from_slice(format!("user{i}@example.com,J\u{fc}rgen\n").as_bytes());
        }
        file.extend_from_slice(b"rene@example.fr,Ren\xE9\n");
        assert!(file.len() > HEAD);
        let i = read_all(&file, &Overrides::default(), 4096).unwrap();
        assert_eq!((i.encoding, i.detection), (UTF_8, Detection::MostlyUtf8));
        assert_eq!(i.table.row(9000).unwrap().get(1), Some("Ren\u{fffd}"));
        assert_eq!(
            i.decode_problems,
            [DecodeProblem {
                line: 9002,
                count: 1
            }]
        );
    }

    #[test]
    fn the_apostrophe_samples_keep_one_row_per_line() {
        let i = read_every_way(include_bytes!(
            "../../../tests/data/products-apostrophe-codes.csv"
        ));
        assert_eq!(i.dialect.quote, b'"');
        assert_eq!(i.guesses.quote, Certainty::Uncertain(Doubt::ApostropheKept));
        assert_eq!(
            cells(&i),
            [
                ["'00123", "Widget"],
                ["'00456", "Gadget"],
                ["'00789", "Doohickey"],
                ["'01000", "Thing"]
            ]
        );
        let i = read_every_way(include_bytes!(
            "../../../tests/data/people-dutch-places.csv"
        ));
        assert_eq!(
            cells(&i),
            [
                ["Jan", "'s-Gravenhage", "2500"],
                ["Piet", "'s-Hertogenbosch", "5200"],
                ["Kees", "'t Harde", "8084"],
                ["Anna", "'t Zandt", "9915"],
                ["Mia", "Utrecht", "3500"],
            ]
        );
        let lines: Vec<u64> = i.table.rows().map(|r| r.line()).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
    }

    #[test]
    fn pieces_that_cut_characters_inside_quotes_read_the_same() {
        // A piece holding only the first byte of a character must not end the record.
        read_every_way("id,note\n1,\"é\né\"\n2,\"ü,x\"\n3,\"€\"\n".as_bytes());
        read_every_way(b"id,note\n1,\"\xE9\n\xE9\"\n2,\"\xFC,x\"\n3,\"caf\xE9\"\n");
    }

    #[test]
    fn a_feff_inside_the_file_is_a_character_and_the_bom_is_not() {
        let i = read_every_way("id,note\n\u{feff}\"1,x\n2,y\n3,z\n".as_bytes());
        assert_eq!(cells(&i), [["\u{feff}\"1", "x"], ["2", "y"], ["3", "z"]]);
        let i = read_every_way("\u{feff}\u{feff}id,note\n1,x\n".as_bytes());
        assert_eq!(i.table.headers(), ["\u{feff}id", "note"]);
        let i = read_every_way("\u{feff}id,note\n1,x\n".as_bytes());
        assert_eq!(i.table.headers(), ["id", "note"]);
    }

    #[test]
    fn a_first_record_of_many_line_breaks_does_not_inflate_the_table() {
        let mut file = b"id,a,b,c,d,e,f,g,h,note\n1,,,,,,,,,\"".to_vec();
        file.extend(std::iter::repeat_n(b'\n', 60_000));
        file.extend_from_slice(b"\"\n");
        while file.len() < 10 << 20 {
            file.extend_from_slice(b"2,a,b,c,d,e,f,g,h,a longer note to make the row typical\n");
        }
        let i = read_all(&file, &Overrides::default(), 1 << 16).unwrap();
        assert!(i.table.len() > 150_000);
        assert!(
            i.table.heap_bytes() < 3 * file.len(),
            "{} bytes of table for a {} byte file",
            i.table.heap_bytes(),
            file.len()
        );
    }

    #[test]
    fn pre_sizing_is_bounded_by_the_file() {
        assert_eq!(presize(10, 1 << 40), 6);
        assert_eq!(presize(10 << 20, 100), 100);
        assert_eq!(presize(u64::MAX, u64::MAX), 1 << 26);
    }
}

#[cfg(test)]
mod head_tests {
    #[test]
    fn the_first_records_are_offered_as_header_rows() {
        let f = include_bytes!("../../../tests/data/contacts-with-problems.csv");
        let i = super::read_all(f, &Default::default(), 100).unwrap();
        assert_eq!(i.head.len(), 12);
        assert_eq!(
            (i.head[0].line, i.head[0].cells[0].as_str()),
            (1, "C_EmailAddress")
        );
        assert_eq!(
            i.head[8].line, 9,
            "a quoted newline does not shift the lines"
        );
    }
}

/// The bound on the rows expected, in wasm32 (32-bit `usize`):
/// `cargo test --target wasm32-unknown-unknown -p bulk-core --lib wasm_width`.
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_rows_expected_never_pass_what_the_file_can_hold() {
        super::tests::the_rows_expected_never_pass_what_the_file_can_hold();
    }
}
