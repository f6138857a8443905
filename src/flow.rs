//! The state of one upload flow and the actions that move it: connecting, choosing an
//! object (its live metadata is fetched), reading a file, pasted text or a workbook sheet
//! (re-read whenever a reading option changes), suggesting a mapping, validating in slices
//! whenever file, object or mapping change, and submitting. Components read these signals
//! and call these actions; they decide nothing themselves.

use crate::browser;
use crate::connection::Connected;
use crate::jobs::JobView;
use crate::loading::{self, Progress, ReadError, Tickets};
use crate::model::LoadedFile;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use crate::storage;
use crate::transport;
use crate::uploading::{JOB_LOG_KEY, UploadSettings};
use bulk_core::api;
use bulk_core::edits::{Edits, Touched, View};
use bulk_core::export;
use bulk_core::ingest::{Ingested, Overrides};
use bulk_core::joblog::JobLog;
use bulk_core::mapping::{self, Mapping};
use bulk_core::metadata::ObjectMetadata;
use bulk_core::outcome::Ledger;
use bulk_core::validate::{Options, Report, validate};
use bulk_core::workbook::{self, Workbook};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Files with at most this many rows are checked at once, without a progress bar.
const CHECK_AT_ONCE: usize = 20_000;

/// Where the rows came from, kept so they can be read again with other options.
pub enum Source {
    /// A file the person chose.
    File(web_sys::File),
    /// Text the person pasted.
    Text(String),
    /// A workbook (already open).
    Workbook {
        /// The file name.
        name: String,
        /// Its size in bytes.
        size: usize,
        /// The open workbook (boxed: it is large beside the other kinds).
        book: Box<Workbook>,
    },
}

/// Every signal of the flow. Cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Flow {
    /// The connection, once made.
    pub conn: RwSignal<Option<Connected>>,
    /// The chosen object.
    pub object: RwSignal<Option<String>>,
    /// Its live metadata.
    pub metadata: RwSignal<Option<Shared<ObjectMetadata>>>,
    /// A problem with the object.
    pub object_notice: RwSignal<Option<Notice>>,
    /// The rows read.
    pub file: RwSignal<Option<Shared<LoadedFile>>>,
    /// A problem with the file.
    pub file_notice: RwSignal<Option<Notice>>,
    /// Where the rows came from.
    pub source: StoredValue<Option<Source>, LocalStorage>,
    /// The reading options the person chose.
    pub overrides: RwSignal<Overrides>,
    /// The workbook's sheets.
    pub sheets: RwSignal<Vec<String>>,
    /// Columns to fields.
    pub mapping: RwSignal<Mapping>,
    /// The person's edits and deleted rows, with undo history.
    pub edits: RwSignal<Edits>,
    /// The validation of the rows (kept current as the person edits).
    pub report: RwSignal<Option<Report>>,
    /// Upload only when no row has an error (instead of skipping those rows).
    pub block_on_errors: RwSignal<bool>,
    /// The mapping came from browser storage.
    pub mapping_remembered: RwSignal<bool>,
    /// Progress of a long read or check.
    pub progress: RwSignal<Option<Progress>>,
    reads: Tickets,
    checks: Tickets,
    /// Submitted jobs, newest first.
    pub jobs: RwSignal<Vec<JobView>>,
    /// What became of each row that was sent.
    pub ledger: RwSignal<Ledger>,
    /// The upload options.
    pub settings: RwSignal<UploadSettings>,
    /// The jobs submitted from this browser (kept across reloads).
    pub joblog: RwSignal<JobLog>,
    /// A problem with submitting.
    pub upload_notice: RwSignal<Option<Notice>>,
    /// A submit is under way.
    pub uploading: RwSignal<bool>,
}

