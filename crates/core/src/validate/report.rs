//! The outcome of a validation run, [`Report`], and how it stays true as the person edits:
//! problems by row, the worst severity of each row, the counts, the rows that may be
//! uploaded, and the re-check of exactly the rows an edit touched or whose uniqueness it
//! changed.

use super::validator::Checker;
use super::{Problem, ProblemKind, Severity, ValidRow};
use crate::checks;
use crate::edits::{Touched, View};
use crate::mapping::MappingProblem;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which rows of a [`Report`] could be uploaded when it was taken ([`Report::validity`]).
#[derive(Clone, Debug, Default)]
pub struct Validity {
    /// The rows' worst severities; empty while the mapping had problems.
    worst: Vec<Option<Severity>>,
}

impl Validity {
    /// Rows it covers (none while the mapping had problems).
    pub fn len(&self) -> usize {
        self.worst.len()
    }
    /// True when no row can be uploaded whatever the range.
    pub fn is_empty(&self) -> bool {
        self.worst.is_empty()
    }
    /// The rows of `range` that may be uploaded: no error, not deleted in `view`.
    pub fn rows_between(&self, view: &View, range: std::ops::Range<usize>) -> Vec<ValidRow> {
        valid_between(&self.worst, view, range)
    }
}

/// The rows of `range` without an error by `worst` and not deleted in `view`.
fn valid_between(
    worst: &[Option<Severity>],
    view: &View,
    range: std::ops::Range<usize>,
) -> Vec<ValidRow> {
    let end = range.end.min(worst.len());
    (range.start.min(end)..end)
        .filter(|r| worst[*r] != Some(Severity::Error) && !view.is_deleted(*r))
        .map(ValidRow)
        .collect()
}

/// The outcome of validating a table, kept up to date as the person edits.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Problems by row, in row order.
    pub(super) problems: BTreeMap<usize, Vec<Problem>>,
    /// Problems with the mapping itself; while any is present nothing can be uploaded.
    pub mapping_problems: Vec<MappingProblem>,
    /// The worst severity of each row, `None` when it has no problem.
    pub(super) worst: Vec<Option<Severity>>,
    /// Rows deleted by the person.
    pub(super) deleted: usize,
    /// The columns' rules and identifier indexes, for re-checking rows after edits.
    pub(super) checker: Checker,
}

