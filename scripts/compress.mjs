// Writes `.br` and `.gz` beside every text and wasm file of the built app (the sandbox and
// any static host serve them with their Content-Encoding), and prints what the start page
// downloads: the budget is 300 KB gzip for the first screen (index.html with its start script,
// the first screen's JS and wasm, the CSS, config.json); the app's module (`bulk-uploader-<hash>.js`
// and its wasm), which the first screen loads once it is shown, and the workbook reader
// (`workbook-reader-<hash>.js` and its wasm), which the app loads for the first workbook, and
// the older encodings (`legacy-encodings-<hash>.js` and its wasm), which the app loads for the
// first file not in UTF-8 or UTF-16, are printed apart.
//   node scripts/compress.mjs dist
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const BUDGET = 300 * 1024;
const kinds = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg']);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const rows = [];
const files = fs.readdirSync(dir, { recursive: true }).map(String).sort();
for (const name of files) {
  const file = path.join(dir, name);
  if (!fs.statSync(file).isFile() || !kinds.has(path.extname(name))) continue;
  const raw = fs.readFileSync(file);
  const gz = zlib.gzipSync(raw, { level: 9 });
  const br = zlib.brotliCompressSync(raw, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  fs.writeFileSync(`${file}.gz`, gz);
  fs.writeFileSync(`${file}.br`, br);
  rows.push({ name, raw: raw.length, gz: gz.length, br: br.length });
}
rows.sort((a, b) => b.gz - a.gz);
console.log('compress: file'.padEnd(52) + 'raw'.padStart(12) + 'gzip'.padStart(12) + 'brotli'.padStart(12));
for (const r of rows) console.log(`compress: ${r.name}`.padEnd(52) + kb(r.raw).padStart(12) + kb(r.gz).padStart(12) + kb(r.br).padStart(12));
// The browser test (tests/e2e/first-screen.test.mjs) holds the budget against what Chromium
// actually downloads; this is the build's own account of it.
// A snippet (a module's inline JS) goes with the module whose JS imports it.
const importedBy = (stem) => {
  const js = files.find((n) => new RegExp(`^${stem}-[0-9a-f]+\\.js$`).test(n));
  return js ? fs.readFileSync(path.join(dir, js), 'utf8') : '';
};
const appJs = importedBy('bulk-uploader');
const firstJs = importedBy('first-screen');
const snippet = (r, js) => r.name.startsWith('snippets/') && js.includes(r.name.split(path.sep).join('/'));
const app = (r) => /^bulk-uploader-[0-9a-f]+(_bg\.wasm|\.js)$/.test(r.name) || (snippet(r, appJs) && !snippet(r, firstJs));
const workbook = (r) => /^workbook-(reader|worker)-[0-9a-f]+(_bg\.wasm|\.js)$/.test(r.name);
const legacy = (r) => /^legacy-encodings-[0-9a-f]+(_bg\.wasm|\.js)$/.test(r.name);
const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
const first = rows.filter((r) => !app(r) && !workbook(r) && !legacy(r));
console.log(`compress: first screen ${kb(sum(first, 'gz'))} gzip (${kb(sum(first, 'br'))} brotli); budget ${kb(BUDGET)}: ${sum(first, 'gz') <= BUDGET ? 'within' : 'OVER'}`);
const apart = (what, which) => console.log(`compress: ${what}: ${kb(sum(rows.filter(which), 'gz'))} gzip (${kb(sum(rows.filter(which), 'br'))} brotli)`);
apart("the app's module, loaded once the first screen is shown", app);
apart('the workbook reader, loaded when the first workbook is chosen', workbook);
apart('the older encodings, loaded when the first file in one of them is chosen', legacy);
