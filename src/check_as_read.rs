//! Checking a file's rows while the file is still being read, in the keeper of the rows.
//! Reading a big file and then checking it one after the other left the check waiting for
//! the read; this runs the check on each piece's rows as soon as they are read.
//!
//! The page maps the columns, not the keeper (the mapping may be one the person saved on
//! this device). So, once the header is read, the read tells the page the header (a
//! [`Progress`] with `header`); the page answers with its [`Plan`] for that header
//! ([`crate::keeper_work::Work::CheckAsRead`]); from the next piece on, each piece's rows
//! are checked as they arrive ([`Checking::early`]). When the file is read, the check is
//! finished over the whole table, and the keeper keeps its report with the rows. The
//! page's own check of the same object and mapping is then answered at once.
//!
//! The report is the same as a check after the read (a bulk-core test compares them). A
//! plan that comes too late, for another header, or after another check was asked for is
//! not used: the page's check after the read then runs as before.
//!
//! What it saves depends on the disk. Where reading waits on it (a network drive), the
//! check is done in those waits. A file the system has cached leaves the worker busy all
//! through the read, parsing; there the check still has to take its own time, and this
//! saves only the moment between the read and the check (measured at 100 MB on a 2-core
//! machine: no difference beyond the noise).

use crate::browser;
use crate::loading::{PROGRESS_MS, Progress, Slices};
use crate::shared::Shared;
use bulk_core::edits::{Edits, View};
use bulk_core::ingest::Ingested;
use bulk_core::mapping::Mapping;
use bulk_core::metadata::ObjectMetadata;
use bulk_core::reading::StreamReader;
use bulk_core::validate::{Checking, Options, Report};

/// The page's plan for checking the rows of the read under way.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The read it is for, and the check it is (the keeper's counts).
    pub read: u64,
    pub check: u64,
    /// The header it was made for.
    pub header: Vec<String>,
    pub metadata: Shared<ObjectMetadata>,
    pub mapping: Mapping,
}

/// Rows checked at most after one piece of the file (a piece holds about 500 rows; more
/// after a plan that came late, caught up a step at a time).
const ROWS_A_STEP: usize = 4_000;
/// Rows checked between looks at the clock, when the file is read.
const FINISH_ROWS: usize = 2_000;

/// The check of one read as it goes.
pub(crate) struct AsRead {
    /// The read (the keeper's count); 0 for a read no plan can be for (the warm-up's, or
    /// one whose plan did not fit its header).
    read: u64,
    /// The plan, when it comes with the read rather than from the page (the warm-up's).
    given: Option<Plan>,
    told: bool,
    checking: Option<(Checking, Plan)>,
    none: Edits,
}

impl AsRead {
    /// The check of read `read` (see [`crate::keeper::Keeper::start_reading`]).
    pub(crate) fn new(read: u64) -> AsRead {
        AsRead {
            read,
            given: None,
            told: false,
            checking: None,
            none: Edits::default(),
        }
    }

    /// A read checked as it goes by `plan`, without the page (the warm-up's).
    pub(crate) fn planned(plan: Plan) -> AsRead {
        AsRead {
            given: Some(plan),
            ..AsRead::new(0)
        }
    }

    /// The reader starts the file again (in another encoding): what was checked is of the
    /// rows it read before.
    pub(crate) fn restart(&mut self) {
        self.checking = None;
    }

    /// After a piece of the file: tells the page the header once it is read, and checks
    /// the rows that have arrived since the last step, once the page's plan is here.
    pub(crate) fn step(&mut self, reader: &StreamReader, progress: &mut dyn FnMut(Progress)) {
        if self.read == 0 && self.given.is_none() {
            return;
        }
        if self.checking.is_none() {
            if !self.told
                && self.read != 0
                && let Some((header, _)) = reader.header_so_far()
            {
                self.told = true;
                progress(Progress {
                    header: Some((self.read, header)),
                    ..Progress::unknown(String::new())
                });
            }
            self.begin(reader);
        }
        if let (Some((checking, _)), Some(table)) = (&mut self.checking, reader.rows_so_far()) {
            checking.early(&View::new(table, &self.none), ROWS_A_STEP);
        }
    }

    /// Starts the check when the page's plan for this read and its header is here.
    fn begin(&mut self, reader: &StreamReader) {
        let read = self.read;
        let plan = match &self.given {
            Some(plan) => Some(plan.clone()),
            None => crate::keeper::with(|k| k.plan_for(read)),
        };
        let Some(plan) = plan else {
            return;
        };
        let Some((header, dialect)) = reader.header_so_far() else {
            return;
        };
        if header != plan.header || plan.mapping.columns.len() != header.len() {
            // Not for this file's header: this read is checked after it, as before.
            self.read = 0;
            self.given = None;
            return;
        }
        let options = Options::for_object(&plan.metadata, &dialect);
        let rows = reader.rows_expected();
        let checking = Checking::new(&header, rows, &plan.mapping, &plan.metadata, &options);
        self.checking = Some((checking, plan));
    }

    /// The file is read: finishes the check over its rows, a slice at a time, saying how
    /// far it is when that takes a while (many rows with problems, each checked in full
    /// now); the report and the plan it followed, or `None` when no check was planned in
    /// time (or it no longer fits the file read), or when the read stopped being `wanted`
    /// meanwhile (Stop, another file).
    pub(crate) async fn finish(
        self,
        file: &Ingested,
        progress: &mut dyn FnMut(Progress),
        wanted: &dyn Fn() -> bool,
    ) -> Option<(Report, Plan)> {
        let (mut checking, plan) = self.checking?;
        if checking.headers() != file.table.headers() {
            return None;
        }
        let view = View::new(&file.table, &self.none);
        let rows = view.len();
        let total = checking.left(rows);
        let started = browser::now_ms();
        let mut shown = started;
        let mut pace = Slices::paced();
        loop {
            while !pace.used_up() {
                if checking.run(&view, FINISH_ROWS) {
                    return Some((checking.finish(), plan));
                }
            }
            let now = browser::now_ms();
            if now - started > PROGRESS_MS && now - shown > PROGRESS_MS {
                progress(Progress {
                    label: "Finishing the check".into(),
                    done: (total - checking.left(rows)) as f64,
                    total: total as f64,
                    bytes: false,
                    rows,
                    header: None,
                });
                shown = now;
            }
            pace.breathe().await;
            if !wanted() {
                return None;
            }
        }
    }
}
