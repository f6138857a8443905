//! File columns to object fields. Each column is matched by the best of: the exact name,
//! the name ignoring case, the name normalised (separators and Eloqua's `C_` prefix
//! removed), a synonym table of names seen in real exports, and finally a fuzzy match. Every
//! match records how it was made, so the screen can say so, and a person can override any
//! of them.

use crate::metadata::ObjectMetadata;
use std::fmt;

/// How a column came to be matched to its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MatchKind {
    /// The column name is the field name.
    Exact,
    /// The same name in another case.
    CaseInsensitive,
    /// The same name once separators and prefixes are removed.
    Normalised,
    /// The field's display name (e.g. "Post code" for `addr_pc`).
    DisplayName,
    /// The last part of a dotted field name (`Country` for `address.country`), when only
    /// one field ends that way.
    LastPart,
    /// A known synonym (e.g. Eloqua's `C_EmailAddress` for `email`).
    Synonym,
    /// A similar name.
    Fuzzy,
    /// Chosen by the person.
    Manual,
    /// Remembered from an earlier upload with the same columns.
    Remembered,
}

impl MatchKind {
    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            MatchKind::Exact => "same name",
            MatchKind::CaseInsensitive => "same name, other case",
            MatchKind::Normalised => "same name without prefix or separators",
            MatchKind::DisplayName => "the field's display name",
            MatchKind::LastPart => "last part of the field's name",
            MatchKind::Synonym => "known synonym",
            MatchKind::Fuzzy => "similar name",
            MatchKind::Manual => "chosen by you",
            MatchKind::Remembered => "remembered",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where one column goes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnMap {
    /// The field, or `None` when the column is not imported.
    pub field: Option<String>,
    /// How the match was made.
    pub how: Option<MatchKind>,
}

/// Where every column goes; one entry per column of the table.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping {
    /// Per column, in file order.
    pub columns: Vec<ColumnMap>,
}

/// A mapping that cannot be uploaded as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum MappingProblem {
    /// A required field has no column. Fields are named by their
    /// [`label`](crate::metadata::Field::label), as the Columns step shows them.
    #[error("no column is mapped to the required field \"{0}\"")]
    RequiredUnmapped(String),
    /// Two or more columns go to one field.
    #[error("columns {} are all mapped to \"{field}\"; keep one", columns.join(", "))]
    DoubleMapped {
        /// The field.
        field: String,
        /// The column names.
        columns: Vec<String>,
    },
    /// A column is mapped to a field the object does not have.
    #[error("column \"{column}\" is mapped to \"{field}\", which the object does not have")]
    UnknownField {
        /// The column.
        column: String,
        /// The field.
        field: String,
    },
}

