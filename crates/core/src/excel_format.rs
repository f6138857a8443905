//! Excel cell values as the person saw them. A workbook stores numbers and dates as floats
//! plus a number format ("0000", "#,##0.00", "dd/mm/yyyy", "0.0%"); showing the float would
//! turn a postcode 00742 into 742 and a date into 45992. This renders the common formats
//! the way Excel does; anything it does not understand falls back to Excel's General.

/// A value from a worksheet cell.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue<'a> {
    /// A number.
    Number(f64),
    /// A date/time as an Excel serial (days since 1899-12-30; fractions are the time).
    Date(f64),
    /// Text.
    Text(&'a str),
    /// TRUE/FALSE.
    Bool(bool),
    /// An error such as #N/A.
    Error(&'a str),
    /// Nothing.
    Empty,
}

/// Renders `value` under `format` (an Excel format code; `None` or "General" for none).
///
/// ```
/// use bulk_core::excel_format::{render, CellValue};
/// assert_eq!(render(&CellValue::Number(742.0), Some("00000")), "00742");
/// assert_eq!(render(&CellValue::Number(12500.5), Some("#,##0.00")), "12,500.50");
/// assert_eq!(render(&CellValue::Number(0.125), Some("0.0%")), "12.5%");
/// assert_eq!(render(&CellValue::Date(46000.0), Some("dd/mm/yyyy")), "09/12/2025");
/// assert_eq!(render(&CellValue::Date(46000.5), None), "2025-12-09 12:00:00");
/// assert_eq!(render(&CellValue::Number(0.1 + 0.2), None), "0.3");
/// ```
pub fn render(value: &CellValue, format: Option<&str>) -> String {
    let format = format
        .map(str::trim)
        .filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("general"));
    match value {
        CellValue::Empty => String::new(),
        CellValue::Text(t) => t.to_string(),
        CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        CellValue::Error(e) => e.to_string(),
        CellValue::Date(serial) => match format {
            Some(f) if is_date_format(f) => date(*serial, f),
            _ => default_date(*serial),
        },
        CellValue::Number(n) => match format {
            Some(f) if is_date_format(f) => date(*n, f),
            Some(f) => number(*n, f).unwrap_or_else(|| general(*n)),
            None => general(*n),
        },
    }
}

