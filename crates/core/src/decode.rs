//! Bytes to text. The encoding is found the way a careful person would: a byte order mark
//! wins; then bytes that are valid UTF-8 are UTF-8; then UTF-16 without a BOM is recognised
//! by its zero bytes; bytes that are mostly UTF-8 (valid multi-byte characters clearly
//! outnumber the invalid bytes) stay UTF-8, with the invalid bytes listed; otherwise chardetng
//! (Firefox's detector) guesses among the legacy encodings. A person can override the choice. Bytes that are not valid in the chosen
//! encoding are never hidden: each one is reported with its line, and the person decides.

#[cfg(feature = "legacy")]
use encoding_rs::UTF_8;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// How the encoding was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Detection {
    /// A byte order mark said so.
    Bom,
    /// Every byte sequence is valid UTF-8 (plain ASCII included).
    ValidUtf8,
    /// Valid UTF-8 characters clearly outnumber the few bytes that are not: still UTF-8, and
    /// those bytes are listed by line (a stray byte from a copy-paste, a cut-off last
    /// character).
    MostlyUtf8,
    /// Zero bytes in every other position: UTF-16 without a BOM.
    Utf16Pattern,
    /// A statistical guess among legacy encodings.
    Guessed,
    /// The person chose it.
    Chosen,
}

impl Detection {
    /// A few words for people: "from its byte order mark", ...
    pub fn describe(self) -> &'static str {
        match self {
            Detection::Bom => "from its byte order mark",
            Detection::ValidUtf8 => "every character is valid UTF-8",
            Detection::MostlyUtf8 => {
                "nearly every character is valid UTF-8; the bytes that are not are listed by line"
            }
            Detection::Utf16Pattern => "from its pattern of zero bytes",
            Detection::Guessed => "a statistical guess; check the preview",
            Detection::Chosen => "chosen by you",
        }
    }
}

/// Bytes that could not be decoded on one line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecodeProblem {
    /// The 1-based physical line.
    pub line: u64,
    /// How many invalid sequences are on it.
    pub count: usize,
}

/// The decoded text and how it was decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, BOM removed; invalid sequences are U+FFFD and listed in `problems`.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why this encoding.
    pub detection: Detection,
    /// The lines with invalid byte sequences.
    pub problems: Vec<DecodeProblem>,
}

/// The encodings offered when a person overrides the detection, most common first.
pub const CHOICES: &[&str] = &[
    "UTF-8",
    "windows-1252",
    "UTF-16LE",
    "UTF-16BE",
    "ISO-8859-15",
    "windows-1250",
    "windows-1251",
    "windows-1253",
    "windows-1254",
    "windows-1257",
    "ISO-8859-2",
    "KOI8-R",
    "Shift_JIS",
    "EUC-JP",
    "GBK",
    "gb18030",
    "Big5",
    "EUC-KR",
    "macintosh",
    "IBM866",
];

/// The encoding for a WHATWG label ("latin1", "utf-16le", "Windows-1252", ...).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// How many bytes of the file feed the statistical guess: plenty for a verdict, bounded so
/// a 100 MB file is not scanned twice.
#[cfg(feature = "legacy")]
const GUESS_SAMPLE: usize = 1 << 20;

