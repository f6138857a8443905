//! The keeper of a file's rows: the one place that holds the table read, the person's
//! edits, the check's report, a copy of the upload's ledger and each upload's own snapshot
//! of the edits. The page holds none of these. It sends the keeper [`Request`]s, plain data,
//! and gets [`Answer`]s, plain data; the long work (checking every row, gathering the rows
//! an upload sends) goes by [`check`] and [`gather`], a slice at a time, with progress.
//! Written as a worker's side of a conversation, so that moving the keeper into a worker
//! changes how the messages travel, not what they say: today it answers on the page, in a
//! later task ([`crate::asking`]).

use crate::bytes_as_text::TextBytes;
use crate::check_as_read::Plan;
use crate::checked::{Checked, Standing};
use crate::grid::{Filter, RowList};
use crate::loading::Slices;
use crate::rows::{JobFile, Rows};
use crate::shared::Shared;
use crate::shown_rows::ShownRow;
use bulk_core::edits::{Edits, Touched, View};
use bulk_core::export;
use bulk_core::ingest::Ingested;
use bulk_core::mapping::Mapping;
use bulk_core::metadata::ObjectMetadata;
use bulk_core::outcome::{Ledger, LedgerPart};
use bulk_core::upload::UploadColumns;
use bulk_core::validate::{Options, ProblemKind, Report, ValidRow, Validator};
use std::cell::RefCell;
use std::rc::Rc;

/// A question about the rows, or a change to them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Request {
    /// These rows as shown, their cells cut but for the column given (whose whole text is
    /// wanted).
    Shown(Vec<usize>, Option<usize>),
    /// The rows a filter shows, in order.
    RowsFor(Filter),
    /// The first problem after this row (round again at the end).
    NextProblem(Option<usize>),
    /// How many cells of a column hold a text.
    CountMatches(usize, String),
    /// What the check found, counted.
    Checked,
    /// Where the rows stand with the upload.
    Standing,
    /// The rows (all, or those with problems) with their messages, as CSV.
    RowsCsv(export::Rows),
    /// The result of every row, as CSV, the rows read as they were sent.
    ResultsCsv,
    /// An edit, as one undoable step.
    Edit(Edit),
    /// What a change to the upload's ledger wrote (the keeper's copy of the ledger answers
    /// the questions about it).
    Ledger(LedgerPart),
    /// One job's upload file: job `n` of an upload, written by its columns.
    JobFile(u64, usize),
    /// An upload's jobs are all sent: its hold on its file's rows ends.
    RunEnded(u64),
}

/// An edit.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    /// Sets cells (row, column, new text).
    Set(Vec<(usize, usize, String)>),
    /// Keeps a cell whose quotes were dropped as read.
    KeepAsRead(usize, usize),
    /// Deletes rows.
    Delete(Vec<usize>),
    /// Undoes the last edit.
    Undo,
    /// Redoes the last undone edit.
    Redo,
    /// Replaces a text with another in every cell of a column.
    ReplaceAll(usize, String, String),
    /// Applies every suggested fix of a kind.
    FixAll(ProblemKind),
}

/// The keeper's answer to a [`Request`], in kind.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    /// No file is kept (or the upload asked about has ended).
    Nothing,
    /// Done.
    Done,
    /// Rows as shown.
    Shown(Vec<ShownRow>),
    /// A filter's rows.
    Rows(RowList),
    /// A cell (row, column).
    Cell(Option<(usize, usize)>),
    /// A count.
    Count(usize),
    /// What the check found.
    Checked(Option<Checked>),
    /// Where the rows stand.
    Standing(Option<Standing>),
    /// A file's bytes, or why it could not be written; `None` until checked.
    Bytes(Option<Result<TextBytes, String>>),
    /// A file written, handed over beside the answer as a `Blob` (from the worker: a big
    /// file's bytes never pass through the page).
    Blob,
    /// An edit was applied: the cells it changed, and whether undo and redo can go on.
    Edited(EditState),
    /// A job's upload file, or why it could not be written.
    JobFile(Result<JobFile, String>),
}

/// What an edit did, and what can be undone or redone after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditState {
    /// Cells changed (for Replace all's "Replaced in n").
    pub changed: usize,
    /// Something can be undone.
    pub can_undo: bool,
    /// Something can be redone.
    pub can_redo: bool,
}

