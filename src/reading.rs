//! Reading what the person gives: a file, pasted text or a workbook sheet, read again when a
//! reading option changes; slow reads can be stopped. The result lands in [`crate::flow::Reading::file`].

use crate::flow::{Flow, Source};
use crate::keeper_link;
use crate::keeper_work::{Done, Given, Loaded, Work};
use crate::loading::{self, Opened, Progress, ReadError};
use crate::model::LoadedFile;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use bulk_core::ingest::Overrides;
use bulk_core::outcome::Ledger;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A file or text this big (in bytes) makes the keeper's memory worth handing back when the
/// next one comes (see `Flow::forget_rows`): below it, a fresh worker costs more than the
/// memory it saves.
const HEAVY_BYTES: f64 = 32e6;

impl Flow {
    /// Stops the current read or check.
    pub fn cancel(self) {
        self.reading.reads.issue();
        crate::workbook_reader::stop();
        crate::legacy_encodings::abandon_load();
        self.review.checks.issue();
        spawn_local(async move {
            keeper_link::send(Work::Stop, Given::default(), |_| {}).await;
        });
        if self.reading.progress.get_untracked().is_some() {
            self.reading.progress.set(None);
            self.reading.file_notice.set(Some(Notice::new(
                Tone::Info,
                "Stopped. Choose the file again to read it.",
            )));
        }
    }

    /// The workbook open or opening is not wanted any more: its worker ends now (a sheet
    /// read under way is told it was stopped), and its memory goes back.
    fn close_workbook(self) {
        crate::workbook_reader::stop();
        self.reading.wanted_sheet.set_value(None);
        self.reading.source.with_value(|s| {
            if let Some(Source::Workbook { book, .. }) = s {
                book.close();
            }
        });
    }

    /// A new file: reading options start from what is detected.
    pub fn take_file(self, file: web_sys::File) {
        self.close_workbook();
        crate::legacy_encodings::abandon_load();
        // The rows shown are let go of before the new file is read, and their memory with
        // them: a second big file takes no more than the first, a small one takes little.
        self.forget_rows();
        self.reading.reread_notice.set(None);
        self.reading.overrides.set(Overrides::default());
        self.reading.sheets.set(Vec::new());
        self.reading.source.set_value(Some(Source::File(file)));
        self.read();
    }

    /// The rows of the file before are not wanted any more, on the page or at their keeper.
    /// After a big file (or text) the keeper's worker ends, and all its memory goes back
    /// (the next message starts a fresh one): a wasm memory never shrinks, so this is the
    /// only way to give it back. After small ones the worker stays, with its memory for the
    /// next rows and the modules it loaded. While an upload sends rows of that file, the
    /// worker stays too and keeps only what the upload needs.
    fn forget_rows(self) {
        self.reading.file.set(None);
        let end = self.reading.heavy.get_value() && !self.upload.uploading.get_untracked();
        if end {
            self.reading.heavy.set_value(false);
        }
        spawn_local(async move {
            if end {
                keeper_link::end().await;
            } else {
                keeper_link::send(Work::Clear, Given::default(), |_| {}).await;
            }
        });
        self.review.rows_changed();
    }

    /// The keeper is given `bytes` to read: noted when they are many.
    fn giving(self, bytes: f64) {
        if bytes > HEAVY_BYTES {
            self.reading.heavy.set_value(true);
        }
    }

    /// New pasted text.
    pub fn take_text(self, text: String) {
        self.close_workbook();
        self.forget_rows();
        self.reading.reread_notice.set(None);
        self.reading.overrides.set(Overrides::default());
        self.reading.sheets.set(Vec::new());
        self.reading.source.set_value(Some(Source::Text(text)));
        self.read();
    }

    /// Other reading options: read the same source again.
    pub fn reread(self, overrides: Overrides) {
        self.reading.overrides.set(overrides);
        self.read();
    }

