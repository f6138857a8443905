// Embedding: the example portal page (docs/embed-example.html), on another origin, embeds the
// app in an iframe, configures it by postMessage, drives a whole upload and receives every
// event in order with the right counts; a page of a third origin cannot steer the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, DEMO, root, sharedData, artifacts, storedEmails , goTo } from './helpers.mjs';
import { serveDir } from './static-server.mjs';

let sandbox, portal, stranger, browser;
const strangerDir = fs.mkdtempSync(path.join('/tmp', 'bulk-stranger-'));
const portalDir = fs.mkdtempSync(path.join('/tmp', 'bulk-portal-'));

before(async () => {
  // The portal's page is served on its own origin, which the sandbox's config.json allows.
  fs.copyFileSync(path.join(root, 'docs', 'embed-example.html'), path.join(portalDir, 'index.html'));
  portal = await serveDir(portalDir);
  stranger = await serveDir(strangerDir);
  sandbox = await startSandbox(['--host-origin', portal.origin, '--step-delay-ms', '100', '--row-delay-ms', '20']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
  await portal?.stop();
  await stranger?.stop();
  fs.rmSync(strangerDir, { recursive: true, force: true });
  fs.rmSync(portalDir, { recursive: true, force: true });
});

const kinds = (events) => events.map((e) => e.type.replace('bulk-uploader:', '')).filter((k) => k !== 'resize');

test('a portal on another origin configures the app by postMessage and hears every event in order', async () => {
  // A third origin's page, framed by the portal too, tries to steer the app.
  fs.writeFileSync(path.join(strangerDir, 'index.html'), `<!doctype html><script>
    window.addEventListener('message', (e) => {
      if (e.data === 'go') parent.frames[0].postMessage({ type: 'bulk-uploader:settings', header: true, theme: 'dark',
        baseUrl: 'https://evil.example', credentials: { user: 'x', organization: 'y', element: 'z' }, connect: true }, '*');
    });</script>`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [], consoleLines = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.goto(`${portal.origin}/?app=${encodeURIComponent(`${sandbox.origin}/`)}`);
  await page.waitForFunction(() => window.events?.some((e) => e.type === 'bulk-uploader:ready'));
  const app = page.frameLocator('#bulk');
  await app.getByLabel('Element token').waitFor();
  assert.equal(await app.locator('.app-header').count(), 0, 'the portal asked for no header (?header=0)');

  // The stranger's attempt: ignored, and counted in the console.
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src; f.id = 'stranger';
    document.body.append(f);
    return new Promise((ok) => { f.onload = ok; });
  }, `${stranger.origin}/`);
  // The stranger frame is frames[1]; the app is frames[0].
  await page.evaluate(() => document.getElementById('stranger').contentWindow.postMessage('go', '*'));
  await page.waitForFunction(() => true);
  const warned = () => consoleLines.some((l) => l.includes(`ignored a message from ${stranger.origin}`) && /1 ignored so far/.test(l));
  for (let i = 0; i < 50 && !warned(); i++) await page.waitForTimeout(100);
  assert.ok(warned(), `no console count of the ignored message: ${consoleLines.join('\n')}`);
  assert.equal(await app.locator('#bulk-uploader').getAttribute('data-theme'), null, 'the stranger did not set the theme');
  assert.notEqual(await app.getByLabel('Base URL').inputValue(), 'https://evil.example');
  assert.equal(await app.locator('.app-header').count(), 0);

  // The portal sends the settings and credentials; the app connects.
  await page.locator('input[name=baseUrl]').fill(sandbox.origin);
  await page.locator('input[name=object]').fill('contacts');
  await page.locator('input[name=user]').fill(DEMO.user);
  await page.locator('input[name=organization]').fill(DEMO.organization);
  await page.locator('input[name=element]').fill(DEMO.element);
  await page.locator('select[name=theme]').selectOption('dark');
  await page.getByRole('button', { name: 'Send settings and connect' }).click();
  await app.getByText(/Connected to/).waitFor();
  assert.equal(await app.locator('#bulk-uploader').getAttribute('data-theme'), 'dark');

  await app.locator('input[type=file]').setInputFiles(path.join(sharedData, 'contacts-with-problems.csv'));
  await app.getByTestId('row-count').waitFor();
  await page.waitForFunction(() => window.events.some((e) => e.type === 'bulk-uploader:file-read'));
  await goTo(app, 'Review');
  const send = await app.getByTestId('send-count').innerText();
  const sendRows = Number(send.match(/\d+/)[0]);
  await goTo(app, 'Upload');
  await app.getByRole('button', { name: /^Upload \d+ rows?/ }).click();
  await page.waitForFunction(() => window.events.some((e) => e.type === 'bulk-uploader:all-finished'), null, { timeout: 60_000 });

  const events = await page.evaluate(() => window.events);
  const order = kinds(events);
  assert.deepEqual(order.slice(0, 4), ['ready', 'connected', 'file-read', 'job-submitted'], `order: ${order}`);
  assert.equal(order.at(-1), 'all-finished', `order: ${order}`);
  const submitted = events.filter((e) => e.type === 'bulk-uploader:job-submitted');
  const finished = events.filter((e) => e.type === 'bulk-uploader:job-finished');
  assert.ok(submitted.length >= 1);
  assert.deepEqual(finished.map((e) => e.job).sort(), submitted.map((e) => e.job).sort(), 'each job finished once');
  assert.ok(order.indexOf('job-finished') > order.lastIndexOf('job-submitted') || finished.length === 1);
  const byType = (k) => events.find((e) => e.type === `bulk-uploader:${k}`);
  const conn = byType('connected');
  assert.equal(conn.origin, sandbox.origin);
  assert.equal(conn.hub, 'finance');
  assert.ok(conn.objects >= 3);
  const read = byType('file-read');
  assert.equal(read.file, 'contacts-with-problems.csv');
  const rowCount = Number((await app.getByTestId('row-count').innerText()).match(/\d+/)[0]);
  assert.equal(read.rows, rowCount);
  assert.ok(read.problems > 0, 'the problem file has rows with problems');
  assert.equal(read.rows - read.problems, sendRows, 'rows without a blocking problem are the rows sent');
  assert.equal(submitted.reduce((s, e) => s + e.rows, 0), sendRows);
  const done = finished.reduce((s, e) => s + e.written + e.failed + e.notProcessed, 0);
  assert.equal(done, sendRows, 'the finished jobs account for every row sent');
  const all = byType('all-finished');
  assert.equal(all.rows, sendRows);
  assert.equal(all.created + all.failed + all.notProcessed, sendRows);
  assert.equal(all.created, (await storedEmails(sandbox)).length, 'created = what the tenant holds');
  // Secrets never travel in an event.
  assert.ok(!JSON.stringify(events).includes(DEMO.element));
  // The app told its height, and the portal sized the frame to it (no double scrollbars).
  // The frame ends up the app's height (+ the example's 2 px and its border), and sizing it
  // does not feed back into another resize (a loop would keep adding events).
  await page.waitForFunction(() => {
    const last = window.events.filter((e) => e.type === 'bulk-uploader:resize').at(-1);
    return last && Math.round(document.getElementById('bulk').getBoundingClientRect().height) === last.height + 4;
  });
  const resizes = await page.evaluate(() => window.events.filter((e) => e.type === 'bulk-uploader:resize').length);
  await page.waitForTimeout(500);
  const after = await page.evaluate(() => window.events.filter((e) => e.type === 'bulk-uploader:resize'));
  assert.equal(after.length, resizes, `resize events kept coming: ${JSON.stringify(after.slice(-3))}`);
  assert.ok(after.at(-1).height > 300, `resize: ${JSON.stringify(after.at(-1))}`);
  const content = await app.locator('main.flow').evaluate((e) => e.getBoundingClientRect().bottom);
  assert.ok(Math.abs(after.at(-1).height - content) <= 2, `the height is the content's: ${after.at(-1).height} vs ${content}`);
  await page.screenshot({ path: path.join(artifacts, 'embedded.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first screen tells the portal its height before the app has loaded', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The app's module never arrives: all the portal hears comes from the first screen.
  await page.route(/bulk-uploader-[0-9a-f]+(_bg\.wasm|\.js)/, (r) => r.abort());
  await page.goto(`${portal.origin}/?app=${encodeURIComponent(`${sandbox.origin}/`)}`);
  const app = page.frameLocator('#bulk');
  await app.getByLabel('Element token').waitFor();
  await page.waitForFunction(() => {
    const last = window.events?.filter((e) => e.type === 'bulk-uploader:resize').at(-1);
    return last && last.height > 200 && Math.round(document.getElementById('bulk').getBoundingClientRect().height) === last.height + 4;
  }, null, { timeout: 15_000 });
  const content = await app.locator('#bulk-uploader').evaluate((e) => e.getBoundingClientRect().height);
  const last = await page.evaluate(() => window.events.filter((e) => e.type === 'bulk-uploader:resize').at(-1));
  assert.ok(Math.abs(last.height - content) <= 1, `the height is the first screen's: ${last.height} vs ${content}`);
  assert.ok(!(await page.evaluate(() => window.events.some((e) => e.type === 'bulk-uploader:ready'))), 'the app never started');
  await page.close();
});

test('settings a portal sends while the person is connecting are connected with, not dropped', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The person's attempt is slow to be answered: the portal's settings arrive meanwhile.
  let asked = 0;
  await page.route(/\/objects(\?|$)/, async (r) => {
    // Long enough for the portal's message to arrive first even on a busy machine.
    if (asked++ === 0) await new Promise((ok) => setTimeout(ok, 3000));
    await r.continue();
  });
  await page.goto(`${portal.origin}/?app=${encodeURIComponent(`${sandbox.origin}/`)}`);
  await page.waitForFunction(() => window.events?.some((e) => e.type === 'bulk-uploader:ready'));
  const app = page.frameLocator('#bulk');
  await app.getByLabel('Base URL').fill(sandbox.origin);
  await app.getByLabel('User secret').fill(DEMO.user);
  await app.getByLabel('Organization secret').fill(DEMO.organization);
  await app.getByLabel('Element token').fill('not-the-token');
  await app.getByRole('button', { name: 'Connect', exact: true }).click();
  await app.getByRole('button', { name: /Connecting/ }).waitFor();
  await page.locator('input[name=baseUrl]').fill(sandbox.origin);
  await page.locator('input[name=user]').fill(DEMO.user);
  await page.locator('input[name=organization]').fill(DEMO.organization);
  await page.locator('input[name=element]').fill(DEMO.element);
  await page.getByRole('button', { name: 'Send settings and connect' }).click();
  await page.waitForFunction(() => window.events.some((e) => e.type === 'bulk-uploader:connected'), null, { timeout: 15_000 });
  await app.getByText(/Connected to/).waitFor();
  assert.equal(asked, 2, 'the person\'s attempt, then the portal\'s');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a message from an allowed origin that is wrong gets an error event, not a silent ignore', async () => {
  const page = await browser.newPage();
  await page.goto(`${portal.origin}/?app=${encodeURIComponent(`${sandbox.origin}/`)}`);
  await page.waitForFunction(() => window.events?.some((e) => e.type === 'bulk-uploader:ready'));
  await page.evaluate((o) => document.getElementById('bulk').contentWindow.postMessage(
    { type: 'bulk-uploader:settings', allowedOrigins: ['https://evil.example'] }, o), sandbox.origin);
  await page.waitForFunction(() => window.events.some((e) => e.type === 'bulk-uploader:error'));
  const error = await page.evaluate(() => window.events.find((e) => e.type === 'bulk-uploader:error'));
  assert.match(error.message, /allowedOrigins ignored: only config.json may set it/);
  await page.close();
});
