//! The file a bulk job receives. Its header is the object's field names (not the person's
//! column names), it carries only mapped, writable fields, and only [`ValidRow`]s can be
//! written into it. Values stay as typed except where the field's type asks for the API's
//! form: numbers lose grouping and get a `.` decimal, booleans become `true`/`false`.

use crate::checks;
use crate::edits::View;
use crate::mapping::Mapping;
use crate::metadata::{FieldType, ObjectMetadata};
use crate::validate::ValidRow;

/// Which table columns go into the upload, under which field names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadColumns {
    columns: Vec<(usize, String, FieldType)>,
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
                (!f.read_only).then(|| (i, f.name.clone(), f.field_type.clone()))
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

    /// The value sent for one cell.
    fn value<'a>(&self, raw: &'a str, field_type: &FieldType) -> std::borrow::Cow<'a, str> {
        match field_type {
            FieldType::Number | FieldType::Integer => checks::parse_number(raw, self.decimal_comma)
                .map(Into::into)
                .unwrap_or(raw.into()),
            FieldType::Boolean => match checks::parse_boolean(raw) {
                Some(b) => b.to_string().into(),
                None => raw.into(),
            },
            _ => raw.into(),
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
        let mut record: Vec<std::borrow::Cow<str>> = Vec::with_capacity(self.columns.len());
        for r in rows {
            record.clear();
            for (column, _, ty) in &self.columns {
                record.push(self.value(view.get(r.index(), *column).unwrap_or(""), ty));
            }
            w.write_record(record.iter().map(|c| c.as_bytes()))?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}
