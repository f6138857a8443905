//! Bytes as they travel between the page and the worker that keeps the rows: a file the
//! keeper writes (a job's upload, a download) is UTF-8 text, and goes as a JSON string, a
//! few percent larger than the bytes and read back fast; as a list of numbers it was about
//! four times the size, and reading back a job's megabyte held the page. Bytes that are not
//! UTF-8 still go, as numbers. `#[serde(with = "crate::bytes_as_text")]` on a `Vec<u8>`, or
//! [`TextBytes`].

use serde::de::{SeqAccess, Visitor};
use serde::{Deserializer, Serializer};

/// Writes `bytes` as a string when they are UTF-8, as numbers otherwise.
pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => s.serialize_str(text),
        Err(_) => s.collect_seq(bytes),
    }
}

/// Reads bytes written by [`serialize`]: a string straight into bytes, or numbers. (Not an
/// untagged enum: serde buffers the whole value before trying each kind, a second copy of a
/// job's megabytes read on the page.)
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    d.deserialize_any(BytesVisitor)
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text, or a list of bytes")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
        Ok(v.as_bytes().to_vec())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Vec<u8>, E> {
        Ok(v.into_bytes())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(b) = seq.next_element::<u8>()? {
            out.push(b);
        }
        Ok(out)
    }
}

/// Bytes that travel as text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextBytes(#[serde(with = "self")] pub Vec<u8>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_goes_as_a_string_and_other_bytes_as_numbers() {
        let text = TextBytes("a,b\r\nZoë,\"x\"\r\n".as_bytes().to_vec());
        let json = serde_json::to_string(&text).expect("written");
        assert_eq!(json, r#""a,b\r\nZoë,\"x\"\r\n""#);
        assert_eq!(
            serde_json::from_str::<TextBytes>(&json).expect("read"),
            text
        );
        let bytes = TextBytes(vec![0xff, 0x41]);
        let json = serde_json::to_string(&bytes).expect("written");
        assert_eq!(json, "[255,65]");
        assert_eq!(
            serde_json::from_str::<TextBytes>(&json).expect("read"),
            bytes
        );
    }
}
