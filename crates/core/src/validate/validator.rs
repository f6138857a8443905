//! Checking rows: [`Validator`] runs over a table a slice at a time (first every row's
//! cells, then the identifier indexes a bucket at a time), and the [`Checker`] it leaves in
//! the report checks one row again after an edit. Each mapped column carries the rules
//! [`rules_for`] built for it once; checking a cell is running them in order, and the only
//! rule that needs more than the cell, [`Rule::Unique`], is answered by the column's
//! identifier index.

use super::quick::Quick;
use super::rules::{self, Cell, Reading, Rule, rules_for};
use super::{Options, Problem, ProblemKind, Report, Severity};
use crate::checks::{self, Verdict};
use crate::edits::View;
use crate::mapping::Mapping;
use crate::metadata::ObjectMetadata;
use crate::unique::UniqueIndex;
use std::collections::BTreeMap;

/// One mapped column, with what its cells are held to.
#[derive(Clone, Debug)]
pub(super) struct Column {
    /// The table column.
    pub(super) index: usize,
    /// Its name in the file's header, for the problems.
    pub(super) name: String,
    /// The name of the field it goes to, for the messages.
    field: String,
    /// How its cells are read.
    reading: Reading,
    /// Its rules, in the order their problems are listed.
    rules: Vec<Rule>,
    /// The rules folded into one test for the usual cell, when they can be.
    quick: Option<Quick>,
    /// It has [`Rule::Unique`].
    unique: bool,
    /// Its values are kept in the identifier index: the field is in
    /// [`Options::unique_fields`]. Only [`Rule::Unique`] compares them, and a read-only field
    /// never has that rule; edits still keep such a column's index up to date.
    pub(super) indexed: bool,
}

/// What a report needs to check rows again later: the mapped columns and the identifier
/// indexes.
#[derive(Clone, Debug, Default)]
pub(super) struct Checker {
    pub(super) columns: Vec<Column>,
    /// The header's width, for the rows with too few or too many fields.
    width: usize,
    /// The file's delimiter, for the rows read into a quoted cell (0: not looked for).
    delimiter: u8,
    /// For each column (empty for those not indexed): the identifier index.
    pub(super) seen: Vec<UniqueIndex>,
    /// A row's problems while it is checked, and its duplicates (listed last), kept
    /// between rows so that checking allocates only for a row's own list, sized to fit:
    /// in wasm, every growth of memory costs a garbage collection in the page.
    found: Vec<Problem>,
    later: Vec<Problem>,
    /// Where the cells of the row being checked are ([`crate::table::Row::cells_into`]),
    /// kept between rows.
    spans: Vec<(u32, u32)>,
}

/// Validates a table a slice of rows at a time, so a big file never holds the page for
/// long; [`validate`](super::validate()) runs it in one go.
///
/// ```
/// use bulk_core::{dialect::sniff, table::parse, mapping::suggest, edits::{Edits, View}};
/// use bulk_core::validate::{Validator, Options};
/// use bulk_core::metadata::{ObjectMetadata, Field, FieldType};
/// let m = ObjectMetadata { fields: vec![Field::new("email", FieldType::String)] };
/// let text = "email\na@x.io\nA@X.io\n";
/// let t = parse(text, &sniff(text)).unwrap();
/// let edits = Edits::default();
/// let opts = Options { unique_fields: vec!["email".into()], ..Default::default() };
/// let mut v = Validator::new(View::new(&t, &edits), &suggest(t.headers(), &m), &m, &opts);
/// while !v.run(1) {}
/// assert_eq!(v.finish().error_rows(), 1);
/// ```
pub struct Validator<'t> {
    view: View<'t>,
    checking: Checking,
}

impl<'t> Validator<'t> {
    /// A validator of `view` under `mapping` for the object `metadata` describes.
    pub fn new(
        view: View<'t>,
        mapping: &Mapping,
        metadata: &ObjectMetadata,
        options: &Options,
    ) -> Validator<'t> {
        let checking = Checking::new(view.table.headers(), view.len(), mapping, metadata, options);
        Validator { view, checking }
    }

    /// Rows checked so far.
    pub fn done(&self) -> usize {
        self.checking.done()
    }

    /// Checks up to about `rows` more rows' worth of work; true when all is done.
    pub fn run(&mut self, rows: usize) -> bool {
        self.checking.run(&self.view, rows)
    }

    /// The report; rows not yet checked count as valid.
    pub fn finish(mut self) -> Report {
        let worst = &mut self.checking.report.worst;
        if worst.len() < self.view.len() {
            worst.resize(self.view.len(), None);
        }
        self.checking.finish()
    }
}