/// An upload as the keeper sees it: the rows it writes from and the edits it wrote them
/// with (taken when it started), and the rows it sent.
struct Run {
    id: u64,
    /// The file's rows, while the upload sends (`None` once it ended).
    file: Option<Shared<Ingested>>,
    edits: Rc<Edits>,
    sent: Vec<u32>,
    columns: UploadColumns,
    /// The rows of each of its jobs, in order (let go of once it ended).
    jobs: Vec<Vec<ValidRow>>,
}

/// A file's rows and what is known of them.
struct Held {
    file: Shared<Ingested>,
    edits: Edits,
    report: Option<Report>,
    /// The object and mapping the report was made for (a check asked for again with the
    /// same ones is answered at once: edits keep the report up to date).
    checked_for: Option<(Shared<ObjectMetadata>, Mapping)>,
    ledger: Ledger,
    /// The uploads of this file, oldest first.
    runs: Vec<Run>,
}

/// The keeper: a file's rows, if any, and the uploads of earlier files still sending.
#[derive(Default)]
pub struct Keeper {
    held: Option<Held>,
    /// Uploads of files chosen before this one, still sending.
    earlier: Vec<Run>,
    next_run: u64,
    /// The check under way: an older one stops at its next slice.
    checks: u64,
    /// The read under way, the same way.
    reads: u64,
    /// Reads and checks started (not stopped or cleared): the warm-up gives way to the
    /// person's own work, not to the page saying there is nothing to check.
    started: u64,
    /// The page's plan for checking the rows of the read under way as they arrive.
    as_read: Option<Plan>,
}

impl Keeper {
    /// Keeps the rows of a file just read, with no edit, check or upload; the file before
    /// goes (its buffers kept for the next file's rows, unless an upload still sends it).
    pub fn take(&mut self, ingested: Ingested) {
        self.clear();
        self.held = Some(Held {
            file: Shared::new(ingested),
            edits: Edits::default(),
            report: None,
            checked_for: None,
            ledger: Ledger::default(),
            runs: Vec::new(),
        });
    }

    /// Keeps the rows of a file just read, and the report of the check made as they were
    /// read ([`crate::check_as_read`]) unless another check was asked for meanwhile.
    pub fn take_checked(&mut self, ingested: Ingested, early: Option<(Report, Plan)>) {
        let early = early.filter(|(_, plan)| plan.check == self.checks);
        self.as_read = None;
        self.take(ingested);
        if let (Some(held), Some((report, plan))) = (&mut self.held, early) {
            held.report = Some(report);
            held.checked_for = Some((plan.metadata, plan.mapping));
        }
    }

    /// The page's plan for checking the rows of read `read` as they arrive: for this
    /// header, against this object under this mapping. Unless that read is over, it is a
    /// check: an older one stops.
    pub fn plan_as_read(
        &mut self,
        read: u64,
        header: Vec<String>,
        metadata: ObjectMetadata,
        mapping: Mapping,
    ) {
        if read != self.reads {
            return;
        }
        self.checks += 1;
        self.started += 1;
        self.as_read = Some(Plan {
            read,
            check: self.checks,
            header,
            metadata: Shared::new(metadata),
            mapping,
        });
    }

    /// The plan for read `read`, if it is still the check wanted.
    pub fn plan_for(&self, read: u64) -> Option<Plan> {
        self.as_read
            .as_ref()
            .filter(|p| p.read == read && p.read == self.reads && p.check == self.checks)
            .cloned()
    }

    /// The rows kept are checked, for this object under this mapping.
    fn already_checked(&self, metadata: &ObjectMetadata, mapping: &Mapping) -> bool {
        self.held.as_ref().is_some_and(|h| {
            h.report.is_some()
                && h.checked_for
                    .as_ref()
                    .is_some_and(|(m, map)| **m == *metadata && map == mapping)
        })
    }

    /// Lets go of the rows (another file is being read, or what was read failed); their
    /// buffers are kept for the next file's rows, unless an upload still sends them.
    pub fn clear(&mut self) {
        self.checks += 1;
        if let Some(old) = self.held.take() {
            self.earlier
                .extend(old.runs.into_iter().filter(|r| r.file.is_some()));
            if let Some(old) = old.file.into_inner() {
                old.table.recycle();
            }
        }
    }

