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

use crate::loading::{self, Tickets};
use crate::shared::Seen;
use crate::steps::{Reached, StepId, Steps};
use crate::storage;
use bulk_core::edits::View;
use bulk_core::mapping::{self, Mapping};
use bulk_core::validate::{Options, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Files with at most this many rows are checked at once, without a progress bar.
const CHECK_AT_ONCE: usize = 20_000;

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
            let headers = &f.facts.headers;
            let remembered = flow
                .memory_key()
                .and_then(|k| storage::get(&k))
                .and_then(|j| Mapping::from_memory(&j, headers, &m));
            review.mapping_remembered.set(remembered.is_some());
            review
                .mapping
                .set(remembered.unwrap_or_else(|| mapping::suggest(headers, &m)));
        });
        Effect::new(move |_| flow.check());
        // What the check found is asked again whenever the report changes, and where the
        // rows stand whenever the rows, the check or the ledger change; only the latest
        // answers are kept, and an answer like the one before changes nothing.
        let counted = Tickets::new();
        Effect::new(move |_| {
            review.report.track();
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

    /// Validates the rows against the object under the mapping (at once for small files,
    /// in slices for big ones).
    pub(crate) fn check(self) {
        let (review, reading) = (self.review, self.reading);
        let (Some(f), Some(m)) = (reading.file.get(), self.connection.metadata.get()) else {
            review.report.set(None);
            return;
        };
        let map = review.mapping.get();
        let ticket = review.checks.issue();
        if map.columns.len() != f.facts.headers.len() {
            return;
        }
        let edits = review.edits.get_untracked();
        if f.ingested.table.len() <= CHECK_AT_ONCE {
            let options = Options::for_object(&m, &f.ingested.dialect);
            let view = View::new(&f.ingested.table, &edits);
            review.report.set(Some(validate(&view, &map, &m, &options)));
            return;
        }
        review.report.set(None);
        spawn_local(async move {
            if let Some(r) =
                loading::validate(f, m, map, edits, reading.progress, review.checks, ticket).await
            {
                reading.progress.set(None);
                review.report.set(Some(r));
            }
        });
    }
}

impl Default for Flow {
    fn default() -> Self {
        Flow::new()
    }
}
