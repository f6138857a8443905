// Every row accounted for, whatever shape the tenant's answers take. The sandbox is an
// independent peer (its own CSV reader and vendor rules): addresses on conflict.example are
// refused with a message naming the address, addresses on refused.example with a message
// that names nothing. Each test checks what the page says against what the sandbox holds.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, text, sharedData, artifacts, setFaults, storedEmails as storedSandboxEmails, settled , goTo, gridReady } from './helpers.mjs';

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox(['--step-delay-ms', '100', '--row-delay-ms', '5']);
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

/** The connector's e-mails once it holds `n` rows (or after 30 s): a job the page lost track
 * of goes on writing, and left running it would write into the next test's fresh sandbox. */
async function storedOnceThere(n) {
  let stored = [];
  for (let i = 0; i < 300 && stored.length < n; i++) {
    await new Promise((r) => setTimeout(r, 100));
    stored = await storedEmails();
  }
  return stored;
}

/** 30 contacts; rows 1, 3, 6, 8, ... (12 of them) on `domain`, refused by the vendor. */
function thirty(domain) {
  const rows = [];
  const refusedLines = [];
  for (let i = 0; i < 30; i++) {
    const bad = i % 5 === 1 || i % 5 === 3;
    rows.push(`person${i}@${bad ? domain : 'ok.example'},Last${i},First${i}`);
    if (bad) refusedLines.push(i + 2);
  }
  const file = path.join(artifacts, `thirty-${domain}.csv`);
  fs.writeFileSync(file, `email,last_name,first_name\n${rows.join('\n')}\n`);
  return { file, refusedLines };
}


/** A page connected to the sandbox with `file` read and checked. */
async function withFile(file, errors) {
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, file);
  await page.getByTestId('send-count').waitFor();
  return page;
}

async function upload(page, label = 'Upload 30 rows') {
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: label, exact: true }).click();
}

