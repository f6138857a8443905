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

#[wasm_bindgen(inline_js = r#"
let fresh = 0;
let opening = null;
const asWhy = (e) => (Array.isArray(e) ? { refusal: e } : { failed: String(e?.message ?? e) });

// In a worker (src/workbook_worker.js): requests answered in order, one at a time.
function inWorker(workerUrl, moduleUrl) {
  const worker = new Worker(workerUrl, { type: 'module', name: 'workbook-reader' });
  const pending = [];
  let started = false;
  // Why the worker is gone, once it is: later requests get it at once, not a wait for ever.
  let ended = null;
  const fail = (reason) => { ended = reason; for (const p of pending.splice(0)) p.reject(reason); };
  worker.onmessage = ({ data }) => {
    const p = pending.shift();
    if (!p) return;
    if ('ok' in data) p.resolve(data.ok); else p.reject(data);
  };
  // The worker's script did not load, or something escaped the reader.
  worker.onerror = (e) => {
    e.preventDefault();
    worker.terminate();
    fail(started ? { failed: e.message || 'the workbook reader stopped' } : { missing: e.message || 'the workbook reader did not start' });
  };
  // An answer that could not be passed over (it would leave its request waiting for ever).
  worker.onmessageerror = () => {
    worker.terminate();
    fail({ failed: 'the workbook reader answered with something the page could not take' });
  };
  const ask = (message) => new Promise((resolve, reject) => {
    if (ended) { reject(ended); return; }
    pending.push({ resolve, reject });
    worker.postMessage(message);
  });
  return {
    async start() { await ask({ module: moduleUrl }); started = true; },
    open: (file) => ask({ file }),
    sheet: (name) => ask({ sheet: name }),
    close() { worker.terminate(); if (!ended) fail({ cancelled: true }); },
  };
}

// On the page, where a worker cannot start (a page that includes the start script from
// another origin: a worker's script must be of the page's own).
function inPage(moduleUrl) {
  let module = null;
  let wb = null;
  let closed = false;
  return {
    async start() {
      try {
        module = await import(fresh > 0 ? `${moduleUrl}?fresh=${fresh}` : moduleUrl);
        await module.default();
      } catch (e) {
        fresh += 1;
        throw { missing: String(e?.message ?? e) };
      }
    },
    async open(file) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (closed) throw { cancelled: true };
      // A refusal leaves the module sound; a trap does not: the next workbook gets a fresh copy.
      try { wb = module.openWorkbook(bytes); return wb.sheetNames(); } catch (e) { if (!Array.isArray(e)) fresh += 1; throw asWhy(e); }
    },
    async sheet(name) {
      if (closed) throw { cancelled: true };
      try { return wb.sheet(name); } catch (e) { throw asWhy(e); }
    },
    close() { closed = true; wb?.free(); wb = null; },
  };
}

export async function openBook(file) {
  const moduleUrl = window.bulkUploaderWorkbookModule;
  const workerUrl = window.bulkUploaderWorkbookWorker;
  if (typeof moduleUrl !== 'string' || typeof workerUrl !== 'string') {
    throw { missing: "the page's start script does not name the workbook reader" };
  }
  let book;
  try { book = inWorker(workerUrl, moduleUrl); } catch { book = inPage(moduleUrl); }
  opening = book;
  try {
    await book.start();
    book.sheets = await book.open(file);
    return book;
  } catch (e) {
    book.close();
    throw e;
  } finally {
    if (opening === book) opening = null;
  }
}

export function stopOpening() { opening?.close(); }
"#)]
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