/// Lowercase letters and digits only, without Eloqua's `C_` prefix.
///
/// ```
/// assert_eq!(bulk_core::mapping::normalise("C_EmailAddress"), "emailaddress");
/// assert_eq!(bulk_core::mapping::normalise("E-mail"), "email");
/// assert_eq!(bulk_core::mapping::normalise("first_name"), "firstname");
/// ```
pub fn normalise(name: &str) -> String {
    let trimmed = name.trim();
    let base = trimmed
        .strip_prefix("C_")
        .or_else(|| trimmed.strip_prefix("c_"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(trimmed);
    base.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Names people and export tools use, normalised, for each field name. A synonym only
/// applies when the object has that field.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "email",
        &[
            "emailaddress",
            "mail",
            "emailaddr",
            "primaryemail",
            "workemail",
            "emailid",
        ],
    ),
    (
        "first_name",
        &["firstname", "givenname", "forename", "first", "fname"],
    ),
    (
        "last_name",
        &["lastname", "surname", "familyname", "last", "lname"],
    ),
    ("job_title", &["title", "jobtitle", "position", "role"]),
    (
        "telephone",
        &[
            "busphone",
            "phone",
            "phonenumber",
            "tel",
            "businessphone",
            "workphone",
            "telephone1",
        ],
    ),
    (
        "mobile",
        &["mobilephone", "cell", "cellphone", "mobilenumber"],
    ),
    (
        "company_name",
        &[
            "company",
            "companyname",
            "organisation",
            "organization",
            "accountname",
            "employer",
        ],
    ),
    (
        "website",
        &[
            "website1",
            "web",
            "url",
            "homepage",
            "site",
            "webaddress",
            "www",
        ],
    ),
    (
        "reference",
        &[
            "ref",
            "customerref",
            "customerreference",
            "accountnumber",
            "customercode",
            "code",
        ],
    ),
    (
        "name",
        &["customername", "accountname", "companyname", "company"],
    ),
    ("credit_limit", &["creditlimit", "limit"]),
];

/// The smallest Jaro-Winkler similarity of normalised names that counts as a fuzzy match.
const FUZZY_THRESHOLD: f64 = 0.88;

/// Only the first columns of a file are matched by a similar name, the others by name only: a
/// file of thousands of columns (most often read with the wrong delimiter) spent tens of
/// milliseconds guessing on the page's thread, for guesses nobody would trust.
pub const FUZZY_COLUMNS: usize = 1_000;

/// Suggests a field for every column.
///
/// ```
/// use bulk_core::{metadata::{ObjectMetadata, Field, FieldType}, mapping::{suggest, MatchKind}};
/// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String),
///                                       Field::new("last_name", FieldType::String)] };
/// let map = suggest(&["C_EmailAddress".to_string(), "Last Name".into(), "Notes".into()], &m);
/// assert_eq!(map.columns[0].field.as_deref(), Some("email"));
/// assert_eq!(map.columns[0].how, Some(MatchKind::Synonym));
/// assert_eq!(map.columns[1].how, Some(MatchKind::Normalised));
/// assert_eq!(map.columns[2].field, None);
/// ```
pub fn suggest(headers: &[String], metadata: &ObjectMetadata) -> Mapping {
    let mut columns: Vec<ColumnMap> = headers
        .iter()
        .map(|_| ColumnMap {
            field: None,
            how: None,
        })
        .collect();
    let mut taken: Vec<bool> = vec![false; metadata.fields.len()];
    let norm_fields: Vec<String> = metadata.fields.iter().map(|f| normalise(&f.name)).collect();
    let norm_display: Vec<String> = metadata
        .fields
        .iter()
        .map(|f| f.display_name.as_deref().map(normalise).unwrap_or_default())
        .collect();
    // `address.country` → `country`, kept only where no other field ends the same way.
    let last_parts: Vec<String> = metadata
        .fields
        .iter()
        .map(|f| match f.name.rsplit_once('.') {
            Some((_, last)) => normalise(last),
            None => String::new(),
        })
        .collect();
    let unique_last = |f: usize| {
        !last_parts[f].is_empty()
            && last_parts.iter().filter(|p| **p == last_parts[f]).count() == 1
            && !norm_fields.contains(&last_parts[f])
    };
    // Each header normalised once, not once for each rule and field: a file of 5,000
    // columns spent 30 ms here, on the page's thread.
    let norm_headers: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    // (The header, it normalised, the field.)
    type Rule<'a> = Box<dyn Fn(&str, &str, usize) -> bool + 'a>;
    let rules: Vec<(MatchKind, Rule)> = vec![
        (
            MatchKind::Exact,
            Box::new(|h: &str, _: &str, f: usize| h.trim() == metadata.fields[f].name),
        ),
        (
            MatchKind::CaseInsensitive,
            Box::new(|h: &str, _: &str, f: usize| {
                h.trim().eq_ignore_ascii_case(&metadata.fields[f].name)
            }),
        ),
        (
            MatchKind::Normalised,
            Box::new(|_: &str, n: &str, f: usize| !n.is_empty() && n == norm_fields[f]),
        ),
        (
            MatchKind::DisplayName,
            Box::new(|_: &str, n: &str, f: usize| !n.is_empty() && n == norm_display[f]),
        ),
        (
            MatchKind::LastPart,
            Box::new(|_: &str, n: &str, f: usize| {
                !n.is_empty() && n == last_parts[f] && unique_last(f)
            }),
        ),
        (
            MatchKind::Synonym,
            Box::new(|_: &str, n: &str, f: usize| {
                SYNONYMS
                    .iter()
                    .any(|(field, names)| *field == metadata.fields[f].name && names.contains(&n))
            }),
        ),
    ];
    for (kind, rule) in &rules {
        for (c, header) in headers.iter().enumerate() {
            if columns[c].field.is_some() {
                continue;
            }
            let n = &norm_headers[c];
            if let Some(f) = (0..metadata.fields.len()).find(|f| !taken[*f] && rule(header, n, *f))
            {
                taken[f] = true;
                columns[c] = ColumnMap {
                    field: Some(metadata.fields[f].name.clone()),
                    how: Some(*kind),
                };
            }
        }
    }
    for (c, n) in norm_headers.iter().enumerate().take(FUZZY_COLUMNS) {
        // Every field has its column: nothing is left to guess.
        if taken.iter().all(|t| *t) {
            break;
        }
        if columns[c].field.is_some() {
            continue;
        }
        if n.len() < 3 {
            continue;
        }
        let best = (0..metadata.fields.len())
            .filter(|f| !taken[*f])
            .map(|f| (f, strsim::jaro_winkler(n, &norm_fields[f])))
            .filter(|(_, s)| *s >= FUZZY_THRESHOLD)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((f, _)) = best {
            taken[f] = true;
            columns[c] = ColumnMap {
                field: Some(metadata.fields[f].name.clone()),
                how: Some(MatchKind::Fuzzy),
            };
        }
    }
    Mapping { columns }
}

impl Mapping {
    /// The column mapped to `field`, the first one if several are.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.field.as_deref() == Some(field))
    }

    /// Sets one column's field (`None`: not imported), as the person chose.
    pub fn set(&mut self, column: usize, field: Option<String>) {
        if let Some(c) = self.columns.get_mut(column) {
            c.how = field.as_ref().map(|_| MatchKind::Manual);
            c.field = field;
        }
    }

    /// What stops this mapping from being uploaded.
    pub fn problems(&self, headers: &[String], metadata: &ObjectMetadata) -> Vec<MappingProblem> {
        let mut out = Vec::new();
        for f in metadata.required() {
            if self.column_of(&f.name).is_none() {
                out.push(MappingProblem::RequiredUnmapped(f.label().to_string()));
            }
        }
        for f in &metadata.fields {
            let cols: Vec<String> = self
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.field.as_deref() == Some(&f.name))
                .map(|(i, _)| headers.get(i).cloned().unwrap_or_default())
                .collect();
            if cols.len() > 1 {
                out.push(MappingProblem::DoubleMapped {
                    field: f.label().to_string(),
                    columns: cols,
                });
            }
        }
        for (i, c) in self.columns.iter().enumerate() {
            if let Some(field) = &c.field
                && metadata.field(field).is_none()
            {
                out.push(MappingProblem::UnknownField {
                    column: headers.get(i).cloned().unwrap_or_default(),
                    field: field.clone(),
                });
            }
        }
        out
    }
}