/// Chooses the encoding of `bytes` (the whole file in memory; with the `legacy` feature).
///
/// ```
/// use bulk_core::decode::{detect, Detection};
/// assert_eq!(detect(b"\xEF\xBB\xBFa,b").0.name(), "UTF-8");
/// assert_eq!(detect(b"caf\xC3\xA9").1, Detection::ValidUtf8);
/// assert_eq!(detect(b"caf\xE9 cr\xE8me, na\xEFve fa\xE7ade").0.name(), "windows-1252");
/// ```
#[cfg(feature = "legacy")]
pub fn detect(bytes: &[u8]) -> (&'static Encoding, Detection) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, Detection::Bom);
    }
    // Before UTF-8: ASCII text in UTF-16 is also valid UTF-8, zero bytes included.
    if let Some(enc) = utf16_by_zero_bytes(bytes) {
        return (enc, Detection::Utf16Pattern);
    }
    if utf8(bytes).is_ok() {
        return (UTF_8, Detection::ValidUtf8);
    }
    let sample = &bytes[..bytes.len().min(GUESS_SAMPLE)];
    if Utf8Evidence::of(sample, sample.len() == bytes.len()).is_utf8() {
        return (UTF_8, Detection::MostlyUtf8);
    }
    // The built-in guess cannot fail; UTF-8 is what a failure would leave.
    let guess = crate::legacy::builtin()
        .and_then(|l| l.guess(sample, sample.len() == bytes.len()).ok())
        .unwrap_or(UTF_8);
    (guess, Detection::Guessed)
}

/// How many bytes a UTF-8 sequence starting with `lead` has (1 for a byte that cannot start
/// one: it is invalid alone).
pub(crate) fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

/// The evidence that bytes which are not all valid UTF-8 are UTF-8 all the same: the
/// valid multi-byte characters against the invalid sequences. In a legacy single-byte
/// encoding, a letter above ASCII is almost never followed by the continuation bytes UTF-8
/// needs, so text that has many valid multi-byte characters and a few invalid bytes is
/// UTF-8 with a few stray bytes, not Windows-1252 (whose reading would turn every valid
/// character into two of mojibake).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Utf8Evidence {
    /// Valid characters of two to four bytes.
    multi: u64,
    /// Invalid sequences (a cut-off last character included).
    invalid: u64,
    /// Of those, a valid start of a character cut off by the end of the file: weaker
    /// evidence against UTF-8 (a truncated file), so it weighs half.
    cut: u64,
}

impl Utf8Evidence {
    /// The evidence in `bytes`; `whole`: they are the whole file, so a character cut at
    /// their end is cut in the file.
    pub(crate) fn of(bytes: &[u8], whole: bool) -> Utf8Evidence {
        let mut e = Utf8Evidence::default();
        let mut rest = bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    e.add_valid(text.as_bytes());
                    return e;
                }
                Err(err) => {
                    let (valid, tail) = rest.split_at(err.valid_up_to());
                    e.add_valid(valid);
                    match err.error_len() {
                        Some(n) => {
                            e.invalid += 1;
                            rest = tail.get(n..).unwrap_or_default();
                        }
                        None => {
                            if whole {
                                e.invalid += 1;
                                e.cut += 1;
                            }
                            return e;
                        }
                    }
                }
            }
        }
    }

    /// Counts the multi-byte characters of valid UTF-8 text.
    pub(crate) fn add_valid(&mut self, text: &[u8]) {
        // Each multi-byte character has exactly one lead byte (0xC0 and up).
        self.add_leads(tally(text).leads);
    }

    /// Counts `leads` multi-byte characters of valid text (already tallied).
    pub(crate) fn add_leads(&mut self, leads: u64) {
        self.multi += leads;
    }

    /// Counts one invalid sequence.
    pub(crate) fn add_invalid(&mut self) {
        self.invalid += 1;
    }

    /// The next replacement is a character cut off by the end of the file.
    pub(crate) fn cut_at_end(&mut self) {
        self.cut += 1;
    }

    /// True when every byte so far was valid.
    pub(crate) fn all_valid(&self) -> bool {
        self.invalid == 0 && self.cut == 0
    }

    /// UTF-8 wins when its valid multi-byte characters are at least twice the invalid
    /// sequences (a cut-off last character counts half).
    pub(crate) fn is_utf8(&self) -> bool {
        let cut = self.cut.min(self.invalid);
        self.multi > 0 && self.multi >= 2 * (self.invalid - cut) + cut
    }
}

/// The detections that come before the UTF-8 check (today: UTF-16 by its zero bytes).
pub(crate) fn detect_without_utf8_check(bytes: &[u8]) -> (Option<&'static Encoding>, Detection) {
    (utf16_by_zero_bytes(bytes), Detection::Utf16Pattern)
}

