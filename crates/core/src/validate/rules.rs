//! The rules a mapped column's cells are held to, and how each one judges a cell. What
//! applies to a column (its field's type, text kind, mask, picklist, length, required and
//! read-only flags, and whether it is an identifier) is decided once, by [`rules_for`], when
//! a validator is made; checking a cell is then running the column's rules in order, with
//! no decision left to take per value. A new check is one [`Rule`] variant with its arms
//! here (its kind, its verdict, and when [`rules_for`] gives it); nothing else changes.
//! How a cell's text is read for the checks and for sending ([`Reading`]) lives here too,
//! because blankness, which decides which rules speak, depends on it.

use super::{Options, ProblemKind};
use crate::checks::{self, Verdict};
use crate::metadata::{Field, FieldType, TextKind};
use std::borrow::Cow;

/// How a cell's text is taken for the checks and for sending, so that the upload carries
/// exactly what passed the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Plain text and phones go out exactly as typed, spaces included.
    AsTyped,
    /// E-mail and web addresses as `<input type=email>`/`type=url` take them
    /// ([`checks::input_value`]).
    AsInput,
    /// Numbers, booleans and dates lose ASCII whitespace at both ends.
    Trimmed,
}

impl Reading {
    /// The reading of a field's cells.
    pub(crate) fn of(field_type: &FieldType, kind: TextKind) -> Reading {
        match field_type {
            FieldType::String | FieldType::Other(_) => match kind {
                TextKind::Phone | TextKind::Plain => Reading::AsTyped,
                TextKind::Email | TextKind::Url => Reading::AsInput,
            },
            _ => Reading::Trimmed,
        }
    }

    /// The text a cell is checked as and sent as.
    pub(crate) fn text(self, value: &str) -> Cow<'_, str> {
        match self {
            Reading::AsTyped => value.into(),
            Reading::AsInput => checks::input_value(value),
            Reading::Trimmed => value.trim_ascii().into(),
        }
    }

    /// Whether a cell counts as empty. Text sent as typed is empty when it is blank to the
    /// eye; a typed value is empty when what would be sent is: a lone no-break space in an
    /// e-mail column is a wrong address, not a missing one.
    pub(crate) fn is_blank(self, value: &str, text: &str) -> bool {
        match self {
            Reading::AsTyped => checks::trimmed(value).is_empty(),
            Reading::AsInput | Reading::Trimmed => text.is_empty(),
        }
    }
}

/// One cell as the rules see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cell<'a> {
    /// As typed; spaces are looked for here.
    pub(crate) value: &'a str,
    /// As it would be sent ([`Reading::text`]); every other check reads this.
    pub(crate) text: &'a str,
    /// Empty ([`Reading::is_blank`]): only [`Rule::Required`] speaks about a blank cell,
    /// every other rule only about a filled one.
    pub(crate) blank: bool,
    /// Past the end of a short row: its "too few fields" already says so.
    pub(crate) missing: bool,
}

impl<'a> Cell<'a> {
    /// `value` read as `reading` reads it, with `text` from [`Reading::text`].
    pub(crate) fn new(reading: Reading, value: &'a str, text: &'a str, missing: bool) -> Cell<'a> {
        Cell {
            value,
            text,
            blank: reading.is_blank(value, text),
            missing,
        }
    }
}

/// One check of a column's cells, with what it needs decided in advance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// A blank cell is an error (unless the row is short; see [`Cell::missing`]).
    Required,
    /// The field is set by the connector: a value is not sent, which is worth a warning, and
    /// no other rule judges it (so a read-only column has only this rule).
    ReadOnly,
    /// Spaces at the start or end, looked for in the cell as typed.
    Whitespace,
    /// A decimal number in the file's notation.
    Number {
        /// The file writes `12500,50`.
        decimal_comma: bool,
    },
    /// A whole number in the file's notation.
    Integer {
        /// The file writes `12500,50`.
        decimal_comma: bool,
    },
    /// true/false, yes/no, 1/0.
    Boolean,
    /// A date or date-time written as the field's mask says.
    Date {
        /// The field's mask; `yyyy-MM-dd` when it has none.
        mask: Option<String>,
    },
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// A phone number (warnings only).
    Phone,
    /// One of the allowed values, case-insensitively (never empty).
    Picklist {
        /// The allowed values.
        values: Vec<String>,
    },
    /// At most `max` characters.
    MaxLength {
        /// The field's maximum length.
        max: u32,
    },
    /// No earlier row has the same value (trimmed, case-insensitive). This is judged across
    /// rows by the validator's identifier index, not cell by cell: [`Rule::check`] passes
    /// every cell, and [`duplicate_message`] words what the index finds.
    Unique,
}

