//! Everything the page asks of the keeper of the rows, as one message ([`Work`]) with one
//! answer ([`Done`]): the quick questions and edits ([`Request`]), and the long work that
//! goes a slice at a time with progress (reading a file, pasted text or a workbook sheet
//! into rows, checking them, gathering an upload's rows). [`work`] does it wherever the
//! keeper is: in its Web Worker (`src/rows_worker.js` calls the app module's
//! `bulkKeeperWork`), or on the page when no worker could start. Messages travel as JSON.

use crate::check_as_read::{AsRead, Plan};
use crate::file_facts::FileFacts;
use crate::keeper::{self, Answer, Gathered, Request, Sending, Unsent};
use crate::loading::{self, Progress, ReadError, Slices};
use crate::model::ReadAs;
use crate::shared::Shared;
use bulk_core::ingest::{self, IngestError, Ingested, Overrides};
use bulk_core::mapping::Mapping;
use bulk_core::metadata::ObjectMetadata;
use bulk_core::sheet::{SheetBuild, SheetCells};
use bulk_core::upload::UploadColumns;
use bulk_core::validate::Report;

/// A message to the keeper.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Work {
    /// A quick question or an edit.
    Answer(Request),
    /// Read the file given with the message, as text.
    ReadFile(Overrides),
    /// Read pasted text.
    ReadText(String, Overrides),
    /// Make rows of a workbook sheet's cells, given with the message (from the workbook
    /// reader): the sheet's name, the header row chosen, and the workbook file's size.
    ReadSheet(String, Option<Option<usize>>, usize),
    /// Check every row against the object under the mapping.
    Check(ObjectMetadata, Mapping),
    /// Check the rows of the file being read (this read of the keeper's) as they arrive,
    /// against the object under the mapping the page made for this header
    /// ([`crate::check_as_read`]).
    CheckAsRead(u64, Vec<String>, ObjectMetadata, Mapping),
    /// Warm the reading and checking code up ([`crate::warm_up`]) until a read or check
    /// of the person's own starts.
    WarmUp,
    /// Stop the read and the check under way.
    Stop,
    /// Stop the check under way.
    StopCheck,
    /// Let go of the rows.
    Clear,
    /// Start an upload: gather the rows `Sending` asks for (blocked by errors or not),
    /// written by the mapping, the object and the decimal comma, in jobs of so many rows.
    Gather(Sending, bool, Mapping, ObjectMetadata, bool, usize),
}

/// The keeper's answer to a [`Work`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Done {
    /// A question's answer.
    Answer(Answer),
    /// The rows read, as the page knows them, or why not.
    Read(Result<Loaded, ReadError>),
    /// Checked (false: stopped, or overtaken by another check or file).
    Checked(bool),
    /// An upload ready to send, or why it sends nothing.
    Gathered(Result<Gathered, Unsent>),
    /// Done.
    Done,
}

/// What the page keeps of rows just read.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Loaded {
    /// How they were read.
    pub read: ReadAs,
    /// Their description.
    pub facts: FileFacts,
    /// Their fingerprint, for the job log.
    pub fingerprint: String,
}

/// What comes with a message besides its JSON.
#[derive(Default)]
pub struct Given {
    /// The file to read.
    pub file: Option<web_sys::File>,
    /// A sheet's cells and their text (see [`SheetCells::arriving`]).
    pub sheet: Option<(js_sys::Uint32Array, js_sys::Uint8Array)>,
}

/// Files with at most this many rows are checked at once, without progress.
const CHECK_AT_ONCE: usize = 20_000;
/// Cells taken and rows built between looks at the clock, for a sheet.
const SHEET_CELLS: u32 = 150_000;
const SHEET_ROWS: usize = 2_000;

