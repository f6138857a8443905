// The guided import, one step at a time: the seed file walked through Connection → File →
// Columns → Review → Upload at a desktop and a phone size. At every step only that step is
// on screen, the step bar marks it, the page never scrolls sideways, the footer's action is
// in view, and the focus has moved on into the step (never left on the page body). The step
// bar goes back to a step reached before. Screenshots of each step are written to the
// artifacts (and to docs/steps/ with UPDATE_SCREENSHOTS=1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, sharedData, artifacts, root, settled, storedEmails } from './helpers.mjs';

let sandbox, browser;
before(async () => { sandbox = await startSandbox(['--step-delay-ms', '100', '--row-delay-ms', '10']); browser = await launch(); });
after(async () => { await browser?.close(); await sandbox?.stop(); });

/** What the screen shows now: the visible step's heading, the bar's current step, sideways
 *  overflow, whether the footer's button is inside the window, and where the focus is. */
const state = (page) => page.evaluate(() => {
  const shown = [...document.querySelectorAll('main section.step')].filter((s) => !s.hidden);
  const action = document.querySelector('[data-testid=next-step-action]');
  const r = action?.getBoundingClientRect();
  const a = document.activeElement;
  return {
    shown: shown.map((s) => s.querySelector('h2').id),
    current: document.querySelector('.step-bar [aria-current=step] .step-label')?.textContent,
    sideways: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth,
    action: action?.textContent ?? null,
    actionInView: !!r && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth,
    focusInStep: !!a && a !== document.body && shown.some((s) => s.contains(a)),
    focus: a === document.body ? 'body' : `${a.tagName}#${a.id}`,
  };
});

async function expectStep(page, name, headingId, shot) {
  await page.waitForFunction((id) => {
    const s = document.getElementById(id)?.closest('section');
    return s && !s.hidden && s.contains(document.activeElement);
  }, headingId, { timeout: 15_000 });
  const s = await state(page);
  assert.deepEqual(s.shown, [headingId], `${name}: only its step is shown`);
  assert.equal(s.current, name, `${name}: the step bar marks it`);
  assert.ok(s.sideways <= 0, `${name}: the page scrolls sideways by ${s.sideways}px`);
  assert.ok(s.action && s.actionInView, `${name}: the footer's action (${s.action}) is in view`);
  assert.ok(s.focusInStep, `${name}: the focus moved into the step (it is on ${s.focus})`);
  await page.screenshot({ path: path.join(artifacts, shot) });
  if (process.env.UPDATE_SCREENSHOTS) fs.copyFileSync(path.join(artifacts, shot), path.join(root, 'docs', 'steps', shot));
  return s;
}