    /// Answers a request at once.
    pub fn answer(&mut self, request: Request) -> Answer {
        if let Request::RunEnded(id) = request {
            self.end_run(id);
            return Answer::Done;
        }
        if let Request::JobFile(id, job) = request {
            return self.job_file(id, job);
        }
        let Some(held) = &mut self.held else {
            return Answer::Nothing;
        };
        if let Request::Edit(edit) = request {
            return Answer::Edited(held.edit(edit));
        }
        if let Request::Ledger(part) = request {
            held.ledger.absorb(part);
            return Answer::Done;
        }
        let rows = held.rows();
        let ledger = &held.ledger;
        match request {
            Request::Shown(which, whole) => Answer::Shown(rows.shown(which, whole)),
            Request::RowsFor(filter) => Answer::Rows(rows.rows_for(&filter, ledger)),
            Request::NextProblem(after) => Answer::Cell(rows.next_problem(after)),
            Request::CountMatches(column, needle) => {
                Answer::Count(rows.count_matches(column, &needle))
            }
            Request::Checked => Answer::Checked(rows.checked()),
            Request::Standing => Answer::Standing(rows.standing(ledger)),
            Request::RowsCsv(which) => Answer::Bytes(text_bytes(rows.rows_csv(which))),
            Request::ResultsCsv => {
                // Rows sent read as they were sent, not as edited or undone since.
                let runs: Vec<(&Edits, &[u32])> = held
                    .runs
                    .iter()
                    .map(|r| (&*r.edits, r.sent.as_slice()))
                    .collect();
                let as_sent = held.edits.as_sent(&runs);
                let rows = Rows {
                    edits: &as_sent,
                    ..rows
                };
                Answer::Bytes(text_bytes(rows.results_csv(ledger)))
            }
            Request::Edit(_) | Request::Ledger(_) | Request::JobFile(..) | Request::RunEnded(_) => {
                Answer::Done
            }
        }
    }

    /// Checks every row at once (a small file): true when checked.
    pub fn check_now(&mut self, metadata: &ObjectMetadata, mapping: &Mapping) -> bool {
        if self.already_checked(metadata, mapping) {
            return true;
        }
        self.checks += 1;
        self.started += 1;
        let Some(held) = &mut self.held else {
            return false;
        };
        let options = Options::for_object(metadata, &held.file.dialect);
        let view = View::new(&held.file.table, &held.edits);
        held.report = Some(bulk_core::validate::validate(
            &view, mapping, metadata, &options,
        ));
        held.checked_for = Some((Shared::new(metadata.clone()), mapping.clone()));
        true
    }

    /// Stops the check under way, if any.
    pub fn stop_check(&mut self) {
        self.checks += 1;
    }

    /// A read starts: its number (an older read stops at its next slice).
    pub fn start_reading(&mut self) -> u64 {
        self.reads += 1;
        self.started += 1;
        self.reads
    }

    /// Read `mine` is still the one wanted.
    pub fn reading(&self, mine: u64) -> bool {
        self.reads == mine
    }

    /// Stops the read under way, if any.
    pub fn stop_reading(&mut self) {
        self.reads += 1;
    }

    /// How many reads and checks have started (see `started`).
    pub fn started(&self) -> u64 {
        self.started
    }

    /// How many rows the file has (0 without one).
    pub fn rows(&self) -> usize {
        self.held.as_ref().map_or(0, |h| h.file.table.len())
    }

    fn job_file(&self, id: u64, job: usize) -> Answer {
        let run = self
            .held
            .iter()
            .flat_map(|h| h.runs.iter())
            .chain(self.earlier.iter())
            .find(|r| r.id == id);
        let Some((run, Some(file))) = run.map(|r| (r, &r.file)) else {
            return Answer::Nothing;
        };
        let Some(rows) = run.jobs.get(job) else {
            return Answer::Nothing;
        };
        let rows_of = Rows {
            table: &file.table,
            edits: &run.edits,
            report: None,
        };
        Answer::JobFile(rows_of.job_file(&run.columns, rows))
    }

    fn end_run(&mut self, id: u64) {
        self.earlier.retain(|r| r.id != id);
        if let Some(h) = &mut self.held
            && let Some(run) = h.runs.iter_mut().find(|r| r.id == id)
        {
            run.file = None;
            run.jobs = Vec::new();
        }
    }
}