/// UTF-16 text of mostly Latin script has a zero in every other byte. Text in another script
/// (Cyrillic, Chinese, ...) has zeros only in its ASCII characters: delimiters, line breaks,
/// digits, addresses. Such a sample is taken as UTF-16 when those zeros are all on one side,
/// it has a line break, and its code units are text: no control characters but tab and line
/// breaks, no unpaired surrogate. (SQL Server's `bcp -w` writes UTF-16 without a BOM.)
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(UTF_16BE)
    } else if odd * 10 >= pairs && even * 20 <= pairs && utf16_text(sample, false) {
        Some(UTF_16LE)
    } else if even * 10 >= pairs && odd * 20 <= pairs && utf16_text(sample, true) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `sample` reads as UTF-16 text with a line break (see [`utf16_by_zero_bytes`]); a
/// surrogate cut by the end of the sample is fine.
fn utf16_text(sample: &[u8], big_endian: bool) -> bool {
    let units = sample.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut line_break = false;
    // A leading surrogate waits for its trailing one, and a trailing one needs its lead.
    let mut lead = false;
    for u in units {
        if lead != (0xDC00..0xE000).contains(&u) {
            return false;
        }
        lead = false;
        match u {
            0x0A | 0x0D => line_break = true,
            0x09 => {}
            0x00..0x20 | 0x7F => return false,
            0xD800..0xDC00 => lead = true,
            _ => {}
        }
    }
    line_break
}

/// Decodes `bytes`, detecting the encoding unless `choice` names one (the whole file in
/// memory; with the `legacy` feature).
///
/// ```
/// use bulk_core::decode::decode;
/// let d = decode(b"name\nJ\xFCrgen\n", None);
/// assert_eq!(d.text, "name\nJürgen\n");
/// assert_eq!(d.encoding.name(), "windows-1252");
/// let d = decode(b"a\n\xFF\n", Some(encoding_rs::UTF_8));
/// assert_eq!(d.problems[0].line, 2);
/// ```
#[cfg(feature = "legacy")]
pub fn decode(bytes: &[u8], choice: Option<&'static Encoding>) -> Decoded {
    use encoding_rs::DecoderResult;
    let (encoding, detection) = match choice {
        Some(enc) => (enc, Detection::Chosen),
        None => detect(bytes),
    };
    // A BOM of the chosen encoding is not content; a BOM of another encoding is left alone
    // so the person sees why their choice looks wrong.
    let body = match Encoding::for_bom(bytes) {
        Some((enc, len)) if enc == encoding => &bytes[len..],
        _ => bytes,
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len()),
    );
    let mut problems: Vec<DecodeProblem> = Vec::new();
    let mut src = body;
    let mut line = 1u64;
    let mut counted = 0usize;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut text, true);
        src = &src[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(src.len())
                    .unwrap_or(src.len())
                    .max(16);
                text.reserve(more);
            }
            DecoderResult::Malformed(_, _) => {
                line += count_line_breaks(&text[counted..]);
                counted = text.len();
                match problems.last_mut() {
                    Some(p) if p.line == line => p.count += 1,
                    _ => problems.push(DecodeProblem { line, count: 1 }),
                }
                text.push('\u{FFFD}');
            }
        }
    }
    Decoded {
        text,
        encoding,
        detection,
        problems,
    }
}

/// Validates UTF-8 as [`std::str::from_utf8`] does, with the same error (position and
/// length), but with SIMD (simdutf8): the reader validates every byte of a big file, and
/// the standard library's validator is about half as fast, in wasm especially.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::compat::Utf8Error> {
    simdutf8::compat::from_utf8(bytes)
}

/// What one pass over a piece of valid text counts: the lead bytes of multi-byte
/// characters (for [`Utf8Evidence`]) and the line feeds and carriage returns (for the lines
/// of decode problems).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Bytes 0xC0 and up: one per multi-byte character of valid UTF-8.
    pub(crate) leads: u64,
    /// `\n` bytes.
    pub(crate) lf: u64,
    /// `\r` bytes.
    pub(crate) cr: u64,
}

