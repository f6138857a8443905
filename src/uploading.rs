//! Uploading the checked rows: the valid rows are split into jobs (10,000 rows each unless
//! the person says otherwise) and submitted two at a time; what is sent is exactly what is
//! not yet sent, unless the person explicitly asks to send again; the rows that failed can
//! be sent again after fixing. Each job is then followed by [`crate::following`].

use crate::connection::Connected;
use crate::flow::Flow;
use crate::jobs::{self, JobView, SubmitFailed, Submitted};
use crate::keeper::{Answer, Request, Unsent};
use crate::keeper_link;
use crate::keeper_work::{Done, Given, Work};
use crate::model::LoadedFile;
use crate::notice::{Notice, Tone};
use crate::rows::JobFile;
use crate::shared::Shared;
use crate::submitting::Refused;
use bulk_core::JobState;
use bulk_core::api::JobOptions;
use bulk_core::submit::CONCURRENCY;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

pub use crate::keeper::Sending;
pub use crate::upload_settings::{JOB_LOG_KEY, UploadSettings};

/// What every lane of one upload shares: where it goes, the rows it reads, how it writes
/// them, and the lanes' common knowledge of the jobs they created.
struct Run {
    conn: Connected,
    object: String,
    file: Shared<LoadedFile>,
    /// The upload's id at the keeper of the rows, which writes its jobs' files.
    id: u64,
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
        // What the rows are written with is taken now.
        let mapping = self.review.mapping.get_untracked();
        let decimal_comma = file.read.dialect.decimal_comma;
        let block_on_errors = self.review.block_on_errors.get_untracked();
        let size = self.upload.settings.with_untracked(|s| s.job_rows.max(1));
        self.upload.uploading.set(true);
        self.upload.upload_notice.set(None);
        spawn_local(async move {
            // The keeper takes the edits as they are now and gathers the rows, a slice at a
            // time (a file of millions of rows would otherwise hold the page).
            let work = Work::Gather(
                sending,
                block_on_errors,
                mapping,
                (*metadata).clone(),
                decimal_comma,
                size,
            );
            let gathered = match keeper_link::send(work, Given::default(), |_| {}).await {
                Done::Gathered(g) => g,
                _ => Err(Unsent::NotChecked),
            };
            let notice = match gathered {
                Ok(g) if g.rows > 0 => {
                    let run = Rc::new(Run {
                        conn,
                        object,
                        stem: file.stem(),
                        file,
                        id: g.id,
                        options,
                        identifier: self.identifier(),
                        lanes: jobs::Lanes::new(self.upload.all_job_ids()),
                    });
                    return self.start_lanes(run, g.jobs);
                }
                Ok(g) => {
                    let _ = self.ask(Request::RunEnded(g.id)).await;
                    Some(Notice::new(
                        Tone::Info,
                        "No valid row is left to send; fix the rows first.",
                    ))
                }
                Err(Unsent::NotChecked) => None,
                Err(Unsent::Errors(errors)) => {
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
                    Some(Notice::new(
                        Tone::Error,
                        format!(
                            "{n}{s} errors; fix or delete them, or choose to skip rows with errors."
                        ),
                    ))
                }
                // Another file came while the rows were gathered: its ledger is not this
                // file's, so nothing is sent, and the person is told.
                Err(Unsent::FileChanged) => Some(Notice::new(
                    Tone::Info,
                    format!(
                        "Nothing was sent from {}: another file was chosen before its rows went up.",
                        file.name
                    ),
                )),
            };
            self.upload.uploading.set(false);
            if notice.is_some() {
                self.upload.upload_notice.set(notice);
            }
        });
    }

    /// Sends the upload's `jobs` (their files written by the keeper of the rows), [`CONCURRENCY`] at a time.
    fn start_lanes(self, run: Rc<Run>, jobs: usize) {
        let queue: Rc<RefCell<VecDeque<usize>>> = Rc::new(RefCell::new((0..jobs).collect()));
        let workers = Rc::new(std::cell::Cell::new(CONCURRENCY.min(queue.borrow().len())));
        for _ in 0..workers.get() {
            let (queue, workers, run) = (queue.clone(), workers.clone(), run.clone());
            spawn_local(async move {
                let Run {
                    conn,
                    object,
                    file,
                    id: run_id,
                    options,
                    identifier,
                    stem,
                    lanes,
                } = &*run;
                loop {
                    // Each job's file is written in a task of its own: the lanes all start
                    // in the click's task, which would otherwise write one file per lane.
                    crate::browser::yield_now().await;
                    let Some(job) = queue.borrow_mut().pop_front() else {
                        break;
                    };
                    let written = match self.ask(Request::JobFile(*run_id, job)).await {
                        Answer::JobFile(written) => written,
                        _ => Err("the rows of this upload are gone".into()),
                    };
                    let JobFile {
                        csv,
                        rows: table_rows,
                        lines,
                    } = match written {
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
                    // The request is made in a task of its own, not in the one that took
                    // the worker's answer (see below).
                    crate::browser::yield_now().await;
                    let report = |n: Notice| self.upload.upload_notice.set(Some(n));
                    // Kept until the job's failures are tied to its rows: what was sent is
                    // what an echo of a record is compared with.
                    let upload = csv.clone();
                    // Another file may have been chosen while this one went up: then what the
                    // upload did belongs with the earlier files, not in the new file's ledger
                    // and list (it has rows of its own at the same numbers).
                    let same_file = || {
                        self.reading
                            .file
                            .with_untracked(|f| f.as_ref() == Some(file))
                    };
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
                            // Logged at once: a reload picks the job up from the log, so its
                            // rows are never offered as unsent, whenever the tab goes. Its rows
                            // go in the ledger in the same task: a job in the log with no rows
                            // in the ledger is one from earlier (the Upload step warns of it,
                            // and offers to follow it).
                            self.log(conn, &job);
                            if same_file() {
                                self.upload
                                    .ledger
                                    .update(|l| l.sent(&id, table_rows.clone(), options.action));
                            }
                            // What else a new job changes on the page is done in tasks of its
                            // own, apart from the one that read the connector's answer: the
                            // rows' fates, then the job's card and its following. In one task
                            // they held the page's thread past 50 ms on a slow machine.
                            crate::browser::yield_now().await;
                            // Asked again after each yield: another file may have come (its
                            // ledger is then new, and this job one of the earlier files').
                            if same_file() {
                                self.ledger_changed(std::slice::from_ref(&id), &table_rows);
                                crate::browser::yield_now().await;
                            }
                            if same_file() {
                                self.upload.jobs.update(|j| j.insert(0, job.clone()));
                            } else {
                                self.upload.history.update(|h| h.insert(0, job.clone()));
                            }
                            self.watch(conn.clone(), job, identifier.clone());
                        }
                        Err(SubmitFailed(n, candidates, refused)) => {
                            queue.borrow_mut().clear();
                            if refused == Refused::BulkOff {
                                self.connection.mark_bulk(object, true);
                            }
                            // Logged whichever file is open: a reload must not offer these
                            // rows as never sent.
                            if let Some(candidates) = &candidates {
                                let sent = Submitted {
                                    object: object.clone(),
                                    file: file.name.clone(),
                                    rows: table_rows.clone(),
                                    lines,
                                    upload: None,
                                    action: options.action,
                                    fingerprint: Some(file.fingerprint.clone()),
                                    recovered: false,
                                };
                                self.log_possibly_sent(conn, &sent, candidates);
                            }
                            if let Some(candidates) = candidates.filter(|_| same_file()) {
                                self.upload
                                    .ledger
                                    .update(|l| l.possibly_sent(&table_rows, candidates));
                                self.ledger_changed(&[], &table_rows);
                            }
                            self.upload.upload_notice.set(Some(n));
                            break;
                        }
                    }
                }
                workers.set(workers.get() - 1);
                if workers.get() == 0 {
                    self.upload.uploading.set(false);
                    let _ = self.ask(Request::RunEnded(run.id)).await;
                }
            });
        }
    }
}