async function resultReport(page) {
  await goTo(page, 'Upload');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the result report' }).click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

for (const shape of ['nested', 'flat', 'status_only']) {
  test(`errors as ${shape} items, 2 a page: 18 created, 12 refused on their lines, resent once fixed`, async () => {
    await faults({ errorShape: shape, errorsPageSize: 2 });
    const { file, refusedLines } = thirty('conflict.example');
    const errors = [];
    const page = await withFile(file, errors);
    await upload(page);
    await settled(page, 1);

    assert.equal(await text(page, 'total-created'), '18 created');
    assert.equal(await text(page, 'total-refused'), '12 refused by the connector');
    assert.match(await text(page, 'job-outcome'), /Finished: 18 created, 12 refused, of 30 sent/);
    const failures = await page.getByTestId('refused-line').allInnerTexts();
    assert.deepEqual(failures.map((f) => Number(f.split('\t')[0])), refusedLines, 'each refusal on its line');
    for (const f of failures) {
      const line = Number(f.split('\t')[0]);
      assert.ok(f.includes(`Conflicts Found - emailAddress person${line - 2}@conflict.example`), f);
    }
    assert.equal(await page.getByTestId('refused-unidentified').count(), 0);
    if (shape === 'flat') {
      await page.getByTestId('job-errors').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(artifacts, 'refused-on-their-lines.png') });
    }
    await goTo(page, 'Review');
    await page.getByLabel(/Only rows the connector refused/).check();
    await gridReady(page);
    const shown = await page.locator('.grid tbody tr:not(.spacer) td.col-line').allInnerTexts();
    assert.deepEqual(shown.map(Number), refusedLines, 'the grid shows exactly the refused rows');
    await page.getByLabel(/Only rows the connector refused/).uncheck();

    const report = await resultReport(page);
    assert.equal((report.match(/refused by the connector \(job/g) ?? []).length, 12);
    assert.equal((report.match(/created \(job/g) ?? []).length, 18);

    // Fix the addresses, then send exactly the refused rows again.
    await goTo(page, 'Review');
    await page.getByText('Find and replace in a column').click();
    await page.getByLabel('Column', { exact: true }).selectOption({ label: 'email' });
    await page.getByLabel('Find (exact text)').fill('@conflict.example');
    await page.getByLabel('Replace with').fill('@fixed.example');
    await page.getByRole('button', { name: 'Replace all' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=replace-preview]')?.textContent.startsWith('Replaced in 12'));
    // Once, a refused row is deleted first: the button counts what it sends, 11.
    const dropOne = shape === 'status_only';
    if (dropOne) {
      await page.locator('.grid td', { hasText: `person${refusedLines[0] - 2}@fixed.example` }).click();
      await page.getByRole('button', { name: `Delete line ${refusedLines[0]}` }).click();
    }
    await goTo(page, 'Upload');
    await page.getByRole('button', { name: `Send failed rows again (${dropOne ? 11 : 12})` }).click();
    await settled(page, 2);
    if (!dropOne) assert.match(await text(page, 'totals'), /Of 30 rows: 30 created\n/);
    const stored = await storedEmails();
    assert.equal(stored.length, dropOne ? 29 : 30);
    assert.equal(new Set(stored).size, stored.length, 'each row once');
    assert.equal(stored.filter((e) => e.endsWith('@fixed.example')).length, dropOne ? 11 : 12);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('refusals that name no row are counted and listed, never called created, never resent blindly', async () => {
  await faults({ errorShape: 'status_only', errorsPageSize: 2 });
  const { file } = thirty('refused.example');
  const errors = [];
  const page = await withFile(file, errors);
  await upload(page);
  await settled(page, 1);
  // The job's numbers are the connector's: 18 went through, 12 were refused.
  assert.equal(await text(page, 'total-created'), '18 created');
  assert.equal(await text(page, 'total-refused'), '12 refused by the connector (12 not identified by row)');
  assert.match(await text(page, 'job-outcome'), /18 created, 12 refused \(12 not identified by row\), of 30 sent/);
  assert.equal(await page.getByTestId('refused-unidentified').count(), 12);
  await page.getByTestId('unidentified').locator('summary').click();
  assert.match(await text(page, 'unidentified'), /12 records were refused without naming the row: 30 rows may be among them/);
  assert.match(await text(page, 'unidentified'), /74234: Invalid prospect email address/);
  await goTo(page, 'Upload');
  assert.ok(await page.getByRole('button', { name: 'Send failed rows again (0)' }).isDisabled());
  await page.getByTestId('totals').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'refused-not-identified.png') });

  const report = await resultReport(page);
  assert.equal((report.match(/^[^\n]*created \(job/gm) ?? []).filter((l) => !/probably/.test(l)).length, 0, 'no row is called created');
  assert.equal((report.match(/probably created/g) ?? []).length, 30);
  assert.equal((report.match(/row not identified/g) ?? []).length, 12, 'each refusal is in the report');
  assert.equal((await storedEmails()).length, 18);
  assert.deepEqual(errors, []);
  await page.close();
});

test('pressing Upload again after a finished job sends nothing without an explicit choice', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'));
  await upload(page, 'Upload 10 rows');
  await settled(page, 1);
  await goTo(page, 'Upload');
  const again = page.getByTestId('upload');
  assert.equal(await again.innerText(), 'Upload 0 rows not yet sent');
  assert.ok(await again.isDisabled());
  await again.click({ force: true }).catch(() => {});
  await page.getByText('Send rows again that were already sent…').click();
  assert.match(await text(page, 'send-again'), /Send all 10 valid rows again\. 10 of them the connector already created: they would be created twice/);
  assert.ok(await page.getByTestId('send-again-button').isDisabled(), 'needs the explicit choice');
  await page.getByTestId('send-again-button').click({ force: true }).catch(() => {});
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.locator('article.job-card').count(), 1);
  assert.match(await text(page, 'nothing-new'), /^Every valid row of this file has been sent\./);
  // The Review step counts as the button and the footer do: what is not yet sent.
  await goTo(page, 'Review');
  assert.equal(await text(page, 'send-count'), '0 rows');
  assert.match(await page.locator('.summary-line').innerText(), /0 rows not yet sent will be sent; 10 rows were sent already\./);
  // A sent row edited into an error is still a sent row, not one skipped: the counts add up
  // to the file's ten rows (they said "10 sent already, 1 row has errors").
  await gridReady(page);
  await page.locator('.grid tbody tr[aria-rowindex="2"] td[id^=cell-]').first().dblclick();
  await page.getByLabel('Edit line 2').fill('not an address');
  await page.getByLabel('Edit line 2').press('Enter');
  await page.waitForFunction(() => document.querySelector('.grid tbody td[aria-invalid=true]'));
  await gridReady(page);
  assert.match(await page.locator('.summary-line').innerText(), /^0 rows not yet sent will be sent; 10 rows were sent already\. 0 rows have errors and will be skipped/);
  await page.keyboard.press('Control+z');
  await goTo(page, 'Upload');
  const jobs = await sandbox.get('/bulk/jobs');
  assert.equal(jobs.body.length, 1, 'one job on the connector');
  const stored = await storedEmails();
  assert.equal(stored.length, 10);
  assert.equal(new Set(stored).size, 10);
  await page.screenshot({ path: path.join(artifacts, 'upload-again.png'), fullPage: false });

  // The same file chosen again: its rows cannot be told from new ones, and the page says so.
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'), 'Upload');
  await page.getByTestId('earlier-uploads').waitFor();
  assert.match(await text(page, 'earlier-uploads'), /seed-contacts\.tsv, or a file with the same rows, was uploaded to contacts before[\s\S]*Job \d+ \(COMPLETED, 10 records\)[\s\S]*may create those records twice/);
  await goTo(page, 'Upload');
  assert.ok(await page.getByTestId('upload').isDisabled(), 'held back until the person says so');
  // The footer points at the tick box, not at the Upload button it would click in vain.
  assert.match(await text(page, 'next-step'), /uploaded before: check, then tick the box to upload/);
  await page.getByTestId('next-step-action').click();
  await page.waitForFunction(() => document.activeElement?.id === 'earlier-uploads-ack');
  await page.getByTestId('earlier-uploads').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'earlier-uploads.png') });
  await page.getByTestId('earlier-uploads-ack').check();
  await goTo(page, 'Upload');
  assert.ok(!(await page.getByTestId('upload').isDisabled()));
  await page.waitForFunction(() => document.querySelector('[data-testid=next-step-action]')?.textContent === 'Upload');
  assert.equal((await sandbox.get('/bulk/jobs')).body.length, 1, 'still one job on the connector');
  // A renamed copy ("contacts (1).csv") is the same rows: the same warning.
  const copy = path.join(artifacts, 'seed-contacts (1).tsv');
  fs.copyFileSync(path.join(sharedData, 'seed-contacts.tsv'), copy);
  await chooseFile(page, copy, 'Upload');
  await page.waitForFunction(() => document.querySelector('[data-testid=file-name]')?.textContent.startsWith('seed-contacts (1)'));
  await page.getByTestId('earlier-uploads').waitFor();
  await goTo(page, 'Upload');
  assert.ok(await page.getByTestId('upload').isDisabled());
  assert.deepEqual(errors, []);
  await page.close();
});