/// Does `work`, saying how far long work is through `progress`.
pub async fn work(work: Work, given: Given, progress: &mut dyn FnMut(Progress)) -> Done {
    match work {
        Work::Answer(request) => Done::Answer(keeper::with(|k| k.answer(request))),
        Work::ReadFile(overrides) => {
            let Some(file) = given.file else {
                return Done::Read(Err(ReadError::Unreadable("no file came with it".into())));
            };
            let (slices, mine) = reading_slices();
            let mut as_read = AsRead::new(mine);
            let read = loading::read_text_file(&file, overrides, slices, progress, &mut as_read);
            let ingested = match read.await {
                Ok(i) => i,
                Err(e) => return Done::Read(Err(e)),
            };
            let wanted = || keeper::with(|k| k.reading(mine));
            let early = as_read.finish(&ingested, progress, &wanted).await;
            // Another read or Stop came while the check was finished.
            if !wanted() {
                return Done::Read(Err(ReadError::Cancelled));
            }
            Done::Read(Ok(took_checked(ingested, early)))
        }
        Work::ReadText(text, overrides) => {
            keeper::with(keeper::Keeper::stop_reading);
            Done::Read(
                ingest::from_text(&text, &overrides)
                    .map(took)
                    .map_err(ReadError::Ingest),
            )
        }
        Work::ReadSheet(name, header, file_len) => {
            let Some((flat, text)) = given.sheet else {
                return Done::Read(Err(ReadError::Ingest(IngestError::WorkbookUnreadable(
                    "no cells came with it".into(),
                ))));
            };
            let read = sheet_rows(&name, header, file_len, flat, text.to_vec()).await;
            Done::Read(read.map(took))
        }
        Work::Check(metadata, mapping) => {
            if keeper::with(|k| k.rows()) <= CHECK_AT_ONCE {
                return Done::Checked(keeper::with(|k| k.check_now(&metadata, &mapping)));
            }
            let mut slices = Slices::paced();
            let rows = keeper::with(|k| k.rows());
            let mut report = |done: usize, _: usize| {
                progress(Progress {
                    label: "Checking the rows".into(),
                    done: done as f64,
                    total: rows as f64,
                    bytes: false,
                    rows,
                    header: None,
                })
            };
            Done::Checked(
                keeper::check(Shared::new(metadata), mapping, &mut slices, &mut report).await,
            )
        }
        Work::CheckAsRead(read, header, metadata, mapping) => {
            keeper::with(|k| k.plan_as_read(read, header, metadata, mapping));
            Done::Done
        }
        Work::WarmUp => {
            // Until the person's own read or check starts. (It gave way to every message that
            // stopped a check, and the page sends one as soon as it is connected, with no
            // file yet: the warm-up had ended before it read a row.)
            let started = keeper::with(|k| k.started());
            let quiet = move || keeper::with(|k| k.started() == started);
            // "Checked" the made-up file: false when it gave way before the last round.
            Done::Checked(crate::warm_up::run(std::rc::Rc::new(quiet)).await)
        }
        Work::Stop => {
            keeper::with(|k| {
                k.stop_reading();
                k.stop_check();
            });
            Done::Done
        }
        Work::StopCheck => {
            keeper::with(keeper::Keeper::stop_check);
            Done::Done
        }
        Work::Clear => {
            keeper::with(keeper::Keeper::clear);
            Done::Done
        }
        Work::Gather(sending, block, mapping, metadata, decimal_comma, job_rows) => {
            let columns = UploadColumns::new(&mapping, &metadata, decimal_comma);
            let mut slices = Slices::paced();
            Done::Gathered(keeper::gather(sending, block, columns, job_rows, &mut slices).await)
        }
    }
}

/// Slices of a new read, and its number: it goes on until another read or Stop comes.
fn reading_slices() -> (Slices, u64) {
    let mine = keeper::with(|k| k.start_reading());
    let wanted = std::rc::Rc::new(move || keeper::with(|k| k.reading(mine)));
    (Slices::while_wanted(wanted), mine)
}

/// Keeps rows just read; what the page knows of them.
fn took(ingested: Ingested) -> Loaded {
    took_checked(ingested, None)
}

