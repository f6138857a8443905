// A file's rows are checked while it is read (src/check_as_read.rs): the report must be the
// one a check after the read makes. The same file is read twice: once connected, so the page
// plans the check as soon as the header is read; once with the object's fields held back at
// the network until the file is read, so no plan can come and the rows are checked after the
// read, as before (its progress says "Checking the rows"; the planned read never does).
// Problem counts, what the Review step says and the "rows with problems" download must be
// the same, byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSandbox, launch, openApp, connect, goTo, text, gridReady, artifacts } from './helpers.mjs';

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

/** About 20 MB of contacts with
 * every kind of problem, all through the file: blank, bad and repeated e-mails (in other case,
 * and with spaces around), a blank required name, a cell over two lines, stray quotes, rows
 * too short and too long, blank rows, bad and bare web addresses, an odd phone number, and a
 * cell a spreadsheet would run as a formula. Big enough that the page's plan is there long
 * before the read ends, even on a busy machine with a worker just started (at 2.5 MB, a
 * clean-clone run once read the whole file before the plan came, and checked after); a check
 * after the read shows its progress past 20,000 rows. */
function mixedFile() {
  const file = path.join(artifacts, 'check-as-read.csv');
  const rows = ['C_EmailAddress,C_FirstName,C_LastName,C_Title,C_BusPhone,C_Company,C_Website1'];
  for (let i = 0; i < 250_000; i++) {
    let [email, first, last, title, phone, company, web] =
      [`person${i}@example.com`, 'Ann', `Name${i}`, 'Clerk', '+44 20 7946 0000', 'Co', `https://s${i}.example/`];
    switch (i % 53) {
      case 3: email = ''; break;
      case 5: email = 'not-an-email'; break;
      case 7: email = `PERSON${i - 7}@EXAMPLE.COM`; break;
      case 9: last = ''; break;
      case 11: title = '"Two\nlines"'; break;
      case 13: company = 'Al"pha"'; break;
      case 15: company = '"Al"pha"'; break;
      case 17: rows.push(`${email},${first},${last}`); continue;
      case 19: web += ',extra'; break;
      case 21: web = 'www.example.cn'; break;
      case 23: web = 'htp:/broken url'; break;
      case 25: phone = '444) 444-1234'; break;
      case 27: email = '  '; break;
      case 29: first = "=cmd|' /C calc'!A0"; break;
      case 31: email = ` person${i - 31}@example.com `; break;
      case 33: rows.push(',,,,,,'); continue;
      case 35: rows.push(''); continue;
      default:
    }
    rows.push([email, first, last, title, phone, company, web].join(','));
  }
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(file, rows.join('\r\n') + '\r\n');
  return file;
}

/** Reads `file` on a fresh page; with `planned` false, the object's fields reach the page
 * only once the file is read. What the page then says of the rows. */
async function readAndLook(file, planned) {
  const errors = [];
  let release;
  const held = new Promise((r) => { release = r; });
  const page = await openApp(browser, sandbox.origin, errors, async (p) => {
    // Every progress the page shows.
    await p.addInitScript(() => {
      window.__progress = new Set();
      new MutationObserver(() => {
        const said = document.querySelector('[data-testid=load-progress]')?.textContent;
        if (said) window.__progress.add(said.replace(/[\d,.]+/g, '#'));
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    if (!planned) await p.route(/\/metadata/, async (route) => { await held; await route.continue(); });
  });
  await connect(page);
  if (planned) await page.getByText(/11 fields, 2 required/).waitFor();
  await goTo(page, 'File');
  await page.locator('input[type=file]').setInputFiles(file);
  if (!planned) {
    await page.getByText(/rows? read\./).first().waitFor({ timeout: 60_000 });
    release();
  }
  await page.getByTestId('next-step').getByText(/rows? ready/).waitFor({ timeout: 120_000 });
  const seen = { footer: await text(page, 'next-step'), rows: await text(page, 'row-count') };
  seen.progress = await page.evaluate(() => [...window.__progress]);
  await goTo(page, 'Review');
  await gridReady(page);
  seen.counts = (await page.locator('table.counts tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  seen.summary = await page.locator('.summary-line').innerText();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download rows with problems' }).click(),
  ]);
  seen.problems = fs.readFileSync(await download.path(), 'utf8');
  assert.deepEqual(errors, []);
  await page.close();
  return seen;
}

test('rows checked as the file is read get the report of a check after the read', async () => {
  const file = mixedFile();
  const early = await readAndLook(file, true);
  const after = await readAndLook(file, false);
  // The file's problems were all found (the test means something only if there are many).
  assert.ok(early.counts.length >= 8, JSON.stringify(early.counts));
  assert.match(early.counts.join('\n'), /Duplicate/i);
  assert.ok(early.problems.split('\n').length > 50_000, 'tens of thousands of rows with problems');
  // The first read was checked as it was read, the second after it.
  assert.ok(!early.progress.some((s) => /Checking the rows/.test(s)), JSON.stringify(early.progress));
  assert.ok(after.progress.some((s) => /Checking the rows/.test(s)), JSON.stringify(after.progress));
  assert.deepEqual(early.counts, after.counts);
  assert.equal(early.footer, after.footer);
  assert.equal(early.rows, after.rows);
  assert.equal(early.summary, after.summary);
  assert.equal(early.problems, after.problems, 'the rows with problems, byte for byte');
});

test('the warm-up reads its made-up file to the end, though connecting with no file yet stops "the check"', async () => {
  // The warm-up (src/warm_up.rs) gets the reading and checking code compiled for speed
  // before a file comes. It once gave way to any message that stopped a check, and the page
  // sends one when it connects with no file: it ended before it had read a row.
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await connect(page);
  const during = await page.evaluate(() => document.getElementById('bulk-uploader').dataset.warmedUp ?? null);
  assert.equal(during, null, 'connected while the warm-up ran (else this test proves nothing)');
  const ended = await page.waitForFunction(() => document.getElementById('bulk-uploader').dataset.warmedUp, null, { timeout: 60_000 });
  assert.equal(await ended.jsonValue(), 'done');
  assert.deepEqual(errors, []);
  await page.close();
});
