// A wide file and a huge cell: the grid draws only the columns in view (a row of 200 columns
// drew every cell and held the page 50-370 ms on each scroll), the keyboard brings a column
// out of view into view, the columns step lists every column a slice at a time, and a cell of
// a million characters comes to the page cut, shown cut, and is edited whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, goTo, cellDetail, artifacts } from './helpers.mjs';

const COLUMNS = 200;
const HUGE = 1_000_000;

let sandbox, browser, dir, file;
before(async () => {
  sandbox = await startSandbox();
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wide-'));
  file = path.join(dir, 'wide.csv');
  const header = ['C_EmailAddress', ...Array.from({ length: COLUMNS - 1 }, (_, c) => `Extra ${c + 1}`)];
  const rows = Array.from({ length: 500 }, (_, r) => [`person${r}@example.com`, ...Array.from({ length: COLUMNS - 1 }, (_, c) => `r${r}c${c + 1}`)]);
  rows[0][5] = 'é'.repeat(HUGE);
  fs.writeFileSync(file, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a wide file draws the columns in view, moves to any column, and shows a huge cell cut but edits it whole', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, file, 'Columns');
  // Every column is listed on the columns step, drawn a slice at a time.
  await page.waitForFunction((n) => document.querySelectorAll('table.mapping tbody tr').length === n, COLUMNS, { timeout: 20_000 });

  await goTo(page, 'Review');
  const first = page.locator('.grid tbody tr[aria-rowindex="2"]');
  const drawn = await first.locator('td[id^=cell-]').count();
  assert.ok(drawn >= 3 && drawn <= 40, `the first row draws the columns in view, not all ${COLUMNS} (${drawn})`);
  assert.equal(await page.locator('.grid thead th[aria-colindex]').count(), COLUMNS + 2, 'the header names every column, after Line and Status');
  assert.equal(await first.locator('td.cols-not-drawn').count(), 1, 'the columns to the right are spanned by one empty cell');

  // The huge cell comes cut to 500 characters with an ellipsis, and its detail says so.
  const huge = page.locator('#cell-0-5');
  const shown = await huge.innerText();
  assert.ok(shown.length <= 501 && shown.endsWith('…'), `the cell is shown cut (${shown.length} characters)`);
  await huge.click();
  assert.match(await cellDetail(page), /the first 500 of 1,000,000 characters/);
  // The editor has the whole text; Escape leaves it unchanged.
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector('.grid .cell-input')?.value.length === n, HUGE, { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await page.locator('.grid .cell-input').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#cell-0-5 .cell-text').innerText(), shown, 'unchanged after Escape');

  // Scrolled far sideways with the mouse, the active cell is still drawn: the grid names it
  // as its active descendant.
  await page.locator('.grid-viewport').evaluate((v) => { v.scrollLeft = v.scrollWidth / 2; });
  await page.waitForFunction(() => !document.querySelector('#cell-0-6'));
  assert.equal(await page.locator('#cell-0-5').count(), 1, 'the active cell stays in the page');
  assert.equal(await page.locator('.grid').getAttribute('aria-activedescendant'), 'cell-0-5');
  await page.locator('.grid-viewport').evaluate((v) => { v.scrollLeft = 0; });
  await page.locator('#cell-0-6').waitFor();

  // Scrolled far down while editing: the edit is saved and the editor closed (it went with
  // its row, and the keys typed next were lost).
  await page.locator('#cell-1-2').dblclick();
  await page.getByLabel('Edit line 3').fill('typed then scrolled');
  await page.locator('.grid-viewport').evaluate((v) => { v.scrollTop = 8_000; });
  await page.locator('.grid .cell-input').waitFor({ state: 'detached' });
  await page.locator('.grid-viewport').evaluate((v) => { v.scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('#cell-1-2')?.textContent === 'typed then scrolled');
  await page.locator('#cell-0-5').click();

  // End moves to the last column: it is scrolled into view and drawn; the first is not drawn.
  await page.keyboard.press('End');
  const last = page.locator(`#cell-0-${COLUMNS - 1}`);
  await last.waitFor();
  const port = await page.locator('.grid-viewport').boundingBox();
  const box = await last.boundingBox();
  assert.ok(box.x >= port.x && box.x + box.width <= port.x + port.width + 1, `the last column is in view (${box.x}+${box.width} in ${port.x}+${port.width})`);
  assert.equal(await page.locator('#cell-0-0').count(), 0, 'the first column is no longer drawn');
  assert.equal(await page.locator('.grid').getAttribute('aria-activedescendant'), `cell-0-${COLUMNS - 1}`);
  await page.locator('.grid-viewport').screenshot({ path: path.join(artifacts, 'grid-wide-file-end.png') });

  // Home comes back to the first column, at the left.
  await page.keyboard.press('Home');
  await page.locator('#cell-0-0').waitFor();
  assert.equal(await page.locator('.grid-viewport').evaluate((v) => v.scrollLeft), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
