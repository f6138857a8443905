//! The index behind "each e-mail must be unique". Values are never copied: each row adds
//! (32 bits of the mixed hash of its value, row), 8 bytes, to one of 256 buckets chosen by
//! 8 other bits of it. Appending is sequential, so filling the index for 800,000 rows costs
//! almost nothing; each bucket is then sorted on its own (small enough to stay in cache, and
//! one bucket is a natural slice of work for a page that must not freeze), and equal keys
//! sit side by side. Different values sharing a bucket and a key (a few pairs in a file of
//! 800,000 rows, more in wasm32, where the hash itself is 32 bits wide) are told apart by
//! comparing the values themselves.

use crate::checks;

/// Buckets by the top byte of the mixed hash.
const BUCKETS: usize = 256;

/// An identifier as it is compared and hashed: trimmed, each character in lower case. This
/// is the one definition of "the same identifier": [`same_identifier`] and
/// [`identifier_hash`] both read values through it, so that values that compare equal
/// always share a hash and a bucket. (They once lower-cased separately, the comparison with
/// `str::to_lowercase`, whose word-final sigma rule the hash did not follow.)
fn identifier_chars(value: &str) -> impl Iterator<Item = char> + '_ {
    checks::trimmed(value).chars().flat_map(char::to_lowercase)
}

/// Identifiers compare trimmed and case-insensitively ([`identifier_chars`]).
pub(crate) fn same_identifier(a: &str, b: &str) -> bool {
    let (a, b) = (checks::trimmed(a), checks::trimmed(b));
    // The usual case first, without decoding: equal up to ASCII case means equal lowered.
    (a.len() == b.len() && a.eq_ignore_ascii_case(b)) || identifier_chars(a).eq(identifier_chars(b))
}

/// The hash of an identifier as [`same_identifier`] compares it, without allocating: of
/// the UTF-8 bytes of [`identifier_chars`], eight at a time. An ASCII value (nearly every
/// one) is lowered eight bytes at once ([`ascii_lower8`]), which gives the same bytes.
pub(crate) fn identifier_hash(value: &str) -> u64 {
    let v = checks::trimmed(value);
    let mut h = Words::default();
    if v.is_ascii() {
        let mut chunks = v.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            h.word(ascii_lower8(u64::from_le_bytes(word)));
        }
        for &b in chunks.remainder() {
            h.byte(b.to_ascii_lowercase());
        }
    } else {
        let mut utf8 = [0u8; 4];
        for c in identifier_chars(v) {
            for &b in c.encode_utf8(&mut utf8).as_bytes() {
                h.byte(b);
            }
        }
    }
    h.finish()
}

/// Bytes hashed eight at a time, little-endian, as they come: whole words from the ASCII
/// path and single bytes from either make the same hash for the same bytes.
#[derive(Default)]
struct Words {
    hasher: rustc_hash::FxHasher,
    word: u64,
    /// Bytes in `word`.
    held: u32,
}

impl Words {
    /// Eight bytes at once; only between whole words (the ASCII path's chunks come first).
    fn word(&mut self, w: u64) {
        use std::hash::Hasher;
        debug_assert_eq!(self.held, 0);
        self.hasher.write_u64(w);
    }

    fn byte(&mut self, b: u8) {
        self.word |= u64::from(b) << (8 * self.held);
        self.held += 1;
        if self.held == 8 {
            let w = std::mem::take(&mut self.word);
            self.held = 0;
            self.word(w);
        }
    }

    fn finish(mut self) -> u64 {
        use std::hash::Hasher;
        if self.held > 0 {
            self.hasher.write_u64(self.word);
        }
        // The tail's length, so that "a" and "a\0" differ.
        self.hasher.write_u32(self.held);
        self.hasher.finish()
    }
}

/// Eight ASCII bytes with `A`-`Z` lowered, at once: a byte's top bit, after adding, says
/// whether it is at least `A` and whether it is past `Z` (no byte carries into the next,
/// as every byte is below 0x80); `0x80 >> 2` is the case bit.
fn ascii_lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least_a = w.wrapping_add(ONES * u64::from(0x80 - b'A'));
    let past_z = w.wrapping_add(ONES * u64::from(0x80 - b'Z' - 1));
    let upper = at_least_a & !past_z & (ONES * 0x80);
    w | (upper >> 2)
}

/// Which rows hold which identifier value.
#[derive(Clone, Debug, Default)]
pub(crate) struct UniqueIndex {
    /// (key, row): the key is the 32 bits of the mixed hash below the bucket's 8.
    buckets: Vec<Vec<(u32, u32)>>,
    sorted: Vec<bool>,
}