/// Counts leads, LFs and CRs of `bytes` in one pass. The reader runs this over every byte of
/// a file while its encoding is still tentative (the whole file, in practice), so it is
/// written to be vectorised: each of 16 lanes counts in a byte, and the lanes are summed
/// every 255 blocks, before a byte counter could overflow. Three separate passes (a filter
/// and two `memchr` counts) cost about three times as much.
pub(crate) fn tally(bytes: &[u8]) -> Tally {
    let (blocks, rest) = bytes.as_chunks::<16>();
    let mut t = Tally::default();
    for group in blocks.chunks(255) {
        let g = tally_blocks(group);
        t.leads += g.leads;
        t.lf += g.lf;
        t.cr += g.cr;
    }
    for &b in rest {
        t.leads += u64::from(b >= 0xC0);
        t.lf += u64::from(b == b'\n');
        t.cr += u64::from(b == b'\r');
    }
    t
}

/// [`tally`] of at most 255 blocks, portably: LLVM vectorises this on x86-64, where it
/// runs at memory speed.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn tally_blocks(group: &[[u8; 16]]) -> Tally {
    let (mut leads, mut lf, mut cr) = ([0u8; 16], [0u8; 16], [0u8; 16]);
    for block in group {
        for j in 0..16 {
            leads[j] += u8::from(block[j] >= 0xC0);
            lf[j] += u8::from(block[j] == b'\n');
            cr[j] += u8::from(block[j] == b'\r');
        }
    }
    let sum = |lanes: [u8; 16]| lanes.iter().map(|n| u64::from(*n)).sum::<u64>();
    Tally {
        leads: sum(leads),
        lf: sum(lf),
        cr: sum(cr),
    }
}

/// [`tally`] of at most 255 blocks with wasm's 128-bit SIMD: LLVM does not vectorise the
/// portable loop for wasm, where it took 18% of reading the 100 MB file in Node. A true
/// comparison is all ones (-1) in a lane, so subtracting it counts one.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn tally_blocks(group: &[[u8; 16]]) -> Tally {
    use core::arch::wasm32::*;
    let (mut leads, mut lf, mut cr) = (u8x16_splat(0), u8x16_splat(0), u8x16_splat(0));
    let (c0, nl, ret) = (u8x16_splat(0xC0), u8x16_splat(b'\n'), u8x16_splat(b'\r'));
    for b in group {
        // Built lane by lane (safe code); LLVM turns this into one load.
        let v = u8x16(
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
            b[14], b[15],
        );
        leads = i8x16_sub(leads, u8x16_ge(v, c0));
        lf = i8x16_sub(lf, i8x16_eq(v, nl));
        cr = i8x16_sub(cr, i8x16_eq(v, ret));
    }
    let sum = |lanes: v128| {
        let wide = u32x4_extadd_pairwise_u16x8(u16x8_extadd_pairwise_u8x16(lanes));
        u64::from(u32x4_extract_lane::<0>(wide))
            + u64::from(u32x4_extract_lane::<1>(wide))
            + u64::from(u32x4_extract_lane::<2>(wide))
            + u64::from(u32x4_extract_lane::<3>(wide))
    };
    Tally {
        leads: sum(leads),
        lf: sum(lf),
        cr: sum(cr),
    }
}

/// Line breaks in a piece of text that may continue an earlier one: `\n`, `\r\n` and a lone
/// `\r` each count once, and a CRLF split between pieces counts once (`prev_cr`: the earlier
/// piece ended with `\r`). Returns the count and whether this piece ends with `\r`.
pub(crate) fn breaks_after(bytes: &[u8], prev_cr: bool) -> (u64, bool) {
    if bytes.is_empty() {
        return (0, prev_cr);
    }
    let lf = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let cr = memchr::memchr_iter(b'\r', bytes).count() as u64;
    breaks_counted(bytes, prev_cr, lf, cr)
}

