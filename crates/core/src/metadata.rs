//! An object's fields, as `GET /objects/{object}/metadata` describes them (`{"fields": [...]}`
//! with `vendorPath`, `type`, `vendorRequired`, `vendorReadOnly`, `mask`, ...). The same type
//! is what the sandbox serves, so the shape is written once. Reading is lenient: unknown keys
//! are ignored, booleans may come as strings, and a field without a `vendorPath` is skipped
//! rather than failing the whole object.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The value type of a field, from the metadata's `type`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Free text.
    #[default]
    String,
    /// A decimal number.
    Number,
    /// A whole number.
    Integer,
    /// true/false.
    Boolean,
    /// A date (see the field's `mask`).
    Date,
    /// A date with a time.
    DateTime,
    /// Anything else, kept as typed and checked as text.
    Other(String),
}

impl FieldType {
    /// Reads a metadata `type`, case-insensitive, accepting the common synonyms.
    ///
    /// ```
    /// use bulk_core::FieldType;
    /// assert_eq!(FieldType::parse("Double"), FieldType::Number);
    /// assert_eq!(FieldType::parse("long"), FieldType::Integer);
    /// assert_eq!(FieldType::parse("picklist"), FieldType::Other("picklist".into()));
    /// ```
    pub fn parse(s: &str) -> FieldType {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "string" | "text" | "textarea" | "email" | "url" | "phone" => FieldType::String,
            "number" | "double" | "decimal" | "float" | "currency" | "percent" => FieldType::Number,
            "integer" | "int" | "long" | "short" => FieldType::Integer,
            "boolean" | "bool" => FieldType::Boolean,
            "date" => FieldType::Date,
            "datetime" | "date-time" | "timestamp" | "date_time" => FieldType::DateTime,
            other => FieldType::Other(other.to_string()),
        }
    }

    /// The canonical spelling used by the sandbox.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::Other(s) => s,
        }
    }

    /// True for number and integer.
    pub fn is_numeric(&self) -> bool {
        matches!(self, FieldType::Number | FieldType::Integer)
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FieldType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => FieldType::parse(&s),
            _ => FieldType::String,
        })
    }
}

/// One field of an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The name the bulk file's header must use.
    #[serde(rename = "vendorPath")]
    pub name: String,
    /// The value type.
    #[serde(rename = "type", default)]
    pub field_type: FieldType,
    /// A label for people, when the connector has one.
    #[serde(
        rename = "vendorDisplayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// The vendor's own type name.
    #[serde(
        rename = "vendorNativeType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub native_type: Option<String>,
    /// The vendor refuses records without it.
    #[serde(rename = "vendorRequired", default, deserialize_with = "lenient_bool")]
    pub required: bool,
    /// The vendor sets it; it is never sent.
    #[serde(rename = "vendorReadOnly", default, deserialize_with = "lenient_bool")]
    pub read_only: bool,
    /// Hidden from people by the connector.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub hidden: bool,
    /// A date or number format mask, e.g. `yyyy-MM-dd`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
    /// A format hint such as `email`, `url` or `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Longest accepted text, in characters, when the connector says.
    #[serde(rename = "maxLength", default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The accepted values, when the field is a picklist.
    #[serde(
        rename = "picklistValues",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub picklist: Option<Vec<String>>,
    /// A description for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    })
}

impl Field {
    /// A plain string field, for building metadata in code and tests.
    pub fn new(name: &str, field_type: FieldType) -> Field {
        Field {
            name: name.to_string(),
            field_type,
            display_name: None,
            native_type: None,
            required: false,
            read_only: false,
            hidden: false,
            mask: None,
            format: None,
            max_length: None,
            picklist: None,
            description: None,
        }
    }

    /// Marks the field required.
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Marks the field read-only.
    pub fn read_only(mut self) -> Field {
        self.read_only = true;
        self
    }

    /// Sets the format hint.
    pub fn format(mut self, format: &str) -> Field {
        self.format = Some(format.to_string());
        self
    }

    /// Sets the display name.
    pub fn display(mut self, name: &str) -> Field {
        self.display_name = Some(name.to_string());
        self
    }

