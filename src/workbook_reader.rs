//! The workbook reader, a wasm module of its own (`src/bin/workbook_reader.rs`) fetched when
//! a workbook is chosen: text files, the common case, never download calamine. Each workbook
//! gets the reader in a Web Worker of its own (`src/workbook_worker.js`): opening a big one
//! never holds the page, Stop ends it at once, and when another file is chosen the worker
//! ends and the workbook's memory goes back. A page that cannot start a worker for it (one
//! that includes the start script from another origin) runs the reader on the page instead.
//! This side makes each sheet's cells rows (`bulk_core::sheet`), checking what comes back as
//! it would any outside data.

use crate::loading::ReadError;
use bulk_core::ingest::IngestError;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/workbook_reader_link.js")]
extern "C" {
    /// Starts the reader (in a worker where it can) and opens the file with it: an
    /// `OpenBook`, or why not (`{ missing }`, `{ refusal }`, `{ failed }`, `{ cancelled }`).
    #[wasm_bindgen(catch, js_name = openBook)]
    async fn open_book(file: &web_sys::File) -> Result<JsValue, JsValue>;

    /// Ends the opening under way, if any (Stop).
    #[wasm_bindgen(js_name = stopOpening)]
    fn stop_opening();

    /// A workbook open in the reader.
    type OpenBook;

    #[wasm_bindgen(method, getter)]
    fn sheets(this: &OpenBook) -> JsValue;

    /// `[cells, text]` of one sheet, or why not.
    #[wasm_bindgen(method)]
    fn sheet(this: &OpenBook, name: &str) -> js_sys::Promise;

    /// Ends the reader (its memory goes with it).
    #[wasm_bindgen(method)]
    fn close(this: &OpenBook);
}

/// A workbook open in the reader; ending it (dropping the last `Rc<Book>`: another file was
/// chosen) ends the reader's worker, and the memory the workbook took goes back.
pub struct Book {
    book: OpenBook,
    names: Vec<String>,
    /// The file's size, which bounds what a sheet may hold.
    file_len: usize,
}

impl Drop for Book {
    fn drop(&mut self) {
        self.book.close();
    }
}

/// Why the reader answered no, from what it threw (see the JS above).
fn refusal(e: &JsValue) -> ReadError {
    let field = |key: &str| js_sys::Reflect::get(e, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if field("cancelled").is_truthy() {
        return ReadError::Cancelled;
    }
    if let Some(why) = field("missing").as_string() {
        return ReadError::ReaderMissing(why);
    }
    let refusal = field("refusal");
    let array = refusal.dyn_ref::<js_sys::Array>();
    let part = |i| array.and_then(|a| a.get(i).as_string());
    ReadError::Ingest(match (part(0).as_deref(), part(1)) {
        (Some("no-such-sheet"), Some(name)) => IngestError::NoSuchSheet(name),
        (Some("sheet-too-large"), Some(name)) => IngestError::SheetTooLarge(name),
        (Some("unreadable"), Some(why)) => IngestError::WorkbookUnreadable(why),
        // A trap (out of memory, or a fault in the reader): what the browser says of it
        // ("unreachable") tells a person nothing.
        _ => IngestError::WorkbookUnreadable(
            "the reader stopped on it: it may be too large to open here".into(),
        ),
    })
}

/// The largest workbook file opened: it is held whole in the reader's memory, which a tab
/// cannot make larger than 4 GB, beside what the reader builds from it.
const LARGEST: f64 = 1024.0 * 1024.0 * 1024.0;

/// Opens a workbook file: the reader downloaded and started if it is not yet.
pub async fn open(file: &web_sys::File) -> Result<Book, ReadError> {
    if file.size() > LARGEST {
        return Err(ReadError::Unreadable(format!(
            "the workbook is too large to open here ({:.1} GB); save the sheet as a CSV file and choose that",
            file.size() / 1e9
        )));
    }
    let book: OpenBook = open_book(file)
        .await
        .map_err(|e| refusal(&e))?
        .unchecked_into();
    let names = book
        .sheets()
        .dyn_into::<js_sys::Array>()
        .map_err(|_| {
            ReadError::Ingest(IngestError::WorkbookUnreadable(
                "the workbook reader answered with something other than sheet names".into(),
            ))
        })?
        .iter()
        .map(|n| n.as_string().unwrap_or_default())
        .collect();
    Ok(Book {
        book,
        names,
        file_len: file.size() as usize,
    })
}

/// Ends the opening of a workbook under way (Stop): the reader's worker ends with it.
pub fn stop() {
    stop_opening();
}

impl Book {
    /// Ends the reader now (a sheet read under way is told it was stopped); again is
    /// harmless.
    pub fn close(&self) {
        self.book.close();
    }

    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// One sheet's cells, as the reader hands them over: the (row, column, end of text)
    /// triples and their text (the keeper of the rows makes them rows, see
    /// [`crate::keeper_work`]).
    pub async fn sheet_cells(
        &self,
        name: &str,
    ) -> Result<(js_sys::Uint32Array, js_sys::Uint8Array), ReadError> {
        let parts = JsFuture::from(self.book.sheet(name))
            .await
            .map_err(|e| refusal(&e))?;
        let garbled = || {
            ReadError::Ingest(IngestError::WorkbookUnreadable(
                "the workbook reader answered with something other than a sheet".into(),
            ))
        };
        let parts = parts.dyn_into::<js_sys::Array>().map_err(|_| garbled())?;
        let flat = parts
            .get(0)
            .dyn_into::<js_sys::Uint32Array>()
            .map_err(|_| garbled())?;
        let text = parts
            .get(1)
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| garbled())?;
        Ok((flat, text))
    }

    /// The workbook file's size.
    pub fn file_len(&self) -> usize {
        self.file_len
    }
}