/// [`breaks_after`] when the LFs and CRs of `bytes` are already counted (by [`tally`]).
pub(crate) fn breaks_counted(bytes: &[u8], prev_cr: bool, lf: u64, cr: u64) -> (u64, bool) {
    let Some(&last) = bytes.last() else {
        return (0, prev_cr);
    };
    let mut n = lf + cr;
    if cr > 0 || prev_cr {
        n -= bytes.windows(2).filter(|w| w == b"\r\n").count() as u64;
        if prev_cr && bytes[0] == b'\n' {
            n -= 1;
        }
    }
    (n, last == b'\r')
}

/// Line breaks in `s`: `\n`, `\r\n` and a lone `\r` each count once.
pub fn count_line_breaks(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, c) in b.iter().enumerate() {
        match c {
            b'\n' => n += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(all(test, feature = "legacy"))]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn detection_table() {
        let be: Vec<u8> = "a\tb\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let cases: Vec<(Vec<u8>, &str, Detection)> = vec![
            (b"\xEF\xBB\xBFx".to_vec(), "UTF-8", Detection::Bom),
            (
                utf16le("C_Email\tName\r\n", true),
                "UTF-16LE",
                Detection::Bom,
            ),
            (
                utf16le("C_Email\tName\r\nJürgen\tx\r\n", false),
                "UTF-16LE",
                Detection::Utf16Pattern,
            ),
            (be, "UTF-16BE", Detection::Utf16Pattern),
            (b"plain ascii".to_vec(), "UTF-8", Detection::ValidUtf8),
            (Vec::new(), "UTF-8", Detection::ValidUtf8),
            (
                b"Fran\xE7ois,Lef\xE8vre,O\x92Connor,\x80 5".to_vec(),
                "windows-1252",
                Detection::Guessed,
            ),
        ];
        for (bytes, name, how) in cases {
            let (enc, d) = detect(&bytes);
            assert_eq!((enc.name(), d), (name, how), "{bytes:?}");
        }
    }

    #[test]
    fn utf16_without_a_bom_in_other_scripts_is_recognised_and_binary_is_not() {
        let text =
            "Email,Имя,名前\r\nann@example.com,Анна,山田太郎\r\nbob@example.com,Борис,佐藤 𠀀\r\n"
                .repeat(30);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&le), (UTF_16LE, Detection::Utf16Pattern));
        assert_eq!(detect(&be), (UTF_16BE, Detection::Utf16Pattern));
        assert_eq!(decode(&le, None).text, text);
        // Bytes with zeros mostly on one side are still not text when a control character, an
        // unpaired surrogate or no line break is among their units.
        let mut rng = crate::test_rng::Rng(0xB1A5);
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..512)
                .map(|i| {
                    if i % 2 == 1 && rng.next(4) == 0 {
                        0
                    } else {
                        1 + rng.next(255) as u8
                    }
                })
                .collect();
            assert_ne!(detect(&bytes).1, Detection::Utf16Pattern, "{bytes:x?}");
        }
        let mut lone = le.clone();
        lone[2..4].copy_from_slice(&0xDC00u16.to_le_bytes());
        assert_ne!(detect(&lone).1, Detection::Utf16Pattern);
        let unbroken: Vec<u8> = "名前,Имя,"
            .repeat(100)
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_ne!(detect(&unbroken).1, Detection::Utf16Pattern);
    }

    #[test]
    fn the_bom_is_removed_and_utf16_decoded() {
        let d = decode(&utf16le("C_Email\tx\r\nb\tc", true), None);
        assert_eq!(d.text, "C_Email\tx\r\nb\tc");
        assert!(d.problems.is_empty());
        let d = decode(b"\xEF\xBB\xBFreference;name", None);
        assert_eq!(d.text, "reference;name");
    }

    #[test]
    fn invalid_bytes_are_reported_per_line() {
        let d = decode(b"ok\r\nbad \xC3 and \xFF\rthird\n\xFE", Some(UTF_8));
        assert_eq!(
            d.problems,
            vec![
                DecodeProblem { line: 2, count: 2 },
                DecodeProblem { line: 4, count: 1 }
            ]
        );
        assert_eq!(d.detection, Detection::Chosen);
    }

    #[test]
    fn the_tally_counts_as_plain_loops_do() {
        tally_counts_as_plain_loops_do();
    }

    /// Also run in wasm32, where `tally` has its own SIMD code (see `wasm_width`).
    pub(super) fn tally_counts_as_plain_loops_do() {
        // Past a group of 255 blocks of 16, where the byte lanes are summed, and every
        // remainder length.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let bytes: Vec<u8> = (0..255 * 16 * 2 + 77)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                [b'\n', b'\r', 0xC3, 0xA9, b'a', 0xF0][(x % 6) as usize]
            })
            .collect();
        for len in [
            0,
            1,
            31,
            32,
            33,
            255 * 32 - 1,
            255 * 32,
            255 * 32 + 1,
            bytes.len(),
        ] {
            let b = &bytes[..len];
            let t = tally(b);
            let count = |f: &dyn Fn(u8) -> bool| b.iter().filter(|c| f(**c)).count() as u64;
            assert_eq!(t.leads, count(&|c| c >= 0xC0), "{len}");
            assert_eq!(t.lf, count(&|c| c == b'\n'), "{len}");
            assert_eq!(t.cr, count(&|c| c == b'\r'), "{len}");
            for prev_cr in [false, true] {
                assert_eq!(
                    breaks_counted(b, prev_cr, t.lf, t.cr),
                    breaks_after(b, prev_cr)
                );
            }
        }
    }

    #[test]
    fn the_simd_validator_fails_where_the_standard_one_does() {
        for bytes in [
            &b"plain"[..],
            "Jürgen".as_bytes(),
            b"ok \xFF here",
            b"cut \xC3",
            b"\xE2\x82",
            b"bad \xC3\x28 pair",
        ] {
            let ours = utf8(bytes).map_err(|e| (e.valid_up_to(), e.error_len()));
            let std = std::str::from_utf8(bytes).map_err(|e| (e.valid_up_to(), e.error_len()));
            assert_eq!(ours, std, "{bytes:?}");
        }
    }

    #[test]
    fn every_offered_choice_is_a_known_encoding() {
        for label in CHOICES {
            assert!(encoding_for_label(label).is_some(), "{label}");
        }
    }
}

