//! How a text file is delimited: the delimiter (comma, semicolon, tab or pipe), the quote
//! character, the line endings, which record is the header, and whether numbers use a
//! decimal comma. Sniffing parses a sample with each candidate through the real CSV parser,
//! so quoted delimiters and embedded newlines never fool it, and picks the candidate under
//! which the most records agree on one field count. Each guess says how sure it is
//! ([`SniffReport`]); the safe quote character is `"`, and `'` is taken only when it
//! clearly wraps whole fields, since reading an apostrophe as a quote joins lines.

use crate::guess::{Certainty, Doubt};
use crate::table::is_blank;
use csv::ReaderBuilder;

/// The delimiters a file may use, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many bytes of the file the sniffer reads.
const SAMPLE: usize = 64 * 1024;
/// How many records of the sample it weighs.
const SAMPLE_RECORDS: usize = 200;
/// How many leading records may precede the header (title lines, notes).
const HEADER_SEARCH: usize = 20;

/// Line endings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LineEnding {
    /// `\n` (Unix, macOS).
    Lf,
    /// `\r\n` (Windows, Excel).
    CrLf,
    /// `\r` alone (classic Mac).
    Cr,
    /// A single line without a break.
    None,
}

impl LineEnding {
    /// The usual name: "LF", "CRLF", "CR".
    pub fn name(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::CrLf => "CRLF",
            LineEnding::Cr => "CR",
            LineEnding::None => "none",
        }
    }
}

/// The dialect of a delimited text file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dialect {
    /// The field delimiter.
    pub delimiter: u8,
    /// The quote character.
    pub quote: u8,
    /// The line endings found.
    pub line_ending: LineEnding,
    /// Which record (0-based, blank lines not counted) holds the column names; `None` when
    /// the file has no header row.
    pub header_record: Option<usize>,
    /// Numbers are written `12500,50`.
    pub decimal_comma: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            delimiter: b',',
            quote: b'"',
            line_ending: LineEnding::Lf,
            header_record: Some(0),
            decimal_comma: false,
        }
    }
}

/// A name for a delimiter, for people.
///
/// ```
/// assert_eq!(bulk_core::dialect::delimiter_name(b'\t'), "tab");
/// ```
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        b' ' => "space",
        _ => "other",
    }
}

/// The sniffable start of `text`: up to [`SAMPLE`] bytes, cut at a character boundary.
fn sample(text: &str) -> (&str, bool) {
    if text.len() <= SAMPLE {
        return (text, true);
    }
    let mut end = SAMPLE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], false)
}

/// Field counts of the sample's records under one delimiter and quote.
fn field_counts(sample: &str, complete: bool, delimiter: u8, quote: u8) -> Vec<usize> {
    let mut rdr = ReaderBuilder::new()
        .delimiter(delimiter)
        .quote(quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    let mut counts: Vec<usize> = rdr
        .records()
        .take(SAMPLE_RECORDS)
        .filter_map(Result::ok)
        .filter(|r| !r.iter().all(is_blank))
        .map(|r| r.len())
        .collect();
    // The last record of a cut sample is probably cut too.
    if !complete && counts.len() > 1 {
        counts.pop();
    }
    counts
}

/// The most common count and how many records have it; ties go to the larger count.
fn mode(counts: &[usize]) -> (usize, usize) {
    let mut best = (0, 0);
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    for chunk in sorted.chunk_by(|a, b| a == b) {
        if chunk.len() >= best.1 {
            best = (chunk[0], chunk.len());
        }
    }
    best
}

/// The sniffed dialect and how sure each of its guesses is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SniffReport {
    /// The dialect.
    pub dialect: Dialect,
    /// How sure the delimiter is.
    pub delimiter: Certainty,
    /// How sure the quote character is.
    pub quote: Certainty,
    /// How sure the header row is.
    pub header: Certainty,
}

/// Sniffs the dialect of `text`.
///
/// ```
/// use bulk_core::dialect::sniff;
/// let d = sniff("reference;name;credit_limit\r\nC1;Acme, Inc;12500,50\r\nC2;B;750,00\r\n");
/// assert_eq!((d.delimiter, d.decimal_comma, d.line_ending.name()), (b';', true, "CRLF"));
/// ```
pub fn sniff(text: &str) -> Dialect {
    sniff_report(text).dialect
}

