// The e-mail check against its judge: Chromium's own <input type=email>. Every tricky
// address below is set on a real input as a script (or a file cell) would set it; the
// browser's sanitized .value and validity must be exactly what bulk-core sends and decides.
// bulk-core's side comes from the built app itself (bulkCheckEmail and bulkEmailSent,
// which Trunk puts on window.wasmBindings), so this is the validator's code, not a copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, launch, openApp } from './helpers.mjs';

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

const label63 = 'a'.repeat(63);
const label64 = 'a'.repeat(64);

// Every kind of space: the HTML standard strips only ASCII whitespace at the ends (and line
// breaks anywhere); the others are part of the value.
const spaces = {
  space: ' ', tab: '\t', lf: '\n', cr: '\r', crlf: '\r\n', ff: '\f', vt: '\v',
  'no-break': '\u00a0', 'narrow no-break': '\u202f', ideographic: '\u3000',
  'line separator': '\u2028', 'paragraph separator': '\u2029', 'en space': '\u2002',
  'zero width': '\u200b', bom: '\ufeff', nel: '\u0085', ogham: '\u1680',
};
const spaced = Object.values(spaces).flatMap((s) => [
  `${s}a@b.example`, `a@b.example${s}`, `a${s}b@x.io`, `a@b${s}.example`,
]);

const others = [
  // Empty, or nothing but spacing.
  '', ' ', '\n', '\t \r\n', '\u00a0', '\u3000',
  // The shape: one @, something on each side.
  '@', 'a@', '@b', 'a@b', 'a@b@c', 'a@@b', 'ab', 'a@x.io,b@x.io', 'a@x.io; b@x.io',
  'mailto:a@x.io', 'a@x.io/', 'a@x.io:25', 'Ann <a@x.io>',
  // Quoted local parts and IP literals (RFC 5322 allows them, the HTML standard does not).
  '"a b"@x.io', '"a"@x.io', '"a@b"@x.io', 'a@[127.0.0.1]', 'a@127.0.0.1', 'a@[IPv6:::1]',
  // Dots at the edges, double dots.
  '.a@x.io', 'a.@x.io', 'a..b@x.io', 'a@.x.io', 'a@x.io.', 'a@x..io', '.@x.io', 'a@.',
  // Label lengths and hyphens.
  `a@${label63}.io`, `a@${label64}.io`, `a@${label63}`, `a@x.${label63}`, `a@x.${label64}`,
  `${'a'.repeat(300)}@x.io`, `a@${Array(40).fill('abcdef').join('.')}`,
  'a@-x.io', 'a@x-.io', 'a@x.-io', 'a@x.io-', 'a@x--y.io', 'a@x-y.io', 'a@-', 'a@1-2.3',
  // Characters of the local part.
  "!#$%&'*+/=?^_`{|}~-@x.io", "o'connor@x.ie", 'a+tag@x.io', 'a_b@x.io', 'a(b)@x.io',
  'a,b@x.io', 'a:b@x.io', 'a;b@x.io', 'a<b>@x.io', 'a\\b@x.io', 'a[b]@x.io', 'a"b@x.io',
  'A@X.IO', '1@2.3', 'a@1', 'a@x_y.io', 'a@x.i_o', "=cmd|' /C calc'!A0@evil.example",
  // Beyond ASCII: local parts, domains, look-alikes, case folding, controls.
  'jürgen@x.at', 'ü@x.io', 'a@bücher.example', 'a@ä', 'a@xn--bcher-kva.example',
  'a@x.io\u00ad', 'ａ@x.io', 'a＠x.io', 'a@x。io', 'a@ｘ.io', '\u212a@x.io', 'a@\u017fx.io',
  'a@x.\u0131o', '😀@x.io', 'a@😀.io', 'a@x.io\u0000', 'a\u0000@x.io', 'a@x.io\u0007',
  'a@x.\u0438o', 'a@x.io\u200d',
];

const addresses = [...spaced, ...others];

test(`bulk-core judges ${addresses.length} e-mail addresses as Chromium's <input type=email> does`, async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await page.waitForFunction(() => typeof window.wasmBindings?.bulkCheckEmail === 'function');
  const results = await page.evaluate((values) => {
    const input = document.createElement('input');
    input.type = 'email';
    document.body.append(input);
    const out = values.map((typed) => {
      input.value = typed;
      return {
        typed,
        browserValue: input.value,
        browserValid: input.validity.valid,
        coreValid: window.wasmBindings.bulkCheckEmail(typed),
        coreSent: window.wasmBindings.bulkEmailSent(typed),
      };
    });
    input.remove();
    return out;
  }, addresses);

  assert.ok(addresses.length >= 80);
  assert.equal(results.length, addresses.length);
  const disagreements = results.filter((r) => r.browserValue !== r.coreSent
    // An empty value is not a wrong address (a missing one is the "required" check's).
    || (r.browserValue !== '' && r.browserValid !== r.coreValid)
    || (r.browserValue === '' && !r.coreValid));
  assert.deepEqual(disagreements, [], `bulk-core and Chromium disagree on:\n${
    disagreements.map((d) => JSON.stringify(d)).join('\n')}`);

  // A few verdicts in plain sight, so the comparison cannot pass by both sides being wrong.
  const verdict = (typed) => results.find((r) => r.typed === typed);
  assert.equal(verdict('a@b.example\u00a0').browserValid, false, 'a no-break space is kept');
  assert.equal(verdict('\ta@b.example').browserValue, 'a@b.example', 'a tab is stripped');
  assert.equal(verdict('a@b\n.example').coreSent, 'a@b.example', 'a line break is removed');
  assert.equal(verdict(`a@${label64}.io`).browserValid, false);
  assert.equal(verdict(`a@${label63}.io`).browserValid, true);
  // Set as a value (as a file's cell is), a domain beyond ASCII is not valid: Chromium
  // converts one to punycode only when a person types it in.
  assert.equal(verdict('a@bücher.example').browserValid, false);
  assert.equal(verdict('a@xn--bcher-kva.example').coreValid, true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('typed by a person, a domain beyond ASCII becomes punycode, which bulk-core accepts', async () => {
  const errors = [];
  const page = await openApp(browser, sandbox.origin, errors);
  await page.waitForFunction(() => typeof window.wasmBindings?.bulkCheckEmail === 'function');
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'email';
    input.id = 'typed-email';
    document.body.append(input);
  });
  await page.locator('#typed-email').pressSequentially('a@bücher.example');
  const typed = await page.evaluate(() => {
    const input = document.getElementById('typed-email');
    return { value: input.value, valid: input.validity.valid, core: window.wasmBindings.bulkCheckEmail(input.value) };
  });
  assert.deepEqual(typed, { value: 'a@xn--bcher-kva.example', valid: true, core: true });
  assert.deepEqual(errors, []);
  await page.close();
});
