//! The streaming decoders the reader uses for the encodings it always has: UTF-8 and
//! UTF-16, by the standard library's rules, which are the WHATWG Encoding Standard's (each
//! maximal invalid subpart of UTF-8, each unpaired surrogate and a lone last byte of UTF-16
//! become one U+FFFD). Every other encoding goes through a [`Legacy`] decoder, whose tables
//! are large enough to be worth loading only when such a file arrives (the app's module
//! carries none of them). Tests compare each decoder with encoding_rs on hostile bytes cut
//! into random pieces.

use crate::ingest::IngestError;
use crate::legacy::{Legacy, LegacyDecoder};
use crate::reading::PushError;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How a decoding call that may stop at a malformed sequence ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Every byte was taken.
    Done,
    /// A malformed sequence was taken, and no U+FFFD written for it.
    Malformed,
}

/// A decoder of one file's bytes, a piece at a time.
pub(crate) enum TextDecoder {
    Utf8(Utf8),
    Utf16(Utf16),
    Legacy(Box<dyn LegacyDecoder>),
}

impl TextDecoder {
    /// The decoder for `encoding`; one of the older encodings needs `legacy`.
    pub(crate) fn new(
        encoding: &'static Encoding,
        legacy: Option<&dyn Legacy>,
    ) -> Result<TextDecoder, PushError> {
        if encoding == UTF_8 {
            return Ok(TextDecoder::Utf8(Utf8::default()));
        }
        if encoding == UTF_16LE || encoding == UTF_16BE {
            return Ok(TextDecoder::Utf16(Utf16::new(encoding == UTF_16BE)));
        }
        let legacy = legacy.ok_or(PushError::NeedsLegacy)?;
        legacy
            .decoder(encoding)
            .map(TextDecoder::Legacy)
            .map_err(legacy_failed)
    }

    /// Decodes all of `src` onto `dst`, each malformed sequence as U+FFFD; true when one
    /// was replaced. `last`: no more bytes follow.
    pub(crate) fn decode(
        &mut self,
        src: &[u8],
        dst: &mut String,
        last: bool,
    ) -> Result<bool, PushError> {
        match self {
            TextDecoder::Utf8(d) => {
                let mut replaced = false;
                let mut rest = src;
                loop {
                    let (stop, read) = d.decode(rest, dst, last);
                    rest = &rest[read..];
                    match stop {
                        Stop::Done => return Ok(replaced),
                        Stop::Malformed => {
                            dst.push('\u{FFFD}');
                            replaced = true;
                        }
                    }
                }
            }
            TextDecoder::Utf16(d) => Ok(d.decode(src, dst, last)),
            TextDecoder::Legacy(d) => d.decode(src, dst, last).map_err(legacy_failed),
        }
    }

    /// Decodes `src` onto `dst` up to and including the first malformed sequence, for which
    /// nothing is written; returns how it stopped and the bytes taken. Only UTF-8 stops
    /// (the reader weighs each bad byte of a file that looked like UTF-8); the others take
    /// everything, as [`decode`](Self::decode) does.
    pub(crate) fn decode_until_malformed(
        &mut self,
        src: &[u8],
        dst: &mut String,
        last: bool,
    ) -> Result<(Stop, usize), PushError> {
        match self {
            TextDecoder::Utf8(d) => Ok(d.decode(src, dst, last)),
            other => other
                .decode(src, dst, last)
                .map(|_| (Stop::Done, src.len())),
        }
    }
}

/// What a failure of the older encodings' decoders (a module of the page) stops a read with.
pub(crate) fn legacy_failed(why: String) -> PushError {
    PushError::Failed(IngestError::LegacyDecoder(why))
}

/// UTF-8 a piece at a time: a character cut by the end of a piece waits for the next.
#[derive(Default)]
pub(crate) struct Utf8 {
    /// The start of a character cut off at the end of the last piece (at most 3 bytes).
    carry: Vec<u8>,
}

