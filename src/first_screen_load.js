// JavaScript of src/first_screen.rs (wasm-bindgen's `module`): a file of its own, not `inline_js`. Inline
// snippets are numbered per build, and two builds of this crate (the first screen and the app)
// wrote different snippets under the same names into dist/, so one overwrote the other and the
// page refused it (its integrity no longer matched) or ran the wrong one.
export async function loadApp(attempt) {
  // The start script names this release's app module (scripts/start-script.mjs).
  const url = window.bulkUploaderAppModule;
  if (typeof url !== 'string') throw new Error("the page's start script does not name the app's module");
  if (attempt === 0) await painted();
  // A failed import stays failed for its URL: another attempt asks under another one.
  const app = await import(attempt > 0 ? `${url}?attempt=${attempt}` : url);
  await app.default();
  // The first screen exports nothing: the app's exports take the place Trunk gave them.
  window.wasmBindings = app;
  return app;
}

// Resolves once the first screen has been painted (or after a second, for a tab that is not
// painted, being hidden). The app's module is the largest download: asked for before the
// first paint (the small module can start before it), it made the start page's first paint
// wait for it in Lighthouse's simulation of a slow phone, which counts every download begun
// before a paint as needed for it (largest paint 6 s, score 63-71, in a third of the runs under load).
function painted() {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(late); setTimeout(resolve, 0); };
    const late = setTimeout(resolve, 1000);
    try {
      if (performance.getEntriesByName('first-contentful-paint').length > 0) return done();
      const seen = new PerformanceObserver((list) => {
        if (list.getEntriesByName('first-contentful-paint').length > 0) { seen.disconnect(); done(); }
      });
      seen.observe({ type: 'paint', buffered: true });
    } catch {
      // No paint timing in this browser: the second's wait alone.
    }
  });
}
