//! How the page's messages reach the keeper of the rows: a Web Worker of its own
//! (`src/rows_worker.js`) that runs the app's own module, handed the page's compiled wasm so
//! it compiles nothing again. Reading, checking and writing upload files then never hold the
//! page, and ending the worker when another file is chosen hands all of the rows' memory
//! back (a wasm memory never shrinks; a worker's goes with it). A page that cannot start the
//! worker (one that includes the start script from another origin: a worker's script must
//! be of the page's own) keeps the rows itself and does the same work on the page, a slice
//! at a time, by the same code ([`crate::keeper_work::work`]).

use crate::keeper::{Answer, Unsent};
use crate::keeper_work::{self, Done, Given, Work};
use crate::loading::{Progress, ReadError};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/keeper_link.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = keeperSend)]
    async fn keeper_send(
        work: String,
        file: JsValue,
        flat: JsValue,
        text: JsValue,
        progress: &Closure<dyn FnMut(String)>,
        wasm: JsValue,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = keeperEnd)]
    fn keeper_end() -> bool;
}

/// Sends `work` to the keeper with what it needs (`given`); its answer. Progress of long
/// work comes to `progress` meanwhile.
pub async fn send(work: Work, given: Given, progress: impl FnMut(Progress) + 'static) -> Done {
    send_for_file(work, given, progress).await.0
}

/// A file the keeper wrote.
pub enum Written {
    /// Its bytes (the keeper is on the page).
    Bytes(Vec<u8>),
    /// Handed over by the keeper's worker.
    Blob(web_sys::Blob),
}

/// [`send`], for work that writes a file: the file comes beside the answer, as a `Blob`,
/// when the keeper is in its worker.
pub async fn send_for_file(
    work: Work,
    given: Given,
    progress: impl FnMut(Progress) + 'static,
) -> (Done, Option<web_sys::Blob>) {
    let Ok(json) = serde_json::to_string(&work) else {
        return (lost(&work, "the message could not be written".into()), None);
    };
    let progress = std::rc::Rc::new(std::cell::RefCell::new(progress));
    let told = progress.clone();
    let on_progress = Closure::<dyn FnMut(String)>::new(move |p: String| {
        if let Ok(p) = serde_json::from_str::<Progress>(&p) {
            (told.borrow_mut())(p);
        }
    });
    let file = given.file.clone().map_or(JsValue::NULL, JsValue::from);
    let (flat, text) = given
        .sheet
        .clone()
        .map_or((JsValue::NULL, JsValue::NULL), |(f, t)| {
            (f.into(), t.into())
        });
    let wasm = wasm_bindgen::module();
    let sent = keeper_send(json, file, flat, text, &on_progress, wasm).await;
    match sent {
        // No worker here: the page keeps the rows, and does the work in a later task.
        Ok(answer) if answer.is_undefined() => {
            crate::browser::yield_now().await;
            let mut tell = |p: Progress| (progress.borrow_mut())(p);
            (keeper_work::work(work, given, &mut tell).await, None)
        }
        Ok(answer) => {
            let parts = answer.dyn_into::<js_sys::Array>().ok();
            let json = parts.as_ref().and_then(|p| p.get(0).as_string());
            let beside = parts.map_or(JsValue::NULL, |p| p.get(1));
            let mut done = json
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_else(|| lost(&work, "the answer could not be read".into()));
            // A job's upload file comes beside its answer (see `keeper_work::from_json`);
            // without it the job would go up empty, so it is then a failure to write it.
            if let Done::Answer(Answer::JobFile(written)) = &mut done
                && let Ok(job) = written
            {
                match beside.dyn_ref::<js_sys::Uint8Array>() {
                    Some(csv) => job.csv = csv.to_vec(),
                    None => *written = Err("its rows did not come from the worker".into()),
                }
            }
            (done, beside.dyn_into::<web_sys::Blob>().ok())
        }
        Err(why) => (lost(&work, why.as_string().unwrap_or_default()), None),
    }
}

/// Ends the keeper's worker, handing its memory back; the next message starts a fresh one
/// (with no rows). On a page that keeps the rows itself, lets go of them instead.
pub async fn end() {
    if !keeper_end() {
        let _ = send(Work::Clear, Given::default(), |_| {}).await;
    }
}

/// The answer to `work` when the keeper stopped (`why`) before answering.
fn lost(work: &Work, why: String) -> Done {
    let why = if why.is_empty() {
        "the worker that keeps the rows stopped".to_string()
    } else {
        why
    };
    match work {
        Work::ReadFile(_) | Work::ReadText(..) | Work::ReadSheet(..) => {
            Done::Read(Err(if why == "ended" {
                ReadError::Cancelled
            } else {
                ReadError::Unreadable(why)
            }))
        }
        Work::Check(..) => Done::Checked(false),
        Work::Gather(..) => Done::Gathered(Err(Unsent::NotChecked)),
        Work::Answer(_) => Done::Answer(Answer::Nothing),
        Work::WarmUp | Work::Stop | Work::StopCheck | Work::Clear | Work::CheckAsRead(..) => {
            Done::Done
        }
    }
}