impl Utf8 {
    /// Decodes `src` up to and including the first malformed sequence (nothing is written
    /// for it); returns how it stopped and the bytes of `src` taken.
    fn decode(&mut self, src: &[u8], dst: &mut String, last: bool) -> (Stop, usize) {
        let mut read = 0;
        if !self.carry.is_empty() {
            // Finish the cut character with the first bytes of this piece (at most three:
            // no copy of the piece). The carried bytes are a valid start of a character.
            let had = self.carry.len();
            let take = crate::decode::utf8_width(self.carry[0])
                .saturating_sub(had)
                .min(src.len());
            self.carry.extend_from_slice(&src[..take]);
            let joined = std::mem::take(&mut self.carry);
            match crate::decode::utf8(&joined) {
                Ok(text) => {
                    dst.push_str(text);
                    read = take;
                }
                Err(e) => match e.error_len() {
                    // Still cut: the piece was shorter than the rest of the character.
                    None if !last => {
                        self.carry = joined;
                        return (Stop::Done, src.len());
                    }
                    // The file ends inside the character: one malformed sequence.
                    None => return (Stop::Malformed, src.len()),
                    // A byte that cannot continue it: the carried bytes are the sequence.
                    Some(n) => return (Stop::Malformed, n.saturating_sub(had)),
                },
            }
        }
        let rest = &src[read..];
        match crate::decode::utf8(rest) {
            Ok(text) => {
                dst.push_str(text);
                (Stop::Done, src.len())
            }
            Err(e) => {
                let valid = e.valid_up_to();
                dst.push_str(crate::decode::utf8(&rest[..valid]).unwrap_or_default());
                match e.error_len() {
                    Some(n) => (Stop::Malformed, read + valid + n),
                    None if last => (Stop::Malformed, src.len()),
                    None => {
                        self.carry.extend_from_slice(&rest[valid..]);
                        (Stop::Done, src.len())
                    }
                }
            }
        }
    }
}

/// UTF-16 of either byte order a piece at a time: an odd byte or a leading surrogate at
/// the end of a piece waits for the next.
pub(crate) struct Utf16 {
    big_endian: bool,
    /// The first byte of a code unit cut by the end of the last piece.
    odd: Option<u8>,
    /// A leading surrogate waiting for its trailing one.
    lead: Option<u16>,
}

impl Utf16 {
    fn new(big_endian: bool) -> Utf16 {
        Utf16 {
            big_endian,
            odd: None,
            lead: None,
        }
    }

    /// Decodes all of `src` onto `dst`; true when something was replaced.
    fn decode(&mut self, src: &[u8], dst: &mut String, last: bool) -> bool {
        let mut replaced = false;
        let mut rest = src;
        if let Some(first) = self.odd
            && let Some((&second, after)) = rest.split_first()
        {
            self.odd = None;
            replaced |= self.unit(self.join(first, second), dst);
            rest = after;
        }
        dst.reserve(rest.len() / 2 * 3 / 2);
        let mut pairs = rest.chunks_exact(2);
        for pair in &mut pairs {
            replaced |= self.unit(self.join(pair[0], pair[1]), dst);
        }
        if let [b] = pairs.remainder() {
            self.odd = Some(*b);
        }
        // A file ending in a lone byte, a leading surrogate, or both: one error, as the
        // Encoding Standard says.
        if last && (self.lead.take().is_some() | self.odd.take().is_some()) {
            dst.push('\u{FFFD}');
            replaced = true;
        }
        replaced
    }

    fn join(&self, a: u8, b: u8) -> u16 {
        if self.big_endian {
            u16::from_be_bytes([a, b])
        } else {
            u16::from_le_bytes([a, b])
        }
    }

