//! Reading what the person gives: a file, pasted text or a workbook sheet, read again when a
//! reading option changes; slow reads can be stopped. The result lands in [`crate::flow::Reading::file`].

use crate::file_facts::FileFacts;
use crate::flow::{Flow, Source};
use crate::loading::{self, Opened, Progress, ReadError};
use crate::model::LoadedFile;
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use bulk_core::edits::Edits;
use bulk_core::ingest::{Ingested, Overrides};
use bulk_core::outcome::Ledger;
use leptos::prelude::*;
use leptos::task::spawn_local;

impl Flow {
    /// Stops the current read or check.
    pub fn cancel(self) {
        self.reading.reads.issue();
        crate::workbook_reader::stop();
        crate::legacy_encodings::abandon_load();
        self.review.checks.issue();
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
        // The rows shown are let go of before the new file is read, and their buffers kept
        // for its rows (`Table::recycle`), so a second big file takes no more memory than
        // the first. Unless something still holds them (an upload under way): then they go
        // when it ends.
        if let Some(old) = self.reading.file.try_update(Option::take).flatten()
            && let Some(old) = old.into_inner()
        {
            old.ingested.table.recycle();
        }
        self.reading.reread_notice.set(None);
        self.reading.overrides.set(Overrides::default());
        self.reading.sheets.set(Vec::new());
        self.reading.source.set_value(Some(Source::File(file)));
        self.read();
    }

    /// New pasted text.
    pub fn take_text(self, text: String) {
        self.close_workbook();
        self.reading.file.set(None);
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

    fn loaded(self, name: String, size: usize, ingested: Ingested) {
        self.reading.file_notice.set(None);
        self.reading.reread_notice.set(None);
        self.reading
            .applied
            .set_value(self.reading.overrides.get_untracked());
        self.review.edits.set(Edits::default());
        // Outcomes belong to the rows of one file; a new file starts afresh, and the jobs
        // of the file before go to the session's earlier jobs (still followed).
        self.upload.ledger.set(Ledger::default());
        self.upload.sent_with.set_value(Vec::new());
        let earlier = self.upload.jobs.get_untracked();
        if !earlier.is_empty() {
            self.upload.history.update(|h| {
                let mut all = earlier;
                all.append(h);
                *h = all;
            });
            self.upload.jobs.set(Vec::new());
        }
        let fingerprint = bulk_core::joblog::fingerprint(&ingested.table);
        let facts = FileFacts::of(&ingested.table);
        self.reading.file.set(Some(Shared::new(LoadedFile {
            name,
            size,
            ingested,
            fingerprint,
            facts,
        })));
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
                    reading.file.set(None);
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
            match loading::read_pasted(&text, &overrides) {
                Ok(i) => self.loaded("Pasted text".into(), text.len(), i),
                Err(e) => self.failed("The pasted text", e),
            }
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
        }));
        let reading = self.reading;
        spawn_local(async move {
            let read =
                loading::read_file(&file, overrides, reading.progress, reading.reads, ticket);
            let read = read.await;
            // Another file, pasted text or Stop came meanwhile: this one's news is stale.
            if !reading.reads.valid(ticket) {
                return;
            }
            match read {
                Ok(Opened::Table(i)) => {
                    reading.progress.set(None);
                    self.loaded(name, file.size() as usize, *i);
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

    /// Reads a sheet of the open workbook: the one named, the current one, or the first
    /// sheet that has rows.
    fn read_sheet(self, sheet: Option<String>) {
        let header = self.reading.overrides.get_untracked().header_record;
        let current = self.reading.wanted_sheet.get_value().or_else(|| {
            self.reading
                .file
                .get_untracked()
                .and_then(|f| f.ingested.sheet.clone())
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
                let read = book.read_sheet(&n, header, reads, ticket).await;
                let rows = read.is_ok();
                result = Some(read);
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
            match result {
                Some(Ok(i)) => {
                    self.reading.wanted_sheet.set_value(None);
                    self.loaded(name, size, i);
                }
                Some(Err(e)) => self.failed(&name, e),
                None => {}
            }
        });
    }
}
