//! The common case of a first check, answered without wording anything: a row of the file
//! as read (no edits yet), as wide as the header, whose every mapped cell passes its
//! column's rules. Nearly every row of a real file is such a row. Each column's rules are
//! folded once into a [`Quick`] test that reads a cell's bytes once or twice; a row that
//! fails any of them goes through the rules one by one (`Checker::check_row`), which words
//! its problems. So a fold only ever decides "nothing to say"; it never words a problem,
//! and a test holds it to the rules on hostile values. Folding the rules saves what running
//! them cell by cell costs in wasm: reading the cell for sending, deciding blankness, a
//! verdict per rule, each in its own pass over the text.

use super::rules::{Reading, Rule};
use crate::checks;

/// What a column's cells are, for the fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Text sent as typed.
    Text,
    /// An e-mail address (read as `<input type=email>` reads it).
    Email,
    /// A web address (read as `<input type=url>` reads it).
    Url,
    /// A phone number, sent as typed.
    Phone,
}

/// A column's rules folded into one test.
#[derive(Clone, Copy, Debug)]
pub(super) struct Quick {
    kind: Kind,
    required: bool,
    /// The most bytes a cell may have and pass without its characters being counted.
    max: usize,
}

impl Quick {
    /// The fold of `rules` for cells read as `reading`; `None` when they hold anything the
    /// fold does not know (numbers, dates, picklists, read-only), whose cells then go
    /// through the rules one by one.
    pub(super) fn of(reading: Reading, rules: &[Rule]) -> Option<Quick> {
        let mut quick = Quick {
            kind: Kind::Text,
            required: false,
            max: usize::MAX,
        };
        let mut kind = None;
        for rule in rules {
            match rule {
                Rule::Required => quick.required = true,
                Rule::Whitespace | Rule::Unique => {}
                Rule::MaxLength { max } => quick.max = quick.max.min(*max as usize),
                Rule::Email => kind = Some(Kind::Email),
                Rule::Url => kind = Some(Kind::Url),
                Rule::Phone => kind = Some(Kind::Phone),
                _ => return None,
            }
        }
        quick.kind = kind.unwrap_or(Kind::Text);
        // Each kind as the reading it is folded for: anything else goes rule by rule.
        let expected = match quick.kind {
            Kind::Text | Kind::Phone => Reading::AsTyped,
            Kind::Email | Kind::Url => Reading::AsInput,
        };
        (reading == expected).then_some(quick)
    }

