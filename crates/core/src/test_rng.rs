//! A small deterministic generator for the property tests (a xorshift), so they run over
//! many random cases, the same ones every run, without a dependency.

/// The generator's state; seed it with any non-zero value.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// A number below `below` (0 when `below` is 0).
    pub(crate) fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below.max(1) as u64) as usize
    }
}
