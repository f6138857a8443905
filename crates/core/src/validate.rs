//! Every row against the object's rules. The rules come from the live metadata (required,
//! read-only, type, mask, picklist, length) plus the built-in [`checks`](crate::checks)
//! (e-mail, URL, phone, whitespace) and uniqueness of identifier columns across the file.
//! An error keeps a row out of the upload, a warning does not. Validation is the only way to
//! get a [`ValidRow`], and only `ValidRow`s can be written to an upload file.

use crate::checks::{self, Verdict};
use crate::dialect::Dialect;
use crate::mapping::{Mapping, MappingProblem};
use crate::metadata::{Field, FieldType, ObjectMetadata, TextKind};
use crate::table::Table;
use std::collections::HashMap;
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
#[non_exhaustive]
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

/// The outcome of validating a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems in row order.
    pub problems: Vec<Problem>,
    /// Problems with the mapping itself; while any is present nothing can be uploaded.
    pub mapping_problems: Vec<MappingProblem>,
    worst: Vec<Option<Severity>>,
}

impl Report {
    /// Rows checked.
    pub fn rows(&self) -> usize {
        self.worst.len()
    }
    /// The worst problem of a row, `None` when it has none.
    pub fn row_severity(&self, row: usize) -> Option<Severity> {
        self.worst.get(row).copied().flatten()
    }
    /// Rows with at least one error.
    pub fn error_rows(&self) -> usize {
        self.worst
            .iter()
            .filter(|w| **w == Some(Severity::Error))
            .count()
    }
    /// Rows with warnings but no error.
    pub fn warning_rows(&self) -> usize {
        self.worst
            .iter()
            .filter(|w| **w == Some(Severity::Warning))
            .count()
    }
    /// The rows that may be uploaded: none while the mapping has problems.
    pub fn valid_rows(&self) -> Vec<ValidRow> {
        if !self.mapping_problems.is_empty() {
            return Vec::new();
        }
        (0..self.worst.len())
            .filter(|r| self.worst[*r] != Some(Severity::Error))
            .map(ValidRow)
            .collect()
    }
    /// The problems of one row.
    pub fn problems_of(&self, row: usize) -> impl Iterator<Item = &Problem> {
        let start = self.problems.partition_point(|p| p.row < row);
        self.problems[start..]
            .iter()
            .take_while(move |p| p.row == row)
    }
    /// Problems counted by kind and severity, most frequent first.
    pub fn counts(&self) -> Vec<(ProblemKind, Severity, usize)> {
        let mut map: HashMap<(ProblemKind, Severity), usize> = HashMap::new();
        for p in &self.problems {
            *map.entry((p.kind, p.severity)).or_default() += 1;
        }
        let mut out: Vec<_> = map.into_iter().map(|((k, s), n)| (k, s, n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        out
    }
}

struct Target<'a> {
    column: usize,
    name: &'a str,
    field: &'a Field,
    unique: bool,
}

/// Validates every row of `table`.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, validate::{validate, Options}};
/// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
/// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String).required()] };
/// let text = "email\nbob@\nann@x.io\n";
/// let t = parse(text, &sniff(text)).unwrap();
/// let r = validate(&t, &suggest(t.headers(), &m), &m, &Options::default());
/// assert_eq!(r.problems[0].to_string(),
///     "line 2, column \"email\": expected an e-mail address like name@example.com, found \"bob@\"");
/// assert_eq!(r.valid_rows().len(), 1);
/// ```
pub fn validate(
    table: &Table,
    mapping: &Mapping,
    metadata: &ObjectMetadata,
    options: &Options,
) -> Report {
    let headers = table.headers();
    let mapping_problems = mapping.problems(headers, metadata);
    let targets: Vec<Target> = mapping
        .columns
        .iter()
        .enumerate()
        .filter_map(|(column, c)| {
            let field = metadata.field(c.field.as_deref()?)?;
            Some(Target {
                column,
                name: headers.get(column).map(String::as_str).unwrap_or(""),
                field,
                unique: options.unique_fields.contains(&field.name),
            })
        })
        .collect();
    let mut report = Report {
        problems: Vec::new(),
        mapping_problems,
        worst: vec![None; table.len()],
    };
    // First line of each identifier value, per column, for duplicates.
    let mut seen: Vec<HashMap<String, u64>> = targets.iter().map(|_| HashMap::new()).collect();
    for row in table.rows() {
        let r = row.index();
        let line = row.line();
        let mut push =
            |column: Option<(usize, &str)>, kind, severity, message: String, suggestion| {
                let w = &mut report.worst[r];
                if w.is_none_or(|s| s < severity) {
                    *w = Some(severity);
                }
                report.problems.push(Problem {
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
        if row.len() < headers.len() {
            push(
                None,
                ProblemKind::TooFewFields,
                Severity::Error,
                format!(
                    "has {} field(s) but the header has {}; a delimiter or quote is probably missing on this line",
                    row.len(),
                    headers.len()
                ),
                None,
            );
        } else if row.len() > headers.len() {
            let extra: Vec<String> = (headers.len()..row.len())
                .filter_map(|c| row.get(c))
                .map(|v| format!("\"{v}\""))
                .collect();
            push(
                None,
                ProblemKind::TooManyFields,
                Severity::Error,
                format!(
                    "has {} fields but the header has {}; the extra value(s) {} would be lost; check the quotes on this line",
                    row.len(),
                    headers.len(),
                    extra.join(", ")
                ),
                None,
            );
        }
        for (t, target) in targets.iter().enumerate() {
            let at = Some((target.column, target.name));
            let value = row.get(target.column).unwrap_or("");
            let field = target.field;
            if value.trim().is_empty() {
                if field.required && !field.read_only && row.len() > target.column {
                    push(
                        at,
                        ProblemKind::Required,
                        Severity::Error,
                        format!(
                            "\"{}\" is required; fill it in or leave the row out",
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
            for (kind, verdict) in check_value(field, value, options.decimal_comma) {
                match verdict {
                    Verdict::Ok => {}
                    Verdict::Warning {
                        message,
                        suggestion,
                    } => push(at, kind, Severity::Warning, message, suggestion),
                    Verdict::Error { message } => push(at, kind, Severity::Error, message, None),
                }
            }
            if target.unique {
                let key = value.trim().to_lowercase();
                match seen[t].get(&key) {
                    Some(first) => push(
                        at,
                        ProblemKind::Duplicate,
                        Severity::Error,
                        format!(
                            "\"{value}\" is already on line {first}; each {} must be unique (case does not matter)",
                            field.name
                        ),
                        None,
                    ),
                    None => {
                        seen[t].insert(key, line);
                    }
                }
            }
        }
    }
    report
}

/// The checks one value goes through for its field, each with the kind it counts as.
fn check_value(field: &Field, value: &str, decimal_comma: bool) -> Vec<(ProblemKind, Verdict)> {
    let mut out = vec![(ProblemKind::Whitespace, checks::whitespace(value))];
    let v = value.trim();
    let typed = match &field.field_type {
        FieldType::Number => (ProblemKind::Number, checks::number(v, decimal_comma)),
        FieldType::Integer => (ProblemKind::Number, checks::integer(v, decimal_comma)),
        FieldType::Boolean => (ProblemKind::Boolean, checks::boolean(v)),
        FieldType::Date | FieldType::DateTime => {
            (ProblemKind::Date, checks::date(v, field.mask.as_deref()))
        }
        FieldType::String | FieldType::Other(_) => match field.text_kind() {
            TextKind::Email => (ProblemKind::Email, checks::email(v)),
            TextKind::Url => (ProblemKind::Url, checks::url(v)),
            TextKind::Phone => (ProblemKind::Phone, checks::phone(v)),
            TextKind::Plain => (ProblemKind::Email, Verdict::Ok),
        },
    };
    out.push(typed);
    if let Some(values) = field.picklist.as_ref().filter(|p| !p.is_empty())
        && !values.iter().any(|p| p.eq_ignore_ascii_case(v))
    {
        let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
        out.push((
            ProblemKind::Picklist,
            Verdict::Error {
                message: format!(
                    "\"{v}\" is not an allowed value; use one of: {}{}",
                    shown.join(", "),
                    if values.len() > 8 { ", ..." } else { "" }
                ),
            },
        ));
    }
    if let Some(max) = field.max_length {
        let n = v.chars().count();
        if n > max as usize {
            out.push((
                ProblemKind::TooLong,
                Verdict::Error {
                    message: format!(
                        "is {n} characters long; \"{}\" takes at most {max}",
                        field.name
                    ),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::sniff;
    use crate::mapping::suggest;
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
        validate(&t, &suggest(t.headers(), m), m, &Options::for_object(m, &d))
    }

    const PROBLEMS: &str = include_str!("../../../tests/data/contacts-with-problems.csv");
    const SEED: &str = include_str!("../../../tests/data/seed-contacts.tsv");

    #[test]
    fn the_seed_file_is_all_valid_with_one_phone_warning() {
        let r = run(SEED, &contacts());
        assert_eq!(r.valid_rows().len(), 10);
        assert_eq!(r.error_rows(), 0);
        let warnings: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
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
            .problems
            .iter()
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
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Duplicate)
            .unwrap();
        assert!(dup.message.contains("already on line 6"), "{}", dup.message);
        let valid: Vec<usize> = r.valid_rows().iter().map(|v| v.index()).collect();
        assert_eq!(valid, [0, 1, 4, 6]);
        assert!(
            r.problems.iter().any(|p| p.kind == ProblemKind::Url
                && p.severity == Severity::Warning
                && p.line == 8)
        );
    }

    #[test]
    fn read_only_values_warn_and_unmapped_required_fields_block_everything() {
        let r = run("id,email,last_name\n1,a@x.io,A\n", &contacts());
        assert_eq!(r.problems[0].kind, ProblemKind::ReadOnly);
        assert_eq!(r.valid_rows().len(), 1);
        let r = run("email\na@x.io\n", &contacts());
        assert_eq!(
            r.mapping_problems,
            [MappingProblem::RequiredUnmapped("last_name".into())]
        );
        assert!(r.valid_rows().is_empty());
    }

    #[test]
    fn typed_fields_use_the_files_decimal_separator() {
        let mut m = ObjectMetadata {
            fields: vec![Field::new("credit_limit", FieldType::Number)],
        };
        let r = run("reference;credit_limit\nA;12500,50\nB;x\n", &m);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, 3);
        m.fields[0].max_length = Some(2);
        m.fields.push(Field {
            picklist: Some(vec!["Gold".into()]),
            ..Field::new("tier", FieldType::String)
        });
        let r = run("credit_limit,tier\n1,gold\n2,Tin\n", &m);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].kind, ProblemKind::Picklist);
    }

    #[test]
    fn too_many_fields_names_the_extra_values() {
        let r = run("email,last_name\na@x.io,A,extra\n", &contacts());
        assert!(r.problems[0].to_string().contains("\"extra\""));
        assert!(r.valid_rows().is_empty());
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
}