/// A [`Validator`] without its rows: what a check has found so far, given the rows at each
/// call. This lets the rows of a file be checked while the file is still being read
/// ([`early`](Checking::early), over a table that grows), then finished over the table
/// read ([`run`](Checking::run)).
///
/// While the file is read, only the usual row is checked: one that passes every rule,
/// found without wording anything. Any other row is put aside and checked in full once the
/// file is read, when the table has its header and the report its room; so the report is
/// the same, problem for problem, as checking after the read (a test compares them).
pub struct Checking {
    next: usize,
    report: Report,
    /// Buckets of the identifier indexes settled so far (after all rows are checked).
    settled: usize,
    /// Rows the early check put aside, and how many of them are checked.
    aside: Vec<u32>,
    aside_done: usize,
    /// The header the check was made for.
    headers: Vec<String>,
}

impl Checking {
    /// A check of rows with `headers`, about `rows` of them, under `mapping` for the object
    /// `metadata` describes.
    pub fn new(
        headers: &[String],
        rows: usize,
        mapping: &Mapping,
        metadata: &ObjectMetadata,
        options: &Options,
    ) -> Checking {
        let columns: Vec<Column> = mapping
            .columns
            .iter()
            .enumerate()
            .filter_map(|(index, c)| {
                let field = metadata.field(c.field.as_deref()?)?;
                let kind = field.text_kind();
                let reading = Reading::of(&field.field_type, kind);
                let rules = rules_for(field, kind, options);
                Some(Column {
                    index,
                    name: headers.get(index).cloned().unwrap_or_default(),
                    field: field.name.clone(),
                    reading,
                    quick: Quick::of(reading, &rules),
                    unique: rules.contains(&Rule::Unique),
                    rules,
                    indexed: options.unique_fields.contains(&field.name),
                })
            })
            .collect();
        let seen = columns
            .iter()
            .map(|c| UniqueIndex::new(if c.indexed { rows } else { 0 }))
            .collect();
        Checking {
            next: 0,
            report: Report {
                problems: BTreeMap::new(),
                mapping_problems: mapping.problems(headers, metadata),
                worst: Vec::new(),
                deleted: 0,
                checker: Checker {
                    columns,
                    width: headers.len(),
                    delimiter: options.delimiter,
                    seen,
                    found: Vec::new(),
                    later: Vec::new(),
                    spans: Vec::new(),
                },
            },
            settled: 0,
            aside: Vec::new(),
            aside_done: 0,
            headers: headers.to_vec(),
        }
    }

    /// The header the check was made for.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Rows checked so far (or put aside for later).
    pub fn done(&self) -> usize {
        self.next
    }

    /// Rows still to check in a table of `rows` rows: those put aside, and those not
    /// reached yet.
    pub fn left(&self, rows: usize) -> usize {
        self.aside.len() - self.aside_done + rows.saturating_sub(self.next)
    }

    /// While the file is read: checks up to `rows` more of the rows `view` has so far, the
    /// usual ones in full, putting the others aside for [`run`](Self::run).
    pub fn early(&mut self, view: &View, rows: usize) {
        let end = self.next.saturating_add(rows).min(view.len());
        for r in self.next..end {
            if view.is_deleted(r)
                || view.table.needs_a_closer_look(r)
                || !self.report.checker.quick_row(view, r)
            {
                self.aside.push(r as u32);
            }
        }
        self.next = self.next.max(end);
    }

    /// Checks up to about `rows` more rows' worth of work of `view`, every row of the
    /// table (the rows put aside first); true when all is done.
    pub fn run(&mut self, view: &View, rows: usize) -> bool {
        if self.report.worst.len() < view.len() {
            self.report.worst.resize(view.len(), None);
        }
        let mut budget = rows;
        while self.aside_done < self.aside.len() {
            if budget == 0 {
                return false;
            }
            let r = self.aside[self.aside_done] as usize;
            self.aside_done += 1;
            budget -= 1;
            self.first_check(view, r, false);
        }
        if self.aside_done > 0 {
            // All checked: their room back.
            self.aside = Vec::new();
            self.aside_done = 0;
        }
        let end = self.next.saturating_add(budget).min(view.len());
        for r in self.next..end {
            self.first_check(view, r, true);
        }
        budget -= end - self.next;
        self.next = end;
        if self.next < view.len() {
            return false;
        }
        // Then the identifier indexes, a bucket at a time.
        let buckets = self
            .report
            .checker
            .seen
            .first()
            .map(UniqueIndex::buckets)
            .unwrap_or(0);
        while self.settled < buckets {
            let b = self.settled;
            let work: usize = self
                .report
                .checker
                .seen
                .iter()
                .map(|i| i.bucket_len(b))
                .sum();
            if work > budget && budget < rows {
                return false;
            }
            budget = budget.saturating_sub(work);
            self.settle(view, b);
            self.settled += 1;
        }
        true
    }

