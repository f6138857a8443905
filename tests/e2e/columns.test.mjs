// The columns step: each file column with a few of its values, fields by display name with
// the API name small, required fields no column fills as chips, and a template download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, sharedData, artifacts, root, view , goTo } from './helpers.mjs';

/** No critical or serious axe violation on the page as it is (here: a list of records). */
async function serious(page) {
  await page.addScriptTag({ path: path.join(root, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js') });
  const found = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes[0].target.join(' ')}`));
  assert.deepEqual(found, []);
}

let sandbox, browser;
before(async () => { sandbox = await startSandbox(); browser = await launch(); });
after(async () => { await browser?.close(); await sandbox?.stop(); });

test('columns show their values, fields their names, and missing required fields as chips', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  // Once connected the form gives way to one line; "Change" opens it again, filled in.
  assert.equal(await page.getByLabel('Base URL').isVisible(), false, 'the form is out of the way');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'object-select', 'focus moved on to the object');
  await page.getByTestId('change-connection').click();
  assert.equal(await page.getByLabel('Base URL').inputValue(), sandbox.origin);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByLabel('Base URL').waitFor({ state: 'hidden' });
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'), 'Columns');
  const row = page.locator('table.mapping tbody tr', { has: page.locator('th', { hasText: 'C_EmailAddress' }) });
  // The first three distinct values of the column, in file order.
  assert.equal(await row.locator('td.samples').innerText(), 'norm.smith@acme.com · john@acmepublishing.com · ann@acmedata.com');
  const select = page.getByLabel('Field for column C_EmailAddress');
  assert.equal(await select.inputValue(), 'email');
  assert.equal(await select.locator('option:checked').innerText(), 'E-mail address *');
  assert.equal(await row.locator('code.api-name').innerText(), 'email');
  assert.equal(await page.getByTestId('required-missing').count(), 0, 'every required field has a column');

  await select.selectOption('');
  assert.match(await page.getByTestId('required-missing').innerText(), /Required, no column yet:\s*E-mail address/);
  assert.equal(await row.locator('code.api-name').count(), 0);
  await select.selectOption('email');
  assert.equal(await page.getByTestId('required-missing').count(), 0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template').click()]);
  assert.equal(download.suggestedFilename(), 'contacts-template.csv');
  const file = path.join(artifacts, 'contacts-template.csv');
  await download.saveAs(file);
  const header = fs.readFileSync(file, 'utf8').trim().split(',');
  assert.deepEqual(header.slice(0, 2), ['email', 'last_name'], 'required fields first');
  assert.ok(header.includes('first_name'));
  const meta = await sandbox.get('/hubs/finance/objects/contacts/metadata');
  const readOnly = meta.body.fields.filter((f) => f.vendorReadOnly).map((f) => f.vendorPath);
  assert.ok(readOnly.length > 0 && readOnly.every((f) => !header.includes(f)), `read-only fields left out: ${readOnly}`);
  await page.locator('table.mapping').screenshot({ path: path.join(artifacts, 'columns.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('choosing a new file moves the jobs of the one before under its name, out of the new file\'s way', async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'seed-contacts.tsv'));
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 10 rows' }).click();
  await page.waitForFunction(() => /COMPLETED/.test(document.querySelector('[data-testid=job-state]')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.equal(await page.locator('h3.jobs-of').first().innerText(), 'Jobs of seed-contacts.tsv');
  await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'), 'Upload');
  // The new file has no jobs and no totals yet; the earlier file's job is folded under its name.
  assert.equal(await page.getByTestId('totals').count(), 0);
  const earlier = page.getByTestId('earlier-files');
  assert.match(await earlier.locator('summary').innerText(), /Jobs of earlier files in this session \(1\)/);
  await earlier.locator('summary').click();
  assert.equal(await earlier.locator('h3.jobs-of').innerText(), 'Jobs of seed-contacts.tsv');
  assert.equal(await earlier.getByTestId('job-state').innerText(), 'COMPLETED');
  await goTo(page, 'Upload');
  assert.match(await page.getByRole('button', { name: /^Upload \d+ rows?$/ }).innerText(), /Upload 4 rows/);

  // The record list, once shown, is read again when a job ends.
  await view(page, 'Tools');
  await page.getByRole('button', { name: 'List the contacts in the connector' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=record-count]')?.textContent === '10');
  await view(page, 'Import');
  await goTo(page, 'Upload');
  await page.getByRole('button', { name: 'Upload 4 rows' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=job-state]')].filter((e) => e.textContent === 'COMPLETED').length === 2
    && /created/.test(document.querySelector('[data-testid=totals]')?.textContent ?? ''), null, { timeout: 60_000 });
  // (The sandbox refuses the one row the seed file already created.)
  const created = Number((await page.getByTestId('total-created').innerText()).match(/\d+/)[0]);
  assert.ok(created >= 1);
  await page.waitForFunction((n) => document.querySelector('[data-testid=record-count]')?.textContent === String(n), 10 + created, { timeout: 20_000 });
  await view(page, 'Tools');
  await serious(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('grid columns start as wide as their content, resize by drag or Alt+arrow, and the Line column stays in view', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'));
  const th = (name) => page.locator('.grid thead th', { hasText: name });
  const width = async (name) => (await th(name).boundingBox()).width;
  const email = await width('C_EmailAddress');
  const first = await width('C_FirstName');
  assert.ok(email > first + 40, `the e-mail column (${email}px) is wider than the first names (${first}px)`);

  // Drag the edge of the first-name column 100 px to the right.
  await th('C_FirstName').scrollIntoViewIfNeeded();
  const box = await th('C_FirstName').locator('.col-resize').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 100, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const dragged = await width('C_FirstName');
  assert.ok(Math.abs(dragged - (first + 100)) <= 2, `dragged to ${dragged}px from ${first}px`);

  // Alt+→ on a cell of the column widens it too, from the keyboard.
  await page.locator('.grid tbody tr:not(.spacer)').first().locator('td').nth(3).click();
  await page.keyboard.press('Alt+ArrowRight');
  assert.ok(Math.abs(await width('C_FirstName') - (dragged + 16)) <= 2);

  // Scrolled all the way right, the Line column is still at the left edge of the grid.
  await page.locator('.grid-viewport').evaluate((v) => { v.scrollLeft = v.scrollWidth; });
  const port = await page.locator('.grid-viewport').boundingBox();
  const line = await page.locator('.grid tbody td.col-line').first().boundingBox();
  assert.ok(Math.abs(line.x - port.x) <= 2, `the Line column stays pinned (${line.x} vs ${port.x})`);
  assert.ok(await page.locator('.grid-viewport').evaluate((v) => v.scrollLeft > 0), 'the grid did scroll sideways');
  await page.locator('.grid-viewport').screenshot({ path: path.join(artifacts, 'grid-scrolled-right.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
