//! Uploading the checked rows: the valid rows are split into jobs (10,000 rows each unless
//! the person says otherwise) and submitted two at a time; what is sent is exactly what is
//! not yet sent, unless the person explicitly asks to send again; the rows that failed can
//! be sent again after fixing. Each job is then followed by [`crate::following`].

use crate::connection::Connected;
use crate::flow::Flow;
use crate::jobs::{self, JobView, SubmitFailed, Submitted};
use crate::model::LoadedFile;
use crate::notice::{Notice, Tone};
use crate::rows::{JobFile, Rows};
use crate::shared::Shared;
use crate::submitting::Refused;
use bulk_core::JobState;
use bulk_core::api::JobOptions;
use bulk_core::edits::Edits;
use bulk_core::submit::{self, CONCURRENCY};
use bulk_core::upload::UploadColumns;
use bulk_core::validate::{ValidRow, Validity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

pub use crate::upload_settings::{JOB_LOG_KEY, UploadSettings};

/// Rows looked at between two looks at the clock.
const SLICE_ROWS: usize = 20_000;

/// Which rows an upload sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sending {
    /// Valid rows no job of this file has carried yet.
    NotYetSent,
    /// Every valid row, also those already sent: only on the person's explicit choice.
    AllAgain,
    /// These rows (refused or not processed before).
    Only(Vec<usize>),
}

/// What every lane of one upload shares: where it goes, the rows it reads, how it writes
/// them, and the lanes' common knowledge of the jobs they created.
struct Run {
    conn: Connected,
    object: String,
    file: Shared<LoadedFile>,
    edits: Rc<Edits>,
    columns: UploadColumns,
    options: JobOptions,
    identifier: Option<String>,
    stem: String,
    lanes: jobs::Lanes,
}

impl Flow {
    /// Uploads the valid rows that no job of this file carried yet.
    pub fn upload(self) {
        self.send(Sending::NotYetSent);
        // The button is disabled while the jobs go up: the focus moves on to their step.
        self.steps.go(crate::steps::StepId::Upload);
    }

    /// Uploads every valid row again, those already written included (the person chose
    /// this knowing they may be written twice).
    pub fn upload_again(self) {
        self.send(Sending::AllAgain);
        self.steps.go(crate::steps::StepId::Upload);
    }

    /// Uploads again the rows the connector refused or did not process (those valid now).
    pub fn resubmit_failed(self) {
        let rows = self.upload.ledger.with_untracked(|l| l.to_resubmit());
        self.send(Sending::Only(rows));
        self.steps.go(crate::steps::StepId::Upload);
    }

    /// The field identifying records (for update/upsert, and to match failures that carry
    /// the record): the chosen one, else an e-mail or reference field that is mapped.
    fn identifier(self) -> Option<String> {
        let chosen = self
            .upload
            .settings
            .with_untracked(|s| s.identifier.clone());
        let metadata = self.connection.metadata.get_untracked()?;
        self.review.mapping.with_untracked(|m| {
            let field = chosen.or_else(|| {
                metadata
                    .fields
                    .iter()
                    .find(|f| f.is_identifier() && m.column_of(&f.name).is_some())
                    .map(|f| f.name.clone())
            })?;
            m.column_of(&field)?;
            Some(field)
        })
    }

