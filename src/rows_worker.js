// The Web Worker that keeps a file's rows (src/keeper_link.rs starts it; src/keeper.rs and
// src/keeper_work.rs are what it runs). It loads the app's own module, with the page's
// compiled wasm when the page hands it over, and passes each message to the module's
// bulkKeeperWork: the message as JSON, the file or a sheet's cells that come with it, and a
// way to report progress. Messages are taken as they come; long work (reading, checking)
// yields between slices, so a question asked meanwhile is answered meanwhile.
// Answers: { id, ok, blob } (the answer as JSON, and a file written as a Blob, a job's upload
// file as bytes, or null),
// { id, progress } (JSON) or { id, failed }.
let app = null;

onmessage = async ({ data }) => {
  if (data.start) {
    const { module, wasm, legacy } = data.start;
    // Where the older encodings' module is, for a file that needs it (src/legacy_encodings.rs).
    globalThis.bulkUploaderLegacyModule = legacy;
    try {
      app = await import(module);
      await app.default(wasm ? { module_or_path: wasm } : undefined);
      postMessage({ id: 0, ok: true });
    } catch (e) {
      postMessage({ id: 0, failed: String(e?.message ?? e) });
    }
    return;
  }
  const { id, work, file, flat, text } = data;
  try {
    const [done, blob] = await app.bulkKeeperWork(work, file ?? null, flat ?? null, text ?? null, (progress) =>
      postMessage({ id, progress }),
    );
    // Bytes are handed over, not copied.
    postMessage({ id, ok: done, blob }, blob instanceof Uint8Array ? [blob.buffer] : []);
  } catch (e) {
    postMessage({ id, failed: String(e?.message ?? e) });
  }
};
