// Shared fixtures for the end-to-end tests: start a real sandbox (the built binary, serving
// the built app) on a free port, launch Debian's Chromium headless, and a few steps of the
// flow that every test takes the same way a person would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where tests write screenshots, downloads and generated files (not in git). */
export const artifacts = path.join(here, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
export const root = path.resolve(here, '..', '..');
// Copies of ../shared/data, so a clean clone has everything it tests with.
export const sharedData = process.env.SAMPLE_DATA ?? path.join(root, 'tests', 'data');
const sandboxBin = process.env.SANDBOX_BIN ?? path.join(root, 'target', 'debug', 'bulk-sandbox');
const appDir = process.env.APP_DIR ?? path.join(root, 'dist');

export const DEMO = {
  user: 'sandbox-user-secret',
  organization: 'sandbox-org-secret',
  element: 'sandbox-element-token',
};
export const AUTH = `User ${DEMO.user}, Organization ${DEMO.organization}, Element ${DEMO.element}`;

/** Starts a sandbox serving the built app; resolves once it printed its address. */
export function startSandbox(extraArgs = []) {
  // Slow enough by default that every job state can be seen; tests may pass their own.
  const defaults = { '--step-delay-ms': '700', '--row-delay-ms': '150' };
  const args = ['--port', '0', '--app-dir', appDir, ...extraArgs];
  for (const [flag, value] of Object.entries(defaults)) if (!extraArgs.includes(flag)) args.push(flag, value);
  const proc = spawn(sandboxBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 15_000);
    proc.on('exit', (code) => reject(new Error(`sandbox exited (${code}): ${stderr}`)));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(?:sandbox on|Open) (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        const origin = m[1];
        resolve({
          origin,
          api: `${origin}/elements/api-v2`,
          stop: () => new Promise((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', done);
            proc.kill('SIGTERM');
          }),
          /** A JSON GET against the sandbox's API with the demo credentials. */
          get: async (p) => {
            const r = await fetch(`${origin}/elements/api-v2${p}`, { headers: { Authorization: AUTH } });
            return { status: r.status, body: await r.json() };
          },
        });
      }
    });
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page on the app, failing the test on any uncaught error (a wasm panic is one);
 * `prepare(page)`, if given, runs before the page loads. */
export async function openApp(browser, origin, errors, prepare) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await prepare?.(page);
  await page.goto(`${origin}/`);
  // The form is pre-filled once the app asked the sandbox for its demo credentials.
  await page.getByLabel('Element token').waitFor();
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  // The first screen shows the same form: wait for the app itself (its Tools view), whose
  // start sets the root's theme, so a test's own changes to the page are not undone by it.
  await page.locator('#tool-callback').waitFor({ state: 'attached', timeout: 30_000 });
  return page;
}

export async function connect(page) {
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(/Connected to/).waitFor();
}

/** Switches to the Tools view (records, job history, callback signatures, the request) or
 *  back to the import. */
export async function view(page, name) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

const STEP_IDS = { Connection: 'connect', File: 'file', Columns: 'columns', Review: 'review', Upload: 'upload' };

/** Opens a step of the import with the step bar (as a person would), unless it is shown. */
export async function goTo(page, name) {
  const button = page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name, exact: true });
  if ((await button.getAttribute('aria-current')) !== 'step') await button.click();
  await page.locator(`#step-${STEP_IDS[name]}`).waitFor();
  // A step is drawn a task after it is first shown, and the grid's rows a task after the grid
  // (each says aria-busy meanwhile): a person sees them at once, a test could look too soon.
  // (Locators, not page.waitForSelector: `page` may be a portal's frame.)
  await page.locator(`section.step[aria-labelledby=step-${STEP_IDS[name]}]:not([aria-busy=true])`).waitFor();
  if (name === 'Review') await page.locator('.grid[aria-busy=false]').waitFor();
}

/** Chooses a file on the File step; its read moves the app on to the Columns step. Then
 *  opens `step` (the Review, unless told), where most tests continue. */
export async function chooseFile(page, file, step = 'Review') {
  await goTo(page, 'File');
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('row-count').waitFor();
  if (step !== 'Columns') await goTo(page, step);
}

export const text = (page, testId) => page.getByTestId(testId).innerText();

/** The memory of the tab: the renderer process that holds the page and its workers (they
 * run in its process), found as the one that grew most, from Linux's /proc. `held()` is what
 * the largest renderer holds now; `mark()` notes what each holds and starts its peak (VmHWM,
 * kept by Linux from a process's start) again from there; `peakAbove(mark)` is how far the
 * one that grew most went above its mark. */
export async function rendererMemory(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const pids = async () => (await cdp.send('SystemInfo.getProcessInfo')).processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const bytes = (pid, key) => {
    try {
      return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
    } catch {
      return 0; // a process that ended
    }
  };
  return {
    held: async () => Math.max(0, ...(await pids()).map((pid) => bytes(pid, 'VmRSS'))),
    async mark() {
      const marked = new Map();
      for (const pid of await pids()) {
        marked.set(pid, bytes(pid, 'VmRSS'));
        try { fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { /* a process that ended */ }
      }
      return marked;
    },
    peakAbove: async (marked) => Math.max(0, ...[...marked].map(([pid, then]) => bytes(pid, 'VmHWM') - then)),
  };
}

export async function setFaults(sandbox, f) {
  const r = await fetch(`${sandbox.origin}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
  if (r.status !== 200) throw new Error(`faults refused (${r.status}): ${await r.text()}`);
}

/** The e-mail addresses of every contact the sandbox holds, sorted. */
export async function storedEmails(sandbox) {
  const r = await sandbox.get('/hubs/finance/contacts?pageSize=500');
  if (r.status !== 200) throw new Error(`listing contacts: ${r.status}`);
  return r.body.map((c) => c.email).sort();
}

/** Waits until `n` job cards show a terminal state, their failures are read and the totals
 *  have nothing in progress. */
export async function settled(page, n, timeout = 30_000) {
  await page.waitForFunction((count) => {
    const states = [...document.querySelectorAll('[data-testid=job-state]')].map((e) => e.textContent);
    const totals = document.querySelector('[data-testid=totals]')?.textContent ?? '';
    return states.length === count && states.every((s) => /COMPLETED|ABORTED|ERROR|CANCELLED/.test(s))
      && totals !== '' && !/in progress/.test(totals) && document.querySelectorAll('[data-testid=job-errors]').length === count;
  }, n, { timeout });
}

/** Waits until the grid has drawn the rows it asked for: it fetches the rows in view in a
 *  later task and says `aria-busy` meanwhile (the rows are kept apart from the page). */
export async function gridReady(page) {
  await page.waitForSelector('.grid[aria-busy=false]');
}

/** The cell detail's text once it speaks of the active cell as it is now (it keeps the cell
 *  before, marked `aria-busy`, until the active cell's row arrives). */
export async function cellDetail(page) {
  await page.waitForSelector('[data-testid=cell-detail][aria-busy=false]');
  return page.getByTestId('cell-detail').innerText();
}