for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the seed file walks through the five steps (${label} ${viewport.width}×${viewport.height})`, async () => {
    await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
    const errors = [];
    const page = await openApp(browser, sandbox.origin, errors);
    await page.setViewportSize(viewport);
    // Later steps cannot be opened before their inputs exist.
    assert.equal(await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'Review' }).isDisabled(), true);
    const bar = page.getByRole('navigation', { name: 'Steps' });
    let s = await state(page);
    assert.deepEqual(s.shown, ['step-connect']);
    await page.screenshot({ path: path.join(artifacts, `1-connection-${label}.png`) });
    if (process.env.UPDATE_SCREENSHOTS) fs.copyFileSync(path.join(artifacts, `1-connection-${label}.png`), path.join(root, 'docs', 'steps', `1-connection-${label}.png`));
    // The footer's Continue connects (the form's own button does the same).
    assert.equal(s.action, 'Continue');
    await page.getByTestId('next-step-action').click();
    await expectStep(page, 'File', 'step-file', `2-file-${label}.png`);
    await page.locator('input[type=file]').setInputFiles(path.join(sharedData, 'seed-contacts.tsv'));
    // A file read moves the person on to its columns.
    s = await expectStep(page, 'Columns', 'step-columns', `3-columns-${label}.png`);
    assert.match(await page.getByTestId('next-step').innerText(), /7 of 7 columns go to a field/);
    await page.getByTestId('next-step-action').click();
    await expectStep(page, 'Review', 'step-review', `4-review-${label}.png`);
    assert.match(await page.getByTestId('next-step').innerText(), /10 rows ready/);
    await page.getByTestId('next-step-action').click();
    s = await expectStep(page, 'Upload', 'step-upload', `5-upload-${label}.png`);
    assert.equal(s.action, 'Upload');
    // The footer's Upload is the step's Upload button.
    await page.getByTestId('next-step-action').click();
    await settled(page, 1);
    await page.waitForFunction(() => document.querySelector('[data-testid=next-step] span')?.textContent === 'Done: 10 created');
    const done = await state(page);
    assert.equal(done.action, 'Import another file');
    assert.ok(done.focusInStep, `after Upload the focus stays in the step (on ${done.focus})`);
    await page.screenshot({ path: path.join(artifacts, `6-done-${label}.png`) });
    if (process.env.UPDATE_SCREENSHOTS) fs.copyFileSync(path.join(artifacts, `6-done-${label}.png`), path.join(root, 'docs', 'steps', `6-done-${label}.png`));
    assert.equal((await storedEmails(sandbox)).length, 10);
    // Back: the step bar opens a step reached before, which kept its state.
    await bar.getByRole('button', { name: 'Columns' }).click();
    s = await state(page);
    assert.deepEqual(s.shown, ['step-columns']);
    assert.equal(await page.getByTestId('row-count').innerText(), '10 rows');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('an object that refused bulk uploads is marked in the object list, on later visits too', async () => {
  const errors = [];
  const file = path.join(artifacts, 'banks.csv');
  fs.writeFileSync(file, 'code,name\nB001,First Bank\nB002,Second Bank\n');
  const page = await openApp(browser, sandbox.origin, errors);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('#step-file').waitFor();
  const select = page.getByLabel('Object', { exact: true });
  await select.selectOption('banks');
  assert.equal(await page.getByTestId('no-bulk').count(), 0, 'nothing is known before an upload was tried');
  await page.locator('input[type=file]').setInputFiles(file);
  await page.locator('#step-columns').waitFor();
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'Upload', exact: true }).click();
  await page.getByRole('button', { name: 'Upload 2 rows' }).click();
  await page.getByText(/does not take bulk uploads on this connector/).waitFor();
  // The object list says so now, and the chosen object tells what to do.
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'File', exact: true }).click();
  assert.equal(await select.locator('option[value=banks]').innerText(), 'banks (no bulk upload)');
  assert.match(await page.getByTestId('no-bulk').innerText(), /refused bulk uploads for “banks”.*administrator/);
  assert.equal(await select.locator('option[value=contacts]').innerText(), 'contacts');
  // A later visit to the same host knows it before any upload.
  await page.reload();
  await page.getByLabel('Element token').waitFor();
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('#step-file').waitFor();
  assert.equal(await select.locator('option[value=banks]').innerText(), 'banks (no bulk upload)');
  // The 400 the upload got is an expected answer, not a page error.
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});

test('the Review step of a file with problems (the README picture)', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('#step-file').waitFor();
  await page.locator('input[type=file]').setInputFiles(path.join(sharedData, 'contacts-with-problems.csv'));
  await page.locator('#step-columns').waitFor();
  // Once checked, the Columns footer says what the mapping means for the rows; while a
  // required field has no column, no row is ready, and the footer does not say otherwise.
  const footer = page.getByTestId('next-step');
  await footer.getByText(/7 of 7 columns go to a field · 4 rows ready · 7 skipped \(errors\)\./).waitFor();
  await page.getByLabel('Field for column C_EmailAddress').selectOption({ label: '— not imported —' });
  await footer.getByText(/6 of 7 columns go to a field · required, with no column: E-mail address\.$/).waitFor();
  assert.doesNotMatch(await footer.innerText(), /ready/);
  await page.getByLabel('Field for column C_EmailAddress').selectOption('email');
  await footer.getByText(/7 of 7 columns go to a field · 4 rows ready/).waitFor();
  await page.getByTestId('next-step-action').click();
  await page.locator('.grid tbody tr', { has: page.locator('td.col-line', { hasText: /^7$/ }) }).locator('td').nth(2).click();
  await page.getByTestId('cell-detail').waitFor();
  assert.match(await page.getByTestId('next-step').innerText(), /4 rows ready · 7 skipped \(errors\)/);
  const shot = path.join(artifacts, 'review-problems.png');
  await page.locator('#step-review').evaluate((h) => h.scrollIntoView());
  await page.locator('main section.step:not([hidden])').screenshot({ path: shot });
  if (process.env.UPDATE_SCREENSHOTS) fs.copyFileSync(shot, path.join(root, 'docs', 'review-problems.png'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the footer stays true: columns that keep every row out, and Change then Keep', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('#step-file').waitFor();
  // Contacts columns into customers: its required fields have no column.
  await page.getByLabel('Object', { exact: true }).selectOption('customers');
  await page.getByText('Or paste the rows as text').click();
  await page.getByLabel('Rows with a header line').fill('Email;Last Name;First\na@x.io;Lee;Ann\nb@x.io;Ray;Bob\nc@x.io;Doe;Cy\n');
  await page.getByRole('button', { name: 'Use this text' }).click();
  await page.locator('#step-columns').waitFor();
  assert.match(await page.getByTestId('next-step').innerText(), /required, with no column: Account reference, Name/);
  await page.getByTestId('next-step-action').click();
  await page.locator('#step-review').waitFor();
  const footer = await page.getByTestId('next-step').innerText();
  assert.match(footer, /No row can be sent until the columns are fixed: no column is mapped to the required field "Account reference" \(and 1 more\)/);
  assert.doesNotMatch(footer, /ready/);
  assert.equal(await page.getByTestId('next-step-action').innerText(), 'Fix the columns');
  await page.getByTestId('next-step-action').click();
  await page.locator('#step-columns').waitFor();

  // Change, edit the form, then Keep: the form shows the connection in use again, and the
  // person is back where they were.
  await page.getByTestId('change-connection').click();
  await page.getByLabel('Hub (optional)').fill('crm');
  await page.getByTestId('keep-connection').click();
  await page.locator('#step-columns').waitFor();
  await page.getByTestId('change-connection').click();
  assert.equal(await page.getByLabel('Hub (optional)').inputValue(), 'finance');
  // A failed Connect says why, and leaves the focus on the button, not the page body.
  await page.getByLabel('Element token').fill('wrong-token');
  await page.getByTestId('next-step-action').click();
  await page.getByText(/rejected these credentials/).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'connect-button');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});