/// The browser-storage key under which a mapping is remembered: the connector's origin,
/// the object, and the set of column names (order does not matter). Never a secret.
///
/// ```
/// let a = bulk_core::mapping::memory_key("https://t.example", "contacts", &["b".into(), "a".into()]);
/// let b = bulk_core::mapping::memory_key("https://t.example", "contacts", &["a".into(), "b".into()]);
/// assert_eq!(a, b);
/// assert!(a.starts_with("bulk-uploader/mapping/https://t.example/contacts/"));
/// ```
pub fn memory_key(origin: &str, object: &str, headers: &[String]) -> String {
    let mut sorted: Vec<&str> = headers.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    // A stable hash (FNV-1a): the key must be the same in every session and browser.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for name in sorted {
        for b in name.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("bulk-uploader/mapping/{origin}/{object}/{h:016x}")
}

impl Mapping {
    /// The person's choices as JSON (`{"column": "field" | null}`), to remember.
    pub fn to_memory(&self, headers: &[String]) -> String {
        let map: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .zip(&self.columns)
            .map(|(h, c)| {
                (
                    h.clone(),
                    c.field
                        .clone()
                        .map(Into::into)
                        .unwrap_or(serde_json::Value::Null),
                )
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    }

    /// A remembered mapping for these columns, if it still fits the object: fields that no
    /// longer exist are dropped (those columns get the suggestion instead).
    ///
    /// ```
    /// use bulk_core::{metadata::{ObjectMetadata, Field, FieldType}, mapping::{suggest, Mapping, MatchKind}};
    /// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String), Field::new("name", FieldType::String)] };
    /// let headers = vec!["Mail".to_string(), "Who".to_string()];
    /// let mut map = suggest(&headers, &m);
    /// map.set(1, Some("name".into()));
    /// let again = Mapping::from_memory(&map.to_memory(&headers), &headers, &m).unwrap();
    /// assert_eq!(again.columns[1].field.as_deref(), Some("name"));
    /// assert_eq!(again.columns[1].how, Some(MatchKind::Remembered));
    /// ```
    pub fn from_memory(
        json: &str,
        headers: &[String],
        metadata: &ObjectMetadata,
    ) -> Option<Mapping> {
        let saved: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).ok()?;
        let mut map = suggest(headers, metadata);
        for (i, h) in headers.iter().enumerate() {
            match saved.get(h) {
                Some(serde_json::Value::String(f)) if metadata.field(f).is_some() => {
                    map.columns[i] = ColumnMap {
                        field: Some(f.clone()),
                        how: Some(MatchKind::Remembered),
                    };
                }
                Some(serde_json::Value::Null) => {
                    map.columns[i] = ColumnMap {
                        field: None,
                        how: Some(MatchKind::Remembered),
                    }
                }
                _ => {}
            }
        }
        Some(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Field, FieldType};

    #[test]
    fn dotted_fields_match_on_their_last_part_and_fields_on_their_display_name() {
        let mut pc = Field::new("addr_pc", FieldType::String);
        pc.display_name = Some("Post code".into());
        let m = ObjectMetadata {
            fields: vec![
                Field::new("address.country", FieldType::String),
                Field::new("custom.region", FieldType::String),
                // Two fields end in `city`: a "City" column is not guessed at.
                Field::new("billing.city", FieldType::String),
                Field::new("shipping.city", FieldType::String),
                pc,
            ],
        };
        let headers: Vec<String> = ["Country", "Region", "City", "Post Code"]
            .map(String::from)
            .to_vec();
        let map = suggest(&headers, &m);
        let got: Vec<(Option<&str>, Option<MatchKind>)> = map
            .columns
            .iter()
            .map(|c| (c.field.as_deref(), c.how))
            .collect();
        assert_eq!(got[0], (Some("address.country"), Some(MatchKind::LastPart)));
        assert_eq!(got[1], (Some("custom.region"), Some(MatchKind::LastPart)));
        assert_eq!(
            got[2].1.map(|k| k == MatchKind::LastPart),
            None.or(got[2].1.map(|_| false)),
            "{got:?}"
        );
        assert_eq!(got[3], (Some("addr_pc"), Some(MatchKind::DisplayName)));
    }

    fn contacts() -> ObjectMetadata {
        ObjectMetadata {
            fields: [
                "id",
                "email",
                "first_name",
                "last_name",
                "job_title",
                "telephone",
                "company_name",
                "website",
            ]
            .iter()
            .map(|n| Field::new(n, FieldType::String))
            .collect(),
        }
    }

    fn fields(headers: &[&str], m: &ObjectMetadata) -> Vec<Option<String>> {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        suggest(&h, m)
            .columns
            .into_iter()
            .map(|c| c.field)
            .collect()
    }

    #[test]
    fn eloqua_headers_of_the_samples_map_with_no_manual_step() {
        let got = fields(
            &[
                "C_EmailAddress",
                "C_FirstName",
                "C_LastName",
                "C_Title",
                "C_BusPhone",
                "C_Company",
                "C_Website1",
            ],
            &contacts(),
        );
        let want = [
            "email",
            "first_name",
            "last_name",
            "job_title",
            "telephone",
            "company_name",
            "website",
        ];
        assert_eq!(got, want.map(|s| Some(s.to_string())));
    }

    #[test]
    fn people_spellings_map() {
        let got = fields(
            &["Email Address", "E-mail", "First Name", "Phone", "Company"],
            &contacts(),
        );
        // "E-mail" is a better match (normalised) than "Email Address" (synonym); only one
        // column may take the field.
        assert_eq!(got[0], None);
        assert_eq!(got[1].as_deref(), Some("email"));
        assert_eq!(got[2].as_deref(), Some("first_name"));
        assert_eq!(got[3].as_deref(), Some("telephone"));
        assert_eq!(got[4].as_deref(), Some("company_name"));
    }

    #[test]
    fn fuzzy_catches_typos_but_not_strangers() {
        let got = fields(&["emial", "Compnay Name", "favourite colour"], &contacts());
        assert_eq!(
            got,
            [Some("email".into()), Some("company_name".into()), None]
        );
    }

    #[test]
    fn only_the_first_columns_are_matched_by_a_similar_name() {
        let mut headers: Vec<String> = (0..FUZZY_COLUMNS).map(|i| format!("x{i}")).collect();
        headers.push("emial".into());
        let far = |h: &[String]| suggest(h, &contacts()).columns[FUZZY_COLUMNS].field.clone();
        assert_eq!(far(&headers), None);
        // By name, any column still.
        headers[FUZZY_COLUMNS] = "Email".into();
        assert_eq!(far(&headers).as_deref(), Some("email"));
        assert_eq!(
            fields(&["x1", "x2", "emial"], &contacts())[2].as_deref(),
            Some("email")
        );
    }

    #[test]
    fn problems_name_unmapped_required_and_double_mapped_fields() {
        let mut m = contacts();
        m.fields[1].required = true;
        let headers: Vec<String> = vec!["a".into(), "b".into()];
        let mut map = suggest(&headers, &m);
        assert_eq!(
            map.problems(&headers, &m),
            [MappingProblem::RequiredUnmapped("email".into())]
        );
        // Named as a person sees the field, when the connector gives it a label.
        m.fields[1].display_name = Some("E-mail address".into());
        assert_eq!(
            map.problems(&headers, &m),
            [MappingProblem::RequiredUnmapped("E-mail address".into())]
        );
        map.set(0, Some("email".into()));
        map.set(1, Some("email".into()));
        assert!(
            matches!(&map.problems(&headers, &m)[0], MappingProblem::DoubleMapped { columns, .. } if columns.len() == 2)
        );
        map.set(1, Some("nope".into()));
        assert!(matches!(
            &map.problems(&headers, &m)[0],
            MappingProblem::UnknownField { .. }
        ));
    }

    #[test]
    fn customers_semicolon_headers_map_exactly() {
        let m = ObjectMetadata {
            fields: ["reference", "name", "credit_limit", "telephone", "website"]
                .iter()
                .map(|n| Field::new(n, FieldType::String))
                .collect(),
        };
        let got = fields(
            &["reference", "name", "credit_limit", "telephone", "website"],
            &m,
        );
        assert!(got.iter().all(Option::is_some));
    }
}
