//! The objects the sandbox's Sage 200-like finance hub offers and their metadata, served in
//! the documented `{"fields": [...]}` shape. The metadata type is the app's, so the wire
//! shape is written once; what the vendor does with a record is in `vendor.rs`.

use bulk_core::metadata::{Field, FieldType, ObjectMetadata};

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
