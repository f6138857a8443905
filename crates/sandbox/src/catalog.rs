//! The objects the sandbox's Sage 200-like finance hub offers, their metadata (served in the
//! documented `{"fields": [...]}` shape) and the vendor's own rules, which the background
//! processing applies to each record the way the vendor API would: per record, after the
//! job was accepted.

use bulk_core::checks;
use bulk_core::metadata::{Field, FieldType, ObjectMetadata, TextKind};

/// One object of the hub.
#[derive(Clone, Debug)]
pub struct ObjectSpec {
    /// The object name.
    pub name: &'static str,
    /// Its fields.
    pub metadata: ObjectMetadata,
    /// The column a bulk file must have, else the job aborts (as Pardot's does).
    pub key_field: &'static str,
    /// Whether `POST /bulk/{object}` is allowed.
    pub bulk_enabled: bool,
}

fn text(name: &str, max: u32) -> Field {
    Field {
        max_length: Some(max),
        native_type: Some("string".into()),
        ..Field::new(name, FieldType::String)
    }
}

fn read_only(name: &str, ty: FieldType, label: &str) -> Field {
    Field::new(name, ty).read_only().display(label)
}

/// The hub's objects.
pub fn objects() -> Vec<ObjectSpec> {
    vec![
        ObjectSpec {
            name: "contacts",
            key_field: "email",
            bulk_enabled: true,
            metadata: ObjectMetadata {
                fields: vec![
                    read_only("id", FieldType::String, "Id"),
                    text("email", 254)
                        .required()
                        .format("email")
                        .display("E-mail address"),
                    text("first_name", 60).display("First name"),
                    text("last_name", 60).required().display("Last name"),
                    Field {
                        picklist: Some(
                            ["Mr", "Mrs", "Ms", "Miss", "Dr", "Prof"]
                                .map(String::from)
                                .to_vec(),
                        ),
                        ..text("salutation", 10).display("Salutation")
                    },
                    text("job_title", 60).display("Job title"),
                    text("telephone", 30).format("phone").display("Telephone"),
                    text("mobile", 30).format("phone").display("Mobile"),
                    text("company_name", 60).display("Company"),
                    text("website", 255).format("url").display("Website"),
                    read_only("date_time_created", FieldType::DateTime, "Created"),
                ],
            },
        },
        ObjectSpec {
            name: "customers",
            key_field: "reference",
            bulk_enabled: true,
            metadata: ObjectMetadata {
                fields: vec![
                    read_only("id", FieldType::Integer, "Id"),
                    text("reference", 8).required().display("Account reference"),
                    text("name", 60).required().display("Name"),
                    text("short_name", 10).display("Short name"),
                    Field {
                        mask: None,
                        ..Field::new("credit_limit", FieldType::Number).display("Credit limit")
                    },
                    text("telephone", 30).format("phone").display("Telephone"),
                    text("website", 255).format("url").display("Website"),
                    Field::new("on_hold", FieldType::Boolean).display("On hold"),
                    Field {
                        mask: Some("yyyy-MM-dd".into()),
                        ..Field::new("account_opened", FieldType::Date).display("Opened")
                    },
                    read_only("date_time_created", FieldType::DateTime, "Created"),
                ],
            },
        },
        ObjectSpec {
            name: "banks",
            key_field: "code",
            bulk_enabled: false,
            metadata: ObjectMetadata {
                fields: vec![
                    read_only("id", FieldType::Integer, "Id"),
                    text("code", 8).required(),
                    text("name", 60),
                ],
            },
        },
    ]
}

/// The vendor's verdict on one record: `Err(message)` as the vendor words it.
pub fn vendor_check(spec: &ObjectSpec, record: &[(String, String)]) -> Result<(), String> {
    for field in &spec.metadata.fields {
        let value = record
            .iter()
            .find(|(k, _)| *k == field.name)
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        if field.read_only {
            if !value.is_empty() {
                return Err(format!(
                    "400: Field '{}' is read-only and cannot be set",
                    field.name
                ));
            }
            continue;
        }
        if value.is_empty() {
            if field.required {
                return Err(format!("400: Required field '{}' is missing", field.name));
            }
            continue;
        }
        if let Some(max) = field.max_length
            && value.chars().count() > max as usize
        {
            return Err(format!(
                "400: Field '{}' exceeds the maximum length of {max}",
                field.name
            ));
        }
        let ok = match &field.field_type {
            FieldType::Number => value.parse::<f64>().is_ok(),
            FieldType::Integer => value.parse::<i64>().is_ok(),
            FieldType::Boolean => matches!(value, "true" | "false"),
            FieldType::Date => matches!(
                checks::date(value, field.mask.as_deref()),
                checks::Verdict::Ok
            ),
            _ => match field.text_kind() {
                TextKind::Email => checks::is_email(value),
                _ => true,
            },
        };
        if !ok {
            return Err(format!(
                "400: Invalid value '{value}' for field '{}' ({})",
                field.name, field.field_type
            ));
        }
        if let Some(list) = &field.picklist
            && !list.iter().any(|p| p.eq_ignore_ascii_case(value))
        {
            return Err(format!(
                "400: '{value}' is not a valid value for '{}'",
                field.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn contacts_need_email_and_last_name() {
        let c = &objects()[0];
        assert!(vendor_check(c, &rec(&[("email", "a@x.io"), ("last_name", "A")])).is_ok());
        let e = vendor_check(c, &rec(&[("email", "a@x.io")])).unwrap_err();
        assert!(e.contains("last_name"), "{e}");
        assert!(vendor_check(c, &rec(&[("email", "bob@"), ("last_name", "A")])).is_err());
        assert!(
            vendor_check(
                c,
                &rec(&[("email", "a@x.io"), ("last_name", "A"), ("id", "9")])
            )
            .is_err()
        );
    }

    #[test]
    fn customers_check_numbers_and_reference_length() {
        let c = &objects()[1];
        assert!(
            vendor_check(
                c,
                &rec(&[
                    ("reference", "C1"),
                    ("name", "N"),
                    ("credit_limit", "12500.50")
                ])
            )
            .is_ok()
        );
        assert!(
            vendor_check(
                c,
                &rec(&[
                    ("reference", "C1"),
                    ("name", "N"),
                    ("credit_limit", "12500,50")
                ])
            )
            .is_err()
        );
        assert!(vendor_check(c, &rec(&[("reference", "TOO-LONG-REF"), ("name", "N")])).is_err());
    }
}
