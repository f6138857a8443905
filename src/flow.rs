//! One import, split by step: [`Connection`] (where the rows go), [`Reading`] (the rows
//! read), [`Review`] (columns, edits, checks, totals) and [`Upload`] (jobs and what they
//! did), each a small `Copy` struct of signals, plus the step on screen ([`Steps`]). The
//! effects that keep them in step with each other live here: a mapping is suggested (or
//! remembered) for each file, and the rows are checked (in slices for big files) whenever
//! file, object, mapping or edits change. Actions that cross steps are methods of [`Flow`]
//! in [`crate::reading`], [`crate::editing`] and [`crate::uploading`]; components take the
//! steps they show and decide nothing themselves.

pub mod connection;
pub mod reading;
pub mod review;
pub mod upload;

pub use connection::Connection;
pub use reading::{Reading, Source};
pub use review::Review;
pub use upload::Upload;

use crate::keeper_link;
use crate::keeper_work::{Done, Given, Work};
use crate::loading::{self, Tickets};
use crate::shared::Seen;
use crate::steps::{Reached, StepId, Steps};
use crate::storage;
use bulk_core::mapping::{self, Mapping};
use bulk_core::metadata::ObjectMetadata;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The whole import. Cheap to copy into closures; also provided as context.
#[derive(Clone, Copy)]
pub struct Flow {
    /// Where the rows go.
    pub connection: Connection,
    /// The rows read.
    pub reading: Reading,
    /// The rows as they will be sent.
    pub review: Review,
    /// The jobs.
    pub upload: Upload,
    /// The step on screen.
    pub steps: Steps,
}

impl Flow {
    /// A fresh import, with the effects that keep mapping, validation and step current.
    pub fn new() -> Flow {
        let (connection, reading, upload) = (Connection::new(), Reading::new(), Upload::new());
        let review = Review::new();
        let steps = Steps::new(Signal::derive(move || Reached {
            connected: connection.conn.with(Option::is_some),
            rows_and_fields: reading.file.with(Option::is_some)
                && connection.metadata.with(Option::is_some),
            jobs: upload.jobs.with(|j| !j.is_empty()) || upload.history.with(|h| !h.is_empty()),
        }));
        let flow = Flow {
            connection,
            reading,
            review,
            upload,
            steps,
        };
        Effect::new(move |_| {
            let (Some(f), Some(m)) = (reading.file.get(), connection.metadata.get()) else {
                return;
            };
            let (map, remembered) = flow.mapping_for(&f.facts.headers, &m);
            review.mapping_remembered.set(remembered);
            review.mapping.set(map);
        });
        Effect::new(move |_| flow.check());
        // The person's word that a file's earlier uploads were checked is for that file only.
        Effect::new(move |_| {
            reading.file.track();
            upload.acknowledged.set(false);
        });
        // What the check found is asked again whenever the report changes, and where the
        // rows stand whenever the rows, the check or the ledger change; only the latest
        // answers are kept, and an answer like the one before changes nothing.
        let counted = Tickets::new();
        Effect::new(move |_| {
            flow.track_rows();
            counted.latest(flow.fetch_checked(), move |checked| {
                if review.checked.with_untracked(|c| *c != checked) {
                    review.checked.set(checked);
                }
            });
        });
        let placed = Tickets::new();
        Effect::new(move |_| {
            flow.track_rows();
            flow.upload.ledger.track();
            placed.latest(flow.fetch_standing(), move |standing| {
                if review.standing.with_untracked(|s| *s != standing) {
                    review.standing.set(standing);
                }
            });
        });
        // A file just read on the File step moves the person on to its columns, as soon as
        // the object's fields are known too (they may arrive after the rows). A file read
        // again with other options (on the Columns step) moves nobody.
        // The file last seen, by identity only: holding the file itself here kept a big
        // table alive while the next file was read, twice its memory at the peak.
        let seen = StoredValue::new_local(None::<Seen<crate::model::LoadedFile>>);
        let pending = StoredValue::new(false);
        Effect::new(move |_| {
            let now = reading.file.get();
            let fields = connection.metadata.with(Option::is_some);
            if let Some(file) = &now
                && !seen.with_value(|s| s.as_ref().is_some_and(|s| s.is(file)))
            {
                seen.set_value(Some(file.seen()));
                pending.set_value(steps.current.get_untracked() == StepId::File);
            }
            if pending.get_value() && fields && now.is_some() {
                pending.set_value(false);
                if steps.current.get_untracked() == StepId::File {
                    steps.go(StepId::Columns);
                }
            }
        });
        flow
    }

    /// The mapping of a file with `headers` to the object `m` describes: the one the person
    /// saved on this device for them (true), or the one suggested.
    pub(crate) fn mapping_for(self, headers: &[String], m: &ObjectMetadata) -> (Mapping, bool) {
        let remembered = self
            .memory_key_for(headers)
            .and_then(|k| storage::get(&k))
            .and_then(|j| Mapping::from_memory(&j, headers, m));
        let remembered_too = remembered.is_some();
        (
            remembered.unwrap_or_else(|| mapping::suggest(headers, m)),
            remembered_too,
        )
    }

    /// The file being read (the keeper's read `read`) has this header: the keeper may check
    /// its rows as they arrive, under the mapping they will have ([`crate::check_as_read`]),
    /// when the object's fields are known.
    pub(crate) fn check_as_read(self, read: u64, header: Vec<String>) {
        let Some(m) = self.connection.metadata.get_untracked() else {
            return;
        };
        let (map, _) = self.mapping_for(&header, &m);
        let work = Work::CheckAsRead(read, header, (*m).clone(), map);
        spawn_local(async move {
            keeper_link::send(work, Given::default(), |_| {}).await;
        });
    }

    /// Has the keeper check the rows against the object under the mapping (at once for
    /// small files, in slices with a progress bar for big ones).
    pub(crate) fn check(self) {
        let (review, reading) = (self.review, self.reading);
        let (Some(f), Some(m)) = (reading.file.get(), self.connection.metadata.get()) else {
            review.checks.issue();
            spawn_local(async move {
                keeper_link::send(Work::StopCheck, Given::default(), |_| {}).await;
            });
            return;
        };
        let map = review.mapping.get();
        let ticket = review.checks.issue();
        if map.columns.len() != f.facts.headers.len() {
            spawn_local(async move {
                keeper_link::send(Work::StopCheck, Given::default(), |_| {}).await;
            });
            return;
        }
        spawn_local(async move {
            // The report goes as the check starts: the counts say "not checked" meanwhile.
            review.rows_changed();
            let mut shown = None::<f64>;
            let showed = std::rc::Rc::new(std::cell::Cell::new(false));
            let showing = showed.clone();
            let progress = move |p: loading::Progress| {
                // The first slice says what is happening; later ones only now and then.
                let now = crate::browser::now_ms();
                if review.checks.valid(ticket)
                    && shown.is_none_or(|at| now - at > loading::PROGRESS_MS)
                {
                    reading.progress.set(Some(p));
                    showing.set(true);
                    shown = Some(now);
                }
            };
            let work = Work::Check((*m).clone(), map);
            let done = keeper_link::send(work, Given::default(), progress).await;
            if review.checks.valid(ticket) {
                if showed.get() {
                    reading.progress.set(None);
                }
                if done == Done::Checked(true) {
                    review.rows_changed();
                }
            }
        });
    }
}

impl Default for Flow {
    fn default() -> Self {
        Flow::new()
    }
}
