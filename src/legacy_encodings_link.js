// JavaScript of src/legacy_encodings.rs (wasm-bindgen's `module`): a file of its own, not `inline_js`. Inline
// snippets are numbered per build, and two builds of this crate (the first screen and the app)
// wrote different snippets under the same names into dist/, so one overwrote the other and the
// page refused it (its integrity no longer matched) or ran the wrong one.
let fresh = 0;
// The load under way or done: { promise, done }.
let loading = null;

// One load at a time: two files that need the module at once share it.
export function loadLegacy() {
  if (!loading) {
    const load = { done: false };
    load.promise = (async () => {
      const url = globalThis.bulkUploaderLegacyModule;
      if (typeof url !== 'string') throw "the page's start script does not name the module of the older encodings";
      try {
        const module = await import(fresh > 0 ? `${url}?fresh=${fresh}` : url);
        await module.default();
        return module;
      } catch (e) {
        fresh += 1;
        throw String(e?.message ?? e);
      }
    })();
    // A load that failed is not kept: the next file tries again.
    load.promise.then(() => { load.done = true; }, () => { if (loading === load) loading = null; });
    loading = load;
  }
  return loading.promise;
}

// A load still under way when the person stops or chooses another file may be stalled: the
// next file that needs the module starts a fresh one instead of waiting on it.
export function abandonLegacyLoad() { if (loading && !loading.done) { loading = null; fresh += 1; } }

// After the module threw (it may have trapped): the next file loads a fresh copy.
export function forgetLegacy() { if (loading) { loading = null; fresh += 1; } }
