// The theme: readable in light and dark (axe-core's colour-contrast rule on real screens,
// plus what axe leaves out or only half measures: disabled buttons, the grid's one-character
// status marks, focus outlines), the system preference and data-theme on the root, and
// isolation from a host page in both directions.
// Screenshots go to artifacts/; with UPDATE_SCREENSHOTS=1 also to docs/screenshot-{light,dark}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startSandbox, launch, openApp, chooseFile, sharedData, settled, artifacts, root, DEMO , goTo } from './helpers.mjs';

const axePath = path.join(import.meta.dirname, 'node_modules', 'axe-core', 'axe.min.js');
const appDir = process.env.APP_DIR ?? path.join(root, 'dist');
const problems = path.join(sharedData, 'contacts-with-problems.csv');
const fast = ['--step-delay-ms', '100', '--row-delay-ms', '10'];

/** The built stylesheet's file name, as dist/index.html links it (Trunk hashes it). */
function appCssFile() {
  const html = fs.readFileSync(path.join(appDir, 'index.html'), 'utf8');
  const name = html.match(/<link rel="stylesheet" href="\.\/(main-[0-9a-f]+\.css)"/)?.[1];
  assert.ok(name, 'dist/index.html links the app\'s stylesheet');
  return path.join(appDir, name);
}

/** Runs `body(sandbox, browser)` with a sandbox and a browser of its own, both stopped after. */
async function withApp(body, sandboxArgs = fast) {
  const sandbox = await startSandbox(sandboxArgs);
  const browser = await launch();
  try {
    return await body(sandbox, browser);
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

/** Contrast helpers, evaluated in the page: colours as computed, WCAG's relative luminance. */
const IN_PAGE = `
  window.__contrast = (() => {
    const rgba = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) throw new Error('colour not rgb: ' + c);
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [r, g, b, a]; };
    const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const ratio = (p, q) => { const [x, y] = [lum(p), lum(q)].sort((s, t) => t - s); return (x + 0.05) / (y + 0.05); };
    /** The first opaque background at or above el; null when a translucent one comes first. */
    const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] === 1) return c; if (c[3] > 0) return null; } return [255, 255, 255, 1]; };
    const faded = (el) => { for (let e = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) return true; return false; };
    return { rgba, ratio, backdrop, faded };
  })();`;

/** axe-core's colour-contrast rule on the whole document, plus every visible disabled
 *  button (axe skips disabled controls) and grid status mark. Returns readable lines, one
 *  per problem, what axe could not measure, and how many buttons and marks were measured. */
async function contrastProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    assert.ok(fs.existsSync(axePath), `axe-core is missing: run npm ci in tests/e2e (${axePath})`);
    await page.addScriptTag({ path: axePath });
  }
  await page.evaluate(IN_PAGE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['color-contrast'], resultTypes: ['violations', 'incomplete'] });
    const line = (n, how) => {
      const d = (n.any[0] ?? n.all[0] ?? n.none[0])?.data ?? {};
      return `${n.target.join(' ')}: ${d.fgColor} on ${d.bgColor} is ${d.contrastRatio}:1, needs ${d.expectedContrastRatio}${how} — ${n.html.slice(0, 100)}`;
    };
    const lines = result.violations.flatMap((v) => v.nodes.map((n) => line(n, '')));
    // axe leaves one-character text (the grid's ✖ ⚠ ✓, a step's number) and some other
    // cases "incomplete" while still measuring them: a measured ratio below the bar counts.
    const undetermined = [];
    for (const n of result.incomplete.flatMap((v) => v.nodes)) {
      const d = (n.any[0] ?? n.all[0] ?? n.none[0])?.data ?? {};
      if (d.contrastRatio > 0 && d.expectedContrastRatio) {
        if (d.contrastRatio < parseFloat(d.expectedContrastRatio)) lines.push(line(n, ` (axe: incomplete, ${d.messageKey})`));
      } else undetermined.push(`${n.target.join(' ')}: ${d.messageKey ?? (n.any[0] ?? {}).message}`);
    }
    const { rgba, ratio, backdrop, faded } = window.__contrast;
    const disabled = [...document.querySelectorAll('.bu-root button:disabled')].filter((b) => b.checkVisibility({ visibilityProperty: true }));
    for (const b of disabled) {
      const s = getComputedStyle(b);
      const bg = backdrop(b);
      const label = `disabled button "${b.textContent.trim()}"`;
      if (faded(b)) lines.push(`${label}: faded with opacity, its contrast cannot be relied on`);
      else if (!bg) lines.push(`${label}: translucent background`);
      else if (ratio(rgba(s.color), bg) < 4.5) lines.push(`${label}: ${s.color} on ${s.backgroundColor} is ${ratio(rgba(s.color), bg).toFixed(2)}:1, needs 4.5`);
    }
    // The grid's status marks (✖ ⚠ ✓, ✓↑ once sent), which axe measures only in part.
    const marks = [...document.querySelectorAll('.bu-root .grid .col-state, .bu-root .grid .cell-icon')].filter((m) => m.checkVisibility());
    for (const m of marks) {
      const s = getComputedStyle(m);
      const bg = backdrop(m);
      const r = bg && ratio(rgba(s.color), bg);
      if (!bg || r < 4.5) lines.push(`grid mark "${m.textContent.trim()}" (${m.className}): ${s.color} on ${bg ? `rgb(${bg.slice(0, 3).join(', ')})` : 'a translucent background'} is ${r?.toFixed(2)}:1, needs 4.5`);
    }
    return { lines, undetermined, disabled: disabled.length, marks: marks.length };
  });
}