    /// Takes one code unit; true when something was replaced.
    fn unit(&mut self, u: u16, dst: &mut String) -> bool {
        let mut replaced = false;
        if let Some(lead) = self.lead.take() {
            if (0xDC00..0xE000).contains(&u) {
                let c = 0x10000 + ((u32::from(lead) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                dst.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                return false;
            }
            // The lead had no partner: it is replaced, and this unit read on its own.
            dst.push('\u{FFFD}');
            replaced = true;
        }
        match u {
            0xD800..0xDC00 => self.lead = Some(u),
            0xDC00..0xE000 => {
                dst.push('\u{FFFD}');
                replaced = true;
            }
            _ => dst.push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}')),
        }
        replaced
    }
}

#[cfg(all(test, feature = "legacy"))]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// What encoding_rs makes of `bytes` in `encoding`, replacing.
    fn theirs(encoding: &'static Encoding, bytes: &[u8]) -> String {
        let mut d = encoding.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 3 + 16);
        let (_, read, _) = d.decode_to_string(bytes, &mut out, true);
        assert_eq!(read, bytes.len());
        out
    }

    /// Ours, fed in pieces of the sizes `rng` picks.
    fn ours(encoding: &'static Encoding, bytes: &[u8], rng: &mut Rng) -> (String, bool) {
        let mut d = TextDecoder::new(encoding, None).unwrap();
        let mut out = String::new();
        let mut replaced = false;
        let mut rest = bytes;
        loop {
            let n = rng.next(7).min(rest.len());
            let (piece, after) = rest.split_at(n);
            rest = after;
            replaced |= d.decode(piece, &mut out, rest.is_empty()).unwrap();
            if rest.is_empty() {
                return (out, replaced);
            }
        }
    }

    /// Bytes that stress a decoder: valid text of every width, cut characters, stray
    /// continuation bytes, overlong forms, surrogates in UTF-8 and unpaired ones in UTF-16.
    fn hostile(rng: &mut Rng) -> Vec<u8> {
        const PARTS: &[&[u8]] = &[
            b"a",
            "é".as_bytes(),
            "€".as_bytes(),
            "😀".as_bytes(),
            b"\xC3",
            b"\xE2\x82",
            b"\xF0\x9F\x98",
            b"\x80",
            b"\xBF",
            b"\xC0\xAF",
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
            b"\xFF",
            b"\xFE",
            b"\x00",
            b"\xD8",
            b"\xDC",
            b"\x3D\xD8",
            b"\x00\xDC",
            b"\n",
        ];
        let len = rng.next(40);
        (0..len)
            .flat_map(|_| PARTS[rng.next(PARTS.len())].iter().copied())
            .collect()
    }

    #[test]
    fn utf8_and_utf16_decode_as_encoding_rs_does_in_any_pieces() {
        let mut rng = Rng(0x7E57);
        for _ in 0..20_000 {
            let bytes = hostile(&mut rng);
            for encoding in [UTF_8, UTF_16LE, UTF_16BE] {
                let expected = theirs(encoding, &bytes);
                let (got, replaced) = ours(encoding, &bytes, &mut rng);
                assert_eq!(got, expected, "{} of {bytes:x?}", encoding.name());
                assert_eq!(replaced, expected.contains('\u{FFFD}'), "{bytes:x?}");
            }
        }
    }

    #[test]
    fn stopping_utf8_stops_where_encoding_rs_stops() {
        use encoding_rs::DecoderResult;
        let mut rng = Rng(0x5709);
        for _ in 0..20_000 {
            let bytes = hostile(&mut rng);
            // encoding_rs: the text and the bytes read up to each malformed sequence.
            let mut theirs = Vec::new();
            let mut d = UTF_8.new_decoder_without_bom_handling();
            let mut rest = &bytes[..];
            loop {
                let mut out = String::with_capacity(rest.len() * 3 + 16);
                let (r, read) = d.decode_to_string_without_replacement(rest, &mut out, true);
                rest = &rest[read..];
                theirs.push((out, read, matches!(r, DecoderResult::Malformed(..))));
                if matches!(r, DecoderResult::InputEmpty) {
                    break;
                }
            }
            let mut ours = Vec::new();
            let mut d = TextDecoder::new(UTF_8, None).unwrap();
            let mut rest = &bytes[..];
            loop {
                let mut out = String::new();
                let (stop, read) = d.decode_until_malformed(rest, &mut out, true).unwrap();
                rest = &rest[read..];
                ours.push((out, read, stop == Stop::Malformed));
                if stop == Stop::Done {
                    break;
                }
            }
            assert_eq!(ours, theirs, "{bytes:x?}");
        }
    }

    #[test]
    fn an_older_encoding_needs_the_legacy_decoders() {
        assert!(matches!(
            TextDecoder::new(encoding_rs::WINDOWS_1252, None),
            Err(PushError::NeedsLegacy)
        ));
        let legacy = crate::legacy::builtin().unwrap();
        let mut d = TextDecoder::new(encoding_rs::WINDOWS_1252, Some(&*legacy)).unwrap();
        let mut out = String::new();
        assert!(!d.decode(b"Fran\xE7ois", &mut out, true).unwrap());
        assert_eq!(out, "François");
    }
}
