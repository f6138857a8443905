// The hosting recipe, run: docs/nginx.conf (filled in by nginx.mjs) serves the built app
// under /tools/bulk/ with the strict Content-Security-Policy and passes /elements/ on to a
// sandbox standing in for the tenant. The app, in headless Chromium, connects through nginx,
// uploads the seed file and scrolls a 3,000-row grid without one policy violation; the
// .wasm and .js come pre-compressed; and an inline start script under the same policy is
// refused, which shows the violation listener is not deaf.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, launch, chooseFile, text, settled, storedEmails, DEMO, sharedData, artifacts, root , goTo, gridReady } from './helpers.mjs';
import { startNginx } from './nginx.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'";
const distDir = process.env.APP_DIR ?? path.join(root, 'dist');
const SEED = path.join(sharedData, 'seed-contacts.tsv');

let sandbox;
let nginx;
let browser;
before(async () => {
  sandbox = await startSandbox();
  nginx = await startNginx({ distDir, upstream: sandbox.origin });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await nginx?.stop();
  await sandbox?.stop();
});

/** A page on the app under nginx that records every policy violation from before the first
 *  script of the page runs, console messages about the policy, errors and requests. */
async function openUnderCsp(origin) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const seen = { cspConsole: [], errors: [], requests: [], responses: [] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.cspConsole.push(m.text());
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('request', (r) => seen.requests.push({ method: r.method(), url: r.url() }));
  page.on('response', (r) => seen.responses.push(r));
  const response = await page.goto(`${origin}/tools/bulk/`);
  return { page, response, seen };
}

/** Fills the connection form as a person would (each field cleared first) and connects. */
async function connectThroughNginx(page) {
  await page.getByLabel('Element token').waitFor();
  // dist's config.json sets nothing: the form starts empty (not pre-filled with the static
  // host's own origin), once the app has read that config.
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByLabel('Base URL').inputValue(), '');
  const values = {
    'Base URL': nginx.origin,
    'Hub (optional)': 'finance',
    'User secret': DEMO.user,
    'Organization secret': DEMO.organization,
    'Element token': DEMO.element,
  };
  for (const [label, value] of Object.entries(values)) {
    const field = page.getByLabel(label, { exact: true });
    await field.clear();
    await field.fill(value);
  }
  assert.equal(await page.locator('.badge', { hasText: 'Sandbox' }).count(), 0, 'nginx is not taken for the sandbox');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(/Connected to/).waitFor();
  assert.equal(await page.getByLabel('Object', { exact: true }).inputValue(), 'contacts');
}

const violations = (page) => page.evaluate(() => window.__csp);

