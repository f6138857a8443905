// The start page loads a small first screen (the connection form) and hands over to the
// app's module once that has loaded. These tests hold the app's module back at the network
// (a route that answers only when told) to act on the first screen alone, then let it
// through and check that nothing the person did was lost: what they typed, the caret, a
// Connect or Tools pressed meanwhile, a field they emptied. And that the first screen is
// within its download budget, counted from what the browser actually received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSandbox, launch, artifacts } from './helpers.mjs';

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

/** The app's module, which the first screen loads. */
const APP_WASM = /\/bulk-uploader-[0-9a-f]+_bg\.wasm$/;

/** A page whose app module waits until `release()` (or fails, with `fail`). */
async function heldPage({ fail = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  let release;
  const gate = new Promise((go) => { release = go; });
  const asked = page.waitForRequest(APP_WASM);
  await page.route(APP_WASM, async (route) => {
    await gate;
    if (fail) await route.fulfill({ status: 404, body: 'not here' });
    else await route.continue();
  });
  await page.goto(`${sandbox.origin}/`);
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  return { page, errors, release, asked };
}

/** True once the app's module has taken over (its Tools view is in the page). */
const swapped = (page) => page.locator('#tool-callback').waitFor({ state: 'attached', timeout: 30_000 });

test('the first screen is usable alone, and the app takes over with what was typed and the caret where it was', async () => {
  const { page, errors, release, asked } = await heldPage();
  // The first screen asked for the app's module as soon as it was shown.
  await asked;
  assert.equal(await page.locator('#tool-callback').count(), 0, 'the app has not taken over yet');
  await page.screenshot({ path: path.join(artifacts, 'first-screen-alone.png') });
  // The person types in the base URL field and moves the caret into the middle.
  const base = page.getByLabel('Base URL');
  await base.fill('https://tenant.example.com');
  await base.focus();
  await page.evaluate(() => document.getElementById('conn-base').setSelectionRange(8, 8));
  await page.getByLabel('Hub (optional)').fill('');
  await base.focus();
  await page.evaluate(() => document.getElementById('conn-base').setSelectionRange(8, 8));
  release();
  await swapped(page);
  // Typing goes on where it was, in the app's own field.
  await page.keyboard.type('my-');
  assert.equal(await base.inputValue(), 'https://my-tenant.example.com');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'conn-base');
  // The hub the person emptied stays empty: the app does not fill the form in again.
  assert.equal(await page.getByLabel('Hub (optional)').inputValue(), '');
  // The demo secrets the first screen filled in came along, and the badge with them.
  assert.ok((await page.getByLabel('Element token').inputValue()).length > 0);
  assert.equal(await page.locator('.badge').textContent(), 'Sandbox');
  assert.equal(await page.locator('#conn-base').count(), 1, 'one form, not two');
  // The app's exports replaced the first screen's (the e-mail witness test uses them).
  assert.equal(await page.evaluate(() => typeof window.wasmBindings?.bulkCheckEmail), 'function');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Connect pressed before the app has loaded connects once it has', async () => {
  const { page, errors, release } = await heldPage();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const button = page.locator('#connect-button');
  assert.equal(await button.textContent(), 'Connecting…');
  assert.ok(await button.isDisabled());
  release();
  await swapped(page);
  await page.getByText(/Connected to/).waitFor();
  assert.equal(await page.getByLabel('Object', { exact: true }).inputValue(), 'contacts');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Tools pressed before the app has loaded opens the Tools view once it has', async () => {
  const { page, errors, release } = await heldPage();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Tools', exact: true }).click();
  await page.getByText('Opening the tools…').waitFor();
  release();
  await swapped(page);
  await page.getByRole('heading', { name: "Check a callback's signature" }).waitFor();
  assert.ok(await page.getByRole('heading', { name: "Check a callback's signature" }).isVisible());
  assert.equal(await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Tools' }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an app module that cannot be loaded is said on the first screen, which keeps its form and tries again', async () => {
  const { page, errors, release } = await heldPage({ fail: true });
  await page.getByLabel('Base URL').fill('https://tenant.example.com');
  release();
  await page.getByText('The rest of the app could not be loaded', { exact: true }).first().waitFor();
  assert.equal(await page.getByLabel('Base URL').inputValue(), 'https://tenant.example.com');
  assert.equal(await page.getByTestId('next-step-action').textContent(), 'Try again');
  await page.screenshot({ path: path.join(artifacts, 'first-screen-app-failed.png') });
  // Connect tries again too, and says so when that fails as well.
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('connect-button')?.textContent === 'Connect' && !document.getElementById('connect-button').disabled);
  await page.getByText('The rest of the app could not be loaded', { exact: true }).first().waitFor();
  // The network is back: Try again brings the app, with what was typed.
  await page.unroute(APP_WASM);
  await page.getByTestId('next-step-action').click();
  await swapped(page);
  assert.equal(await page.getByLabel('Base URL').inputValue(), 'https://tenant.example.com');
  assert.equal(await page.locator('#conn-base').count(), 1);
  assert.ok(errors.every((e) => !/panicked|RuntimeError|unreachable/.test(e)), errors.join('\n'));
  await page.close();
});

test('the focus on the remember box survives the swap, and so does a theme the link chose', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let release;
  const gate = new Promise((go) => { release = go; });
  await page.route(APP_WASM, async (route) => { await gate; await route.continue(); });
  await page.goto(`${sandbox.origin}/?theme=dark`);
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  assert.equal(await page.locator('#bulk-uploader').getAttribute('data-theme'), 'dark');
  // Every setting of the theme from here on is recorded: none but dark.
  await page.evaluate(() => {
    window.__themes = [];
    new MutationObserver(() => window.__themes.push(document.getElementById('bulk-uploader').getAttribute('data-theme')))
      .observe(document.getElementById('bulk-uploader'), { attributes: true, attributeFilter: ['data-theme'] });
  });
  await page.getByLabel('Remember on this device').focus();
  release();
  await swapped(page);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'conn-remember');
  // (The app sets it again, to the same.)
  const themes = await page.evaluate(() => window.__themes);
  assert.ok(themes.every((t) => t === 'dark'), `the theme went through ${themes}`);
  await page.keyboard.press('Space');
  assert.ok(await page.getByLabel('Remember on this device').isChecked(), 'the key went to the box');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Connect pressed before the settings arrived connects with the form filled in from them', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let releaseApp;
  let releaseConfig;
  const appGate = new Promise((go) => { releaseApp = go; });
  const configGate = new Promise((go) => { releaseConfig = go; });
  await page.route(APP_WASM, async (route) => { await appGate; await route.continue(); });
  await page.route(/\/config\.json$/, async (route) => { await configGate; await route.continue(); });
  await page.goto(`${sandbox.origin}/`);
  await page.getByLabel('Element token').waitFor();
  // Nothing is filled in yet: the person presses Connect anyway, and the app arrives first.
  assert.equal(await page.getByLabel('Base URL').inputValue(), '');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  releaseApp();
  await swapped(page);
  assert.equal(await page.locator('#connect-button').textContent(), 'Connecting…');
  releaseConfig();
  await page.getByText(/Connected to/).waitFor();
  assert.match(await page.getByLabel('Base URL').inputValue(), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first screen downloads at most 300 KB (gzip) before its form can be used', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const bytes = new Map();
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  // The app's module is held back: what arrived by the time the form works is the first screen.
  await page.route(APP_WASM, () => {});
  await page.goto(`${sandbox.origin}/`);
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  await page.getByLabel('Base URL').fill('https://tenant.example.com');
  const seen = [...bytes].map(([id, n]) => [urls.get(id) ?? '?', n]);
  const total = seen.reduce((sum, [, n]) => sum + n, 0);
  assert.ok(seen.some(([u]) => /first-screen-[0-9a-f]+_bg\.wasm$/.test(u)), `fetched: ${seen.map(([u]) => u)}`);
  assert.ok(!seen.some(([u]) => APP_WASM.test(u)), 'the app module is not part of the first screen');
  assert.ok(total <= 300 * 1024, `first screen: ${total} bytes over the wire:\n${seen.map(([u, n]) => `${n}\t${u}`).join('\n')}`);
  await page.close();
});
