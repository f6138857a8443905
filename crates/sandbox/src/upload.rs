//! How the tenant reads an uploaded file, independently of the app: CSV with the `csv` crate
//! (first row = field names, taken verbatim: no trimming, no renaming, no skipping of rows
//! the crate returns), or JSON (an array or JSON lines of objects) when `metaData.format` is
//! `json`. Nothing here is shared with the app's reader, so that a file the app writes
//! wrongly reaches the vendor rules as a real tenant would see it.

use crate::api_error::ApiFailure;
use serde_json::Value;

/// One record of an upload, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// (field name as uploaded, value) pairs, in column order.
    pub values: Vec<(String, String)>,
    /// Why the record cannot be read as a whole, e.g. more values than the header has names.
    pub malformed: Option<String>,
}

impl Record {
    /// The value of the first column called exactly `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A read upload: the field names and the records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upload {
    /// The header row (CSV) or every key seen (JSON), in first-seen order.
    pub header: Vec<String>,
    /// The records, in file order.
    pub records: Vec<Record>,
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads a CSV upload. Only text that is not UTF-8 is refused at submit time (the tenant
/// cannot even read the header); everything else reaches the job, where the vendor rules
/// judge it record by record.
pub fn read_csv(file: &[u8]) -> Result<Upload, ApiFailure> {
    let not_csv = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Utf8 { .. } => ApiFailure::bad_request("The file is not UTF-8 text"),
        _ => ApiFailure::bad_request(format!("The file is not valid CSV: {e}")),
    };
    // Flexible: a row with too few or too many values is the vendor's per-record error,
    // not a reason to refuse the whole file.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file);
    let mut header: Vec<String> = reader
        .headers()
        .map_err(not_csv)?
        .iter()
        .map(str::to_string)
        .collect();
    // csv-core drops a leading byte order mark on its own. The tenants this stands in for
    // read the file as plain UTF-8 and keep U+FEFF as part of the first name, so a file the
    // app uploads with a BOM must fail here as it would there; put it back.
    if file.starts_with(BOM)
        && let Some(first) = header.first_mut()
    {
        first.insert(0, '\u{feff}');
    }
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(not_csv)?;
        let malformed = (row.len() != header.len()).then(|| {
            format!(
                "400: The record has {} values but the header names {} fields",
                row.len(),
                header.len()
            )
        });
        records.push(Record {
            values: header
                .iter()
                .zip(row.iter())
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect(),
            malformed,
        });
    }
    Ok(Upload { header, records })
}

/// Reads a JSON upload: one array of objects, one object, or one object per line.
pub fn read_json(file: &[u8]) -> Result<Upload, ApiFailure> {
    let bad = || ApiFailure::bad_request("The file is not a JSON array or JSON lines of objects");
    let items: Vec<Value> = match serde_json::from_slice::<Value>(file) {
        Ok(Value::Array(a)) => a,
        Ok(v @ Value::Object(_)) => vec![v],
        _ => std::str::from_utf8(file)
            .map_err(|_| bad())?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?,
    };
    let mut upload = Upload::default();
    for item in items {
        let obj = item.as_object().ok_or_else(bad)?;
        let mut values = Vec::new();
        for (k, v) in obj {
            if !upload.header.contains(k) {
                upload.header.push(k.clone());
            }
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            values.push((k.clone(), text));
        }
        upload.records.push(Record {
            values,
            malformed: None,
        });
    }
    Ok(upload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(u: &Upload) -> Vec<&str> {
        u.header.iter().map(String::as_str).collect()
    }

    #[test]
    fn header_names_are_taken_verbatim() {
        let u = read_csv(b"\xef\xbb\xbfemail, last_name \na@x.io,A\n").unwrap();
        assert_eq!(names(&u), ["\u{feff}email", " last_name "]);
        assert_eq!(u.records[0].get(" last_name "), Some("A"));
    }

    #[test]
    fn ragged_rows_are_read_and_marked() {
        let u = read_csv(b"a,b\n1\n1,2,3\n1,2\n").unwrap();
        assert_eq!(u.records.len(), 3);
        assert!(u.records[0].malformed.is_some());
        assert!(u.records[1].malformed.is_some());
        assert_eq!(u.records[2].malformed, None);
        assert_eq!(u.records[0].values, [("a".into(), "1".into())]);
    }

    #[test]
    fn rows_of_empty_values_are_records_but_empty_lines_are_not() {
        let u = read_csv(b"a,b\n,\n1,2\n").unwrap();
        assert_eq!(u.records.len(), 2);
        assert_eq!(u.records[0].get("a"), Some(""));
        // The csv crate reads no record from an empty line; a line of spaces is one.
        let u = read_csv(b"a,b\n\n1,2\r\n\r\n \n").unwrap();
        assert_eq!(u.records.len(), 2);
        assert_eq!(u.records[1].values, [("a".into(), " ".into())]);
    }

    #[test]
    fn text_that_is_not_utf8_is_refused() {
        assert!(read_csv(b"email\n\xff\xfe\n").is_err());
    }

    #[test]
    fn json_arrays_and_lines_are_read() {
        let a = read_json(br#"[{"a":"1","b":2},{"a":null}]"#).unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.records[0].get("b"), Some("2"));
        assert_eq!(a.records[1].get("a"), Some(""));
        let l = read_json(b"{\"a\":\"1\"}\n\n{\"a\":\"2\"}\n").unwrap();
        assert_eq!(l.records.len(), 2);
        assert!(read_json(b"[1,2]").is_err());
    }
}
