//! Where the connector API lives and who is calling it. [`ApiBase`] turns what a person types
//! ("https://api.openconnectors.us2.ext.hana.ondemand.com", with or without
//! `/elements/api-v2`, with or without a hub) into one canonical base, and builds endpoint
//! URLs from path segments so object names and job ids are always percent-encoded.
//! [`Credentials`] builds the `Authorization` header and nothing else ever sees the secrets.

use crate::secret::Secret;
use url::Url;

/// The documented path prefix of every connector API call.
pub const API_PREFIX: &str = "elements/api-v2";

/// A checked base URL: `http(s)://host[:port]/…/elements/api-v2`, plus an optional hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase {
    root: Url,
    hub: Option<String>,
}

/// Why a typed base URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    /// Nothing was typed.
    #[error("the base URL is empty")]
    Empty,
    /// The text is not a URL at all.
    #[error("\"{input}\" is not a URL ({reason})")]
    NotAUrl {
        /// What was typed.
        input: String,
        /// The URL parser's reason.
        reason: String,
    },
    /// Only http and https reach a tenant.
    #[error("the base URL must start with http:// or https://, found \"{scheme}:\"")]
    Scheme {
        /// The scheme that was typed.
        scheme: String,
    },
    /// Secrets belong in the Authorization header, never in a URL.
    #[error("the base URL must not contain a user name, password or query string")]
    CarriesSecrets,
    /// A hub name with characters that cannot be a path segment.
    #[error("the hub \"{0}\" must be letters, digits, '-' or '_'")]
    Hub(String),
}

impl ApiBase {
    /// Parses a typed base URL. A missing `/elements/api-v2` is added, a trailing slash ignored,
    /// and a `/hubs/{hub}` suffix is taken as the hub unless `hub` names one.
    ///
    /// ```
    /// use bulk_core::ApiBase;
    /// let b = ApiBase::parse("http://127.0.0.1:8787/", Some("finance")).unwrap();
    /// assert_eq!(b.endpoint(&["bulk", "contacts"]).as_str(),
    ///            "http://127.0.0.1:8787/elements/api-v2/hubs/finance/bulk/contacts");
    /// let b = ApiBase::parse("https://x.example/elements/api-v2", None).unwrap();
    /// assert_eq!(b.endpoint(&["objects"]).as_str(), "https://x.example/elements/api-v2/objects");
    /// ```
    pub fn parse(input: &str, hub: Option<&str>) -> Result<ApiBase, BaseUrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(BaseUrlError::Empty);
        }
        let mut url = Url::parse(trimmed).map_err(|e| BaseUrlError::NotAUrl {
            input: trimmed.to_string(),
            reason: e.to_string(),
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(BaseUrlError::Scheme {
                scheme: url.scheme().to_string(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
            return Err(BaseUrlError::CarriesSecrets);
        }
        url.set_fragment(None);
        let mut segments: Vec<String> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        let mut found_hub = None;
        if segments.len() >= 2 && segments[segments.len() - 2] == "hubs" {
            found_hub = segments.pop();
            segments.pop();
        }
        if !segments.ends_with(&["elements".to_string(), "api-v2".to_string()]) {
            segments.push("elements".into());
            segments.push("api-v2".into());
        }
        url.set_path(&format!("/{}/", segments.join("/")));
        let hub = match hub.map(str::trim).filter(|h| !h.is_empty()) {
            Some(h) => Some(h.to_string()),
            None => found_hub,
        };
        if let Some(h) = &hub
            && !h
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(BaseUrlError::Hub(h.clone()));
        }
        Ok(ApiBase { root: url, hub })
    }

    /// The hub every call goes through, if any.
    pub fn hub(&self) -> Option<&str> {
        self.hub.as_deref()
    }

    /// `scheme://host[:port]`, the key under which per-tenant settings are remembered.
    pub fn origin(&self) -> String {
        self.root.origin().ascii_serialization()
    }

    /// The host the secrets would travel to unencrypted: `Some` for an `http://` address
    /// other than this machine (`localhost`, `127.0.0.0/8`, `[::1]`), where anyone on the way
    /// could read the Authorization header.
    ///
    /// ```
    /// use bulk_core::ApiBase;
    /// let plain = ApiBase::parse("http://tenant.example", None).unwrap();
    /// assert_eq!(plain.unencrypted_host().as_deref(), Some("tenant.example"));
    /// for local in ["http://127.0.0.1:8787", "http://localhost:9000", "http://[::1]", "https://t.example"] {
    ///     assert_eq!(ApiBase::parse(local, None).unwrap().unencrypted_host(), None, "{local}");
    /// }
    /// ```
    pub fn unencrypted_host(&self) -> Option<String> {
        if self.root.scheme() != "http" {
            return None;
        }
        let local = match self.root.host()? {
            url::Host::Domain(d) => {
                d.eq_ignore_ascii_case("localhost")
                    || d.to_ascii_lowercase().ends_with(".localhost")
            }
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        (!local).then(|| self.root.host_str().unwrap_or_default().to_string())
    }

    /// The URL of an API path: base, then `hubs/{hub}` when set, then `segments`, each
    /// percent-encoded as one path segment.
    pub fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.root.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            if let Some(hub) = &self.hub {
                path.push("hubs").push(hub);
            }
            path.extend(segments);
        }
        url
    }
}