    /// The first check of row `r`: the usual row at once (when `quick`), any other in full.
    #[inline(always)]
    fn first_check(&mut self, view: &View, r: usize, quick: bool) {
        if view.is_deleted(r) {
            self.report.deleted += 1;
            return;
        }
        // A row with a cell over several lines or a stray quote gets the full check,
        // which looks at that cell.
        if quick && !view.table.needs_a_closer_look(r) && self.report.checker.quick_row(view, r) {
            return;
        }
        let problems = self.report.checker.check_row(view, r, true);
        if !problems.is_empty() {
            self.report.set_row(r, problems);
        }
    }

    /// Marks the duplicates whose values fall in bucket `b`.
    fn settle(&mut self, view: &View, b: usize) {
        let checker = &mut self.report.checker;
        let mut found = Vec::new();
        for (t, column) in checker
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.indexed)
        {
            let value_of = |r: u32| view.get(r as usize, column.index);
            for (row, first) in checker.seen[t].settle(b, value_of) {
                let value = view.get(row as usize, column.index).unwrap_or("");
                found.push(duplicate(
                    column,
                    row as usize,
                    view.line(row as usize),
                    value,
                    view.line(first as usize),
                ));
            }
        }
        for problem in found {
            let row = problem.row;
            let mut problems: Vec<Problem> = self.report.problems_of(row).cloned().collect();
            // Duplicates come last, in column order, as checking the row again lists them:
            // not in the order of the buckets their values fell in.
            let at = problems
                .iter()
                .rposition(|p| p.kind != ProblemKind::Duplicate || p.column <= problem.column)
                .map_or(0, |i| i + 1);
            problems.insert(at, problem);
            self.report.set_row(row, problems);
        }
    }

    /// The report; rows not yet checked count as valid.
    pub fn finish(self) -> Report {
        self.report
    }
}

impl Column {
    /// True when its rules have nothing to say about `value`, a cell of a row as wide as
    /// the header: by the fold when there is one, else rule by rule without wording.
    #[inline(always)]
    fn passes(&self, value: &str) -> bool {
        if let Some(quick) = &self.quick {
            return quick.passes(value);
        }
        let text = self.reading.text(value);
        let cell = Cell::new(self.reading, value, &text, false);
        self.rules
            .iter()
            .all(|rule| matches!(rule.check(&cell, ""), Verdict::Ok))
    }

    /// Whether `value` goes into the identifier index: as [`Checker::check_row`] decides.
    fn indexes(&self, value: &str) -> bool {
        let text = self.reading.text(value);
        !(self.reading.is_blank(value, &text) || checks::trimmed(value).is_empty())
    }
}

impl Checker {
    /// The first check of row `r` when it is the usual case ([`super::quick`]): the file's
    /// row, as wide as the header, every cell passing. Its identifiers then go into the
    /// index and it is done (true); false leaves the row, untouched, to
    /// [`check_row`](Self::check_row).
    fn quick_row(&mut self, view: &View, r: usize) -> bool {
        let Some(row) = view.unedited_row(r) else {
            return false;
        };
        let text = row.cells_into(&mut self.spans);
        let spans = &self.spans;
        if spans.len() != self.width {
            return false;
        }
        // Cells are cut at character boundaries (see `Table`), so `get` always finds them.
        let cell = |c: usize| {
            spans
                .get(c)
                .and_then(|&(a, b)| text.get(a as usize..b as usize))
                .unwrap_or("")
        };
        if !self.columns.iter().all(|c| c.passes(cell(c.index))) {
            return false;
        }
        for (t, column) in self.columns.iter().enumerate().filter(|(_, c)| c.unique) {
            let value = cell(column.index);
            // A filled cell its fold passed has something to see and nothing to strip (see
            // `Quick::passes`): it is indexed without reading it again.
            let indexed = match column.quick {
                Some(_) => !value.is_empty(),
                None => column.indexes(value),
            };
            if indexed {
                self.seen[t].add(value, r as u32);
            }
        }
        true
    }

