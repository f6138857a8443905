//! Every row against the object's rules. The rules come from the live metadata (required,
//! read-only, type, mask, picklist, length) plus the built-in [`checks`](crate::checks)
//! (e-mail, URL, phone, whitespace) and uniqueness of identifier columns across the file.
//! An error keeps a row out of the upload, a warning does not. Validation is the only way to
//! get a [`ValidRow`], and only `ValidRow`s can be written to an upload file.

mod report;

pub use report::Report;

use crate::checks::{self, Verdict};
use crate::dialect::Dialect;
use crate::edits::View;
use crate::mapping::Mapping;
use crate::metadata::{Field, FieldType, ObjectMetadata, TextKind};
use crate::unique::UniqueIndex;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The row is sent, but worth a look.
    Warning,
    /// The row is not sent.
    Error,
}

/// What kind of problem; problems are counted by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
            ProblemKind::Whitespace => "extra spaces",
        }
    }
}

/// One problem on one row (and usually one cell).
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
}

impl Options {
    /// The defaults for an object and a file: e-mail fields and a `reference` field are
    /// identifiers and must be unique; the decimal separator follows the file's dialect.
    pub fn for_object(metadata: &ObjectMetadata, dialect: &Dialect) -> Options {
        Options {
            unique_fields: metadata
                .fields
                .iter()
                .filter(|f| !f.read_only)
                .filter(|f| f.text_kind() == TextKind::Email || f.name == "reference")
                .map(|f| f.name.clone())
                .collect(),
            decimal_comma: dialect.decimal_comma,
        }
    }
}

/// One mapped column and the field it goes to.
#[derive(Clone, Debug)]
pub(super) struct Target {
    pub(super) column: usize,
    name: String,
    field: Field,
    /// `field.text_kind()`, worked out once rather than per cell.
    kind: TextKind,
    pub(super) unique: bool,
}

/// What a report needs to check rows again later: the mapped columns and the identifier
/// indexes.
#[derive(Clone, Debug, Default)]
pub(super) struct Checker {
    pub(super) targets: Vec<Target>,
    decimal_comma: bool,
    width: usize,
    /// For each target (unused for those that need not be unique): the identifier index.
    pub(super) seen: Vec<UniqueIndex>,
}

/// Validates a table a slice of rows at a time, so a big file never holds the page for
/// long; [`validate`] runs it in one go.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, edits::{Edits, View}};
/// use bulk_core::validate::{Validator, Options};
/// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
/// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String)] };
/// let text = "email\na@x.io\nA@X.io\n";
/// let t = parse(text, &sniff(text)).unwrap();
/// let edits = Edits::default();
/// let opts = Options { unique_fields: vec!["email".into()], ..Default::default() };
/// let mut v = Validator::new(View::new(&t, &edits), &suggest(t.headers(), &m), &m, &opts);
/// while !v.run(1) {}
/// assert_eq!(v.finish().error_rows(), 1);
/// ```
pub struct Validator<'t> {
    view: View<'t>,
    next: usize,
    report: Report,
    /// Buckets of the identifier indexes settled so far (after all rows are checked).
    settled: usize,
}