/** GET without letting fetch decode the body: status, headers and the bytes as sent. */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('under nginx and the strict policy the seed file uploads through /elements/ with no violation', async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  const { page, response, seen } = await openUnderCsp(nginx.origin);
  assert.equal(response.status(), 200);
  const headers = await response.allHeaders();
  assert.equal(headers['content-security-policy'], STRICT_CSP, 'the page carries the strict policy');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.match(headers['content-type'], /^text\/html/);

  await connectThroughNginx(page);
  await chooseFile(page, SEED);
  // What the walking skeleton asserts of the same file, served by the sandbox.
  assert.equal(await text(page, 'delimiter'), 'tab');
  assert.equal(await text(page, 'row-count'), '10 rows');
  assert.match(await text(page, 'encoding'), /^UTF-8/);
  assert.equal(await text(page, 'send-count'), '10 rows');
  assert.equal(await page.locator('.grid td.cell-warning').count(), 1);
  assert.match(await page.locator('.grid td.cell-warning').innerText(), /444\) 444-1234/);
  await gridReady(page);
  assert.equal(await page.locator('.grid tbody tr:not(.spacer)').count(), 10);

  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.getByTestId('job-id').waitFor();
  await settled(page, 1, 60_000);
  assert.equal(await text(page, 'job-state'), 'COMPLETED');
  assert.equal(await text(page, 'records-count'), '10');
  assert.equal(await text(page, 'failed-count'), '0');
  assert.equal(await text(page, 'job-errors'), 'No failed records.');
  const timeline = await page.locator('.timeline li').allInnerTexts();
  assert.equal(timeline[0], 'CREATED');
  assert.equal(timeline.at(-1), 'COMPLETED');

  // The rows reached the tenant behind nginx, each once.
  const inFile = fs.readFileSync(SEED, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]).sort();
  assert.equal(inFile.length, 10);
  assert.deepEqual(await storedEmails(sandbox), inFile);

  // Every API call went to the page's origin under /elements/ (nginx passed it on, with the
  // Authorization header: the sandbox answers 401 without it), none to the sandbox itself.
  const api = seen.requests.filter((r) => r.url.includes('/elements/'));
  assert.ok(api.length >= 4, `API requests seen: ${api.length}`);
  for (const r of api) assert.ok(r.url.startsWith(`${nginx.origin}/elements/api-v2/`), `${r.method} ${r.url}`);
  assert.ok(api.some((r) => r.method === 'POST' && r.url === `${nginx.origin}/elements/api-v2/hubs/finance/bulk/contacts`),
    'the bulk job was submitted through nginx');
  assert.deepEqual(seen.requests.filter((r) => r.url.startsWith(sandbox.origin)), [], 'nothing went to the sandbox directly');
  assert.deepEqual(seen.requests.filter((r) => !r.url.startsWith(`${nginx.origin}/`) && !/^(data|blob):/.test(r.url)), [],
    'nothing left the page\'s origin');
  const apiAnswers = seen.responses.filter((r) => r.url().includes('/elements/'));
  assert.ok(apiAnswers.length >= 4);
  for (const r of apiAnswers) assert.ok(r.status() < 400, `${r.status()} for ${r.url()}`);
  // The browser got the pre-compressed wasm too (Chromium offers br as well; nginx has gzip).
  const wasm = seen.responses.find((r) => r.url().endsWith('.wasm'));
  assert.ok(wasm, 'the wasm was fetched');
  assert.equal((await wasm.allHeaders())['content-encoding'], 'gzip');
  assert.equal((await wasm.allHeaders())['content-type'], 'application/wasm');

  await page.screenshot({ path: path.join(artifacts, 'nginx-seed-uploaded.png'), fullPage: true });
  assert.deepEqual(await violations(page), [], 'no Content-Security-Policy violation');
  assert.deepEqual(seen.cspConsole, [], 'no console message about the policy');
  // No console error at all: without `sandbox` in a config the app never asks /sandbox/info.
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('nginx sends the build\'s own .gz of the .wasm and .js files, and the raw file to a client without gzip', async () => {
  const names = fs.readdirSync(distDir).filter((n) => /\.(wasm|js)$/.test(n));
  assert.ok(names.some((n) => n.endsWith('.wasm')) && names.filter((n) => n.endsWith('.js')).length >= 2, `built files: ${names}`);
  // The four modules, the first screen's, the app's, the workbook reader's and the older
  // encodings', carry their content's hash.
  for (const stem of ['first-screen', 'bulk-uploader', 'workbook-reader', 'legacy-encodings']) {
    assert.ok(names.some((n) => new RegExp(`^${stem}-[0-9a-f]+_bg\\.wasm$`).test(n)), `${stem}: built files: ${names}`);
  }
  for (const name of names) {
    const url = `${nginx.origin}/tools/bulk/${name}`;
    const gz = await rawGet(url, { 'accept-encoding': 'gzip' });
    assert.equal(gz.status, 200, name);
    assert.equal(gz.headers['content-encoding'], 'gzip', name);
    assert.equal(gz.headers['content-type'], name.endsWith('.wasm') ? 'application/wasm' : 'application/javascript; charset=utf-8', name);
    assert.match(gz.headers.vary ?? '', /Accept-Encoding/i, name);
    assert.equal(gz.headers['x-content-type-options'], 'nosniff', name);
    // Hashed names never change: cached for a year.
    assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable', name);
    // Byte for byte the file compress.mjs wrote (gzip_static), not a gzip made on the fly.
    assert.ok(gz.body.equals(fs.readFileSync(path.join(distDir, `${name}.gz`))), `${name}: the body is ${name}.gz`);
  }
  // The page and its settings keep their names across releases: asked again every time.
  // The start script (hashed, cached for good) names the app's module, the workbook reader
  // and the older encodings of its own release.
  const start = names.find((n) => /^start-[0-9a-f]+\.js$/.test(n));
  for (const stem of ['bulk-uploader', 'workbook-reader', 'legacy-encodings']) {
    const module = names.find((n) => new RegExp(`^${stem}-[0-9a-f]+\\.js$`).test(n));
    assert.ok(fs.readFileSync(path.join(distDir, start), 'utf8').includes(`'./${module}'`), `${start} names ${module}`);
  }
  for (const p of ['/tools/bulk/', '/tools/bulk/index.html', '/tools/bulk/config.json']) {
    assert.equal((await rawGet(`${nginx.origin}${p}`)).headers['cache-control'], 'no-cache', p);
  }
  const wasm = names.find((n) => n.endsWith('.wasm'));
  const plain = await rawGet(`${nginx.origin}/tools/bulk/${wasm}`);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.equals(fs.readFileSync(path.join(distDir, wasm))), 'without gzip, the wasm itself');

  // The folder without its slash is sent to the folder; a file that is not there is a 404.
  const bare = await rawGet(`${nginx.origin}/tools/bulk`);
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.location, '/tools/bulk/');
  assert.equal((await rawGet(`${nginx.origin}/tools/bulk/not-there.wasm`)).status, 404);
});

