//! The built-in value checks, each a pure function of one cell's text. They return what is
//! wrong in words that finish the sentence "line 12, column "C_EmailAddress": ...", and a
//! suggested fix when one is knowable. E-mail follows the HTML standard's `<input
//! type=email>` rule, URLs the WHATWG URL standard, phones are lenient, numbers respect the
//! file's decimal separator.
//!
//! Only ASCII whitespace (tab, line feed, form feed, carriage return, space) counts as
//! spacing around a typed value, as in the HTML standard: a no-break space or an ideographic
//! space is part of the value, and makes an e-mail address invalid as it does in the
//! browser, instead of passing here and reaching the connector.

use std::borrow::Cow;
use url::Url;

/// The verdict on one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Fine.
    Ok,
    /// Sent as it is, but worth a look.
    Warning {
        /// What is odd.
        message: String,
        /// A replacement value, when one is clear.
        suggestion: Option<String>,
    },
    /// Not sent.
    Error {
        /// What is wrong and how to fix it.
        message: String,
    },
}

fn error(message: String) -> Verdict {
    Verdict::Error { message }
}

/// True for a valid e-mail address as `<input type=email>` accepts it (HTML standard:
/// `1*( atext / "." ) "@" label *( "." label )`, labels of letters, digits and inner
/// hyphens, at most 63 characters). `s` is taken as it is: the browser first sanitizes
/// what was typed, see [`input_value`].
///
/// ```
/// use bulk_core::checks::is_email;
/// assert!(is_email("norm.smith@acme.com"));
/// assert!(is_email("a+b@localhost"));
/// assert!(!is_email("bob@"));
/// assert!(!is_email("not-an-email"));
/// assert!(!is_email("a b@x.io"));
/// ```
pub fn is_email(s: &str) -> bool {
    let Some(at) = memchr::memchr(b'@', s.as_bytes()) else {
        return false;
    };
    let (local, domain) = (&s.as_bytes()[..at], &s.as_bytes()[at + 1..]);
    !local.is_empty()
        && local.iter().all(|c| ATEXT[*c as usize])
        && !domain.is_empty()
        && domain.split(|c| *c == b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && label[0] != b'-'
                && label[label.len() - 1] != b'-'
        })
}

/// The bytes an e-mail's local part may hold: letters, digits and ``!#$%&'*+/=?^_`{|}~.-``.
const ATEXT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'/'
                    | b'='
                    | b'?'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
                    | b'.'
                    | b'-'
            );
        c += 1;
    }
    t
};

/// What `<input type=email>` and `<input type=url>` make of a value before judging it (the
/// HTML standard's value sanitization, as Chromium does it): line breaks (LF, CR) removed,
/// then ASCII whitespace stripped at both ends. Any other space stays.
///
/// ```
/// use bulk_core::checks::input_value;
/// assert_eq!(input_value(" a@b.example\t"), "a@b.example");
/// assert_eq!(input_value("a@b\r\n.example"), "a@b.example");
/// assert_eq!(input_value("a@b.example\u{a0}"), "a@b.example\u{a0}");
/// ```
pub fn input_value(s: &str) -> Cow<'_, str> {
    let s = s.trim_ascii();
    if memchr::memchr2(b'\n', b'\r', s.as_bytes()).is_some() {
        // Trimming again: a line break may have hidden spaces at an end ("a@b \n").
        s.replace(['\n', '\r'], "").trim_ascii().to_string().into()
    } else {
        s.into()
    }
}

/// `s` without leading and trailing whitespace of any kind; free when there is none (the
/// usual case). For warnings and uniqueness, never for what is sent.
pub fn trimmed(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// At most this many characters of a value are quoted in a message.
pub const EXCERPT_CHARS: usize = 60;

/// A value as a message quotes it: whole, or its first [`EXCERPT_CHARS`] characters and "…"
/// (a cell of megabytes, quoted whole, went into every message about it, its tooltip and the
/// report).
///
/// ```
/// use bulk_core::checks::excerpt;
/// assert_eq!(excerpt("bob@"), "bob@");
/// assert_eq!(excerpt(&"é".repeat(100)), format!("{}…", "é".repeat(60)));
/// ```
pub fn excerpt(value: &str) -> Cow<'_, str> {
    first_chars(value, EXCERPT_CHARS)
}