/// Sniffs the dialect of `text`, with how sure each guess is.
///
/// ```
/// use bulk_core::{dialect::sniff_report, guess::{Certainty, Doubt}};
/// let r = sniff_report("sku,name\n'00123,Widget\n'00456,Gadget\n'00789,Doohickey\n");
/// assert_eq!(r.dialect.quote, b'"');
/// assert_eq!(r.quote, Certainty::Uncertain(Doubt::ApostropheKept));
/// ```
pub fn sniff_report(text: &str) -> SniffReport {
    let (sample, complete) = sample(text);
    let (double, single) = (boundary_quotes(sample, '"'), boundary_quotes(sample, '\''));
    let (delimiter, delimiter_certainty) = best_delimiter(sample, complete, b'"');
    let mut choice = (delimiter, delimiter_certainty, b'"');
    let quote_certainty = if single == 0 {
        // Nothing but `"` can be a quote here (or nothing is quoted at all).
        if double == 0 {
            Certainty::Certain
        } else {
            Certainty::Likely
        }
    } else if double > 0 {
        // `"` quotes fields; the apostrophes are text.
        Certainty::Likely
    } else {
        let (d, c) = best_delimiter(sample, complete, b'\'');
        if apostrophes_wrap_fields(sample, complete, d) {
            choice = (d, c, b'\'');
            Certainty::Likely
        } else {
            Certainty::Uncertain(Doubt::ApostropheKept)
        }
    };
    let (delimiter, delimiter_certainty, quote) = choice;
    let (dialect, header) = sniff_dialect(text, delimiter, quote);
    SniffReport {
        dialect,
        delimiter: delimiter_certainty,
        quote: quote_certainty,
        header,
    }
}

/// The delimiter under which the most records agree on one field count (ties go to the
/// larger count, then to the earlier of [`DELIMITERS`]), and how sure that is: two
/// delimiters that fit exactly as well make it uncertain.
fn best_delimiter(sample: &str, complete: bool, quote: u8) -> (u8, Certainty) {
    let mut best: Option<(u8, usize, usize)> = None; // delimiter, agreeing records, field count
    let mut tie: Option<u8> = None;
    for d in DELIMITERS {
        let counts = field_counts(sample, complete, d, quote);
        let (count, agreeing) = mode(&counts);
        if count < 2 {
            continue;
        }
        match best {
            None => best = Some((d, agreeing, count)),
            Some((_, a, c)) if agreeing > a || (agreeing == a && count > c) => {
                best = Some((d, agreeing, count));
                tie = None;
            }
            Some((_, a, c)) if agreeing == a && count == c => {
                tie.get_or_insert(d);
            }
            Some(_) => {}
        }
    }
    match (best, tie) {
        (Some((chosen, ..)), Some(other)) => (
            chosen,
            Certainty::Uncertain(Doubt::DelimiterTie { chosen, other }),
        ),
        (Some((d, ..)), None) => (d, Certainty::Likely),
        // One column: nothing to split on.
        (None, _) => (b',', Certainty::Likely),
    }
}

/// Sniffs header row and decimal separator for a delimiter and quote the person chose.
pub fn sniff_with(text: &str, delimiter: u8, quote: u8) -> Dialect {
    sniff_dialect(text, delimiter, quote).0
}

fn sniff_dialect(text: &str, delimiter: u8, quote: u8) -> (Dialect, Certainty) {
    let (sample, complete) = sample(text);
    let mut dialect = Dialect {
        delimiter,
        quote,
        line_ending: sniff_line_ending(sample),
        header_record: Some(0),
        decimal_comma: false,
    };
    let records = sample_records(sample, complete, &dialect);
    let (header, certainty) = sniff_header_report(&records);
    dialect.header_record = header;
    dialect.decimal_comma = delimiter != b',' && sniff_decimal_comma(&records);
    (dialect, certainty)
}

fn sample_records(sample: &str, complete: bool, dialect: &Dialect) -> Vec<Vec<String>> {
    let mut rdr = ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    let mut out: Vec<Vec<String>> = rdr
        .records()
        .take(SAMPLE_RECORDS)
        .filter_map(Result::ok)
        .filter(|r| !r.iter().all(is_blank))
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    if !complete && out.len() > 1 {
        out.pop();
    }
    out
}

/// How many times `q` stands next to a delimiter or a line break (where a quote would).
fn boundary_quotes(sample: &str, q: char) -> usize {
    let b = sample.as_bytes();
    let boundary = |x: u8| matches!(x, b',' | b';' | b'\t' | b'|' | b'\n' | b'\r');
    sample
        .char_indices()
        .filter(|(i, c)| {
            *c == q && {
                let before = if *i == 0 { b'\n' } else { b[i - 1] };
                let after = b.get(i + 1).copied().unwrap_or(b'\n');
                boundary(before) || boundary(after)
            }
        })
        .count()
}

