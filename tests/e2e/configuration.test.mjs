// Runtime configuration on a static host: the app with a config.json starts pre-filled from
// it (and the link's parameters win); without one it starts empty and asks nothing of any
// server before Connect; "Remember on this device" is opt-in and Forget clears it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, DEMO, root } from './helpers.mjs';
import { serveDir, appCopy } from './static-server.mjs';

const appDir = process.env.APP_DIR ?? path.join(root, 'dist');
let sandbox, browser;
before(async () => { sandbox = await startSandbox(['--step-delay-ms', '50', '--row-delay-ms', '5']); browser = await launch(); });
after(async () => { await browser?.close(); await sandbox?.stop(); });

/** A page that records every request it makes and fails on uncaught errors. */
async function open(url, errors, requests) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.getByLabel('Element token').waitFor();
  return page;
}

const fill = async (page, secrets) => {
  await page.getByLabel('User secret').fill(secrets.user);
  await page.getByLabel('Organization secret').fill(secrets.organization);
  await page.getByLabel('Element token').fill(secrets.element);
};

test('with a config.json the app starts pre-filled from it, and the link wins over it', async () => {
  const dir = appCopy(appDir, {
    baseUrl: sandbox.origin, hub: 'finance', object: 'customers', rowsPerJob: 7,
    theme: 'dark', header: false, userSecret: 'never-read',
  });
  const host = await serveDir(dir);
  const errors = [], requests = [];
  try {
    const page = await open(`${host.origin}/`, errors, requests);
    await page.waitForFunction(() => document.querySelector('#conn-base')?.value !== '');
    assert.equal(await page.getByLabel('Base URL').inputValue(), sandbox.origin);
    assert.equal(await page.getByLabel('Hub (optional)').inputValue(), 'finance');
    assert.equal(await page.getByLabel('User secret').inputValue(), '', 'no secret comes from the config file');
    assert.equal(await page.locator('.app-header').count(), 0, 'header: false hides the header');
    assert.equal(await page.locator('#bulk-uploader').getAttribute('data-theme'), 'dark');
    assert.match(await page.getByTestId('host-warnings').innerText(), /userSecret ignored: secrets are never read/);
    assert.ok(!requests.some((u) => u.startsWith(sandbox.origin)), `asked the tenant before Connect: ${requests}`);
    await fill(page, DEMO);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/Connected to/).waitFor();
    assert.equal(await page.getByLabel('Object', { exact: true }).inputValue(), 'customers', 'the config chose the object');
    assert.ok(requests.some((u) => u.startsWith(`${sandbox.origin}/elements/api-v2/hubs/finance/objects`)));
    assert.ok(!requests.some((u) => u.includes('/sandbox/info')), 'sandbox: not set, so /sandbox/info is never asked');
    await page.close();

    // The link's parameters win over the file; secrets in a link are refused.
    const link = await open(`${host.origin}/?hub=crm&theme=light&header=1&elementToken=leak&base=http://evil.example`, errors, []);
    await link.waitForFunction(() => document.querySelector('#conn-hub')?.value === 'crm');
    assert.equal(await link.locator('#bulk-uploader').getAttribute('data-theme'), 'light');
    assert.equal(await link.locator('.app-header').count(), 1);
    assert.equal(await link.getByLabel('Element token').inputValue(), '');
    assert.match(await link.getByTestId('host-warnings').innerText(), /elementToken ignored/);
    // Nor may a link move the base URL this server's config sets: the secrets would follow.
    assert.equal(await link.getByLabel('Base URL').inputValue(), sandbox.origin);
    assert.match(await link.getByTestId('host-warnings').innerText(), /base ignored: this server's config.json sets the base URL/);
    await link.close();
    assert.deepEqual(errors, []);
  } finally {
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without a config.json the form starts empty and nothing is asked before Connect', async () => {
  const dir = appCopy(appDir, undefined);
  const host = await serveDir(dir);
  const errors = [], requests = [];
  try {
    const page = await open(`${host.origin}/`, errors, requests);
    // Give the start-up every chance to ask for something it should not.
    await page.waitForLoadState('networkidle');
    for (const label of ['Base URL', 'Hub (optional)', 'User secret', 'Organization secret', 'Element token']) {
      assert.equal(await page.getByLabel(label).inputValue(), '', `${label} starts empty`);
    }
    assert.match(await page.getByLabel('Base URL').getAttribute('placeholder'), /^https:\/\//);
    assert.equal(await page.locator('.badge', { hasText: 'Sandbox' }).count(), 0);
    const asked = requests.map((u) => new URL(u)).filter((u) => u.protocol.startsWith('http'));
    assert.ok(asked.every((u) => u.origin === host.origin), `a request left the page's origin: ${requests}`);
    const paths = asked.map((u) => u.pathname);
    assert.ok(paths.includes('/config.json'), 'the optional config was looked for');
    assert.ok(!paths.some((p) => p.startsWith('/sandbox') || p.startsWith('/elements')), `asked: ${paths}`);
    assert.equal(await page.locator('[data-testid=host-warnings]').count(), 0, 'a missing config is no warning');

    // A link may fill the base URL when no config sets it, and the form says where it came from.
    const linked = await open(`${host.origin}/?base=${encodeURIComponent(sandbox.origin)}`, errors, []);
    await linked.waitForFunction(() => document.querySelector('#conn-base')?.value !== '');
    assert.equal(await linked.getByLabel('Base URL').inputValue(), sandbox.origin);
    assert.match(await linked.getByTestId('base-from-link').innerText(), /came from the link you opened/);
    await linked.getByLabel('Base URL').fill('http://127.0.0.1:9');
    assert.equal(await linked.getByTestId('base-from-link').count(), 0, 'the note is about the link\'s address only');
    await linked.close();

    // Connect to the sandbox by hand, cross-origin, as a static host would.
    await page.getByLabel('Base URL').fill(sandbox.origin);
    await page.getByLabel('Hub (optional)').fill('finance');
    await fill(page, DEMO);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/Connected to/).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('credentials are remembered only when the person opts in, and Forget clears them', async () => {
  const dir = appCopy(appDir, { baseUrl: sandbox.origin, hub: 'finance' });
  const host = await serveDir(dir);
  const errors = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const stored = (page) => page.evaluate(() => Object.entries(localStorage).map(([k, v]) => `${k}=${v}`).join('\n'));
  try {
    let page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => document.querySelector('#conn-base')?.value !== '');
    await fill(page, DEMO);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/Connected to/).waitFor();
    assert.ok(!(await stored(page)).includes(DEMO.element), 'not ticked: no secret in storage');
    await page.reload();
    await page.getByLabel('Element token').waitFor();
    await page.waitForFunction(() => document.querySelector('#conn-base')?.value !== '');
    assert.equal(await page.getByLabel('Element token').inputValue(), '', 'not remembered after a reload');

    await fill(page, DEMO);
    const box = page.getByLabel('Remember on this device');
    assert.equal(await box.isChecked(), false, 'off unless ticked');
    await box.check();
    assert.match(await page.locator('#remember-what').innerText(), /local storage for http:\/\/127\.0\.0\.1:\d+, unencrypted/);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/Connected to/).waitFor();
    assert.ok((await stored(page)).includes(DEMO.element), 'ticked: kept on this device');

    await page.reload();
    await page.getByLabel('Element token').waitFor();
    await page.waitForFunction(() => document.querySelector('#conn-element')?.value !== '');
    assert.equal(await page.getByLabel('Element token').inputValue(), DEMO.element);
    assert.equal(await page.getByLabel('Remember on this device').isChecked(), true);
    await page.getByRole('button', { name: 'Forget' }).click();
    assert.equal(await page.getByLabel('Element token').inputValue(), '');
    assert.ok(!(await stored(page)).includes(DEMO.element), 'Forget removed the secrets');
    await page.reload();
    await page.getByLabel('Element token').waitFor();
    await page.waitForFunction(() => document.querySelector('#conn-base')?.value !== '');
    assert.equal(await page.getByLabel('Element token').inputValue(), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