    /// The problems of one row: its shape first, then each column's rules in order, then the
    /// duplicates. With `record`, identifier values are entered in the uniqueness index (the
    /// first pass, settled afterwards); otherwise the settled index is asked whether an
    /// earlier row has the same value.
    pub(super) fn check_row(&mut self, view: &View, r: usize, record: bool) -> Vec<Problem> {
        let Checker {
            columns,
            seen,
            width,
            delimiter,
            found: out,
            later,
            spans,
            ..
        } = self;
        // Empty unless an earlier call stopped half-way.
        out.clear();
        later.clear();
        // Without edits a cell is the file's: look the row up once, not once per cell.
        let file_row = view.unedited_row(r);
        let line = view.line(r);
        let row_len = view.row_len(r);
        if let Some((kind, message)) = shape(view, r, *width) {
            out.push(Problem {
                row: r,
                line,
                column: None,
                column_name: None,
                kind,
                severity: Severity::Error,
                message,
                suggestion: None,
            });
        }
        // Only a row of the file with a cell over several lines can hold one; an edited
        // row is looked at whole.
        if file_row.is_none() || view.table.spans_lines(r) {
            out.extend(rows_in_cell(view, r, line, *width, *delimiter));
        }
        out.extend(stray_quotes(view, r, line));
        // The file's cells of the row in one pass (a cell is found by splitting the row's
        // text, so reading them one by one would start from the row's start each time).
        spans.clear();
        let text = match file_row.or_else(|| view.table.row(r)) {
            Some(row) => row.cells_into(spans),
            None => "",
        };
        for (t, column) in columns.iter().enumerate() {
            let value = file_row
                .is_none()
                .then(|| view.edited(r, column.index))
                .flatten()
                .or_else(|| {
                    let &(a, b) = spans.get(column.index)?;
                    text.get(a as usize..b as usize)
                })
                .unwrap_or("");
            let text = column.reading.text(value);
            let cell = Cell::new(column.reading, value, &text, row_len <= column.index);
            for rule in &column.rules {
                if let Rule::Unique = rule {
                    // Values blank to the eye stay out of the index, as `apply` leaves them
                    // out.
                    if cell.blank || checks::trimmed(value).is_empty() {
                        continue;
                    }
                    if record {
                        seen[t].add(value, r as u32);
                    } else if let Some(first) = earlier(&seen[t], view, column.index, r, value) {
                        later.push(duplicate(column, r, line, value, view.line(first)));
                    }
                    continue;
                }
                let (severity, message, suggestion) = match rule.check(&cell, &column.field) {
                    Verdict::Ok => continue,
                    Verdict::Warning {
                        message,
                        suggestion,
                    } => (Severity::Warning, message, suggestion),
                    Verdict::Error { message } => (Severity::Error, message, None),
                };
                out.push(Problem {
                    row: r,
                    line,
                    column: Some(column.index),
                    column_name: Some(column.name.clone()),
                    kind: rule.kind(),
                    severity,
                    message,
                    suggestion,
                });
            }
        }
        // Moved into a list of exactly its length (no allocation for a row without
        // problems); `append` leaves the buffers their room for the next row.
        let mut problems = Vec::with_capacity(out.len() + later.len());
        problems.append(out);
        problems.append(later);
        problems
    }
}

/// The first row before `r` whose value in `column` is `value` as an identifier, by the
/// settled index (deleted rows do not count).
fn earlier(
    index: &UniqueIndex,
    view: &View,
    column: usize,
    r: usize,
    value: &str,
) -> Option<usize> {
    let values = |o: u32| {
        if view.is_deleted(o as usize) {
            None
        } else {
            view.get(o as usize, column)
        }
    };
    index
        .rows_with(value, values)
        .into_iter()
        .map(|o| o as usize)
        .find(|o| *o < r)
}

