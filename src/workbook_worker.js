// The workbook reader's Web Worker (src/workbook_reader.rs starts one per workbook). It loads
// the reader's module (src/bin/workbook_reader.rs) and answers three requests, one at a time,
// in order: { module } loads it, { file } opens a workbook, { sheet } reads one sheet's cells.
// Opening and reading a big workbook takes seconds of work: here it never holds the page, Stop
// can end it at once, and ending the worker when another file is chosen hands its memory back.
// Every answer is { ok } or why not: { missing } (the reader did not load), { refusal } (the
// reader's [kind, detail] for a workbook it cannot read) or { failed } (it stopped).
let reader = null;
let book = null;

const why = (e) => (Array.isArray(e) ? { refusal: e } : { failed: String(e?.message ?? e) });

onmessage = async ({ data }) => {
  if (data.module !== undefined) {
    try {
      reader = await import(data.module);
      await reader.default();
      postMessage({ ok: true });
    } catch (e) {
      postMessage({ missing: String(e?.message ?? e) });
    }
    return;
  }
  try {
    if (data.file !== undefined) {
      book?.free();
      book = null;
      book = reader.openWorkbook(new Uint8Array(await data.file.arrayBuffer()));
      postMessage({ ok: book.sheetNames() });
    } else if (data.sheet !== undefined) {
      const [cells, text] = book.sheet(data.sheet);
      // Handed over, not copied: the arrays were copied out of the reader's memory already.
      postMessage({ ok: [cells, text] }, [cells.buffer, text.buffer]);
    }
  } catch (e) {
    postMessage(why(e));
  }
};
