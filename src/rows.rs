//! Every question the page asks of a file's rows, answered from the rows themselves: the
//! table as read, the person's edits and (once checked) the report, borrowed together as
//! [`Rows`]. Plain data in and out, no signal and no browser: the keeper of the rows
//! ([`crate::keeper`]) answers the page's requests with these.

use crate::checked::{Checked, Standing};
use crate::grid::{Filter, RowList};
use crate::model::MAX_SHOWN_COLUMNS;
use crate::shared::Shared;
use crate::shown_rows::{ShownCell, ShownRow};
use bulk_core::edits::{Edits, View, count_matches, replacements};
use bulk_core::export;
use bulk_core::fate::{Fate, FileTotals};
use bulk_core::outcome::Ledger;
use bulk_core::table::Table;
use bulk_core::upload::UploadColumns;
use bulk_core::validate::{ProblemKind, Report, Severity, ValidRow, Validity};

/// One job's upload file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JobFile {
    /// The CSV sent.
    #[serde(with = "crate::bytes_as_text")]
    pub csv: Vec<u8>,
    /// The rows in it, by index.
    pub rows: Vec<usize>,
    /// Their lines in the file.
    pub lines: Vec<u64>,
}

/// A file's rows with the edits and the check's report, borrowed.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    /// The rows read.
    pub table: &'a Table,
    /// The person's edits.
    pub edits: &'a Edits,
    /// The check's report, once checked.
    pub report: Option<&'a Report>,
}

