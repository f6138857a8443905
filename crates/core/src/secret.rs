//! Secrets as a type. User and Organization secrets, element tokens and signature keys are
//! account-wide credentials: wrapping them keeps them out of `Debug` output, logs and error
//! text by construction, and every place that needs the clear text has to say so with
//! [`Secret::expose`].

use std::fmt;

/// A credential whose text is never printed.
///
/// ```
/// let s = bulk_core::Secret::new("hunter2");
/// assert_eq!(format!("{s:?}"), "Secret(***)");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(text: impl Into<String>) -> Self {
        Secret(text.into())
    }

    /// The clear text, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when nothing was entered (after trimming spaces).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}