/// True when `'` is clearly a quote character under `delimiter`: it wraps at least two
/// whole fields (opens at a field's start and closes at the end of the same field or of a
/// later one on the same line), it never opens a field without closing it on the same line
/// (`'00123`, `'s-Gravenhage`: an apostrophe that is part of the value), and reading it as
/// a quote puts no line break inside a field. Anything less keeps `"`, which never joins
/// lines that have no `"`.
fn apostrophes_wrap_fields(sample: &str, complete: bool, delimiter: u8) -> bool {
    let mut lines: Vec<&str> = sample
        .split(['\n', '\r'])
        .filter(|l| !l.is_empty())
        .collect();
    // The last line of a cut sample is probably cut too.
    if !complete && lines.len() > 1 {
        lines.pop();
    }
    let delimiter = char::from(delimiter);
    let (mut wrapped, mut unclosed) = (0usize, 0usize);
    for line in lines {
        let fields: Vec<&str> = line.split(delimiter).collect();
        let mut i = 0;
        while i < fields.len() {
            if fields[i].starts_with('\'') {
                let close = (i..fields.len())
                    .find(|&j| fields[j].ends_with('\'') && (j > i || fields[j].len() >= 2));
                match close {
                    Some(j) => {
                        wrapped += 1;
                        i = j + 1;
                        continue;
                    }
                    None => unclosed += 1,
                }
            }
            i += 1;
        }
    }
    if wrapped < 2 || unclosed > 0 {
        return false;
    }
    let mut rdr = ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .quote(b'\'')
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    let mut records: Vec<csv::StringRecord> = rdr
        .records()
        .take(SAMPLE_RECORDS)
        .filter_map(Result::ok)
        .collect();
    if !complete {
        records.pop();
    }
    if records
        .iter()
        .any(|r| r.iter().any(|f| f.contains(['\n', '\r'])))
    {
        return false;
    }
    // A quote that merges fields must make the rows agree better with the header, not worse:
    // `'s-Gravenhage,the Smiths'` is two values that start and end with an apostrophe,
    // not one quoted value holding a delimiter. (No `"` is in the sample here, so reading
    // with `"` is reading every delimiter as one.)
    let agreeing = |counts: Vec<usize>| {
        let first = counts.first().copied();
        counts.iter().filter(|c| Some(**c) == first).count()
    };
    agreeing(field_counts(sample, complete, delimiter as u8, b'\''))
        >= agreeing(field_counts(sample, complete, delimiter as u8, b'"'))
}

fn sniff_line_ending(sample: &str) -> LineEnding {
    let b = sample.as_bytes();
    let (mut crlf, mut lf, mut cr) = (0, 0, 0);
    for (i, c) in b.iter().enumerate() {
        match c {
            b'\r' if b.get(i + 1) == Some(&b'\n') => crlf += 1,
            b'\r' => cr += 1,
            b'\n' if i == 0 || b[i - 1] != b'\r' => lf += 1,
            _ => {}
        }
    }
    if crlf + lf + cr == 0 {
        LineEnding::None
    } else if crlf >= lf && crlf >= cr {
        LineEnding::CrLf
    } else if lf >= cr {
        LineEnding::Lf
    } else {
        LineEnding::Cr
    }
}

/// True for a cell that reads like data rather than a column name.
fn looks_like_data(cell: &str) -> bool {
    let c = cell.trim();
    is_blank(c)
        || c.contains('@')
        || c.starts_with("http://")
        || c.starts_with("https://")
        // Mostly digits (`12500,50`, `2026-02-28`, `+44 20 7946`), unless it starts with a
        // letter: `q10`, `C12`, `Q4 2023` read as column names.
        || (!c.starts_with(char::is_alphabetic)
            && c.chars().filter(char::is_ascii_digit).count() * 2 > c.chars().count())
        || c.chars().count() > 60
}