impl Flow {
    /// A fresh flow, with the effects that keep metadata, mapping and validation current.
    pub fn new() -> Flow {
        let flow = Flow {
            conn: RwSignal::new(None),
            object: RwSignal::new(None),
            metadata: RwSignal::new(None),
            object_notice: RwSignal::new(None),
            file: RwSignal::new(None),
            file_notice: RwSignal::new(None),
            source: StoredValue::new_local(None),
            overrides: RwSignal::new(Overrides::default()),
            sheets: RwSignal::new(Vec::new()),
            mapping: RwSignal::new(Mapping::default()),
            edits: RwSignal::new(Edits::default()),
            report: RwSignal::new(None),
            block_on_errors: RwSignal::new(false),
            mapping_remembered: RwSignal::new(false),
            progress: RwSignal::new(None),
            reads: Tickets::new(),
            checks: Tickets::new(),
            jobs: RwSignal::new(Vec::new()),
            ledger: RwSignal::new(Ledger::default()),
            settings: RwSignal::new(UploadSettings::default()),
            joblog: RwSignal::new(
                storage::get(JOB_LOG_KEY)
                    .map(|t| JobLog::from_json(&t))
                    .unwrap_or_default(),
            ),
            upload_notice: RwSignal::new(None),
            uploading: RwSignal::new(false),
        };
        Effect::new(move |_| flow.fetch_metadata());
        Effect::new(move |_| {
            let (Some(f), Some(m)) = (flow.file.get(), flow.metadata.get()) else {
                return;
            };
            let headers = f.ingested.table.headers();
            let remembered = flow
                .memory_key()
                .and_then(|k| storage::get(&k))
                .and_then(|j| Mapping::from_memory(&j, headers, &m));
            flow.mapping_remembered.set(remembered.is_some());
            flow.mapping
                .set(remembered.unwrap_or_else(|| mapping::suggest(headers, &m)));
        });
        Effect::new(move |_| flow.check());
        flow
    }

    fn fetch_metadata(self) {
        let (Some(c), Some(o)) = (self.conn.get(), self.object.get()) else {
            return;
        };
        self.metadata.set(None);
        self.object_notice.set(None);
        spawn_local(async move {
            let req = api::object_metadata(&c.base, &c.creds, &o);
            match transport::call(&req, api::parse_metadata).await {
                // Only if the person has not picked another object meanwhile.
                Ok(m) if self.object.get_untracked().as_deref() == Some(o.as_str()) => {
                    self.metadata.set(Some(Shared::new(m)))
                }
                Ok(_) => {}
                Err(e) => self.object_notice.set(Some(Notice::api(
                    &e,
                    &format!("reading the fields of {o}"),
                    Some(&c.base),
                ))),
            }
        });
    }

    /// Validates the rows against the object under the mapping (at once for small files,
    /// in slices for big ones).
    fn check(self) {
        let (Some(f), Some(m)) = (self.file.get(), self.metadata.get()) else {
            self.report.set(None);
            return;
        };
        let map = self.mapping.get();
        let ticket = self.checks.issue();
        if map.columns.len() != f.ingested.table.headers().len() {
            return;
        }
        let edits = self.edits.get_untracked();
        if f.ingested.table.len() <= CHECK_AT_ONCE {
            let options = Options::for_object(&m, &f.ingested.dialect);
            let view = View::new(&f.ingested.table, &edits);
            self.report.set(Some(validate(&view, &map, &m, &options)));
            return;
        }
        self.report.set(None);
        spawn_local(async move {
            if let Some(r) =
                loading::validate(f, m, map, edits, self.progress, self.checks, ticket).await
            {
                self.progress.set(None);
                self.report.set(Some(r));
            }
        });
    }

    /// Stops the current read or check.
    pub fn cancel(self) {
        self.reads.issue();
        self.checks.issue();
        if self.progress.get_untracked().is_some() {
            self.progress.set(None);
            self.file_notice.set(Some(Notice::new(
                Tone::Info,
                "Stopped. Choose the file again to read it.",
            )));
        }
    }

    /// A new file: reading options start from what is detected.
    pub fn take_file(self, file: web_sys::File) {
        self.file.set(None);
        self.overrides.set(Overrides::default());
        self.sheets.set(Vec::new());
        self.source.set_value(Some(Source::File(file)));
        self.read();
    }

    /// New pasted text.
    pub fn take_text(self, text: String) {
        self.file.set(None);
        self.overrides.set(Overrides::default());
        self.sheets.set(Vec::new());
        self.source.set_value(Some(Source::Text(text)));
        self.read();
    }