/// `text` whole, or its first `chars` characters and "…" (cut at a character, never inside
/// one).
pub fn first_chars(text: &str, chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(chars) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

/// Checks an e-mail value, as sanitized by [`input_value`].
pub fn email(value: &str) -> Verdict {
    if is_email(value) {
        Verdict::Ok
    } else {
        error(format!(
            "expected an e-mail address like name@example.com, found \"{}\"{}",
            excerpt(value),
            invisible(value)
        ))
    }
}

/// Names a space a person cannot see in a value ("; it contains a no-break space
/// (U+00A0)"), so that an error about a value that looks right can be understood.
fn invisible(value: &str) -> String {
    match value
        .chars()
        .find(|c| (c.is_whitespace() && *c != ' ') || c.is_control())
    {
        Some(c) => {
            let name = match c {
                '\t' => "a tab",
                '\u{a0}' | '\u{202f}' => "a no-break space",
                '\u{3000}' => "an ideographic space",
                '\u{2028}' => "a line separator",
                '\u{2029}' => "a paragraph separator",
                _ if c.is_whitespace() => "an unusual space",
                _ => "a control character",
            };
            format!("; it contains {name} (U+{:04X})", c as u32)
        }
        None => String::new(),
    }
}

/// Checks a web address: `http(s)://` and a host, by the WHATWG URL rules. A bare
/// `www.example.com` is a warning with the `https://` form suggested.
///
/// ```
/// use bulk_core::checks::{url, Verdict};
/// assert_eq!(url("https://www.acme.com/x"), Verdict::Ok);
/// assert!(matches!(url("www.example.cn"), Verdict::Warning { suggestion: Some(s), .. }
///                  if s == "https://www.example.cn"));
/// assert!(matches!(url("htp:/broken url"), Verdict::Error { .. }));
/// ```
pub fn url(value: &str) -> Verdict {
    if simple_web_address(value) {
        return Verdict::Ok;
    }
    let lower = value.to_ascii_lowercase();
    let bad = || {
        error(format!(
            "expected a web address like https://example.com, found \"{}\"{}",
            excerpt(value),
            invisible(value)
        ))
    };
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return match Url::parse(value) {
            Ok(u)
                if u.host_str()
                    .is_some_and(|h| h.contains('.') || h == "localhost")
                    && !value.contains(char::is_whitespace) =>
            {
                Verdict::Ok
            }
            _ => bad(),
        };
    }
    let looks_like_domain = !value.contains(char::is_whitespace)
        && !value.contains(':')
        && value
            .split('/')
            .next()
            .is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'));
    if looks_like_domain {
        let fixed = format!("https://{value}");
        if Url::parse(&fixed).is_ok() {
            return Verdict::Warning {
                message: format!(
                    "\"{value}\" has no http:// or https://; the connector may refuse it"
                ),
                suggestion: Some(fixed),
            };
        }
    }
    bad()
}

/// `http(s)://` + a plain ASCII host with a dot + printable path: always a valid URL, so the
/// common case skips the full (allocating) WHATWG parse. One pass over the bytes: it runs
/// for every web address of a file.
pub(crate) fn simple_web_address(value: &str) -> bool {
    let b = value.as_bytes();
    let rest = match (b.get(..8), b.get(..7)) {
        (Some(p), _) if p.eq_ignore_ascii_case(b"https://") => &b[8..],
        (_, Some(p)) if p.eq_ignore_ascii_case(b"http://") => &b[7..],
        _ => return false,
    };
    // The host: labels of letters, digits and `-` (not at a label's ends), at least two.
    let (mut label, mut dots, mut prev) = (0usize, 0usize, b'.');
    let mut at = rest.len();
    for (i, &c) in rest.iter().enumerate() {
        match c {
            b'/' => {
                at = i;
                break;
            }
            b'.' if label == 0 || prev == b'-' => return false,
            b'.' => {
                dots += 1;
                label = 0;
            }
            b'-' if label == 0 => return false,
            b'-' => label += 1,
            c if c.is_ascii_alphanumeric() => label += 1,
            _ => return false,
        }
        prev = c;
    }
    // A host whose last label starts with a digit may be a number (`1.2.3.4`, `a.123`,
    // `x.0x1f`): an IPv4 address to the URL rules, valid or not. The full parse judges it.
    let number = rest.get(at - label).is_some_and(u8::is_ascii_digit);
    dots > 0 && label > 0 && prev != b'-' && !number && rest[at..].iter().all(|&c| PATH[c as usize])
}