/// Keeps rows just read, with the report of their check as they were read, if any.
fn took_checked(ingested: Ingested, early: Option<(Report, Plan)>) -> Loaded {
    let loaded = Loaded {
        read: ReadAs::of(&ingested),
        facts: FileFacts::of(&ingested.table),
        fingerprint: bulk_core::joblog::fingerprint(&ingested.table),
    };
    keeper::with(|k| k.take_checked(ingested, early));
    loaded
}

/// Makes rows of a sheet's cells, a slice at a time.
async fn sheet_rows(
    name: &str,
    header: Option<Option<usize>>,
    file_len: usize,
    flat: js_sys::Uint32Array,
    text: Vec<u8>,
) -> Result<Ingested, ReadError> {
    let (mut slices, _) = reading_slices();
    let len = flat.length();
    let mut arrival =
        SheetCells::arriving(len as usize, text, file_len, name).map_err(ReadError::Ingest)?;
    let mut at = 0;
    while at < len {
        let end = len.min(at.saturating_add(SHEET_CELLS));
        arrival
            .take(&flat.subarray(at, end).to_vec())
            .map_err(ReadError::Ingest)?;
        at = end;
        slices.end_of_step().await?;
    }
    let cells = arrival.finish().map_err(ReadError::Ingest)?;
    let mut build = SheetBuild::new(cells, name, header).map_err(ReadError::Ingest)?;
    while !build.push_rows(SHEET_ROWS).map_err(ReadError::Ingest)? {
        slices.end_of_step().await?;
    }
    build.finish().map_err(ReadError::Ingest)
}

/// [`work`] as the worker's script calls it: the message as JSON, what comes with it (a
/// file, or a sheet's cells and text; `null` otherwise) and a function that takes progress
/// as JSON. The answer is `[json, blob]`: a file the keeper wrote comes as the `Blob` (of
/// type `text/csv`), its answer saying [`Answer::Blob`]; a job's upload file as a
/// `Uint8Array`, its answer's `csv` left empty; otherwise `blob` is `null`. A message that
/// cannot be read gets "nothing".
pub async fn from_json(
    message: String,
    file: wasm_bindgen::JsValue,
    flat: wasm_bindgen::JsValue,
    text: wasm_bindgen::JsValue,
    progress: js_sys::Function,
) -> js_sys::Array {
    use wasm_bindgen::JsCast;
    let done = match serde_json::from_str::<Work>(&message) {
        Ok(w) => {
            let given = Given {
                file: file.dyn_into().ok(),
                sheet: flat.dyn_into().ok().zip(text.dyn_into().ok()),
            };
            let mut tell = |p: Progress| {
                if let Ok(json) = serde_json::to_string(&p) {
                    let _ = progress.call1(&wasm_bindgen::JsValue::NULL, &json.into());
                }
            };
            work(w, given, &mut tell).await
        }
        Err(_) => Done::Answer(Answer::Nothing),
    };
    let (done, blob) = match done {
        Done::Answer(Answer::Bytes(Some(Ok(bytes)))) => {
            match crate::browser::blob_of(&bytes.0, "text/csv;charset=utf-8") {
                Ok(blob) => (Done::Answer(Answer::Blob), blob.into()),
                Err(e) => (
                    Done::Answer(Answer::Bytes(Some(Err(e)))),
                    wasm_bindgen::JsValue::NULL,
                ),
            }
        }
        // A job's upload file goes beside the answer as bytes, not inside its JSON: read
        // back from a JSON string on the page, 10,000 rows held the page's thread for 35 ms.
        Done::Answer(Answer::JobFile(Ok(mut job))) => {
            let csv = js_sys::Uint8Array::from(&job.csv[..]);
            job.csv = Vec::new();
            (Done::Answer(Answer::JobFile(Ok(job))), csv.into())
        }
        other => (other, wasm_bindgen::JsValue::NULL),
    };
    let json = serde_json::to_string(&done).unwrap_or_default();
    js_sys::Array::of2(&json.into(), &blob)
}