impl Report {
    /// Rows checked (deleted ones included).
    pub fn rows(&self) -> usize {
        self.worst.len()
    }
    /// Rows the person deleted.
    pub fn deleted(&self) -> usize {
        self.deleted
    }
    /// The worst problem of a row, `None` when it has none.
    pub fn row_severity(&self, row: usize) -> Option<Severity> {
        self.worst.get(row).copied().flatten()
    }
    /// Rows with at least one error.
    pub fn error_rows(&self) -> usize {
        self.rows_worst_at(Severity::Error)
    }
    /// Rows with warnings but no error.
    pub fn warning_rows(&self) -> usize {
        self.rows_worst_at(Severity::Warning)
    }
    /// Rows whose worst problem is `severity`. Only rows with problems are looked at (a row
    /// has a severity exactly when it has problems, [`Report::set_row`]): the page asks for
    /// these counts each time it draws the totals, and a pass over 8 million rows would be a
    /// long task each time.
    fn rows_worst_at(&self, severity: Severity) -> usize {
        self.problems
            .keys()
            .filter(|r| self.worst.get(**r) == Some(&Some(severity)))
            .count()
    }
    /// How many rows may be uploaded (without listing them).
    pub fn valid_count(&self) -> usize {
        if !self.mapping_problems.is_empty() {
            return 0;
        }
        self.worst.len() - self.deleted - self.error_rows()
    }
    /// The rows that may be uploaded: none while the mapping has problems; never a
    /// deleted row.
    pub fn valid_rows(&self, view: &View) -> Vec<ValidRow> {
        if !self.mapping_problems.is_empty() {
            return Vec::new();
        }
        valid_between(&self.worst, view, 0..self.worst.len())
    }
    /// Which rows may be uploaded as things stand now, for a caller that goes through them
    /// a slice at a time while the report may change (an upload of a large file prepares
    /// its rows in short tasks). One byte a row.
    pub fn validity(&self) -> Validity {
        Validity {
            worst: if self.mapping_problems.is_empty() {
                self.worst.clone()
            } else {
                Vec::new()
            },
        }
    }
    /// Every problem, in row order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems.values().flatten()
    }
    /// The problems of one row.
    pub fn problems_of(&self, row: usize) -> impl Iterator<Item = &Problem> {
        self.problems.get(&row).into_iter().flatten()
    }
    /// The rows that have problems, in order.
    pub fn rows_with_problems(&self) -> impl Iterator<Item = usize> + '_ {
        self.problems.keys().copied()
    }
    /// Problems counted by kind and severity, errors first, then most frequent.
    pub fn counts(&self) -> Vec<(ProblemKind, Severity, usize)> {
        let mut map: HashMap<(ProblemKind, Severity), usize> = HashMap::new();
        for p in self.problems() {
            *map.entry((p.kind, p.severity)).or_default() += 1;
        }
        let mut out: Vec<_> = map.into_iter().map(|((k, s), n)| (k, s, n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        out
    }
    /// Problems counted by kind, severity and column (`None` for whole-row problems).
    pub fn counts_by_column(&self) -> Vec<(ProblemKind, Severity, Option<String>, usize)> {
        let mut map: BTreeMap<(Severity, ProblemKind, Option<String>), usize> = BTreeMap::new();
        for p in self.problems() {
            *map.entry((p.severity, p.kind, p.column_name.clone()))
                .or_default() += 1;
        }
        let mut out: Vec<_> = map.into_iter().map(|((s, k, c), n)| (k, s, c, n)).collect();
        out.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(b.3.cmp(&a.3))
                .then(a.0.cmp(&b.0))
                .then(a.2.cmp(&b.2))
        });
        out
    }

    /// Replaces the problems of `row`: the one place a row's severity changes, so a row has
    /// a severity exactly when it has problems.
    pub(super) fn set_row(&mut self, row: usize, problems: Vec<Problem>) {
        let worst = problems.iter().map(|p| p.severity).max();
        if let Some(w) = self.worst.get_mut(row) {
            *w = worst;
        }
        if problems.is_empty() {
            self.problems.remove(&row);
        } else {
            self.problems.insert(row, problems);
        }
    }

    /// Brings the report up to date after an edit, re-checking exactly the rows it
    /// touched and the rows whose uniqueness it changed.
    ///
    /// ```
    /// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, edits::{Edits, View}};
    /// use bulk_core::validate::{validate, Options};
    /// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
    /// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String)] };
    /// let text = "email\na@x.io\nA@X.IO\n";
    /// let t = parse(text, &sniff(text)).unwrap();
    /// let mut edits = Edits::default();
    /// let opts = Options { unique_fields: vec!["email".into()], ..Default::default() };
    /// let mut r = validate(&View::new(&t, &edits), &suggest(t.headers(), &m), &m, &opts);
    /// assert_eq!(r.error_rows(), 1);
    /// let touched = edits.set(&t, &[(1, 0, "b@x.io".into())]);
    /// r.apply(&View::new(&t, &edits), &touched);
    /// assert_eq!(r.error_rows(), 0);
    /// ```
    pub fn apply(&mut self, view: &View, touched: &Touched) {
        let mut rows: BTreeSet<usize> = BTreeSet::new();
        for (t, column) in self
            .checker
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.indexed)
        {
            let col = column.index;
            let values = |r: u32| {
                if view.is_deleted(r as usize) {
                    None
                } else {
                    view.get(r as usize, col)
                }
            };
            for (row, column, old, new) in &touched.cells {
                if *column != col || view.is_deleted(*row) {
                    continue;
                }
                let (old, new) = (
                    Some(old.as_str()).filter(|v| !checks::trimmed(v).is_empty()),
                    Some(new.as_str()).filter(|v| !checks::trimmed(v).is_empty()),
                );
                let index = &mut self.checker.seen[t];
                if let Some(old) = old {
                    // Rows that shared the old value may have stopped being duplicates.
                    rows.extend(index.rows_with(old, values).into_iter().map(|r| r as usize));
                }
                index.replace(*row as u32, old, new);
                if let Some(new) = new {
                    rows.extend(index.rows_with(new, values).into_iter().map(|r| r as usize));
                }
            }
            for (rows_changed, gone) in [(&touched.deleted, true), (&touched.restored, false)] {
                for row in rows_changed {
                    let Some(v) = view
                        .get(*row, col)
                        .filter(|v| !checks::trimmed(v).is_empty())
                    else {
                        continue;
                    };
                    let index = &mut self.checker.seen[t];
                    if gone {
                        index.replace(*row as u32, Some(v), None);
                    } else {
                        index.replace(*row as u32, None, Some(v));
                    }
                    rows.extend(index.rows_with(v, values).into_iter().map(|r| r as usize));
                }
            }
        }
        rows.extend(touched.cells.iter().map(|c| c.0));
        rows.extend(&touched.deleted);
        rows.extend(&touched.restored);
        self.deleted = view.deleted_rows();
        for r in rows {
            let problems = if view.is_deleted(r) {
                Vec::new()
            } else {
                self.checker.check_row(view, r, false)
            };
            self.set_row(r, problems);
        }
    }
}
