//! Reading a file, pasted text or a workbook sheet, and validating its rows, without ever
//! holding the page: work runs in slices of a few milliseconds with a yield to the browser
//! between them, so typing, scrolling and the Cancel button keep working on a 100 MB file.
//! A file is read from disk a block at a time, the next block while the one before is
//! parsed, and never held whole. Each run carries a ticket; starting another run or pressing
//! Cancel makes the older one stop at its next slice.

use crate::browser;
use crate::check_as_read::AsRead;
use crate::file_blocks::{self, FileBlocks};
use crate::workbook_reader::Book;
use bulk_core::ingest::{IngestError, Ingested, Overrides};
use bulk_core::reading::{PushError, StreamReader};
use leptos::prelude::*;

/// The longest a slice of work may hold the page, in ms (a "long task" is 50). Small,
/// because the first run of freshly loaded wasm is several times slower than later ones
/// (the browser optimises it in the background), and the budget must hold then too.
pub(crate) const SLICE_MS: f64 = 8.0;
/// Bytes handed to the parser at once (the slice budget is checked between pieces).
const PIECE: usize = 64 * 1024;
/// The least time between two progress updates, in ms: each one redraws the bar, which
/// costs more than the slices it reports on if done after every 8 ms slice.
pub(crate) const PROGRESS_MS: f64 = 100.0;

/// A read's work cut into slices of at most about [`SLICE_MS`]: between steps, once the
/// slice is used up, a yield to the browser and then a look at whether the work is still
/// wanted (not stopped or overtaken).
pub(crate) struct Slices {
    wanted: Wanted,
    started: f64,
}

/// Whether a piece of work is still wanted: a ticket on the page, the keeper's own count
/// in the worker.
pub(crate) type Wanted = std::rc::Rc<dyn Fn() -> bool>;

impl Slices {
    /// Slices of work that goes on while `wanted` says so.
    pub(crate) fn while_wanted(wanted: Wanted) -> Slices {
        Slices {
            wanted,
            started: browser::now_ms(),
        }
    }

    /// Slices for work that is stopped by its own means (the keeper's), not by a ticket.
    pub(crate) fn paced() -> Slices {
        Slices::while_wanted(std::rc::Rc::new(|| true))
    }

    /// The work is still wanted.
    pub(crate) fn wanted(&self) -> bool {
        (self.wanted)()
    }

    /// The slice is used up: time to [`pause`](Self::pause).
    pub(crate) fn used_up(&self) -> bool {
        browser::now_ms() - self.started > SLICE_MS
    }

    /// Yields to the browser; the next slice starts unless the read was stopped meanwhile.
    pub(crate) async fn pause(&mut self) -> Result<(), ReadError> {
        browser::yield_now().await;
        if !self.wanted() {
            return Err(ReadError::Cancelled);
        }
        self.started = browser::now_ms();
        Ok(())
    }

    /// Yields to the browser and starts a new slice, whatever the ticket says: for work
    /// that is stopped by its own means (the keeper's checks and file).
    pub(crate) async fn breathe(&mut self) {
        browser::yield_now().await;
        self.started = browser::now_ms();
    }

    /// After a step: pauses if the slice is used up.
    pub(crate) async fn end_of_step(&mut self) -> Result<(), ReadError> {
        if self.used_up() {
            self.pause().await?;
        }
        Ok(())
    }
}

/// What a long run has done so far, for the progress bar.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// What is happening ("Reading contacts.csv").
    pub label: String,
    /// Work done, in `unit`.
    pub done: f64,
    /// Work in all.
    pub total: f64,
    /// Bytes or rows.
    pub bytes: bool,
    /// Rows read so far.
    pub rows: usize,
    /// The file's header, once read, said once with the keeper's number of the read (for
    /// the page to plan checking the rows as they are read: [`crate::check_as_read`]); not
    /// progress to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<(u64, Vec<String>)>,
}

impl Progress {
    /// Work that cannot say how far it is.
    pub fn unknown(label: String) -> Progress {
        Progress {
            label,
            done: 0.0,
            total: 0.0,
            bytes: false,
            rows: 0,
            header: None,
        }
    }
}

/// Tickets: a run stops as soon as its ticket is no longer the current one.
#[derive(Clone, Copy)]
pub struct Tickets(StoredValue<u64>);

impl Tickets {
    /// A counter starting at 0.
    pub fn new() -> Tickets {
        Tickets(StoredValue::new(0))
    }
    /// A new ticket; every older one is void.
    pub fn issue(&self) -> u64 {
        self.0.update_value(|t| *t += 1);
        self.0.get_value()
    }
    /// The newest ticket, without issuing another: a bystander's look, to notice when a
    /// run starts.
    pub fn current(&self) -> u64 {
        self.0.get_value()
    }
    /// True while `ticket` is the newest.
    pub fn valid(&self, ticket: u64) -> bool {
        self.0.try_get_value() == Some(ticket)
    }
    /// Asks with a new ticket: `answer` runs, and its result goes to `take` unless a newer
    /// ticket was issued meanwhile (only the latest answer counts).
    pub fn latest<T: 'static>(
        self,
        answer: impl std::future::Future<Output = T> + 'static,
        take: impl FnOnce(T) + 'static,
    ) {
        let ticket = self.issue();
        leptos::task::spawn_local(async move {
            let got = answer.await;
            if self.valid(ticket) {
                take(got);
            }
        });
    }
}

impl Default for Tickets {
    fn default() -> Self {
        Tickets::new()
    }
}