/// Excel's General format: integers as is, others to 15 significant digits.
///
/// ```
/// assert_eq!(bulk_core::excel_format::general(1e20), "1E+20");
/// assert_eq!(bulk_core::excel_format::general(-3.0), "-3");
/// ```
pub fn general(n: f64) -> String {
    if !n.is_finite() {
        return "#NUM!".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let digits = format!("{n:.14e}");
    let parsed: f64 = digits.parse().unwrap_or(n);
    if parsed.abs() >= 1e15 || (parsed != 0.0 && parsed.abs() < 1e-9) {
        let (mantissa, exp) = digits.split_once('e').unwrap_or((&digits, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exp: i32 = exp.parse().unwrap_or(0);
        return format!(
            "{mantissa}E{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    format!("{parsed}")
}

/// Strips `[Red]`, `[$-409]` and the like, quotes and escapes, keeping the code's tokens.
fn section(format: &str, negative: bool) -> (String, bool) {
    let sections: Vec<&str> = split_sections(format);
    let (chosen, own_sign) = match (negative, sections.len()) {
        (true, n) if n >= 2 => (sections[1], true),
        _ => (sections[0], false),
    };
    (chosen.to_string(), own_sign)
}

fn split_sections(format: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut bracket) = (0, false, false);
    for (i, c) in format.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => {
                out.push(&format[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&format[start..]);
    out
}

/// Splits a format section into the literal text before the number, the number pattern
/// (`0`, `#`, `?`, `,`, `.`), and the literal text after it.
fn literals_and_core(section: &str) -> (String, String, String) {
    let mut parts = [String::new(), String::new(), String::new()];
    let mut chars = section.chars().peekable();
    let side = |parts: &[String; 3]| if parts[1].is_empty() { 0 } else { 2 };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let i = side(&parts);
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    parts[i].push(q);
                }
            }
            '\\' => {
                let i = side(&parts);
                if let Some(n) = chars.next() {
                    parts[i].push(n);
                }
            }
            '[' => {
                // A currency symbol [$€-2] is shown; colours and locales are not.
                let inner: String = chars.by_ref().take_while(|q| *q != ']').collect();
                if let Some(sym) = inner.strip_prefix('$') {
                    let i = side(&parts);
                    parts[i].push_str(sym.split('-').next().unwrap_or(""));
                }
            }
            '_' => {
                chars.next();
                let i = side(&parts);
                parts[i].push(' ');
            }
            '*' => {
                chars.next();
            }
            '0' | '#' | '?' | '.' | ',' if parts[2].is_empty() => parts[1].push(c),
            other => {
                let i = side(&parts);
                parts[i].push(other);
            }
        }
    }
    let [prefix, core, suffix] = parts;
    (prefix, core, suffix)
}

/// Renders a number under a numeric format code; `None` for codes it does not know.
fn number(n: f64, format: &str) -> Option<String> {
    if format == "@" {
        return Some(general(n));
    }
    let (section, own_sign) = section(format, n < 0.0);
    let (prefix, core, suffix) = literals_and_core(&section);
    if core.is_empty() {
        return Some(format!("{prefix}{suffix}"));
    }
    let percent = suffix.contains('%') || prefix.contains('%');
    let value = if percent { n.abs() * 100.0 } else { n.abs() };
    // Commas after the last digit placeholder scale by thousands ("0.0,," is millions).
    let scaled = core.trim_end_matches(',');
    let scale = core.len() - scaled.len();
    let value = value / 1000f64.powi(scale as i32);
    let (int_pat, frac_pat) = match scaled.split_once('.') {
        Some((i, f)) => (i.to_string(), f.replace(',', "")),
        None => (scaled.to_string(), String::new()),
    };
    let grouping = int_pat.contains(',');
    let int_pat = int_pat.replace(',', "");
    let decimals = frac_pat.len();
    let rounded = format!("{value:.decimals$}");
    let (int_digits, frac_digits) = match rounded.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (rounded.clone(), String::new()),
    };
    let min_int = int_pat.chars().filter(|c| *c == '0').count();
    let mut int_part = int_digits.trim_start_matches('0').to_string();
    while int_part.len() < min_int {
        int_part.insert(0, '0');
    }
    if grouping {
        let mut grouped = String::new();
        for (i, c) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        int_part = grouped;
    }
    // Optional decimals (#) drop trailing zeros; required ones (0) keep them.
    let required = frac_pat.chars().filter(|c| *c == '0').count();
    let mut frac_part = frac_digits;
    while frac_part.len() > required && frac_part.ends_with('0') {
        frac_part.pop();
    }
    let sign =
        if n < 0.0 && !own_sign && (int_part.chars().chain(frac_part.chars()).any(|c| c != '0')) {
            "-"
        } else {
            ""
        };
    let dot = if frac_pat.is_empty() { "" } else { "." };
    Some(format!("{sign}{prefix}{int_part}{dot}{frac_part}{suffix}"))
}

/// True for a format with date or time tokens (outside quotes and brackets).
fn is_date_format(format: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    for c in format.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'y' | 'Y' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' if !quoted && !bracket => return true,
            'm' | 'M' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
///
/// ```
/// assert_eq!(bulk_core::excel_format::civil_from_days(0), (1970, 1, 1));
/// assert_eq!(bulk_core::excel_format::civil_from_days(11_016), (2000, 2, 29));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// (year, month, day, hour, minute, second) of an Excel serial (1900 system).
fn civil(serial: f64) -> (i64, u32, u32, u32, u32, u32) {
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let (days, secs) = if secs >= 86_400 {
        (days + 1, secs - 86_400)
    } else {
        (days, secs)
    };
    // Serial 25569 is 1970-01-01. Excel counts a 1900-02-29 that never was (serial 60), so
    // serials before it are one day later than the arithmetic says.
    let since_epoch = if days < 61 {
        days - 25_568
    } else {
        days - 25_569
    };
    let (year, month, day) = civil_from_days(since_epoch);
    (
        year,
        month,
        day,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

fn default_date(serial: f64) -> String {
    let (y, mo, d, h, mi, s) = civil(serial);
    if serial.fract() == 0.0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else if serial < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
];

/// Renders a date under a date format code.
fn date(serial: f64, format: &str) -> String {
    let (section, _) = section(format, false);
    let (y, mo, d, h, mi, s) = civil(serial);
    let ampm = section.to_ascii_uppercase().contains("AM/PM");
    let chars: Vec<char> = section.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut last_was_hour = false;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..]
            .iter()
            .take_while(|x| x.eq_ignore_ascii_case(&c))
            .count();
        match c.to_ascii_lowercase() {
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    out.push(chars[i]);
                    i += 1;
                }
                i += 1;
                continue;
            }
            '\\' => {
                if let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                }
                i += 2;
                continue;
            }
            '[' => {
                while i < chars.len() && chars[i] != ']' {
                    i += 1;
                }
                i += 1;
                continue;
            }
            'y' => out.push_str(&if run <= 2 {
                format!("{:02}", y % 100)
            } else {
                format!("{y:04}")
            }),
            'd' => out.push_str(&match run {
                1 => d.to_string(),
                2 => format!("{d:02}"),
                3 => DAYS[(serial.floor() as i64).rem_euclid(7) as usize][..3].to_string(),
                _ => DAYS[(serial.floor() as i64).rem_euclid(7) as usize].to_string(),
            }),
            'h' => {
                let hour = if ampm { (h + 11) % 12 + 1 } else { h };
                out.push_str(&if run >= 2 {
                    format!("{hour:02}")
                } else {
                    hour.to_string()
                });
                last_was_hour = true;
                i += run;
                continue;
            }
            'm' => {
                // "m" after an hour or before seconds means minutes.
                let next_is_seconds = chars[i + run..]
                    .iter()
                    .find(|x| x.is_ascii_alphabetic())
                    .is_some_and(|x| x.eq_ignore_ascii_case(&'s'));
                if (last_was_hour || next_is_seconds) && run <= 2 {
                    out.push_str(&if run == 2 {
                        format!("{mi:02}")
                    } else {
                        mi.to_string()
                    });
                } else {
                    let name = MONTHS[(mo - 1) as usize];
                    out.push_str(&match run {
                        1 => mo.to_string(),
                        2 => format!("{mo:02}"),
                        3 => name[..3].to_string(),
                        4 => name.to_string(),
                        _ => name[..1].to_string(),
                    });
                }
            }
            's' => out.push_str(&if run >= 2 {
                format!("{s:02}")
            } else {
                s.to_string()
            }),
            'a' if chars[i..]
                .iter()
                .collect::<String>()
                .to_ascii_uppercase()
                .starts_with("AM/PM") =>
            {
                out.push_str(if h < 12 { "AM" } else { "PM" });
                i += 5;
                continue;
            }
            _ => {
                for _ in 0..run {
                    out.push(c);
                }
            }
        }
        if !matches!(c.to_ascii_lowercase(), 'h') && c.is_ascii_alphabetic() {
            last_was_hour = false;
        }
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_formats() {
        let cases: &[(f64, &str, &str)] = &[
            (742.0, "00000", "00742"),
            (42.0, "0", "42"),
            (1234567.891, "#,##0.00", "1,234,567.89"),
            (1234567.0, "#,##0", "1,234,567"),
            (-5.5, "0.00", "-5.50"),
            (-5.5, "0.00;(0.00)", "(5.50)"),
            (0.5, "0%", "50%"),
            (1.23456, "0.##", "1.23"),
            (3.0, "0.##", "3."),
            (12.0, "\"EUR \"0.00", "EUR 12.00"),
            (1500.0, "[$€-2] #,##0.00", "€ 1,500.00"),
            (1.5e6, "0.0,,\"M\"", "1.5M"),
        ];
        for (n, f, want) in cases {
            assert_eq!(render(&CellValue::Number(*n), Some(f)), *want, "{n} as {f}");
        }
    }

    #[test]
    fn date_formats() {
        // 2026-02-28 14:05:09 is serial 46081.587...
        let serial = 46081.0 + (14.0 * 3600.0 + 5.0 * 60.0 + 9.0) / 86400.0;
        let cases: &[(&str, &str)] = &[
            ("yyyy-mm-dd", "2026-02-28"),
            ("dd/mm/yyyy", "28/02/2026"),
            ("m/d/yy", "2/28/26"),
            ("d mmm yyyy", "28 Feb 2026"),
            ("dddd, mmmm d", "Saturday, February 28"),
            ("hh:mm:ss", "14:05:09"),
            ("h:mm AM/PM", "2:05 PM"),
            ("yyyy-mm-dd hh:mm", "2026-02-28 14:05"),
        ];
        for (f, want) in cases {
            assert_eq!(render(&CellValue::Date(serial), Some(f)), *want, "{f}");
        }
        assert_eq!(
            render(&CellValue::Date(1.0), Some("yyyy-mm-dd")),
            "1900-01-01"
        );
        assert_eq!(
            render(&CellValue::Date(61.0), Some("yyyy-mm-dd")),
            "1900-03-01"
        );
    }

    #[test]
    fn general_matches_excel() {
        assert_eq!(general(12500.5), "12500.5");
        assert_eq!(general(1.0 / 3.0), "0.333333333333333");
        assert_eq!(general(123456789012.0), "123456789012");
        assert_eq!(render(&CellValue::Bool(true), None), "TRUE");
        assert_eq!(render(&CellValue::Text("007"), Some("0")), "007");
    }
}
