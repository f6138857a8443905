//! The workbook reader's module: calamine and the workbook formats (.xlsx, .xlsm, .xlsb,
//! .xls, .ods), about a quarter of the app's code, fetched only when a person chooses a
//! workbook (`src/workbook_reader.rs` loads it). It opens the file and hands over each
//! sheet's cells as two plain arrays; the app's module makes them rows
//! (`bulk_core::sheet`). Being a module of its own also fences it off: a workbook that makes
//! the reader fail stops this module, never the app.

use bulk_core::ingest::IngestError;
use bulk_core::workbook::Workbook;
use wasm_bindgen::prelude::*;

fn main() {}

/// An open workbook.
#[wasm_bindgen]
pub struct OpenWorkbook(Workbook);

/// Why a workbook or sheet could not be read, as `[kind, detail]` (the app's module turns
/// it back into its sentence).
fn refusal(e: IngestError) -> JsValue {
    let (kind, detail) = match e {
        IngestError::NoSuchSheet(name) => ("no-such-sheet", name),
        IngestError::SheetTooLarge(name) => ("sheet-too-large", name),
        IngestError::WorkbookUnreadable(why) => ("unreadable", why),
        other => ("unreadable", other.to_string()),
    };
    js_sys::Array::of2(&kind.into(), &detail.into()).into()
}

/// Opens a workbook held in `bytes`.
#[wasm_bindgen(js_name = openWorkbook)]
pub fn open_workbook(bytes: Vec<u8>) -> Result<OpenWorkbook, JsValue> {
    Workbook::open(bytes).map(OpenWorkbook).map_err(refusal)
}

#[wasm_bindgen]
impl OpenWorkbook {
    /// The sheet names, in workbook order.
    #[wasm_bindgen(js_name = sheetNames)]
    pub fn sheet_names(&self) -> Vec<String> {
        self.0.sheet_names().to_vec()
    }

    /// The cells of one sheet that show something, as Excel shows them: `[cells, text]`,
    /// the (row, column, end of text) triples one after another (a `Uint32Array`) and
    /// their text as UTF-8 (a `Uint8Array`), copied out of this module's memory.
    pub fn sheet(&mut self, name: &str) -> Result<js_sys::Array, JsValue> {
        let (cells, text) = self.0.sheet_cells(name).map_err(refusal)?.into_parts();
        let cells = js_sys::Uint32Array::from(cells.as_slice());
        let text = js_sys::Uint8Array::from(text.as_slice());
        Ok(js_sys::Array::of2(&cells, &text))
    }
}
