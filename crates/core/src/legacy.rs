//! The older encodings (Windows-125x, ISO-8859-x, Shift_JIS, GBK, Big5, ...) and the guess
//! among them. Their decoders' tables and the guesser's statistics are most of what
//! reading costs in code size, and nearly every file is UTF-8, so the reader does not own
//! them: it is handed a [`Legacy`] when one is at hand, and asks for one
//! ([`PushError::NeedsLegacy`](crate::reading::PushError::NeedsLegacy)) when a file needs
//! it. Natively (tests, benchmarks, fuzzing) the `legacy` feature builds one in
//! ([`builtin`]): encoding_rs's decoders and chardetng, Firefox's detector. The app leaves
//! the feature off and loads the same built-in one from a module of its own when the first
//! such file arrives.

use encoding_rs::Encoding;
use std::rc::Rc;

/// Guesses and decodes the older encodings.
pub trait Legacy {
    /// The encoding of bytes that are not UTF-8 (`last`: they are the whole file).
    fn guess(&self, bytes: &[u8], last: bool) -> Result<&'static Encoding, String>;
    /// A decoder of one file's bytes in `encoding`.
    fn decoder(&self, encoding: &'static Encoding) -> Result<Box<dyn LegacyDecoder>, String>;
}

/// Decodes one file's bytes, a piece at a time.
pub trait LegacyDecoder {
    /// Decodes all of `src` onto `dst`, each malformed sequence as U+FFFD; true when one
    /// was replaced. `last`: no more bytes follow.
    fn decode(&mut self, src: &[u8], dst: &mut String, last: bool) -> Result<bool, String>;
}

/// The built-in older encodings, when this build has them (the `legacy` feature).
pub fn builtin() -> Option<Rc<dyn Legacy>> {
    #[cfg(feature = "legacy")]
    {
        Some(Rc::new(built_in::BuiltIn))
    }
    #[cfg(not(feature = "legacy"))]
    {
        None
    }
}

#[cfg(feature = "legacy")]
mod built_in {
    use super::{Legacy, LegacyDecoder};
    use encoding_rs::{CoderResult, Decoder, Encoding};

    /// encoding_rs and chardetng.
    pub(super) struct BuiltIn;

    impl Legacy for BuiltIn {
        fn guess(&self, bytes: &[u8], last: bool) -> Result<&'static Encoding, String> {
            let mut guesser = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            guesser.feed(bytes, last);
            // UTF-8 stays allowed: a UTF-8 file with a few stray bytes is still UTF-8, with
            // a problem reported on each one's line.
            Ok(guesser.guess(None, chardetng::Utf8Detection::Allow))
        }

        fn decoder(&self, encoding: &'static Encoding) -> Result<Box<dyn LegacyDecoder>, String> {
            Ok(Box::new(Decoding(
                encoding.new_decoder_without_bom_handling(),
            )))
        }
    }

    struct Decoding(Decoder);

    impl LegacyDecoder for Decoding {
        fn decode(&mut self, src: &[u8], dst: &mut String, last: bool) -> Result<bool, String> {
            let mut rest = src;
            let mut replaced = false;
            loop {
                let room = self
                    .0
                    .max_utf8_buffer_length(rest.len())
                    .unwrap_or(rest.len().saturating_mul(3).saturating_add(16))
                    .max(16);
                dst.reserve(room);
                let (result, read, r) = self.0.decode_to_string(rest, dst, last);
                replaced |= r;
                rest = &rest[read..];
                if result == CoderResult::InputEmpty {
                    return Ok(replaced);
                }
            }
        }
    }
}