/// What is wrong with the shape of row `r` (too few or too many fields for a header
/// `width` wide), if anything.
fn shape(view: &View, r: usize, width: usize) -> Option<(ProblemKind, String)> {
    let row_len = view.row_len(r);
    if row_len < width {
        Some((
            ProblemKind::TooFewFields,
            format!(
                "has {row_len} field(s) but the header has {width}; a delimiter or quote is probably missing on this line; fill in the missing cells or delete the row"
            ),
        ))
    } else if row_len > width {
        // Only the values that are there, and only a few: a sheet with one far-away cell
        // makes thousands of empty "extra fields", and the message must stay readable.
        // Past the header no cell can be edited: the file's cells, in one pass.
        let filled: Vec<String> = match view.table.row(r) {
            Some(row) => row
                .fields()
                .skip(width)
                .filter(|v| !v.is_empty())
                .map(|v| format!("\"{}\"", crate::checks::excerpt(v)))
                .collect(),
            None => Vec::new(),
        };
        let shown = match filled.len() {
            0 => "are empty".to_string(),
            n if n <= 5 => format!("{} would be lost", filled.join(", ")),
            n => format!(
                "{}, and {} more, would be lost",
                filled[..5].join(", "),
                n - 5
            ),
        };
        Some((
            ProblemKind::TooManyFields,
            format!(
                "has {row_len} fields but the header has {width}; the extra value(s) {shown}; check the quotes or the delimiter on this line"
            ),
        ))
    } else {
        None
    }
}

/// The first cell of row `r` that runs over several lines, one of which after the first
/// looks like a whole row (at least as many delimiters as between the header's names): a
/// quote opened in the cell and not closed where it should be, so that the rows after it
/// were read into it. Never asked of a header under 3 columns, where one delimiter in a line
/// of an address would be enough.
fn rows_in_cell(view: &View, r: usize, line: u64, width: usize, delimiter: u8) -> Option<Problem> {
    if delimiter == 0 || width < 3 {
        return None;
    }
    for c in 0..view.row_len(r) {
        let value = view.get(r, c).unwrap_or("");
        if !value.contains(['\n', '\r']) {
            continue;
        }
        let mut rows = value
            .lines()
            .skip(1)
            .filter(|l| l.bytes().filter(|&b| b == delimiter).count() + 1 >= width);
        let Some(first) = rows.next() else { continue };
        let more = rows.count();
        let shown = crate::checks::excerpt(first);
        let looks = match more {
            0 => format!("a whole row (\"{shown}\")"),
            n => format!("{} whole rows (the first: \"{shown}\")", n + 1),
        };
        return Some(Problem {
            row: r,
            line,
            column: Some(c),
            column_name: view.table.headers().get(c).cloned(),
            kind: ProblemKind::RowsInCell,
            severity: Severity::Error,
            message: format!(
                "this quoted cell runs over {} lines and holds what looks like {looks}: a quote opened in it is probably not closed where it should be, so the rows after it were read into it. Close the quote in the file and choose it again",
                value.lines().count()
            ),
            suggestion: None,
        });
    }
    None
}

/// The cells of row `r` whose quotes changed what they read as (`"Al"pha"`, read `Alpha"`),
/// mapped or not, while the person has not edited them: a warning on each that shows the
/// value as read.
fn stray_quotes<'v>(view: &'v View, r: usize, line: u64) -> impl Iterator<Item = Problem> + 'v {
    view.table
        .stray_quotes(r)
        .filter(move |&c| !view.is_edited(r, c))
        .map(move |c| stray_quote(view, r, c, line))
}

/// The warning on cell `c` of row `r` (see [`stray_quotes`]).
fn stray_quote(view: &View, r: usize, c: usize, line: u64) -> Problem {
    let value = view.get(r, c).unwrap_or("");
    let shown = crate::checks::excerpt(value);
    Problem {
        row: r,
        line,
        column: Some(c),
        column_name: view.table.headers().get(c).cloned(),
        kind: ProblemKind::StrayQuote,
        severity: Severity::Warning,
        message: format!(
            "this cell has text after its closing quote, so its quotes were dropped and it reads '{shown}'; check it against the file and correct it here if that is not the value (inside a quoted cell, a quote is written twice: \"\")"
        ),
        suggestion: None,
    }
}

/// The problem of a value an earlier row (on `first_line`) already has.
fn duplicate(column: &Column, row: usize, line: u64, value: &str, first_line: u64) -> Problem {
    Problem {
        row,
        line,
        column: Some(column.index),
        column_name: Some(column.name.clone()),
        kind: Rule::Unique.kind(),
        severity: Severity::Error,
        message: rules::duplicate_message(value, first_line, &column.field),
        suggestion: None,
    }
}