    /// Other reading options: read the same source again.
    pub fn reread(self, overrides: Overrides) {
        self.overrides.set(overrides);
        self.read();
    }

    /// Another sheet of the open workbook.
    pub fn choose_sheet(self, sheet: String) {
        self.overrides.set(Overrides::default());
        self.read_sheet(Some(sheet));
    }

    fn loaded(self, name: String, size: usize, ingested: Ingested) {
        self.file_notice.set(None);
        self.edits.set(Edits::default());
        // Outcomes belong to the rows of one file; a new file starts afresh.
        self.ledger.set(Ledger::default());
        let fingerprint = bulk_core::joblog::fingerprint(&ingested.table);
        self.file.set(Some(Shared::new(LoadedFile {
            name,
            size,
            ingested,
            fingerprint,
        })));
    }

    fn failed(self, name: &str, e: ReadError) {
        self.progress.set(None);
        match e {
            ReadError::Cancelled => {}
            ReadError::Unreadable(why) => {
                self.file_notice.set(Some(Notice::unreadable(name, &why)))
            }
            ReadError::Ingest(e) => {
                self.file.set(None);
                self.file_notice.set(Some(Notice::file(name, &e)));
            }
        }
    }

    fn read(self) {
        let ticket = self.reads.issue();
        self.checks.issue();
        let overrides = self.overrides.get_untracked();
        let text = self.source.with_value(|s| match s {
            Some(Source::Text(t)) => Some(t.clone()),
            _ => None,
        });
        if let Some(text) = text {
            match loading::read_pasted(&text, &overrides) {
                Ok(i) => self.loaded("Pasted text".into(), text.len(), i),
                Err(e) => self.failed("The pasted text", e),
            }
            return;
        }
        if self
            .source
            .with_value(|s| matches!(s, Some(Source::Workbook { .. })))
        {
            return self.read_sheet(None);
        }
        let Some(file) = self.source.with_value(|s| match s {
            Some(Source::File(f)) => Some(f.clone()),
            _ => None,
        }) else {
            return;
        };
        let name = file.name();
        self.progress.set(Some(Progress {
            label: format!("Reading {name}"),
            done: 0.0,
            total: file.size(),
            bytes: true,
            rows: 0,
        }));
        spawn_local(async move {
            let head = loading::head(&file).await.unwrap_or_default();
            if workbook::looks_like_workbook(&head) {
                match loading::open_workbook(&file, self.progress, self.reads, ticket).await {
                    Ok(book) => {
                        self.sheets.set(book.sheet_names().to_vec());
                        let size = file.size() as usize;
                        self.source.set_value(Some(Source::Workbook {
                            name: name.clone(),
                            size,
                            book: Box::new(book),
                        }));
                        self.read_sheet(None);
                    }
                    Err(e) => self.failed(&name, e),
                }
                return;
            }
            match loading::read_text_file(&file, overrides, self.progress, self.reads, ticket).await
            {
                Ok(i) => {
                    // Showing a big table is work of its own: not in the reading's last slice.
                    browser::yield_now().await;
                    self.progress.set(None);
                    self.loaded(name, file.size() as usize, i);
                }
                Err(e) => self.failed(&name, e),
            }
        });
    }

    /// Reads a sheet of the open workbook: the one named, the current one, or the first
    /// sheet that has rows.
    fn read_sheet(self, sheet: Option<String>) {
        let header = self.overrides.get_untracked().header_record;
        let current = self
            .file
            .get_untracked()
            .and_then(|f| f.ingested.sheet.clone());
        let result = self.source.try_update_value(|s| {
            let Some(Source::Workbook { name, size, book }) = s else {
                return None;
            };
            let names: Vec<String> = match sheet.clone().or(current) {
                Some(n) => vec![n],
                None => book.sheet_names().to_vec(),
            };
            let mut last = None;
            for n in names {
                match book.read_sheet(&n, header) {
                    Ok(i) => return Some((name.clone(), *size, Ok(i))),
                    Err(e) => last = Some(e),
                }
            }
            last.map(|e| (name.clone(), *size, Err(e)))
        });
        self.progress.set(None);
        match result.flatten() {
            Some((name, size, Ok(i))) => self.loaded(name, size, i),
            Some((name, _, Err(e))) => self.failed(&name, ReadError::Ingest(e)),
            None => {}
        }
    }
}

