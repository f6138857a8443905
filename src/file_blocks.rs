//! A chosen file's bytes, in order, a block at a time, for the reader. The file is streamed
//! into one buffer of ours that every block reuses (a "bring your own buffer" reader), and
//! each block is copied into one reused buffer in wasm memory. So reading a 100 MB file
//! holds one block besides the table, instead of the dozens of spent blocks the garbage
//! collector has not reached yet (about 60 MB more at the peak, measured). The next block is
//! asked for as soon as one is copied, so the disk works while the parser does.
//!
//! A browser whose file streams cannot fill a buffer of ours (no BYOB reading) gets
//! `Blob.slice().arrayBuffer()` blocks instead, read one ahead.

use crate::loading::ReadError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Bytes asked of the browser at once.
const BLOCK: u32 = 4 * 1024 * 1024;

/// The blocks of one file.
pub(crate) struct FileBlocks {
    source: Source,
    /// The block last read, in its first `len` bytes.
    bytes: Vec<u8>,
    len: usize,
}

enum Source {
    /// The file's stream, read into our buffer; the read under way.
    Stream {
        file: web_sys::File,
        reader: web_sys::ReadableStreamByobReader,
        pending: Option<JsFuture>,
    },
    /// Slices read whole, each a new buffer: the one under way and where it ends.
    Slices {
        file: web_sys::File,
        pending: Option<(JsFuture, f64)>,
    },
}

fn unreadable(e: JsValue) -> ReadError {
    // What the browser says when a file changed, moved or went away after it was chosen
    // (the read in a worker meets it mid-stream; on the page it often shows at the end).
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("NotReadableError") {
        return changed_on_disk();
    }
    ReadError::Unreadable(
        e.as_string()
            .unwrap_or_else(|| "the browser could not read the file".into()),
    )
}

fn changed_on_disk() -> ReadError {
    ReadError::Unreadable(
        "it changed on disk while it was read (saved over, moved or deleted)".into(),
    )
}

/// The part of `file` from `start` to `end`.
fn slice(file: &web_sys::File, start: f64, end: f64) -> Result<web_sys::Blob, ReadError> {
    file.slice_with_f64_and_f64(start, end)
        .map_err(|_| ReadError::Unreadable("the browser could not read a part of the file".into()))
}