/** The focus outline of `locator` once focused from the keyboard: style, width and contrast
 *  against what is around the control. */
async function focusOutline(page, locator) {
  await locator.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await page.evaluate(IN_PAGE);
  return locator.evaluate((el) => {
    const { rgba, ratio, backdrop } = window.__contrast;
    const s = getComputedStyle(el);
    return { focusVisible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
      color: s.outlineColor, ratio: ratio(rgba(s.outlineColor), backdrop(el.parentElement)) };
  });
}

const rootStyle = (page, name) => page.evaluate((n) => getComputedStyle(document.querySelector('.bu-root')).getPropertyValue(n).trim(), name);

for (const scheme of ['light', 'dark']) {
  test(`${scheme} theme: no contrast problem on a refused connection, connected, a file with problems and a settled upload`, async () => {
    await withApp(async (sandbox, browser) => {
      const errors = [];
      const page = await openApp(browser, sandbox.origin, errors);
      await page.emulateMedia({ colorScheme: scheme });
      assert.equal(await rootStyle(page, 'color-scheme'), scheme, 'the root follows the system preference');
      const measured = { disabled: 0, marks: 0 };
      const check = async (screen) => {
        const { lines, undetermined, disabled, marks } = await contrastProblems(page);
        measured.disabled += disabled;
        measured.marks += marks;
        if (undetermined.length) console.log(`${scheme}, ${screen}: axe could not measure ${undetermined.length}:\n  ${undetermined.join('\n  ')}`);
        assert.deepEqual(lines, [], `${scheme}, ${screen}: contrast problems:\n  ${lines.join('\n  ')}`);
      };

      await page.getByLabel('User secret').fill('not-the-secret');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText('The connector rejected these credentials (401)').waitFor();
      await check('a refused connection (error notice)');
      // (While the form is open: once connected it folds to one line.)
      // Focus outlines: at least 3:1 against the card, on a button and on a text field.
      for (const [what, locator] of [['the Connect button', page.getByRole('button', { name: 'Connect', exact: true })],
        ['the Base URL field', page.getByLabel('Base URL')]]) {
        const o = await focusOutline(page, locator);
        assert.ok(o.focusVisible, `${what} shows keyboard focus`);
        assert.equal(o.style, 'solid', `${what}: outline style`);
        assert.ok(o.width >= 2, `${what}: outline ${o.width}px`);
        assert.ok(o.ratio >= 3, `${scheme}: ${what}'s focus outline ${o.color} is ${o.ratio.toFixed(2)}:1 against its card, needs 3`);
      }


      await page.getByLabel('User secret').fill(DEMO.user);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText(/Connected to/).waitFor();
      await check('connected');
      await chooseFile(page, problems);
      await page.getByText('7 rows have errors', { exact: false }).first().waitFor();
      // The screenshot: no focus ring left from above, the problem counts and the grid in view.
      await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, document.querySelector('.bu-root .summary').getBoundingClientRect().top + window.scrollY - 24); });
      const shot = path.join(artifacts, `screenshot-${scheme}.png`);
      await page.screenshot({ path: shot });
      if (process.env.UPDATE_SCREENSHOTS) fs.copyFileSync(shot, path.join(root, 'docs', `screenshot-${scheme}.png`));
      // Every folded section open, and a problem cell's message shown, so axe sees them too.
      await page.evaluate(() => document.querySelectorAll('.bu-root details').forEach((d) => { d.open = true; }));
      await page.locator('.grid td.cell-error').first().hover();
      await page.locator('.grid td.cell-error .tip').first().waitFor();
      await check('a file with problems, every section open, a message shown');

      await page.mouse.move(0, 0);
      await goTo(page, 'Upload');
      await page.getByRole('button', { name: /^Upload \d+ rows?$/ }).click();
      await settled(page, 1);
      await check('a settled upload');
      assert.ok(measured.disabled > 0, 'some disabled button was measured');
      assert.ok(measured.marks > 0, 'the grid\'s status marks were measured');
      assert.deepEqual(errors.filter((e) => !/401|Unauthorized/.test(e)), []);
    });
  });
}

