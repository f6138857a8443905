// Accessibility: axe-core finds no critical or serious violation on any step of the flow
// (Connection, File, Columns, a file with problems in the Review grid, Upload before and with a
// running job, the Tools view), in the light and
// the dark theme; the grid is one tab stop that names its active cell, and ties each problem
// cell to its message; focus never falls to the page body after Connect or Upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, chooseFile, sharedData, root, artifacts, view , goTo } from './helpers.mjs';

const AXE = path.join(root, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js');
let sandbox, browser;
before(async () => { sandbox = await startSandbox(['--row-delay-ms', '600']); browser = await launch(); });
after(async () => { await browser?.close(); await sandbox?.stop(); });

async function serious(page, where) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ${v.nodes[0].target.join(' ')}`));
  assert.deepEqual(found, [], `${where}:\n${found.join('\n')}`);
}

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a === document.body || a === null ? 'body' : `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}.${a.className}`;
});

for (const scheme of ['light', 'dark']) {
  test(`no critical or serious axe violation on any screen (${scheme})`, async () => {
    await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
    const errors = [];
    const page = await openApp(browser, sandbox.origin, errors);
    await page.emulateMedia({ colorScheme: scheme });
    await serious(page, 'the Connection step');
    await connect(page);
    assert.notEqual(await focused(page), 'body', 'focus after Connect');
    await serious(page, 'the File step, connected');
    await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'), 'Columns');
    await page.evaluate(() => document.querySelectorAll('.bu-root section.step:not([hidden]) details').forEach((d) => { d.open = true; }));
    await serious(page, 'the Columns step, with the reading options open');
    await goTo(page, 'Review');
    await serious(page, 'the Review step of a file with problems');
    await goTo(page, 'Upload');
    await serious(page, 'the Upload step before the upload');
    await page.getByRole('button', { name: /^Upload \d+ rows?/ }).click();
    await page.getByTestId('job-id').waitFor();
    assert.notEqual(await focused(page), 'body', 'focus after Upload');
    await serious(page, 'a running job');
    await view(page, 'Tools');
    await page.evaluate(() => document.querySelectorAll('.bu-root details').forEach((d) => { d.open = true; }));
    await serious(page, 'the Tools view');
    if (scheme === 'light') await page.screenshot({ path: path.join(artifacts, 'tools.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the grid is one tab stop that names its active cell and reads each problem with its cell', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'));
  const grid = page.getByRole('grid', { name: /Rows of the file/ });
  // Tab reaches the grid once, and the next Tab leaves it: no cell is a tab stop.
  assert.equal(await page.locator('.grid td[tabindex], .grid th[tabindex]').count(), 0);
  await page.getByRole('button', { name: 'Download all rows' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'grid');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.closest('table.grid') !== null), true, 'Tab leaves the grid');
  // Arrow keys move the active cell, which the grid names.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const active = await grid.getAttribute('aria-activedescendant');
  assert.ok(active, 'the grid names its active cell');
  const cell = page.locator(`[id="${active}"]`);
  assert.equal(await cell.getAttribute('aria-selected'), 'true');
  assert.equal(await cell.getAttribute('role') ?? 'gridcell', 'gridcell');
  // A problem cell is described by its message.
  const bad = page.locator('.grid td[aria-invalid=true]').first();
  const tip = await bad.getAttribute('aria-describedby');
  assert.ok(tip, 'a problem cell has a description');
  assert.match(await page.locator(`[id="${tip}"]`).textContent(), /\w/);
  await bad.click();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'grid', 'a click keeps the focus on the grid');
  assert.equal(await grid.getAttribute('aria-activedescendant'), await bad.getAttribute('id'));
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height, zoom] of [[360, 800, 1], [390, 844, 1], [1280, 900, 2]]) {
  test(`no page-level sideways scrolling at ${width} px wide, zoom ${zoom * 100}%`, async () => {
    // 200% zoom is a CSS viewport half as wide with twice the device pixels.
    const context = await browser.newContext({ viewport: { width: width / zoom, height: height / zoom }, deviceScaleFactor: zoom });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${sandbox.origin}/`);
    await page.getByLabel('Element token').waitFor();
    await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
    const sideways = () => page.evaluate(() => {
      const doc = document.documentElement;
      // Only the grid and the mapping table scroll sideways, inside their own frames.
      const sticking = [...document.querySelectorAll('.bu-root *')]
        .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1 && !e.closest('.grid-viewport, .mapping-scroll'))
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      return { extra: doc.scrollWidth - doc.clientWidth, sticking };
    });
    const check = async (screen) => assert.deepEqual(await sideways(), { extra: 0, sticking: [] }, screen);
    await check('start');
    await connect(page);
    await check('connected');
    await chooseFile(page, path.join(sharedData, 'contacts-with-problems.csv'));
    await check('a file with problems');
    // Tabbing through the page, no focused control is hidden under the sticky footer.
    await page.evaluate(() => window.scrollTo(0, 0));
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const hidden = await page.evaluate(() => {
        const a = document.activeElement;
        const footer = document.querySelector('[data-testid=next-step]');
        if (!a || !footer || footer.contains(a) || a === document.body) return null;
        const r = a.getBoundingClientRect();
        const f = footer.getBoundingClientRect();
        // A control taller than the room above the footer (the grid) must at least start above it.
        const covered = r.height < f.top / 2 ? r.bottom > f.top + 1 && r.top < f.bottom : r.top > f.top - 20;
        return covered ? `${a.tagName.toLowerCase()} "${(a.textContent || a.id).trim().slice(0, 30)}"` : null;
      });
      assert.equal(hidden, null, `focus under the footer at ${width} px`);
    }
    await goTo(page, 'Upload');
    await page.getByRole('button', { name: /^Upload \d+ rows?/ }).click();
    await page.getByTestId('job-id').waitFor();
    await check('a running job');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the whole flow with the keyboard only: connect, choose the file, move and edit in the grid, upload', async () => {
  await fetch(`${sandbox.origin}/sandbox/reset`, { method: 'POST' });
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName.toLowerCase(), type: a?.getAttribute('type'), role: a?.getAttribute('role'), text: a?.textContent?.trim().slice(0, 60), id: a?.id };
  });
  /** Presses Tab until `wanted` holds for the focused element (at most 60 times). */
  const tabTo = async (what, wanted) => {
    for (let i = 0; i < 60; i++) {
      if (wanted(await active())) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${what}; focus is on ${JSON.stringify(await active())}`);
  };
  await tabTo('Connect', (a) => a.tag === 'button' && a.text === 'Connect');
  await page.keyboard.press('Enter');
  await page.getByText(/Connected to/).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'object-select');

  await tabTo('the file input', (a) => a.tag === 'input' && a.type === 'file');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(path.join(sharedData, 'seed-contacts.tsv'));
  await page.getByTestId('row-count').waitFor();
  // The read file moved the focus on to the Columns step; its footer's Continue goes on.
  await page.waitForFunction(() => document.activeElement?.id === 'step-columns');
  await tabTo('Continue', (a) => a.tag === 'button' && a.text === 'Continue');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'step-review');

  await tabTo('the grid', (a) => a.role === 'grid');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const grid = page.getByRole('grid', { name: /Rows of the file/ });
  const cellId = await grid.getAttribute('aria-activedescendant');
  assert.ok(cellId);
  await page.keyboard.press('Enter');
  const editor = page.locator('textarea.cell-input');
  await editor.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('cell-input')), true, 'Enter opens the editor with the focus in it');
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });
  assert.equal((await active()).role, 'grid', 'Escape gives the focus back to the grid');

  await tabTo('Continue', (a) => a.tag === 'button' && a.text === 'Continue');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'step-upload');
  await tabTo('Upload', (a) => a.tag === 'button' && /^Upload 10 rows$/.test(a.text ?? ''));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /COMPLETED/.test(document.querySelector('[data-testid=job-state]')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.notEqual((await active()).tag, 'body', 'the focus did not fall to the page body');
  // (Earlier tests' jobs may still be adding their rows: look for this file's.)
  const stored = new Set((await sandbox.get('/hubs/finance/contacts?pageSize=500')).body.map((c) => c.email));
  for (const email of ['norm.smith@acme.com', 'ron.bergandy@acmecommunications.com', 'penny@acmeeducation.com']) assert.ok(stored.has(email), email);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Page Down in a long grid keeps the active cell drawn and in view', async () => {
  const file = path.join(artifacts, 'contacts-3000-keys.csv');
  const lines = ['C_EmailAddress,C_FirstName,C_LastName,C_Title,C_BusPhone,C_Company,C_Website1'];
  for (let i = 1; i <= 3000; i++) lines.push(`person${i}@example.com,First${i},Last${i},A title long enough to need room ${i},(555) 010-${String(i).padStart(4, '0')},Company ${i},https://example.com/${i}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  await chooseFile(page, file);
  const grid = page.getByRole('grid', { name: /Rows of the file/ });
  await grid.focus();
  const where = () => page.evaluate(() => {
    const t = document.querySelector('table.grid');
    const id = t.getAttribute('aria-activedescendant');
    const cell = id && document.getElementById(id);
    if (!cell) return { id, drawn: false };
    const c = cell.getBoundingClientRect();
    const v = t.parentElement.getBoundingClientRect();
    const head = t.querySelector('thead').getBoundingClientRect().height;
    const inView = c.top >= v.top + head - 1 && c.bottom <= v.top + t.parentElement.clientHeight + 1;
    return inView ? { id, drawn: true, inView } : { id, drawn: true, inView, c: [c.top, c.bottom], v: [v.top, t.parentElement.clientHeight, head, t.parentElement.scrollTop] };
  });
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await where(), { id: 'cell-0-0', drawn: true, inView: true }, 'the first key lands on the first cell');
  for (const key of ['PageDown', 'PageDown', 'PageDown', 'PageDown', 'ArrowDown', 'PageUp', 'End', 'PageDown']) {
    await page.keyboard.press(key);
    await page.waitForFunction(() => {
      const id = document.querySelector('table.grid').getAttribute('aria-activedescendant');
      return id && document.getElementById(id);
    }, null, { timeout: 5_000 }).catch(() => {});
    const w = await where();
    assert.ok(w.drawn && w.inView, `after ${key}: ${JSON.stringify(w)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