/// The bytes a simple web address's path may hold: visible ASCII but `\ % < > " ` { } | ^`.
const PATH: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_graphic()
            && !matches!(
                b,
                b'\\' | b'%' | b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'^'
            );
        c += 1;
    }
    t
};

/// Checks a phone number, leniently: digits, spaces, `+`, `()`, `-`, `.`, `/` and an `x` or
/// `ext` extension pass; letters or unbalanced parentheses are a warning, never an error.
///
/// ```
/// use bulk_core::checks::{phone, Verdict};
/// assert_eq!(phone("+1 (212) 555-0199 x12"), Verdict::Ok);
/// assert!(matches!(phone("444) 444-1234"), Verdict::Warning { .. }));
/// ```
pub fn phone(value: &str) -> Verdict {
    let b = value.as_bytes();
    if plain_phone(b) {
        return Verdict::Ok;
    }
    // The number ends where an extension starts ("x12", "ext. 12").
    let end = b
        .iter()
        .enumerate()
        .position(|(i, c)| {
            matches!(c, b'x' | b'X')
                || b[i..]
                    .get(..3)
                    .is_some_and(|e| e.eq_ignore_ascii_case(b"ext"))
        })
        .unwrap_or(b.len());
    let mut depth = 0i32;
    let mut balanced = true;
    let (mut digits, mut odd) = (0usize, false);
    for c in &b[..end] {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                balanced &= depth >= 0;
            }
            b'0'..=b'9' => digits += 1,
            b' ' | b'+' | b'-' | b'.' | b'/' => {}
            _ => odd = true,
        }
    }
    balanced &= depth == 0;
    if !balanced {
        Verdict::Warning {
            message: format!("\"{value}\" has unbalanced parentheses; check the number"),
            suggestion: None,
        }
    } else if odd {
        Verdict::Warning {
            message: format!(
                "\"{value}\" contains letters or symbols a phone number does not have"
            ),
            suggestion: None,
        }
    } else if digits < 3 {
        Verdict::Warning {
            message: format!("\"{value}\" has too few digits for a phone number"),
            suggestion: None,
        }
    } else {
        Verdict::Ok
    }
}

/// A phone number in the usual form, which [`phone`] passes: digits, spaces and `+-./`,
/// balanced parentheses, three digits or more, in one pass. Anything else (an extension, a
/// letter) is for [`phone`] to judge.
pub(crate) fn plain_phone(b: &[u8]) -> bool {
    let (mut depth, mut digits) = (0i32, 0usize);
    for c in b {
        match c {
            b'0'..=b'9' => digits += 1,
            b' ' | b'+' | b'-' | b'.' | b'/' => {}
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => return false,
        }
    }
    depth == 0 && digits >= 3
}