impl<'t> Validator<'t> {
    /// A validator of `view` under `mapping` for the object `metadata` describes.
    pub fn new(
        view: View<'t>,
        mapping: &Mapping,
        metadata: &ObjectMetadata,
        options: &Options,
    ) -> Validator<'t> {
        let headers = view.table.headers();
        let targets: Vec<Target> = mapping
            .columns
            .iter()
            .enumerate()
            .filter_map(|(column, c)| {
                let field = metadata.field(c.field.as_deref()?)?;
                Some(Target {
                    column,
                    name: headers.get(column).cloned().unwrap_or_default(),
                    field: field.clone(),
                    kind: field.text_kind(),
                    unique: options.unique_fields.contains(&field.name),
                })
            })
            .collect();
        let seen = targets
            .iter()
            .map(|t| UniqueIndex::new(if t.unique { view.len() } else { 0 }))
            .collect();
        Validator {
            view,
            next: 0,
            report: Report {
                problems: BTreeMap::new(),
                mapping_problems: mapping.problems(headers, metadata),
                worst: vec![None; view.len()],
                deleted: 0,
                checker: Checker {
                    targets,
                    decimal_comma: options.decimal_comma,
                    width: headers.len(),
                    seen,
                },
            },
            settled: 0,
        }
    }

    /// Rows checked so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// Checks up to about `rows` more rows' worth of work; true when all is done.
    pub fn run(&mut self, rows: usize) -> bool {
        let end = self.next.saturating_add(rows).min(self.view.len());
        for r in self.next..end {
            if self.view.is_deleted(r) {
                self.report.deleted += 1;
                continue;
            }
            let problems = self.report.checker.check_row(&self.view, r, true);
            if !problems.is_empty() {
                self.report.set_row(r, problems);
            }
        }
        let mut budget = rows - (end - self.next);
        self.next = end;
        if self.next < self.view.len() {
            return false;
        }
        // Then the identifier indexes, a bucket at a time.
        let buckets = self
            .report
            .checker
            .seen
            .first()
            .map(UniqueIndex::buckets)
            .unwrap_or(0);
        while self.settled < buckets {
            let b = self.settled;
            let work: usize = self
                .report
                .checker
                .seen
                .iter()
                .map(|i| i.bucket_len(b))
                .sum();
            if work > budget && budget < rows {
                return false;
            }
            budget = budget.saturating_sub(work);
            self.settle(b);
            self.settled += 1;
        }
        true
    }

    /// Marks the duplicates whose values fall in bucket `b`.
    fn settle(&mut self, b: usize) {
        let view = self.view;
        let checker = &mut self.report.checker;
        let mut found = Vec::new();
        for (t, target) in checker.targets.iter().enumerate().filter(|(_, t)| t.unique) {
            let value_of = |r: u32| view.get(r as usize, target.column);
            for (row, first) in checker.seen[t].settle(b, value_of) {
                let value = view.get(row as usize, target.column).unwrap_or("");
                found.push(duplicate(
                    target,
                    row as usize,
                    view.line(row as usize),
                    value,
                    view.line(first as usize),
                ));
            }
        }
        for problem in found {
            let row = problem.row;
            let mut problems: Vec<Problem> = self.report.problems_of(row).cloned().collect();
            problems.push(problem);
            self.report.set_row(row, problems);
        }
    }

    /// The report; rows not yet checked count as valid.
    pub fn finish(self) -> Report {
        self.report
    }
}