/// The first record that reads like column names, stepping over title lines (narrower
/// than two fields when the table is wider); `None` when data comes first. With how sure
/// it is: a record of distinct names, or data from the start, is likely; a record taken for
/// want of a better one is uncertain.
pub(crate) fn sniff_header_report(records: &[Vec<String>]) -> (Option<usize>, Certainty) {
    let unclear = Certainty::Uncertain(Doubt::HeaderUnclear);
    let counts: Vec<usize> = records.iter().map(Vec::len).collect();
    let min_width = mode(&counts).0.min(2);
    let mut first_candidate = None;
    for (i, r) in records.iter().enumerate().take(HEADER_SEARCH) {
        // Title lines: too narrow, or one filled cell in an otherwise empty row.
        let filled = r.iter().filter(|c| !is_blank(c)).count();
        if r.len() < min_width || filled < min_width {
            continue;
        }
        first_candidate.get_or_insert(i);
        let names = name_share(r);
        let mut unique: Vec<String> = r.iter().map(|c| c.trim().to_lowercase()).collect();
        unique.sort();
        unique.dedup();
        if names >= 0.8 && unique.len() == r.len() {
            return (Some(i), Certainty::Likely);
        }
        if names < 0.5 {
            // A record that leaves columns unnamed (`email,,,,last_name,,,first_name`) but
            // names the rest: a header when a column it names holds only data below
            // (e-mails, numbers), and a doubt said either way.
            // Its names are distinct when the blank cells are the only repeat (one "").
            let gaps = filled < r.len();
            let with_gaps =
                gaps && filled_name_share(r) >= 0.8 && unique.len() == filled + usize::from(gaps);
            return match with_gaps {
                true if names_a_data_column(records, i) => (Some(i), unclear),
                true => (None, unclear),
                false => (None, Certainty::Likely),
            };
        }
        // Mostly names, with gaps or repeats: a header if the next record is more data-like.
        if records
            .get(i + 1)
            .is_some_and(|next| name_share(next) < names)
        {
            return (Some(i), unclear);
        }
    }
    if records.is_empty() {
        return (Some(0), Certainty::Likely);
    }
    (Some(first_candidate.unwrap_or(0)), unclear)
}

/// The share of a record's cells that read like names.
fn name_share(r: &[String]) -> f64 {
    if r.is_empty() {
        return 0.0;
    }
    r.iter().filter(|c| !looks_like_data(c)).count() as f64 / r.len() as f64
}

/// True when record `i` names a column whose cells in the records after it are all data
/// (and at least two are filled): `email` over e-mail addresses, `amount` over numbers. A
/// word over words (`Ann` over `Bob`) says nothing.
fn names_a_data_column(records: &[Vec<String>], i: usize) -> bool {
    let Some(r) = records.get(i) else {
        return false;
    };
    let below = records.get(i + 1..).unwrap_or(&[]);
    r.iter().enumerate().any(|(c, name)| {
        if is_blank(name) || looks_like_data(name) {
            return false;
        }
        let mut cells = below
            .iter()
            .filter_map(|rec| rec.get(c))
            .filter(|v| !is_blank(v))
            .peekable();
        cells.peek().is_some() && below.len() >= 2 && cells.all(|v| looks_like_data(v))
    })
}

/// The share of a record's filled cells that read like names.
fn filled_name_share(r: &[String]) -> f64 {
    let filled = r.iter().filter(|c| !is_blank(c));
    let n = filled.clone().count();
    if n == 0 {
        return 0.0;
    }
    filled.filter(|c| !looks_like_data(c)).count() as f64 / n as f64
}

/// Decimal commas: numeric cells like `12500,50` outnumber ones like `12500.50`.
fn sniff_decimal_comma(records: &[Vec<String>]) -> bool {
    let (mut comma, mut dot) = (0, 0);
    for cell in records.iter().flatten() {
        match number_style(cell.trim()) {
            Some(b',') => comma += 1,
            Some(b'.') => dot += 1,
            _ => {}
        }
    }
    comma > dot
}

