//! Every row against the object's rules. The rules come from the live metadata (required,
//! read-only, type, mask, picklist, length) plus the built-in [`checks`](crate::checks)
//! (e-mail, URL, phone, whitespace) and uniqueness of identifier columns across the file.
//! An error keeps a row out of the upload, a warning does not. Validation is the only way to
//! get a [`ValidRow`], and only `ValidRow`s can be written to an upload file.

mod quick;
mod report;
mod rules;
mod validator;

pub use report::{Report, Validity};
pub use validator::{Checking, Validator};

use crate::checks::Verdict;
use crate::dialect::Dialect;
use crate::edits::View;
use crate::mapping::Mapping;
use crate::metadata::{Field, FieldType, ObjectMetadata, TextKind};
use rules::{Cell, Reading};
use std::borrow::Cow;
use std::fmt;

/// How bad a problem is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The row is sent, but worth a look.
    Warning,
    /// The row is not sent.
    Error,
}

/// What kind of problem; problems are counted by kind.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ProblemKind {
    /// A required field is empty.
    Required,
    /// Not an e-mail address.
    Email,
    /// Not a web address.
    Url,
    /// An odd phone number.
    Phone,
    /// Not a number.
    Number,
    /// Not true/false.
    Boolean,
    /// Not a date.
    Date,
    /// Not one of the allowed values.
    Picklist,
    /// Longer than the field allows.
    TooLong,
    /// Data for a read-only field (not sent).
    ReadOnly,
    /// The same identifier appears earlier in the file.
    Duplicate,
    /// Fewer fields than the header.
    TooFewFields,
    /// More fields than the header.
    TooManyFields,
    /// Spaces at the start or end.
    Whitespace,
    /// A quoted cell over several lines that holds what look like whole rows: a quote
    /// not closed where it should be.
    RowsInCell,
    /// A cell with text after its closing quote, whose quotes were dropped (`"Al"pha"`).
    StrayQuote,
}

impl ProblemKind {
    /// A short label for counts and filters.
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::Required => "required value missing",
            ProblemKind::Email => "invalid e-mail",
            ProblemKind::Url => "invalid web address",
            ProblemKind::Phone => "odd phone number",
            ProblemKind::Number => "not a number",
            ProblemKind::Boolean => "not true/false",
            ProblemKind::Date => "invalid date",
            ProblemKind::Picklist => "value not allowed",
            ProblemKind::TooLong => "too long",
            ProblemKind::ReadOnly => "read-only field",
            ProblemKind::Duplicate => "duplicate",
            ProblemKind::TooFewFields => "too few fields",
            ProblemKind::TooManyFields => "too many fields",
            ProblemKind::RowsInCell => "rows inside a cell",
            ProblemKind::StrayQuote => "stray quote",
            ProblemKind::Whitespace => "extra spaces",
        }
    }
}