    /// What a person calls the field: its display name, or its API name when it has none.
    /// Every sentence about a field in the app names it this way.
    ///
    /// ```
    /// use bulk_core::metadata::{Field, FieldType};
    /// assert_eq!(Field::new("last_name", FieldType::String).display("Last name").label(), "Last name");
    /// assert_eq!(Field::new("last_name", FieldType::String).label(), "last_name");
    /// ```
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// Whether the field identifies a record: an e-mail field, or one called `reference`.
    /// Such a field's values must be unique in a file, and one is the default key of an
    /// update; this is the one place that says which fields they are.
    ///
    /// ```
    /// use bulk_core::{Field, FieldType};
    /// assert!(Field::new("C_EmailAddress", FieldType::String).is_identifier());
    /// assert!(Field::new("reference", FieldType::String).is_identifier());
    /// assert!(!Field::new("last_name", FieldType::String).is_identifier());
    /// ```
    pub fn is_identifier(&self) -> bool {
        self.text_kind() == TextKind::Email || self.name == "reference"
    }

    /// The semantic kind of text the field holds, from `format`, then from the name.
    pub fn text_kind(&self) -> TextKind {
        let hint = self.format.as_deref().unwrap_or("").to_ascii_lowercase();
        let name = self.name.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| hint == *w || name.contains(w));
        if has(&["email"]) {
            TextKind::Email
        } else if has(&["url", "website", "uri"]) {
            TextKind::Url
        } else if has(&["phone", "telephone", "mobile", "fax"]) {
            TextKind::Phone
        } else {
            TextKind::Plain
        }
    }
}

/// What a text field means, for the built-in checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// A telephone number.
    Phone,
    /// Anything else.
    Plain,
}

/// The fields of one object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ObjectMetadata {
    /// The fields in the connector's order.
    pub fields: Vec<Field>,
}

impl ObjectMetadata {
    /// Reads `{"fields": [...]}` leniently; a bare array of fields is accepted too.
    /// Returns the metadata and how many field entries had to be skipped.
    ///
    /// ```
    /// let v = serde_json::json!({"fields": [
    ///     {"vendorPath": "email", "type": "string", "vendorRequired": "true", "x-new": 1},
    ///     {"type": "string"}]});
    /// let (m, skipped) = bulk_core::ObjectMetadata::from_json(&v).unwrap();
    /// assert_eq!((m.fields.len(), skipped), (1, 1));
    /// assert!(m.fields[0].required);
    /// ```
    pub fn from_json(value: &Value) -> Option<(ObjectMetadata, usize)> {
        let items = match value {
            Value::Object(o) => o.get("fields")?.as_array()?,
            Value::Array(a) => a,
            _ => return None,
        };
        let mut skipped = 0;
        let mut fields: Vec<Field> = Vec::with_capacity(items.len());
        for item in items {
            match serde_json::from_value::<Field>(item.clone()) {
                Ok(f) if !f.name.trim().is_empty() && fields.iter().all(|g| g.name != f.name) => {
                    fields.push(f)
                }
                _ => skipped += 1,
            }
        }
        Some((ObjectMetadata { fields }, skipped))
    }

    /// The field called `name`, if any.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields a record must have.
    pub fn required(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required && !f.read_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_fixture_reads() {
        let v = serde_json::json!({ "fields": [ {
          "type": "string", "vendorPath": "first_name", "vendorNativeType": "string",
          "vendorRequired": false, "vendorReadOnly": false, "hidden": false,
          "method": [ {"name":"GET","response":true,"request":false} ] } ] });
        let (m, skipped) = ObjectMetadata::from_json(&v).unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(m.fields[0].name, "first_name");
        assert_eq!(m.fields[0].native_type.as_deref(), Some("string"));
    }

    #[test]
    fn text_kind_comes_from_format_then_name() {
        assert_eq!(
            Field::new("email", FieldType::String).text_kind(),
            TextKind::Email
        );
        assert_eq!(
            Field::new("website", FieldType::String).text_kind(),
            TextKind::Url
        );
        assert_eq!(
            Field::new("telephone", FieldType::String).text_kind(),
            TextKind::Phone
        );
        assert_eq!(
            Field::new("x", FieldType::String).format("url").text_kind(),
            TextKind::Url
        );
        assert_eq!(
            Field::new("name", FieldType::String).text_kind(),
            TextKind::Plain
        );
    }

    #[test]
    fn duplicate_and_nameless_fields_are_skipped() {
        let v = serde_json::json!([{"vendorPath": "a"}, {"vendorPath": "a"}, {"vendorPath": ""}]);
        let (m, skipped) = ObjectMetadata::from_json(&v).unwrap();
        assert_eq!((m.fields.len(), skipped), (1, 2));
        assert!(ObjectMetadata::from_json(&serde_json::json!("x")).is_none());
    }
}