impl Checker {
    /// The problems of one row. With `record`, identifier values are entered in the
    /// uniqueness index (the first pass, settled afterwards); otherwise the settled index
    /// is asked whether an earlier row has the same value.
    pub(super) fn check_row(&mut self, view: &View, r: usize, record: bool) -> Vec<Problem> {
        let mut out = Vec::new();
        let line = view.line(r);
        let width = self.width;
        let row_len = view.row_len(r);
        let mut later = Vec::new();
        let mut push =
            |column: Option<(usize, &str)>, kind, severity, message: String, suggestion| {
                out.push(Problem {
                    row: r,
                    line,
                    column: column.map(|c| c.0),
                    column_name: column.map(|c| c.1.to_string()),
                    kind,
                    severity,
                    message,
                    suggestion,
                });
            };
        if row_len < width {
            push(
                None,
                ProblemKind::TooFewFields,
                Severity::Error,
                format!(
                    "has {row_len} field(s) but the header has {width}; a delimiter or quote is probably missing on this line; fill in the missing cells or delete the row"
                ),
                None,
            );
        } else if row_len > width {
            // Only the values that are there, and only a few: a sheet with one far-away cell
            // makes thousands of empty "extra fields", and the message must stay readable.
            let filled: Vec<String> = (width..row_len)
                .filter_map(|c| view.get(r, c))
                .filter(|v| !v.is_empty())
                .map(|v| format!("\"{v}\""))
                .collect();
            let shown = match filled.len() {
                0 => "are empty".to_string(),
                n if n <= 5 => format!("{} would be lost", filled.join(", ")),
                n => format!(
                    "{}, and {} more, would be lost",
                    filled[..5].join(", "),
                    n - 5
                ),
            };
            push(
                None,
                ProblemKind::TooManyFields,
                Severity::Error,
                format!(
                    "has {row_len} fields but the header has {width}; the extra value(s) {shown}; check the quotes or the delimiter on this line"
                ),
                None,
            );
        }
        for (t, target) in self.targets.iter().enumerate() {
            let at = Some((target.column, target.name.as_str()));
            let value = view.get(r, target.column).unwrap_or("");
            let field = &target.field;
            let text = checked_text(&field.field_type, target.kind, value);
            if is_blank(&field.field_type, target.kind, value, &text) {
                if field.required && !field.read_only && row_len > target.column {
                    push(
                        at,
                        ProblemKind::Required,
                        Severity::Error,
                        format!(
                            "\"{}\" is required; fill it in or delete the row",
                            field.name
                        ),
                        None,
                    );
                }
                continue;
            }
            if field.read_only {
                push(
                    at,
                    ProblemKind::ReadOnly,
                    Severity::Warning,
                    format!(
                        "\"{}\" is read-only in the connector; this value will not be sent",
                        field.name
                    ),
                    None,
                );
                continue;
            }
            check_value(
                field,
                target.kind,
                value,
                &text,
                self.decimal_comma,
                &mut |kind, verdict| match verdict {
                    Verdict::Ok => {}
                    Verdict::Warning {
                        message,
                        suggestion,
                    } => push(at, kind, Severity::Warning, message, suggestion),
                    Verdict::Error { message } => push(at, kind, Severity::Error, message, None),
                },
            );
            // Values blank to the eye stay out of the index, as `apply` leaves them out.
            if target.unique && !checks::trimmed(value).is_empty() {
                if record {
                    self.seen[t].add(value, r as u32);
                } else {
                    let values = |o: u32| {
                        if view.is_deleted(o as usize) {
                            None
                        } else {
                            view.get(o as usize, target.column)
                        }
                    };
                    let first = self.seen[t]
                        .rows_with(value, values)
                        .into_iter()
                        .find(|o| (*o as usize) < r);
                    if let Some(f) = first {
                        later.push(duplicate(target, r, line, value, view.line(f as usize)));
                    }
                }
            }
        }
        out.extend(later);
        out
    }
}

/// The problem of a value an earlier row (on `first_line`) already has.
fn duplicate(target: &Target, row: usize, line: u64, value: &str, first_line: u64) -> Problem {
    Problem {
        row,
        line,
        column: Some(target.column),
        column_name: Some(target.name.clone()),
        kind: ProblemKind::Duplicate,
        severity: Severity::Error,
        message: format!(
            "\"{value}\" is already on line {first_line}; each {} must be unique (case does not matter); change one or delete a row",
            target.field.name
        ),
        suggestion: None,
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
/// `type=url` take them ([`checks::input_value`]: line breaks removed, ASCII whitespace
/// stripped at both ends); numbers, booleans and dates lose ASCII whitespace at both ends.
/// Any other space (no-break, ideographic, line separator) stays and fails the check rather
/// than reaching the connector unseen. Text, phone and other fields are sent as typed.
///
/// ```
/// use bulk_core::validate::checked_text;
/// use bulk_core::metadata::{FieldType, TextKind};
/// assert_eq!(checked_text(&FieldType::String, TextKind::Email, " a@b.example\n"), "a@b.example");
/// assert_eq!(checked_text(&FieldType::Number, TextKind::Plain, "\t12 "), "12");
/// assert_eq!(checked_text(&FieldType::String, TextKind::Plain, " as typed "), " as typed ");
/// ```
pub fn checked_text<'a>(field_type: &FieldType, kind: TextKind, value: &'a str) -> Cow<'a, str> {
    match field_type {
        _ if sent_as_typed(field_type, kind) => value.into(),
        // Text left here is an e-mail or web address.
        FieldType::String | FieldType::Other(_) => checks::input_value(value),
        _ => value.trim_ascii().into(),
    }
}

