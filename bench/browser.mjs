// The browser rows of the benchmark, in Debian's headless Chromium on this machine:
//   node bench/browser.mjs <file> app    the built app against a fresh sandbox: from the
//                                        moment the file is chosen (the input's `change`
//                                        event) to "N rows ready" on the page (the rows read
//                                        and checked by the app's worker, src/rows_worker.js)
//   node bench/browser.mjs <file> floor  `Blob.arrayBuffer` of the same chosen file: the
//                                        least any reader in the page can take
// Prints one JSON line (the fields of the other runners) plus the main thread's long tasks
// (over 50 ms) that started after the file was chosen. Memory is the renderer processes'
// peak resident size above what they held before the file was chosen (Linux /proc; the
// peak is reset first).
// Needs the built app (dist/) and sandbox (target/debug/bulk-sandbox): ./bench.sh builds them.
import fs from 'node:fs';
import { connect, launch, rendererMemory, startSandbox } from '../tests/e2e/helpers.mjs';

const [file, mode = 'app'] = process.argv.slice(2);

/** Records long tasks and the moment a file is chosen, before any page script runs. */
function observe() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'file') window.__chosen = performance.now();
  }, true);
}

const browser = await launch();
const sandbox = mode === 'app' ? await startSandbox(['--step-delay-ms', '0', '--row-delay-ms', '0']) : null;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(observe);
  if (sandbox) {
    await page.goto(`${sandbox.origin}/`);
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
    await connect(page);
    await page.getByText(/11 fields, 2 required/).waitFor();
    // The app compiles its reading and checking code for speed on a made-up file as soon as
    // it starts (src/warm_up.rs, about 2 s here); a person connecting and picking a file
    // takes longer than that, so the file is chosen once it is done, as theirs would be.
    await page.waitForSelector('#bulk-uploader[data-warmed-up]', { state: 'attached', timeout: 30_000 });
  } else {
    await page.setContent('<input type="file">');
    await page.evaluate(observe);
    await page.evaluate(() => {
      document.querySelector('input').addEventListener('change', async (e) => {
        const buffer = await e.target.files[0].arrayBuffer();
        window.__done = { at: performance.now(), bytes: buffer.byteLength };
      });
    });
  }
  const memory = await rendererMemory(browser);
  const before = await memory.mark();

  await page.locator('input[type=file]').setInputFiles(file);
  let result;
  if (sandbox) {
    // The rows are checked when the footer says how many are ready (on the Columns step,
    // where reading a file takes the person).
    await page.waitForFunction(() => {
      const said = document.querySelector('[data-testid=next-step]')?.textContent ?? '';
      if (/rows? ready/.test(said) && !window.__checked) window.__checked = performance.now();
      return !!window.__checked;
    }, null, { timeout: 600_000, polling: 'raf' });
    const got = await page.evaluate(() => {
      const said = document.querySelector('[data-testid=next-step]').textContent;
      return {
        seconds: (window.__checked - window.__chosen) / 1000,
        rows: document.querySelector('[data-testid=row-count]')?.textContent ?? '',
        valid: /([\d,]+) rows? ready/.exec(said)?.[1] ?? '',
        invalid: /([\d,]+) skipped/.exec(said)?.[1] ?? '0',
        long: window.__long.filter(([at]) => at >= window.__chosen).map(([, ms]) => ms),
      };
    });
    const num = (s) => Number(String(s).replace(/[^0-9]/g, ''));
    result = { rows: num(got.rows), valid: num(got.valid), invalid: num(got.invalid), seconds: got.seconds, long: got.long };
  } else {
    await page.waitForFunction(() => window.__done, null, { timeout: 600_000 });
    const got = await page.evaluate(() => ({
      ...window.__done,
      chosen: window.__chosen,
      long: window.__long.filter(([at]) => at >= window.__chosen).map(([, ms]) => ms),
    }));
    result = { rows: 0, seconds: (got.at - got.chosen) / 1000, long: got.long };
  }
  const peak = await memory.peakAbove(before);
  const { long, ...rest } = result;
  console.log(JSON.stringify({
    size: fs.statSync(file).size, ...rest, peak_bytes: peak,
    long_tasks: long.length, longest_ms: Math.max(0, ...long),
  }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e.message ?? e).split('\n')[0] }));
} finally {
  await browser.close();
  await sandbox?.stop();
}