/// The three secrets of an Open Connectors instance call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The user secret (account-wide).
    pub user: Secret,
    /// The organization secret; optional for instance calls.
    pub organization: Secret,
    /// The element (connector instance) token.
    pub element: Secret,
}

/// What is missing from a set of credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// No user secret.
    #[error("the User secret is empty")]
    MissingUser,
    /// No element token.
    #[error("the Element token is empty")]
    MissingElement,
}

impl Credentials {
    /// Checks that the parts every instance call needs are there.
    pub fn check(&self) -> Result<(), CredentialsError> {
        if self.user.is_blank() {
            return Err(CredentialsError::MissingUser);
        }
        if self.element.is_blank() {
            return Err(CredentialsError::MissingElement);
        }
        Ok(())
    }

    /// `User …, Organization …, Element …` (Organization left out when empty), as a secret.
    ///
    /// ```
    /// use bulk_core::{Credentials, Secret};
    /// let c = Credentials { user: Secret::new("u"), organization: Secret::new("o"),
    ///                       element: Secret::new("e") };
    /// assert_eq!(c.authorization().expose(), "User u, Organization o, Element e");
    /// ```
    pub fn authorization(&self) -> Secret {
        let mut parts = vec![format!("User {}", self.user.expose().trim())];
        if !self.organization.is_blank() {
            parts.push(format!(
                "Organization {}",
                self.organization.expose().trim()
            ));
        }
        parts.push(format!("Element {}", self.element.expose().trim()));
        Secret::new(parts.join(", "))
    }
}

/// The parts of an `Authorization` header value, as the sandbox reads them. Order does not
/// matter and unknown kinds are ignored, as on the real platform.
///
/// ```
/// let p = bulk_core::connection::parse_authorization("Element e, User u");
/// assert_eq!(p.user.as_deref(), Some("u"));
/// assert_eq!(p.element.as_deref(), Some("e"));
/// assert_eq!(p.organization, None);
/// ```
pub fn parse_authorization(header: &str) -> AuthorizationParts {
    let mut parts = AuthorizationParts::default();
    for piece in header.split(',') {
        let piece = piece.trim();
        let (kind, value) = piece.split_once(' ').unwrap_or((piece, ""));
        let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        match kind {
            "User" => parts.user = value,
            "Organization" => parts.organization = value,
            "Element" => parts.element = value,
            _ => {}
        }
    }
    parts
}

/// The secrets found in an `Authorization` header.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AuthorizationParts {
    /// `User <x>`.
    pub user: Option<String>,
    /// `Organization <x>`.
    pub organization: Option<String>,
    /// `Element <x>`.
    pub element: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_suffix_in_the_url_is_taken_as_the_hub() {
        let b = ApiBase::parse("https://t.example/elements/api-v2/hubs/finance/", None).unwrap();
        assert_eq!(b.hub(), Some("finance"));
        assert_eq!(
            b.endpoint(&["objects"]).as_str(),
            "https://t.example/elements/api-v2/hubs/finance/objects"
        );
    }

    #[test]
    fn segments_are_percent_encoded() {
        let b = ApiBase::parse("http://h:1", None).unwrap();
        assert_eq!(
            b.endpoint(&["bulk", "a/b c", "status"]).as_str(),
            "http://h:1/elements/api-v2/bulk/a%2Fb%20c/status"
        );
    }

    #[test]
    fn urls_with_secrets_or_other_schemes_are_refused() {
        assert_eq!(
            ApiBase::parse("https://u:p@t.example", None),
            Err(BaseUrlError::CarriesSecrets)
        );
        assert_eq!(
            ApiBase::parse("https://t.example/?token=x", None),
            Err(BaseUrlError::CarriesSecrets)
        );
        assert!(matches!(
            ApiBase::parse("ftp://t.example", None),
            Err(BaseUrlError::Scheme { .. })
        ));
        assert!(matches!(
            ApiBase::parse("not a url", None),
            Err(BaseUrlError::NotAUrl { .. })
        ));
        assert_eq!(ApiBase::parse("  ", None), Err(BaseUrlError::Empty));
        assert!(matches!(
            ApiBase::parse("http://h", Some("fin ance")),
            Err(BaseUrlError::Hub(_))
        ));
    }

    #[test]
    fn organization_is_left_out_when_empty() {
        let c = Credentials {
            user: Secret::new("u"),
            organization: Secret::new(" "),
            element: Secret::new("e"),
        };
        assert_eq!(c.authorization().expose(), "User u, Element e");
        assert_eq!(c.check(), Ok(()));
        let c = Credentials {
            element: Secret::default(),
            ..c
        };
        assert_eq!(c.check(), Err(CredentialsError::MissingElement));
    }
}
