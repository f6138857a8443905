//! Which objects take bulk uploads. The API has no documented flag for it (`GET /objects`
//! lists names only; the notes' §4.4: "400 when bulk upload is disabled for the
//! connector/object"), so the app learns it: a submit refused with 400 and a message that
//! says bulk upload is off marks the object, and the mark is kept per connector host (in
//! browser storage, never a secret) so the object list shows it before the next upload.

use crate::api::ApiError;

/// True when `error` is the connector saying this object does not take bulk uploads: a
/// 400 whose message names bulk and says it is off. Any other 400 (a bad file, bad
/// options) is not.
///
/// ```
/// use bulk_core::{ApiError, capability::refuses_bulk};
/// let off = ApiError::Rejected { status: 400, message: Some("Bulk upload is not enabled for 'banks'".into()) };
/// assert!(refuses_bulk(&off));
/// let bad = ApiError::Rejected { status: 400, message: Some("metaData is not valid JSON".into()) };
/// assert!(!refuses_bulk(&bad));
/// ```
pub fn refuses_bulk(error: &ApiError) -> bool {
    let ApiError::Rejected {
        status: 400,
        message: Some(m),
    } = error
    else {
        return false;
    };
    let m = m.to_lowercase();
    m.contains("bulk")
        && [
            "not enabled",
            "disabled",
            "not supported",
            "unsupported",
            "not allowed",
        ]
        .iter()
        .any(|off| m.contains(off))
}

/// The objects of one connector host that refused bulk uploads, as kept in storage: a
/// JSON array of names, sorted, without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusals(Vec<String>);

impl Refusals {
    /// Reads the stored form; anything unreadable counts as none (a mark is a hint).
    pub fn from_json(text: &str) -> Refusals {
        let mut names: Vec<String> = serde_json::from_str::<Vec<String>>(text)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        Refusals(names)
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    /// Marks `object`; true if it was not marked yet.
    pub fn mark(&mut self, object: &str) -> bool {
        match self.0.binary_search_by(|n| n.as_str().cmp(object)) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, object.to_string());
                true
            }
        }
    }

    /// Unmarks `object` (a later upload to it was accepted).
    pub fn clear(&mut self, object: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|n| n != object);
        before != self.0.len()
    }

    /// Whether `object` refused bulk uploads.
    pub fn refused(&self, object: &str) -> bool {
        self.0.iter().any(|n| n == object)
    }
}

/// The storage key of a host's refusals.
pub fn storage_key(origin: &str) -> String {
    format!("bulk-uploader:no-bulk:{origin}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(status: u16, message: Option<&str>) -> ApiError {
        ApiError::Rejected {
            status,
            message: message.map(str::to_string),
        }
    }

    #[test]
    fn only_a_400_that_says_bulk_is_off_is_a_refusal() {
        assert!(refuses_bulk(&rejected(
            400,
            Some("Bulk upload is disabled")
        )));
        assert!(refuses_bulk(&rejected(
            400,
            Some("BULK not supported for this object")
        )));
        assert!(!refuses_bulk(&rejected(
            400,
            Some("Bulk job needs a file part")
        )));
        assert!(!refuses_bulk(&rejected(400, None)));
        assert!(!refuses_bulk(&rejected(
            403,
            Some("Bulk upload is disabled")
        )));
        assert!(!refuses_bulk(&ApiError::Network {
            detail: "bulk upload disabled".into()
        }));
    }

    #[test]
    fn refusals_round_trip_sorted_and_without_repeats() {
        let mut r = Refusals::from_json(r#"["banks","accounts","banks",""]"#);
        assert_eq!(r.to_json(), r#"["accounts","banks"]"#);
        assert!(r.mark("zones"));
        assert!(!r.mark("banks"));
        assert!(r.refused("zones") && !r.refused("contacts"));
        assert!(r.clear("banks") && !r.refused("banks"));
        assert_eq!(Refusals::from_json("not json"), Refusals::default());
    }
}
