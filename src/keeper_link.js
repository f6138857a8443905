// JavaScript of src/keeper_link.rs (wasm-bindgen's `module`): a file of its own, not `inline_js`. Inline
// snippets are numbered per build, and two builds of this crate (the first screen and the app)
// wrote different snippets under the same names into dist/, so one overwrote the other and the
// page refused it (its integrity no longer matched) or ran the wrong one.
let worker = null;
// Resolves true once the worker has loaded the app's module, false when it could not.
let ready = null;
// No worker can start here: the keeper stays on the page.
let onPage = false;
let next = 1;
const waiting = new Map();

function fail(why) {
  for (const p of waiting.values()) p.reject(why);
  waiting.clear();
}

function start(wasm) {
  const url = globalThis.bulkUploaderRowsWorker;
  const module = globalThis.bulkUploaderAppModule;
  if (typeof url !== 'string' || typeof module !== 'string') { onPage = true; return false; }
  let w;
  try {
    w = new Worker(url, { type: 'module', name: 'rows' });
  } catch (e) {
    onPage = true;
    return false;
  }
  worker = w;
  ready = new Promise((resolve) => {
    w.onmessage = ({ data }) => {
      if (data.id === 0) {
        if (!data.ok) { w.terminate(); if (worker === w) { worker = null; onPage = true; } }
        resolve(!!data.ok);
        return;
      }
      const p = waiting.get(data.id);
      if (!p) return;
      if ('progress' in data) { p.progress(data.progress); return; }
      waiting.delete(data.id);
      if ('ok' in data) p.resolve([data.ok, data.blob ?? null]); else p.reject(data.failed);
    };
    // The worker's script did not load (then the keeper stays on the page), or the worker
    // stopped (out of memory on a huge file): every request waiting is told why.
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      if (worker !== w) return;
      worker = null;
      resolve(false);
      fail(e.message || 'the worker that keeps the rows stopped');
    };
    w.onmessageerror = () => {
      fail('the worker that keeps the rows answered with something the page could not take');
    };
  });
  // The page's compiled module, so the worker compiles nothing (and the browser's
  // optimised code for it is shared).
  w.postMessage({ start: { module, wasm, legacy: globalThis.bulkUploaderLegacyModule } });
  return true;
}

// Sends a message; its answer ([json, blob]), or undefined when the keeper is on the page.
export async function keeperSend(work, file, flat, text, progress, wasm) {
  if (onPage) return undefined;
  if (!worker && !start(wasm)) return undefined;
  if (!(await ready)) return undefined;
  const w = worker;
  if (!w) throw 'the worker that keeps the rows stopped';
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, progress });
    w.postMessage({ id, work, file, flat, text });
  });
}

// Ends the worker, and its memory with it; the next message starts a fresh one.
export function keeperEnd() {
  if (!worker) return false;
  worker.terminate();
  worker = null;
  ready = null;
  fail('ended');
  return true;
}

export function keeperOnPage() { return onPage; }
