//! The older encodings' module: the decoders of Windows-125x, ISO-8859-x, Shift_JIS, GBK,
//! Big5 and the rest, and chardetng's guess among them (bulk-core's built-in
//! [`Legacy`](bulk_core::legacy::Legacy)). Their tables are most of what reading costs in
//! code size and nearly every file is UTF-8, so the app's module has none of them: it loads
//! this one the first time a file needs it (`src/legacy_encodings.rs` in the app), and calls
//! it on the page, a piece of the file at a time. Encodings cross by name.

use bulk_core::legacy::{Legacy, LegacyDecoder};
use wasm_bindgen::prelude::*;

fn main() {}

fn built_in() -> Result<std::rc::Rc<dyn Legacy>, JsValue> {
    bulk_core::legacy::builtin().ok_or_else(|| "the older encodings are not in this build".into())
}

/// The name of the encoding of `bytes`, which are not UTF-8 (`last`: the whole file).
#[wasm_bindgen]
pub fn guess(bytes: &[u8], last: bool) -> Result<String, JsValue> {
    Ok(built_in()?.guess(bytes, last)?.name().to_string())
}

/// One file's decoder.
#[wasm_bindgen]
pub struct Decoding {
    decoder: Box<dyn LegacyDecoder>,
    replaced: bool,
}

/// A decoder for the encoding called `name`.
#[wasm_bindgen]
pub fn decoder(name: &str) -> Result<Decoding, JsValue> {
    let encoding = bulk_core::decode::encoding_for_label(name)
        .ok_or_else(|| JsValue::from(format!("no encoding is called \"{name}\"")))?;
    Ok(Decoding {
        decoder: built_in()?.decoder(encoding)?,
        replaced: false,
    })
}

#[wasm_bindgen]
impl Decoding {
    /// The text of the next piece of the file (`last`: no more follow), each malformed
    /// sequence as U+FFFD ([`replaced`](Self::replaced) says whether there was one).
    pub fn decode(&mut self, bytes: &[u8], last: bool) -> Result<String, JsValue> {
        let mut text = String::new();
        self.replaced = self.decoder.decode(bytes, &mut text, last)?;
        Ok(text)
    }

    /// Whether the last piece had a malformed sequence.
    pub fn replaced(&self) -> bool {
        self.replaced
    }
}