/// The tally's own wasm SIMD code, against plain loops, in wasm32:
/// `cargo test --target wasm32-unknown-unknown -p bulk-core --lib wasm_width`.
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_simd128_tally_counts_as_plain_loops_do() {
        super::tests::tally_counts_as_plain_loops_do();
    }
}

/// An encoding written as its name (serde's `with`), for the messages between the page and
/// the worker that keeps the rows: `encoding_rs` has no serde of its own. A name no encoding
/// has is refused, never guessed.
pub mod by_name {
    use encoding_rs::Encoding;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the encoding's name.
    pub fn serialize<S: Serializer>(e: &&'static Encoding, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(e.name())
    }

    /// Reads an encoding by its name (or any of its labels).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Encoding, D::Error> {
        let name = String::deserialize(d)?;
        Encoding::for_label(name.as_bytes())
            .ok_or_else(|| serde::de::Error::custom(format!("no encoding is called {name:?}")))
    }

    /// The same for an encoding that may be absent.
    pub mod option {
        use encoding_rs::Encoding;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the encoding's name, or nothing.
        pub fn serialize<S: Serializer>(
            e: &Option<&'static Encoding>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match e {
                Some(e) => s.serialize_some(e.name()),
                None => s.serialize_none(),
            }
        }

        /// Reads an encoding by its name, or nothing.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<&'static Encoding>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|name| {
                    Encoding::for_label(name.as_bytes()).ok_or_else(|| {
                        serde::de::Error::custom(format!("no encoding is called {name:?}"))
                    })
                })
                .transpose()
        }
    }
}