impl Held {
    fn rows(&self) -> Rows<'_> {
        Rows {
            table: &self.file.table,
            edits: &self.edits,
            report: self.report.as_ref(),
        }
    }

    /// Applies `edit` and re-checks exactly the cells it touched.
    fn edit(&mut self, edit: Edit) -> EditState {
        let table = &self.file.table;
        let changes = match &edit {
            Edit::ReplaceAll(column, find, replace) => {
                Some(self.rows().replacements(*column, find, replace))
            }
            Edit::FixAll(kind) => Some(self.rows().fixes_of(*kind)),
            _ => None,
        };
        let asked = changes.as_ref().map(Vec::len);
        let e = &mut self.edits;
        let touched: Option<Touched> = match edit {
            Edit::Set(cells) => Some(e.set(table, &cells)),
            Edit::KeepAsRead(row, column) => Some(e.keep_as_read(table, row, column)),
            Edit::Delete(rows) => Some(e.delete(&rows)),
            Edit::Undo => e.undo(table),
            Edit::Redo => e.redo(table),
            Edit::ReplaceAll(..) | Edit::FixAll(_) => changes.map(|c| e.set(table, &c)),
        };
        let changed = asked.unwrap_or_else(|| touched.as_ref().map_or(0, |t| t.cells.len()));
        if let Some(touched) = touched.filter(|t| !t.is_empty())
            && let Some(report) = &mut self.report
        {
            report.apply(&View::new(table, &self.edits), &touched);
        }
        EditState {
            changed,
            can_undo: self.edits.can_undo(),
            can_redo: self.edits.can_redo(),
        }
    }
}

/// A file written, as it travels.
fn text_bytes(written: Option<Result<Vec<u8>, String>>) -> Option<Result<TextBytes, String>> {
    written.map(|w| w.map(TextBytes))
}

thread_local! {
    static KEEPER: RefCell<Keeper> = RefCell::new(Keeper::default());
}

/// Runs `f` with the keeper of this page.
pub fn with<R>(f: impl FnOnce(&mut Keeper) -> R) -> R {
    KEEPER.with(|k| f(&mut k.borrow_mut()))
}

/// Rows checked between looks at the clock.
const CHECK_ROWS: usize = 500;

/// Checks every row a slice at a time, saying how far it is (`progress(done, total)`);
/// true when checked, false when a newer check, another file or Stop came first.
pub(crate) async fn check(
    metadata: Shared<ObjectMetadata>,
    mapping: Mapping,
    pace: &mut Slices,
    progress: &mut dyn FnMut(usize, usize),
) -> bool {
    if with(|k| k.already_checked(&metadata, &mapping)) {
        return true;
    }
    let started = with(|k| {
        k.checks += 1;
        k.started += 1;
        let held = k.held.as_mut()?;
        held.report = None;
        held.checked_for = None;
        Some((k.checks, held.file.clone(), held.edits.clone()))
    });
    let Some((ticket, file, edits)) = started else {
        return false;
    };
    let current = || with(|k| k.checks == ticket);
    let Some(report) =
        check_rows(&file, &edits, &metadata, &mapping, pace, progress, &current).await
    else {
        return false;
    };
    with(|k| {
        let held = k.held.as_mut().filter(|_| k.checks == ticket);
        held.map(|h| {
            h.report = Some(report);
            h.checked_for = Some((metadata, mapping));
        })
        .is_some()
    })
}

/// Checks the rows of `file` with `edits`, a slice at a time, while `current` says so;
/// the report, or `None` when stopped. The one function every check goes through, the
/// warm-up's included ([`crate::warm_up`]): the browser compiles it for speed once.
pub(crate) async fn check_rows(
    file: &Ingested,
    edits: &Edits,
    metadata: &ObjectMetadata,
    mapping: &Mapping,
    pace: &mut Slices,
    progress: &mut dyn FnMut(usize, usize),
    current: &dyn Fn() -> bool,
) -> Option<Report> {
    // Let the page show the new file before checking starts.
    pace.breathe().await;
    if !current() {
        return None;
    }
    let options = Options::for_object(metadata, &file.dialect);
    let total = file.table.len();
    let mut v = Validator::new(View::new(&file.table, edits), mapping, metadata, &options);
    loop {
        while !pace.used_up() {
            if v.run(CHECK_ROWS) {
                return Some(v.finish());
            }
        }
        progress(v.done(), total);
        pace.breathe().await;
        if !current() {
            return None;
        }
    }
}

/// Which rows an upload sends.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sending {
    /// Valid rows no job of this file has carried yet.
    NotYetSent,
    /// Every valid row, also those already sent: only on the person's explicit choice.
    AllAgain,
    /// These rows (refused or not processed before).
    Only(Vec<usize>),
}