/// Whether a cell counts as empty (checked only for being required). A typed value is
/// empty when what would be sent is: a lone no-break space in an e-mail column is a wrong
/// address, not a missing one.
fn is_blank(field_type: &FieldType, kind: TextKind, value: &str, text: &str) -> bool {
    if sent_as_typed(field_type, kind) {
        checks::trimmed(value).is_empty()
    } else {
        text.is_empty()
    }
}

/// Fields whose text goes to the connector exactly as typed: plain text and phones.
fn sent_as_typed(field_type: &FieldType, kind: TextKind) -> bool {
    matches!(field_type, FieldType::String | FieldType::Other(_))
        && matches!(kind, TextKind::Phone | TextKind::Plain)
}

/// Whether a value of `field` passes the checks the validator runs on it (warnings pass;
/// an empty value passes, being only the "required" check's business): the browser test
/// holds this against Chromium's `<input type=email>`.
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
    let text = checked_text(&field.field_type, kind, value);
    if is_blank(&field.field_type, kind, value, &text) {
        return true;
    }
    let mut ok = true;
    check_value(field, kind, value, &text, false, &mut |_, verdict| {
        ok &= !matches!(verdict, Verdict::Error { .. });
    });
    ok
}

/// Runs the checks one value goes through for its field, each with the kind it counts as.
/// `text` is the value as it would be sent ([`checked_text`]); spaces are looked for in
/// the `value` as typed.
fn check_value(
    field: &Field,
    text_kind: TextKind,
    value: &str,
    text: &str,
    decimal_comma: bool,
    out: &mut impl FnMut(ProblemKind, Verdict),
) {
    out(ProblemKind::Whitespace, checks::whitespace(value));
    let v = text;
    match &field.field_type {
        FieldType::Number => out(ProblemKind::Number, checks::number(v, decimal_comma)),
        FieldType::Integer => out(ProblemKind::Number, checks::integer(v, decimal_comma)),
        FieldType::Boolean => out(ProblemKind::Boolean, checks::boolean(v)),
        FieldType::Date | FieldType::DateTime => {
            out(ProblemKind::Date, checks::date(v, field.mask.as_deref()))
        }
        FieldType::String | FieldType::Other(_) => match text_kind {
            TextKind::Email => out(ProblemKind::Email, checks::email(v)),
            TextKind::Url => out(ProblemKind::Url, checks::url(v)),
            TextKind::Phone => out(ProblemKind::Phone, checks::phone(v)),
            TextKind::Plain => {}
        },
    }
    if let Some(values) = field.picklist.as_ref().filter(|p| !p.is_empty())
        && !values.iter().any(|p| p.eq_ignore_ascii_case(v))
    {
        let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
        out(
            ProblemKind::Picklist,
            Verdict::Error {
                message: format!(
                    "\"{v}\" is not an allowed value; use one of: {}{}",
                    shown.join(", "),
                    if values.len() > 8 { ", ..." } else { "" }
                ),
            },
        );
    }
    // A text of at most `max` bytes has at most `max` characters: count only longer ones.
    if let Some(max) = field.max_length.filter(|m| v.len() > *m as usize) {
        let n = v.chars().count();
        if n > max as usize {
            out(
                ProblemKind::TooLong,
                Verdict::Error {
                    message: format!(
                        "is {n} characters long; \"{}\" takes at most {max}",
                        field.name
                    ),
                },
            );
        }
    }
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
        // An edit that makes a new duplicate points at the earlier line.
        let touched = e.set(&t, &[(1, 0, "ANNA.MUELLER@beispiel.de".into())]);
        r.apply(&View::new(&t, &e), &touched);
        let dup = r
            .problems_of(1)
            .find(|p| p.kind == ProblemKind::Duplicate)
            .unwrap();
        assert!(dup.message.contains("already on line 2"), "{}", dup.message);
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