test('a tenant without CORS is told apart from a server that is not there', async () => {
  const tenant = await startSandbox(['--no-cors']);
  try {
    const errors = [];
    const page = await openApp(browser, sandbox.origin, errors);
    // Secrets over plain http to another machine: said before anything is sent.
    await page.getByLabel('Base URL').fill('http://tenant.example');
    assert.match(await text(page, 'unencrypted'), /secrets would travel unencrypted to tenant\.example/);
    await page.getByLabel('Base URL').fill('https://tenant.example');
    assert.equal(await page.getByTestId('unencrypted').count(), 0);
    await page.getByLabel('Base URL').fill(tenant.origin);
    assert.equal(await page.getByTestId('unencrypted').count(), 0, 'this machine is not warned about');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const notice = page.locator('.notice-error').first();
    await notice.waitFor();
    assert.match(await notice.innerText(), /answered, but does not allow this page \(CORS\)/);
    assert.doesNotMatch(await notice.innerText(), /could not be reached/);
    assert.match(await notice.innerText(), /proxy/);
    await tenant.stop();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('The server could not be reached').waitFor();
    await page.close();
  } finally {
    await tenant.stop().catch(() => {});
  }
});

test('an unknown state is shown and can be left; a cut-off answer is retried; a looping page token stops', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'));

  await faults({ unknownStatus: 'QUEUED' });
  await upload(page, 'Upload 10 rows');
  await page.waitForFunction(() => document.querySelector('[data-testid=job-state]')?.textContent === 'QUEUED (unknown state)', null, { timeout: 15_000 });
  await page.getByText(/a state this app does not know: “QUEUED”/).waitFor();
  await page.getByTestId('stop-following').click();
  await page.getByText(/Stopped following job/).waitFor({ timeout: 15_000 });
  await page.close();

  // A status answer cut in half, then errors whose page token comes round again.
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  await faults({ malformedNext: 1, pathContains: '/status' });
  const { file } = thirty('conflict.example');
  const again = await openApp(browser, sandbox.origin, errors);
  await connect(again);
  await chooseFile(again, file);
  await faults({ malformedNext: 1, pathContains: '/status', repeatPageToken: true, errorsPageSize: 2 });
  await upload(again);
  await settled(again, 1);
  assert.equal(await text(again, 'job-state'), 'COMPLETED');
  await again.getByText(/list of failed records went round in circles/).waitFor();
  // Four failures were listed before the loop; the connector counted twelve.
  assert.match(await text(again, 'total-refused'), /^12 refused by the connector \(8 not identified by row\)/);
  assert.equal(await again.getByTestId('refused-line').count(), 4);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
  await again.close();
});

