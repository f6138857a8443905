//! The workbook reader, a wasm module of its own (`src/bin/workbook_reader.rs`) fetched the
//! first time a workbook is chosen: text files, the common case, never download calamine.
//! This side loads it once, hands it the file, and makes each sheet's cells rows here
//! (`bulk_core::sheet`), checking what comes back as it would any outside data. A module
//! that fails to download, or that stops on a file, is loaded afresh for the next workbook.

use crate::loading::ReadError;
use bulk_core::ingest::{IngestError, Ingested};
use bulk_core::sheet::{SheetCells, read_cells};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let reader = null;
let fresh = 0;
// The module once per page; after a failure (a download, or a file that stopped it), a
// fresh copy under another URL, since a failed import stays failed for its URL and a
// stopped module's memory cannot be trusted.
function load() {
  if (!reader) {
    const url = window.bulkUploaderWorkbookModule;
    if (typeof url !== 'string') return Promise.reject(new Error("the page's start script does not name the workbook reader"));
    reader = import(fresh > 0 ? `${url}?fresh=${fresh}` : url).then(async (m) => { await m.default(); return m; });
    reader.catch(() => forgetReader());
  }
  return reader;
}
export function forgetReader() { reader = null; fresh += 1; }
export async function loadReader() { await load(); }
export async function openWorkbook(file) {
  const m = await load();
  const bytes = new Uint8Array(await file.arrayBuffer());
  return m.openWorkbook(bytes);
}
"#)]
extern "C" {
    /// Downloads and starts the reader (once).
    #[wasm_bindgen(catch, js_name = loadReader)]
    async fn load_reader() -> Result<(), JsValue>;

    /// Loads the reader and opens the file with it.
    #[wasm_bindgen(catch, js_name = openWorkbook)]
    async fn open_workbook(file: &web_sys::File) -> Result<JsValue, JsValue>;

    /// The next workbook gets a fresh copy of the reader.
    #[wasm_bindgen(js_name = forgetReader)]
    fn forget_reader();

    /// An open workbook in the reader's module.
    type OpenWorkbook;

    #[wasm_bindgen(method, catch, js_name = sheetNames)]
    fn sheet_names(this: &OpenWorkbook) -> Result<Vec<String>, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn sheet(this: &OpenWorkbook, name: &str) -> Result<js_sys::Array, JsValue>;
}

/// A workbook open in the reader's module.
pub struct Book {
    book: OpenWorkbook,
    names: Vec<String>,
    /// The file's size, which bounds what a sheet may hold.
    file_len: usize,
}

/// What the reader's module threw: one of its refusals (`[kind, detail]`), or something
/// that stopped it (then the next workbook gets a fresh copy).
fn refusal(e: JsValue) -> IngestError {
    let array = e.dyn_ref::<js_sys::Array>();
    let part = |i| array.and_then(|a| a.get(i).as_string());
    match (part(0).as_deref(), part(1)) {
        (Some("no-such-sheet"), Some(name)) => IngestError::NoSuchSheet(name),
        (Some("sheet-too-large"), Some(name)) => IngestError::SheetTooLarge(name),
        (Some("unreadable"), Some(why)) => IngestError::WorkbookUnreadable(why),
        // A trap (out of memory, or a fault in the reader): what the browser says of it
        // ("unreachable") tells a person nothing.
        _ => {
            forget_reader();
            IngestError::WorkbookUnreadable(
                "the reader stopped on it: it may be too large to open here".into(),
            )
        }
    }
}

/// The largest workbook file opened: it is held whole in the reader's memory, which a tab
/// cannot make larger than 4 GB, beside what the reader builds from it.
const LARGEST: f64 = 1024.0 * 1024.0 * 1024.0;

/// Opens a workbook file: the reader downloaded if it is not yet.
pub async fn open(file: &web_sys::File) -> Result<Book, ReadError> {
    if file.size() > LARGEST {
        return Err(ReadError::Unreadable(format!(
            "the workbook is too large to open here ({:.1} GB); save the sheet as a CSV file and choose that",
            file.size() / 1e9
        )));
    }
    // Whether the reader's download failed or the file did: the download is tried first.
    load_reader()
        .await
        .map_err(|e| ReadError::ReaderMissing(describe(&e)))?;
    let book: OpenWorkbook = open_workbook(file)
        .await
        .map_err(|e| ReadError::Ingest(refusal(e)))?
        .unchecked_into();
    let names = book
        .sheet_names()
        .map_err(|e| ReadError::Ingest(refusal(e)))?;
    Ok(Book {
        book,
        names,
        file_len: file.size() as usize,
    })
}

/// A thrown value as a sentence.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser gave no reason".into())
}

impl Book {
    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads one sheet. `header_record` overrides the detected header row as in
    /// [`Overrides`](bulk_core::ingest::Overrides).
    pub fn read_sheet(
        &self,
        name: &str,
        header_record: Option<Option<usize>>,
    ) -> Result<Ingested, IngestError> {
        let parts = self.book.sheet(name).map_err(refusal)?;
        let garbled = || {
            IngestError::WorkbookUnreadable(
                "the workbook reader answered with something other than a sheet".into(),
            )
        };
        let cells = parts
            .get(0)
            .dyn_into::<js_sys::Uint32Array>()
            .map_err(|_| garbled())?
            .to_vec();
        let text = parts
            .get(1)
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| garbled())?
            .to_vec();
        let cells = SheetCells::from_parts(&cells, text, self.file_len, name)?;
        read_cells(cells, name, header_record)
    }
}