/// The bytes of a started `Blob.arrayBuffer()`.
async fn bytes_of(read: JsFuture) -> Result<js_sys::Uint8Array, ReadError> {
    let buffer: js_sys::ArrayBuffer = read.await.map_err(unreadable)?.dyn_into().map_err(|_| {
        ReadError::Unreadable("the browser returned something other than bytes".into())
    })?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// The first `len` bytes of `file` (fewer in a shorter file), to recognise a workbook.
pub(crate) async fn head(file: &web_sys::File, len: f64) -> Result<Vec<u8>, ReadError> {
    let read = JsFuture::from(slice(file, 0.0, len)?.array_buffer());
    Ok(bytes_of(read).await?.to_vec())
}

/// Starts a read into `buffer` from its start.
fn read_into(reader: &web_sys::ReadableStreamByobReader, buffer: &js_sys::ArrayBuffer) -> JsFuture {
    let view = js_sys::Uint8Array::new_with_byte_offset_and_length(buffer, 0, buffer.byte_length());
    JsFuture::from(reader.read_with_array_buffer_view(&view))
}

/// Starts reading the slice of `file` that begins at `start`; `None` past the end.
fn read_slice(file: &web_sys::File, start: f64) -> Result<Option<(JsFuture, f64)>, ReadError> {
    let total = file.size();
    if start >= total {
        return Ok(None);
    }
    let end = (start + f64::from(BLOCK)).min(total);
    Ok(Some((
        JsFuture::from(slice(file, start, end)?.array_buffer()),
        end,
    )))
}

/// `chunk` into the start of `bytes`, its length into `len`. The buffer only ever grows, and
/// is zeroed only then: zeroing it for every block cost more than the copy (50 ms of a
/// 100 MB read, profiled in Chromium).
fn copy(chunk: &js_sys::Uint8Array, bytes: &mut Vec<u8>, len: &mut usize) {
    let n = chunk.length() as usize;
    if bytes.len() < n {
        bytes.resize(n, 0);
    }
    *len = 0;
    if let Some(into) = bytes.get_mut(..n) {
        chunk.copy_to(into);
        *len = n;
    }
}

impl FileBlocks {
    /// Starts reading the first block of `file`.
    pub(crate) fn open(file: &web_sys::File) -> Result<FileBlocks, ReadError> {
        let stream = file.stream();
        let source = match web_sys::ReadableStreamByobReader::new(&stream) {
            Ok(reader) => {
                let pending = read_into(&reader, &js_sys::ArrayBuffer::new(BLOCK));
                Source::Stream {
                    file: file.clone(),
                    reader,
                    pending: Some(pending),
                }
            }
            Err(_) => {
                quietly(stream.cancel());
                Source::Slices {
                    file: file.clone(),
                    pending: read_slice(file, 0.0)?,
                }
            }
        };
        Ok(FileBlocks {
            source,
            bytes: Vec::new(),
            len: 0,
        })
    }

    /// Waits for the next block ([`bytes`](Self::bytes)) and asks for the one after it;
    /// false after the last.
    pub(crate) async fn next(&mut self) -> Result<bool, ReadError> {
        match &mut self.source {
            Source::Stream {
                file,
                reader,
                pending,
            } => {
                let Some(read) = pending.take() else {
                    return Ok(false);
                };
                let result = match read.await {
                    Ok(result) => result,
                    Err(e) => return Err(why_unread(file, e).await),
                };
                let done = js_sys::Reflect::get(&result, &"done".into())
                    .ok()
                    .and_then(|d| d.as_bool())
                    .unwrap_or(true);
                let value = js_sys::Reflect::get(&result, &"value".into())
                    .ok()
                    .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok());
                let Some(value) = value.filter(|_| !done) else {
                    return still_as_chosen(file).await.map(|()| false);
                };
                copy(&value, &mut self.bytes, &mut self.len);
                // The buffer came back with the bytes (a read moves it): copied out, it
                // takes the next read at once.
                *pending = Some(read_into(reader, &value.buffer()));
            }
            Source::Slices { file, pending } => {
                let Some((read, end)) = pending.take() else {
                    return Ok(false);
                };
                let block = match bytes_of(read).await {
                    Ok(block) => block,
                    Err(e) => return Err(still_as_chosen(file).await.err().unwrap_or(e)),
                };
                *pending = read_slice(file, end)?;
                copy(&block, &mut self.bytes, &mut self.len);
            }
        }
        Ok(true)
    }

    /// The block [`next`](Self::next) read.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// Reads the file's first byte again after its stream ended. A stream checks that the file
/// is still as chosen only when it opens, where a read of a slice checks each time: a file
/// saved over, or deleted, while it was read would otherwise be read as a mix of two
/// versions, or silently from what was open.
async fn still_as_chosen(file: &web_sys::File) -> Result<(), ReadError> {
    head(file, 1.0)
        .await
        .map(|_| ())
        .map_err(|_| changed_on_disk())
}

/// Why a read of `file` failed. The browser names a file changed on disk
/// (`NotReadableError`) only sometimes: under load the same change came back as a bare
/// failure, so the file is asked again before the failure is reported as the browser's.
async fn why_unread(file: &web_sys::File, e: JsValue) -> ReadError {
    match still_as_chosen(file).await {
        Err(changed) => changed,
        Ok(()) => unreadable(e),
    }
}

/// Lets a promise settle without anyone waiting: a rejection (cancelling a stream whose
/// file went away rejects) is then taken here instead of reaching the page as an
/// uncaught error.
fn quietly(promise: js_sys::Promise) {
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

impl Drop for FileBlocks {
    /// A read given up (Cancel, another file, a restart, an error) stops the stream too.
    fn drop(&mut self) {
        if let Source::Stream { reader, .. } = &self.source {
            quietly(reader.cancel());
        }
    }
}
