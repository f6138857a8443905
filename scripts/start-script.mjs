// Trunk post-build hook: moves the start-up code Trunk writes inline into index.html out to a
// file of its own (`start-<hash>.js`, with its integrity), so the app runs under a strict
// Content-Security-Policy (`script-src 'self'`, no 'unsafe-inline'). Trunk 0.21 has no option
// for this: `inject_scripts = false` drops the preloads too, and `create_nonce` needs a
// server that writes a fresh nonce into every response, which a static host cannot do.
// Runs inside Trunk's staging folder (TRUNK_STAGING_DIR), so `trunk serve` output is the same.
//
// It also makes the wasm (the largest download by far) start after the page's first paint:
// Trunk preloads it from <head>, where on a slow line it competes with the CSS, and the
// header in index.html would wait for it. The preload moves into the start-up code, after
// a frame (or 50 ms, in a tab that draws no frames). And it names the app's module, which the
// first screen loads once it is shown, and the workbook reader's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('start-script: run as a Trunk post_build hook (TRUNK_STAGING_DIR unset)');
const index = path.join(dir, 'index.html');
const html = fs.readFileSync(index, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  // Already external (a second run) or Trunk changed its output: say so rather than ship a
  // page that a strict policy blanks.
  if (/<script type="module" src="\.\/start-/.test(html)) process.exit(0);
  throw new Error('start-script: no inline start-up script in index.html; check the Trunk version');
}
let code = found[1].trim() + '\n';
let page = html;
const preload = /<link rel="preload" href="(\.\/[^"]+_bg\.wasm)" crossorigin="anonymous" integrity="([^"]+)" as="fetch" type="application\/wasm">/;
const wasm = html.match(preload);
if (!wasm) throw new Error('start-script: no preload of the wasm in index.html; check the Trunk version');
const [, wasmPath] = wasm;
const load = `init({ module_or_path: '${wasmPath}' })`;
if (!code.includes(load)) throw new Error(`start-script: the start-up code does not call ${load}; check the Trunk version`);
// The same preload, made after the first frame; the fetch in init() takes its bytes and
// compiles them as they stream in. Without Trunk's `integrity`: Chromium ignores it on a
// preload (and says so in the console), and a fetch with `integrity` of its own would hold
// every byte before compiling, measured as 100-200 ms more blocking time on Lighthouse's
// phone. The start-up code and the JS that loads the wasm keep theirs.
const later = `await new Promise((go) => { requestAnimationFrame(() => setTimeout(go)); setTimeout(go, 50); });
document.head.append(Object.assign(document.createElement('link'), { rel: 'preload', href: '${wasmPath}', as: 'fetch',
  type: 'application/wasm', crossOrigin: 'anonymous' }));`;
// A link that asks for no header (a portal's frame) gets none while the wasm loads either.
const noHeader = `if (/^(0|false|no|off)$/i.test(new URLSearchParams(location.search).get('header') ?? '')) {
  document.querySelector('#bulk-uploader > #bulk-uploader-header')?.remove();
}`;
// Where this release's app module and workbook reader are (named by
// scripts/app-module-name.mjs): the first screen loads the app's module from there
// (src/first_screen.rs), the app the workbook reader when a workbook is chosen
// (src/workbook_reader.rs) and the older encodings when a file needs them
// (src/legacy_encodings.rs), relative to this script wherever a page puts it.
const named = (stem) => {
  const found = fs.readdirSync(dir).filter((n) => new RegExp(`^${stem}-[0-9a-f]+\\.js$`).test(n));
  if (found.length !== 1) throw new Error(`start-script: ${found.length} modules ${stem}-<hash>.js in the build; expected one`);
  return `new URL('./${found[0]}', import.meta.url).href`;
};
const modules = `window.bulkUploaderAppModule = ${named('bulk-uploader')};
window.bulkUploaderWorkbookModule = ${named('workbook-reader')};
window.bulkUploaderWorkbookWorker = ${named('workbook-worker')};
window.bulkUploaderRowsWorker = ${named('rows-worker')};
window.bulkUploaderLegacyModule = ${named('legacy-encodings')};`;
code = code.replace(/^(const wasm = )/m, `${modules}\n${noHeader}\n${later}\n$1`);
page = page.replace(preload, '');
const digest = (algo, enc) => crypto.createHash(algo).update(code).digest(enc);
const name = `start-${digest('sha256', 'hex').slice(0, 16)}.js`;
fs.writeFileSync(path.join(dir, name), code);
const tag = `<script type="module" src="./${name}" integrity="sha384-${digest('sha384', 'base64')}" crossorigin="anonymous"></script>`;
fs.writeFileSync(index, page.replace(inline, tag));
console.log(`start-script: start-up code moved to ${name}`);
