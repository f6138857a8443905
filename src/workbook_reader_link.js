// JavaScript of src/workbook_reader.rs (wasm-bindgen's `module`): a file of its own, not `inline_js`. Inline
// snippets are numbered per build, and two builds of this crate (the first screen and the app)
// wrote different snippets under the same names into dist/, so one overwrote the other and the
// page refused it (its integrity no longer matched) or ran the wrong one.
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