/// Reads a number as typed in a file whose dialect uses `decimal_comma` or not, and
/// returns it in the API's form (`.` decimal, no grouping). `None` when it is not a number.
///
/// ```
/// use bulk_core::checks::parse_number;
/// assert_eq!(parse_number("12500,50", true).as_deref(), Some("12500.50"));
/// assert_eq!(parse_number("1.234.567,5", true).as_deref(), Some("1234567.5"));
/// assert_eq!(parse_number("1,234.5", false).as_deref(), Some("1234.5"));
/// assert_eq!(parse_number("007", false).as_deref(), Some("007"));
/// assert_eq!(parse_number("12,5", false), None);
/// assert_eq!(parse_number("abc", false), None);
/// ```
pub fn parse_number(value: &str, decimal_comma: bool) -> Option<String> {
    let v = value.trim_ascii();
    let (sign, body) = match v.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", v.strip_prefix('+').unwrap_or(v)),
    };
    let (dec, group) = if decimal_comma {
        (',', '.')
    } else {
        ('.', ',')
    };
    let (int, frac) = match body.split_once(dec) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() && frac.is_none() {
        return None;
    }
    let int_digits: String = if int.contains(group) {
        let groups: Vec<&str> = int.split(group).collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        int.to_string()
    };
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let int_part = if int_digits.is_empty() {
                "0"
            } else {
                &int_digits
            };
            Some(format!("{sign}{int_part}.{f}"))
        }
        Some(_) => None,
        None => Some(format!("{sign}{int_digits}")),
    }
}

/// Checks a decimal number.
pub fn number(value: &str, decimal_comma: bool) -> Verdict {
    match parse_number(value, decimal_comma) {
        Some(_) => Verdict::Ok,
        None => error(format!(
            "expected a number like {}, found \"{}\"",
            if decimal_comma { "1234,56" } else { "1234.56" },
            excerpt(value)
        )),
    }
}

/// Checks a whole number.
pub fn integer(value: &str, decimal_comma: bool) -> Verdict {
    match parse_number(value, decimal_comma) {
        Some(n) if !n.contains('.') => Verdict::Ok,
        _ => error(format!(
            "expected a whole number like 42, found \"{}\"",
            excerpt(value)
        )),
    }
}

/// Reads a yes/no value as `true`/`false`.
///
/// ```
/// assert_eq!(bulk_core::checks::parse_boolean("Yes"), Some(true));
/// assert_eq!(bulk_core::checks::parse_boolean("0"), Some(false));
/// assert_eq!(bulk_core::checks::parse_boolean("maybe"), None);
/// ```
pub fn parse_boolean(value: &str) -> Option<bool> {
    match value.trim_ascii().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "t" => Some(true),
        "false" | "no" | "n" | "0" | "f" => Some(false),
        _ => None,
    }
}

/// Checks a yes/no value.
pub fn boolean(value: &str) -> Verdict {
    match parse_boolean(value) {
        Some(_) => Verdict::Ok,
        None => error(format!(
            "expected true or false (or yes/no, 1/0), found \"{}\"",
            excerpt(value)
        )),
    }
}

/// Checks a date against a mask such as `yyyy-MM-dd` or `dd/MM/yyyy HH:mm:ss` (default
/// `yyyy-MM-dd`): the digits and separators must line up and the month and day exist.
///
/// ```
/// use bulk_core::checks::{date, Verdict};
/// assert_eq!(date("2026-02-28", None), Verdict::Ok);
/// assert!(matches!(date("2026-02-30", None), Verdict::Error { .. }));
/// assert_eq!(date("28/02/2026", Some("dd/MM/yyyy")), Verdict::Ok);
/// ```
pub fn date(value: &str, mask: Option<&str>) -> Verdict {
    let mask = mask
        .filter(|m| !m.trim().is_empty())
        .unwrap_or("yyyy-MM-dd");
    if fits(value, mask) {
        return Verdict::Ok;
    }
    error(match written_as(value, mask) {
        Some(fixed) => {
            format!(
                "expected a date written {mask}, found \"{}\"; write it {fixed}",
                excerpt(value)
            )
        }
        None => format!(
            "expected a date written {mask}, found \"{}\"",
            excerpt(value)
        ),
    })
}

