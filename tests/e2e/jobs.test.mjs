// Following every job to the end, under the faults real tenants show. Each test uploads
// the seed file through the page and then checks two things: what the person sees, and
// that the sandbox holds exactly the rows that should have been created, each once.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, text, sharedData, AUTH, setFaults, storedEmails as storedSandboxEmails, settled, view , goTo, gridReady } from './helpers.mjs';

const SEED = path.join(sharedData, 'seed-contacts.tsv');
const SEED_EMAILS = fs.readFileSync(SEED, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox(['--step-delay-ms', '150', '--row-delay-ms', '30', '--signature-key', 'test-signing-key']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});
beforeEach(async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
});

const faults = (f) => setFaults(sandbox, f);

const storedEmails = () => storedSandboxEmails(sandbox);

async function seeded(errors, context = browser) {
  const page = await openApp(context, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, SEED);
  await page.getByTestId('send-count').waitFor();
  return page;
}


test('options go into metaData, rows are split into jobs, and the totals add up', async () => {
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByText('Upload options').click();
  await page.getByLabel('Action').selectOption('upsert');
  await page.getByLabel('Identifier field').selectOption('email');
  await page.getByLabel('Records per vendor call').fill('1');
  await page.getByLabel('Records per vendor call').blur();
  await page.getByLabel('Rows per job').fill('4');
  await page.getByLabel('Rows per job').blur();
  // The request is a developer's tool: in the Tools view.
  await view(page, 'Tools');
  await page.getByText('Show the request').click();
  const curl = await text(page, 'request-preview');
  assert.match(curl, /--form-string 'metaData=\{"action":"upsert","bulkUploadRecordSize":1,"identifierFieldName":"email"\}'/);
  assert.match(curl, /Authorization: User <user-secret>, Organization <organization-secret>, Element <element-token>/);
  assert.ok(!curl.includes('sandbox-'), 'no secret in the shown request');
  await view(page, 'Import');
  // The button says which action the jobs carry.
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upsert 10 rows' }).click();
  await settled(page, 3);
  const counts = await page.locator('article.job-card h3 .muted').allInnerTexts();
  assert.deepEqual(counts.map((c) => c.match(/(\d+) rows?/)[1]).sort(), ['2', '4', '4']);
  // Upsert jobs say what upsert implies; only numbers that are not zero are shown.
  assert.match(await text(page, 'totals'), /Of 10 rows: 10 created or updated\n/);
  assert.deepEqual(await page.getByTestId('job-action').allInnerTexts(), ['upsert', 'upsert', 'upsert']);
  assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
  assert.deepEqual(errors, []);
  await page.close();
});

