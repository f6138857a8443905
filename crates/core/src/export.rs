//! Downloads of the rows: every row or only the rows with problems, in the file's own
//! columns plus a column with the messages, as CSV a spreadsheet opens safely. A cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula in
//! Excel or LibreOffice ("CSV injection"); following OWASP's advice such a cell is written
//! with a leading apostrophe, which spreadsheets show as text.

use crate::edits::View;
use crate::validate::Report;

/// Which rows go into a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    /// Every row that is not deleted.
    All,
    /// Only rows with a problem.
    WithProblems,
}

/// A cell as written to a download: formula triggers neutralised.
///
/// ```
/// use bulk_core::export::safe_cell;
/// assert_eq!(safe_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
/// assert_eq!(safe_cell("-5"), "'-5");
/// assert_eq!(safe_cell("plain"), "plain");
/// ```
pub fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// The rows as CSV: "Line", the file's columns, then "Problems" (messages joined by "; ").
/// With `outcome`, a further column holds each row's outcome (used by result reports).
pub fn rows_csv(
    view: &View,
    report: &Report,
    rows: Rows,
    outcome: Option<&dyn Fn(usize) -> String>,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let headers = view.table.headers();
    let mut head: Vec<String> = vec!["Line".into()];
    head.extend(headers.iter().map(|h| safe_cell(h).into_owned()));
    head.push("Problems".into());
    if outcome.is_some() {
        head.push("Outcome".into());
    }
    w.write_record(&head)?;
    let mut record: Vec<String> = Vec::with_capacity(head.len());
    for r in 0..view.len() {
        if view.is_deleted(r)
            || (rows == Rows::WithProblems && report.problems_of(r).next().is_none())
        {
            continue;
        }
        record.clear();
        record.push(view.line(r).to_string());
        let width = view.row_len(r).max(headers.len());
        for c in 0..width {
            record.push(safe_cell(view.get(r, c).unwrap_or("")).into_owned());
        }
        // Extra fields of a ragged row stay in the file rather than being lost.
        while record.len() < headers.len() + 1 {
            record.push(String::new());
        }
        let messages: Vec<String> = report.problems_of(r).map(|p| p.to_string()).collect();
        record.push(safe_cell(&messages.join("; ")).into_owned());
        if let Some(outcome) = outcome {
            record.push(safe_cell(&outcome(r)).into_owned());
        }
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::sniff;
    use crate::edits::Edits;
    use crate::mapping::suggest;
    use crate::metadata::{Field, FieldType, ObjectMetadata};
    use crate::table::parse;
    use crate::validate::{Options, validate};

    const PROBLEMS: &str = include_str!("../../../tests/data/contacts-with-problems.csv");

    fn export(rows: Rows) -> Vec<Vec<String>> {
        let m = ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String).required(),
                Field::new("last_name", FieldType::String).required(),
                Field::new("website", FieldType::String),
            ],
        };
        let d = sniff(PROBLEMS);
        let t = parse(PROBLEMS, &d).unwrap();
        let e = Edits::default();
        let v = View::new(&t, &e);
        let r = validate(
            &v,
            &suggest(t.headers(), &m),
            &m,
            &Options::for_object(&m, &d),
        );
        let bytes = rows_csv(&v, &r, rows, None).unwrap();
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn no_cell_of_a_download_starts_a_formula() {
        for rows in [Rows::All, Rows::WithProblems] {
            for record in export(rows) {
                for cell in record {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{cell:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_problem_download_has_the_lines_and_messages() {
        let rows = export(Rows::WithProblems);
        assert_eq!(rows[0][0], "Line");
        assert_eq!(rows[0].last().unwrap(), "Problems");
        let lines: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(lines, ["4", "5", "7", "8", "9", "10", "11", "12"]);
        let formula = rows.iter().find(|r| r[0] == "10").unwrap();
        assert_eq!(formula[1], "'=cmd|' /C calc'!A0@evil.example");
        assert!(
            formula
                .last()
                .unwrap()
                .contains("expected an e-mail address")
        );
        assert_eq!(export(Rows::All).len(), 12, "header and 11 rows");
        let phone = &export(Rows::All)[1][5];
        assert_eq!(phone, "'+49 30 1234567", "a leading + is neutralised too");
    }
}