    fn send(self, sending: Sending) {
        let (Some(conn), Some(object), Some(file), Some(metadata)) = (
            self.connection.conn.get_untracked(),
            self.connection.object.get_untracked(),
            self.reading.file.get_untracked(),
            self.connection.metadata.get_untracked(),
        ) else {
            return;
        };
        let options = match self.upload.settings.with_untracked(UploadSettings::options) {
            Ok(o) => o,
            Err(n) => return self.upload.upload_notice.set(Some(n)),
        };
        let edits = self.review.edits.get_untracked();
        let Some((validity, errors)) = self
            .review
            .report
            .with_untracked(|r| r.as_ref().map(|r| (r.validity(), r.error_rows())))
        else {
            return;
        };
        if !matches!(sending, Sending::Only(_))
            && self.review.block_on_errors.get_untracked()
            && errors > 0
        {
            let s = if errors == 1 {
                "1 row still has"
            } else {
                "rows still have"
            };
            let n = if errors == 1 {
                String::new()
            } else {
                format!("{errors} ")
            };
            return self.upload.upload_notice.set(Some(Notice::new(
                Tone::Error,
                format!("{n}{s} errors; fix or delete them, or choose to skip rows with errors."),
            )));
        }
        // What the rows are written with is taken now, with the validity they were chosen by.
        let columns = self.review.mapping.with_untracked(|m| {
            UploadColumns::new(m, &metadata, file.ingested.dialect.decimal_comma)
        });
        let run = Rc::new(Run {
            conn,
            object,
            stem: file.stem(),
            file,
            edits: Rc::new(edits),
            columns,
            options,
            identifier: self.identifier(),
            lanes: jobs::Lanes::new(self.upload.all_job_ids()),
        });
        let size = self.upload.settings.with_untracked(|s| s.job_rows.max(1));
        self.upload.uploading.set(true);
        self.upload.upload_notice.set(None);
        spawn_local(async move {
            let Some(rows) = self
                .rows_to_send(&run.file, &run.edits, &validity, sending)
                .await
            else {
                // Another file came while the rows were gathered: its ledger is not this
                // file's, so nothing is sent, and the person is told.
                self.upload.uploading.set(false);
                return self.upload.upload_notice.set(Some(Notice::new(
                    Tone::Info,
                    format!(
                        "Nothing was sent from {}: another file was chosen before its rows went up.",
                        run.file.name
                    ),
                )));
            };
            if rows.is_empty() {
                self.upload.uploading.set(false);
                return self.upload.upload_notice.set(Some(Notice::new(
                    Tone::Info,
                    "No valid row is left to send; fix the rows first.",
                )));
            }
            // What these rows are written with, for the result report.
            let mut sent: Vec<u32> = rows.iter().map(|v| v.index() as u32).collect();
            sent.sort_unstable();
            self.upload
                .sent_with
                .update_value(|s| s.push((run.edits.clone(), sent)));
            self.start_lanes(run, rows, size);
        });
    }

    /// The rows `sending` asks for among those `validity` allows, gathered a slice at a time
    /// (a file of millions of rows would otherwise hold the page for a tenth of a second
    /// when Upload is pressed); `None` when another file was read meanwhile (the ledger
    /// then speaks of that file).
    async fn rows_to_send(
        self,
        file: &Shared<LoadedFile>,
        edits: &Edits,
        validity: &Validity,
        sending: Sending,
    ) -> Option<Vec<ValidRow>> {
        let at_upload = Rows {
            file,
            edits,
            report: None,
        };
        let mut rows = Vec::new();
        let mut start = 0;
        while start < validity.len() {
            let started = crate::browser::now_ms();
            while start < validity.len()
                && crate::browser::now_ms() - started < crate::loading::SLICE_MS
            {
                let end = (start + SLICE_ROWS).min(validity.len());
                let valid = at_upload.sendable_between(validity, start..end);
                match &sending {
                    Sending::Only(wanted) => rows.extend(
                        valid
                            .into_iter()
                            .filter(|v| wanted.binary_search(&v.index()).is_ok()),
                    ),
                    Sending::NotYetSent => self.upload.ledger.with_untracked(|l| {
                        rows.extend(valid.into_iter().filter(|v| !l.was_sent(v.index())))
                    }),
                    Sending::AllAgain => rows.extend(valid),
                }
                start = end;
            }
            crate::browser::yield_now().await;
            if !self
                .reading
                .file
                .with_untracked(|f| f.as_ref() == Some(file))
            {
                return None;
            }
        }
        Some(rows)
    }

