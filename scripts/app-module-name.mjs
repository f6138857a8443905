// Trunk post-build hook: names the modules the page loads later by their content: the app's
// module, the workbook reader's and its worker's script, and the older encodings' module. Trunk builds them like workers (see index.html), and a
// worker's files keep a fixed name, `bulk-uploader.js` and `bulk-uploader_bg.wasm`; a host
// that caches by name (docs/nginx.conf keeps hashed names for a year) would then serve last
// release's module to this release's page. This renames each pair to `<stem>-<hash>…` (the
// module's own default wasm URL follows); start-script.mjs then writes the modules' names
// into the start script, itself named by its content, so a page always loads the modules of
// its own release. Runs inside Trunk's staging folder, before start-script.mjs
// (scripts/post-build.mjs runs both, in order).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('app-module-name: run as a Trunk post_build hook (TRUNK_STAGING_DIR unset)');
for (const module of ['bulk-uploader', 'workbook-reader', 'legacy-encodings']) {
  const js = `${module}.js`;
  const wasm = `${module}_bg.wasm`;
  if (!fs.existsSync(path.join(dir, js)) || !fs.existsSync(path.join(dir, wasm))) {
    throw new Error(`app-module-name: no ${js} and ${wasm} in the build; check index.html's rust links`);
  }
  const hash = crypto.createHash('sha256');
  for (const f of [js, wasm]) hash.update(fs.readFileSync(path.join(dir, f)));
  const stem = `${module}-${hash.digest('hex').slice(0, 16)}`;
  const named = { [js]: `${stem}.js`, [wasm]: `${stem}_bg.wasm` };
  const code = fs.readFileSync(path.join(dir, js), 'utf8').replaceAll(`'${wasm}'`, `'${named[wasm]}'`);
  fs.writeFileSync(path.join(dir, named[js]), code);
  fs.renameSync(path.join(dir, wasm), path.join(dir, named[wasm]));
  fs.rmSync(path.join(dir, js));
  console.log(`app-module-name: ${module} is ${stem}`);
}
// The workers' scripts (src/workbook_worker.js and src/rows_worker.js, copied by Trunk), the
// same way.
for (const [script, stem, what] of [
  ['workbook_worker.js', 'workbook-worker', "the workbook reader's worker"],
  ['rows_worker.js', 'rows-worker', 'the worker that keeps the rows'],
]) {
  if (!fs.existsSync(path.join(dir, script))) throw new Error(`app-module-name: no ${script} in the build; check index.html's copy-file links`);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, script))).digest('hex').slice(0, 16);
  fs.renameSync(path.join(dir, script), path.join(dir, `${stem}-${hash}.js`));
  console.log(`app-module-name: ${what} is ${stem}-${hash}.js`);
}
