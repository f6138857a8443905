// Fixing rows in the grid before upload: the problem panel counts by kind and column and
// filters; a cell is edited with the keyboard and re-checked at once; undo and redo; a row
// is deleted; find and replace; a one-click fix; the policy for rows with errors; the
// downloads are safe to open in a spreadsheet; the mapping is remembered; and the upload
// sends exactly the rows that are valid after the fixes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, text, sharedData , goTo, gridReady, cellDetail } from './helpers.mjs';

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox(['--step-delay-ms', '50', '--row-delay-ms', '20']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const PROBLEMS = path.join(sharedData, 'contacts-with-problems.csv');

/** A minimal RFC 4180 reader, to look at downloads as a spreadsheet would. */
function parseCsv(textIn) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < textIn.length; i++) {
    const c = textIn[i];
    if (quoted) {
      if (c === '"' && textIn[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && textIn[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const cell = (page, line, column) => page.locator('.grid tbody tr', { has: page.locator('td.col-line', { hasText: new RegExp(`^${line}$`) }) }).locator('td').nth(column + 2);

async function review(errors, context = browser) {
  const page = await openApp(context, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, PROBLEMS);
  await page.getByTestId('send-count').waitFor();
  return page;
}

test('problems are counted by kind and column, and a count filters the grid', async () => {
  const errors = [];
  const page = await review(errors);
  const counts = (await page.locator('table.counts tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  assert.deepEqual(counts, [
    '✖ invalid e-mail C_EmailAddress 2',
    '✖ required value missing C_EmailAddress 1',
    '✖ required value missing C_LastName 1',
    '✖ invalid web address C_Website1 1',
    '✖ duplicate C_EmailAddress 1',
    '✖ too few fields whole row 1',
    '⚠ invalid web address C_Website1 1',
  ]);
  await page.getByRole('button', { name: '✖ invalid e-mail' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.grid tbody tr:not(.spacer)').length === 2);
  assert.deepEqual(await page.locator('.grid tbody tr:not(.spacer) td.col-line').allInnerTexts(), ['5', '10']);
  await page.getByRole('button', { name: /show all/ }).click();
  await page.getByLabel(/Only rows with problems/).check();
  await gridReady(page);
  assert.equal(await page.locator('.grid tbody tr:not(.spacer)').count(), 8, '7 with errors and 1 with a warning');
  await page.getByLabel(/Only rows with problems/).uncheck();
  await gridReady(page);
  assert.equal(await page.locator('.grid tbody tr:not(.spacer)').count(), 11);
  assert.deepEqual(errors, []);
  await page.close();
});

test('edit with the keyboard, undo, redo, delete a row, find and replace, one-click fix, then upload exactly the valid rows', async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  const errors = [];
  const page = await review(errors);
  assert.equal(await text(page, 'send-count'), '4 rows');

  // Fix the bad e-mail on line 5: select the cell, Enter, type, Enter.
  await cell(page, 5, 0).click();
  await page.keyboard.press('Enter');
  const editor = page.getByLabel('Edit line 5');
  await editor.fill('bad.address@typo.example');
  await editor.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=send-count]')?.textContent === '5 rows');
  assert.equal(await cell(page, 5, 0).getAttribute('aria-invalid'), 'false');
  assert.equal(await cell(page, 5, 0).innerText(), 'bad.address@typo.example');

  // Arrow keys move (Enter saved and moved down to line 6); Escape cancels an edit.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.getByLabel('Edit line 4').fill('will be cancelled');
  await page.getByLabel('Edit line 4').press('Escape');
  assert.equal(await cell(page, 4, 0).locator('.cell-text').innerText(), '', 'still empty');
  assert.equal(await cell(page, 4, 0).getAttribute('aria-invalid'), 'true', 'still an error');

  await page.getByRole('button', { name: '↶ Undo' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=send-count]')?.textContent === '4 rows');
  await page.getByRole('button', { name: '↷ Redo' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=send-count]')?.textContent === '5 rows');

  // The duplicate on line 7 points at line 6; delete line 7.
  await cell(page, 7, 0).click();
  assert.match(await cellDetail(page), /already on line 6/);
  await page.getByRole('button', { name: 'Delete line 7' }).click();
  await page.waitForFunction(() => /1 row deleted by you/.test(document.querySelector('.summary-line')?.textContent ?? ''));
  await gridReady(page);
  assert.equal(await page.locator('.grid td.col-line', { hasText: /^7$/ }).count(), 0);

  // Find and replace: http:// -> https:// in the website column.
  await page.getByText('Find and replace in a column').click();
  await page.getByLabel('Column', { exact: true }).selectOption({ label: 'C_Website1' });
  await page.getByLabel('Find (exact text)').fill('http://');
  await page.waitForFunction(() => document.querySelector('[data-testid=replace-preview]')?.textContent === '2 cell(s) contain it.');
  await page.getByLabel('Replace with').fill('https://');
  await page.getByRole('button', { name: 'Replace all' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=replace-preview]')?.textContent.startsWith('Replaced in 2'));

  // One-click fix of the warning: www.example.cn -> https://www.example.cn.
  await page.getByRole('button', { name: 'Add https:// to web addresses (1)' }).click();
  await page.waitForFunction(() => !document.querySelector('.grid tr.row-warning'));

  // The downloaded problem file opens as text in a spreadsheet: no live formula.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download rows with problems' }).click()]);
  const csvText = fs.readFileSync(await download.path(), 'utf8');
  const rows = parseCsv(csvText);
  assert.deepEqual(rows[0].slice(0, 2), ['Line', 'C_EmailAddress']);
  assert.equal(rows[0].at(-1), 'Problems');
  for (const r of rows) for (const c of r) assert.ok(!/^[=+\-@\t\r]/.test(c), `cell ${JSON.stringify(c)} would run as a formula`);
  const formula = rows.find((r) => r[0] === '10');
  assert.equal(formula[1], "'=cmd|' /C calc'!A0@evil.example");
  assert.match(formula.at(-1), /expected an e-mail address/);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), ['4', '9', '10', '11', '12']);

  // Policy: blocking refuses while errors remain; skipping sends the valid rows.
  await goTo(page, 'Upload');
  await page.getByLabel('Upload only when no row has an error').check();
  assert.match(await text(page, 'skip-summary'), /Fix or delete the 5 rows with errors/);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 5 rows' }).click();
  await page.getByText(/5 rows still have errors/).waitFor();
  await page.getByLabel('Send the valid rows and skip the rest').check();
  assert.match(await text(page, 'skip-summary'), /5 rows skipped:/);
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 5 rows' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=job-state]')?.textContent === 'COMPLETED', null, { timeout: 30_000 });
  assert.equal(await text(page, 'records-count'), '5');
  assert.equal(await text(page, 'failed-count'), '0');
  const stored = await sandbox.get('/contacts');
  assert.deepEqual(stored.body.map((c) => c.email).sort(),
    ['anna.mueller@beispiel.de', 'bad.address@typo.example', 'jose@ejemplo.es', 'li.wei@example.cn', 'norm.smith@acme.com']);
  const li = stored.body.find((c) => c.email === 'li.wei@example.cn');
  assert.equal(li.website, 'https://www.example.cn', 'the one-click fix was sent');
  assert.equal(stored.body.find((c) => c.email === 'jose@ejemplo.es').website, 'https://ejemplo.es', 'the replace was sent');

  // Undo after the upload, then delete the row: the grid goes back, the result report still
  // says what was sent.
  await goTo(page, 'Review');
  await page.getByRole('button', { name: '↶ Undo' }).click();
  await page.waitForFunction(() => document.querySelector('.grid tr.row-warning'));
  await page.locator('.grid td', { hasText: 'li.wei@example.cn' }).click();
  await page.getByRole('button', { name: /^Delete line \d+$/ }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('.grid .cell-text')].some((t) => t.textContent === 'li.wei@example.cn'));
  await gridReady(page);
  // Deleted after it was sent, the row is still a sent row: only the row deleted before the
  // upload counts as deleted, and the counts add up to the file's rows.
  assert.match(await page.locator('.summary-line').innerText(), /5 rows were sent already\. .* 1 row deleted by you\./);
  await goTo(page, 'Upload');
  const [results] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the result report' }).click()]);
  const report = parseCsv(fs.readFileSync(await results.path(), 'utf8'));
  const sent = report.find((r) => r.includes('li.wei@example.cn'));
  assert.ok(sent.includes('https://www.example.cn') && !sent.includes('www.example.cn'), `as sent: ${sent}`);
  assert.match(sent.at(-1), /created/);
  // The row deleted before the upload (line 7) has its line too: every row of the file does.
  const deleted = report.find((r) => r[0] === '7');
  assert.equal(deleted?.at(-1), 'deleted, not sent', `line 7: ${deleted}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('keys pressed faster than the rows answer: an edit is never undone by Enter, Enter, and the editor opens with the cell as it is', async () => {
  const errors = [];
  const page = await review(errors);
  for (const [i, line] of [2, 3, 6].entries()) {
    await cell(page, line, 1).click();
    await page.keyboard.press('Enter');
    await page.getByLabel(`Edit line ${line}`).fill(`Quick${i}`);
    // Saved (and down a row), back up, then open and leave the editor at once: the edit is
    // still being applied when the editor opens.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await gridReady(page);
    await page.waitForFunction(() => !document.querySelector('.cell-input'));
    assert.equal(await cell(page, line, 1).innerText(), `Quick${i}`);
  }
  // Edited, then opened again: the editor starts from the edit.
  await cell(page, 2, 1).click();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('Edit line 2').inputValue(), 'Quick0');
  await page.keyboard.press('Escape');
  // Typed, then another cell clicked: the editor closes and what was typed is saved, as in a
  // spreadsheet; typed, then another cell double-clicked: saved too, and that cell opens.
  await cell(page, 2, 1).dblclick();
  await page.getByLabel('Edit line 2').fill('Clicked away');
  await cell(page, 3, 1).click();
  await page.waitForFunction(() => !document.querySelector('.cell-input'));
  await gridReady(page);
  assert.equal(await cell(page, 2, 1).innerText(), 'Clicked away');
  await cell(page, 3, 1).dblclick();
  await page.getByLabel('Edit line 3').fill('Opened another');
  await cell(page, 6, 1).dblclick();
  await page.getByLabel('Edit line 6').waitFor();
  await page.keyboard.press('Escape');
  await gridReady(page);
  assert.equal(await cell(page, 3, 1).innerText(), 'Opened another');
  assert.equal(await cell(page, 6, 1).innerText(), 'Quick2', 'the cell opened last is unchanged');
  // A cell with a line break keeps it when edited (a single-line input dropped it), and
  // Shift+Enter adds one.
  await cell(page, 8, 3).dblclick();
  const editor = page.getByLabel('Edit line 8');
  await page.waitForFunction(() => document.querySelector('.grid .cell-input')?.value.includes('\n'));
  await editor.press('End');
  await editor.press('Shift+Enter');
  await editor.pressSequentially('Third');
  await editor.press('Enter');
  await gridReady(page);
  assert.equal(await cell(page, 8, 3).innerText(), 'Engineer ↵ Second line of title ↵ Third');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a changed mapping is remembered for the same columns and object', async () => {
  const errors = [];
  const context = await browser.newContext();
  let page = await review(errors, context);
  await goTo(page, 'Columns');
  await page.getByLabel('Field for column C_Title').selectOption('');
  await page.close();
  page = await review(errors, context);
  await goTo(page, 'Columns');
  await page.getByText('mapped as you mapped them last time').waitFor();
  assert.equal(await page.getByLabel('Field for column C_Title').inputValue(), '');
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.equal(keys.length, 1);
  const stored = await page.evaluate((k) => localStorage.getItem(k), keys[0]);
  assert.ok(!stored.includes('sandbox-'), 'no secret in browser storage');
  await page.getByRole('button', { name: 'Use the suggestions instead' }).click();
  assert.equal(await page.getByLabel('Field for column C_Title').inputValue(), 'job_title');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), []);
  assert.deepEqual(errors, []);
  await context.close();
});