impl UniqueIndex {
    /// An index for about `rows` values.
    pub(crate) fn new(rows: usize) -> UniqueIndex {
        let each = if rows == 0 {
            0
        } else {
            rows / BUCKETS + rows / BUCKETS / 8 + 16
        };
        if each > 0 {
            // In wasm, memory grows a few pages at a time as the allocator asks, and V8 runs
            // a garbage collection on nearly every growth: 256 bucket-sized
            // requests made about 65 collections, a third of a second of a 100 MB file's
            // check in Node. Asking once for the whole index and giving it straight back
            // grows memory once; the buckets are then carved out of that free block.
            // (`black_box` keeps the compiler from removing the unused allocation.)
            drop(std::hint::black_box(Vec::<(u32, u32)>::with_capacity(
                BUCKETS * each,
            )));
        }
        UniqueIndex {
            buckets: (0..BUCKETS).map(|_| Vec::with_capacity(each)).collect(),
            sorted: vec![false; BUCKETS],
        }
    }

    /// The bucket of a hash, from its top byte after a multiplicative mix. `FxHasher` is as
    /// wide as `usize`: on wasm32 its hashes have 32 significant bits, and the top byte of
    /// the raw hash would put every value into bucket 0 (one whole-index sort, a long task).
    #[cfg(test)]
    fn bucket(hash: u64) -> usize {
        Self::place(hash).0
    }

    /// The bucket of a hash and its key there: 40 bits of the mixed hash in all, so that two
    /// different values of one bucket share a key about once in four billion pairs (and are
    /// then told apart by their text).
    fn place(hash: u64) -> (usize, u32) {
        let mixed = hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ((mixed >> 56) as usize, (mixed >> 24) as u32)
    }

    /// Enters `row`'s value, in the first pass (rows in order).
    pub(crate) fn add(&mut self, value: &str, row: u32) {
        let (b, key) = Self::place(identifier_hash(value));
        self.buckets[b].push((key, row));
        self.sorted[b] = false;
    }

    /// How many buckets there are to settle.
    pub(crate) fn buckets(&self) -> usize {
        BUCKETS
    }

    /// Entries in bucket `b` (its share of the work).
    pub(crate) fn bucket_len(&self, b: usize) -> usize {
        self.buckets.get(b).map(Vec::len).unwrap_or(0)
    }