test('the system preference picks the palette; data-theme on the root overrides it both ways', async () => {
  await withApp(async (sandbox, browser) => {
    const errors = [];
    const page = await openApp(browser, sandbox.origin, errors);
    // Every --bu-* property the stylesheet declares on .bu-root, with its computed value.
    const palette = () => page.evaluate(() => {
      const names = new Set();
      const walk = (rules) => { for (const r of rules) { if (r.cssRules) walk(r.cssRules);
        if (r.style) for (const p of r.style) if (p.startsWith('--bu-')) names.add(p); } };
      for (const sheet of document.styleSheets) walk(sheet.cssRules);
      const s = getComputedStyle(document.querySelector('.bu-root'));
      return Object.fromEntries([...names].sort().map((n) => [n, s.getPropertyValue(n).trim()])
        .concat([['color-scheme', s.colorScheme], ['background-color', s.backgroundColor], ['color', s.color]]));
    });
    const setTheme = (t) => page.evaluate((v) => {
      const r = document.querySelector('.bu-root');
      if (v) r.dataset.theme = v; else delete r.dataset.theme;
    }, t);

    await page.emulateMedia({ colorScheme: 'light' });
    const light = await palette();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await palette();
    assert.ok(Object.keys(light).length > 30, `the palette has its properties: ${Object.keys(light)}`);
    assert.notEqual(light['--bu-bg'], dark['--bu-bg'], '--bu-bg differs between light and dark');
    assert.notEqual(light['background-color'], dark['background-color'], 'the root\'s background differs');
    assert.notEqual(light.color, dark.color, 'the root\'s text colour differs');
    assert.equal(light['color-scheme'], 'light');
    assert.equal(dark['color-scheme'], 'dark');

    await setTheme('light');
    assert.deepEqual(await palette(), light, 'data-theme="light" wins over a dark system preference');
    await setTheme('dark');
    assert.deepEqual(await palette(), dark, 'data-theme="dark" with a dark system preference');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(await palette(), dark, 'data-theme="dark" wins over a light system preference (and the two dark blocks agree)');
    await setTheme(null);
    assert.deepEqual(await palette(), light, 'without data-theme the system preference decides again');
    assert.deepEqual(errors, []);
  });
});

/** A host page with ordinary, hostile element rules, its own elements (some with the app's
 *  class names), and a small fragment built like the app's markup. */
const HOSTILE = `
  body { font-family: serif; color: #333333; line-height: 2; letter-spacing: 1px; }
  button { text-transform: uppercase; background: red; border: 3px solid black; padding: 20px; }
  table td, table th { padding: 40px; border: 2px solid blue; }
  h1, h2 { color: green; font-family: cursive; margin: 30px; }
  input, select { background: yellow; font-size: 20px; }
  p { margin: 50px; color: purple; }
  label { font-style: italic; }`;
const hostPage = (withAppCss) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
  <style>${HOSTILE}</style>${withAppCss ? '<link rel="stylesheet" href="/app.css">' : ''}</head>