impl<'a> Rows<'a> {
    fn view(&self) -> View<'a> {
        View::new(self.table, self.edits)
    }

    /// `rows` as shown (a row past the end is left out), their cells cut to
    /// [`crate::shown_rows::SHOWN_CHARS`] characters but for column `whole`, whose whole
    /// text is wanted (to edit it).
    pub fn shown(
        &self,
        rows: impl IntoIterator<Item = usize>,
        whole: Option<usize>,
    ) -> Vec<ShownRow> {
        let table = self.table;
        let view = self.view();
        let width = table.headers().len().min(MAX_SHOWN_COLUMNS);
        let report = self.report;
        rows.into_iter()
            .filter(|r| *r < table.len())
            .map(|index| ShownRow {
                index,
                line: view.line(index),
                deleted: view.is_deleted(index),
                cells: (0..width)
                    .map(|c| {
                        let text = view.get(index, c).unwrap_or("");
                        let edited = view.is_edited(index, c);
                        let read = table.row(index).and_then(|r| r.get(c));
                        let kept = edited && read == Some(text);
                        let (text, cut_from) = match whole == Some(c) {
                            true => (text, None),
                            false => crate::shown_rows::cut(text),
                        };
                        ShownCell {
                            text: text.to_string(),
                            edited,
                            kept,
                            cut_from,
                        }
                    })
                    .collect(),
                checked: report.is_some(),
                severity: report.and_then(|r| r.row_severity(index)),
                // A suggested fix as long as a cut cell (the trimmed text of a huge one) is
                // not sent: the page would show it, and apply it as an edit, whole. Fixing
                // them all at once still does, in the keeper.
                problems: report
                    .map(|r| {
                        r.problems_of(index)
                            .cloned()
                            .map(|mut p| {
                                // The column's name as the page shows it, in the message.
                                p.column_name =
                                    p.column_name.map(|n| crate::shown_rows::shown_name(&n));
                                if p.suggestion
                                    .as_deref()
                                    .is_some_and(|s| crate::shown_rows::cut(s).1.is_some())
                                {
                                    p.suggestion = None;
                                }
                                p
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// The rows `filter` shows, in order; `ledger` names the rows refused or not processed.
    pub fn rows_for(&self, filter: &Filter, ledger: &Ledger) -> RowList {
        let n = self.table.len();
        let e = self.edits;
        let list = |v: Vec<u32>| RowList::Some(Shared::new(v));
        match (filter, self.report) {
            (Filter::All, _) if e.deleted() == 0 => RowList::All(n),
            (Filter::All, _) => list(
                (0..n)
                    .filter(|i| !e.is_deleted(*i))
                    .map(|i| i as u32)
                    .collect(),
            ),
            (Filter::Refused, _) => {
                list(ledger.to_resubmit().into_iter().map(|i| i as u32).collect())
            }
            (Filter::Problems, Some(r)) => list(r.rows_with_problems().map(|i| i as u32).collect()),
            (Filter::Problems, None) => RowList::All(n),
            (Filter::Kind(kind, column), r) => {
                let mut v: Vec<u32> = r
                    .iter()
                    .flat_map(|r| r.problems())
                    .filter(|p| p.kind == *kind && p.column_name == *column)
                    .map(|p| p.row as u32)
                    .collect();
                v.dedup();
                list(v)
            }
        }
    }

    /// The first problem after `row` (from the top when none, and round again at the end):
    /// its row and its cell's column (0 for a whole-row problem).
    pub fn next_problem(&self, after: Option<usize>) -> Option<(usize, usize)> {
        let r = self.report?;
        let start = after.map(|a| a + 1).unwrap_or(0);
        let row = r
            .rows_with_problems()
            .find(|x| *x >= start)
            .or_else(|| r.rows_with_problems().next())?;
        let column = r.problems_of(row).find_map(|p| p.column).unwrap_or(0);
        Some((row, column))
    }

    /// Every suggested fix of `kind`, as cell edits.
    pub fn fixes_of(&self, kind: ProblemKind) -> Vec<(usize, usize, String)> {
        self.report
            .iter()
            .flat_map(|r| r.problems())
            .filter(|p| p.kind == kind)
            .filter_map(|p| Some((p.row, p.column?, p.suggestion.clone()?)))
            .collect()
    }

    /// How many cells of `column` hold `needle`.
    pub fn count_matches(&self, column: usize, needle: &str) -> usize {
        count_matches(&self.view(), column, needle)
    }

    /// The edits that replace `find` with `replace` in every cell of `column`.
    pub fn replacements(
        &self,
        column: usize,
        find: &str,
        replace: &str,
    ) -> Vec<(usize, usize, String)> {
        replacements(&self.view(), column, find, replace)
    }

    /// What the check found, counted; `None` until checked.
    pub fn checked(&self) -> Option<Checked> {
        self.report.map(Checked::of)
    }

    /// Where the rows stand with the upload that `ledger` records; `None` until checked.
    pub fn standing(&self, ledger: &Ledger) -> Option<Standing> {
        let (r, e) = (self.report?, self.edits);
        let totals = FileTotals::of(
            r.rows(),
            ledger,
            |row| e.is_deleted(row),
            |row| r.row_severity(row),
            e.deleted_rows(),
            r.rows_with_problems(),
        );
        let sendable =
            |row: usize| !e.is_deleted(row) && r.row_severity(row) != Some(Severity::Error);
        let resendable = ledger
            .to_resubmit()
            .into_iter()
            .filter(|row| sendable(*row))
            .count();
        let (mut sent_valid, mut written_valid) = (0, 0);
        for (_, o) in ledger.sent_rows().filter(|(row, _)| sendable(*row)) {
            sent_valid += 1;
            if !o.is_retryable() {
                written_valid += 1;
            }
        }
        Some(Standing {
            totals,
            valid: r.valid_count(),
            resendable,
            sent_valid,
            written_valid,
        })
    }

    /// Of the rows in `range`, those `validity` allowed when the upload was asked for and
    /// that are not deleted in these edits (an upload's own snapshot of them).
    pub fn sendable_between(
        &self,
        validity: &Validity,
        range: std::ops::Range<usize>,
    ) -> Vec<ValidRow> {
        validity.rows_between(&self.view(), range)
    }

    /// One job's upload file: `rows` written by `columns`, with the rows' indexes and lines.
    pub fn job_file(&self, columns: &UploadColumns, rows: &[ValidRow]) -> Result<JobFile, String> {
        let view = self.view();
        let csv = columns.write(&view, rows).map_err(|e| e.to_string())?;
        let rows: Vec<usize> = rows.iter().map(|v| v.index()).collect();
        let lines = rows.iter().map(|r| view.line(*r)).collect();
        Ok(JobFile { csv, rows, lines })
    }

    /// The result of every row (its fate by the upload's `ledger`, and the refusals no row
    /// could be found for) as safe CSV, read with these edits (the rows as they were sent);
    /// `None` until checked.
    pub fn results_csv(&self, ledger: &Ledger) -> Option<Result<Vec<u8>, String>> {
        let r = self.report?;
        let view = self.view();
        let outcome = |row: usize| {
            Fate::of(row, ledger, view.is_deleted(row), r.row_severity(row)).describe()
        };
        let unidentified: Vec<String> = ledger
            .unidentified()
            .into_iter()
            .map(|(job, m)| {
                format!("refused by the connector, row not identified (job {job}): {m}")
            })
            .collect();
        Some(export::results_csv(&view, r, &outcome, &unidentified).map_err(|e| e.to_string()))
    }

    /// The rows (all, or those with problems) with their messages, as safe CSV; `None`
    /// until checked.
    pub fn rows_csv(&self, rows: export::Rows) -> Option<Result<Vec<u8>, String>> {
        Some(export::rows_csv(&self.view(), self.report?, rows, None).map_err(|e| e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulk_core::ingest::{Overrides, from_text};
    use bulk_core::mapping::suggest;
    use bulk_core::metadata::{Field, FieldType, ObjectMetadata};
    use bulk_core::validate::{Options, validate};

    fn loaded(text: &str) -> Table {
        from_text(text, &Overrides::default())
            .expect("a table")
            .table
    }

    #[test]
    fn a_row_shows_its_edits_and_kept_cells() {
        let file = loaded("Name,Notes\nAda,x\nBo,\"a\" b\n");
        let mut edits = Edits::default();
        let table = &file;
        edits.set(table, &[(0, 0, "Ann".into())]);
        edits.keep_as_read(table, 1, 1);
        let rows = Rows {
            table: &file,
            edits: &edits,
            report: None,
        };
        let shown = rows.shown([0, 1, 9], None);
        assert_eq!(shown.len(), 2, "a row past the end is left out");
        assert_eq!((shown[0].line, shown[0].cells[0].text.as_str()), (2, "Ann"));
        assert!(shown[0].cells[0].edited && !shown[0].cells[0].kept);
        assert!(shown[1].cells[1].edited && shown[1].cells[1].kept);
        assert!(!shown[0].checked && shown[0].problems.is_empty());
    }

    #[test]
    fn filters_problems_and_fixes_come_from_the_report() {
        let file = loaded("email,site\na@x.io,www.a.example\nbad,https://b.example\nc@x.io, x\n");
        let m = ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String),
                Field::new("site", FieldType::String),
            ],
        };
        let edits = Edits::default();
        let table = &file;
        let map = suggest(table.headers(), &m);
        let report = validate(&View::new(table, &edits), &map, &m, &Options::default());
        let rows = Rows {
            table: &file,
            edits: &edits,
            report: Some(&report),
        };
        let ledger = Ledger::default();
        let problems = rows.rows_for(&Filter::Problems, &ledger);
        assert!(problems.same_rows(&RowList::Some(Shared::new(vec![1, 2]))));
        let kind = Filter::Kind(ProblemKind::Whitespace, Some("site".into()));
        assert!(
            rows.rows_for(&kind, &ledger)
                .same_rows(&RowList::Some(Shared::new(vec![2])))
        );
        assert_eq!(
            rows.fixes_of(ProblemKind::Whitespace),
            [(2, 1, "x".to_string())]
        );
        assert_eq!(rows.rows_for(&Filter::All, &ledger), RowList::All(3));
        assert_eq!(rows.next_problem(None), Some((1, 0)));
        assert_eq!(rows.next_problem(Some(1)), Some((2, 1)));
        assert_eq!(
            rows.next_problem(Some(2)),
            Some((1, 0)),
            "round again at the end"
        );
        assert_eq!(rows.count_matches(0, "x.io"), 2);
        assert_eq!(rows.replacements(0, "x.io", "y.io").len(), 2);
        let checked = rows.checked().expect("checked");
        assert_eq!(checked.rows, 3);
        assert_eq!(
            (checked.error_rows, checked.warning_rows, checked.valid),
            (1, 1, 2)
        );
        let standing = rows.standing(&ledger).expect("checked");
        assert_eq!(standing.totals.ready, 2);
        assert!(rows.rows_csv(export::Rows::All).is_some());
        // The upload's file: the valid rows, with their lines.
        let valid = report.valid_rows(&View::new(table, &edits));
        let job = rows
            .job_file(&UploadColumns::new(&map, &m, false), &valid)
            .expect("written");
        assert_eq!((job.rows, job.lines), (vec![0, 2], vec![2, 4]));
        assert!(String::from_utf8_lossy(&job.csv).starts_with("email,site\na@x.io,"));
        let results = rows
            .results_csv(&ledger)
            .expect("checked")
            .expect("written");
        assert_eq!(String::from_utf8_lossy(&results).lines().count(), 4);
        let mut fewer = Edits::default();
        fewer.delete(&[0]);
        let rows = Rows {
            edits: &fewer,
            ..rows
        };
        assert_eq!(rows.rows_for(&Filter::All, &ledger).len(), 2);
    }
}