/// The rules of a mapped column for `field`, in the order their problems are listed: the
/// blank check, then the checks of a filled value ([`value_rules`]), then uniqueness. A
/// read-only field has only [`Rule::ReadOnly`]: its values are never sent, so neither
/// required, nor judged, nor compared.
pub(crate) fn rules_for(field: &Field, kind: TextKind, options: &Options) -> Vec<Rule> {
    if field.read_only {
        return vec![Rule::ReadOnly];
    }
    let mut rules = Vec::new();
    if field.required {
        rules.push(Rule::Required);
    }
    rules.extend(value_rules(field, kind, options.decimal_comma));
    if options.unique_fields.contains(&field.name) {
        rules.push(Rule::Unique);
    }
    rules
}

/// The checks a filled value of `field` goes through, whatever the column: spacing, the
/// type (or for text, its kind), the picklist, the length.
pub(crate) fn value_rules(field: &Field, kind: TextKind, decimal_comma: bool) -> Vec<Rule> {
    let typed = match &field.field_type {
        FieldType::Number => Some(Rule::Number { decimal_comma }),
        FieldType::Integer => Some(Rule::Integer { decimal_comma }),
        FieldType::Boolean => Some(Rule::Boolean),
        FieldType::Date | FieldType::DateTime => Some(Rule::Date {
            mask: field.mask.clone(),
        }),
        FieldType::String | FieldType::Other(_) => match kind {
            TextKind::Email => Some(Rule::Email),
            TextKind::Url => Some(Rule::Url),
            TextKind::Phone => Some(Rule::Phone),
            TextKind::Plain => None,
        },
    };
    let picklist = field
        .picklist
        .as_ref()
        .filter(|p| !p.is_empty())
        .map(|values| Rule::Picklist {
            values: values.clone(),
        });
    let max_length = field.max_length.map(|max| Rule::MaxLength { max });
    std::iter::once(Rule::Whitespace)
        .chain(typed)
        .chain(picklist)
        .chain(max_length)
        .collect()
}

impl Rule {
    /// The kind its problems are counted as.
    pub(crate) fn kind(&self) -> ProblemKind {
        match self {
            Rule::Required => ProblemKind::Required,
            Rule::ReadOnly => ProblemKind::ReadOnly,
            Rule::Whitespace => ProblemKind::Whitespace,
            Rule::Number { .. } | Rule::Integer { .. } => ProblemKind::Number,
            Rule::Boolean => ProblemKind::Boolean,
            Rule::Date { .. } => ProblemKind::Date,
            Rule::Email => ProblemKind::Email,
            Rule::Url => ProblemKind::Url,
            Rule::Phone => ProblemKind::Phone,
            Rule::Picklist { .. } => ProblemKind::Picklist,
            Rule::MaxLength { .. } => ProblemKind::TooLong,
            Rule::Unique => ProblemKind::Duplicate,
        }
    }