<body>
  <h1 id="host-h1">The host's own page</h1>
  <p id="host-p">Host text.</p>
  <button id="host-button">Host button</button> <button id="host-primary" class="primary">Host primary</button>
  <input id="host-input" type="text" value="host"> <select id="host-select"><option>host</option></select>
  <table id="host-table" class="grid"><tr><th id="host-th">Head</th><td id="host-td">Cell</td></tr></table>
  <div id="host-step" class="step"><h2 id="host-h2">Host section</h2><p class="muted" id="host-muted">Muted?</p></div>
  <ul id="host-ul"><li>one</li></ul>
  <div id="host-frame" style="height: 500px; overflow: hidden">
  <div id="bulk-uploader" class="bu-root">
    <header class="app-header"><h1 id="app-h1">Bulk Uploader</h1><p class="tagline">Tagline</p></header>
    <main class="flow"><section class="step"><h2 id="app-h2"><span class="step-number">1</span>Connect</h2>
      <label class="field"><span class="field-label">Base URL</span><input id="app-input" type="text" value="https://x"></label>
      <p id="app-p">Text</p>
      <button id="app-primary" type="button" class="primary">Connect</button> <button id="app-button" type="button">Plain</button>
      <div class="grid-viewport"><table class="grid"><thead><tr><th id="app-th">Line</th></tr></thead>
        <tbody><tr><td id="app-td">2</td></tr></tbody></table></div>
    </section></main>
  </div>
  </div>
