//! The file a bulk job receives. Its header is the object's field names (not the person's
//! column names), it carries only mapped, writable fields, and only [`ValidRow`]s can be
//! written into it. Values stay as typed except where the field's type asks for the API's
//! form: numbers lose grouping and get a `.` decimal, booleans become `true`/`false`, and
//! typed values (e-mail, web address, number, boolean, date) are sent as they were checked
//! ([`checked_text`]), never with spacing the checks looked past.

use crate::checks;
use crate::edits::View;
use crate::mapping::Mapping;
use crate::metadata::{FieldType, ObjectMetadata, TextKind};
use crate::validate::{ValidRow, checked_text};
use std::borrow::Cow;

/// Which table columns go into the upload, under which field names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadColumns {
    columns: Vec<(usize, String, FieldType, TextKind)>,
    decimal_comma: bool,
}

impl UploadColumns {
    /// The mapped, writable columns in file order.
    pub fn new(mapping: &Mapping, metadata: &ObjectMetadata, decimal_comma: bool) -> UploadColumns {
        let columns = mapping
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let f = metadata.field(c.field.as_deref()?)?;
                (!f.read_only).then(|| (i, f.name.clone(), f.field_type.clone(), f.text_kind()))
            })
            .collect();
        UploadColumns {
            columns,
            decimal_comma,
        }
    }

    /// The field names of the header.
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.1.as_str())
    }

    /// The value sent for one cell: the text the validator checked, in the API's form.
    fn value<'a>(&self, raw: &'a str, field_type: &FieldType, kind: TextKind) -> Cow<'a, str> {
        let text = checked_text(field_type, kind, raw);
        match field_type {
            FieldType::Number | FieldType::Integer => {
                match checks::parse_number(&text, self.decimal_comma) {
                    Some(n) => n.into(),
                    None => text,
                }
            }
            FieldType::Boolean => match checks::parse_boolean(&text) {
                Some(b) => b.to_string().into(),
                None => text,
            },
            _ => text,
        }
    }

    /// Writes the header and `rows` as CSV (comma, `"` quotes where needed, LF).
    ///
    /// ```
    /// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, upload::UploadColumns};
    /// use bulk_core::validate::{validate, Options};
    /// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
    /// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String),
    ///                                       Field::new("credit_limit", FieldType::Number)] };
    /// let text = "C_EmailAddress;Credit Limit;Notes\na@x.io;1.250,5;n\nbad;1;n\n";
    /// let d = sniff(text);
    /// let t = parse(text, &d).unwrap();
    /// let edits = bulk_core::edits::Edits::default();
    /// let view = bulk_core::edits::View::new(&t, &edits);
    /// let map = suggest(t.headers(), &m);
    /// let report = validate(&view, &map, &m, &Options::for_object(&m, &d));
    /// let cols = UploadColumns::new(&map, &m, d.decimal_comma);
    /// let csv = cols.write(&view, &report.valid_rows(&view)).unwrap();
    /// assert_eq!(String::from_utf8(csv).unwrap(), "email,credit_limit\na@x.io,1250.5\n");
    /// ```
    pub fn write(&self, view: &View, rows: &[ValidRow]) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(self.field_names())?;
        let mut record: Vec<Cow<str>> = Vec::with_capacity(self.columns.len());
        let width = self.columns.iter().map(|c| c.0 + 1).max().unwrap_or(0);
        let (mut spans, mut cells) = (Vec::new(), Vec::new());
        for r in rows {
            record.clear();
            view.cells_of(r.index(), width, &mut spans, &mut cells);
            for (column, _, ty, kind) in &self.columns {
                let cell = cells.get(*column).copied().flatten().unwrap_or("");
                record.push(self.value(cell, ty, *kind));
            }
            w.write_record(record.iter().map(|c| c.as_bytes()))?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::sniff;
    use crate::edits::Edits;
    use crate::mapping::suggest;
    use crate::metadata::Field;
    use crate::table::parse;
    use crate::validate::{Options, validate};

    /// The upload file of `text` for an object with typed fields, and how many rows passed.
    fn upload(text: &str) -> (String, usize) {
        let m = ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String),
                Field::new("website", FieldType::String),
                Field::new("credit_limit", FieldType::Number),
                Field::new("active", FieldType::Boolean),
                Field::new("since", FieldType::Date),
                Field::new("notes", FieldType::String),
            ],
        };
        let d = sniff(text);
        let t = parse(text, &d).unwrap();
        let edits = Edits::default();
        let view = View::new(&t, &edits);
        let map = suggest(t.headers(), &m);
        let report = validate(&view, &map, &m, &Options::for_object(&m, &d));
        let rows = report.valid_rows(&view);
        let cols = UploadColumns::new(&map, &m, d.decimal_comma);
        let csv = String::from_utf8(cols.write(&view, &rows).unwrap()).unwrap();
        (csv, rows.len())
    }

    #[test]
    fn typed_values_are_sent_as_they_were_checked() {
        let text = "email,website,credit_limit,active,since,notes\n\
                    \" a@b.example\t\",\"https://x.example \",\"\t12 \", yes,\" 2026-02-28\",\" kept \"\n\
                    \"c@d\r\n.example\",https://y.example,1,no,2026-01-01,n\n";
        let (csv, passed) = upload(text);
        assert_eq!(passed, 2);
        assert_eq!(
            csv,
            "email,website,credit_limit,active,since,notes\n\
             a@b.example,https://x.example,12,true,2026-02-28, kept \n\
             c@d.example,https://y.example,1,false,2026-01-01,n\n"
        );
    }

    #[test]
    fn a_space_the_browser_keeps_keeps_the_row_out() {
        for space in ['\u{a0}', '\u{3000}', '\u{2028}', '\u{202f}', '\u{b}'] {
            for (column, value) in [
                (0, format!("a@b.example{space}")),
                (1, format!("https://x.example{space}")),
                (2, format!("{space}12")),
                (3, format!("yes{space}")),
                (4, format!("2026-02-28{space}")),
            ] {
                let mut cells = [
                    "a@b.example",
                    "https://x.example",
                    "12",
                    "yes",
                    "2026-02-28",
                ]
                .map(String::from);
                cells[column] = value;
                let text = format!(
                    "email,website,credit_limit,active,since,notes\n{},n\n",
                    cells.map(|c| format!("\"{c}\"")).join(",")
                );
                let (csv, passed) = upload(&text);
                assert_eq!(passed, 0, "{space:?} in column {column}: {csv:?}");
            }
        }
    }
}
