//! The vendor's own rules, applied to each record the way the vendor API would: after the
//! job was accepted, one record at a time, answering with the vendor's message. They are
//! written here from the catalog's declarations (required, read-only, type, format, length,
//! picklist), simply and independently of the app's checks, so that the two can disagree.
//!
//! One rule has no counterpart in the metadata, so that tests can have rows the app accepts
//! and the vendor refuses: an e-mail address on the domain [`REFUSED_DOMAIN`] is refused
//! with [`REFUSED_MESSAGE`], as Pardot refuses addresses it will not mail; one on
//! [`CONFLICT_DOMAIN`] is refused with a message naming the address, as Eloqua words a
//! conflict.

use crate::catalog::ObjectSpec;
use crate::upload::Record;
use bulk_core::metadata::{Field, FieldType};

/// E-mail addresses on this domain (any letter case) are refused by the vendor.
pub const REFUSED_DOMAIN: &str = "refused.example";

/// The vendor's message for a refused address (Pardot's wording, from the API notes §6.1).
pub const REFUSED_MESSAGE: &str = "74234: Invalid prospect email address";

/// E-mail addresses on this domain (any letter case) are refused as conflicts, with a
/// message that names the address (Eloqua's wording, API notes §6.1): the one kind of
/// message a client can tie to its row when the error items carry nothing else.
pub const CONFLICT_DOMAIN: &str = "conflict.example";

/// The vendor's message for a conflicting address.
pub fn conflict_message(email: &str) -> String {
    format!("Conflicts Found - emailAddress {email}")
}

/// The vendor's verdict on one record: `Err(message)` as the vendor words it. The first
/// problem found, in the catalog's field order, is the one reported.
pub fn check(spec: &ObjectSpec, record: &Record) -> Result<(), String> {
    if let Some(problem) = &record.malformed {
        return Err(problem.clone());
    }
    for field in &spec.metadata.fields {
        // The vendor API ignores surrounding spaces in a value (names are another matter:
        // the header is matched exactly).
        let value = record.get(&field.name).map(str::trim).unwrap_or("");
        check_field(field, value)?;
    }
    Ok(())
}

fn check_field(field: &Field, value: &str) -> Result<(), String> {
    let name = &field.name;
    if field.read_only {
        return if value.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "400: Field '{name}' is read-only and cannot be set"
            ))
        };
    }
    if value.is_empty() {
        return if field.required {
            Err(format!("400: Required field '{name}' is missing"))
        } else {
            Ok(())
        };
    }
    if let Some(max) = field.max_length
        && value.chars().count() > max as usize
    {
        return Err(format!(
            "400: Field '{name}' exceeds the maximum length of {max}"
        ));
    }
    let well_typed = match &field.field_type {
        FieldType::Number => is_decimal(value),
        FieldType::Integer => is_integer(value),
        FieldType::Boolean => value == "true" || value == "false",
        FieldType::Date => is_iso_date(value),
        FieldType::DateTime => value.get(..10).is_some_and(is_iso_date),
        _ => true,
    };
    let is_email_field = field.format.as_deref() == Some("email");
    if !well_typed || (is_email_field && !is_email(value)) {
        let kind = if is_email_field {
            "email"
        } else {
            field.field_type.as_str()
        };
        return Err(format!(
            "400: Invalid value '{value}' for field '{name}' ({kind})"
        ));
    }
    if is_email_field && on_domain(value, REFUSED_DOMAIN) {
        return Err(REFUSED_MESSAGE.to_string());
    }
    if is_email_field && on_domain(value, CONFLICT_DOMAIN) {
        return Err(conflict_message(value));
    }
    if let Some(list) = &field.picklist
        && !list.iter().any(|p| p.eq_ignore_ascii_case(value))
    {
        return Err(format!("400: '{value}' is not a valid value for '{name}'"));
    }
    Ok(())
}