/// `Some(b',')` for `-1.234,5`-style numbers, `Some(b'.')` for `1,234.5`-style, `None`
/// for anything else (integers included: they say nothing).
fn number_style(s: &str) -> Option<u8> {
    let s = s.strip_prefix('-').unwrap_or(s);
    let last = s.rfind([',', '.'])?;
    let (int, frac) = (&s[..last], &s[last + 1..]);
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sep = s.as_bytes()[last];
    let group = if sep == b',' { '.' } else { ',' };
    let int_ok = !int.is_empty() && int.chars().all(|c| c.is_ascii_digit() || c == group);
    // "1,234" is ambiguous (a thousands separator or a decimal): no vote.
    if !int_ok || (frac.len() == 3 && !int.contains(group)) {
        return None;
    }
    Some(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_table() {
        let cases: &[(&str, u8)] = &[
            ("a,b,c\n1,2,3\n", b','),
            ("a;b;c\n1,5;2,5;3\n", b';'),
            ("a\tb\tc\n1\t2\t3\n", b'\t'),
            ("a|b|c\n1|2|3\n", b'|'),
            // Quoted delimiters do not count.
            ("name;note\n\"x,y,z\";\"a,b\"\n\"p,q\";r\n", b';'),
            // An embedded newline does not break the count.
            ("a,b\n\"line\none\",2\nx,y\n", b','),
            // One column: nothing to split on; comma by default.
            ("email\na@b.c\n", b','),
            ("", b','),
        ];
        for (text, want) in cases {
            assert_eq!(sniff(text).delimiter, *want, "{text:?}");
        }
    }

    #[test]
    fn semicolon_file_with_decimal_commas_is_semicolon() {
        let text = "\u{feff}reference;name;credit_limit;telephone;website\r\n\
                    CUST001;Acme Europe B.V.;12500,50;+31 20 123 4567;https://a.example\r\n\
                    CUST002;Boulangerie Dupont;750,00;+33 1 40 00 00 00;https://d.example\r\n\
                    CUST003;Kowalski i Syn, Sp. z o.o.;3000,75;+48 22;https://k.example\r\n";
        let d = sniff(text);
        assert_eq!(d.delimiter, b';');
        assert!(d.decimal_comma);
        assert_eq!(d.line_ending, LineEnding::CrLf);
        assert_eq!(d.header_record, Some(0));
    }

    #[test]
    fn line_endings() {
        assert_eq!(sniff("a,b\rc,d\re,f").line_ending, LineEnding::Cr);
        assert_eq!(sniff("a,b\nc,d").line_ending, LineEnding::Lf);
        assert_eq!(sniff("a,b").line_ending, LineEnding::None);
    }

    #[test]
    fn a_header_after_title_lines_is_found() {
        let text =
            "Contacts export\nGenerated 2026-11-01\n\nemail,first,last\na@x.io,A,B\nc@x.io,C,D\n";
        assert_eq!(sniff(text).header_record, Some(2));
    }

    #[test]
    fn short_names_with_digits_over_numbers_are_a_header() {
        // Found by review: `q10`…`q29` counted as numbers, so the header was missed.
        let names: Vec<String> = ["email".to_string(), "last_name".to_string()]
            .into_iter()
            .chain((0..30).map(|i| format!("q{i}")))
            .collect();
        let row = |n: usize| -> String {
            let mut cells = vec![format!("p{n}@x.io"), format!("L{n}")];
            cells.extend((0..30).map(|i| (i * n).to_string()));
            cells.join(",")
        };
        let text = format!("{}\n{}\n{}\n{}\n", names.join(","), row(1), row(2), row(3));
        assert_eq!(sniff(&text).header_record, Some(0));
    }

    #[test]
    fn a_file_that_starts_with_data_has_no_header() {
        assert_eq!(sniff("a@x.io,Ann,12\nb@x.io,Bob,13\n").header_record, None);
        // Words with gaps, no header: no column below them is data only (found by review:
        // a number below "London" once made the first row the header).
        for text in [
            "Smith,,,,Ann\nJones,,,,Bob\n",
            "Ann,,,,Smith,,,London\nBob,,,,Jones,,,12\nCy,,,,Li,,,Paris\n",
        ] {
            let r = sniff_report(text);
            assert_eq!(r.dialect.header_record, None, "{text}");
            assert_eq!(
                r.header,
                Certainty::Uncertain(Doubt::HeaderUnclear),
                "{text}"
            );
        }
    }

    #[test]
    fn a_header_that_leaves_most_columns_unnamed_is_still_the_header() {
        // Found by review: 3 names of 8 cells read as a row of data.
        let text = "email,,,,last_name,,,first_name\na@x.io,,,,Smith,,,Ann\nb@x.io,1,,,Li,,,Bo\n";
        let r = sniff_report(text);
        assert_eq!(r.dialect.header_record, Some(0));
        assert_eq!(r.header, Certainty::Uncertain(Doubt::HeaderUnclear));
        let t = crate::table::parse(text, &r.dialect).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            t.headers()[..2],
            ["email".to_string(), "Column B".to_string()]
        );
        // Words over words: taken for data, with the doubt said, so the person can pick it.
        let words = "first_name,,,,last_name,,,city\nAnn,,,,Smith,,,London\nBob,,,,Jones,,,Paris\n";
        let r = sniff_report(words);
        assert_eq!(
            (r.dialect.header_record, r.header),
            (None, Certainty::Uncertain(Doubt::HeaderUnclear))
        );
    }

    #[test]
    fn single_quotes_are_detected_only_when_they_wrap_fields() {
        assert_eq!(sniff("'a','b'\n'1','2'\n'3','4'\n").quote, b'\'');
        assert_eq!(sniff("name,title\nO'Connor,Chief\nD'Arcy,x\n").quote, b'"');
    }

    #[test]
    fn apostrophes_at_both_ends_of_different_values_are_not_quotes() {
        // Found by review: a value that ends with an apostrophe later on the line made `'`
        // the quote character, merging two values and losing the apostrophes.
        for text in [
            "name,city,note\nJan,'s-Gravenhage,the Smiths'\nPiet,'s-Hertogenbosch,the Joneses'\nKees,Utrecht,none\n",
            "sku,name,note\n'00123,Widget,Kids'\n'00456,Gadget,Mums'\n",
            "name,city,zip\nJan,'s-Gravenhage,'2500'\nPiet,'s-Hertogenbosch,'5200'\n",
        ] {
            let r = sniff_report(text);
            assert_eq!(r.dialect.quote, b'"', "{text}");
            assert_eq!(
                r.quote,
                Certainty::Uncertain(Doubt::ApostropheKept),
                "{text}"
            );
            let t = crate::table::parse(text, &r.dialect).unwrap();
            assert!(t.rows().all(|row| row.len() == 3), "{text}");
        }
        // Apostrophes that quote values holding the delimiter still do.
        let quoted = "name,age\n'Smith, John',42\n'Li, Bo',37\n'Ng, Al',29\n";
        assert_eq!(sniff(quoted).quote, b'\'');
    }

    #[test]
    fn leading_apostrophes_are_values_not_quotes() {
        let codes = "sku,name\n'00123,Widget\n'00456,Gadget\n'00789,Doohickey\n'01000,Thing\n";
        let r = sniff_report(codes);
        assert_eq!((r.dialect.quote, r.dialect.delimiter), (b'"', b','));
        assert_eq!(r.quote, Certainty::Uncertain(Doubt::ApostropheKept));
        let dutch =
            "name,city\nJan,'s-Gravenhage\nKees,'t Harde\nAnna,'t Zandt\nPiet,'s-Hertogenbosch\n";
        assert_eq!(sniff_report(dutch).dialect.quote, b'"');
        // Wrapping, but one field left open: reading ' as a quote would join two lines.
        let open = "'a','b'\n'1','2'\n'3,4\n'5','6'\n";
        assert_eq!(sniff(open).quote, b'"');
        // A quoted delimiter inside '...' is still wrapping.
        let wrapped = "'name';'note'\n'Ann';'a;b'\n'Bob';'c'\n";
        let r = sniff_report(wrapped);
        assert_eq!((r.dialect.quote, r.dialect.delimiter), (b'\'', b';'));
        assert_eq!(r.quote, Certainty::Likely);
    }

    #[test]
    fn guesses_say_how_sure_they_are() {
        let r = sniff_report("email,name\na@x.io,Ann\nb@x.io,Bob\n");
        assert_eq!(
            (r.delimiter, r.quote, r.header),
            (Certainty::Likely, Certainty::Certain, Certainty::Likely)
        );
        // Every record splits into two on both ; and ,: a tie, the first is taken.
        let r = sniff_report("a;b,c\n1;2,3\n");
        assert_eq!(r.dialect.delimiter, b',');
        assert_eq!(
            r.delimiter,
            Certainty::Uncertain(Doubt::DelimiterTie {
                chosen: b',',
                other: b';'
            })
        );
        assert!(
            r.delimiter
                .doubt()
                .is_some_and(|d| d.to_string().contains("comma and on semicolon"))
        );
    }

    #[test]
    fn a_no_break_space_line_is_blank_to_the_header_guess_and_the_table() {
        let text = "\u{a0}\nemail,name\na@x.io,Ann\n";
        let t = crate::table::parse(text, &sniff(text)).unwrap();
        assert_eq!(t.headers(), ["email", "name"]);
        assert_eq!((t.len(), t.header_line()), (1, Some(2)));
    }

    #[test]
    fn number_styles() {
        assert_eq!(number_style("12500,50"), Some(b','));
        assert_eq!(number_style("1.234,5"), Some(b','));
        assert_eq!(number_style("12500.50"), Some(b'.'));
        assert_eq!(number_style("1,234"), None);
        assert_eq!(number_style("12"), None);
        assert_eq!(number_style("+31 20"), None);
    }
}
