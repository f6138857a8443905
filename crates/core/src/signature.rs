//! Callback signatures. Open Connectors signs a callback body with the instance's signature
//! key and sends `Elements-Webhook-Signature: sha256=<standard base64 of HMAC-SHA256(key,
//! raw body)>`. Verification hashes the exact bytes received (never re-serialised JSON) and
//! compares in constant time. The scheme signs no timestamp or nonce, so it gives no replay
//! protection; a receiver that needs it must deduplicate by job id itself.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// The instance's callback signature key.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureKey(String);

impl SignatureKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        SignatureKey(key.into())
    }
    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length; this cannot fail.
        <HmacSha256 as KeyInit>::new_from_slice(self.0.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"))
    }
}

impl fmt::Debug for SignatureKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignatureKey(***)")
    }
}

/// Why a signature was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `sha256=<base64>`.
    #[error("the signature header is malformed: {0}")]
    Malformed(&'static str),
    /// Well formed, but not made with this key over these bytes.
    #[error("the signature does not match this body and key")]
    Mismatch,
}

/// The header name.
pub const HEADER: &str = "Elements-Webhook-Signature";

/// Verifies `header` (the `Elements-Webhook-Signature` value) over `body`.
///
/// ```
/// use bulk_core::signature::{verify, SignatureKey};
/// let key = SignatureKey::new("MySecretEventSignatureKey");
/// let body = b"<INSERT_EVENT_NOTIFICATION_RESPONSE_BODY>";
/// assert!(verify(&key, "sha256=jHdbRx5EZAsOfTwAPJOGkNUzQMVVdu5VJlxcsk+G6jQ=", body).is_ok());
/// ```
pub fn verify(key: &SignatureKey, header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.trim();
    let (scheme, encoded) = header
        .split_once('=')
        .ok_or(SignatureError::Malformed("expected sha256=<base64>"))?;
    if !scheme.trim().eq_ignore_ascii_case("sha256") {
        return Err(SignatureError::Malformed("the scheme must be sha256"));
    }
    let tag = STANDARD
        .decode(encoded.trim())
        .map_err(|_| SignatureError::Malformed("the value after sha256= is not base64"))?;
    if tag.len() != 32 {
        return Err(SignatureError::Malformed("an HMAC-SHA256 is 32 bytes long"));
    }
    let mut mac = key.mac();
    mac.update(body);
    mac.verify_slice(&tag).map_err(|_| SignatureError::Mismatch)
}

/// The header value for `body` under `key`: what the sandbox sends and tests compare with.
///
/// ```
/// use bulk_core::signature::{sign, SignatureKey};
/// assert_eq!(sign(&SignatureKey::new("MySecretEventSignatureKey"), b""),
///            "sha256=C0gHWF2AgEYRn772QwLINL7VFZDYhJSOYgzFLE6vs4Q=");
/// ```
pub fn sign(key: &SignatureKey, body: &[u8]) -> String {
    let mut mac = key.mac();
    mac.update(body);
    format!("sha256={}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &[(&str, &str, &str)] = &[
        (
            "MySecretEventSignatureKey",
            "<INSERT_EVENT_NOTIFICATION_RESPONSE_BODY>",
            "sha256=jHdbRx5EZAsOfTwAPJOGkNUzQMVVdu5VJlxcsk+G6jQ=",
        ),
        (
            "abcd1234efgh5678",
            r#"{"id":"1234","status":"COMPLETED","recordsCount":2,"recordsFailedCount":0}"#,
            "sha256=6P2zuSJJXlm77iYSg1pBIeGwmGp89ZtG0jO5Iy4nWNA=",
        ),
        (
            "abcd1234efgh5678",
            r#"{"id": "1234", "status": "COMPLETED", "recordsCount": 2, "recordsFailedCount": 0}"#,
            "sha256=PIKTTMlF+YWCS67lSF58C+QINJ1NrV4RTKwPbDGziCw=",
        ),
        (
            "MySecretEventSignatureKey",
            "",
            "sha256=C0gHWF2AgEYRn772QwLINL7VFZDYhJSOYgzFLE6vs4Q=",
        ),
    ];

    #[test]
    fn documented_vectors_sign_and_verify() {
        for (key, body, header) in VECTORS {
            let key = SignatureKey::new(*key);
            assert_eq!(sign(&key, body.as_bytes()), *header);
            assert_eq!(verify(&key, header, body.as_bytes()), Ok(()));
        }
    }

    #[test]
    fn whitespace_in_the_body_changes_the_signature() {
        let key = SignatureKey::new("abcd1234efgh5678");
        assert_eq!(
            verify(&key, VECTORS[1].2, VECTORS[2].1.as_bytes()),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                &SignatureKey::new("other"),
                VECTORS[1].2,
                VECTORS[1].1.as_bytes()
            ),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_told_apart_from_mismatches() {
        let key = SignatureKey::new("k");
        for h in ["", "sha256", "sha1=abc=", "sha256=***", "sha256=YWJj"] {
            assert!(
                matches!(verify(&key, h, b"x"), Err(SignatureError::Malformed(_))),
                "{h}"
            );
        }
        assert_eq!(format!("{key:?}"), "SignatureKey(***)");
    }
}