    /// The verdict on one cell of the field called `field`. Allocates only to word a
    /// problem. Always inlined: most calls pass at the first comparison (a filled cell is
    /// not missing, a short one is not too long), and in wasm the call and the verdict it
    /// returned through memory cost more than that (out of line, this function was a
    /// quarter of the check's profile; inlined, the check is about 7% faster).
    #[inline(always)]
    pub(crate) fn check(&self, cell: &Cell, field: &str) -> Verdict {
        if cell.blank {
            return match self {
                Rule::Required if !cell.missing => Verdict::Error {
                    message: format!("\"{field}\" is required; fill it in or delete the row"),
                },
                _ => Verdict::Ok,
            };
        }
        let v = cell.text;
        match self {
            Rule::Required | Rule::Unique => Verdict::Ok,
            Rule::ReadOnly => Verdict::Warning {
                message: format!(
                    "\"{field}\" is read-only in the connector; this value will not be sent"
                ),
                suggestion: None,
            },
            Rule::Whitespace => checks::whitespace(cell.value),
            Rule::Number { decimal_comma } => checks::number(v, *decimal_comma),
            Rule::Integer { decimal_comma } => checks::integer(v, *decimal_comma),
            Rule::Boolean => checks::boolean(v),
            Rule::Date { mask } => checks::date(v, mask.as_deref()),
            Rule::Email => checks::email(v),
            Rule::Url => checks::url(v),
            Rule::Phone => checks::phone(v),
            Rule::Picklist { values } => {
                if values.iter().any(|p| p.eq_ignore_ascii_case(v)) {
                    return Verdict::Ok;
                }
                not_allowed(v, values)
            }
            // A text of at most `max` bytes has at most `max` characters: count only longer
            // ones.
            Rule::MaxLength { max } if v.len() > *max as usize => {
                let n = v.chars().count();
                if n > *max as usize {
                    Verdict::Error {
                        message: format!("is {n} characters long; \"{field}\" takes at most {max}"),
                    }
                } else {
                    Verdict::Ok
                }
            }
            Rule::MaxLength { .. } => Verdict::Ok,
        }
    }
}

/// What [`Rule::Picklist`] says about `v`, not one of `values`; out of [`Rule::check`],
/// which is inlined into the loop over every cell.
fn not_allowed(v: &str, values: &[String]) -> Verdict {
    let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
    Verdict::Error {
        message: format!(
            "\"{}\" is not an allowed value; use one of: {}{}",
            crate::checks::excerpt(v),
            shown.join(", "),
            if values.len() > 8 { ", ..." } else { "" }
        ),
    }
}