    /// Another sheet of the open workbook.
    pub fn choose_sheet(self, sheet: String) {
        self.reading.overrides.set(Overrides::default());
        // Remembered until it is read: options changed meanwhile read this sheet again,
        // not the one shown before.
        self.reading.wanted_sheet.set_value(Some(sheet.clone()));
        self.read_sheet(Some(sheet));
    }

    fn loaded(self, name: String, size: usize, rows: Loaded) {
        self.reading.file_notice.set(None);
        self.reading.reread_notice.set(None);
        self.reading
            .applied
            .set_value(self.reading.overrides.get_untracked());
        self.review.undo.set((false, false));
        // Outcomes belong to the rows of one file; a new file starts afresh, and the jobs
        // of the file before go to the session's earlier jobs (still followed).
        self.upload.ledger.set(Ledger::default());
        let earlier = self.upload.jobs.get_untracked();
        if !earlier.is_empty() {
            self.upload.history.update(|h| {
                let mut all = earlier;
                all.append(h);
                *h = all;
            });
            self.upload.jobs.set(Vec::new());
        }
        let Loaded {
            read,
            facts,
            fingerprint,
        } = rows;
        self.reading.file.set(Some(Shared::new(LoadedFile {
            name,
            size,
            read,
            fingerprint,
            facts,
        })));
        self.review.rows_changed();
    }

    fn failed(self, name: &str, e: ReadError) {
        let reading = self.reading;
        // Read again with other options (on the Columns step), a file that fails keeps the
        // rows read before: the options go back, and the step shown says why.
        let again = reading.file.with_untracked(Option::is_some);
        let notice = match e {
            // A read that was stopped or overtaken leaves the newer one's progress alone.
            ReadError::Cancelled => return,
            ReadError::Unreadable(why) => Notice::unreadable(name, &why),
            ReadError::ReaderMissing(why) => Notice::reader_missing(name, &why),
            ReadError::DecoderMissing(why) => {
                let chosen = reading.overrides.with_untracked(|o| o.encoding);
                Notice::decoder_missing(name, &why, chosen.map(|e| e.name()))
            }
            ReadError::Ingest(e) => {
                if !again {
                    self.forget_rows();
                }
                Notice::file(name, &e)
            }
        };
        reading.progress.set(None);
        if again {
            reading.overrides.set(reading.applied.get_value());
            let mut n = notice;
            let kept = "The rows read before are kept, read as before.";
            n.hint = Some(match n.hint.take() {
                Some(h) => format!("{kept} {h}"),
                None => kept.into(),
            });
            reading.reread_notice.set(Some(n));
        } else {
            reading.file_notice.set(Some(notice));
        }
    }

    fn read(self) {
        let ticket = self.reading.reads.issue();
        // The last read's sentence is about that read, not this one.
        self.reading.file_notice.set(None);
        self.reading.reread_notice.set(None);
        self.review.checks.issue();
        let overrides = self.reading.overrides.get_untracked();
        let text = self.reading.source.with_value(|s| match s {
            Some(Source::Text(t)) => Some(t.clone()),
            _ => None,
        });
        if let Some(text) = text {
            let size = text.len();
            self.giving(size as f64);
            let reads = self.reading.reads;
            spawn_local(async move {
                let work = Work::ReadText(text, overrides);
                let done = keeper_link::send(work, Given::default(), |_| {}).await;
                if reads.valid(ticket) {
                    self.took(done, "Pasted text".into(), size, "The pasted text");
                }
            });
            return;
        }
        if self
            .reading
            .source
            .with_value(|s| matches!(s, Some(Source::Workbook { .. })))
        {
            return self.read_sheet(None);
        }
        let Some(file) = self.reading.source.with_value(|s| match s {
            Some(Source::File(f)) => Some(f.clone()),
            _ => None,
        }) else {
            return;
        };
        let name = file.name();
        self.reading.progress.set(Some(Progress {
            label: format!("Reading {name}"),
            done: 0.0,
            total: file.size(),
            bytes: true,
            rows: 0,
            header: None,
        }));
        let reading = self.reading;
        spawn_local(async move {
            let opened = loading::open_file(&file, reading.progress, reading.reads, ticket);
            let opened = opened.await;
            // Another file, pasted text or Stop came meanwhile: this one's news is stale.
            if !reading.reads.valid(ticket) {
                return;
            }
            match opened {
                Ok(Opened::Text) => {
                    self.giving(file.size());
                    let size = file.size() as usize;
                    let given = Given {
                        file: Some(file),
                        sheet: None,
                    };
                    let progress = move |p: Progress| {
                        if !reading.reads.valid(ticket) {
                            return;
                        }
                        match p.header {
                            Some((read, header)) => self.check_as_read(read, header),
                            None => reading.progress.set(Some(p)),
                        }
                    };
                    let done = keeper_link::send(Work::ReadFile(overrides), given, progress).await;
                    if reading.reads.valid(ticket) {
                        self.took(done, name.clone(), size, &name);
                    }
                }
                // From now on the rows come from the open workbook, a sheet at a time.
                Ok(Opened::Workbook(book)) => {
                    reading.sheets.set(book.sheet_names().to_vec());
                    reading.source.set_value(Some(Source::Workbook {
                        name,
                        size: file.size() as usize,
                        book: std::rc::Rc::new(book),
                    }));
                    self.read_sheet(None);
                }
                Err(e) => self.failed(&name, e),
            }
        });
    }

