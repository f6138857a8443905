//! The state of one upload flow and what keeps it current: the object's live metadata is
//! fetched when the object changes, a mapping is suggested (or remembered) for each file,
//! and the rows are checked (in slices for big files) whenever file, object, mapping or
//! edits change. The actions live beside it: [`crate::reading`] (files, text, sheets),
//! [`crate::editing`] (mapping, edits, downloads), [`crate::uploading`] (jobs). Components
//! read these signals and call these actions; they decide nothing themselves.

use crate::connection::Connected;
use crate::jobs::JobView;
use crate::loading::{self, Progress, Tickets};
use crate::model::LoadedFile;
use crate::notice::Notice;
use crate::shared::Shared;
use crate::storage;
use crate::transport;
use crate::uploading::{JOB_LOG_KEY, UploadSettings};
use bulk_core::api;
use bulk_core::edits::{Edits, View};
use bulk_core::fate::FileTotals;
use bulk_core::ingest::Overrides;
use bulk_core::joblog::JobLog;
use bulk_core::mapping::{self, Mapping};
use bulk_core::metadata::ObjectMetadata;
use bulk_core::outcome::Ledger;
use bulk_core::validate::{Options, Report, validate};
use bulk_core::workbook::Workbook;
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
    pub(crate) reads: Tickets,
    pub(crate) checks: Tickets,
    /// The current file's jobs, newest first.
    pub jobs: RwSignal<Vec<JobView>>,
    /// Jobs of the files chosen before it in this session, newest first (still followed).
    pub history: RwSignal<Vec<JobView>>,
    /// What became of each row that was sent.
    pub ledger: RwSignal<Ledger>,
    /// Where every row of the file stands, counted once for every reader (the totals line,
    /// the footer): a walk over all rows, redone only when the report, the edits or the
    /// ledger change.
    pub totals: Memo<Option<FileTotals>>,
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
        let (report, edits, ledger) = (
            RwSignal::new(None::<Report>),
            RwSignal::new(Edits::default()),
            RwSignal::new(Ledger::default()),
        );
        let totals = Memo::new(move |_| {
            report.with(|r| {
                let r = r.as_ref()?;
                Some(edits.with(|e| {
                    ledger.with(|l| {
                        FileTotals::of(
                            r.rows(),
                            l,
                            |row| e.is_deleted(row),
                            |row| r.row_severity(row),
                        )
                    })
                }))
            })
        });
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
            edits,
            report,
            block_on_errors: RwSignal::new(false),
            mapping_remembered: RwSignal::new(false),
            progress: RwSignal::new(None),
            reads: Tickets::new(),
            checks: Tickets::new(),
            jobs: RwSignal::new(Vec::new()),
            history: RwSignal::new(Vec::new()),
            ledger,
            totals,
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
    pub(crate) fn check(self) {
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
}

impl Flow {
    /// The ids of every job this session follows, the earlier files' included.
    pub fn all_job_ids(self) -> Vec<bulk_core::JobId> {
        let ids = |j: &Vec<JobView>| j.iter().map(|j| j.id.clone()).collect::<Vec<_>>();
        let mut all = self.jobs.with_untracked(ids);
        all.extend(self.history.with_untracked(ids));
        all
    }
}

impl Default for Flow {
    fn default() -> Self {
        Flow::new()
    }
}