/// Whether `value` is a real date (and time) written exactly as `mask`.
fn fits(value: &str, mask: &str) -> bool {
    let v: Vec<char> = value.trim_ascii().chars().collect();
    let m: Vec<char> = mask.chars().collect();
    if v.len() != m.len() {
        return false;
    }
    let (mut year, mut month, mut day) = (String::new(), String::new(), String::new());
    for (vc, mc) in v.iter().zip(&m) {
        match mc {
            'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'S' => {
                if !vc.is_ascii_digit() {
                    return false;
                }
                match mc {
                    'y' => year.push(*vc),
                    'M' => month.push(*vc),
                    'd' => day.push(*vc),
                    _ => {}
                }
            }
            other if other == vc => {}
            _ => return false,
        }
    }
    let (y, mo, d) = (
        year.parse::<u32>().ok(),
        month.parse::<u32>().ok(),
        day.parse::<u32>().ok(),
    );
    if let Some(mo) = mo {
        if !(1..=12).contains(&mo) {
            return false;
        }
        if let Some(d) = d {
            let leap = y.is_some_and(|y| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
            let days = match mo {
                2 if leap || y.is_none() => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d == 0 || d > days {
                return false;
            }
        }
    }
    true
}

/// `value` written as `mask` asks, when it is a date in another common order whose reading
/// is not in doubt: day first (`28/02/2026`, `28.02.2026`) when the day is over 12, month
/// first (`02/28/2026`) when the day is over 12, or year first (`2026/02/28`). `None` for
/// `03/04/2026` (April or March?) and for masks with a time.
fn written_as(value: &str, mask: &str) -> Option<String> {
    let parts: Vec<&str> = value.trim_ascii().split(['/', '.', '-']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let num = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (a, b, c, year_first) = (num(a)?, num(b)?, num(c)?, a.len() == 4);
    let (y, m, d) = if year_first {
        (a, b, c)
    } else if c < 1000 {
        return None;
    } else if a > 12 && b <= 12 {
        (c, b, a)
    } else if b > 12 && a <= 12 {
        (c, a, b)
    } else {
        return None;
    };
    let fixed = mask
        .replace("yyyy", &format!("{y:04}"))
        .replace("MM", &format!("{m:02}"))
        .replace("dd", &format!("{d:02}"));
    // Only a mask of year, month and day; and only a real date.
    let real = fits(&fixed, mask);
    (!fixed.chars().any(|c| c.is_ascii_alphabetic()) && (1..=12).contains(&m) && real)
        .then_some(fixed)
}

/// Leading or trailing spaces: a warning with the trimmed value as the fix.
pub fn whitespace(value: &str) -> Verdict {
    let t = trimmed(value);
    if t.len() != value.len() && !t.is_empty() {
        Verdict::Warning {
            message: "has spaces at the start or end".to_string(),
            suggestion: Some(t.to_string()),
        }
    } else {
        Verdict::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_table() {
        let valid = [
            "a@b",
            "x.y+z@sub.example.co.uk",
            "o'connor@example.ie",
            "1@2.3",
            "a@xn--bcher-kva.example",
        ];
        let invalid = [
            "",
            "@x.io",
            "x@",
            "x@.io",
            "x@io.",
            "x@-io.com",
            "x@io-.com",
            "a b@x.io",
            "a@b@c",
            "=cmd|' /C calc'!A0@evil.example",
            "jürgen@x.at",
            "x@exa_mple.com",
        ];
        for v in valid {
            assert!(is_email(v), "{v} should be valid");
        }
        for v in invalid {
            assert!(!is_email(v), "{v} should be invalid");
        }
    }

    #[test]
    fn only_ascii_whitespace_is_taken_off_an_address() {
        for (typed, sanitized) in [
            (" a@b.example\t", "a@b.example"),
            ("\u{c}a@b.example\r\n", "a@b.example"),
            ("a@b\n.exa\rmple", "a@b.example"),
            ("a@b \n", "a@b"),
        ] {
            assert_eq!(input_value(typed), sanitized, "{typed:?}");
            assert!(is_email(&input_value(typed)), "{typed:?}");
        }
        for typed in [
            "a@b.example\u{a0}",
            "\u{3000}a@b.example",
            "a@b.example\u{2028}",
            "a@b.example\u{b}",
            "a@b\t.example",
        ] {
            assert_eq!(input_value(typed), typed.trim_ascii(), "{typed:?}");
            assert!(!is_email(&input_value(typed)), "{typed:?}");
        }
        let Verdict::Error { message } = email("a@b.example\u{a0}") else {
            panic!("a no-break space is an error")
        };
        assert!(
            message.ends_with("it contains a no-break space (U+00A0)"),
            "{message}"
        );
    }

    #[test]
    fn typed_numbers_and_booleans_lose_only_ascii_whitespace() {
        assert_eq!(parse_number("\t12 ", false).as_deref(), Some("12"));
        assert_eq!(parse_number("12\u{a0}", false), None);
        assert_eq!(parse_boolean(" yes\n"), Some(true));
        assert_eq!(parse_boolean("yes\u{3000}"), None);
        assert!(matches!(
            date("2026-02-28\u{2028}", None),
            Verdict::Error { .. }
        ));
    }

    #[test]
    fn url_table() {
        for v in [
            "http://ejemplo.es",
            "https://www.beispiel.de/a?b=c",
            "http://localhost:8080",
        ] {
            assert_eq!(url(v), Verdict::Ok, "{v}");
        }
        for v in [
            "htp:/broken url",
            "https://",
            "https://exa mple.com",
            "ftp://x.com",
            "just words",
            "http://nodot",
            // A host ending in a number is an IPv4 address to the URL rules: not a valid one.
            "http://a.123",
            "https://example.1",
            "http://1.2.3.999",
        ] {
            assert!(matches!(url(v), Verdict::Error { .. }), "{v}");
        }
        for v in ["www.example.cn", "acme.com/path"] {
            assert!(matches!(url(v), Verdict::Warning { .. }), "{v}");
        }
    }

    /// [`simple_web_address`] as it was written first, piece by piece: the reference its
    /// one-pass form is held to.
    fn simple_web_address_by_parts(value: &str) -> bool {
        let rest = match value.get(..8) {
            Some(p) if p.eq_ignore_ascii_case("https://") => &value[8..],
            _ => match value.get(..7) {
                Some(p) if p.eq_ignore_ascii_case("http://") => &value[7..],
                _ => return false,
            },
        };
        let rest = rest.as_bytes();
        let (host, path) = match memchr::memchr(b'/', rest) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, &b""[..]),
        };
        memchr::memchr(b'.', host).is_some()
            && host
                .rsplit(|b| *b == b'.')
                .next()
                .is_some_and(|l| l.first().is_some_and(|c| !c.is_ascii_digit()))
            && host.split(|b| *b == b'.').all(|l| {
                !l.is_empty()
                    && l.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                    && l[0] != b'-'
                    && l[l.len() - 1] != b'-'
            })
            && path.iter().all(|b| {
                b.is_ascii_graphic()
                    && !matches!(
                        b,
                        b'\\' | b'%' | b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'^'
                    )
            })
    }

    #[test]
    fn the_one_pass_web_address_check_agrees_with_the_piecewise_one() {
        // A scheme (or something like one), a host of usual and unusual pieces, then maybe a
        // path: enough of each to pass often and to fail at every step.
        const SCHEMES: &[&str] = &["http://", "https://", "HTTPS://", "htt", "http:/", ""];
        const HOST: &[&str] = &[
            "a", "Z", "9", "example", ".co", ".", "-", "x-y", ".123", "0x1f", "é", "_", ":", " ",
            "..",
        ];
        const PATH: &[&str] = &[
            "/", "a", "?", "%", " ", "é", "\\", "^", "#", "=", "\u{a0}", "\n", "~",
        ];
        let mut rng = crate::test_rng::Rng(0xC0FF_EE11);
        let mut simple = 0;
        for _ in 0..200_000 {
            let mut v = String::from(SCHEMES[rng.next(SCHEMES.len())]);
            for _ in 0..1 + rng.next(6) {
                // Mostly the pieces of a good host (the first eight).
                let pick = if rng.next(4) == 0 { HOST.len() } else { 8 };
                v.push_str(HOST[rng.next(pick)]);
            }
            if rng.next(2) == 0 {
                v.push('/');
                for _ in 0..rng.next(4) {
                    v.push_str(PATH[rng.next(PATH.len())]);
                }
            }
            let want = simple_web_address_by_parts(&v);
            assert_eq!(simple_web_address(&v), want, "{v:?}");
            // What the shortcut passes, the URL rules pass.
            assert!(!want || Url::parse(&v).is_ok(), "{v:?}");
            simple += usize::from(want);
        }
        assert!(simple > 5_000, "{simple}");
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_parse() {
        for v in [
            "http://a.io",
            "https://www.x.co.uk/a/b?c=d#e",
            "http://a-b.io/",
            "HTTPS://X.IO",
        ] {
            assert!(simple_web_address(v), "{v}");
            assert!(Url::parse(v).is_ok(), "{v}");
        }
        for v in [
            "http://nodot",
            "http://a..io",
            "http://-a.io",
            "https://a.io/x y",
            "ftp://a.io",
            "http://a.io/%zz",
            "http://a.123",
            "http://1.2.3.4",
        ] {
            assert!(!simple_web_address(v), "{v}");
        }
    }

    #[test]
    fn phone_table() {
        for v in [
            "(333) 333-1234",
            "+49 30 1234567",
            "555.0101",
            "+1 (212) 555-0199",
            "020 7946 0018 ext 12",
        ] {
            assert_eq!(phone(v), Verdict::Ok, "{v}");
        }
        for v in ["444) 444-1234", "(12 34", "call me", "12"] {
            assert!(matches!(phone(v), Verdict::Warning { .. }), "{v}");
        }
    }

    #[test]
    fn number_table() {
        assert_eq!(number("12500,50", true), Verdict::Ok);
        assert!(matches!(number("12500,50", false), Verdict::Error { .. }));
        assert_eq!(number("-0.5", false), Verdict::Ok);
        assert_eq!(parse_number(",5", true).as_deref(), Some("0.5"));
        assert_eq!(parse_number("1,23,4", false), None);
        assert_eq!(parse_number("", false), None);
        assert_eq!(integer("42", false), Verdict::Ok);
        assert!(matches!(integer("4.2", false), Verdict::Error { .. }));
    }

    #[test]
    fn date_and_boolean_and_whitespace() {
        assert!(matches!(date("2025-02-29", None), Verdict::Error { .. }));
        assert_eq!(date("2024-02-29", None), Verdict::Ok);
        assert_eq!(
            date("2024-02-29 13:05:00", Some("yyyy-MM-dd HH:mm:ss")),
            Verdict::Ok
        );
        assert!(matches!(date("29.02.2024", None), Verdict::Error { .. }));
        assert_eq!(boolean("No"), Verdict::Ok);
        assert!(matches!(boolean("nope"), Verdict::Error { .. }));
        assert!(
            matches!(whitespace(" a "), Verdict::Warning { suggestion: Some(s), .. } if s == "a")
        );
        assert_eq!(whitespace("   "), Verdict::Ok);
    }

    #[test]
    fn a_date_in_another_order_says_how_to_write_it_when_that_is_certain() {
        let message = |v: &str, mask: &str| match date(v, Some(mask)) {
            Verdict::Error { message } => message,
            other => format!("{other:?}"),
        };
        assert!(message("28/02/2026", "yyyy-MM-dd").ends_with("; write it 2026-02-28"));
        assert!(message("02/28/2026", "yyyy-MM-dd").ends_with("; write it 2026-02-28"));
        assert!(message("2026.02.28", "dd/MM/yyyy").ends_with("; write it 28/02/2026"));
        // Which is the month is not certain, nor is a date that does not exist, nor a time.
        assert!(!message("03/04/2026", "yyyy-MM-dd").contains("write it"));
        assert!(!message("31/02/2026", "yyyy-MM-dd").contains("write it"));
        assert!(!message("28/02/2026", "yyyy-MM-dd HH:mm").contains("write it"));
        assert!(!message("28/02/26", "yyyy-MM-dd").contains("write it"));
        assert_eq!(date("2026-02-28", Some("yyyy-MM-dd")), Verdict::Ok);
    }
}