test('failed records land on their rows, are fixed in the grid and sent again, counted once', async () => {
  // Two of the seed's contacts already exist on the connector: the vendor refuses them.
  const form = new FormData();
  form.append('file', new Blob(['email,last_name\nnorm.smith@acme.com,Smith\npenny@acmeeducation.com,Smith\n']), 'pre.csv');
  const pre = await (await fetch(`${sandbox.api}/bulk/contacts`, { method: 'POST', headers: { Authorization: AUTH }, body: form })).json();
  for (let i = 0; i < 100; i++) {
    const s = await sandbox.get(`/bulk/${pre.id}/status`);
    if (s.body.status === 'COMPLETED') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await settled(page, 1);
  assert.equal(await text(page, 'failed-count'), '2');
  const failures = await page.locator('[data-testid=job-errors] tbody tr').allInnerTexts();
  assert.deepEqual(failures.map((f) => f.split('\t')[0]), ['2', '10'], 'failures point at their lines');
  assert.match(failures[0], /already exists/);
  assert.match(await text(page, 'total-refused'), /^2 refused/);
  await goTo(page, 'Review');
  await page.getByLabel(/Only rows the connector refused/).check();
  await gridReady(page);
  assert.deepEqual(await page.locator('.grid tbody tr:not(.spacer) td.col-line').allInnerTexts(), ['2', '10']);

  // Fix both e-mails in the grid, then send only those rows again.
  for (const [line, email] of [[2, 'norm.smith+new@acme.com'], [10, 'penny+new@acmeeducation.com']]) {
    await page.locator('.grid tbody tr', { has: page.locator('td.col-line', { hasText: new RegExp(`^${line}$`) }) }).locator('td').nth(2).dblclick();
    await page.getByLabel(`Edit line ${line}`).fill(email);
    await page.getByLabel(`Edit line ${line}`).press('Enter');
  }
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Send failed rows again (2)' }).click();
  await settled(page, 2);
  assert.match(await text(page, 'totals'), /Of 10 rows: 10 created\n/);
  const stored = await storedEmails();
  assert.equal(stored.length, 12, '2 earlier + 10 from the file');
  assert.equal(new Set(stored).size, 12, 'each once');
  assert.ok(stored.includes('norm.smith+new@acme.com') && stored.includes('penny+new@acmeeducation.com'));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the result report' }).click()]);
  const report = fs.readFileSync(await download.path(), 'utf8');
  assert.match(report.split('\n')[0], /Outcome/);
  assert.equal((report.match(/created \(job/g) ?? []).length, 10);
  assert.deepEqual(errors, []);
  await page.close();
});

const submitFaults = [
  ['429 with Retry-After', { rateLimitNext: 1, retryAfterSecs: 1, pathContains: '/bulk/contacts' }, false],
  ['a dropped connection', { dropNext: 1, pathContains: '/bulk/contacts' }, false],
  ['a 500', { serverErrorNext: 1, pathContains: '/bulk/contacts' }, false],
  ['an unreadable answer after the job was created', { malformedNext: 1, pathContains: '/bulk/contacts' }, true],
];
for (const [name, fault, recovered] of submitFaults) {
  test(`a submit answered with ${name} creates exactly one job`, async () => {
    await faults(fault);
    const errors = [];
    const page = await seeded(errors);
    await goTo(page, 'Upload');
    await page.getByRole('button', { name: 'Upload 10 rows' }).click();
    await settled(page, 1);
    assert.equal(await text(page, 'job-state'), 'COMPLETED');
    assert.equal(await text(page, 'records-count'), '10');
    assert.equal(await page.getByText(/Found in the job list/).count(), recovered ? 1 : 0);
    assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
    const jobs = await sandbox.get('/bulk/jobs');
    assert.equal(jobs.body.length, 1, 'one job on the connector');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
    await page.close();
  });
}

test('polling survives latency, 429s, a dropped connection, numeric ids and COMPLETE', async () => {
  await faults({ latencyMs: 150, dropNext: 1, rateLimitNext: 2, retryAfterSecs: 1, pathContains: '/status', numericIds: true, completeSpelling: true });
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.getByText(/Trying again in/).waitFor({ timeout: 15_000 });
  await settled(page, 1);
  assert.equal(await text(page, 'job-state'), 'COMPLETED', 'COMPLETE is shown as COMPLETED');
  assert.match(await text(page, 'job-id'), /^\d+$/);
  assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
  await page.close();
});

test('an ABORTED job says why, nothing is created, and the rows can be sent again', async () => {
  await faults({ endJobsWith: 'ABORTED' });
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await settled(page, 1);
  assert.equal(await text(page, 'job-state'), 'ABORTED');
  assert.match(await text(page, 'job-outcome'), /The job ended ABORTED[\s\S]*aborted by the platform/);
  assert.match(await text(page, 'totals'), /Of 10 rows: 10 not processed\n/);
  assert.deepEqual(await storedEmails(), []);
  await faults({});
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Send failed rows again (10)' }).click();
  await settled(page, 2);
  assert.match(await text(page, 'totals'), /Of 10 rows: 10 created\n/);
  assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
  await page.close();
});

test('an ERROR half way: the processed rows are created, the rest sent again, each once', async () => {
  await faults({ endJobsWith: 'ERROR' });
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await settled(page, 1);
  assert.equal(await text(page, 'job-state'), 'ERROR');
  assert.match(await text(page, 'job-outcome'), /vendor API is unavailable/);
  assert.match(await text(page, 'totals'), /Of 10 rows: 5 created · 5 not processed\n/);
  assert.deepEqual(await storedEmails(), SEED_EMAILS.slice(0, 5).sort());
  await faults({});
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Send failed rows again (5)' }).click();
  await settled(page, 2);
  assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
  await page.close();
});

test('a running job is cancelled through CANCELLATION_PENDING to CANCELLED', async () => {
  await faults({ rowDelayMs: 400 });
  const errors = [];
  const page = await seeded(errors);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=job-state]')?.textContent === 'RUNNING', null, { timeout: 15_000 });
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await settled(page, 1);
  const timeline = await page.locator('.timeline li').allInnerTexts();
  assert.ok(timeline.includes('CANCELLATION_PENDING'), `${timeline}`);
  assert.equal(timeline.at(-1), 'CANCELLED');
  // Only numbers that are not zero are shown: no "created" part means none was created.
  const created = (await page.getByTestId('total-created').count()) ? Number((await text(page, 'total-created')).split(' ')[0]) : 0;
  assert.ok(created < 10);
  assert.equal((await storedEmails()).length, created, 'what the page says was created is what the connector holds');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a job survives a reload and is followed to the end', async () => {
  await faults({ rowDelayMs: 250 });
  const errors = [];
  const context = await browser.newContext();
  let page = await seeded(errors, context);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.getByTestId('job-id').waitFor();
  const id = await text(page, 'job-id');
  const log = await page.evaluate(() => localStorage.getItem('bulk-uploader/jobs'));
  assert.ok(log.includes(`"job":"${id}"`));
  assert.ok(!/sandbox-(user|org|element)/.test(log), 'no secret in the job log');
  await page.reload();
  await page.getByLabel('Element token').waitFor();
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  await connect(page);
  await page.getByTestId('earlier-jobs').waitFor();
  await page.getByRole('button', { name: 'Follow it' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=job-state]')?.textContent === 'COMPLETED', null, { timeout: 30_000 });
  assert.equal(await text(page, 'job-id'), id);
  assert.equal(await text(page, 'records-count'), '10');
  assert.deepEqual(await storedEmails(), [...SEED_EMAILS].sort());
  await view(page, 'Tools');
  await page.getByText('Jobs on this connector').click();
  await page.locator('.job-history td', { hasText: new RegExp(`^${id}$`) }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the callback panel tells a valid signature from an invalid or malformed one', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  const body = '{"id":"1234","status":"COMPLETED","recordsCount":2,"recordsFailedCount":0}';
  const header = `sha256=${crypto.createHmac('sha256', 'abcd1234efgh5678').update(body).digest('base64')}`;
  assert.equal(header, 'sha256=6P2zuSJJXlm77iYSg1pBIeGwmGp89ZtG0jO5Iy4nWNA=', 'the documented vector');
  await view(page, 'Tools');
  await page.getByText('Verify a callback signature').click();
  await page.getByLabel('Raw body, exactly as received').fill(body);
  await page.getByLabel('Elements-Webhook-Signature').fill(header);
  await page.getByLabel('Signature key').fill('abcd1234efgh5678');
  assert.match(await text(page, 'verdict'), /^✓ Valid/);
  await page.getByLabel('Raw body, exactly as received').fill(body.replace('"id"', '"id" '));
  assert.match(await text(page, 'verdict'), /^✖ Invalid/);
  await page.getByLabel('Elements-Webhook-Signature').fill('sha1=abc');
  assert.match(await text(page, 'verdict'), /^✖ Malformed header/);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0, 'the key is not stored');
  assert.deepEqual(errors, []);
  await page.close();
});