test('under the strict policy the grid scrolls to the last line of a 3,000-row file', async () => {
  const file = path.join(artifacts, 'contacts-3000.csv');
  const lines = ['C_EmailAddress,C_FirstName,C_LastName,C_Title,C_BusPhone,C_Company,C_Website1'];
  for (let i = 1; i <= 3000; i++) {
    const n = String(i).padStart(4, '0');
    lines.push(`person${n}@example.com,First${n},Last${n},Engineer,(333) 333-${n},Company ${n},https://www.example.com`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');

  const { page, seen } = await openUnderCsp(nginx.origin);
  await connectThroughNginx(page);
  await chooseFile(page, file);
  assert.equal(await text(page, 'row-count'), '3,000 rows');

  const grid = page.locator('.grid-viewport');
  await grid.scrollIntoViewIfNeeded();
  // The grid's height and its spacer rows are set through the CSSOM, which the policy allows:
  // were they blocked, the grid would not scroll at all.
  const size = await grid.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
  assert.ok(size.client > 0 && size.client <= 440, `grid height ${size.client}`);
  assert.ok(size.scroll > 3000 * 30, `scroll height ${size.scroll} holds 3,000 rows`);
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });

  const last = page.locator('.grid tbody tr:not(.spacer)').filter({ has: page.locator('td.col-line', { hasText: /^3001$/ }) });
  await last.waitFor();
  assert.match(await last.innerText(), /person3000@example\.com/);
  const where = await last.evaluate((row) => {
    const box = row.getBoundingClientRect();
    const port = row.closest('.grid-viewport').getBoundingClientRect();
    return { top: box.top, bottom: box.bottom, portTop: port.top, portBottom: port.bottom, window: window.innerHeight, scrollTop: row.closest('.grid-viewport').scrollTop };
  });
  assert.ok(where.scrollTop > 0, 'the grid scrolled');
  assert.ok(where.bottom > where.top, 'the row has a height');
  assert.ok(where.top >= where.portTop && where.bottom <= where.portBottom + 1, `line 3001 inside the grid: ${JSON.stringify(where)}`);
  assert.ok(where.top >= 0 && where.bottom <= where.window, `line 3001 inside the window: ${JSON.stringify(where)}`);
  assert.ok(await page.locator('.grid tbody tr:not(.spacer)').count() < 100, 'only the rows in view are in the page');
  await page.screenshot({ path: path.join(artifacts, 'nginx-grid-3000-end.png') });

  assert.deepEqual(await violations(page), [], 'no Content-Security-Policy violation');
  assert.deepEqual(seen.cspConsole, [], 'no console message about the policy');
  await page.close();
});

test('control: the start-up code put back inline is refused by the same policy, and the listener sees it', async () => {
  // A copy of the build whose index.html runs the start-up code inline, as Trunk writes it
  // without scripts/start-script.mjs. Its .gz and .br are dropped, or nginx would send them.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-dist-inline-'));
  fs.cpSync(distDir, copy, { recursive: true });
  for (const stale of ['index.html.gz', 'index.html.br']) fs.rmSync(path.join(copy, stale), { force: true });
  const index = path.join(copy, 'index.html');
  const html = fs.readFileSync(index, 'utf8');
  const tag = html.match(/<script type="module" src="\.\/(start-[0-9a-f]+\.js)"[^>]*><\/script>/);
  assert.ok(tag, 'the built index.html loads its start-up code from a file');
  const code = fs.readFileSync(path.join(copy, tag[1]), 'utf8');
  fs.writeFileSync(index, html.replace(tag[0], `<script type="module">${code}</script>`));

  const inline = await startNginx({ distDir: copy, upstream: sandbox.origin });
  try {
    const { page, response, seen } = await openUnderCsp(inline.origin);
    assert.equal((await response.allHeaders())['content-security-policy'], STRICT_CSP);
    assert.match(await response.text(), /<script type="module">\s*import init/, 'the page holds the inline start-up code');
    await page.waitForFunction(() => window.__csp.length > 0, null, { timeout: 15_000 });
    const seenViolations = await violations(page);
    assert.ok(seenViolations.some((v) => /^script-src(-elem)? inline$/.test(v)), `violations: ${seenViolations}`);
    assert.ok(seen.cspConsole.some((m) => /(Refused to execute|Executing) inline script/.test(m)), `console: ${seen.cspConsole}`);
    // Blocked, the app never starts: once the network is quiet the shell is still there.
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('#loading-shell').count(), 1);
    assert.equal(await page.evaluate(() => typeof window.wasmBindings), 'undefined');
    await page.close();
  } finally {
    await inline.stop();
    fs.rmSync(copy, { recursive: true, force: true });
  }
  // stop() waited for the process: it is gone.
  assert.throws(() => process.kill(inline.pid, 0), { code: 'ESRCH' });
});