// The answer to the upload is cut off, and so is the job list read to find out whether the
// job was created: the rows may be on the connector. They must not be offered as "not yet
// sent" (one click would send them twice).
test('a cut-off answer to the upload and to the job list leaves its rows possibly sent, not offered again', async () => {
  const { file } = thirty('ok.example');
  const errors = [];
  const page = await withFile(file, errors);
  await faults({ malformedNext: 2, pathContains: '/bulk' });
  await upload(page);
  await page.getByText(/checking whether the job was created/).waitFor({ timeout: 30_000 });
  assert.equal((await sandbox.get('/bulk/jobs')).body.length, 1, 'the connector did create the job');
  await goTo(page, 'Upload');
  assert.match(await text(page, 'totals'), /Of 30 rows: 30 possibly sent/);
  assert.equal(await page.getByTestId('upload').innerText(), 'Upload 0 rows not yet sent');
  assert.match(await text(page, 'next-step'), /30 possibly sent/);
  assert.match(await text(page, 'nothing-new'), /sent or possibly sent: the answer to the upload of 30 rows was lost, so check the connector's records before sending them again/);
  await goTo(page, 'Review');
  assert.match(await page.locator('.summary-line').innerText(), /0 rows not yet sent will be sent; 30 rows were possibly sent already \(the answer to their upload was lost\)\./);
  const report = await resultReport(page);
  assert.equal((report.match(/the connector's job list could not be read/g) ?? []).length, 30, report);
  // The job the page could not find goes on writing on the connector: every row once.
  const stored = await storedOnceThere(30);
  assert.equal(new Set(stored).size, 30, 'the connector holds every row once');
  // After a reload the file's rows are not offered as never sent without a word: the job log
  // has them, and the Upload step holds the upload until the person says they checked. The
  // lost upload is not offered as a job to follow (it may not be one of this browser's).
  await page.reload();
  await connect(page);
  await chooseFile(page, file, 'Upload');
  await page.getByTestId('earlier-uploads').waitFor();
  assert.match(await text(page, 'earlier-uploads'), /An upload whose answer was lost carried its rows/);
  assert.ok(await page.getByTestId('upload').isDisabled(), 'held until the person says they checked');
  assert.equal(await page.getByTestId('earlier-jobs').count(), 0);
  await page.getByTestId('earlier-uploads').screenshot({ path: path.join(artifacts, 'earlier-uploads-lost-answer.png') });
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
  await page.close();
});

// The same lost answers, with a row that had an error left behind and fixed afterwards: the
// Upload button offers that row alone, and says the others are possibly sent, not with it.
test('rows possibly sent are said apart when another row is ready to go', async () => {
  const { file } = thirty('ok.example');
  const errors = [];
  const page = await withFile(file, errors);
  const editEmail = async (from, to) => {
    await goTo(page, 'Review');
    await page.locator('.grid td', { hasText: from }).first().click();
    await page.keyboard.press('Enter');
    await page.getByLabel('Edit line 2').fill(to);
    await page.getByLabel('Edit line 2').press('Enter');
  };
  await editEmail('person0@ok.example', 'person0@');
  await page.waitForFunction(() => document.querySelector('[data-testid=send-count]')?.textContent === '29 rows');
  await faults({ malformedNext: 2, pathContains: '/bulk' });
  await upload(page, 'Upload 29 rows');
  await page.getByText(/checking whether the job was created/).waitFor({ timeout: 30_000 });
  await editEmail('person0@', 'person0@ok.example');
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 1 row not yet sent' }).waitFor();
  assert.match(await text(page, 'possibly-sent'), /^29 rows possibly sent \(the answer to their upload was lost\) are not in this upload: check the connector's records before sending them again\.$/);
  assert.equal(await page.getByTestId('nothing-new').count(), 0);
  await page.getByTestId('possibly-sent').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'possibly-sent-beside-a-fixed-row.png') });
  // The job the page could not find writes its 29 rows, each once.
  const stored = await storedOnceThere(29);
  assert.equal(new Set(stored).size, 29);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
  await page.close();
});

// Jobs of 7 rows go out two at a time; one submit's answer goes wrong while its sibling's
// job is being created. The job list must not hand the sibling's new job to the wrong lane.
for (const [name, fault] of [['a 500', { serverErrorNext: 1 }], ['a cut-off answer', { malformedNext: 1 }]]) {
  test(`${name} on one of two submits at once: every row in exactly one job, all followed`, async () => {
    const { file, refusedLines } = thirty('conflict.example');
    const errors = [];
    const page = await withFile(file, errors);
    await goTo(page, 'Upload');
    await page.getByText('Upload options').click();
    await page.getByLabel('Rows per job').fill('7');
    await page.getByLabel('Rows per job').blur();
    await faults({ ...fault, pathContains: '/bulk/contacts' });
    await upload(page);
    await settled(page, 5, 60_000);
    assert.match(await text(page, 'totals'), /Of 30 rows: 18 created · 12 refused by the connector\n/);
    const lines = (await page.getByTestId('refused-line').allInnerTexts()).map((f) => Number(f.split('\t')[0])).sort((a, b) => a - b);
    assert.deepEqual(lines, refusedLines);
    const jobs = (await sandbox.get('/bulk/jobs')).body;
    assert.equal(jobs.length, 5, 'five jobs on the connector, one per part');
    const stored = await storedEmails();
    assert.equal(stored.length, 18);
    assert.equal(new Set(stored).size, 18);
    await goTo(page, 'Upload');
    assert.equal(await page.getByTestId('upload').innerText(), 'Upload 0 rows not yet sent');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
    await page.close();
  });
}