    /// True when the column's rules have nothing to say about a cell `v` of a row as wide
    /// as the header. False does not mean a problem: only that the rules must look.
    #[inline(always)]
    pub(super) fn passes(&self, v: &str) -> bool {
        let b = v.as_bytes();
        let (Some(first), Some(last)) = (b.first(), b.last()) else {
            // Blank: only "required" speaks.
            return !self.required;
        };
        // Spaces at an end are worth a warning, and a cell of spaces is blank: the rules
        // say which. The usual cell starts and ends with a visible ASCII character.
        if !(first.is_ascii_graphic() && last.is_ascii_graphic()) && v.trim().len() != v.len() {
            return false;
        }
        // Longer in bytes may still be short enough in characters: the rule counts.
        if b.len() > self.max {
            return false;
        }
        // An address that passes is visible ASCII through and through, so it is also what
        // `<input>` would send (nothing trimmed, no line break removed).
        match self.kind {
            Kind::Text => true,
            Kind::Email => checks::is_email(v),
            Kind::Url => checks::simple_web_address(v),
            Kind::Phone => checks::plain_phone(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;
    use crate::metadata::{Field, FieldType};
    use crate::test_rng::Rng;
    use crate::validate::Options;
    use crate::validate::rules::{Cell, rules_for};

    /// The fields the fold knows, each required or not, with a length or not.
    fn fields() -> Vec<Field> {
        let mut out = Vec::new();
        for name in ["email", "website", "telephone", "first_name"] {
            for required in [false, true] {
                for max in [None, Some(3), Some(12)] {
                    let mut f = Field::new(name, FieldType::String);
                    f.required = required;
                    f.max_length = max;
                    out.push(f);
                }
            }
        }
        out
    }

    /// Values close to the edges of every rule the fold replaces.
    fn value(rng: &mut Rng) -> String {
        const PARTS: &[&str] = &[
            "a",
            "Z",
            "0",
            "7",
            "@",
            ".",
            "-",
            "+",
            "(",
            ")",
            "/",
            " ",
            "\t",
            "\n",
            "\r",
            "x",
            "ext",
            "é",
            "ß",
            "\u{a0}",
            "\u{3000}",
            "\u{1}",
            "\"",
            "'",
            "https://",
            "http://",
            "www.",
            "example.com",
            "a@b.io",
            "%",
            "\\",
            "😀",
            ",",
        ];
        let n = rng.next(8);
        (0..n).map(|_| PARTS[rng.next(PARTS.len())]).collect()
    }

    #[test]
    fn the_fold_passes_only_what_the_rules_pass() {
        let options = Options::default();
        let mut rng = Rng(0x5EED_F01D);
        let mut passed = 0;
        for field in fields() {
            let kind = field.text_kind();
            let reading = Reading::of(&field.field_type, kind);
            let rules = rules_for(&field, kind, &options);
            let quick = Quick::of(reading, &rules).expect("a text field folds");
            for _ in 0..4_000 {
                let v = value(&mut rng);
                if !quick.passes(&v) {
                    continue;
                }
                passed += 1;
                let text = reading.text(&v);
                let cell = Cell::new(reading, &v, &text, false);
                for rule in &rules {
                    assert_eq!(
                        rule.check(&cell, &field.name),
                        Verdict::Ok,
                        "{rule:?} on {v:?} ({})",
                        field.name
                    );
                }
            }
        }
        // The test means something only if the fold passes many values.
        assert!(passed > 10_000, "{passed}");
    }

    #[test]
    fn numbers_dates_picklists_and_read_only_fields_are_not_folded() {
        let options = Options::default();
        for field in [
            Field::new("amount", FieldType::Number),
            Field::new("when", FieldType::Date),
            Field::new("id", FieldType::String).read_only(),
            Field {
                picklist: Some(vec!["Gold".into()]),
                ..Field::new("tier", FieldType::String)
            },
        ] {
            let kind = field.text_kind();
            let rules = rules_for(&field, kind, &options);
            assert!(
                Quick::of(Reading::of(&field.field_type, kind), &rules).is_none(),
                "{}",
                field.name
            );
        }
    }

    #[test]
    fn usual_cells_pass_and_the_edges_go_to_the_rules() {
        let options = Options::default();
        let quick = |name: &str| {
            let f = Field {
                max_length: Some(20),
                ..Field::new(name, FieldType::String).required()
            };
            let kind = f.text_kind();
            Quick::of(
                Reading::of(&f.field_type, kind),
                &rules_for(&f, kind, &options),
            )
            .expect("folds")
        };
        let (email, web, phone, text) = (
            quick("email"),
            quick("website"),
            quick("telephone"),
            quick("name"),
        );
        assert!(email.passes("ann@example.com"));
        assert!(web.passes("https://example.com/"));
        assert!(phone.passes("+44 (20) 7946-0018"));
        assert!(text.passes("José"));
        assert!(text.passes("Groß"));
        for (q, v) in [
            (&email, ""),
            (&email, " ann@example.com"),
            (&email, "ann@"),
            (&web, "www.example.com"),
            (&phone, "020 7946 0018 x12"),
            (&phone, "(020"),
            (&text, "  "),
            (&text, "José "),
            (&text, "\u{a0}José"),
            (&text, "a name far longer than twenty"),
        ] {
            assert!(!q.passes(v), "{v:?}");
        }
    }
}