/// One problem on one row (and usually one cell).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// 0-based row index in the table.
    pub row: usize,
    /// The line a person sees.
    pub line: u64,
    /// The 0-based column, when the problem is on a cell.
    pub column: Option<usize>,
    /// The column's name, when on a cell.
    pub column_name: Option<String>,
    /// The kind.
    pub kind: ProblemKind,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what to do, finishing "line N, column "C": ".
    pub message: String,
    /// A replacement value, when one is clear.
    pub suggestion: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column_name {
            Some(c) => write!(f, "line {}, column \"{c}\": {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// A row that passed validation. Only validation makes these.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ValidRow(usize);

impl ValidRow {
    /// The row's index in the table.
    pub fn index(self) -> usize {
        self.0
    }
}

/// Settings of one validation run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Fields whose values must be unique in the file (case-insensitive).
    pub unique_fields: Vec<String>,
    /// Numbers are written with a decimal comma.
    pub decimal_comma: bool,
    /// The file's delimiter, to tell rows read into a quoted cell (0: not looked for).
    pub delimiter: u8,
}

impl Options {
    /// The defaults for an object and a file: the writable identifier fields
    /// ([`Field::is_identifier`]) must be unique; the decimal separator follows the file's
    /// dialect.
    pub fn for_object(metadata: &ObjectMetadata, dialect: &Dialect) -> Options {
        Options {
            unique_fields: metadata
                .fields
                .iter()
                .filter(|f| !f.read_only && f.is_identifier())
                .map(|f| f.name.clone())
                .collect(),
            decimal_comma: dialect.decimal_comma,
            delimiter: dialect.delimiter,
        }
    }
}

/// Validates every row of `view`.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, edits::{Edits, View}};
/// use bulk_core::validate::{validate, Options};
/// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
/// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String).required()] };
/// let text = "email\nbob@\nann@x.io\n";
/// let t = parse(text, &sniff(text)).unwrap();
/// let edits = Edits::default();
/// let r = validate(&View::new(&t, &edits), &suggest(t.headers(), &m), &m, &Options::default());
/// assert_eq!(r.problems().next().unwrap().to_string(),
///     "line 2, column \"email\": expected an e-mail address like name@example.com, found \"bob@\"");
/// assert_eq!(r.valid_count(), 1);
/// ```
pub fn validate(
    view: &View,
    mapping: &Mapping,
    metadata: &ObjectMetadata,
    options: &Options,
) -> Report {
    let mut v = Validator::new(*view, mapping, metadata, options);
    v.run(usize::MAX);
    v.finish()
}

/// The text a cell is checked as and sent as, so that the upload file carries exactly what
/// passed the checks. E-mail and web addresses are taken as `<input type=email>` and
/// `type=url` take them ([`input_value`](crate::checks::input_value): line breaks removed,
/// ASCII whitespace stripped at both ends); numbers, booleans and dates lose ASCII whitespace
/// at both ends. Any other space (no-break, ideographic, line separator) stays and fails the
/// check rather than reaching the connector unseen. Text, phone and other fields are sent as
/// typed.
///
/// ```
/// use bulk_core::validate::checked_text;
/// use bulk_core::metadata::{FieldType, TextKind};
/// assert_eq!(checked_text(&FieldType::String, TextKind::Email, " a@b.example\n"), "a@b.example");
/// assert_eq!(checked_text(&FieldType::Number, TextKind::Plain, "\t12 "), "12");
/// assert_eq!(checked_text(&FieldType::String, TextKind::Plain, " as typed "), " as typed ");
/// ```
pub fn checked_text<'a>(field_type: &FieldType, kind: TextKind, value: &'a str) -> Cow<'a, str> {
    Reading::of(field_type, kind).text(value)
}