    /// What the keeper read: the rows kept (`name`, `size` bytes), or why not (said of
    /// `what`).
    fn took(self, done: Done, name: String, size: usize, what: &str) {
        match done {
            Done::Read(Ok(rows)) => {
                self.reading.progress.set(None);
                self.loaded(name, size, rows);
            }
            Done::Read(Err(e)) => self.failed(what, e),
            _ => self.failed(
                what,
                ReadError::Unreadable("the rows' keeper answered something else".into()),
            ),
        }
    }

    /// Reads a sheet of the open workbook: the one named, the current one, or the first
    /// sheet that has rows.
    fn read_sheet(self, sheet: Option<String>) {
        let header = self.reading.overrides.get_untracked().header_record;
        let current = self.reading.wanted_sheet.get_value().or_else(|| {
            self.reading
                .file
                .get_untracked()
                .and_then(|f| f.read.sheet.clone())
        });
        let Some((name, size, book)) = self.reading.source.with_value(|s| match s {
            Some(Source::Workbook { name, size, book }) => {
                Some((name.clone(), *size, book.clone()))
            }
            _ => None,
        }) else {
            return;
        };
        let reads = self.reading.reads;
        let ticket = reads.issue();
        let progress = self.reading.progress;
        spawn_local(async move {
            let names: Vec<String> = match sheet.or(current) {
                Some(n) => vec![n],
                None => book.sheet_names().to_vec(),
            };
            let mut result = None;
            for n in names {
                progress.set(Some(Progress::unknown(format!(
                    "Reading sheet {n} of {name}"
                ))));
                let done = match book.sheet_cells(&n).await {
                    Ok(cells) if reads.valid(ticket) => {
                        let given = Given {
                            file: None,
                            sheet: Some(cells),
                        };
                        self.giving(book.file_len() as f64);
                        let work = Work::ReadSheet(n.clone(), header, book.file_len());
                        keeper_link::send(work, given, |_| {}).await
                    }
                    Ok(_) => Done::Read(Err(ReadError::Cancelled)),
                    Err(e) => Done::Read(Err(e)),
                };
                let rows = matches!(done, Done::Read(Ok(_)));
                result = Some(done);
                if rows || !reads.valid(ticket) {
                    break;
                }
            }
            // Let go of the workbook before anything else: if another file was chosen
            // meanwhile, this was the last hold on its worker.
            drop(book);
            if !reads.valid(ticket) {
                return;
            }
            progress.set(None);
            if let Some(done) = result {
                if matches!(done, Done::Read(Ok(_))) {
                    self.reading.wanted_sheet.set_value(None);
                }
                self.took(done, name.clone(), size, &name);
            }
        });
    }
}
