//! The older encodings (Windows-1252, Shift_JIS, ...), a wasm module of their own
//! (`crates/legacy-encodings`) fetched the first time a file needs them: a UTF-8 file, the
//! common case, never downloads their tables. Reading a file that needs them stops at once
//! ([`PushError::NeedsLegacy`](bulk_core::reading::PushError::NeedsLegacy)); the page loads
//! the module and reads the file again with it. The module runs on the page, called a piece
//! of the file at a time like the app's own decoders (a piece is 64 KB, well inside a
//! slice). Anything the module throws becomes a sentence about the file, never a stop of
//! the app, and the next file gets a fresh copy of the module.

use bulk_core::Encoding;
use bulk_core::legacy::{Legacy, LegacyDecoder};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/legacy_encodings_link.js")]
extern "C" {
    /// The module, loaded (once), or why not.
    #[wasm_bindgen(catch, js_name = loadLegacy)]
    async fn load_legacy() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = forgetLegacy)]
    fn forget_legacy();

    #[wasm_bindgen(js_name = abandonLegacyLoad)]
    fn abandon_legacy_load();

    /// The module's exports (`crates/legacy-encodings/src/main.rs`).
    type LegacyModule;

    #[wasm_bindgen(method, catch)]
    fn guess(this: &LegacyModule, bytes: &[u8], last: bool) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn decoder(this: &LegacyModule, name: &str) -> Result<JsDecoding, JsValue>;

    /// One file's decoder in the module.
    type JsDecoding;

    #[wasm_bindgen(method, catch)]
    fn decode(this: &JsDecoding, bytes: &[u8], last: bool) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn replaced(this: &JsDecoding) -> Result<bool, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn free(this: &JsDecoding) -> Result<(), JsValue>;
}

thread_local! {
    /// The module, once loaded: every later file that needs it reads with it at once.
    static LOADED: RefCell<Option<Rc<dyn Legacy>>> = const { RefCell::new(None) };
}

/// The older encodings, if the module is loaded.
pub fn loaded() -> Option<Rc<dyn Legacy>> {
    LOADED.with(|l| l.borrow().clone())
}

/// Loads the module (once); why not, in words, when it cannot be had.
pub async fn load() -> Result<Rc<dyn Legacy>, String> {
    if let Some(l) = loaded() {
        return Ok(l);
    }
    let module = load_legacy().await.map_err(|e| why(&e))?;
    let legacy: Rc<dyn Legacy> = Rc::new(InPage(module.unchecked_into()));
    LOADED.with(|l| *l.borrow_mut() = Some(legacy.clone()));
    Ok(legacy)
}

/// A download of the module still under way is not waited on by later files (it may be
/// stalled: the person stopped, or chose another file); done loads are kept.
pub fn abandon_load() {
    abandon_legacy_load();
}

/// What the module threw, in words; it is then forgotten, so the next file gets a fresh
/// copy (a module that trapped is not used again).
fn failed(e: JsValue) -> String {
    LOADED.with(|l| *l.borrow_mut() = None);
    forget_legacy();
    why(&e)
}

fn why(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the module of the older encodings failed".into())
}

/// The module, on the page.
struct InPage(LegacyModule);

impl Legacy for InPage {
    fn guess(&self, bytes: &[u8], last: bool) -> Result<&'static Encoding, String> {
        let name = self.0.guess(bytes, last).map_err(failed)?;
        bulk_core::decode::encoding_for_label(&name).ok_or_else(|| {
            format!("the module named an encoding this page does not know, \"{name}\"")
        })
    }

    fn decoder(&self, encoding: &'static Encoding) -> Result<Box<dyn LegacyDecoder>, String> {
        let decoding = self.0.decoder(encoding.name()).map_err(failed)?;
        Ok(Box::new(Decoding(decoding)))
    }
}

/// One file's decoder in the module; dropping it frees the module's side.
struct Decoding(JsDecoding);

impl LegacyDecoder for Decoding {
    fn decode(&mut self, src: &[u8], dst: &mut String, last: bool) -> Result<bool, String> {
        let text = self.0.decode(src, last).map_err(failed)?;
        dst.push_str(&text);
        self.0.replaced().map_err(failed)
    }
}

impl Drop for Decoding {
    fn drop(&mut self) {
        // A module that trapped may throw here too; there is nothing left to free then.
        let _ = self.0.free();
    }
}