    /// Sorts bucket `b` and returns each row of it whose value an earlier row already has,
    /// with that first row: `(row, first)`.
    pub(crate) fn settle<'v>(
        &mut self,
        b: usize,
        value_of: impl Fn(u32) -> Option<&'v str>,
    ) -> Vec<(u32, u32)> {
        let Some(bucket) = self.buckets.get_mut(b) else {
            return Vec::new();
        };
        if !self.sorted[b] {
            bucket.sort_unstable();
            self.sorted[b] = true;
        }
        let mut out = Vec::new();
        for group in bucket.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() > 1) {
            for (i, &(_, row)) in group.iter().enumerate().skip(1) {
                let Some(v) = value_of(row) else { continue };
                let first = group[..i]
                    .iter()
                    .map(|e| e.1)
                    .find(|r| value_of(*r).is_some_and(|o| same_identifier(o, v)));
                if let Some(first) = first {
                    out.push((row, first));
                }
            }
        }
        out
    }

    /// The rows holding `value`, in row order (bucket must be settled).
    pub(crate) fn rows_with<'v>(
        &self,
        value: &str,
        value_of: impl Fn(u32) -> Option<&'v str>,
    ) -> Vec<u32> {
        let (b, h) = Self::place(identifier_hash(value));
        let bucket = &self.buckets[b];
        let start = bucket.partition_point(|e| e.0 < h);
        bucket[start..]
            .iter()
            .take_while(|e| e.0 == h)
            .map(|e| e.1)
            .filter(|r| value_of(*r).is_some_and(|o| same_identifier(o, value)))
            .collect()
    }

    /// Moves `row` from `old` to `new` (after an edit), keeping buckets sorted.
    pub(crate) fn replace(&mut self, row: u32, old: Option<&str>, new: Option<&str>) {
        if let Some(old) = old {
            let (b, h) = Self::place(identifier_hash(old));
            let bucket = &mut self.buckets[b];
            if let Ok(i) = bucket.binary_search(&(h, row)) {
                bucket.remove(i);
            }
        }
        if let Some(new) = new {
            let (b, h) = Self::place(identifier_hash(new));
            let bucket = &mut self.buckets[b];
            let i = bucket.partition_point(|e| *e < (h, row));
            bucket.insert(i, (h, row));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_spread_over_the_buckets_with_32_bit_hashes_too() {
        // wasm32's FxHasher yields hashes whose upper 32 bits are zero: the buckets must
        // still share the rows, or settling one bucket is sorting the whole index.
        for width in [u64::MAX, u64::from(u32::MAX)] {
            let mut counts = vec![0usize; BUCKETS];
            let mut places = std::collections::HashSet::new();
            for i in 0..100_000u32 {
                let h = identifier_hash(&format!("person{i}@example.com")) & width;
                counts[UniqueIndex::bucket(h)] += 1;
                places.insert(UniqueIndex::place(h));
            }
            // Different values rarely share a bucket and a key (each such pair costs two
            // lookups of their text when settling).
            assert!(
                places.len() > 99_990,
                "width {width:x}: {} places",
                places.len()
            );
            let fullest = counts.iter().copied().max().unwrap_or(0);
            assert!(
                fullest < 100_000 / BUCKETS * 2,
                "width {width:x}: {fullest} in one bucket"
            );
        }
    }

    #[test]
    fn eight_bytes_are_lowered_at_once_as_one_by_one() {
        let mut rng = crate::test_rng::Rng(0xA5C1_1A5C);
        for _ in 0..100_000 {
            let bytes: [u8; 8] = std::array::from_fn(|_| rng.next(128) as u8);
            let want = bytes.map(|b| b.to_ascii_lowercase());
            assert_eq!(
                ascii_lower8(u64::from_le_bytes(bytes)).to_le_bytes(),
                want,
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn an_ascii_value_hashes_as_its_characters_do() {
        // The ASCII path (eight bytes at once) and the character path meet on values that
        // compare equal: the Kelvin sign lowers to an ASCII k.
        for (a, b) in [
            (
                "\u{212a}elvin.smith@example.com",
                "kelvin.smith@example.com",
            ),
            ("ÉLISE.LONGNAME@x.fr", "élise.longname@X.FR"),
        ] {
            assert!(same_identifier(a, b), "{a} {b}");
            assert_eq!(identifier_hash(a), identifier_hash(b), "{a} {b}");
        }
        assert_ne!(identifier_hash("a"), identifier_hash("a\0"));
    }

    #[test]
    fn later_equal_values_point_at_the_first() {
        let values = ["a@x.io", "B@x.io", " A@X.IO ", "b@x.io", "c@x.io", "a@x.io"];
        let mut idx = UniqueIndex::new(values.len());
        for (i, v) in values.iter().enumerate() {
            idx.add(v, i as u32);
        }
        let value_of = |r: u32| values.get(r as usize).copied();
        let mut dups: Vec<(u32, u32)> = (0..idx.buckets())
            .flat_map(|b| idx.settle(b, value_of))
            .collect();
        dups.sort();
        assert_eq!(dups, [(2, 0), (3, 1), (5, 0)]);
        assert_eq!(idx.rows_with("A@x.io", value_of), [0, 2, 5]);
    }

    #[test]
    fn an_edit_moves_a_row_between_values() {
        let mut values = ["a@x.io".to_string(), "a@x.io".to_string()];
        let mut idx = UniqueIndex::new(2);
        idx.add(&values[0], 0);
        idx.add(&values[1], 1);
        for b in 0..idx.buckets() {
            idx.settle(b, |r| values.get(r as usize).map(String::as_str));
        }
        values[1] = "b@x.io".into();
        idx.replace(1, Some("a@x.io"), Some("b@x.io"));
        let value_of = |r: u32| values.get(r as usize).map(String::as_str);
        assert_eq!(idx.rows_with("a@x.io", value_of), [0]);
        assert_eq!(idx.rows_with("b@x.io", value_of), [1]);
    }

    #[test]
    fn case_and_spaces_do_not_make_values_different() {
        assert!(same_identifier(
            " Norm.Smith@ACME.com",
            "norm.smith@acme.com "
        ));
        assert!(same_identifier("ÉLISE@x.fr", "élise@x.fr"));
        assert!(!same_identifier("a@x.io", "b@x.io"));
        assert_eq!(identifier_hash("ÉLISE@x.fr"), identifier_hash("élise@X.fr"));
    }

    #[test]
    fn values_that_compare_equal_share_a_hash_even_with_a_word_final_sigma() {
        // `str::to_lowercase` makes the final Σ a ς, character by character it is a σ: the
        // comparison and the hash must lower-case the same way, or the index never puts
        // "equal" values side by side.
        for (a, b, same) in [
            ("ΟΔΟΣ@x.gr", "οδοσ@x.gr", true),
            ("ΟΔΟΣ@x.gr", "οδος@x.gr", false),
            ("Straße@x.de", "STRASSE@x.de", false),
            ("İ@x.tr", "i\u{307}@x.tr", true),
        ] {
            assert_eq!(same_identifier(a, b), same, "{a} {b}");
            assert_eq!(identifier_hash(a) == identifier_hash(b), same, "{a} {b}");
        }
    }
}

/// The same distribution check, run in wasm32, where `usize` and `FxHasher` are 32 bits wide
/// (the width that once put every value into one bucket).
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn values_spread_over_the_buckets_in_wasm() {
        assert_eq!(usize::BITS, 32);
        let mut counts = vec![0usize; BUCKETS];
        let mut places = std::collections::HashSet::new();
        for i in 0..100_000u32 {
            let h = identifier_hash(&format!("person{i}@example.com"));
            counts[UniqueIndex::bucket(h)] += 1;
            places.insert(UniqueIndex::place(h));
        }
        assert!(places.len() > 99_990, "{} places", places.len());
        let fullest = counts.iter().copied().max().unwrap_or(0);
        assert!(
            fullest < 100_000 / BUCKETS * 2,
            "{fullest} of 100,000 in one bucket"
        );
    }
}