/// Why an upload sends nothing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Unsent {
    /// The rows are not checked (or no file is kept).
    NotChecked,
    /// Rows still have errors, and the person asked to send none while they do.
    Errors(usize),
    /// Another file came while the rows were gathered.
    FileChanged,
}

/// Rows looked at between two looks at the clock while gathering.
const GATHER_ROWS: usize = 20_000;

/// An upload, ready to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Gathered {
    /// Its id, to ask for its jobs' files.
    pub id: u64,
    /// The rows it sends.
    pub rows: usize,
    /// Its jobs.
    pub jobs: usize,
}

/// Starts an upload: takes the edits as they are now, gathers the rows `sending` asks for
/// among the valid ones, a slice at a time, and splits them into jobs of `job_rows` rows.
pub(crate) async fn gather(
    sending: Sending,
    block_on_errors: bool,
    columns: UploadColumns,
    job_rows: usize,
    pace: &mut Slices,
) -> Result<Gathered, Unsent> {
    let started = with(|k| {
        let held = k.held.as_ref()?;
        let report = held.report.as_ref()?;
        Some((
            held.file.clone(),
            Rc::new(held.edits.clone()),
            report.validity(),
            report.error_rows(),
        ))
    });
    let Some((file, edits, validity, errors)) = started else {
        return Err(Unsent::NotChecked);
    };
    if !matches!(sending, Sending::Only(_)) && block_on_errors && errors > 0 {
        return Err(Unsent::Errors(errors));
    }
    let at_upload = Rows {
        table: &file.table,
        edits: &edits,
        report: None,
    };
    let still_this_file = || with(|k| k.held.as_ref().is_some_and(|h| h.file == file));
    let mut rows = Vec::new();
    let mut start = 0;
    while start < validity.len() {
        while start < validity.len() && !pace.used_up() {
            let end = (start + GATHER_ROWS).min(validity.len());
            let valid = at_upload.sendable_between(&validity, start..end);
            match &sending {
                Sending::Only(wanted) => rows.extend(
                    valid
                        .into_iter()
                        .filter(|v| wanted.binary_search(&v.index()).is_ok()),
                ),
                Sending::NotYetSent => with(|k| {
                    if let Some(h) = &k.held {
                        rows.extend(valid.into_iter().filter(|v| !h.ledger.was_sent(v.index())))
                    }
                }),
                Sending::AllAgain => rows.extend(valid),
            }
            start = end;
        }
        pace.breathe().await;
        if !still_this_file() {
            return Err(Unsent::FileChanged);
        }
    }
    if !still_this_file() {
        return Err(Unsent::FileChanged);
    }
    let mut sent: Vec<u32> = rows.iter().map(|v| v.index() as u32).collect();
    sent.sort_unstable();
    let jobs = bulk_core::submit::split(&rows, job_rows);
    let gathered = Gathered {
        id: 0,
        rows: rows.len(),
        jobs: jobs.len(),
    };
    let id = with(|k| {
        k.next_run += 1;
        let id = k.next_run;
        if let Some(h) = &mut k.held {
            h.runs.push(Run {
                id,
                file: (!rows.is_empty()).then(|| file.clone()),
                edits,
                sent,
                columns,
                jobs,
            });
        }
        id
    });
    Ok(Gathered { id, ..gathered })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulk_core::ingest::{Overrides, from_text};
    use bulk_core::mapping::suggest;
    use bulk_core::metadata::{Field, FieldType};

    fn object() -> ObjectMetadata {
        ObjectMetadata {
            fields: vec![
                Field::new("email", FieldType::String),
                Field::new("site", FieldType::String),
            ],
        }
    }

    fn keeper(text: &str) -> (Keeper, Mapping) {
        let ingested = from_text(text, &Overrides::default()).expect("a table");
        let map = suggest(ingested.table.headers(), &object());
        let mut k = Keeper::default();
        k.take(ingested);
        (k, map)
    }

    fn checked(k: &mut Keeper) -> Checked {
        match k.answer(Request::Checked) {
            Answer::Checked(Some(c)) => c,
            other => panic!("not checked: {other:?}"),
        }
    }

    #[test]
    fn without_a_file_every_question_gets_nothing() {
        let mut k = Keeper::default();
        assert_eq!(k.answer(Request::Checked), Answer::Nothing);
        assert_eq!(k.answer(Request::Edit(Edit::Undo)), Answer::Nothing);
        assert_eq!(k.answer(Request::JobFile(1, 0)), Answer::Nothing);
        assert!(!k.check_now(&object(), &Mapping::default()));
    }

    #[test]
    fn edits_are_checked_again_and_counted() {
        let (mut k, map) = keeper("email,site\na@x.io,www.a.example\nbad,https://b.example\n");
        assert_eq!(k.answer(Request::Checked), Answer::Checked(None));
        assert!(k.check_now(&object(), &map));
        assert_eq!(checked(&mut k).error_rows, 1);
        let set = Edit::Set(vec![(1, 0, "b@x.io".into())]);
        let Answer::Edited(state) = k.answer(Request::Edit(set)) else {
            panic!("an edit gets its state");
        };
        assert_eq!(
            (state.changed, state.can_undo, state.can_redo),
            (1, true, false)
        );
        assert_eq!(
            checked(&mut k).error_rows,
            0,
            "the edited cell is checked again"
        );
        let Answer::Edited(state) = k.answer(Request::Edit(Edit::Undo)) else {
            panic!("an undo gets its state");
        };
        assert!(!state.can_undo && state.can_redo);
        assert_eq!(checked(&mut k).error_rows, 1);
        // Replace all says how many cells it changed, and the rows show them.
        let replace = Edit::ReplaceAll(0, "x.io".into(), "y.io".into());
        let Answer::Edited(state) = k.answer(Request::Edit(replace)) else {
            panic!("replace all gets its state");
        };
        assert_eq!(state.changed, 1);
        let Answer::Shown(rows) = k.answer(Request::Shown(vec![0], None)) else {
            panic!("rows are shown");
        };
        assert_eq!(rows[0].cells[0].text, "a@y.io");
        assert!(rows[0].cells[0].edited);
    }

    #[test]
    fn a_new_file_starts_afresh_and_a_check_of_the_old_one_is_void() {
        let (mut k, map) = keeper("email,site\nbad,x\n");
        assert!(k.check_now(&object(), &map));
        let _ = k.answer(Request::Edit(Edit::Delete(vec![0])));
        let before = k.checks;
        k.take(
            from_text("email,site\na@x.io,y\nb@x.io,z\n", &Overrides::default()).expect("a table"),
        );
        assert!(
            k.checks > before,
            "a check under way stops at its next slice"
        );
        assert_eq!(k.rows(), 2);
        assert_eq!(k.answer(Request::Checked), Answer::Checked(None));
        assert_eq!(
            k.answer(Request::RowsFor(Filter::All)),
            Answer::Rows(RowList::All(2)),
            "the old file's deleted row is not this file's"
        );
        k.clear();
        assert!(k.held.is_none());
        assert_eq!(k.answer(Request::Standing), Answer::Nothing);
    }

    #[test]
    fn a_check_planned_as_the_file_is_read_is_kept_and_not_made_again() {
        let text = "email,site\nbad,x\na@x.io,y\n";
        let header = vec!["email".to_string(), "site".to_string()];
        let (mut k, map) = keeper(text);
        let read = k.start_reading();
        k.plan_as_read(read, header.clone(), object(), map.clone());
        let plan = k.plan_for(read).expect("planned for this read");
        assert!(k.plan_for(read + 1).is_none(), "for its read only");
        // A plan that comes after another read started is for the read before: dropped.
        let next = k.start_reading();
        k.plan_as_read(read, header.clone(), object(), map.clone());
        assert!(k.plan_for(next).is_none() && k.plan_for(read).is_none());
        // The report of the rows as read comes with them.
        let file = from_text(text, &Overrides::default()).expect("a table");
        let options = Options::for_object(&object(), &file.dialect);
        let report = bulk_core::validate::validate(
            &View::new(&file.table, &Edits::default()),
            &map,
            &object(),
            &options,
        );
        k.take_checked(file, Some((report.clone(), plan.clone())));
        assert_eq!(checked(&mut k).error_rows, 1);
        // The page's check of the same object and mapping is answered from it...
        let checks = k.checks;
        assert!(k.check_now(&object(), &map));
        assert_eq!(k.checks, checks, "not checked again");
        // ...and of another mapping, made again.
        let mut other = map.clone();
        other.set(1, None);
        assert!(k.check_now(&object(), &other));
        assert!(k.checks > checks);
        // A plan overtaken by another check (Stop, another object) is not used.
        let read = k.start_reading();
        k.plan_as_read(read, header, object(), map.clone());
        let plan = k.plan_for(read).expect("planned");
        k.stop_check();
        assert!(k.plan_for(read).is_none());
        let file = from_text(text, &Overrides::default()).expect("a table");
        k.take_checked(file, Some((report, plan)));
        assert_eq!(k.answer(Request::Checked), Answer::Checked(None));
    }

    #[test]
    fn the_results_read_rows_as_they_were_sent() {
        let (mut k, map) = keeper("email,site\na@x.io,y\n");
        assert!(k.check_now(&object(), &map));
        // An upload took the rows with no edit; the row was edited after.
        let held = k.held.as_mut().expect("held");
        held.runs.push(Run {
            id: 7,
            file: Some(held.file.clone()),
            edits: Rc::new(Edits::default()),
            sent: vec![0],
            columns: UploadColumns::new(&map, &object(), false),
            jobs: vec![Vec::new()],
        });
        let _ = k.answer(Request::Edit(Edit::Set(vec![(0, 0, "c@x.io".into())])));
        let Answer::JobFile(Ok(job)) = k.answer(Request::JobFile(7, 0)) else {
            panic!("the upload's rows are written");
        };
        assert!(job.rows.is_empty());
        let Answer::Bytes(Some(Ok(csv))) = k.answer(Request::ResultsCsv) else {
            panic!("the results are written");
        };
        let csv = String::from_utf8_lossy(&csv.0);
        assert!(csv.contains("a@x.io") && !csv.contains("c@x.io"), "{csv}");
        // Once its jobs are sent, the upload lets go of the rows.
        assert_eq!(k.answer(Request::RunEnded(7)), Answer::Done);
        assert_eq!(k.answer(Request::JobFile(7, 0)), Answer::Nothing);
    }

    /// Every message travels as JSON between the page and the worker: each comes back
    /// equal (map keys that are numbers or job ids, encodings by name, shared lists).
    fn round_trip<T>(value: &T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).expect("written");
        let back: T = serde_json::from_str(&json).expect("read back");
        // Shared lists compare by identity: the JSON written again is the test for them.
        if &back != value {
            let again = serde_json::to_string(&back).expect("written again");
            assert_eq!(again, json);
        }
    }

    #[test]
    fn messages_survive_the_trip_as_json() {
        let text = "email,site\na@x.io, www.a.example\nbad,x\n";
        let ingested = from_text(text, &Overrides::default()).expect("a table");
        round_trip(&crate::model::ReadAs::of(&ingested));
        round_trip(&crate::file_facts::FileFacts::of(&ingested.table));
        let (mut k, map) = keeper(text);
        assert!(k.check_now(&object(), &map));
        let mut ledger = Ledger::default();
        let job = bulk_core::JobId::new("42");
        ledger.sent(&job, vec![0, 1], None);
        let part = ledger.part(std::slice::from_ref(&job), &[0, 1]);
        round_trip(&Request::Ledger(part.clone()));
        let _ = k.answer(Request::Ledger(part));
        let Answer::Standing(Some(standing)) = k.answer(Request::Standing) else {
            panic!("standing");
        };
        assert_eq!(
            standing.sent_valid, 1,
            "the keeper's copy of the ledger has the job"
        );
        for request in [
            Request::Shown(vec![0, 1], None),
            Request::RowsFor(Filter::Problems),
            Request::RowsFor(Filter::Kind(ProblemKind::Whitespace, Some("site".into()))),
            Request::Checked,
            Request::Standing,
            Request::RowsCsv(export::Rows::WithProblems),
            Request::NextProblem(Some(0)),
        ] {
            round_trip(&request);
            let answer = k.answer(request);
            assert!(!matches!(answer, Answer::Nothing));
            round_trip(&answer);
        }
        round_trip(&Request::Edit(Edit::ReplaceAll(1, "a".into(), "b".into())));
        round_trip(&Answer::JobFile(Err("why".into())));
        round_trip(&Unsent::Errors(3));
        round_trip(&Sending::Only(vec![1, 2]));
        round_trip(&object());
        round_trip(&map);
        let o = Overrides {
            encoding: Some(bulk_core::Encoding::for_label(b"windows-1252").expect("known")),
            ..Overrides::default()
        };
        round_trip(&o);
    }
}
