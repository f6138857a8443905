//! Downloads of the rows: every row or only the rows with problems, in the file's own
//! columns plus a column with the messages, as CSV a spreadsheet opens safely. A cell that
//! starts with `=`, `+`, `-`, `@` (or their full-width forms), a tab or a carriage return
//! would run as a formula in Excel or LibreOffice ("CSV injection"); following OWASP's
//! advice such a cell is written with a leading apostrophe, which spreadsheets show as text.
//!
//! Every cell is quoted, so that a `;` inside a cell never splits it when the file is read
//! by a spreadsheet whose list separator is `;` (German, French, Dutch settings). A reader
//! that splits on `;` ignores quotes opened after a `,`, though: to it, a new field can
//! start after any `;` or line break inside a cell, so each such piece is neutralised too.

use crate::edits::View;
use crate::validate::Report;
use std::borrow::Cow;

/// Which rows go into a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rows {
    /// Every row that is not deleted.
    All,
    /// Only rows with a problem.
    WithProblems,
    /// Every row, the deleted ones too (the result report: a deleted row is said "deleted,
    /// not sent", so every row of the file has its line).
    Every,
}

/// A cell as written to a download: formula triggers neutralised at the start of the cell
/// and of every piece after a `;` or a line break.
///
/// ```
/// use bulk_core::export::safe_cell;
/// assert_eq!(safe_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
/// assert_eq!(safe_cell("  =1+1"), "'  =1+1");
/// assert_eq!(safe_cell("a\r\n@SUM(A1)"), "a\r\n'@SUM(A1)");
/// assert_eq!(safe_cell("x;+cmd|' /C calc'!A0"), "x;'+cmd|' /C calc'!A0");
/// assert_eq!(safe_cell("＝1+1"), "'＝1+1");
/// assert_eq!(safe_cell("-12.5"), "-12.5");
/// assert_eq!(safe_cell("-5+5"), "'-5+5");
/// assert_eq!(safe_cell("plain"), "plain");
/// ```
pub fn safe_cell(value: &str) -> Cow<'_, str> {
    // OWASP: a cell that starts with a tab or a carriage return is neutralised too.
    let mut out = value.starts_with(['\t', '\r']).then(|| String::from("'"));
    let mut copied = 0;
    let starts =
        std::iter::once(0).chain(value.match_indices([';', '\n', '\r']).map(|(i, _)| i + 1));
    for start in starts {
        let piece = &value[start..];
        let piece = &piece[..piece.find([';', '\n', '\r']).unwrap_or(piece.len())];
        if starts_a_formula(piece) && !(start == 0 && out.is_some()) {
            let o = out.get_or_insert_with(String::new);
            o.push_str(&value[copied..start]);
            o.push('\'');
            copied = start;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&value[copied..]);
            o.into()
        }
        None => value.into(),
    }
}

/// Whether a spreadsheet could read `piece` as a formula: its first character after spaces
/// of any kind (and quotes, which a reader may take as the field's own) is a trigger.
fn starts_a_formula(piece: &str) -> bool {
    let rest = piece.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
    rest.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']) && !signed_number(rest)
}

