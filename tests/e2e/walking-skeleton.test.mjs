// The walking skeleton, as a person does it: connect to a freshly started sandbox, pick
// contacts, choose a file, check what the app says about it, upload, watch the job to the
// end, and find the records in the connector.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, text, sharedData, artifacts, view , goTo, gridReady } from './helpers.mjs';

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

async function waitForEnd(page) {
  await page.waitForFunction(
    () => /COMPLETED|ABORTED|ERROR|CANCELLED/.test(document.querySelector('[data-testid=job-state]')?.textContent ?? ''),
    null, { timeout: 60_000 });
  await page.getByTestId('job-errors').waitFor();
}

test('the seed file uploads in full and the job is followed to COMPLETED', async () => {
  const errors = [];
  // Before the wasm starts, the page is a light shell, never blank; the app replaces it.
  const raw = await (await fetch(`${sandbox.origin}/`)).text();
  assert.match(raw, /id="loading-shell"[\s\S]*Loading…/);
  const page = await openApp(browser, sandbox.origin, errors);
  assert.equal(await page.locator('#loading-shell').count(), 0, 'the shell is gone once the app runs');
  await connect(page);
  assert.equal(await page.getByLabel('Object', { exact: true }).inputValue(), 'contacts');
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'));
  assert.equal(await text(page, 'delimiter'), 'tab');
  assert.equal(await text(page, 'row-count'), '10 rows');
  assert.match(await text(page, 'encoding'), /^UTF-8/);
  assert.equal(await text(page, 'send-count'), '10 rows');
  // Row 4's phone "444) 444-1234" is a warning, not a block.
  assert.equal(await page.locator('.grid td.cell-warning').count(), 1);
  assert.match(await page.locator('.grid td.cell-warning').innerText(), /444\) 444-1234/);
  await gridReady(page);
  assert.equal(await page.locator('.grid tbody tr:not(.spacer)').count(), 10);

  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.getByTestId('job-id').waitFor();
  await waitForEnd(page);
  assert.equal(await text(page, 'job-state'), 'COMPLETED');
  assert.equal(await text(page, 'records-count'), '10');
  assert.equal(await text(page, 'failed-count'), '0');
  const timeline = await page.locator('.timeline li').allInnerTexts();
  assert.equal(timeline[0], 'CREATED');
  assert.ok(timeline.includes('RUNNING'), `states seen: ${timeline}`);
  assert.equal(timeline.at(-1), 'COMPLETED');
  assert.equal(await text(page, 'job-errors'), 'No failed records.');

  await view(page, 'Tools');
  assert.ok(await page.locator('main.flow').isHidden(), 'the Tools view replaces the import');
  await page.getByRole('button', { name: 'List the contacts in the connector' }).click();
  await page.getByTestId('record-count').waitFor();
  assert.equal(await text(page, 'record-count'), '10');
  const stored = await sandbox.get('/hubs/finance/contacts');
  assert.equal(stored.status, 200);
  assert.equal(stored.body.length, 10);
  assert.ok(stored.body.some((c) => c.email === 'ron.bergandy@acmecommunications.com' && c.last_name === 'Burgandy'));
  await page.screenshot({ path: path.join(artifacts, 'seed-completed.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the problem file: invalid rows are flagged and not sent', async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'));
  assert.equal(await text(page, 'delimiter'), 'comma');
  assert.equal(await text(page, 'row-count'), '11 rows');
  assert.equal(await text(page, 'send-count'), '4 rows');
  assert.match(await text(page, 'error-rows'), /^7 rows have errors/);
  assert.equal(await page.locator('.grid tr.row-error').count(), 7);
  const dup = page.locator('.grid tr.row-error', { hasText: 'NORM.SMITH@ACME.COM' }).locator('td.cell-error .tip');
  assert.match(await dup.textContent(), /already on line 6/);
  await page.screenshot({ path: path.join(artifacts, 'problems-review.png'), fullPage: true });

  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 4 rows' }).click();
  await waitForEnd(page);
  assert.equal(await text(page, 'job-state'), 'COMPLETED');
  assert.equal(await text(page, 'records-count'), '4');
  assert.equal(await text(page, 'failed-count'), '0');
  const stored = await sandbox.get('/contacts');
  assert.deepEqual(stored.body.map((c) => c.email).sort(),
    ['anna.mueller@beispiel.de', 'jose@ejemplo.es', 'li.wei@example.cn', 'norm.smith@acme.com']);
  const li = stored.body.find((c) => c.email === 'li.wei@example.cn');
  assert.equal(li.job_title, 'Engineer\nSecond line of title', 'the embedded newline survives');
  assert.equal(stored.body.find((c) => c.email === 'anna.mueller@beispiel.de').last_name, 'Müller');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a wrong secret and a stopped server get clear messages', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await page.getByLabel('User secret').fill('not-the-secret');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText('The connector rejected these credentials (401)').waitFor();
  assert.match(await page.locator('.notice-error').innerText(), /Invalid User secret/);

  const gone = await startSandbox();
  await gone.stop();
  await page.getByLabel('Base URL').fill(gone.origin);
  await page.getByLabel('User secret').fill('sandbox-user-secret');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText('The server could not be reached').waitFor();
  const notice = await page.locator('.notice-error').innerText();
  assert.ok(notice.includes(gone.origin), notice);
  assert.match(notice, /running/);
  assert.ok(!notice.includes('sandbox-user-secret'), 'no secret in the message');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)), []);
  await page.close();
});
