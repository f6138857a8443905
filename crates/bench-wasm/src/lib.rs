//! The benchmark pipeline as wasm exports for Node. A [`Reader`] takes the file in pieces,
//! as the app does (so the whole file is never copied into wasm memory at once), then
//! `check` validates every row; both report what they found as JSON.

use bulk_core::ingest::{Ingested, Overrides};
use bulk_core::reading::StreamReader;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// A file being read piece by piece.
#[wasm_bindgen]
pub struct Reader {
    inner: Option<StreamReader>,
    file: Option<Ingested>,
    read_ms: f64,
}

#[wasm_bindgen]
impl Reader {
    /// A reader for a file of `total` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(total: f64) -> Reader {
        Reader {
            inner: Some(StreamReader::new(total as u64, Overrides::default())),
            file: None,
            read_ms: 0.0,
        }
    }

    /// Takes the next piece; false on a read error.
    pub fn push(&mut self, piece: &[u8]) -> bool {
        let t = now();
        let ok = self.inner.as_mut().is_some_and(|r| r.push(piece).is_ok());
        self.read_ms += now() - t;
        ok
    }

    /// Ends the file, validates every row, and returns the counts and phase times.
    pub fn finish(&mut self) -> String {
        let t = now();
        let Some(reader) = self.inner.take() else {
            return "{\"error\":\"finished twice\"}".into();
        };
        let file = match reader.finish() {
            Ok(f) => f,
            Err(e) => return format!("{{\"error\":{:?}}}", e.to_string()),
        };
        self.read_ms += now() - t;
        let t = now();
        let o = bulk_bench::check(&file);
        let check_ms = now() - t;
        self.file = Some(file);
        format!(
            "{{\"rows\":{},\"valid\":{},\"invalid\":{},\"read_ms\":{:.1},\"check_ms\":{:.1}}}",
            o.rows, o.valid, o.invalid, self.read_ms, check_ms
        )
    }
}

/// Bytes of wasm memory: it only grows, so after a run it is the run's peak.
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys_memory::Memory>()
        .buffer_len()
}

mod js_sys_memory {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        /// `WebAssembly.Memory`.
        pub type Memory;
        #[wasm_bindgen(method, getter, js_name = buffer)]
        fn buffer(this: &Memory) -> Buffer;
        /// `ArrayBuffer`.
        pub type Buffer;
        #[wasm_bindgen(method, getter, js_name = byteLength)]
        fn byte_length(this: &Buffer) -> f64;
    }
    impl Memory {
        /// The memory's size in bytes.
        pub fn buffer_len(&self) -> f64 {
            self.buffer().byte_length()
        }
    }
}