/// `-12.5`, `+3`, `-0,75`: a sign, digits and at most one decimal point or comma. Kept as
/// they are, not neutralised as OWASP would have it: Excel and LibreOffice read them as
/// numbers, which cannot run anything, while `'-12.5` would be text that no longer sums
/// and that fails the number check when the fixed download is read again.
fn signed_number(s: &str) -> bool {
    let Some(body) = s.strip_prefix(['-', '+']) else {
        return false;
    };
    let (int, frac) = match body.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// Whether a row goes into a download.
fn included(view: &View, report: &Report, rows: Rows, r: usize) -> bool {
    match rows {
        Rows::Every => true,
        Rows::All => !view.is_deleted(r),
        Rows::WithProblems => !view.is_deleted(r) && report.problems_of(r).next().is_some(),
    }
}

/// The file's columns in a download: the header's, or more where a row has more fields.
fn columns(view: &View, report: &Report, rows: Rows) -> usize {
    (0..view.len())
        .filter(|r| included(view, report, rows, *r))
        .map(|r| view.row_len(r))
        .max()
        .unwrap_or(0)
        .max(view.table.headers().len())
}

/// The rows as CSV: "Line", the file's columns, then "Problems" (messages joined by "; ").
/// With `outcome`, a further column holds each row's outcome (used by result reports).
/// A row with more fields than the header keeps them, in columns headed "(extra 1)", …,
/// and every row is padded to the same width, so Problems and Outcome stay in one column
/// and the file is rectangular, as spreadsheets and CSV readers expect.
pub fn rows_csv(
    view: &View,
    report: &Report,
    rows: Rows,
    outcome: Option<&dyn Fn(usize) -> String>,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let headers = view.table.headers();
    let width = columns(view, report, rows);
    let mut head: Vec<String> = vec!["Line".into()];
    head.extend(headers.iter().map(|h| safe_cell(h).into_owned()));
    head.extend((headers.len()..width).map(|i| format!("(extra {})", i - headers.len() + 1)));
    head.push("Problems".into());
    if outcome.is_some() {
        head.push("Outcome".into());
    }
    w.write_record(&head)?;
    let mut record: Vec<String> = Vec::with_capacity(head.len());
    let (mut spans, mut cells) = (Vec::new(), Vec::new());
    for r in 0..view.len() {
        if !included(view, report, rows, r) {
            continue;
        }
        record.clear();
        record.push(view.line(r).to_string());
        view.cells_of(r, width, &mut spans, &mut cells);
        for cell in &cells {
            record.push(safe_cell(cell.unwrap_or("")).into_owned());
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

/// The result report: every row with its outcome, then one line for each refusal the
/// connector did not tie to a row (no line number, no cells, the refusal as the outcome),
/// so the report holds every refusal the page counts.
pub fn results_csv(
    view: &View,
    report: &Report,
    outcome: &dyn Fn(usize) -> String,
    unidentified: &[String],
) -> Result<Vec<u8>, csv::Error> {
    let mut bytes = rows_csv(view, report, Rows::Every, Some(outcome))?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    // As wide as the rows above: Line, the columns, Problems, Outcome.
    let width = columns(view, report, Rows::Every) + 3;
    for note in unidentified {
        let mut record = vec![String::new(); width];
        record[width - 1] = safe_cell(note).into_owned();
        w.write_record(&record)?;
    }
    bytes.extend(w.into_inner().map_err(|e| e.into_error())?);
    Ok(bytes)
}

/// A template for the object: one header line with the name of every field a file may
/// fill (not read-only, not hidden), required fields first, so a person can start from it.
pub fn template_csv(metadata: &crate::metadata::ObjectMetadata) -> Result<Vec<u8>, csv::Error> {
    let writable = || metadata.fields.iter().filter(|f| !f.read_only && !f.hidden);
    let names: Vec<&str> = writable()
        .filter(|f| f.required)
        .chain(writable().filter(|f| !f.required))
        .map(|f| f.name.as_str())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&names)?;
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

    #[test]
    fn the_template_lists_the_fields_a_file_may_fill_required_first() {
        let mut id = Field::new("id", FieldType::String);
        id.read_only = true;
        let m = ObjectMetadata {
            fields: vec![
                id,
                Field::new("first_name", FieldType::String),
                Field::new("email", FieldType::String).required(),
                Field::new("address.country", FieldType::String),
            ],
        };
        let t = String::from_utf8(template_csv(&m).unwrap()).unwrap();
        assert_eq!(t, "email,first_name,address.country\n");
    }

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

    /// Whether a spreadsheet would take `cell` as a formula: a trigger after any spacing,
    /// unless the cell is a plain number (which is what Rust reads as one).
    fn runs(cell: &str) -> bool {
        let rest = cell.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
        (cell.starts_with(['\t', '\r'])
            || rest.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']))
            && rest.parse::<f64>().is_err()
    }

    /// Every field of `bytes` read as CSV with `delimiter`, as a spreadsheet would.
    fn read(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    /// The download of every row of `text`, for an object with one text field `notes`.
    fn download(text: &str) -> Vec<u8> {
        checked(text, "notes", &[], |v, r| {
            rows_csv(v, r, Rows::All, None).unwrap()
        })
    }

    /// `text` read, the rows `deleted` deleted, and checked for an object with the one text
    /// field `field`: what `f` makes of the rows and the report.
    fn checked<T>(
        text: &str,
        field: &str,
        deleted: &[usize],
        f: impl FnOnce(&View, &Report) -> T,
    ) -> T {
        let m = ObjectMetadata {
            fields: vec![Field::new(field, FieldType::String)],
        };
        let d = sniff(text);
        let t = parse(text, &d).unwrap();
        let mut e = Edits::default();
        if !deleted.is_empty() {
            e.delete(deleted);
        }
        let v = View::new(&t, &e);
        let r = validate(
            &v,
            &suggest(t.headers(), &m),
            &m,
            &Options::for_object(&m, &d),
        );
        f(&v, &r)
    }

    #[test]
    fn a_row_with_extra_fields_keeps_them_and_every_row_has_the_same_width() {
        let text = "email,last_name\na@x.io,Smith\nb@x.io,Doe,EXTRA\nc@x.io,Roe\n";
        let outcome = |_: usize| "not sent".to_string();
        let unplaced = ["refused, row not identified".into()];
        let bytes = checked(text, "email", &[], |v, r| {
            results_csv(v, r, &outcome, &unplaced).unwrap()
        });
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice())
            .records()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(&rows[0][3], "(extra 1)");
        assert!(rows.iter().all(|r| r.len() == 6), "{rows:?}");
        assert_eq!(&rows[2][3], "EXTRA");
        assert_eq!(&rows[4][5], "refused, row not identified");
    }

    #[test]
    fn the_result_report_has_a_line_for_a_deleted_row_too() {
        let (text, all) = checked("email\na@x.io\nb@x.io\n", "email", &[1], |v, r| {
            let outcome = |row: usize| {
                if v.is_deleted(row) {
                    "deleted, not sent"
                } else {
                    "created"
                }
                .to_string()
            };
            let results = results_csv(v, r, &outcome, &[]).unwrap();
            let all = rows_csv(v, r, Rows::All, None).unwrap();
            (
                String::from_utf8(results).unwrap(),
                String::from_utf8(all).unwrap(),
            )
        });
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            text.contains("\"3\",\"b@x.io\",\"\",\"deleted, not sent\""),
            "{text}"
        );
        // The rows downloads still leave it out.
        assert!(!all.contains("b@x.io"), "{all}");
    }

    #[test]
    fn no_cell_of_a_download_starts_a_formula() {
        for rows in [Rows::All, Rows::WithProblems] {
            for record in export(rows) {
                for cell in record {
                    assert!(!runs(&cell), "{cell:?}");
                }
            }
        }
    }

    #[test]
    fn a_semicolon_inside_a_cell_starts_no_formula_where_the_list_separator_is_semicolon() {
        let cell = "x;+cmd|' /C calc'!A0";
        let bytes = download(&format!("notes,other\n\"{cell}\",\"a\nb;@SUM(1)\"\n"));
        // Every cell is quoted.
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.starts_with("\"Line\",\"notes\",\"other\",\"Problems\"\n\"2\",\"x;"),
            "{text}"
        );
        // Read with the file's own comma, the cell is one field and keeps its text.
        let rows = read(&bytes, b',');
        assert_eq!(rows[1][1], "x;'+cmd|' /C calc'!A0");
        assert_eq!(rows[1][2], "a\nb;'@SUM(1)");
        // Read as a German, French or Dutch Excel reads a .csv (`;`), no field runs.
        for field in read(&bytes, b';').iter().flatten() {
            assert!(!runs(field), "{field:?} in {text}");
        }
    }

    #[test]
    fn quoting_alone_would_not_be_enough_for_a_semicolon_reader() {
        // Why the pieces after `;` are neutralised too: a reader splitting on `;` leaves
        // the quotes behind after the first `,` and starts a field in the middle of a cell.
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        w.write_record(["2", "x;+cmd|' /C calc'!A0"]).unwrap();
        let bytes = w.into_inner().unwrap();
        assert!(read(&bytes, b';').iter().flatten().any(|f| runs(f)));
    }

    #[test]
    fn signed_numbers_stay_numbers_and_everything_else_is_neutralised() {
        let text = "notes\n-12.5\n+3\n\"-0,75\"\n-5+5\n-\n\"  =1+1\"\n＠cmd\n\"\tx\"\n-1e3\n";
        let rows = read(&download(text), b',');
        let notes: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            notes,
            [
                "-12.5", "+3", "-0,75", "'-5+5", "'-", "'  =1+1", "'＠cmd", "'\tx", "'-1e3"
            ]
        );
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