    /// Splits `rows` into jobs of `size` rows and sends them, [`CONCURRENCY`] at a time.
    fn start_lanes(self, run: Rc<Run>, rows: Vec<ValidRow>, size: usize) {
        let queue: Rc<RefCell<VecDeque<Vec<ValidRow>>>> =
            Rc::new(RefCell::new(submit::split(&rows, size).into()));
        let workers = Rc::new(std::cell::Cell::new(CONCURRENCY.min(queue.borrow().len())));
        for _ in 0..workers.get() {
            let (queue, workers, run) = (queue.clone(), workers.clone(), run.clone());
            spawn_local(async move {
                let Run {
                    conn,
                    object,
                    file,
                    edits,
                    columns,
                    options,
                    identifier,
                    stem,
                    lanes,
                } = &*run;
                loop {
                    // Each job's file is written in a task of its own: the lanes all start
                    // in the click's task, which would otherwise write one file per lane.
                    crate::browser::yield_now().await;
                    let Some(chunk) = queue.borrow_mut().pop_front() else {
                        break;
                    };
                    let at_upload = Rows {
                        file,
                        edits,
                        report: None,
                    };
                    let JobFile {
                        csv,
                        rows: table_rows,
                        lines,
                    } = match at_upload.job_file(columns, &chunk) {
                        Ok(job) => job,
                        Err(e) => {
                            queue.borrow_mut().clear();
                            self.upload.upload_notice.set(Some(Notice::new(
                                Tone::Error,
                                format!("The upload file could not be written: {e}"),
                            )));
                            break;
                        }
                    };
                    let name = format!(
                        "{object}-{stem}-lines-{}-{}.csv",
                        lines.first().unwrap_or(&0),
                        lines.last().unwrap_or(&0)
                    );
                    let report = |n: Notice| self.upload.upload_notice.set(Some(n));
                    // Kept until the job's failures are tied to its rows: what was sent is
                    // what an echo of a record is compared with.
                    let upload = csv.clone();
                    match jobs::create(conn, object, &name, csv, options, lanes, &report).await {
                        Ok((id, recovered)) => {
                            self.connection.mark_bulk(object, false);
                            // A lane's success never hides another lane's failure.
                            self.upload.upload_notice.update(|n| {
                                if n.as_ref().is_none_or(|n| n.tone != Tone::Error) {
                                    *n = recovered.then(|| Notice::new(Tone::Info, format!("The answer to the upload was lost, but job {id} was found; it is followed below and was not sent twice.")));
                                }
                            });
                            let job = JobView::new(
                                id.clone(),
                                Submitted {
                                    object: object.clone(),
                                    file: file.name.clone(),
                                    rows: table_rows.clone(),
                                    lines,
                                    upload: Some(upload),
                                    action: options.action,
                                    fingerprint: Some(file.fingerprint.clone()),
                                    recovered,
                                },
                            );
                            job.saw(&JobState::Created);
                            // Another file may have been chosen while this one went up: then
                            // the job belongs with the earlier files, not in the new file's
                            // ledger and list.
                            if self
                                .reading
                                .file
                                .with_untracked(|f| f.as_ref() == Some(file))
                            {
                                self.upload
                                    .ledger
                                    .update(|l| l.sent(&id, table_rows, options.action));
                                self.upload.jobs.update(|j| j.insert(0, job.clone()));
                            } else {
                                self.upload.history.update(|h| h.insert(0, job.clone()));
                            }
                            self.log(conn, &job);
                            self.watch(conn.clone(), job, identifier.clone());
                        }
                        Err(SubmitFailed(n, candidates, refused)) => {
                            queue.borrow_mut().clear();
                            if refused == Refused::BulkOff {
                                self.connection.mark_bulk(object, true);
                            }
                            if let Some(candidates) = candidates {
                                self.upload
                                    .ledger
                                    .update(|l| l.possibly_sent(&table_rows, candidates));
                            }
                            self.upload.upload_notice.set(Some(n));
                            break;
                        }
                    }
                }
                workers.set(workers.get() - 1);
                if workers.get() == 0 {
                    self.upload.uploading.set(false);
                }
            });
        }
    }
}