/// `[+-]digits`.
fn is_integer(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[+-]digits[.digits]`, `[+-].digits` too; no exponent, no thousands separator.
fn is_decimal(v: &str) -> bool {
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(int.is_empty() && frac.is_empty()) && all_digits(int) && all_digits(frac)
}

/// `YYYY-MM-DD`, a real calendar day: the vendor API takes ISO dates only.
fn is_iso_date(v: &str) -> bool {
    // Digits only, so `parse` cannot see a sign and `get` never splits a character.
    let num = |range: std::ops::Range<usize>| {
        v.get(range)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
    };
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The vendor's idea of an address: one `@`, something before it, a dotted domain after
/// it, no spaces.
fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !v.contains(char::is_whitespace)
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

fn on_domain(email: &str, wanted: &str) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::objects;

    fn rec(pairs: &[(&str, &str)]) -> Record {
        Record {
            values: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            malformed: None,
        }
    }

    fn contacts() -> ObjectSpec {
        objects().remove(0)
    }

    fn customers() -> ObjectSpec {
        objects().remove(1)
    }

    #[test]
    fn contacts_need_email_and_last_name() {
        let c = &contacts();
        assert!(check(c, &rec(&[("email", "a@x.io"), ("last_name", "A")])).is_ok());
        let e = check(c, &rec(&[("email", "a@x.io")])).unwrap_err();
        assert!(e.contains("last_name"), "{e}");
        assert!(check(c, &rec(&[("email", "bob@"), ("last_name", "A")])).is_err());
        assert!(
            check(
                c,
                &rec(&[("email", "a@x.io"), ("last_name", "A"), ("id", "9")])
            )
            .is_err()
        );
    }

    #[test]
    fn header_names_must_match_exactly() {
        let c = &contacts();
        let e = check(c, &rec(&[("email", "a@x.io"), ("last_name ", "A")])).unwrap_err();
        assert!(e.contains("Required field 'last_name'"), "{e}");
    }

    #[test]
    fn the_conflict_domain_is_refused_with_a_message_naming_the_address() {
        let c = &contacts();
        assert_eq!(
            check(
                c,
                &rec(&[("email", "cy@conflict.example"), ("last_name", "C")])
            ),
            Err("Conflicts Found - emailAddress cy@conflict.example".to_string())
        );
    }

    #[test]
    fn the_refused_domain_is_refused_with_the_vendor_message() {
        let c = &contacts();
        for email in ["ann@refused.example", "Bob@REFUSED.Example"] {
            assert_eq!(
                check(c, &rec(&[("email", email), ("last_name", "A")])),
                Err(REFUSED_MESSAGE.to_string())
            );
        }
        assert!(
            check(
                c,
                &rec(&[("email", "a@not-refused.example"), ("last_name", "A")])
            )
            .is_ok()
        );
    }

    #[test]
    fn customers_check_numbers_dates_booleans_and_reference_length() {
        let c = &customers();
        let base = [("reference", "C1"), ("name", "N")];
        let with = |k: &'static str, v: &'static str| {
            let mut r = base.to_vec();
            r.push((k, v));
            check(c, &rec(&r))
        };
        assert!(with("credit_limit", "12500.50").is_ok());
        assert!(with("credit_limit", "-.5").is_ok());
        assert!(with("credit_limit", "12500,50").is_err());
        assert!(with("credit_limit", "1e5").is_err());
        assert!(with("credit_limit", "NaN").is_err());
        assert!(with("on_hold", "true").is_ok());
        assert!(with("on_hold", "yes").is_err());
        assert!(with("account_opened", "2024-02-29").is_ok());
        assert!(with("account_opened", "2023-02-29").is_err());
        assert!(with("account_opened", "29/02/2024").is_err());
        assert!(with("account_opened", "2024-+2-01").is_err());
        assert!(with("account_opened", "2024-é-01").is_err());
        assert!(check(c, &rec(&[("reference", "TOO-LONG-REF"), ("name", "N")])).is_err());
    }

    #[test]
    fn picklists_and_malformed_records_are_refused() {
        let c = &contacts();
        let with = |salutation| {
            check(
                c,
                &rec(&[
                    ("email", "a@x.io"),
                    ("last_name", "A"),
                    ("salutation", salutation),
                ]),
            )
        };
        assert!(with("dr").is_ok());
        assert!(with("Sir").is_err());
        let mut m = rec(&[("email", "a@x.io"), ("last_name", "A")]);
        m.malformed = Some("400: short".into());
        assert_eq!(check(c, &m), Err("400: short".into()));
    }

    #[test]
    fn emails_are_checked_simply() {
        for good in ["a@x.io", "first.last+tag@mail.example.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "a@", "@x.io", "a@x", "a b@x.io", "a@@x.io", "a@x..io", "a@x.io.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