</body></html>`;

/** A tiny server for the host page and the built stylesheet, on a free loopback port. */
async function hostServer(routes) {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': route.type }).end(route.body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); return new Promise((ok) => server.close(ok)); } };
}

test('isolation: the app\'s CSS does not touch a host page, and the host\'s element rules do not reach into the app', async () => {
  const css = fs.readFileSync(appCssFile(), 'utf8');
  const server = await hostServer({
    '/with.html': { type: 'text/html', body: hostPage(true) },
    '/without.html': { type: 'text/html', body: hostPage(false) },
    '/app.css': { type: 'text/css', body: css },
  });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const hostIds = ['host-h1', 'host-p', 'host-button', 'host-primary', 'host-input', 'host-select', 'host-table', 'host-th', 'host-td',
      'host-step', 'host-h2', 'host-muted', 'host-ul'];
    const styles = () => page.evaluate((ids) => Object.fromEntries(['html', 'body', ...ids].map((id) => {
      const el = id === 'html' ? document.documentElement : id === 'body' ? document.body : document.getElementById(id);
      const s = getComputedStyle(el);
      return [id, Object.fromEntries([...s].filter((p) => !p.startsWith('--')).map((p) => [p, s.getPropertyValue(p)]))];
    })), hostIds);

    // 1. Nothing of the host changes when the app's CSS is added: every computed property
    //    of every host element is the same with and without it.
    await page.goto(`${server.origin}/without.html`);
    const before = await styles();
    await page.goto(`${server.origin}/with.html`);
    await page.waitForFunction(() => [...document.styleSheets].some((s) => s.href?.endsWith('/app.css')));
    const after = await styles();
    const changed = [];
    for (const id of Object.keys(before)) for (const [p, v] of Object.entries(before[id])) {
      if (after[id][p] !== v) changed.push(`#${id} ${p}: ${v} -> ${after[id][p]}`);
    }
    assert.deepEqual(changed, [], `the app's CSS changed the host's elements:\n  ${changed.join('\n  ')}`);
    // The host's own rules are in force (so the comparison above is not vacuous).
    const host = (id, p) => after[id][p];
    assert.equal(host('host-h1', 'color'), 'rgb(0, 128, 0)', 'the host h1 stays green');
    assert.equal(host('host-button', 'background-color'), 'rgb(255, 0, 0)', 'the host button stays red');
    assert.equal(host('host-primary', 'text-transform'), 'uppercase', 'a host button.primary keeps the host\'s style');
    assert.equal(host('host-td', 'padding-top'), '40px');
    assert.match(host('body', 'font-family'), /serif/);

    // 2. Every selector of the app's stylesheet is scoped to its root (or is the page's margin).
    const unscoped = await page.evaluate(() => {
      const sheet = [...document.styleSheets].find((s) => s.href?.endsWith('/app.css'));
      const split = (text) => { const parts = []; let depth = 0; let cur = '';
        for (const ch of text) { if (ch === '(') depth++; if (ch === ')') depth--;
          if (ch === ',' && depth === 0) { parts.push(cur.trim()); cur = ''; } else cur += ch; }
        return [...parts, cur.trim()]; };
      const bad = []; let count = 0;
      const walk = (rules) => { for (const r of rules) {
        if (r instanceof CSSMediaRule) walk(r.cssRules);
        else if (r instanceof CSSStyleRule) for (const sel of split(r.selectorText)) { count++;
          if (!/^\.bu-root(?![\w-])/.test(sel) && sel !== 'body.bu-page' && !sel.startsWith('body.bu-page > .bu-root')) bad.push(sel); }
        else bad.push(`a ${r.constructor.name}: ${r.cssText.slice(0, 60)}`);
      } };
      walk(sheet.cssRules);
      return { bad, count };
    });
    assert.ok(unscoped.count > 100, `selectors read: ${unscoped.count}`);
    assert.deepEqual(unscoped.bad, [], `selectors not scoped to .bu-root:\n  ${unscoped.bad.join('\n  ')}`);

    // 3. Inside the root, the app's rules win over the host's element rules.
    const app = await page.evaluate(() => {
      const rootEl = document.querySelector('.bu-root');
      const token = (name, prop = 'color') => { const probe = document.createElement('span'); probe.style[prop] = `var(${name})`;
        rootEl.append(probe); const v = getComputedStyle(probe)[prop]; probe.remove(); return v; };
      const s = (id) => getComputedStyle(document.getElementById(id));
      return {
        accent: token('--bu-accent'), onAccent: token('--bu-on-accent'), surface: token('--bu-surface'), ink: token('--bu-ink'),
        headerInk: token('--bu-header-ink'), fieldBg: token('--bu-field-bg'), font: rootEl.style.fontFamily || getComputedStyle(rootEl).fontFamily,
        primary: { bg: s('app-primary').backgroundColor, color: s('app-primary').color, transform: s('app-primary').textTransform, padTop: s('app-primary').paddingTop, border: s('app-primary').borderTopWidth },
        button: { bg: s('app-button').backgroundColor, transform: s('app-button').textTransform },
        h1: { color: s('app-h1').color, font: s('app-h1').fontFamily, margin: s('app-h1').marginTop },
        h2: { color: s('app-h2').color, font: s('app-h2').fontFamily, margin: s('app-h2').marginTop, size: s('app-h2').fontSize },
        td: { pad: s('app-td').paddingTop, padLeft: s('app-td').paddingLeft, border: s('app-td').borderTopWidth },
        th: { pad: s('app-th').paddingTop },
        p: { color: s('app-p').color, margin: s('app-p').marginTop },
        input: { bg: s('app-input').backgroundColor, size: s('app-input').fontSize },
        root: { font: getComputedStyle(rootEl).fontFamily, lineHeight: getComputedStyle(rootEl).lineHeight, letterSpacing: getComputedStyle(rootEl).letterSpacing },
      };
    });
    assert.equal(app.primary.transform, 'none', 'the app\'s button.primary is not uppercased by the host');
    assert.equal(app.primary.bg, app.accent, 'the app\'s button.primary has the app\'s accent background');
    assert.equal(app.primary.color, app.onAccent);
    assert.equal(app.primary.padTop, '8px');
    assert.equal(app.primary.border, '1px');
    assert.equal(app.button.bg, app.surface, 'a plain app button has the app\'s surface, not the host\'s red');
    assert.equal(app.button.transform, 'none');
    assert.equal(app.h1.color, app.headerInk, 'the app\'s h1 is not the host\'s green');
    assert.equal(app.h1.margin, '0px');
    assert.equal(app.h2.color, app.ink);
    assert.equal(app.h2.margin, '0px');
    assert.equal(app.h2.size, '17px');
    assert.match(app.h2.font, /^system-ui/, 'the app\'s h2 has the app\'s font, not the host\'s cursive');
    assert.match(app.root.font, /^system-ui/, 'the root has the app\'s font, not the host\'s serif');
    assert.equal(app.root.letterSpacing, 'normal');
    assert.equal(app.root.lineHeight, `${15 * 1.45}px`);
    assert.deepEqual(app.td, { pad: '0px', padLeft: '8px', border: '0px' }, 'grid cells keep the app\'s padding');
    assert.equal(app.th.pad, '0px');
    assert.equal(app.p.color, app.ink, 'an app paragraph is not the host\'s purple');
    assert.equal(app.p.margin, '15px', 'an app paragraph has the browser\'s 1em margin, not the host\'s 50px');
    assert.equal(app.input.bg, app.fieldBg, 'the app\'s text field is not the host\'s yellow');
    assert.equal(app.input.size, '15px');
    await page.screenshot({ path: path.join(artifacts, 'theme-host-page.png'), fullPage: true });
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the real app inside a host page with hostile element rules looks as it does on its own page', async () => {
  await withApp(async (sandbox, browser) => {
    // The host page: the app's own index.html with the host's rules and elements added and
    // without the standalone page's body class; everything else comes from the sandbox
    // through this server, so the app, its API and the page share one origin.
    const index = await (await fetch(`${sandbox.origin}/`)).text();
    const host = index
      .replace('</head>', `<style>${HOSTILE}</style></head>`)
      .replace('<body class="bu-page">', '<body><h1 id="host-h1">Portal</h1><button id="host-button">Portal button</button>');
    assert.notEqual(host, index);
    const upstream = new URL(sandbox.origin);
    const server = http.createServer((req, res) => {
      if (req.url === '/host.html') { res.writeHead(200, { 'content-type': 'text/html' }).end(host); return; }
      const out = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: upstream.host } }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    const proxy = `http://127.0.0.1:${server.address().port}`;
    try {
      const selectors = ['.app-header h1', '.tagline', '.step h2', '.step-number', '.field-label', '.field-hint', 'input[type=url]',
        'input[type=password]', 'select', 'button.primary', '.drop-zone .button', '.drop-zone p', '.paste-box summary',
        '.facts dt', '.facts dd', '.mapping th', '.mapping td', '.summary', '.counts td', 'button.link', '.grid-toolbar button',
        '.grid th', '.grid td.col-line', '.grid td.cell-error', '.grid tbody td:not(.cell-error)', '.policy legend', '.policy label'];
      const props = ['color', 'background-color', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-transform',
        'line-height', 'letter-spacing', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'margin-top',
        'margin-bottom', 'border-top-width', 'border-top-style', 'border-top-color', 'border-top-left-radius', 'text-align',
        'box-sizing'];
      const look = async (url) => {
        const errors = [];
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(url);
        await page.getByLabel('Element token').waitFor();
        await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Sandbox');
        await page.getByRole('button', { name: 'Connect', exact: true }).click();
        await page.getByText(/Connected to/).waitFor();
        // The Upload step's content (the policy) is built when it is first opened.
        await chooseFile(page, problems, 'Upload');
        await goTo(page, 'Review');
        const styles = await page.evaluate(([sels, ps]) => Object.fromEntries(sels.map((sel) => {
          const el = document.querySelector(`.bu-root ${sel}`);
          if (!el) return [sel, null];
          const s = getComputedStyle(el);
          return [sel, Object.fromEntries(ps.map((p) => [p, s.getPropertyValue(p)]))];
        })), [selectors, props]);
        const hostH1 = await page.evaluate(() => document.getElementById('host-h1') && getComputedStyle(document.getElementById('host-h1')).color);
        const hostButton = await page.evaluate(() => document.getElementById('host-button') && getComputedStyle(document.getElementById('host-button')).backgroundColor);
        await page.screenshot({ path: path.join(artifacts, `theme-${url.endsWith('host.html') ? 'in-host' : 'own-page'}.png`), fullPage: true });
        await page.close();
        assert.deepEqual(errors, []);
        return { styles, hostH1, hostButton };
      };
      const own = await look(`${sandbox.origin}/`);
      const inHost = await look(`${proxy}/host.html`);
      assert.equal(inHost.hostH1, 'rgb(0, 128, 0)', 'the portal\'s own h1 keeps its green');
      assert.equal(inHost.hostButton, 'rgb(255, 0, 0)', 'the portal\'s own button keeps its red');
      const missing = selectors.filter((s) => own.styles[s] === null);
      assert.deepEqual(missing, [], 'every compared element is on the screen');
      const differences = [];
      for (const sel of selectors) for (const p of props) {
        if (own.styles[sel][p] !== inHost.styles[sel]?.[p]) differences.push(`${sel} ${p}: ${own.styles[sel][p]} on its own page, ${inHost.styles[sel]?.[p]} in the host`);
      }
      assert.deepEqual(differences, [], `the host's rules reached into the app:\n  ${differences.join('\n  ')}`);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });
});