impl Flow {
    /// The storage key of the current file's mapping, once connected with an object.
    fn memory_key(self) -> Option<String> {
        let conn = self.conn.get_untracked()?;
        let object = self.object.get_untracked()?;
        let headers = self
            .file
            .with_untracked(|f| f.as_ref().map(|f| f.ingested.table.headers().to_vec()))?;
        Some(mapping::memory_key(&conn.base.origin(), &object, &headers))
    }

    /// The person changed a column's field: use it, and remember it for next time.
    pub fn map_column(self, column: usize, field: Option<String>) {
        self.mapping.update(|m| m.set(column, field));
        let headers = self
            .file
            .with_untracked(|f| f.as_ref().map(|f| f.ingested.table.headers().to_vec()))
            .unwrap_or_default();
        if let Some(key) = self.memory_key() {
            storage::set(
                &key,
                &self.mapping.with_untracked(|m| m.to_memory(&headers)),
            );
        }
    }

    /// Forgets the remembered mapping and goes back to the suggestions.
    pub fn forget_mapping(self) {
        if let Some(key) = self.memory_key() {
            storage::remove(&key);
        }
        let (Some(f), Some(m)) = (self.file.get_untracked(), self.metadata.get_untracked()) else {
            return;
        };
        self.mapping_remembered.set(false);
        self.mapping
            .set(mapping::suggest(f.ingested.table.headers(), &m));
    }

    /// Applies an edit to the rows and re-checks exactly what it touched.
    fn change(self, edit: impl FnOnce(&mut Edits, &bulk_core::table::Table) -> Option<Touched>) {
        if self.progress.get_untracked().is_some() {
            return; // a full check is running; it would not see the change
        }
        let Some(f) = self.file.get_untracked() else {
            return;
        };
        let table = &f.ingested.table;
        let mut touched = None;
        self.edits.update(|e| touched = edit(e, table));
        let Some(touched) = touched.filter(|t| !t.is_empty()) else {
            return;
        };
        self.edits.with_untracked(|e| {
            let view = View::new(table, e);
            self.report.update(|r| {
                if let Some(r) = r {
                    r.apply(&view, &touched);
                }
            });
        });
    }

    /// Sets cells (row, column, new text) as one undoable step.
    pub fn edit_cells(self, cells: Vec<(usize, usize, String)>) {
        self.change(|e, t| Some(e.set(t, &cells)));
    }

    /// Deletes rows as one undoable step.
    pub fn delete_rows(self, rows: Vec<usize>) {
        self.change(|e, _| Some(e.delete(&rows)));
    }

    /// Undoes the last edit.
    pub fn undo(self) {
        self.change(|e, t| e.undo(t));
    }

    /// Redoes the last undone edit.
    pub fn redo(self) {
        self.change(|e, t| e.redo(t));
    }

    /// Downloads the rows (all, or those with problems) with their messages, as safe CSV.
    pub fn download(self, rows: export::Rows) {
        let Some(f) = self.file.get_untracked() else {
            return;
        };
        let result = self.edits.with_untracked(|e| {
            self.report.with_untracked(|r| {
                let r = r.as_ref()?;
                Some(export::rows_csv(
                    &View::new(&f.ingested.table, e),
                    r,
                    rows,
                    None,
                ))
            })
        });
        let stem = f.stem();
        let name = match rows {
            export::Rows::All => format!("{stem}-all-rows.csv"),
            export::Rows::WithProblems => format!("{stem}-rows-with-problems.csv"),
        };
        match result {
            Some(Ok(bytes)) => {
                if let Err(e) = browser::download(&name, "text/csv;charset=utf-8", &bytes) {
                    self.file_notice.set(Some(Notice::new(
                        Tone::Error,
                        format!("The download did not start: {e}"),
                    )));
                }
            }
            Some(Err(e)) => self.file_notice.set(Some(Notice::new(
                Tone::Error,
                format!("The download could not be written: {e}"),
            ))),
            None => {}
        }
    }
}

impl Default for Flow {
    fn default() -> Self {
        Flow::new()
    }
}