/// Whether a value of `field` passes the checks the validator runs on it (warnings pass;
/// an empty value passes, being only the "required" check's business): the browser test
/// holds this against Chromium's `<input type=email>`. It builds the field's rules on each
/// call, which a validator does once per column: it is for one value, not for a loop.
///
/// ```
/// use bulk_core::validate::accepts;
/// use bulk_core::metadata::{Field, FieldType};
/// let email = Field::new("email", FieldType::String);
/// assert!(accepts(&email, " a@b.example "));
/// assert!(accepts(&email, " \n"));
/// assert!(!accepts(&email, "a@b.example\u{a0}"));
/// ```
pub fn accepts(field: &Field, value: &str) -> bool {
    let kind = field.text_kind();
    let reading = Reading::of(&field.field_type, kind);
    let text = reading.text(value);
    let cell = Cell::new(reading, value, &text, false);
    rules::value_rules(field, kind, false)
        .iter()
        .all(|rule| !matches!(rule.check(&cell, &field.name), Verdict::Error { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::sniff;
    use crate::edits::Edits;
    use crate::mapping::{MappingProblem, suggest};
    use crate::table::parse;

    fn contacts() -> ObjectMetadata {
        ObjectMetadata {
            fields: vec![
                Field::new("id", FieldType::String).read_only(),
                Field::new("email", FieldType::String).required(),
                Field::new("first_name", FieldType::String),
                Field::new("last_name", FieldType::String).required(),
                Field::new("job_title", FieldType::String),
                Field::new("telephone", FieldType::String),
                Field::new("company_name", FieldType::String),
                Field::new("website", FieldType::String),
            ],
        }
    }

    fn run(text: &str, m: &ObjectMetadata) -> Report {
        let d = sniff(text);
        let t = parse(text, &d).unwrap();
        let e = Edits::default();
        validate(
            &View::new(&t, &e),
            &suggest(t.headers(), m),
            m,
            &Options::for_object(m, &d),
        )
    }

    #[test]
    fn a_row_with_duplicates_in_two_columns_lists_them_in_column_order() {
        // Each duplicate is found in the bucket its value falls in; 60 rows with both values
        // repeated put some pair's buckets in the other order.
        let m = ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String),
                Field::new("code", FieldType::String),
            ],
        };
        let mut text = "email,code\n".to_string();
        for i in 0..60 {
            text.push_str(&format!("p{i}@x.io,C{i}\np{i}@x.io,c{i}\n"));
        }
        let d = sniff(&text);
        let t = parse(&text, &d).unwrap();
        let e = Edits::default();
        let options = Options {
            unique_fields: vec!["email".into(), "code".into()],
            ..Default::default()
        };
        let r = validate(&View::new(&t, &e), &suggest(t.headers(), &m), &m, &options);
        for row in (1..120).step_by(2) {
            let columns: Vec<Option<usize>> = r.problems_of(row).map(|p| p.column).collect();
            assert_eq!(columns, [Some(0), Some(1)], "row {row}");
        }
    }

    #[test]
    fn rows_read_into_a_cell_by_a_quote_left_open_are_an_error_on_that_cell() {
        // Found by the break-it review: c@ and d@ were read into Bob's first name, silently.
        let text = "email,last_name,first_name\na@x.io,Alpha,Ann\nb@x.io,Beta,\"Bob\nc@x.io,Gamma,Cy\nd@x.io,Delta,Dan\"\ne@x.io,Eps,Eve\n";
        let r = run(text, &contacts());
        assert_eq!(r.rows(), 3);
        let problems: Vec<String> = r.problems().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 3, column \"first_name\": this quoted cell runs over 3 lines and holds what looks like 2 whole rows (the first: \"c@x.io,Gamma,Cy\"): a quote opened in it is probably not closed where it should be, so the rows after it were read into it. Close the quote in the file and choose it again"
            ]
        );
        assert_eq!(r.error_rows(), 1);
        // A quote never closed reads to the end of the file: the same sentence, for one row.
        let open =
            "email,last_name,first_name\na@x.io,Alpha,Ann\nb@x.io,Beta,\"Bob\nc@x.io,Gamma,Cy\n";
        let r = run(open, &contacts());
        assert_eq!(r.rows(), 2);
        let p = r.problems_of(1).next().unwrap();
        assert_eq!((p.kind, p.column), (ProblemKind::RowsInCell, Some(2)));
        assert!(
            p.message.contains("a whole row (\"c@x.io,Gamma,Cy\")"),
            "{}",
            p.message
        );
        // An address over two lines, a cell in an unmapped column, and a two-column file
        // (where one comma in a line of an address is no sign of a row) are left alone.
        for fine in [
            "email,last_name,address\na@x.io,Li,\"12 Main St, Flat 2\nLeeds\"\n",
            "email,last_name\na@x.io,\"Li\nSpringfield, IL\"\n",
        ] {
            let r = run(fine, &contacts());
            assert_eq!(r.problems().count(), 0, "{fine:?}");
        }
        let unmapped = "email,last_name,notes\na@x.io,Li,\"x\nb@x.io,Bo,c\"\n";
        let r = run(unmapped, &contacts());
        assert_eq!(
            r.problems().map(|p| p.kind).collect::<Vec<_>>(),
            [ProblemKind::RowsInCell]
        );
    }

    #[test]
    fn a_cell_whose_quotes_were_dropped_is_a_warning_until_it_is_edited() {
        let text = "email,last_name,first_name\na@x.io,\"Al\"pha\",Ann\nb@x.io,\"O'Neil\",\"Say \"\"hi\"\"\"\nc@x.io,Li,\"Bo\" \n\"d@x.io\"1,\"D\"oe,\"Da\"n\n";
        let d = sniff(text);
        let t = parse(text, &d).unwrap();
        let m = contacts();
        let map = suggest(t.headers(), &m);
        let opts = Options::for_object(&m, &d);
        let mut e = Edits::default();
        let r = validate(&View::new(&t, &e), &map, &m, &opts);
        let problems: Vec<String> = r.problems().map(ToString::to_string).take(3).collect();
        assert_eq!(
            problems,
            [
                "line 2, column \"last_name\": this cell has text after its closing quote, so its quotes were dropped and it reads 'Alpha\"'; check it against the file and correct it here if that is not the value (inside a quoted cell, a quote is written twice: \"\")",
                "line 4, column \"first_name\": this cell has text after its closing quote, so its quotes were dropped and it reads 'Bo '; check it against the file and correct it here if that is not the value (inside a quoted cell, a quote is written twice: \"\")",
                "line 4, column \"first_name\": has spaces at the start or end",
            ]
        );
        // Every such cell of a row, each its own warning.
        let on_5: Vec<_> = r.problems_of(3).map(|p| (p.kind, p.column)).collect();
        assert_eq!(on_5, [0, 1, 2].map(|c| (ProblemKind::StrayQuote, Some(c))));
        // Warnings: every row is still sent.
        assert_eq!((r.error_rows(), r.valid_count()), (0, 4));
        e.set(&t, &[(0, 1, "Al\"pha".into())]);
        let r = validate(&View::new(&t, &e), &map, &m, &opts);
        assert_eq!(
            r.problems().map(|p| p.line).collect::<Vec<_>>(),
            [4, 4, 5, 5, 5]
        );
        // Set to the value as read, nothing changes: the warning stays.
        e.set(&t, &[(2, 2, "Bo ".into())]);
        assert!(!View::new(&t, &e).is_edited(2, 2));
        // Kept as read, the cell is confirmed: no warning, and undone, back.
        assert!(!e.keep_as_read(&t, 2, 2).is_empty());
        assert!(View::new(&t, &e).is_edited(2, 2));
        // Set to the same text again (an editor left with Enter), it stays kept.
        e.set(&t, &[(2, 2, "Bo ".into())]);
        assert!(View::new(&t, &e).is_edited(2, 2));
        let r = validate(&View::new(&t, &e), &map, &m, &opts);
        let kinds: Vec<_> = r.problems_of(2).map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::Whitespace]);
        e.undo(&t);
        let r = validate(&View::new(&t, &e), &map, &m, &opts);
        assert_eq!(
            r.problems_of(2).next().map(|p| p.kind),
            Some(ProblemKind::StrayQuote)
        );
        // Only a cell with a stray quote can be kept.
        assert!(e.keep_as_read(&t, 0, 0).is_empty());
    }

    #[test]
    fn a_row_of_thousands_of_empty_extra_fields_gets_a_short_message() {
        let mut text = "email,last_name\na@x.io,Li".to_string();
        text.push_str(&",".repeat(3000));
        text.push_str("far\n");
        let r = run(&text, &contacts());
        let p = r
            .problems_of(0)
            .find(|p| p.kind == ProblemKind::TooManyFields)
            .unwrap();
        assert!(p.message.contains("\"far\" would be lost"), "{}", p.message);
        assert!(p.message.len() < 200, "{}", p.message);
    }

    fn valid(r: &Report, text: &str) -> Vec<usize> {
        let t = parse(text, &sniff(text)).unwrap();
        let e = Edits::default();
        r.valid_rows(&View::new(&t, &e))
            .iter()
            .map(|v| v.index())
            .collect()
    }

    const PROBLEMS: &str = include_str!("../../../tests/data/contacts-with-problems.csv");
    const SEED: &str = include_str!("../../../tests/data/seed-contacts.tsv");

    #[test]
    fn the_seed_file_is_all_valid_with_one_phone_warning() {
        let r = run(SEED, &contacts());
        assert_eq!(r.valid_count(), 10);
        assert_eq!(r.error_rows(), 0);
        let warnings: Vec<String> = r.problems().map(|p| p.to_string()).collect();
        assert_eq!(
            warnings,
            [
                "line 4, column \"C_BusPhone\": \"444) 444-1234\" has unbalanced parentheses; check the number"
            ]
        );
    }

    #[test]
    fn the_problem_file_flags_what_its_readme_lists() {
        let r = run(PROBLEMS, &contacts());
        let errors: Vec<(u64, ProblemKind)> = r
            .problems()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.line, p.kind))
            .collect();
        assert_eq!(
            errors,
            [
                (4, ProblemKind::Required),
                (5, ProblemKind::Email),
                (7, ProblemKind::Duplicate),
                // Line 8 holds a quoted newline: a spreadsheet shows it as one row, and so
                // do these line numbers.
                (9, ProblemKind::Required),
                (10, ProblemKind::Email),
                (11, ProblemKind::TooFewFields),
                (12, ProblemKind::Url),
            ]
        );
        let dup = r
            .problems()
            .find(|p| p.kind == ProblemKind::Duplicate)
            .unwrap();
        assert!(dup.message.contains("already on line 6"), "{}", dup.message);
        let valid = valid(&r, PROBLEMS);
        assert_eq!(valid, [0, 1, 4, 6]);
        assert!(
            r.problems().any(|p| p.kind == ProblemKind::Url
                && p.severity == Severity::Warning
                && p.line == 8)
        );
    }

    #[test]
    fn read_only_values_warn_and_unmapped_required_fields_block_everything() {
        let r = run("id,email,last_name\n1,a@x.io,A\n", &contacts());
        assert_eq!(r.problems().next().unwrap().kind, ProblemKind::ReadOnly);
        assert_eq!(r.valid_count(), 1);
        let r = run("email\na@x.io\n", &contacts());
        assert_eq!(
            r.mapping_problems,
            [MappingProblem::RequiredUnmapped("last_name".into())]
        );
        assert_eq!(r.valid_count(), 0);
    }

    #[test]
    fn typed_fields_use_the_files_decimal_separator() {
        let mut m = ObjectMetadata {
            fields: vec![Field::new("credit_limit", FieldType::Number)],
        };
        let r = run("reference;credit_limit\nA;12500,50\nB;x\n", &m);
        assert_eq!(r.problems().count(), 1);
        assert_eq!(r.problems().next().unwrap().line, 3);
        m.fields[0].max_length = Some(2);
        m.fields.push(Field {
            picklist: Some(vec!["Gold".into()]),
            ..Field::new("tier", FieldType::String)
        });
        let r = run("credit_limit,tier\n1,gold\n2,Tin\n", &m);
        assert_eq!(
            r.problems().count(),
            1,
            "{:?}",
            r.problems().collect::<Vec<_>>()
        );
        assert_eq!(r.problems().next().unwrap().kind, ProblemKind::Picklist);
    }

    #[test]
    fn text_is_held_to_its_limits_as_it_will_be_sent() {
        // Plain text goes out as typed, spaces included, so the picklist and the length are
        // checked on that text, not on a trimmed copy; the whitespace warning offers the fix.
        let m = ObjectMetadata {
            fields: vec![
                Field {
                    picklist: Some(vec!["Gold".into()]),
                    ..Field::new("tier", FieldType::String)
                },
                Field {
                    max_length: Some(3),
                    ..Field::new("code", FieldType::String)
                },
            ],
        };
        let r = run("tier,code\n\"Gold\u{a0}\",\"abc \"\nGold,abc\n", &m);
        let mut kinds: Vec<(ProblemKind, Severity)> =
            r.problems().map(|p| (p.kind, p.severity)).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                (ProblemKind::Picklist, Severity::Error),
                (ProblemKind::TooLong, Severity::Error),
                (ProblemKind::Whitespace, Severity::Warning),
                (ProblemKind::Whitespace, Severity::Warning),
            ]
        );
        assert!(r.problems().all(|p| {
            p.line == 2
                && p.suggestion
                    .as_deref()
                    .is_none_or(|s| s == "Gold" || s == "abc")
        }));
    }

    #[test]
    fn too_many_fields_names_the_extra_values() {
        let r = run("email,last_name\na@x.io,A,extra\n", &contacts());
        assert!(
            r.problems()
                .next()
                .unwrap()
                .to_string()
                .contains("\"extra\"")
        );
        assert_eq!(r.valid_count(), 0);
    }

    #[test]
    fn problems_of_a_row_and_counts() {
        let r = run(PROBLEMS, &contacts());
        assert_eq!(r.problems_of(2).count(), 1);
        assert_eq!(r.problems_of(0).count(), 0);
        let counts = r.counts();
        assert!(
            counts.contains(&(ProblemKind::Email, Severity::Error, 2)),
            "{counts:?}"
        );
        assert!(
            counts.contains(&(ProblemKind::Required, Severity::Error, 2)),
            "{counts:?}"
        );
        assert_eq!(
            counts.last().map(|c| c.1),
            Some(Severity::Warning),
            "errors come first"
        );
    }

    /// `bytes` read a few bytes at a time, its rows checked as they arrive
    /// ([`Checking::early`] after each piece), the check finished once the file is read.
    fn checked_as_read(bytes: &[u8], piece: usize, m: &ObjectMetadata) -> (Report, Report) {
        use crate::reading::StreamReader;
        let mut reader = StreamReader::new(bytes.len() as u64, Default::default());
        let mut checking: Option<(Checking, Mapping)> = None;
        let none = Edits::default();
        for p in bytes.chunks(piece) {
            reader.push(p).unwrap();
            if checking.is_none()
                && let Some((headers, dialect)) = reader.header_so_far()
            {
                let map = suggest(&headers, m);
                let options = Options::for_object(m, &dialect);
                let rows = reader.rows();
                checking = Some((Checking::new(&headers, rows, &map, m, &options), map));
            }
            if let (Some((c, _)), Some(t)) = (checking.as_mut(), reader.rows_so_far()) {
                c.early(&View::new(t, &none), 1_000);
            }
        }
        let file = reader.finish().unwrap();
        let view = View::new(&file.table, &none);
        // A file shorter than the reader's head is read at the end, whole.
        let early = bytes.len() > 64 * 1024;
        assert_eq!(checking.is_some(), early);
        let (mut c, map) = checking.unwrap_or_else(|| {
            let (headers, map) = (file.table.headers(), suggest(file.table.headers(), m));
            let options = Options::for_object(m, &file.dialect);
            (Checking::new(headers, 0, &map, m, &options), map)
        });
        assert_eq!(c.headers(), file.table.headers());
        if early {
            // Most rows were checked while the file was read.
            assert!(c.done() * 2 > file.table.len(), "{}", c.done());
        }
        while !c.run(&view, 5) {}
        let after = validate(&view, &map, m, &Options::for_object(m, &file.dialect));
        (c.finish(), after)
    }

    /// Also run in wasm32, where the identifier index hashes with 32 bits (see
    /// `wasm_width`).
    #[test]
    pub(crate) fn rows_checked_as_the_file_is_read_get_the_report_of_a_check_after() {
        // Bad, repeated and blank identifiers, cells over two lines, stray quotes, rows too
        // short and too long, spread over many pieces.
        let mut text = String::from("email,first_name,last_name,website,telephone\r\n");
        for i in 0..3_000 {
            let email = match i % 97 {
                0 => "not-an-address".to_string(),
                1 => String::new(),
                // The address of the row three before, in other case: a duplicate.
                2 if i > 2 => format!("Person{}@Example.com", i - 3),
                _ => format!("person{i}@example.com"),
            };
            let last = match i % 89 {
                0 => "\"Two\nlines\"".to_string(),
                1 => "O\"Brien".to_string(),
                2 => String::new(),
                _ => format!("Name{i}"),
            };
            let tail = match i % 83 {
                0 => ",extra".to_string(),
                1 => String::new(),
                _ => format!(",https://site{i}.example/,+44 20 7946 {:04}", i % 10_000),
            };
            text.push_str(&format!("{email},Ann,{last}{tail}\r\n"));
        }
        let m = contacts();
        for (bytes, piece) in [
            (text.as_bytes(), 1000),
            (text.as_bytes(), 64 * 1024),
            (PROBLEMS.as_bytes(), 13),
            (SEED.as_bytes(), 5),
        ] {
            let (early, after) = checked_as_read(bytes, piece, &m);
            assert!(after.problems().count() > 0);
            if bytes.len() > 64 * 1024 {
                // Every kind of problem the file holds was found, duplicates included.
                let kinds: std::collections::BTreeSet<String> =
                    after.problems().map(|p| format!("{:?}", p.kind)).collect();
                assert!(kinds.len() >= 5, "{kinds:?}");
                assert!(kinds.contains("Duplicate"), "{kinds:?}");
            }
            assert_eq!(
                early.problems().collect::<Vec<_>>(),
                after.problems().collect::<Vec<_>>()
            );
            assert_eq!(early.rows(), after.rows());
            assert_eq!(
                (
                    early.valid_count(),
                    early.error_rows(),
                    early.warning_rows()
                ),
                (
                    after.valid_count(),
                    after.error_rows(),
                    after.warning_rows()
                )
            );
        }
    }

    #[test]
    fn edits_recheck_the_row_and_every_row_sharing_its_identifier() {
        let m = contacts();
        let d = sniff(PROBLEMS);
        let t = parse(PROBLEMS, &d).unwrap();
        let mut e = Edits::default();
        let map = suggest(t.headers(), &m);
        let mut r = validate(&View::new(&t, &e), &map, &m, &Options::for_object(&m, &d));
        assert_eq!((r.valid_count(), r.error_rows()), (4, 7));
        // Fix the bad e-mail on line 5 (row 3).
        let touched = e.set(&t, &[(3, 0, "bad.address@typo.example".into())]);
        r.apply(&View::new(&t, &e), &touched);
        assert_eq!(r.valid_count(), 5);
        assert_eq!(r.problems_of(3).count(), 0);
        // Change the first of the duplicate pair: the second is no longer a duplicate.
        let touched = e.set(&t, &[(4, 0, "norm@elsewhere.example".into())]);
        r.apply(&View::new(&t, &e), &touched);
        assert_eq!(
            r.problems_of(5).count(),
            0,
            "line 7 stops being a duplicate"
        );
        assert_eq!(r.valid_count(), 6);
        // Undo: line 7 is a duplicate of line 6 again.
        let touched = e.undo(&t).unwrap();
        r.apply(&View::new(&t, &e), &touched);
        assert_eq!(
            r.problems_of(5).next().map(|p| p.kind),
            Some(ProblemKind::Duplicate)
        );
        // Delete line 6: line 7 is the only one left, so valid; deleted rows never count.
        let touched = e.delete(&[4]);
        r.apply(&View::new(&t, &e), &touched);
        assert_eq!(r.problems_of(5).count(), 0);
        assert_eq!((r.valid_count(), r.deleted()), (5, 1));
        let v = View::new(&t, &e);
        assert!(!r.valid_rows(&v).iter().any(|x| x.index() == 4));
        // A validity taken now lists the same rows a slice at a time, and keeps listing them
        // after the report moves on (an upload prepares its rows in short tasks).
        let validity = r.validity();
        let edits_then = e.clone();
        let all: Vec<usize> = r.valid_rows(&v).iter().map(|x| x.index()).collect();
        let sliced: Vec<usize> = (0..validity.len().div_ceil(2))
            .flat_map(|i| validity.rows_between(&v, i * 2..i * 2 + 2))
            .map(|x| x.index())
            .collect();
        assert_eq!(sliced, all);
        assert!(validity.rows_between(&v, 100..200).is_empty());
        // An edit that makes a new duplicate points at the earlier line.
        let touched = e.set(&t, &[(1, 0, "ANNA.MUELLER@beispiel.de".into())]);
        r.apply(&View::new(&t, &e), &touched);
        let dup = r
            .problems_of(1)
            .find(|p| p.kind == ProblemKind::Duplicate)
            .unwrap();
        assert!(dup.message.contains("already on line 2"), "{}", dup.message);
        let then: Vec<usize> = validity
            .rows_between(&View::new(&t, &edits_then), 0..validity.len())
            .iter()
            .map(|x| x.index())
            .collect();
        assert_eq!(then, all, "a validity is a snapshot");
        assert!(r.valid_rows(&View::new(&t, &e)).len() < all.len());
        // Filling in the missing cells of the ragged row clears "too few fields".
        let touched = e.set(
            &t,
            &[
                (9, 3, "Tester".into()),
                (9, 4, "".into()),
                (9, 5, "Ragged Ltd".into()),
                (9, 6, "https://ragged.example".into()),
            ],
        );
        r.apply(&View::new(&t, &e), &touched);
        assert!(
            r.problems_of(9)
                .all(|p| p.kind != ProblemKind::TooFewFields),
            "{:?}",
            r.problems_of(9).collect::<Vec<_>>()
        );
    }
}

/// Checking as the file is read against checking after it, in wasm32 (32-bit `usize` and
/// hashes): `cargo test --target wasm32-unknown-unknown -p bulk-core --lib wasm_width`.
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_width {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn rows_checked_as_the_file_is_read_get_the_report_of_a_check_after() {
        super::tests::rows_checked_as_the_file_is_read_get_the_report_of_a_check_after();
    }
}
