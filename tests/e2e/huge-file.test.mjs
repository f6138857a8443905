// A 300 MB file (about 2.4 million rows) goes to the worker that keeps the rows: it is read,
// checked, edited and its upload files written there, while the page's own thread runs
// nothing long of ours. Not a timing test: Chromium names the scripts of every long
// animation frame (the Long Animation Frames API), and none of ours may run for 50 ms,
// whatever else the machine does, because nothing heavy of ours runs on the page. The last
// row can be reached, and the rows' memory goes back once a small file is chosen (the
// worker ends; a wasm memory never shrinks, so this is the only way to give it back).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSandbox, launch, connect, text, sharedData, artifacts, goTo, gridReady, rendererMemory } from './helpers.mjs';
import { bigFile } from './big-file.mjs';

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** The scripts of ours among a long frame's: those of our origin, and the continuations of
 *  our async work, which run from a MessagePort message (the app yields to the browser with
 *  one) and which Chromium shows without a URL. */
const ours = (origin) => (s) => s.duration >= 50 && (s.url.startsWith(origin) || (s.url === '' && s.invoker === 'MessagePort.onmessage'));

const cell = (page, line, column) => page.locator('.grid tbody tr', { has: page.locator('td.col-line', { hasText: new RegExp(`^${line}$`) }) }).locator('td').nth(column + 2);

test('a 300 MB file is read, checked, edited and uploaded off the page: no long task of ours, the last row in reach, its memory back after a small file', async () => {
  const big = bigFile(300);
  const rows = `${big.rows.toLocaleString('en-US')} rows`;
  const errors = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    // Frames keep coming (a requestAnimationFrame loop), and every long one is kept with
    // the scripts that ran in it and for how long.
    window.__frames = 0;
    const tick = () => { window.__frames += 1; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__slow = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__slow.push({
          start: e.startTime,
          duration: e.duration,
          scripts: e.scripts.map((s) => ({ url: s.sourceURL, invoker: s.invoker, duration: s.duration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(`${sandbox.origin}/`);
  await connect(page);
  await page.getByText(/11 fields, 2 required/).waitFor();

  const memory = await rendererMemory(browser);
  const before = await memory.mark();

  const t0 = await page.evaluate(() => performance.now());
  const frames0 = await page.evaluate(() => window.__frames);
  await page.locator('input[type=file]').setInputFiles(big.file);
  await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent === n, rows, { timeout: 300_000 });
  await page.getByTestId('next-step').getByText(/rows? ready/).waitFor({ timeout: 300_000 });
  assert.match(await text(page, 'next-step'), new RegExp(`· ${rows} ready\\.`));
  const t1 = await page.evaluate(() => performance.now());
  const peak = await memory.peakAbove(before);
  console.log(`# 300 MB: read and checked in ${((t1 - t0) / 1000).toFixed(2)} s, renderer peak +${(peak / 1e6).toFixed(0)} MB (${(peak / big.size).toFixed(2)}x the file)`);
  assert.ok(peak < 1.6 * big.size, `the renderer grew by ${(peak / 1e6).toFixed(0)} MB; under 1.6x the file (${(1.6 * big.size / 1e6).toFixed(0)} MB)`);
  // The rows are in the worker, not in the page's own memory.
  const pageHeap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  assert.ok(pageHeap < 0.1 * big.size, `the page's own heap holds ${(pageHeap / 1e6).toFixed(0)} MB`);

  // Edited: a cell of the first row, re-checked at once.
  await goTo(page, 'Review');
  await gridReady(page);
  await cell(page, 2, 0).click();
  await page.keyboard.press('Enter');
  await page.getByLabel('Edit line 2').fill('not an address');
  await page.getByLabel('Edit line 2').press('Enter');
  await page.waitForFunction(() => document.querySelector('.grid tbody td[aria-invalid=true]'), null, { timeout: 60_000 });

  // The last row, at the end of the grid.
  const grid = page.locator('.grid-viewport');
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.getByText(big.last, { exact: true }).waitFor({ timeout: 30_000 });
  await gridReady(page);
  const lastLine = await page.locator('.grid tbody tr:not(.spacer)').last().locator('.col-line').innerText();
  assert.equal(lastLine, String(big.rows + 1), 'the last row is on the last line');
  await page.screenshot({ path: path.join(artifacts, 'huge-file-end.png') });
  const t2 = await page.evaluate(() => performance.now());

  // Not one script of ours ran for 50 ms on the page while the file was read, checked,
  // edited and scrolled to its end.
  const slow = await page.evaluate(([a, b]) => window.__slow.filter((f) => f.start >= a && f.start <= b), [t0, t2]);
  const mine = slow.flatMap((f) => f.scripts).filter(ours(sandbox.origin));
  const frames = (await page.evaluate(() => window.__frames)) - frames0;
  console.log(`# 300 MB: ${frames} frames; ${slow.length} long frames (longest ${Math.max(0, ...slow.map((f) => f.duration)).toFixed(0)} ms); scripts of ours over 50 ms: ${mine.length}`);
  assert.ok(frames > 10, `frames kept coming (${frames})`);
  assert.deepEqual(mine, [], 'no script of ours held the page for 50 ms');

  // A small file: the big one's worker ends, and its memory goes back.
  const held = await memory.held();
  await goTo(page, 'File');
  await page.locator('input[type=file]').setInputFiles(path.join(sharedData, 'contacts-with-problems.csv'));
  await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent === '11 rows');
  let now = held;
  for (let i = 0; i < 50 && held - now < 0.8 * big.size; i++) {
    await page.waitForTimeout(200);
    now = await memory.held();
  }
  console.log(`# 300 MB: held ${(held / 1e6).toFixed(0)} MB with the big file, ${(now / 1e6).toFixed(0)} MB after a small one`);
  assert.ok(held - now >= 0.8 * big.size, `choosing a small file gave back ${((held - now) / 1e6).toFixed(0)} MB; at least 0.8x the big file (${(0.8 * big.size / 1e6).toFixed(0)} MB)`);

  // Uploaded: chosen again, its rows are gathered and the first jobs' files written (in the
  // worker) and sent, still with no script of ours running 50 ms on the page.
  await page.locator('input[type=file]').setInputFiles(big.file);
  await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent === n, rows, { timeout: 300_000 });
  await page.getByTestId('next-step').getByText(/rows? ready/).waitFor({ timeout: 300_000 });
  await goTo(page, 'Upload');
  const u0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: `Upload ${rows}` }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=job-id]').length >= 4, null, { timeout: 120_000 });
  const u1 = await page.evaluate(() => performance.now());
  const slowUp = await page.evaluate(([a, b]) => window.__slow.filter((f) => f.start >= a && f.start <= b), [u0, u1]);
  const oursUp = slowUp.flatMap((f) => f.scripts).filter(ours(sandbox.origin));
  console.log(`# 300 MB: Upload pressed to the fourth job in ${((u1 - u0) / 1000).toFixed(2)} s; ${slowUp.length} long frames; scripts of ours over 50 ms: ${oursUp.length}`);
  assert.deepEqual(oursUp, [], 'no script of ours held the page for 50 ms while the upload started');
  assert.deepEqual(errors, []);
  await page.close();
});
