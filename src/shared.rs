//! `Shared<T>`: an `Arc` that compares by identity, so a large value (a parsed table, a
//! validation report) can live in a signal or memo without deep comparisons on every change;
//! and `Seen<T>`, a memory of which value that was that does not keep it alive.

use std::ops::Deref;
use std::sync::{Arc, Weak};

/// A cheaply cloned, identity-compared handle.
#[derive(Debug)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }

    /// The value, when this is its last holder.
    pub fn into_inner(self) -> Option<T> {
        Arc::into_inner(self.0)
    }

    /// Which value this is, remembered without keeping it: once everything else lets go of
    /// a big table, its memory is free for the next file even while this is kept.
    pub fn seen(&self) -> Seen<T> {
        Seen(Arc::downgrade(&self.0))
    }
}

/// A value seen once, by identity ([`Shared::seen`]).
pub struct Seen<T>(Weak<T>);

impl<T> Seen<T> {
    /// True when `value` is the one seen. The remembered allocation's header outlives its
    /// value, so another value never takes its address while this is kept.
    pub fn is(&self, value: &Shared<T>) -> bool {
        std::ptr::eq(self.0.as_ptr(), Arc::as_ptr(&value.0))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Written as the value itself (in the messages to and from the keeper of the rows).
impl<T: serde::Serialize> serde::Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Read as the value itself, in a handle of its own.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Shared<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Shared::new)
    }
}