/// What [`Rule::Unique`] says about `value` of the field called `field` when an earlier row
/// (on `first_line`) already has it.
pub(crate) fn duplicate_message(value: &str, first_line: u64, field: &str) -> String {
    format!(
        "\"{}\" is already on line {first_line}; each {field} must be unique (case does not matter); change one or delete a row",
        crate::checks::excerpt(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique(names: &[&str]) -> Options {
        Options {
            unique_fields: names.iter().map(|n| n.to_string()).collect(),
            ..Options::default()
        }
    }

    fn rules(field: &Field, options: &Options) -> Vec<Rule> {
        rules_for(field, field.text_kind(), options)
    }

    #[test]
    fn an_email_field_with_a_length_is_checked_for_spaces_address_and_length() {
        let f = Field {
            max_length: Some(80),
            ..Field::new("email", FieldType::String)
        };
        assert_eq!(
            rules(&f, &Options::default()),
            [Rule::Whitespace, Rule::Email, Rule::MaxLength { max: 80 }]
        );
        assert_eq!(
            rules(&f.clone().required(), &unique(&["email"])),
            [
                Rule::Required,
                Rule::Whitespace,
                Rule::Email,
                Rule::MaxLength { max: 80 },
                Rule::Unique
            ]
        );
    }

    #[test]
    fn a_picklist_field_gets_its_values_and_an_empty_list_is_no_rule() {
        let f = Field {
            picklist: Some(vec!["Gold".into(), "Silver".into()]),
            ..Field::new("tier", FieldType::Other("picklist".into()))
        };
        assert_eq!(
            rules(&f, &Options::default()),
            [
                Rule::Whitespace,
                Rule::Picklist {
                    values: vec!["Gold".into(), "Silver".into()]
                }
            ]
        );
        let empty = Field {
            picklist: Some(Vec::new()),
            ..f
        };
        assert_eq!(rules(&empty, &Options::default()), [Rule::Whitespace]);
    }

    #[test]
    fn a_read_only_field_is_only_read_only_even_when_required_or_unique() {
        let f = Field::new("email", FieldType::String)
            .read_only()
            .required();
        assert_eq!(rules(&f, &unique(&["email"])), [Rule::ReadOnly]);
        let cell = Cell::new(Reading::AsInput, "bob@", "bob@", false);
        assert!(matches!(
            Rule::ReadOnly.check(&cell, "email"),
            Verdict::Warning { .. }
        ));
    }

    #[test]
    fn typed_fields_carry_the_files_notation_and_their_mask() {
        let comma = Options {
            decimal_comma: true,
            ..Options::default()
        };
        let n = Field::new("credit_limit", FieldType::Number);
        assert_eq!(
            rules(&n, &comma),
            [
                Rule::Whitespace,
                Rule::Number {
                    decimal_comma: true
                }
            ]
        );
        let i = Field::new("seats", FieldType::Integer);
        assert_eq!(
            rules(&i, &Options::default()),
            [
                Rule::Whitespace,
                Rule::Integer {
                    decimal_comma: false
                }
            ]
        );
        let d = Field {
            mask: Some("dd/MM/yyyy".into()),
            ..Field::new("born", FieldType::DateTime)
        };
        assert_eq!(
            rules(&d, &Options::default()),
            [
                Rule::Whitespace,
                Rule::Date {
                    mask: Some("dd/MM/yyyy".into())
                }
            ]
        );
        let b = Field::new("active", FieldType::Boolean);
        assert_eq!(
            rules(&b, &Options::default()),
            [Rule::Whitespace, Rule::Boolean]
        );
    }

    #[test]
    fn text_kinds_pick_their_check_and_plain_text_has_none() {
        let opts = Options::default();
        let of = |name: &str| rules(&Field::new(name, FieldType::String), &opts);
        assert_eq!(of("website"), [Rule::Whitespace, Rule::Url]);
        assert_eq!(of("telephone"), [Rule::Whitespace, Rule::Phone]);
        assert_eq!(of("last_name"), [Rule::Whitespace]);
    }

    #[test]
    fn each_rule_counts_as_its_kind() {
        assert_eq!(Rule::MaxLength { max: 3 }.kind(), ProblemKind::TooLong);
        assert_eq!(Rule::Unique.kind(), ProblemKind::Duplicate);
        assert_eq!(
            Rule::Integer {
                decimal_comma: false
            }
            .kind(),
            ProblemKind::Number
        );
    }

    #[test]
    fn only_the_required_rule_speaks_about_a_blank_cell() {
        let blank = Cell::new(Reading::AsTyped, " ", " ", false);
        assert!(blank.blank);
        assert!(matches!(
            Rule::Required.check(&blank, "last_name"),
            Verdict::Error { message } if message == "\"last_name\" is required; fill it in or delete the row"
        ));
        let missing = Cell::new(Reading::AsTyped, "", "", true);
        assert_eq!(Rule::Required.check(&missing, "last_name"), Verdict::Ok);
        for rule in [Rule::ReadOnly, Rule::Whitespace, Rule::Email, Rule::Unique] {
            assert_eq!(rule.check(&blank, "x"), Verdict::Ok, "{rule:?}");
        }
        // A no-break space is not blank in an e-mail column: it is a wrong address.
        let nbsp = Cell::new(Reading::AsInput, "\u{a0}", "\u{a0}", false);
        assert!(!nbsp.blank);
        assert!(matches!(
            Rule::Email.check(&nbsp, "email"),
            Verdict::Error { .. }
        ));
    }

    #[test]
    fn the_length_is_counted_in_characters() {
        let rule = Rule::MaxLength { max: 3 };
        let cell = |v| Cell::new(Reading::AsTyped, v, v, false);
        assert_eq!(rule.check(&cell("ééé"), "code"), Verdict::Ok);
        assert!(matches!(
            rule.check(&cell("abcd"), "code"),
            Verdict::Error { message } if message == "is 4 characters long; \"code\" takes at most 3"
        ));
    }
}