/// Why a read ended without a table.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    /// A newer run or Cancel took over.
    Cancelled,
    /// The browser could not read the file.
    Unreadable(String),
    /// The bytes are not a usable table.
    Ingest(IngestError),
    /// The workbook reader's module could not be downloaded (why).
    ReaderMissing(String),
    /// The older encodings' module could not be downloaded (why).
    DecoderMissing(String),
}

/// What a chosen file turned out to hold.
pub enum Opened {
    /// Rows of text (CSV, TSV, a text export): the keeper of the rows reads them.
    Text,
    /// A workbook, open; its sheets are read on demand.
    Workbook(Book),
}

/// Looks at a file the person chose: a workbook (recognised by its first bytes) is opened
/// whole (in the workbook reader's worker); any other file is text, for the keeper of the
/// rows to read ([`read_text_file`]).
pub async fn open_file(
    file: &web_sys::File,
    progress: RwSignal<Option<Progress>>,
    tickets: Tickets,
    ticket: u64,
) -> Result<Opened, ReadError> {
    let head = file_blocks::head(file, 8.0).await.unwrap_or_default();
    // Chosen again, pasted over or stopped while the head was read: open nothing.
    if !tickets.valid(ticket) {
        return Err(ReadError::Cancelled);
    }
    if !bulk_core::workbook::looks_like_workbook(&head) {
        return Ok(Opened::Text);
    }
    progress.set(Some(Progress::unknown(format!("Opening {}", file.name()))));
    let book = crate::workbook_reader::open(file).await?;
    if !tickets.valid(ticket) {
        return Err(ReadError::Cancelled);
    }
    Ok(Opened::Workbook(book))
}

/// Reads a text file (CSV, TSV, ...) in `slices`, saying how far it is now and then. The
/// one function every read of a file goes through, the warm-up's included
/// ([`crate::warm_up`]): the browser compiles it for speed once.
pub(crate) async fn read_text_file(
    file: &web_sys::File,
    overrides: Overrides,
    mut slices: Slices,
    progress: &mut dyn FnMut(Progress),
    as_read: &mut AsRead,
) -> Result<Ingested, ReadError> {
    let total = file.size();
    let name = file.name();
    let mut again = Again {
        forced: None,
        legacy: crate::legacy_encodings::loaded(),
        name: &name,
    };
    'again: loop {
        let mut reader = match again.forced {
            Some(enc) => StreamReader::restart(total as u64, overrides, enc),
            None => StreamReader::new(total as u64, overrides),
        }
        .with_legacy(again.legacy.clone());
        as_read.restart();
        let mut shown = browser::now_ms();
        let mut blocks = FileBlocks::open(file)?;
        while blocks.next().await? {
            if !slices.wanted() {
                return Err(ReadError::Cancelled);
            }
            for piece in blocks.bytes().chunks(PIECE) {
                if let Err(e) = reader.push(piece) {
                    again.after(e, &slices, progress).await?;
                    continue 'again;
                }
                as_read.step(&reader, progress);
                if slices.used_up() {
                    if browser::now_ms() - shown > PROGRESS_MS {
                        progress(Progress {
                            label: format!("Reading {name}"),
                            done: reader.bytes_in() as f64,
                            total,
                            bytes: true,
                            rows: reader.rows(),
                            header: None,
                        });
                        shown = browser::now_ms();
                    }
                    slices.pause().await?;
                }
            }
        }
        match reader.finish() {
            Ok(i) => return Ok(i),
            Err(e) => again.after(e, &slices, progress).await?,
        }
    }
}

/// How a stopped read starts again: in the encoding a restart named, and with the older
/// encodings once a file needed them.
struct Again<'n> {
    forced: Option<&'static bulk_core::Encoding>,
    legacy: Option<std::rc::Rc<dyn bulk_core::legacy::Legacy>>,
    name: &'n str,
}

impl Again<'_> {
    /// What a read stopped by `e` does: a file that needs the older encodings is read
    /// again once their module is loaded ([`crate::legacy_encodings`]); any other stop goes
    /// by [`restart_once`]. Ok means "read again"; a read stopped or overtaken meanwhile
    /// ends here.
    async fn after(
        &mut self,
        e: PushError,
        slices: &Slices,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), ReadError> {
        if !slices.wanted() {
            return Err(ReadError::Cancelled);
        }
        if e == PushError::NeedsLegacy && self.legacy.is_none() {
            progress(Progress::unknown(format!(
                "Loading the decoder for the encoding of {}",
                self.name
            )));
            let legacy = crate::legacy_encodings::load()
                .await
                .map_err(ReadError::DecoderMissing)?;
            if !slices.wanted() {
                return Err(ReadError::Cancelled);
            }
            self.legacy = Some(legacy);
            return Ok(());
        }
        restart_once(&mut self.forced, e)
    }
}

/// The one rule for a read that must start again: a file whose start looked like UTF-8
/// but is not is read again, once, in the encoding the reader names; asked a second time,
/// the bytes are not text. Ok means "read again".
fn restart_once(
    forced: &mut Option<&'static bulk_core::Encoding>,
    e: PushError,
) -> Result<(), ReadError> {
    match e {
        PushError::Restart(enc) if forced.is_none() => {
            *forced = Some(enc);
            Ok(())
        }
        PushError::Restart(_) => Err(ReadError::Ingest(IngestError::Binary)),
        PushError::Failed(e) => Err(ReadError::Ingest(e)),
        // Given, and asked for again: never expected; said rather than read for ever.
        PushError::NeedsLegacy => Err(ReadError::Ingest(IngestError::LegacyDecoder(
            "it was loaded but not used".into(),
        ))),
    }
}
